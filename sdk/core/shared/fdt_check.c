// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Validation of an untrusted FDT, done once by ds_fdt_open(): the header,
 * every block's bounds, alignment and overlap, then every token of the
 * structure block, every name and every string reference. After it returns
 * 0 the accessors in fdt_read.c may walk the structure without re-checking.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
#include "fdt_check_priv.h"

static int ds_fail_at(struct ds_fdt *f, int err, uint32_t off)
{
	f->bad_offset = off;
	return err;
}

/* [off, off + len) lies inside [lo, hi) without overflow. */
static bool ds_range_ok(uint32_t off, uint32_t len, uint32_t lo, uint32_t hi)
{
	return off >= lo && off <= hi && len <= hi - off;
}

static bool ds_ranges_overlap(uint32_t a, uint32_t alen, uint32_t b,
			      uint32_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int ds_check_header(struct ds_fdt *f, size_t bufsize)
{
	const uint8_t *b = f->blob;
	uint32_t total, rsv, rsv_end;

	if (bufsize < FDTF_HDR_SIZE)
		return ds_fail_at(f, -DS_ERR_TRUNCATED, (uint32_t)bufsize);
	if (ds_get_be32(b + FDTF_HDR_MAGIC) != FDTF_MAGIC)
		return ds_fail_at(f, -DS_ERR_BADMAGIC, FDTF_HDR_MAGIC);
	if (ds_get_be32(b + FDTF_HDR_VERSION) < FDTF_VERSION ||
	    ds_get_be32(b + FDTF_HDR_LAST_COMP) > FDTF_VERSION)
		return ds_fail_at(f, -DS_ERR_BADVERSION, FDTF_HDR_VERSION);
	total = ds_get_be32(b + FDTF_HDR_TOTALSIZE);
	if (total > bufsize)
		return ds_fail_at(f, -DS_ERR_TRUNCATED, FDTF_HDR_TOTALSIZE);
	if (total < FDTF_HDR_SIZE)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_TOTALSIZE);
	f->size = total;

	f->struct_off = ds_get_be32(b + FDTF_HDR_OFF_STRUCT);
	f->struct_size = ds_get_be32(b + FDTF_HDR_SIZE_STRUCT);
	f->strings_off = ds_get_be32(b + FDTF_HDR_OFF_STRINGS);
	f->strings_size = ds_get_be32(b + FDTF_HDR_SIZE_STRINGS);
	rsv = ds_get_be32(b + FDTF_HDR_OFF_RSVMAP);

	if (!ds_range_ok(f->struct_off, f->struct_size, 0, total))
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_OFF_STRUCT);
	if (!ds_range_ok(f->strings_off, f->strings_size, 0, total))
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_OFF_STRINGS);
	if (!ds_range_ok(rsv, FDTF_RSV_ENTRY_SIZE, 0, total))
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_OFF_RSVMAP);
	if (f->struct_off % 4 || f->struct_size % 4)
		return ds_fail_at(f, -DS_ERR_BADALIGN, FDTF_HDR_OFF_STRUCT);
	if (rsv % 8)
		return ds_fail_at(f, -DS_ERR_BADALIGN, FDTF_HDR_OFF_RSVMAP);

	/* The reservation map runs up to its all-zero terminating entry. */
	for (rsv_end = rsv;; rsv_end += FDTF_RSV_ENTRY_SIZE) {
		if (!ds_range_ok(rsv_end, FDTF_RSV_ENTRY_SIZE, 0, total))
			return ds_fail_at(f, -DS_ERR_BADOFFSET, rsv_end);
		if (!ds_get_be64(b + rsv_end) && !ds_get_be64(b + rsv_end + 8))
			break;
	}
	rsv_end += FDTF_RSV_ENTRY_SIZE;

	if (ds_ranges_overlap(0, FDTF_HDR_SIZE, rsv, rsv_end - rsv) ||
	    ds_ranges_overlap(0, FDTF_HDR_SIZE, f->struct_off, f->struct_size) ||
	    ds_ranges_overlap(0, FDTF_HDR_SIZE, f->strings_off, f->strings_size))
		return ds_fail_at(f, -DS_ERR_OVERLAP, FDTF_HDR_OFF_STRUCT);
	if (ds_ranges_overlap(rsv, rsv_end - rsv, f->struct_off, f->struct_size) ||
	    ds_ranges_overlap(rsv, rsv_end - rsv, f->strings_off, f->strings_size) ||
	    ds_ranges_overlap(f->struct_off, f->struct_size,
			      f->strings_off, f->strings_size))
		return ds_fail_at(f, -DS_ERR_OVERLAP, FDTF_HDR_OFF_STRINGS);
	/*
	 * An empty block overlaps nothing, but an offset inside the header is
	 * still a damaged header (libfdt's fdt_check_full() rejects it too;
	 * tests/unit/test_fdtdiff.c holds us to that).
	 */
	if (f->struct_off < FDTF_HDR_SIZE)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_OFF_STRUCT);
	if (f->strings_off < FDTF_HDR_SIZE)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, FDTF_HDR_OFF_STRINGS);
	return 0;
}

/* Offset just past the strings block's last NUL, 0 when it has none. */
static uint32_t ds_strings_end(const struct ds_fdt *f)
{
	const char *s = (const char *)f->blob + f->strings_off;
	uint32_t end = f->strings_size;

	while (end && s[end - 1])
		end--;
	return end;
}

/*
 * A node name at struct offset @off: returns its padded length or error,
 * and its length without the NUL through @lenp. One bound (the block's end
 * or the longest name, whichever comes first) and one table lookup per
 * character. (Four lookups ANDed per word measured slower: the words that
 * hold '@' or the NUL, two of a device name's four, go byte by byte anyway.)
 */
static int ds_check_node_name(struct ds_fdt *f, uint32_t off, bool root,
			      uint32_t *lenp)
{
	const uint8_t *name = f->blob + f->struct_off + off;
	uint32_t avail = f->struct_size - off, len, ats = 0;
	uint32_t limit = avail < DS_MAX_NAME_LEN + 1 ? avail : DS_MAX_NAME_LEN + 1;

	for (len = 0; len < limit; len++) {
		uint8_t cls = fdtf_name_class[name[len]];

		if (cls == FDTF_NC_OK)
			continue;
		if (cls == FDTF_NC_NUL)
			break;
		if (cls == FDTF_NC_BAD)
			return ds_fail_at(f, -DS_ERR_BADNAME,
					  f->struct_off + off + len);
		ats++;
	}
	if (len == avail)
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->struct_off + off);
	if (len > DS_MAX_NAME_LEN || ats > 1 || (root != (len == 0)) ||
	    (len && name[0] == '@'))
		return ds_fail_at(f, -DS_ERR_BADNAME, f->struct_off + off);
	if (fdtf_align4(len + 1) > avail)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, f->struct_off + off);
	*lenp = len;
	return (int)fdtf_align4(len + 1);
}

/* Why a property's name offset failed the one-compare test. */
static int ds_bad_nameoff(struct ds_fdt *f, uint32_t off, uint32_t nameoff)
{
	if (nameoff >= f->strings_size)
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->struct_off + off + 4);
	return ds_fail_at(f, -DS_ERR_BADSTRING, f->strings_off + nameoff);
}

/*
 * How far ahead of a property the walk asks for the blob's bytes. Each
 * token's offset comes from the one before, so a miss stalls the walk;
 * the hardware prefetcher alone left the walk of a 50 MB blob at twice
 * the time it takes with this (256 to 384 bytes measured best, 128 and
 * 768 or more clearly worse). A prefetch never faults, past the end too.
 */
#define DS_WALK_AHEAD	256u

/*
 * What the walk reads on every token, copied out of struct ds_fdt so that
 * it stays in registers across the visitor's calls.
 */
struct ds_walk {
	const uint8_t *s;	/* the structure block */
	const uint8_t *str;	/* the strings block */
	uint32_t size;		/* of the structure block */
	uint32_t str_end;	/* strings block up to its last NUL */
};

/*
 * The run of properties whose first tag is at struct offset *@off: on
 * success, *@off is the offset of the token after the run. Each value's
 * whole padded extent is checked in one 64-bit compare, which no length
 * can wrap. (Properties come in runs, a node's all in one: a loop of its
 * own keeps them off the walk's token switch.)
 */
static inline int ds_check_props(struct ds_fdt *f, const struct ds_walk *w,
				 uint32_t *off)
{
	uint32_t at = *off;

	do {
		uint32_t avail = w->size - at, nameoff;
		uint64_t padded;

		if (avail < FDTF_PROP_HDR_SIZE)
			return ds_fail_at(f, -DS_ERR_BADOFFSET,
					  f->struct_off + at + FDTF_TAG_SIZE);
		padded = ((uint64_t)ds_get_be32(w->s + at + 4) + 3) & ~(uint64_t)3;
		nameoff = ds_get_be32(w->s + at + 8);
		if (padded > avail - FDTF_PROP_HDR_SIZE)
			return ds_fail_at(f, -DS_ERR_BADOFFSET,
					  f->struct_off + at + FDTF_TAG_SIZE);
		/*
		 * A name ends inside the block when a NUL follows it, that is
		 * when it starts before the block's last NUL: one compare,
		 * where a scan per property would cost properties x name
		 * length on a hostile blob.
		 */
		if (nameoff >= w->str_end)
			return ds_bad_nameoff(f, at + FDTF_TAG_SIZE, nameoff);
		if (!w->str[nameoff])
			return ds_fail_at(f, -DS_ERR_BADSTRING,
					  f->strings_off + nameoff);
		at += FDTF_PROP_HDR_SIZE + (uint32_t)padded;
		__builtin_prefetch((const void *)((uintptr_t)w->s + at +
						  DS_WALK_AHEAD));
	} while (at + FDTF_TAG_SIZE <= w->size &&
		 ds_get_be32(w->s + at) == FDTF_PROP);
	*off = at;
	return 0;
}

/*
 * Walk every token. Properties must precede a node's children, there is
 * exactly one root, and FDT_END closes the structure block exactly. Each
 * child of the root is handed to @visit (when set) as soon as its name is
 * checked, so a caller can index the blob without walking it again.
 *
 * A property is allowed only between a node's BEGIN_NODE and its first
 * child or END_NODE: after an END_NODE the walk is back in a parent that
 * has just had a child (or outside the root), so one flag says it all.
 */
static int ds_check_struct(struct ds_fdt *f, ds_fdt_visit_fn visit, void *ctx)
{
	const struct ds_walk w = {
		.s = f->blob + f->struct_off,
		.str = f->blob + f->strings_off,
		.size = f->struct_size,
		.str_end = f->strings_end,
	};
	uint32_t off = 0, depth = 0, nodes = 0, name_len;
	bool props_ok = false;
	int n;

	while (off + FDTF_TAG_SIZE <= w.size) {
		uint32_t at = off;
		uint32_t tag = ds_get_be32(w.s + at);

		/* Most tokens are properties: test for them first. */
		if (tag == FDTF_PROP) {
			if (!props_ok)
				return ds_fail_at(f, -DS_ERR_BADTAG,
						  f->struct_off + at);
			n = ds_check_props(f, &w, &off);
			if (n)
				return n;
			continue;
		}
		off += FDTF_TAG_SIZE;
		switch (tag) {
		case FDTF_BEGIN_NODE:
			if (depth == 0 && nodes)
				return ds_fail_at(f, -DS_ERR_BADTAG,
						  f->struct_off + at);
			if (depth >= DS_MAX_DEPTH)
				return ds_fail_at(f, -DS_ERR_DEPTH,
						  f->struct_off + at);
			n = ds_check_node_name(f, off, depth == 0, &name_len);
			if (n < 0)
				return n;
			if (depth == 1 && visit)
				visit(ctx, at, name_len);
			off += (uint32_t)n;
			depth++;
			nodes++;
			props_ok = true;
			break;
		case FDTF_END_NODE:
			if (depth == 0)
				return ds_fail_at(f, -DS_ERR_BADTAG,
						  f->struct_off + at);
			depth--;
			props_ok = false;
			break;
		case FDTF_NOP:
			break;
		case FDTF_END:
			if (depth != 0 || !nodes)
				return ds_fail_at(f, -DS_ERR_BADTAG,
						  f->struct_off + at);
			if (off != w.size)
				return ds_fail_at(f, -DS_ERR_BADOFFSET,
						  FDTF_HDR_SIZE_STRUCT);
			f->nodes = nodes;
			return 0;
		default:
			return ds_fail_at(f, -DS_ERR_BADTAG, f->struct_off + at);
		}
	}
	return ds_fail_at(f, -DS_ERR_BADTAG, f->struct_off + off);
}

int ds_fdt_open_visit(struct ds_fdt *f, const void *blob, size_t size,
		      ds_fdt_visit_fn visit, void *ctx)
{
	int ret;

	if (!f || !blob)
		return -DS_ERR_INVAL;
	memset(f, 0, sizeof(*f));
	f->blob = blob;
	if (size > 0x7fffffffu)
		size = 0x7fffffffu;	/* offsets are int: larger is not an FDT */
	ret = ds_check_header(f, size);
	if (ret)
		return ret;
	f->strings_end = ds_strings_end(f);
	ret = ds_check_struct(f, visit, ctx);
	if (ret)
		f->nodes = 0;
	return ret;
}

int ds_fdt_open(struct ds_fdt *f, const void *blob, size_t size)
{
	return ds_fdt_open_visit(f, blob, size, NULL, NULL);
}
