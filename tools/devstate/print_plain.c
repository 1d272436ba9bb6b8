// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Plain-text printer of the decoded view: the region header, the blob's
 * root, then one block per device, named and laid out the way lspci does.
 * -v and -vv add detail; -t draws the devices along their bridge chains.
 */
#include <stdlib.h>
#include <string.h>

#include "devstate.h"

#define STATE_BYTES_SHORT 32	/* driver-state values shown before "..." */

static void fault_line(FILE *f, const char *indent, int err)
{
	fprintf(f, "%sfault: %s [%s]\n", indent, ds_strerror(err),
		dst_err_name(err));
}

static void plain_region(FILE *f, const struct dst_view *v, int verbose)
{
	const struct dst_region *r = &v->region;

	if (v->truncated_header) {
		fprintf(f, "region: header truncated (file shorter than %u bytes)\n",
			DS_REGION_HEADER_SIZE);
		fault_line(f, "  ", r->inspect_err);
		return;
	}
	fprintf(f, "region: state %s, abi %u, generation %llu\n",
		dst_region_state_name(r->state), r->abi_version,
		(unsigned long long)r->generation);
	fprintf(f, "  header crc %s, blob crc %s\n",
		r->header_crc == r->header_crc_calc ? "ok" : "BAD",
		!r->blob_in_file ? "not checked (blob outside the file)" :
		r->blob_crc == r->blob_crc_calc ? "ok" : "BAD");
	fprintf(f, "  size %llu, blob %llu of %llu bytes at 0x%llx, pool %llu bytes at 0x%llx\n",
		(unsigned long long)r->region_size,
		(unsigned long long)r->blob_size,
		(unsigned long long)r->blob_max,
		(unsigned long long)r->blob_offset,
		(unsigned long long)r->pool_size,
		(unsigned long long)r->pool_offset);
	if (verbose >= 2) {
		fprintf(f, "  magic 0x%08x, header size %u\n", r->magic,
			r->header_size);
		fprintf(f, "  header crc 0x%08x (computed 0x%08x)\n",
			r->header_crc, r->header_crc_calc);
		if (r->blob_in_file)
			fprintf(f, "  blob crc 0x%08x (computed 0x%08x)\n",
				r->blob_crc, r->blob_crc_calc);
		else
			fprintf(f, "  blob crc 0x%08x\n", r->blob_crc);
	}
	if (r->adopted_intact)
		fprintf(f, "  adopted: the next kernel has taken this blob (intact)\n");
	else if (r->open_err)
		fault_line(f, "  ", r->open_err);
}

static void plain_blob(FILE *f, const struct dst_view *v, int verbose)
{
	if (!v->blob) {
		fprintf(f, "blob: not inside the file\n");
		return;
	}
	if (v->fdt_err) {
		fprintf(f, "blob: %zu bytes, not a readable FDT\n", v->blob_size);
		fprintf(f, "  fault: %s [%s] at byte %u of the blob\n",
			ds_strerror(v->fdt_err), dst_err_name(v->fdt_err),
			v->fdt.bad_offset);
		return;
	}
	fprintf(f, "blob: %u bytes, %s, %u device%s\n", v->fdt.size,
		v->root_compat ? v->root_compat : "(no compatible)",
		v->nr_devices, v->nr_devices == 1 ? "" : "s");
	fprintf(f, "  kernel-release %s\n",
		v->kernel_release ? v->kernel_release : "(none)");
	if (v->transport)
		fprintf(f, "  transport %s\n", v->transport);
	if (v->has_generation || v->has_timestamp)
		fprintf(f, "  generation %llu, timestamp-ns %llu\n",
			(unsigned long long)v->generation,
			(unsigned long long)v->timestamp_ns);
	if (v->has_pool)
		fprintf(f, "  pool 0x%llx size 0x%llx\n",
			(unsigned long long)v->pool_base,
			(unsigned long long)v->pool_size);
	if (v->has_kept)
		fprintf(f, "  kept-alive %u of %u (the list the jump fills in; 0 before it)\n",
			v->nr_kept, v->kept_slots);
	if (verbose >= 2) {
		fprintf(f, "  fdt: %u nodes, structure %u bytes at 0x%x, strings %u bytes at 0x%x\n",
			v->fdt.nodes, v->fdt.struct_size, v->fdt.struct_off,
			v->fdt.strings_size, v->fdt.strings_off);
		if (v->nr_other_nodes)
			fprintf(f, "  %u other root node%s ignored\n",
				v->nr_other_nodes,
				v->nr_other_nodes == 1 ? "" : "s");
	}
	if (v->blob_err)
		fault_line(f, "  ", v->blob_err);
}

/*
 * "0000:01:05.0 Unclassified device [00ff]: Red Hat, Inc. Device [1234:11e8]
 * (rev 10)" as lspci -D -nn says it, or with -n (or no pci.ids)
 * "0000:01:05.0 00ff: 1234:11e8 (rev 10)" as lspci -D -n does.
 */
static void device_title(FILE *f, const struct dst_device *d,
			 const struct dst_opts *o)
{
	const struct ds_record *r = &d->rec;
	char cls[128], dev[256];

	if (d->err) {
		fprintf(f, "%s: unreadable record: %s [%s]\n", d->node_name,
			ds_strerror(d->err), dst_err_name(d->err));
		return;
	}
	fprintf(f, "%s %s: %s", d->slot,
		dst_name_class(o, cls, sizeof(cls), r->ids[DS_IDS_CLASS] >> 8),
		dst_name_device(o, dev, sizeof(dev), r->ids[DS_IDS_VENDOR],
				r->ids[DS_IDS_DEVICE]));
	if (r->ids[DS_IDS_REVISION])
		fprintf(f, " (rev %02x)", r->ids[DS_IDS_REVISION]);
	if (r->ids[DS_IDS_CLASS] & 0xff)
		fprintf(f, " (prog-if %02x)", r->ids[DS_IDS_CLASS] & 0xff);
	fputc('\n', f);
}

static void indent(FILE *f, const char *ind, int tabs)
{
	fputs(ind, f);
	while (tabs-- > 0)
		fputc('\t', f);
}

static void state_node(FILE *f, const struct ds_fdt *fdt, int node,
		       const char *ind, int tabs, int verbose, int depth)
{
	int prop, child;

	for (prop = ds_fdt_first_prop(fdt, node); prop >= 0;
	     prop = ds_fdt_next_prop(fdt, prop)) {
		const uint8_t *val;
		const char *name;
		int len;

		val = ds_fdt_prop_at(fdt, prop, &name, &len);
		if (len < 0)
			continue;
		indent(f, ind, tabs);
		{
			char pn[128];

			fprintf(f, "%s = ", dst_printable(name, pn, sizeof(pn)));
		}
		dst_prop_format(f, val, len, verbose >= 2 ? 0 : STATE_BYTES_SHORT);
		fputc('\n', f);
	}
	if (depth >= DS_MAX_DEPTH)
		return;
	for (child = ds_fdt_first_child(fdt, node); child >= 0;
	     child = ds_fdt_next_sibling(fdt, child)) {
		const char *name;
		int len;

		name = ds_fdt_node_name(fdt, child, &len);
		if (!name || len < 0)
			continue;
		indent(f, ind, tabs);
		fprintf(f, "%.*s {\n", len, name);
		state_node(f, fdt, child, ind, tabs + 1, verbose, depth + 1);
		indent(f, ind, tabs);
		fputs("}\n", f);
	}
}

static void device_body(FILE *f, const struct dst_view *v,
			const struct dst_device *d, const char *ind,
			int verbose)
{
	const struct ds_record *r = &d->rec;
	const char *compat;
	uint32_t i;
	int err;

	if (d->err)
		return;
	if (verbose >= 1) {
		fprintf(f, "%s\tSubsystem: %04x:%04x\n", ind,
			r->ids[DS_IDS_SUBVENDOR], r->ids[DS_IDS_SUBDEVICE]);
		fprintf(f, "%s\tCommand: 0x%04x\n", ind, r->command);
		fprintf(f, "%s\tBridges:", ind);
		if (!r->nr_bridges)
			fputs(" none (root bus)", f);
		for (i = 0; i < r->nr_bridges; i++)
			fprintf(f, " %04x:%02x:%02x.%x", r->domain,
				r->bridges[i] >> 8 & 0xff,
				(r->bridges[i] >> 3) & 0x1f, r->bridges[i] & 7);
		fputc('\n', f);
	}
	fprintf(f, "%s\tDriver: %s\n", ind, r->driver[0] ? r->driver : "(none)");
	for (i = 0; i < r->nr_bars; i++) {
		const struct ds_bar *b = &r->bars[i];
		char flags[64];

		if (b->index == 6 || b->flags & DS_BAR_ROM) {
			fprintf(f, "%s\tExpansion ROM at 0x%llx [size=0x%llx]\n",
				ind, (unsigned long long)b->start,
				(unsigned long long)b->size);
			continue;
		}
		dst_bar_flags_str(flags, sizeof(flags), b->flags);
		fprintf(f, "%s\tBAR%u: %s at 0x%llx [size=0x%llx]\n", ind,
			b->index, flags, (unsigned long long)b->start,
			(unsigned long long)b->size);
	}
	fprintf(f, "%s\tInterrupt: %s", ind,
		dst_irq_mode_name(r->irq[DS_IRQ_CELL_MODE]));
	if (r->irq[DS_IRQ_CELL_MODE] == DS_IRQ_MSI ||
	    r->irq[DS_IRQ_CELL_MODE] == DS_IRQ_MSIX)
		fprintf(f, ", %u vector%s", r->irq[DS_IRQ_CELL_COUNT],
			r->irq[DS_IRQ_CELL_COUNT] == 1 ? "" : "s");
	if (r->irq[DS_IRQ_CELL_PIN])
		fprintf(f, ", pin %c", 'A' + (int)((r->irq[DS_IRQ_CELL_PIN] - 1) & 3));
	fprintf(f, ", line %u\n", r->irq[DS_IRQ_CELL_LINE]);
	if (verbose >= 1)
		for (i = 0; i < dst_nr_vectors(d); i++) {
			const struct ds_vector *vec = dst_vector(d, i);

			fprintf(f, "%s\t\tvector %u: address 0x%llx data 0x%08x%s\n",
				ind, i, (unsigned long long)vec->address,
				vec->data, vec->ctrl & 1 ? " masked" : "");
		}
	fprintf(f, "%s\tDMA mask: 0x%llx, coherent 0x%llx\n", ind,
		(unsigned long long)r->dma_mask,
		(unsigned long long)r->coherent_dma_mask);
	for (i = 0; i < r->nr_dma; i++) {
		const struct ds_dma_region *m = &r->dma[i];

		fprintf(f, "%s\tPreserved: \"%s\" %llu bytes", ind, m->name,
			(unsigned long long)m->size);
		if (verbose >= 1)
			fprintf(f, " at phys 0x%llx bus 0x%llx",
				(unsigned long long)m->phys,
				(unsigned long long)m->bus);
		fputc('\n', f);
	}
	if (r->state_node < 0)
		return;
	compat = ds_fdt_get_string(&v->fdt, r->state_node, DS_PROP_COMPATIBLE,
				   &err);
	{
		char cb[128];

		fprintf(f, "%s\tDriver state: %s\n", ind,
			compat ? dst_printable(compat, cb, sizeof(cb))
			       : "(no compatible)");
	}
	state_node(f, &v->fdt, r->state_node, ind, 2, verbose, 2);
}

static void plain_device(FILE *f, const struct dst_view *v,
			 const struct dst_device *d, const char *ind,
			 const struct dst_opts *o)
{
	fputs(ind, f);
	device_title(f, d, o);
	device_body(f, v, d, ind, o->verbose);
}

/* ---------------------------------------------------------------- tree */

struct tree_ctx {
	FILE *f;
	const struct dst_view *v;
	const struct dst_opts *o;
};

static int tree_node(const struct dst_tree *t, long node, int depth, void *ctx)
{
	const struct dst_tree_node *n = &t->n[node];
	struct tree_ctx *c = ctx;
	char ind[2 * (DS_MAX_BRIDGES + 2) + 1];
	int i;

	for (i = 0; i < 2 * depth && i < (int)sizeof(ind) - 1; i++)
		ind[i] = ' ';
	ind[i] = '\0';
	if (depth == 0 && n->parent >= 0) {
		char up[24];
		long p = n->parent;

		/* A chain too deep to indent further continues from here. */
		dst_slot_name(up, sizeof(up), (uint32_t)(t->n[p].key >> 16),
			      (uint8_t)(t->n[p].key >> 8), (uint8_t)t->n[p].key);
		fprintf(c->f, "(continued below %s)\n", up);
	}
	if (n->dev) {
		plain_device(c->f, c->v, n->dev, ind, c->o);
	} else {
		char slot[24];

		dst_slot_name(slot, sizeof(slot), (uint32_t)(n->key >> 16),
			      (uint8_t)(n->key >> 8), (uint8_t)n->key);
		fprintf(c->f, "%s%s bridge (no record)\n", ind, slot);
	}
	return 0;
}

static void plain_tree(FILE *f, const struct dst_view *v,
		       const struct dst_opts *o)
{
	struct tree_ctx c = { .f = f, .v = v, .o = o };
	struct dst_tree t;
	uint32_t i;

	/* Unreadable records have no chain: listed first, on their own. */
	for (i = 0; i < v->nr_devices; i++)
		if (v->devices[i].err && dst_select_match(&o->sel, &v->devices[i]))
			plain_device(f, v, &v->devices[i], "", o);
	if (dst_tree_build(&t, v, &o->sel) || dst_tree_walk(&t, tree_node, &c))
		fprintf(f, "(out of memory drawing the tree)\n");
	dst_tree_free(&t);
}

void dst_plain_view(FILE *f, const struct dst_view *v, const struct dst_opts *o)
{
	uint32_t i;

	fprintf(f, "file: %s (%s, %s)\n", v->name,
		v->kind == DST_KIND_REGION ? "region" : "fdt",
		dst_view_fault(v) ? "INVALID" : "valid");
	if (v->kind == DST_KIND_REGION)
		plain_region(f, v, o->verbose);
	plain_blob(f, v, o->verbose);
	if (v->fdt_err)
		return;
	if (o->tree) {
		fputc('\n', f);
		plain_tree(f, v, o);
		return;
	}
	for (i = 0; i < v->nr_devices; i++) {
		if (!dst_select_match(&o->sel, &v->devices[i]))
			continue;
		fputc('\n', f);
		plain_device(f, v, &v->devices[i], "", o);
	}
}
