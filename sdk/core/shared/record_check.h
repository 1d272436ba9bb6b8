/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Private to sdk/core/shared: the rules a decoded device record obeys. */
#ifndef DS_RECORD_CHECK_H
#define DS_RECORD_CHECK_H

bool ds_record_valid(const struct ds_record *r);

#endif /* DS_RECORD_CHECK_H */
