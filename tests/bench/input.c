// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Benchmark input: records from the synthetic generator (tests/synth), and
 * their driver state captured once into plain (name, bytes) properties so
 * that our writer and the libfdt emitter replay exactly the same values.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "synth.h"

#define SCRATCH_SIZE	(64u * 1024u)
#define MAX_NAMES	256u

/* Property names, interned so a capture holds pointers, not copies. */
static char *bench_names[MAX_NAMES];
static unsigned int bench_nr_names;

static const char *intern_name(const char *s)
{
	unsigned int i;

	for (i = 0; i < bench_nr_names; i++)
		if (!strcmp(bench_names[i], s))
			return bench_names[i];
	if (bench_nr_names == MAX_NAMES)
		return NULL;
	bench_names[bench_nr_names] = strdup(s);
	return bench_names[bench_nr_names++];
}

static int push_prop(struct bench_input *in, const char *name,
		     const void *val, uint32_t len)
{
	struct bench_prop *p;

	if (in->nr_props == in->cap_props) {
		uint32_t cap = in->cap_props ? 2 * in->cap_props : 1024;
		void *np = realloc(in->props, cap * sizeof(*in->props));

		if (!np)
			return -DS_ERR_NOMEM;
		in->props = np;
		in->cap_props = cap;
	}
	while (in->arena_len + len > in->arena_cap) {
		size_t cap = in->arena_cap ? 2 * in->arena_cap : 65536;
		void *na = realloc(in->arena, cap);

		if (!na)
			return -DS_ERR_NOMEM;
		in->arena = na;
		in->arena_cap = cap;
	}
	p = &in->props[in->nr_props++];
	p->name = intern_name(name);
	if (!p->name)
		return -DS_ERR_NOMEM;
	p->off = (uint32_t)in->arena_len;
	p->len = len;
	memcpy(in->arena + in->arena_len, val, len);
	in->arena_len += len;
	return 0;
}

/*
 * A record packed to what it holds: the scalar fields, then each list at
 * its own length. Host byte order; only bench_capture() reads it.
 */
struct cap_head {
	uint32_t version, domain;
	uint8_t bus, devfn, nr_bridges, nr_bars, nr_vectors, nr_dma, driver_len;
	uint32_t ids[DS_IDS_CELLS], command, irq[DS_IRQ_CELLS];
	uint64_t dma_mask, coherent_dma_mask;
};

static int caps_reserve(struct bench_input *in, size_t len)
{
	while (in->caps_len + len > in->caps_cap) {
		size_t cap = in->caps_cap ? 2 * in->caps_cap : 65536;
		void *nc = realloc(in->caps, cap);

		if (!nc)
			return -DS_ERR_NOMEM;
		in->caps = nc;
		in->caps_cap = cap;
	}
	return 0;
}

static void caps_put(struct bench_input *in, const void *p, size_t len)
{
	memcpy(in->caps + in->caps_len, p, len);
	in->caps_len += len;
}

static int pack_record(struct bench_input *in, uint32_t i)
{
	const struct ds_record *r = &in->recs[i];
	struct cap_head h = {
		.version = r->version, .domain = r->domain, .bus = r->bus,
		.devfn = r->devfn, .nr_bridges = (uint8_t)r->nr_bridges,
		.nr_bars = (uint8_t)r->nr_bars,
		.nr_vectors = (uint8_t)r->nr_vectors,
		.nr_dma = (uint8_t)r->nr_dma,
		.driver_len = (uint8_t)strlen(r->driver),
		.command = r->command, .dma_mask = r->dma_mask,
		.coherent_dma_mask = r->coherent_dma_mask,
	};
	size_t len;

	memcpy(h.ids, r->ids, sizeof(h.ids));
	memcpy(h.irq, r->irq, sizeof(h.irq));
	len = sizeof(h) + r->nr_bridges * sizeof(r->bridges[0]) +
	      r->nr_bars * sizeof(r->bars[0]) +
	      r->nr_vectors * sizeof(r->vectors[0]) +
	      r->nr_dma * sizeof(r->dma[0]) + h.driver_len + 1 + 7;
	if (caps_reserve(in, len))
		return -DS_ERR_NOMEM;
	in->caps_len = (in->caps_len + 7) & ~(size_t)7;
	in->cap_off[i] = in->caps_len;
	caps_put(in, &h, sizeof(h));
	caps_put(in, r->bridges, r->nr_bridges * sizeof(r->bridges[0]));
	caps_put(in, r->bars, r->nr_bars * sizeof(r->bars[0]));
	caps_put(in, r->vectors, r->nr_vectors * sizeof(r->vectors[0]));
	caps_put(in, r->dma, r->nr_dma * sizeof(r->dma[0]));
	caps_put(in, r->driver, h.driver_len + 1u);
	return 0;
}

/*
 * Only the fields the record holds are written: the lists past their
 * counts keep whatever an earlier capture left, which no writer reads.
 */
void bench_capture(const struct bench_input *in, uint32_t i,
		   struct ds_record *r)
{
	const uint8_t *p = in->caps + in->cap_off[i];
	struct cap_head h;
	size_t n;

	memcpy(&h, p, sizeof(h));
	p += sizeof(h);
	r->version = h.version;
	r->domain = h.domain;
	r->bus = h.bus;
	r->devfn = h.devfn;
	memcpy(r->ids, h.ids, sizeof(h.ids));
	r->command = h.command;
	memcpy(r->irq, h.irq, sizeof(h.irq));
	r->dma_mask = h.dma_mask;
	r->coherent_dma_mask = h.coherent_dma_mask;
	r->nr_bridges = h.nr_bridges;
	r->nr_bars = h.nr_bars;
	r->nr_vectors = h.nr_vectors;
	r->nr_dma = h.nr_dma;
	r->state_node = -1;
	n = h.nr_bridges * sizeof(r->bridges[0]);
	memcpy(r->bridges, p, n);
	p += n;
	n = h.nr_bars * sizeof(r->bars[0]);
	memcpy(r->bars, p, n);
	p += n;
	n = h.nr_vectors * sizeof(r->vectors[0]);
	memcpy(r->vectors, p, n);
	p += n;
	n = h.nr_dma * sizeof(r->dma[0]);
	memcpy(r->dma, p, n);
	p += n;
	memcpy(r->driver, p, h.driver_len + 1u);
}

static int pack_all(struct bench_input *in)
{
	uint32_t i;

	in->cap_off = calloc(in->n ? in->n : 1, sizeof(*in->cap_off));
	in->pos = calloc(in->n ? in->n : 1, sizeof(*in->pos));
	if (!in->cap_off || !in->pos)
		return -DS_ERR_NOMEM;
	for (i = 0; i < in->n; i++) {
		in->pos[i].domain = in->recs[i].domain;
		in->pos[i].bus = in->recs[i].bus;
		in->pos[i].devfn = in->recs[i].devfn;
		if (pack_record(in, i))
			return -DS_ERR_NOMEM;
	}
	return 0;
}

/* Run @fn alone in a scratch tree and keep the properties it wrote. */
static int capture_state(struct bench_input *in, uint32_t i, ds_state_fn fn,
			 void *ctx)
{
	static uint8_t scratch[SCRATCH_SIZE];
	struct ds_fdt_writer w;
	struct ds_fdt f;
	int prop, ret;

	ret = ds_fdt_create(&w, scratch, sizeof(scratch));
	if (!ret)
		ret = ds_fdt_begin_node(&w, "");
	if (!ret)
		ret = fn(&w, ctx);
	if (!ret)
		ret = ds_fdt_end_node(&w);
	if (!ret)
		ret = ds_fdt_finish(&w);
	if (ret < 0)
		return ret;
	ret = ds_fdt_open(&f, scratch, (size_t)ret);
	if (ret)
		return ret;
	in->states[i].first = in->nr_props;
	in->states[i].count = 0;
	for (prop = ds_fdt_first_prop(&f, 0); prop >= 0;
	     prop = ds_fdt_next_prop(&f, prop)) {
		const char *name;
		int len;
		const void *val = ds_fdt_prop_at(&f, prop, &name, &len);

		ret = push_prop(in, name, val, (uint32_t)len);
		if (ret)
			return ret;
		in->states[i].count++;
	}
	return 0;
}

/* props[] and arena are final: turn the stashed indexes into pointers. */
static void fix_pointers(struct bench_input *in)
{
	uint32_t i;

	for (i = 0; i < in->n; i++) {
		in->states[i].props = in->props + in->states[i].first;
		in->states[i].arena = in->arena;
	}
}

static int input_alloc(struct bench_input *in, uint32_t n)
{
	memset(in, 0, sizeof(*in));
	in->n = n;
	in->recs = calloc(n ? n : 1, sizeof(*in->recs));
	in->states = calloc(n ? n : 1, sizeof(*in->states));
	return in->recs && in->states ? 0 : -DS_ERR_NOMEM;
}

int bench_input_synth(struct bench_input *in, uint64_t seed, uint32_t n)
{
	uint32_t i;
	int ret = input_alloc(in, n);

	if (ret)
		return ret;
	ds_synth_blob_info(seed, &in->info);
	in->state_compat = DS_SYNTH_STATE_COMPAT;
	for (i = 0; i < n; i++) {
		struct ds_synth_state s = { .seed = seed, .index = i };

		ds_synth_record(seed, i, &in->recs[i]);
		ret = capture_state(in, i, ds_synth_state_fn, &s);
		if (ret)
			return ret;
	}
	fix_pointers(in);
	return pack_all(in);
}

/*
 * The edu example's record: QEMU's edu (1234:11e8) behind one bridge at
 * 0000:01:05.0, one 1 MiB MMIO BAR, one MSI vector, a 28-bit DMA engine with
 * one preserved 4 KiB buffer ("edu-dma"), and the driver state its save hook
 * writes: eight u32 and three u64 words (drivers/examples/edu). The values
 * are made up; the sizes are the driver's.
 */
#define EDU_STATE_COMPAT	"devstate-edu,state-v1"

static int edu_state_fn(struct ds_fdt_writer *w, void *ctx)
{
	static const char *const u32s[] = {
		"live-written", "fact-in", "fact-result", "fact-pending",
		"staged-seed", "dma-seed", "dma-pending", "dma-ok",
	};
	static const char *const u64s[] = {
		"fact-done", "dma-done", "last-done-cycles",
	};
	unsigned int i;
	int ret = 0;

	(void)ctx;
	for (i = 0; !ret && i < sizeof(u32s) / sizeof(u32s[0]); i++)
		ret = ds_fdt_prop_u32(w, u32s[i], 0x1000 + i);
	for (i = 0; !ret && i < sizeof(u64s) / sizeof(u64s[0]); i++)
		ret = ds_fdt_prop_u64(w, u64s[i], 0x100000000ull + i);
	return ret;
}

static void edu_record(struct ds_record *r)
{
	memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	r->domain = 0;
	r->bus = 1;
	r->devfn = 5 << 3;
	r->nr_bridges = 1;
	r->bridges[0] = 0 << 8 | 3 << 3;	/* the pci-bridge at 00:03.0 */
	r->ids[DS_IDS_VENDOR] = 0x1234;
	r->ids[DS_IDS_DEVICE] = 0x11e8;
	r->ids[DS_IDS_SUBVENDOR] = 0x1af4;
	r->ids[DS_IDS_SUBDEVICE] = 0x1100;
	r->ids[DS_IDS_CLASS] = 0x00ff00;
	r->ids[DS_IDS_REVISION] = 0x10;
	r->command = 0x0406;	/* memory, bus master, INTx disabled */
	r->nr_bars = 1;
	r->bars[0].index = 0;
	r->bars[0].flags = DS_BAR_MEM;
	r->bars[0].start = 0xfe800000ull;
	r->bars[0].size = 1ull << 20;
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSI;
	r->irq[DS_IRQ_CELL_PIN] = 1;
	r->irq[DS_IRQ_CELL_LINE] = 11;
	r->irq[DS_IRQ_CELL_COUNT] = 1;
	r->nr_vectors = 1;
	r->vectors[0].address = 0xfee00000ull;
	r->vectors[0].data = 0x4021;
	r->dma_mask = (1ull << 28) - 1;
	r->coherent_dma_mask = (1ull << 28) - 1;
	r->nr_dma = 1;
	strcpy(r->dma[0].name, "edu-dma");
	r->dma[0].phys = 0x30001000ull;
	r->dma[0].bus = 0x30001000ull;
	r->dma[0].size = 4096;
	strcpy(r->driver, "devstate_edu");
	r->state_node = -1;
}

int bench_input_edu(struct bench_input *in)
{
	int ret = input_alloc(in, 1);

	if (ret)
		return ret;
	in->info.kernel_release = "6.1.0-edu";
	in->info.generation = 1;
	in->state_compat = EDU_STATE_COMPAT;
	edu_record(&in->recs[0]);
	ret = capture_state(in, 0, edu_state_fn, NULL);
	if (ret)
		return ret;
	fix_pointers(in);
	return pack_all(in);
}

void bench_input_free(struct bench_input *in)
{
	free(in->recs);
	free(in->caps);
	free(in->cap_off);
	free(in->pos);
	free(in->states);
	free(in->props);
	free(in->arena);
	memset(in, 0, sizeof(*in));
}
