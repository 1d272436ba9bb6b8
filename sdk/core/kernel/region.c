// SPDX-License-Identifier: GPL-2.0
/*
 * The region transport: a range kept from the kernel with memmap= on both
 * command lines. Parse and check the region= parameter, map the range and
 * lay it out; its header and blob area are written through area.c, as the
 * KHO transport's are. This file owns the region's state (ds_region
 * below): the mapping, the layout and the generation. Others
 * reach it only through ds_region_transport, the table at the end, by way
 * of ds_transport() (transport.c): the outgoing side (freeze.c) writes its
 * blob through ->begin_blob() and ->seal_blob(); the incoming side
 * (lookup.c) reads what the previous kernel left through ->read_incoming().
 * The pool's pages are handed to pool.c at setup, and the table's buffer
 * operations are pool.c's.
 *
 * Header writes happen under ds_lock(), apart from setup and teardown.
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>

static struct {
	struct ds_area area;	/* va: memremap()ed, or NULL without a region */
	phys_addr_t phys;
} ds_region = {
	.area.name = "region",
};

static int ds_region_parse(const char *param, u64 *size, u64 *phys)
{
	const char *p = param;
	char *end;

	*size = memparse(p, &end);
	if (end == p || *end != '@')
		return -EINVAL;
	p = end + 1;
	*phys = memparse(p, &end);
	if (end == p)
		return -EINVAL;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

static int ds_region_check(u64 size, u64 phys)
{
	if (size < DS_REGION_MIN_SIZE) {
		pr_err("region: %llu bytes is smaller than the minimum of %u\n",
		       size, DS_REGION_MIN_SIZE);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(phys) || !PAGE_ALIGNED(size)) {
		pr_err("region: start 0x%llx and size 0x%llx must be page aligned\n",
		       phys, size);
		return -EINVAL;
	}
	if (phys + size < phys || phys + size - 1 > (phys_addr_t)-1) {
		pr_err("region: 0x%llx+0x%llx overflows the physical address space\n",
		       phys, size);
		return -EINVAL;
	}
	/*
	 * Memory the kernel manages as System RAM can be handed out by the page
	 * allocator at any time: only a range kept from it (memmap=SIZE$PHYS)
	 * survives a kexec untouched.
	 */
	if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("region: 0x%llx+0x%llx overlaps System RAM; keep it from the kernel with memmap=0x%llx$0x%llx on its command line\n",
		       phys, size, size, phys);
		return -EINVAL;
	}
	return 0;
}

/*
 * Our layout: a quarter of the region for the blob (at least a page), the
 * rest for the pool.
 */
static int ds_region_layout(u64 size)
{
	u64 blob_max;
	int ret;

	blob_max = max_t(u64, PAGE_SIZE,
			 round_down(size / DS_BLOB_SHARE_DIV, PAGE_SIZE));
	ret = ds_area_layout(&ds_region.area, size, blob_max);
	if (ret) {
		pr_err("region: cannot lay out %llu bytes: %s\n", size,
		       ds_strerror(ret));
		return -EINVAL;
	}
	if (!ds_region.area.pool_size) {
		pr_err("region: %llu bytes leave no room for the DMA pool\n",
		       size);
		return -EINVAL;
	}
	return 0;
}

/**
 * ds_region_setup() - check, map and lay out the region= parameter
 * @param: "SIZE@PHYS", or NULL/empty for no region
 *
 * Return: 0 (also without a region), or a negative errno that fails the
 * module load: a region that is asked for but unusable is an operator error
 * worth refusing loudly.
 */
static int ds_region_setup(const char *param)
{
	struct ds_area *a = &ds_region.area;
	u64 size, phys;
	int ret;

	if (!param || !*param)
		return 0;
	if (ds_region_parse(param, &size, &phys)) {
		pr_err("region: cannot parse '%s': want SIZE@PHYS, e.g. 16M@0x30000000\n",
		       param);
		return -EINVAL;
	}
	ret = ds_region_check(size, phys);
	if (ret)
		return ret;
	ds_region.phys = phys;
	ret = ds_region_layout(size);
	if (ret)
		return ret;
	a->va = memremap(phys, size, MEMREMAP_WB);
	if (!a->va) {
		pr_err("region: cannot map 0x%llx+0x%llx\n", phys, size);
		return -ENOMEM;
	}
	ret = ds_pool_init(phys + a->pool_offset, a->va + a->pool_offset,
			   a->pool_size);
	if (ret)
		goto unmap;
	pr_info("region: %lluK at 0x%llx, blob area %lluK, pool %lluK\n",
		size >> 10, phys, a->blob_max >> 10, a->pool_size >> 10);
	return 0;

unmap:
	memunmap(a->va);
	a->va = NULL;
	return ret;
}

/* Unmap the region; the pool goes first, since it points into the mapping. */
static void ds_region_teardown(void)
{
	ds_pool_exit();
	if (ds_region.area.va)
		memunmap(ds_region.area.va);
	ds_region.area.va = NULL;
}

/* Is there a region (region= given and mapped)? */
static bool ds_region_present(void)
{
	return ds_region.area.va != NULL;
}

/**
 * ds_region_read_incoming() - what the previous kernel left in the header
 * @v: out: the header's fields; @v->blob points at the blob in the region
 *
 * A valid header's generation becomes ours, so our own freeze seals the
 * next one.
 *
 * Context: at load, before anything else can write the header.
 * Return: 0, -DS_ERR_NOTFOUND without a region, or the DS_ERR_* code of
 * ds_area_read() (-DS_ERR_REGION_MAGIC: never formatted).
 */
static int ds_region_read_incoming(struct ds_region_view *v)
{
	int ret;

	if (!ds_region.area.va)
		return -DS_ERR_NOTFOUND;
	ret = ds_area_read(ds_region.area.va, ds_region.area.size, v);
	if (!ret)
		ds_region.area.generation = v->generation;
	return ret;
}

/**
 * ds_region_commit() - write the header after a load that succeeded
 * @adopted: a blob was taken: mark the region ADOPTED; else format it EMPTY
 *
 * Only the header is written: the pool's pages stay as they are.
 *
 * Context: under ds_lock(), last in module init, not while frozen.
 */
static void ds_region_commit(bool adopted)
{
	struct ds_area *a = &ds_region.area;
	int ret;

	ds_assert_locked();
	if (!a->va || !adopted) {
		ds_area_format(a);
		return;
	}
	ret = ds_region_mark_adopted(a->va, a->size);
	if (ret)
		pr_warn("incoming: cannot mark the region adopted: %s\n",
			ds_strerror(ret));
}

/* The pool's place in the blob's root, then the area's part. */
static int ds_region_begin_blob(struct ds_blob_info *info, u8 **blob,
				u64 *max)
{
	info->pool_base = ds_region.phys + ds_region.area.pool_offset;
	info->pool_size = ds_region.area.pool_size;
	return ds_area_begin_blob(&ds_region.area, info, blob, max);
}

/* Context: under ds_lock(). */
static void ds_region_status(struct ds_status *st)
{
	st->region = ds_region.area.va != NULL;
	st->region_size = ds_region.area.size;
	st->region_phys = ds_region.phys;
	st->generation = ds_region.area.generation;
}

/* The pool sits where the region is: the caller checks it against @mask. */
static int ds_region_buf_alloc(u64 mask, unsigned long nr_pages,
			       phys_addr_t *phys, void **va)
{
	return ds_pool_alloc(nr_pages, phys, va);
}

/* The memmap= region, with pool.c's bitmap over its pages for buffers. */
const struct ds_transport_ops ds_region_transport = {
	.name = "region",
	.setup = ds_region_setup,
	.teardown = ds_region_teardown,
	.present = ds_region_present,
	.read_incoming = ds_region_read_incoming,
	.commit = ds_region_commit,
	.begin_blob = ds_region_begin_blob,
	.area = &ds_region.area,
	.status = ds_region_status,
	.buf_alloc = ds_region_buf_alloc,
	.buf_free = ds_pool_free,
	.buf_hold = ds_pool_hold,
	.buf_va = ds_pool_va,
	.quarantine = ds_pool_quarantine,
	.release_quarantine = ds_pool_release_quarantine,
	.buf_status = ds_pool_status,
#ifdef DS_TESTING
	.buf_crc = ds_pool_crc,
#endif
};
