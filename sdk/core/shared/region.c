// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The region header: the small fixed header in front of the blob that says
 * where the blob and the DMA pool are, what state the handoff is in, and the
 * CRCs that let the next kernel trust nothing it has not checked.
 */
#include "ds_env.h"
#include <devstate/blob.h>

#define HDR(p)	((struct ds_region_header *)(p))
/*
 * Largest blob: ds_fdt_open() reads no more, and the next kernel copies the
 * blob with kvmalloc(), which warns above INT_MAX.
 */
#define DS_BLOB_SIZE_MAX	0x7fffffffu
#define CHDR(p)	((const struct ds_region_header *)(p))

static uint64_t ds_align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static uint32_t ds_header_crc(const void *region)
{
	static const uint8_t zero[4];
	uint32_t crc;

	crc = ds_crc32c(0, region, offsetof(struct ds_region_header, header_crc));
	return ds_crc32c(crc, zero, sizeof(zero));
}

static void ds_header_commit(void *region)
{
	ds_put_be32(&HDR(region)->header_crc, ds_header_crc(region));
}

static bool ds_state_known(uint32_t s)
{
	return s == DS_REGION_EMPTY || s == DS_REGION_WRITING ||
	       s == DS_REGION_SEALED || s == DS_REGION_ADOPTED;
}

int ds_region_format(void *region, uint64_t region_size, uint64_t blob_max,
		     uint64_t generation)
{
	uint64_t blob_off = ds_align_up(DS_REGION_HEADER_SIZE,
					DS_REGION_BLOB_ALIGN);
	uint64_t pool_off;

	if (!region || region_size < DS_REGION_MIN_SIZE || !blob_max ||
	    blob_max > 0xffffffffu || blob_max > region_size)
		return -DS_ERR_INVAL;
	pool_off = ds_align_up(blob_off + blob_max, DS_REGION_POOL_ALIGN);
	/* Rounded up, the blob area must still pass ds_check_layout(). */
	if (pool_off - blob_off > 0xffffffffu)
		return -DS_ERR_INVAL;
	if (pool_off > region_size)
		return -DS_ERR_NOSPACE;
	memset(region, 0, DS_REGION_HEADER_SIZE);
	ds_put_be32(&HDR(region)->magic, DS_REGION_MAGIC);
	ds_put_be32(&HDR(region)->abi_version, DS_REGION_ABI_VERSION);
	ds_put_be32(&HDR(region)->header_size, DS_REGION_HEADER_SIZE);
	ds_put_be32(&HDR(region)->state, DS_REGION_EMPTY);
	ds_put_be64(&HDR(region)->region_size, region_size);
	ds_put_be64(&HDR(region)->generation, generation);
	ds_put_be64(&HDR(region)->blob_offset, blob_off);
	ds_put_be64(&HDR(region)->blob_max, pool_off - blob_off);
	ds_put_be64(&HDR(region)->blob_size, 0);
	ds_put_be64(&HDR(region)->pool_offset, pool_off);
	ds_put_be64(&HDR(region)->pool_size, region_size - pool_off);
	ds_header_commit(region);
	return 0;
}

/* The header's layout fields agree with each other and with @avail bytes. */
static int ds_check_layout(struct ds_region_view *v, uint64_t avail)
{
	if (v->blob_offset < DS_REGION_HEADER_SIZE ||
	    v->blob_offset % DS_REGION_BLOB_ALIGN ||
	    v->pool_offset % DS_REGION_POOL_ALIGN ||
	    v->blob_max > 0xffffffffu ||
	    v->blob_offset + v->blob_max < v->blob_offset ||
	    v->blob_offset + v->blob_max > v->pool_offset ||
	    v->pool_offset > v->region_size ||
	    v->pool_size != v->region_size - v->pool_offset ||
	    v->blob_size > v->blob_max || v->blob_size > DS_BLOB_SIZE_MAX)
		return -DS_ERR_REGION_HEADER;
	/* The caller may hold less than the whole region, never less blob. */
	if (v->blob_offset + v->blob_size > avail)
		return -DS_ERR_TRUNCATED;
	return 0;
}

int ds_region_inspect(const void *region, uint64_t region_size,
		      struct ds_region_view *v)
{
	const struct ds_region_header *h = CHDR(region);
	uint64_t blob_size;
	int ret;

	if (!region || !v)
		return -DS_ERR_INVAL;
	memset(v, 0, sizeof(*v));
	if (region_size < DS_REGION_HEADER_SIZE)
		return -DS_ERR_TRUNCATED;
	if (ds_get_be32(&h->magic) != DS_REGION_MAGIC)
		return -DS_ERR_REGION_MAGIC;
	if (ds_get_be32(&h->abi_version) != DS_REGION_ABI_VERSION)
		return -DS_ERR_REGION_ABI;
	if (ds_get_be32(&h->header_size) != DS_REGION_HEADER_SIZE ||
	    ds_get_be32(&h->header_crc) != ds_header_crc(region))
		return -DS_ERR_REGION_HEADER;
	v->state = ds_get_be32(&h->state);
	if (!ds_state_known(v->state))
		return -DS_ERR_REGION_HEADER;
	v->region_size = ds_get_be64(&h->region_size);
	v->generation = ds_get_be64(&h->generation);
	v->blob_offset = ds_get_be64(&h->blob_offset);
	v->blob_max = ds_get_be64(&h->blob_max);
	blob_size = ds_get_be64(&h->blob_size);
	v->pool_offset = ds_get_be64(&h->pool_offset);
	v->pool_size = ds_get_be64(&h->pool_size);
	v->blob_crc = ds_get_be32(&h->blob_crc);
	if (blob_size > 0xffffffffu)
		return -DS_ERR_REGION_HEADER;
	v->blob_size = (uint32_t)blob_size;
	ret = ds_check_layout(v, region_size);
	if (ret)
		return ret;
	v->blob = (const uint8_t *)region + v->blob_offset;
	return 0;
}

int ds_region_open(const void *region, uint64_t region_size,
		   struct ds_region_view *v)
{
	int ret = ds_region_inspect(region, region_size, v);

	if (ret)
		return ret;
	if (v->state != DS_REGION_SEALED)
		return -DS_ERR_UNSEALED;
	if (ds_crc32c(0, v->blob, v->blob_size) != v->blob_crc)
		return -DS_ERR_BADCRC;
	return 0;
}

int ds_region_begin_write(void *region, uint64_t region_size,
			  uint8_t **blob, uint64_t *max)
{
	struct ds_region_view v;
	int ret = ds_region_inspect(region, region_size, &v);

	if (ret)
		return ret;
	if (v.state == DS_REGION_WRITING)
		return -DS_ERR_BADSTATE;
	/*
	 * inspect lets a reader hold less than the header's region; a writer
	 * fills the whole blob area, so all of it must lie in what it holds.
	 */
	if (v.blob_offset + v.blob_max > region_size)
		return -DS_ERR_TRUNCATED;
	ds_put_be32(&HDR(region)->state, DS_REGION_WRITING);
	ds_put_be64(&HDR(region)->blob_size, 0);
	ds_put_be32(&HDR(region)->blob_crc, 0);
	ds_header_commit(region);
	*blob = (uint8_t *)region + v.blob_offset;
	*max = v.blob_max;
	return 0;
}

int ds_region_seal(void *region, uint64_t region_size, uint32_t blob_size,
		   uint64_t generation)
{
	struct ds_region_view v;
	int ret = ds_region_inspect(region, region_size, &v);

	if (ret)
		return ret;
	if (v.state != DS_REGION_WRITING)
		return -DS_ERR_BADSTATE;
	if (blob_size > v.blob_max || blob_size > DS_BLOB_SIZE_MAX ||
	    v.blob_offset + blob_size > region_size)
		return -DS_ERR_INVAL;
	ds_put_be64(&HDR(region)->blob_size, blob_size);
	ds_put_be32(&HDR(region)->blob_crc,
		    ds_crc32c(0, (uint8_t *)region + v.blob_offset, blob_size));
	ds_put_be64(&HDR(region)->generation, generation);
	ds_put_be32(&HDR(region)->state, DS_REGION_SEALED);
	ds_header_commit(region);
	return 0;
}

int ds_region_update_crc(void *region, uint64_t region_size)
{
	struct ds_region_view v;
	int ret = ds_region_inspect(region, region_size, &v);

	if (ret)
		return ret;
	if (v.state != DS_REGION_SEALED)
		return -DS_ERR_BADSTATE;
	ds_put_be32(&HDR(region)->blob_crc,
		    ds_crc32c(0, (uint8_t *)region + v.blob_offset, v.blob_size));
	ds_header_commit(region);
	return 0;
}

static int ds_region_set_state(void *region, uint64_t region_size,
			       uint32_t from, uint32_t to)
{
	struct ds_region_view v;
	int ret = ds_region_inspect(region, region_size, &v);

	if (ret)
		return ret;
	if (from && v.state != from)
		return -DS_ERR_BADSTATE;
	if (to == DS_REGION_EMPTY) {
		ds_put_be64(&HDR(region)->blob_size, 0);
		ds_put_be32(&HDR(region)->blob_crc, 0);
	}
	ds_put_be32(&HDR(region)->state, to);
	ds_header_commit(region);
	return 0;
}

int ds_region_reset(void *region, uint64_t region_size)
{
	return ds_region_set_state(region, region_size, 0, DS_REGION_EMPTY);
}

int ds_region_mark_adopted(void *region, uint64_t region_size)
{
	return ds_region_set_state(region, region_size, DS_REGION_SEALED,
				   DS_REGION_ADOPTED);
}
