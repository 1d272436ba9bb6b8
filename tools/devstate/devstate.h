/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devstate(1) internals: the decoded view of a blob or region, the options
 * every command shares, and the printers. The commands take their input as
 * a buffer and write to a FILE*, and never exit the process, so the fuzzer
 * (tests/tool/) can drive them on arbitrary bytes.
 */
#ifndef DEVSTATE_TOOL_H
#define DEVSTATE_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <pci/pci.h>

#include <devstate/blob.h>

/* The project's VERSION file, passed in by the build. */
#ifndef DST_VERSION
#define DST_VERSION "unknown"
#endif

/* Exit codes shared by every command. */
enum {
	DST_EXIT_OK = 0,	/* valid / all match / no difference */
	DST_EXIT_FAIL = 1,	/* invalid / mismatch / differences */
	DST_EXIT_ERROR = 2,	/* usage or I/O error */
};

/* Largest file the tool loads: regions are a few MiB in practice. */
#define DST_MAX_INPUT	(256u << 20)

/* lspci-style selectors (-s, -d), matched through libpci's filter API. */
struct dst_select {
	bool active;
	struct pci_filter filter;
};

struct dst_opts {
	FILE *out;		/* results, and errors in JSON mode */
	FILE *err;		/* errors in plain mode */
	int verbose;		/* -v count */
	bool json, pretty, tree;
	struct dst_select sel;
	const char *pci_method;	/* -A */
	const char *pci_params[16]; /* -O name=value */
	int nr_pci_params;
	const char *debugfs_dir; /* where incoming.dtb/outgoing.dtb live */
	const char *kho_dir;	/* KHO's debugfs directory */
	bool kho;		/* dump --kho: the blob KHO handed over */
	bool numeric;		/* -n: IDs as numbers only, as lspci -n */
	const char *ids_file;	/* -i: the pci.ids to read names from */
	/*
	 * check: skip libfdt's second opinion. For the fuzzer only: libfdt
	 * runs in a child process (see cmd_check.c), and forking a sanitized
	 * process per input would slow fuzzing a hundredfold.
	 */
	bool no_libfdt;
};

/* ------------------------------------------------------------------ input */

enum dst_kind {
	DST_KIND_FDT,		/* bare FDT blob (or anything not a region) */
	DST_KIND_REGION,	/* starts with DS_REGION_MAGIC */
};

struct dst_input {
	const char *name;	/* as shown to the user */
	const uint8_t *data;
	size_t size;
	void *owned;		/* freed by dst_input_free() */
};

/*
 * Load a whole file. On failure returns -errno and leaves a message in
 * @msg (@msglen bytes).
 */
int dst_input_load(struct dst_input *in, const char *path, char *msg,
		   size_t msglen);
void dst_input_free(struct dst_input *in);
enum dst_kind dst_input_kind(const uint8_t *data, size_t size);

/* The debugfs files of the running kernel. */
#define DST_DEBUGFS_DIR	"/sys/kernel/debug/devstate"
/*
 * Whether the devstate debugfs directory can be used: 0, or a negative errno
 * with the reason for the operator in @msg (debugfs not mounted, no
 * permission, module not loaded).
 */
int dst_debugfs_check(const struct dst_opts *o, char *msg, size_t msglen);
/*
 * Load one debugfs file: 0, or -ENOENT / -ENODATA when that blob does not
 * exist or is empty, or another negative errno; @msg says which.
 */
int dst_debugfs_load(const struct dst_opts *o, const char *file,
		     struct dst_input *in, char *msg, size_t msglen);

/*
 * What the previous kernel handed over through Kexec HandOver: the region
 * format without a pool, kept by the kernel itself (KEXEC_HANDOVER_DEBUGFS)
 * whether devstate.ko is loaded or not. DEVSTATE_KHO_DEBUGFS names another
 * directory than DST_KHO_DEBUGFS_DIR.
 */
#define DST_KHO_DEBUGFS_DIR	"/sys/kernel/debug/kho"
#define DST_KHO_IN_FILE		"in/sub_fdts/devstate"
/* The full path of that file, in @buf. */
const char *dst_kho_in_path(const struct dst_opts *o, char *buf, size_t len);
/*
 * Load it: 0, or -ENOENT when there was no KHO handover for devstate (or
 * the kernel has no KHO debugfs), or another negative errno; @msg says which.
 */
int dst_kho_load(const struct dst_opts *o, struct dst_input *in, char *msg,
		 size_t msglen);

/* ------------------------------------------------------------------ model */

/* The region header as found, field by field, even when it is invalid. */
struct dst_region {
	uint32_t magic, abi_version, header_size, state;
	uint64_t region_size, generation;
	uint64_t blob_offset, blob_max, blob_size;
	uint64_t pool_offset, pool_size;
	uint32_t blob_crc, header_crc;
	uint32_t header_crc_calc;
	bool blob_in_file;	/* blob_offset + blob_size inside the file */
	uint32_t blob_crc_calc;	/* valid when blob_in_file */
	int inspect_err;	/* ds_region_inspect(): header alone */
	int open_err;		/* ds_region_open(): header, SEALED, CRC */
	/*
	 * ADOPTED with a sound header and a matching blob CRC: the normal
	 * state once the next kernel has taken the blob. The reader refuses
	 * it (only SEALED is read), but dump does not call it a fault.
	 */
	bool adopted_intact;
};

struct dst_device {
	int node;
	char node_name[DS_MAX_NAME_LEN + 1];
	int err;		/* ds_record_read() */
	struct ds_record rec;	/* valid when err == 0 */
	/*
	 * Every vector the record lists, malloc'ed, when it lists more than
	 * the record holds (rec.nr_vectors_more); NULL otherwise. Read them
	 * through dst_vector().
	 */
	struct ds_vector *vectors;
	char slot[DS_MAX_NAME_LEN + 1]; /* dddd:bb:dd.f, or the node name */
};

/* How many vectors a device's record lists, and vector @i of them. */
static inline uint32_t dst_nr_vectors(const struct dst_device *d)
{
	return d->rec.nr_vectors + d->rec.nr_vectors_more;
}

static inline const struct ds_vector *dst_vector(const struct dst_device *d,
						 uint32_t i)
{
	return d->vectors ? &d->vectors[i] : &d->rec.vectors[i];
}

struct dst_view {
	const char *name;
	enum dst_kind kind;
	bool truncated_header;	/* region file shorter than its header */
	struct dst_region region;
	const uint8_t *blob;	/* the FDT, inside the input */
	size_t blob_size;
	int fdt_err;		/* ds_fdt_open() */
	struct ds_fdt fdt;	/* valid when fdt_err == 0 */
	int blob_err;		/* ds_blob_open(): root and index */
	/* root properties, when readable */
	char *root_compat;		/* printable copies, malloc'ed */
	char *kernel_release;
	char *transport;		/* NULL in blobs older than KHO */
	bool has_generation, has_timestamp, has_pool;
	uint64_t generation, timestamp_ns, pool_base, pool_size;
	/* the kept-alive list, when the root is valid and has one */
	bool has_kept;
	uint32_t nr_kept, kept_slots;
	uint32_t nr_devices;
	struct dst_device *devices;	/* nr_devices, node order */
	uint32_t nr_other_nodes;	/* root children that are not dev@ */
};

/* Decode what can safely be decoded; returns 0 or -DS_ERR_NOMEM. */
int dst_view_build(struct dst_view *v, const char *name, const uint8_t *data,
		   size_t size);
void dst_view_free(struct dst_view *v);
/* The first fault found, in reading order, or 0. */
int dst_view_fault(const struct dst_view *v);

/*
 * Strings from the blob reach terminals and JSON readers: bytes outside
 * printable ASCII are shown as '?'. Copies into @buf (@len bytes).
 */
const char *dst_printable(const char *s, char *buf, size_t len);

const char *dst_region_state_name(uint32_t state);
const char *dst_irq_mode_name(uint32_t mode);
const char *dst_err_name(int err);	/* "BADCRC" for -DS_ERR_BADCRC */
void dst_slot_name(char *buf, size_t len, uint32_t domain, uint8_t bus,
		   uint8_t devfn);
void dst_bar_flags_str(char *buf, size_t len, uint32_t flags);

/* How a property value looks, dtc's way of guessing. */
enum dst_prop_type {
	DST_PROP_EMPTY,
	DST_PROP_STRINGS,	/* one or more NUL-terminated printable strings */
	DST_PROP_U32,
	DST_PROP_U64,
	DST_PROP_CELLS,		/* a multiple of 4 bytes, not 4 or 8 */
	DST_PROP_BYTES,
};
enum dst_prop_type dst_prop_classify(const uint8_t *val, int len);
const char *dst_prop_type_name(enum dst_prop_type t);
/* Format a value as dtc would (strings quoted, <cells>, [bytes]). */
void dst_prop_format(FILE *f, const uint8_t *val, int len, int max_bytes);

/* One flattened field of a device, for diff: key and printable value. */
typedef void (*dst_field_fn)(const char *key, const char *value, void *ctx);
void dst_device_fields(const struct dst_view *v, const struct dst_device *d,
		       dst_field_fn fn, void *ctx);
void dst_root_fields(const struct dst_view *v, dst_field_fn fn, void *ctx);

/* ------------------------------------------------------------------ tree */

/* A position in the bridge tree: a record, or a bridge only named in chains. */
struct dst_tree_node {
	uint64_t key;			/* ds_position_key() */
	const struct dst_device *dev;	/* NULL: no record for this bridge */
	long parent, first_child, next_sibling;	/* indexes, -1 for none */
	bool has_parent;
	uint64_t parent_key;
};

struct dst_tree {
	struct dst_tree_node *n;	/* sorted by key */
	size_t nr;
};

/* Build the tree of the selected, readable records: 0 or -DS_ERR_NOMEM. */
int dst_tree_build(struct dst_tree *t, const struct dst_view *v,
		   const struct dst_select *sel);
void dst_tree_free(struct dst_tree *t);
/* Called once per node, parents before children, siblings in order. */
typedef int (*dst_tree_fn)(const struct dst_tree *t, long node, int depth,
			   void *ctx);
int dst_tree_walk(const struct dst_tree *t, dst_tree_fn fn, void *ctx);

/* ------------------------------------------------------------------ names */

/*
 * Names from libpci's database (names.c). "Vendor Device [vvvv:dddd]" and
 * "Class name [cccc]" as lspci -nn prints them, or just the numbers
 * ("vvvv:dddd", "cccc") with -n or without a database. Written into @buf.
 */
const char *dst_name_device(const struct dst_opts *o, char *buf, size_t len,
			    uint32_t vendor, uint32_t device);
const char *dst_name_class(const struct dst_opts *o, char *buf, size_t len,
			   uint32_t class16);
enum dst_name_kind { DST_NAME_VENDOR, DST_NAME_DEVICE, DST_NAME_CLASS };
/* The name alone (vendor: @id1; device: @id1, @id2; class: @id1), or NULL. */
const char *dst_name_only(const struct dst_opts *o, char *buf, size_t len,
			  enum dst_name_kind kind, uint32_t id1, uint32_t id2);
/* Add vendor_name, device_name, class_name (null when unknown or -n). */
void dst_json_add_names(json_object *obj, const struct dst_opts *o,
			const struct ds_record *r);
void dst_names_close(void);

/* ------------------------------------------------------------------ select */

/* Parse -s / -d; returns NULL or libpci's message. */
const char *dst_select_slot(struct dst_select *s, const char *arg);
const char *dst_select_id(struct dst_select *s, const char *arg);
/* Whether a device passes the selectors (unreadable records never do
 * when a selector is active). */
bool dst_select_match(const struct dst_select *s, const struct dst_device *d);

/* ---------------------------------------------------------------- printers */

void dst_plain_view(FILE *f, const struct dst_view *v, const struct dst_opts *o);
json_object *dst_json_view(const struct dst_view *v, const struct dst_opts *o);
json_object *dst_json_error(const char *msg, int code, const char *file);
json_object *dst_json_hex(uint64_t v);
/* Print @obj per -p and drop it. */
void dst_json_emit(const struct dst_opts *o, json_object *obj);
/* An error, as JSON on out in JSON mode, else "devstate: ..." on err. */
void dst_error(const struct dst_opts *o, const char *file, int code,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---------------------------------------------------------------- commands */

/* Entry points on a buffer, for main.c and for the fuzzer. */
int dst_dump_buffer(const struct dst_opts *o, const char *name,
		    const uint8_t *data, size_t size);
int dst_check_buffer(const struct dst_opts *o, const char *name,
		     const uint8_t *data, size_t size);

/* Commands as main.c dispatches them: argc/argv are the operands only. */
int dst_cmd_dump(const struct dst_opts *o, int argc, char **argv);
int dst_cmd_check(const struct dst_opts *o, int argc, char **argv);
int dst_cmd_verify(const struct dst_opts *o, int argc, char **argv);
int dst_cmd_diff(const struct dst_opts *o, int argc, char **argv);
int dst_cmd_status(const struct dst_opts *o, int argc, char **argv);

#endif /* DEVSTATE_TOOL_H */
