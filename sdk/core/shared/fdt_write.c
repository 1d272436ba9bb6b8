// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Sequential FDT writer over a caller's buffer.
 *
 * The structure block grows up from the header; the strings block grows down
 * from the end of the buffer, exactly as libfdt's sequential-write API lays
 * them out, so the finished blob is byte-identical to libfdt's for the same
 * calls. At finish the strings move down behind the structure block and every
 * property's name offset is rebased.
 *
 * Property names are interned through a small hash cache in front of the
 * libfdt-compatible linear search; that is where this writer gains its speed.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"

static int ds_w_fail(struct ds_fdt_writer *w, int err)
{
	w->state = DS_W_ERROR;
	return err;
}

/* Room between the end of the structure block and the strings block. */
static uint32_t ds_w_room(const struct ds_fdt_writer *w)
{
	return w->size - w->strings_size - w->struct_end;
}

/* Grab @len bytes of structure block, or NULL when they do not fit. */
static uint8_t *ds_w_grab(struct ds_fdt_writer *w, uint32_t len)
{
	uint8_t *p;

	if (len > ds_w_room(w))
		return NULL;
	p = w->buf + w->struct_end;
	w->struct_end += len;
	return p;
}

int ds_fdt_create(struct ds_fdt_writer *w, void *buf, uint32_t size)
{
	if (!w || !buf)
		return -DS_ERR_INVAL;
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	/*
	 * finish returns the size as an int, and no reader takes a blob past
	 * INT_MAX bytes: the rest of a bigger buffer is never used.
	 */
	w->size = size > 0x7fffffffu ? 0x7fffffffu : size;
	if (size < FDTF_STRUCT_START) {
		w->state = DS_W_ERROR;
		return -DS_ERR_NOSPACE;
	}
	/* Until finish the blob carries the sequential-write magic. */
	memset(w->buf, 0, FDTF_STRUCT_START);
	ds_put_be32(w->buf + FDTF_HDR_MAGIC, DS_FDT_SW_MAGIC);
	w->struct_end = FDTF_STRUCT_START;
	w->state = DS_W_TREE;
	return 0;
}

/*
 * Slot hash of a property name: its length and its first and last four
 * bytes. Any hash gives the same blob (a slot only caches what the search
 * would find); this one costs a strlen instead of a loop per character.
 */
static uint32_t ds_w_hash(const char *s, uint32_t *lenp)
{
	uint32_t len = (uint32_t)strlen(s), head = 0, tail, h, i;

	if (len >= 4) {
		/* fixed-size copies: single loads, whatever the alignment */
		memcpy(&head, s, 4);
		memcpy(&tail, s + len - 4, 4);
	} else {
		for (i = 0; i < len; i++)
			head = head << 8 | (uint8_t)s[i];
		tail = head;
	}
	*lenp = len;
	h = (head * 0x9e3779b1u) ^ (tail * 0x85ebca77u) ^ (len * 0xc2b2ae3du);
	return h ^ (h >> 16);	/* the slot takes the low bits */
}

/*
 * Find @s (with its NUL) anywhere in the strings block, lowest address first,
 * as libfdt does: a name may be found as the tail of a longer one.
 * Returns the negative offset from the buffer's end, or 0 when absent.
 */
static int32_t ds_w_search(const struct ds_fdt_writer *w, const char *s,
			   uint32_t len)
{
	const uint8_t *tab = w->buf + w->size - w->strings_size;
	const uint8_t *p, *last;

	if (len + 1 > w->strings_size)
		return 0;
	last = tab + w->strings_size - (len + 1);
	for (p = tab; p <= last; p++) {
		p = memchr(p, (uint8_t)s[0], (size_t)(last - p) + 1);
		if (!p)
			return 0;
		if (!memcmp(p, s, len + 1))
			return -(int32_t)((w->buf + w->size) - p);
	}
	return 0;
}

/* Return the name's (negative, end-relative) offset, adding it if new. */
static int ds_w_intern(struct ds_fdt_writer *w, const char *name, int32_t *off)
{
	uint32_t len, h = ds_w_hash(name, &len), i;
	const uint8_t *end = w->buf + w->size;
	int32_t found;

	if (len == 0)
		return -DS_ERR_INVAL;
	for (i = 0; i < DS_FDT_INTERN_SLOTS; i++) {
		uint32_t slot = (h + i) & (DS_FDT_INTERN_SLOTS - 1);
		int32_t o = w->intern[slot];

		if (!o)
			break;
		if ((uint32_t)-o > len && !memcmp(end + o, name, len + 1)) {
			*off = o;
			return 0;
		}
	}

	found = ds_w_search(w, name, len);
	if (!found) {
		if (len + 1 > ds_w_room(w))
			return -DS_ERR_NOSPACE;
		w->strings_size += len + 1;
		found = -(int32_t)w->strings_size;
		memcpy(w->buf + w->size - w->strings_size, name, len + 1);
		/*
		 * A new string can hold an older name as its tail, and libfdt
		 * would from now on find that tail first: forget the cache so
		 * offsets stay identical to libfdt's.
		 */
		memset(w->intern, 0, sizeof(w->intern));
	}
	for (i = 0; i < DS_FDT_INTERN_SLOTS; i++) {
		uint32_t slot = (h + i) & (DS_FDT_INTERN_SLOTS - 1);

		if (!w->intern[slot]) {
			w->intern[slot] = found;
			break;
		}
	}
	*off = found;
	return 0;
}

/*
 * The reader's rules for a node name (fdt_check.c): the root's is empty,
 * any other is non-empty, of allowed characters, with at most one '@' and
 * not in front. A blob the next kernel would reject must never be written.
 */
static bool ds_w_name_ok(const char *name, uint32_t len, bool root)
{
	uint32_t i, ats = 0;

	if (root || !len)
		return root && !len;
	if (name[0] == '@')
		return false;
	for (i = 0; i < len; i++) {
		if (!fdtf_node_char_ok(name[i]))
			return false;
		ats += name[i] == '@';
	}
	return ats <= 1;
}

int ds_fdt_begin_node(struct ds_fdt_writer *w, const char *name)
{
	uint32_t len, padded;
	uint8_t *p;

	if (!w || !name)
		return -DS_ERR_INVAL;
	if (w->state != DS_W_TREE)
		return -DS_ERR_BADSTATE;
	/* Only one root: a second top-level node would be a second tree. */
	if (w->depth == 0 && w->struct_end != FDTF_STRUCT_START)
		return ds_w_fail(w, -DS_ERR_BADSTATE);
	if (w->depth >= DS_MAX_DEPTH)
		return ds_w_fail(w, -DS_ERR_DEPTH);
	len = (uint32_t)strlen(name);
	if (len > DS_MAX_NAME_LEN || !ds_w_name_ok(name, len, w->depth == 0))
		return ds_w_fail(w, -DS_ERR_BADNAME);
	padded = fdtf_align4(len + 1);
	p = ds_w_grab(w, FDTF_TAG_SIZE + padded);
	if (!p)
		return ds_w_fail(w, -DS_ERR_NOSPACE);
	ds_put_be32(p, FDTF_BEGIN_NODE);
	memcpy(p + FDTF_TAG_SIZE, name, len);
	memset(p + FDTF_TAG_SIZE + len, 0, padded - len);
	w->depth++;
	return 0;
}

int ds_fdt_end_node(struct ds_fdt_writer *w)
{
	uint8_t *p;

	if (!w)
		return -DS_ERR_INVAL;
	if (w->state != DS_W_TREE || w->depth == 0)
		return -DS_ERR_BADSTATE;
	p = ds_w_grab(w, FDTF_TAG_SIZE);
	if (!p)
		return ds_w_fail(w, -DS_ERR_NOSPACE);
	ds_put_be32(p, FDTF_END_NODE);
	w->depth--;
	w->child_end = w->struct_end;
	return 0;
}

void *ds_fdt_prop_space(struct ds_fdt_writer *w, const char *name,
			uint32_t len, int *err)
{
	uint32_t padded;
	int32_t nameoff;
	uint8_t *p;
	int ret;

	if (!w || !name || len > 0x7fffffffu - FDTF_PROP_HDR_SIZE) {
		*err = -DS_ERR_INVAL;
		return NULL;
	}
	/*
	 * Properties come before a node's children: the reader rejects one
	 * written right after a child's END_NODE, so it is never written.
	 */
	if (w->state != DS_W_TREE || w->depth == 0 ||
	    w->struct_end == w->child_end) {
		*err = -DS_ERR_BADSTATE;
		return NULL;
	}
	ret = ds_w_intern(w, name, &nameoff);
	if (ret) {
		*err = ds_w_fail(w, ret);
		return NULL;
	}
	padded = fdtf_align4(len);
	p = ds_w_grab(w, FDTF_PROP_HDR_SIZE + padded);
	if (!p) {
		*err = ds_w_fail(w, -DS_ERR_NOSPACE);
		return NULL;
	}
	ds_put_be32(p, FDTF_PROP);
	ds_put_be32(p + 4, len);
	ds_put_be32(p + 8, (uint32_t)nameoff);
	/* Zero the padding now; the caller fills exactly len bytes. */
	if (padded != len)
		memset(p + FDTF_PROP_HDR_SIZE + len, 0, padded - len);
	*err = 0;
	return p + FDTF_PROP_HDR_SIZE;
}

int ds_fdt_prop(struct ds_fdt_writer *w, const char *name,
		const void *val, uint32_t len)
{
	int err;
	void *p;

	if (!val && len)
		return -DS_ERR_INVAL;
	p = ds_fdt_prop_space(w, name, len, &err);
	if (!p)
		return err;
	if (len)
		memcpy(p, val, len);
	return 0;
}

int ds_fdt_prop_u32(struct ds_fdt_writer *w, const char *name, uint32_t v)
{
	int err;
	void *p = ds_fdt_prop_space(w, name, 4, &err);

	if (!p)
		return err;
	ds_put_be32(p, v);
	return 0;
}

int ds_fdt_prop_u64(struct ds_fdt_writer *w, const char *name, uint64_t v)
{
	int err;
	void *p = ds_fdt_prop_space(w, name, 8, &err);

	if (!p)
		return err;
	ds_put_be64(p, v);
	return 0;
}

int ds_fdt_prop_u32_array(struct ds_fdt_writer *w, const char *name,
			  const uint32_t *v, uint32_t n)
{
	uint8_t *p;
	uint32_t i;
	int err;

	if (n > 0x1fffffffu)
		return -DS_ERR_INVAL;
	p = ds_fdt_prop_space(w, name, n * 4, &err);
	if (!p)
		return err;
	for (i = 0; i < n; i++)
		ds_put_be32(p + 4 * i, v[i]);
	return 0;
}

int ds_fdt_prop_string(struct ds_fdt_writer *w, const char *name,
		       const char *s)
{
	if (!s)
		return -DS_ERR_INVAL;
	return ds_fdt_prop(w, name, s, (uint32_t)strlen(s) + 1);
}

/*
 * Rebase every property's name offset from "negative, from the buffer end"
 * to "from the start of the strings block". The structure is our own, so
 * the walk trusts it.
 */
static void ds_w_rebase_names(struct ds_fdt_writer *w)
{
	uint32_t off = FDTF_STRUCT_START;

	while (off < w->struct_end) {
		uint8_t *p = w->buf + off;
		uint32_t tag = ds_get_be32(p);

		if (tag == FDTF_PROP) {
			uint32_t len = ds_get_be32(p + 4);
			int32_t nameoff = (int32_t)ds_get_be32(p + 8);

			ds_put_be32(p + 8, (uint32_t)((int32_t)w->strings_size + nameoff));
			off += FDTF_PROP_HDR_SIZE + fdtf_align4(len);
		} else if (tag == FDTF_BEGIN_NODE) {
			const uint8_t *name = p + FDTF_TAG_SIZE;
			uint32_t n = (uint32_t)strlen((const char *)name);

			off += FDTF_TAG_SIZE + fdtf_align4(n + 1);
		} else {
			off += FDTF_TAG_SIZE;
		}
	}
}

int ds_fdt_finish(struct ds_fdt_writer *w)
{
	uint32_t strings_off, total;
	uint8_t *p;

	if (!w)
		return -DS_ERR_INVAL;
	if (w->state != DS_W_TREE || w->depth != 0 ||
	    w->struct_end == FDTF_STRUCT_START)
		return -DS_ERR_BADSTATE;
	p = ds_w_grab(w, FDTF_TAG_SIZE);
	if (!p)
		return ds_w_fail(w, -DS_ERR_NOSPACE);
	ds_put_be32(p, FDTF_END);

	ds_w_rebase_names(w);
	strings_off = w->struct_end;
	memmove(w->buf + strings_off, w->buf + w->size - w->strings_size,
		w->strings_size);
	total = strings_off + w->strings_size;

	ds_put_be32(w->buf + FDTF_HDR_TOTALSIZE, total);
	ds_put_be32(w->buf + FDTF_HDR_OFF_STRUCT, FDTF_STRUCT_START);
	ds_put_be32(w->buf + FDTF_HDR_OFF_STRINGS, strings_off);
	ds_put_be32(w->buf + FDTF_HDR_OFF_RSVMAP, FDTF_RSVMAP_OFF);
	ds_put_be32(w->buf + FDTF_HDR_VERSION, FDTF_VERSION);
	ds_put_be32(w->buf + FDTF_HDR_LAST_COMP, FDTF_LAST_COMP_VERSION);
	ds_put_be32(w->buf + FDTF_HDR_BOOT_CPUID, 0);
	ds_put_be32(w->buf + FDTF_HDR_SIZE_STRINGS, w->strings_size);
	ds_put_be32(w->buf + FDTF_HDR_SIZE_STRUCT,
		    w->struct_end - FDTF_STRUCT_START);
	/* The real magic goes in last: only now is the blob valid. */
	ds_put_be32(w->buf + FDTF_HDR_MAGIC, FDTF_MAGIC);
	w->state = DS_W_DONE;
	return (int)total;
}
