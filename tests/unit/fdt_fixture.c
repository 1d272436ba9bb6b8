// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libfdt rebuilds of FDT blobs for the tests (see fdt_fixture.h). */
#include <string.h>
#include <libfdt.h>

#include "fdt_fixture.h"

#define FX_MAX_DEPTH 64

int fx_rewrite(const void *in, void *out, int outsize, const struct fx_edits *e)
{
	const char *names[FX_MAX_DEPTH];
	int depth = 0, off = 0, next, err;
	bool props_done[FX_MAX_DEPTH] = { false };
	uint32_t tag;

	err = fdt_create_with_flags(out, outsize, e ? e->create_flags : 0);
	if (!err)
		err = fdt_finish_reservemap(out);
	do {
		if (err)
			return err;
		tag = fdt_next_tag(in, off, &next);
		/* the first child or the end closes a node's property list */
		if ((tag == FDT_BEGIN_NODE || tag == FDT_END_NODE) && depth > 0 &&
		    !props_done[depth - 1]) {
			props_done[depth - 1] = true;
			if (e && e->extra)
				err = e->extra(e->ctx, out, names[depth - 1]);
			if (err)
				return err;
		}
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const char *name = fdt_get_name(in, off, NULL);

			if (!name || depth >= FX_MAX_DEPTH)
				return -FDT_ERR_BADSTRUCTURE;
			if (e && e->node)
				name = e->node(e->ctx, name);
			names[depth] = name;
			props_done[depth++] = false;
			err = fdt_begin_node(out, name);
			break;
		}
		case FDT_END_NODE:
			depth--;
			err = fdt_end_node(out);
			break;
		case FDT_PROP: {
			const char *pname;
			int len;
			const void *val = fdt_getprop_by_offset(in, off, &pname, &len);

			int done = 0;

			if (!val)
				return len;
			if (e && e->prop)
				done = e->prop(e->ctx, out, names[depth - 1],
					       pname, val, len);
			if (done < 0)
				err = done;
			else if (!done)
				err = fdt_property(out, pname, val, len);
			break;
		}
		case FDT_NOP:
		case FDT_END:
			break;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		off = next;
	} while (tag != FDT_END && off >= 0);
	if (off < 0)
		return off;
	err = fdt_finish(out);
	return err ? err : (int)fdt_totalsize(out);
}
