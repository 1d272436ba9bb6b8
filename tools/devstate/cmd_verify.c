// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate verify [FILE]: each record against the live PCI tree, read
 * through libpci, the checks the next kernel makes before it adopts a
 * device: a function at the same position, the same IDs and class, the
 * same BARs, the same chain of bridges from the root bus.
 *
 * libpci's access options pass through (-A METHOD, -O name=value), so an
 * `lspci -x` dump can stand in for hardware (-A dump -O dump.name=FILE).
 *
 * BAR sizes: libpci knows them from the kernel (sysfs) but not from a dump
 * of config space, where sizing would need writes. A size is compared only
 * when libpci reports it known and non-zero; otherwise the check is listed
 * as "not compared", and the start address and the flags, which config
 * space always holds, decide alone.
 *
 * Exit status: 0 all records match, 1 some record does not, 2 error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "devstate.h"

/* ------------------------------------------------------------ libpci glue */

/*
 * libpci's default error handler exits the process. Ours jumps back to the
 * command, which reports the message like any other error.
 */
static jmp_buf *pci_jmp;
static char pci_errmsg[256];
#define MAX_WARNINGS 8
static char pci_warnings[MAX_WARNINGS][256];
static int nr_pci_warnings;

static void __attribute__((noreturn, format(printf, 1, 2)))
pci_error_cb(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_errmsg, sizeof(pci_errmsg), msg, ap);
	va_end(ap);
	longjmp(*pci_jmp, 1);
}

static void __attribute__((format(printf, 1, 2)))
pci_warning_cb(char *msg, ...)
{
	va_list ap;

	if (nr_pci_warnings >= MAX_WARNINGS)
		return;
	va_start(ap, msg);
	vsnprintf(pci_warnings[nr_pci_warnings++], sizeof(pci_warnings[0]),
		  msg, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 1, 2)))
pci_debug_cb(char *msg, ...)
{
	(void)msg;
}

/* Apply -A and -O; returns NULL or a usage message. */
static const char *pci_configure(struct pci_access *a, const struct dst_opts *o,
				 char *buf, size_t len)
{
	int i;

	if (o->pci_method) {
		int m = pci_lookup_method((char *)o->pci_method);

		if (m < 0) {
			snprintf(buf, len, "unknown libpci access method '%s'",
				 o->pci_method);
			return buf;
		}
		a->method = (unsigned int)m;
	}
	for (i = 0; i < o->nr_pci_params; i++) {
		char param[256], *eq;

		snprintf(param, sizeof(param), "%s", o->pci_params[i]);
		eq = strchr(param, '=');
		if (!eq) {
			snprintf(buf, len, "-O expects name=value, got '%s'",
				 o->pci_params[i]);
			return buf;
		}
		*eq = '\0';
		if (pci_set_param(a, param, eq + 1)) {
			snprintf(buf, len, "unknown libpci parameter '%s'", param);
			return buf;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ checks */

enum vstatus { V_OK, V_DIFF, V_UNKNOWN };

/* Room for the longest value: a bridge chain of DS_MAX_BRIDGES + 1. */
#define VALUE_MAX (9 * (DS_MAX_BRIDGES + 1) + 8)

struct vcheck {
	char field[24];
	char rec[VALUE_MAX];
	char live[VALUE_MAX];
	enum vstatus st;
};

#define MAX_CHECKS (DS_IDS_CELLS + 3 * DS_MAX_BARS + 4)

enum verdict { VERDICT_MATCH, VERDICT_MISMATCH, VERDICT_ABSENT,
	       VERDICT_UNREADABLE };

static const char *const verdict_names[] = {
	[VERDICT_MATCH] = "match",
	[VERDICT_MISMATCH] = "mismatch",
	[VERDICT_ABSENT] = "absent",
	[VERDICT_UNREADABLE] = "unreadable",
};

struct vresult {
	const struct dst_device *d;
	enum verdict verdict;
	int nr;
	struct vcheck c[MAX_CHECKS];
};

static void __attribute__((format(printf, 5, 6)))
add_check(struct vresult *res, const char *field, const char *rec,
	  enum vstatus st, const char *live_fmt, ...)
{
	struct vcheck *c;
	va_list ap;

	if (res->nr >= MAX_CHECKS)
		return;
	c = &res->c[res->nr++];
	snprintf(c->field, sizeof(c->field), "%s", field);
	snprintf(c->rec, sizeof(c->rec), "%s", rec);
	va_start(ap, live_fmt);
	vsnprintf(c->live, sizeof(c->live), live_fmt, ap);
	va_end(ap);
	c->st = st;
	if (st == V_DIFF)
		res->verdict = VERDICT_MISMATCH;
}

static void check_u32(struct vresult *res, const char *field, const char *fmt,
		      uint32_t rec, uint32_t live)
{
	char r[48], l[48];

	snprintf(r, sizeof(r), fmt, rec);
	snprintf(l, sizeof(l), fmt, live);
	add_check(res, field, r, rec == live ? V_OK : V_DIFF, "%s", l);
}

static uint32_t live_bar_flags(pciaddr_t base)
{
	uint32_t f;

	if (base & PCI_BASE_ADDRESS_SPACE_IO)
		return DS_BAR_IO;
	f = DS_BAR_MEM;
	if ((base & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64)
		f |= DS_BAR_64;
	if (base & PCI_BASE_ADDRESS_MEM_PREFETCH)
		f |= DS_BAR_PREFETCH;
	return f;
}

static void check_size(struct vresult *res, const char *field, uint64_t rec,
		       bool known, pciaddr_t live)
{
	char r[48];

	snprintf(r, sizeof(r), "0x%llx", (unsigned long long)rec);
	if (!known || !live)
		add_check(res, field, r, V_UNKNOWN, "not known");
	else
		add_check(res, field, r, rec == live ? V_OK : V_DIFF, "0x%llx",
			  (unsigned long long)live);
}

static void check_bars(struct vresult *res, struct pci_dev *p)
{
	const struct ds_record *r = &res->d->rec;
	bool sizes = p->known_fields & PCI_FILL_SIZES;
	uint32_t i;

	for (i = 0; i < r->nr_bars; i++) {
		const struct ds_bar *b = &r->bars[i];
		char field[24], rs[48], rf[48], lf[48];
		pciaddr_t lstart, lsize;
		uint32_t lflags, rflags;

		snprintf(rs, sizeof(rs), "0x%llx", (unsigned long long)b->start);
		if (b->index == 6 || b->flags & DS_BAR_ROM) {
			lstart = p->rom_base_addr & PCI_ROM_ADDRESS_MASK;
			snprintf(field, sizeof(field), "rom.start");
			add_check(res, field, rs,
				  lstart == b->start ? V_OK : V_DIFF, "0x%llx",
				  (unsigned long long)lstart);
			check_size(res, "rom.size", b->size, sizes, p->rom_size);
			continue;
		}
		if (b->index > 5) {
			snprintf(field, sizeof(field), "bar%u", b->index);
			add_check(res, field, "index out of range", V_DIFF, "-");
			continue;
		}
		lflags = live_bar_flags(p->base_addr[b->index]);
		lstart = p->base_addr[b->index] &
			 (lflags & DS_BAR_IO ? PCI_BASE_ADDRESS_IO_MASK
					     : PCI_BASE_ADDRESS_MEM_MASK);
		lsize = p->size[b->index];

		snprintf(field, sizeof(field), "bar%u.start", b->index);
		add_check(res, field, rs, lstart == b->start ? V_OK : V_DIFF,
			  "0x%llx", (unsigned long long)lstart);

		/* Flags config space holds: I/O or memory, 64-bit, prefetch. */
		rflags = b->flags & (DS_BAR_IO | DS_BAR_MEM | DS_BAR_64 |
				     DS_BAR_PREFETCH);
		dst_bar_flags_str(rf, sizeof(rf), rflags);
		dst_bar_flags_str(lf, sizeof(lf), lflags);
		snprintf(field, sizeof(field), "bar%u.flags", b->index);
		add_check(res, field, rf, rflags == lflags ? V_OK : V_DIFF, "%s", lf);

		snprintf(field, sizeof(field), "bar%u.size", b->index);
		check_size(res, field, b->size, sizes, lsize);
	}
}

static bool is_bridge(struct pci_dev *p)
{
	int ht = pci_read_byte(p, PCI_HEADER_TYPE) & 0x7f;

	return ht == PCI_HEADER_TYPE_BRIDGE || ht == PCI_HEADER_TYPE_CARDBUS;
}

/*
 * The live chain of bridges above @p, root first, from the bus topology:
 * the bridge whose secondary bus is the device's bus, then the one above
 * that bridge, up to a bus no bridge leads to (a root bus).
 */
static uint32_t live_chain(struct pci_access *a, struct pci_dev *p,
			   uint32_t *out, bool *overflow)
{
	uint32_t rev[DS_MAX_BRIDGES + 1], n = 0, i;
	int bus = p->bus;

	*overflow = false;
	for (;;) {
		struct pci_dev *b;

		for (b = a->devices; b; b = b->next)
			if (b->domain == p->domain && b->bus != bus &&
			    is_bridge(b) &&
			    pci_read_byte(b, PCI_SECONDARY_BUS) == bus)
				break;
		if (!b)
			break;
		if (n == DS_MAX_BRIDGES + 1) {
			*overflow = true;
			break;
		}
		rev[n++] = (uint32_t)b->bus << 8 | (uint32_t)(b->dev << 3 | b->func);
		bus = b->bus;
	}
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

static void chain_str(char *buf, size_t len, const uint32_t *bdf, uint32_t n)
{
	size_t pos = 0;
	uint32_t i;

	buf[0] = '\0';
	if (!n)
		snprintf(buf, len, "root bus");
	for (i = 0; i < n && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%02x:%02x.%x",
					i ? " " : "", bdf[i] >> 8 & 0xff,
					(bdf[i] >> 3) & 0x1f, bdf[i] & 7);
}

static void check_chain(struct vresult *res, struct pci_access *a,
			struct pci_dev *p)
{
	const struct ds_record *r = &res->d->rec;
	uint32_t live[DS_MAX_BRIDGES + 1], n;
	char rs[VALUE_MAX], ls[VALUE_MAX];
	bool overflow, same;

	n = live_chain(a, p, live, &overflow);
	same = !overflow && n == r->nr_bridges &&
	       !memcmp(live, r->bridges, n * sizeof(live[0]));
	chain_str(rs, sizeof(rs), r->bridges, r->nr_bridges);
	chain_str(ls, sizeof(ls), live, n > DS_MAX_BRIDGES ? DS_MAX_BRIDGES : n);
	add_check(res, "bridge-path", rs, same ? V_OK : V_DIFF, "%s%s", ls,
		  overflow ? " ..." : "");
}

static struct pci_dev *live_find(struct pci_access *a, const struct ds_record *r)
{
	struct pci_dev *p;

	for (p = a->devices; p; p = p->next)
		if ((uint32_t)p->domain == r->domain && p->bus == r->bus &&
		    p->dev == r->devfn >> 3 && p->func == (r->devfn & 7))
			return p;
	return NULL;
}

static void verify_device(struct vresult *res, struct pci_access *a)
{
	const struct ds_record *r = &res->d->rec;
	struct pci_dev *p;

	res->verdict = VERDICT_MATCH;
	if (res->d->err) {
		res->verdict = VERDICT_UNREADABLE;
		return;
	}
	p = live_find(a, r);
	if (!p) {
		res->verdict = VERDICT_ABSENT;
		return;
	}
	pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT |
		      PCI_FILL_SUBSYS | PCI_FILL_BASES | PCI_FILL_ROM_BASE |
		      PCI_FILL_SIZES);
	check_u32(res, "vendor", "%04x", r->ids[DS_IDS_VENDOR], p->vendor_id);
	check_u32(res, "device", "%04x", r->ids[DS_IDS_DEVICE], p->device_id);
	check_u32(res, "class", "%06x", r->ids[DS_IDS_CLASS],
		  (uint32_t)p->device_class << 8 | p->prog_if);
	check_u32(res, "revision", "%02x", r->ids[DS_IDS_REVISION], p->rev_id);
	check_u32(res, "subvendor", "%04x", r->ids[DS_IDS_SUBVENDOR],
		  p->subsys_vendor_id);
	check_u32(res, "subdevice", "%04x", r->ids[DS_IDS_SUBDEVICE],
		  p->subsys_id);
	check_bars(res, p);
	check_chain(res, a, p);
}

/* ------------------------------------------------------------ output */

static void verify_plain(FILE *f, const struct vresult *res, int verbose)
{
	const struct dst_device *d = res->d;
	int i;

	if (res->verdict == VERDICT_UNREADABLE) {
		fprintf(f, "%s: unreadable record: %s\n", d->node_name,
			ds_strerror(d->err));
		return;
	}
	fprintf(f, "%s %04x:%04x: %s\n", d->slot, d->rec.ids[DS_IDS_VENDOR],
		d->rec.ids[DS_IDS_DEVICE], verdict_names[res->verdict]);
	if (res->verdict == VERDICT_ABSENT) {
		fprintf(f, "\tno PCI function at %s\n", d->slot);
		return;
	}
	for (i = 0; i < res->nr; i++) {
		const struct vcheck *c = &res->c[i];

		if (c->st == V_DIFF)
			fprintf(f, "\t%s: record %s, live %s\n", c->field,
				c->rec, c->live);
		else if (verbose >= 1 && c->st == V_UNKNOWN)
			fprintf(f, "\t%s: record %s, live %s: not compared\n",
				c->field, c->rec, c->live);
		else if (verbose >= 1)
			fprintf(f, "\t%s: %s ok\n", c->field, c->rec);
	}
}

static json_object *verify_json_dev(const struct vresult *res)
{
	static const char *const st[] = { "ok", "differs", "not_compared" };
	json_object *o = json_object_new_object();
	json_object *checks = json_object_new_array();
	int i;

	json_object_object_add(o, "slot", json_object_new_string(res->d->slot));
	json_object_object_add(o, "verdict",
			       json_object_new_string(verdict_names[res->verdict]));
	if (res->d->err)
		json_object_object_add(o, "error",
			json_object_new_string(ds_strerror(res->d->err)));
	for (i = 0; i < res->nr; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "field",
				       json_object_new_string(res->c[i].field));
		json_object_object_add(c, "record",
				       json_object_new_string(res->c[i].rec));
		json_object_object_add(c, "live",
				       json_object_new_string(res->c[i].live));
		json_object_object_add(c, "status",
				       json_object_new_string(st[res->c[i].st]));
		json_object_array_add(checks, c);
	}
	json_object_object_add(o, "checks", checks);
	return o;
}

/* ------------------------------------------------------------ command */

struct vctx {
	const struct dst_opts *o;
	const struct dst_view *v;
	struct pci_access *a;
	json_object *devs;	/* JSON mode: one object per record */
	uint32_t counts[4];	/* per verdict */
	struct vresult res;
	int ret;
};

/* Everything that may call libpci, so its errors can jump out of it. */
static void verify_run(struct vctx *c)
{
	const struct dst_opts *o = c->o;
	uint32_t i;

	pci_init(c->a);
	pci_scan_bus(c->a);
	if (!o->json)
		fprintf(o->out, "verify: %s against the live PCI tree (libpci method %s)\n",
			c->v->name, pci_get_method_name((int)c->a->method));
	for (i = 0; i < c->v->nr_devices; i++) {
		struct vresult *res = &c->res;

		if (!dst_select_match(&o->sel, &c->v->devices[i]))
			continue;
		memset(res, 0, sizeof(*res));
		res->d = &c->v->devices[i];
		verify_device(res, c->a);
		c->counts[res->verdict]++;
		if (res->verdict != VERDICT_MATCH)
			c->ret = DST_EXIT_FAIL;
		if (c->devs)
			json_object_array_add(c->devs, verify_json_dev(res));
		else
			verify_plain(o->out, res, o->verbose);
	}
}

/* 0, or -1 when libpci reported an error (message in pci_errmsg). */
static int verify_guarded(struct vctx *c)
{
	jmp_buf jb;

	pci_jmp = &jb;
	if (setjmp(jb)) {
		pci_jmp = NULL;
		return -1;
	}
	verify_run(c);
	pci_jmp = NULL;
	return 0;
}

static void verify_summary(struct vctx *c)
{
	const struct dst_opts *o = c->o;
	uint32_t total = c->counts[0] + c->counts[1] + c->counts[2] + c->counts[3];
	int i;

	if (c->devs) {
		json_object *root = json_object_new_object();
		json_object *sum = json_object_new_object();
		json_object *warn = json_object_new_array();

		json_object_object_add(root, "file", json_object_new_string(c->v->name));
		json_object_object_add(root, "method", json_object_new_string(
			pci_get_method_name((int)c->a->method)));
		json_object_object_add(root, "devices", c->devs);
		c->devs = NULL;
		json_object_object_add(sum, "records", json_object_new_int64(total));
		for (i = 0; i < 4; i++)
			json_object_object_add(sum, verdict_names[i],
					       json_object_new_int64(c->counts[i]));
		json_object_object_add(root, "summary", sum);
		for (i = 0; i < nr_pci_warnings; i++)
			json_object_array_add(warn,
				json_object_new_string(pci_warnings[i]));
		json_object_object_add(root, "warnings", warn);
		json_object_object_add(root, "result", json_object_new_string(
			c->ret == DST_EXIT_OK ? "match" : "mismatch"));
		dst_json_emit(o, root);
		return;
	}
	for (i = 0; i < nr_pci_warnings; i++)
		fprintf(o->err, "devstate: libpci warning: %s\n", pci_warnings[i]);
	fprintf(o->out, "%u record%s: %u match, %u mismatch, %u absent, %u unreadable\n",
		total, total == 1 ? "" : "s", c->counts[VERDICT_MATCH],
		c->counts[VERDICT_MISMATCH], c->counts[VERDICT_ABSENT],
		c->counts[VERDICT_UNREADABLE]);
}

static int verify_view(const struct dst_opts *o, const struct dst_view *v)
{
	struct vctx *c;
	char usage[300];
	const char *msg;
	int fault, ret;

	/* Records are judged one by one; the container must be sound. */
	if (v->kind == DST_KIND_REGION && v->region.open_err)
		fault = v->region.open_err;
	else
		fault = v->fdt_err ? v->fdt_err : v->blob_err;
	if (fault) {
		dst_error(o, v->name, fault, "%s: cannot verify: %s",
			  v->name, ds_strerror(fault));
		return DST_EXIT_ERROR;
	}

	c = calloc(1, sizeof(*c));
	if (!c) {
		dst_error(o, NULL, -ENOMEM, "out of memory");
		return DST_EXIT_ERROR;
	}
	c->o = o;
	c->v = v;
	c->ret = DST_EXIT_OK;
	nr_pci_warnings = 0;
	c->a = pci_alloc();
	if (!c->a) {
		free(c);
		dst_error(o, NULL, -ENOMEM, "out of memory");
		return DST_EXIT_ERROR;
	}
	c->a->error = pci_error_cb;
	c->a->warning = pci_warning_cb;
	c->a->debug = pci_debug_cb;
	msg = pci_configure(c->a, o, usage, sizeof(usage));
	if (msg) {
		pci_cleanup(c->a);
		free(c);
		dst_error(o, NULL, -EINVAL, "%s", msg);
		return DST_EXIT_ERROR;
	}
	if (o->json)
		c->devs = json_object_new_array();
	if (verify_guarded(c)) {
		/*
		 * libpci reports errors where its lists are consistent (a file
		 * that does not open, a malformed dump line), so what it holds
		 * can still be released.
		 */
		if (c->devs)
			json_object_put(c->devs);
		pci_cleanup(c->a);
		free(c);
		dst_error(o, NULL, -EIO, "libpci: %s", pci_errmsg);
		return DST_EXIT_ERROR;
	}
	verify_summary(c);
	ret = c->ret;
	pci_cleanup(c->a);
	free(c);
	return ret;
}

int dst_cmd_verify(const struct dst_opts *o, int argc, char **argv)
{
	struct dst_input in;
	struct dst_view v;
	char msg[512];
	int ret;

	if (argc > 1) {
		dst_error(o, NULL, -EINVAL,
			  "verify: too many arguments (see 'devstate help verify')");
		return DST_EXIT_ERROR;
	}
	if (argc == 1) {
		ret = dst_input_load(&in, argv[0], msg, sizeof(msg));
	} else {
		/* After a kexec the incoming blob is the one to check. */
		ret = dst_debugfs_check(o, msg, sizeof(msg));
		if (!ret) {
			ret = dst_debugfs_load(o, "incoming.dtb", &in, msg, sizeof(msg));
			if (ret == -ENOENT || ret == -ENODATA)
				ret = dst_debugfs_load(o, "outgoing.dtb", &in,
						       msg, sizeof(msg));
		}
	}
	if (ret) {
		dst_error(o, argc ? argv[0] : NULL, ret, "%s", msg);
		return DST_EXIT_ERROR;
	}
	if (dst_view_build(&v, in.name, in.data, in.size)) {
		dst_error(o, in.name, -ENOMEM, "out of memory");
		ret = DST_EXIT_ERROR;
	} else {
		ret = verify_view(o, &v);
	}
	dst_view_free(&v);
	dst_input_free(&in);
	return ret;
}
