// SPDX-License-Identifier: GPL-2.0
/*
 * The preserved region: parse and check the region= parameter, map the range,
 * take over what the previous kernel left in it, and lay it out for our own
 * freeze.
 *
 * The incoming blob is copied out of the region before it is parsed: the
 * region's pool pages may still be the target of a live device's DMA, and a
 * parser must never read memory that can change under it.
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>

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
			 round_down(ds.size / DS_BLOB_SHARE_DIV, PAGE_SIZE));
	ret = ds_region_format(&scratch, ds.size, blob_max, 0);
	if (!ret)
		ret = ds_region_inspect(&scratch, ds.size, &v);
	if (ret) {
		pr_err("region: cannot lay out %llu bytes: %s\n", ds.size,
		       ds_strerror(ret));
		return -EINVAL;
	}
	if (!v.pool_size) {
		pr_err("region: %llu bytes leave no room for the DMA pool\n",
		       ds.size);
		return -EINVAL;
	}
	ds.blob_offset = v.blob_offset;
	ds.blob_max = v.blob_max;
	ds.pool_offset = v.pool_offset;
	ds.pool_size = v.pool_size;
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
int ds_region_setup(const char *param)
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
	ds.size = size;
	ds.phys = phys;
	ret = ds_region_layout();
	if (ret)
		return ret;
	ret = ds_pool_init(ds.pool_size);
	if (ret)
		return ret;
	ds.va = memremap(phys, size, MEMREMAP_WB);
	if (!ds.va) {
		pr_err("region: cannot map 0x%llx+0x%llx\n", phys, size);
		ds_pool_exit();
		return -ENOMEM;
	}
	pr_info("region: %lluK at 0x%llx, blob area %lluK, pool %lluK\n",
		size >> 10, phys, ds.blob_max >> 10, ds.pool_size >> 10);
	return 0;
}

void ds_region_teardown(void)
{
	if (ds.va)
		memunmap(ds.va);
	ds.va = NULL;
	ds_pool_exit();
}

/* Records ds_incoming_decode() could not read. */
static u32 ds_in_unreadable;

/*
 * Decode every indexed record and hold the pool pages each one lists. A
 * record we cannot read (a newer version, or malformed) still stands for a
 * device the previous kernel may have kept alive, writing pages we cannot
 * name: hold every free page too, until ds_finish(), as for a rejected blob.
 */
static int ds_incoming_decode(void)
{
	u64 pool_base = ds.phys + ds.pool_offset;
	u32 i, j, unreadable = 0;

	if (!ds.blob.nr_devices)
		return 0;
	ds.in = kvcalloc(ds.blob.nr_devices, sizeof(*ds.in), GFP_KERNEL);
	if (!ds.in)
		return -DS_ERR_NOMEM;
	/* Only now: ds_finish_locked() walks ds.in[0..nr_in) after a reject. */
	ds.nr_in = ds.blob.nr_devices;
	for (i = 0; i < ds.nr_in; i++) {
		struct ds_incoming *in = &ds.in[i];

		in->read_err = ds_blob_read(&ds.blob, ds.blob.index[i].node,
					    &in->rec);
		if (in->read_err) {
			unreadable++;
			continue;
		}
		for (j = 0; j < in->rec.nr_dma; j++) {
			const struct ds_dma_region *d = &in->rec.dma[j];

			/* Buffers outside our pool are never held nor reclaimed. */
			if (d->phys < pool_base ||
			    ds_pool_hold(d->phys - pool_base, d->size))
				continue;
			in->held |= BIT(j);
		}
	}
	/* Logged by the caller, once the validation time is taken. */
	ds_in_unreadable = unreadable;
	if (unreadable)
		ds.quarantine = !ds_pool_quarantine();
	return 0;
}

static void ds_incoming_nothing(int err)
{
	ds.in_error = err;
	ds.in_reason = DS_COLD_NO_REGION;
	pr_info("incoming: nothing handed over (%s); all devices cold\n",
		ds_strerror(err));
}

/*
 * A kernel handed over, but the blob cannot be trusted, so nothing says
 * which pool pages its kept-alive devices may still write: hold them all
 * until ds_finish(), by when the cold path has reset every device that has
 * a driver.
 */
static void ds_incoming_reject(int err)
{
	ds.in_error = err;
	ds.in_reason = DS_COLD_BLOB_REJECTED;
	ds.quarantine = !ds_pool_quarantine();
	pr_warn("incoming: blob rejected: %s; all devices cold%s\n",
		ds_strerror(err),
		ds.quarantine ? ", DMA pool held until finish" : "");
}

/*
 * Copy the sealed blob out of the region, then check the CRC and validate and
 * index the copy. @v is the header as ds_region_inspect() read it once: the
 * size and CRC come from there, never from a second read of the region.
 * The CRC is checked on the copy only: the copy is what gets parsed, and the
 * region's bytes may change under a device still writing into it.
 */
static int ds_incoming_take(const struct ds_region_view *v)
{
	int ret;

	if (v->state != DS_REGION_SEALED)
		return -DS_ERR_UNSEALED;
	/*
	 * The size is the untrusted header's (up to 4 GiB - 1 in a big
	 * region): kvmalloc() WARNs past INT_MAX unless told not to, and a
	 * bad header is a rejected blob, not a warning splat.
	 */
	ds.in_blob = kvmalloc(v->blob_size, GFP_KERNEL | __GFP_NOWARN);
	if (!ds.in_blob)
		return -DS_ERR_NOMEM;
	memcpy(ds.in_blob, v->blob, v->blob_size);
	if (ds_crc32c(0, ds.in_blob, v->blob_size) != v->blob_crc) {
		ret = -DS_ERR_BADCRC;
		goto free_copy;
	}
	ds.in_blob_size = v->blob_size;
	ret = ds_blob_open(&ds.blob, ds.in_blob, v->blob_size);
	if (ret)
		goto free_copy;
	ret = ds_incoming_decode();
	if (ret)
		goto close_blob;
	return 0;

close_blob:
	ds_blob_close(&ds.blob);
free_copy:
	kvfree(ds.in_blob);
	ds.in_blob = NULL;
	ds.in_blob_size = 0;
	return ret;
}

/**
 * ds_incoming_load() - take over what the previous kernel left, at load
 *
 * Sets ds.in_reason to DS_ADOPT when a blob was taken, else to the cold
 * reason every lookup will report. Never fails: any fault is one log line
 * and the cold path for every device. Writes nothing into the region:
 * ds_incoming_commit() does, once the module load cannot fail any more.
 */
void ds_incoming_load(void)
{
	struct ds_region_header hdr;
	struct ds_region_view v;
	u64 t0 = ktime_get_ns();
	int ret;

	if (!ds.va) {
		ds.in_reason = DS_COLD_NO_REGION;
		pr_info("incoming: no region configured; all devices cold\n");
		return;
	}
	/*
	 * Inspect a copy of the header: read in place, a device still writing
	 * into the region could change a field between the CRC check and the
	 * field's use. The blob is located from the copy's checked fields.
	 */
	memcpy(&hdr, ds.va, sizeof(hdr));
	ret = ds_region_inspect(&hdr, ds.size, &v);
	if (!ret)
		v.blob = (const u8 *)ds.va + v.blob_offset;
	if (ret == -DS_ERR_REGION_MAGIC) {
		/* Never formatted: a first boot, not a fault. */
		ds_incoming_nothing(ret);
		return;
	}
	if (ret) {
		ds_incoming_reject(ret);
		return;
	}
	ds.generation = v.generation;
	if (v.state == DS_REGION_EMPTY || v.state == DS_REGION_ADOPTED) {
		ds_incoming_nothing(-DS_ERR_UNSEALED);
		return;
	}
	ret = ds_incoming_take(&v);
	if (ret) {
		ds_incoming_reject(ret);
		return;
	}
	ds.in_validate_us = ds_us_since(t0);
	ds.in_reason = DS_ADOPT;
	ds.in_error = 0;
	if (ds_in_unreadable)
		pr_warn("incoming: %u of %u records unreadable%s\n",
			ds_in_unreadable, ds.nr_in, ds.quarantine ?
			"; free DMA pool pages held until finish" : "");
	pr_info("incoming: region sealed gen %llu, %u records, validated in %llu us\n",
		v.generation, ds.nr_in, ds.in_validate_us);
}

/**
 * ds_incoming_commit() - write the header after a load that succeeded
 *
 * Context: last in module init; takes ds.lock. A taken blob's region becomes
 * ADOPTED; any other is formatted EMPTY (only the header: the pool's pages
 * stay as they are). A load that fails before this leaves the region as it
 * found it, so a second try sees the same handoff and holds the same pages.
 */
void ds_incoming_commit(void)
{
	int ret;

	if (!ds.va)
		return;
	mutex_lock(&ds.lock);
	/* A freeze since the load wrote a header of its own: keep it. */
	if (ds.frozen) {
		mutex_unlock(&ds.lock);
		return;
	}
	if (ds.in_reason == DS_ADOPT) {
		ret = ds_region_mark_adopted(ds.va, ds.size);
		if (ret)
			pr_warn("incoming: cannot mark the region adopted: %s\n",
				ds_strerror(ret));
	} else {
		ret = ds_region_format(ds.va, ds.size, ds.blob_max,
				       ds.generation);
		if (ret)
			pr_warn("region: cannot format: %s\n", ds_strerror(ret));
	}
	mutex_unlock(&ds.lock);
}

/**
 * ds_region_prepare_write() - lay the header out afresh for a freeze
 *
 * Context: under ds.lock. The header may still say ADOPTED (from the blob we
 * took at load) or carry another kernel's layout; our freeze writes with our
 * own. Only the header is written.
 *
 * Return: 0 or a negative DS_ERR_* code.
 */
int ds_region_prepare_write(void)
{
	return ds_region_format(ds.va, ds.size, ds.blob_max, ds.generation);
}
