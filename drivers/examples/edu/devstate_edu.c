// SPDX-License-Identifier: GPL-2.0
/*
 * devstate_edu - keep QEMU's "edu" device alive across a kexec
 *
 * This example is a complete driver for QEMU's educational PCI device
 * (-device edu, ID 1234:11e8; QEMU's docs/specs/edu.rst), written to show
 * every step a driver takes to survive a keep-alive kexec with devstate.
 * Search for "devstate step" to find them:
 *
 *   1. Probe asks devstate whether the previous kernel left a record for
 *      this device (ds_lookup). The answer picks one of two paths.
 *   2. Cold path: no usable record. Initialise the device as any driver
 *      would, and allocate the DMA buffer from the preserved pool
 *      (ds_dma_alloc_preserved) so that it can survive the next kexec.
 *   3. Adopt path: a matching record. Write nothing that would disturb the
 *      device: take back the DMA buffer (ds_dma_reclaim) and the driver's
 *      own state (ds_restore_*), re-arm the MSI vector, and handle the
 *      completions the device raised while no kernel was listening.
 *   4. Save hook: at freeze, write what the next kernel needs to carry on
 *      (counters, the work last submitted) with ds_save_*.
 *   5. Shutdown: during a keep-alive kexec, leave the device running
 *      (ds_shutdown_keepalive); otherwise quiesce it as usual.
 *
 * The device:
 *   BAR0 registers: 0x00 identification (0xRRrr00ed), 0x04 liveness check
 *   (reads back the inverse of what was written), 0x08 factorial (write n,
 *   read n!), 0x20 status (bit 0 computing, bit 7 raise an interrupt when a
 *   factorial is done), 0x24 interrupt status, 0x60 raise, 0x64 acknowledge,
 *   0x80/0x88/0x90/0x98 DMA source, destination, count and command (bit 0
 *   start, bit 1 direction device-to-RAM, bit 2 raise an interrupt when
 *   done). The DMA engine moves data between RAM and a 4 KiB buffer inside
 *   the device at device address 0x40000, on a 100 ms timer. Interrupt
 *   status bit 0x1 means "factorial done", 0x100 "DMA done".
 *   The preserved region sits above 256 MiB, so start QEMU with
 *   -device edu,dma_mask=0xffffffff (edu's default DMA mask is 28 bits).
 *
 * For tests and the demo, debugfs devstate_edu/ holds "ctl" (write
 * commands: "fact N", "live V", "stage SEED", "dma", "dma-at-jump") and
 * "state" (read "key value" lines).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/timex.h>
#include <linux/uaccess.h>
#include <asm/tsc.h>

#include <devstate/driver.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

#define EDU_REG_ID		0x00
#define EDU_REG_LIVE		0x04
#define EDU_REG_FACT		0x08
#define EDU_REG_STATUS		0x20
#define  EDU_STATUS_COMPUTING	0x01
#define  EDU_STATUS_FACT_IRQ	0x80
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define  EDU_IRQ_FACT		0x001
#define  EDU_IRQ_DMA		0x100
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define  EDU_DMA_START		0x01
#define  EDU_DMA_TO_RAM		0x02
#define  EDU_DMA_IRQ		0x04

#define EDU_DEV_BUF		0x40000	/* the device's own DMA buffer */
#define EDU_BUF_SIZE		4096
/*
 * Bytes per transfer. QEMU's edu (7.2) treats the end of its buffer as out
 * of range, so a transfer of the whole 4096 bytes stops the machine.
 */
#define EDU_XFER_SIZE		(EDU_BUF_SIZE - 4)

/* The compatible of our private state; bump it when its meaning changes. */
#define EDU_STATE_COMPAT	"devstate-edu,state-v1"
#define EDU_DMA_NAME		"edu-dma"

struct edu {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct ds_device *ds;		/* our devstate registration */
	struct ds_dma_buf *pbuf;	/* preserved DMA target, or NULL */
	void *buf;			/* the DMA target the device writes */
	dma_addr_t buf_dma;
	void *stage;			/* source for loading the device buffer */
	dma_addr_t stage_dma;
	struct dentry *dbg;
	spinlock_t lock;		/* the fields below */

	/* What the device is doing; saved at freeze. */
	u32 live_written;		/* last value written to 0x04 */
	u32 fact_in;			/* last factorial submitted */
	u32 fact_result;		/* last factorial completed */
	bool fact_pending;
	u32 staged_seed;		/* pattern in the device's buffer */
	u32 dma_seed;			/* pattern of the DMA last started */
	bool dma_pending;
	bool dma_ok;			/* last DMA brought the right data */
	u64 fact_done, dma_done;	/* completions, across kernels */
	u64 last_done_cycles;		/* TSC at the last completion */

	/* What happened in this kernel. */
	bool adopted;
	char reason[64];
	u32 inits;			/* cold initialisations */
	s64 probe_us;			/* how long probe took */
	u64 irqs;			/* interrupts taken */
	u64 deferred;			/* interrupts left for the next kernel */
	u32 gap_status;			/* irq status found at adoption */
	u32 gap_done;			/* completions handled from the gap */
	u64 prev_done_cycles;		/* last completion of the old kernel */
	u64 prev_fact_done, prev_dma_done; /* counters the old kernel saved */
	u64 first_done_cycles;		/* first completion in this kernel */
	bool dma_at_jump;		/* test: submit a DMA in ->save ... */
	bool dma_kick_at_shutdown;	/* ... and start it in .shutdown */
};

static struct edu *edu_single;	/* one device per driver, for debugfs */

/* ---- the device's work: factorials and DMA ------------------------------ */

static u32 edu_pattern(u32 seed, unsigned int i)
{
	return seed ^ (i * 0x9e3779b9u);
}

static bool edu_buf_matches(const struct edu *edu, u32 seed)
{
	const u32 *w = edu->buf;
	unsigned int i;

	for (i = 0; i < EDU_XFER_SIZE / 4; i++)
		if (w[i] != edu_pattern(seed, i))
			return false;
	return true;
}

static void edu_stamp(struct edu *edu)
{
	edu->last_done_cycles = get_cycles();
	if (!edu->first_done_cycles)
		edu->first_done_cycles = edu->last_done_cycles;
}

/* Account completions @bits, already acknowledged. Caller holds the lock. */
static void edu_complete(struct edu *edu, u32 bits)
{
	if (bits & EDU_IRQ_FACT) {
		edu->fact_result = ioread32(edu->bar + EDU_REG_FACT);
		edu->fact_pending = false;
		edu->fact_done++;
		edu_stamp(edu);
	}
	if ((bits & EDU_IRQ_DMA) && edu->dma_pending) {
		edu->dma_ok = edu_buf_matches(edu, edu->dma_seed);
		edu->dma_pending = false;
		edu->dma_done++;
		edu_stamp(edu);
	}
}

/*
 * Take the completions the device holds in its interrupt status register.
 * Reading and acknowledging under the lock is what makes each completion
 * count exactly once, whoever gets there first: the interrupt handler, the
 * adopt path, or a reader of the state file.
 *
 * Once devstate is frozen the completions stay in the device: the blob
 * already describes the work as pending, so the next kernel handles them.
 */
static u32 edu_reap(struct edu *edu)
{
	unsigned long flags;
	u32 st;

	if (ds_keepalive_armed())
		return 0;
	spin_lock_irqsave(&edu->lock, flags);
	st = ioread32(edu->bar + EDU_REG_IRQ_STATUS);
	if (st) {
		iowrite32(st, edu->bar + EDU_REG_IRQ_ACK);
		edu_complete(edu, st);
	}
	spin_unlock_irqrestore(&edu->lock, flags);
	return st;
}

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;

	if (ds_keepalive_armed()) {
		edu->deferred++;
		return IRQ_HANDLED;
	}
	edu->irqs++;
	return edu_reap(edu) ? IRQ_HANDLED : IRQ_NONE;
}

static int edu_start_fact(struct edu *edu, u32 n)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&edu->lock, flags);
	if (ioread32(edu->bar + EDU_REG_STATUS) & EDU_STATUS_COMPUTING) {
		ret = -EBUSY;
	} else {
		edu->fact_in = n;
		edu->fact_pending = true;
		iowrite32(n, edu->bar + EDU_REG_FACT);
	}
	spin_unlock_irqrestore(&edu->lock, flags);
	return ret;
}

static void edu_set_live(struct edu *edu, u32 v)
{
	edu->live_written = v;
	iowrite32(v, edu->bar + EDU_REG_LIVE);
}

static bool edu_dma_busy(struct edu *edu)
{
	return ioread32(edu->bar + EDU_REG_DMA_CMD) & EDU_DMA_START;
}

/* Wait for the DMA engine to go idle: it runs on a 100 ms timer. */
static int edu_dma_wait(struct edu *edu)
{
	int i;

	for (i = 0; i < 100 && edu_dma_busy(edu); i++)
		msleep(10);
	return edu_dma_busy(edu) ? -ETIMEDOUT : 0;
}

static void edu_dma_program(struct edu *edu, u64 src, u64 dst, u32 cmd)
{
	iowrite32(lower_32_bits(src), edu->bar + EDU_REG_DMA_SRC);
	iowrite32(lower_32_bits(dst), edu->bar + EDU_REG_DMA_DST);
	iowrite32(EDU_XFER_SIZE, edu->bar + EDU_REG_DMA_CNT);
	iowrite32(cmd, edu->bar + EDU_REG_DMA_CMD);
}

/* Put the pattern of @seed into the device's buffer (RAM -> device). */
static int edu_stage(struct edu *edu, u32 seed)
{
	u32 *w = edu->stage;
	unsigned int i;
	int ret;

	ret = edu_dma_wait(edu);
	if (ret)
		return ret;
	for (i = 0; i < EDU_BUF_SIZE / 4; i++)
		w[i] = edu_pattern(seed, i);
	edu_dma_program(edu, edu->stage_dma, EDU_DEV_BUF, EDU_DMA_START);
	ret = edu_dma_wait(edu);
	if (!ret)
		edu->staged_seed = seed;
	return ret;
}

/*
 * Copy the device's buffer into our DMA target (device -> RAM), with IRQ:
 * account the request, then ring the doorbell.
 */
static int edu_prepare_dma_locked(struct edu *edu)
{
	if (edu_dma_busy(edu))
		return -EBUSY;
	memset(edu->buf, 0, EDU_BUF_SIZE);
	edu->dma_seed = edu->staged_seed;
	edu->dma_pending = true;
	return 0;
}

static void edu_kick_dma(struct edu *edu)
{
	edu_dma_program(edu, EDU_DEV_BUF, edu->buf_dma,
			EDU_DMA_START | EDU_DMA_TO_RAM | EDU_DMA_IRQ);
}

static int edu_start_dma_locked(struct edu *edu)
{
	int ret = edu_prepare_dma_locked(edu);

	if (!ret)
		edu_kick_dma(edu);
	return ret;
}

static int edu_start_dma(struct edu *edu)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&edu->lock, flags);
	ret = edu_start_dma_locked(edu);
	spin_unlock_irqrestore(&edu->lock, flags);
	return ret;
}

/* ---- devstate step 4: the save hook ------------------------------------- */

static int edu_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct edu *edu = priv;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&edu->lock, flags);
	/*
	 * Test knob "dma-at-jump": submit a DMA now and ring its doorbell in
	 * .shutdown, the last moment before the jump, so that it is in flight
	 * when the next kernel starts (edu's DMA takes 100 ms).
	 */
	if (edu->dma_at_jump) {
		edu->dma_at_jump = false;
		edu->dma_kick_at_shutdown = !edu_prepare_dma_locked(edu);
		if (edu->dma_kick_at_shutdown)
			dev_info(&pdev->dev, "DMA submitted at freeze, to start at shutdown\n");
	}
	ret = ds_save_u32(ctx, "live-written", edu->live_written) ?:
	      ds_save_u32(ctx, "fact-in", edu->fact_in) ?:
	      ds_save_u32(ctx, "fact-result", edu->fact_result) ?:
	      ds_save_u32(ctx, "fact-pending", edu->fact_pending) ?:
	      ds_save_u32(ctx, "staged-seed", edu->staged_seed) ?:
	      ds_save_u32(ctx, "dma-seed", edu->dma_seed) ?:
	      ds_save_u32(ctx, "dma-pending", edu->dma_pending) ?:
	      ds_save_u32(ctx, "dma-ok", edu->dma_ok) ?:
	      ds_save_u64(ctx, "fact-done", edu->fact_done) ?:
	      ds_save_u64(ctx, "dma-done", edu->dma_done) ?:
	      ds_save_u64(ctx, "last-done-cycles", edu->last_done_cycles);
	spin_unlock_irqrestore(&edu->lock, flags);
	return ret;
}

static const struct ds_driver_ops edu_ds_ops = {
	.state_compatible = EDU_STATE_COMPAT,
	.save = edu_save,
};

/* ---- interrupts and buffers both paths share ----------------------------- */

static int edu_setup_irq(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = request_irq(pci_irq_vector(pdev, 0), edu_irq, 0,
			  KBUILD_MODNAME, edu);
	if (ret)
		pci_free_irq_vectors(pdev);
	return ret;
}

static void edu_teardown_irq(struct edu *edu)
{
	free_irq(pci_irq_vector(edu->pdev, 0), edu);
	pci_free_irq_vectors(edu->pdev);
}

/* ---- devstate step 2: the cold path -------------------------------------- */

/*
 * Bring the device to a known state as if nothing came before us. edu has
 * no reset register, so "reset" means: let running work finish, drop every
 * pending interrupt, check the device answers, then enable our interrupt.
 */
static int edu_cold_init(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	int i, ret;

	edu->inits++;
	for (i = 0; i < 100 && (ioread32(edu->bar + EDU_REG_STATUS) &
				EDU_STATUS_COMPUTING); i++)
		msleep(1);
	ret = edu_dma_wait(edu);
	if (ret)
		return ret;
	iowrite32(0, edu->bar + EDU_REG_STATUS);
	iowrite32(~0u, edu->bar + EDU_REG_IRQ_ACK);

	edu_set_live(edu, 0x12345678);
	if (ioread32(edu->bar + EDU_REG_LIVE) != ~0x12345678u) {
		dev_err(&pdev->dev, "liveness check failed\n");
		return -EIO;
	}

	/* The DMA target: preserved when devstate has a region, else plain. */
	edu->pbuf = ds_dma_alloc_preserved(edu->ds, EDU_DMA_NAME, EDU_BUF_SIZE);
	if (!IS_ERR(edu->pbuf)) {
		edu->buf = edu->pbuf->vaddr;
		edu->buf_dma = edu->pbuf->dma;
	} else {
		dev_info(&pdev->dev, "no preserved DMA buffer (%pe): this device will not survive kexec\n",
			 edu->pbuf);
		edu->pbuf = NULL;
		edu->buf = dma_alloc_coherent(&pdev->dev, EDU_BUF_SIZE,
					      &edu->buf_dma, GFP_KERNEL);
		if (!edu->buf)
			return -ENOMEM;
	}

	pci_set_master(pdev);
	ret = edu_setup_irq(edu);
	if (ret)
		return ret;
	iowrite32(EDU_STATUS_FACT_IRQ, edu->bar + EDU_REG_STATUS);
	return 0;
}

/* ---- devstate step 3: the adopt path ------------------------------------- */

static int edu_restore(struct edu *edu, const struct ds_incoming *in)
{
	u32 fact_pending, dma_pending, dma_ok;

	int ret;

	ret = ds_restore_u32(in, "live-written", &edu->live_written) ?:
	      ds_restore_u32(in, "fact-in", &edu->fact_in) ?:
	      ds_restore_u32(in, "fact-result", &edu->fact_result) ?:
	      ds_restore_u32(in, "fact-pending", &fact_pending) ?:
	      ds_restore_u32(in, "staged-seed", &edu->staged_seed) ?:
	      ds_restore_u32(in, "dma-seed", &edu->dma_seed) ?:
	      ds_restore_u32(in, "dma-pending", &dma_pending) ?:
	      ds_restore_u32(in, "dma-ok", &dma_ok) ?:
	      ds_restore_u64(in, "fact-done", &edu->fact_done) ?:
	      ds_restore_u64(in, "dma-done", &edu->dma_done) ?:
	      ds_restore_u64(in, "last-done-cycles", &edu->prev_done_cycles);
	if (ret)
		return ret;
	edu->prev_fact_done = edu->fact_done;
	edu->prev_dma_done = edu->dma_done;
	edu->fact_pending = fact_pending;
	edu->dma_pending = dma_pending;
	edu->dma_ok = dma_ok;
	return 0;
}

/*
 * Take over a device the previous kernel left running. Only reads touch the
 * device until the MSI vector is re-armed; its registers, its buffer and
 * the work in flight are as they were. Returns a short reason string when
 * adoption is impossible after all (the caller declines and goes cold).
 */
static const char *edu_adopt(struct edu *edu, struct ds_incoming *in)
{
	struct ds_dma_buf *b;
	u32 st;

	if ((ioread32(edu->bar + EDU_REG_ID) & 0xff) != 0xed)
		return "device does not answer";
	if (edu_restore(edu, in))
		return "private state incomplete";
	b = ds_dma_reclaim(edu->ds, in, EDU_DMA_NAME);
	if (IS_ERR(b))
		return "DMA buffer not reclaimable";
	edu->pbuf = b;
	edu->buf = b->vaddr;
	edu->buf_dma = b->dma;

	pci_set_master(edu->pdev);	/* already on: no write */
	if (edu_setup_irq(edu)) {
		ds_dma_free_preserved(edu->ds, b);
		edu->pbuf = NULL;
		return "cannot re-arm MSI";
	}

	/*
	 * Completions that came while no kernel listened sit in the interrupt
	 * status register (their MSI went nowhere). Handle them now, once.
	 */
	st = edu_reap(edu);
	edu->gap_status = st;
	edu->gap_done = hweight32(st & (EDU_IRQ_FACT | EDU_IRQ_DMA));
	return NULL;
}

/* ---- debugfs: the test interface ------------------------------------------ */

static int edu_state_show(struct seq_file *m, void *v)
{
	struct edu *edu = m->private;
	unsigned long flags;
	u64 gap_us = 0;

	edu_reap(edu);	/* count what the device finished since */
	spin_lock_irqsave(&edu->lock, flags);
	if (edu->prev_done_cycles && edu->first_done_cycles > edu->prev_done_cycles && tsc_khz)
		gap_us = div_u64((edu->first_done_cycles - edu->prev_done_cycles) * 1000,
				 tsc_khz);
	seq_printf(m, "path %s\n", edu->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", edu->reason);
	seq_printf(m, "inits %u\n", edu->inits);
	seq_printf(m, "probe_us %lld\n", edu->probe_us);
	seq_printf(m, "id 0x%08x\n", ioread32(edu->bar + EDU_REG_ID));
	seq_printf(m, "live_written 0x%08x\n", edu->live_written);
	seq_printf(m, "live_read 0x%08x\n", ioread32(edu->bar + EDU_REG_LIVE));
	seq_printf(m, "fact_in %u\n", edu->fact_in);
	seq_printf(m, "fact_result %u\n", edu->fact_result);
	seq_printf(m, "fact_reg %u\n", ioread32(edu->bar + EDU_REG_FACT));
	seq_printf(m, "fact_pending %d\n", edu->fact_pending);
	seq_printf(m, "fact_done %llu\n", edu->fact_done);
	seq_printf(m, "dma_seed 0x%08x\n", edu->dma_seed);
	seq_printf(m, "dma_pending %d\n", edu->dma_pending);
	seq_printf(m, "dma_ok %d\n", edu->dma_ok);
	seq_printf(m, "dma_done %llu\n", edu->dma_done);
	seq_printf(m, "buf_preserved %d\n", edu->pbuf != NULL);
	seq_printf(m, "buf_phys 0x%llx\n", edu->pbuf ? (u64)edu->pbuf->phys : 0);
	seq_printf(m, "buf_word0 0x%08x\n", ((u32 *)edu->buf)[0]);
	seq_printf(m, "buf_word1 0x%08x\n", ((u32 *)edu->buf)[1]);
	seq_printf(m, "irqs %llu\n", edu->irqs);
	seq_printf(m, "deferred %llu\n", edu->deferred);
	seq_printf(m, "gap_status 0x%x\n", edu->gap_status);
	seq_printf(m, "gap_done %u\n", edu->gap_done);
	seq_printf(m, "prev_fact_done %llu\n", edu->prev_fact_done);
	seq_printf(m, "prev_dma_done %llu\n", edu->prev_dma_done);
	seq_printf(m, "prev_done_cycles %llu\n", edu->prev_done_cycles);
	seq_printf(m, "first_done_cycles %llu\n", edu->first_done_cycles);
	seq_printf(m, "last_done_cycles %llu\n", edu->last_done_cycles);
	seq_printf(m, "tsc_khz %u\n", tsc_khz);
	seq_printf(m, "gap_us %llu\n", gap_us);
	spin_unlock_irqrestore(&edu->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_state);

static ssize_t edu_ctl_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct edu *edu = file->private_data;
	char cmd[32];
	u32 arg;
	int ret;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);

	/* Once frozen the blob describes the device: no new work. */
	if (ds_keepalive_armed())
		return -EBUSY;
	edu_reap(edu);
	ret = 0;
	if (sscanf(cmd, "fact %u", &arg) == 1)
		ret = edu_start_fact(edu, arg);
	else if (sscanf(cmd, "live %x", &arg) == 1)
		edu_set_live(edu, arg);
	else if (sscanf(cmd, "stage %x", &arg) == 1)
		ret = edu_stage(edu, arg);
	else if (!strcmp(cmd, "dma"))
		ret = edu_start_dma(edu);
	else if (!strcmp(cmd, "dma-at-jump"))
		edu->dma_at_jump = true;
	else
		ret = -EINVAL;
	return ret ? ret : len;
}

static const struct file_operations edu_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_ctl_write,
	.llseek = noop_llseek,
};

static void edu_debugfs_init(struct edu *edu)
{
	debugfs_create_file("state", 0400, edu->dbg, edu, &edu_state_fops);
	debugfs_create_file("ctl", 0200, edu->dbg, edu, &edu_ctl_fops);
}

/* ---- probe: devstate step 1 picks the path ------------------------------- */

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	enum ds_reason reason;
	ktime_t t0 = ktime_get();
	const char *why = NULL;
	struct edu *edu;
	int ret;

	if (edu_single)
		return -EBUSY;
	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	spin_lock_init(&edu->lock);
	pci_set_drvdata(pdev, edu);

	/* devstate step 1: is there a record of this device to adopt? */
	in = ds_lookup(pdev, EDU_STATE_COMPAT, &reason);

	ret = pcim_enable_device(pdev);
	if (ret)
		goto err_decline;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		goto err_decline;
	edu->bar = pcim_iomap_table(pdev)[0];
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		goto err_decline;
	edu->stage = dmam_alloc_coherent(&pdev->dev, EDU_BUF_SIZE,
					 &edu->stage_dma, GFP_KERNEL);
	if (!edu->stage) {
		ret = -ENOMEM;
		goto err_decline;
	}

	edu->ds = ds_register(pdev, &edu_ds_ops, edu);
	if (IS_ERR(edu->ds)) {
		ret = PTR_ERR(edu->ds);
		goto err_decline;
	}

	if (in) {
		why = edu_adopt(edu, in);
		if (!why) {
			edu->adopted = true;
			strscpy(edu->reason, ds_reason_str(DS_ADOPT),
				sizeof(edu->reason));
			ds_adopted(in);
		} else {
			ds_decline(in, why);
			strscpy(edu->reason, why, sizeof(edu->reason));
		}
	} else {
		strscpy(edu->reason, ds_reason_str(reason), sizeof(edu->reason));
	}

	if (edu->adopted) {
		dev_info(&pdev->dev, "adopted: live 0x%08x, fact(%u)=%u, %u completion(s) from the kexec gap (irq status 0x%x)\n",
			 ioread32(edu->bar + EDU_REG_LIVE), edu->fact_in,
			 edu->fact_result, edu->gap_done, edu->gap_status);
	} else {
		dev_info(&pdev->dev, "cold: %s\n", edu->reason);
		ret = edu_cold_init(edu);
		if (ret)
			goto err_unregister;
	}

	edu->probe_us = ktime_us_delta(ktime_get(), t0);
	edu->dbg = debugfs_create_dir(KBUILD_MODNAME, NULL);
	edu_debugfs_init(edu);
	edu_single = edu;
	return 0;

err_unregister:
	if (edu->pbuf)
		ds_dma_free_preserved(edu->ds, edu->pbuf);
	else if (edu->buf)
		dma_free_coherent(&pdev->dev, EDU_BUF_SIZE, edu->buf,
				  edu->buf_dma);
	ds_unregister(edu->ds);
	return ret;
err_decline:
	if (in)
		ds_decline(in, "probe failed");
	return ret;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	debugfs_remove_recursive(edu->dbg);
	edu_single = NULL;
	iowrite32(0, edu->bar + EDU_REG_STATUS);
	edu_dma_wait(edu);
	edu_teardown_irq(edu);
	if (edu->pbuf)
		ds_dma_free_preserved(edu->ds, edu->pbuf);
	else
		dma_free_coherent(&pdev->dev, EDU_BUF_SIZE, edu->buf,
				  edu->buf_dma);
	ds_unregister(edu->ds);
}

/* ---- devstate step 5: shutdown -------------------------------------------- */

static void edu_shutdown(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);
	bool busy;
	int i;

	if (ds_keepalive_armed() && edu->dma_kick_at_shutdown)
		edu_kick_dma(edu);
	busy = edu_dma_busy(edu);
	if (ds_keepalive_armed()) {
		/* Keep it running: no reset, bus mastering stays on. */
		dev_info(&pdev->dev, "shutdown: keep-alive, DMA %s, last completion at cycle %llu\n",
			 busy ? "in flight" : "idle", edu->last_done_cycles);
		/*
		 * Silence its interrupt for the gap: an MSI now would land on
		 * a vector the next kernel never assigned. A completion waits
		 * in the interrupt status register instead, where the next
		 * kernel looks when it adopts the device.
		 */
		edu_teardown_irq(edu);
		pci_intx(pdev, 0);
		ds_shutdown_keepalive(pdev);
		return;
	}
	dev_info(&pdev->dev, "shutdown: quiesce, DMA %s, last completion at cycle %llu\n",
		 busy ? "in flight" : "idle", edu->last_done_cycles);
	iowrite32(0, edu->bar + EDU_REG_STATUS);
	for (i = 0; i < 200 && edu_dma_busy(edu); i++)
		mdelay(1);
	iowrite32(~0u, edu->bar + EDU_REG_IRQ_ACK);
	pci_clear_master(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
	.shutdown = edu_shutdown,
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("QEMU edu device kept alive across kexec with devstate (example)");
MODULE_LICENSE("GPL");
