// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What our blob and libfdt's twin of it have in common. They are not
 * byte-identical: our strings block lists the property names in order of
 * first use (dtc's order), libfdt's sequential writer in reverse, so every
 * name offset may differ. What must hold is the same tree in as many
 * bytes, and structure blocks identical but for those offsets.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bench.h"

/* Node @na of @a and node @nb of @b: same names, properties, children. */
static int same_node(const void *a, int na, const void *b, int nb)
{
	const char *n1, *n2;
	int l1, l2, p, q, c, d;

	n1 = fdt_get_name(a, na, &l1);
	n2 = fdt_get_name(b, nb, &l2);
	if (!n1 || !n2 || l1 != l2 || memcmp(n1, n2, l1))
		return 0;
	p = fdt_first_property_offset(a, na);
	q = fdt_first_property_offset(b, nb);
	for (; p >= 0 && q >= 0; p = fdt_next_property_offset(a, p),
	     q = fdt_next_property_offset(b, q)) {
		const char *m1, *m2;
		const void *v1 = fdt_getprop_by_offset(a, p, &m1, &l1);
		const void *v2 = fdt_getprop_by_offset(b, q, &m2, &l2);

		if (!v1 || !v2 || strcmp(m1, m2) || l1 != l2 || memcmp(v1, v2, l1))
			return 0;
	}
	if ((p >= 0) != (q >= 0))
		return 0;
	c = fdt_first_subnode(a, na);
	d = fdt_first_subnode(b, nb);
	for (; c >= 0 && d >= 0; c = fdt_next_subnode(a, c),
	     d = fdt_next_subnode(b, d))
		if (!same_node(a, c, b, d))
			return 0;
	return (c >= 0) == (d >= 0);
}

int bench_same_tree(const void *a, const void *b)
{
	return fdt_check_full(a, fdt_totalsize(a)) == 0 &&
	       fdt_check_full(b, fdt_totalsize(b)) == 0 &&
	       fdt_totalsize(a) == fdt_totalsize(b) && same_node(a, 0, b, 0);
}

int bench_same_struct(const void *a, const void *b)
{
	uint32_t size = fdt_size_dt_struct(a);
	const uint8_t *sa = (const uint8_t *)a + fdt_off_dt_struct(a);
	const uint8_t *sb = (const uint8_t *)b + fdt_off_dt_struct(b);
	uint32_t done = 0;
	int off = 0, next, tag;

	if (size != fdt_size_dt_struct(b))
		return 0;
	/* compare up to each name offset, then skip its four bytes */
	do {
		tag = fdt_next_tag(a, off, &next);
		if (tag == FDT_PROP) {
			uint32_t nameoff = (uint32_t)off + 8;

			if (nameoff + 4 > size ||
			    memcmp(sa + done, sb + done, nameoff - done))
				return 0;
			done = nameoff + 4;
		}
		off = next;
	} while (tag != FDT_END && next > 0);
	return tag == FDT_END && !memcmp(sa + done, sb + done, size - done);
}
