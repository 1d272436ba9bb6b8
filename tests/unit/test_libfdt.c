// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Our writer and reader held against the real libfdt: every blob we write
 * passes fdt_check_full(), both readers see the same nodes and property
 * bytes, and libfdt's sequential writer building the same tree produces
 * the same tree in a blob of the same size. The two are not byte-identical,
 * by design: our strings block lists the names in order of first use (as
 * dtc writes it), libfdt's in reverse order. So the structure blocks must
 * be identical but for each property's name offset, and ours must hold its
 * strings in exactly dtc's order.
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

/* Both blobs through libfdt: the same nodes and properties, in order. */
static void compare_twins(const void *a, int na, const void *b, int nb,
			  struct walk *wk)
{
	const char *n1, *n2;
	int l1, l2, p, q, c, d;

	wk->nodes++;
	n1 = fdt_get_name(a, na, &l1);
	n2 = fdt_get_name(b, nb, &l2);
	if (!n1 || !n2 || l1 != l2 || strcmp(n1, n2)) {
		mismatch(wk, "node name", n1 ? n1 : "?");
		return;
	}
	p = fdt_first_property_offset(a, na);
	q = fdt_first_property_offset(b, nb);
	for (; p >= 0 && q >= 0; p = fdt_next_property_offset(a, p),
	     q = fdt_next_property_offset(b, q)) {
		const char *m1, *m2;
		const void *v1 = fdt_getprop_by_offset(a, p, &m1, &l1);
		const void *v2 = fdt_getprop_by_offset(b, q, &m2, &l2);

		wk->props++;
		if (!v1 || !v2 || strcmp(m1, m2) || l1 != l2 || memcmp(v1, v2, l1))
			mismatch(wk, m1 ? m1 : "property", n1);
	}
	if ((p >= 0) != (q >= 0))
		mismatch(wk, "property count", n1);
	c = fdt_first_subnode(a, na);
	d = fdt_first_subnode(b, nb);
	for (; c >= 0 && d >= 0; c = fdt_next_subnode(a, c),
	     d = fdt_next_subnode(b, d))
		compare_twins(a, c, b, d, wk);
	if ((c >= 0) != (d >= 0))
		mismatch(wk, "child count", n1);
}

/*
 * The structure blocks are byte-identical once every property's name
 * offset is taken from ours: returns -1 if not, else how many of the
 * @props offsets differed.
 */
static int struct_diff_but_nameoff(const uint8_t *ours, const uint8_t *theirs,
				   unsigned int *props)
{
	uint32_t size = fdt_size_dt_struct(ours);
	const uint8_t *s = ours + fdt_off_dt_struct(ours);
	uint8_t *copy;
	int off = 0, next, tag, differ = 0, same;

	*props = 0;
	if (size != fdt_size_dt_struct(theirs))
		return -1;
	copy = malloc(size);
	if (!copy)
		return -1;
	memcpy(copy, theirs + fdt_off_dt_struct(theirs), size);
	do {
		tag = fdt_next_tag(ours, off, &next);
		if (tag == FDT_PROP && (uint32_t)off + 12 <= size) {
			(*props)++;
			differ += !!memcmp(copy + off + 8, s + off + 8, 4);
			memcpy(copy + off + 8, s + off + 8, 4);
		}
		off = next;
	} while (tag != FDT_END && next > 0);
	same = !memcmp(copy, s, size);
	free(copy);
	return same ? differ : -1;
}

/*
 * dtc's strings block: each property names the first place its name (with
 * the NUL) occurs, as the tail of an earlier string or alone, and a name
 * met for the first time is appended. So, walking the properties in order,
 * every name offset is that first place and is either below the appended
 * part or exactly its end, and at the end nothing is left over.
 */
static bool strings_in_first_use_order(const uint8_t *fdt, char *why,
				       size_t whylen)
{
	const char *tab = (const char *)fdt + fdt_off_dt_strings(fdt);
	const uint8_t *s = fdt + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_strings(fdt), fresh = 0;
	int off = 0, next, tag;

	do {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_PROP) {
			uint32_t nameoff = fdt32_ld((const fdt32_t *)(s + off + 8));
			const char *name = tab + nameoff;
			uint32_t len = (uint32_t)strlen(name) + 1, first;

			for (first = 0; first + len <= size; first++)
				if (!memcmp(tab + first, name, len))
					break;
			if (nameoff != first) {
				snprintf(why, whylen, "'%s' at %u, first occurs at %u",
					 name, nameoff, first);
				return false;
			}
			if (nameoff == fresh)
				fresh += len;
			else if (nameoff > fresh) {
				snprintf(why, whylen, "'%s' at %u, before %u is used",
					 name, nameoff, fresh);
				return false;
			}
		}
		off = next;
	} while (tag != FDT_END && next > 0);
	snprintf(why, whylen, "%u of %u bytes used", fresh, size);
	return fresh == size;
}

/* The NUL-terminated strings of a strings block, sorted, joined by '\n'. */
static char *sorted_strings(const uint8_t *fdt)
{
	const char *tab = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_strings(fdt), n = 0, i, k;
	const char **v = malloc((size + 1) * sizeof(*v));
	char *out = malloc(size + 1), *o = out;

	if (!v || !out) {
		free(v);
		free(out);
		return NULL;
	}
	for (i = 0; i < size; i += (uint32_t)strlen(tab + i) + 1)
		v[n++] = tab + i;
	for (i = 1; i < n; i++)		/* insertion sort: a few dozen names */
		for (k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			const char *t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	for (i = 0; i < n; i++)
		o += sprintf(o, "%s\n", v[i]);
	*o = '\0';
	free(v);
	return out;
}

/*
 * Our blob against libfdt's of the same tree: the same tree, the same size,
 * the same structure block but for name offsets, the same strings in
 * another order, ours in dtc's order.
 */
static void check_twin(const char *what, const uint8_t *ours, uint32_t size,
		       const uint8_t *twin, uint32_t twin_size)
{
	struct walk wk = { 0 };
	unsigned int props;
	char why[160], *s1, *s2;
	int differ;

	compare_twins(ours, 0, twin, 0, &wk);
	if (!tap_ok(!wk.mismatches && twin_size == size,
		    "%s: libfdt's sequential writer builds the same tree "
		    "(%u nodes, %u properties) in as many bytes", what,
		    wk.nodes, wk.props))
		tap_diag("%u mismatches, first: %s; sizes %u (ours) vs %u",
			 wk.mismatches, wk.first, size, twin_size);
	differ = struct_diff_but_nameoff(ours, twin, &props);
	tap_ok(differ >= 0, "%s: structure blocks identical but for name "
	       "offsets (%d of %u differ)", what, differ, props);
	s1 = sorted_strings(ours);
	s2 = sorted_strings(twin);
	tap_ok(s1 && s2 && !strcmp(s1, s2) &&
	       fdt_size_dt_strings(ours) == fdt_size_dt_strings(twin),
	       "%s: the same strings in both strings blocks", what);
	free(s1);
	free(s2);
	if (!tap_ok(strings_in_first_use_order(ours, why, sizeof(why)),
		    "%s: our strings block is in order of first use", what))
		tap_diag("%s", why);
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
	else if (!err)
		check_twin(what, blob, size, twin, (uint32_t)twin_size);
	free(twin);
}

/* A tree made with both writers call by call, not by replay. */
static void test_hand_tree(void)
{
	static uint8_t ours[2048], theirs[2048];
	static const uint32_t cells[] = { 1, 2 };
	static const char strings[] = "compatible\0reg\0wide\0empty";
	struct ds_fdt_writer w;
	const void *v;
	int a, len, off;

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
	tap_ok(a > 0 && fdt_check_full(ours, a) == 0,
	       "hand-built tree: fdt_check_full accepts it");
	if (a > 0)
		check_twin("hand-built tree, call for call", ours, (uint32_t)a,
			   theirs, fdt_totalsize(theirs));
	tap_ok(a > 0 && fdt_size_dt_strings(ours) == sizeof(strings) &&
	       !memcmp(ours + fdt_off_dt_strings(ours), strings, sizeof(strings)),
	       "hand-built tree: strings block is \"compatible reg wide empty\"");
	off = fdt_path_offset(ours, "/node@1");
	v = off < 0 ? NULL : fdt_getprop(ours, off, "ible", &len);
	tap_ok(v && len == 3 && !memcmp(v, "\x01\x02\x03", 3) &&
	       fdt32_ld((const fdt32_t *)((const uint8_t *)v - 4)) == 6,
	       "hand-built tree: 'ible' shares the tail of 'compatible'");
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
