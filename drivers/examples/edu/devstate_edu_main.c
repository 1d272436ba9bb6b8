// SPDX-License-Identifier: GPL-2.0
/*
 * devstate_edu - keep QEMU's "edu" device alive across a kexec
 *
 * This example is a driver for QEMU's educational PCI device (-device edu,
 * ID 1234:11e8; QEMU's docs/specs/edu.rst), written to show every step a
 * driver takes to survive a keep-alive kexec with devstate. Search for
 * "devstate step" to find them:
 *
 *   1. Probe asks devstate whether the previous kernel left a record for
 *      this device (ds_lookup) and registers the device for the next kexec
 *      (ds_register). A failed registration is not fatal: the device just
 *      will not be kept alive. Nor is a missing devstate.ko: the module
 *      loads without it, ds_lookup() says "no-devstate", ds_register()
 *      returns NULL, and the device takes the cold path.
 *   2. Cold path: no usable record. Initialise the device as any driver
 *      would, and allocate the DMA buffer from the preserved pool
 *      (ds_dma_alloc_preserved) so that it can survive the next kexec.
 *   3. Adopt path: a matching record. Write nothing that would disturb the
 *      device: take back the DMA buffer (ds_dma_reclaim) and the driver's
 *      own state (ds_restore_*), re-arm the MSI vector, and handle the
 *      completions the device raised while no kernel was listening.
 *   4. Save hook: at freeze, write what the next kernel needs to carry on
 *      (counters, the work last submitted) with ds_save_*.
 *   5. Shutdown: during a keep-alive kexec, leave the device running but
 *      silence its interrupt (ds_shutdown_keepalive); otherwise quiesce it.
 *
 * The device computes factorials and copies a 4 KiB buffer by DMA, and
 * says "done" in its interrupt status register (0x1 factorial, 0x100 DMA)
 * before raising its MSI. Its registers are in devstate_edu.h. The
 * preserved region sits above 256 MiB: start QEMU with
 * -device edu,dma_mask=0xffffffff (edu's default DMA mask is 28 bits).
 *
 * Who submits work? In this example only the VM tests do, through debugfs
 * (devstate_edu_test.c, built with DS_TESTING=1). The edu_test_*() calls
 * below are its hooks; in an ordinary build they compile to nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#include <devstate/driver.h>
#include "devstate_edu.h"

/* The compatible of our private state; bump it when its meaning changes. */
#define EDU_STATE_COMPAT	"devstate-edu,state-v1"
#define EDU_DMA_NAME		"edu-dma"

/* ---- completions: the interrupt handler and the adopt path --------------- */

static bool edu_buf_matches(const struct edu *edu, u32 seed)
{
	const u32 *w = edu->buf;
	unsigned int i;

	for (i = 0; i < EDU_XFER_SIZE / 4; i++)
		if (w[i] != edu_pattern(seed, i))
			return false;
	return true;
}

/*
 * Take the completions the device holds in its interrupt status register.
 * Reading and acknowledging under edu->lock makes each completion count
 * once, whoever comes first: the interrupt handler or the adopt path.
 */
u32 edu_reap_locked(struct edu *edu)
{
	struct edu_work *w = &edu->work;
	u32 st;

	lockdep_assert_held(&edu->lock);
	st = ioread32(edu->bar + EDU_REG_IRQ_STATUS);
	/* Frozen: the record says "pending"; the next kernel completes it. */
	if (!st || ds_keepalive_armed())
		return st;
	iowrite32(st, edu->bar + EDU_REG_IRQ_ACK);
	if (st & EDU_IRQ_FACT) {
		w->fact_result = ioread32(edu->bar + EDU_REG_FACT);
		w->fact_pending = false;
		w->fact_done++;
	}
	if ((st & EDU_IRQ_DMA) && w->dma_pending) {
		w->dma_ok = edu_buf_matches(edu, w->dma_seed);
		w->dma_pending = false;
		w->dma_done++;
	}
	edu_test_completed(edu);
	return st;
}

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	u32 st;

	spin_lock(&edu->lock);
	st = edu_reap_locked(edu);
	edu_test_irq(edu);
	spin_unlock(&edu->lock);
	/* A completion left for the next kernel is still ours: handled. */
	return st ? IRQ_HANDLED : IRQ_NONE;
}

bool edu_dma_busy(struct edu *edu)
{
	return ioread32(edu->bar + EDU_REG_DMA_CMD) & EDU_DMA_START;
}

/* Wait for the DMA engine to go idle: it runs on a 100 ms timer. */
int edu_dma_wait(struct edu *edu)
{
	int i;

	for (i = 0; i < 100 && edu_dma_busy(edu); i++)
		msleep(10);
	return edu_dma_busy(edu) ? -ETIMEDOUT : 0;
}

/* ---- devstate step 4: the save hook ------------------------------------- */

/* At freeze: copy the work under the lock, so a completion cannot tear it. */
static int edu_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct edu *edu = priv;
	struct edu_work w;
	int ret;

	ret = edu_test_save(edu, ctx);	/* may submit work: before the copy */
	if (ret)
		return ret;
	spin_lock_irq(&edu->lock);
	w = edu->work;
	spin_unlock_irq(&edu->lock);

	return ds_save_u32(ctx, "live-written", w.live_written) ?:
	       ds_save_u32(ctx, "fact-in", w.fact_in) ?:
	       ds_save_u32(ctx, "fact-result", w.fact_result) ?:
	       ds_save_u32(ctx, "fact-pending", w.fact_pending) ?:
	       ds_save_u32(ctx, "staged-seed", w.staged_seed) ?:
	       ds_save_u32(ctx, "dma-seed", w.dma_seed) ?:
	       ds_save_u32(ctx, "dma-pending", w.dma_pending) ?:
	       ds_save_u32(ctx, "dma-ok", w.dma_ok) ?:
	       ds_save_u64(ctx, "fact-done", w.fact_done) ?:
	       ds_save_u64(ctx, "dma-done", w.dma_done);
}

/*
 * Every name edu_save() may write, declared: ds_register() checks them at
 * probe, so a misspelt one fails the first probe instead of sending the
 * device cold at the first kexec, and a name missing here is refused at
 * freeze. (EDU_TEST_STATE_NAMES: the test hook's, in DS_TESTING builds.)
 */
static const char *const edu_state_names[] = {
	"live-written", "fact-in", "fact-result", "fact-pending",
	"staged-seed", "dma-seed", "dma-pending", "dma-ok",
	"fact-done", "dma-done", EDU_TEST_STATE_NAMES
	NULL
};

static const struct ds_driver_ops edu_ds_ops = {
	.state_compatible = EDU_STATE_COMPAT,
	.save = edu_save,
	.state_names = edu_state_names,
};

/* ---- the interrupt, which both paths set up ------------------------------ */

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

static void edu_free_buf(struct edu *edu)
{
	if (edu->pbuf)
		ds_dma_free_preserved(edu->ds, edu->pbuf);
	else if (edu->buf)
		dma_free_coherent(&edu->pdev->dev, EDU_BUF_SIZE, edu->buf,
				  edu->buf_dma);
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

	edu->work.live_written = 0x12345678;
	iowrite32(edu->work.live_written, edu->bar + EDU_REG_LIVE);
	if (ioread32(edu->bar + EDU_REG_LIVE) != ~edu->work.live_written) {
		pci_err(pdev, "liveness check failed\n");
		return -EIO;
	}

	/*
	 * The DMA target: preserved when registered and devstate has a
	 * region, else plain. Unregistered, probe has already said why.
	 */
	edu->pbuf = NULL;
	if (edu->ds) {
		edu->pbuf = ds_dma_alloc_preserved(edu->ds, EDU_DMA_NAME,
						   EDU_BUF_SIZE);
		if (IS_ERR(edu->pbuf)) {
			pci_info(pdev, "no preserved DMA buffer (%pe): this device will not survive kexec\n",
				 edu->pbuf);
			edu->pbuf = NULL;
		}
	}
	if (edu->pbuf) {
		edu->buf = edu->pbuf->vaddr;
		edu->buf_dma = edu->pbuf->dma;
	} else {
		edu->buf = dma_alloc_coherent(&pdev->dev, EDU_BUF_SIZE,
					      &edu->buf_dma, GFP_KERNEL);
		if (!edu->buf)
			return -ENOMEM;
		/*
		 * The device now writes memory outside the pool, which the
		 * next kernel owns: it must never be kept alive. Leaving
		 * devstate makes its shutdown quiesce it (devstate refuses
		 * keep-alive to a device the sealed blob does not record).
		 */
		ds_unregister(edu->ds);
		edu->ds = NULL;
	}

	pci_set_master(pdev);
	ret = edu_setup_irq(edu);
	if (ret) {
		edu_free_buf(edu);
		return ret;
	}
	iowrite32(EDU_STATUS_FACT_IRQ, edu->bar + EDU_REG_STATUS);
	return 0;
}

/* ---- devstate step 3: the adopt path ------------------------------------- */

/*
 * The previous kernel's work, read into @w: the caller commits it to the
 * device's state only once adoption is decided, so a device that goes
 * cold after all never reports the old kernel's pending work.
 */
static int edu_restore(struct edu_work *w, const struct ds_incoming *in)
{
	u32 fact_pending, dma_pending, dma_ok;
	int ret;

	ret = ds_restore_u32(in, "live-written", &w->live_written) ?:
	      ds_restore_u32(in, "fact-in", &w->fact_in) ?:
	      ds_restore_u32(in, "fact-result", &w->fact_result) ?:
	      ds_restore_u32(in, "fact-pending", &fact_pending) ?:
	      ds_restore_u32(in, "staged-seed", &w->staged_seed) ?:
	      ds_restore_u32(in, "dma-seed", &w->dma_seed) ?:
	      ds_restore_u32(in, "dma-pending", &dma_pending) ?:
	      ds_restore_u32(in, "dma-ok", &dma_ok) ?:
	      ds_restore_u64(in, "fact-done", &w->fact_done) ?:
	      ds_restore_u64(in, "dma-done", &w->dma_done);
	if (ret)
		return ret;
	w->fact_pending = fact_pending;
	w->dma_pending = dma_pending;
	w->dma_ok = dma_ok;
	return 0;
}

/*
 * Take over a device the previous kernel left running: only reads touch it
 * until the MSI vector is re-armed. Returns NULL, or a short reason when
 * adoption is impossible after all (the caller declines and goes cold).
 */
static const char *edu_adopt(struct edu *edu, struct ds_incoming *in)
{
	struct edu_work w = { 0 };
	struct ds_dma_buf *b;

	if (!edu->ds)
		return "not registered with devstate";
	if ((ioread32(edu->bar + EDU_REG_ID) & 0xff) != 0xed)
		return "device does not answer";
	if (edu_restore(&w, in))
		return "private state incomplete";
	/* On a decline, devstate takes back what was reclaimed here. */
	b = ds_dma_reclaim(edu->ds, in, EDU_DMA_NAME);
	if (IS_ERR(b))
		return "DMA buffer not reclaimable";
	edu->pbuf = b;
	edu->buf = b->vaddr;
	edu->buf_dma = b->dma;

	/*
	 * Decided, unless the interrupt cannot be had: the previous kernel's
	 * work becomes ours before the handler can look at it.
	 */
	edu->work = w;
	edu_test_restore(edu, in);
	pci_set_master(edu->pdev);	/* already on: no write */
	if (edu_setup_irq(edu)) {
		memset(&edu->work, 0, sizeof(edu->work));
		edu->pbuf = NULL;
		edu->buf = NULL;
		return "cannot re-arm MSI";
	}

	/*
	 * Completions that came while no kernel listened sit in the interrupt
	 * status register: their MSI went nowhere. Handle them now, once,
	 * under the lock the interrupt handler takes too.
	 */
	spin_lock_irq(&edu->lock);
	edu->gap_status = edu_reap_locked(edu);
	spin_unlock_irq(&edu->lock);
	return NULL;
}

/* ---- devstate step 1: probe picks the path -------------------------------- */

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	enum ds_reason reason;
	const char *why;
	struct edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	spin_lock_init(&edu->lock);
	pci_set_drvdata(pdev, edu);
	edu_test_probe_start(edu);

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

	/* ... and ask for it to be kept alive (NULL: devstate not loaded). */
	edu->ds = ds_register(pdev, &edu_ds_ops, edu);
	if (IS_ERR(edu->ds)) {
		pci_warn(pdev, "devstate: %pe, no keep-alive\n", edu->ds);
		edu->ds = NULL;
	}

	if (in) {
		why = edu_adopt(edu, in);
		if (!why) {
			edu->adopted = true;
			why = ds_reason_str(DS_ADOPT);
			ds_adopted(in);
		} else {
			ds_decline(in, why);
		}
	} else {
		why = ds_reason_str(reason);
	}
	strscpy(edu->reason, why, sizeof(edu->reason));

	if (edu->adopted) {
		pci_info(pdev, "adopted: live 0x%08x, fact(%u)=%u, %u completion(s) from the kexec gap (irq status 0x%x)\n",
			 ioread32(edu->bar + EDU_REG_LIVE), edu->work.fact_in,
			 edu->work.fact_result,
			 hweight32(edu->gap_status & (EDU_IRQ_FACT | EDU_IRQ_DMA)),
			 edu->gap_status);
	} else {
		pci_info(pdev, "cold: %s\n", edu->reason);
		ret = edu_cold_init(edu);
		if (ret)
			goto err_unregister;
	}

	edu_test_probe_done(edu);
	return 0;

err_unregister:
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

	edu_test_remove(edu);
	iowrite32(0, edu->bar + EDU_REG_STATUS);
	edu_dma_wait(edu);
	edu_teardown_irq(edu);
	edu_free_buf(edu);
	ds_unregister(edu->ds);
}

/* ---- devstate step 5: shutdown -------------------------------------------- */

static void edu_shutdown(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);
	const char *dma;
	int i;

	edu_test_shutdown(edu);
	dma = edu_dma_busy(edu) ? "in flight" : "idle";
	/*
	 * Ask first, on every shutdown: devstate may refuse (a translating
	 * IOMMU, say), and then the DMA must stop here like on any reboot.
	 */
	if (ds_shutdown_keepalive(pdev)) {
		pci_info(pdev, "shutdown: keep-alive, DMA %s\n", dma);
		/*
		 * Keep it running: no reset, bus mastering stays on. But
		 * silence its interrupt for the gap: an MSI raised now would
		 * land in the next kernel on a vector it never assigned ("No
		 * irq handler for vector"). Freeing the vectors clears MSI
		 * enable in config space, which does not stop the device's
		 * work, and turns INTx back on, so turn that off too. A
		 * completion then waits in the interrupt status register,
		 * where the next kernel looks when it adopts the device.
		 */
		edu_teardown_irq(edu);
		pci_intx(pdev, 0);
		return;
	}
	pci_info(pdev, "shutdown: quiesce, DMA %s\n", dma);
	iowrite32(0, edu->bar + EDU_REG_STATUS);
	for (i = 0; i < 200 && edu_dma_busy(edu); i++)
		mdelay(1);
	iowrite32(~0u, edu->bar + EDU_REG_IRQ_ACK);
	pci_clear_master(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
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
/*
 * devstate step 0: devstate.ko is found at run time (symbol_get), not
 * linked, so nothing makes it load first. At boot udev loads this driver
 * for its device; were devstate.ko not loaded yet, the device would take
 * the cold path and not be registered for the next kexec. modprobe (and
 * so udev) loads a soft dependency first.
 */
MODULE_SOFTDEP("pre: devstate");
