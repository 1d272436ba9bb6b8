// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/devstate/, root only:
 *   outgoing.dtb  the blob our freeze sealed (bare FDT)
 *   incoming.dtb  the copy of the blob the previous kernel left (bare FDT)
 *   region        the raw region from its start up to the pool
 *   status        "key: value" lines, see docs/kernel-core.md
 *   test          write-only, only in DS_TESTING builds: fault injection
 *                 (corrupt-blob, unknown-record, mismatch-id BDF,
 *                 mismatch-bar BDF, no-master-restore, clear)
 *   pool_crc      only in DS_TESTING builds: CRC-32C of the whole pool
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

static struct dentry *ds_dir;

static ssize_t outgoing_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	ssize_t ret = -ENODATA;
	const void *blob;
	u32 size;

	ds_lock();
	blob = ds_outgoing_blob(&size);
	if (blob)
		ret = simple_read_from_buffer(ubuf, count, ppos, blob, size);
	ds_unlock();
	return ret;
}

/* The copy is immutable from load to unload: no lock needed. */
static ssize_t incoming_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	const void *blob;
	u32 size;

	blob = ds_incoming_blob(&size);
	if (!blob)
		return -ENODATA;
	return simple_read_from_buffer(ubuf, count, ppos, blob, size);
}

static ssize_t region_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	const void *head;
	ssize_t ret;
	size_t len;

	head = ds_area_head(ds_transport()->area, &len);
	if (!head)
		return -ENODEV;
	ds_lock();
	ret = simple_read_from_buffer(ubuf, count, ppos, head, len);
	ds_unlock();
	return ret;
}

static const struct file_operations ds_outgoing_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = outgoing_read,
	.llseek = default_llseek,
};

static const struct file_operations ds_incoming_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = incoming_read,
	.llseek = default_llseek,
};

static const struct file_operations ds_region_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = region_read,
	.llseek = default_llseek,
};

/* One snapshot under the lock: the three owners agree with each other. */
static int status_show(struct seq_file *m, void *unused)
{
	struct ds_status st = {};

	ds_lock();
	ds_transport()->status(&st);
	ds_outgoing_status(&st);
	ds_incoming_status(&st);
	ds_transport()->buf_status(&st);
	seq_printf(m, "transport: %s\n", ds_transport_name());
	if (st.region)
		seq_printf(m, "region: %lluK@0x%llx\n", st.region_size >> 10,
			   (u64)st.region_phys);
	else
		seq_puts(m, "region: none\n");
	seq_printf(m, "state: %s\n", st.frozen ? "frozen" : "idle");
	seq_printf(m, "generation: %llu\n", st.generation);
	seq_printf(m, "records_out: %u\n", st.records_out);
	seq_printf(m, "records_in: %u\n", st.records_in);
	seq_printf(m, "adopted: %u\n", st.adopted);
	seq_printf(m, "cold: %u\n", st.cold);
	ds_incoming_show_cold(m);
	ds_incoming_show_records(m);
	seq_printf(m, "freeze_us: %llu\n", st.freeze_us);
	seq_printf(m, "incoming_validate_us: %llu\n", st.in_validate_us);
	seq_printf(m, "incoming_error: %s\n",
		   st.in_error ? ds_strerror(st.in_error) : "none");
	/* adopt (a blob was taken), no-region (none handed over), blob-rejected */
	seq_printf(m, "incoming_reason: %s\n", ds_reason_str(st.in_reason));
	seq_printf(m, "finished: %s\n", st.finished ? "yes" : "no");
	seq_printf(m, "pool_quarantined: %s\n", st.quarantine ? "yes" : "no");
	seq_printf(m, "pool_pages: %lu\n", st.pool_pages);
	seq_printf(m, "pool_used: %lu\n", st.pool_used);
	/* who holds them: these three add up to pool_used */
	seq_printf(m, "pool_buffers: %lu\n", st.pool_buffers);
	seq_printf(m, "pool_held: %lu\n", st.pool_held);
	seq_printf(m, "pool_quarantine: %lu\n", st.pool_quarantine);
	ds_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

#ifdef DS_TESTING
/*
 * Fault injection for the VM tests. Never built into a production module:
 * only `make modules DS_TESTING=1` compiles this in.
 */
#define DS_TEST_MAX	8

enum ds_test_kind { DS_TEST_ID, DS_TEST_BAR };

static struct {
	u32 domain;
	u8 bus, devfn;
	enum ds_test_kind kind;
} ds_tests[DS_TEST_MAX];
static unsigned int ds_nr_tests;	/* under ds_lock() */

/* Called by ds_capture() under ds_lock(). */
void ds_test_apply(struct pci_dev *pdev, struct ds_record *r)
{
	unsigned int i, j;

	for (i = 0; i < ds_nr_tests; i++) {
		if (ds_tests[i].domain != r->domain ||
		    ds_tests[i].bus != r->bus || ds_tests[i].devfn != r->devfn)
			continue;
		if (ds_tests[i].kind == DS_TEST_ID) {
			r->ids[DS_IDS_DEVICE] ^= 1;
			pci_info(pdev, "devstate: test: record device ID flipped\n");
			continue;
		}
		for (j = 0; j < r->nr_bars; j++) {
			if (r->bars[j].index == 0) {
				r->bars[j].start += 0x1000;
				pci_info(pdev, "devstate: test: record BAR0 moved\n");
			}
		}
	}
}

void ds_test_clear(void)
{
	ds_nr_tests = 0;
	WRITE_ONCE(ds_test_no_restore, false);
}

static int ds_test_corrupt_blob(void)
{
	u8 *blob;
	u32 size;

	blob = ds_outgoing_blob(&size);
	if (!blob) {
		pr_warn("test: corrupt-blob needs a frozen region\n");
		return -EINVAL;
	}
	/* One byte in the middle of the blob; the CRC is left as it was. */
	blob[size / 2] ^= 0xff;
	pr_info("test: flipped blob byte at offset %u\n", size / 2);
	return 0;
}

/*
 * After a freeze: make the first device record one of a version this kernel
 * does not read (its DS_PCI_VERSION cell becomes 9) and seal again, CRC and
 * all, so the next kernel takes the blob but cannot decode that record.
 */
static int ds_test_unknown_record(void)
{
	const u8 *cells;
	struct ds_fdt f;
	int node, len;
	u32 size;
	u8 *blob;
	int ret;

	blob = ds_outgoing_blob(&size);
	if (!blob) {
		pr_warn("test: unknown-record needs a frozen region\n");
		return -EINVAL;
	}
	node = ds_fdt_open(&f, blob, size);
	if (!node)
		node = ds_fdt_first_child(&f, 0);
	cells = node >= 0 ? ds_fdt_getprop(&f, node, DS_PROP_PCI, &len) : NULL;
	if (!cells || len < 4) {
		pr_warn("test: unknown-record: no device record in the blob\n");
		return -ENOENT;
	}
	/* @cells points into the blob, which is ours to write. */
	ds_put_be32(blob + (cells - blob) + 4 * DS_PCI_VERSION, 9);
	ret = ds_area_reseal(ds_transport()->area, size);
	if (ret) {
		pr_warn("test: unknown-record: cannot seal again: %s\n",
			ds_strerror(ret));
		return -EIO;
	}
	pr_info("test: first device record made unknown-version\n");
	return 0;
}

static int ds_test_mismatch(const char *arg, enum ds_test_kind kind)
{
	unsigned int dom, bus, slot, fn;

	if (sscanf(arg, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4 ||
	    bus > 0xff || slot > 0x1f || fn > 7) {
		pr_warn("test: want DDDD:BB:DD.F, got '%s'\n", arg);
		return -EINVAL;
	}
	if (ds_nr_tests == DS_TEST_MAX)
		return -ENOSPC;
	ds_tests[ds_nr_tests].domain = dom;
	ds_tests[ds_nr_tests].bus = bus;
	ds_tests[ds_nr_tests].devfn = PCI_DEVFN(slot, fn);
	ds_tests[ds_nr_tests].kind = kind;
	ds_nr_tests++;
	return 0;
}

static int ds_test_command(const char *cmd)
{
	if (!strcmp(cmd, "corrupt-blob"))
		return ds_test_corrupt_blob();
	if (!strcmp(cmd, "unknown-record"))
		return ds_test_unknown_record();
	if (str_has_prefix(cmd, "mismatch-id "))
		return ds_test_mismatch(cmd + strlen("mismatch-id "), DS_TEST_ID);
	if (str_has_prefix(cmd, "mismatch-bar "))
		return ds_test_mismatch(cmd + strlen("mismatch-bar "), DS_TEST_BAR);
	if (!strcmp(cmd, "no-master-restore")) {
		WRITE_ONCE(ds_test_no_restore, true);
		return 0;
	}
	if (!strcmp(cmd, "clear")) {
		ds_test_clear();
		return 0;
	}
	pr_warn("test: unknown command '%s'\n", cmd);
	return -EINVAL;
}

static ssize_t test_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char buf[64];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	ds_lock();
	ret = ds_test_command(strim(buf));
	ds_unlock();
	return ret ? ret : count;
}

static const struct file_operations ds_test_fops = {
	.owner = THIS_MODULE,
	/* Not seekable: nonseekable_open() says so on every kernel (6.12
	 * removed no_llseek). */
	.open = nonseekable_open,
	.write = test_write,
};
/* "pool_crc": the pool's CRC-32C, to tell whether a device wrote it. */
static int pool_crc_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "0x%08x\n", ds_transport()->buf_crc());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_crc);
#endif /* DS_TESTING */

void ds_debugfs_init(void)
{
	ds_dir = debugfs_create_dir("devstate", NULL);
	debugfs_create_file("outgoing.dtb", 0400, ds_dir, NULL,
			    &ds_outgoing_fops);
	debugfs_create_file("incoming.dtb", 0400, ds_dir, NULL,
			    &ds_incoming_fops);
	debugfs_create_file("region", 0400, ds_dir, NULL, &ds_region_fops);
	debugfs_create_file("status", 0400, ds_dir, NULL, &status_fops);
#ifdef DS_TESTING
	debugfs_create_file("test", 0200, ds_dir, NULL, &ds_test_fops);
	debugfs_create_file("pool_crc", 0400, ds_dir, NULL, &pool_crc_fops);
	pr_warn("built with DS_TESTING: fault injection enabled\n");
#endif
}

void ds_debugfs_exit(void)
{
	debugfs_remove_recursive(ds_dir);
	ds_dir = NULL;
}
