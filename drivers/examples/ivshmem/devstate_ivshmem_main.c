// SPDX-License-Identifier: GPL-2.0
/*
 * devstate_ivshmem - keep the contents of QEMU's ivshmem-plain across kexec
 *
 * This example drives QEMU's inter-VM shared memory device in its plain
 * flavour (-device ivshmem-plain, ID 1af4:1110; QEMU's docs/specs/ivshmem-spec.rst).
 * Where the edu example shows interrupts and DMA in flight, this one shows
 * the other half of what a driver keeps alive: a large memory BAR whose
 * contents are the device's state, and a driver that must prove to itself
 * they are intact before it adopts them. Search for "devstate step":
 *
 *   1. Probe asks devstate for the record the previous kernel left
 *      (ds_lookup). devstate has already compared the bridge chain and
 *      every BAR, including the 64-bit prefetchable BAR2, with the live
 *      device. Probe also registers the device for the next kexec
 *      (ds_register); if that fails, the device just will not be kept.
 *      Without devstate.ko the module still loads: ds_lookup() says
 *      "no-devstate", ds_register() returns NULL, the path is cold.
 *   2. Cold path: no usable record. Write a fresh header into the shared
 *      memory and clear the rest, as a driver seeing the memory for the
 *      first time would.
 *   3. Adopt path: a matching record. Write nothing into the shared memory.
 *      Check the header, then recompute the checksum of the whole BAR and
 *      compare it with the one the previous kernel saved at freeze. If
 *      anything changed while no kernel was looking (a peer, a host-side
 *      writer, a bug), refuse adoption (ds_decline) and go cold.
 *   4. Save hook: at freeze, record the generation counter of the memory
 *      and its checksum with ds_save_*.
 *   5. Shutdown: nothing to quiesce (no DMA, no interrupts); during a
 *      keep-alive kexec the memory is simply left as it is.
 *
 * What the example does not need: ivshmem-plain has no interrupts, so the
 * driver disables INTx and the record says irq mode "none"; the device does
 * no DMA, so there is no preserved DMA buffer.
 *
 * The device: BAR0 holds 256 bytes of registers, BAR2 the shared memory, a
 * 64-bit prefetchable memory BAR as large as the host memory backend
 * behind it, e.g.
 *     -object memory-backend-ram,id=hostmem,size=4M
 *     -device ivshmem-plain,memdev=hostmem
 * Its contents live in the host, outside the guest's RAM: a kexec does not
 * touch them, only a driver can. This driver keeps a header at offset 0
 * (struct ivshm_header in devstate_ivshmem.h) and data after it.
 *
 * Who writes the data? In this example only the VM tests do, through
 * debugfs (devstate_ivshmem_test.c, built with DS_TESTING=1). The
 * ivshm_test_*() calls below are its hooks; in an ordinary build they
 * compile to nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include <devstate/driver.h>
#include "devstate_ivshmem.h"

/* The compatible of our private state; bump it when its meaning changes. */
#define IVSHM_STATE_COMPAT	"devstate-ivshmem,state-v1"

/* The checksum of the whole BAR, header included. */
u32 ivshm_crc(struct ivshm *iv)
{
	return crc32_le(~0u, iv->shm, iv->size) ^ ~0u;
}

/* ---- devstate step 4: the save hook ------------------------------------- */

static int ivshm_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct ivshm *iv = priv;
	int ret;

	/* The lock waits for a write in progress; later ones see the freeze. */
	mutex_lock(&iv->lock);
	ret = ds_save_u64(ctx, "size", iv->size) ?:
	      ds_save_u64(ctx, "generation",
			  le64_to_cpu(ivshm_hdr(iv)->generation)) ?:
	      ds_save_u32(ctx, "crc32", ivshm_crc(iv));
	mutex_unlock(&iv->lock);
	return ret;
}

/* What ivshm_save() writes, checked by ds_register() at probe. */
static const char *const ivshm_state_names[] = {
	"size", "generation", "crc32", NULL
};

static const struct ds_driver_ops ivshm_ds_ops = {
	.state_compatible = IVSHM_STATE_COMPAT,
	.save = ivshm_save,
	.state_names = ivshm_state_names,
};

/* ---- devstate step 2: the cold path -------------------------------------- */

/*
 * Start from nothing: mask the (unused) interrupts, write a fresh header
 * and clear the data. A driver that meets the memory cold cannot tell what
 * it holds, so it owns none of it.
 */
static void ivshm_cold_init(struct ivshm *iv)
{
	struct ivshm_header *h = ivshm_hdr(iv);

	iv->inits++;
	iowrite32(0, iv->regs + IVSHM_REG_INTRMASK);
	ioread32(iv->regs + IVSHM_REG_INTRSTATUS);	/* read clears it */

	mutex_lock(&iv->lock);
	memset(iv->shm, 0, iv->size);
	h->magic = cpu_to_le32(IVSHM_MAGIC);
	h->version = cpu_to_le32(IVSHM_LAYOUT_VERSION);
	h->size = cpu_to_le64(iv->size);
	h->generation = cpu_to_le64(0);
	mutex_unlock(&iv->lock);
}

/* ---- devstate step 3: the adopt path ------------------------------------- */

/*
 * Decide whether the memory the previous kernel left is what it described
 * at freeze. Reads only. Returns NULL to adopt, or a short reason to
 * decline (the caller goes cold).
 */
static const char *ivshm_adopt(struct ivshm *iv, const struct ds_incoming *in)
{
	const struct ivshm_header *h = ivshm_hdr(iv);
	u64 size;
	u32 crc;

	if (ds_restore_u64(in, "size", &size) ||
	    ds_restore_u64(in, "generation", &iv->saved_generation) ||
	    ds_restore_u32(in, "crc32", &iv->saved_crc))
		return "private state incomplete";
	/* devstate compared the BAR size already; this is our own layout. */
	if (size != iv->size || le64_to_cpu(h->size) != iv->size)
		return "shared memory size changed";
	if (le32_to_cpu(h->magic) != IVSHM_MAGIC ||
	    le32_to_cpu(h->version) != IVSHM_LAYOUT_VERSION)
		return "shared memory header lost";
	if (le64_to_cpu(h->generation) != iv->saved_generation)
		return "shared memory generation changed";
	crc = ivshm_crc(iv);
	if (crc != iv->saved_crc) {
		pci_warn(iv->pdev, "shared memory checksum 0x%08x, saved 0x%08x\n",
			 crc, iv->saved_crc);
		return "shared memory changed";
	}
	return NULL;
}

/* ---- devstate step 1: probe picks the path -------------------------------- */

/* Map BAR0 for the registers and BAR2, plain memory in the host, write-back. */
static int ivshm_map(struct ivshm *iv)
{
	struct pci_dev *pdev = iv->pdev;
	int ret;

	ret = pcim_iomap_regions(pdev, BIT(IVSHM_BAR_REGS), KBUILD_MODNAME);
	if (ret)
		return ret;
	iv->regs = pcim_iomap_table(pdev)[IVSHM_BAR_REGS];
	/* Managed: released with the device, as pcim_enable_device() set up. */
	ret = pci_request_region(pdev, IVSHM_BAR_SHM, KBUILD_MODNAME);
	if (ret)
		return ret;
	iv->size = pci_resource_len(pdev, IVSHM_BAR_SHM);
	if (iv->size <= IVSHM_DATA_OFFSET) {
		pci_err(pdev, "shared memory of %zu bytes is too small\n", iv->size);
		return -ENODEV;
	}
	iv->shm = devm_memremap(&pdev->dev, pci_resource_start(pdev, IVSHM_BAR_SHM),
				iv->size, MEMREMAP_WB);
	return PTR_ERR_OR_ZERO(iv->shm);
}

static int ivshm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	enum ds_reason reason;
	const char *why;
	struct ivshm *iv;
	int ret;

	iv = devm_kzalloc(&pdev->dev, sizeof(*iv), GFP_KERNEL);
	if (!iv)
		return -ENOMEM;
	iv->pdev = pdev;
	mutex_init(&iv->lock);
	pci_set_drvdata(pdev, iv);
	ivshm_test_step(iv, IVSHM_STEP_START);

	/* devstate step 1: is there a record of this device to adopt? */
	in = ds_lookup(pdev, IVSHM_STATE_COMPAT, &reason);

	ret = pcim_enable_device(pdev);
	if (ret)
		goto err_decline;
	ret = ivshm_map(iv);
	if (ret)
		goto err_decline;
	ivshm_test_step(iv, IVSHM_STEP_MAPPED);

	/* ... and ask for it to be kept alive across the next kexec. */
	iv->ds = ds_register(pdev, &ivshm_ds_ops, iv);
	if (IS_ERR(iv->ds)) {
		pci_warn(pdev, "devstate: %pe, no keep-alive\n", iv->ds);
		iv->ds = NULL;
	}

	if (in) {
		why = ivshm_adopt(iv, in);
		if (!why) {
			iv->adopted = true;
			why = ds_reason_str(DS_ADOPT);
			ds_adopted(in);
		} else {
			ds_decline(in, why);
		}
	} else {
		why = ds_reason_str(reason);
	}
	strscpy(iv->reason, why, sizeof(iv->reason));

	if (iv->adopted) {
		pci_info(pdev, "adopted: %zu KiB of shared memory at generation %llu, checksum 0x%08x intact\n",
			 iv->size >> 10, iv->saved_generation, iv->saved_crc);
	} else {
		pci_info(pdev, "cold: %s\n", iv->reason);
		ivshm_cold_init(iv);
	}
	ivshm_test_step(iv, IVSHM_STEP_PATH);
	/* No interrupts in ivshmem-plain: keep INTx off (already off on adopt). */
	pci_intx(pdev, 0);

	ivshm_test_probe_done(iv);
	return 0;

err_decline:
	if (in)
		ds_decline(in, "probe failed");
	return ret;
}

static void ivshm_remove(struct pci_dev *pdev)
{
	struct ivshm *iv = pci_get_drvdata(pdev);

	ivshm_test_remove(iv);
	ds_unregister(iv->ds);
}

/* ---- devstate step 5: shutdown -------------------------------------------- */

static void ivshm_shutdown(struct pci_dev *pdev)
{
	struct ivshm *iv = pci_get_drvdata(pdev);

	/*
	 * Nothing runs in the device to quiesce either way; asking is what
	 * puts it in the kept-alive list the next kernel checks before it
	 * lets the driver adopt.
	 */
	if (!ds_shutdown_keepalive(pdev))
		return;
	ivshm_test_shutdown(iv);
	pci_info(pdev, "shutdown: keep-alive, shared memory left as it is\n");
}

static const struct pci_device_id ivshm_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivshm_ids);

static struct pci_driver ivshm_driver = {
	.name = KBUILD_MODNAME,
	.id_table = ivshm_ids,
	.probe = ivshm_probe,
	.remove = ivshm_remove,
	.shutdown = ivshm_shutdown,
};
module_pci_driver(ivshm_driver);

MODULE_DESCRIPTION("QEMU ivshmem-plain shared memory kept across kexec with devstate (example)");
MODULE_LICENSE("GPL");
/* devstate.ko before this driver when udev loads it (see devstate_edu) */
MODULE_SOFTDEP("pre: devstate");
