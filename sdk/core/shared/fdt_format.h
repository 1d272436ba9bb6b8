/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to sdk/core/shared: the flattened device tree format as the
 * devicetree specification defines it (version 17), by byte offsets so
 * nothing depends on struct layout or alignment of the buffer.
 */
#ifndef DS_FDT_FORMAT_H
#define DS_FDT_FORMAT_H

#define FDTF_MAGIC		0xd00dfeedu
#define FDTF_VERSION		17u
#define FDTF_LAST_COMP_VERSION	16u

/* Header: ten big-endian u32 fields. */
#define FDTF_HDR_MAGIC		0
#define FDTF_HDR_TOTALSIZE	4
#define FDTF_HDR_OFF_STRUCT	8
#define FDTF_HDR_OFF_STRINGS	12
#define FDTF_HDR_OFF_RSVMAP	16
#define FDTF_HDR_VERSION	20
#define FDTF_HDR_LAST_COMP	24
#define FDTF_HDR_BOOT_CPUID	28
#define FDTF_HDR_SIZE_STRINGS	32
#define FDTF_HDR_SIZE_STRUCT	36
#define FDTF_HDR_SIZE		40

/*
 * The memory reservation map: one empty terminating entry, placed where
 * libfdt's sequential writer puts it (the header rounded up to an entry's
 * size), so both writers lay out the same header.
 */
#define FDTF_RSV_ENTRY_SIZE	16
#define FDTF_RSVMAP_OFF		48u
#define FDTF_STRUCT_START	(FDTF_RSVMAP_OFF + FDTF_RSV_ENTRY_SIZE)	/* 0x40 */

/* Structure block tokens. */
#define FDTF_BEGIN_NODE		0x1u
#define FDTF_END_NODE		0x2u
#define FDTF_PROP		0x3u
#define FDTF_NOP		0x4u
#define FDTF_END		0x9u

#define FDTF_TAG_SIZE		4u
/* FDT_PROP is followed by u32 len, u32 nameoff, then the value. */
#define FDTF_PROP_HDR_SIZE	12u

static inline uint32_t fdtf_align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

/*
 * Node-name bytes by class: the devicetree spec's characters, '@' apart,
 * and the NUL that ends a name. One table, so the writer (fdt_write.c)
 * never emits a name the next kernel's reader (fdt_check.c) rejects;
 * test_writer.c and test_index.c hold it to the spec on all 256 bytes.
 * The values are bits: OK and AT are the name's bytes (their sum minus
 * the length counts the '@'s), BAD and NUL both end a scan.
 */
enum fdtf_name_class {
	FDTF_NC_BAD = 0,	/* not allowed: the zero-initialised default */
	FDTF_NC_OK = 1,		/* plain name character */
	FDTF_NC_AT = 2,		/* '@', allowed once, not first */
	FDTF_NC_NUL = 4,	/* end of the name */
};

static const uint8_t fdtf_name_class[256] = {
	['a' ... 'z'] = FDTF_NC_OK, ['A' ... 'Z'] = FDTF_NC_OK,
	['0' ... '9'] = FDTF_NC_OK, [','] = FDTF_NC_OK, ['.'] = FDTF_NC_OK,
	['_'] = FDTF_NC_OK, ['+'] = FDTF_NC_OK, ['-'] = FDTF_NC_OK,
	['@'] = FDTF_NC_AT, ['\0'] = FDTF_NC_NUL,
};

/*
 * The record writer's fast path (record_write.c). A record is a fixed
 * sequence of properties with names of its own: it checks that it may open
 * @nodes nodes (ds_fdt_can_open), resolves each name it is about to use
 * through ds_fdt_known_name (a number per name, interned on first use, so
 * the strings block keeps its first-use order), then takes the bytes of
 * the node headers and properties in one span (ds_fdt_open_span) and fills
 * them with fdtf_put_node/fdtf_put_prop; the nodes it opened are left open
 * for more properties and ds_fdt_end_node. Errors as the calls they stand
 * for: BADSTATE, BADNAME (no record at the root), DEPTH, NOSPACE. The node
 * names are the caller's and not looked at again: record_write.c builds
 * them to the reader's rules, and test_record.c reads every one back.
 */
int ds_fdt_can_open(struct ds_fdt_writer *w, uint32_t nodes);
int32_t ds_fdt_known_name_slow(struct ds_fdt_writer *w, uint32_t id,
			       const char *name);
uint8_t *ds_fdt_open_span(struct ds_fdt_writer *w, uint32_t nodes,
			  uint32_t len, int *err);

/*
 * The offset of name number @id (below DS_FDT_KNOWN_NAMES), which is always
 * @name for this writer's caller, or a negative error that has made the
 * writer unusable. Only after ds_fdt_can_open() succeeded.
 */
static inline int32_t ds_fdt_known_name(struct ds_fdt_writer *w, uint32_t id,
					const char *name)
{
	uint32_t o = w->known[id];

	return o ? (int32_t)(o - 1) : ds_fdt_known_name_slow(w, id, name);
}

/*
 * memcpy() for property values, most of which are a few bytes: up to 32
 * by fixed-size moves (two, overlapping, cover any length in a range)
 * rather than a call. No byte outside [0, @len) of either side is touched.
 */
static inline void fdtf_copy(uint8_t *d, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint64_t a, b, c, e;
	uint32_t x, y;

	if (len >= 8 && len <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + len - 8, &b, 8);
	} else if (len > 16 && len <= 32) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		memcpy(&c, s + len - 16, 8);
		memcpy(&e, s + len - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + 8, &b, 8);
		memcpy(d + len - 16, &c, 8);
		memcpy(d + len - 8, &e, 8);
	} else if (len >= 4 && len < 8) {
		memcpy(&x, s, 4);
		memcpy(&y, s + len - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + len - 4, &y, 4);
	} else if (len < 4) {
		for (x = 0; x < len; x++)
			d[x] = s[x];
	} else {
		memcpy(d, s, len);
	}
}

/* Bytes a property with a value of @len bytes takes in the structure block. */
static inline uint32_t fdtf_prop_size(uint32_t len)
{
	return FDTF_PROP_HDR_SIZE + fdtf_align4(len);
}

/* Bytes BEGIN_NODE and a name of @len bytes take. */
static inline uint32_t fdtf_node_size(uint32_t len)
{
	return FDTF_TAG_SIZE + fdtf_align4(len + 1);
}

/*
 * A property header at @p, padding zeroed: returns where its @len bytes of
 * value go; the next item starts fdtf_prop_size(@len) bytes after @p.
 */
static inline uint8_t *fdtf_put_prop(uint8_t *p, uint32_t nameoff,
				     uint32_t len)
{
	ds_put_be32(p, FDTF_PROP);
	ds_put_be32(p + 4, len);
	ds_put_be32(p + 8, nameoff);
	if (len & 3)
		ds_put_be32(p + FDTF_PROP_HDR_SIZE + (len & ~3u), 0);
	return p + FDTF_PROP_HDR_SIZE;
}

/* BEGIN_NODE and @name (@len bytes, checked by the caller); returns its end. */
static inline uint8_t *fdtf_put_node(uint8_t *p, const char *name,
				     uint32_t len)
{
	uint32_t padded = fdtf_align4(len + 1);

	ds_put_be32(p, FDTF_BEGIN_NODE);
	/* the name's last word first: its NUL and padding, then the name */
	ds_put_be32(p + padded, 0);
	memcpy(p + FDTF_TAG_SIZE, name, len);
	return p + FDTF_TAG_SIZE + padded;
}

/*
 * ds_fdt_open() that also hands every child of the root to @visit, by its
 * node offset and the length of its name (checked, NUL-terminated, without
 * the NUL), during the validation walk (blob.c indexes with it). The
 * children come before the walk is over: if it then fails, the caller must
 * drop what it collected.
 */
typedef void (*ds_fdt_visit_fn)(void *ctx, uint32_t node, uint32_t name_len);
int ds_fdt_open_visit(struct ds_fdt *f, const void *blob, size_t size,
		      ds_fdt_visit_fn visit, void *ctx);

#endif /* DS_FDT_FORMAT_H */
