// SPDX-License-Identifier: GPL-2.0
/*
 * The VM tests' window into devstate_ivshmem: compiled only in DS_TESTING
 * builds (make modules DS_TESTING=1), never part of the example proper.
 *
 * debugfs devstate_ivshmem/<device>/ holds, per device:
 *   ctl    write one command: "fill SEED" (fill the data area with the
 *          pattern of SEED, a hex number, and bump the generation),
 *          "tamper-at-jump" (the fault knob of
 *          tests/vm/scenarios/ivshmem-tamper.sh: change one data word in
 *          .shutdown of a keep-alive kexec, after the save hook took the
 *          checksum, standing in for a peer writing during the gap)
 *   state  read "key value" lines: what the driver and the memory say,
 *          and how long probe's steps and a whole-BAR checksum took
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>
#include "devstate_ivshmem.h"

/* debugfs devstate_ivshmem/, shared by the devices; created with the first. */
static DEFINE_MUTEX(ivshm_test_root_lock);
static struct dentry *ivshm_test_root;
static unsigned int ivshm_test_root_users;

static s64 ivshm_us_since(u64 t0_ns)
{
	return div_s64(ktime_get_ns() - t0_ns, NSEC_PER_USEC);
}

/* ---- the data area and its pattern ----------------------------------------- */

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

/* Fill the data area with the pattern of @seed. Caller holds iv->lock. */
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

/* ---- the hooks devstate_ivshmem_main.c calls ------------------------------- */

void ivshm_test_step(struct ivshm *iv, enum ivshm_test_step step)
{
	struct ivshm_test *t = &iv->test;

	switch (step) {
	case IVSHM_STEP_START:
		t->t0_ns = ktime_get_ns();
		break;
	case IVSHM_STEP_MAPPED:
		t->mapped_ns = ktime_get_ns();
		t->map_us = ivshm_us_since(t->t0_ns);
		break;
	case IVSHM_STEP_PATH:
		t->path_us = ivshm_us_since(t->mapped_ns);
		break;
	}
}

/* In .shutdown of a keep-alive kexec, after the save hook. */
void ivshm_test_shutdown(struct ivshm *iv)
{
	bool tamper;

	mutex_lock(&iv->lock);
	tamper = iv->test.tamper_at_jump;
	if (tamper)
		le32_add_cpu(ivshm_data(iv), 1);
	mutex_unlock(&iv->lock);
	if (tamper)
		pci_info(iv->pdev, "shutdown: changed one data word after the freeze (tamper-at-jump)\n");
}

/* ---- debugfs ---------------------------------------------------------------- */

static int ivshm_state_show(struct seq_file *m, void *v)
{
	struct ivshm *iv = m->private;
	struct pci_dev *pdev = iv->pdev;
	const struct resource *shm = &pdev->resource[IVSHM_BAR_SHM];
	struct ivshm_header *h = ivshm_hdr(iv);
	u64 t0;
	s64 crc_us;
	u16 cmd;
	u32 crc;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	mutex_lock(&iv->lock);
	t0 = ktime_get_ns();
	crc = ivshm_crc(iv);
	crc_us = ivshm_us_since(t0);
	seq_printf(m, "path %s\n", iv->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", iv->reason);
	seq_printf(m, "inits %u\n", iv->inits);
	seq_printf(m, "probe_us %lld\n", iv->test.probe_us);
	seq_printf(m, "map_us %lld\n", iv->test.map_us);
	seq_printf(m, "path_us %lld\n", iv->test.path_us);
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
	seq_printf(m, "crc_us %lld\n", crc_us);
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
	char buf[32], *cmd;
	u32 seed;
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	cmd = strim(buf);

	mutex_lock(&iv->lock);
	/* Once frozen the saved checksum describes the memory: no writes. */
	if (ds_keepalive_armed())
		ret = -EBUSY;
	else if (sscanf(cmd, "fill %x", &seed) == 1)
		ivshm_fill(iv, seed);
	else if (!strcmp(cmd, "tamper-at-jump"))
		iv->test.tamper_at_jump = true;
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

/* Last thing in probe: give the tests their files. */
void ivshm_test_probe_done(struct ivshm *iv)
{
	iv->test.probe_us = ivshm_us_since(iv->test.t0_ns);

	mutex_lock(&ivshm_test_root_lock);
	if (!ivshm_test_root_users++)
		ivshm_test_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	iv->test.dir = debugfs_create_dir(pci_name(iv->pdev), ivshm_test_root);
	mutex_unlock(&ivshm_test_root_lock);
	debugfs_create_file("state", 0400, iv->test.dir, iv, &ivshm_state_fops);
	debugfs_create_file("ctl", 0200, iv->test.dir, iv, &ivshm_ctl_fops);
}

/* First thing in remove: no test reaches the device from here on. */
void ivshm_test_remove(struct ivshm *iv)
{
	debugfs_remove_recursive(iv->test.dir);
	mutex_lock(&ivshm_test_root_lock);
	if (!--ivshm_test_root_users) {
		debugfs_remove(ivshm_test_root);
		ivshm_test_root = NULL;
	}
	mutex_unlock(&ivshm_test_root_lock);
}
