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
	RP_COMPATIBLE, RP_POSITION, RP_BRIDGE_PATH, RP_IDS, RP_COMMAND,
	RP_BARS, RP_IRQ, RP_IRQ_VECTORS, RP_DMA_MASKS, RP_DMA_REGIONS,
	RP_DMA_NAMES, RP_DRIVER_NAME, RP_COUNT
};

static const char *const ds_rprop_names[RP_COUNT] = {
	[RP_COMPATIBLE] = DS_PROP_COMPATIBLE,
	[RP_POSITION] = DS_PROP_POSITION,
	[RP_BRIDGE_PATH] = DS_PROP_BRIDGE_PATH,
	[RP_IDS] = DS_PROP_IDS,
	[RP_COMMAND] = DS_PROP_COMMAND,
	[RP_BARS] = DS_PROP_BARS,
	[RP_IRQ] = DS_PROP_IRQ,
	[RP_IRQ_VECTORS] = DS_PROP_IRQ_VECTORS,
	[RP_DMA_MASKS] = DS_PROP_DMA_MASKS,
	[RP_DMA_REGIONS] = DS_PROP_DMA_REGIONS,
	[RP_DMA_NAMES] = DS_PROP_DMA_NAMES,
	[RP_DRIVER_NAME] = DS_PROP_DRIVER_NAME,
};

struct ds_rprops {
	const uint8_t *val[RP_COUNT];
	uint32_t len[RP_COUNT];
	int last;	/* offset of the node's last property, or -1 */
};

/*
 * The driver-state child, as ds_fdt_subnode() would find it, but starting
 * after the properties ds_collect() has just walked instead of walking
 * them again.
 */
static int ds_state_child(const struct ds_fdt *f, int node,
			  const struct ds_rprops *rp)
{
	int child = rp->last >= 0 ? ds_fdt_child_after(f, rp->last) :
				    ds_fdt_first_child(f, node);

	for (; child >= 0; child = ds_fdt_next_sibling(f, child))
		if (!strcmp(ds_fdt_node_name(f, child, NULL),
			    DS_DRIVER_STATE_NODE))
			return child;
	return child;
}

/*
 * Writers emit the properties in the order of enum ds_rprop, so @hint (the
 * one after the last match) is tried first; any other order still finds
 * every name, only a little slower.
 */
static int ds_rprop_id(const char *name, int hint)
{
	int i;

	if (hint < RP_COUNT && !strcmp(ds_rprop_names[hint], name))
		return hint;
	/* The first character rules out all but one or two candidates. */
	for (i = 0; i < RP_COUNT; i++)
		if (ds_rprop_names[i][0] == name[0] &&
		    !strcmp(ds_rprop_names[i], name))
			return i;
	return -1;
}

static int ds_collect(const struct ds_fdt *f, int node, struct ds_rprops *rp)
{
	int prop, next = 0;

	memset(rp, 0, sizeof(*rp));
	rp->last = -1;
	for (prop = ds_fdt_first_prop(f, node); prop >= 0;
	     prop = ds_fdt_next_prop(f, prop)) {
		const char *name;
		int len;
		const void *val = ds_fdt_prop_at(f, prop, &name, &len);
		int id;

		if (!val)
			return len;	/* a stray property (@node was not a node) */
		id = ds_rprop_id(name, next);
		rp->last = prop;
		if (id < 0)
			continue;	/* a newer writer's addition */
		next = id + 1;
		if (rp->val[id])
			return -DS_ERR_BADRECORD;	/* duplicate property */
		rp->val[id] = val;
		rp->len[id] = (uint32_t)len;
	}
	return prop == -DS_ERR_NOTFOUND ? 0 : prop;
}

static bool ds_is_cstring(const uint8_t *p, uint32_t len, uint32_t max)
{
	return p && len >= 1 && len <= max && !p[len - 1] &&
	       strlen((const char *)p) == len - 1;
}

static void ds_cells(const uint8_t *p, uint32_t *out, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		out[i] = ds_get_be32(p + 4 * i);
}

static int ds_decode_position(const struct ds_fdt *f, int node,
			      const struct ds_rprops *rp, struct ds_record *r)
{
	char expect[DS_DEVICE_NODE_NAME_MAX];
	uint32_t pos[3];

	if (rp->len[RP_POSITION] != 12)
		return -DS_ERR_BADRECORD;
	ds_cells(rp->val[RP_POSITION], pos, 3);
	if (pos[1] > 0xff || pos[2] > 0xff)
		return -DS_ERR_BADRECORD;
	r->domain = pos[0];
	r->bus = (uint8_t)pos[1];
	r->devfn = (uint8_t)pos[2];
	/* The node name is the index key: it must agree with the cells. */
	if (ds_record_node_name(expect, r->domain, r->bus, r->devfn) ||
	    strcmp(expect, ds_fdt_node_name(f, node, NULL)))
		return -DS_ERR_BADRECORD;
	return 0;
}

static int ds_decode_bars(const struct ds_rprops *rp, struct ds_record *r)
{
	const uint8_t *p = rp->val[RP_BARS];
	uint32_t i, n, len = rp->len[RP_BARS];

	if (len % sizeof(struct ds_abi_bar))
		return -DS_ERR_BADRECORD;
	n = len / sizeof(struct ds_abi_bar);
	if (n > DS_MAX_BARS)
		return -DS_ERR_BADRECORD;
	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_bar)) {
		struct ds_bar *b = &r->bars[i];

		b->index = ds_get_be32(p);
		b->flags = ds_get_be32(p + 4);
		b->start = ds_get_be64(p + 8);
		b->size = ds_get_be64(p + 16);
	}
	r->nr_bars = n;
	return 0;
}

static int ds_decode_irq(const struct ds_rprops *rp, struct ds_record *r)
{
	const uint8_t *p = rp->val[RP_IRQ_VECTORS];
	uint32_t i, n;

	if (rp->len[RP_IRQ] != 4 * DS_IRQ_CELLS)
		return -DS_ERR_BADRECORD;
	ds_cells(rp->val[RP_IRQ], r->irq, DS_IRQ_CELLS);
	if (!p)
		return 0;
	if (rp->len[RP_IRQ_VECTORS] % sizeof(struct ds_abi_vector))
		return -DS_ERR_BADRECORD;
	n = rp->len[RP_IRQ_VECTORS] / sizeof(struct ds_abi_vector);
	if (n > DS_MAX_VECTORS)
		return -DS_ERR_BADRECORD;
	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_vector)) {
		r->vectors[i].address = ds_get_be64(p);
		r->vectors[i].data = ds_get_be32(p + 8);
		r->vectors[i].ctrl = ds_get_be32(p + 12);
	}
	r->nr_vectors = n;
	return 0;
}

static int ds_decode_dma(const struct ds_rprops *rp, struct ds_record *r)
{
	const uint8_t *p = rp->val[RP_DMA_REGIONS];
	const char *names = (const char *)rp->val[RP_DMA_NAMES];
	uint32_t left = rp->len[RP_DMA_NAMES], i, n;

	if (rp->len[RP_DMA_MASKS] != 16)
		return -DS_ERR_BADRECORD;
	r->dma_mask = ds_get_be64(rp->val[RP_DMA_MASKS]);
	r->coherent_dma_mask = ds_get_be64(rp->val[RP_DMA_MASKS] + 8);
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
		if (len >= DS_DMA_NAME_MAX)
			return -DS_ERR_BADRECORD;
		memcpy(d->name, names, len + 1);
		names += len + 1;
		left -= len + 1;
		d->phys = ds_get_be64(p);
		d->bus = ds_get_be64(p + 8);
		d->size = ds_get_be64(p + 16);
	}
	if (left)
		return -DS_ERR_BADRECORD;	/* more names than regions */
	r->nr_dma = n;
	return 0;
}

static int ds_decode(const struct ds_fdt *f, int node,
		     const struct ds_rprops *rp, struct ds_record *r)
{
	int ret;

	ret = ds_decode_position(f, node, rp, r);
	if (ret)
		return ret;
	if (rp->len[RP_BRIDGE_PATH] % 4 ||
	    rp->len[RP_BRIDGE_PATH] / 4 > DS_MAX_BRIDGES)
		return -DS_ERR_BADRECORD;
	r->nr_bridges = rp->len[RP_BRIDGE_PATH] / 4;
	ds_cells(rp->val[RP_BRIDGE_PATH], r->bridges, r->nr_bridges);
	if (rp->len[RP_IDS] != 4 * DS_IDS_CELLS || rp->len[RP_COMMAND] != 4)
		return -DS_ERR_BADRECORD;
	ds_cells(rp->val[RP_IDS], r->ids, DS_IDS_CELLS);
	r->command = ds_get_be32(rp->val[RP_COMMAND]);
	if (!ds_is_cstring(rp->val[RP_DRIVER_NAME], rp->len[RP_DRIVER_NAME],
			   DS_DRIVER_NAME_MAX))
		return -DS_ERR_BADRECORD;
	memcpy(r->driver, rp->val[RP_DRIVER_NAME], rp->len[RP_DRIVER_NAME]);
	ret = ds_decode_bars(rp, r);
	if (!ret)
		ret = ds_decode_irq(rp, r);
	if (!ret)
		ret = ds_decode_dma(rp, r);
	return ret;
}

int ds_record_read(const struct ds_fdt *f, int node, struct ds_record *r)
{
	static const enum ds_rprop required[] = {
		RP_POSITION, RP_BRIDGE_PATH, RP_IDS, RP_COMMAND, RP_BARS,
		RP_IRQ, RP_DMA_MASKS, RP_DRIVER_NAME,
	};
	struct ds_rprops rp;
	unsigned int i;
	int ret, child;

	if (!f || !r)
		return -DS_ERR_INVAL;
	ret = ds_collect(f, node, &rp);
	if (ret)
		return ret;
	/* Version first: a record of another version is not ours to read. */
	if (!ds_is_cstring(rp.val[RP_COMPATIBLE], rp.len[RP_COMPATIBLE], 128))
		return -DS_ERR_BADRECORD;
	if (strcmp((const char *)rp.val[RP_COMPATIBLE], DS_DEVICE_COMPATIBLE_V1))
		return -DS_ERR_UNKNOWNREC;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!rp.val[required[i]])
			return -DS_ERR_BADRECORD;

	memset(r, 0, sizeof(*r));
	r->version = DS_RECORD_VERSION;
	ret = ds_decode(f, node, &rp, r);
	if (ret)
		return ret;
	/* The rules beyond byte lengths, the same the writer applies. */
	if (!ds_record_valid(r))
		return -DS_ERR_BADRECORD;
	child = ds_state_child(f, node, &rp);
	if (child < 0 && child != -DS_ERR_NOTFOUND)
		return child;
	r->state_node = child >= 0 ? child : -1;
	return 0;
}
