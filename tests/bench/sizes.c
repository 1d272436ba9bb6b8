// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Where a device record's bytes go: every device node of a blob walked with
 * the shared reader, each property's bytes (12-byte header plus padded
 * value) added up by name, the node's own tokens and name apart, and the
 * driver-state child counted as one item.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define FDT_TOKEN	4u
#define FDT_PROP_HDR	12u

static uint32_t align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

static void add(struct bench_size_item *items, unsigned int *nr,
		const char *name, uint64_t bytes)
{
	unsigned int i;

	for (i = 0; i < *nr; i++) {
		if (!strcmp(items[i].name, name)) {
			items[i].bytes += bytes;
			return;
		}
	}
	if (*nr < BENCH_SIZE_ITEMS) {
		snprintf(items[*nr].name, sizeof(items[*nr].name), "%s", name);
		items[(*nr)++].bytes = bytes;
	}
}

/* BEGIN_NODE with its padded name, and END_NODE. */
static uint32_t node_overhead(const struct ds_fdt *f, int node)
{
	int len;

	ds_fdt_node_name(f, node, &len);
	return 2 * FDT_TOKEN + align4((uint32_t)len + 1);
}

/* Bytes of @node's subtree; its properties and children added to @items. */
static uint64_t node_bytes(const struct ds_fdt *f, int node,
			   struct bench_size_item *items, unsigned int *nr)
{
	uint64_t sum = node_overhead(f, node);
	int prop, child;

	for (prop = ds_fdt_first_prop(f, node); prop >= 0;
	     prop = ds_fdt_next_prop(f, prop)) {
		const char *name;
		int len;

		ds_fdt_prop_at(f, prop, &name, &len);
		if (items)
			add(items, nr, name, FDT_PROP_HDR + align4((uint32_t)len));
		sum += FDT_PROP_HDR + align4((uint32_t)len);
	}
	for (child = ds_fdt_first_child(f, node); child >= 0;
	     child = ds_fdt_next_sibling(f, child)) {
		uint64_t b = node_bytes(f, child, NULL, NULL);

		if (items)
			add(items, nr, DS_DRIVER_STATE_NODE " (whole child)", b);
		sum += b;
	}
	return sum;
}

int bench_size_breakdown(const void *blob, uint32_t size,
			 struct bench_sizes *out)
{
	struct ds_fdt f;
	int dev, ret;

	memset(out, 0, sizeof(*out));
	ret = ds_fdt_open(&f, blob, size);
	if (ret)
		return ret;
	for (dev = ds_fdt_first_child(&f, 0); dev >= 0;
	     dev = ds_fdt_next_sibling(&f, dev)) {
		add(out->items, &out->nr, "node tokens and name",
		    node_overhead(&f, dev));
		out->total += node_bytes(&f, dev, out->items, &out->nr);
		out->records++;
	}
	return 0;
}

void bench_size_print(const struct bench_sizes *s)
{
	unsigned int i;

	if (!s->records)
		return;
	printf("\nSize: where a device record's bytes go (mean over %llu records)\n",
	       (unsigned long long)s->records);
	for (i = 0; i < s->nr; i++)
		printf("  %-44s%12.1f %5.1f%%\n", s->items[i].name,
		       (double)s->items[i].bytes / s->records,
		       100.0 * (double)s->items[i].bytes / (double)s->total);
	printf("  %-44s%12.1f\n", "total", (double)s->total / s->records);
}
