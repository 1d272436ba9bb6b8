/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to sdk/core/shared: the rules a decoded device record obeys, and
 * the record reader's name memo that ds_blob_open() fills.
 */
#ifndef DS_RECORD_CHECK_H
#define DS_RECORD_CHECK_H

bool ds_record_valid(const struct ds_record *r);

/* What checking a record learns on the way, for the writer. */
struct ds_record_sums {
	uint32_t mask;	/* DS_PCI_VECTOR_MASK: bit i is vector i's ctrl */
	uint32_t hi;	/* or of the vectors' address bits 63:32 */
	uint32_t more_ctrl;	/* or of the ctrl of the vectors past 32 */
	uint32_t more_hi;	/* or of their address bits 63:32 */
	uint32_t driver_len;	/* strlen(driver) */
	uint8_t dma_name_len[DS_MAX_DMA_REGIONS];	/* strlen(dma[i].name) */
};

/*
 * ds_record_valid() with the @r->nr_vectors_more vectors of @more checked
 * too, and on success the sums of a valid record.
 */
bool ds_record_check(const struct ds_record *r, const struct ds_vector *more,
		     struct ds_record_sums *sums);
/* Fill DS_RECORD_PROP_SLOTS offsets of record property names in @f. */
void ds_record_memo(const struct ds_fdt *f, uint32_t *memo);

#endif /* DS_RECORD_CHECK_H */
