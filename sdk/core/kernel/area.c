// SPDX-License-Identifier: GPL-2.0
/*
 * The header and blob area, as every transport lays them out: the region
 * format of <devstate/blob.h> (header, blob area, then the DMA pool, which
 * is empty under KHO). A transport owns a struct ds_area, maps or allocates
 * its bytes, and calls these for every header write, so the two transports
 * seal, check and reset a blob with one piece of code and the next kernel
 * reads both with one reader.
 *
 * Header writes happen under ds_lock(), apart from setup and the kexec
 * path's last hook (ds_area_recrc(), ds_area_sealed_intact()).
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/mm.h>

/**
 * ds_area_layout() - where the blob and the pool go in @size bytes
 * @a: the area; its size and offsets are set, its bytes not touched
 * @size: bytes of the whole area, pool included
 * @blob_max: bytes asked for the blob area
 *
 * The shared code places the blob and the pool; a scratch header is
 * formatted to learn where, without writing the area yet.
 *
 * Return: 0 or a negative DS_ERR_* code.
 */
int ds_area_layout(struct ds_area *a, u64 size, u64 blob_max)
{
	struct ds_region_header scratch;
	struct ds_region_view v;
	int ret;

	ret = ds_region_format(&scratch, size, blob_max, 0);
	if (!ret)
		ret = ds_region_inspect(&scratch, size, &v);
	if (ret)
		return ret;
	a->size = size;
	a->blob_offset = v.blob_offset;
	a->blob_max = v.blob_max;
	a->pool_offset = v.pool_offset;
	a->pool_size = v.pool_size;
	return 0;
}

/**
 * ds_area_read() - check a header the previous kernel left
 * @src: its first byte; the blob follows at the offset the header gives
 * @size: bytes of @src that may be read
 * @v: out: the header's fields; @v->blob points into @src
 *
 * The header is inspected as a copy, read once: read in place, a device
 * still writing into the area could change a field between the CRC check
 * and the field's use. The blob is located from the copy's checked fields.
 *
 * Return: 0 or the DS_ERR_* code of ds_region_inspect()
 * (-DS_ERR_REGION_MAGIC: never formatted).
 */
int ds_area_read(const void *src, u64 size, struct ds_region_view *v)
{
	struct ds_region_header hdr;
	int ret;

	if (size < sizeof(hdr))
		return -DS_ERR_TRUNCATED;
	memcpy(&hdr, src, sizeof(hdr));
	ret = ds_region_inspect(&hdr, size, v);
	if (!ret)
		v->blob = (const u8 *)src + v->blob_offset;
	return ret;
}

/**
 * ds_area_format() - the header EMPTY, with the generation we know
 * @a: the area
 *
 * Context: under ds_lock(), or at setup before anyone else can see @a.
 */
void ds_area_format(struct ds_area *a)
{
	int ret;

	if (!a->va)
		return;
	ret = ds_region_format(a->va, a->size, a->blob_max, a->generation);
	if (ret)
		pr_warn("%s: cannot format the header: %s\n", a->name,
			ds_strerror(ret));
}

/**
 * ds_area_begin_blob() - lay the header out afresh and open the blob area
 * @a: the area
 * @info: out: its part of the blob's root (generation; the pool is the
 *	caller's)
 * @blob: out: where the blob goes
 * @max: out: bytes the blob may take
 *
 * The header may still say ADOPTED (from the blob taken at load) or carry
 * another kernel's layout; the freeze writes with ours. The header goes to
 * WRITING.
 *
 * Context: under ds_lock().
 * Return: 0, -DS_ERR_NOTFOUND without an area, or a negative DS_ERR_* code.
 */
int ds_area_begin_blob(struct ds_area *a, struct ds_blob_info *info,
		       u8 **blob, u64 *max)
{
	int ret;

	ds_assert_locked();
	if (!a->va)
		return -DS_ERR_NOTFOUND;
	ret = ds_region_format(a->va, a->size, a->blob_max, a->generation);
	if (!ret)
		ret = ds_region_begin_write(a->va, a->size, blob, max);
	if (ret)
		return ret;
	info->generation = a->generation + 1;
	info->transport = a->name;
	return 0;
}

/**
 * ds_area_seal_blob() - seal the blob written since ds_area_begin_blob()
 * @a: the area
 * @size: the blob's bytes
 *
 * The blob carries the next generation, which becomes the area's.
 *
 * Context: under ds_lock().
 * Return: 0 or a negative DS_ERR_* code.
 */
int ds_area_seal_blob(struct ds_area *a, u32 size)
{
	int ret;

	ds_assert_locked();
	ret = ds_region_seal(a->va, a->size, size, a->generation + 1);
	if (!ret)
		a->generation++;
	return ret;
}

/**
 * ds_area_recrc() - the sealed blob's CRCs again, after the kexec path
 * edited it in place (the kept-alive list)
 * @a: the area
 *
 * Context: the kexec path's last hook: no lock, one CPU left.
 * Return: 0 or a negative DS_ERR_* code.
 */
int ds_area_recrc(struct ds_area *a)
{
	if (!a->va)
		return -DS_ERR_BADSTATE;
	return ds_region_update_crc(a->va, a->size);
}

/**
 * ds_area_sealed_intact() - the sealed blob still matches its CRC
 * @a: the area
 *
 * Checked before the kexec path edits and reseals the blob: a reseal would
 * otherwise make whatever changed the blob after the freeze (a stray
 * write, a DMA aimed at the wrong page) look valid to the next kernel.
 *
 * Context: the kexec path's last hook: no lock, one CPU left.
 * Return: 0 or a negative DS_ERR_* code (-DS_ERR_BADCRC when it changed).
 */
int ds_area_sealed_intact(struct ds_area *a)
{
	struct ds_region_view v;

	if (!a->va)
		return -DS_ERR_BADSTATE;
	return ds_region_open(a->va, a->size, &v);
}

/**
 * ds_area_thaw() - header back to EMPTY, whatever it said
 * @a: the area
 *
 * Context: under ds_lock().
 * Return: 0 (also without an area) or a negative DS_ERR_* code.
 */
int ds_area_thaw(struct ds_area *a)
{
	ds_assert_locked();
	if (!a->va)
		return 0;
	return ds_region_reset(a->va, a->size);
}

/* The blob area, where a sealed blob starts; NULL without an area. */
void *ds_area_blob(struct ds_area *a)
{
	return a->va ? a->va + a->blob_offset : NULL;
}

/*
 * The area from its start up to the pool (header and blob area), for
 * debugfs; NULL without an area.
 */
const void *ds_area_head(struct ds_area *a, size_t *len)
{
	*len = a->va ? a->pool_offset : 0;
	return a->va;
}

#ifdef DS_TESTING
/**
 * ds_area_reseal() - seal the blob area's first @size bytes again
 * @a: the area
 * @size: bytes
 *
 * For the test knob's unknown-record, which edits a sealed blob: sealed
 * again with the generation it had.
 *
 * Context: under ds_lock(), frozen.
 * Return: 0 or a negative DS_ERR_* code.
 */
int ds_area_reseal(struct ds_area *a, u32 size)
{
	u8 *area;
	u64 max;
	int ret;

	ds_assert_locked();
	ret = ds_region_begin_write(a->va, a->size, &area, &max);
	if (!ret)
		ret = ds_region_seal(a->va, a->size, size, a->generation);
	return ret;
}
#endif
