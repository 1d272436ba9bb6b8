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

/* A node name at struct offset @off: returns its padded length or error. */
static int ds_check_node_name(struct ds_fdt *f, uint32_t off, bool root)
{
	const char *name = (const char *)f->blob + f->struct_off + off;
	uint32_t avail = f->struct_size - off, len = 0, ats = 0;

	while (len < avail && len <= DS_MAX_NAME_LEN && name[len]) {
		if (!fdtf_node_char_ok(name[len]))
			return ds_fail_at(f, -DS_ERR_BADNAME,
					  f->struct_off + off + len);
		ats += name[len] == '@';
		len++;
	}
	if (len == avail)
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->struct_off + off);
	if (len > DS_MAX_NAME_LEN || ats > 1 || (root != (len == 0)) ||
	    (len && name[0] == '@'))
		return ds_fail_at(f, -DS_ERR_BADNAME, f->struct_off + off);
	if (fdtf_align4(len + 1) > avail)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, f->struct_off + off);
	return (int)fdtf_align4(len + 1);
}

/* A property at struct offset @off (after its tag): returns its size. */
static int ds_check_prop(struct ds_fdt *f, uint32_t off)
{
	const uint8_t *p = f->blob + f->struct_off + off;
	uint32_t avail = f->struct_size - off, len, nameoff;
	const char *name;

	if (avail < FDTF_PROP_HDR_SIZE - FDTF_TAG_SIZE)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, f->struct_off + off);
	len = ds_get_be32(p);
	nameoff = ds_get_be32(p + 4);
	if (len > avail - 8 || fdtf_align4(len) > avail - 8)
		return ds_fail_at(f, -DS_ERR_BADOFFSET, f->struct_off + off);
	if (nameoff >= f->strings_size)
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->struct_off + off + 4);
	/*
	 * A name ends inside the block when a NUL follows it, that is when it
	 * starts before the block's last NUL: one compare, where a scan per
	 * property would cost properties x name length on a hostile blob.
	 */
	if (nameoff >= f->strings_end)
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->strings_off + nameoff);
	name = (const char *)f->blob + f->strings_off + nameoff;
	if (!name[0])
		return ds_fail_at(f, -DS_ERR_BADSTRING, f->strings_off + nameoff);
	return (int)(8 + fdtf_align4(len));
}

/*
 * Walk every token. Properties must precede a node's children, there is
 * exactly one root, and FDT_END closes the structure block exactly. Each
 * child of the root is handed to @visit (when set) as soon as its name is
 * checked, so a caller can index the blob without walking it again.
 */
static int ds_check_struct(struct ds_fdt *f, ds_fdt_visit_fn visit, void *ctx)
{
	uint32_t off = 0, depth = 0;
	bool seen_root = false, child_seen[DS_MAX_DEPTH + 1] = { false };
	int n;

	while (off + FDTF_TAG_SIZE <= f->struct_size) {
		uint32_t at = f->struct_off + off;
		uint32_t tag = ds_get_be32(f->blob + at);

		off += FDTF_TAG_SIZE;
		switch (tag) {
		case FDTF_BEGIN_NODE:
			if (depth == 0 && seen_root)
				return ds_fail_at(f, -DS_ERR_BADTAG, at);
			if (depth >= DS_MAX_DEPTH)
				return ds_fail_at(f, -DS_ERR_DEPTH, at);
			n = ds_check_node_name(f, off, depth == 0);
			if (n < 0)
				return n;
			if (depth == 1 && visit)
				visit(ctx, off - FDTF_TAG_SIZE);
			off += (uint32_t)n;
			if (depth)
				child_seen[depth] = true;
			depth++;
			child_seen[depth] = false;
			seen_root = true;
			f->nodes++;
			break;
		case FDTF_PROP:
			if (depth == 0 || child_seen[depth])
				return ds_fail_at(f, -DS_ERR_BADTAG, at);
			n = ds_check_prop(f, off);
			if (n < 0)
				return n;
			off += (uint32_t)n;
			break;
		case FDTF_END_NODE:
			if (depth == 0)
				return ds_fail_at(f, -DS_ERR_BADTAG, at);
			depth--;
			break;
		case FDTF_NOP:
			break;
		case FDTF_END:
			if (depth != 0 || !seen_root)
				return ds_fail_at(f, -DS_ERR_BADTAG, at);
			if (off != f->struct_size)
				return ds_fail_at(f, -DS_ERR_BADOFFSET,
						  FDTF_HDR_SIZE_STRUCT);
			return 0;
		default:
			return ds_fail_at(f, -DS_ERR_BADTAG, at);
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
