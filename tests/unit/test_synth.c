// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The synthetic generator keeps its promises: the same record for the same
 * (seed, index), unique positions across buses and domains, records inside
 * the ABI limits, BARs that do not overlap within a device, vectors within
 * the enabled count, DMA regions inside the pool and every layout and mode
 * represented. Benchmarks and other tests rely on all of it.
 */
#include <stdlib.h>
#include <string.h>

#include <devstate/blob.h>

#include "../synth/synth.h"
#include "tap.h"

#define COUNT	40000u	/* crosses a domain boundary (16384 per domain) */

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool bars_disjoint(const struct ds_record *r)
{
	uint32_t i, j;

	for (i = 0; i < r->nr_bars; i++)
		for (j = i + 1; j < r->nr_bars; j++) {
			const struct ds_bar *a = &r->bars[i], *b = &r->bars[j];
			bool same_space = (a->flags & DS_BAR_IO) == (b->flags & DS_BAR_IO);

			if (a->index == b->index ||
			    (same_space && a->start < b->start + b->size &&
			     b->start < a->start + a->size))
				return false;
		}
	return true;
}

static bool dma_in_pool(const struct ds_record *r)
{
	uint32_t k;

	for (k = 0; k < r->nr_dma; k++) {
		const struct ds_dma_region *d = &r->dma[k];

		if (!d->name[0] || d->phys < DS_SYNTH_POOL_BASE || !d->size ||
		    d->phys + d->size > DS_SYNTH_POOL_BASE + DS_SYNTH_POOL_SIZE)
			return false;
	}
	return true;
}

int main(void)
{
	uint64_t *keys = malloc(COUNT * sizeof(*keys));
	uint32_t i, dups = 0, out_of_limits = 0, bars_bad = 0, dma_bad = 0;
	uint32_t modes[4] = { 0 }, bridges[4] = { 0 }, dmas[4] = { 0 };
	uint32_t no_bars = 0, max_bars = 0, io = 0, pf = 0, rom = 0, b64 = 0;
	uint32_t domains = 0, last_domain = ~0u;
	struct ds_record a, b;

	ds_synth_record(77, 123, &a);
	ds_synth_record(77, 123, &b);
	tap_ok(!memcmp(&a, &b, sizeof(a)), "same seed and index, same record");
	ds_synth_record(78, 123, &b);
	tap_ok(memcmp(&a, &b, sizeof(a)), "another seed, another record");

	for (i = 0; i < COUNT; i++) {
		struct ds_record r;
		uint32_t k;

		ds_synth_record(77, i, &r);
		keys[i] = ds_position_key(r.domain, r.bus, r.devfn);
		if (r.domain != last_domain) {
			domains++;
			last_domain = r.domain;
		}
		if (r.version != DS_RECORD_VERSION || r.nr_bridges > 3 ||
		    r.nr_bars > DS_MAX_BARS || r.nr_vectors > DS_RECORD_VECTORS ||
		    r.nr_vectors_more ||
		    r.nr_vectors > r.irq[DS_IRQ_CELL_COUNT] || r.nr_dma > 3 ||
		    r.irq[DS_IRQ_CELL_MODE] > DS_IRQ_MSIX ||
		    !memchr(r.driver, 0, sizeof(r.driver)) || !r.driver[0])
			out_of_limits++;
		bars_bad += !bars_disjoint(&r);
		dma_bad += !dma_in_pool(&r);
		modes[r.irq[DS_IRQ_CELL_MODE] & 3]++;
		bridges[r.nr_bridges & 3]++;
		dmas[r.nr_dma & 3]++;
		no_bars += r.nr_bars == 0;
		max_bars += r.nr_bars == DS_MAX_BARS;
		for (k = 0; k < r.nr_bars; k++) {
			io += !!(r.bars[k].flags & DS_BAR_IO);
			pf += !!(r.bars[k].flags & DS_BAR_PREFETCH);
			rom += !!(r.bars[k].flags & DS_BAR_ROM);
			b64 += !!(r.bars[k].flags & DS_BAR_64);
		}
	}
	qsort(keys, COUNT, sizeof(*keys), key_cmp);
	for (i = 1; i < COUNT; i++)
		dups += keys[i] == keys[i - 1];
	tap_eq(dups, 0, "%u records, every PCI position unique", COUNT);
	tap_ok(domains >= 3, "positions span %u domains", domains);
	tap_eq(out_of_limits, 0, "every record inside the ABI limits");
	tap_eq(bars_bad, 0, "BARs of a device never overlap");
	tap_eq(dma_bad, 0, "every DMA region lies inside the pool");
	tap_ok(modes[0] && modes[1] && modes[2] && modes[3],
	       "irq modes none/INTx/MSI/MSI-X: %u/%u/%u/%u",
	       modes[0], modes[1], modes[2], modes[3]);
	tap_ok(bridges[0] && bridges[1] && bridges[2] && bridges[3],
	       "bridge chains of 0..3: %u/%u/%u/%u",
	       bridges[0], bridges[1], bridges[2], bridges[3]);
	tap_ok(dmas[0] && dmas[1] && dmas[2] && dmas[3],
	       "DMA regions 0..3: %u/%u/%u/%u", dmas[0], dmas[1], dmas[2], dmas[3]);
	tap_ok(no_bars && max_bars && io && pf && rom && b64,
	       "BAR layouts: %u without, %u with all 7; %u I/O, %u prefetchable, "
	       "%u ROM, %u 64-bit", no_bars, max_bars, io, pf, rom, b64);
	free(keys);
	return tap_done();
}
