// SPDX-License-Identifier: GPL-2.0
/*
 * The VM tests' window into devstate_nvme: compiled only in DS_TESTING
 * builds (make modules DS_TESTING=1), never part of the example proper.
 *
 * debugfs devstate_nvme/<device>/ holds, per controller:
 *   ctl    write one command:
 *            "write LBA SEED"       write one page of SEED's pattern at LBA
 *                                   and wait for its completion
 *            "read LBA SEED"        read one page at LBA, wait, and check it
 *                                   holds SEED's pattern
 *            "read-async LBA SEED"  submit the read and return: the command
 *                                   the nvme-inflight scenario leaves in
 *                                   flight at the kexec
 *            "ns-mismatch"          the save hook records a namespace size
 *                                   one block larger than the disk's (the
 *                                   nvme-mismatch scenario)
 *          (LBA decimal, SEED hex)
 *   state  read "key value" lines: what the driver and the controller say
 *
 * The pattern of SEED is what tests/vm/lib.sh writes into the disk image
 * (with the image's seed): word i of block LBA is
 * SEED ^ LBA * 0x01000193 ^ i * 0x9e3779b9, little-endian.
 *
 * At the end of probe it reads the image's page at LBA 0 and logs how long
 * after the start of probe that first I/O completed ("first I/O: N us
 * after probe start (adopted|cold)"): make bench reads the line from the
 * VM logs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>
#include "devstate_nvme.h"

/* The seed tests/vm/lib.sh fills the disk image with. */
#define NVME_IMAGE_SEED		0x1d15c0deu
/* A throttled read (nvme-inflight) takes seconds; allow plenty. */
#define NVME_IO_TIMEOUT_MS	20000

struct nvme_test {
	struct dentry *dir;
	u64 t0_ns;
	s64 probe_us, first_io_us;
	bool ns_mismatch;
	u32 reads_ok, reads_bad, writes_ok, io_errors;
	u64 last_lba;		/* of the last read checked */
	bool last_ok;
};

/* debugfs devstate_nvme/, shared by the controllers; made with the first. */
static DEFINE_MUTEX(nvme_test_root_lock);
static struct dentry *nvme_test_root;
static unsigned int nvme_test_root_users;

/* One ctl command at a time: commands pick a slot and wait for it. */
static DEFINE_MUTEX(nvme_test_ctl_lock);

static u32 nvme_pattern(u32 seed, u64 lba, unsigned int i)
{
	return seed ^ ((u32)lba * 0x01000193u) ^ (i * 0x9e3779b9u);
}

static void nvme_fill(struct nvme_ctrl *c, void *page, u64 lba, u32 seed)
{
	unsigned int bsize = 1u << c->id.lba_shift, i;
	__le32 *w = page;

	for (i = 0; i < NVME_SLOT_BYTES / 4; i++)
		w[i] = cpu_to_le32(nvme_pattern(seed, lba + i * 4 / bsize,
						i % (bsize / 4)));
}

static bool nvme_check(struct nvme_ctrl *c, const void *page, u64 lba, u32 seed)
{
	unsigned int bsize = 1u << c->id.lba_shift, i;
	const __le32 *w = page;

	for (i = 0; i < NVME_SLOT_BYTES / 4; i++)
		if (le32_to_cpu(w[i]) != nvme_pattern(seed, lba + i * 4 / bsize,
						      i % (bsize / 4)))
			return false;
	return true;
}

/* ---- the hooks devstate_nvme_main.c and _queue.c call --------------------- */

/* A command completed; its page is ours again. Caller holds c->lock. */
void nvme_test_completed(struct nvme_ctrl *c, unsigned int slot)
{
	struct nvme_test *t = c->test;
	const struct nvme_slot *s = &c->slots[slot];

	if (!t)
		return;
	if (s->status) {
		t->io_errors++;
	} else if (s->opcode == nvme_cmd_write) {
		t->writes_ok++;
	} else {
		t->last_lba = s->lba;
		t->last_ok = nvme_check(c, nvme_slot_buf(c, slot), s->lba,
					s->cookie);
		if (t->last_ok)
			t->reads_ok++;
		else
			t->reads_bad++;
	}
}

void nvme_test_probe_start(struct nvme_ctrl *c)
{
	/* Allocated here so that completions during probe find it. */
	c->test = devm_kzalloc(&c->pdev->dev, sizeof(*c->test), GFP_KERNEL);
	if (c->test)
		c->test->t0_ns = ktime_get_ns();
}

int nvme_test_save(struct nvme_ctrl *c, struct ds_save_ctx *ctx,
		   struct nvme_identity *id)
{
	if (c->test && c->test->ns_mismatch) {
		id->nsze++;
		pci_info(c->pdev, "test: saving namespace size %llu, not the disk's\n",
			 id->nsze);
	}
	return 0;
}

void nvme_test_shutdown(struct nvme_ctrl *c)
{
	unsigned int i;

	for (i = 0; i < NVME_NR_SLOTS; i++)
		if (c->slots[i].busy)
			pci_info(c->pdev, "shutdown: cid %u opcode 0x%x lba %llu in flight\n",
				 c->slots[i].cid, c->slots[i].opcode,
				 c->slots[i].lba);
}

/* ---- submitting I/O --------------------------------------------------------- */

/* Submit one page of I/O in a free slot; returns the slot or -errno. */
static int nvme_test_submit(struct nvme_ctrl *c, u8 opcode, u64 lba, u32 seed)
{
	unsigned int slot;
	int ret = -EBUSY;

	if (lba + (NVME_SLOT_BYTES >> c->id.lba_shift) > c->id.nsze)
		return -EINVAL;
	spin_lock_irq(&c->lock);
	for (slot = 0; slot < NVME_NR_SLOTS; slot++)
		if (!c->slots[slot].busy)
			break;
	if (slot < NVME_NR_SLOTS) {
		void *page = nvme_slot_buf(c, slot);

		if (opcode == nvme_cmd_write)
			nvme_fill(c, page, lba, seed);
		else
			memset(page, 0, NVME_SLOT_BYTES);
		ret = nvme_io_submit_locked(c, slot, opcode, lba, seed);
	}
	spin_unlock_irq(&c->lock);
	return ret ? ret : slot;
}

/* Wait for the slot's command, completed by the interrupt handler. */
static int nvme_test_wait(struct nvme_ctrl *c, unsigned int slot)
{
	unsigned int ms;
	bool busy = true;
	u16 status = 0;

	for (ms = 0; ms < NVME_IO_TIMEOUT_MS; ms++) {
		spin_lock_irq(&c->lock);
		busy = c->slots[slot].busy;
		status = c->slots[slot].status;
		spin_unlock_irq(&c->lock);
		if (!busy)
			break;
		usleep_range(1000, 1100);
	}
	if (busy)
		return -ETIMEDOUT;
	return status ? -EIO : 0;
}

static int nvme_test_io(struct nvme_ctrl *c, u8 opcode, u64 lba, u32 seed,
			bool wait)
{
	int slot = nvme_test_submit(c, opcode, lba, seed);
	int ret;

	if (slot < 0 || !wait)
		return slot < 0 ? slot : 0;
	ret = nvme_test_wait(c, slot);
	if (!ret && opcode == nvme_cmd_read && !c->test->last_ok)
		ret = -EILSEQ;
	return ret;
}

/* Last thing in probe: the first I/O of this kernel, timed from probe start. */
static void nvme_test_first_io(struct nvme_ctrl *c)
{
	struct nvme_test *t = c->test;
	int ret = nvme_test_io(c, nvme_cmd_read, 0, NVME_IMAGE_SEED, true);

	if (ret) {
		pci_warn(c->pdev, "first I/O failed: %pe\n", ERR_PTR(ret));
		return;
	}
	t->first_io_us = div_s64(ktime_get_ns() - t->t0_ns, NSEC_PER_USEC);
	/* make bench (tests/bench/kernel.c) reads this line. */
	pci_info(c->pdev, "first I/O: %lld us after probe start (%s)\n",
		 t->first_io_us, c->adopted ? "adopted" : "cold");
}

/* ---- debugfs ------------------------------------------------------------------- */

static unsigned int nvme_preserved_bufs(const struct nvme_ctrl *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < NVME_NR_BUFS; i++)
		n += c->bufs[i].pbuf != NULL;
	return n;
}

static int nvme_state_show(struct seq_file *m, void *v)
{
	struct nvme_ctrl *c = m->private;
	const struct nvme_test *t = c->test;
	unsigned int i, busy = 0;

	seq_printf(m, "path %s\n", c->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", c->reason);
	seq_printf(m, "inits %u\n", c->inits);
	seq_printf(m, "probe_us %lld\n", t->probe_us);
	seq_printf(m, "first_io_us %lld\n", t->first_io_us);
	seq_printf(m, "serial %s\n", c->id.serial);
	seq_printf(m, "nsze %llu\n", c->id.nsze);
	seq_printf(m, "lba_shift %u\n", c->id.lba_shift);
	seq_printf(m, "eui64 %8phN\n", c->id.eui64);
	seq_printf(m, "csts 0x%x\n", readl(c->bar + NVME_REG_CSTS));
	seq_printf(m, "msix %d\n", c->pdev->msix_enabled);
	seq_printf(m, "preserved %u\n", nvme_preserved_bufs(c));
	seq_printf(m, "data_phys 0x%llx\n", c->bufs[NVME_BUF_DATA].pbuf ?
		   (u64)c->bufs[NVME_BUF_DATA].pbuf->phys : 0);
	mutex_lock(&c->admin_lock);
	seq_printf(m, "admin_cmds %u\n", c->admin_cmds);
	seq_printf(m, "admin_unsafe %u\n", c->admin_unsafe);
	mutex_unlock(&c->admin_lock);
	spin_lock_irq(&c->lock);
	for (i = 0; i < NVME_NR_SLOTS; i++)
		busy += c->slots[i].busy;
	seq_printf(m, "busy %u\n", busy);
	seq_printf(m, "next_cid %u\n", c->next_cid);
	seq_printf(m, "io_sq_tail %u\n", c->io.sq_tail);
	seq_printf(m, "io_cq_head %u\n", c->io.cq_head);
	seq_printf(m, "io_phase %u\n", c->io.phase);
	seq_printf(m, "completions %llu\n", c->completions);
	seq_printf(m, "gap_consumed %u\n", c->gap_consumed);
	seq_printf(m, "gap_matched %u\n", c->gap_matched);
	seq_printf(m, "duplicates %u\n", c->duplicates);
	seq_printf(m, "reads_ok %u\n", t->reads_ok);
	seq_printf(m, "reads_bad %u\n", t->reads_bad);
	seq_printf(m, "writes_ok %u\n", t->writes_ok);
	seq_printf(m, "io_errors %u\n", t->io_errors);
	seq_printf(m, "last_lba %llu\n", t->last_lba);
	seq_printf(m, "last_ok %d\n", t->last_ok);
	spin_unlock_irq(&c->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvme_state);

static int nvme_ctl(struct nvme_ctrl *c, const char *cmd)
{
	unsigned long long lba;
	u32 seed;

	/* Once frozen the blob describes the controller: no new work. */
	if (ds_keepalive_armed())
		return -EBUSY;
	if (sscanf(cmd, "write %llu %x", &lba, &seed) == 2)
		return nvme_test_io(c, nvme_cmd_write, lba, seed, true);
	if (sscanf(cmd, "read-async %llu %x", &lba, &seed) == 2)
		return nvme_test_io(c, nvme_cmd_read, lba, seed, false);
	if (sscanf(cmd, "read %llu %x", &lba, &seed) == 2)
		return nvme_test_io(c, nvme_cmd_read, lba, seed, true);
	if (!strcmp(cmd, "ns-mismatch")) {
		c->test->ns_mismatch = true;
		return 0;
	}
	return -EINVAL;
}

static ssize_t nvme_ctl_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct nvme_ctrl *c = file->private_data;
	char cmd[48];
	int ret;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';

	mutex_lock(&nvme_test_ctl_lock);
	ret = nvme_ctl(c, strim(cmd));
	mutex_unlock(&nvme_test_ctl_lock);
	return ret ? ret : len;
}

static const struct file_operations nvme_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = nvme_ctl_write,
	.llseek = noop_llseek,
};

/* Last thing in probe: time the first I/O, give the tests their files. */
void nvme_test_probe_done(struct nvme_ctrl *c)
{
	struct nvme_test *t = c->test;

	if (!t)
		return;
	t->probe_us = div_s64(ktime_get_ns() - t->t0_ns, NSEC_PER_USEC);
	nvme_test_first_io(c);

	mutex_lock(&nvme_test_root_lock);
	if (!nvme_test_root_users++)
		nvme_test_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	t->dir = debugfs_create_dir(pci_name(c->pdev), nvme_test_root);
	mutex_unlock(&nvme_test_root_lock);
	debugfs_create_file("state", 0400, t->dir, c, &nvme_state_fops);
	debugfs_create_file("ctl", 0200, t->dir, c, &nvme_ctl_fops);
}

/* First thing in remove: no test reaches the controller from here on. */
void nvme_test_remove(struct nvme_ctrl *c)
{
	if (!c->test)
		return;
	debugfs_remove_recursive(c->test->dir);
	mutex_lock(&nvme_test_root_lock);
	if (!--nvme_test_root_users) {
		debugfs_remove(nvme_test_root);
		nvme_test_root = NULL;
	}
	mutex_unlock(&nvme_test_root_lock);
}
