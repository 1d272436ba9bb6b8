// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device record reader: decode and check one device node of an untrusted
 * (but structurally validated) blob. One pass collects the properties this
 * version knows, ignoring any other, then each is decoded with its length
 * and limits checked. A record of another version is not decoded at all.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
#include "record_check.h"

enum ds_rprop {
	RP_PCI, RP_BRIDGE_PATH, RP_BARS, RP_MSI, RP_IRQ_VECTORS,
	RP_IRQ_VECTORS_HI, RP_DMA_REGIONS, RP_DMA_NAMES, RP_DRIVER_NAME,
	/* last, as writers put them: a typical record steps over none */
	RP_IRQ_MORE, RP_IRQ_MORE_HI, RP_IRQ_MORE_MASK, RP_COUNT
};

static const char *const ds_rprop_names[RP_COUNT] = {
	[RP_PCI] = DS_PROP_PCI,
	[RP_BRIDGE_PATH] = DS_PROP_BRIDGE_PATH,
	[RP_BARS] = DS_PROP_BARS,
	[RP_MSI] = DS_PROP_MSI,
	[RP_IRQ_VECTORS] = DS_PROP_IRQ_VECTORS,
	[RP_IRQ_VECTORS_HI] = DS_PROP_IRQ_VECTORS_HI,
	[RP_IRQ_MORE] = DS_PROP_IRQ_MORE,
	[RP_IRQ_MORE_HI] = DS_PROP_IRQ_MORE_HI,
	[RP_IRQ_MORE_MASK] = DS_PROP_IRQ_MORE_MASK,
	[RP_DMA_REGIONS] = DS_PROP_DMA_REGIONS,
	[RP_DMA_NAMES] = DS_PROP_DMA_NAMES,
	[RP_DRIVER_NAME] = DS_PROP_DRIVER_NAME,
};

struct ds_rprops {
	const uint8_t *val[RP_COUNT];
	uint32_t len[RP_COUNT];
	int first_child;	/* node after the properties, or -DS_ERR_NOTFOUND */
	const uint8_t *unit;	/* a 16-byte node name's unit address, or NULL */
};

DS_ABI_STATIC_ASSERT(RP_COUNT <= DS_RECORD_PROP_SLOTS,
		     "struct ds_blob's memo holds every record property");

/*
 * A property's name as an enum ds_rprop, or -1 for a name this version
 * does not know. With a memo (ds_record_memo()), a name at a remembered
 * offset is known without looking at it. Writers emit the properties in
 * the order of enum ds_rprop, so @hint (the one after the last match) is
 * tried first; any other order still finds every name, only a little
 * slower.
 */
static int ds_rprop_id(const char *name, uint32_t nameoff, int hint,
		       const uint32_t *memo)
{
	int i;

	if (memo) {
		for (i = hint; i < RP_COUNT; i++)
			if (memo[i] == nameoff)
				return i;
	}
	if (hint < RP_COUNT && !strcmp(ds_rprop_names[hint], name))
		return hint;
	/* The first character rules out all but one or two candidates. */
	for (i = 0; i < RP_COUNT; i++)
		if (ds_rprop_names[i][0] == name[0] &&
		    !strcmp(ds_rprop_names[i], name))
			return i;
	return -1;
}

void ds_record_memo(const struct ds_fdt *f, uint32_t *memo)
{
	const char *tab = (const char *)f->blob + f->strings_off;
	uint32_t id, off, len;

	for (id = 0; id < DS_RECORD_PROP_SLOTS; id++) {
		memo[id] = ~0u;
		if (id >= RP_COUNT)
			continue;
		/* the lowest offset holding the name, as writers search */
		len = (uint32_t)strlen(ds_rprop_names[id]) + 1;
		for (off = 0; off + len <= f->strings_end; off++)
			if (!memcmp(tab + off, ds_rprop_names[id], len)) {
				memo[id] = off;
				break;
			}
	}
}

/*
 * The property token at @off, if that is what it is: its value and name,
 * and the offset of the token after it. ds_fdt_open() checked every token
 * of the blob, but @node comes from the caller and may be a stray offset
 * into a property value, so each step is bounds-checked here as the
 * accessors of fdt_read.c do, inline, once per property.
 */
static int ds_prop_step(const struct ds_fdt *f, uint32_t off,
			const char **name, uint32_t *nameoff, uint32_t *len,
			uint32_t *next)
{
	const uint8_t *p = f->blob + f->struct_off + off;
	uint64_t end;

	if (off > f->struct_size - FDTF_PROP_HDR_SIZE)
		return -DS_ERR_INVAL;
	*len = ds_get_be32(p + 4);
	*nameoff = ds_get_be32(p + 8);
	end = (uint64_t)off + FDTF_PROP_HDR_SIZE + (((uint64_t)*len + 3) & ~3ull);
	/* below strings_end, a name always meets its NUL inside the block */
	if (end > f->struct_size || *nameoff >= f->strings_end)
		return -DS_ERR_INVAL;
	*name = (const char *)f->blob + f->strings_off + *nameoff;
	*next = (uint32_t)end;
	return 0;
}

/* A canonical device node name: "dev@dddd,bb,ss.f", NUL, 3 bytes of padding. */
#define DS_CANON_PREFIX		DS_DEVICE_NODE_PREFIX "@"
#define DS_CANON_PREFIX_LEN	(sizeof(DS_CANON_PREFIX) - 1)
#define DS_CANON_NAME_LEN	(DS_CANON_PREFIX_LEN + 12)

/* A word of which some byte is zero. */
static bool ds_has_zero64(uint64_t w)
{
	return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}

/*
 * The token after the name of the node at @node, when that name has the
 * length of every writer's, DS_DEVICE_NODE_PREFIX "@" and 12 more bytes
 * (rp->unit points at those). The checks are ds_fdt_first_prop()'s on
 * @node (a BEGIN_NODE token, 4-aligned, in an open blob) plus room for the
 * name and the token after it, which holds for a stray offset too; a name
 * of 16 non-NUL bytes and a NUL pads to 20, so ds_fdt_first_prop() would
 * step to the same token. 0 for any other node, for the general path.
 */
static uint32_t ds_node_body(const struct ds_fdt *f, int node,
			     struct ds_rprops *rp)
{
	const uint8_t *name, *unit;

	if (!f->nodes || node < 0 || (uint32_t)node % 4 ||
	    f->struct_size < FDTF_TAG_SIZE + 20 + FDTF_TAG_SIZE ||
	    (uint32_t)node > f->struct_size - (FDTF_TAG_SIZE + 20 + FDTF_TAG_SIZE))
		return 0;
	name = f->blob + f->struct_off + node + FDTF_TAG_SIZE;
	unit = name + DS_CANON_PREFIX_LEN;
	if (ds_get_be32(name - FDTF_TAG_SIZE) != FDTF_BEGIN_NODE ||
	    memcmp(name, DS_CANON_PREFIX, DS_CANON_PREFIX_LEN) ||
	    name[DS_CANON_NAME_LEN] || ds_has_zero64(ds_get_be64(unit)) ||
	    ds_has_zero64(0xffffffff00000000ull | ds_get_be32(unit + 8)))
		return 0;
	rp->unit = unit;
	return (uint32_t)node + FDTF_TAG_SIZE + 20;
}

/*
 * One pass over the node's properties, without the per-call overhead of
 * ds_fdt_next_prop() and ds_fdt_prop_at(). It stops at the first token
 * that is neither a property nor a NOP: the node's first child, or its
 * end.
 */
static int ds_collect(const struct ds_fdt *blob, int node,
		      struct ds_rprops *rp, const uint32_t *memo)
{
	/* a copy the stores to @rp cannot alias, so it stays in registers */
	const struct ds_fdt fdt = *blob, *f = &fdt;
	const uint8_t *base = f->blob + f->struct_off;
	uint32_t off, next, len, tag, nameoff;
	int prop, id, hint = 0, ret;
	const char *name;

	memset(rp, 0, sizeof(*rp));
	rp->first_child = -DS_ERR_NOTFOUND;
	off = ds_node_body(f, node, rp);
	if (!off) {
		prop = ds_fdt_first_prop(f, node);
		if (prop == -DS_ERR_NOTFOUND) {
			/* no properties: the caller says what is missing */
			rp->first_child = ds_fdt_first_child(f, node);
			return 0;
		}
		if (prop < 0)
			return prop;
		off = (uint32_t)prop;
	}
	for (;; off = next) {
		while (off <= f->struct_size - FDTF_TAG_SIZE &&
		       (tag = ds_get_be32(base + off)) == FDTF_NOP)
			off += FDTF_TAG_SIZE;
		if (off > f->struct_size - FDTF_TAG_SIZE)
			return -DS_ERR_INVAL;	/* a stray node ran off the block */
		if (tag != FDTF_PROP)
			break;
		ret = ds_prop_step(f, off, &name, &nameoff, &len, &next);
		if (ret)
			return ret;
		id = ds_rprop_id(name, nameoff, hint, memo);
		if (id < 0)
			continue;	/* a newer writer's addition */
		hint = id + 1;
		if (rp->val[id])
			return -DS_ERR_BADRECORD;	/* duplicate property */
		rp->val[id] = base + off + FDTF_PROP_HDR_SIZE;
		rp->len[id] = len;
	}
	if (tag == FDTF_BEGIN_NODE)
		rp->first_child = (int)off;
	return 0;
}

/*
 * The driver-state child, looking only at the node's children. Writers put
 * it first: its name, NUL included, is compared in one go when the block
 * has room for that many bytes (a shorter name differs at or before its
 * NUL, so reading past it decides nothing).
 */
static int ds_state_child(const struct ds_fdt *f, const struct ds_rprops *rp)
{
	static const char want[] = DS_DRIVER_STATE_NODE;
	int child = rp->first_child;

	if (child >= 0 &&
	    (uint32_t)child + FDTF_TAG_SIZE + sizeof(want) <= f->struct_size &&
	    !memcmp(f->blob + f->struct_off + child + FDTF_TAG_SIZE, want,
		    sizeof(want)))
		return child;
	for (; child >= 0; child = ds_fdt_next_sibling(f, child))
		if (!strcmp(ds_fdt_node_name(f, child, NULL), want))
			return child;
	return child;
}

static bool ds_is_cstring(const uint8_t *p, uint32_t len, uint32_t max)
{
	return p && len >= 1 && len <= max && !p[len - 1] &&
	       strlen((const char *)p) == len - 1;
}


/*
 * The lower-case hex digits of @n's nibbles, the first in the top byte of
 * the result: each nibble spread to a byte, then '0' added, and 'a' - '0'
 * - 10 more to those of 10 and over (whose byte + 6 carries into bit 4).
 */
static uint64_t ds_hex8(uint32_t n)
{
	uint64_t v = n;

	v = (v | v << 16) & 0x0000ffff0000ffffull;
	v = (v | v << 8) & 0x00ff00ff00ff00ffull;
	v = (v | v << 4) & 0x0f0f0f0f0f0f0f0full;
	return v + 0x3030303030303030ull +
	       (((v + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull) *
	       ('a' - '0' - 10);
}

/*
 * The node name, which is the index key, must agree with the position the
 * cells give. A 16-byte name is compared with the unit address
 * DS_DEVICE_NODE_FMT spells, "dddd,bb,ss.f", built a word at a time (the
 * placeholder nibbles become the separators); any other name is spelled
 * out by ds_record_node_name(). The same verdict: a position that
 * DS_DEVICE_NODE_FMT spells in 16 bytes has a domain below 0x10000.
 */
static bool ds_name_matches(const struct ds_fdt *f, int node,
			    const struct ds_rprops *rp, const struct ds_record *r)
{
	char expect[DS_DEVICE_NODE_NAME_MAX];
	uint64_t a, b;

	if (rp->unit) {
		if (r->domain > 0xffff)
			return false;
		a = ds_hex8(r->domain << 16 | (uint32_t)r->bus << 4);
		a = (a & ~0xff0000ffull) | (uint64_t)',' << 24 | ',';
		b = ds_hex8((uint32_t)(r->devfn >> 3) << 8 | (r->devfn & 7u));
		b = (b & ~0xff00ull) | (uint64_t)'.' << 8;
		return ds_get_be64(rp->unit) == a &&
		       ds_get_be32(rp->unit + 8) == (uint32_t)b;
	}
	return ds_record_node_name(expect, r->domain, r->bus, r->devfn) >= 0 &&
	       !strcmp(expect, ds_fdt_node_name(f, node, NULL));
}

/*
 * Unpack DS_PROP_PCI's cells. Each field is masked or shifted to the width
 * ds_record_valid() allows it, or checked (command, pin and line, mode).
 */
static int ds_decode_pci(const struct ds_fdt *f, int node,
			 const struct ds_rprops *rp, struct ds_record *r,
			 uint32_t *vector_mask)
{
	const uint8_t *p = rp->val[RP_PCI];
	uint32_t c[DS_PCI_CELLS];

	if (rp->len[RP_PCI] != 4 * DS_PCI_CELLS)
		return -DS_ERR_BADRECORD;
	/* the cells used, spelled out: gcc keeps a loop over them a loop */
	c[DS_PCI_DOMAIN] = ds_get_be32(p + 4 * DS_PCI_DOMAIN);
	c[DS_PCI_BDF] = ds_get_be32(p + 4 * DS_PCI_BDF);
	c[DS_PCI_ID] = ds_get_be32(p + 4 * DS_PCI_ID);
	c[DS_PCI_SUBSYS] = ds_get_be32(p + 4 * DS_PCI_SUBSYS);
	c[DS_PCI_CLASS_REV] = ds_get_be32(p + 4 * DS_PCI_CLASS_REV);
	c[DS_PCI_COMMAND] = ds_get_be32(p + 4 * DS_PCI_COMMAND);
	c[DS_PCI_IRQ_MODE] = ds_get_be32(p + 4 * DS_PCI_IRQ_MODE);
	c[DS_PCI_IRQ_COUNT] = ds_get_be32(p + 4 * DS_PCI_IRQ_COUNT);
	c[DS_PCI_IRQ_PIN_LINE] = ds_get_be32(p + 4 * DS_PCI_IRQ_PIN_LINE);
	c[DS_PCI_VECTOR_MASK] = ds_get_be32(p + 4 * DS_PCI_VECTOR_MASK);
	c[DS_PCI_DMA_MASK_HI] = ds_get_be32(p + 4 * DS_PCI_DMA_MASK_HI);
	c[DS_PCI_DMA_MASK_LO] = ds_get_be32(p + 4 * DS_PCI_DMA_MASK_LO);
	c[DS_PCI_COHERENT_MASK_HI] = ds_get_be32(p + 4 * DS_PCI_COHERENT_MASK_HI);
	c[DS_PCI_COHERENT_MASK_LO] = ds_get_be32(p + 4 * DS_PCI_COHERENT_MASK_LO);
	if (c[DS_PCI_BDF] > 0xffff || c[DS_PCI_COMMAND] > 0xffff ||
	    c[DS_PCI_IRQ_PIN_LINE] > 0xffff || c[DS_PCI_IRQ_MODE] > DS_IRQ_MSIX)
		return -DS_ERR_BADRECORD;
	r->domain = c[DS_PCI_DOMAIN];
	r->bus = (uint8_t)(c[DS_PCI_BDF] >> 8);
	r->devfn = (uint8_t)c[DS_PCI_BDF];
	r->ids[DS_IDS_VENDOR] = c[DS_PCI_ID] & 0xffff;
	r->ids[DS_IDS_DEVICE] = c[DS_PCI_ID] >> 16;
	r->ids[DS_IDS_SUBVENDOR] = c[DS_PCI_SUBSYS] & 0xffff;
	r->ids[DS_IDS_SUBDEVICE] = c[DS_PCI_SUBSYS] >> 16;
	r->ids[DS_IDS_CLASS] = c[DS_PCI_CLASS_REV] >> 8;
	r->ids[DS_IDS_REVISION] = c[DS_PCI_CLASS_REV] & 0xff;
	r->command = c[DS_PCI_COMMAND];
	r->irq[DS_IRQ_CELL_MODE] = c[DS_PCI_IRQ_MODE];
	r->irq[DS_IRQ_CELL_COUNT] = c[DS_PCI_IRQ_COUNT];
	r->irq[DS_IRQ_CELL_PIN] = c[DS_PCI_IRQ_PIN_LINE] >> 8;
	r->irq[DS_IRQ_CELL_LINE] = c[DS_PCI_IRQ_PIN_LINE] & 0xff;
	*vector_mask = c[DS_PCI_VECTOR_MASK];
	r->dma_mask = (uint64_t)c[DS_PCI_DMA_MASK_HI] << 32 |
		      c[DS_PCI_DMA_MASK_LO];
	r->coherent_dma_mask = (uint64_t)c[DS_PCI_COHERENT_MASK_HI] << 32 |
			       c[DS_PCI_COHERENT_MASK_LO];
	return ds_name_matches(f, node, rp, r) ? 0 : -DS_ERR_BADRECORD;
}

/* Each index once and below DS_MAX_BARS, known flags, no wrap past 2^64. */
static int ds_decode_bars(const struct ds_rprops *rp, struct ds_record *r)
{
	const uint8_t *p = rp->val[RP_BARS];
	uint32_t i, n, info, seen = 0, len = rp->len[RP_BARS];

	if (len % sizeof(struct ds_abi_bar))
		return -DS_ERR_BADRECORD;
	n = len / sizeof(struct ds_abi_bar);
	if (n > DS_MAX_BARS)
		return -DS_ERR_BADRECORD;
	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_bar)) {
		struct ds_bar *b = &r->bars[i];

		info = ds_get_be32(p);
		b->index = info >> DS_BAR_INFO_INDEX_SHIFT;
		b->flags = info & ((1u << DS_BAR_INFO_INDEX_SHIFT) - 1);
		b->start = ds_get_be64(p + 4);
		b->size = ds_get_be64(p + 12);
		if (b->index >= DS_MAX_BARS || (seen & (1u << b->index)) ||
		    (b->flags & ~DS_BAR_FLAGS_KNOWN) ||
		    b->start + b->size < b->start)
			return -DS_ERR_BADRECORD;
		seen |= 1u << b->index;
	}
	r->nr_bars = n;
	return 0;
}

/*
 * How many vectors a node lists, checked from the properties' lengths
 * alone: @inline_n in irq-vectors (or MSI's expansion), @more after them.
 */
struct ds_vec_shape {
	uint32_t inline_n;
	uint32_t more;
};

/* MSI's one message pair: the messages it sends, up to the count. */
static int ds_shape_msi(const struct ds_rprops *rp, uint32_t mode,
			uint32_t count, struct ds_vec_shape *s)
{
	if (rp->len[RP_MSI] != 12 || rp->val[RP_IRQ_VECTORS] ||
	    rp->val[RP_IRQ_VECTORS_HI] || rp->val[RP_IRQ_MORE] ||
	    mode != DS_IRQ_MSI || !count)
		return -DS_ERR_BADRECORD;
	s->inline_n = count < DS_RECORD_VECTORS ? count : DS_RECORD_VECTORS;
	return 0;
}

/*
 * The entries past DS_RECORD_VECTORS: only MSI-X, only after a full
 * irq-vectors, within the count; their high words one cell each; their
 * mask cells one per 32, no bit set past the list.
 */
static int ds_shape_more(const struct ds_rprops *rp, uint32_t mode,
			 uint32_t count, struct ds_vec_shape *s)
{
	uint32_t len = rp->len[RP_IRQ_MORE], n = len / sizeof(struct ds_abi_vector);
	uint32_t cells = (n + 31) / 32, last;

	if (!rp->val[RP_IRQ_MORE])
		return rp->val[RP_IRQ_MORE_HI] || rp->val[RP_IRQ_MORE_MASK] ?
		       -DS_ERR_BADRECORD : 0;
	if (len % sizeof(struct ds_abi_vector) || !n ||
	    n > DS_MAX_VECTORS - DS_RECORD_VECTORS || mode != DS_IRQ_MSIX ||
	    s->inline_n != DS_RECORD_VECTORS || DS_RECORD_VECTORS + n > count ||
	    (rp->val[RP_IRQ_MORE_HI] && rp->len[RP_IRQ_MORE_HI] != 4 * n) ||
	    (rp->val[RP_IRQ_MORE_MASK] && rp->len[RP_IRQ_MORE_MASK] != 4 * cells))
		return -DS_ERR_BADRECORD;
	if (rp->val[RP_IRQ_MORE_MASK] && n % 32) {
		last = ds_get_be32(rp->val[RP_IRQ_MORE_MASK] + 4 * (cells - 1));
		if (last >> (n % 32))
			return -DS_ERR_BADRECORD;
	}
	s->more = n;
	return 0;
}

/*
 * The shape of the node's vector list from DS_PROP_PCI's mode, count and
 * mask cells: every length and count checked, no entry read.
 */
static int ds_vec_shape(const struct ds_rprops *rp, uint32_t mode,
			uint32_t count, uint32_t mask, struct ds_vec_shape *s)
{
	uint32_t n = rp->len[RP_IRQ_VECTORS] / sizeof(struct ds_abi_vector);
	int ret;

	s->inline_n = 0;
	s->more = 0;
	if (rp->val[RP_MSI]) {
		ret = ds_shape_msi(rp, mode, count, s);
		if (ret)
			return ret;
	} else {
		if (rp->len[RP_IRQ_VECTORS] % sizeof(struct ds_abi_vector) ||
		    n > DS_RECORD_VECTORS || n > count ||
		    (rp->val[RP_IRQ_VECTORS_HI] &&
		     rp->len[RP_IRQ_VECTORS_HI] != 4 * n))
			return -DS_ERR_BADRECORD;
		s->inline_n = n;
	}
	ret = ds_shape_more(rp, mode, count, s);
	if (ret)
		return ret;
	/* no mask bit past the list; ctrl is then one bit: ctrl <= 1 holds */
	if (s->inline_n < DS_RECORD_VECTORS && mask >> s->inline_n)
		return -DS_ERR_BADRECORD;
	return 0;
}

/*
 * The first @n entries of DS_PROP_IRQ_MORE into @out, with their high
 * words and mask bits when the node has them.
 */
static void ds_fill_more(const struct ds_rprops *rp, struct ds_vector *out,
			 uint32_t n)
{
	const uint8_t *p = rp->val[RP_IRQ_MORE];
	const uint8_t *hi = rp->val[RP_IRQ_MORE_HI];
	const uint8_t *mask = rp->val[RP_IRQ_MORE_MASK];
	uint32_t i;

	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_vector)) {
		out[i].address = ds_get_be32(p);
		out[i].data = ds_get_be32(p + 4);
		out[i].ctrl = 0;
	}
	for (i = 0; hi && i < n; i++)
		out[i].address |= (uint64_t)ds_get_be32(hi + 4 * i) << 32;
	for (i = 0; mask && i < n; i++)
		out[i].ctrl = (ds_get_be32(mask + 4 * (i / 32)) >> (i % 32)) & 1u;
}

/* The first min(@s->inline_n, @max) vectors, from irq-vectors or msi. */
static void ds_fill_inline(const struct ds_rprops *rp,
			   const struct ds_vec_shape *s, uint32_t mask,
			   struct ds_vector *out, uint32_t max)
{
	const uint8_t *p = rp->val[RP_IRQ_VECTORS];
	const uint8_t *hi = rp->val[RP_IRQ_VECTORS_HI];
	uint32_t n = s->inline_n < max ? s->inline_n : max, i, data;
	uint64_t address;

	if (rp->val[RP_MSI]) {
		address = ds_get_be64(rp->val[RP_MSI]);
		data = ds_get_be32(rp->val[RP_MSI] + 8);
		for (i = 0; i < n; i++) {
			out[i].address = address;
			out[i].data = data | i;
			out[i].ctrl = (mask >> i) & 1u;
		}
		return;
	}
	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_vector)) {
		out[i].address = ds_get_be32(p);
		out[i].data = ds_get_be32(p + 4);
		out[i].ctrl = (mask >> i) & 1u;
	}
	for (i = 0; hi && i < n; i++)
		out[i].address |= (uint64_t)ds_get_be32(hi + 4 * i) << 32;
}

/* The record's vectors: those it holds, and how many follow them. */
static int ds_decode_vectors(const struct ds_rprops *rp, struct ds_record *r,
			     uint32_t mask)
{
	struct ds_vec_shape s;
	int ret;

	ret = ds_vec_shape(rp, r->irq[DS_IRQ_CELL_MODE],
			   r->irq[DS_IRQ_CELL_COUNT], mask, &s);
	if (ret)
		return ret;
	ds_fill_inline(rp, &s, mask, r->vectors, DS_RECORD_VECTORS);
	r->nr_vectors = s.inline_n;
	r->nr_vectors_more = s.more;
	return 0;
}

/* A non-empty name for each, a non-empty range without wrap. */
static int ds_decode_dma(const struct ds_rprops *rp, struct ds_record *r)
{
	const uint8_t *p = rp->val[RP_DMA_REGIONS];
	const char *names = (const char *)rp->val[RP_DMA_NAMES];
	uint32_t left = rp->len[RP_DMA_NAMES], i, n;

	r->nr_dma = 0;
	if (!p)
		return names ? -DS_ERR_BADRECORD : 0;
	if (rp->len[RP_DMA_REGIONS] % sizeof(struct ds_abi_dma_region))
		return -DS_ERR_BADRECORD;
	n = rp->len[RP_DMA_REGIONS] / sizeof(struct ds_abi_dma_region);
	if (n > DS_MAX_DMA_REGIONS || (n && !names))
		return -DS_ERR_BADRECORD;
	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_dma_region)) {
		struct ds_dma_region *d = &r->dma[i];
		const char *end = memchr(names, 0, left);
		uint32_t len;

		if (!end)
			return -DS_ERR_BADRECORD;
		len = (uint32_t)(end - names);
		if (!len || len >= DS_DMA_NAME_MAX)
			return -DS_ERR_BADRECORD;
		memcpy(d->name, names, len + 1);
		names += len + 1;
		left -= len + 1;
		d->phys = ds_get_be64(p);
		d->bus = ds_get_be64(p + 8);
		d->size = ds_get_be64(p + 16);
		if (!d->size || d->phys + d->size < d->phys)
			return -DS_ERR_BADRECORD;
	}
	if (left)
		return -DS_ERR_BADRECORD;	/* more names than regions */
	r->nr_dma = n;
	return 0;
}

/*
 * Decode with every rule of ds_record_valid() applied on the way, where
 * each value is at hand, so the record is not walked a second time:
 * - list counts within their arrays: each decoder's bound on n;
 * - irq mode at most DS_IRQ_MSIX, fields within their config-space widths:
 *   ds_decode_pci() (masks and shifts of 32-bit cells, or a check);
 * - no more vectors than the irq count, the ones past DS_RECORD_VECTORS
 *   only after a full list, of MSI-X: ds_vec_shape(); MSI's
 *   expansion stops at the count; each ctrl one mask bit;
 * - the driver name NUL-terminated in its array: ds_is_cstring() with
 *   DS_DRIVER_NAME_MAX, the array's size;
 * - bridges, BARs and DMA regions: checked in their loops, with a DMA
 *   name's NUL inside its array from the length check.
 * ds_record_read() still runs ds_record_valid() after this, so the unit
 * tests hold both readers to one verdict on every malformed record.
 */
static int ds_decode(const struct ds_fdt *f, int node,
		     const struct ds_rprops *rp, struct ds_record *r)
{
	uint32_t mask, i;
	int ret;

	ret = ds_decode_pci(f, node, rp, r, &mask);
	if (ret)
		return ret;
	if (rp->len[RP_BRIDGE_PATH] % 4 ||
	    rp->len[RP_BRIDGE_PATH] / 4 > DS_MAX_BRIDGES)
		return -DS_ERR_BADRECORD;
	r->nr_bridges = rp->len[RP_BRIDGE_PATH] / 4;
	for (i = 0; i < r->nr_bridges; i++) {
		r->bridges[i] = ds_get_be32(rp->val[RP_BRIDGE_PATH] + 4 * i);
		if (r->bridges[i] > 0xffff)
			return -DS_ERR_BADRECORD;	/* (bus << 8 | devfn) */
	}
	if (!ds_is_cstring(rp->val[RP_DRIVER_NAME], rp->len[RP_DRIVER_NAME],
			   DS_DRIVER_NAME_MAX))
		return -DS_ERR_BADRECORD;
	memcpy(r->driver, rp->val[RP_DRIVER_NAME], rp->len[RP_DRIVER_NAME]);
	ret = ds_decode_bars(rp, r);
	if (!ret)
		ret = ds_decode_vectors(rp, r, mask);
	if (!ret)
		ret = ds_decode_dma(rp, r);
	return ret;
}

/* The record version, from the first cell, once the cell is there. */
static int ds_record_version(const struct ds_rprops *rp)
{
	if (rp->len[RP_PCI] < 4)
		return -DS_ERR_BADRECORD;
	if (ds_get_be32(rp->val[RP_PCI] + 4 * DS_PCI_VERSION) != DS_RECORD_VERSION)
		return -DS_ERR_UNKNOWNREC;
	return 0;
}

static int ds_record_read_memo(const struct ds_fdt *f, int node,
			       struct ds_record *r, const uint32_t *memo,
			       bool recheck)
{
	static const enum ds_rprop required[] = { RP_PCI, RP_DRIVER_NAME };
	struct ds_rprops rp;
	unsigned int i;
	int ret, child;

	if (!f || !r)
		return -DS_ERR_INVAL;
	ret = ds_collect(f, node, &rp, memo);
	if (ret)
		return ret;
	/* Version first: a record of another version is not ours to read. */
	ret = ds_record_version(&rp);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!rp.val[required[i]])
			return -DS_ERR_BADRECORD;

	/*
	 * ds_decode() sets every field and count, and each list up to its
	 * count; zeroing the rest (1.7 KB, mostly list slots past the
	 * counts) cost ds_blob_read() 1.4 ms at 65,536 records, so only
	 * ds_record_read() does it (blob.h).
	 */
	if (recheck)
		memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	ret = ds_decode(f, node, &rp, r);
	if (ret)
		return ret;
	/* The writer's rules once more, which ds_decode() already applied. */
	if (recheck && !ds_record_valid(r))
		return -DS_ERR_BADRECORD;
	child = ds_state_child(f, &rp);
	if (child < 0 && child != -DS_ERR_NOTFOUND)
		return child;
	r->state_node = child >= 0 ? child : -1;
	return 0;
}

int ds_record_read(const struct ds_fdt *f, int node, struct ds_record *r)
{
	return ds_record_read_memo(f, node, r, NULL, true);
}

int ds_blob_read(const struct ds_blob *b, int node, struct ds_record *r)
{
	if (!b)
		return -DS_ERR_INVAL;
	return ds_record_read_memo(&b->fdt, node, r, b->prop_nameoff, false);
}

/*
 * The properties ds_record_vectors() needs, through the general accessor:
 * a cold path, which leaves ds_collect() to ds_record_read()'s hot one.
 */
static int ds_vector_props(const struct ds_fdt *f, int node,
			   struct ds_rprops *rp)
{
	static const enum ds_rprop ids[] = {
		RP_PCI, RP_MSI, RP_IRQ_VECTORS, RP_IRQ_VECTORS_HI,
		RP_IRQ_MORE, RP_IRQ_MORE_HI, RP_IRQ_MORE_MASK,
	};
	unsigned int i;
	int len;

	memset(rp, 0, sizeof(*rp));
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		rp->val[ids[i]] = ds_fdt_getprop(f, node, ds_rprop_names[ids[i]],
						 &len);
		if (!rp->val[ids[i]] && len != -DS_ERR_NOTFOUND)
			return len < 0 ? len : -DS_ERR_INVAL;
		rp->len[ids[i]] = rp->val[ids[i]] ? (uint32_t)len : 0;
	}
	return 0;
}

int ds_record_vectors(const struct ds_fdt *f, int node, struct ds_vector *out,
		      uint32_t max)
{
	const struct ds_rprops *rp;
	struct ds_rprops props;
	struct ds_vec_shape s;
	uint32_t mode, count, mask, n;
	int ret;

	if (!f || (max && !out))
		return -DS_ERR_INVAL;
	rp = &props;
	ret = ds_vector_props(f, node, &props);
	if (!ret)
		ret = ds_record_version(rp);
	if (ret)
		return ret;
	if (rp->len[RP_PCI] != 4 * DS_PCI_CELLS)
		return -DS_ERR_BADRECORD;
	mode = ds_get_be32(rp->val[RP_PCI] + 4 * DS_PCI_IRQ_MODE);
	count = ds_get_be32(rp->val[RP_PCI] + 4 * DS_PCI_IRQ_COUNT);
	mask = ds_get_be32(rp->val[RP_PCI] + 4 * DS_PCI_VECTOR_MASK);
	ret = ds_vec_shape(rp, mode, count, mask, &s);
	if (ret)
		return ret;
	ds_fill_inline(rp, &s, mask, out, max);
	n = s.inline_n + s.more;
	if (max > s.inline_n)
		ds_fill_more(rp, out + s.inline_n,
			     (n < max ? n : max) - s.inline_n);
	return (int)n;
}
