/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NVMe example's files share: the queues, the commands in
 * flight, the per-controller state, and the hooks of the test interface.
 *
 * devstate_nvme_main.c is the example: probe, the cold and adopt paths,
 * the save hook, shutdown. devstate_nvme_queue.c holds the queue
 * mechanics both paths use (submit, reap by phase tag, admin commands).
 * devstate_nvme_test.c is the VM tests' window (debugfs, I/O of a
 * pattern, counters), compiled only in DS_TESTING builds; without it the
 * nvme_test_*() hooks below are empty.
 *
 * Register and command layouts come from the kernel's <linux/nvme.h>,
 * which follows the NVMe base specification.
 */
#ifndef DEVSTATE_NVME_H
#define DEVSTATE_NVME_H

#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

/*
 * devstate's types, declared rather than included: <devstate/driver.h>
 * imports devstate's symbol namespace in each file that includes it, so
 * only the files that call devstate include it (the queue file does not).
 */
struct ds_device;
struct ds_dma_buf;
struct ds_save_ctx;

#define NVME_ADMIN_QID		0
#define NVME_IO_QID		1
#define NVME_NR_QUEUES		2	/* admin + one I/O queue pair */
#define NVME_QUEUE_DEPTH	16	/* entries per queue: one page each */
#define NVME_NSID		1
/* One 4 KiB data page per command slot: a single PRP entry, no list. */
#define NVME_NR_SLOTS		4
#define NVME_SLOT_BYTES		4096
/* MSI-X vector of each queue: the admin queue's is polled, never requested. */
#define NVME_ADMIN_VECTOR	0
#define NVME_IO_VECTOR		1

/*
 * One submission/completion queue pair. The queue memory lives in the
 * preserved pool, so the controller finds it where it left it after a
 * kexec; the indices below are the driver's half of the queue state.
 */
struct nvme_queue {
	u16 qid;
	u16 depth;
	struct nvme_command *sq;
	struct nvme_completion *cq;
	dma_addr_t sq_dma, cq_dma;
	u32 __iomem *sq_db;	/* submission tail doorbell */
	u32 __iomem *cq_db;	/* completion head doorbell */
	u16 sq_tail;		/* next entry we fill */
	u16 sq_head;		/* the controller's, from the last completion */
	u16 cq_head;		/* next entry we read */
	u8 phase;		/* phase tag a new entry at cq_head carries */
};

/*
 * Every piece of memory the controller reads or writes, by the name it is
 * preserved under: all of it comes from devstate's pool, or (when the pool
 * cannot have it) none of it does and the controller is never kept alive.
 */
enum nvme_buf_id {
	NVME_BUF_ASQ, NVME_BUF_ACQ, NVME_BUF_IOSQ, NVME_BUF_IOCQ,
	NVME_BUF_IDENT, NVME_BUF_DATA, NVME_NR_BUFS
};

struct nvme_buf {
	struct ds_dma_buf *pbuf;	/* preserved, or NULL */
	void *vaddr;
	dma_addr_t dma;
};

/* A command the I/O queue holds: the slot's data page is its buffer. */
struct nvme_slot {
	bool busy;
	u16 cid;		/* command identifier, unique while busy */
	u8 opcode;		/* nvme_cmd_read or nvme_cmd_write */
	u64 lba;
	u32 cookie;		/* the submitter's, carried across kexec */
	u16 status;		/* of the last completion, 0 = success */
};

/* What identifies the disk, so that the next kernel knows it is the same. */
struct nvme_identity {
	char serial[21];	/* controller serial number, NUL-terminated */
	u64 nsze;		/* namespace 1 size, in blocks */
	u8 eui64[8];		/* zero when the namespace has none */
	u8 nguid[16];
	u32 lba_shift;		/* log2 of the block size */
};

#ifdef DS_TESTING
struct nvme_test;	/* devstate_nvme_test.c's */
#endif

/* One controller; the pci_dev's drvdata. */
struct nvme_ctrl {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct ds_device *ds;		/* devstate registration, or NULL */
	u32 db_stride;			/* bytes between doorbells */
	u32 timeout_ms;			/* CAP.TO: enable/disable limit */

	struct mutex admin_lock;	/* one admin command at a time */
	struct nvme_queue admin;
	u16 admin_cid;

	spinlock_t lock;		/* the I/O queue, the slots, next_cid */
	struct nvme_queue io;
	struct nvme_slot slots[NVME_NR_SLOTS];
	u16 next_cid;

	struct nvme_buf bufs[NVME_NR_BUFS];
	void *data;			/* the slots' pages */
	dma_addr_t data_dma;
	void *ident;			/* the Identify data page */
	dma_addr_t ident_dma;

	struct nvme_identity id;
	bool irq_requested;

	/* What happened in this kernel. */
	bool adopted;
	char reason[64];		/* "adopt", or why cold */
	u32 inits;			/* cold initialisations (resets) */
	u32 admin_cmds;			/* admin commands issued */
	u32 admin_unsafe;		/* ... other than Identify */
	u32 gap_consumed;		/* completions found at adoption */
	u32 gap_matched;		/* ... that matched a saved command */
	u32 duplicates;			/* completions of no busy command */
	u64 completions;
#ifdef DS_TESTING
	struct nvme_test *test;
#endif
};

static inline void *nvme_slot_buf(struct nvme_ctrl *c, unsigned int slot)
{
	return c->data + slot * NVME_SLOT_BYTES;
}

/* devstate_nvme_queue.c */
void nvme_queue_init(struct nvme_ctrl *c, struct nvme_queue *q, u16 qid);
int nvme_admin_sync(struct nvme_ctrl *c, struct nvme_command *cmd);
int nvme_io_submit_locked(struct nvme_ctrl *c, unsigned int slot, u8 opcode,
			  u64 lba, u32 cookie);
unsigned int nvme_io_reap_locked(struct nvme_ctrl *c);
bool nvme_cq_pending(const struct nvme_queue *q);

#ifdef DS_TESTING
void nvme_test_probe_start(struct nvme_ctrl *c);
void nvme_test_probe_done(struct nvme_ctrl *c);
void nvme_test_remove(struct nvme_ctrl *c);
void nvme_test_completed(struct nvme_ctrl *c, unsigned int slot);
int nvme_test_save(struct nvme_ctrl *c, struct ds_save_ctx *ctx,
		   struct nvme_identity *id);
void nvme_test_shutdown(struct nvme_ctrl *c);
#else
static inline void nvme_test_probe_start(struct nvme_ctrl *c) { }
static inline void nvme_test_probe_done(struct nvme_ctrl *c) { }
static inline void nvme_test_remove(struct nvme_ctrl *c) { }
static inline void nvme_test_completed(struct nvme_ctrl *c,
				       unsigned int slot) { }
static inline int nvme_test_save(struct nvme_ctrl *c, struct ds_save_ctx *ctx,
				 struct nvme_identity *id)
{
	return 0;
}
static inline void nvme_test_shutdown(struct nvme_ctrl *c) { }
#endif

#endif /* DEVSTATE_NVME_H */
