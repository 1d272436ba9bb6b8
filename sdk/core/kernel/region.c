// SPDX-License-Identifier: GPL-2.0
/*
 * The region transport: a range kept from the kernel with memmap= on both
 * command lines. Parse and check the region= parameter, map the range, lay
 * it out, and every write of its header. This file owns the region's state
 * (ds_region below): the mapping, the layout and the generation. Others
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
	void *va;		/* memremap()ed, or NULL without a region */
	phys_addr_t phys;
	u64 size;
	u64 blob_offset, blob_max;
	u64 pool_offset, pool_size;
	u64 generation;		/* of the last sealed blob we know */
} ds_region;

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
 * rest for the pool. The shared code places the blob and the pool; format a
 * scratch header to learn where, without touching the region yet.
 */
static int ds_region_layout(void)
{
	struct ds_region_header scratch;
	struct ds_region_view v;
	u64 blob_max;
	int ret;

	blob_max = max_t(u64, PAGE_SIZE,
			 round_down(ds_region.size / DS_BLOB_SHARE_DIV, PAGE_SIZE));
	ret = ds_region_format(&scratch, ds_region.size, blob_max, 0);
	if (!ret)
		ret = ds_region_inspect(&scratch, ds_region.size, &v);
	if (ret) {
		pr_err("region: cannot lay out %llu bytes: %s\n", ds_region.size,
		       ds_strerror(ret));
		return -EINVAL;
	}
	if (!v.pool_size) {
		pr_err("region: %llu bytes leave no room for the DMA pool\n",
		       ds_region.size);
		return -EINVAL;
	}
	ds_region.blob_offset = v.blob_offset;
	ds_region.blob_max = v.blob_max;
	ds_region.pool_offset = v.pool_offset;
	ds_region.pool_size = v.pool_size;
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
	ds_region.size = size;
	ds_region.phys = phys;
	ret = ds_region_layout();
	if (ret)
		return ret;
	ds_region.va = memremap(phys, size, MEMREMAP_WB);
	if (!ds_region.va) {
		pr_err("region: cannot map 0x%llx+0x%llx\n", phys, size);
		return -ENOMEM;
	}
	ret = ds_pool_init(phys + ds_region.pool_offset,
			   ds_region.va + ds_region.pool_offset,
			   ds_region.pool_size);
	if (ret)
		goto unmap;
	pr_info("region: %lluK at 0x%llx, blob area %lluK, pool %lluK\n",
		size >> 10, phys, ds_region.blob_max >> 10,
		ds_region.pool_size >> 10);
	return 0;

unmap:
	memunmap(ds_region.va);
	ds_region.va = NULL;
	return ret;
}

/* Unmap the region; the pool goes first, since it points into the mapping. */
static void ds_region_teardown(void)
{
	ds_pool_exit();
	if (ds_region.va)
		memunmap(ds_region.va);
	ds_region.va = NULL;
}

/* Is there a region (region= given and mapped)? */
static bool ds_region_present(void)
{
	return ds_region.va != NULL;
}

/**
 * ds_region_read_incoming() - what the previous kernel left in the header
 * @v: out: the header's fields; @v->blob points at the blob in the region
 *
 * The header is inspected as a copy, read once: read in place, a device
 * still writing into the region could change a field between the CRC check
 * and the field's use. The blob is located from the copy's checked fields.
 * A valid header's generation becomes ours, so our own freeze seals the
 * next one.
 *
 * Context: at load, before anything else can write the header.
 * Return: 0, -DS_ERR_NOTFOUND without a region, or the DS_ERR_* code of
 * ds_region_inspect() (-DS_ERR_REGION_MAGIC: never formatted).
 */
static int ds_region_read_incoming(struct ds_region_view *v)
{
	struct ds_region_header hdr;
	int ret;

	if (!ds_region.va)
		return -DS_ERR_NOTFOUND;
	memcpy(&hdr, ds_region.va, sizeof(hdr));
	ret = ds_region_inspect(&hdr, ds_region.size, v);
	if (ret)
		return ret;
	v->blob = (const u8 *)ds_region.va + v->blob_offset;
	ds_region.generation = v->generation;
	return 0;
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
	int ret;

	ds_assert_locked();
	if (!ds_region.va)
		return;
	if (adopted) {
		ret = ds_region_mark_adopted(ds_region.va, ds_region.size);
		if (ret)
			pr_warn("incoming: cannot mark the region adopted: %s\n",
				ds_strerror(ret));
	} else {
		ret = ds_region_format(ds_region.va, ds_region.size,
				       ds_region.blob_max, ds_region.generation);
		if (ret)
			pr_warn("region: cannot format: %s\n", ds_strerror(ret));
	}
}

/**
 * ds_region_begin_blob() - lay the header out afresh and open the blob area
 * @info: out: the region's part of the blob's root (generation, pool)
 * @blob: out: where the blob goes
 * @max: out: bytes the blob may take
 *
 * The header may still say ADOPTED (from the blob we took at load) or carry
 * another kernel's layout; our freeze writes with our own. The header goes
 * to WRITING.
 *
 * Context: under ds_lock().
 * Return: 0, -DS_ERR_NOTFOUND without a region, or a negative DS_ERR_* code.
 */
static int ds_region_begin_blob(struct ds_blob_info *info, u8 **blob,
				u64 *max)
{
	int ret;

	ds_assert_locked();
	if (!ds_region.va)
		return -DS_ERR_NOTFOUND;
	ret = ds_region_format(ds_region.va, ds_region.size, ds_region.blob_max,
			       ds_region.generation);
	if (!ret)
		ret = ds_region_begin_write(ds_region.va, ds_region.size, blob,
					    max);
	if (ret)
		return ret;
	info->generation = ds_region.generation + 1;
	info->pool_base = ds_region.phys + ds_region.pool_offset;
	info->pool_size = ds_region.pool_size;
	return 0;
}

/**
 * ds_region_seal_blob() - seal the blob written since ds_region_begin_blob()
 * @size: its bytes
 *
 * The blob carries the next generation (ds_region_begin_blob() gave it),
 * which becomes the region's.
 *
 * Context: under ds_lock().
 * Return: 0 or a negative DS_ERR_* code.
 */
static int ds_region_seal_blob(u32 size)
{
	int ret;

	ds_assert_locked();
	ret = ds_region_seal(ds_region.va, ds_region.size, size,
			     ds_region.generation + 1);
	if (!ret)
		ds_region.generation++;
	return ret;
}

/**
 * ds_region_recrc() - the sealed blob's CRCs again, after the kexec path
 * edited it in place (the kept-alive list)
 *
 * Context: the kexec path's last hook: no lock, one CPU left.
 * Return: 0 or a negative DS_ERR_* code.
 */
static int ds_region_recrc(void)
{
	if (!ds_region.va)
		return -DS_ERR_BADSTATE;
	return ds_region_update_crc(ds_region.va, ds_region.size);
}

/**
 * ds_region_sealed_intact() - the sealed blob still matches its CRC
 *
 * Context: the kexec path's last hook: no lock, one CPU left.
 * Return: 0 or a negative DS_ERR_* code (-DS_ERR_BADCRC when it changed).
 *
 * Checked before the kexec path edits and reseals the blob, since a
 * reseal would otherwise make whatever changed the blob after the freeze
 * (a stray write, a DMA aimed at the wrong page) look valid to the next
 * kernel.
 */
static int ds_region_sealed_intact(void)
{
	struct ds_region_view v;

	if (!ds_region.va)
		return -DS_ERR_BADSTATE;
	return ds_region_open(ds_region.va, ds_region.size, &v);
}

/**
 * ds_region_thaw() - header back to EMPTY, whatever it said
 *
 * Context: under ds_lock().
 * Return: 0 (also without a region) or a negative DS_ERR_* code.
 */
static int ds_region_thaw(void)
{
	ds_assert_locked();
	if (!ds_region.va)
		return 0;
	return ds_region_reset(ds_region.va, ds_region.size);
}

/* The blob area, where a sealed blob starts; NULL without a region. */
static void *ds_region_blob(void)
{
	return ds_region.va ? ds_region.va + ds_region.blob_offset : NULL;
}

/*
 * The region from its start up to the pool (header and blob area), for
 * debugfs; NULL without a region.
 */
static const void *ds_region_head(size_t *len)
{
	*len = ds_region.va ? ds_region.pool_offset : 0;
	return ds_region.va;
}

/* Context: under ds_lock(). */
static void ds_region_status(struct ds_status *st)
{
	st->region = ds_region.va != NULL;
	st->region_size = ds_region.size;
	st->region_phys = ds_region.phys;
	st->generation = ds_region.generation;
}

#ifdef DS_TESTING
/*
 * The test knob's unknown-record: seal the blob area's first @size bytes
 * again, with the generation they were sealed with, after it edited them.
 * Context: under ds_lock(), frozen.
 */
static int ds_region_reseal(u32 size)
{
	u8 *area;
	u64 max;
	int ret;

	ds_assert_locked();
	ret = ds_region_begin_write(ds_region.va, ds_region.size, &area, &max);
	if (!ret)
		ret = ds_region_seal(ds_region.va, ds_region.size, size,
				     ds_region.generation);
	return ret;
}
#endif

/* The memmap= region, with pool.c's bitmap over its pages for buffers. */
const struct ds_transport_ops ds_region_transport = {
	.name = "region",
	.setup = ds_region_setup,
	.teardown = ds_region_teardown,
	.present = ds_region_present,
	.read_incoming = ds_region_read_incoming,
	.commit = ds_region_commit,
	.begin_blob = ds_region_begin_blob,
	.seal_blob = ds_region_seal_blob,
	.recrc = ds_region_recrc,
	.sealed_intact = ds_region_sealed_intact,
	.thaw = ds_region_thaw,
	.blob = ds_region_blob,
	.head = ds_region_head,
	.status = ds_region_status,
#ifdef DS_TESTING
	.reseal = ds_region_reseal,
#endif
	.buf_alloc = ds_pool_alloc,
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
