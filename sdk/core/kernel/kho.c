// SPDX-License-Identifier: GPL-2.0
/*
 * The Kexec HandOver transport (docs/design.md, "A KHO transport"), built
 * on kernels with the 7.2 KHO API (ds_compat.h) and empty elsewhere.
 *
 * The blob travels as the KHO subtree "devstate": one preserved folio
 * holding the region format of <devstate/blob.h> with an empty pool, so it
 * is sealed, checked and read by the code that serves the region (area.c).
 * KHO checks none of a subtree's bytes: the header's CRCs and generation
 * are what the next kernel trusts, exactly as with the region.
 *
 * Each preserved DMA buffer is a folio of its own, preserved when it is
 * allocated; the next kernel restores the folios its records list, and
 * preserves them again at once, so a buffer a driver reclaims reaches the
 * kernel after that too. What no record names is never restored: KHO keeps
 * those pages reserved for the whole boot and hands them on to nobody,
 * which is the quarantine the region needs a bitmap for.
 *
 * This file owns the outgoing area (ds_kho.area) and the list of folios it
 * preserved or restored (ds_kho.bufs, under ds_kho.lock, an inner lock as
 * pool.c's is: see ds_core.h).
 */
#include "ds_core.h"

#if DS_COMPAT_HAVE_KHO
#include "ds_env.h"

#include <linux/dma-mapping.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#define DS_KHO_NODE		"devstate"
/* Our blob area: the whole folio; there is no pool after it. */
#define DS_KHO_AREA_SIZE	SZ_1M
/* An incoming area is one folio, and KHO preserves none larger than this. */
#define DS_KHO_IN_MAX		(PAGE_SIZE << MAX_PAGE_ORDER)

/*
 * One folio we preserved or restored. A stray one came back from the
 * previous kernel unfit to hand out (smaller than its record says, or not
 * preservable again): it is kept, never freed, since a device may still
 * write it, and counted as quarantine.
 */
struct ds_kho_buf {
	struct list_head node;
	struct folio *folio;
	phys_addr_t phys;
	u64 size;		/* the buffer's bytes, at most folio_size() */
	bool stray;
};

static struct {
	struct ds_area area;
	struct mutex lock;	/* inner lock: guards bufs */
	struct list_head bufs;	/* struct ds_kho_buf */
} ds_kho = {
	.area.name = "kho",
	.lock = __MUTEX_INITIALIZER(ds_kho.lock),
	.bufs = LIST_HEAD_INIT(ds_kho.bufs),
};

/* Is KHO on in this kernel (kho=on)? Only then can anything be preserved. */
bool ds_kho_enabled(void)
{
	return kho_is_enabled();
}

/*
 * Did the previous kernel hand a devstate subtree over? A kernel booted
 * without kho=on still receives and reserves what KHO handed it, so this
 * can be true with KHO off (the kho-off cold reason).
 */
bool ds_kho_handover_waiting(void)
{
	phys_addr_t phys;
	size_t size;

	return is_kho_boot() && !kho_retrieve_subtree(DS_KHO_NODE, &phys, &size);
}

/**
 * ds_kho_setup() - allocate, format and publish the blob area
 * @unused: KHO takes no parameter
 *
 * The area is preserved and added as the subtree at load, formatted EMPTY,
 * so a freeze in a reboot notifier allocates nothing, and a kexec without
 * a freeze hands over an empty area: nothing to adopt.
 *
 * Return: 0 or a negative errno, which fails the load.
 */
static int ds_kho_setup(const char *unused)
{
	struct ds_area *a = &ds_kho.area;
	u64 blob_off = round_up(DS_REGION_HEADER_SIZE, DS_REGION_BLOB_ALIGN);
	void *va;
	int ret;

	ret = ds_area_layout(a, DS_KHO_AREA_SIZE, DS_KHO_AREA_SIZE - blob_off);
	if (ret) {
		pr_err("kho: cannot lay out the blob area: %s\n",
		       ds_strerror(ret));
		return -EINVAL;
	}
	va = kho_alloc_preserve(DS_KHO_AREA_SIZE);
	if (IS_ERR(va)) {
		pr_err("kho: cannot allocate a preserved %luK blob area: %ld\n",
		       (unsigned long)DS_KHO_AREA_SIZE >> 10, PTR_ERR(va));
		return PTR_ERR(va);
	}
	a->va = va;
	ds_area_format(a);
	ret = kho_add_subtree(DS_KHO_NODE, va, DS_KHO_AREA_SIZE);
	if (ret) {
		pr_err("kho: cannot add the subtree '%s': %d\n", DS_KHO_NODE,
		       ret);
		kho_unpreserve_free(va);
		a->va = NULL;
		return ret;
	}
	pr_info("kho: blob area %luK in subtree '%s'\n",
		(unsigned long)DS_KHO_AREA_SIZE >> 10, DS_KHO_NODE);
	return 0;
}

/*
 * At unload. The folios still listed are incoming ones nobody reclaimed or
 * released, or stray: a device may still write them, so they are left
 * allocated (and preserved: the next kernel keeps them reserved) rather
 * than freed.
 */
static void ds_kho_teardown(void)
{
	struct ds_kho_buf *b, *tmp;
	unsigned int left = 0;

	mutex_lock(&ds_kho.lock);
	list_for_each_entry_safe(b, tmp, &ds_kho.bufs, node) {
		list_del(&b->node);
		kfree(b);
		left++;
	}
	mutex_unlock(&ds_kho.lock);
	if (left)
		pr_warn("kho: %u buffers left allocated at unload: a device may still write them\n",
			left);
	if (ds_kho.area.va) {
		kho_remove_subtree(ds_kho.area.va);
		kho_unpreserve_free(ds_kho.area.va);
		ds_kho.area.va = NULL;
	}
}

static bool ds_kho_present(void)
{
	return ds_kho.area.va != NULL;
}

/**
 * ds_kho_read_incoming() - the header of the subtree the previous kernel
 * handed over
 * @v: out: its fields; @v->blob points at the blob in the handed-over folio
 *
 * The subtree's address comes from KHO's root tree, which KHO checked; its
 * size and every byte behind it are the previous kernel's, checked here
 * and by the caller as for the region. The folio is read where it lies and
 * never restored: its pages stay reserved for the boot (KHO's debugfs
 * kho/in/sub_fdts shows them too), and a reload of the module reads it
 * again.
 *
 * Context: at load.
 * Return: 0, -DS_ERR_NOTFOUND when nothing was handed over, or a negative
 * DS_ERR_* code for an area that cannot be read.
 */
static int ds_kho_read_incoming(struct ds_region_view *v)
{
	phys_addr_t phys, last;
	size_t size;
	int ret;

	if (!is_kho_boot() || kho_retrieve_subtree(DS_KHO_NODE, &phys, &size))
		return -DS_ERR_NOTFOUND;
	if (size < DS_REGION_HEADER_SIZE || size > DS_KHO_IN_MAX ||
	    check_add_overflow(phys, (phys_addr_t)size - 1, &last) ||
	    !pfn_valid(PHYS_PFN(phys)) || !pfn_valid(PHYS_PFN(last))) {
		pr_warn("kho: subtree '%s' at %pa has an unusable size %zu\n",
			DS_KHO_NODE, &phys, size);
		return -DS_ERR_TRUNCATED;
	}
	ret = ds_area_read(phys_to_virt(phys), size, v);
	if (!ret)
		ds_kho.area.generation = v->generation;
	return ret;
}

/*
 * After a load that succeeded: our area EMPTY with the generation we know.
 * The incoming folio is not ours to mark: KHO hands it on to nobody.
 * Context: under ds_lock().
 */
static void ds_kho_commit(bool adopted)
{
	ds_assert_locked();
	ds_area_format(&ds_kho.area);
}

/* No pool: each buffer is its own folio, named by its record. */
static int ds_kho_begin_blob(struct ds_blob_info *info, u8 **blob, u64 *max)
{
	info->pool_base = 0;
	info->pool_size = 0;
	return ds_area_begin_blob(&ds_kho.area, info, blob, max);
}

/* Context: under ds_lock(). */
static void ds_kho_status(struct ds_status *st)
{
	st->region = false;
	st->generation = ds_kho.area.generation;
}

/* The listed folio holding @phys, or NULL. Context: ds_kho.lock held. */
static struct ds_kho_buf *ds_kho_find(phys_addr_t phys)
{
	struct ds_kho_buf *b;

	list_for_each_entry(b, &ds_kho.bufs, node)
		if (phys >= b->phys && phys - b->phys < folio_size(b->folio))
			return b;
	return NULL;
}

/* Does a listed folio overlap [@phys, @phys + @size)? ds_kho.lock held. */
static bool ds_kho_overlaps(phys_addr_t phys, u64 size)
{
	struct ds_kho_buf *b;

	list_for_each_entry(b, &ds_kho.bufs, node)
		if (phys < b->phys + folio_size(b->folio) &&
		    b->phys < phys + size)
			return true;
	return false;
}

static void ds_kho_list_add(struct ds_kho_buf *b)
{
	mutex_lock(&ds_kho.lock);
	list_add_tail(&b->node, &ds_kho.bufs);
	mutex_unlock(&ds_kho.lock);
}

/**
 * ds_kho_buf_alloc() - a zeroed, preserved folio for a buffer
 * @mask: the device's DMA mask: 32 bits or less takes ZONE_DMA32
 * @nr_pages: pages the buffer needs; the folio rounds up to a power of two
 * @phys: out: its physical address
 * @va: out: its kernel address
 *
 * Return: 0, -ENODEV without a blob area, -ENOMEM, or KHO's error.
 */
static int ds_kho_buf_alloc(u64 mask, unsigned long nr_pages,
			    phys_addr_t *phys, void **va)
{
	unsigned int order = get_order(nr_pages << PAGE_SHIFT);
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	struct ds_kho_buf *b;
	int ret;

	if (!ds_kho.area.va)
		return -ENODEV;
	if (order > MAX_PAGE_ORDER)
		return -ENOMEM;
	if (mask <= DMA_BIT_MASK(32))
		gfp |= GFP_DMA32;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->folio = folio_alloc(gfp, order);
	if (!b->folio) {
		kfree(b);
		return -ENOMEM;
	}
	ret = kho_preserve_folio(b->folio);
	if (ret) {
		folio_put(b->folio);
		kfree(b);
		return ret;
	}
	b->phys = PFN_PHYS(folio_pfn(b->folio));
	b->size = (u64)nr_pages << PAGE_SHIFT;
	ds_kho_list_add(b);
	*phys = b->phys;
	*va = folio_address(b->folio);
	return 0;
}

/* Give back a buffer's folio; ignored when it is not ours or stray. */
static void ds_kho_buf_free(phys_addr_t phys, u64 size)
{
	struct ds_kho_buf *b;

	mutex_lock(&ds_kho.lock);
	b = ds_kho_find(phys);
	if (b && (b->phys != phys || b->stray))
		b = NULL;
	if (b)
		list_del(&b->node);
	mutex_unlock(&ds_kho.lock);
	if (!b)
		return;
	kho_unpreserve_folio(b->folio);
	folio_put(b->folio);
	kfree(b);
}

/**
 * ds_kho_buf_hold() - restore the folio an incoming record lists
 * @phys: the buffer's first byte, a folio's head as the previous kernel
 *	preserved it
 * @size: its bytes
 *
 * KHO's own check decides whether @phys was preserved as a folio; a record
 * that claims more than that folio, or a range another record already
 * holds, is refused. A folio restored but refused is kept as stray: the
 * device may still write it. A held folio is preserved again at once, so
 * that if a driver reclaims it, the next kexec carries it on.
 *
 * Context: at load.
 * Return: 0, -EINVAL when the range is not a preserved folio we can hand
 * out, -EEXIST when another record holds part of it, -ENOMEM.
 */
static int ds_kho_buf_hold(phys_addr_t phys, u64 size)
{
	struct ds_kho_buf *b;
	struct folio *folio;
	bool taken;

	if (!size || !PAGE_ALIGNED(phys) || !pfn_valid(PHYS_PFN(phys)) ||
	    size > DS_KHO_IN_MAX)
		return -EINVAL;
	mutex_lock(&ds_kho.lock);
	taken = ds_kho_overlaps(phys, size);
	mutex_unlock(&ds_kho.lock);
	if (taken)
		return -EEXIST;
	folio = kho_restore_folio(phys);
	if (!folio)
		return -EINVAL;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;	/* the folio stays ours, unused: safe */
	b->folio = folio;
	b->phys = phys;
	b->size = size;
	b->stray = size > folio_size(folio) || kho_preserve_folio(folio);
	ds_kho_list_add(b);
	return b->stray ? -EINVAL : 0;
}

/* The kernel address of a page of a listed, usable folio, or NULL. */
static void *ds_kho_buf_va(phys_addr_t phys)
{
	struct ds_kho_buf *b;
	void *va = NULL;

	mutex_lock(&ds_kho.lock);
	b = ds_kho_find(phys);
	if (b && !b->stray)
		va = folio_address(b->folio) + (phys - b->phys);
	mutex_unlock(&ds_kho.lock);
	return va;
}

/*
 * Nothing to do: pages no record of ours restored stay reserved by KHO for
 * the whole boot, and are handed on to nobody.
 */
static int ds_kho_quarantine(void)
{
	return 0;
}

static unsigned long ds_kho_release_quarantine(void)
{
	return 0;
}

/*
 * There is no fixed pool: pool_pages and pool_used are the pages of the
 * listed buffers, pool_quarantine those of the stray ones.
 */
static void ds_kho_buf_status(struct ds_status *st)
{
	struct ds_kho_buf *b;

	st->pool_used = 0;
	st->pool_quarantine = 0;
	mutex_lock(&ds_kho.lock);
	list_for_each_entry(b, &ds_kho.bufs, node) {
		st->pool_used += b->size >> PAGE_SHIFT;
		if (b->stray)
			st->pool_quarantine += b->size >> PAGE_SHIFT;
	}
	mutex_unlock(&ds_kho.lock);
	st->pool_pages = st->pool_used;
}

#ifdef DS_TESTING
/* CRC-32C of every usable buffer's bytes, in list order. */
static u32 ds_kho_buf_crc(void)
{
	struct ds_kho_buf *b;
	u32 crc = 0;

	mutex_lock(&ds_kho.lock);
	list_for_each_entry(b, &ds_kho.bufs, node)
		if (!b->stray)
			crc = ds_crc32c(crc, folio_address(b->folio), b->size);
	mutex_unlock(&ds_kho.lock);
	return crc;
}
#endif

const struct ds_transport_ops ds_kho_transport = {
	.name = "kho",
	.setup = ds_kho_setup,
	.teardown = ds_kho_teardown,
	.present = ds_kho_present,
	.read_incoming = ds_kho_read_incoming,
	.commit = ds_kho_commit,
	.begin_blob = ds_kho_begin_blob,
	.area = &ds_kho.area,
	.status = ds_kho_status,
	.buf_alloc = ds_kho_buf_alloc,
	.buf_free = ds_kho_buf_free,
	.buf_hold = ds_kho_buf_hold,
	.buf_va = ds_kho_buf_va,
	.quarantine = ds_kho_quarantine,
	.release_quarantine = ds_kho_release_quarantine,
	.buf_status = ds_kho_buf_status,
#ifdef DS_TESTING
	.buf_crc = ds_kho_buf_crc,
#endif
};
#endif /* DS_COMPAT_HAVE_KHO */
