// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What makes a device record valid beyond the byte lengths the reader checks
 * while decoding. One set of rules, applied by ds_record_write() before it
 * writes a record and by ds_record_read() after it decodes one, so a kernel
 * never writes a record the next kernel would send down the cold path.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "record_check.h"

DS_ABI_STATIC_ASSERT(DS_DMA_NAME_MAX <= 256, "a name's length fits a byte");

/*
 * Each index once, 0..5 or the ROM's 6, known flags, no wrap past 2^64.
 * Every bar's faults are or-ed and the loop never branches on one.
 */
static bool ds_bars_valid(const struct ds_record *r)
{
	uint32_t i, seen = 0, bad = 0;

	for (i = 0; i < r->nr_bars; i++) {
		const struct ds_bar *b = &r->bars[i];
		/* an index past 31 is bad anyway: only keep the shift defined */
		uint32_t bit = 1u << (b->index & 31);

		bad |= (b->index >= DS_MAX_BARS) | ((seen & bit) != 0) |
		       ((b->flags & ~DS_BAR_FLAGS_KNOWN) != 0) |
		       (b->start + b->size < b->start);
		seen |= bit;
	}
	return !bad;
}

/*
 * A non-empty name inside its array, a non-empty range without wrap. The
 * names' lengths, found on the way, go to @sums.
 */
static inline bool ds_dma_valid(const struct ds_record *r,
				struct ds_record_sums *sums)
{
	uint32_t i;

	for (i = 0; i < r->nr_dma; i++) {
		const struct ds_dma_region *d = &r->dma[i];
		const char *nul = memchr(d->name, 0, sizeof(d->name));

		if (!nul || nul == d->name || !d->size ||
		    d->phys + d->size < d->phys)
			return false;
		sums->dma_name_len[i] = (uint8_t)(nul - d->name);
	}
	return true;
}

/* The driver's name ends inside its array; its length goes to @sums. */
static inline bool ds_driver_valid(const struct ds_record *r,
				   struct ds_record_sums *sums)
{
	const char *nul = memchr(r->driver, 0, sizeof(r->driver));

	if (!nul)
		return false;
	sums->driver_len = (uint32_t)(nul - r->driver);
	return true;
}

/*
 * Each value fits the config-space field it comes from, so packing it into
 * DS_PROP_PCI's cells (abi.h) loses nothing. The fields are or-ed by width
 * and tested once: one branch, not ten.
 */
static bool ds_fields_fit(const struct ds_record *r)
{
	uint32_t u16 = r->ids[DS_IDS_VENDOR] | r->ids[DS_IDS_DEVICE] |
		       r->ids[DS_IDS_SUBVENDOR] | r->ids[DS_IDS_SUBDEVICE] |
		       r->command;
	uint32_t u8 = r->ids[DS_IDS_REVISION] | r->irq[DS_IRQ_CELL_PIN] |
		      r->irq[DS_IRQ_CELL_LINE];

	return !(u16 >> 16 | u8 >> 8 | r->ids[DS_IDS_CLASS] >> 24);
}

/*
 * Bridges are (bus << 8 | devfn); a vector keeps only its mask bit. The
 * pass over the vectors also gathers what the record writer needs of them
 * (struct ds_record_sums); inlined into ds_record_valid(), which drops the
 * sums, the compiler drops their work too.
 */
static inline bool ds_lists_fit(const struct ds_record *r,
				struct ds_record_sums *sums)
{
	uint32_t i, bridges = 0, ctrl = 0, mask = 0, hi = 0;

	for (i = 0; i < r->nr_bridges; i++)
		bridges |= r->bridges[i];
	for (i = 0; i < r->nr_vectors; i++) {
		ctrl |= r->vectors[i].ctrl;
		mask |= (r->vectors[i].ctrl & 1u) << i;
		hi |= (uint32_t)(r->vectors[i].address >> 32);
	}
	sums->mask = mask;
	sums->hi = hi;
	return bridges <= 0xffff && ctrl <= 1;
}

/*
 * The vectors past DS_RECORD_VECTORS, which only an MSI-X table has, and
 * only after a full irq-vectors: each ctrl one mask bit. Whether any is
 * masked or has a high address word decides whether the writer emits
 * DS_PROP_IRQ_MORE_MASK and DS_PROP_IRQ_MORE_HI. Out of line: most
 * records have none, and ds_more_fit() costs them one test.
 */
static noinline bool ds_more_fit_long(const struct ds_record *r,
				      const struct ds_vector *more,
				      struct ds_record_sums *sums)
{
	uint32_t i, ctrl = 0, hi = 0;

	if (r->irq[DS_IRQ_CELL_MODE] != DS_IRQ_MSIX ||
	    r->nr_vectors != DS_RECORD_VECTORS)
		return false;
	if (!more)
		return true;	/* the reader's check: the counts only */
	for (i = 0; i < r->nr_vectors_more; i++) {
		ctrl |= more[i].ctrl;
		hi |= (uint32_t)(more[i].address >> 32);
	}
	sums->more_ctrl = ctrl;
	sums->more_hi = hi;
	return ctrl <= 1;
}

static inline bool ds_more_fit(const struct ds_record *r,
			       const struct ds_vector *more,
			       struct ds_record_sums *sums)
{
	sums->more_ctrl = 0;
	sums->more_hi = 0;
	return !r->nr_vectors_more || ds_more_fit_long(r, more, sums);
}

/* The rules, in one place for both entry points below. */
static inline bool ds_record_rules(const struct ds_record *r,
				   const struct ds_vector *more,
				   struct ds_record_sums *sums)
{
	return r->nr_bridges <= DS_MAX_BRIDGES && r->nr_bars <= DS_MAX_BARS &&
	       r->nr_vectors <= DS_RECORD_VECTORS &&
	       r->nr_vectors_more <= DS_MAX_VECTORS - DS_RECORD_VECTORS &&
	       r->nr_dma <= DS_MAX_DMA_REGIONS &&
	       r->irq[DS_IRQ_CELL_MODE] <= DS_IRQ_MSIX &&
	       r->nr_vectors + r->nr_vectors_more <= r->irq[DS_IRQ_CELL_COUNT] &&
	       ds_driver_valid(r, sums) &&
	       ds_fields_fit(r) && ds_lists_fit(r, sums) &&
	       ds_more_fit(r, more, sums) &&
	       ds_bars_valid(r) && ds_dma_valid(r, sums);
}

bool ds_record_valid(const struct ds_record *r)
{
	struct ds_record_sums unused;

	return ds_record_rules(r, NULL, &unused);
}

bool ds_record_check(const struct ds_record *r, const struct ds_vector *more,
		     struct ds_record_sums *sums)
{
	if (r->nr_vectors_more && !more)
		return false;
	return ds_record_rules(r, more, sums);
}
