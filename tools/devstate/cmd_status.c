// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate status: what happened at the last handoff, on a live system.
 *
 * Three debugfs files of devstate.ko are put side by side:
 *   status        the module's own account (required): the transport
 *                 (region or kho), the region, the state of each record
 *                 the previous kernel left, each device that went cold
 *                 and why, the pool's pages (under kho: the preserved
 *                 buffers' pages)
 *   region        the region header, or under kho the header of the
 *                 KHO subtree (optional: absent without a transport)
 *   incoming.dtb  the blob taken over (optional: absent after a cold boot):
 *                 who wrote it, when, and each record's IDs and driver
 * DEVSTATE_DEBUGFS names another directory, for tests and saved copies.
 *
 * Exit status: 0 when everything handed over was adopted, 1 when a device
 * went cold, a record is not (yet) adopted or the blob was rejected, 2 when
 * a file cannot be read or does not parse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "status.h"

/* Everything one run of status found. */
struct status_run {
	const char *dir;
	struct dst_status st;
	struct dst_input region_in, blob_in;
	bool has_region_view, has_blob_view;
	struct dst_view region, blob;
	size_t adopted, cold, pending, unclaimed;
};

enum verdict { V_ADOPTED, V_COLD, V_PENDING, V_UNCLAIMED };
static const char *const verdict_names[] = { "adopted", "cold", "pending",
					     "unclaimed" };

static enum verdict dev_verdict(const struct dst_status_dev *d)
{
	if (!strcmp(d->record_state, "adopted"))
		return V_ADOPTED;
	if (d->cold_reason[0] || !strcmp(d->record_state, "cold"))
		return V_COLD;
	if (!strcmp(d->record_state, "pending"))
		return V_PENDING;
	return V_UNCLAIMED;	/* unclaimed, or released by finish */
}

/* The incoming blob's record at @slot, or NULL. */
static const struct ds_record *blob_record(const struct status_run *r,
					   const char *slot)
{
	uint32_t i;

	if (!r->has_blob_view)
		return NULL;
	for (i = 0; i < r->blob.nr_devices; i++) {
		const struct dst_device *d = &r->blob.devices[i];

		if (!d->err && !strcmp(d->slot, slot))
			return &d->rec;
	}
	return NULL;
}

/*
 * taken, none, rejected, or ignored (a KHO handover on a kernel without
 * kho=on); from incoming_error for a module without the reason key.
 */
static const char *handoff_status(const struct dst_status *st)
{
	if (!strcmp(st->incoming_reason, "adopt"))
		return "taken";
	if (!strcmp(st->incoming_reason, "blob-rejected"))
		return "rejected";
	if (!strcmp(st->incoming_reason, "kho-off"))
		return "ignored";
	if (st->incoming_reason[0])
		return "none";
	return strcmp(st->incoming_error, "none") ? "none" : "taken";
}

static bool is_kho(const struct dst_status *st)
{
	return !strcmp(st->transport, "kho");
}

/* Why nothing was taken: the module's error, or what the tool knows. */
static const char *handoff_why(const struct dst_status *st, char *buf,
			       size_t len)
{
	if (!strcmp(st->incoming_reason, "kho-off"))
		return "kho-off: a KHO handover arrived, but this kernel runs without kho=on";
	/* Without a transport the module has no error to give. */
	if (!strcmp(st->transport, "none"))
		return "no transport (no region=, KHO off)";
	if (!st->region && !is_kho(st))
		return "no region configured";
	return dst_printable(st->incoming_error, buf, len);
}

static void format_time(char *buf, size_t len, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

/* ------------------------------------------------------------ loading */

/* Load an optional debugfs file: 1 loaded, 0 absent, or a negative errno. */
static int load_optional(const struct dst_opts *o, const char *dir,
			 const char *file, struct dst_input *in)
{
	char path[512], msg[600];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ret = dst_input_load(in, path, msg, sizeof(msg));
	/* The module answers ENODATA without a blob, ENODEV without a region. */
	if (ret == -ENOENT || ret == -ENODATA || ret == -ENODEV)
		return 0;
	if (ret) {
		dst_error(o, file, ret, "%s", msg);
		return ret;
	}
	if (!in->size) {
		dst_input_free(in);
		return 0;
	}
	return 1;
}

static int load_status(const struct dst_opts *o, struct status_run *r)
{
	struct dst_input in;
	char path[512], msg[600];
	int ret;

	if (dst_debugfs_check(o, msg, sizeof(msg))) {
		dst_error(o, NULL, -ENODEV, "%s", msg);
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/status", r->dir);
	ret = dst_input_load(&in, path, msg, sizeof(msg));
	if (ret) {
		dst_error(o, "status", ret, "%s", msg);
		return ret;
	}
	ret = dst_status_parse(&r->st, in.data, in.size, msg, sizeof(msg));
	dst_input_free(&in);
	if (ret)
		dst_error(o, "status", ret, "%s: %s", path, msg);
	return ret;
}

/*
 * An optional file decoded as a view: 1 decoded (@has set, the view to be
 * freed), 0 absent, or a negative errno, said.
 */
static int load_view(const struct dst_opts *o, const char *dir,
		     const char *file, struct dst_input *in,
		     struct dst_view *v, bool *has)
{
	int ret = load_optional(o, dir, file, in);

	if (ret <= 0)
		return ret;
	if (dst_view_build(v, file, in->data, in->size)) {
		dst_view_free(v);
		dst_error(o, file, -ENOMEM, "out of memory decoding %s", file);
		return -ENOMEM;
	}
	*has = true;
	return 1;
}

/* The region header: a region file that is not a devstate region is an error. */
static int load_region(const struct dst_opts *o, struct status_run *r)
{
	int ret = load_view(o, r->dir, "region", &r->region_in, &r->region,
			    &r->has_region_view);

	if (ret <= 0)
		return ret;
	if (r->region.kind != DST_KIND_REGION || r->region.truncated_header) {
		dst_error(o, "region", -EINVAL,
			  "%s/region: not a devstate region header", r->dir);
		return -EINVAL;
	}
	return 0;
}

/* The incoming blob: its records may be unreadable, its structure may not. */
static int load_blob(const struct dst_opts *o, struct status_run *r)
{
	int ret = load_view(o, r->dir, "incoming.dtb", &r->blob_in, &r->blob,
			    &r->has_blob_view);

	if (ret <= 0)
		return ret;
	ret = r->blob.fdt_err ? r->blob.fdt_err : r->blob.blob_err;
	if (r->blob.kind != DST_KIND_FDT || ret) {
		dst_error(o, "incoming.dtb", ret ? ret : -EINVAL,
			  "%s/incoming.dtb: not a valid blob: %s", r->dir,
			  ret ? ds_strerror(ret) : "a region, not a bare FDT");
		return ret ? ret : -EINVAL;
	}
	return 0;
}

/* The incoming blob's generation; the module's own when there is no blob. */
static uint64_t handoff_generation(const struct status_run *r)
{
	if (r->has_blob_view && r->blob.has_generation)
		return r->blob.generation;
	return r->st.generation;
}

static int slot_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dst_status_dev *)a)->slot,
		      ((const struct dst_status_dev *)b)->slot);
}

/* Devices in position order, whatever order the file listed them in. */
static void count_verdicts(struct status_run *r)
{
	size_t i;

	if (r->st.nr_devs)
		qsort(r->st.devs, r->st.nr_devs, sizeof(*r->st.devs), slot_cmp);
	for (i = 0; i < r->st.nr_devs; i++) {
		switch (dev_verdict(&r->st.devs[i])) {
		case V_ADOPTED:	r->adopted++; break;
		case V_COLD:	r->cold++; break;
		case V_PENDING:	r->pending++; break;
		case V_UNCLAIMED: r->unclaimed++; break;
		}
	}
}

static bool all_adopted(const struct status_run *r)
{
	const char *hs = handoff_status(&r->st);

	return r->adopted == r->st.nr_devs && strcmp(hs, "rejected") &&
	       strcmp(hs, "ignored");
}

static void run_free(struct status_run *r)
{
	dst_status_free(&r->st);
	if (r->has_region_view)
		dst_view_free(&r->region);
	if (r->has_blob_view)
		dst_view_free(&r->blob);
	dst_input_free(&r->region_in);
	dst_input_free(&r->blob_in);
}

/* ------------------------------------------------------------ plain */

static void plain_region(FILE *f, const struct status_run *r)
{
	const struct dst_status *st = &r->st;

	if (st->transport[0])
		fprintf(f, "transport: %s\n", st->transport);
	if (is_kho(st))
		/* Under KHO the module's region file is the subtree's bytes. */
		fprintf(f, "region: none; KHO subtree");
	else if (!st->region)
		fprintf(f, "region: none (devstate.ko loaded without region=%s)",
			!strcmp(st->transport, "none") ? ", KHO off" : "");
	else
		fprintf(f, "region: %lluK at 0x%llx",
			(unsigned long long)st->region_kib,
			(unsigned long long)st->region_phys);
	if (r->has_region_view && (st->region || is_kho(st)))
		fprintf(f, "%s header %s, generation %llu", is_kho(st) ? "" : ",",
			dst_region_state_name(r->region.region.state),
			(unsigned long long)r->region.region.generation);
	fprintf(f, "; module %s\n", st->state);
}

static void plain_handoff(FILE *f, const struct status_run *r)
{
	const struct dst_status *st = &r->st;
	const char *hs = handoff_status(st);
	char when[40], buf[128];

	if (strcmp(hs, "taken")) {
		fprintf(f, "handoff: %s (%s)\n", hs,
			handoff_why(st, buf, sizeof(buf)));
		return;
	}
	fprintf(f, "handoff: generation %llu",
		(unsigned long long)handoff_generation(r));
	if (r->has_blob_view && r->blob.has_timestamp) {
		format_time(when, sizeof(when), r->blob.timestamp_ns);
		fprintf(f, ", sealed %s", when);
	}
	if (r->has_blob_view && r->blob.kernel_release)
		fprintf(f, " by %s", r->blob.kernel_release);
	fprintf(f, ", %llu records, validated in %llu us, finish %s\n",
		(unsigned long long)st->records_in,
		(unsigned long long)st->validate_us,
		st->finished ? "done" : "pending");
}

static void plain_devices(FILE *f, const struct status_run *r)
{
	size_t i, nr_unclaimed = 0;

	for (i = 0; i < r->st.nr_devs; i++) {
		const struct dst_status_dev *d = &r->st.devs[i];
		const struct ds_record *rec = blob_record(r, d->slot);
		enum verdict v = dev_verdict(d);
		char drv[DS_DRIVER_NAME_MAX];

		fprintf(f, "device %s", d->slot);
		if (rec)
			fprintf(f, " %04x:%04x %s", rec->ids[DS_IDS_VENDOR],
				rec->ids[DS_IDS_DEVICE],
				dst_printable(rec->driver, drv, sizeof(drv)));
		fprintf(f, ": %s", verdict_names[v]);
		if (v == V_COLD && d->cold_reason[0])
			fprintf(f, ": %s", d->cold_reason);
		if (!strcmp(d->record_state, "released"))
			fprintf(f, " (released at finish)");
		fprintf(f, "%s\n", d->unreadable ? " (record unreadable)" : "");
	}
	fprintf(f, "unclaimed:");
	for (i = 0; i < r->st.nr_devs; i++) {
		if (dev_verdict(&r->st.devs[i]) != V_UNCLAIMED)
			continue;
		fprintf(f, " %s", r->st.devs[i].slot);
		nr_unclaimed++;
	}
	fprintf(f, "%s\n", nr_unclaimed ? "" : " none");
}

static void plain_status(FILE *f, const struct status_run *r)
{
	const struct dst_status *st = &r->st;

	plain_region(f, r);
	plain_handoff(f, r);
	plain_devices(f, r);
	if (st->has_pool)
		fprintf(f, "pool: %llu of %llu pages in use%s\n",
			(unsigned long long)st->pool_used,
			(unsigned long long)st->pool_pages,
			st->quarantined ? ", quarantined" : "");
	else
		fprintf(f, "pool: not reported by this module%s\n",
			st->quarantined ? " (quarantined)" : "");
	fprintf(f, "result: %zu devices: %zu adopted, %zu cold, %zu pending, %zu unclaimed%s\n",
		st->nr_devs, r->adopted, r->cold, r->pending, r->unclaimed,
		all_adopted(r) ? "" : "; not everything handed over was adopted");
}

/* ------------------------------------------------------------ JSON */

static void add(json_object *o, const char *key, json_object *val)
{
	json_object_object_add(o, key, val);
}

static json_object *json_str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static json_object *json_region_status(const struct status_run *r)
{
	const struct dst_status *st = &r->st;
	json_object *o = json_object_new_object();

	add(o, "configured", json_object_new_boolean(st->region));
	add(o, "address", st->region ? dst_json_hex(st->region_phys) : NULL);
	add(o, "size", st->region ? dst_json_hex(st->region_kib << 10) : NULL);
	add(o, "header_state", r->has_region_view ? json_object_new_string(
		dst_region_state_name(r->region.region.state)) : NULL);
	add(o, "header_generation", r->has_region_view ?
	    json_object_new_uint64(r->region.region.generation) : NULL);
	add(o, "module_state", json_object_new_string(st->state));
	return o;
}

static json_object *json_handoff(const struct status_run *r)
{
	const struct dst_status *st = &r->st;
	const char *hs = handoff_status(st);
	bool taken = !strcmp(hs, "taken");
	bool blob = taken && r->has_blob_view;
	json_object *o = json_object_new_object();
	char when[40], buf[128];

	add(o, "status", json_object_new_string(hs));
	add(o, "error", taken ? NULL :
	    json_object_new_string(handoff_why(st, buf, sizeof(buf))));
	add(o, "generation", taken ?
	    json_object_new_uint64(handoff_generation(r)) : NULL);
	if (blob && r->blob.has_timestamp)
		format_time(when, sizeof(when), r->blob.timestamp_ns);
	add(o, "timestamp_ns", blob && r->blob.has_timestamp ?
	    json_object_new_uint64(r->blob.timestamp_ns) : NULL);
	add(o, "time", blob && r->blob.has_timestamp ?
	    json_object_new_string(when) : NULL);
	add(o, "kernel_release", blob ? json_str_or_null(r->blob.kernel_release) : NULL);
	add(o, "records", json_object_new_uint64(st->records_in));
	add(o, "validate_us", taken ? json_object_new_uint64(st->validate_us) : NULL);
	add(o, "finished", json_object_new_boolean(st->finished));
	return o;
}

static json_object *json_status_dev(const struct status_run *r,
				    const struct dst_status_dev *d)
{
	const struct ds_record *rec = blob_record(r, d->slot);
	json_object *o = json_object_new_object();
	enum verdict v = dev_verdict(d);
	char buf[DS_DRIVER_NAME_MAX];

	add(o, "slot", json_object_new_string(d->slot));
	add(o, "verdict", json_object_new_string(verdict_names[v]));
	add(o, "reason", v == V_COLD ? json_str_or_null(d->cold_reason) : NULL);
	add(o, "record", json_str_or_null(d->record_state));
	add(o, "unreadable", json_object_new_boolean(d->unreadable));
	snprintf(buf, sizeof(buf), "%04x", rec ? rec->ids[DS_IDS_VENDOR] : 0);
	add(o, "vendor_id", rec ? json_object_new_string(buf) : NULL);
	snprintf(buf, sizeof(buf), "%04x", rec ? rec->ids[DS_IDS_DEVICE] : 0);
	add(o, "device_id", rec ? json_object_new_string(buf) : NULL);
	add(o, "driver", rec ? json_object_new_string(
		dst_printable(rec->driver, buf, sizeof(buf))) : NULL);
	return o;
}

static json_object *json_status(const struct status_run *r)
{
	const struct dst_status *st = &r->st;
	json_object *o = json_object_new_object(), *devs, *unc, *pool, *sum;
	size_t i;

	add(o, "debugfs", json_object_new_string(r->dir));
	add(o, "transport", json_str_or_null(r->st.transport));
	add(o, "region", json_region_status(r));
	add(o, "handoff", json_handoff(r));
	devs = json_object_new_array();
	unc = json_object_new_array();
	for (i = 0; i < st->nr_devs; i++) {
		json_object_array_add(devs, json_status_dev(r, &st->devs[i]));
		if (dev_verdict(&st->devs[i]) == V_UNCLAIMED)
			json_object_array_add(unc, json_object_new_string(
				st->devs[i].slot));
	}
	add(o, "devices", devs);
	add(o, "unclaimed", unc);
	pool = json_object_new_object();
	add(pool, "pages", st->has_pool ? json_object_new_uint64(st->pool_pages) : NULL);
	add(pool, "used", st->has_pool ? json_object_new_uint64(st->pool_used) : NULL);
	add(pool, "quarantined", json_object_new_boolean(st->quarantined));
	add(o, "pool", pool);
	sum = json_object_new_object();
	add(sum, "devices", json_object_new_uint64(st->nr_devs));
	add(sum, "adopted", json_object_new_uint64(r->adopted));
	add(sum, "cold", json_object_new_uint64(r->cold));
	add(sum, "pending", json_object_new_uint64(r->pending));
	add(sum, "unclaimed", json_object_new_uint64(r->unclaimed));
	add(o, "summary", sum);
	add(o, "result", json_object_new_string(all_adopted(r) ? "all-adopted"
							       : "not-all-adopted"));
	return o;
}

/* ------------------------------------------------------------ command */

int dst_cmd_status(const struct dst_opts *o, int argc, char **argv)
{
	struct status_run r = { 0 };
	int ret;

	(void)argv;
	if (argc) {
		dst_error(o, NULL, -EINVAL,
			  "status: takes no arguments (see 'devstate help status')");
		return DST_EXIT_ERROR;
	}
	r.dir = o->debugfs_dir ? o->debugfs_dir : DST_DEBUGFS_DIR;
	ret = load_status(o, &r);
	if (!ret)
		ret = load_region(o, &r);
	if (!ret)
		ret = load_blob(o, &r);
	if (ret) {
		run_free(&r);
		return DST_EXIT_ERROR;
	}
	count_verdicts(&r);
	if (o->json)
		dst_json_emit(o, json_status(&r));
	else
		plain_status(o->out, &r);
	ret = all_adopted(&r) ? DST_EXIT_OK : DST_EXIT_FAIL;
	run_free(&r);
	return ret;
}
