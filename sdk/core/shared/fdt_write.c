// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Sequential FDT writer over a caller's buffer.
 *
 * The structure block grows up from the header and the strings block sits
 * at the end of the buffer, as in libfdt's sequential-write API. Unlike
 * libfdt's, the strings block is kept in its final order: a new name goes
 * after the others (first use first, the order dtc writes) and the block
 * slides down to make room for it. A property's name offset is therefore
 * final the moment the property is written, and finishing only moves the
 * strings behind the structure block: the structure block, tens of
 * megabytes for a large machine, is never read back.
 *
 * The tree and the blob's size are those libfdt builds from the same calls
 * (a name that is the tail of an earlier one shares its bytes, as in libfdt
 * and dtc); the order of the strings block, and so every name offset,
 * differs. tests/unit/test_libfdt.c holds the two writers to exactly that.
 *
 * Interning a name is the hot path: a cache keyed by the caller's pointer
 * (checked byte for byte, since a caller may reuse a buffer for another
 * name) answers nearly every call; behind it a hash table of the names'
 * bytes, and only a name never seen before searches the strings block.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
#include "fdt_write_priv.h"

/* Probes of the address cache before a name takes its home slot. */
#define DS_W_NAME_PROBES	4

static int ds_w_fail(struct ds_fdt_writer *w, int err)
{
	w->state = DS_W_ERROR;
	w->prop_ok = false;
	return err;
}

/* Room between the end of the structure block and the strings block. */
static inline uint32_t ds_w_room(const struct ds_fdt_writer *w)
{
	return w->size - w->strings_size - w->struct_end;
}

static inline const uint8_t *ds_w_strings(const struct ds_fdt_writer *w)
{
	return w->buf + w->size - w->strings_size;
}

void ds_fdt_mark(const struct ds_fdt_writer *w, struct ds_fdt_mark *m)
{
	m->struct_end = w->struct_end;
	m->depth = w->depth;
	m->prop_ok = w->prop_ok;
	m->state = w->state;
}

int ds_fdt_rewind(struct ds_fdt_writer *w, const struct ds_fdt_mark *m)
{
	/* Only back, only into a tree still being written. */
	if (!w || !m || m->state != DS_W_TREE || w->state == DS_W_DONE ||
	    m->struct_end > w->struct_end || m->struct_end < FDTF_STRUCT_START)
		return -DS_ERR_BADSTATE;
	w->struct_end = m->struct_end;
	w->depth = m->depth;
	w->prop_ok = m->prop_ok;
	w->state = m->state;
	return 0;
}

/* Grab @len bytes of structure block, or NULL when they do not fit. */
static inline uint8_t *ds_w_grab(struct ds_fdt_writer *w, uint32_t len)
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
 * Slot hash of a name's bytes: its length and its first and last four
 * bytes. Any hash gives the same blob (a slot only remembers what the
 * search would find); this one costs no loop per character.
 */
static uint32_t ds_w_hash(const char *s, uint32_t len)
{
	uint32_t head = 0, tail, h, i;

	if (len >= 4) {
		/* fixed-size copies: single loads, whatever the alignment */
		memcpy(&head, s, 4);
		memcpy(&tail, s + len - 4, 4);
	} else {
		for (i = 0; i < len; i++)
			head = head << 8 | (uint8_t)s[i];
		tail = head;
	}
	h = (head * 0x9e3779b1u) ^ (tail * 0x85ebca77u) ^ (len * 0xc2b2ae3du);
	return h ^ (h >> 16);	/* the slot takes the low bits */
}

/*
 * Find @s (with its NUL) in the strings block, lowest offset first: a name
 * may be the tail of a longer one, and dtc and libfdt both reuse the first
 * such place. A string keeps its offset in the block (the block slides as
 * a whole), so the answer for a name never changes once it is there, and
 * the caches may keep it.
 */
static bool ds_w_search(const struct ds_fdt_writer *w, const char *s,
			uint32_t len, uint32_t *off)
{
	const uint8_t *tab = ds_w_strings(w);
	const uint8_t *p, *last;

	if (len >= w->strings_size)
		return false;
	last = tab + w->strings_size - (len + 1);
	for (p = tab; p <= last; p++) {
		p = memchr(p, (uint8_t)s[0], (size_t)(last - p) + 1);
		if (!p)
			return false;
		if (!memcmp(p, s, len + 1)) {
			*off = (uint32_t)(p - tab);
			return true;
		}
	}
	return false;
}

/*
 * Append a new name at the end of the strings block, which slides down by
 * its size: the offsets already handed out stay valid. The move costs the
 * block's size once per distinct name, as much as the search before it.
 */
static int ds_w_append(struct ds_fdt_writer *w, const char *name,
		       uint32_t len, uint32_t *off)
{
	uint8_t *tab = w->buf + w->size - w->strings_size;

	if (len >= ds_w_room(w))
		return -DS_ERR_NOSPACE;
	memmove(tab - (len + 1), tab, w->strings_size);
	memcpy(w->buf + w->size - (len + 1), name, len + 1);
	*off = w->strings_size;
	w->strings_size += len + 1;
	return 0;
}

/* The offset of the name @name (@len bytes), appending it when new. */
static int ds_w_intern_bytes(struct ds_fdt_writer *w, const char *name,
			     uint32_t len, uint32_t *off)
{
	const uint8_t *tab = ds_w_strings(w);
	uint32_t h = ds_w_hash(name, len), i, slot = 0;
	int ret;

	for (i = 0; i < DS_FDT_INTERN_SLOTS; i++) {
		uint32_t o;

		slot = (h + i) & (DS_FDT_INTERN_SLOTS - 1);
		o = w->intern[slot];
		if (!o)
			break;
		o--;
		if (len < w->strings_size - o && !memcmp(tab + o, name, len + 1)) {
			*off = o;
			return 0;
		}
	}
	if (!ds_w_search(w, name, len, off)) {
		ret = ds_w_append(w, name, len, off);
		if (ret)
			return ret;
	}
	/* A full table still works: its names just take the search. */
	if (i < DS_FDT_INTERN_SLOTS)
		w->intern[slot] = *off + 1;
	return 0;
}

static inline uint32_t ds_w_addr_hash(const char *name)
{
	return ((uint32_t)(uintptr_t)name * 0x9e3779b1u) >> 16;
}

/*
 * The cache missed: take the name's bytes, through the hash table, and
 * give the name a cache slot (its home slot @h when the probed ones are
 * taken). Out of line, so that the hit path stays small. Returns the
 * name's offset or a negative error, as ds_w_intern().
 */
static noinline int32_t ds_w_intern_slow(struct ds_fdt_writer *w,
					 const char *name, uint32_t h)
{
	struct ds_fdt_name_slot *e = &w->names[h & (DS_FDT_NAME_SLOTS - 1)];
	uint32_t i, len, off;
	int ret;

	for (i = 0; i < DS_W_NAME_PROBES; i++) {
		struct ds_fdt_name_slot *s;

		s = &w->names[(h + i) & (DS_FDT_NAME_SLOTS - 1)];
		if (!s->name || s->name == name) {
			e = s;
			break;
		}
	}
	len = (uint32_t)strlen(name);
	if (len == 0)
		return -DS_ERR_INVAL;
	ret = ds_w_intern_bytes(w, name, len, &off);
	if (ret)
		return ret;
	e->name = name;
	e->off = off;
	return (int32_t)off;	/* below w->size, itself below 2^31 */
}

/*
 * The offset of a property name, or a negative error. Callers pass the
 * same few names over and over, mostly from the same addresses (string
 * literals): the cache slot of the address gives the offset once strcmp()
 * confirms the bytes there, since a caller may reuse a buffer for another
 * name. (strcmp reads no further than the caller's NUL; a word-wise
 * compare could read past it.)
 */
static inline int32_t ds_w_intern(struct ds_fdt_writer *w, const char *name)
{
	uint32_t h = ds_w_addr_hash(name), i;

	for (i = 0; i < DS_W_NAME_PROBES; i++) {
		const struct ds_fdt_name_slot *e;

		e = &w->names[(h + i) & (DS_FDT_NAME_SLOTS - 1)];
		if (e->name == name) {
			if (strcmp(name, (const char *)ds_w_strings(w) + e->off))
				break;	/* a buffer reused for another name */
			return (int32_t)e->off;
		}
		if (!e->name)
			break;
	}
	return ds_w_intern_slow(w, name, h);
}

/* The state checks every node start makes, whoever made its name. */
static int ds_w_node_ok(struct ds_fdt_writer *w)
{
	if (w->state != DS_W_TREE)
		return -DS_ERR_BADSTATE;
	/* Only one root: a second top-level node would be a second tree. */
	if (w->depth == 0 && w->struct_end != FDTF_STRUCT_START)
		return ds_w_fail(w, -DS_ERR_BADSTATE);
	if (w->depth >= DS_MAX_DEPTH)
		return ds_w_fail(w, -DS_ERR_DEPTH);
	return 0;
}

/* BEGIN_NODE and a name of @len bytes that obeys the reader's rules. */
static int ds_w_put_node(struct ds_fdt_writer *w, const char *name,
			 uint32_t len)
{
	uint32_t padded = fdtf_align4(len + 1);
	uint8_t *p = ds_w_grab(w, FDTF_TAG_SIZE + padded);

	if (!p)
		return ds_w_fail(w, -DS_ERR_NOSPACE);
	ds_put_be32(p, FDTF_BEGIN_NODE);
	/* The name's last word first: its NUL and padding, then the name. */
	ds_put_be32(p + padded, 0);
	memcpy(p + FDTF_TAG_SIZE, name, len);
	w->depth++;
	w->prop_ok = true;
	return 0;
}

int ds_fdt_begin_node(struct ds_fdt_writer *w, const char *name)
{
	uint32_t len = 0, sum = 0, c;
	int ret;

	if (!w || !name)
		return -DS_ERR_INVAL;
	ret = ds_w_node_ok(w);
	if (ret)
		return ret;
	/*
	 * The reader's rules for a node name (fdt_check.c): the root's is
	 * empty, any other is non-empty, of allowed characters, at most
	 * DS_MAX_NAME_LEN long, with at most one '@' and not in front. One
	 * pass measures and checks, up to the NUL or the first bad byte. A
	 * blob the next kernel would reject must never be written.
	 */
	/* '@' counts twice in the sum: sum - len is the number of '@'s */
	while ((c = fdtf_name_class[(uint8_t)name[len]]) &
	       (FDTF_NC_OK | FDTF_NC_AT)) {
		sum += c;
		len++;
	}
	if (name[len] || len > DS_MAX_NAME_LEN || sum - len > 1 ||
	    name[0] == '@' || (w->depth == 0) != (len == 0))
		return ds_w_fail(w, -DS_ERR_BADNAME);
	return ds_w_put_node(w, name, len);
}

int ds_fdt_can_open(struct ds_fdt_writer *w, uint32_t nodes)
{
	int ret = ds_w_node_ok(w);

	if (ret)
		return ret;
	if (w->depth == 0)
		return ds_w_fail(w, -DS_ERR_BADNAME);	/* the root has no name */
	if (nodes > DS_MAX_DEPTH - w->depth)
		return ds_w_fail(w, -DS_ERR_DEPTH);
	return 0;
}

int32_t ds_fdt_known_name_slow(struct ds_fdt_writer *w, uint32_t id,
			       const char *name)
{
	int32_t off = ds_w_intern(w, name);

	if (off < 0)
		return ds_w_fail(w, off);
	w->known[id] = (uint32_t)off + 1;
	w->known_mask |= 1u << id;
	return off;
}

uint8_t *ds_fdt_open_span(struct ds_fdt_writer *w, uint32_t nodes,
			  uint32_t len, int *err)
{
	uint8_t *p;

	/* ds_fdt_can_open() said yes; only a failed name since can undo it */
	if (w->state != DS_W_TREE) {
		*err = -DS_ERR_BADSTATE;
		return NULL;
	}
	p = ds_w_grab(w, len);
	if (!p) {
		*err = ds_w_fail(w, -DS_ERR_NOSPACE);
		return NULL;
	}
	w->depth += nodes;
	w->prop_ok = true;
	return p;
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
	/*
	 * Properties come before a node's children: the reader rejects one
	 * written right after a child's END_NODE, so it is never written.
	 */
	w->prop_ok = false;
	return 0;
}

/*
 * A property's header, and its value's room for the caller to fill. Every
 * property writer inlines this, so a fixed-size one is a handful of
 * instructions around the name lookup, with one bounds check.
 */
static inline uint8_t *ds_w_prop(struct ds_fdt_writer *w, const char *name,
				 uint32_t len, int *err)
{
	uint32_t padded;
	int32_t nameoff;
	uint8_t *p;

	if (!w || !name || len > 0x7fffffffu - FDTF_PROP_HDR_SIZE) {
		*err = -DS_ERR_INVAL;
		return NULL;
	}
	/* false in every state but TREE, and after a child's END_NODE */
	if (!w->prop_ok) {
		*err = -DS_ERR_BADSTATE;
		return NULL;
	}
	nameoff = ds_w_intern(w, name);
	if (nameoff < 0) {
		*err = ds_w_fail(w, nameoff);
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
	/* Zero the value's last word now; the caller fills exactly len bytes. */
	if (padded != len)
		ds_put_be32(p + FDTF_PROP_HDR_SIZE + padded - 4, 0);
	*err = 0;
	return p + FDTF_PROP_HDR_SIZE;
}

void *ds_fdt_prop_space(struct ds_fdt_writer *w, const char *name,
			uint32_t len, int *err)
{
	return ds_w_prop(w, name, len, err);
}

int ds_fdt_prop(struct ds_fdt_writer *w, const char *name,
		const void *val, uint32_t len)
{
	uint8_t *p;
	int err;

	if (!val && len)
		return -DS_ERR_INVAL;
	p = ds_w_prop(w, name, len, &err);
	if (!p)
		return err;
	fdtf_copy(p, val, len);
	return 0;
}

int ds_fdt_prop_u32(struct ds_fdt_writer *w, const char *name, uint32_t v)
{
	uint8_t *p;
	int err;

	p = ds_w_prop(w, name, 4, &err);
	if (!p)
		return err;
	ds_put_be32(p, v);
	return 0;
}

int ds_fdt_prop_u64(struct ds_fdt_writer *w, const char *name, uint64_t v)
{
	uint8_t *p;
	int err;

	p = ds_w_prop(w, name, 8, &err);
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
	p = ds_w_prop(w, name, n * 4, &err);
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

	/* Every name offset is final already: only the strings move. */
	strings_off = w->struct_end;
	memmove(w->buf + strings_off, ds_w_strings(w), w->strings_size);
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
