// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Record codec round trip: write -> open -> read gives back every field,
 * for many synthetic records and for the edge cases (nothing at all, every
 * limit reached). Records over a limit are refused by the writer.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <devstate/blob.h>

#include "../synth/synth.h"
#include "fdt_fixture.h"
#include "tap.h"

/* Name of the first field where @a and @b differ, or NULL. */
static const char *record_diff(const struct ds_record *a, const struct ds_record *b)
{
	uint32_t k;

#define SAME(f) if (memcmp(&a->f, &b->f, sizeof(a->f))) return #f
	SAME(version); SAME(domain); SAME(bus); SAME(devfn);
	SAME(nr_bridges); SAME(ids); SAME(command); SAME(nr_bars); SAME(irq);
	SAME(nr_vectors); SAME(nr_vectors_more); SAME(dma_mask); SAME(coherent_dma_mask); SAME(nr_dma);
	for (k = 0; k < a->nr_bridges && k < DS_MAX_BRIDGES; k++)
		SAME(bridges[k]);
	for (k = 0; k < a->nr_bars && k < DS_MAX_BARS; k++) {
		SAME(bars[k].index); SAME(bars[k].flags);
		SAME(bars[k].start); SAME(bars[k].size);
	}
	for (k = 0; k < a->nr_vectors && k < DS_RECORD_VECTORS; k++) {
		SAME(vectors[k].address); SAME(vectors[k].data);
		SAME(vectors[k].ctrl);
	}
	for (k = 0; k < a->nr_dma && k < DS_MAX_DMA_REGIONS; k++) {
		if (strcmp(a->dma[k].name, b->dma[k].name))
			return "dma[].name";
		SAME(dma[k].phys); SAME(dma[k].bus); SAME(dma[k].size);
	}
	if (strcmp(a->driver, b->driver))
		return "driver";
#undef SAME
	return NULL;
}

struct roundtrip {
	uint8_t *buf;
	uint32_t size;
	struct ds_blob blob;
	bool opened;
	int err;	/* first failure: write or open */
	const char *stage;
};

/* Write @n records (with driver state when @compat) into a blob and open it. */
static void write_and_open(struct roundtrip *rt, const struct ds_record *recs,
			   uint32_t n, const char *compat)
{
	struct ds_synth_state st = { .seed = 7, .index = 0 };
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	uint32_t i;
	int len;

	memset(&rt->blob, 0, sizeof(rt->blob));
	rt->opened = false;
	rt->size = 4096 + n * 4096;
	rt->buf = malloc(rt->size);
	ds_synth_blob_info(7, &info);
	rt->stage = "begin";
	rt->err = ds_blob_begin(&w, rt->buf, rt->size, &info);
	for (i = 0; i < n && !rt->err; i++) {
		rt->stage = "record_write";
		st.index = i;
		rt->err = ds_record_write(&w, &recs[i], compat,
					  compat ? ds_synth_state_fn : NULL, &st);
	}
	if (rt->err)
		return;
	rt->stage = "blob_end";
	len = ds_blob_end(&w);
	if (len < 0) {
		rt->err = len;
		return;
	}
	rt->stage = "blob_open";
	rt->err = ds_blob_open(&rt->blob, rt->buf, len);
	rt->opened = !rt->err;
}

static void roundtrip_free(struct roundtrip *rt)
{
	if (rt->opened)
		ds_blob_close(&rt->blob);
	free(rt->buf);
}

/* Read back record @r from the open blob and compare. */
static bool read_back(const struct roundtrip *rt, const struct ds_record *r,
		      bool want_state, const char **why)
{
	struct ds_record got;
	int node = ds_blob_find(&rt->blob, r->domain, r->bus, r->devfn);
	int err;

	if (node < 0) {
		*why = "ds_blob_find";
		return false;
	}
	memset(&got, 0xa5, sizeof(got));
	err = ds_record_read(&rt->blob.fdt, node, &got);
	if (err) {
		*why = ds_strerror(err);
		return false;
	}
	*why = record_diff(r, &got);
	if (*why)
		return false;
	if (want_state) {
		const char *c = got.state_node < 0 ? NULL :
			ds_fdt_get_string(&rt->blob.fdt, got.state_node,
					  DS_PROP_COMPATIBLE, &err);

		if (!c || strcmp(c, DS_SYNTH_STATE_COMPAT)) {
			*why = "driver-state compatible";
			return false;
		}
	} else if (got.state_node != -1) {
		*why = "state_node without driver state";
		return false;
	}
	return true;
}

static void test_synth_sets(void)
{
	static const uint32_t counts[] = { 1, 2, 17, 300 };
	static const uint64_t seeds[] = { 1, 2, 0xfeedfacecafebeefull };
	uint32_t c, s, i;

	for (s = 0; s < TAP_ARRAY_SIZE(seeds); s++) {
		for (c = 0; c < TAP_ARRAY_SIZE(counts); c++) {
			uint32_t n = counts[c], bad = 0;
			struct ds_record *recs = calloc(n, sizeof(*recs));
			const char *why = NULL, *first = NULL;
			struct roundtrip rt;

			for (i = 0; i < n; i++)
				ds_synth_record(seeds[s], i, &recs[i]);
			write_and_open(&rt, recs, n, DS_SYNTH_STATE_COMPAT);
			if (!tap_err(rt.err, 0, "seed %llu, %u records: %s",
				     (unsigned long long)seeds[s], n, rt.stage)) {
				roundtrip_free(&rt);
				free(recs);
				continue;
			}
			tap_eq(rt.blob.nr_devices, n, "seed %llu: index holds %u records",
			       (unsigned long long)seeds[s], n);
			for (i = 0; i < n; i++) {
				if (!read_back(&rt, &recs[i], true, &why)) {
					if (!bad++)
						first = why;
				}
			}
			if (!tap_eq(bad, 0, "seed %llu: %u records read back field by field",
				    (unsigned long long)seeds[s], n))
				tap_diag("first mismatch: %s", first);
			roundtrip_free(&rt);
			free(recs);
		}
	}
}

static void test_root(void)
{
	struct ds_blob_info info;
	struct ds_record r;
	struct roundtrip rt;

	ds_synth_record(7, 0, &r);
	ds_synth_blob_info(7, &info);
	write_and_open(&rt, &r, 1, NULL);
	if (tap_err(rt.err, 0, "blob with one record, no driver state")) {
		tap_ok(rt.blob.kernel_release &&
		       !strcmp(rt.blob.kernel_release, info.kernel_release),
		       "kernel-release read back");
		tap_eq(rt.blob.generation, info.generation, "generation read back");
		tap_eq(rt.blob.timestamp_ns, info.timestamp_ns, "timestamp read back");
		tap_eq(rt.blob.pool_base, info.pool_base, "pool base read back");
		tap_eq(rt.blob.pool_size, info.pool_size, "pool size read back");
	}
	roundtrip_free(&rt);
}

static void fill_max(struct ds_record *r)
{
	uint32_t k;

	ds_synth_record(3, 5, r);
	r->domain = 0x12345;	/* wider than four hex digits */
	r->nr_bridges = DS_MAX_BRIDGES;
	for (k = 0; k < DS_MAX_BRIDGES; k++)
		r->bridges[k] = k << 8 | 0x08;
	r->nr_bars = DS_MAX_BARS;
	for (k = 0; k < DS_MAX_BARS; k++) {
		r->bars[k].index = k;
		r->bars[k].flags = k == 6 ? DS_BAR_MEM | DS_BAR_ROM : DS_BAR_MEM;
		r->bars[k].start = 0xe0000000ull + k * 0x100000ull;
		r->bars[k].size = 0x100000;
	}
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX;
	r->irq[DS_IRQ_CELL_COUNT] = 2048;
	r->nr_vectors = DS_RECORD_VECTORS;
	for (k = 0; k < DS_RECORD_VECTORS; k++) {
		r->vectors[k].address = 0xfee00000ull + k * 0x1000;
		r->vectors[k].data = 0x40 + k;
		r->vectors[k].ctrl = k & 1;
	}
	r->nr_dma = DS_MAX_DMA_REGIONS;
	for (k = 0; k < DS_MAX_DMA_REGIONS; k++) {
		memset(r->dma[k].name, 'a' + k, DS_DMA_NAME_MAX - 1);
		r->dma[k].name[DS_DMA_NAME_MAX - 1] = 0;
		r->dma[k].phys = DS_SYNTH_POOL_BASE + k * 0x1000ull;
		r->dma[k].bus = r->dma[k].phys;
		r->dma[k].size = 0x1000;
	}
	memset(r->driver, 'd', DS_DRIVER_NAME_MAX - 1);
	r->driver[DS_DRIVER_NAME_MAX - 1] = 0;
}

/*
 * The shapes of interrupt vectors the encoding treats apart: MSI's one
 * message pair, MSI vectors that break its rule, 64-bit message addresses.
 * Each must come back exactly; the property used is checked on the blob.
 */
static void msi_record(struct ds_record *r, uint32_t count, uint32_t listed)
{
	uint32_t k;

	memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	r->bus = 2;
	r->devfn = (uint8_t)(listed & 0xff);
	strcpy(r->driver, "msi");
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSI;
	r->irq[DS_IRQ_CELL_COUNT] = count;
	r->nr_vectors = listed;
	for (k = 0; k < listed; k++) {
		r->vectors[k].address = 0xfee0f00cull;
		r->vectors[k].data = 0x40 | k;
		r->vectors[k].ctrl = k == 1;
	}
}

static void test_vector_shapes(void)
{
	static const char *const what[] = {
		"MSI, 8 messages: one msi pair",
		"MSI, 64 messages enabled, 32 listed: one msi pair",
		"MSI, data breaking the data | i rule: irq-vectors",
		"MSI, fewer listed than enabled: irq-vectors",
		"MSI-X with 64-bit message addresses: irq-vectors-hi",
	};
	static const char *const prop[] = {
		DS_PROP_MSI, DS_PROP_MSI, DS_PROP_IRQ_VECTORS, DS_PROP_IRQ_VECTORS,
		DS_PROP_IRQ_VECTORS_HI,
	};
	struct ds_record recs[5];
	struct roundtrip rt;
	const char *why;
	uint32_t c;

	msi_record(&recs[0], 8, 8);
	msi_record(&recs[1], 64, DS_RECORD_VECTORS);
	msi_record(&recs[2], 4, 4);
	recs[2].vectors[3].data = 0x99;
	msi_record(&recs[3], 4, 2);
	msi_record(&recs[4], 3, 3);
	recs[4].irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX;
	recs[4].vectors[2].address = 0x1234fee00000ull;
	for (c = 0; c < 5; c++)
		recs[c].devfn = (uint8_t)c;
	write_and_open(&rt, recs, 5, NULL);
	if (!tap_err(rt.err, 0, "vector shapes: %s", rt.stage)) {
		roundtrip_free(&rt);
		return;
	}
	for (c = 0; c < 5; c++) {
		int node = ds_blob_find(&rt.blob, 0, 2, (uint8_t)c), len = 0;

		why = NULL;
		tap_ok(node >= 0 && ds_fdt_getprop(&rt.blob.fdt, node, prop[c], &len) &&
		       read_back(&rt, &recs[c], false, &why), "%s%s%s", what[c],
		       why ? ": " : "", why ? why : "");
	}
	roundtrip_free(&rt);
}

/* Is the name offset of @node's first property one the memo holds? */
static bool remembered(const struct ds_blob *b, int node)
{
	const char *name;
	uint32_t off, k;
	int len;

	if (!ds_fdt_prop_at(&b->fdt, ds_fdt_first_prop(&b->fdt, node), &name, &len))
		return false;
	off = (uint32_t)(name - (const char *)b->fdt.blob - b->fdt.strings_off);
	for (k = 0; k < DS_RECORD_PROP_SLOTS; k++)
		if (b->prop_nameoff[k] == off)
			return true;
	return false;
}

/*
 * ds_blob_read() takes names at the offsets ds_blob_open() remembered
 * without comparing them; any other offset must still be read by name.
 * A blob rewritten without name deduplication (every property its own
 * copy of its name) takes that slow path for almost every property.
 */
static void test_blob_read(void)
{
	static uint8_t dup[1u << 20];
	struct fx_edits e = { .create_flags = FDT_CREATE_FLAG_NO_NAME_DEDUP };
	struct ds_record a, b;
	struct ds_blob blob, twin;
	uint32_t i, same = 0, slow = 0;
	uint8_t *buf = NULL;
	uint32_t size = 0;
	int len;

	if (!tap_err(ds_synth_blob_alloc(11, 64, &buf, &size), 0, "memo: blob") ||
	    !tap_err(ds_blob_open(&blob, buf, size), 0, "memo: open")) {
		free(buf);
		return;
	}
	len = fx_rewrite(buf, dup, sizeof(dup), &e);
	if (!tap_ok(len > 0 && ds_blob_open(&twin, dup, (size_t)len) == 0,
		    "memo: the same blob with every name written again")) {
		ds_blob_close(&blob);
		free(buf);
		return;
	}
	for (i = 0; i < blob.nr_devices; i++) {
		int n1 = blob.index[i].node, n2 = twin.index[i].node;

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		if (!ds_blob_read(&blob, n1, &a) && !ds_record_read(&blob.fdt, n1, &b) &&
		    !record_diff(&a, &b)) {
			memset(&b, 0, sizeof(b));
			same += !ds_blob_read(&twin, n2, &b) && !record_diff(&a, &b);
		}
		slow += !remembered(&twin, n2);
	}
	tap_ok(same == blob.nr_devices && blob.nr_devices == 64,
	       "memo: ds_blob_read() == ds_record_read(), and the same through "
	       "names it did not remember (%u of %u)", same, blob.nr_devices);
	tap_ok(slow >= blob.nr_devices - 1,
	       "memo: %u of %u records name their first property at an offset "
	       "the memo does not hold", slow, blob.nr_devices);
	ds_blob_close(&twin);
	ds_blob_close(&blob);
	free(buf);
}

static void test_edges(void)
{
	struct ds_record recs[2];
	struct roundtrip rt;
	const char *why = NULL;

	/* nothing at all: no bridges, BARs, vectors or DMA */
	memset(&recs[0], 0, sizeof(recs[0]));
	recs[0].version = DS_RECORD_VERSION;
	recs[0].bus = 0;
	recs[0].devfn = 0;
	strcpy(recs[0].driver, "x");
	fill_max(&recs[1]);
	write_and_open(&rt, recs, 2, DS_SYNTH_STATE_COMPAT);
	if (tap_err(rt.err, 0, "empty and maximal records: %s", rt.stage)) {
		tap_ok(read_back(&rt, &recs[0], true, &why),
		       "record with zero bridges, BARs, vectors, DMA regions%s%s",
		       why ? ": " : "", why ? why : "");
		why = NULL;
		tap_ok(read_back(&rt, &recs[1], true, &why),
		       "record at every limit, 31-char names, wide domain%s%s",
		       why ? ": " : "", why ? why : "");
	}
	roundtrip_free(&rt);
}

/* Each over-limit record is refused by the writer. */
static void test_refused(void)
{
	static const char *const what[] = {
		"nr_bridges over DS_MAX_BRIDGES", "nr_bars over DS_MAX_BARS",
		"nr_vectors over DS_RECORD_VECTORS", "nr_dma over DS_MAX_DMA_REGIONS",
		"driver name without NUL in DS_DRIVER_NAME_MAX",
		"DMA region name without NUL in DS_DMA_NAME_MAX",
		"more vectors listed than the irq count enables",
		"empty DMA region name",
		/* what the reader would reject must not be written either */
		"BAR index over the ROM's (7)",
		"two BARs with one index",
		"BAR flag outside DS_BAR_FLAGS_KNOWN",
		"BAR whose end wraps past 2^64",
		"irq mode over DS_IRQ_MSIX",
		"DMA region of size 0",
		"DMA region whose end wraps past 2^64",
		/* what the pci cells cannot hold */
		"vendor ID over 16 bits",
		"class code over 24 bits",
		"command over 16 bits",
		"INTx pin over 8 bits",
		"bridge entry over 16 bits",
		"vector control word other than 0 or 1",
		/* the vectors past DS_RECORD_VECTORS */
		"more vectors after fewer than DS_RECORD_VECTORS",
		"more vectors of an MSI function",
		"more vectors than DS_MAX_VECTORS in all",
		"more vectors listed than the irq count enables",
		"control word of a vector past 32 other than 0 or 1",
		"more vectors, but no entries given (ds_record_write())",
	};
	static struct ds_vector more[DS_MAX_VECTORS];
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	struct ds_record r;
	static uint8_t buf[65536];
	uint32_t c;

	ds_synth_blob_info(7, &info);
	for (c = 0; c < TAP_ARRAY_SIZE(what); c++) {
		fill_max(&r);
		switch (c) {
		case 0: r.nr_bridges++; break;
		case 1: r.nr_bars++; break;
		case 2: r.nr_vectors++; break;
		case 3: r.nr_dma++; break;
		case 4: memset(r.driver, 'd', DS_DRIVER_NAME_MAX); break;
		case 5: memset(r.dma[3].name, 'n', DS_DMA_NAME_MAX); break;
		case 6: r.irq[DS_IRQ_CELL_COUNT] = r.nr_vectors - 1; break;
		case 7: r.dma[0].name[0] = 0; break;
		case 8: r.bars[6].index = DS_MAX_BARS; break;
		case 9: r.bars[1].index = r.bars[0].index; break;
		case 10: r.bars[2].flags |= 0x100; break;
		case 11: r.bars[3].start = ~0ull - 0x10; break;
		case 12: r.irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX + 1; break;
		case 13: r.dma[5].size = 0; break;
		case 14: r.dma[5].phys = ~0ull - 0x10; break;
		case 15: r.ids[DS_IDS_VENDOR] = 0x10000; break;
		case 16: r.ids[DS_IDS_CLASS] = 0x1000000; break;
		case 17: r.command = 0x10000; break;
		case 18: r.irq[DS_IRQ_CELL_PIN] = 0x100; break;
		case 19: r.bridges[2] = 0x10000; break;
		case 20: r.vectors[3].ctrl = 2; break;
		case 21: r.nr_vectors_more = 1; r.nr_vectors = 31; break;
		case 22: r.nr_vectors_more = 1;
			r.irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSI; break;
		case 23: r.nr_vectors_more = DS_MAX_VECTORS - DS_RECORD_VECTORS + 1;
			r.irq[DS_IRQ_CELL_COUNT] = DS_MAX_VECTORS + 1; break;
		case 24: r.nr_vectors_more = 100;
			r.irq[DS_IRQ_CELL_COUNT] = DS_RECORD_VECTORS + 99; break;
		case 25: r.nr_vectors_more = 100; more[70].ctrl = 2; break;
		case 26: r.nr_vectors_more = 1; break;
		}
		ds_blob_begin(&w, buf, sizeof(buf), &info);
		tap_err(c == 26 ? ds_record_write(&w, &r, NULL, NULL, NULL) :
			ds_record_write_more(&w, &r, more, NULL, NULL, NULL),
			-DS_ERR_INVAL, "writer refuses %s", what[c]);
		more[70].ctrl = 0;
	}
	/* and the largest table it takes, to show the cases above are tight */
	fill_max(&r);
	r.nr_vectors_more = DS_MAX_VECTORS - DS_RECORD_VECTORS;
	ds_blob_begin(&w, buf, sizeof(buf), &info);
	tap_err(ds_record_write_more(&w, &r, more, NULL, NULL, NULL), 0,
		"writer takes a record at every limit with all %u vectors",
		DS_MAX_VECTORS);
}

/*
 * An MSI-X table past DS_RECORD_VECTORS: written with its extra entries,
 * read back as the first 32 in the record plus a count, and every entry
 * through ds_record_vectors(). @n vectors; @hi puts a high address word on
 * one of the extra ones, @masked masks every third of them.
 */
struct msix_case {
	const char *what;
	uint32_t n;
	bool hi, masked;
};

static void msix_fill(const struct msix_case *mc, uint32_t devfn,
		      struct ds_record *r, struct ds_vector *all)
{
	uint32_t k;

	memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	r->bus = 3;
	r->devfn = (uint8_t)devfn;
	r->state_node = -1;
	strcpy(r->driver, "nvme");
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX;
	r->irq[DS_IRQ_CELL_COUNT] = DS_MAX_VECTORS;
	for (k = 0; k < mc->n; k++) {
		all[k].address = 0xfee00000ull | (k % 64) << 12;
		all[k].data = 0x4000 + k;
		all[k].ctrl = mc->masked && k >= DS_RECORD_VECTORS &&
			      (k - DS_RECORD_VECTORS) % 3 == 0;
	}
	if (mc->hi)
		all[mc->n - 2].address |= 0xabcd00000000ull;
	r->nr_vectors = mc->n < DS_RECORD_VECTORS ? mc->n : DS_RECORD_VECTORS;
	r->nr_vectors_more = mc->n - r->nr_vectors;
	memcpy(r->vectors, all, r->nr_vectors * sizeof(*all));
}

/* Every vector through ds_record_vectors(), the first @max only, exactly. */
static const char *msix_check(const struct ds_fdt *f, int node,
			      const struct ds_vector *all, uint32_t n,
			      uint32_t max)
{
	static struct ds_vector got[DS_MAX_VECTORS + 1];
	uint32_t k;

	memset(got, 0xa5, sizeof(got));
	if (ds_record_vectors(f, node, got, max) != (int)n)
		return "ds_record_vectors() count";
	for (k = 0; k < n && k < max; k++)
		if (got[k].address != all[k].address || got[k].data != all[k].data ||
		    got[k].ctrl != all[k].ctrl)
			return "ds_record_vectors() entry";
	for (; k <= max && k <= DS_MAX_VECTORS; k++)
		if (got[k].data != 0xa5a5a5a5u)
			return "ds_record_vectors() wrote past @max or the list";
	return NULL;
}

static void test_msix_tables(void)
{
	static const struct msix_case cases[] = {
		{ "2048 vectors, none masked past 32", DS_MAX_VECTORS, false, false },
		{ "2048 vectors, a third masked, a 64-bit address", DS_MAX_VECTORS, true, true },
		{ "33 vectors: one past the record", DS_RECORD_VECTORS + 1, false, true },
		{ "101 vectors: a partial mask cell", 101, true, true },
		{ "32 vectors: none past the record", DS_RECORD_VECTORS, false, false },
	};
	static struct ds_vector all[TAP_ARRAY_SIZE(cases)][DS_MAX_VECTORS];
	struct ds_record recs[TAP_ARRAY_SIZE(cases)], got;
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	uint32_t c, size = 1u << 20;
	uint8_t *buf = malloc(size);
	struct ds_blob b;
	const char *why;
	int len = -1, node;

	ds_synth_blob_info(7, &info);
	len = ds_blob_begin(&w, buf, size, &info);
	for (c = 0; c < TAP_ARRAY_SIZE(cases) && !len; c++) {
		msix_fill(&cases[c], c, &recs[c], all[c]);
		len = ds_record_write_more(&w, &recs[c], all[c] + DS_RECORD_VECTORS,
					   NULL, NULL, NULL);
	}
	if (!len)
		len = ds_blob_end(&w);
	if (!tap_ok(len > 0 && !ds_blob_open(&b, buf, (size_t)len),
		    "msix: blob of long tables written and opened")) {
		free(buf);
		return;
	}
	for (c = 0; c < TAP_ARRAY_SIZE(cases); c++) {
		const struct msix_case *mc = &cases[c];
		int plen = 0;

		node = ds_blob_find(&b, 0, 3, (uint8_t)c);
		memset(&got, 0, sizeof(got));
		why = node < 0 ? "ds_blob_find" :
		      ds_record_read(&b.fdt, node, &got) ? "ds_record_read" :
		      record_diff(&recs[c], &got);
		if (!why)
			why = msix_check(&b.fdt, node, all[c], mc->n, DS_MAX_VECTORS);
		if (!why)
			why = msix_check(&b.fdt, node, all[c], mc->n, 40);
		if (!why)
			why = msix_check(&b.fdt, node, all[c], mc->n, 0);
		/* what a reader without the new properties sees */
		if (!why && (!ds_fdt_getprop(&b.fdt, node, DS_PROP_IRQ_VECTORS, &plen) ||
			     plen != 8 * (int)recs[c].nr_vectors))
			why = "irq-vectors is not the first 32";
		if (!why && !ds_fdt_getprop(&b.fdt, node, DS_PROP_IRQ_MORE, &plen) !=
			    !recs[c].nr_vectors_more)
			why = "irq-vectors-more present exactly when needed";
		if (!why && !ds_fdt_getprop(&b.fdt, node, DS_PROP_IRQ_MORE_MASK, &plen) ==
			    mc->masked)
			why = "irq-vectors-mask present exactly when a bit is set";
		if (!why && !ds_fdt_getprop(&b.fdt, node, DS_PROP_IRQ_MORE_HI, &plen) ==
			    mc->hi)
			why = "irq-vectors-more-hi present exactly when a word is set";
		memset(&got, 0, sizeof(got));
		if (!why && (ds_blob_read(&b, node, &got) || record_diff(&recs[c], &got)))
			why = "ds_blob_read()";
		tap_ok(!why, "msix: %s round trip%s%s", mc->what, why ? ": " : "",
		       why ? why : "");
	}
	tap_err(ds_record_vectors(&b.fdt, 0, NULL, 0), -DS_ERR_BADRECORD,
		"msix: ds_record_vectors() of the root is no record");
	tap_err(ds_record_vectors(&b.fdt, node, NULL, 1), -DS_ERR_INVAL,
		"msix: ds_record_vectors() with room but no array");
	ds_blob_close(&b);
	free(buf);
}

static void test_node_name(void)
{
	char name[DS_DEVICE_NODE_NAME_MAX];

	tap_ok(ds_record_node_name(name, 0, 1, 0x28) >= 0 &&
	       !strcmp(name, "dev@0000,01,05.0"), "node name of 0000:01:05.0");
	tap_ok(ds_record_node_name(name, 0xffffffffu, 0xff, 0xff) >= 0 &&
	       !strcmp(name, "dev@ffffffff,ff,1f.7"), "node name of the largest position");
}

int main(void)
{
	test_node_name();
	test_root();
	test_synth_sets();
	test_edges();
	test_vector_shapes();
	test_msix_tables();
	test_blob_read();
	test_refused();
	return tap_done();
}
