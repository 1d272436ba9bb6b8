// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate check FILE: full validation of a region or bare blob with the
 * shared reader (the code the kernel runs), and a second opinion on the
 * FDT structure from libfdt's fdt_check_full().
 *
 * The two readers must agree on the structure. libfdt knows nothing of
 * devstate's own rules (root compatible, records, its stricter limits on
 * depth, names and lengths), so a blob the shared reader rejects for one of
 * those while libfdt accepts it is agreement, not a conflict. A conflict is
 * reported loudly: it means one reader has a bug.
 *
 * Exit status: 0 valid, 1 invalid (reason and byte offset printed), 2 usage
 * or I/O error.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>

#include "devstate.h"

struct check_result {
	const char *name;
	enum dst_kind kind;
	int err;		/* first fault, 0 when valid */
	uint64_t offset;	/* byte offset of the fault in the file */
	const char *where;	/* what lives at that offset */
	uint32_t state;		/* region state, when a region */
	uint64_t generation;
	uint32_t records, records_bad;
	const char *stricter;	/* why only the shared reader rejects */
	uint64_t file_size;
	/* structure verdicts */
	bool fdt_located;	/* a blob was found to give to both readers */
	int ds_fdt_err;		/* ds_fdt_open() */
	int libfdt_err;		/* fdt_check_full() */
	bool agree;
};

/*
 * Faults libfdt's checks also detect: on these the two readers must give
 * the same verdict. The shared reader has rules libfdt does not enforce,
 * and a rejection for one of those while libfdt accepts is the stricter
 * reader being stricter, not a conflict: block alignment and overlap
 * (libfdt checks neither), empty property names (libfdt only checks that
 * names are terminated), node names, nesting depth, property lengths, and
 * everything devstate-specific (root, records).
 */
static bool libfdt_checks_too(int err)
{
	switch (-err) {
	case DS_ERR_TRUNCATED:
	case DS_ERR_BADMAGIC:
	case DS_ERR_BADVERSION:
	case DS_ERR_BADOFFSET:
	case DS_ERR_BADTAG:
		return true;
	}
	return false;
}

/*
 * The DT spec ends the memory reservation map with an entry whose address
 * and size are both zero; libfdt stops at the first zero size. When the
 * entry libfdt stops at has a non-zero address, the shared reader walks on
 * and fails where libfdt does not: the stricter reader, not a conflict.
 */
static bool libfdt_rsv_lenient(const void *blob)
{
	uint64_t addr, size;
	int n = fdt_num_mem_rsv(blob);

	return n >= 0 && !fdt_get_mem_rsv(blob, n, &addr, &size) && addr;
}

/*
 * libfdt's verdict on the structure: fdt_check_full() checks the header,
 * walks the memory reservation map (fdt_num_mem_rsv()) and every token of
 * the structure block.
 *
 * libfdt is untrusted code here as much as the blob is untrusted data:
 * Debian 12's libfdt 1.6.1 loops forever in fdt_check_full() on a property
 * whose length wraps the offset back onto itself. So it runs in a child
 * process with a time limit, and a hang or a crash becomes its verdict.
 */
#define LIBFDT_TIMEOUT_MS	2000
#define LIBFDT_HUNG		(INT_MIN + 1)
#define LIBFDT_CRASHED		(INT_MIN + 2)
#define LIBFDT_NOFORK		(INT_MIN + 3)

static int libfdt_verdict(const void *blob, size_t size)
{
	struct pollfd pfd;
	int fds[2], ret, status;
	pid_t pid;

	if (pipe(fds))
		return LIBFDT_NOFORK;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return LIBFDT_NOFORK;
	}
	if (pid == 0) {
		close(fds[0]);
		ret = fdt_check_full(blob, size);
		_exit(write(fds[1], &ret, sizeof(ret)) == sizeof(ret) ? 0 : 1);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	do
		status = poll(&pfd, 1, LIBFDT_TIMEOUT_MS);
	while (status < 0 && errno == EINTR);
	if (status == 0) {
		kill(pid, SIGKILL);
		ret = LIBFDT_HUNG;
	} else if (read(fds[0], &ret, sizeof(ret)) != sizeof(ret)) {
		ret = LIBFDT_CRASHED;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return ret;
}

static const char *libfdt_strerror(int err)
{
	switch (err) {
	case 0:			return "ok";
	case LIBFDT_HUNG:	return "did not finish in 2 s (libfdt bug; stopped)";
	case LIBFDT_CRASHED:	return "crashed (libfdt bug)";
	case LIBFDT_NOFORK:	return "not run";
	}
	return fdt_strerror(err);
}

/* The header field a region error is about. */
static void region_fault_at(struct check_result *c, int err,
			    const struct dst_view *v)
{
	switch (-err) {
	case DS_ERR_REGION_MAGIC:
		c->offset = offsetof(struct ds_region_header, magic);
		c->where = "region header: magic";
		break;
	case DS_ERR_REGION_ABI:
		c->offset = offsetof(struct ds_region_header, abi_version);
		c->where = "region header: abi_version";
		break;
	case DS_ERR_UNSEALED:
		c->offset = offsetof(struct ds_region_header, state);
		c->where = "region header: state";
		break;
	case DS_ERR_BADCRC:
		c->offset = offsetof(struct ds_region_header, blob_crc);
		c->where = "region header: blob_crc";
		break;
	case DS_ERR_TRUNCATED:
		c->offset = c->file_size;
		c->where = "end of file, before the end the region header gives";
		break;
	case DS_ERR_REGION_HEADER:
		if (!v->truncated_header &&
		    v->region.header_crc != v->region.header_crc_calc) {
			c->offset = offsetof(struct ds_region_header, header_crc);
			c->where = "region header: header_crc";
		} else {
			c->offset = 0;
			c->where = "region header: layout fields";
		}
		break;
	default:
		c->offset = 0;
		c->where = "region header";
		break;
	}
}


static void run_check(struct check_result *c, const struct dst_view *v,
		      const uint8_t *data, bool no_libfdt)
{
	uint64_t base = v->blob ? (uint64_t)(v->blob - data) : 0;
	struct ds_blob b;
	uint32_t i;
	int ret;

	c->kind = v->kind;
	if (v->kind == DST_KIND_REGION) {
		c->state = v->region.state;
		c->generation = v->region.generation;
		if (v->region.open_err) {
			c->err = v->region.open_err;
			region_fault_at(c, c->err, v);
		}
	}
	if (!v->blob)
		return;

	/* Both readers judge the structure of the blob, whatever the header says. */
	c->fdt_located = true;
	c->ds_fdt_err = v->fdt_err;
	c->libfdt_err = no_libfdt ? LIBFDT_NOFORK :
			libfdt_verdict(v->blob, v->blob_size);
	if (c->libfdt_err == LIBFDT_NOFORK) {
		c->agree = true;	/* no second opinion to compare */
		c->stricter = "libfdt was not run";
	} else if (c->libfdt_err == LIBFDT_HUNG ||
		   c->libfdt_err == LIBFDT_CRASHED) {
		/* libfdt gave no verdict: rejecting the blob is the safe side. */
		c->agree = c->ds_fdt_err != 0;
		c->stricter = "libfdt gave no verdict";
	} else if (c->libfdt_err) {
		c->agree = c->ds_fdt_err != 0;
	} else if (!c->ds_fdt_err) {
		c->agree = true;
	} else if (!libfdt_checks_too(c->ds_fdt_err)) {
		c->agree = true;
		c->stricter = "a rule libfdt does not check";
	} else if (c->ds_fdt_err == -DS_ERR_BADOFFSET &&
		   libfdt_rsv_lenient(v->blob)) {
		c->agree = true;
		c->stricter = "the reservation map's last entry has a non-zero address";
	}

	/*
	 * The blob is read even when the region already failed, so the
	 * records are counted; the first fault in reading order is the one
	 * reported.
	 */
	if (v->fdt_err) {
		if (!c->err) {
			c->err = v->fdt_err;
			c->offset = base + v->fdt.bad_offset;
			c->where = "FDT structure";
		}
		return;
	}
	ret = ds_blob_open(&b, v->blob, v->blob_size);
	if (ret) {
		if (!c->err) {
			c->err = ret;
			c->offset = base + v->fdt.struct_off;	/* the root node */
			c->where = "blob root or device index";
		}
		return;
	}
	c->records = b.nr_devices;
	for (i = 0; i < b.nr_devices; i++) {
		struct ds_record r;

		ret = ds_blob_read(&b, b.index[i].node, &r);
		if (!ret)
			continue;
		c->records_bad++;
		if (!c->err) {
			c->err = ret;
			c->offset = base + b.fdt.struct_off +
				    (uint32_t)b.index[i].node;
			c->where = "device record";
		}
	}
	ds_blob_close(&b);
}

/* Valid only when the shared reader accepts it and libfdt does not object. */
static bool check_valid(const struct check_result *c)
{
	return !c->err && (!c->fdt_located || c->agree);
}

static void check_plain(FILE *f, const struct check_result *c,
			const struct dst_view *v, int verbose)
{
	uint32_t i;

	if (c->err)
		fprintf(f, "%s: INVALID: %s [%s] at byte %llu (%s)\n", c->name,
			ds_strerror(c->err), dst_err_name(c->err),
			(unsigned long long)c->offset, c->where);
	else if (!check_valid(c))
		fprintf(f, "%s: INVALID: the readers disagree on the FDT structure\n",
			c->name);
	else if (c->kind == DST_KIND_REGION)
		fprintf(f, "%s: valid region, %s, generation %llu, %u record%s\n",
			c->name, dst_region_state_name(c->state),
			(unsigned long long)c->generation, c->records,
			c->records == 1 ? "" : "s");
	else
		fprintf(f, "%s: valid blob, %u record%s\n", c->name, c->records,
			c->records == 1 ? "" : "s");
	if (v->kind == DST_KIND_REGION && v->region.adopted_intact)
		fprintf(f, "  note: the region was adopted by the next kernel; its blob is intact\n");
	if (!c->fdt_located) {
		fprintf(f, "  structure: not checked (blob not located in the file)\n");
		return;
	}
	fprintf(f, "  devstate reader: %s\n",
		c->ds_fdt_err ? ds_strerror(c->ds_fdt_err) : "structure ok");
	if (!c->ds_fdt_err && (c->records || c->err))
		fprintf(f, "  records: %u indexed, %u unreadable\n", c->records,
			c->records_bad);
	fprintf(f, "  libfdt fdt_check_full: %s\n",
		libfdt_strerror(c->libfdt_err));
	if (c->agree && c->stricter)
		fprintf(f, "  readers agree (the devstate reader is stricter: %s)\n",
			c->stricter);
	else if (c->agree)
		fprintf(f, "  readers agree\n");
	else
		fprintf(f, "  READERS DISAGREE: %s\n",
			c->libfdt_err ? "libfdt rejects a structure the devstate reader accepts"
				      : "the devstate reader rejects a structure libfdt accepts");
	if (verbose < 1)
		return;
	for (i = 0; i < v->nr_devices; i++) {
		const struct dst_device *d = &v->devices[i];

		fprintf(f, "  record %s: %s\n", d->node_name,
			d->err ? ds_strerror(d->err) : "ok");
	}
}

static json_object *check_json(const struct check_result *c)
{
	json_object *o = json_object_new_object();
	json_object *s;

	json_object_object_add(o, "file", json_object_new_string(c->name));
	json_object_object_add(o, "kind", json_object_new_string(
		c->kind == DST_KIND_REGION ? "region" : "fdt"));
	json_object_object_add(o, "valid", json_object_new_boolean(check_valid(c)));
	if (c->err) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "code", json_object_new_int(c->err));
		json_object_object_add(e, "name",
				       json_object_new_string(dst_err_name(c->err)));
		json_object_object_add(e, "message",
				       json_object_new_string(ds_strerror(c->err)));
		json_object_object_add(e, "offset",
				       json_object_new_uint64(c->offset));
		json_object_object_add(e, "where", json_object_new_string(c->where));
		json_object_object_add(o, "error", e);
	} else {
		json_object_object_add(o, "error", NULL);
	}
	json_object_object_add(o, "records", json_object_new_int64(c->records));
	json_object_object_add(o, "records_bad",
			       json_object_new_int64(c->records_bad));
	s = json_object_new_object();
	json_object_object_add(s, "checked", json_object_new_boolean(c->fdt_located));
	if (c->fdt_located) {
		json_object_object_add(s, "devstate_ok",
				       json_object_new_boolean(!c->ds_fdt_err));
		json_object_object_add(s, "devstate_error", c->ds_fdt_err ?
			json_object_new_string(dst_err_name(c->ds_fdt_err)) : NULL);
		json_object_object_add(s, "libfdt_ok",
				       json_object_new_boolean(!c->libfdt_err));
		json_object_object_add(s, "libfdt_error", c->libfdt_err ?
			json_object_new_string(libfdt_strerror(c->libfdt_err)) : NULL);
		json_object_object_add(s, "agree", json_object_new_boolean(c->agree));
		json_object_object_add(s, "stricter", c->stricter ?
				       json_object_new_string(c->stricter) : NULL);
	}
	json_object_object_add(o, "structure", s);
	return o;
}

int dst_check_buffer(const struct dst_opts *o, const char *name,
		     const uint8_t *data, size_t size)
{
	struct check_result c;
	struct dst_view v;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.file_size = size;
	if (dst_view_build(&v, name, data, size)) {
		dst_view_free(&v);
		dst_error(o, name, -ENOMEM, "out of memory checking %s", name);
		return DST_EXIT_ERROR;
	}
	run_check(&c, &v, data, o->no_libfdt);
	if (o->json)
		dst_json_emit(o, check_json(&c));
	else
		check_plain(o->out, &c, &v, o->verbose);
	dst_view_free(&v);
	return check_valid(&c) ? DST_EXIT_OK : DST_EXIT_FAIL;
}

int dst_cmd_check(const struct dst_opts *o, int argc, char **argv)
{
	struct dst_input in;
	char msg[512];
	int ret;

	if (argc != 1) {
		dst_error(o, NULL, -EINVAL,
			  "check: expects exactly one FILE (see 'devstate help check')");
		return DST_EXIT_ERROR;
	}
	ret = dst_input_load(&in, argv[0], msg, sizeof(msg));
	if (ret) {
		dst_error(o, argv[0], ret, "%s", msg);
		return DST_EXIT_ERROR;
	}
	ret = dst_check_buffer(o, argv[0], in.data, in.size);
	dst_input_free(&in);
	return ret;
}
