// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The adoption rule, ds_record_match(): every reason it can return, from
 * one change at a time to a live device that matches its record; which
 * difference wins when several do; what the per-field report sees; and
 * that no record, however wrong its counts, makes it read out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include <devstate/match.h>

#include "../synth/synth.h"
#include "tap.h"

#define SEED		7
#define NR_RECORDS	12

static struct ds_blob blob;
static struct ds_record recs[NR_RECORDS];

/* The live device a record describes, as the kernel would see it. */
static void live_of(const struct ds_record *r, struct ds_live_device *l)
{
	memset(l, 0, sizeof(*l));
	l->domain = r->domain;
	l->bus = r->bus;
	l->devfn = r->devfn;
	memcpy(l->ids, r->ids, sizeof(l->ids));
	l->nr_bridges = r->nr_bridges;
	memcpy(l->bridges, r->bridges, sizeof(l->bridges));
	l->nr_bars = r->nr_bars;
	memcpy(l->bars, r->bars, sizeof(l->bars));
	l->state_compatible = DS_SYNTH_STATE_COMPAT;
}

static enum ds_reason match(const struct ds_record *r,
			    const struct ds_live_device *l, struct ds_match *m)
{
	return ds_record_match(&blob.fdt, r, 0, l, m);
}

/* A record with a bridge and at least two BARs, for the BAR cases. */
static const struct ds_record *rich_record(void)
{
	uint32_t i;

	for (i = 0; i < NR_RECORDS; i++)
		if (recs[i].nr_bridges && recs[i].nr_bars >= 2)
			return &recs[i];
	return NULL;
}

static void test_all_adopt(void)
{
	struct ds_live_device l;
	uint32_t i, adopted = 0;

	for (i = 0; i < NR_RECORDS; i++) {
		live_of(&recs[i], &l);
		adopted += match(&recs[i], &l, NULL) == DS_ADOPT;
	}
	tap_eq(adopted, NR_RECORDS, "every record matches the device it describes");
}

/* Apply one change to a copy of @r's live device; check reason and field. */
#define CASE(what, change, want, want_field) do {			\
	struct ds_live_device l;					\
	struct ds_match m = { 0 };					\
	enum ds_reason got;						\
									\
	live_of(r, &l);							\
	change;								\
	got = match(r, &l, &m);						\
	tap_ok(got == (want) && m.reason == got &&			\
	       m.field == (want_field),					\
	       "%s: %s (field %s), got %s (%s)", what,			\
	       ds_reason_str(want), ds_match_field_str(want_field),	\
	       ds_reason_str(got), ds_match_field_str(m.field));	\
} while (0)

static void test_live_differs(const struct ds_record *r)
{
	uint32_t last = r->nr_bars - 1;

	CASE("another devfn", l.devfn ^= 1, DS_COLD_BAD_RECORD, DS_MF_POSITION);
	CASE("another bus", l.bus ^= 1, DS_COLD_BAD_RECORD, DS_MF_POSITION);
	CASE("another vendor", l.ids[DS_IDS_VENDOR] ^= 1,
	     DS_COLD_ID_MISMATCH, DS_MF_VENDOR);
	CASE("another device", l.ids[DS_IDS_DEVICE] ^= 1,
	     DS_COLD_ID_MISMATCH, DS_MF_DEVICE);
	CASE("another subvendor", l.ids[DS_IDS_SUBVENDOR] ^= 1,
	     DS_COLD_SUBSYS_MISMATCH, DS_MF_SUBVENDOR);
	CASE("another subdevice", l.ids[DS_IDS_SUBDEVICE] ^= 1,
	     DS_COLD_SUBSYS_MISMATCH, DS_MF_SUBDEVICE);
	CASE("another class", l.ids[DS_IDS_CLASS] ^= 0x100,
	     DS_COLD_CLASS_MISMATCH, DS_MF_CLASS);
	CASE("another revision", l.ids[DS_IDS_REVISION] ^= 1,
	     DS_COLD_CLASS_MISMATCH, DS_MF_REVISION);
	CASE("another bridge", l.bridges[0] ^= 8,
	     DS_COLD_BRIDGE_MISMATCH, DS_MF_BRIDGES);
	CASE("one bridge fewer", l.nr_bridges--,
	     DS_COLD_BRIDGE_MISMATCH, DS_MF_BRIDGES);
	CASE("a chain too deep to record", l.nr_bridges = DS_MAX_BRIDGES + 1,
	     DS_COLD_BRIDGE_MISMATCH, DS_MF_BRIDGES);
	CASE("a chain claiming far too many", l.nr_bridges = ~0u,
	     DS_COLD_BRIDGE_MISMATCH, DS_MF_BRIDGES);
	CASE("BAR start moved", l.bars[last].start += 0x1000,
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR_START);
	CASE("BAR prefetch bit toggled", l.bars[last].flags ^= DS_BAR_PREFETCH,
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR_FLAGS);
	CASE("BAR size doubled", l.bars[last].size *= 2,
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR_SIZE);
	CASE("a BAR missing", l.nr_bars--, DS_COLD_BAR_MISMATCH, DS_MF_BAR);
	if (r->nr_bars < DS_MAX_BARS)
		CASE("a BAR more",
		     (l.bars[l.nr_bars] = l.bars[last], l.nr_bars++),
		     DS_COLD_BAR_MISMATCH, DS_MF_BAR);
	CASE("another BAR index at a position", l.bars[0].index ^= 1,
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR);
	CASE("a live BAR count past the array", l.nr_bars = 1000,
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR);
	CASE("the driver reads another state",
	     l.state_compatible = "devstate-synth,state-v2",
	     DS_COLD_STATE_MISMATCH, DS_MF_STATE);
	CASE("the driver reads no state", l.state_compatible = NULL,
	     DS_COLD_STATE_MISMATCH, DS_MF_STATE);
	/* Several differences: the first in rule order names the reason. */
	CASE("device ID and a BAR differ",
	     (l.ids[DS_IDS_DEVICE] ^= 1, l.bars[0].start ^= 0x1000),
	     DS_COLD_ID_MISMATCH, DS_MF_DEVICE);
	CASE("bridge and state differ",
	     (l.bridges[0] ^= 8, l.state_compatible = "x"),
	     DS_COLD_BRIDGE_MISMATCH, DS_MF_BRIDGES);
	CASE("a BAR and the state differ",
	     (l.bars[last].flags ^= DS_BAR_64, l.state_compatible = NULL),
	     DS_COLD_BAR_MISMATCH, DS_MF_BAR_FLAGS);
}

static void test_record_faults(const struct ds_record *good)
{
	struct ds_live_device l;
	struct ds_record r;
	struct ds_match m = { 0 };

	live_of(good, &l);
	tap_eq(ds_record_match(&blob.fdt, good, -DS_ERR_UNKNOWNREC, &l, &m),
	       DS_COLD_UNKNOWN_VERSION, "record of another version (reader): unknown-version");
	tap_eq(m.field, DS_MF_VERSION, "... field version");
	tap_eq(ds_record_match(&blob.fdt, good, -DS_ERR_BADRECORD, &l, &m),
	       DS_COLD_BAD_RECORD, "malformed record (reader): bad-record");
	tap_eq(m.field, DS_MF_RECORD, "... field record");
	tap_eq(ds_record_match(&blob.fdt, NULL, -DS_ERR_BADRECORD, &l, NULL),
	       DS_COLD_BAD_RECORD, "an undecoded record is never looked at");
	tap_eq(ds_record_match(&blob.fdt, good, 0, NULL, &m),
	       DS_COLD_BAD_RECORD, "no live device: nothing to adopt");

	r = *good;
	r.version = DS_RECORD_VERSION + 7;
	tap_eq(match(&r, &l, &m), DS_COLD_UNKNOWN_VERSION,
	       "record version not this reader's: unknown-version");
	r = *good;
	r.nr_bars = DS_MAX_BARS + 1;
	tap_eq(match(&r, &l, NULL), DS_COLD_BAD_RECORD,
	       "record BAR count past its array: bad-record");
	r = *good;
	r.nr_bridges = ~0u;
	tap_eq(match(&r, &l, NULL), DS_COLD_BAD_RECORD,
	       "record bridge count past its array: bad-record");
	r = *good;
	r.state_node = -1;
	tap_eq(match(&r, &l, &m), DS_COLD_STATE_MISMATCH,
	       "record without driver state: state-mismatch");
	r.state_node = 3;	/* not a node: read nothing from it */
	tap_eq(match(&r, &l, NULL), DS_COLD_STATE_MISMATCH,
	       "driver-state offset that is no node: state-mismatch");
	tap_eq(ds_record_match(NULL, good, 0, &l, NULL), DS_COLD_STATE_MISMATCH,
	       "no blob to read the state from: state-mismatch");
}

/* An unknown size is assumed equal, and said so. */
static void test_unknown_size(const struct ds_record *r)
{
	struct ds_live_device l;
	struct ds_match m = { 0 };

	live_of(r, &l);
	l.bar_size_unknown = 1;
	l.bars[0].size = 0;
	tap_eq(match(r, &l, &m), DS_ADOPT, "unknown BAR size: adopt ...");
	tap_ok(m.assumed, "... assumed, not promised");
	l.state_compatible = NULL;
	tap_eq(match(r, &l, &m), DS_COLD_STATE_MISMATCH,
	       "unknown size before a difference: that difference's reason ...");
	tap_ok(m.assumed, "... which holds only if the size matches");
	live_of(r, &l);
	l.ids[DS_IDS_DEVICE] ^= 1;
	l.bar_size_unknown = 1;
	tap_eq(match(r, &l, &m), DS_COLD_ID_MISMATCH, "difference before an unknown size ...");
	tap_ok(!m.assumed, "... is certain");
	live_of(r, &l);
	tap_eq(match(r, &l, &m), DS_ADOPT, "all known and equal: adopt");
	tap_ok(!m.assumed, "... not assumed");
}

struct seen {
	uint32_t calls, differs, unknown;
	enum ds_match_field last;
};

static void count_fields(void *ctx, enum ds_match_field f, uint32_t pos,
			 enum ds_match_status st)
{
	struct seen *s = ctx;

	(void)pos;
	s->calls++;
	s->differs += st == DS_MS_DIFFERS;
	s->unknown += st == DS_MS_UNKNOWN;
	s->last = f;
}

/* Every field is reported, even after one differs. */
static void test_report(const struct ds_record *r)
{
	struct ds_live_device l;
	struct seen s = { 0 };
	struct ds_match m = { .report = count_fields, .ctx = &s };
	/* position, 6 IDs, bridges, per BAR presence + 3 fields, state */
	uint32_t want = 1 + DS_IDS_CELLS + 1 + 4 * r->nr_bars + 1;

	live_of(r, &l);
	l.ids[DS_IDS_VENDOR] ^= 1;
	l.bars[0].start ^= 0x1000;
	l.bar_size_unknown = 2;
	match(r, &l, &m);
	tap_eq(s.calls, want, "report: every field of the rule seen");
	tap_eq(s.differs, 2, "report: both differences seen");
	tap_eq(s.unknown, 1, "report: the unknown size seen");
	tap_eq(s.last, DS_MF_STATE, "report: the driver state comes last");
	tap_eq(m.field, DS_MF_VENDOR, "report: the verdict is the first difference");
}

static void test_names(void)
{
	bool all = true, distinct = true;
	int i, j;

	for (i = 0; i < DS_REASON_COUNT; i++) {
		const char *a = ds_reason_str(i);

		all &= a && *a && strcmp(a, "unknown reason");
		for (j = 0; j < i; j++)
			distinct &= strcmp(a, ds_reason_str(j)) != 0;
	}
	tap_ok(all && distinct, "every reason has its own name");
	tap_ok(!strcmp(ds_reason_str(DS_COLD_BAR_MISMATCH), "bar-mismatch") &&
	       !strcmp(ds_reason_str(DS_ADOPT), "adopt"),
	       "reason names are the kernel's log words");
	tap_ok(!strcmp(ds_reason_str(DS_REASON_COUNT), "unknown reason") &&
	       !strcmp(ds_reason_str(-1), "unknown reason"),
	       "out-of-range reasons are named as such");
	for (i = 0; i < DS_MF_COUNT; i++)
		all &= ds_match_field_str(i) && strcmp(ds_match_field_str(i),
						       "unknown field");
	tap_ok(all && !strcmp(ds_match_field_str(DS_MF_COUNT), "unknown field"),
	       "every field has a name");
}

/* Garbage records and devices: a verdict, never a read out of bounds. */
static void test_garbage(void)
{
	struct ds_live_device l;
	struct ds_record r;
	uint32_t i, cold = 0;

	srand(SEED);
	for (i = 0; i < 2000; i++) {
		uint8_t *p = (uint8_t *)&r, *q = (uint8_t *)&l;
		size_t k;

		for (k = 0; k < sizeof(r); k++)
			p[k] = (uint8_t)rand();
		for (k = 0; k < sizeof(l); k++)
			q[k] = (uint8_t)rand();
		l.state_compatible = i & 1 ? DS_SYNTH_STATE_COMPAT : NULL;
		if (i & 2) {
			r.nr_bars %= DS_MAX_BARS + 2;
			l.nr_bars %= DS_MAX_BARS + 2;
			r.version = DS_RECORD_VERSION;
		}
		cold += ds_record_match(&blob.fdt, &r, 0, &l, NULL) != DS_ADOPT;
	}
	tap_eq(cold, 2000, "2000 random records and devices: all cold, no fault");
}

int main(void)
{
	const struct ds_record *rich;
	uint8_t *buf;
	uint32_t size, i;
	int ok = 1;

	if (ds_synth_blob_alloc(SEED, NR_RECORDS, &buf, &size) < 0 ||
	    ds_blob_open(&blob, buf, size) < 0)
		ok = 0;
	for (i = 0; ok && i < NR_RECORDS; i++)
		ok = ds_record_read(&blob.fdt, blob.index[i].node, &recs[i]) == 0;
	rich = ok ? rich_record() : NULL;
	if (!tap_ok(rich != NULL, "a synthetic blob with a record to change"))
		return tap_done();

	test_all_adopt();
	test_live_differs(rich);
	test_record_faults(rich);
	test_unknown_size(rich);
	test_report(rich);
	test_names();
	test_garbage();

	ds_blob_close(&blob);
	free(buf);
	return tap_done();
}
