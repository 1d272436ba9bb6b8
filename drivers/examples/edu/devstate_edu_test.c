// SPDX-License-Identifier: GPL-2.0
/*
 * The VM tests' window into devstate_edu: compiled only in DS_TESTING
 * builds (make modules DS_TESTING=1), never part of the example proper.
 *
 * debugfs devstate_edu/<device>/ holds, per device:
 *   ctl    write one command: "fact N" (compute N!), "live V" (write V, hex,
 *          to the liveness register), "stage SEED" (load the pattern of
 *          SEED, hex, into the device's buffer), "dma" (copy the device's
 *          buffer into the DMA target, with interrupt), "dma-at-jump" (the
 *          fault knob of tests/vm/scenarios/inflight-dma.sh: submit a DMA
 *          in the save hook and start it in .shutdown, so that it is in
 *          flight at the kexec)
 *   state  read "key value" lines: what the driver and the device say
 *
 * It also measures the service gap across a kexec: the cycle counter
 * (get_cycles(), the TSC on x86) runs on across kexec, so the driver saves
 * its value at the last completion and the next kernel compares it with its
 * first completion, at a rate calibrated against ktime since probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>
#include "devstate_edu.h"

/* debugfs devstate_edu/, shared by the devices; created with the first. */
static DEFINE_MUTEX(edu_test_root_lock);
static struct dentry *edu_test_root;
static unsigned int edu_test_root_users;

/* Serialises ctl commands: "stage" sleeps with the stage buffer in use. */
static DEFINE_MUTEX(edu_test_ctl_lock);

/* ---- driving the device --------------------------------------------------- */

static void edu_dma_program(struct edu *edu, u64 src, u64 dst, u32 cmd)
{
	iowrite32(lower_32_bits(src), edu->bar + EDU_REG_DMA_SRC);
	iowrite32(lower_32_bits(dst), edu->bar + EDU_REG_DMA_DST);
	iowrite32(EDU_XFER_SIZE, edu->bar + EDU_REG_DMA_CNT);
	iowrite32(cmd, edu->bar + EDU_REG_DMA_CMD);
}

static int edu_start_fact(struct edu *edu, u32 n)
{
	int ret = 0;

	spin_lock_irq(&edu->lock);
	if (ioread32(edu->bar + EDU_REG_STATUS) & EDU_STATUS_COMPUTING) {
		ret = -EBUSY;
	} else {
		edu->work.fact_in = n;
		edu->work.fact_pending = true;
		iowrite32(n, edu->bar + EDU_REG_FACT);
	}
	spin_unlock_irq(&edu->lock);
	return ret;
}

static void edu_set_live(struct edu *edu, u32 v)
{
	spin_lock_irq(&edu->lock);
	edu->work.live_written = v;
	iowrite32(v, edu->bar + EDU_REG_LIVE);
	spin_unlock_irq(&edu->lock);
}

/* Put the pattern of @seed into the device's buffer (RAM -> device). */
static int edu_stage(struct edu *edu, u32 seed)
{
	u32 *w = edu->test.stage;
	unsigned int i;
	int ret;

	if (!w)
		return -ENOMEM;
	ret = edu_dma_wait(edu);
	if (ret)
		return ret;
	for (i = 0; i < EDU_BUF_SIZE / 4; i++)
		w[i] = edu_pattern(seed, i);
	edu_dma_program(edu, edu->test.stage_dma, EDU_DEV_BUF, EDU_DMA_START);
	ret = edu_dma_wait(edu);
	if (ret)
		return ret;
	spin_lock_irq(&edu->lock);
	edu->work.staged_seed = seed;
	spin_unlock_irq(&edu->lock);
	return 0;
}

/*
 * Account a copy of the device's buffer into the DMA target (device ->
 * RAM, with interrupt) before its doorbell rings, so that the completion
 * finds it pending. Caller holds edu->lock.
 */
static int edu_prepare_dma_locked(struct edu *edu)
{
	if (edu_dma_busy(edu))
		return -EBUSY;
	memset(edu->buf, 0, EDU_BUF_SIZE);
	edu->work.dma_seed = edu->work.staged_seed;
	edu->work.dma_pending = true;
	return 0;
}

static void edu_kick_dma(struct edu *edu)
{
	edu_dma_program(edu, EDU_DEV_BUF, edu->buf_dma,
			EDU_DMA_START | EDU_DMA_TO_RAM | EDU_DMA_IRQ);
}

static int edu_start_dma(struct edu *edu)
{
	int ret;

	spin_lock_irq(&edu->lock);
	ret = edu_prepare_dma_locked(edu);
	if (!ret)
		edu_kick_dma(edu);
	spin_unlock_irq(&edu->lock);
	return ret;
}

/* ---- the hooks devstate_edu.c calls ---------------------------------------- */

void edu_test_probe_start(struct edu *edu)
{
	edu->test.t0_ns = ktime_get_ns();
	edu->test.t0_cycles = get_cycles();
}

/* Caller holds edu->lock. */
void edu_test_irq(struct edu *edu)
{
	if (ds_keepalive_armed())
		edu->test.deferred++;
	else
		edu->test.irqs++;
}

/* A completion was accounted. Caller holds edu->lock. */
void edu_test_completed(struct edu *edu)
{
	edu->test.last_done_cycles = get_cycles();
	if (!edu->test.first_done_cycles)
		edu->test.first_done_cycles = edu->test.last_done_cycles;
}

/*
 * From the save hook, before it copies the work: "dma-at-jump" submits its
 * DMA now, so the record describes it as pending, and rings the doorbell
 * in .shutdown, the last moment before the jump (edu's DMA takes 100 ms).
 */
int edu_test_save(struct edu *edu, struct ds_save_ctx *ctx)
{
	bool submitted = false;
	u64 last;

	spin_lock_irq(&edu->lock);
	if (edu->test.dma_at_jump) {
		edu->test.dma_at_jump = false;
		submitted = !edu_prepare_dma_locked(edu);
		edu->test.dma_kick_at_shutdown = submitted;
	}
	last = edu->test.last_done_cycles;
	spin_unlock_irq(&edu->lock);
	if (submitted)
		pci_info(edu->pdev, "DMA submitted at freeze, to start at shutdown\n");
	return ds_save_u64(ctx, "last-done-cycles", last);
}

/* From the adopt path, after the work is restored and before the gap. */
void edu_test_restore(struct edu *edu, const struct ds_incoming *in)
{
	/* A kernel built without DS_TESTING saved none: no gap to measure. */
	if (ds_restore_u64(in, "last-done-cycles", &edu->test.prev_done_cycles))
		edu->test.prev_done_cycles = 0;
	edu->test.prev_fact_done = edu->work.fact_done;
	edu->test.prev_dma_done = edu->work.dma_done;
}

/* First thing in .shutdown. */
void edu_test_shutdown(struct edu *edu)
{
	u64 last;

	spin_lock_irq(&edu->lock);
	if (ds_keepalive_armed() && edu->test.dma_kick_at_shutdown)
		edu_kick_dma(edu);
	last = edu->test.last_done_cycles;
	spin_unlock_irq(&edu->lock);
	/* tests/vm/demo.sh reads the gap's start from this line. */
	pci_info(edu->pdev, "shutdown: last completion at cycle %llu\n", last);
}

/* ---- debugfs ---------------------------------------------------------------- */

/* The cycle counter's rate, in cycles per millisecond, measured since probe. */
static u64 edu_cycles_per_ms(struct edu *edu)
{
	u64 ns = ktime_get_ns() - edu->test.t0_ns;
	u64 cycles = get_cycles() - edu->test.t0_cycles;

	return ns ? mul_u64_u64_div_u64(cycles, NSEC_PER_MSEC, ns) : 0;
}

static int edu_state_show(struct seq_file *m, void *v)
{
	struct edu *edu = m->private;
	const struct edu_work *w = &edu->work;
	const struct edu_test *t = &edu->test;
	u64 khz = edu_cycles_per_ms(edu), gap_us = 0;

	spin_lock_irq(&edu->lock);
	edu_reap_locked(edu);	/* count what the device finished since */
	if (t->prev_done_cycles && t->first_done_cycles > t->prev_done_cycles && khz)
		gap_us = div64_u64((t->first_done_cycles - t->prev_done_cycles) *
				   USEC_PER_MSEC, khz);
	seq_printf(m, "path %s\n", edu->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", edu->reason);
	seq_printf(m, "inits %u\n", edu->inits);
	seq_printf(m, "probe_us %lld\n", t->probe_us);
	seq_printf(m, "id 0x%08x\n", ioread32(edu->bar + EDU_REG_ID));
	seq_printf(m, "live_written 0x%08x\n", w->live_written);
	seq_printf(m, "live_read 0x%08x\n", ioread32(edu->bar + EDU_REG_LIVE));
	seq_printf(m, "fact_in %u\n", w->fact_in);
	seq_printf(m, "fact_result %u\n", w->fact_result);
	seq_printf(m, "fact_reg %u\n", ioread32(edu->bar + EDU_REG_FACT));
	seq_printf(m, "fact_pending %d\n", w->fact_pending);
	seq_printf(m, "fact_done %llu\n", w->fact_done);
	seq_printf(m, "dma_seed 0x%08x\n", w->dma_seed);
	seq_printf(m, "dma_pending %d\n", w->dma_pending);
	seq_printf(m, "dma_ok %d\n", w->dma_ok);
	seq_printf(m, "dma_done %llu\n", w->dma_done);
	seq_printf(m, "buf_preserved %d\n", edu->pbuf != NULL);
	seq_printf(m, "buf_phys 0x%llx\n", edu->pbuf ? (u64)edu->pbuf->phys : 0);
	seq_printf(m, "buf_word0 0x%08x\n", ((u32 *)edu->buf)[0]);
	seq_printf(m, "buf_word1 0x%08x\n", ((u32 *)edu->buf)[1]);
	seq_printf(m, "irqs %llu\n", t->irqs);
	seq_printf(m, "deferred %llu\n", t->deferred);
	seq_printf(m, "gap_status 0x%x\n", edu->gap_status);
	seq_printf(m, "gap_done %u\n",
		   hweight32(edu->gap_status & (EDU_IRQ_FACT | EDU_IRQ_DMA)));
	seq_printf(m, "prev_fact_done %llu\n", t->prev_fact_done);
	seq_printf(m, "prev_dma_done %llu\n", t->prev_dma_done);
	seq_printf(m, "prev_done_cycles %llu\n", t->prev_done_cycles);
	seq_printf(m, "first_done_cycles %llu\n", t->first_done_cycles);
	seq_printf(m, "last_done_cycles %llu\n", t->last_done_cycles);
	/* The name demo.sh knows; the rate is measured, whatever the counter. */
	seq_printf(m, "tsc_khz %llu\n", khz);
	seq_printf(m, "gap_us %llu\n", gap_us);
	spin_unlock_irq(&edu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_state);

static int edu_ctl(struct edu *edu, const char *cmd)
{
	u32 arg;

	/* Once frozen the blob describes the device: no new work. */
	if (ds_keepalive_armed())
		return -EBUSY;
	if (sscanf(cmd, "fact %u", &arg) == 1)
		return edu_start_fact(edu, arg);
	if (sscanf(cmd, "live %x", &arg) == 1) {
		edu_set_live(edu, arg);
		return 0;
	}
	if (sscanf(cmd, "stage %x", &arg) == 1)
		return edu_stage(edu, arg);
	if (!strcmp(cmd, "dma"))
		return edu_start_dma(edu);
	if (!strcmp(cmd, "dma-at-jump")) {
		spin_lock_irq(&edu->lock);
		edu->test.dma_at_jump = true;
		spin_unlock_irq(&edu->lock);
		return 0;
	}
	return -EINVAL;
}

static ssize_t edu_ctl_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct edu *edu = file->private_data;
	char cmd[32];
	int ret;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';

	mutex_lock(&edu_test_ctl_lock);
	ret = edu_ctl(edu, strim(cmd));
	mutex_unlock(&edu_test_ctl_lock);
	return ret ? ret : len;
}

static const struct file_operations edu_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_ctl_write,
	.llseek = noop_llseek,
};

/* Last thing in probe: the device works; give the tests their files. */
void edu_test_probe_done(struct edu *edu)
{
	struct pci_dev *pdev = edu->pdev;

	edu->test.probe_us = div_s64(ktime_get_ns() - edu->test.t0_ns,
				     NSEC_PER_USEC);
	/* Released with the device; "stage" says -ENOMEM without it. */
	edu->test.stage = dmam_alloc_coherent(&pdev->dev, EDU_BUF_SIZE,
					      &edu->test.stage_dma, GFP_KERNEL);

	mutex_lock(&edu_test_root_lock);
	if (!edu_test_root_users++)
		edu_test_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	edu->test.dir = debugfs_create_dir(pci_name(pdev), edu_test_root);
	mutex_unlock(&edu_test_root_lock);
	debugfs_create_file("state", 0400, edu->test.dir, edu, &edu_state_fops);
	debugfs_create_file("ctl", 0200, edu->test.dir, edu, &edu_ctl_fops);
}

/* First thing in remove: no test reaches the device from here on. */
void edu_test_remove(struct edu *edu)
{
	debugfs_remove_recursive(edu->test.dir);
	mutex_lock(&edu_test_root_lock);
	if (!--edu_test_root_users) {
		debugfs_remove(edu_test_root);
		edu_test_root = NULL;
	}
	mutex_unlock(&edu_test_root_lock);
}
