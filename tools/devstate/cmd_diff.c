// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate diff A B: what changed between two blobs or regions, device by
 * device. Devices are matched by node name, which encodes the PCI position;
 * each one is flattened into key/value fields (model.c) and the two field
 * lists are compared, so every field the dump shows is covered.
 *
 * Exit status, as diff(1): 0 no difference, 1 differences, 2 error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devstate.h"

struct field {
	char *key, *value;
};

struct fields {
	struct field *f;
	size_t nr, cap;
	bool oom;
};

static void collect(const char *key, const char *value, void *ctx)
{
	struct fields *fl = ctx;

	if (fl->oom)
		return;
	if (fl->nr == fl->cap) {
		size_t ncap = fl->cap ? fl->cap * 2 : 32;
		struct field *nf = realloc(fl->f, ncap * sizeof(*nf));

		if (!nf) {
			fl->oom = true;
			return;
		}
		fl->f = nf;
		fl->cap = ncap;
	}
	fl->f[fl->nr].key = strdup(key);
	fl->f[fl->nr].value = strdup(value);
	if (!fl->f[fl->nr].key || !fl->f[fl->nr].value) {
		free(fl->f[fl->nr].key);
		free(fl->f[fl->nr].value);
		fl->oom = true;
		return;
	}
	fl->nr++;
}

static void fields_free(struct fields *fl)
{
	size_t i;

	for (i = 0; i < fl->nr; i++) {
		free(fl->f[i].key);
		free(fl->f[i].value);
	}
	free(fl->f);
	memset(fl, 0, sizeof(*fl));
}

static const char *fields_get(const struct fields *fl, const char *key)
{
	size_t i;

	for (i = 0; i < fl->nr; i++)
		if (!strcmp(fl->f[i].key, key))
			return fl->f[i].value;
	return NULL;
}

struct diff_out {
	const struct dst_opts *o;
	json_object *changes;	/* JSON: array being filled */
	unsigned int count;
};

static void emit_change(struct diff_out *out, const char *key, const char *a,
			const char *b)
{
	out->count++;
	if (out->changes) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "field", json_object_new_string(key));
		json_object_object_add(c, "a", a ? json_object_new_string(a) : NULL);
		json_object_object_add(c, "b", b ? json_object_new_string(b) : NULL);
		json_object_array_add(out->changes, c);
		return;
	}
	fprintf(out->o->out, "\t%s: %s -> %s\n", key, a ? a : "(absent)",
		b ? b : "(absent)");
}

/* Compare two field lists in A's order, then B's extra keys. */
static bool diff_fields(struct diff_out *out, const struct fields *a,
			const struct fields *b)
{
	unsigned int before = out->count;
	size_t i;

	for (i = 0; i < a->nr; i++) {
		const char *vb = fields_get(b, a->f[i].key);

		if (!vb || strcmp(vb, a->f[i].value))
			emit_change(out, a->f[i].key, a->f[i].value, vb);
	}
	for (i = 0; i < b->nr; i++)
		if (!fields_get(a, b->f[i].key))
			emit_change(out, b->f[i].key, NULL, b->f[i].value);
	return out->count != before;
}

/* Whether two field lists differ, without printing anything. */
static bool has_changes(const struct dst_opts *o, const struct fields *a,
			const struct fields *b)
{
	struct diff_out probe = { .o = o };
	bool ret;

	probe.changes = json_object_new_array();
	ret = diff_fields(&probe, a, b);
	json_object_put(probe.changes);
	return ret;
}

static int cmp_node(const void *a, const void *b)
{
	const struct dst_device *const *x = a, *const *y = b;

	return strcmp((*x)->node_name, (*y)->node_name);
}

/* Devices of a view sorted by node name, for lookups in O(log n). */
static const struct dst_device **sorted_devices(const struct dst_view *v)
{
	const struct dst_device **s;
	uint32_t i;

	s = malloc((v->nr_devices ? v->nr_devices : 1) * sizeof(*s));
	if (!s)
		return NULL;
	for (i = 0; i < v->nr_devices; i++)
		s[i] = &v->devices[i];
	qsort(s, v->nr_devices, sizeof(*s), cmp_node);
	return s;
}

static const struct dst_device *find_node(const struct dst_device **sorted,
					  uint32_t n, const char *name)
{
	struct dst_device key;
	const struct dst_device *kp = &key, **hit;

	snprintf(key.node_name, sizeof(key.node_name), "%s", name);
	hit = bsearch(&kp, sorted, n, sizeof(*sorted), cmp_node);
	return hit ? *hit : NULL;
}

static bool selected(const struct dst_opts *o, const struct dst_device *a,
		     const struct dst_device *b)
{
	return (a && dst_select_match(&o->sel, a)) ||
	       (b && dst_select_match(&o->sel, b));
}

static void device_line(const struct dst_opts *o, char mark,
			const struct dst_device *d)
{
	if (d->err)
		fprintf(o->out, "%c %s (unreadable record)\n", mark, d->node_name);
	else
		fprintf(o->out, "%c %s %04x:%04x\n", mark, d->slot,
			d->rec.ids[DS_IDS_VENDOR], d->rec.ids[DS_IDS_DEVICE]);
}

static int diff_views(const struct dst_opts *o, const struct dst_view *va,
		      const struct dst_view *vb)
{
	json_object *root = NULL, *added = NULL, *removed = NULL, *changed = NULL;
	struct diff_out out = { .o = o };
	struct fields fa = { 0 }, fb = { 0 };
	const struct dst_device **sa, **sb;
	bool oom = false;
	uint32_t i;

	sa = sorted_devices(va);
	sb = sorted_devices(vb);
	if (!sa || !sb) {
		free(sa);
		free(sb);
		dst_error(o, NULL, -ENOMEM, "out of memory");
		return DST_EXIT_ERROR;
	}

	if (o->json) {
		root = json_object_new_object();
		added = json_object_new_array();
		removed = json_object_new_array();
		changed = json_object_new_array();
		out.changes = json_object_new_array();
	}

	/* The blobs themselves: header and root properties. */
	dst_root_fields(va, collect, &fa);
	dst_root_fields(vb, collect, &fb);
	if (!o->json)
		fprintf(o->out, "--- %s\n+++ %s\n", va->name, vb->name);
	if (o->json) {
		diff_fields(&out, &fa, &fb);
		json_object_object_add(root, "a", json_object_new_string(va->name));
		json_object_object_add(root, "b", json_object_new_string(vb->name));
		json_object_object_add(root, "blob", out.changes);
	} else if (has_changes(o, &fa, &fb)) {
		fprintf(o->out, "~ blob\n");
		diff_fields(&out, &fa, &fb);
	}
	oom |= fa.oom || fb.oom;
	fields_free(&fa);
	fields_free(&fb);

	for (i = 0; i < va->nr_devices; i++) {
		const struct dst_device *da = &va->devices[i];
		const struct dst_device *db = find_node(sb, vb->nr_devices,
							da->node_name);

		if (!selected(o, da, db))
			continue;
		if (!db) {
			out.count++;
			if (removed)
				json_object_array_add(removed,
					json_object_new_string(da->slot));
			else
				device_line(o, '-', da);
			continue;
		}
		dst_device_fields(va, da, collect, &fa);
		dst_device_fields(vb, db, collect, &fb);
		oom |= fa.oom || fb.oom;
		if (o->json) {
			out.changes = json_object_new_array();
			if (diff_fields(&out, &fa, &fb)) {
				json_object *c = json_object_new_object();

				json_object_object_add(c, "slot",
					json_object_new_string(da->slot));
				json_object_object_add(c, "changes", out.changes);
				json_object_array_add(changed, c);
			} else {
				json_object_put(out.changes);
			}
		} else if (has_changes(o, &fa, &fb)) {
			device_line(o, '~', da);
			diff_fields(&out, &fa, &fb);
		}
		fields_free(&fa);
		fields_free(&fb);
	}
	for (i = 0; i < vb->nr_devices; i++) {
		const struct dst_device *db = &vb->devices[i];

		if (find_node(sa, va->nr_devices, db->node_name) ||
		    !selected(o, NULL, db))
			continue;
		out.count++;
		if (added)
			json_object_array_add(added, json_object_new_string(db->slot));
		else
			device_line(o, '+', db);
	}

	if (root) {
		json_object_object_add(root, "added", added);
		json_object_object_add(root, "removed", removed);
		json_object_object_add(root, "changed", changed);
		json_object_object_add(root, "differences",
				       json_object_new_int64(out.count));
		dst_json_emit(o, root);
	} else if (!out.count) {
		fprintf(o->out, "no differences\n");
	}
	free(sa);
	free(sb);
	if (oom) {
		dst_error(o, NULL, -ENOMEM, "out of memory: diff incomplete");
		return DST_EXIT_ERROR;
	}
	return out.count ? DST_EXIT_FAIL : DST_EXIT_OK;
}

int dst_cmd_diff(const struct dst_opts *o, int argc, char **argv)
{
	struct dst_input in[2];
	struct dst_view v[2];
	char msg[512];
	int i, ret;

	if (argc != 2) {
		dst_error(o, NULL, -EINVAL,
			  "diff: expects two files, A and B (see 'devstate help diff')");
		return DST_EXIT_ERROR;
	}
	memset(in, 0, sizeof(in));
	memset(v, 0, sizeof(v));
	for (i = 0; i < 2; i++) {
		ret = dst_input_load(&in[i], argv[i], msg, sizeof(msg));
		if (ret) {
			dst_error(o, argv[i], ret, "%s", msg);
			ret = DST_EXIT_ERROR;
			goto out;
		}
		if (dst_view_build(&v[i], argv[i], in[i].data, in[i].size)) {
			dst_error(o, argv[i], -ENOMEM, "out of memory");
			ret = DST_EXIT_ERROR;
			goto out;
		}
		if (v[i].fdt_err) {
			dst_error(o, argv[i], v[i].fdt_err,
				  "%s: no readable blob: %s", argv[i],
				  ds_strerror(v[i].fdt_err));
			ret = DST_EXIT_ERROR;
			goto out;
		}
	}
	ret = diff_views(o, &v[0], &v[1]);
out:
	for (i = 0; i < 2; i++) {
		dst_view_free(&v[i]);
		dst_input_free(&in[i]);
	}
	return ret;
}
