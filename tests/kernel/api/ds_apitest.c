// SPDX-License-Identifier: GPL-2.0
/*
 * ds_apitest - the contract of <devstate/driver.h>, checked inside a guest.
 *
 * Built only by `make modules DS_TESTING=1` and loaded only in QEMU by
 * tests/kernel/vm-api.sh. Every check prints one line to the kernel log,
 * "DSAPI: ok - what" or "DSAPI: not ok - what"; the host turns them into
 * TAP. It registers every PCI function it finds: the API does not ask for
 * a bound driver, and more devices mean more shapes of records (bridges,
 * I/O BARs, 64-bit BARs, MSI-X).
 *
 *   stage=1  register, allocate, save hooks; "frozen" checks after a freeze
 *   stage=2  lookup, restore, reclaim, adopt/decline; "finished" checks
 *
 * The later checks are triggered by writing "frozen" or "finished" to
 * /sys/kernel/debug/ds_apitest/run; "save-fail", "save-fill" and
 * "save-badname" make one function's ->save fail, overflow the blob area or
 * give a property name devstate refuses, "save-undeclared" makes every
 * ->save add a name that only the function registered with state_names
 * did not declare (the others must still be recorded), "save-ok" makes
 * every ->save behave.
 */
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <devstate/driver.h>

static int stage = 1;
module_param(stage, int, 0444);
MODULE_PARM_DESC(stage, "1: before the kexec, 2: after it");

#define API_COMPAT	"ds-apitest,state-v1"
#define API_MAX_DEV	16
#define API_RING_WORDS	2048	/* 8 KiB: "ring" spans two pages */
/* The function (in pci_get_device() order) not kept alive at the jump. */
#define API_NOT_KEPT	2
/* The one whose ->save fails when told to: it alone has no record. */
#define API_SAVE_FAILS	3
/* The one registered with state_names (api_names): adopted at the end. */
#define API_DECLARES	4

/*
 * The MSI-X function: virtio-rng, whose table vm-api.sh sizes to
 * API_MSIX_TABLE entries. API_MSIX_USED vectors are enabled and the last
 * of them requested (which unmasks it), so the freeze must list the table
 * past the 32 entries a record holds, up to that last unmasked one.
 */
#define API_MSIX_TABLE	64
#define API_MSIX_USED	40

static struct ds_device *regs[API_MAX_DEV];
static struct pci_dev *msix_pdev;	/* stage 1: vectors enabled on it */
static int msix_irq = -1;		/* its requested vector's irq */
static bool msix_seen;			/* stage 2: its record was checked */
static struct pci_dev *pdevs[API_MAX_DEV];
static struct ds_incoming *held_in;	/* stage 2: an adopted record */
static int nregs, fails;
static struct dentry *dir;

static const u8 api_bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* How ->save behaves, set through the run file to test failed freezes. */
static enum {
	SAVE_OK, SAVE_FAIL, SAVE_FILL, SAVE_BADNAME, SAVE_UNDECLARED
} save_mode;

static void check(bool cond, const char *what, struct pci_dev *pdev)
{
	if (!cond)
		fails++;
	pr_info("DSAPI: %s - %s%s%s\n", cond ? "ok" : "not ok",
		pdev ? pci_name(pdev) : "", pdev ? ": " : "", what);
}

static u32 ring_word(unsigned int i)
{
	return 0xc0de0000u + i;
}

static bool api_is_msix_fn(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_REDHAT_QUMRANET &&
	       pci_msix_vec_count(pdev) == API_MSIX_TABLE;
}

/* ---- stage 1 ----------------------------------------------------------- */

/* Never raised: bus mastering stays off, so the device sends no message. */
static irqreturn_t api_irq(int irq, void *data)
{
	return IRQ_NONE;
}

static void stage1_msix(struct pci_dev *pdev)
{
	int ret;

	if (msix_pdev || !api_is_msix_fn(pdev))
		return;
	ret = pci_enable_device(pdev);
	check(!ret, "MSI-X: enable the function", pdev);
	if (ret)
		return;
	ret = pci_alloc_irq_vectors(pdev, API_MSIX_USED, API_MSIX_USED,
				    PCI_IRQ_MSIX);
	check(ret == API_MSIX_USED, "MSI-X: 40 vectors of a 64-entry table", pdev);
	if (ret < 0) {
		pci_disable_device(pdev);
		return;
	}
	msix_pdev = pdev;
	ret = pci_irq_vector(pdev, API_MSIX_USED - 1);
	if (ret >= 0 && !request_irq(ret, api_irq, 0, "ds_apitest", pdev))
		msix_irq = ret;
	check(msix_irq >= 0, "MSI-X: the 40th vector requested", pdev);
}

static void api_msix_release(void)
{
	if (!msix_pdev)
		return;
	if (msix_irq >= 0)
		free_irq(msix_irq, msix_pdev);
	pci_free_irq_vectors(msix_pdev);
	pci_disable_device(msix_pdev);
}

static int api_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	static bool names_checked;
	int ret, undeclared;

	if (!names_checked) {
		names_checked = true;
		check(ds_save_u32(ctx, "Bad Name", 1) == -EINVAL,
		      "save: a name with capitals and a space is refused", NULL);
		check(ds_save_u32(ctx, "", 1) == -EINVAL,
		      "save: an empty name is refused", NULL);
		check(ds_save_u32(ctx, "abcdefghijabcdefghijabcdefghijab", 1) == -EINVAL,
		      "save: a 32-character name is refused", NULL);
		check(ds_save_string(ctx, "compatible", "x") == -EINVAL,
		      "save: 'compatible' is refused", NULL);
		check(ds_save_string(ctx, "name", "x") == -EINVAL,
		      "save: 'name' is refused", NULL);
		check(ds_save_bytes(ctx, "big", api_bytes, 4097) == -EINVAL,
		      "save: more than 4096 bytes are refused", NULL);
		check(ds_save_u32(NULL, "x", 1) == -EINVAL,
		      "save: a NULL context is refused", NULL);
	}
	/* The failure modes hit one function: the others must still freeze. */
	if (save_mode == SAVE_FAIL && pdev == pdevs[API_SAVE_FAILS])
		return -EIO;
	/* A capital letter: the freeze's line must name the property. */
	if (save_mode == SAVE_BADNAME && pdev == pdevs[API_SAVE_FAILS])
		return ds_save_u32(ctx, "rx-Next", 1);
	if (save_mode == SAVE_FILL && pdev == pdevs[API_SAVE_FAILS]) {
		static u8 junk[4096];
		char name[16];
		int i;

		/* Far more than the blob area holds: must end in -ENOSPC. */
		for (i = 0, ret = 0; !ret && i < 100000; i++) {
			snprintf(name, sizeof(name), "junk%d", i);
			ret = ds_save_bytes(ctx, name, junk, sizeof(junk));
		}
		check(ret == -ENOSPC, "save: filling the blob area ends in -ENOSPC", pdev);
		return ret;
	}
	ret = ds_save_u32(ctx, "devfn", pdev->devfn);
	if (!ret)
		ret = ds_save_u64(ctx, "big-number", 0x1122334455667788ull);
	if (!ret)
		ret = ds_save_string(ctx, "label", pci_name(pdev));
	if (!ret)
		ret = ds_save_bytes(ctx, "bytes", api_bytes, sizeof(api_bytes));
	if (save_mode != SAVE_UNDECLARED)
		return ret;
	/* Refused where names are declared (that device alone goes cold). */
	undeclared = ret ?: ds_save_u32(ctx, "undeclared", 1);
	if (pdev == pdevs[API_DECLARES])
		check(!ret && undeclared == -EINVAL,
		      "save: declared names saved, one not in state_names -> -EINVAL",
		      pdev);
	else if (pdev == pdevs[0])
		check(!undeclared, "save: registered through register_device, any good name is saved",
		      pdev);
	else
		check(!undeclared, "save: without state_names, any good name is saved",
		      pdev);
	return undeclared;
}

static const struct ds_driver_ops api_ops = {
	.state_compatible = API_COMPAT,
	.save = api_save,
};

/* Every name api_save() writes but "undeclared". */
static const char *const api_names[] = {
	"devfn", "big-number", "label", "bytes", NULL
};

static const struct ds_driver_ops api_ops_named = {
	.state_compatible = API_COMPAT,
	.save = api_save,
	.state_names = api_names,
};

/* A capital letter: ds_register() must refuse it and log its name. */
static const char *const api_names_bad[] = { "devfn", "Rx-Next", NULL };

static const struct ds_driver_ops api_ops_badname = {
	.state_compatible = API_COMPAT,
	.save = api_save,
	.state_names = api_names_bad,
};

/*
 * DS_MAX_STATE_NAMES + 1 names, then the NULL (filled in by stage1()):
 * from its first entry the list is one too long, from its second it is
 * just long enough.
 */
static const char *api_names_many[DS_MAX_STATE_NAMES + 2];

static const struct ds_driver_ops api_ops_toomany = {
	.state_compatible = API_COMPAT,
	.save = api_save,
	.state_names = api_names_many,
};

static const struct ds_driver_ops api_ops_most = {
	.state_compatible = API_COMPAT,
	.save = api_save,
	.state_names = api_names_many + 1,
};

/* The ops of a driver built against a later header, with one more member. */
struct api_ops_later {
	struct ds_driver_ops ops;
	unsigned long later;
};

static const struct api_ops_later api_ops_later_set = {
	.ops = { .state_compatible = API_COMPAT, .save = api_save },
	.later = 1,
};

static const struct api_ops_later api_ops_later_zero = {
	.ops = { .state_compatible = API_COMPAT, .save = api_save },
};

static const struct ds_driver_ops api_ops_nocompat = {
	.save = api_save,
};

static void stage1_buffers(struct ds_device *d, struct pci_dev *pdev)
{
	struct ds_dma_buf *extra[DS_MAX_DMA_REGIONS];
	struct ds_dma_buf *ring, *b;
	char name[8];
	u32 *w;
	int i, n;

	ring = ds_dma_alloc_preserved(d, "ring", API_RING_WORDS * 4 - 100);
	check(!IS_ERR(ring), "alloc 'ring' (8092 bytes)", pdev);
	if (IS_ERR(ring))
		return;
	check(ring->size == API_RING_WORDS * 4, "'ring' rounded up to two pages", pdev);
	check(PAGE_ALIGNED(ring->phys), "'ring' is page aligned", pdev);
	check(ring->dma == ring->phys, "'ring' bus address is its physical one", pdev);
	w = ring->vaddr;
	check(!w[0] && !w[API_RING_WORDS / 2] && !w[API_RING_WORDS - 1],
	      "'ring' comes zeroed", pdev);
	for (i = 0; i < API_RING_WORDS; i++)
		w[i] = ring_word(i);

	check(ds_dma_alloc_preserved(d, "ring", 4096) == ERR_PTR(-EEXIST),
	      "a second 'ring' -> -EEXIST", pdev);
	check(ds_dma_alloc_preserved(d, "", 4096) == ERR_PTR(-EINVAL),
	      "an empty name -> -EINVAL", pdev);
	check(ds_dma_alloc_preserved(d, "x", 0) == ERR_PTR(-EINVAL),
	      "size 0 -> -EINVAL", pdev);
	check(ds_dma_alloc_preserved(d, "huge", 1ul << 30) == ERR_PTR(-ENOMEM),
	      "1 GiB from the pool -> -ENOMEM", pdev);
	/* Rounded up to a page, SIZE_MAX would wrap to nothing. */
	check(ds_dma_alloc_preserved(d, "wrap", SIZE_MAX) == ERR_PTR(-EINVAL),
	      "SIZE_MAX -> -EINVAL", pdev);

	b = ds_dma_alloc_preserved(d, "tmp", 4096);
	check(!IS_ERR(b), "alloc 'tmp'", pdev);
	ds_dma_free_preserved(d, IS_ERR(b) ? NULL : b);
	b = ds_dma_alloc_preserved(d, "tmp", 4096);
	check(!IS_ERR(b), "'tmp' again after freeing it", pdev);
	ds_dma_free_preserved(d, IS_ERR(b) ? NULL : b);

	b = ds_dma_alloc_preserved(d, "buf", 4096);
	check(!IS_ERR(b), "alloc 'buf' (left for ds_finish() to release)", pdev);

	/* "ring" and "buf" plus 14 more reach DS_MAX_DMA_REGIONS. */
	for (n = 2; n < DS_MAX_DMA_REGIONS; n++) {
		snprintf(name, sizeof(name), "f%d", n);
		extra[n] = ds_dma_alloc_preserved(d, name, 4096);
		if (IS_ERR(extra[n]))
			break;
	}
	check(n == DS_MAX_DMA_REGIONS, "16 buffers fit", pdev);
	check(ds_dma_alloc_preserved(d, "one-more", 4096) == ERR_PTR(-ENOSPC),
	      "a 17th buffer -> -ENOSPC", pdev);
	/* Back to two, so the record stays small. */
	while (--n >= 2)
		ds_dma_free_preserved(d, extra[n]);
	ds_dma_free_preserved(d, NULL);
	check(IS_ERR(ds_dma_reclaim(d, NULL, "ring")),
	      "reclaim without a record fails", pdev);
}

/*
 * Register through devstate.ko's table itself: its old register_device, as
 * a driver built before state_names calls it, when @size is 0; else
 * register_ops with @size. Like ds_register(), a registration keeps the
 * table's reference, which ds_unregister() drops.
 */
static struct ds_device *api_table_register(struct pci_dev *pdev,
					    const struct ds_driver_ops *ops,
					    size_t size)
{
	const struct ds_driver_api *api = symbol_get(ds_driver_api);
	struct ds_device *d;

	if (!api)
		return ERR_PTR(-ENODEV);
	d = size ? api->register_ops(pdev, ops, size, NULL) :
		   api->register_device(pdev, ops, NULL);
	if (IS_ERR(d))
		symbol_put(ds_driver_api);
	return d;
}

/* Declared names and the ops' size, on @pdev, which is not registered. */
static void stage1_names(struct pci_dev *pdev)
{
	struct ds_device *d;
	int i;

	check(ds_register(pdev, &api_ops_badname, NULL) == ERR_PTR(-EINVAL),
	      "a declared name devstate refuses -> -EINVAL", pdev);
	for (i = 0; i <= DS_MAX_STATE_NAMES; i++)
		api_names_many[i] = "devfn";
	check(ds_register(pdev, &api_ops_toomany, NULL) == ERR_PTR(-EINVAL),
	      "65 declared names -> -EINVAL", pdev);
	d = ds_register(pdev, &api_ops_most, NULL);
	check(!IS_ERR(d), "64 declared names are accepted", pdev);
	ds_unregister(d);

	check(api_table_register(pdev, &api_ops,
				 offsetof(struct ds_driver_ops, save)) ==
	      ERR_PTR(-EINVAL), "register_ops: ops that end before .save -> -EINVAL",
	      pdev);
	check(api_table_register(pdev, &api_ops_later_set.ops,
				 sizeof(api_ops_later_set)) == ERR_PTR(-E2BIG),
	      "register_ops: a later member set -> -E2BIG", pdev);
	d = api_table_register(pdev, &api_ops_later_zero.ops,
			       sizeof(api_ops_later_zero));
	check(!IS_ERR(d), "register_ops: a later member left 0 is accepted", pdev);
	ds_unregister(d);
	d = api_table_register(pdev, &api_ops_badname,
			       offsetofend(struct ds_driver_ops, save));
	check(!IS_ERR(d), "register_ops: state_names past the size is not read",
	      pdev);
	ds_unregister(d);
}

static void stage1(void)
{
	struct pci_dev *pdev = NULL;
	struct ds_device *d;

	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev)) &&
	       nregs < API_MAX_DEV) {
		d = ds_register(pdev, nregs == API_DECLARES ? &api_ops_named :
				&api_ops, NULL);
		check(!IS_ERR(d), nregs == API_DECLARES ?
		      "register with state_names" : "register", pdev);
		if (IS_ERR(d))
			continue;
		pdevs[nregs] = pci_dev_get(pdev);
		regs[nregs++] = d;
		stage1_msix(pdev);
	}
	pci_dev_put(pdev);
	check(msix_pdev, "MSI-X: a function with a 64-entry table found", NULL);
	/* Room for the one not kept alive, and the last one's buffers. */
	check(nregs > API_SAVE_FAILS + 1, "at least five PCI functions registered", NULL);
	if (nregs <= API_SAVE_FAILS + 1)
		return;
	check(ds_register(pdevs[0], &api_ops, NULL) == ERR_PTR(-EEXIST),
	      "registering twice -> -EEXIST", pdevs[0]);
	check(ds_register(pdevs[0], NULL, NULL) == ERR_PTR(-EINVAL),
	      "no ops -> -EINVAL", pdevs[0]);
	check(ds_register(pdevs[0], &api_ops_nocompat, NULL) == ERR_PTR(-EINVAL),
	      "ops without state_compatible -> -EINVAL", pdevs[0]);
	ds_unregister(NULL);
	ds_unregister(ERR_PTR(-EINVAL));
	check(true, "ds_unregister(NULL or ERR_PTR) is a no-op", NULL);

	ds_unregister(regs[0]);
	stage1_names(pdevs[0]);
	/*
	 * Registered again as a driver built before state_names: the old
	 * entry reads no state_names (these would be refused), and the
	 * function's saves are free ("save-undeclared").
	 */
	regs[0] = api_table_register(pdevs[0], &api_ops_badname, 0);
	check(!IS_ERR(regs[0]),
	      "register again after unregister, through the table's old register_device: state_names not read",
	      pdevs[0]);
	if (IS_ERR(regs[0]))
		regs[0] = NULL;

	stage1_buffers(regs[nregs - 1], pdevs[nregs - 1]);
	/* For the second function, which the next kernel declines. */
	check(!IS_ERR(ds_dma_alloc_preserved(regs[1], "redo", 4096)),
	      "alloc 'redo'", pdevs[1]);
	check(!ds_keepalive_armed(), "not armed before the freeze", NULL);
}

/*
 * What a driver's .shutdown asks, asked here for every registered function
 * but one: the kexec that follows keeps those alive, and the next kernel
 * must send the one left out cold as not-kept-alive, record or not.
 */
static void stage1_keepalive(void)
{
	int i, kept = 0;

	check(!ds_shutdown_keepalive(NULL), "keep-alive of NULL -> false", NULL);
	for (i = 0; i < nregs; i++)
		if (i != API_NOT_KEPT && i != API_SAVE_FAILS && regs[i])
			kept += ds_shutdown_keepalive(pdevs[i]);
	check(kept == nregs - 2, "keep-alive granted to every recorded function asked", NULL);
	check(!ds_shutdown_keepalive(pdevs[API_SAVE_FAILS]),
	      "keep-alive refused to the function whose save failed", pdevs[API_SAVE_FAILS]);
}

static void stage1_frozen(void)
{
	struct ds_device *d;

	check(ds_keepalive_armed(), "armed after the freeze", NULL);
	d = ds_register(pdevs[0], &api_ops, NULL);
	check(d == ERR_PTR(-EBUSY) || d == ERR_PTR(-EEXIST),
	      "registering while frozen fails", pdevs[0]);
	check(ds_dma_alloc_preserved(regs[1], "late", 4096) == ERR_PTR(-EBUSY),
	      "allocating while frozen -> -EBUSY", pdevs[1]);
	stage1_keepalive();
}

/* ---- stage 2 ----------------------------------------------------------- */

static void stage2_restore(struct ds_incoming *in, struct pci_dev *pdev)
{
	char s[32];
	u32 v32;
	u64 v64;
	u8 by[8];

	check(!ds_restore_u32(in, "devfn", &v32) && v32 == pdev->devfn,
	      "restore u32", pdev);
	check(!ds_restore_u64(in, "big-number", &v64) &&
	      v64 == 0x1122334455667788ull, "restore u64", pdev);
	check(ds_restore_string(in, "label", s, sizeof(s)) ==
	      strlen(pci_name(pdev)) && !strcmp(s, pci_name(pdev)),
	      "restore string", pdev);
	check(ds_restore_string(in, "label", s, 4) == -ENOSPC,
	      "restore string into a short buffer -> -ENOSPC", pdev);
	check(!ds_restore_bytes(in, "bytes", by, sizeof(by)) &&
	      !memcmp(by, api_bytes, sizeof(by)), "restore bytes", pdev);
	check(ds_restore_bytes(in, "bytes", by, 7) == -EINVAL,
	      "restore bytes of the wrong length -> -EINVAL", pdev);
	check(ds_restore_u32(in, "big-number", &v32) == -EINVAL,
	      "restore a u64 as u32 -> -EINVAL", pdev);
	check(ds_restore_u32(in, "absent", &v32) == -ENOENT,
	      "restore an absent property -> -ENOENT", pdev);
}

static void stage2_record(struct ds_incoming *in, struct pci_dev *pdev)
{
	const struct ds_record *r = ds_incoming_record(in);
	int depth = 0;
	struct pci_dev *br;

	for (br = pdev->bus->self; br; br = br->bus->self)
		depth++;
	check(r && r->ids[DS_IDS_VENDOR] == pdev->vendor &&
	      r->ids[DS_IDS_DEVICE] == pdev->device &&
	      r->ids[DS_IDS_CLASS] == pdev->class, "record IDs and class", pdev);
	check(r && r->nr_bridges == depth, "record bridge chain depth", pdev);
	check(r && r->bus == pdev->bus->number && r->devfn == pdev->devfn,
	      "record position", pdev);
	if (!api_is_msix_fn(pdev))
		return;
	msix_seen = true;
	check(r && r->irq[DS_IRQ_CELL_MODE] == DS_IRQ_MSIX &&
	      r->irq[DS_IRQ_CELL_COUNT] == API_MSIX_TABLE &&
	      r->nr_vectors == DS_RECORD_VECTORS &&
	      r->nr_vectors_more == API_MSIX_USED - DS_RECORD_VECTORS,
	      "record lists the MSI-X table to its last unmasked entry (40 of 64)",
	      pdev);
}

static void stage2_reclaim(struct ds_incoming *in, struct pci_dev *pdev)
{
	struct ds_device *d;
	struct ds_dma_buf *ring;
	u32 *w;
	int i, bad = 0;

	d = ds_register(pdev, &api_ops, NULL);
	check(!IS_ERR(d), "register the adopted device", pdev);
	if (IS_ERR(d))
		return;
	regs[nregs++] = d;
	ring = ds_dma_reclaim(d, in, "ring");
	check(!IS_ERR(ring) && ring->size == API_RING_WORDS * 4,
	      "reclaim 'ring'", pdev);
	if (!IS_ERR(ring)) {
		w = ring->vaddr;
		for (i = 0; i < API_RING_WORDS; i++)
			bad += w[i] != ring_word(i);
		check(!bad, "'ring' contents survived the kexec", pdev);
		check(ring->dma == ring->phys, "'ring' keeps its bus address", pdev);
	}
	check(ds_dma_reclaim(d, in, "ring") == ERR_PTR(-EINVAL),
	      "reclaiming 'ring' twice -> -EINVAL", pdev);
	check(ds_dma_reclaim(d, in, "absent") == ERR_PTR(-ENOENT),
	      "reclaiming an unknown name -> -ENOENT", pdev);
	held_in = in;	/* 'buf' stays unreclaimed, for ds_finish() */
}

/*
 * Decline after reclaiming: the cold path that follows allocates under the
 * same name, which the reclaimed buffer must not block.
 */
static void stage2_decline(struct ds_incoming *in, struct pci_dev *pdev)
{
	struct ds_device *d = ds_register(pdev, &api_ops, NULL);
	struct ds_dma_buf *b;

	check(!IS_ERR(d), "register the device to decline", pdev);
	if (IS_ERR(d)) {
		ds_decline(in, "apitest could not register");
		return;
	}
	regs[nregs++] = d;
	check(!IS_ERR(ds_dma_reclaim(d, in, "redo")), "reclaim 'redo'", pdev);
	ds_decline(in, "apitest declines its second device");
	b = ds_dma_alloc_preserved(d, "redo", 4096);
	check(!IS_ERR(b), "after declining, 'redo' is allocated afresh", pdev);
}

static void stage2(void)
{
	struct pci_dev *pdev = NULL;
	struct ds_incoming *in;
	enum ds_reason why;
	int n = 0;

	check(!strcmp(ds_reason_str(DS_ADOPT), "adopt") &&
	      !strcmp(ds_reason_str(DS_COLD_BAR_MISMATCH), "bar-mismatch"),
	      "ds_reason_str names reasons", NULL);
	check(!strcmp(ds_reason_str(DS_REASON_COUNT), "unknown reason") &&
	      !strcmp(ds_reason_str(-1), "unknown reason"),
	      "ds_reason_str of an out-of-range value", NULL);

	while ((pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, pdev)) &&
	       n < API_MAX_DEV) {
		n++;
		if (n == 1) {
			in = ds_lookup(pdev, "ds-apitest,state-v2", &why);
			check(!in && why == DS_COLD_STATE_MISMATCH,
			      "another state compatible -> state-mismatch", pdev);
		}
		in = ds_lookup(pdev, API_COMPAT, &why);
		if (n - 1 == API_NOT_KEPT) {
			check(!in && why == DS_COLD_NOT_KEPT_ALIVE,
			      "recorded but not kept alive -> not-kept-alive", pdev);
			continue;
		}
		if (n - 1 == API_SAVE_FAILS) {
			check(!in && why == DS_COLD_NO_RECORD,
			      "its save failed at freeze -> no-record", pdev);
			continue;
		}
		check(in && why == DS_ADOPT, "lookup -> adopt", pdev);
		if (!in)
			continue;
		check(!ds_lookup(pdev, API_COMPAT, &why) && why == DS_COLD_CLAIMED,
		      "a second lookup -> claimed", pdev);
		stage2_record(in, pdev);
		stage2_restore(in, pdev);
		if (n == 2) {
			stage2_decline(in, pdev);
			continue;
		}
		if (ds_incoming_record(in)->nr_dma && !held_in) {
			/* Stays pending until the "finished" checks. */
			stage2_reclaim(in, pdev);
			continue;
		}
		ds_adopted(in);
	}
	pci_dev_put(pdev);
	check(msix_seen, "MSI-X: the 64-entry table's record was adopted and read", NULL);
}

/* After a freeze in the second kernel: the pending record's 'buf'. */
static void stage2_frozen(void)
{
	check(held_in && nregs &&
	      ds_dma_reclaim(regs[nregs - 1], held_in, "buf") == ERR_PTR(-EBUSY),
	      "reclaim while frozen -> -EBUSY", NULL);
}

static void stage2_finished(void)
{
	struct pci_dev *pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	enum ds_reason why;

	check(!ds_lookup(pdev, API_COMPAT, &why) && why == DS_COLD_FINISHED,
	      "lookup after finish -> finished", pdev);
	check(held_in && nregs, "a record with buffers is pending", NULL);
	if (held_in && nregs) {
		check(ds_dma_reclaim(regs[nregs - 1], held_in, "buf") ==
		      ERR_PTR(-ENOENT), "reclaim after finish -> -ENOENT", NULL);
		ds_adopted(held_in);
		held_in = NULL;
	}
	pci_dev_put(pdev);
}

/* ---- trigger file and module ------------------------------------------- */

static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[24];

	if (count >= sizeof(buf) || copy_from_user(buf, ubuf, count))
		return -EINVAL;
	buf[count] = '\0';
	if (sysfs_streq(buf, "save-ok"))
		save_mode = SAVE_OK;
	else if (sysfs_streq(buf, "save-fail"))
		save_mode = SAVE_FAIL;
	else if (sysfs_streq(buf, "save-fill"))
		save_mode = SAVE_FILL;
	else if (sysfs_streq(buf, "save-badname"))
		save_mode = SAVE_BADNAME;
	else if (sysfs_streq(buf, "save-undeclared"))
		save_mode = SAVE_UNDECLARED;
	else if (sysfs_streq(buf, "frozen"))
		stage == 1 ? stage1_frozen() : stage2_frozen();
	else if (sysfs_streq(buf, "finished"))
		stage2_finished();
	else
		return -EINVAL;
	pr_info("DSAPI: failures %d\n", fails);
	return count;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = run_write,
};

static int __init api_init(void)
{
	if (stage == 1)
		stage1();
	else
		stage2();
	pr_info("DSAPI: failures %d\n", fails);
	dir = debugfs_create_dir("ds_apitest", NULL);
	debugfs_create_file("run", 0200, dir, NULL, &run_fops);
	return 0;
}

static void __exit api_exit(void)
{
	int i;

	debugfs_remove_recursive(dir);
	api_msix_release();
	for (i = 0; i < nregs; i++)
		ds_unregister(regs[i]);
	for (i = 0; i < API_MAX_DEV; i++)
		pci_dev_put(pdevs[i]);
}

module_init(api_init);
module_exit(api_exit);
MODULE_DESCRIPTION("devstate driver API checks, for QEMU guests only");
MODULE_LICENSE("GPL");
