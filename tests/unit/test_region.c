// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Region header: layout chosen by format, the EMPTY -> WRITING -> SEALED ->
 * ADOPTED state machine with reset from anywhere, the CRC-32Cs the header
 * carries, recomputed here with the tests' bitwise reference, and the
 * refusal of a region written under ABI version 1 (CRC-32/IEEE).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "../synth/synth.h"
#include "crc32c_ref.h"
#include "tap.h"

#define REGION_SIZE	(64u * 1024)
#define BLOB_MAX	(16u * 1024)

#define HDR(field)	offsetof(struct ds_region_header, field)

static uint32_t header_crc(const uint8_t *r)
{
	uint8_t h[DS_REGION_HEADER_SIZE];

	memcpy(h, r, sizeof(h));
	memset(h + HDR(header_crc), 0, 4);
	return ref_crc32c(0, h, sizeof(h));
}

static uint32_t state_of(const uint8_t *r)
{
	struct ds_region_view v;
	int err = ds_region_inspect(r, REGION_SIZE, &v);

	return err ? 0 : v.state;
}

static void test_format(uint8_t *r)
{
	struct ds_region_view v;

	tap_err(ds_region_format(r, REGION_SIZE, BLOB_MAX, 5), 0, "format");
	if (!tap_err(ds_region_inspect(r, REGION_SIZE, &v), 0, "inspect formatted region"))
		return;
	tap_eq(v.state, DS_REGION_EMPTY, "formatted region is EMPTY");
	tap_eq(v.region_size, REGION_SIZE, "region size recorded");
	tap_eq(v.generation, 5, "generation recorded");
	tap_ok(v.blob_offset >= DS_REGION_HEADER_SIZE &&
	       v.blob_offset % DS_REGION_BLOB_ALIGN == 0,
	       "blob starts after the header, DS_REGION_BLOB_ALIGN aligned");
	tap_ok(v.blob_max >= BLOB_MAX, "blob area holds blob_max bytes");
	tap_ok(v.pool_offset % DS_REGION_POOL_ALIGN == 0 &&
	       v.pool_offset >= v.blob_offset + v.blob_max,
	       "pool starts after the blob area, page aligned");
	tap_eq(v.pool_offset + v.pool_size, REGION_SIZE, "pool runs to the region's end");
	tap_eq(ds_get_be32(r + HDR(magic)), DS_REGION_MAGIC, "magic in place");
	tap_eq(ds_get_be32(r + HDR(abi_version)), DS_REGION_ABI_VERSION, "ABI version in place");
	tap_eq(ds_get_be32(r + HDR(header_size)), DS_REGION_HEADER_SIZE, "header size in place");
	tap_eq(ds_get_be32(r + HDR(header_crc)), header_crc(r),
	       "header CRC is the CRC-32C of the header with the CRC field zeroed");

	tap_err(ds_region_format(r, DS_REGION_MIN_SIZE - 1, 4096, 0), -DS_ERR_INVAL,
		"format below DS_REGION_MIN_SIZE");
	tap_err(ds_region_format(r, REGION_SIZE, REGION_SIZE, 0), -DS_ERR_NOSPACE,
		"format with a blob area as large as the region");
	tap_err(ds_region_format(NULL, REGION_SIZE, BLOB_MAX, 0), -DS_ERR_INVAL,
		"format a NULL region");
}

static void test_cycle(uint8_t *r)
{
	struct ds_region_view v;
	uint8_t *area = NULL, *blob;
	uint64_t max = 0;
	uint32_t blob_size;
	struct ds_blob b;

	ds_region_format(r, REGION_SIZE, BLOB_MAX, 5);
	ds_region_inspect(r, REGION_SIZE, &v);
	tap_err(ds_region_open(r, REGION_SIZE, &v), -DS_ERR_UNSEALED, "open an EMPTY region");
	tap_err(ds_region_seal(r, REGION_SIZE, 0, 6), -DS_ERR_BADSTATE, "seal an EMPTY region");
	tap_err(ds_region_mark_adopted(r, REGION_SIZE), -DS_ERR_BADSTATE,
		"adopt an EMPTY region");

	tap_err(ds_region_begin_write(r, REGION_SIZE, &area, &max), 0, "begin_write");
	tap_ok(area == r + v.blob_offset && max == v.blob_max,
	       "begin_write hands out the blob area");
	tap_eq(state_of(r), DS_REGION_WRITING, "state WRITING");
	tap_err(ds_region_begin_write(r, REGION_SIZE, &area, &max), -DS_ERR_BADSTATE,
		"begin_write twice");
	tap_err(ds_region_open(r, REGION_SIZE, &v), -DS_ERR_UNSEALED, "open a WRITING region");
	tap_err(ds_region_mark_adopted(r, REGION_SIZE), -DS_ERR_BADSTATE,
		"adopt a WRITING region");
	tap_err(ds_region_seal(r, REGION_SIZE, (uint32_t)max + 1, 6), -DS_ERR_INVAL,
		"seal a blob larger than the blob area");

	if (ds_synth_blob_alloc(9, 3, &blob, &blob_size) || blob_size > max) {
		tap_ok(false, "synthetic blob for the region");
		return;
	}
	memcpy(area, blob, blob_size);
	tap_err(ds_region_seal(r, REGION_SIZE, blob_size, 6), 0, "seal");
	tap_eq(state_of(r), DS_REGION_SEALED, "state SEALED");
	tap_eq(ds_get_be64(r + HDR(blob_size)), blob_size, "blob size in the header");
	tap_eq(ds_get_be32(r + HDR(blob_crc)), ref_crc32c(0, blob, blob_size),
	       "blob CRC is the CRC-32C of the blob");
	tap_eq(ds_get_be32(r + HDR(header_crc)), header_crc(r), "header CRC after seal");
	tap_eq(ds_get_be64(r + HDR(generation)), 6, "seal records the generation");
	tap_err(ds_region_seal(r, REGION_SIZE, blob_size, 7), -DS_ERR_BADSTATE,
		"seal a SEALED region");

	memset(&v, 0, sizeof(v));
	tap_err(ds_region_open(r, REGION_SIZE, &v), 0, "open the SEALED region");
	tap_ok(v.blob == r + v.blob_offset && v.blob_size == blob_size &&
	       !memcmp(v.blob, blob, blob_size), "open points at the blob");
	if (tap_err(ds_blob_open(&b, v.blob, v.blob_size), 0, "its blob opens"))
		ds_blob_close(&b);
	/* debugfs shows the region only up to the pool: that must do */
	tap_err(ds_region_open(r, v.blob_offset + blob_size, &v), 0,
		"open with only header and blob at hand");
	tap_err(ds_region_open(r, v.blob_offset + blob_size - 1, &v), -DS_ERR_TRUNCATED,
		"open with the blob's last byte missing");
	tap_err(ds_region_open(r, DS_REGION_HEADER_SIZE - 1, &v), -DS_ERR_TRUNCATED,
		"open a range shorter than the header");

	tap_err(ds_region_mark_adopted(r, REGION_SIZE), 0, "mark adopted");
	tap_eq(state_of(r), DS_REGION_ADOPTED, "state ADOPTED");
	tap_eq(ds_get_be32(r + HDR(header_crc)), header_crc(r), "header CRC after adopt");
	tap_err(ds_region_open(r, REGION_SIZE, &v), -DS_ERR_UNSEALED,
		"an ADOPTED region is not opened twice");
	tap_err(ds_region_mark_adopted(r, REGION_SIZE), -DS_ERR_BADSTATE, "adopt twice");
	/* The adopting kernel writes its own handoff into the same region. */
	tap_err(ds_region_begin_write(r, REGION_SIZE, &area, &max), 0,
		"begin_write on an ADOPTED region");
	tap_eq(state_of(r), DS_REGION_WRITING, "state WRITING after ADOPTED");

	tap_err(ds_region_reset(r, REGION_SIZE), 0, "reset WRITING");
	tap_eq(state_of(r), DS_REGION_EMPTY, "state EMPTY after reset");
	tap_eq(ds_get_be32(r + HDR(header_crc)), header_crc(r), "header CRC after reset");

	/* the outgoing kernel may re-freeze after a thaw, or re-seal */
	ds_region_begin_write(r, REGION_SIZE, &area, &max);
	tap_err(ds_region_reset(r, REGION_SIZE), 0, "reset WRITING (thaw)");
	tap_eq(state_of(r), DS_REGION_EMPTY, "state EMPTY after thaw");
	ds_region_begin_write(r, REGION_SIZE, &area, &max);
	memcpy(area, blob, blob_size);
	ds_region_seal(r, REGION_SIZE, blob_size, 8);
	tap_err(ds_region_begin_write(r, REGION_SIZE, &area, &max), 0,
		"begin_write on a SEALED region (freeze again)");
	tap_err(ds_region_seal(r, REGION_SIZE, blob_size, 9), 0, "seal again");
	tap_err(ds_region_reset(r, REGION_SIZE), 0, "reset SEALED");
	tap_eq(state_of(r), DS_REGION_EMPTY, "state EMPTY after reset of SEALED");
	free(blob);
}

/* Nothing changes a region whose header is not trustworthy. */
static void test_untrusted(uint8_t *r)
{
	struct ds_region_view v;
	uint8_t *area;
	uint64_t max;

	memset(r, 0, REGION_SIZE);
	tap_err(ds_region_begin_write(r, REGION_SIZE, &area, &max), -DS_ERR_REGION_MAGIC,
		"begin_write on an unformatted region");
	tap_err(ds_region_seal(r, REGION_SIZE, 0, 1), -DS_ERR_REGION_MAGIC,
		"seal an unformatted region");
	tap_err(ds_region_reset(r, REGION_SIZE), -DS_ERR_REGION_MAGIC,
		"reset an unformatted region");
	tap_err(ds_region_mark_adopted(r, REGION_SIZE), -DS_ERR_REGION_MAGIC,
		"adopt an unformatted region");
	ds_region_format(r, REGION_SIZE, BLOB_MAX, 1);
	r[HDR(generation)] ^= 1;	/* header CRC no longer matches */
	tap_err(ds_region_reset(r, REGION_SIZE), -DS_ERR_REGION_HEADER,
		"reset does not paper over a corrupt header");
	tap_err(ds_region_inspect(r, REGION_SIZE, &v), -DS_ERR_REGION_HEADER,
		"and the header stays rejected");
	tap_err(ds_region_inspect(NULL, REGION_SIZE, &v), -DS_ERR_INVAL, "inspect NULL");
}

/* CRC-32/IEEE, bit by bit: what ABI version 1 used for both CRCs. */
static uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t c = ~0u;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

/*
 * A region a version-1 kernel sealed, CRCs and all, is refused for its
 * version, before any CRC is looked at: the next kernel then says "unknown
 * region ABI version", not "blob CRC mismatch".
 */
static void test_abi_v1(uint8_t *r)
{
	struct ds_region_view v;
	uint8_t *area, *blob, h[DS_REGION_HEADER_SIZE];
	uint32_t blob_size;
	uint64_t max;

	if (ds_synth_blob_alloc(9, 3, &blob, &blob_size)) {
		tap_ok(false, "synthetic blob for the version-1 region");
		return;
	}
	ds_region_format(r, REGION_SIZE, BLOB_MAX, 1);
	ds_region_begin_write(r, REGION_SIZE, &area, &max);
	memcpy(area, blob, blob_size);
	tap_err(ds_region_seal(r, REGION_SIZE, blob_size, 2), 0, "seal, then rewrite as version 1");
	ds_put_be32(r + HDR(abi_version), 1);
	ds_put_be32(r + HDR(blob_crc), crc32_ieee(area, blob_size));
	memcpy(h, r, sizeof(h));
	memset(h + HDR(header_crc), 0, 4);
	ds_put_be32(r + HDR(header_crc), crc32_ieee(h, sizeof(h)));
	tap_err(ds_region_open(r, REGION_SIZE, &v), -DS_ERR_REGION_ABI,
		"a version-1 region (CRC-32/IEEE) is refused for its ABI version");
	tap_ok(!strcmp(ds_strerror(-DS_ERR_REGION_ABI), "unknown region ABI version"),
	       "whose message is \"%s\"", ds_strerror(-DS_ERR_REGION_ABI));
	ds_put_be32(r + HDR(abi_version), DS_REGION_ABI_VERSION);
	tap_err(ds_region_inspect(r, REGION_SIZE, &v), -DS_ERR_REGION_HEADER,
		"under the current version its CRC-32/IEEE header CRC is wrong");
	free(blob);
}

/*
 * A header that claims a bigger region than the caller holds (the previous
 * kernel's memmap was larger, or the header is hostile) must not hand the
 * writer a blob area running past the caller's region.
 */
static void test_begin_write_bounds(uint8_t *r)
{
	const uint64_t claimed = 16u * REGION_SIZE;
	uint8_t *area = NULL;
	uint64_t max = 0;
	int ret;

	ds_region_format(r, claimed, claimed / 2, 1);
	/* The header is consistent in itself: only the caller's size differs. */
	ret = ds_region_begin_write(r, REGION_SIZE, &area, &max);
	tap_ok(ret < 0 || (area && area - r + max <= REGION_SIZE),
	       "begin_write never returns a blob area past the caller's region");
	ds_region_format(r, REGION_SIZE, BLOB_MAX, 1);
}

/*
 * format and inspect agree on every layout format accepts: a blob_max just
 * under 4 GiB rounds its area up past the u32 limit inspect enforces. Only
 * the header is touched, so a claimed size bigger than the buffer is safe.
 */
static void test_format_limits(uint8_t *r)
{
	struct ds_region_view v;
	const uint64_t big = 8ull << 30;
	int ret;

	ret = ds_region_format(r, big, 0xffffffffu, 1);
	tap_ok(ret < 0 || ds_region_inspect(r, big, &v) == 0,
	       "a region format accepts passes inspect (blob_max 4 GiB - 1: %s)",
	       tap_errname(ret));
	ret = ds_region_format(r, big, 0xffffffffu - 8191, 1);
	tap_err(ret, 0, "format a blob area just under the u32 limit");
	tap_err(ds_region_inspect(r, big, &v), 0, "and inspect it");
	ds_region_format(r, REGION_SIZE, BLOB_MAX, 1);
}

/*
 * A sealed blob over INT_MAX bytes can be no FDT ds_fdt_open() takes, and
 * the next kernel copies the blob with kvmalloc(blob_size), which warns
 * above INT_MAX: the header check refuses such a size up front. Only the
 * header is read, so a claimed region bigger than the buffer is safe.
 */
static void test_blob_size_limit(uint8_t *r)
{
	const uint64_t big = 8ull << 30;
	struct ds_region_view v;

	tap_err(ds_region_format(r, big, 0xc0000000u, 1), 0,
		"format a region with a 3 GiB blob area");
	ds_put_be32(r + HDR(state), DS_REGION_SEALED);
	ds_put_be64(r + HDR(blob_size), 0x80000000u);
	ds_put_be32(r + HDR(header_crc), header_crc(r));
	tap_err(ds_region_inspect(r, big, &v), -DS_ERR_REGION_HEADER,
		"a sealed blob_size past INT_MAX is refused");
	ds_put_be64(r + HDR(blob_size), 0x7fffffffu);
	ds_put_be32(r + HDR(header_crc), header_crc(r));
	tap_err(ds_region_inspect(r, big, &v), 0, "INT_MAX itself passes");
	ds_region_format(r, REGION_SIZE, BLOB_MAX, 1);
}

/*
 * What the KHO transport hands over: the whole area is blob, no pool, and
 * the root names the transport. It seals, opens and reads as a region does.
 */
static void test_no_pool(uint8_t *r)
{
	uint64_t blob_off = (DS_REGION_HEADER_SIZE + DS_REGION_BLOB_ALIGN - 1) /
			    DS_REGION_BLOB_ALIGN * DS_REGION_BLOB_ALIGN;
	struct ds_region_view v;
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	struct ds_blob b;
	const char *t;
	uint8_t *blob;
	uint64_t max;
	int size, err;

	tap_err(ds_region_format(r, REGION_SIZE, REGION_SIZE - blob_off, 3), 0,
		"format with the whole area as blob");
	if (!tap_err(ds_region_inspect(r, REGION_SIZE, &v), 0, "inspect it"))
		return;
	tap_ok(v.pool_size == 0 && v.pool_offset == REGION_SIZE,
	       "no pool: pool_size 0 at the area's end");
	ds_synth_blob_info(1, &info);
	info.pool_base = info.pool_size = 0;
	info.transport = "kho";
	err = ds_region_begin_write(r, REGION_SIZE, &blob, &max);
	if (!err)
		err = ds_blob_begin(&w, blob, (uint32_t)max, &info);
	size = err ? err : ds_blob_end(&w);
	tap_ok(size > 0, "a blob naming its transport is written (%d)", size);
	if (size <= 0)
		return;
	tap_err(ds_region_seal(r, REGION_SIZE, (uint32_t)size, 4), 0, "sealed");
	tap_err(ds_region_open(r, REGION_SIZE, &v), 0, "opened: CRCs hold");
	if (!tap_err(ds_blob_open(&b, v.blob, v.blob_size), 0, "blob validates"))
		return;
	t = ds_fdt_get_string(&b.fdt, 0, DS_PROP_TRANSPORT, &err);
	tap_ok(t && !strcmp(t, "kho"), "the root says transport = \"kho\"");
	tap_ok(b.pool_base == 0 && b.pool_size == 0, "and pool = <0 0>");
	ds_blob_close(&b);

	ds_synth_blob_info(1, &info);
	err = ds_region_begin_write(r, REGION_SIZE, &blob, &max);
	if (!err)
		err = ds_blob_begin(&w, blob, (uint32_t)max, &info);
	size = err ? err : ds_blob_end(&w);
	if (size > 0 && !ds_blob_open(&b, blob, (uint32_t)size)) {
		t = ds_fdt_get_string(&b.fdt, 0, DS_PROP_TRANSPORT, &err);
		tap_ok(!t && err == -DS_ERR_NOTFOUND,
		       "no transport given: no property written");
		ds_blob_close(&b);
	} else {
		tap_ok(false, "a blob without a transport is written (%d)", size);
	}
}

int main(void)
{
	uint8_t *r = calloc(1, REGION_SIZE);

	test_format(r);
	test_cycle(r);
	test_untrusted(r);
	test_abi_v1(r);
	test_begin_write_bounds(r);
	test_format_limits(r);
	test_blob_size_limit(r);
	test_no_pool(r);
	free(r);
	return tap_done();
}
