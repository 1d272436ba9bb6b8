/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devstate adoption rule: whether a decoded record matches the live device
 * it names, and if not, why. One function, compiled into devstate.ko (where
 * ds_lookup() calls it with a description of the probed pci_dev) and into
 * libdevstate.a (where `devstate verify` calls it with a description built
 * from libpci), so the pre-flight check and the next kernel cannot disagree.
 *
 *   record (struct ds_record, untrusted)  ---\
 *                                              ds_record_match() -> enum ds_reason
 *   live device (struct ds_live_device)  ----/      (+ the field behind it)
 */
#ifndef DEVSTATE_MATCH_H
#define DEVSTATE_MATCH_H

#include <devstate/blob.h>

/**
 * enum ds_reason - why a device is adopted or goes down the cold path
 * @DS_ADOPT: the record matches the live device; adopt it.
 * @DS_COLD_NO_REGION: no preserved region was handed over.
 * @DS_COLD_BLOB_REJECTED: the region or its blob failed validation.
 * @DS_COLD_NO_RECORD: the blob has no record at this PCI position.
 * @DS_COLD_UNKNOWN_VERSION: the record's version is not one this kernel reads.
 * @DS_COLD_BAD_RECORD: the record is malformed or over a limit.
 * @DS_COLD_ID_MISMATCH: vendor or device ID differs from the live device.
 * @DS_COLD_SUBSYS_MISMATCH: subsystem IDs differ.
 * @DS_COLD_CLASS_MISMATCH: class code or revision differs.
 * @DS_COLD_BAR_MISMATCH: a BAR's start, size or flags differ.
 * @DS_COLD_BRIDGE_MISMATCH: the chain of bridges from the root differs.
 * @DS_COLD_STATE_MISMATCH: the driver-state compatible is not the driver's.
 * @DS_COLD_CLAIMED: another probe already claimed this record.
 * @DS_COLD_FINISHED: ds_finish() already released the incoming records.
 * @DS_COLD_DRIVER_DECLINED: the driver refused adoption (see ds_decline()).
 * @DS_COLD_NO_DEVSTATE: devstate.ko is not loaded; given by the driver-side
 *	wrappers of <devstate/driver.h>, never by devstate.ko or the tool.
 * @DS_COLD_NOT_KEPT_ALIVE: the previous kernel recorded the device but did
 *	not keep it alive through the jump (its driver was refused or
 *	quiesced it at shutdown): the blob's kept-alive list does not name it.
 *	Given by the next kernel's lookup; `devstate verify`, a pre-flight
 *	check, cannot know it yet.
 * @DS_COLD_KHO_OFF: the previous kernel handed its blob over through Kexec
 *	HandOver, but this kernel runs with KHO off (no kho=on): nothing it
 *	preserves would reach a later kernel, so no device is adopted.
 * @DS_REASON_COUNT: number of reasons.
 *
 * The names ds_reason_str() gives are what the kernel logs, what its status
 * file lists and what `devstate verify` prints: keep them stable.
 */
enum ds_reason {
	DS_ADOPT = 0,
	DS_COLD_NO_REGION,
	DS_COLD_BLOB_REJECTED,
	DS_COLD_NO_RECORD,
	DS_COLD_UNKNOWN_VERSION,
	DS_COLD_BAD_RECORD,
	DS_COLD_ID_MISMATCH,
	DS_COLD_SUBSYS_MISMATCH,
	DS_COLD_CLASS_MISMATCH,
	DS_COLD_BAR_MISMATCH,
	DS_COLD_BRIDGE_MISMATCH,
	DS_COLD_STATE_MISMATCH,
	DS_COLD_CLAIMED,
	DS_COLD_FINISHED,
	DS_COLD_DRIVER_DECLINED,
	DS_COLD_NO_DEVSTATE,
	DS_COLD_NOT_KEPT_ALIVE,
	DS_COLD_KHO_OFF,
	DS_REASON_COUNT
};

/*
 * The name of DS_COLD_NO_DEVSTATE, which <devstate/driver.h> must know
 * without devstate.ko, as well as the shared table of names.
 */
#define DS_COLD_NO_DEVSTATE_NAME	"no-devstate"

/*
 * A driver gets ds_reason_str() from <devstate/driver.h>, as an inline
 * wrapper that needs no devstate.ko; this is the function itself, in
 * devstate.ko and libdevstate.a, which a DEVSTATE_DIRECT driver calls.
 */
#if !defined(__KERNEL__) || defined(DEVSTATE_CORE) || defined(DEVSTATE_DIRECT)
/**
 * ds_reason_str() - a short human-readable name of a reason
 * @reason: a value of enum ds_reason
 *
 * Return: a static string ("adopt", "id-mismatch", ...), "unknown reason"
 * for values out of range.
 */
const char *ds_reason_str(enum ds_reason reason);
#endif

/**
 * struct ds_live_device - the live PCI function a record is checked against
 * @domain: PCI domain
 * @bus: bus number
 * @devfn: device and function
 * @ids: vendor, device, subsystem IDs, class, revision (enum ds_ids_cell)
 * @nr_bridges: bridges from the root bus to the device; more than
 *	DS_MAX_BRIDGES means a chain too deep to record (always a mismatch)
 * @bridges: (bus << 8 | devfn) of each, root first
 * @nr_bars: entries in @bars
 * @bars: the assigned, non-empty BARs and the ROM, in index order, with
 *	DS_BAR_* flags as the kernel derives them from its resources (the
 *	ROM is DS_BAR_MEM | DS_BAR_PREFETCH | DS_BAR_ROM)
 * @bar_size_unknown: bit i: @bars[i].size is not known (a config-space
 *	dump cannot size a BAR)
 * @state_compatible: the driver-state compatible the driver reads, or NULL
 *	for a driver that reads none
 */
struct ds_live_device {
	uint32_t domain;
	uint8_t bus;
	uint8_t devfn;
	uint32_t ids[DS_IDS_CELLS];
	uint32_t nr_bridges;
	uint32_t bridges[DS_MAX_BRIDGES];
	uint32_t nr_bars;
	struct ds_bar bars[DS_MAX_BARS];
	uint32_t bar_size_unknown;
	const char *state_compatible;
};

/**
 * enum ds_match_field - what the rule compares, in the order it does
 * @DS_MF_NONE: nothing (an adoption)
 * @DS_MF_RECORD: the record could not be decoded (ds_record_read() error)
 * @DS_MF_VERSION: record version
 * @DS_MF_POSITION: domain, bus and devfn
 * @DS_MF_VENDOR: vendor ID
 * @DS_MF_DEVICE: device ID
 * @DS_MF_SUBVENDOR: subsystem vendor ID
 * @DS_MF_SUBDEVICE: subsystem device ID
 * @DS_MF_CLASS: class code
 * @DS_MF_REVISION: revision
 * @DS_MF_BRIDGES: the chain of bridges from the root
 * @DS_MF_BAR: a BAR present on one side only, or at another list position
 * @DS_MF_BAR_START: a BAR's start
 * @DS_MF_BAR_FLAGS: a BAR's flags
 * @DS_MF_BAR_SIZE: a BAR's size
 * @DS_MF_STATE: the driver-state compatible
 * @DS_MF_COUNT: number of fields
 */
enum ds_match_field {
	DS_MF_NONE = 0,
	DS_MF_RECORD,
	DS_MF_VERSION,
	DS_MF_POSITION,
	DS_MF_VENDOR,
	DS_MF_DEVICE,
	DS_MF_SUBVENDOR,
	DS_MF_SUBDEVICE,
	DS_MF_CLASS,
	DS_MF_REVISION,
	DS_MF_BRIDGES,
	DS_MF_BAR,
	DS_MF_BAR_START,
	DS_MF_BAR_FLAGS,
	DS_MF_BAR_SIZE,
	DS_MF_STATE,
	DS_MF_COUNT
};

/**
 * enum ds_match_status - the outcome of one field's comparison
 * @DS_MS_OK: equal
 * @DS_MS_DIFFERS: different: the device goes cold
 * @DS_MS_UNKNOWN: the live value is not known; assumed equal
 */
enum ds_match_status {
	DS_MS_OK = 0,
	DS_MS_DIFFERS,
	DS_MS_UNKNOWN,
};

/*
 * Called once per field compared, in rule order. @pos is the list position
 * for BAR fields (in the record's list, or the live one's past its end).
 */
typedef void (*ds_match_fn)(void *ctx, enum ds_match_field field,
			    uint32_t pos, enum ds_match_status st);

/**
 * struct ds_match - details of a verdict, for a per-field report
 * @report: optional, called for every field compared
 * @ctx: passed to @report
 * @reason: out: the verdict, as returned
 * @field: out: the field behind @reason; DS_MF_NONE for DS_ADOPT
 * @pos: out: @field's list position (BAR fields)
 * @assumed: out: some live value was not known; @reason holds only if it
 *	matches. A cold @reason is cold either way (its name may differ).
 */
struct ds_match {
	ds_match_fn report;
	void *ctx;
	enum ds_reason reason;
	enum ds_match_field field;
	uint32_t pos;
	bool assumed;
};

/**
 * ds_record_match() - the adoption rule: does a record fit a live device?
 * @fdt: the opened blob the record was read from (for its driver state)
 * @rec: the decoded record; ignored when @read_err is not 0
 * @read_err: what ds_record_read() returned for it
 * @live: the live device
 * @m: optional details; @m->report, when set, sees every field
 *
 * Checks, first failure wins: decoding (unknown-version, bad-record),
 * record version, position (bad-record), vendor/device (id-mismatch),
 * subsystem (subsys-mismatch), class and revision (class-mismatch), bridge
 * chain (bridge-mismatch), every BAR's index, flags, start and size, ROM
 * included (bar-mismatch), the driver-state compatible (state-mismatch: a
 * record without driver state never matches). @rec is untrusted: counts
 * past their arrays make it a bad record.
 *
 * Return: DS_ADOPT or the DS_COLD_* reason.
 */
enum ds_reason ds_record_match(const struct ds_fdt *fdt,
			       const struct ds_record *rec, int read_err,
			       const struct ds_live_device *live,
			       struct ds_match *m);

/**
 * ds_match_field_str() - a short name of a compared field
 * @field: a value of enum ds_match_field
 *
 * Return: a static string ("device", "bar", "state-compatible", ...).
 */
const char *ds_match_field_str(enum ds_match_field field);

/**
 * ds_record_state_compatible() - a record's driver-state compatible
 * @fdt: the opened blob the record was read from
 * @rec: the decoded record
 *
 * Return: the string inside the blob, or NULL without a driver-state node
 * or a readable compatible.
 */
const char *ds_record_state_compatible(const struct ds_fdt *fdt,
				       const struct ds_record *rec);

#endif /* DEVSTATE_MATCH_H */
