// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reader accessors given a stray offset: one that lands inside a property
 * value whose bytes mimic a token (a caller's bug, or an offset kept from
 * another blob). The blob is valid, so ds_fdt_open() accepted it; the
 * accessors must still stay inside the blob's blocks, hand back no length
 * past them, and always return.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "tap.h"

static uint8_t buf[4096];

/* Value bytes, as big-endian cells, that look like tokens. */
static const uint32_t fake_node_huge_nameoff[] = {
	1, 0x78000000,		/* BEGIN_NODE "x" */
	3, 4, 0xfffff000, 0,	/* PROP len 4, nameoff far outside */
};
static const uint32_t fake_prop_self[] = {
	3, 0xfffffff4, 0,	/* PROP whose length wraps back onto itself */
};
static const uint32_t fake_prop_long[] = {
	3, 0x7ffffff0, 0,	/* PROP running far past the structure block */
};
static const uint32_t fake_node_loop[] = {
	1, 0x78000000,		/* BEGIN_NODE "x" */
	3, 0xfffffff4, 0,	/* PROP whose length wraps back onto itself */
};

/*
 * BEGIN_NODE "dev@0000,01,00.0", the 16-byte name every writer gives a
 * device (the record reader's quick path), then a wrapping PROP; and the
 * same node alone, as the last value before the real END_NODE.
 */
static const uint32_t fake_dev_wrap[] = {
	1, 0x64657640, 0x30303030, 0x2c30312c, 0x30302e30, 0,
	3, 0xfffffff4, 0,
};
static const uint32_t fake_dev_last[] = {
	1, 0x64657640, 0x30303030, 0x2c30312c, 0x30302e30, 0,
};

/*
 * / { n { a = <fake_node_huge_nameoff>; b = <fake_prop_self>;
 *         c = <fake_prop_long>; d = <fake_node_loop>;
 *         e = <fake_dev_wrap>; f = <fake_dev_last>; }; };
 */
static int build(void)
{
	struct ds_fdt_writer w;
	int err;

	err = ds_fdt_create(&w, buf, sizeof(buf));
#define STEP(call) do { if (!err) err = (call); } while (0)
#define CELLS(a) (a), (uint32_t)TAP_ARRAY_SIZE(a)
	STEP(ds_fdt_begin_node(&w, ""));
	STEP(ds_fdt_begin_node(&w, "n"));
	STEP(ds_fdt_prop_u32_array(&w, "a", CELLS(fake_node_huge_nameoff)));
	STEP(ds_fdt_prop_u32_array(&w, "b", CELLS(fake_prop_self)));
	STEP(ds_fdt_prop_u32_array(&w, "c", CELLS(fake_prop_long)));
	STEP(ds_fdt_prop_u32_array(&w, "d", CELLS(fake_node_loop)));
	STEP(ds_fdt_prop_u32_array(&w, "e", CELLS(fake_dev_wrap)));
	STEP(ds_fdt_prop_u32_array(&w, "f", CELLS(fake_dev_last)));
	STEP(ds_fdt_end_node(&w));
	STEP(ds_fdt_end_node(&w));
#undef CELLS
#undef STEP
	return err ? err : ds_fdt_finish(&w);
}

/* Structure offset of property @name's value in node @node. */
static int value_off(const struct ds_fdt *f, int node, const char *name)
{
	int len;
	const uint8_t *v = ds_fdt_getprop(f, node, name, &len);

	return v ? (int)(v - f->blob - f->struct_off) : -1;
}

/* A value an accessor returned lies inside the structure block. */
static bool inside_struct(const struct ds_fdt *f, const void *val, int len)
{
	const uint8_t *p = val, *lo = f->blob + f->struct_off;

	return len >= 0 && p >= lo && p <= lo + f->struct_size &&
	       (uint32_t)len <= f->struct_size - (uint32_t)(p - lo);
}

/* A name an accessor returned ends inside the strings block. */
static bool inside_strings(const struct ds_fdt *f, const char *name)
{
	const char *lo = (const char *)f->blob + f->strings_off;

	return name >= lo && name < lo + f->strings_size &&
	       memchr(name, 0, f->strings_size - (size_t)(name - lo));
}

static void check_prop_at(const struct ds_fdt *f, int off, const char *what)
{
	const char *name = NULL;
	int len;
	const void *val = ds_fdt_prop_at(f, off, &name, &len);

	tap_ok(!val || (inside_struct(f, val, len) && inside_strings(f, name)),
	       "prop_at on %s stays inside the blob", what);
}

int main(void)
{
	struct ds_fdt f;
	int size = build(), n, a, b, c, d, e, g, ret, len;

	/* A walk that never ends is a failure too, not a stuck suite. */
	alarm(20);
	tap_ok(size > 0, "build a blob with token-like property values");
	tap_err(ds_fdt_open(&f, buf, size > 0 ? (size_t)size : 0), 0,
		"the blob is valid");
	n = ds_fdt_first_child(&f, 0);
	a = value_off(&f, n, "a");
	b = value_off(&f, n, "b");
	c = value_off(&f, n, "c");
	d = value_off(&f, n, "d");
	e = value_off(&f, n, "e");
	g = value_off(&f, n, "f");
	tap_ok(n > 0 && a > 0 && b > 0 && c > 0 && d > 0 && e > 0 && g > 0,
	       "find the values");

	check_prop_at(&f, b, "a property whose length wraps");
	check_prop_at(&f, c, "a property longer than the blob");
	check_prop_at(&f, a + 8, "a property whose name is outside");
	ret = ds_fdt_next_prop(&f, b);
	tap_ok(ret < 0 || ret > b, "next_prop moves forward from a wrapping length");
	ret = ds_fdt_next_prop(&f, c);
	tap_ok(ret < 0 || (uint32_t)ret < f.struct_size,
	       "next_prop stays inside the structure block");

	tap_ok(!ds_fdt_getprop(&f, a, "zz", &len) && len < 0,
	       "getprop on a stray node with an outside name finds nothing");
	ret = ds_fdt_first_child(&f, d);
	tap_ok(ret < 0 || (uint32_t)ret < f.struct_size,
	       "first_child of a stray node with a wrapping property returns");
	ret = ds_fdt_next_sibling(&f, d);
	tap_ok(ret < 0 || (uint32_t)ret < f.struct_size,
	       "next_sibling of that stray node returns");
	ret = ds_fdt_subnode(&f, d, "x");
	tap_ok(ret < 0 || (uint32_t)ret < f.struct_size,
	       "subnode under that stray node returns");
	{
		struct ds_record r;

		tap_ok(ds_record_read(&f, a, &r) < 0,
		       "record_read of a stray node fails cleanly");
		tap_ok(ds_record_read(&f, d, &r) < 0,
		       "record_read of a looping stray node fails cleanly");
		tap_err(ds_record_read(&f, e, &r), -DS_ERR_INVAL,
			"record_read of a stray device-named node with a "
			"wrapping property: the walk's verdict");
		tap_err(ds_record_read(&f, g, &r), -DS_ERR_BADRECORD,
			"record_read of a stray device-named node ending a "
			"value: no properties, so no pci");
	}
	return tap_done();
}
