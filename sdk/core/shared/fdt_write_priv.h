/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to the writers of sdk/core/shared: fdt_write.c's hooks for the
 * record writer (record_write.c) and the helpers both use to emit bytes.
 * The format itself is fdt_format.h; nothing here defines a byte of it.
 * Include after ds_env.h, <devstate/blob.h> and fdt_format.h.
 */
#ifndef DS_FDT_WRITE_PRIV_H
#define DS_FDT_WRITE_PRIV_H

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

#endif /* DS_FDT_WRITE_PRIV_H */
