/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devstate.ko internals: what the kernel-only core's files offer each other.
 * Nothing here is exported; drivers see only <devstate/driver.h>.
 *
 * Every piece of state is static in the one file that creates and frees it,
 * and other files reach it only through the functions declared below:
 *
 *   main.c      the outer lock (ds_lock()), the module parameters
 *   region.c    the region: its mapping, layout, header and generation
 *   pool.c      the page bitmap of the DMA pool (and the pool's addresses)
 *   freeze.c    the outgoing side: registrations, their preserved buffers,
 *               the frozen state and the sealed blob's size
 *   lookup.c    the incoming side: the copy of the previous kernel's blob,
 *               its records and their claim state, the cold list, finish
 *   keepalive.c the keep-alive list of the kexec path
 *
 * Locking, one rule: main.c's mutex, taken with ds_lock(), is the outer lock
 * and guards everything above except the pool bitmap and the keep-alive list;
 * pool.c's own mutex is the inner lock and guards only the bitmap. Code
 * holding the pool mutex never calls ds_lock(). Driver ->save callbacks run
 * under ds_lock(), so they must not call back into ds_register()/
 * ds_unregister()/ds_dma_*(). The keep-alive list is touched at shutdown
 * with interrupts off and has its own spinlock. The incoming blob copy is
 * immutable from load to unload and read without a lock.
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
	struct list_head node;		/* in freeze.c's list of registrations */
	struct pci_dev *pdev;		/* holds a reference */
	/* the driver's, copied as far as its size: later members are 0 */
	struct ds_driver_ops ops;
	unsigned int nr_state_names;	/* in ops.state_names */
	void *priv;
	struct list_head bufs;		/* struct ds_buf_entry */
	unsigned int nr_bufs;
	bool recorded;			/* in the sealed blob (freeze.c) */
};

struct ds_buf_entry {
	struct list_head node;
	struct ds_dma_buf buf;		/* handed to the driver */
	/* the record it was reclaimed from, NULL when allocated here */
	const struct ds_incoming *from;
};

/*
 * The status file's numbers (debugfs.c), each part filled by its owner
 * under ds_lock().
 */
struct ds_status {
	/* region.c */
	bool region;			/* false: no region= */
	u64 region_size;
	phys_addr_t region_phys;
	u64 generation;			/* of the last sealed blob we know */
	/* freeze.c */
	bool frozen;
	u32 records_out;
	u64 freeze_us;
	/* lookup.c */
	u32 records_in;
	u32 adopted, cold;
	u64 in_validate_us;
	int in_error;			/* DS_ERR_*: why no blob was taken */
	enum ds_reason in_reason;	/* adopt, no-region or blob-rejected */
	bool finished;
	bool quarantine;
	/*
	 * The pool's pages, those taken, and who took them: registered
	 * devices' buffers (freeze.c), pages incoming records still hold
	 * (lookup.c), the quarantine (pool.c). The three are disjoint and
	 * add up to pool_used; the stress-lifecycle scenario checks it.
	 */
	unsigned long pool_pages, pool_used;
	unsigned long pool_buffers, pool_held, pool_quarantine;
};

struct seq_file;

/* main.c: the outer lock. */
void ds_lock(void);
void ds_unlock(void);
void ds_assert_locked(void);

/* region.c */
int ds_region_setup(const char *param);
void ds_region_teardown(void);
bool ds_region_present(void);
int ds_region_read_incoming(struct ds_region_view *v);
void ds_region_commit(bool adopted);
int ds_region_begin_blob(struct ds_blob_info *info, u8 **blob, u64 *max);
int ds_region_seal_blob(u32 size);
int ds_region_recrc(void);
int ds_region_sealed_intact(void);
int ds_region_thaw(void);
void *ds_region_blob(void);
const void *ds_region_head(size_t *len);
void ds_region_status(struct ds_status *st);
#ifdef DS_TESTING
int ds_region_reseal(u32 size);
#endif

/* pool.c */
int ds_pool_init(phys_addr_t base, void *va, u64 size);
void ds_pool_exit(void);
int ds_pool_alloc(unsigned long nr_pages, phys_addr_t *phys, void **va);
void ds_pool_free(phys_addr_t phys, u64 size);
int ds_pool_hold(phys_addr_t phys, u64 size);
void *ds_pool_va(phys_addr_t phys);
#ifdef DS_TESTING
u32 ds_pool_crc(void);
#endif
int ds_pool_quarantine(void);
void ds_pool_status(struct ds_status *st);
unsigned long ds_pool_release_quarantine(void);

/* capture.c */
int ds_capture(struct ds_device *dev, struct ds_record *r,
	       struct ds_vector *more);
u32 ds_capture_bars(struct pci_dev *pdev, struct ds_bar *bars);
int ds_capture_bridges(struct pci_dev *pdev, u32 *bridges);

/* freeze.c */
bool ds_dma_direct_ok(struct pci_dev *pdev);
dma_addr_t ds_dma_bus_addr(struct pci_dev *pdev, phys_addr_t phys);
int ds_freeze(void);
void ds_thaw(void);
bool ds_frozen(void);
bool ds_device_frozen(struct pci_dev *pdev);
int ds_mark_kept_alive(struct pci_dev *pdev);
unsigned int ds_release_reclaimed(const struct ds_incoming *in);
void *ds_outgoing_blob(u32 *size);
void ds_outgoing_status(struct ds_status *st);

/* lookup.c */
void ds_incoming_load(void);
void ds_incoming_commit(void);
void ds_incoming_release_all(void);
const void *ds_incoming_blob(u32 *size);
void ds_incoming_status(struct ds_status *st);
void ds_incoming_show_cold(struct seq_file *m);
void ds_incoming_show_records(struct seq_file *m);
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
