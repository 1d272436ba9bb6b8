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
 *      device.
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
 * The device:
 *   BAR0 registers (256 bytes): 0x00 interrupt mask, 0x04 interrupt status,
 *   0x08 IVPosition (this peer's ID; ivshmem-plain has no peers to ring),
 *   0x0c doorbell. BAR2: the shared memory, a 64-bit prefetchable memory
 *   BAR as large as the host memory backend behind it, e.g.
 *     -object memory-backend-ram,id=hostmem,size=4M
 *     -device ivshmem-plain,memdev=hostmem
 *   Its contents live in the host, outside the guest's RAM: a kexec does
 *   not touch them, only a driver can.
 *
 * Layout this driver keeps in the shared memory: a header at offset 0
 * (struct ivshm_header, little-endian), data from IVSHM_DATA_OFFSET to the
 * end of the BAR.
 *
 * For tests, debugfs devstate_ivshmem/ holds "ctl" (write "fill SEED": fill
 * the data area with the pattern of SEED, a hex number; "tamper-at-jump":
 * change one data word in .shutdown of a keep-alive kexec, after the save
 * hook took the checksum) and "state" (read "key value" lines).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>

#define IVSHM_VENDOR		0x1af4
#define IVSHM_DEVICE		0x1110

#define IVSHM_BAR_REGS		0
#define IVSHM_BAR_SHM		2

#define IVSHM_REG_INTRMASK	0x00
#define IVSHM_REG_INTRSTATUS	0x04
#define IVSHM_REG_IVPOSITION	0x08

/* "DSIV", little-endian in memory */
#define IVSHM_MAGIC		0x56495344
#define IVSHM_LAYOUT_VERSION	1
#define IVSHM_DATA_OFFSET	4096

/* The compatible of our private state; bump it when its meaning changes. */
#define IVSHM_STATE_COMPAT	"devstate-ivshmem,state-v1"

/* At offset 0 of the shared memory. Little-endian: peers may be any guest. */
struct ivshm_header {
	__le32 magic;		/* IVSHM_MAGIC */
	__le32 version;		/* IVSHM_LAYOUT_VERSION */
	__le64 generation;	/* bumped by every write through this driver */
	__le64 size;		/* bytes of the whole shared memory */
	__le32 seed;		/* pattern of the data area */
	__le32 reserved;
};

struct ivshm {
	struct pci_dev *pdev;
	void __iomem *regs;		/* BAR0 */
	void *shm;			/* BAR2, mapped write-back */
	size_t size;
	struct ds_device *ds;		/* our devstate registration */
	struct dentry *dbg;
	struct mutex lock;		/* writes to the memory; the save hook */

	/* What this kernel saw. */
	bool adopted;
	char reason[64];
	u32 inits;			/* cold initialisations */
	s64 probe_us;
	s64 map_us;			/* enabling and mapping the BARs */
	s64 path_us;			/* the adopt check or the cold init */
	s64 crc_us;			/* last whole-BAR checksum took */
	u64 saved_generation;		/* what the previous kernel saved */
	u32 saved_crc;
	bool tamper_at_jump;		/* test: change the memory at shutdown */
};

static struct ivshm *ivshm_single;	/* one device per driver, for debugfs */

static struct ivshm_header *ivshm_hdr(struct ivshm *iv)
{
	return iv->shm;
}

static __le32 *ivshm_data(struct ivshm *iv)
{
	return iv->shm + IVSHM_DATA_OFFSET;
}

static size_t ivshm_data_words(const struct ivshm *iv)
{
	return (iv->size - IVSHM_DATA_OFFSET) / sizeof(__le32);
}

static u32 ivshm_pattern(u32 seed, size_t i)
{
	return seed ^ ((u32)i * 0x9e3779b9u);
}

/* The checksum of the whole BAR, header included, and how long it took. */
static u32 ivshm_crc(struct ivshm *iv)
{
	ktime_t t0 = ktime_get();
	u32 crc = crc32_le(~0u, iv->shm, iv->size) ^ ~0u;

	iv->crc_us = ktime_us_delta(ktime_get(), t0);
	return crc;
}

static bool ivshm_pattern_ok(struct ivshm *iv)
{
	u32 seed = le32_to_cpu(ivshm_hdr(iv)->seed);
	const __le32 *w = ivshm_data(iv);
	size_t i, n = ivshm_data_words(iv);

	for (i = 0; i < n; i++)
		if (le32_to_cpu(w[i]) != ivshm_pattern(seed, i))
			return false;
	return true;
}

/* Fill the data area with the pattern of @seed. Caller holds the lock. */
static void ivshm_fill(struct ivshm *iv, u32 seed)
{
	struct ivshm_header *h = ivshm_hdr(iv);
	__le32 *w = ivshm_data(iv);
	size_t i, n = ivshm_data_words(iv);

	for (i = 0; i < n; i++)
		w[i] = cpu_to_le32(ivshm_pattern(seed, i));
	h->seed = cpu_to_le32(seed);
	le64_add_cpu(&h->generation, 1);
}

/* ---- devstate step 4: the save hook ------------------------------------- */

static int ivshm_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct ivshm *iv = priv;
	int ret;

	/* The lock waits for a fill in progress; later ones see the freeze. */
	mutex_lock(&iv->lock);
	ret = ds_save_u64(ctx, "size", iv->size) ?:
	      ds_save_u64(ctx, "generation",
			  le64_to_cpu(ivshm_hdr(iv)->generation)) ?:
	      ds_save_u32(ctx, "crc32", ivshm_crc(iv));
	mutex_unlock(&iv->lock);
	return ret;
}

static const struct ds_driver_ops ivshm_ds_ops = {
	.state_compatible = IVSHM_STATE_COMPAT,
	.save = ivshm_save,
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

/* ---- debugfs: the test interface ------------------------------------------ */

static int ivshm_state_show(struct seq_file *m, void *v)
{
	struct ivshm *iv = m->private;
	struct pci_dev *pdev = iv->pdev;
	const struct resource *shm = &pdev->resource[IVSHM_BAR_SHM];
	struct ivshm_header *h = ivshm_hdr(iv);
	u16 cmd;
	u32 crc;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	mutex_lock(&iv->lock);
	crc = ivshm_crc(iv);
	seq_printf(m, "path %s\n", iv->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", iv->reason);
	seq_printf(m, "inits %u\n", iv->inits);
	seq_printf(m, "probe_us %lld\n", iv->probe_us);
	seq_printf(m, "map_us %lld\n", iv->map_us);
	seq_printf(m, "path_us %lld\n", iv->path_us);
	seq_printf(m, "bar2_start 0x%llx\n", (u64)shm->start);
	seq_printf(m, "bar2_size 0x%llx\n", (u64)resource_size(shm));
	seq_printf(m, "bar2_64bit %d\n", !!(shm->flags & IORESOURCE_MEM_64));
	seq_printf(m, "bar2_prefetch %d\n", !!(shm->flags & IORESOURCE_PREFETCH));
	seq_printf(m, "intx_disabled %d\n", !!(cmd & PCI_COMMAND_INTX_DISABLE));
	seq_printf(m, "ivposition 0x%08x\n",
		   ioread32(iv->regs + IVSHM_REG_IVPOSITION));
	seq_printf(m, "magic 0x%08x\n", le32_to_cpu(h->magic));
	seq_printf(m, "generation %llu\n", le64_to_cpu(h->generation));
	seq_printf(m, "seed 0x%08x\n", le32_to_cpu(h->seed));
	seq_printf(m, "word0 0x%08x\n", le32_to_cpu(*ivshm_data(iv)));
	seq_printf(m, "pattern_ok %d\n", ivshm_pattern_ok(iv));
	seq_printf(m, "crc32 0x%08x\n", crc);
	seq_printf(m, "crc_us %lld\n", iv->crc_us);
	seq_printf(m, "saved_generation %llu\n", iv->saved_generation);
	seq_printf(m, "saved_crc32 0x%08x\n", iv->saved_crc);
	mutex_unlock(&iv->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ivshm_state);

static ssize_t ivshm_ctl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct ivshm *iv = file->private_data;
	char cmd[32];
	u32 seed;
	int ret = 0;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);

	mutex_lock(&iv->lock);
	/* Once frozen the saved checksum describes the memory: no writes. */
	if (ds_keepalive_armed())
		ret = -EBUSY;
	else if (sscanf(cmd, "fill %x", &seed) == 1)
		ivshm_fill(iv, seed);
	else if (!strcmp(cmd, "tamper-at-jump"))
		iv->tamper_at_jump = true;
	else
		ret = -EINVAL;
	mutex_unlock(&iv->lock);
	return ret ? ret : len;
}

static const struct file_operations ivshm_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ivshm_ctl_write,
	.llseek = noop_llseek,
};

static void ivshm_debugfs_init(struct ivshm *iv)
{
	iv->dbg = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("state", 0400, iv->dbg, iv, &ivshm_state_fops);
	debugfs_create_file("ctl", 0200, iv->dbg, iv, &ivshm_ctl_fops);
}

/* ---- probe: devstate step 1 picks the path ------------------------------- */

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
	ktime_t t0 = ktime_get(), t;
	const char *why;
	struct ivshm *iv;
	int ret;

	if (ivshm_single)
		return -EBUSY;
	iv = devm_kzalloc(&pdev->dev, sizeof(*iv), GFP_KERNEL);
	if (!iv)
		return -ENOMEM;
	iv->pdev = pdev;
	mutex_init(&iv->lock);
	pci_set_drvdata(pdev, iv);

	/* devstate step 1: is there a record of this device to adopt? */
	in = ds_lookup(pdev, IVSHM_STATE_COMPAT, &reason);

	t = ktime_get();
	ret = pcim_enable_device(pdev);
	if (ret)
		goto err_decline;
	ret = ivshm_map(iv);
	if (ret)
		goto err_decline;
	iv->map_us = ktime_us_delta(ktime_get(), t);

	iv->ds = ds_register(pdev, &ivshm_ds_ops, iv);
	if (IS_ERR(iv->ds)) {
		ret = PTR_ERR(iv->ds);
		goto err_decline;
	}

	t = ktime_get();
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
	iv->path_us = ktime_us_delta(ktime_get(), t);
	/* No interrupts in ivshmem-plain: keep INTx off (already off on adopt). */
	pci_intx(pdev, 0);

	iv->probe_us = ktime_us_delta(ktime_get(), t0);
	ivshm_debugfs_init(iv);
	ivshm_single = iv;
	return 0;

err_decline:
	if (in)
		ds_decline(in, "probe failed");
	return ret;
}

static void ivshm_remove(struct pci_dev *pdev)
{
	struct ivshm *iv = pci_get_drvdata(pdev);

	debugfs_remove_recursive(iv->dbg);
	ivshm_single = NULL;
	ds_unregister(iv->ds);
}

/* ---- devstate step 5: shutdown -------------------------------------------- */

static void ivshm_shutdown(struct pci_dev *pdev)
{
	struct ivshm *iv = pci_get_drvdata(pdev);

	if (!ds_keepalive_armed())
		return;		/* nothing runs in the device to quiesce */
	/*
	 * Test knob: stand in for a peer writing during the gap. The saved
	 * checksum no longer matches; the next kernel must decline.
	 */
	if (iv->tamper_at_jump) {
		le32_add_cpu(ivshm_data(iv), 1);
		pci_info(pdev, "shutdown: changed one data word after the freeze (tamper-at-jump)\n");
	}
	pci_info(pdev, "shutdown: keep-alive, shared memory left as it is\n");
}

static const struct pci_device_id ivshm_ids[] = {
	{ PCI_DEVICE(IVSHM_VENDOR, IVSHM_DEVICE) },
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
