// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Our writer and reader held against the real libfdt: every blob we write
 * passes fdt_check_full(), both readers see the same nodes and property
 * bytes, and libfdt's sequential writer building the same tree produces a
 * byte-identical blob.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include <devstate/blob.h>

#include "../synth/synth.h"
#include "fdt_fixture.h"
#include "tap.h"

struct walk {
	unsigned int nodes, props, mismatches;
	char first[160];
};

static void mismatch(struct walk *wk, const char *what, const char *where)
{
	if (!wk->mismatches++)
		snprintf(wk->first, sizeof(wk->first), "%s at %s", what, where);
}

static void compare_props(const struct ds_fdt *f, int ours, const void *blob,
			  int theirs, const char *where, struct walk *wk)
{
	int p = ds_fdt_first_prop(f, ours);
	int q = fdt_first_property_offset(blob, theirs);

	for (; p >= 0 && q >= 0; p = ds_fdt_next_prop(f, p),
	     q = fdt_next_property_offset(blob, q)) {
		const char *n1, *n2;
		int l1, l2, l3;
		const void *v1 = ds_fdt_prop_at(f, p, &n1, &l1);
		const void *v2 = fdt_getprop_by_offset(blob, q, &n2, &l2);
		const void *v3;

		wk->props++;
		if (!v1 || !v2 || strcmp(n1, n2)) {
			mismatch(wk, "property name", where);
			return;
		}
		if (l1 != l2 || memcmp(v1, v2, l1))
			mismatch(wk, n1, where);
		/* and by name, the way callers use fdt_getprop() */
		v3 = fdt_getprop(blob, theirs, n1, &l3);
		if (!v3 || l3 != l1 || memcmp(v3, v1, l1))
			mismatch(wk, "fdt_getprop by name", where);
	}
	if ((p >= 0) != (q >= 0))
		mismatch(wk, "property count", where);
}

static void compare_nodes(const struct ds_fdt *f, int ours, const void *blob,
			  int theirs, unsigned int depth, struct walk *wk)
{
	const char *n1, *n2;
	int l1, l2, c, d;

	wk->nodes++;
	n1 = ds_fdt_node_name(f, ours, &l1);
	n2 = fdt_get_name(blob, theirs, &l2);
	if (!n1 || !n2 || l1 != l2 || strcmp(n1, n2)) {
		mismatch(wk, "node name", n2 ? n2 : "?");
		return;
	}
	compare_props(f, ours, blob, theirs, depth ? n1 : "/", wk);
	c = ds_fdt_first_child(f, ours);
	d = fdt_first_subnode(blob, theirs);
	for (; c >= 0 && d >= 0; c = ds_fdt_next_sibling(f, c),
	     d = fdt_next_subnode(blob, d))
		compare_nodes(f, c, blob, d, depth + 1, wk);
	if ((c >= 0) != (d >= 0))
		mismatch(wk, "child count", depth ? n1 : "/");
}

static void check_blob(const char *what, const uint8_t *blob, uint32_t size)
{
	struct walk wk = { 0 };
	struct ds_fdt f;
	uint8_t *twin;
	int err, twin_size;

	err = fdt_check_full(blob, size);
	if (!tap_ok(err == 0, "%s: fdt_check_full accepts it", what))
		tap_diag("libfdt: %s", fdt_strerror(err));
	if (tap_err(ds_fdt_open(&f, blob, size), 0, "%s: ds_fdt_open", what)) {
		compare_nodes(&f, 0, blob, 0, 0, &wk);
		if (!tap_ok(!wk.mismatches && wk.nodes == f.nodes,
			    "%s: %u nodes, %u properties identical through libfdt",
			    what, wk.nodes, wk.props))
			tap_diag("%u mismatches, first: %s", wk.mismatches, wk.first);
	}

	twin = malloc(size + 4096);
	twin_size = fx_rewrite(blob, twin, size + 4096, NULL);
	if (!tap_ok(twin_size > 0, "%s: libfdt sequential write of the same tree", what))
		tap_diag("libfdt: %s", fdt_strerror(twin_size));
	else if (!tap_ok((uint32_t)twin_size == size && !memcmp(twin, blob, size),
			 "%s: byte-identical to libfdt's sequential writer", what)) {
		uint32_t k, n = (uint32_t)twin_size < size ? (uint32_t)twin_size : size;

		for (k = 0; k < n && twin[k] == blob[k]; k++)
			;
		tap_diag("sizes %u (ours) vs %d (libfdt), first difference at byte %u",
			 size, twin_size, k);
	}
	free(twin);
}

/* A tree made with both writers call by call, not by replay. */
static void test_hand_tree(void)
{
	static uint8_t ours[2048], theirs[2048];
	static const uint32_t cells[] = { 1, 2 };
	struct ds_fdt_writer w;
	int a;

	ds_fdt_create(&w, ours, sizeof(ours));
	ds_fdt_begin_node(&w, "");
	ds_fdt_prop_string(&w, "compatible", "x,y");
	ds_fdt_prop_u32_array(&w, "reg", cells, 2);
	ds_fdt_prop_u64(&w, "wide", 0x1122334455667788ull);
	ds_fdt_begin_node(&w, "node@1");
	ds_fdt_prop(&w, "empty", NULL, 0);
	ds_fdt_prop_string(&w, "compatible", "z");
	ds_fdt_prop(&w, "ible", "\x01\x02\x03", 3);	/* a suffix of a name */
	ds_fdt_end_node(&w);
	ds_fdt_end_node(&w);
	a = ds_fdt_finish(&w);

	/* the same calls through libfdt's sequential writer */
	fdt_create(theirs, sizeof(theirs));
	fdt_finish_reservemap(theirs);
	fdt_begin_node(theirs, "");
	fdt_property_string(theirs, "compatible", "x,y");
	fdt_property(theirs, "reg", "\0\0\0\1\0\0\0\2", 8);
	fdt_property_u64(theirs, "wide", 0x1122334455667788ull);
	fdt_begin_node(theirs, "node@1");
	fdt_property(theirs, "empty", NULL, 0);
	fdt_property_string(theirs, "compatible", "z");
	fdt_property(theirs, "ible", "\x01\x02\x03", 3);
	fdt_end_node(theirs);
	fdt_end_node(theirs);
	fdt_finish(theirs);
	tap_ok(a > 0 && (uint32_t)a == fdt_totalsize(theirs) && !memcmp(ours, theirs, a),
	       "hand-built tree: byte-identical to libfdt, call for call");
}

int main(void)
{
	static const uint32_t counts[] = { 0, 1, 5, 64, 1000 };
	static const uint64_t seeds[] = { 1, 42, 0xffffffffffffffffull };
	uint32_t c, s;

	test_hand_tree();
	for (s = 0; s < TAP_ARRAY_SIZE(seeds); s++) {
		for (c = 0; c < TAP_ARRAY_SIZE(counts); c++) {
			char what[64];
			uint8_t *blob;
			uint32_t size;
			int err;

			snprintf(what, sizeof(what), "seed %llu, %u devices",
				 (unsigned long long)seeds[s], counts[c]);
			err = ds_synth_blob_alloc(seeds[s], counts[c], &blob, &size);
			if (!tap_err(err, 0, "%s: synth blob", what))
				continue;
			check_blob(what, blob, size);
			free(blob);
		}
	}
	return tap_done();
}
