/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devstate.ko internals: the state the kernel-only core shares between its
 * files. Nothing here is exported; drivers see only <devstate/driver.h>.
 *
 * Locking, one rule: ds.lock (a mutex) is the outer lock and guards
 * everything below except the pool bitmap; ds_pool.lock is the inner lock and
 * guards only the bitmap. Code holding ds_pool.lock never takes ds.lock.
 * Driver ->save callbacks run under ds.lock, so they must not call back into
 * ds_register()/ds_unregister()/ds_dma_*(). The keep-alive list is touched at
 * shutdown with interrupts off and has its own spinlock.
 */
#ifndef DS_CORE_H
#define DS_CORE_H

#define pr_fmt(fmt) "devstate: " fmt

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <devstate/driver.h>
#include "ds_compat.h"	/* every file with an export needs DS_COMPAT_SYMBOL_NS */

/* Blob area: a quarter of the region, at least a page (see kernel-core.md). */
#define DS_BLOB_SHARE_DIV	4

struct ds_device {
	struct list_head node;		/* in ds.devices */
	struct pci_dev *pdev;		/* holds a reference */
	const struct ds_driver_ops *ops;
	void *priv;
	struct list_head bufs;		/* struct ds_buf_entry */
	unsigned int nr_bufs;
};

struct ds_buf_entry {
	struct list_head node;
	struct ds_dma_buf buf;		/* handed to the driver */
};

/* What became of one record the previous kernel left. */
enum ds_in_state {
	DS_IN_UNCLAIMED = 0,
	DS_IN_PENDING,		/* ds_lookup() handed it out */
	DS_IN_ADOPTED,
	DS_IN_COLD,		/* declined, or released by ds_finish() */
};

struct ds_incoming {
	struct ds_record rec;
	int read_err;		/* ds_record_read() result, 0 when usable */
	enum ds_in_state state;
	u32 held;		/* bit i: pool pages of rec.dma[i] are held */
};

/* A device that went down the cold path, for the status file. */
struct ds_cold_entry {
	struct list_head node;
	u32 domain;
	u8 bus, devfn;
	enum ds_reason reason;
};

struct ds_state {
	struct mutex lock;		/* the outer lock, see the top */
	struct list_head devices;	/* struct ds_device */
	bool frozen;
	bool finished;

	/* The region, or va == NULL without one. */
	void *va;
	phys_addr_t phys;
	u64 size;
	u64 blob_offset, blob_max;
	u64 pool_offset, pool_size;
	u64 generation;			/* of the last sealed blob we know */

	/* Outgoing side. */
	u32 blob_size;			/* sealed blob, 0 when not frozen */
	u32 records_out;
	u64 freeze_us;

	/* Incoming side. */
	void *in_blob;			/* kvmalloc'ed copy, or NULL */
	u32 in_blob_size;
	struct ds_blob blob;		/* valid when in_blob != NULL */
	struct ds_incoming *in;		/* one per indexed record */
	u32 nr_in;
	int in_error;			/* why there is no incoming blob */
	enum ds_reason in_reason;	/* DS_ADOPT when a blob was taken */
	bool quarantine;		/* free pool held: blob or a record unreadable */
	u64 in_validate_us;
	u32 adopted, cold;
	struct list_head cold_list;	/* struct ds_cold_entry */
};

extern struct ds_state ds;

/* region.c */
int ds_region_setup(const char *param);
void ds_region_teardown(void);
void ds_incoming_load(void);
void ds_incoming_commit(void);
int ds_region_prepare_write(void);

/* pool.c */
int ds_pool_init(u64 pool_size);
void ds_pool_exit(void);
int ds_pool_alloc(unsigned long nr_pages, unsigned long *first);
void ds_pool_free(unsigned long first, unsigned long nr_pages);
int ds_pool_hold(u64 offset, u64 size);
int ds_pool_quarantine(void);
unsigned long ds_pool_release_quarantine(void);

/* capture.c */
int ds_capture(struct ds_device *dev, struct ds_record *r);
u32 ds_capture_bars(struct pci_dev *pdev, struct ds_bar *bars);
int ds_capture_bridges(struct pci_dev *pdev, u32 *bridges);

/* freeze.c */
bool ds_dma_direct_ok(struct pci_dev *pdev);
int ds_freeze(void);
void ds_thaw(void);

/* lookup.c */
void ds_incoming_release_all(void);
void ds_note_cold(u32 domain, u8 bus, u8 devfn, enum ds_reason reason);
void ds_finish_locked(void);
void ds_finish_timer_start(unsigned int seconds);
void ds_finish_timer_stop(void);

/* keepalive.c */
int ds_keepalive_init(void);
void ds_keepalive_exit(void);

/* control.c */
int ds_control_init(void);
void ds_control_exit(void);

/* debugfs.c */
void ds_debugfs_init(void);
void ds_debugfs_exit(void);
#ifdef DS_TESTING
extern bool ds_test_no_restore;
void ds_test_apply(struct pci_dev *pdev, struct ds_record *r);
void ds_test_clear(void);
#else
static inline void ds_test_apply(struct pci_dev *pdev, struct ds_record *r) { }
static inline void ds_test_clear(void) { }
#endif

/* Map a shared-code DS_ERR_* (negative) to an errno for kernel callers. */
int ds_err_to_errno(int err);

static inline u64 ds_us_since(u64 start_ns)
{
	return div_u64(ktime_get_ns() - start_ns, NSEC_PER_USEC);
}

#endif /* DS_CORE_H */
