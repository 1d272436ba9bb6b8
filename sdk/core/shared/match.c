// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The adoption rule (see <devstate/match.h>): one function decides whether
 * a record fits the live device, for ds_lookup() in the kernel and for
 * `devstate verify` before a kexec. Each world only describes its live
 * device; neither keeps a rule of its own, so they cannot drift.
 *
 * Every field is compared even after one differs, so a per-field report
 * sees them all; the verdict is the first difference in rule order, which
 * is the order of enum ds_match_field.
 */
#include "ds_env.h"
#include <devstate/match.h>

DS_ABI_STATIC_ASSERT(DS_MAX_BARS <= 32, "bar_size_unknown has a bit per BAR");

static const char *const ds_reason_names[DS_REASON_COUNT] = {
	[DS_ADOPT]			= "adopt",
	[DS_COLD_NO_REGION]		= "no-region",
	[DS_COLD_BLOB_REJECTED]		= "blob-rejected",
	[DS_COLD_NO_RECORD]		= "no-record",
	[DS_COLD_UNKNOWN_VERSION]	= "unknown-version",
	[DS_COLD_BAD_RECORD]		= "bad-record",
	[DS_COLD_ID_MISMATCH]		= "id-mismatch",
	[DS_COLD_SUBSYS_MISMATCH]	= "subsys-mismatch",
	[DS_COLD_CLASS_MISMATCH]	= "class-mismatch",
	[DS_COLD_BAR_MISMATCH]		= "bar-mismatch",
	[DS_COLD_BRIDGE_MISMATCH]	= "bridge-mismatch",
	[DS_COLD_STATE_MISMATCH]	= "state-mismatch",
	[DS_COLD_CLAIMED]		= "claimed",
	[DS_COLD_FINISHED]		= "finished",
	[DS_COLD_DRIVER_DECLINED]	= "driver-declined",
	[DS_COLD_NO_DEVSTATE]		= DS_COLD_NO_DEVSTATE_NAME,
	[DS_COLD_NOT_KEPT_ALIVE]	= "not-kept-alive",
	[DS_COLD_KHO_OFF]		= "kho-off",
};

const char *ds_reason_str(enum ds_reason reason)
{
	if ((unsigned int)reason >= DS_REASON_COUNT)
		return "unknown reason";
	return ds_reason_names[reason];
}

static const char *const ds_field_names[DS_MF_COUNT] = {
	[DS_MF_NONE]		= "none",
	[DS_MF_RECORD]		= "record",
	[DS_MF_VERSION]		= "version",
	[DS_MF_POSITION]	= "position",
	[DS_MF_VENDOR]		= "vendor",
	[DS_MF_DEVICE]		= "device",
	[DS_MF_SUBVENDOR]	= "subvendor",
	[DS_MF_SUBDEVICE]	= "subdevice",
	[DS_MF_CLASS]		= "class",
	[DS_MF_REVISION]	= "revision",
	[DS_MF_BRIDGES]		= "bridge-path",
	[DS_MF_BAR]		= "bar",
	[DS_MF_BAR_START]	= "start",
	[DS_MF_BAR_FLAGS]	= "flags",
	[DS_MF_BAR_SIZE]	= "size",
	[DS_MF_STATE]		= "state-compatible",
};

const char *ds_match_field_str(enum ds_match_field field)
{
	if ((unsigned int)field >= DS_MF_COUNT)
		return "unknown field";
	return ds_field_names[field];
}

/* The reason a difference in @field gives. */
static enum ds_reason ds_field_reason(enum ds_match_field field)
{
	switch (field) {
	case DS_MF_NONE:
		return DS_ADOPT;
	case DS_MF_VERSION:
		return DS_COLD_UNKNOWN_VERSION;
	case DS_MF_VENDOR:
	case DS_MF_DEVICE:
		return DS_COLD_ID_MISMATCH;
	case DS_MF_SUBVENDOR:
	case DS_MF_SUBDEVICE:
		return DS_COLD_SUBSYS_MISMATCH;
	case DS_MF_CLASS:
	case DS_MF_REVISION:
		return DS_COLD_CLASS_MISMATCH;
	case DS_MF_BRIDGES:
		return DS_COLD_BRIDGE_MISMATCH;
	case DS_MF_BAR:
	case DS_MF_BAR_START:
	case DS_MF_BAR_FLAGS:
	case DS_MF_BAR_SIZE:
		return DS_COLD_BAR_MISMATCH;
	case DS_MF_STATE:
		return DS_COLD_STATE_MISMATCH;
	default:
		return DS_COLD_BAD_RECORD;
	}
}

/* One comparison's outcome: reported, and the first difference kept. */
static void ds_note(struct ds_match *m, enum ds_match_field field,
		    uint32_t pos, enum ds_match_status st)
{
	if (m->report)
		m->report(m->ctx, field, pos, st);
	if (st == DS_MS_UNKNOWN && m->field == DS_MF_NONE)
		m->assumed = true;
	if (st == DS_MS_DIFFERS && m->field == DS_MF_NONE) {
		m->field = field;
		m->pos = pos;
	}
}

static void ds_note_eq(struct ds_match *m, enum ds_match_field field,
		       uint64_t rec, uint64_t live)
{
	ds_note(m, field, 0, rec == live ? DS_MS_OK : DS_MS_DIFFERS);
}

static void ds_match_ids(const struct ds_record *r,
			 const struct ds_live_device *l, struct ds_match *m)
{
	static const enum ds_match_field fields[DS_IDS_CELLS] = {
		[DS_IDS_VENDOR]		= DS_MF_VENDOR,
		[DS_IDS_DEVICE]		= DS_MF_DEVICE,
		[DS_IDS_SUBVENDOR]	= DS_MF_SUBVENDOR,
		[DS_IDS_SUBDEVICE]	= DS_MF_SUBDEVICE,
		[DS_IDS_CLASS]		= DS_MF_CLASS,
		[DS_IDS_REVISION]	= DS_MF_REVISION,
	};
	uint32_t i;

	for (i = 0; i < DS_IDS_CELLS; i++)
		ds_note_eq(m, fields[i], r->ids[i], l->ids[i]);
}

static void ds_match_bridges(const struct ds_record *r,
			     const struct ds_live_device *l,
			     struct ds_match *m)
{
	bool same = l->nr_bridges <= DS_MAX_BRIDGES &&
		    l->nr_bridges == r->nr_bridges &&
		    !memcmp(l->bridges, r->bridges,
			    l->nr_bridges * sizeof(l->bridges[0]));

	ds_note(m, DS_MF_BRIDGES, 0, same ? DS_MS_OK : DS_MS_DIFFERS);
}

/* One BAR present on both sides at list position @i. */
static void ds_match_bar(const struct ds_bar *rb, const struct ds_bar *lb,
			 bool size_known, uint32_t i, struct ds_match *m)
{
	enum ds_match_status size_st = DS_MS_UNKNOWN;

	if (size_known)
		size_st = rb->size == lb->size ? DS_MS_OK : DS_MS_DIFFERS;
	ds_note(m, DS_MF_BAR_START, i,
		rb->start == lb->start ? DS_MS_OK : DS_MS_DIFFERS);
	ds_note(m, DS_MF_BAR_FLAGS, i,
		rb->flags == lb->flags ? DS_MS_OK : DS_MS_DIFFERS);
	ds_note(m, DS_MF_BAR_SIZE, i, size_st);
}

/*
 * Both lists position by position, as the kernel captures them (index
 * order): a BAR missing on one side, or another index at the same
 * position, differs as a whole.
 */
static void ds_match_bars(const struct ds_record *r,
			  const struct ds_live_device *l, struct ds_match *m)
{
	uint32_t ln = l->nr_bars < DS_MAX_BARS ? l->nr_bars : DS_MAX_BARS;
	uint32_t n = r->nr_bars > ln ? r->nr_bars : ln, i;

	for (i = 0; i < n; i++) {
		if (i >= r->nr_bars || i >= ln ||
		    r->bars[i].index != l->bars[i].index) {
			ds_note(m, DS_MF_BAR, i, DS_MS_DIFFERS);
			continue;
		}
		ds_note(m, DS_MF_BAR, i, DS_MS_OK);
		ds_match_bar(&r->bars[i], &l->bars[i],
			     !(l->bar_size_unknown >> i & 1), i, m);
	}
	/* More than a function has: a description gone wrong, never a match. */
	if (l->nr_bars > DS_MAX_BARS)
		ds_note(m, DS_MF_BAR, DS_MAX_BARS, DS_MS_DIFFERS);
}

const char *ds_record_state_compatible(const struct ds_fdt *fdt,
				       const struct ds_record *rec)
{
	int err;

	if (!fdt || !rec || rec->state_node < 0)
		return NULL;
	return ds_fdt_get_string(fdt, rec->state_node, DS_PROP_COMPATIBLE,
				 &err);
}

static void ds_match_state(const struct ds_fdt *fdt, const struct ds_record *r,
			   const struct ds_live_device *l, struct ds_match *m)
{
	const char *compat = ds_record_state_compatible(fdt, r);
	enum ds_match_status st = DS_MS_DIFFERS;

	/* No state, or none the driver reads: never adopted. */
	if (compat && l->state_compatible &&
	    !strcmp(compat, l->state_compatible))
		st = DS_MS_OK;
	ds_note(m, DS_MF_STATE, 0, st);
}

/* Counts an untrusted record may carry past its arrays: unusable. */
static bool ds_record_bounded(const struct ds_record *r)
{
	return r->nr_bars <= DS_MAX_BARS && r->nr_bridges <= DS_MAX_BRIDGES;
}

/* Faults of the record alone, before any field is compared. */
static enum ds_match_field ds_record_fault(const struct ds_record *r,
					   int read_err)
{
	if (read_err == -DS_ERR_UNKNOWNREC)
		return DS_MF_VERSION;
	if (read_err || !r || !ds_record_bounded(r))
		return DS_MF_RECORD;
	if (r->version != DS_RECORD_VERSION)
		return DS_MF_VERSION;
	return DS_MF_NONE;
}

enum ds_reason ds_record_match(const struct ds_fdt *fdt,
			       const struct ds_record *rec, int read_err,
			       const struct ds_live_device *live,
			       struct ds_match *m)
{
	struct ds_match local = { 0 };
	enum ds_match_field fault;

	if (!m)
		m = &local;
	m->field = DS_MF_NONE;
	m->pos = 0;
	m->assumed = false;

	fault = ds_record_fault(rec, read_err);
	if (fault == DS_MF_NONE && !live)
		fault = DS_MF_RECORD;	/* nothing to compare with */
	if (fault != DS_MF_NONE) {
		ds_note(m, fault, 0, DS_MS_DIFFERS);
		m->reason = ds_field_reason(fault);
		return m->reason;
	}

	ds_note(m, DS_MF_POSITION, 0,
		rec->domain == live->domain && rec->bus == live->bus &&
		rec->devfn == live->devfn ? DS_MS_OK : DS_MS_DIFFERS);
	ds_match_ids(rec, live, m);
	ds_match_bridges(rec, live, m);
	ds_match_bars(rec, live, m);
	ds_match_state(fdt, rec, live, m);

	m->reason = ds_field_reason(m->field);
	return m->reason;
}
