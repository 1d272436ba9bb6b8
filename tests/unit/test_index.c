// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The device index ds_blob_open() builds during its validation walk.
 * Whatever the order of the device nodes (writers emit them by position,
 * so the walk skips the sort when they are), the index comes out sorted,
 * finds every node, and two nodes for one position are refused. A unit
 * address reads the same in the canonical spelling, which has a fast path,
 * and in every other spelling the general parser accepts. And the walk
 * accepts exactly the node-name characters of the devicetree spec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "tap.h"

static uint8_t buf[1 << 20];

static const struct ds_blob_info info = {
	.kernel_release = "6.1.0-test",
	.generation = 1,
};

/* A blob whose root holds one empty node per name, in the order given. */
static int build(const char *const *names, uint32_t n)
{
	struct ds_fdt_writer w;
	uint32_t i;
	int err = ds_blob_begin(&w, buf, sizeof(buf), &info);

	for (i = 0; i < n && !err; i++) {
		err = ds_fdt_begin_node(&w, names[i]);
		if (!err)
			err = ds_fdt_end_node(&w);
	}
	return err ? err : ds_blob_end(&w);
}

/* ------------------------------------------------------------------ */
/* Node order                                                          */

#define NPOS	640u		/* two domains of 8 buses of 40 functions */

struct pos {
	uint32_t domain;
	uint8_t bus, devfn;
	char name[DS_DEVICE_NODE_NAME_MAX];
};

static struct pos pos[NPOS];

/* Position i in key order. */
static void make_positions(void)
{
	uint32_t i;

	for (i = 0; i < NPOS; i++) {
		pos[i].domain = i / 320;
		pos[i].bus = (uint8_t)(1 + (i % 320) / 40 * 3);
		pos[i].devfn = (uint8_t)(i % 40 * 5);
		ds_record_node_name(pos[i].name, pos[i].domain, pos[i].bus,
				    pos[i].devfn);
	}
}

/* The node at @key by bisecting the index alone, or -DS_ERR_NOTFOUND. */
static int plain_find(const struct ds_blob *b, uint64_t key)
{
	uint32_t lo = 0, hi = b->nr_devices;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (b->index[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->nr_devices && b->index[lo].key == key ?
	       b->index[lo].node : -DS_ERR_NOTFOUND;
}

/*
 * Every key from a little below the first device's to a little past the
 * last one's, found or not found as a plain search of the index says:
 * the front table (built for an index this size) loses no device and
 * invents none, at the edges of its buckets and past both ends.
 */
static void check_front(const struct ds_blob *b, const char *what)
{
	uint64_t key, first = b->index[0].key, last;
	uint32_t wrong = 0, tried = 0;

	last = b->index[b->nr_devices - 1].key;
	for (key = first > 3 ? first - 3 : 0; key <= last + 3; key++, tried++)
		if (ds_blob_find(b, (uint32_t)(key >> 16), (uint8_t)(key >> 8),
				 (uint8_t)key) != plain_find(b, key))
			wrong++;
	tap_ok(b->front && !wrong,
	       "%s: the front table agrees with a plain search on %u keys "
	       "(%u differ)", what, tried, wrong);
}

/* The blob from build() with the positions in @order: checks the index. */
static void check_order(const uint32_t *order, const char *what)
{
	const char *names[NPOS];
	struct ds_blob b;
	bool sorted = true, found = true;
	uint32_t i;
	int size, err;

	for (i = 0; i < NPOS; i++)
		names[i] = pos[order[i]].name;
	size = build(names, NPOS);
	err = size < 0 ? size : ds_blob_open(&b, buf, (uint32_t)size);
	if (!tap_err(err, 0, "%s: blob opens", what))
		return;
	tap_eq(b.nr_devices, NPOS, "%s: every device indexed", what);
	for (i = 1; i < b.nr_devices; i++)
		sorted &= b.index[i - 1].key < b.index[i].key;
	tap_ok(sorted, "%s: index strictly increasing", what);
	for (i = 0; i < NPOS; i++) {
		int node = ds_blob_find(&b, pos[i].domain, pos[i].bus,
					pos[i].devfn);
		const char *name = ds_fdt_node_name(&b.fdt, node, NULL);

		if (!name || strcmp(name, pos[i].name)) {
			tap_diag("%s: %s not found (%d)", what, pos[i].name, node);
			found = false;
		}
	}
	tap_ok(found, "%s: ds_blob_find finds every node by its position", what);
	check_front(&b, what);
	tap_err(ds_blob_find(&b, 0, 2, 0), -DS_ERR_NOTFOUND,
		"%s: a position between two devices is not found", what);
	tap_err(ds_blob_find(&b, 2, 1, 0), -DS_ERR_NOTFOUND,
		"%s: a position past the last device is not found", what);
	ds_blob_close(&b);
}

static void test_orders(void)
{
	static uint32_t order[NPOS];
	uint32_t i, k, seed = 12345;

	make_positions();
	for (i = 0; i < NPOS; i++)
		order[i] = i;
	check_order(order, "nodes in position order");
	for (i = 0; i < NPOS; i++)
		order[i] = NPOS - 1 - i;
	check_order(order, "nodes in reverse order");
	/* Like the synthetic generator's: by function, then slot, per bus. */
	for (i = 0, k = 0; k < NPOS; k += 40) {
		uint32_t fn, slot;

		for (fn = 0; fn < 8; fn++)
			for (slot = 0; slot < 40; slot++)
				if (slot * 5 % 8 == fn)
					order[i++] = k + slot;
	}
	check_order(order, "nodes grouped by function number within each bus");
	for (i = 0; i < NPOS; i++)
		order[i] = i;
	for (i = NPOS - 1; i > 0; i--) {
		uint32_t j, t;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	check_order(order, "nodes shuffled");
}

/* Positions in order, then @extra: ds_blob_open()'s verdict. */
static int open_with(const char *extra, uint32_t at)
{
	const char *names[NPOS + 1];
	struct ds_blob b;
	uint32_t i, j;
	int size, err;

	for (i = 0, j = 0; i <= NPOS; i++)
		names[i] = i == at ? extra : pos[j++].name;
	size = build(names, NPOS + 1);
	if (size < 0)
		return size;
	err = ds_blob_open(&b, buf, (uint32_t)size);
	if (!err)
		ds_blob_close(&b);
	return err;
}

static void test_duplicates(void)
{
	tap_err(open_with(pos[NPOS - 1].name, NPOS), -DS_ERR_DUPLICATE,
		"the last node repeated right after itself");
	tap_err(open_with(pos[0].name, NPOS), -DS_ERR_DUPLICATE,
		"the first node repeated at the end");
	tap_err(open_with(pos[NPOS / 2].name, 0), -DS_ERR_DUPLICATE,
		"a middle node repeated at the start");
	/* pos[0] is 0000:01:00.0: the same key, spelled another way */
	tap_err(open_with("dev@0,1,0.0", 1), -DS_ERR_DUPLICATE,
		"the first node's position spelled without leading zeros, next to it");
	tap_err(open_with("dev@0002,00,00.0", NPOS), 0,
		"control: a new position after the last one");
	tap_err(open_with("dev@0000,02,00.0", 40), 0,
		"control: a new position in the middle, in order");
	tap_err(open_with("dev@0000,02,00.0", 0), 0,
		"control: a new position at the start, out of order");
}

/* ------------------------------------------------------------------ */
/* Unit address spellings                                              */

struct spelling {
	const char *name;
	bool indexed;
	uint32_t domain;
	uint8_t bus, devfn;
};

static const struct spelling spellings[] = {
	{ "dev@0000,01,02.3", true, 0, 1, 2 << 3 | 3 },
	{ "dev@ffffffff,ff,1f.7", true, 0xffffffff, 0xff, 0xff },
	{ "dev@abcd,ef,1e.6", true, 0xabcd, 0xef, 0x1e << 3 | 6 },
	{ "dev@1,2,3.4", true, 1, 2, 3 << 3 | 4 },
	{ "dev@00000001,02,03.4", true, 1, 2, 3 << 3 | 4 },
	{ "dev@0000,01,001.2", true, 0, 1, 1 << 3 | 2 },
	{ "dev@00010,0,0.0", true, 0x10, 0, 0 },
	{ "dev@000000001,02,03.4", false, 0, 0, 0 },	/* nine digits */
	{ "dev@0000,100,00.0", false, 0, 0, 0 },	/* bus over 0xff */
	{ "dev@0000,00,20.0", false, 0, 0, 0 },		/* slot over 0x1f */
	{ "dev@0000,00,00.8", false, 0, 0, 0 },		/* function over 7 */
	{ "dev@0000,0A,00.0", false, 0, 0, 0 },		/* upper case */
	{ "dev@000g,00,00.0", false, 0, 0, 0 },		/* not hex */
	{ "dev@0000,00,00", false, 0, 0, 0 },		/* no function */
	{ "dev@0000.00,00,0", false, 0, 0, 0 },		/* separators swapped */
	{ "dev@0000,00.00,0", false, 0, 0, 0 },
	{ "dev@,000,00.0", false, 0, 0, 0 },		/* empty field */
	{ "dev@0000,00,00.", false, 0, 0, 0 },
	{ "dev@0000,00,00.0.", false, 0, 0, 0 },
	{ "dev@0000_00_00.0", false, 0, 0, 0 },
	{ "dev@0000,00,00.00", true, 0, 0, 0 },		/* 17 characters */
	{ "devx@000,00,00.0", false, 0, 0, 0 },		/* another prefix */
	{ "pci@0000,00,00.0", false, 0, 0, 0 },
	{ "dev", false, 0, 0, 0 },
	{ "de", false, 0, 0, 0 },
};

static void test_spellings(void)
{
	uint32_t i;

	for (i = 0; i < TAP_ARRAY_SIZE(spellings); i++) {
		const struct spelling *s = &spellings[i];
		const char *names[1] = { s->name };
		struct ds_blob b;
		int size = build(names, 1), err, node;

		err = size < 0 ? size : ds_blob_open(&b, buf, (uint32_t)size);
		if (!tap_err(err, 0, "\"%s\": blob opens", s->name))
			continue;
		if (s->indexed) {
			node = ds_blob_find(&b, s->domain, s->bus, s->devfn);
			tap_ok(b.nr_devices == 1 && node == b.index[0].node,
			       "\"%s\": indexed as %x:%02x:%02x.%x", s->name,
			       s->domain, s->bus, s->devfn >> 3, s->devfn & 7);
		} else {
			tap_eq(b.nr_devices, 0, "\"%s\": not a device node",
			       s->name);
		}
		ds_blob_close(&b);
	}
}

/* ------------------------------------------------------------------ */
/* Node-name characters                                                */

/* The devicetree spec's node-name characters, '@' included. */
static bool spec_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(",._+-@", c));
}

static void test_name_chars(void)
{
	const char *names[1] = { "ax" };
	int size = build(names, 1), c, wrong = 0;
	uint8_t *x;

	if (!tap_ok(size > 0, "blob with a node \"ax\" built"))
		return;
	x = memmem(buf, (size_t)size, "ax", 3);
	if (!tap_ok(x != NULL, "its name found in the blob"))
		return;
	for (c = 1; c < 256; c++) {
		struct ds_fdt f;
		int err, want = spec_char(c) ? 0 : -DS_ERR_BADNAME;

		x[1] = (uint8_t)c;
		err = ds_fdt_open(&f, buf, (size_t)size);
		if (err != want || (err && f.bad_offset != (uint32_t)(x + 1 - buf))) {
			tap_diag("character 0x%02x: %s at %u", c,
				 tap_errname(err), f.bad_offset);
			wrong++;
		}
	}
	x[1] = 'x';
	tap_eq(wrong, 0, "each of the 255 bytes accepted in a node name "
	       "exactly when the spec allows it, else BADNAME at that byte");

	/* The writer keeps to the same set, so it never emits what fails. */
	for (c = 1, wrong = 0; c < 256; c++) {
		char name[3] = { 'a', (char)c, 0 };

		names[0] = name;
		size = build(names, 1);
		if ((size > 0) != spec_char(c)) {
			tap_diag("writer, character 0x%02x: %s", c,
				 tap_errname(size > 0 ? 0 : size));
			wrong++;
		}
	}
	tap_eq(wrong, 0, "the writer takes the same 255 bytes in a node name "
	       "exactly when the spec allows them");
}

int main(void)
{
	test_orders();
	test_duplicates();
	test_spellings();
	test_name_chars();
	return tap_done();
}
