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
	return 0;
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
	return 0;
}

void bench_input_free(struct bench_input *in)
{
	free(in->recs);
	free(in->states);
	free(in->props);
	free(in->arena);
	memset(in, 0, sizeof(*in));
}
