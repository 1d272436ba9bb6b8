// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device record writer: one struct ds_record becomes one device node, the
 * layout abi.h draws. The cell encoders here are the only place that turns
 * record fields into ABI bytes.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "record_check.h"

/* @v in lower-case hex, at least @digits digits, as printf's %0*x. */
static char *ds_put_hex(char *p, uint32_t v, uint32_t digits)
{
	char tmp[8];
	uint32_t n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n < digits)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
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
	return 0;
}

static int ds_put_bars(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;
	int err;

	p = ds_fdt_prop_space(w, DS_PROP_BARS,
			      r->nr_bars * sizeof(struct ds_abi_bar), &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_bars; i++, p += sizeof(struct ds_abi_bar)) {
		ds_put_be32(p, r->bars[i].index);
		ds_put_be32(p + 4, r->bars[i].flags);
		ds_put_be64(p + 8, r->bars[i].start);
		ds_put_be64(p + 16, r->bars[i].size);
	}
	return 0;
}

static int ds_put_vectors(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint8_t *p;
	uint32_t i;
	int err;

	p = ds_fdt_prop_space(w, DS_PROP_IRQ_VECTORS,
			      r->nr_vectors * sizeof(struct ds_abi_vector), &err);
	if (!p)
		return err;
	for (i = 0; i < r->nr_vectors; i++, p += sizeof(struct ds_abi_vector)) {
		ds_put_be64(p, r->vectors[i].address);
		ds_put_be32(p + 8, r->vectors[i].data);
		ds_put_be32(p + 12, r->vectors[i].ctrl);
	}
	return 0;
}

static int ds_put_dma(struct ds_fdt_writer *w, const struct ds_record *r)
{
	uint32_t i, names_len = 0;
	uint8_t *p;
	char *s;
	int err;

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

static int ds_put_u64_pair(struct ds_fdt_writer *w, const char *name,
			   uint64_t a, uint64_t b)
{
	int err;
	uint8_t *p = ds_fdt_prop_space(w, name, 16, &err);

	if (!p)
		return err;
	ds_put_be64(p, a);
	ds_put_be64(p + 8, b);
	return 0;
}

static int ds_put_state(struct ds_fdt_writer *w, const char *compat,
			ds_state_fn fn, void *ctx)
{
	int ret;

	ret = ds_fdt_begin_node(w, DS_DRIVER_STATE_NODE);
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
	uint32_t pos[3] = { r->domain, r->bus, r->devfn };
	int ret;

	ret = ds_fdt_prop_string(w, DS_PROP_COMPATIBLE, DS_DEVICE_COMPATIBLE_V1);
	if (!ret)
		ret = ds_fdt_prop_u32_array(w, DS_PROP_POSITION, pos, 3);
	if (!ret)
		ret = ds_fdt_prop_u32_array(w, DS_PROP_BRIDGE_PATH, r->bridges,
					    r->nr_bridges);
	if (!ret)
		ret = ds_fdt_prop_u32_array(w, DS_PROP_IDS, r->ids, DS_IDS_CELLS);
	if (!ret)
		ret = ds_fdt_prop_u32(w, DS_PROP_COMMAND, r->command);
	if (!ret)
		ret = ds_put_bars(w, r);
	if (!ret)
		ret = ds_fdt_prop_u32_array(w, DS_PROP_IRQ, r->irq, DS_IRQ_CELLS);
	if (!ret)
		ret = ds_put_vectors(w, r);
	if (!ret)
		ret = ds_put_u64_pair(w, DS_PROP_DMA_MASKS, r->dma_mask,
				      r->coherent_dma_mask);
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
	int ret;

	if (!w || !r || !ds_record_valid(r) || (state_fn && !state_compat))
		return -DS_ERR_INVAL;
	ret = ds_record_node_name(name, r->domain, r->bus, r->devfn);
	if (ret)
		return ret;
	ret = ds_fdt_begin_node(w, name);
	if (!ret)
		ret = ds_put_body(w, r);
	if (!ret && state_compat)
		ret = ds_put_state(w, state_compat, state_fn, ctx);
	if (!ret)
		ret = ds_fdt_end_node(w);
	return ret;
}
