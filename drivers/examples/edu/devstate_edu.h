/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the edu example's two files share: the device's registers, the
 * per-device state, and the hooks of the test interface.
 *
 * devstate_edu_main.c is the example. devstate_edu_test.c is the VM tests'
 * window into it (debugfs, fault knobs, timing) and is compiled only in
 * DS_TESTING builds; without it the edu_test_*() hooks below are empty.
 */
#ifndef DEVSTATE_EDU_H
#define DEVSTATE_EDU_H

#include <linux/pci.h>
#include <linux/spinlock.h>
#include <devstate/driver.h>

/* BAR0 registers; QEMU's docs/specs/edu.rst */
#define EDU_REG_ID		0x00	/* 0xRRrr00ed */
#define EDU_REG_LIVE		0x04	/* reads back the inverse of what was written */
#define EDU_REG_FACT		0x08	/* write n, read n! when done */
#define EDU_REG_STATUS		0x20
#define  EDU_STATUS_COMPUTING	0x01
#define  EDU_STATUS_FACT_IRQ	0x80	/* raise an interrupt when n! is done */
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define  EDU_IRQ_FACT		0x001
#define  EDU_IRQ_DMA		0x100
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define  EDU_DMA_START		0x01
#define  EDU_DMA_TO_RAM		0x02	/* else RAM to device */
#define  EDU_DMA_IRQ		0x04	/* raise an interrupt when done */

#define EDU_DEV_BUF		0x40000	/* the device's own 4 KiB buffer */
#define EDU_BUF_SIZE		4096
/*
 * Bytes per transfer. QEMU's edu (7.2) treats the end of its buffer as out
 * of range, so a transfer of the whole 4096 bytes stops the machine.
 */
#define EDU_XFER_SIZE		(EDU_BUF_SIZE - 4)

/* What the device is doing: saved at freeze, restored at adoption. */
struct edu_work {
	u32 live_written;	/* last value written to EDU_REG_LIVE */
	u32 fact_in;		/* last factorial submitted */
	u32 fact_result;	/* last factorial completed */
	bool fact_pending;
	u32 staged_seed;	/* pattern in the device's buffer */
	u32 dma_seed;		/* pattern the DMA last started brings */
	bool dma_pending;
	bool dma_ok;		/* the last DMA brought the right data */
	u64 fact_done;		/* completions, counted across kernels */
	u64 dma_done;
};

#ifdef DS_TESTING
/* Test-only state, under edu->lock where the hooks say so. */
struct edu_test {
	struct dentry *dir;		/* debugfs devstate_edu/<device>/ */
	void *stage;			/* RAM side of "stage" (RAM -> device) */
	dma_addr_t stage_dma;
	u64 irqs;			/* interrupts taken */
	u64 deferred;			/* ... while frozen: left to the next kernel */
	u64 prev_fact_done;		/* the counters the old kernel saved */
	u64 prev_dma_done;
	u64 t0_ns, t0_cycles;		/* probe start, on both clocks */
	s64 probe_us;
	/* cycle counter, which runs on across kexec, at completions */
	u64 prev_done_cycles;		/* the old kernel's last one */
	u64 first_done_cycles, last_done_cycles;
	bool dma_at_jump;		/* "dma-at-jump": prepare at freeze ... */
	bool dma_kick_at_shutdown;	/* ... and start it in .shutdown */
};
#endif

/* One edu device; the pci_dev's drvdata. */
struct edu {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct ds_device *ds;		/* our devstate registration, or NULL */
	struct ds_dma_buf *pbuf;	/* preserved DMA target, or NULL */
	void *buf;			/* the DMA target the device writes */
	dma_addr_t buf_dma;
	spinlock_t lock;		/* @work, the interrupt status register */
	struct edu_work work;

	/* What happened in this kernel. */
	bool adopted;
	char reason[64];		/* "adopt", or why cold */
	u32 inits;			/* cold initialisations */
	u32 gap_status;			/* interrupt status found at adoption */
#ifdef DS_TESTING
	struct edu_test test;
#endif
};

/* The data a DMA of @seed carries: word @i of the transfer. */
static inline u32 edu_pattern(u32 seed, unsigned int i)
{
	return seed ^ (i * 0x9e3779b9u);
}

u32 edu_reap_locked(struct edu *edu);
bool edu_dma_busy(struct edu *edu);
int edu_dma_wait(struct edu *edu);

#ifdef DS_TESTING
void edu_test_probe_start(struct edu *edu);
void edu_test_probe_done(struct edu *edu);
void edu_test_remove(struct edu *edu);
void edu_test_irq(struct edu *edu);
void edu_test_completed(struct edu *edu);
int edu_test_save(struct edu *edu, struct ds_save_ctx *ctx);
/* The property edu_test_save() adds, for the driver's state_names. */
#define EDU_TEST_STATE_NAMES	"last-done-cycles",
void edu_test_restore(struct edu *edu, const struct ds_incoming *in);
void edu_test_shutdown(struct edu *edu);
#else
static inline void edu_test_probe_start(struct edu *edu) { }
static inline void edu_test_probe_done(struct edu *edu) { }
static inline void edu_test_remove(struct edu *edu) { }
static inline void edu_test_irq(struct edu *edu) { }
static inline void edu_test_completed(struct edu *edu) { }
static inline int edu_test_save(struct edu *edu, struct ds_save_ctx *ctx)
{
	return 0;
}
#define EDU_TEST_STATE_NAMES
static inline void edu_test_restore(struct edu *edu,
				    const struct ds_incoming *in) { }
static inline void edu_test_shutdown(struct edu *edu) { }
#endif

#endif /* DEVSTATE_EDU_H */
