/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * `devstate status`: what the running kernel's devstate.ko says about the
 * last handoff, read from its debugfs status file (status_file.c) and put
 * next to the incoming blob and the region header (cmd_status.c).
 */
#ifndef DEVSTATE_STATUS_H
#define DEVSTATE_STATUS_H

#include "devstate.h"

#define DST_SLOT_LEN	16	/* "dddd:bb:dd.f" and its NUL, with room */
#define DST_WORD_LEN	32	/* a state or reason name */

/* One device the status file names: a record's state, a cold reason, or both. */
struct dst_status_dev {
	char slot[DST_SLOT_LEN];
	bool has_record;	/* a "record" line: the previous kernel left one */
	bool unreadable;	/* ... that this kernel could not decode */
	char record_state[DST_WORD_LEN];	/* unclaimed, pending, adopted,
						   cold, released */
	char cold_reason[DST_WORD_LEN];		/* "" when it did not go cold */
};

struct dst_status {
	char transport[DST_WORD_LEN];		/* region, kho, none; "" from a
						   module older than KHO */
	bool has_region_key, region;
	uint64_t region_kib, region_phys;
	char state[DST_WORD_LEN];		/* idle, frozen */
	uint64_t generation, records_in, validate_us;
	char incoming_error[128];		/* ds_strerror() text, or "none" */
	char incoming_reason[DST_WORD_LEN];	/* "" from a module without it */
	bool finished, quarantined;
	bool has_pool;				/* pool_pages and pool_used given */
	uint64_t pool_pages, pool_used;
	struct dst_status_dev *devs;		/* in the file's order */
	size_t nr_devs, cap_devs;
};

/*
 * Parse the status file's bytes: 0, or -EINVAL / -ENOMEM with the reason
 * in @msg. On success dst_status_free() releases @s.
 */
int dst_status_parse(struct dst_status *s, const uint8_t *data, size_t size,
		     char *msg, size_t msglen);
void dst_status_free(struct dst_status *s);

#endif /* DEVSTATE_STATUS_H */
