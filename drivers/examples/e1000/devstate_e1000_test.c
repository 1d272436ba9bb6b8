// SPDX-License-Identifier: GPL-2.0
/*
 * The VM tests' window into devstate_e1000: compiled only in DS_TESTING
 * builds (make modules DS_TESTING=1), never part of the example proper.
 *
 * debugfs devstate_e1000/<device>/state reads "key value" lines: the path
 * taken and why, the frames found in the ring at adoption, the service's
 * counters now and as the previous kernel saved them, and the ring
 * registers. Reading it first takes what the ring holds, so the counters
 * are current even between interrupts.
 *
 * devstate_e1000/<device>/ctl takes one command: "damage-at-save" makes
 * the next save hook record a receive position one past the real one, a
 * damaged record the adopting driver must refuse (scenario e1000-corrupt).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>
#include "devstate_e1000.h"

/* debugfs devstate_e1000/, shared by the devices; created with the first. */
static DEFINE_MUTEX(e1k_test_root_lock);
static struct dentry *e1k_test_root;
static unsigned int e1k_test_root_users;

static void e1k_show_stats(struct seq_file *m, const char *prefix,
			   const struct e1k_stats *st)
{
	seq_printf(m, "%srx_frames %llu\n", prefix, st->rx_frames);
	seq_printf(m, "%sreplies %llu\n", prefix, st->replies);
	seq_printf(m, "%sbad %llu\n", prefix, st->bad);
	seq_printf(m, "%sdisorder %llu\n", prefix, st->disorder);
	seq_printf(m, "%stx_full %llu\n", prefix, st->tx_full);
	seq_printf(m, "%slast_seq %u\n", prefix, st->last_seq);
}

static int e1k_state_show(struct seq_file *m, void *v)
{
	struct e1k *e = m->private;

	e1k_poll(e);
	mutex_lock(&e->lock);
	seq_printf(m, "path %s\n", e->adopted ? "adopted" : "cold");
	seq_printf(m, "reason %s\n", e->reason);
	seq_printf(m, "inits %u\n", e->inits);
	seq_printf(m, "preserved %d\n", e->rx_bufs.pbuf != NULL);
	seq_printf(m, "gap_frames %u\n", e->gap_frames);
	seq_printf(m, "gap_missed %u\n", e->gap_missed);
	seq_printf(m, "rx_descs %u\n", e->rx_descs);
	seq_printf(m, "rx_next %u\n", e->rx_next);
	seq_printf(m, "tx_next %u\n", e->tx_next);
	seq_printf(m, "frozen %d\n", e->frozen);
	e1k_show_stats(m, "", &e->st);
	e1k_show_stats(m, "prev_", &e->test.prev);
	seq_printf(m, "rdh %u\n", readl(e->bar + E1K_RDH));
	seq_printf(m, "rdt %u\n", readl(e->bar + E1K_RDT));
	seq_printf(m, "rctl 0x%08x\n", readl(e->bar + E1K_RCTL));
	/* QEMU's MPC runs on from the device's last reset (not clear on read) */
	seq_printf(m, "mpc %u\n", readl(e->bar + E1K_MPC));
	mutex_unlock(&e->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(e1k_state);

/* From the save hook, with the position it is about to record. */
void e1k_test_save(struct e1k *e, u32 *rx_next)
{
	if (!e->test.damage_at_save)
		return;
	*rx_next = (*rx_next + 1) % e->rx_descs;
	pci_info(e->pdev, "test: saving receive position %u, one past the real one\n",
		 *rx_next);
}

static ssize_t e1k_ctl_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct e1k *e = file->private_data;
	char cmd[32];

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	if (strcmp(strim(cmd), "damage-at-save"))
		return -EINVAL;
	mutex_lock(&e->lock);
	e->test.damage_at_save = true;
	mutex_unlock(&e->lock);
	return len;
}

static const struct file_operations e1k_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = e1k_ctl_write,
	.llseek = noop_llseek,
};

/* From the adopt path, once the record's counters are ours. */
void e1k_test_restore(struct e1k *e)
{
	e->test.prev = e->st;
}

/* Last thing in probe: the device works; give the tests their file. */
void e1k_test_probe_done(struct e1k *e)
{
	mutex_lock(&e1k_test_root_lock);
	if (!e1k_test_root_users++)
		e1k_test_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	e->test.dir = debugfs_create_dir(pci_name(e->pdev), e1k_test_root);
	mutex_unlock(&e1k_test_root_lock);
	debugfs_create_file("state", 0400, e->test.dir, e, &e1k_state_fops);
	debugfs_create_file("ctl", 0200, e->test.dir, e, &e1k_ctl_fops);
}

/* First thing in remove: no test reaches the device from here on. */
void e1k_test_remove(struct e1k *e)
{
	debugfs_remove_recursive(e->test.dir);
	mutex_lock(&e1k_test_root_lock);
	if (!--e1k_test_root_users) {
		debugfs_remove(e1k_test_root);
		e1k_test_root = NULL;
	}
	mutex_unlock(&e1k_test_root_lock);
}
