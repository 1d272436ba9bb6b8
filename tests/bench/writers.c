// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The two writers under test, building the same tree from the same input:
 * the shared code (ds_blob_begin / ds_record_write / ds_blob_end) and an
 * emitter of the identical record layout on libfdt's sequential-write API.
 * Every name comes from abi.h; the property order is the one abi.h draws
 * and the record writer follows.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bench.h"

/* ds_state_fn replaying a captured driver state. */
static int replay_state(struct ds_fdt_writer *w, void *ctx)
{
	const struct bench_state *s = ctx;
	uint32_t k;
	int ret;

	for (k = 0; k < s->count; k++) {
		const struct bench_prop *p = &s->props[k];

		ret = ds_fdt_prop(w, p->name, s->arena + p->off, p->len);
		if (ret)
			return ret;
	}
	return 0;
}

int bench_write_devstate(const struct bench_input *in, void *buf,
			 uint32_t size)
{
	struct ds_fdt_writer w;
	struct ds_record r;
	uint32_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = ds_blob_begin(&w, buf, size, &in->info);
	for (i = 0; !ret && i < in->n; i++) {
		bench_capture(in, i, &r);
		ret = ds_record_write(&w, &r, in->state_compat, replay_state,
				      (void *)&in->states[i]);
	}
	return ret ? ret : ds_blob_end(&w);
}

int bench_write_devstate_phases(const struct bench_input *in, void *buf,
				uint32_t size, double *ns)
{
	struct ds_fdt_writer w;
	struct ds_record r;
	uint64_t t0, t1, t2;
	uint32_t i;
	int ret;

	memset(&r, 0, sizeof(r));
	t0 = bench_now_ns();
	ret = ds_blob_begin(&w, buf, size, &in->info);
	for (i = 0; !ret && i < in->n; i++) {
		bench_capture(in, i, &r);
		ret = ds_record_write(&w, &r, in->state_compat, replay_state,
				      (void *)&in->states[i]);
	}
	t1 = bench_now_ns();
	if (!ret)
		ret = ds_blob_end(&w);
	t2 = bench_now_ns();
	ns[0] = (double)(t1 - t0);
	ns[1] = (double)(t2 - t1);
	return ret;
}

/*
 * Capture every record into the one a writer fills, and read its driver
 * state, and nothing else: the floor the input's own memory traffic puts
 * under both writers.
 */
uint64_t bench_touch_input(const struct bench_input *in)
{
	struct ds_record r;
	uint64_t acc = 0;
	uint32_t i, k;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < in->n; i++) {
		const struct bench_state *st = &in->states[i];

		bench_capture(in, i, &r);
		acc += r.domain + r.nr_bars + r.nr_vectors + r.nr_dma +
		       (uint8_t)r.driver[0];
		for (k = 0; k < st->count; k++) {
			const struct bench_prop *p = &st->props[k];
			uint32_t b;

			for (b = 0; b < p->len; b++)
				acc += st->arena[p->off + b];
		}
	}
	return acc;
}

int bench_record_sizes(const struct bench_input *in, void *buf,
		       uint32_t size, uint32_t *sizes)
{
	struct ds_fdt_writer w;
	uint32_t i;
	int ret;

	ret = ds_blob_begin(&w, buf, size, &in->info);
	for (i = 0; !ret && i < in->n; i++) {
		uint32_t before = w.struct_end + w.strings_size;

		ret = ds_record_write(&w, &in->recs[i], in->state_compat,
				      replay_state, (void *)&in->states[i]);
		sizes[i] = w.struct_end + w.strings_size - before;
	}
	return ret ? ret : ds_blob_end(&w);
}

/* ---------------------------------------------------------------------
 * libfdt emitter. fdt_property_placeholder() is libfdt's cheapest way to
 * write an encoded value in place, the same trick ds_fdt_prop_space() plays.
 */
#define TRY(x)	do { int e_ = (x); if (e_ < 0) return e_; } while (0)

static void put32(uint8_t *p, uint32_t v)
{
	fdt32_st(p, v);
}

static void put64(uint8_t *p, uint64_t v)
{
	fdt64_st(p, v);
}

static int lf_space(void *fdt, const char *name, uint32_t len, uint8_t **p)
{
	void *v;
	int ret = fdt_property_placeholder(fdt, name, (int)len, &v);

	*p = v;
	return ret;
}

static int lf_cells(void *fdt, const char *name, const uint32_t *v,
		    uint32_t n)
{
	uint8_t *p;
	uint32_t i;

	TRY(lf_space(fdt, name, 4 * n, &p));
	for (i = 0; i < n; i++)
		put32(p + 4 * i, v[i]);
	return 0;
}

static int lf_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	uint8_t *p;

	TRY(lf_space(fdt, name, 16, &p));
	put64(p, a);
	put64(p + 8, b);
	return 0;
}

static int lf_pci(void *fdt, const struct ds_record *r)
{
	uint32_t c[DS_PCI_CELLS], mask = 0, i;

	for (i = 0; i < r->nr_vectors; i++)
		mask |= (r->vectors[i].ctrl & 1u) << i;
	c[DS_PCI_VERSION] = DS_RECORD_VERSION;
	c[DS_PCI_DOMAIN] = r->domain;
	c[DS_PCI_BDF] = (uint32_t)r->bus << 8 | r->devfn;
	c[DS_PCI_ID] = r->ids[DS_IDS_DEVICE] << 16 | r->ids[DS_IDS_VENDOR];
	c[DS_PCI_SUBSYS] = r->ids[DS_IDS_SUBDEVICE] << 16 |
			   r->ids[DS_IDS_SUBVENDOR];
	c[DS_PCI_CLASS_REV] = r->ids[DS_IDS_CLASS] << 8 | r->ids[DS_IDS_REVISION];
	c[DS_PCI_COMMAND] = r->command;
	c[DS_PCI_IRQ_MODE] = r->irq[DS_IRQ_CELL_MODE];
	c[DS_PCI_IRQ_COUNT] = r->irq[DS_IRQ_CELL_COUNT];
	c[DS_PCI_IRQ_PIN_LINE] = r->irq[DS_IRQ_CELL_PIN] << 8 |
				 r->irq[DS_IRQ_CELL_LINE];
	c[DS_PCI_VECTOR_MASK] = mask;
	c[DS_PCI_DMA_MASK_HI] = (uint32_t)(r->dma_mask >> 32);
	c[DS_PCI_DMA_MASK_LO] = (uint32_t)r->dma_mask;
	c[DS_PCI_COHERENT_MASK_HI] = (uint32_t)(r->coherent_dma_mask >> 32);
	c[DS_PCI_COHERENT_MASK_LO] = (uint32_t)r->coherent_dma_mask;
	return lf_cells(fdt, DS_PROP_PCI, c, DS_PCI_CELLS);
}

static int lf_bars(void *fdt, const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;

	if (!r->nr_bars)
		return 0;
	TRY(lf_space(fdt, DS_PROP_BARS, r->nr_bars * 20, &p));
	for (i = 0; i < r->nr_bars; i++, p += 20) {
		put32(p, r->bars[i].index << DS_BAR_INFO_INDEX_SHIFT |
			 r->bars[i].flags);
		put64(p + 4, r->bars[i].start);
		put64(p + 12, r->bars[i].size);
	}
	return 0;
}

/* MSI's one pair when the vectors are exactly what it sends (abi.h). */
static bool lf_is_msi(const struct ds_record *r)
{
	uint32_t n = r->irq[DS_IRQ_CELL_COUNT], i;

	if (n > DS_RECORD_VECTORS)
		n = DS_RECORD_VECTORS;
	if (r->irq[DS_IRQ_CELL_MODE] != DS_IRQ_MSI || !r->nr_vectors ||
	    r->nr_vectors != n)
		return false;
	for (i = 1; i < n; i++)
		if (r->vectors[i].address != r->vectors[0].address ||
		    r->vectors[i].data != (r->vectors[0].data | i))
			return false;
	return true;
}

static int lf_vectors(void *fdt, const struct ds_record *r)
{
	uint32_t i, hi = 0;
	uint8_t *p;

	if (!r->nr_vectors)
		return 0;
	if (lf_is_msi(r)) {
		TRY(lf_space(fdt, DS_PROP_MSI, 12, &p));
		put64(p, r->vectors[0].address);
		put32(p + 8, r->vectors[0].data);
		return 0;
	}
	TRY(lf_space(fdt, DS_PROP_IRQ_VECTORS, r->nr_vectors * 8, &p));
	for (i = 0; i < r->nr_vectors; i++, p += 8) {
		put32(p, (uint32_t)r->vectors[i].address);
		put32(p + 4, r->vectors[i].data);
		hi |= (uint32_t)(r->vectors[i].address >> 32);
	}
	if (!hi)
		return 0;
	TRY(lf_space(fdt, DS_PROP_IRQ_VECTORS_HI, r->nr_vectors * 4, &p));
	for (i = 0; i < r->nr_vectors; i++)
		put32(p + 4 * i, (uint32_t)(r->vectors[i].address >> 32));
	return 0;
}

static int lf_dma(void *fdt, const struct ds_record *r)
{
	uint32_t i, names = 0;
	uint8_t *p;

	if (!r->nr_dma)
		return 0;
	TRY(lf_space(fdt, DS_PROP_DMA_REGIONS, r->nr_dma * 24, &p));
	for (i = 0; i < r->nr_dma; i++, p += 24) {
		put64(p, r->dma[i].phys);
		put64(p + 8, r->dma[i].bus);
		put64(p + 16, r->dma[i].size);
		names += (uint32_t)strlen(r->dma[i].name) + 1;
	}
	TRY(lf_space(fdt, DS_PROP_DMA_NAMES, names, &p));
	for (i = 0; i < r->nr_dma; i++) {
		size_t n = strlen(r->dma[i].name) + 1;

		memcpy(p, r->dma[i].name, n);
		p += n;
	}
	return 0;
}

static int lf_state(void *fdt, const char *compat, const struct bench_state *s)
{
	uint32_t k;

	TRY(fdt_begin_node(fdt, DS_DRIVER_STATE_NODE));
	TRY(fdt_property_string(fdt, DS_PROP_COMPATIBLE, compat));
	for (k = 0; k < s->count; k++)
		TRY(fdt_property(fdt, s->props[k].name,
				 s->arena + s->props[k].off, (int)s->props[k].len));
	return fdt_end_node(fdt);
}

static int lf_record(void *fdt, const struct ds_record *r, const char *compat,
		     const struct bench_state *s)
{
	char name[DS_DEVICE_NODE_NAME_MAX];

	snprintf(name, sizeof(name), DS_DEVICE_NODE_FMT, r->domain, r->bus,
		 r->devfn >> 3, r->devfn & 7);
	TRY(fdt_begin_node(fdt, name));
	TRY(lf_pci(fdt, r));
	if (r->nr_bridges)
		TRY(lf_cells(fdt, DS_PROP_BRIDGE_PATH, r->bridges, r->nr_bridges));
	TRY(lf_bars(fdt, r));
	TRY(lf_vectors(fdt, r));
	TRY(lf_dma(fdt, r));
	TRY(fdt_property_string(fdt, DS_PROP_DRIVER_NAME, r->driver));
	if (compat)
		TRY(lf_state(fdt, compat, s));
	return fdt_end_node(fdt);
}

int bench_write_libfdt(const struct bench_input *in, void *buf, uint32_t size)
{
	const struct ds_blob_info *info = &in->info;
	struct ds_record r;
	uint32_t i;

	memset(&r, 0, sizeof(r));
	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, DS_PROP_COMPATIBLE, DS_ROOT_COMPATIBLE));
	TRY(fdt_property_string(buf, DS_PROP_KERNEL_RELEASE,
				info->kernel_release));
	TRY(fdt_property_u64(buf, DS_PROP_GENERATION, info->generation));
	TRY(fdt_property_u64(buf, DS_PROP_TIMESTAMP, info->timestamp_ns));
	TRY(lf_u64_pair(buf, DS_PROP_POOL, info->pool_base, info->pool_size));
	for (i = 0; i < in->n; i++) {
		bench_capture(in, i, &r);
		TRY(lf_record(buf, &r, in->state_compat, &in->states[i]));
	}
	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return (int)fdt_totalsize(buf);
}
