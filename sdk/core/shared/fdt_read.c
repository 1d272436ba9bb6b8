// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Accessors over a blob ds_fdt_open() has validated. The structure is known
 * to be well formed, so these walk it directly; lengths the caller asks for
 * are still checked against each property's actual length.
 *
 * A caller's offset may still be stray: 4-aligned and on a token-like word
 * inside a property value. Such a walk yields nonsense but stays inside the
 * structure block and always ends: a token running past the block's closing
 * FDT_END jumps to it, and a property's name and value are checked before
 * they are handed out. None of this costs more than a compare on the
 * offsets ds_fdt_open() vouched for.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"

static uint32_t ds_tag_at(const struct ds_fdt *f, uint32_t off)
{
	return ds_get_be32(f->blob + f->struct_off + off);
}

/*
 * End of the property at @off, padding included, counted in 64 bits so no
 * length wraps it. Its length can be read: FDT_END closes the block, so a
 * PROP tag lies at least 8 bytes before its end.
 */
static uint64_t ds_prop_end(const struct ds_fdt *f, uint32_t off)
{
	uint64_t len = ds_get_be32(f->blob + f->struct_off + off + 4);

	return (uint64_t)off + FDTF_PROP_HDR_SIZE + ((len + 3) & ~(uint64_t)3);
}

/*
 * Length of a node name with its NUL and padding, a word at a time: the
 * name starts 4-aligned, so its NUL lies in the first word holding a zero
 * byte and the next token starts right after that word. The same as
 * fdtf_align4(strlen + 1), and as bounded: FDT_END's word holds zeros.
 */
static uint32_t ds_padded_name_len(const uint8_t *name)
{
	uint32_t len = 0, w;

	for (;; len += 4) {
		memcpy(&w, name + len, sizeof(w));
		if ((w - 0x01010101u) & ~w & 0x80808080u)
			return len + 4;
	}
}

/*
 * Offset of the token after the one at @off, never past the FDT_END that
 * closes the block (ds_fdt_open() checked it is there), so every offset a
 * walk meets has a tag to read. A node name always ends inside the block:
 * FDT_END starts with a NUL byte. Walks stop at FDT_END, never step it.
 */
static uint32_t ds_next_token(const struct ds_fdt *f, uint32_t off)
{
	const uint8_t *p = f->blob + f->struct_off + off;
	uint32_t last = f->struct_size - FDTF_TAG_SIZE;
	uint64_t end;

	switch (ds_tag_at(f, off)) {
	case FDTF_BEGIN_NODE:
		end = off + FDTF_TAG_SIZE + ds_padded_name_len(p + 4);
		break;
	case FDTF_PROP:
		end = ds_prop_end(f, off);
		break;
	default:
		return off + FDTF_TAG_SIZE;
	}
	return end > last ? last : (uint32_t)end;
}

/*
 * @prop is 4-aligned, its header inside the block, and tagged FDT_PROP: one
 * mask tests sign and alignment, and a non-negative int plus 12 cannot wrap.
 */
static inline bool ds_is_prop(const struct ds_fdt *f, int prop)
{
	return f && f->nodes && !((uint32_t)prop & 0x80000003u) &&
	       (uint32_t)prop + FDTF_PROP_HDR_SIZE <= f->struct_size &&
	       ds_tag_at(f, (uint32_t)prop) == FDTF_PROP;
}

/*
 * The token after the property at @prop (ds_is_prop() true), past any NOP:
 * its offset when it is a property, else -DS_ERR_NOTFOUND. Clamped to
 * FDT_END as ds_next_token() does, for a stray @prop.
 */
static int ds_prop_after(const struct ds_fdt *f, uint32_t prop)
{
	const uint8_t *s = f->blob + f->struct_off;
	uint64_t end = ds_prop_end(f, prop);
	uint32_t last = f->struct_size - FDTF_TAG_SIZE;
	uint32_t off = end > last ? last : (uint32_t)end, tag;

	while ((tag = ds_get_be32(s + off)) == FDTF_NOP)
		off += FDTF_TAG_SIZE;
	return tag == FDTF_PROP ? (int)off : -DS_ERR_NOTFOUND;
}

static bool ds_is_node(const struct ds_fdt *f, int node)
{
	return f && f->nodes && node >= 0 &&
	       (uint32_t)node + FDTF_TAG_SIZE <= f->struct_size &&
	       node % 4 == 0 && ds_tag_at(f, (uint32_t)node) == FDTF_BEGIN_NODE;
}

/* First token after a node's properties (a child, or its END_NODE). */
static uint32_t ds_skip_props(const struct ds_fdt *f, uint32_t node)
{
	uint32_t off = ds_next_token(f, node), tag;

	while ((tag = ds_tag_at(f, off)) == FDTF_PROP || tag == FDTF_NOP)
		off = ds_next_token(f, off);
	return off;
}

/* Offset just past the END_NODE closing the node at @node. */
static uint32_t ds_skip_subtree(const struct ds_fdt *f, uint32_t node)
{
	uint32_t off = ds_next_token(f, node), depth = 1;

	while (depth) {
		uint32_t tag = ds_tag_at(f, off);

		if (tag == FDTF_END)
			break;		/* only a stray node gets here */
		if (tag == FDTF_BEGIN_NODE)
			depth++;
		else if (tag == FDTF_END_NODE)
			depth--;
		off = ds_next_token(f, off);
	}
	return off;
}

static int ds_node_at_or_none(const struct ds_fdt *f, uint32_t off)
{
	while (ds_tag_at(f, off) == FDTF_NOP)
		off += FDTF_TAG_SIZE;
	return ds_tag_at(f, off) == FDTF_BEGIN_NODE ? (int)off : -DS_ERR_NOTFOUND;
}

int ds_fdt_first_child(const struct ds_fdt *f, int node)
{
	if (!ds_is_node(f, node))
		return -DS_ERR_INVAL;
	return ds_node_at_or_none(f, ds_skip_props(f, (uint32_t)node));
}

int ds_fdt_next_sibling(const struct ds_fdt *f, int node)
{
	if (!ds_is_node(f, node) || node == 0)
		return -DS_ERR_INVAL;
	return ds_node_at_or_none(f, ds_skip_subtree(f, (uint32_t)node));
}

const char *ds_fdt_node_name(const struct ds_fdt *f, int node, int *lenp)
{
	const char *name;

	if (!ds_is_node(f, node)) {
		if (lenp)
			*lenp = -DS_ERR_INVAL;
		return NULL;
	}
	name = (const char *)f->blob + f->struct_off + node + FDTF_TAG_SIZE;
	if (lenp)
		*lenp = (int)strlen(name);
	return name;
}

int ds_fdt_subnode(const struct ds_fdt *f, int parent, const char *name)
{
	int child;

	for (child = ds_fdt_first_child(f, parent); child >= 0;
	     child = ds_fdt_next_sibling(f, child)) {
		if (!strcmp(ds_fdt_node_name(f, child, NULL), name))
			return child;
	}
	return child;
}

int ds_fdt_first_prop(const struct ds_fdt *f, int node)
{
	uint32_t off;

	if (!ds_is_node(f, node))
		return -DS_ERR_INVAL;
	off = ds_next_token(f, (uint32_t)node);
	while (ds_tag_at(f, off) == FDTF_NOP)
		off += FDTF_TAG_SIZE;
	return ds_tag_at(f, off) == FDTF_PROP ? (int)off : -DS_ERR_NOTFOUND;
}

int ds_fdt_next_prop(const struct ds_fdt *f, int prop)
{
	if (!ds_is_prop(f, prop))
		return -DS_ERR_INVAL;
	return ds_prop_after(f, (uint32_t)prop);
}

const void *ds_fdt_prop_at(const struct ds_fdt *f, int prop,
			   const char **name, int *lenp)
{
	const uint8_t *p;
	uint32_t len, nameoff;

	if (!ds_is_prop(f, prop))
		goto stray;
	p = f->blob + f->struct_off + prop;
	len = ds_get_be32(p + 4);
	nameoff = ds_get_be32(p + 8);
	/* As ds_check_props() vouches for every property ds_fdt_open() met. */
	if ((uint64_t)prop + FDTF_PROP_HDR_SIZE + (((uint64_t)len + 3) & ~3ull) >
	    f->struct_size || nameoff >= f->strings_end)
		goto stray;
	if (name)
		*name = (const char *)f->blob + f->strings_off + nameoff;
	if (lenp)
		*lenp = (int)len;
	return p + FDTF_PROP_HDR_SIZE;
stray:
	if (lenp)
		*lenp = -DS_ERR_INVAL;
	return NULL;
}

const void *ds_fdt_getprop(const struct ds_fdt *f, int node,
			   const char *name, int *lenp)
{
	int prop = ds_fdt_first_prop(f, node);

	for (; prop >= 0; prop = ds_fdt_next_prop(f, prop)) {
		const char *pname;
		const void *val = ds_fdt_prop_at(f, prop, &pname, lenp);

		if (!val)
			return NULL;	/* a stray property: *lenp says so */
		if (!strcmp(pname, name))
			return val;
	}
	if (lenp)
		*lenp = prop;
	return NULL;
}

/* A property whose length must be exactly @len. */
static const void *ds_getprop_len(const struct ds_fdt *f, int node,
				  const char *name, int len, int *err)
{
	int got;
	const void *p = ds_fdt_getprop(f, node, name, &got);

	if (!p) {
		*err = got;
		return NULL;
	}
	if (got != len) {
		*err = -DS_ERR_BADLEN;
		return NULL;
	}
	*err = 0;
	return p;
}

int ds_fdt_get_u32(const struct ds_fdt *f, int node, const char *name,
		   uint32_t *out)
{
	int err;
	const void *p = ds_getprop_len(f, node, name, 4, &err);

	if (p)
		*out = ds_get_be32(p);
	return err;
}

int ds_fdt_get_u64(const struct ds_fdt *f, int node, const char *name,
		   uint64_t *out)
{
	int err;
	const void *p = ds_getprop_len(f, node, name, 8, &err);

	if (p)
		*out = ds_get_be64(p);
	return err;
}

/* Returns the number of cells read, at most @max. */
int ds_fdt_get_u32_array(const struct ds_fdt *f, int node, const char *name,
			 uint32_t *out, uint32_t max)
{
	int len, i;
	const uint8_t *p = ds_fdt_getprop(f, node, name, &len);

	if (!p)
		return len;
	if (len % 4 || (uint32_t)len / 4 > max)
		return -DS_ERR_BADLEN;
	for (i = 0; i < len / 4; i++)
		out[i] = ds_get_be32(p + 4 * i);
	return len / 4;
}

const char *ds_fdt_get_string(const struct ds_fdt *f, int node,
			      const char *name, int *err)
{
	int len;
	const char *p = ds_fdt_getprop(f, node, name, &len);

	if (!p) {
		*err = len;
		return NULL;
	}
	if (len < 1 || p[len - 1] || strlen(p) != (size_t)len - 1) {
		*err = -DS_ERR_BADSTRING;
		return NULL;
	}
	*err = 0;
	return p;
}
