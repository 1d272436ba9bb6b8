/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devstate blob API: the FDT writer, the bounds-checked reader, the device
 * record codec and the region header. The same code is compiled into
 * devstate.ko and into the userspace library libdevstate.a.
 *
 * Conventions (as libfdt's): functions return 0 or a non-negative offset on
 * success and a negative DS_ERR_* code on failure; functions returning a
 * pointer report errors through an int out-parameter. ds_strerror() names
 * every code.
 */
#ifndef DEVSTATE_BLOB_H
#define DEVSTATE_BLOB_H

#include <devstate/abi.h>

/* Error codes, returned negated. Grouped by cause. */
enum ds_err {
	DS_OK = 0,
	/* caller or writer misuse */
	DS_ERR_INVAL = 1,	/* bad argument */
	DS_ERR_NOSPACE,		/* buffer too small */
	DS_ERR_BADSTATE,	/* writer or region not in the state required */
	DS_ERR_NOTFOUND,	/* node or property absent */
	/* untrusted blob: FDT structure */
	DS_ERR_TRUNCATED,	/* buffer shorter than the header claims */
	DS_ERR_BADMAGIC,	/* not an FDT, or a blob still being written */
	DS_ERR_BADVERSION,	/* FDT version not 17-compatible */
	DS_ERR_BADOFFSET,	/* block offset or size out of the buffer */
	DS_ERR_OVERLAP,		/* blocks overlap each other or the header */
	DS_ERR_BADALIGN,	/* block or token misaligned */
	DS_ERR_BADTAG,		/* unknown token, or token out of place */
	DS_ERR_BADSTRING,	/* string not NUL-terminated or bad string offset */
	DS_ERR_BADNAME,		/* node name empty, too long or bad characters */
	DS_ERR_DEPTH,		/* nesting deeper than DS_MAX_DEPTH */
	DS_ERR_BADLEN,		/* property length wrong for its type */
	/* untrusted blob: devstate meaning */
	DS_ERR_BADROOT,		/* root compatible is not devstate-v1 */
	DS_ERR_BADRECORD,	/* device record inconsistent or over a limit */
	DS_ERR_UNKNOWNREC,	/* device record version this reader does not know */
	DS_ERR_DUPLICATE,	/* two records for one PCI position */
	/* untrusted region header */
	DS_ERR_REGION_MAGIC,	/* region header magic wrong */
	DS_ERR_REGION_ABI,	/* region ABI version unknown */
	DS_ERR_REGION_HEADER,	/* header CRC or layout fields inconsistent */
	DS_ERR_UNSEALED,	/* region not sealed */
	DS_ERR_BADCRC,		/* blob CRC mismatch */
	DS_ERR_NOMEM,		/* allocation failed */
	DS_ERR__MAX
};

const char *ds_strerror(int err);

/* ---------------------------------------------------------------------
 * FDT writer: an explicit state machine over a caller's buffer.
 *
 *   ds_fdt_create -> [begin_node / prop_* / end_node]* -> ds_fdt_finish
 *
 * While building, the buffer carries DS_FDT_SW_MAGIC, so a half-written blob
 * is never mistaken for a valid one. Running out of space returns
 * -DS_ERR_NOSPACE and leaves the writer unusable (state ERROR); nothing is
 * ever written past buf + size.
 *
 * The blob describes the tree libfdt's sequential-write API builds from the
 * same calls and has the same size, but is not byte-identical to it: the
 * strings block lists the property names in order of first use (as dtc
 * writes one), where libfdt's lists them in reverse, so the name offsets in
 * the structure block differ too. A name's offset is then final as soon as
 * it is first used, and ds_fdt_finish() never walks the structure block.
 */
#define DS_FDT_SW_MAGIC		0x2ff20112u	/* libfdt's FDT_SW_MAGIC */
/* Slots of the writer's name caches, powers of two. */
#define DS_FDT_NAME_SLOTS	64	/* name address -> offset */
#define DS_FDT_INTERN_SLOTS	128	/* name bytes -> offset */
/* Names the record writer asks for by number, not by pointer. */
#define DS_FDT_KNOWN_NAMES	16

enum ds_writer_state {
	DS_W_IDLE = 0,
	DS_W_TREE,		/* open nodes may take properties or children */
	DS_W_DONE,		/* finished: a valid FDT */
	DS_W_ERROR,		/* a call failed; only create may follow */
};

/* A property name as a caller passed it, checked byte for byte on reuse. */
struct ds_fdt_name_slot {
	const char *name;	/* the caller's pointer; NULL: empty slot */
	uint32_t off;		/* offset in the strings block */
};

struct ds_fdt_writer {
	uint8_t *buf;
	uint32_t size;		/* capacity of buf */
	uint32_t struct_end;	/* end of structure block, from buf */
	/* the strings block so far, in final order: the last bytes of buf */
	uint32_t strings_size;
	uint32_t depth;		/* open nodes */
	bool prop_ok;		/* the innermost open node has no child yet */
	enum ds_writer_state state;
	struct ds_fdt_name_slot names[DS_FDT_NAME_SLOTS];
	uint32_t intern[DS_FDT_INTERN_SLOTS];	/* offset + 1; 0: empty */
	uint32_t known[DS_FDT_KNOWN_NAMES];	/* offset + 1; 0: not yet */
	uint32_t known_mask;	/* bit i: known[i] is set */
};

/*
 * A point of a tree being written to come back to: ds_fdt_rewind() drops
 * the nodes and properties written after ds_fdt_mark(), even after a call
 * failed there (-DS_ERR_NOSPACE included), so one bad node costs the blob
 * only that node. Names first used after the mark stay in the strings
 * block, unused: offsets already handed out must stay valid.
 */
struct ds_fdt_mark {
	uint32_t struct_end;
	uint32_t depth;
	bool prop_ok;
	enum ds_writer_state state;
};

int ds_fdt_create(struct ds_fdt_writer *w, void *buf, uint32_t size);
void ds_fdt_mark(const struct ds_fdt_writer *w, struct ds_fdt_mark *m);
int ds_fdt_rewind(struct ds_fdt_writer *w, const struct ds_fdt_mark *m);
int ds_fdt_begin_node(struct ds_fdt_writer *w, const char *name);
int ds_fdt_end_node(struct ds_fdt_writer *w);
int ds_fdt_prop(struct ds_fdt_writer *w, const char *name,
		const void *val, uint32_t len);
/* Reserve a property's value space and return it for the caller to fill. */
void *ds_fdt_prop_space(struct ds_fdt_writer *w, const char *name,
			uint32_t len, int *err);
int ds_fdt_prop_u32(struct ds_fdt_writer *w, const char *name, uint32_t v);
int ds_fdt_prop_u64(struct ds_fdt_writer *w, const char *name, uint64_t v);
int ds_fdt_prop_u32_array(struct ds_fdt_writer *w, const char *name,
			  const uint32_t *v, uint32_t n);
int ds_fdt_prop_string(struct ds_fdt_writer *w, const char *name,
		       const char *s);
/* Returns the blob's total size on success. */
int ds_fdt_finish(struct ds_fdt_writer *w);

/* ---------------------------------------------------------------------
 * FDT reader. ds_fdt_open() validates the whole untrusted blob once; after
 * that the accessors walk it without re-checking structure but still check
 * every property's length against what the caller asks for.
 *
 * Node offsets are offsets into the structure block; the root is 0.
 */
struct ds_fdt {
	const uint8_t *blob;
	uint32_t size;		/* totalsize */
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t strings_end;	/* just past the block's last NUL */
	uint32_t nodes;		/* node count, root included */
	uint32_t bad_offset;	/* on open failure: byte offset of the fault */
};

int ds_fdt_open(struct ds_fdt *f, const void *blob, size_t size);
int ds_fdt_first_child(const struct ds_fdt *f, int node);
int ds_fdt_next_sibling(const struct ds_fdt *f, int node);
const char *ds_fdt_node_name(const struct ds_fdt *f, int node, int *lenp);
int ds_fdt_subnode(const struct ds_fdt *f, int parent, const char *name);
const void *ds_fdt_getprop(const struct ds_fdt *f, int node,
			   const char *name, int *lenp);
/* Iterate a node's properties: returns a property offset or an error. */
int ds_fdt_first_prop(const struct ds_fdt *f, int node);
int ds_fdt_next_prop(const struct ds_fdt *f, int prop);
const void *ds_fdt_prop_at(const struct ds_fdt *f, int prop,
			   const char **name, int *lenp);

int ds_fdt_get_u32(const struct ds_fdt *f, int node, const char *name,
		   uint32_t *out);
int ds_fdt_get_u64(const struct ds_fdt *f, int node, const char *name,
		   uint64_t *out);
int ds_fdt_get_u32_array(const struct ds_fdt *f, int node, const char *name,
			 uint32_t *out, uint32_t max);
const char *ds_fdt_get_string(const struct ds_fdt *f, int node,
			      const char *name, int *err);

/* ---------------------------------------------------------------------
 * Device record: one PCI function, decoded. Fixed-size, no pointers, so it
 * can be copied and compared. The blob packs several of these fields into
 * the cells of DS_PROP_PCI (abi.h); decoded, each has its own slot.
 */

/* Slots of struct ds_record's ids[], in order. */
enum ds_ids_cell {
	DS_IDS_VENDOR, DS_IDS_DEVICE, DS_IDS_SUBVENDOR, DS_IDS_SUBDEVICE,
	DS_IDS_CLASS, DS_IDS_REVISION, DS_IDS_CELLS
};

/* Slots of struct ds_record's irq[], in order. */
enum ds_irq_cell {
	DS_IRQ_CELL_MODE,	/* enum ds_irq_mode */
	DS_IRQ_CELL_PIN,	/* INTx pin, 1 = INTA; 0 none */
	DS_IRQ_CELL_LINE,	/* PCI_INTERRUPT_LINE */
	DS_IRQ_CELL_COUNT,	/* vectors enabled (may exceed entries listed) */
	DS_IRQ_CELLS
};
struct ds_bar {
	uint32_t index;
	uint32_t flags;		/* DS_BAR_* */
	uint64_t start;
	uint64_t size;
};

struct ds_vector {
	uint64_t address;
	uint32_t data;
	uint32_t ctrl;		/* bit 0: masked; no other bit is kept */
};

struct ds_dma_region {
	char name[DS_DMA_NAME_MAX];
	uint64_t phys;
	uint64_t bus;
	uint64_t size;
};

struct ds_record {
	uint32_t version;		/* record version (DS_RECORD_VERSION) */
	uint32_t domain;
	uint8_t bus;
	uint8_t devfn;
	uint32_t nr_bridges;
	uint32_t bridges[DS_MAX_BRIDGES]; /* (bus << 8 | devfn), root first */
	uint32_t ids[DS_IDS_CELLS];	/* enum ds_ids_cell */
	uint32_t command;
	uint32_t nr_bars;
	struct ds_bar bars[DS_MAX_BARS];
	uint32_t irq[DS_IRQ_CELLS];	/* enum ds_irq_cell */
	/*
	 * The first vectors listed, at most DS_RECORD_VECTORS, so a loop
	 * over vectors[] to nr_vectors never leaves the array. A longer
	 * MSI-X list has @nr_vectors_more entries after those, which the
	 * record does not hold: ds_record_vectors() reads them all from the
	 * blob, ds_record_write_more() writes them.
	 */
	uint32_t nr_vectors;
	uint32_t nr_vectors_more;
	struct ds_vector vectors[DS_RECORD_VECTORS];
	uint64_t dma_mask;
	uint64_t coherent_dma_mask;
	uint32_t nr_dma;
	struct ds_dma_region dma[DS_MAX_DMA_REGIONS];
	char driver[DS_DRIVER_NAME_MAX];
	int state_node;			/* reader: driver-state node or -1 */
};

/* Callback a writer of records uses to add driver-private properties. */
typedef int (*ds_state_fn)(struct ds_fdt_writer *w, void *ctx);

/*
 * Write a whole device node. @state_compat and @state_fn may be NULL (no
 * driver-state child); otherwise @state_fn adds the properties.
 */
int ds_record_write(struct ds_fdt_writer *w, const struct ds_record *r,
		    const char *state_compat, ds_state_fn state_fn, void *ctx);
/*
 * ds_record_write() for a record with @r->nr_vectors_more vectors after the
 * DS_RECORD_VECTORS it holds: @more are those, vector DS_RECORD_VECTORS
 * first (NULL when there are none). ds_record_write() is this with NULL.
 */
int ds_record_write_more(struct ds_fdt_writer *w, const struct ds_record *r,
			 const struct ds_vector *more, const char *state_compat,
			 ds_state_fn state_fn, void *ctx);
/* Decode and check one device node; -DS_ERR_UNKNOWNREC for other versions. */
int ds_record_read(const struct ds_fdt *f, int node, struct ds_record *r);
/*
 * Every vector a device node lists, the ones past DS_RECORD_VECTORS too:
 * the first min(listed, @max) go to @out. Returns how many the node lists
 * (nr_vectors + nr_vectors_more of its record, at most DS_MAX_VECTORS), or
 * a negative DS_ERR_* code for a node ds_record_read() would refuse for
 * its vectors or its version.
 */
int ds_record_vectors(const struct ds_fdt *f, int node, struct ds_vector *out,
		      uint32_t max);
/*
 * Format a record's node name into @buf (DS_DEVICE_NODE_NAME_MAX bytes);
 * returns its length without the NUL.
 */
int ds_record_node_name(char *buf, uint32_t domain, uint8_t bus, uint8_t devfn);

/* ---------------------------------------------------------------------
 * Blob: root properties plus an index of device records by PCI position.
 */
struct ds_index_entry {
	uint64_t key;		/* domain << 16 | bus << 8 | devfn */
	int node;
};

/* Slots of struct ds_blob's record-property memo (record_read.c's names). */
#define DS_RECORD_PROP_SLOTS	16

struct ds_blob {
	struct ds_fdt fdt;
	const char *kernel_release;	/* points into the blob */
	uint64_t generation;
	uint64_t timestamp_ns;
	uint64_t pool_base, pool_size;
	uint32_t nr_devices;
	struct ds_index_entry *index;	/* sorted by key, ds_alloc'ed */
	/*
	 * Where in @index each run of keys starts: key k lies in entries
	 * front[b] up to front[b + 1], b = (k - index[0].key) >> front_shift,
	 * so a lookup searches a few entries, not all. NULL (when it could
	 * not be allocated, or for a small index) searches all of @index.
	 */
	uint32_t *front;		/* front_len + 1 entries, ds_alloc'ed */
	uint32_t front_len;
	uint32_t front_shift;
	/*
	 * Where each name a device record's properties may have sits in the
	 * strings block (or ~0u): a property whose name offset matches is
	 * that property without a string compare. Only a shortcut: a record
	 * that names its properties through other offsets reads the same.
	 */
	uint32_t prop_nameoff[DS_RECORD_PROP_SLOTS];
	/*
	 * The root's kept-alive list (DS_PROP_KEPT_ALIVE): @kept points at
	 * its first slot inside the blob, @nr_kept slots are filled. A blob
	 * without the list (written before it existed) has @kept NULL.
	 */
	const uint8_t *kept;
	uint32_t nr_kept;
	uint32_t kept_slots;
};

static inline uint64_t ds_position_key(uint32_t domain, uint8_t bus,
				       uint8_t devfn)
{
	return ((uint64_t)domain << 16) | ((uint32_t)bus << 8) | devfn;
}

/* Validate the FDT, check the root, index every device node. */
int ds_blob_open(struct ds_blob *b, const void *fdt, size_t size);
void ds_blob_close(struct ds_blob *b);
/*
 * ds_record_read() of one of @b's nodes, faster: with @b's name memo, the
 * record rules applied while decoding, and @r not zeroed first. Every
 * field and count is set, and each list up to its count; list slots past
 * a count and the bytes after a string's NUL keep what @r held. Zero @r
 * once to compare whole records.
 */
int ds_blob_read(const struct ds_blob *b, int node, struct ds_record *r);
/* Node of the record at a position, or -DS_ERR_NOTFOUND. */
int ds_blob_find(const struct ds_blob *b, uint32_t domain, uint8_t bus,
		 uint8_t devfn);

/*
 * Was the device at a position kept alive through the jump? 1 when the
 * blob's kept-alive list names it, 0 when it does not, and 1 for a blob
 * without the list (an older writer: every record meant "kept alive").
 */
int ds_blob_kept_alive(const struct ds_blob *b, uint32_t domain, uint8_t bus,
		       uint8_t devfn);

/*
 * Root properties a writer emits before the device nodes. With
 * @kept_alive_slots, the root gets an empty kept-alive list of that many
 * slots; ds_blob_mark_kept_alive() fills it in the sealed blob.
 */
struct ds_blob_info {
	const char *kernel_release;
	uint64_t generation;
	uint64_t timestamp_ns;
	uint64_t pool_base, pool_size;
	uint32_t kept_alive_slots;
	const char *transport;	/* DS_PROP_TRANSPORT; NULL: not written */
};
/* Create the writer, open the root node and write its properties. */
int ds_blob_begin(struct ds_fdt_writer *w, void *buf, uint32_t size,
		  const struct ds_blob_info *info);
/* Close the root node and finish; returns the blob size. */
int ds_blob_end(struct ds_fdt_writer *w);
/*
 * Add a position to a sealed blob's kept-alive list: @list is the list's
 * value inside the blob (its count cell, ds_blob.kept - 4), @slots its
 * ds_blob.kept_slots; the caller re-seals the blob's CRC afterwards. No
 * allocation, no lock: it runs on the kexec path with one CPU left.
 * Returns 0, or -DS_ERR_NOSPACE when the list is full.
 */
int ds_blob_mark_kept_alive(uint8_t *list, uint32_t slots, uint32_t domain,
			    uint8_t bus, uint8_t devfn);

/* ---------------------------------------------------------------------
 * Region header. @region points at the start of the preserved range.
 */
struct ds_region_view {
	uint64_t region_size;
	uint64_t generation;
	uint32_t state;
	const uint8_t *blob;	/* inside the region */
	uint32_t blob_size;
	uint64_t blob_offset, blob_max;
	uint64_t pool_offset, pool_size;
	uint32_t blob_crc;
};

/* Lay out an EMPTY region with @blob_max bytes for the blob. */
int ds_region_format(void *region, uint64_t region_size, uint64_t blob_max,
		     uint64_t generation);
/* Check the header alone (magic, ABI, header CRC, layout); any state. */
int ds_region_inspect(const void *region, uint64_t region_size,
		      struct ds_region_view *v);
/*
 * EMPTY, SEALED or ADOPTED -> WRITING (an adopting kernel reuses the region
 * for its own handoff); returns the blob area through @blob/@max.
 */
int ds_region_begin_write(void *region, uint64_t region_size,
			  uint8_t **blob, uint64_t *max);
/* WRITING -> SEALED: record the blob's size and CRC, bump generation. */
int ds_region_seal(void *region, uint64_t region_size, uint32_t blob_size,
		   uint64_t generation);
/*
 * The blob CRC of a SEALED region again, after its blob was edited in place
 * (the kept-alive list at the jump); nothing else changes.
 */
int ds_region_update_crc(void *region, uint64_t region_size);
/* Any state -> EMPTY (thaw). */
int ds_region_reset(void *region, uint64_t region_size);
/* Full open for a reader: header checks, SEALED, blob CRC. */
int ds_region_open(const void *region, uint64_t region_size,
		   struct ds_region_view *v);
/* SEALED -> ADOPTED, once the next kernel has taken its copy. */
int ds_region_mark_adopted(void *region, uint64_t region_size);

#endif /* DEVSTATE_BLOB_H */
