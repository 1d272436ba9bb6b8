// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * FDT reader: tree navigation, property lookup and iteration, and the
 * length checks of the typed accessors, on a small known tree.
 */
#include <string.h>

#include <devstate/blob.h>

#include "tap.h"

static uint8_t buf[4096];

/*
 * / {
 *     one = <0x11223344>;  wide = /bits/ 64 <0x0102030405060708>;
 *     cells = <1 2 3>;     name = "hello";  empty;  odd = [01 02 03];
 *     a@1 { x = <5>; deep { }; };
 *     b@2 { };
 * };
 */
static int build_tree(void)
{
	static const uint32_t cells[] = { 1, 2, 3 };
	struct ds_fdt_writer w;
	int err;

	err = ds_fdt_create(&w, buf, sizeof(buf));
#define STEP(call) do { if (!err) err = (call); } while (0)
	STEP(ds_fdt_begin_node(&w, ""));
	STEP(ds_fdt_prop_u32(&w, "one", 0x11223344));
	STEP(ds_fdt_prop_u64(&w, "wide", 0x0102030405060708ull));
	STEP(ds_fdt_prop_u32_array(&w, "cells", cells, 3));
	STEP(ds_fdt_prop_string(&w, "name", "hello"));
	STEP(ds_fdt_prop(&w, "empty", NULL, 0));
	STEP(ds_fdt_prop(&w, "odd", "\x01\x02\x03", 3));
	STEP(ds_fdt_begin_node(&w, "a@1"));
	STEP(ds_fdt_prop_u32(&w, "x", 5));
	STEP(ds_fdt_begin_node(&w, "deep"));
	STEP(ds_fdt_end_node(&w));
	STEP(ds_fdt_end_node(&w));
	STEP(ds_fdt_begin_node(&w, "b@2"));
	STEP(ds_fdt_end_node(&w));
	STEP(ds_fdt_end_node(&w));
#undef STEP
	if (err) {
		tap_diag("building the test tree: %s", ds_strerror(err));
		return err;
	}
	return ds_fdt_finish(&w);
}

static void test_navigation(const struct ds_fdt *f)
{
	const char *name;
	int a, b, deep, len;

	tap_eq(f->nodes, 4, "node count includes the root");
	name = ds_fdt_node_name(f, 0, &len);
	tap_ok(name && len == 0 && !*name, "root name is empty");

	a = ds_fdt_first_child(f, 0);
	name = ds_fdt_node_name(f, a, &len);
	tap_ok(a > 0 && name && !strcmp(name, "a@1") && len == 3,
	       "first child of the root is a@1");
	b = ds_fdt_next_sibling(f, a);
	name = ds_fdt_node_name(f, b, &len);
	tap_ok(b > a && name && !strcmp(name, "b@2"), "its sibling is b@2");
	tap_err(ds_fdt_next_sibling(f, b), -DS_ERR_NOTFOUND, "b@2 is the last child");
	deep = ds_fdt_first_child(f, a);
	name = ds_fdt_node_name(f, deep, &len);
	tap_ok(deep > a && deep < b && name && !strcmp(name, "deep"),
	       "a@1 has the child deep");
	tap_err(ds_fdt_first_child(f, deep), -DS_ERR_NOTFOUND, "deep has no child");
	tap_err(ds_fdt_first_child(f, b), -DS_ERR_NOTFOUND, "b@2 has no child");
	tap_err(ds_fdt_next_sibling(f, deep), -DS_ERR_NOTFOUND, "deep has no sibling");

	tap_eq(ds_fdt_subnode(f, 0, "b@2"), b, "subnode finds b@2 by name");
	tap_eq(ds_fdt_subnode(f, a, "deep"), deep, "subnode finds deep under a@1");
	tap_err(ds_fdt_subnode(f, 0, "deep"), -DS_ERR_NOTFOUND,
		"subnode looks at direct children only");
	tap_err(ds_fdt_subnode(f, 0, "a"), -DS_ERR_NOTFOUND,
		"subnode matches the whole name, unit address included");
	tap_err(ds_fdt_subnode(f, 0, "c@3"), -DS_ERR_NOTFOUND, "absent subnode");
}

static void test_props(const struct ds_fdt *f)
{
	static const char *const order[] = { "one", "wide", "cells", "name", "empty", "odd" };
	const uint8_t *v;
	const char *s, *pname;
	uint32_t u32 = 0, arr[4] = { 0 };
	uint64_t u64 = 0;
	int len, err, p, n, a = ds_fdt_subnode(f, 0, "a@1");
	bool in_order = true;

	v = ds_fdt_getprop(f, 0, "odd", &len);
	tap_ok(v && len == 3 && !memcmp(v, "\x01\x02\x03", 3), "getprop returns value and length");
	v = ds_fdt_getprop(f, 0, "empty", &len);
	tap_ok(v && len == 0, "getprop of an empty property: non-NULL, length 0");
	v = ds_fdt_getprop(f, 0, "nope", &len);
	tap_ok(!v && len == -DS_ERR_NOTFOUND, "getprop of an absent property");
	v = ds_fdt_getprop(f, 0, "x", &len);
	tap_ok(!v && len == -DS_ERR_NOTFOUND, "getprop does not look into children");
	v = ds_fdt_getprop(f, a, "x", &len);
	tap_ok(v && len == 4, "getprop on a child node");

	tap_err(ds_fdt_get_u32(f, 0, "one", &u32), 0, "get_u32");
	tap_eq(u32, 0x11223344, "get_u32 value");
	tap_err(ds_fdt_get_u32(f, 0, "wide", &u32), -DS_ERR_BADLEN, "get_u32 of 8 bytes");
	tap_err(ds_fdt_get_u32(f, 0, "odd", &u32), -DS_ERR_BADLEN, "get_u32 of 3 bytes");
	tap_err(ds_fdt_get_u32(f, 0, "empty", &u32), -DS_ERR_BADLEN, "get_u32 of 0 bytes");
	tap_err(ds_fdt_get_u32(f, 0, "nope", &u32), -DS_ERR_NOTFOUND, "get_u32 of absent");
	tap_err(ds_fdt_get_u64(f, 0, "wide", &u64), 0, "get_u64");
	tap_eq((long long)u64, 0x0102030405060708ll, "get_u64 value");
	tap_err(ds_fdt_get_u64(f, 0, "one", &u64), -DS_ERR_BADLEN, "get_u64 of 4 bytes");
	tap_err(ds_fdt_get_u64(f, 0, "cells", &u64), -DS_ERR_BADLEN, "get_u64 of 12 bytes");

	n = ds_fdt_get_u32_array(f, 0, "cells", arr, 4);
	tap_eq(n, 3, "get_u32_array returns the cell count");
	tap_ok(arr[0] == 1 && arr[1] == 2 && arr[2] == 3, "get_u32_array values");
	tap_eq(ds_fdt_get_u32_array(f, 0, "cells", arr, 3), 3, "get_u32_array with exact room");
	tap_err(ds_fdt_get_u32_array(f, 0, "cells", arr, 2), -DS_ERR_BADLEN,
		"get_u32_array with too little room");
	tap_err(ds_fdt_get_u32_array(f, 0, "odd", arr, 4), -DS_ERR_BADLEN,
		"get_u32_array of a length not a multiple of 4");
	tap_eq(ds_fdt_get_u32_array(f, 0, "empty", arr, 4), 0,
	       "get_u32_array of an empty property: 0 cells");

	s = ds_fdt_get_string(f, 0, "name", &err);
	tap_ok(s && !strcmp(s, "hello") && !err, "get_string");
	s = ds_fdt_get_string(f, 0, "odd", &err);
	tap_ok(!s && err == -DS_ERR_BADSTRING, "get_string of unterminated bytes");
	s = ds_fdt_get_string(f, 0, "empty", &err);
	tap_ok(!s && err == -DS_ERR_BADSTRING, "get_string of an empty property");
	s = ds_fdt_get_string(f, 0, "nope", &err);
	tap_ok(!s && err == -DS_ERR_NOTFOUND, "get_string of absent");

	n = 0;
	for (p = ds_fdt_first_prop(f, 0); p >= 0; p = ds_fdt_next_prop(f, p)) {
		v = ds_fdt_prop_at(f, p, &pname, &len);
		if (n >= (int)TAP_ARRAY_SIZE(order) || !v || !pname ||
		    strcmp(pname, order[n]))
			in_order = false;
		n++;
	}
	tap_eq(n, 6, "root has six properties");
	tap_ok(in_order, "properties iterate in written order, children excluded");
	tap_err(p, -DS_ERR_NOTFOUND, "iteration ends with NOTFOUND");
	tap_err(ds_fdt_first_prop(f, ds_fdt_subnode(f, 0, "b@2")), -DS_ERR_NOTFOUND,
		"node without properties");
	p = ds_fdt_first_prop(f, a);
	v = ds_fdt_prop_at(f, p, &pname, &len);
	tap_ok(p >= 0 && v && !strcmp(pname, "x") && len == 4 && v[3] == 5,
	       "prop_at returns name, value and length");
}

/* Offsets that are not a node (or not a property) are refused, not walked. */
static void test_bad_offsets(const struct ds_fdt *f)
{
	static const int not_nodes[] = { -1, 2, 1 << 20 };
	int prop = ds_fdt_first_prop(f, 0), len, k;
	const char *name;

	for (k = 0; k < (int)TAP_ARRAY_SIZE(not_nodes); k++) {
		int off = not_nodes[k];

		tap_err(ds_fdt_first_child(f, off), -DS_ERR_INVAL,
			"first_child(%d) is refused", off);
		tap_err(ds_fdt_first_prop(f, off), -DS_ERR_INVAL,
			"first_prop(%d) is refused", off);
		tap_ok(!ds_fdt_node_name(f, off, &len) && len == -DS_ERR_INVAL,
		       "node_name(%d) is refused", off);
	}
	tap_err(ds_fdt_first_child(f, prop), -DS_ERR_INVAL,
		"a property offset is not a node");
	tap_err(ds_fdt_next_prop(f, 0), -DS_ERR_INVAL, "a node offset is not a property");
	tap_ok(!ds_fdt_prop_at(f, 0, &name, &len) && len == -DS_ERR_INVAL,
	       "prop_at on a node offset is refused");
	tap_err(ds_fdt_next_sibling(f, 0), -DS_ERR_INVAL, "the root has no siblings to walk");
}

int main(void)
{
	struct ds_fdt f;
	int size = build_tree();

	tap_ok(size > 0, "build the test tree");
	tap_err(ds_fdt_open(&f, buf, size), 0, "open it");
	tap_eq(f.size, size, "open records totalsize");
	test_navigation(&f);
	test_props(&f);
	test_bad_offsets(&f);
	tap_err(ds_fdt_open(&f, NULL, size), -DS_ERR_INVAL, "open a NULL blob");
	return tap_done();
}
