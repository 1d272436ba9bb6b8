/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to sdk/core/shared: the rules a decoded device record obeys, and
 * the record reader's name memo that ds_blob_open() fills.
 */
#ifndef DS_RECORD_CHECK_H
#define DS_RECORD_CHECK_H

bool ds_record_valid(const struct ds_record *r);
/* Fill DS_RECORD_PROP_SLOTS offsets of record property names in @f. */
void ds_record_memo(const struct ds_fdt *f, uint32_t *memo);

#endif /* DS_RECORD_CHECK_H */
