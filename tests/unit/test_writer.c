// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * FDT writer: the state machine refuses every call out of order, argument
 * checks, and the bytes of the properties it writes.
 */
#include <string.h>
#include <sys/mman.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "tap.h"

#define FDT_MAGIC_BE	0xd00dfeedu
#define HDR_TOTALSIZE	4
#define HDR_OFF_STRUCT	8
#define HDR_OFF_STRINGS	12
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT	36

static uint8_t buf[8192];

static void test_out_of_order(void)
{
	struct ds_fdt_writer w;
	uint32_t v = 1;

	memset(&w, 0, sizeof(w));
	tap_err(ds_fdt_begin_node(&w, ""), -DS_ERR_BADSTATE,
		"begin_node on a writer never created is refused");

	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create");
	tap_eq(ds_get_be32(buf), DS_FDT_SW_MAGIC,
	       "a tree under construction carries the sequential-write magic");
	tap_err(ds_fdt_prop(&w, "p", &v, sizeof(v)), -DS_ERR_BADSTATE,
		"property before the root node is refused");
	tap_err(ds_fdt_end_node(&w), -DS_ERR_BADSTATE,
		"end_node without begin_node is refused");
	tap_err(ds_fdt_finish(&w), -DS_ERR_BADSTATE,
		"finish without a root node is refused");

	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create again");
	tap_err(ds_fdt_begin_node(&w, ""), 0, "root node");
	tap_err(ds_fdt_begin_node(&w, "child"), 0, "child node");
	tap_err(ds_fdt_finish(&w), -DS_ERR_BADSTATE,
		"finish with open nodes is refused");

	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create again");
	tap_err(ds_fdt_begin_node(&w, ""), 0, "root node");
	tap_err(ds_fdt_end_node(&w), 0, "close root");
	tap_err(ds_fdt_prop(&w, "p", &v, sizeof(v)), -DS_ERR_BADSTATE,
		"property after the root is closed is refused");
	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create again");
	tap_err(ds_fdt_begin_node(&w, ""), 0, "root node");
	tap_err(ds_fdt_end_node(&w), 0, "close root");
	tap_err(ds_fdt_begin_node(&w, "second-root"), -DS_ERR_BADSTATE,
		"a second root node is refused");
	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create again");
	tap_err(ds_fdt_begin_node(&w, ""), 0, "root node");
	tap_err(ds_fdt_end_node(&w), 0, "close root");
	tap_err(ds_fdt_end_node(&w), -DS_ERR_BADSTATE,
		"end_node past the root is refused");

	tap_err(ds_fdt_create(&w, buf, sizeof(buf)), 0, "create again");
	tap_err(ds_fdt_begin_node(&w, ""), 0, "root node");
	tap_err(ds_fdt_end_node(&w), 0, "close root");
	tap_ok(ds_fdt_finish(&w) > 0, "finish returns the blob size");
	tap_err(ds_fdt_prop(&w, "p", &v, sizeof(v)), -DS_ERR_BADSTATE,
		"property after finish is refused");
	tap_err(ds_fdt_begin_node(&w, "x"), -DS_ERR_BADSTATE,
		"begin_node after finish is refused");
	tap_err(ds_fdt_finish(&w), -DS_ERR_BADSTATE,
		"finish twice is refused");
}

/* A fresh writer over buf with the root node open. */
static void fresh_root(struct ds_fdt_writer *w)
{
	ds_fdt_create(w, buf, sizeof(buf));
	ds_fdt_begin_node(w, "");
}

static void test_arguments(void)
{
	struct ds_fdt_writer w;
	char long_name[DS_MAX_NAME_LEN + 2];
	uint32_t i;
	int err;

	tap_err(ds_fdt_create(&w, NULL, sizeof(buf)), -DS_ERR_INVAL,
		"create with a NULL buffer");
	tap_err(ds_fdt_create(&w, buf, 16), -DS_ERR_NOSPACE,
		"create in a buffer smaller than the FDT header");

	ds_fdt_create(&w, buf, sizeof(buf));
	tap_err(ds_fdt_begin_node(&w, NULL), -DS_ERR_INVAL,
		"begin_node with a NULL name");

	fresh_root(&w);
	tap_err(ds_fdt_prop(&w, "p", NULL, 4), -DS_ERR_INVAL,
		"property with a NULL value and a length");
	fresh_root(&w);
	tap_err(ds_fdt_prop(&w, NULL, "x", 1), -DS_ERR_INVAL,
		"property with a NULL name");
	fresh_root(&w);
	tap_err(ds_fdt_prop_string(&w, "s", NULL), -DS_ERR_INVAL,
		"string property with a NULL string");

	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	fresh_root(&w);
	tap_err(ds_fdt_begin_node(&w, long_name), -DS_ERR_BADNAME,
		"node name over DS_MAX_NAME_LEN is refused");
	long_name[DS_MAX_NAME_LEN] = 0;
	fresh_root(&w);
	tap_err(ds_fdt_begin_node(&w, long_name), 0,
		"node name of exactly DS_MAX_NAME_LEN is accepted");
	fresh_root(&w);
	tap_err(ds_fdt_begin_node(&w, ""), -DS_ERR_BADNAME,
		"empty name below the root is refused");

	fresh_root(&w);
	tap_err(ds_fdt_begin_node(&w, "queue 0"), -DS_ERR_BADNAME,
		"node name with a space is refused");
	fresh_root(&w);
	tap_err(ds_fdt_begin_node(&w, "a@1@2"), -DS_ERR_BADNAME,
		"node name with two '@' is refused");
	ds_fdt_create(&w, buf, sizeof(buf));
	tap_err(ds_fdt_begin_node(&w, "root"), -DS_ERR_BADNAME,
		"a root node with a name is refused");

	/* the writer never builds what a reader would reject */
	ds_fdt_create(&w, buf, sizeof(buf));
	err = ds_fdt_begin_node(&w, "");
	for (i = 1; i < DS_MAX_DEPTH && !err; i++)
		err = ds_fdt_begin_node(&w, "n");
	tap_err(err, 0, "nesting up to DS_MAX_DEPTH is accepted");
	tap_err(ds_fdt_begin_node(&w, "n"), -DS_ERR_DEPTH,
		"nesting over DS_MAX_DEPTH is refused");
}

/* Offset of the property value named @name in a finished blob, or NULL. */
static const uint8_t *find_value(const uint8_t *fdt, const char *name,
				 uint32_t *len)
{
	uint32_t off = ds_get_be32(fdt + HDR_OFF_STRUCT);
	uint32_t end = off + ds_get_be32(fdt + HDR_SIZE_STRUCT);
	const char *strings = (const char *)fdt + ds_get_be32(fdt + HDR_OFF_STRINGS);

	while (off + 4 <= end) {
		uint32_t tag = ds_get_be32(fdt + off);

		off += 4;
		if (tag == 1) {		/* FDT_BEGIN_NODE: skip the name */
			off += (strlen((const char *)fdt + off) + 4) & ~3u;
		} else if (tag == 3) {	/* FDT_PROP */
			uint32_t l = ds_get_be32(fdt + off);
			uint32_t nameoff = ds_get_be32(fdt + off + 4);

			if (!strcmp(strings + nameoff, name)) {
				*len = l;
				return fdt + off + 8;
			}
			off += 8 + ((l + 3) & ~3u);
		}
	}
	return NULL;
}

static void test_values(void)
{
	static const uint32_t arr[] = { 1, 0xdeadbeef, 3 };
	static const uint8_t be_u64[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const uint8_t be_arr[] = { 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 3 };
	struct ds_fdt_writer w;
	const uint8_t *v;
	uint8_t *space;
	uint32_t len = 0;
	int err, size;

	fresh_root(&w);
	ds_fdt_prop_u32(&w, "u32", 0x11223344);
	ds_fdt_prop_u64(&w, "u64", 0x0123456789abcdefull);
	ds_fdt_prop_u32_array(&w, "arr", arr, 3);
	ds_fdt_prop_string(&w, "str", "hello");
	ds_fdt_prop(&w, "empty", NULL, 0);
	space = ds_fdt_prop_space(&w, "space", 5, &err);
	tap_ok(space != NULL, "prop_space returns the value's room");
	if (space)
		memcpy(space, "abcde", 5);
	ds_fdt_begin_node(&w, "child@1");
	ds_fdt_prop_u32(&w, "u32", 7);	/* same name: shares the string */
	ds_fdt_end_node(&w);
	ds_fdt_end_node(&w);
	size = ds_fdt_finish(&w);
	tap_ok(size > 0, "finish succeeds");
	tap_eq(ds_get_be32(buf), FDT_MAGIC_BE, "finished blob has the FDT magic");
	tap_eq(ds_get_be32(buf + HDR_TOTALSIZE), size,
	       "finish returns totalsize");

	v = find_value(buf, "u32", &len);
	tap_ok(v && len == 4 && ds_get_be32(v) == 0x11223344, "u32 is 4 bytes, big-endian");
	v = find_value(buf, "u64", &len);
	tap_ok(v && len == 8 && !memcmp(v, be_u64, 8), "u64 is 8 bytes, big-endian");
	v = find_value(buf, "arr", &len);
	tap_ok(v && len == 12 && !memcmp(v, be_arr, 12), "u32 array is big-endian cells");
	v = find_value(buf, "str", &len);
	tap_ok(v && len == 6 && !memcmp(v, "hello", 6), "string carries its NUL");
	v = find_value(buf, "empty", &len);
	tap_ok(v && len == 0, "empty property");
	v = find_value(buf, "space", &len);
	tap_ok(v && len == 5 && !memcmp(v, "abcde", 5), "prop_space value as filled in");
	/* u32 u64 arr str empty space: 4+4+4+4+6+6 bytes with NULs */
	tap_eq(ds_get_be32(buf + HDR_SIZE_STRINGS), 28,
	       "each property name is stored once");
}

/*
 * More distinct names than the name caches have slots, each written twice:
 * once all from one buffer reused for every name (the address cache must
 * check the bytes, not trust the pointer), once each from its own buffer.
 */
static void test_many_names(void)
{
	enum { NAMES = 3 * DS_FDT_INTERN_SLOTS };
	static uint8_t big[64 * 1024];
	static char own[NAMES][16];
	struct ds_fdt_writer w;
	char name[16];
	uint32_t i, len, bad = 0, pass;
	int err = 0;

	ds_fdt_create(&w, big, sizeof(big));
	ds_fdt_begin_node(&w, "");
	for (pass = 0; pass < 4 && !err; pass++) {
		for (i = 0; i < NAMES && !err; i++) {
			char *n = pass < 2 ? name : own[i];

			snprintf(n, 16, "p%u", i);
			err = ds_fdt_prop_u32(&w, n, i);
		}
	}
	if (!err)
		err = ds_fdt_end_node(&w);
	if (!err)
		err = ds_fdt_finish(&w);
	tap_ok(err > 0, "%u distinct names, each written four times", NAMES);
	tap_eq(ds_get_be32(big + HDR_SIZE_STRINGS), 1810,
	       "each name stored once (\"p0\" to \"p383\": 1810 bytes)");
	for (i = 0; i < NAMES; i++) {
		const uint8_t *v;

		snprintf(name, sizeof(name), "p%u", i);
		v = find_value(big, name, &len);
		if (!v || len != 4 || ds_get_be32(v) != i)
			bad++;
	}
	tap_eq(bad, 0, "every name maps to its own value");
}

/*
 * A buffer reused for a name that is the tail of the one it held before
 * ("abc" then "bc"): the address is known, the bytes are not the same.
 */
static void test_reused_buffer(void)
{
	struct ds_fdt_writer w;
	char name[8] = "abc";
	const uint8_t *v;
	uint32_t len = 0;
	int size;

	fresh_root(&w);
	ds_fdt_prop_u32(&w, name, 1);
	memcpy(name, "bc", 3);
	ds_fdt_prop_u32(&w, name, 2);
	memcpy(name, "abc", 4);
	ds_fdt_begin_node(&w, "child");
	ds_fdt_prop_u32(&w, name, 3);
	ds_fdt_end_node(&w);
	ds_fdt_end_node(&w);
	size = ds_fdt_finish(&w);
	tap_ok(size > 0, "reused name buffer: finish");
	v = find_value(buf, "bc", &len);
	tap_ok(v && len == 4 && ds_get_be32(v) == 2,
	       "reused name buffer: the second name has its own value");
	tap_eq(ds_get_be32(buf + HDR_SIZE_STRINGS), 4,
	       "reused name buffer: \"bc\" shares the tail of \"abc\"");
}

/*
 * Node names: the writer takes a byte exactly when the reader does. Each
 * byte value is tried at both ends of a two-byte name, with the writer
 * directly and with the reader on a valid blob patched to hold it.
 */
static void test_name_bytes(void)
{
	unsigned int c, at, disagree = 0, accepted = 0;
	struct ds_fdt_writer w;
	struct ds_fdt f;

	for (at = 0; at < 2; at++) {
		for (c = 1; c < 256; c++) {
			char name[3] = { 'n', 'n', 0 };
			int werr, rerr, size;
			uint8_t *hit;

			fresh_root(&w);
			ds_fdt_begin_node(&w, "nn");
			ds_fdt_end_node(&w);
			ds_fdt_end_node(&w);
			size = ds_fdt_finish(&w);
			hit = size > 0 ? memmem(buf, (size_t)size, "nn", 3) : NULL;
			if (!hit) {
				disagree++;
				continue;
			}
			hit[at] = (uint8_t)c;
			rerr = ds_fdt_open(&f, buf, (size_t)size);

			name[at] = (char)c;
			fresh_root(&w);
			werr = ds_fdt_begin_node(&w, name);
			if (werr && werr != -DS_ERR_BADNAME)
				disagree++;
			disagree += !werr != !rerr;
			accepted += !werr;
		}
	}
	tap_eq(disagree, 0, "node names: writer and reader agree on all 255 "
	       "byte values, first and second");
	/* a-z A-Z 0-9 , . _ + - in both places, '@' only second */
	tap_eq(accepted, 2 * 67 + 1, "node names: 68 characters allowed, "
	       "'@' not first");
}

/*
 * The reader rejects a property that follows a child node (fdt_check.c), so
 * the writer must refuse to write one: a driver's state callback that adds a
 * subnode and then another property would otherwise seal a blob the next
 * kernel throws away whole.
 */
static void test_prop_after_child(void)
{
	struct ds_fdt_writer w;
	struct ds_fdt f;
	uint32_t v = 1;
	int size;

	fresh_root(&w);
	tap_err(ds_fdt_prop(&w, "a", &v, sizeof(v)), 0, "property of the root");
	tap_err(ds_fdt_begin_node(&w, "child"), 0, "child node");
	tap_err(ds_fdt_prop(&w, "b", &v, sizeof(v)), 0, "property of the child");
	tap_err(ds_fdt_begin_node(&w, "grandchild"), 0, "grandchild node");
	tap_err(ds_fdt_end_node(&w), 0, "close grandchild");
	tap_err(ds_fdt_prop(&w, "c", &v, sizeof(v)), -DS_ERR_BADSTATE,
		"property after a closed child node is refused");
	tap_err(ds_fdt_prop_u32(&w, "c", v), -DS_ERR_BADSTATE,
		"so is prop_u32 there");
	tap_err(ds_fdt_end_node(&w), 0, "close child");
	tap_err(ds_fdt_prop(&w, "d", &v, sizeof(v)), -DS_ERR_BADSTATE,
		"property of the root after its child is refused");
	tap_err(ds_fdt_begin_node(&w, "sibling"), 0, "a sibling may still follow");
	tap_err(ds_fdt_prop(&w, "e", &v, sizeof(v)), 0,
		"and take properties of its own");
	tap_err(ds_fdt_end_node(&w), 0, "close sibling");
	tap_err(ds_fdt_end_node(&w), 0, "close root");
	size = ds_fdt_finish(&w);
	tap_ok(size > 0, "finish after the refused properties");
	tap_err(ds_fdt_open(&f, buf, size > 0 ? (size_t)size : 0), 0,
		"the blob written is one the reader accepts");
}

/*
 * finish returns the blob's size as an int, and the reader takes no blob
 * over INT_MAX bytes: a buffer of more than 2 GiB (the kernel hands over
 * blob areas up to U32_MAX) must give a clean error, never a size that
 * turns negative. The buffer is reserved, not committed: only the pages
 * the writer touches at either end are ever backed.
 */
static void test_huge_buffer(void)
{
	const size_t size = 0x80001000u;
	struct ds_fdt_writer w;
	uint8_t *big;
	int ret;

	big = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (big == MAP_FAILED) {
		tap_ok(true, "writer over a 2 GiB buffer # SKIP no address space");
		return;
	}
	ret = ds_fdt_create(&w, big, (uint32_t)size);
	if (!ret)
		ret = ds_fdt_begin_node(&w, "");
	if (!ret)
		ds_fdt_prop_space(&w, "big", 0x7fffffc0u, &ret);
	if (!ret)
		ret = ds_fdt_end_node(&w);
	if (!ret)
		ret = ds_fdt_finish(&w);
	tap_ok(ret >= -DS_ERR__MAX,
	       "a blob past INT_MAX bytes is refused, not sized negative (%d)",
	       ret);
	munmap(big, size);
}

/* Root with child "a", then maybe a child "b" that is rewound away. */
static int write_with_rewind(uint8_t *out, uint32_t size, bool with_b,
			     uint32_t b_len, int *b_err)
{
	static uint8_t big[8192];
	struct ds_fdt_writer w;
	struct ds_fdt_mark m;
	int ret;

	ds_fdt_create(&w, out, size);
	ds_fdt_begin_node(&w, "");
	ds_fdt_prop_u32(&w, "x", 1);
	ds_fdt_begin_node(&w, "a");
	ds_fdt_prop_u32(&w, "v", 2);
	ds_fdt_end_node(&w);
	ds_fdt_mark(&w, &m);
	if (with_b) {
		ds_fdt_begin_node(&w, "b");
		ds_fdt_prop_u32(&w, "only-in-b", 3);
		*b_err = ds_fdt_prop(&w, "blob", big, b_len);
		ret = ds_fdt_rewind(&w, &m);
		if (ret)
			return ret;
	}
	ds_fdt_end_node(&w);
	return ds_fdt_finish(&w);
}

/* A node rewound away leaves the tree it interrupted, even after NOSPACE. */
static void test_rewind(void)
{
	static uint8_t plain[1024], rewound[1024], small[256];
	struct ds_fdt f;
	int a, b, c, err = 0;
	struct ds_fdt_writer w;
	struct ds_fdt_mark m;

	a = write_with_rewind(plain, sizeof(plain), false, 0, &err);
	b = write_with_rewind(rewound, sizeof(rewound), true, 16, &err);
	tap_ok(a > 0 && b > 0 && !err, "rewound tree finishes (%d, %d bytes)", a, b);
	tap_ok(!ds_fdt_open(&f, rewound, (size_t)b) && f.nodes == 2 &&
	       ds_fdt_subnode(&f, 0, "b") < 0 && ds_fdt_subnode(&f, 0, "a") > 0,
	       "only the root and 'a' are left");
	tap_ok(f.struct_size == ds_get_be32(plain + HDR_SIZE_STRUCT) &&
	       !memcmp(rewound + f.struct_off, plain + ds_get_be32(plain + HDR_OFF_STRUCT),
		       f.struct_size),
	       "the structure block is the one written without 'b'");

	c = write_with_rewind(small, sizeof(small), true, 4096, &err);
	tap_err(err, -DS_ERR_NOSPACE, "'b' runs out of space");
	tap_ok(c > 0 && !ds_fdt_open(&f, small, (size_t)c) && f.nodes == 2,
	       "rewound after NOSPACE, the tree still finishes");

	ds_fdt_create(&w, small, 8);
	ds_fdt_mark(&w, &m);
	tap_err(ds_fdt_rewind(&w, &m), -DS_ERR_BADSTATE, "no rewind to a failed writer");
	ds_fdt_create(&w, small, sizeof(small));
	ds_fdt_begin_node(&w, "");
	ds_fdt_end_node(&w);
	ds_fdt_mark(&w, &m);
	ds_fdt_finish(&w);
	tap_err(ds_fdt_rewind(&w, &m), -DS_ERR_BADSTATE, "no rewind of a finished tree");
}

int main(void)
{
	test_out_of_order();
	test_arguments();
	test_values();
	test_many_names();
	test_reused_buffer();
	test_name_bytes();
	test_prop_after_child();
	test_huge_buffer();
	test_rewind();
	return tap_done();
}
