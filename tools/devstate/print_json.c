// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * JSON printer of the decoded view, through json-c. Key names are ABI once
 * released: docs/devstate.md lists every one. Addresses, masks and sizes
 * are "0x..." strings so 64-bit values survive JSON readers that use
 * doubles; counts and small identifiers are numbers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ds_env.h>

#include "devstate.h"

json_object *dst_json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static json_object *hex4(uint32_t v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", digits, v);
	return json_object_new_string(buf);
}

static void add(json_object *o, const char *key, json_object *val)
{
	json_object_object_add(o, key, val);
}

static json_object *json_fault(int err)
{
	json_object *e;

	if (!err)
		return NULL;
	e = json_object_new_object();
	add(e, "code", json_object_new_int(err));
	add(e, "name", json_object_new_string(dst_err_name(err)));
	add(e, "message", json_object_new_string(ds_strerror(err)));
	return e;
}

static json_object *json_region(const struct dst_view *v)
{
	const struct dst_region *r = &v->region;
	json_object *o = json_object_new_object();

	add(o, "header_truncated", json_object_new_boolean(v->truncated_header));
	if (!v->truncated_header) {
		add(o, "magic", dst_json_hex(r->magic));
		add(o, "abi_version", json_object_new_int64(r->abi_version));
		add(o, "header_size", json_object_new_int64(r->header_size));
		add(o, "state", json_object_new_string(dst_region_state_name(r->state)));
		add(o, "generation", json_object_new_uint64(r->generation));
		add(o, "region_size", dst_json_hex(r->region_size));
		add(o, "blob_offset", dst_json_hex(r->blob_offset));
		add(o, "blob_max", dst_json_hex(r->blob_max));
		add(o, "blob_size", dst_json_hex(r->blob_size));
		add(o, "pool_offset", dst_json_hex(r->pool_offset));
		add(o, "pool_size", dst_json_hex(r->pool_size));
		add(o, "header_crc", dst_json_hex(r->header_crc));
		add(o, "header_crc_ok",
		    json_object_new_boolean(r->header_crc == r->header_crc_calc));
		add(o, "blob_crc", dst_json_hex(r->blob_crc));
		add(o, "blob_crc_ok", r->blob_in_file ?
		    json_object_new_boolean(r->blob_crc == r->blob_crc_calc) :
		    NULL);
	}
	add(o, "adopted_intact", json_object_new_boolean(r->adopted_intact));
	add(o, "error", r->adopted_intact ? NULL : json_fault(r->open_err));
	return o;
}

static json_object *json_blob(const struct dst_view *v)
{
	json_object *o = json_object_new_object();

	add(o, "size", json_object_new_int64((int64_t)v->blob_size));
	if (v->fdt_err) {
		json_object *e = json_fault(v->fdt_err);

		add(e, "offset", json_object_new_int64(v->fdt.bad_offset));
		add(o, "error", e);
		return o;
	}
	add(o, "compatible", v->root_compat ?
	    json_object_new_string(v->root_compat) : NULL);
	add(o, "kernel_release", v->kernel_release ?
	    json_object_new_string(v->kernel_release) : NULL);
	add(o, "transport", v->transport ?
	    json_object_new_string(v->transport) : NULL);
	add(o, "generation", v->has_generation ?
	    json_object_new_uint64(v->generation) : NULL);
	add(o, "timestamp_ns", v->has_timestamp ?
	    json_object_new_uint64(v->timestamp_ns) : NULL);
	add(o, "pool_base", v->has_pool ? dst_json_hex(v->pool_base) : NULL);
	add(o, "pool_size", v->has_pool ? dst_json_hex(v->pool_size) : NULL);
	if (v->has_kept) {
		add(o, "kept_alive", json_object_new_int64(v->nr_kept));
		add(o, "kept_alive_slots", json_object_new_int64(v->kept_slots));
	}
	add(o, "nodes", json_object_new_int64(v->fdt.nodes));
	add(o, "devices", json_object_new_int64(v->nr_devices));
	add(o, "error", json_fault(v->blob_err));
	return o;
}

static json_object *json_prop_value(const uint8_t *val, int len)
{
	json_object *a;
	int i;

	switch (dst_prop_classify(val, len)) {
	case DST_PROP_EMPTY:
		return NULL;
	case DST_PROP_STRINGS:
		a = json_object_new_array();
		for (i = 0; i < len - 1; ) {
			const char *s = (const char *)val + i;

			json_object_array_add(a, json_object_new_string(s));
			i += (int)strlen(s) + 1;
		}
		return a;
	case DST_PROP_U32:
		return dst_json_hex(ds_get_be32(val));
	case DST_PROP_U64:
		return dst_json_hex(ds_get_be64(val));
	case DST_PROP_CELLS:
		a = json_object_new_array();
		for (i = 0; i < len; i += 4)
			json_object_array_add(a, dst_json_hex(ds_get_be32(val + i)));
		return a;
	case DST_PROP_BYTES:
		break;
	}
	{
		char *hex = malloc((size_t)len * 2 + 1);

		if (!hex)
			return NULL;
		for (i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", val[i]);
		a = json_object_new_string(hex);
		free(hex);
		return a;
	}
}

static json_object *json_state_node(const struct ds_fdt *f, int node, int depth)
{
	json_object *o = json_object_new_object();
	json_object *props = json_object_new_array();
	json_object *kids = json_object_new_array();
	int prop, child;

	for (prop = ds_fdt_first_prop(f, node); prop >= 0;
	     prop = ds_fdt_next_prop(f, prop)) {
		json_object *p = json_object_new_object();
		const uint8_t *val;
		const char *name;
		int len;

		val = ds_fdt_prop_at(f, prop, &name, &len);
		if (len < 0) {
			json_object_put(p);
			continue;
		}
		{
			char pn[128];

			add(p, "name", json_object_new_string(
				dst_printable(name, pn, sizeof(pn))));
		}
		add(p, "type", json_object_new_string(
			dst_prop_type_name(dst_prop_classify(val, len))));
		add(p, "length", json_object_new_int(len));
		add(p, "value", json_prop_value(val, len));
		json_object_array_add(props, p);
	}
	add(o, "properties", props);
	for (child = ds_fdt_first_child(f, node);
	     depth < DS_MAX_DEPTH && child >= 0;
	     child = ds_fdt_next_sibling(f, child)) {
		json_object *c;
		const char *name;
		int len;

		name = ds_fdt_node_name(f, child, &len);
		if (!name || len < 0)
			continue;
		c = json_state_node(f, child, depth + 1);
		add(c, "name", json_object_new_string_len(name, len));
		json_object_array_add(kids, c);
	}
	add(o, "children", kids);
	return o;
}

static json_object *json_device(const struct dst_view *v,
				const struct dst_device *d,
				const struct dst_opts *opts)
{
	const struct ds_record *r = &d->rec;
	json_object *o = json_object_new_object();
	json_object *a;
	uint32_t i;

	add(o, "node", json_object_new_string(d->node_name));
	if (d->err) {
		add(o, "error", json_fault(d->err));
		return o;
	}
	add(o, "slot", json_object_new_string(d->slot));
	add(o, "domain", json_object_new_int64(r->domain));
	add(o, "bus", json_object_new_int(r->bus));
	add(o, "device", json_object_new_int(r->devfn >> 3));
	add(o, "function", json_object_new_int(r->devfn & 7));
	add(o, "record_version", json_object_new_int64(r->version));
	add(o, "vendor_id", hex4(r->ids[DS_IDS_VENDOR], 4));
	add(o, "device_id", hex4(r->ids[DS_IDS_DEVICE], 4));
	dst_json_add_names(o, opts, r);
	add(o, "subsystem_vendor_id", hex4(r->ids[DS_IDS_SUBVENDOR], 4));
	add(o, "subsystem_id", hex4(r->ids[DS_IDS_SUBDEVICE], 4));
	add(o, "class", hex4(r->ids[DS_IDS_CLASS], 6));
	add(o, "revision", hex4(r->ids[DS_IDS_REVISION], 2));
	add(o, "command", dst_json_hex(r->command));
	add(o, "driver", json_object_new_string(r->driver));

	a = json_object_new_array();
	for (i = 0; i < r->nr_bridges; i++) {
		char slot[24];

		dst_slot_name(slot, sizeof(slot), r->domain,
			      r->bridges[i] >> 8 & 0xff, r->bridges[i] & 0xff);
		json_object_array_add(a, json_object_new_string(slot));
	}
	add(o, "bridge_path", a);

	a = json_object_new_array();
	for (i = 0; i < r->nr_bars; i++) {
		json_object *b = json_object_new_object();
		const struct ds_bar *bar = &r->bars[i];

		add(b, "index", json_object_new_int64(bar->index));
		add(b, "flags", dst_json_hex(bar->flags));
		add(b, "io", json_object_new_boolean(bar->flags & DS_BAR_IO));
		add(b, "mem", json_object_new_boolean(bar->flags & DS_BAR_MEM));
		add(b, "64bit", json_object_new_boolean(bar->flags & DS_BAR_64));
		add(b, "prefetch", json_object_new_boolean(bar->flags & DS_BAR_PREFETCH));
		add(b, "rom", json_object_new_boolean(bar->flags & DS_BAR_ROM));
		add(b, "start", dst_json_hex(bar->start));
		add(b, "size", dst_json_hex(bar->size));
		json_object_array_add(a, b);
	}
	add(o, "bars", a);

	{
		json_object *irq = json_object_new_object();

		add(irq, "mode", json_object_new_string(
			dst_irq_mode_name(r->irq[DS_IRQ_CELL_MODE])));
		add(irq, "pin", json_object_new_int64(r->irq[DS_IRQ_CELL_PIN]));
		add(irq, "line", json_object_new_int64(r->irq[DS_IRQ_CELL_LINE]));
		add(irq, "count", json_object_new_int64(r->irq[DS_IRQ_CELL_COUNT]));
		a = json_object_new_array();
		for (i = 0; i < dst_nr_vectors(d); i++) {
			const struct ds_vector *e = dst_vector(d, i);
			json_object *vec = json_object_new_object();

			add(vec, "address", dst_json_hex(e->address));
			add(vec, "data", dst_json_hex(e->data));
			add(vec, "masked", json_object_new_boolean(e->ctrl & 1));
			json_object_array_add(a, vec);
		}
		add(irq, "vectors", a);
		add(o, "irq", irq);
	}
	add(o, "dma_mask", dst_json_hex(r->dma_mask));
	add(o, "coherent_dma_mask", dst_json_hex(r->coherent_dma_mask));
	a = json_object_new_array();
	for (i = 0; i < r->nr_dma; i++) {
		json_object *m = json_object_new_object();

		add(m, "name", json_object_new_string(r->dma[i].name));
		add(m, "phys", dst_json_hex(r->dma[i].phys));
		add(m, "bus", dst_json_hex(r->dma[i].bus));
		add(m, "size", dst_json_hex(r->dma[i].size));
		json_object_array_add(a, m);
	}
	add(o, "dma_regions", a);
	if (r->state_node >= 0) {
		json_object *s = json_state_node(&v->fdt, r->state_node, 2);
		const char *compat;
		int err;

		compat = ds_fdt_get_string(&v->fdt, r->state_node,
					   DS_PROP_COMPATIBLE, &err);
		if (compat) {
			char cb[128];

			add(s, "compatible", json_object_new_string(
				dst_printable(compat, cb, sizeof(cb))));
		} else {
			add(s, "compatible", NULL);
		}
		add(o, "driver_state", s);
	} else {
		add(o, "driver_state", NULL);
	}
	return o;
}

/* -t: the devices nested under their bridges, by slot. */
struct tree_ctx {
	json_object *level[DS_MAX_BRIDGES + 3];	/* children arrays by depth */
};

static int tree_node(const struct dst_tree *t, long node, int depth, void *ctx)
{
	const struct dst_tree_node *n = &t->n[node];
	struct tree_ctx *c = ctx;
	json_object *o = json_object_new_object();
	json_object *kids = json_object_new_array();
	char slot[24];

	dst_slot_name(slot, sizeof(slot), (uint32_t)(n->key >> 16),
		      (uint8_t)(n->key >> 8), (uint8_t)n->key);
	add(o, "slot", json_object_new_string(slot));
	add(o, "record", json_object_new_boolean(n->dev != NULL));
	if (depth == 0 && n->parent >= 0) {
		char up[24];
		long p = n->parent;

		/* A chain too deep to nest further continues at the top. */
		dst_slot_name(up, sizeof(up), (uint32_t)(t->n[p].key >> 16),
			      (uint8_t)(t->n[p].key >> 8), (uint8_t)t->n[p].key);
		add(o, "continues", json_object_new_string(up));
	}
	add(o, "children", kids);
	json_object_array_add(c->level[depth], o);
	if (depth + 1 < (int)(sizeof(c->level) / sizeof(c->level[0])))
		c->level[depth + 1] = kids;
	return 0;
}

static json_object *json_tree(const struct dst_view *v, const struct dst_opts *o)
{
	struct tree_ctx c = { .level = { json_object_new_array() } };
	struct dst_tree t;

	if (dst_tree_build(&t, v, &o->sel) || dst_tree_walk(&t, tree_node, &c)) {
		json_object_put(c.level[0]);
		c.level[0] = NULL;
	}
	dst_tree_free(&t);
	return c.level[0];
}

json_object *dst_json_view(const struct dst_view *v, const struct dst_opts *o)
{
	json_object *root = json_object_new_object();
	json_object *devs;
	int fault = dst_view_fault(v);
	uint32_t i;

	add(root, "file", json_object_new_string(v->name));
	add(root, "kind", json_object_new_string(
		v->kind == DST_KIND_REGION ? "region" : "fdt"));
	add(root, "valid", json_object_new_boolean(!fault));
	add(root, "fault", json_fault(fault));
	if (v->kind == DST_KIND_REGION)
		add(root, "region", json_region(v));
	add(root, "blob", v->blob ? json_blob(v) : NULL);
	devs = json_object_new_array();
	for (i = 0; i < v->nr_devices; i++)
		if (dst_select_match(&o->sel, &v->devices[i]))
			json_object_array_add(devs, json_device(v, &v->devices[i], o));
	add(root, "devices", devs);
	if (o->tree && !v->fdt_err)
		add(root, "tree", json_tree(v, o));
	return root;
}

json_object *dst_json_error(const char *msg, int code, const char *file)
{
	json_object *o = json_object_new_object();
	json_object *e = json_object_new_object();

	add(e, "message", json_object_new_string(msg));
	add(e, "code", json_object_new_int(code));
	if (file)
		add(e, "file", json_object_new_string(file));
	add(o, "error", e);
	return o;
}

void dst_json_emit(const struct dst_opts *o, json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= o->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			   : JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(obj, flags), o->out);
	fputc('\n', o->out);
	json_object_put(obj);
}

void dst_error(const struct dst_opts *o, const char *file, int code,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->json)
		dst_json_emit(o, dst_json_error(msg, code, file));
	else
		fprintf(o->err, "devstate: %s\n", msg);
}
