// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device record writer: one struct ds_record becomes one device node, the
 * layout abi.h draws. The cell encoders here are the only place that turns
 * record fields into ABI bytes.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
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

/* The scalars, packed into DS_PROP_PCI's cells (enum ds_pci_cell). */
static int ds_put_pci(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint32_t mask = 0, i;
	uint8_t *p;
	int err;

	for (i = 0; i < r->nr_vectors; i++)
		mask |= (r->vectors[i].ctrl & 1u) << i;
	p = ds_fdt_prop_space(w, DS_PROP_PCI, 4 * DS_PCI_CELLS, &err);
	if (!p)
		return err;
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
	ds_put_be32(p + 4 * DS_PCI_VECTOR_MASK, mask);
	ds_put_be64(p + 4 * DS_PCI_DMA_MASK_HI, r->dma_mask);
	ds_put_be64(p + 4 * DS_PCI_COHERENT_MASK_HI, r->coherent_dma_mask);
	return 0;
}

static int ds_put_bars(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;
	int err;

	if (!r->nr_bars)
		return 0;
	p = ds_fdt_prop_space(w, DS_PROP_BARS,
			      r->nr_bars * sizeof(struct ds_abi_bar), &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_bars; i++, p += sizeof(struct ds_abi_bar)) {
		ds_put_be32(p, r->bars[i].index << DS_BAR_INFO_INDEX_SHIFT |
			       r->bars[i].flags);
		ds_put_be64(p + 4, r->bars[i].start);
		ds_put_be64(p + 12, r->bars[i].size);
	}
	return 0;
}

/* Address bits 63:32 of any vector, or 0 when all are 32-bit messages. */
static uint32_t ds_vectors_hi(const struct ds_record *r)
{
	uint32_t i, any = 0;

	for (i = 0; i < r->nr_vectors; i++)
		any |= (uint32_t)(r->vectors[i].address >> 32);
	return any;
}

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
	    r->nr_vectors != (count < DS_MAX_VECTORS ? count : DS_MAX_VECTORS))
		return false;
	for (i = 1; i < r->nr_vectors; i++)
		if (v[i].address != v[0].address || v[i].data != (v[0].data | i))
			return false;
	return true;
}

static int ds_put_msi(struct ds_fdt_writer *w, const struct ds_record *r)
{
	int err;
	uint8_t *p = ds_fdt_prop_space(w, DS_PROP_MSI, 12, &err);

	if (!p)
		return err;
	ds_put_be64(p, r->vectors[0].address);
	ds_put_be32(p + 8, r->vectors[0].data);
	return 0;
}

static int ds_put_vectors(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;
	int err;

	if (!r->nr_vectors)
		return 0;
	if (ds_vectors_are_msi(r))
		return ds_put_msi(w, r);
	p = ds_fdt_prop_space(w, DS_PROP_IRQ_VECTORS,
			      r->nr_vectors * sizeof(struct ds_abi_vector), &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_vectors; i++, p += sizeof(struct ds_abi_vector)) {
		ds_put_be32(p, (uint32_t)r->vectors[i].address);
		ds_put_be32(p + 4, r->vectors[i].data);
	}
	if (!ds_vectors_hi(r))
		return 0;
	p = ds_fdt_prop_space(w, DS_PROP_IRQ_VECTORS_HI, 4 * r->nr_vectors, &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_vectors; i++)
		ds_put_be32(p + 4 * i, (uint32_t)(r->vectors[i].address >> 32));
	return 0;
}

static int ds_put_dma(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint32_t i, names_len = 0;
	uint8_t *p;
	char *s;
	int err;

	if (!r->nr_dma)
		return 0;
	p = ds_fdt_prop_space(w, DS_PROP_DMA_REGIONS,
			      r->nr_dma * sizeof(struct ds_abi_dma_region), &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_dma; i++, p += sizeof(struct ds_abi_dma_region)) {
		ds_put_be64(p, r->dma[i].phys);
		ds_put_be64(p + 8, r->dma[i].bus);
		ds_put_be64(p + 16, r->dma[i].size);
		names_len += (uint32_t)strlen(r->dma[i].name) + 1;
	}
	s = ds_fdt_prop_space(w, DS_PROP_DMA_NAMES, names_len, &err);
	if (!s)
		return err;
	for (i = 0; i < r->nr_dma; i++) {
		size_t n = strlen(r->dma[i].name) + 1;

		memcpy(s, r->dma[i].name, n);
		s += n;
	}
	return 0;
}

static int ds_put_state(struct ds_fdt_writer *w, const char *compat,
			ds_state_fn fn, void *ctx)
{
	int ret;

	ret = ds_fdt_begin_node_known(w, DS_DRIVER_STATE_NODE,
				      sizeof(DS_DRIVER_STATE_NODE) - 1);
	if (!ret)
		ret = ds_fdt_prop_string(w, DS_PROP_COMPATIBLE, compat);
	if (!ret && fn)
		ret = fn(w, ctx);
	if (!ret)
		ret = ds_fdt_end_node(w);
	return ret;
}

static int ds_put_body(struct ds_fdt_writer *w, const struct ds_record *r)
{
	int ret;

	ret = ds_put_pci(w, r);
	if (!ret && r->nr_bridges)
		ret = ds_fdt_prop_u32_array(w, DS_PROP_BRIDGE_PATH, r->bridges,
					    r->nr_bridges);
	if (!ret)
		ret = ds_put_bars(w, r);
	if (!ret)
		ret = ds_put_vectors(w, r);
	if (!ret)
		ret = ds_put_dma(w, r);
	if (!ret)
		ret = ds_fdt_prop_string(w, DS_PROP_DRIVER_NAME, r->driver);
	return ret;
}

int ds_record_write(struct ds_fdt_writer *w, const struct ds_record *r,
		    const char *state_compat, ds_state_fn state_fn, void *ctx)
{
	char name[DS_DEVICE_NODE_NAME_MAX];
	int ret, len;

	if (!w || !r || !ds_record_valid(r) || (state_fn && !state_compat))
		return -DS_ERR_INVAL;
	/* a name the reader's rules allow: "dev@", hex digits, ',' and '.' */
	len = ds_record_node_name(name, r->domain, r->bus, r->devfn);
	ret = ds_fdt_begin_node_known(w, name, (uint32_t)len);
	if (!ret)
		ret = ds_put_body(w, r);
	if (!ret && state_compat)
		ret = ds_put_state(w, state_compat, state_fn, ctx);
	if (!ret)
		ret = ds_fdt_end_node(w);
	return ret;
}
