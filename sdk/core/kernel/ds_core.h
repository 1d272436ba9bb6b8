/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devstate.ko internals: what the kernel-only core's files offer each other.
 * Nothing here is exported; drivers see only <devstate/driver.h>.
 *
 * Every piece of state is static in the one file that creates and frees it,
 * and other files reach it only through the functions declared below:
 *
 *   main.c      the outer lock (ds_lock()), the module parameters
 *   transport.c which transport carries the handover (ds_transport())
 *   area.c      the header and blob area both transports lay out alike
 *   region.c    the region: its mapping, layout, header and generation
 *   pool.c      the page bitmap of the DMA pool (and the pool's addresses)
 *   kho.c       the Kexec HandOver transport: its blob area, generation
 *               and the list of preserved folios
 *   freeze.c    the outgoing side: registrations, their preserved buffers,
 *               the frozen state and the sealed blob's size
 *   lookup.c    the incoming side: the copy of the previous kernel's blob,
 *               its records and their claim state, the cold list, finish
 *   keepalive.c the keep-alive list of the kexec path
 *
 * Locking, one rule: main.c's mutex, taken with ds_lock(), is the outer lock
 * and guards everything above except the pool bitmap and the keep-alive list;
 * pool.c's own mutex is the inner lock and guards only the bitmap. Code
 * holding the pool mutex never calls ds_lock(); kho.c's folio list has an
 * inner mutex of the same kind. Driver ->save callbacks run
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

/**
 * struct ds_area - a transport's header and blob area (area.c)
 * @name: the transport's name, written into the blob's root
 * @va: the area's first byte, or NULL without one
 * @size: bytes the header's layout spans, pool included
 * @blob_offset: where the blob area starts
 * @blob_max: its bytes
 * @pool_offset: where the pool starts (== @size when there is none)
 * @pool_size: its bytes
 * @generation: of the last sealed blob we know
 */
struct ds_area {
	const char *name;
	void *va;
	u64 size;
	u64 blob_offset, blob_max;
	u64 pool_offset, pool_size;
	u64 generation;
};

int ds_area_layout(struct ds_area *a, u64 size, u64 blob_max);
int ds_area_read(const void *src, u64 size, struct ds_region_view *v);
void ds_area_format(struct ds_area *a);
int ds_area_begin_blob(struct ds_area *a, struct ds_blob_info *info,
		       u8 **blob, u64 *max);
int ds_area_seal_blob(struct ds_area *a, u32 size);
int ds_area_recrc(struct ds_area *a);
int ds_area_sealed_intact(struct ds_area *a);
int ds_area_thaw(struct ds_area *a);
void *ds_area_blob(struct ds_area *a);
const void *ds_area_head(struct ds_area *a, size_t *len);
#ifdef DS_TESTING
int ds_area_reseal(struct ds_area *a, u32 size);
#endif

/* main.c: the outer lock. */
void ds_lock(void);
void ds_unlock(void);
void ds_assert_locked(void);

/**
 * struct ds_transport_ops - how the blob and the preserved DMA buffers
 * cross a kexec
 * @name: for the log and the status file
 * @setup: at load: take the transport's module parameter (the region's
 *	"SIZE@PHYS"; NULL or empty: none; KHO takes none), map or allocate
 *	the area. 0 also when there is nothing to use; an error fails the load
 * @teardown: at unload, and when the load fails after @setup
 * @present: whether there is anything to freeze into
 * @read_incoming: the header the previous kernel left, checked; the blob
 *	it points at is not checked yet. -DS_ERR_NOTFOUND without a
 *	transport, -DS_ERR_REGION_MAGIC when never formatted
 * @commit: after a load that succeeded: mark the handover adopted (true)
 *	or format the header empty (false)
 * @begin_blob: open the blob area for a freeze: fill the root's pool and
 *	call ds_area_begin_blob() on @area
 * @area: the header and blob area (area.c). Sealing, the kexec path's
 *	re-CRC and check, thaw and the debugfs view call ds_area_*() on it
 *	directly: they are the same for every transport. Its va is NULL
 *	without a transport
 * @status: fill the transport's fields of the status file
 * @buf_alloc: take whole pages for a preserved buffer, for a device whose
 *	coherent DMA mask is the first argument (the caller still checks the
 *	result against it); -ENODEV without a transport, -ENOMEM
 * @buf_free: give back a buffer's pages; ignored when they are not ours
 * @buf_hold: keep the pages an incoming record lists from anyone else;
 *	-EINVAL when they are not the transport's, -EEXIST when held
 * @buf_va: the kernel address of a held or allocated page
 * @quarantine: hold every page not held yet (a handover we cannot read)
 * @release_quarantine: give back what @quarantine held; returns pages
 * @buf_status: fill the buffers' fields of the status file
 * @buf_crc: DS_TESTING only: CRC-32C of every buffer page
 *
 * Every operation runs in process context; those that change the header
 * run under ds_lock(). One transport is
 * chosen at load (transport.c) and reached through ds_transport().
 */
struct ds_transport_ops {
	const char *name;
	int (*setup)(const char *param);
	void (*teardown)(void);
	bool (*present)(void);
	int (*read_incoming)(struct ds_region_view *v);
	void (*commit)(bool adopted);
	int (*begin_blob)(struct ds_blob_info *info, u8 **blob, u64 *max);
	struct ds_area *area;
	void (*status)(struct ds_status *st);
	int (*buf_alloc)(u64 mask, unsigned long nr_pages, phys_addr_t *phys,
			 void **va);
	void (*buf_free)(phys_addr_t phys, u64 size);
	int (*buf_hold)(phys_addr_t phys, u64 size);
	void *(*buf_va)(phys_addr_t phys);
	int (*quarantine)(void);
	unsigned long (*release_quarantine)(void);
	void (*buf_status)(struct ds_status *st);
#ifdef DS_TESTING
	u32 (*buf_crc)(void);
#endif
};

/* transport.c */
int ds_transport_setup(const char *want, const char *region);
void ds_transport_teardown(void);
const struct ds_transport_ops *ds_transport(void);
const char *ds_transport_name(void);

/*
 * kho.c: Kexec HandOver, on kernels with the 7.2 API (DS_COMPAT_HAVE_KHO).
 * ds_kho_enabled(): the running kernel has KHO on (kho=on).
 * ds_kho_handover_waiting(): the previous kernel handed a devstate subtree
 * over through KHO (false on kernels without it).
 */
#if DS_COMPAT_HAVE_KHO
extern const struct ds_transport_ops ds_kho_transport;
bool ds_kho_enabled(void);
bool ds_kho_handover_waiting(void);
#else
static inline bool ds_kho_handover_waiting(void) { return false; }
#endif

/* region.c: the memmap= region */
extern const struct ds_transport_ops ds_region_transport;

/* pool.c: the region's buffer allocator, used by region.c only */
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
