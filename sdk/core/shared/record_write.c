// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device record writer: one struct ds_record becomes one device node, the
 * layout abi.h draws. The cell encoders here are the only place that turns
 * record fields into ABI bytes.
 *
 * A record is a fixed sequence of properties, so it is written in two
 * steps (fdt_format.h's fast path): a plan resolves the names of the
 * properties the record has, by number, in the order they are written,
 * and adds up their sizes; then the node headers and properties take one
 * span of the structure block, one bounds check for the whole record.
 * Only the plan decides which properties a record has and how long each
 * is; the encoders below write exactly what it holds, so the record fills
 * its span to the byte.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
#include "fdt_write_priv.h"
#include "record_check.h"

/* @v in lower-case hex, at least @digits digits, as printf's %0*x. */
static char *ds_put_hex(char *p, uint32_t v, uint32_t digits)
{
	uint32_t n = digits, i;

	while (n < 8 && v >> (4 * n))
		n++;
	/* right to left: no reversal pass */
	for (i = n; i-- > 0; v >>= 4)
		p[i] = "0123456789abcdef"[v & 0xf];
	return p + n;
}

/*
 * Spells DS_DEVICE_NODE_FMT ("dev@%04x,%02x,%02x.%x") by hand: the writer
 * and the reader each format one name per record, and vsnprintf's format
 * parsing was a quarter of the writer's instructions. The longest name,
 * "dev@ffffffff,ff,1f.7", takes 21 bytes with its NUL.
 */
int ds_record_node_name(char *buf, uint32_t domain, uint8_t bus, uint8_t devfn)
{
	static const char prefix[] = DS_DEVICE_NODE_PREFIX "@";
	char *p = buf;

	memcpy(p, prefix, sizeof(prefix) - 1);
	p += sizeof(prefix) - 1;
	p = ds_put_hex(p, domain, 4);
	*p++ = ',';
	p = ds_put_hex(p, bus, 2);
	*p++ = ',';
	p = ds_put_hex(p, (uint32_t)devfn >> 3, 2);
	*p++ = '.';
	p = ds_put_hex(p, devfn & 7u, 1);
	*p = '\0';
	return (int)(p - buf);
}

/* The properties a record may have, in the order they are written. */
enum ds_rec_prop {
	DS_RP_PCI,
	DS_RP_BRIDGES,
	DS_RP_BARS,
	DS_RP_MSI,
	DS_RP_VECTORS,
	DS_RP_VECTORS_HI,
	DS_RP_DMA,
	DS_RP_DMA_NAMES,
	DS_RP_DRIVER,
	/* a long MSI-X table's entries past 32, after all the rest */
	DS_RP_MORE,
	DS_RP_MORE_HI,
	DS_RP_MORE_MASK,
	DS_RP_COMPAT,		/* of the driver-state node */
	DS_RP_COUNT
};

DS_ABI_STATIC_ASSERT(DS_RP_COUNT <= DS_FDT_KNOWN_NAMES,
		     "each record name has a slot in the writer");

static const char *const ds_rec_prop_names[DS_RP_COUNT] = {
	[DS_RP_PCI] = DS_PROP_PCI,
	[DS_RP_BRIDGES] = DS_PROP_BRIDGE_PATH,
	[DS_RP_BARS] = DS_PROP_BARS,
	[DS_RP_MSI] = DS_PROP_MSI,
	[DS_RP_VECTORS] = DS_PROP_IRQ_VECTORS,
	[DS_RP_VECTORS_HI] = DS_PROP_IRQ_VECTORS_HI,
	[DS_RP_MORE] = DS_PROP_IRQ_MORE,
	[DS_RP_MORE_HI] = DS_PROP_IRQ_MORE_HI,
	[DS_RP_MORE_MASK] = DS_PROP_IRQ_MORE_MASK,
	[DS_RP_DMA] = DS_PROP_DMA_REGIONS,
	[DS_RP_DMA_NAMES] = DS_PROP_DMA_NAMES,
	[DS_RP_DRIVER] = DS_PROP_DRIVER_NAME,
	[DS_RP_COMPAT] = DS_PROP_COMPATIBLE,
};

/*
 * What one record writes: the value length and name offset of each of its
 * properties (a length of 0: the record has none), and the bytes of the
 * span the node headers and properties take.
 */
struct ds_rec_plan {
	uint32_t len[DS_RP_COUNT];
	uint32_t need;		/* bit @id: the record has property @id */
	const uint32_t *known;	/* the writer's name offsets + 1, by @id */
	uint32_t node_len;	/* the device node's name, without NUL */
	uint32_t size;
	const struct ds_vector *more;	/* the vectors past DS_RECORD_VECTORS */
	struct ds_record_sums sums;	/* from ds_record_check() */
};

/*
 * True when the vectors are what MSI hardware sends: message i of the one
 * programmed pair is data | i, for each of the first min(count, max)
 * messages. Then DS_PROP_MSI alone says it all.
 */
static bool ds_vectors_are_msi(const struct ds_record *r)
{
	uint32_t count = r->irq[DS_IRQ_CELL_COUNT], i;
	const struct ds_vector *v = r->vectors;

	if (r->irq[DS_IRQ_CELL_MODE] != DS_IRQ_MSI || !r->nr_vectors ||
	    r->nr_vectors != (count < DS_RECORD_VECTORS ? count : DS_RECORD_VECTORS))
		return false;
	for (i = 1; i < r->nr_vectors; i++)
		if (v[i].address != v[0].address || v[i].data != (v[0].data | i))
			return false;
	return true;
}

/* Property @id, of @len bytes (none when 0), is part of the record. */
static inline void ds_plan_add(struct ds_rec_plan *pl, enum ds_rec_prop id,
			       uint32_t len)
{
	if (!len)
		return;
	pl->len[id] = len;
	pl->need |= 1u << id;
	pl->size += fdtf_prop_size(len);
}

/*
 * The properties @r has, their lengths, and the span's size: the device
 * node, its properties, and the driver-state node's header and compatible
 * when @compat_len is not 0. Empty lists are omitted.
 */
static void ds_plan_lengths(const struct ds_record *r, uint32_t compat_len,
			    struct ds_rec_plan *pl)
{
	uint32_t i, names = 0;

	memset(pl->len, 0, sizeof(pl->len));
	pl->need = 0;
	pl->size = fdtf_node_size(pl->node_len);
	ds_plan_add(pl, DS_RP_PCI, 4 * DS_PCI_CELLS);
	ds_plan_add(pl, DS_RP_BRIDGES, 4 * r->nr_bridges);
	ds_plan_add(pl, DS_RP_BARS, r->nr_bars * sizeof(struct ds_abi_bar));
	if (ds_vectors_are_msi(r)) {
		ds_plan_add(pl, DS_RP_MSI, 12);
	} else {
		ds_plan_add(pl, DS_RP_VECTORS,
			    r->nr_vectors * sizeof(struct ds_abi_vector));
		if (pl->sums.hi)
			ds_plan_add(pl, DS_RP_VECTORS_HI, 4 * r->nr_vectors);
		ds_plan_add(pl, DS_RP_MORE,
			    r->nr_vectors_more * sizeof(struct ds_abi_vector));
		if (pl->sums.more_hi)
			ds_plan_add(pl, DS_RP_MORE_HI, 4 * r->nr_vectors_more);
		if (pl->sums.more_ctrl)
			ds_plan_add(pl, DS_RP_MORE_MASK,
				    4 * ((r->nr_vectors_more + 31) / 32));
	}
	if (r->nr_dma) {
		ds_plan_add(pl, DS_RP_DMA,
			    r->nr_dma * sizeof(struct ds_abi_dma_region));
		for (i = 0; i < r->nr_dma; i++)
			names += pl->sums.dma_name_len[i] + 1u;
		ds_plan_add(pl, DS_RP_DMA_NAMES, names);
	}
	ds_plan_add(pl, DS_RP_DRIVER, pl->sums.driver_len + 1);
	if (compat_len) {
		pl->size += fdtf_node_size(sizeof(DS_DRIVER_STATE_NODE) - 1);
		ds_plan_add(pl, DS_RP_COMPAT, compat_len);
	}
}

/*
 * Plan the record, and resolve the names of the properties it has that
 * this writer has not met yet, in the order they are written (the strings
 * block lists names by first use). Once a blob has seen every kind of
 * property, a record resolves nothing.
 */
static int ds_plan(struct ds_fdt_writer *w, struct ds_rec_plan *pl,
		   const struct ds_record *r, uint32_t compat_len)
{
	uint32_t id;

	ds_plan_lengths(r, compat_len, pl);
	pl->known = w->known;
	if (!(pl->need & ~w->known_mask))
		return 0;
	for (id = 0; id < DS_RP_COUNT; id++) {
		int32_t off;

		if (!(pl->need & (1u << id)))
			continue;
		off = ds_fdt_known_name(w, id, ds_rec_prop_names[id]);
		if (off < 0)
			return off;
	}
	return 0;
}

/* The header of property @id as planned: returns where its value goes. */
static inline uint8_t *ds_put_hdr(uint8_t *p, const struct ds_rec_plan *pl,
				  enum ds_rec_prop id)
{
	return fdtf_put_prop(p, pl->known[id] - 1, pl->len[id]);
}

/* Past property @id, whose header is at @p. */
static inline uint8_t *ds_next(uint8_t *p, const struct ds_rec_plan *pl,
			       enum ds_rec_prop id)
{
	return p + fdtf_prop_size(pl->len[id]);
}

/* The scalars, packed into DS_PROP_PCI's cells (enum ds_pci_cell). */
static uint8_t *ds_put_pci(uint8_t *hdr, const struct ds_rec_plan *pl,
			   const struct ds_record *r)
{
	uint8_t *p = ds_put_hdr(hdr, pl, DS_RP_PCI);

	ds_put_be32(p + 4 * DS_PCI_VERSION, DS_RECORD_VERSION);
	ds_put_be32(p + 4 * DS_PCI_DOMAIN, r->domain);
	ds_put_be32(p + 4 * DS_PCI_BDF, (uint32_t)r->bus << 8 | r->devfn);
	ds_put_be32(p + 4 * DS_PCI_ID,
		    r->ids[DS_IDS_DEVICE] << 16 | r->ids[DS_IDS_VENDOR]);
	ds_put_be32(p + 4 * DS_PCI_SUBSYS,
		    r->ids[DS_IDS_SUBDEVICE] << 16 | r->ids[DS_IDS_SUBVENDOR]);
	ds_put_be32(p + 4 * DS_PCI_CLASS_REV,
		    r->ids[DS_IDS_CLASS] << 8 | r->ids[DS_IDS_REVISION]);
	ds_put_be32(p + 4 * DS_PCI_COMMAND, r->command);
	ds_put_be32(p + 4 * DS_PCI_IRQ_MODE, r->irq[DS_IRQ_CELL_MODE]);
	ds_put_be32(p + 4 * DS_PCI_IRQ_COUNT, r->irq[DS_IRQ_CELL_COUNT]);
	ds_put_be32(p + 4 * DS_PCI_IRQ_PIN_LINE,
		    r->irq[DS_IRQ_CELL_PIN] << 8 | r->irq[DS_IRQ_CELL_LINE]);
	ds_put_be32(p + 4 * DS_PCI_VECTOR_MASK, pl->sums.mask);
	ds_put_be64(p + 4 * DS_PCI_DMA_MASK_HI, r->dma_mask);
	ds_put_be64(p + 4 * DS_PCI_COHERENT_MASK_HI, r->coherent_dma_mask);
	return ds_next(hdr, pl, DS_RP_PCI);
}

static uint8_t *ds_put_bridges(uint8_t *hdr, const struct ds_rec_plan *pl,
			       const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;

	if (!pl->len[DS_RP_BRIDGES])
		return hdr;
	p = ds_put_hdr(hdr, pl, DS_RP_BRIDGES);
	for (i = 0; i < r->nr_bridges; i++)
		ds_put_be32(p + 4 * i, r->bridges[i]);
	return ds_next(hdr, pl, DS_RP_BRIDGES);
}

static uint8_t *ds_put_bars(uint8_t *hdr, const struct ds_rec_plan *pl,
			    const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;

	if (!pl->len[DS_RP_BARS])
		return hdr;
	p = ds_put_hdr(hdr, pl, DS_RP_BARS);
	for (i = 0; i < r->nr_bars; i++, p += sizeof(struct ds_abi_bar)) {
		ds_put_be32(p, r->bars[i].index << DS_BAR_INFO_INDEX_SHIFT |
			       r->bars[i].flags);
		ds_put_be64(p + 4, r->bars[i].start);
		ds_put_be64(p + 12, r->bars[i].size);
	}
	return ds_next(hdr, pl, DS_RP_BARS);
}

/* A list of vectors as DS_PROP_IRQ_VECTORS and DS_PROP_IRQ_MORE hold them. */
static void ds_put_entries(uint8_t *p, const struct ds_vector *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++, p += sizeof(struct ds_abi_vector)) {
		ds_put_be32(p, (uint32_t)v[i].address);
		ds_put_be32(p + 4, v[i].data);
	}
}

/* Their address bits 63:32, one cell each. */
static void ds_put_his(uint8_t *p, const struct ds_vector *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		ds_put_be32(p + 4 * i, (uint32_t)(v[i].address >> 32));
}

/* Their mask bits, 32 to a cell; the last cell's unused bits are 0. */
static void ds_put_mask(uint8_t *p, const struct ds_vector *v, uint32_t n)
{
	uint32_t i, cell = 0;

	for (i = 0; i < n; i++) {
		cell |= (v[i].ctrl & 1u) << (i % 32);
		if (i % 32 == 31 || i == n - 1) {
			ds_put_be32(p + 4 * (i / 32), cell);
			cell = 0;
		}
	}
}

/* Property @id as planned, filled by @put from @n vectors of @v. */
static uint8_t *ds_put_list(uint8_t *hdr, const struct ds_rec_plan *pl,
			    enum ds_rec_prop id, const struct ds_vector *v,
			    uint32_t n,
			    void (*put)(uint8_t *, const struct ds_vector *,
					uint32_t))
{
	if (!pl->len[id])
		return hdr;
	put(ds_put_hdr(hdr, pl, id), v, n);
	return ds_next(hdr, pl, id);
}

/* DS_PROP_MSI's pair, or the first vectors and their high words. */
static uint8_t *ds_put_vectors(uint8_t *hdr, const struct ds_rec_plan *pl,
			       const struct ds_record *r)
{
	uint8_t *p;

	if (pl->len[DS_RP_MSI]) {
		p = ds_put_hdr(hdr, pl, DS_RP_MSI);
		ds_put_be64(p, r->vectors[0].address);
		ds_put_be32(p + 8, r->vectors[0].data);
		return ds_next(hdr, pl, DS_RP_MSI);
	}
	hdr = ds_put_list(hdr, pl, DS_RP_VECTORS, r->vectors, r->nr_vectors,
			  ds_put_entries);
	return ds_put_list(hdr, pl, DS_RP_VECTORS_HI, r->vectors, r->nr_vectors,
			   ds_put_his);
}

/* The entries past DS_RECORD_VECTORS, their high words and mask bits. */
static uint8_t *ds_put_more(uint8_t *hdr, const struct ds_rec_plan *pl,
			    const struct ds_record *r)
{
	hdr = ds_put_list(hdr, pl, DS_RP_MORE, pl->more, r->nr_vectors_more,
			  ds_put_entries);
	hdr = ds_put_list(hdr, pl, DS_RP_MORE_HI, pl->more, r->nr_vectors_more,
			  ds_put_his);
	return ds_put_list(hdr, pl, DS_RP_MORE_MASK, pl->more,
			   r->nr_vectors_more, ds_put_mask);
}

static uint8_t *ds_put_dma(uint8_t *hdr, const struct ds_rec_plan *pl,
			   const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;

	if (!pl->len[DS_RP_DMA])
		return hdr;
	p = ds_put_hdr(hdr, pl, DS_RP_DMA);
	for (i = 0; i < r->nr_dma; i++, p += sizeof(struct ds_abi_dma_region)) {
		ds_put_be64(p, r->dma[i].phys);
		ds_put_be64(p + 8, r->dma[i].bus);
		ds_put_be64(p + 16, r->dma[i].size);
	}
	hdr = ds_next(hdr, pl, DS_RP_DMA);
	p = ds_put_hdr(hdr, pl, DS_RP_DMA_NAMES);
	for (i = 0; i < r->nr_dma; i++) {
		uint32_t n = pl->sums.dma_name_len[i] + 1u;

		fdtf_copy(p, r->dma[i].name, n);
		p += n;
	}
	return ds_next(hdr, pl, DS_RP_DMA_NAMES);
}

/* A string property as planned: @len bytes of @s, its NUL included. */
static uint8_t *ds_put_str(uint8_t *hdr, const struct ds_rec_plan *pl,
			   enum ds_rec_prop id, const char *s)
{
	fdtf_copy(ds_put_hdr(hdr, pl, id), s, pl->len[id]);
	return ds_next(hdr, pl, id);
}

/* The device node's header and properties, as planned. */
static uint8_t *ds_put_body(uint8_t *p, const struct ds_rec_plan *pl,
			    const struct ds_record *r, const char *name)
{
	p = fdtf_put_node(p, name, pl->node_len);
	p = ds_put_pci(p, pl, r);
	p = ds_put_bridges(p, pl, r);
	p = ds_put_bars(p, pl, r);
	p = ds_put_vectors(p, pl, r);
	p = ds_put_dma(p, pl, r);
	p = ds_put_str(p, pl, DS_RP_DRIVER, r->driver);
	return ds_put_more(p, pl, r);
}

int ds_record_write_more(struct ds_fdt_writer *w, const struct ds_record *r,
			 const struct ds_vector *more, const char *state_compat,
			 ds_state_fn state_fn, void *ctx)
{
	char name[DS_DEVICE_NODE_NAME_MAX];
	uint32_t compat_len = 0, nodes = 1;
	struct ds_rec_plan pl;
	uint8_t *p;
	int ret;

	if (!w || !r || !ds_record_check(r, more, &pl.sums) ||
	    (state_fn && !state_compat))
		return -DS_ERR_INVAL;
	if (state_compat) {
		size_t n = strlen(state_compat) + 1;

		/* ds_fdt_prop's bound; with it the span's size cannot wrap */
		if (n > 0x7fffffffu - FDTF_PROP_HDR_SIZE)
			return -DS_ERR_INVAL;
		compat_len = (uint32_t)n;
		nodes = 2;
	}
	/* before any name is interned: a finished blob takes no more */
	ret = ds_fdt_can_open(w, nodes);
	if (ret)
		return ret;
	/* a name the reader's rules allow: "dev@", hex digits, ',' and '.' */
	pl.node_len = (uint32_t)ds_record_node_name(name, r->domain, r->bus,
						    r->devfn);
	pl.more = more;
	ret = ds_plan(w, &pl, r, compat_len);
	if (ret)
		return ret;
	p = ds_fdt_open_span(w, nodes, pl.size, &ret);
	if (!p)
		return ret;
	p = ds_put_body(p, &pl, r, name);
	if (state_compat) {
		p = fdtf_put_node(p, DS_DRIVER_STATE_NODE,
				  sizeof(DS_DRIVER_STATE_NODE) - 1);
		ds_put_str(p, &pl, DS_RP_COMPAT, state_compat);
		if (state_fn) {
			ret = state_fn(w, ctx);
			if (ret)
				return ret;
		}
		ret = ds_fdt_end_node(w);
		if (ret)
			return ret;
	}
	return ds_fdt_end_node(w);
}

int ds_record_write(struct ds_fdt_writer *w, const struct ds_record *r,
		    const char *state_compat, ds_state_fn state_fn, void *ctx)
{
	return ds_record_write_more(w, r, NULL, state_compat, state_fn, ctx);
}
