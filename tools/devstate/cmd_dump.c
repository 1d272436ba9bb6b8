// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate dump [FILE]: a readable view of a region file or a bare blob, or,
 * with no FILE, of the running kernel's incoming and outgoing blobs; without
 * devstate.ko, of what KHO handed over (--kho: that, in any case).
 *
 * Exit status: 0 when everything shown was valid, 1 when a fault was found
 * (the dump still shows what could be read), 2 on usage or I/O errors.
 */
#include <errno.h>
#include <string.h>

#include "devstate.h"

static int view_status(const struct dst_view *v)
{
	return dst_view_fault(v) ? DST_EXIT_FAIL : DST_EXIT_OK;
}

/* Build the view of one input; a JSON object when @json_out is given. */
static int dump_one(const struct dst_opts *o, const char *name,
		    const uint8_t *data, size_t size, json_object **json_out)
{
	struct dst_view v;
	int ret;

	if (dst_view_build(&v, name, data, size)) {
		dst_view_free(&v);
		dst_error(o, name, -ENOMEM, "out of memory decoding %s", name);
		return DST_EXIT_ERROR;
	}
	if (json_out)
		*json_out = dst_json_view(&v, o);
	else
		dst_plain_view(o->out, &v, o);
	ret = view_status(&v);
	dst_view_free(&v);
	return ret;
}

int dst_dump_buffer(const struct dst_opts *o, const char *name,
		    const uint8_t *data, size_t size)
{
	json_object *j = NULL;
	int ret;

	ret = dump_one(o, name, data, size, o->json ? &j : NULL);
	if (j)
		dst_json_emit(o, j);
	return ret;
}

/*
 * No FILE and no devstate.ko after a KHO boot: the handover as the incoming
 * blob, in the shape dump_debugfs() gives, and no outgoing one.
 */
static int dump_handover(const struct dst_opts *o, struct dst_input *in)
{
	static const char no_out[] = "no outgoing blob: devstate.ko is not loaded";
	json_object *all, *j = NULL;
	int ret;

	if (o->json) {
		all = json_object_new_object();
		ret = dump_one(o, in->name, in->data, in->size, &j);
		json_object_object_add(all, "incoming", j);
		json_object_object_add(all, "outgoing",
				       dst_json_error(no_out, -ENOENT, "outgoing.dtb"));
		dst_json_emit(o, all);
	} else {
		fprintf(o->out, "== incoming: KHO handover (devstate.ko is not loaded) ==\n");
		ret = dump_one(o, in->name, in->data, in->size, NULL);
		fprintf(o->out, "\noutgoing: %s\n", no_out);
	}
	dst_input_free(in);
	return ret;
}

/* No FILE: both debugfs blobs, each with its own verdict or reason. */
static int dump_debugfs(const struct dst_opts *o)
{
	static const char *const files[] = { "incoming.dtb", "outgoing.dtb" };
	json_object *all;
	int worst = DST_EXIT_OK, found = 0, ret;
	struct dst_input in;
	char msg[512], kho_msg[512];
	size_t i;

	ret = dst_debugfs_check(o, msg, sizeof(msg));
	if (ret == -ENXIO && !dst_kho_load(o, &in, kho_msg, sizeof(kho_msg)))
		return dump_handover(o, &in);
	if (ret) {
		dst_error(o, NULL, -ENODEV, "%s", msg);
		return DST_EXIT_ERROR;
	}

	all = o->json ? json_object_new_object() : NULL;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *key = i ? "outgoing" : "incoming";

		ret = dst_debugfs_load(o, files[i], &in, msg, sizeof(msg));
		if (ret) {
			/* A missing blob is normal; anything else is an error. */
			if (ret != -ENOENT && ret != -ENODATA)
				worst = DST_EXIT_ERROR;
			if (all) {
				json_object *e = dst_json_error(msg, ret, files[i]);

				json_object_object_add(all, key, e);
			} else {
				fprintf(o->out, "%s%s: %s\n", i ? "\n" : "", key, msg);
			}
			continue;
		}
		found++;
		if (all) {
			json_object *j = NULL;

			ret = dump_one(o, in.name, in.data, in.size, &j);
			json_object_object_add(all, key, j);
		} else {
			fprintf(o->out, "%s== %s ==\n", i ? "\n" : "", key);
			ret = dump_one(o, in.name, in.data, in.size, NULL);
		}
		if (ret > worst)
			worst = ret;
		dst_input_free(&in);
	}
	if (all)
		dst_json_emit(o, all);
	if (!found && worst == DST_EXIT_OK)
		worst = DST_EXIT_FAIL;
	return worst;
}

int dst_cmd_dump(const struct dst_opts *o, int argc, char **argv)
{
	struct dst_input in;
	char msg[512];
	int ret;

	if (argc > 1) {
		dst_error(o, NULL, -EINVAL, "dump: too many arguments (see 'devstate help dump')");
		return DST_EXIT_ERROR;
	}
	if (argc && o->kho) {
		dst_error(o, NULL, -EINVAL, "dump: --kho reads KHO's file, not FILE (see 'devstate help dump')");
		return DST_EXIT_ERROR;
	}
	if (argc == 0 && !o->kho)
		return dump_debugfs(o);
	ret = o->kho ? dst_kho_load(o, &in, msg, sizeof(msg)) :
		       dst_input_load(&in, argv[0], msg, sizeof(msg));
	if (ret) {
		dst_error(o, o->kho ? "kho/" DST_KHO_IN_FILE : argv[0], ret, "%s", msg);
		return DST_EXIT_ERROR;
	}
	ret = dst_dump_buffer(o, in.name, in.data, in.size);
	dst_input_free(&in);
	return ret;
}
