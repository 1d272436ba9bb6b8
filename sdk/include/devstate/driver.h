/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devstate driver API: what a PCI driver calls to keep its device alive
 * across a kexec. See docs/porting-guide.md and drivers/examples/.
 *
 * Outgoing kernel                       Incoming kernel
 *   probe:    ds_register()               probe: in = ds_lookup()
 *             ds_dma_alloc_preserved()           in ? adopt : cold init
 *   freeze:   ops->save() adds state             ds_register()
 *   shutdown: kept = ds_shutdown_keepalive()     ds_dma_reclaim(), ds_adopted()
 *                                         later: ds_finish()
 *
 * A driver built with this header does not need devstate.ko to load. Each
 * ds_*() call below is an inline wrapper that finds devstate.ko's table of
 * entry points, struct ds_driver_api, with symbol_get() and drops it with
 * symbol_put() (the way virt/kvm/vfio.c calls into vfio), so the driver
 * has no link-time dependency on devstate.ko. Without devstate.ko,
 * ds_lookup() says DS_COLD_NO_DEVSTATE, ds_register() returns NULL and the
 * device takes the cold path on every boot. A registration and a record
 * returned by ds_lookup() each keep devstate.ko loaded until
 * ds_unregister(), ds_adopted() or ds_decline(), as a link-time dependency
 * would.
 *
 * A driver that wants the link-time dependency instead (it then loads only
 * after devstate.ko, and needs devstate's Module.symvers to build) defines
 * DEVSTATE_DIRECT before including this header and sees the plain
 * prototypes of the same functions. devstate.ko itself is built with
 * DEVSTATE_CORE defined and sees those prototypes too. See "Building your
 * driver against an installed devstate" in docs/porting-guide.md.
 */
#ifndef DEVSTATE_DRIVER_H
#define DEVSTATE_DRIVER_H

#include <linux/err.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <linux/version.h>
#include <devstate/blob.h>
#include <devstate/match.h>	/* enum ds_reason */

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
 * @state_names: every property name @save may write, as a NULL-terminated
 *	list of at most DS_MAX_STATE_NAMES names; must outlive the
 *	registration. ds_register() checks each name with the rule of
 *	ds_save_u32() and refuses the registration for a bad one, so a
 *	misspelt name fails at the first probe, not at the first kexec; at
 *	freeze, ds_save_*() then refuses a name the list does not hold. A list
 *	without its NULL is caught only as too long (more than
 *	DS_MAX_STATE_NAMES entries), if reading that far does not fault first.
 *	NULL: names are checked at freeze only, as before this member existed.
 *
 * Members are only ever appended: ds_register() passes sizeof() of the
 * struct the driver was built with, so devstate.ko never reads past the end
 * of an older driver's.
 */
struct ds_driver_ops {
	const char *state_compatible;
	int (*save)(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv);
	const char *const *state_names;
};

/* The longest ds_driver_ops.state_names list ds_register() accepts. */
#define DS_MAX_STATE_NAMES	64

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
 * struct ds_driver_api - devstate.ko's entry points, as one exported table
 * @size: sizeof() of the table devstate.ko was built with. Members are only
 *	ever appended: a driver built against a newer header than the loaded
 *	devstate.ko sees a smaller @size and treats devstate as absent.
 * @register_device: ds_register() as drivers built before @register_ops
 *	call it: @ops is read as far as ds_driver_ops.save, without
 *	ds_driver_ops.state_names
 * @unregister_device: ds_unregister()
 * @save_u32: ds_save_u32()
 * @save_u64: ds_save_u64()
 * @save_string: ds_save_string()
 * @save_bytes: ds_save_bytes()
 * @lookup: ds_lookup()
 * @incoming_record: ds_incoming_record()
 * @restore_u32: ds_restore_u32()
 * @restore_u64: ds_restore_u64()
 * @restore_string: ds_restore_string()
 * @restore_bytes: ds_restore_bytes()
 * @adopted: ds_adopted()
 * @decline: ds_decline()
 * @dma_alloc_preserved: ds_dma_alloc_preserved()
 * @dma_reclaim: ds_dma_reclaim()
 * @dma_free_preserved: ds_dma_free_preserved()
 * @keepalive_armed: ds_keepalive_armed()
 * @shutdown_keepalive: ds_shutdown_keepalive()
 * @finish: ds_finish()
 * @reason_str: ds_reason_str()
 * @register_ops: ds_register_ops(), which ds_register() calls with the
 *	sizeof() of the driver's struct ds_driver_ops
 *
 * One symbol_get() finds all of them, so a driver has no undefined symbol
 * of devstate.ko and loads without it. The same functions are exported one
 * by one as well, for code that wants the link-time dependency.
 */
struct ds_driver_api {
	size_t size;
	struct ds_device *(*register_device)(struct pci_dev *pdev,
					     const struct ds_driver_ops *ops,
					     void *priv);
	void (*unregister_device)(struct ds_device *dev);
	int (*save_u32)(struct ds_save_ctx *ctx, const char *name, u32 val);
	int (*save_u64)(struct ds_save_ctx *ctx, const char *name, u64 val);
	int (*save_string)(struct ds_save_ctx *ctx, const char *name,
			   const char *s);
	int (*save_bytes)(struct ds_save_ctx *ctx, const char *name,
			  const void *data, size_t len);
	struct ds_incoming *(*lookup)(struct pci_dev *pdev,
				      const char *state_compatible,
				      enum ds_reason *reason);
	const struct ds_record *(*incoming_record)(const struct ds_incoming *in);
	int (*restore_u32)(const struct ds_incoming *in, const char *name,
			   u32 *val);
	int (*restore_u64)(const struct ds_incoming *in, const char *name,
			   u64 *val);
	int (*restore_string)(const struct ds_incoming *in, const char *name,
			      char *buf, size_t size);
	int (*restore_bytes)(const struct ds_incoming *in, const char *name,
			     void *buf, size_t len);
	void (*adopted)(struct ds_incoming *in);
	void (*decline)(struct ds_incoming *in, const char *why);
	struct ds_dma_buf *(*dma_alloc_preserved)(struct ds_device *dev,
						  const char *name, size_t size);
	struct ds_dma_buf *(*dma_reclaim)(struct ds_device *dev,
					  struct ds_incoming *in,
					  const char *name);
	void (*dma_free_preserved)(struct ds_device *dev,
				   struct ds_dma_buf *buf);
	bool (*keepalive_armed)(void);
	bool (*shutdown_keepalive)(struct pci_dev *pdev);
	void (*finish)(void);
	const char *(*reason_str)(enum ds_reason reason);
	struct ds_device *(*register_ops)(struct pci_dev *pdev,
					  const struct ds_driver_ops *ops,
					  size_t ops_size, void *priv);
};

/* The table; drivers only ever name it inside symbol_get(). */
extern const struct ds_driver_api ds_driver_api;

#ifndef DEVSTATE_CORE
/*
 * The exports live in the symbol namespace DEVSTATE; importing it here
 * means no driver can forget to, whether it calls through the wrappers
 * below or directly. The argument is a bare token up to 6.12 and a
 * string literal since 6.13. devstate.ko's exports adapt the same change
 * in its own compat header (sdk/core/kernel/ds_compat.h), which is not
 * installed: this is the drivers' one place for it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("DEVSTATE");
#else
MODULE_IMPORT_NS(DEVSTATE);
#endif
#endif

#if defined(DEVSTATE_CORE) || defined(DEVSTATE_DIRECT)
/*
 * devstate.ko's side, and a DEVSTATE_DIRECT driver's: the functions the
 * table points to, documented below.
 */

/**
 * ds_register_ops() - ds_register(), told the size of the driver's ops
 * @pdev: the device, bound to the caller's driver
 * @ops: the driver's hooks; must outlive the registration
 * @ops_size: sizeof(*@ops) as the driver was built: members past it are
 *	taken as zero
 * @priv: passed back to @ops->save
 *
 * Drivers call ds_register(), which passes @ops_size for them.
 *
 * Context: process context, may sleep.
 * Return: as ds_register(); also ERR_PTR(-EINVAL) when @ops_size does not
 * reach ds_driver_ops.save, ERR_PTR(-E2BIG) when it is larger than this
 * devstate knows and a member it does not know is set.
 */
struct ds_device *ds_register_ops(struct pci_dev *pdev,
				  const struct ds_driver_ops *ops,
				  size_t ops_size, void *priv);
#ifdef DEVSTATE_CORE
/*
 * The symbol ds_register is the ABI of DEVSTATE_DIRECT drivers built before
 * ds_driver_ops.state_names existed: their struct ends at .save, so this
 * export reads only that far (it is ds_register_ops() with that size), and
 * stays exported under its old name for them.
 */
struct ds_device *ds_register(struct pci_dev *pdev,
			      const struct ds_driver_ops *ops, void *priv);
#else
/*
 * A DEVSTATE_DIRECT driver built with this header calls ds_register_ops()
 * with the size of its own struct ds_driver_ops; it never links to the
 * symbol ds_register, whose old-size reading would drop its state_names.
 * Against a devstate.ko that predates state_names it then fails to load
 * ("Unknown symbol ds_register_ops") instead of losing the check silently.
 * Documented with the wrappers' ds_register() below.
 */
static inline struct ds_device *ds_register(struct pci_dev *pdev,
					    const struct ds_driver_ops *ops,
					    void *priv)
{
	return ds_register_ops(pdev, ops, sizeof(*ops), priv);
}
#endif
void ds_unregister(struct ds_device *dev);
int ds_save_u32(struct ds_save_ctx *ctx, const char *name, u32 val);
int ds_save_u64(struct ds_save_ctx *ctx, const char *name, u64 val);
int ds_save_string(struct ds_save_ctx *ctx, const char *name, const char *s);
int ds_save_bytes(struct ds_save_ctx *ctx, const char *name,
		  const void *data, size_t len);
struct ds_incoming *ds_lookup(struct pci_dev *pdev,
			      const char *state_compatible,
			      enum ds_reason *reason);
const struct ds_record *ds_incoming_record(const struct ds_incoming *in);
int ds_restore_u32(const struct ds_incoming *in, const char *name, u32 *val);
int ds_restore_u64(const struct ds_incoming *in, const char *name, u64 *val);
int ds_restore_string(const struct ds_incoming *in, const char *name,
		      char *buf, size_t size);
int ds_restore_bytes(const struct ds_incoming *in, const char *name,
		     void *buf, size_t len);
void ds_adopted(struct ds_incoming *in);
void ds_decline(struct ds_incoming *in, const char *why);
struct ds_dma_buf *ds_dma_alloc_preserved(struct ds_device *dev,
					  const char *name, size_t size);
struct ds_dma_buf *ds_dma_reclaim(struct ds_device *dev,
				  struct ds_incoming *in, const char *name);
void ds_dma_free_preserved(struct ds_device *dev, struct ds_dma_buf *buf);
bool ds_keepalive_armed(void);
bool ds_shutdown_keepalive(struct pci_dev *pdev);
void ds_finish(void);

#else /* a driver calling through the wrappers */

/*
 * __ds_api_get() - devstate.ko's table and a reference on the module, or
 * NULL when it is not loaded (or is older than this header). Every
 * successful call is paired with __ds_api_put().
 */
static inline const struct ds_driver_api *__ds_api_get(void)
{
	const struct ds_driver_api *api = symbol_get(ds_driver_api);

	if (api && api->size < sizeof(*api)) {
		symbol_put(ds_driver_api);
		return NULL;
	}
	return api;
}

static inline void __ds_api_put(void)
{
	symbol_put(ds_driver_api);
}

/**
 * ds_register() - ask devstate to preserve a device across kexec
 * @pdev: the device, bound to the caller's driver
 * @ops: the driver's hooks; must outlive the registration
 * @priv: passed back to @ops->save
 *
 * The registration keeps devstate.ko loaded until ds_unregister().
 *
 * Context: process context, may sleep.
 * Return: the registration; NULL when devstate.ko is not loaded (the
 * device works, without keep-alive; every call taking a registration
 * accepts NULL); ERR_PTR(-EINVAL) when @pdev, @ops or
 * @ops->state_compatible is NULL, or when @ops->state_names holds a name
 * ds_save_u32() would refuse or more than DS_MAX_STATE_NAMES names (logged,
 * naming the device and the name); ERR_PTR(-ENOMEM), ERR_PTR(-EBUSY) once
 * frozen, ERR_PTR(-EEXIST) if @pdev is already registered.
 */
static inline struct ds_device *ds_register(struct pci_dev *pdev,
					    const struct ds_driver_ops *ops,
					    void *priv)
{
	const struct ds_driver_api *api = __ds_api_get();
	struct ds_device *dev;

	if (!api)
		return NULL;
	dev = api->register_ops(pdev, ops, sizeof(*ops), priv);
	if (IS_ERR(dev))
		__ds_api_put();
	return dev;
}

/**
 * ds_unregister() - stop preserving a device
 * @dev: a registration from ds_register(); NULL or an ERR_PTR is ignored
 *
 * Frees the preserved DMA buffers the device still holds. Waits for a
 * freeze in progress to finish with the device. Releases the hold the
 * registration had on devstate.ko.
 */
static inline void ds_unregister(struct ds_device *dev)
{
	const struct ds_driver_api *api;

	if (IS_ERR_OR_NULL(dev))
		return;
	api = __ds_api_get();
	if (WARN_ON_ONCE(!api))	/* @dev holds devstate.ko */
		return;
	api->unregister_device(dev);
	__ds_api_put();
	__ds_api_put();		/* the registration's */
}

/**
 * ds_save_u32() - add a u32 property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name: 1..31 characters of [a-z0-9,._+-]; not one the
 *	device tree reserves ("compatible", "name", "phandle"); one of
 *	ds_driver_ops.state_names when the driver declared them
 * @val: the value
 *
 * Return: 0, -EINVAL for a bad or undeclared name or a @ctx that is not
 * inside ->save, -ENOSPC when the blob area is full.
 */
static inline int ds_save_u32(struct ds_save_ctx *ctx, const char *name,
			      u32 val)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;	/* not reached: ->save runs in devstate.ko */
	ret = api->save_u32(ctx, name, val);
	__ds_api_put();
	return ret;
}

/**
 * ds_save_u64() - add a u64 property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @val: the value
 *
 * Return: 0, -EINVAL for a bad or undeclared name or @ctx, -ENOSPC when
 * the blob area is full.
 */
static inline int ds_save_u64(struct ds_save_ctx *ctx, const char *name,
			      u64 val)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->save_u64(ctx, name, val);
	__ds_api_put();
	return ret;
}

/**
 * ds_save_string() - add a string property to the driver's private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @s: NUL-terminated string
 *
 * Return: 0, -EINVAL for a bad or undeclared name or @ctx or a NULL @s,
 * -ENOSPC when the blob area is full.
 */
static inline int ds_save_string(struct ds_save_ctx *ctx, const char *name,
				 const char *s)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->save_string(ctx, name, s);
	__ds_api_put();
	return ret;
}

/**
 * ds_save_bytes() - add an opaque byte property to the private state
 * @ctx: the context passed to ->save
 * @name: property name, as for ds_save_u32()
 * @data: the bytes
 * @len: their count, at most 4096
 *
 * Return: 0, -EINVAL for a bad or undeclared name or @ctx, @len over 4096
 * or a NULL @data with a non-zero @len, -ENOSPC when the blob area is full.
 */
static inline int ds_save_bytes(struct ds_save_ctx *ctx, const char *name,
				const void *data, size_t len)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->save_bytes(ctx, name, data, len);
	__ds_api_put();
	return ret;
}

/**
 * ds_lookup() - find the record the previous kernel left for a device
 * @pdev: the live device being probed
 * @state_compatible: the driver's private-state compatible it can read
 * @reason: out: DS_ADOPT, or why the device must take the cold path
 *
 * The record is returned only when its PCI position, vendor/device and
 * subsystem IDs, class, revision, bridge chain and every BAR's start, size
 * and flags match @pdev, and its driver-state is @state_compatible. The
 * caller must then call exactly one of ds_adopted() or ds_decline(); until
 * then the record keeps devstate.ko loaded.
 *
 * Context: process context (probe).
 * Return: the record, or NULL with *@reason set to a DS_COLD_* value:
 * DS_COLD_NO_DEVSTATE when devstate.ko is not loaded, DS_COLD_NO_RECORD
 * for a NULL @pdev.
 */
static inline struct ds_incoming *ds_lookup(struct pci_dev *pdev,
					    const char *state_compatible,
					    enum ds_reason *reason)
{
	const struct ds_driver_api *api = __ds_api_get();
	struct ds_incoming *in;

	if (!api) {
		if (reason)
			*reason = DS_COLD_NO_DEVSTATE;
		return NULL;
	}
	in = api->lookup(pdev, state_compatible, reason);
	if (!in)
		__ds_api_put();	/* else kept until ds_adopted()/ds_decline() */
	return in;
}

/**
 * ds_incoming_record() - the decoded record behind an incoming handle
 * @in: from ds_lookup()
 *
 * Return: the record, valid until ds_adopted() or ds_decline(); NULL for a
 * NULL @in.
 */
static inline const struct ds_record *
ds_incoming_record(const struct ds_incoming *in)
{
	const struct ds_driver_api *api;
	const struct ds_record *rec;

	if (!in)
		return NULL;
	api = __ds_api_get();
	if (!api)
		return NULL;
	rec = api->incoming_record(in);
	__ds_api_put();
	return rec;
}

/**
 * ds_restore_u32() - read a u32 the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @val: out: the value
 *
 * Return: 0, -ENOENT when absent, -EINVAL when its length is not 4 or @in
 * or @name is NULL, -EIO when the record's tree is damaged (validated at
 * load, so not expected).
 */
static inline int ds_restore_u32(const struct ds_incoming *in,
				 const char *name, u32 *val)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;	/* not reached: @in holds devstate.ko */
	ret = api->restore_u32(in, name, val);
	__ds_api_put();
	return ret;
}

/**
 * ds_restore_u64() - read a u64 the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @val: out: the value
 *
 * Return: 0, -ENOENT when absent, -EINVAL when its length is not 8 or @in
 * or @name is NULL, -EIO when the record's tree is damaged.
 */
static inline int ds_restore_u64(const struct ds_incoming *in,
				 const char *name, u64 *val)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->restore_u64(in, name, val);
	__ds_api_put();
	return ret;
}

/**
 * ds_restore_string() - copy a string the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @buf: destination
 * @size: size of @buf
 *
 * Return: the string length, -ENOENT when absent, -EINVAL when not
 * NUL-terminated or @in or @name is NULL, -ENOSPC when it does not fit
 * @buf, -EIO when the record's tree is damaged.
 */
static inline int ds_restore_string(const struct ds_incoming *in,
				    const char *name, char *buf, size_t size)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->restore_string(in, name, buf, size);
	__ds_api_put();
	return ret;
}

/**
 * ds_restore_bytes() - copy bytes the previous kernel's ->save wrote
 * @in: from ds_lookup()
 * @name: the property name
 * @buf: destination
 * @len: exact expected length
 *
 * Return: 0, -ENOENT when absent, -EINVAL when the stored length differs
 * from @len or @in or @name is NULL, -EIO when the record's tree is
 * damaged.
 */
static inline int ds_restore_bytes(const struct ds_incoming *in,
				   const char *name, void *buf, size_t len)
{
	const struct ds_driver_api *api = __ds_api_get();
	int ret;

	if (!api)
		return -ENODEV;
	ret = api->restore_bytes(in, name, buf, len);
	__ds_api_put();
	return ret;
}

/**
 * ds_adopted() - tell devstate the driver has adopted the live device
 * @in: from ds_lookup(); consumed; NULL is ignored
 *
 * Counts the device as adopted. Preserved DMA buffers of the record that
 * were not reclaimed with ds_dma_reclaim() are released at ds_finish().
 */
static inline void ds_adopted(struct ds_incoming *in)
{
	const struct ds_driver_api *api;

	if (!in)
		return;
	api = __ds_api_get();
	if (WARN_ON_ONCE(!api))	/* @in holds devstate.ko */
		return;
	api->adopted(in);
	__ds_api_put();
	__ds_api_put();		/* the record's */
}

/**
 * ds_decline() - refuse adoption after all; the device goes cold
 * @in: from ds_lookup(); consumed; NULL is ignored
 * @why: a short reason for the log and the status file
 *
 * The buffers already reclaimed from @in go back to the pool (the pointers
 * ds_dma_reclaim() returned for them are then invalid), so the cold path
 * can allocate under the same names. Stop the device's DMA first.
 */
static inline void ds_decline(struct ds_incoming *in, const char *why)
{
	const struct ds_driver_api *api;

	if (!in)
		return;
	api = __ds_api_get();
	if (WARN_ON_ONCE(!api))
		return;
	api->decline(in, why);
	__ds_api_put();
	__ds_api_put();		/* the record's */
}

/**
 * ds_dma_alloc_preserved() - allocate a DMA buffer that survives kexec
 * @dev: the registration
 * @name: the name to record it under, unique per device, 1..31 characters
 * @size: bytes; rounded up to PAGE_SIZE
 *
 * The buffer comes from the preserved region's pool, is zeroed, and is
 * listed in the device's record at freeze. Set the device's DMA mask
 * first: the pool's address is checked against it.
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) for a NULL @dev or @name, a
 * zero @size or a bad name, -ENODEV when no region is configured (or
 * devstate.ko is not loaded), -ENOMEM when the pool is full or memory
 * runs out, -EBUSY once frozen, -ENOSPC when the device already holds
 * DS_MAX_DMA_REGIONS buffers, -EEXIST for a duplicate name, -EOPNOTSUPP
 * when the device is behind a translating IOMMU, -ERANGE when the buffer
 * lies beyond the device's DMA mask (set the mask first).
 */
static inline struct ds_dma_buf *
ds_dma_alloc_preserved(struct ds_device *dev, const char *name, size_t size)
{
	const struct ds_driver_api *api = __ds_api_get();
	struct ds_dma_buf *buf;

	if (!api)
		return ERR_PTR(-ENODEV);
	buf = api->dma_alloc_preserved(dev, name, size);
	__ds_api_put();
	return buf;
}

/**
 * ds_dma_reclaim() - take back a preserved buffer in the next kernel
 * @dev: the new registration of the adopted device
 * @in: the device's incoming record
 * @name: the buffer's name
 *
 * The buffer is returned at the same physical and bus address with its
 * contents as the device and the previous kernel left them.
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) for a NULL argument, a record of
 * another device, a buffer outside the pool (or already taken), a device
 * behind a translating IOMMU or a bus address that changed across kexec;
 * -ENOENT when the record lists no such buffer or was released (declined,
 * or ds_finish()); -EBUSY while frozen; -ENOSPC when the device already
 * holds DS_MAX_DMA_REGIONS buffers; -EEXIST when it already holds one of
 * that name; -ENOMEM; -ENODEV when devstate.ko is not loaded.
 */
static inline struct ds_dma_buf *ds_dma_reclaim(struct ds_device *dev,
						struct ds_incoming *in,
						const char *name)
{
	const struct ds_driver_api *api = __ds_api_get();
	struct ds_dma_buf *buf;

	if (!api)
		return ERR_PTR(-ENODEV);
	buf = api->dma_reclaim(dev, in, name);
	__ds_api_put();
	return buf;
}

/**
 * ds_dma_free_preserved() - give a preserved buffer back to the pool
 * @dev: the registration holding it; NULL is ignored
 * @buf: the buffer; NULL is ignored
 */
static inline void ds_dma_free_preserved(struct ds_device *dev,
					 struct ds_dma_buf *buf)
{
	const struct ds_driver_api *api;

	if (IS_ERR_OR_NULL(dev) || IS_ERR_OR_NULL(buf))
		return;
	api = __ds_api_get();
	if (!api)
		return;
	api->dma_free_preserved(dev, buf);
	__ds_api_put();
}

/**
 * ds_keepalive_armed() - is a keep-alive kexec under way?
 *
 * Context: any context. A driver's .shutdown uses it to choose between
 * keeping the device alive and its usual quiesce.
 *
 * Return: true between a successful freeze and a thaw; false when
 * devstate.ko is not loaded.
 */
static inline bool ds_keepalive_armed(void)
{
	const struct ds_driver_api *api = __ds_api_get();
	bool armed;

	if (!api)
		return false;
	armed = api->keepalive_armed();
	__ds_api_put();
	return armed;
}

/**
 * ds_shutdown_keepalive() - keep a device running through kexec shutdown
 * @pdev: the device, from the driver's .shutdown
 *
 * Call first thing in .shutdown, on every shutdown. It returns true when
 * the device is kept alive: the driver then leaves it running (no reset,
 * no quiesce) and only silences its interrupts; devstate keeps its bus
 * mastering enabled through the rest of the shutdown, which on a stock
 * kernel would clear it (see docs/porting-guide.md).
 *
 * It returns false, and the driver must quiesce the device as on any
 * reboot, when no keep-alive kexec is under way, when devstate.ko is not
 * loaded, and when keep-alive is refused: the device was not registered
 * when the blob was sealed, it sits behind a translating IOMMU (its
 * addresses would mean nothing once the IOMMU is off), or too many devices
 * asked. A refusal is logged once, naming the device.
 *
 * Context: .shutdown, process context.
 * Return: true when the device is kept alive.
 */
static inline bool ds_shutdown_keepalive(struct pci_dev *pdev)
{
	const struct ds_driver_api *api = __ds_api_get();
	bool kept;

	if (!api)
		return false;
	kept = api->shutdown_keepalive(pdev);
	__ds_api_put();
	return kept;
}

/**
 * ds_finish() - release what no driver claimed
 *
 * Records no probe claimed go cold and the preserved buffers they listed
 * return to the pool. Called by the operator or by a delayed fallback.
 * Does nothing when devstate.ko is not loaded.
 */
static inline void ds_finish(void)
{
	const struct ds_driver_api *api = __ds_api_get();

	if (!api)
		return;
	api->finish();
	__ds_api_put();
}

/**
 * ds_reason_str() - a short human-readable name of a reason
 * @reason: a value of enum ds_reason
 *
 * Return: a static string ("adopt", "id-mismatch", ...), "unknown reason"
 * for values out of range. Without devstate.ko only the name of
 * DS_COLD_NO_DEVSTATE, the one reason a driver then sees, is known.
 */
static inline const char *ds_reason_str(enum ds_reason reason)
{
	const struct ds_driver_api *api = __ds_api_get();
	const char *s;

	if (!api)
		return reason == DS_COLD_NO_DEVSTATE ? DS_COLD_NO_DEVSTATE_NAME :
						       "unknown reason";
	s = api->reason_str(reason);
	__ds_api_put();
	return s;
}

#endif /* DEVSTATE_CORE || DEVSTATE_DIRECT */

#endif /* DEVSTATE_DRIVER_H */
