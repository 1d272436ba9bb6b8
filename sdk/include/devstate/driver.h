/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devstate driver API: what a PCI driver calls to keep its device alive
 * across a kexec. See docs/porting-guide.md and drivers/examples/.
 *
 * Outgoing kernel                       Incoming kernel
 *   probe:    ds_register()               probe: in = ds_lookup()
 *             ds_dma_alloc_preserved()           in ? adopt : cold init
 *   freeze:   ops->save() adds state             ds_register()
 *   shutdown: ds_shutdown_keepalive()            ds_dma_reclaim(), ds_adopted()
 *                                         later: ds_finish()
 */
#ifndef DEVSTATE_DRIVER_H
#define DEVSTATE_DRIVER_H

#include <linux/pci.h>
#include <linux/types.h>
#include <devstate/blob.h>
#include <devstate/match.h>	/* enum ds_reason, ds_reason_str() */

struct ds_device;	/* one registered PCI function */
struct ds_save_ctx;	/* where ->save writes driver-private state */
struct ds_incoming;	/* the record the previous kernel left for a device */

/**
 * struct ds_driver_ops - a driver's hooks
 * @state_compatible: versioned compatible of the driver's private state,
 *	e.g. "devstate-edu,state-v1"; written into the record's driver-state
 *	node and checked by ds_lookup() in the next kernel.
 * @save: called at freeze, after the core captured the PCI state, with the
 *	device quiet enough for its state to be consistent. Adds private state
 *	through ds_save_*(). Returns 0 or a negative errno, which fails the
 *	freeze. May be NULL.
 */
struct ds_driver_ops {
	const char *state_compatible;
	int (*save)(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv);
};

/**
 * ds_register() - ask devstate to preserve a device across kexec
 * @pdev: the device, bound to the caller's driver
 * @ops: the driver's hooks; must outlive the registration
 * @priv: passed back to @ops->save
 *
 * Context: process context, may sleep.
 * Return: the registration, or ERR_PTR(-EBUSY) once frozen,
 * ERR_PTR(-EEXIST) if @pdev is already registered, ERR_PTR(-ENOMEM).
 */
struct ds_device *ds_register(struct pci_dev *pdev,
			      const struct ds_driver_ops *ops, void *priv);

/**
 * ds_unregister() - stop preserving a device
 * @dev: a registration from ds_register(); NULL or an ERR_PTR is ignored
 *
 * Frees the preserved DMA buffers the device still holds. Waits for a
 * freeze in progress to finish with the device.
 */
void ds_unregister(struct ds_device *dev);

/**
 * ds_save_u32() - add a u32 property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name: 1..31 characters of [a-z0-9,._+-]; not one the
 *	device tree reserves ("compatible", "name", "phandle")
 * @val: the value
 *
 * Return: 0, -EINVAL for a bad name, -ENOSPC when the blob area is full.
 */
int ds_save_u32(struct ds_save_ctx *ctx, const char *name, u32 val);

/**
 * ds_save_u64() - add a u64 property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @val: the value
 *
 * Return: 0, -EINVAL or -ENOSPC.
 */
int ds_save_u64(struct ds_save_ctx *ctx, const char *name, u64 val);

/**
 * ds_save_string() - add a string property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @s: NUL-terminated string
 *
 * Return: 0, -EINVAL or -ENOSPC.
 */
int ds_save_string(struct ds_save_ctx *ctx, const char *name, const char *s);

/**
 * ds_save_bytes() - add an opaque byte property to the private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @data: the bytes
 * @len: their count, at most 4096
 *
 * Return: 0, -EINVAL or -ENOSPC.
 */
int ds_save_bytes(struct ds_save_ctx *ctx, const char *name,
		  const void *data, size_t len);

/**
 * ds_lookup() - find the record the previous kernel left for a device
 * @pdev: the live device being probed
 * @state_compatible: the driver's private-state compatible it can read
 * @reason: out: DS_ADOPT, or why the device must take the cold path
 *
 * The record is returned only when its PCI position, vendor/device and
 * subsystem IDs, class, revision, bridge chain and every BAR's start, size
 * and flags match @pdev, and its driver-state is @state_compatible. The
 * caller must then call exactly one of ds_adopted() or ds_decline().
 *
 * Context: process context (probe).
 * Return: the record, or NULL with *@reason set to a DS_COLD_* value.
 */
struct ds_incoming *ds_lookup(struct pci_dev *pdev,
			      const char *state_compatible,
			      enum ds_reason *reason);

/**
 * ds_incoming_record() - the decoded record behind an incoming handle
 * @in: from ds_lookup()
 *
 * Return: the record, valid until ds_adopted() or ds_decline().
 */
const struct ds_record *ds_incoming_record(const struct ds_incoming *in);

/**
 * ds_restore_u32() - read a u32 the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @val: out: the value
 *
 * Return: 0, -ENOENT when absent, -EINVAL when its length is not 4.
 */
int ds_restore_u32(const struct ds_incoming *in, const char *name, u32 *val);

/**
 * ds_restore_u64() - read a u64 the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @val: out: the value
 *
 * Return: 0, -ENOENT when absent, -EINVAL when its length is not 8.
 */
int ds_restore_u64(const struct ds_incoming *in, const char *name, u64 *val);

/**
 * ds_restore_string() - copy a string the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @buf: destination
 * @size: size of @buf
 *
 * Return: the string length, -ENOENT, -EINVAL when not NUL-terminated,
 * -ENOSPC when it does not fit @buf.
 */
int ds_restore_string(const struct ds_incoming *in, const char *name,
		      char *buf, size_t size);

/**
 * ds_restore_bytes() - copy bytes the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @buf: destination
 * @len: exact expected length
 *
 * Return: 0, -ENOENT, -EINVAL when the stored length differs from @len.
 */
int ds_restore_bytes(const struct ds_incoming *in, const char *name,
		     void *buf, size_t len);

/**
 * ds_adopted() - tell devstate the driver has adopted the live device
 * @in: from ds_lookup(); consumed
 *
 * Counts the device as adopted. Preserved DMA buffers of the record that
 * were not reclaimed with ds_dma_reclaim() are released at ds_finish().
 */
void ds_adopted(struct ds_incoming *in);

/**
 * ds_decline() - refuse adoption after all; the device goes cold
 * @in: from ds_lookup(); consumed
 * @why: a short reason for the log and the status file
 */
void ds_decline(struct ds_incoming *in, const char *why);

/**
 * struct ds_dma_buf - a DMA buffer that lives in the preserved region
 * @vaddr: kernel virtual address
 * @dma: the address the device uses
 * @phys: CPU physical address, inside the region's pool
 * @size: bytes, a multiple of PAGE_SIZE
 * @name: the name it is recorded and reclaimed under
 */
struct ds_dma_buf {
	void *vaddr;
	dma_addr_t dma;
	phys_addr_t phys;
	size_t size;
	char name[DS_DMA_NAME_MAX];
};

/**
 * ds_dma_alloc_preserved() - allocate a DMA buffer that survives kexec
 * @dev: the registration
 * @name: the name to record it under, unique per device, 1..31 characters
 * @size: bytes; rounded up to PAGE_SIZE
 *
 * The buffer comes from the preserved region's pool, is zeroed, and is
 * listed in the device's record at freeze.
 *
 * Return: the buffer, or ERR_PTR(-ENODEV) when no region is configured,
 * -ENOMEM when the pool is full, -EEXIST for a duplicate name, -EBUSY once
 * frozen.
 */
struct ds_dma_buf *ds_dma_alloc_preserved(struct ds_device *dev,
					  const char *name, size_t size);

/**
 * ds_dma_reclaim() - take back a preserved buffer in the next kernel
 * @dev: the new registration of the adopted device
 * @in: the device's incoming record
 * @name: the buffer's name
 *
 * The buffer is returned at the same physical and bus address with its
 * contents as the device and the previous kernel left them.
 *
 * Return: the buffer, or ERR_PTR(-ENOENT) when the record lists no such
 * buffer, -EINVAL when it lies outside the pool, -EBUSY while frozen.
 */
struct ds_dma_buf *ds_dma_reclaim(struct ds_device *dev,
				  struct ds_incoming *in, const char *name);

/**
 * ds_dma_free_preserved() - give a preserved buffer back to the pool
 * @dev: the registration holding it
 * @buf: the buffer; NULL is ignored
 */
void ds_dma_free_preserved(struct ds_device *dev, struct ds_dma_buf *buf);

/**
 * ds_keepalive_armed() - is a keep-alive kexec under way?
 *
 * Context: any context. A driver's .shutdown uses it to choose between
 * keeping the device alive and its usual quiesce.
 *
 * Return: true between a successful freeze and a thaw.
 */
bool ds_keepalive_armed(void);

/**
 * ds_shutdown_keepalive() - keep a device running through kexec shutdown
 * @pdev: the device, from the driver's .shutdown
 *
 * Call instead of resetting or quiescing the device. devstate keeps the
 * device's bus mastering enabled through the rest of the shutdown, which on
 * a stock 6.1 kernel would clear it (see docs/porting-guide.md).
 */
void ds_shutdown_keepalive(struct pci_dev *pdev);

/**
 * ds_finish() - release what no driver claimed
 *
 * Records no probe claimed go cold and the preserved buffers they listed
 * return to the pool. Called by the operator or by a delayed fallback.
 */
void ds_finish(void);

#endif /* DEVSTATE_DRIVER_H */
