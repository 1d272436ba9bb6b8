// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The read paths under test, over one sealed region built from the blob.
 *
 * Ours is what the incoming kernel does: open the region (header checks,
 * blob CRC), open the blob (full structural validation, root, index), then
 * for every device its lookup by PCI position and the decode of its record.
 *
 * libfdt has no index, so it gets two shapes of its natural best, both with
 * the same CRC-32C over the blob (our ds_crc32c(): libfdt brings no CRC,
 * and the region's CRC is ours to define), and fdt_check_full() for
 * validation:
 *   walk:    fdt_for_each_subnode() over the root once, decoding each node;
 *   by name: fdt_subnode_offset() per device (O(N) each), then decoding.
 * Decoding reads each property with fdt_getprop(), with the length and
 * limit checks a careful reader needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bench.h"
#include "ds_env.h"

int bench_region_make(struct bench_region *rg, const void *blob,
		      uint32_t blob_size)
{
	uint64_t blob_max = ((uint64_t)blob_size + 4095) & ~4095ull, max;
	struct ds_region_view v;
	uint8_t *area;
	int ret;

	if (!blob_max)
		blob_max = 4096;
	memset(rg, 0, sizeof(*rg));
	/* header page, the blob, one pool page */
	rg->size = blob_max + 2 * 4096;
	rg->mem = calloc(1, rg->size);
	if (!rg->mem)
		return -DS_ERR_NOMEM;
	ret = ds_region_format(rg->mem, rg->size, blob_max, 0);
	if (!ret)
		ret = ds_region_begin_write(rg->mem, rg->size, &area, &max);
	if (ret)
		return ret;
	memcpy(area, blob, blob_size);
	ret = ds_region_seal(rg->mem, rg->size, blob_size, 1);
	if (!ret)
		ret = ds_region_open(rg->mem, rg->size, &v);
	if (ret)
		return ret;
	rg->blob = v.blob;
	rg->blob_size = v.blob_size;
	rg->blob_crc = v.blob_crc;
	return 0;
}

void bench_region_free(struct bench_region *rg)
{
	free(rg->mem);
	memset(rg, 0, sizeof(*rg));
}

int bench_record_equal(const struct ds_record *a, const struct ds_record *b)
{
	struct ds_record x = *a, y = *b;

	x.state_node = y.state_node = 0;
	return !memcmp(&x, &y, sizeof(x));
}

/* ------------------------------------------------------------------ */

static int open_region(struct bench_read_ctx *c, struct ds_region_view *v)
{
	int ret;

	if (c->crc)
		return ds_region_open(c->rg->mem, c->rg->size, v);
	ret = ds_region_inspect(c->rg->mem, c->rg->size, v);
	if (!ret && v->state != DS_REGION_SEALED)
		ret = -DS_ERR_UNSEALED;
	return ret;
}

static void find_and_read(struct bench_read_ctx *c, const struct ds_blob *b)
{
	uint32_t i;

	for (i = 0; i < c->in->n; i++) {
		const struct bench_pos *want = &c->in->pos[i];
		int node = ds_blob_find(b, want->domain, want->bus, want->devfn);
		struct ds_record *r = &c->out[c->keep ? i : 0];
		int ret = node < 0 ? node : ds_blob_read(b, node, r);

		if (ret && !c->err)
			c->err = ret;
	}
}

void bench_read_devstate(struct bench_read_ctx *c)
{
	struct ds_region_view v;
	struct ds_blob b;
	int ret;

	ret = open_region(c, &v);
	if (!ret)
		ret = ds_blob_open(&b, v.blob, v.blob_size);
	if (ret) {
		c->err = ret;
		return;
	}
	find_and_read(c, &b);
	ds_blob_close(&b);
}

void bench_read_devstate_phases(struct bench_read_ctx *c, double ns[3])
{
	struct ds_region_view v;
	struct ds_blob b;
	uint64_t t0, t1, t2, t3;
	int ret;

	t0 = bench_now_ns();
	ret = open_region(c, &v);
	t1 = bench_now_ns();
	if (!ret)
		ret = ds_blob_open(&b, v.blob, v.blob_size);
	t2 = bench_now_ns();
	if (ret) {
		c->err = ret;
		return;
	}
	find_and_read(c, &b);
	t3 = bench_now_ns();
	ds_blob_close(&b);
	ns[0] = (double)(t1 - t0);
	ns[1] = (double)(t2 - t1);
	ns[2] = (double)(t3 - t2);
}

double bench_find_ns(const struct bench_region *rg,
		     const struct bench_input *in, unsigned int reps)
{
	/* Enough lookups per sample for the clock to resolve them. */
	uint32_t rounds = in->n >= 4096 ? 1 : 4096 / (in->n ? in->n : 1);
	double *v = calloc(reps, sizeof(*v)), med;
	struct ds_blob b;
	unsigned int k;
	uint32_t i, j;

	if (!v || !in->n || ds_blob_open(&b, rg->blob, rg->blob_size)) {
		free(v);
		return -1;
	}
	for (k = 0; k < reps; k++) {
		uint64_t t0 = bench_now_ns(), acc = 0;

		for (j = 0; j < rounds; j++)
			for (i = 0; i < in->n; i++)
				acc += (uint64_t)ds_blob_find(&b, in->pos[i].domain,
							      in->pos[i].bus,
							      in->pos[i].devfn);
		v[k] = (double)(bench_now_ns() - t0) / ((double)in->n * rounds);
		bench_sink += acc;
	}
	ds_blob_close(&b);
	med = bench_median_of(v, reps);
	free(v);
	return med;
}

/* ------------------------------------------------------------------
 * libfdt decoding of one device node into a struct ds_record.
 */
static const uint8_t *lf_prop(const void *fdt, int node, const char *name,
			      uint32_t *len)
{
	int l;
	const uint8_t *p = fdt_getprop(fdt, node, name, &l);

	*len = p ? (uint32_t)l : 0;
	return p;
}

static void lf_cells(const uint8_t *p, uint32_t *out, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		out[i] = fdt32_ld((const fdt32_t *)(p + 4 * i));
}

static int lf_decode_pci(const void *fdt, int node, struct ds_record *r)
{
	const uint8_t *p;
	uint32_t c[DS_PCI_CELLS], len, i;

	p = lf_prop(fdt, node, DS_PROP_PCI, &len);
	if (!p || len != 4 * DS_PCI_CELLS)
		return -1;
	lf_cells(p, c, DS_PCI_CELLS);
	if (c[DS_PCI_VERSION] != DS_RECORD_VERSION)
		return -1;
	if (c[DS_PCI_BDF] > 0xffff || c[DS_PCI_COMMAND] > 0xffff ||
	    c[DS_PCI_IRQ_PIN_LINE] > 0xffff)
		return -1;
	r->domain = c[DS_PCI_DOMAIN];
	r->bus = (uint8_t)(c[DS_PCI_BDF] >> 8);
	r->devfn = (uint8_t)c[DS_PCI_BDF];
	r->ids[DS_IDS_VENDOR] = c[DS_PCI_ID] & 0xffff;
	r->ids[DS_IDS_DEVICE] = c[DS_PCI_ID] >> 16;
	r->ids[DS_IDS_SUBVENDOR] = c[DS_PCI_SUBSYS] & 0xffff;
	r->ids[DS_IDS_SUBDEVICE] = c[DS_PCI_SUBSYS] >> 16;
	r->ids[DS_IDS_CLASS] = c[DS_PCI_CLASS_REV] >> 8;
	r->ids[DS_IDS_REVISION] = c[DS_PCI_CLASS_REV] & 0xff;
	r->command = c[DS_PCI_COMMAND];
	r->irq[DS_IRQ_CELL_MODE] = c[DS_PCI_IRQ_MODE];
	r->irq[DS_IRQ_CELL_COUNT] = c[DS_PCI_IRQ_COUNT];
	r->irq[DS_IRQ_CELL_PIN] = c[DS_PCI_IRQ_PIN_LINE] >> 8;
	r->irq[DS_IRQ_CELL_LINE] = c[DS_PCI_IRQ_PIN_LINE] & 0xff;
	for (i = 0; i < DS_RECORD_VECTORS; i++)
		r->vectors[i].ctrl = (c[DS_PCI_VECTOR_MASK] >> i) & 1;
	r->dma_mask = (uint64_t)c[DS_PCI_DMA_MASK_HI] << 32 | c[DS_PCI_DMA_MASK_LO];
	r->coherent_dma_mask = (uint64_t)c[DS_PCI_COHERENT_MASK_HI] << 32 |
			       c[DS_PCI_COHERENT_MASK_LO];
	return 0;
}

static int lf_decode_msi(const uint8_t *p, uint32_t len, struct ds_record *r)
{
	uint32_t n = r->irq[DS_IRQ_CELL_COUNT], i;

	if (len != 12 || r->irq[DS_IRQ_CELL_MODE] != DS_IRQ_MSI || !n)
		return -1;
	if (n > DS_RECORD_VECTORS)
		n = DS_RECORD_VECTORS;
	for (i = 0; i < n; i++) {
		r->vectors[i].address = fdt64_ld((const fdt64_t *)p);
		r->vectors[i].data = fdt32_ld((const fdt32_t *)(p + 8)) | i;
	}
	r->nr_vectors = n;
	return 0;
}

static int lf_decode_arrays(const void *fdt, int node, struct ds_record *r)
{
	const uint8_t *p, *hi;
	uint32_t len, hlen, i;

	p = lf_prop(fdt, node, DS_PROP_BARS, &len);
	if (len % 20 || len / 20 > DS_MAX_BARS)
		return -1;
	r->nr_bars = len / 20;
	for (i = 0; i < r->nr_bars; i++, p += 20) {
		uint32_t info = fdt32_ld((const fdt32_t *)p);

		r->bars[i].index = info >> DS_BAR_INFO_INDEX_SHIFT;
		r->bars[i].flags = info & 0xff;
		r->bars[i].start = fdt64_ld((const fdt64_t *)(p + 4));
		r->bars[i].size = fdt64_ld((const fdt64_t *)(p + 12));
	}
	p = lf_prop(fdt, node, DS_PROP_MSI, &len);
	if (p)
		return lf_decode_msi(p, len, r);
	p = lf_prop(fdt, node, DS_PROP_IRQ_VECTORS, &len);
	hi = lf_prop(fdt, node, DS_PROP_IRQ_VECTORS_HI, &hlen);
	if (len % 8 || len / 8 > DS_RECORD_VECTORS || (hi && hlen != len / 2))
		return -1;
	r->nr_vectors = len / 8;
	for (i = 0; i < r->nr_vectors; i++, p += 8) {
		r->vectors[i].address = fdt32_ld((const fdt32_t *)p);
		if (hi)
			r->vectors[i].address |=
				(uint64_t)fdt32_ld((const fdt32_t *)(hi + 4 * i)) << 32;
		r->vectors[i].data = fdt32_ld((const fdt32_t *)(p + 4));
	}
	for (; i < DS_RECORD_VECTORS; i++)
		if (r->vectors[i].ctrl)
			return -1;
	return 0;
}

static int lf_decode_dma(const void *fdt, int node, struct ds_record *r)
{
	const uint8_t *p;
	const char *names;
	uint32_t len, left, i;

	p = lf_prop(fdt, node, DS_PROP_DMA_REGIONS, &len);
	names = (const char *)lf_prop(fdt, node, DS_PROP_DMA_NAMES, &left);
	if (len % 24 || len / 24 > DS_MAX_DMA_REGIONS)
		return -1;
	r->nr_dma = len / 24;
	for (i = 0; i < r->nr_dma; i++, p += 24) {
		const char *end = memchr(names, 0, left);
		uint32_t n = end ? (uint32_t)(end - names) : 0;

		if (!n || n >= DS_DMA_NAME_MAX)
			return -1;
		memcpy(r->dma[i].name, names, n + 1);
		names += n + 1;
		left -= n + 1;
		r->dma[i].phys = fdt64_ld((const fdt64_t *)p);
		r->dma[i].bus = fdt64_ld((const fdt64_t *)(p + 8));
		r->dma[i].size = fdt64_ld((const fdt64_t *)(p + 16));
	}
	return left ? -1 : 0;
}

static int lf_decode(const void *fdt, int node, struct ds_record *r)
{
	const uint8_t *p;
	uint32_t len;

	memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	if (lf_decode_pci(fdt, node, r))
		return -1;
	p = lf_prop(fdt, node, DS_PROP_BRIDGE_PATH, &len);
	if (len % 4 || len / 4 > DS_MAX_BRIDGES)
		return -1;
	r->nr_bridges = len / 4;
	lf_cells(p, r->bridges, r->nr_bridges);
	if (lf_decode_arrays(fdt, node, r) || lf_decode_dma(fdt, node, r))
		return -1;
	p = lf_prop(fdt, node, DS_PROP_DRIVER_NAME, &len);
	if (!p || !len || len > DS_DRIVER_NAME_MAX || p[len - 1])
		return -1;
	memcpy(r->driver, p, len);
	r->state_node = fdt_subnode_offset(fdt, node, DS_DRIVER_STATE_NODE);
	return 0;
}

/* CRC (when asked) and fdt_check_full(): what libfdt needs before reading. */
int bench_read_libfdt_prologue(struct bench_read_ctx *c)
{
	const struct bench_region *rg = c->rg;

	if (c->crc && ds_crc32c(0, rg->blob, rg->blob_size) != rg->blob_crc)
		return c->err = -1;
	if (fdt_check_full(rg->blob, rg->blob_size))
		return c->err = -1;
	return 0;
}

void bench_read_libfdt_walk(struct bench_read_ctx *c)
{
	const void *fdt = c->rg->blob;
	uint32_t i = 0;
	int node;

	if (bench_read_libfdt_prologue(c))
		return;
	fdt_for_each_subnode(node, fdt, 0) {
		if (i == c->in->n ||
		    lf_decode(fdt, node, &c->out[c->keep ? i : 0])) {
			c->err = -1;
			return;
		}
		i++;
	}
	if (i != c->in->n)
		c->err = -1;
}

/* The i-th of @sample lookups spread evenly over the devices. */
static uint32_t sample_index(uint32_t k, uint32_t sample, uint32_t n)
{
	return (uint32_t)(((2ull * k + 1) * n) / (2ull * sample));
}

void bench_read_libfdt_byname_lookups(struct bench_read_ctx *c)
{
	const void *fdt = c->rg->blob;
	uint32_t n = c->in->n, sample = c->sample && c->sample < n ? c->sample : n;
	uint32_t k;

	for (k = 0; k < sample; k++) {
		uint32_t i = sample == n ? k : sample_index(k, sample, n);
		const struct bench_pos *want = &c->in->pos[i];
		char name[DS_DEVICE_NODE_NAME_MAX];
		int node;

		snprintf(name, sizeof(name), DS_DEVICE_NODE_FMT, want->domain,
			 want->bus, want->devfn >> 3, want->devfn & 7);
		node = fdt_subnode_offset(fdt, 0, name);
		if (node < 0 ||
		    lf_decode(fdt, node, &c->out[c->keep ? i : 0])) {
			c->err = -1;
			return;
		}
	}
}

void bench_read_libfdt_byname(struct bench_read_ctx *c)
{
	if (!bench_read_libfdt_prologue(c))
		bench_read_libfdt_byname_lookups(c);
}
