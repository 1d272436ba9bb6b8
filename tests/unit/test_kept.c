// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kept-alive list (abi.h, DS_PROP_KEPT_ALIVE): written empty at
 * freeze with one slot per record, filled in place on the kexec path, its
 * CRC sealed again, and read back by the next kernel, which sends a
 * recorded device the list does not name down the cold path. A blob
 * without the list (an older writer) keeps meaning "every record kept
 * alive". A damaged list rejects the root, like any other root fault.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "../synth/synth.h"
#include "tap.h"

#define REGION_SIZE	(64u * 1024)
#define BLOB_MAX	(16u * 1024)
#define DEVICES		3

static uint8_t region[REGION_SIZE];

/* A sealed region whose blob has DEVICES synthetic records and @slots slots. */
static int seal_blob(uint32_t slots, uint32_t *size)
{
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	uint8_t *blob;
	uint64_t max;
	uint32_t i;
	int ret;

	ds_synth_blob_info(1, &info);
	info.kept_alive_slots = slots;
	ret = ds_region_format(region, REGION_SIZE, BLOB_MAX, 1);
	if (!ret)
		ret = ds_region_begin_write(region, REGION_SIZE, &blob, &max);
	if (!ret)
		ret = ds_blob_begin(&w, blob, (uint32_t)max, &info);
	for (i = 0; !ret && i < DEVICES; i++)
		ret = ds_synth_write_device(&w, 1, i);
	if (ret)
		return ret;
	ret = ds_blob_end(&w);
	if (ret < 0)
		return ret;
	*size = (uint32_t)ret;
	return ds_region_seal(region, REGION_SIZE, *size, 2);
}

/* The list's count cell inside the sealed blob, as the kernel finds it. */
static uint8_t *list_of(struct ds_region_view *v)
{
	struct ds_blob b;
	uint8_t *list;

	if (ds_region_open(region, REGION_SIZE, v) || ds_blob_open(&b, v->blob, v->blob_size))
		return NULL;
	list = b.kept ? (uint8_t *)b.kept - 4 : NULL;
	ds_blob_close(&b);
	return list;
}

/* Position of synthetic record @i. */
static void position(uint32_t i, uint32_t *dom, uint8_t *bus, uint8_t *devfn)
{
	struct ds_record r;

	ds_synth_record(1, i, &r);
	*dom = r.domain;
	*bus = r.bus;
	*devfn = r.devfn;
}

/* Which of the records the reopened region's blob calls kept alive. */
static unsigned int kept_mask(int *err)
{
	struct ds_region_view v;
	struct ds_blob b;
	unsigned int mask = 0, i;
	uint32_t dom;
	uint8_t bus, devfn;

	*err = ds_region_open(region, REGION_SIZE, &v);
	if (!*err)
		*err = ds_blob_open(&b, v.blob, v.blob_size);
	if (*err)
		return 0;
	for (i = 0; i < DEVICES; i++) {
		position(i, &dom, &bus, &devfn);
		mask |= (unsigned int)ds_blob_kept_alive(&b, dom, bus, devfn) << i;
	}
	ds_blob_close(&b);
	return mask;
}

static void test_no_list(void)
{
	struct ds_region_view v;
	uint32_t size;
	int err;

	if (!tap_err(seal_blob(0, &size), 0, "blob without a kept-alive list"))
		return;
	tap_ok(!list_of(&v), "it has no list");
	tap_eq(kept_mask(&err), 7, "an older writer's blob: every record counts as kept alive");
}

static void test_fill(void)
{
	struct ds_region_view v;
	uint32_t size, dom;
	uint8_t bus, devfn, *list;
	int err;

	if (!tap_err(seal_blob(DEVICES, &size), 0, "blob with %u slots", DEVICES))
		return;
	list = list_of(&v);
	if (!tap_ok(list != NULL, "the list is found in the sealed blob"))
		return;
	tap_eq(kept_mask(&err), 0, "before the jump no record is kept alive");
	tap_err(err, 0, "the empty list reads back");

	position(0, &dom, &bus, &devfn);
	tap_err(ds_blob_mark_kept_alive(list, DEVICES, dom, bus, devfn), 0, "mark record 0");
	position(2, &dom, &bus, &devfn);
	tap_err(ds_blob_mark_kept_alive(list, DEVICES, dom, bus, devfn), 0, "mark record 2");
	kept_mask(&err);
	tap_err(err, -DS_ERR_BADCRC, "edited in place without a new CRC: rejected");
	tap_err(ds_region_update_crc(region, REGION_SIZE), 0, "CRC sealed again");
	tap_eq(kept_mask(&err), 5, "records 0 and 2 kept alive, record 1 not");
	tap_err(err, 0, "the filled list reads back");

	position(1, &dom, &bus, &devfn);
	tap_err(ds_blob_mark_kept_alive(list, DEVICES, dom, bus, devfn), 0, "mark record 1");
	tap_err(ds_blob_mark_kept_alive(list, DEVICES, dom, bus, devfn),
		-DS_ERR_NOSPACE, "a fourth mark: the list is full");
	ds_region_update_crc(region, REGION_SIZE);
	tap_eq(kept_mask(&err), 7, "all three kept alive");
}

/* Damage one cell of the list (cell 0 is the count), re-CRC, expect @want. */
static void damage(unsigned int cell, uint32_t val, const char *what)
{
	struct ds_region_view v;
	uint32_t size;
	uint8_t *list;
	int err;

	if (seal_blob(DEVICES, &size) || !(list = list_of(&v))) {
		tap_ok(false, "%s: fixture", what);
		return;
	}
	ds_put_be32(list + 4 * cell, val);
	ds_region_update_crc(region, REGION_SIZE);
	kept_mask(&err);
	tap_err(err, -DS_ERR_BADROOT, "%s: root rejected", what);
}

static void test_damaged(void)
{
	damage(0, DEVICES + 1, "count beyond the slots");
	damage(0, 1, "count 1 over a free first slot");
	damage(1, 0, "a free slot half filled");
	damage(2, 0x10000, "a slot past the count holding a position");
}

int main(void)
{
	test_no_list();
	test_fill();
	test_damaged();
	return tap_done();
}
