// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate verify [FILE]: the pre-flight check of a keep-alive kexec. Each
 * record against the live PCI tree, read through libpci, judged by the
 * rule the next kernel applies before it adopts a device: ds_record_match()
 * of the shared code, the function ds_lookup() calls. "If you kexec now,
 * these devices will be adopted; these will go cold, because ..." in the
 * kernel's own words (ds_reason_str()).
 *
 * This file only describes the live device to the rule, as the kernel
 * describes a pci_dev: position, IDs, bridge chain, assigned BARs and ROM
 * with the kernel's flags, and the driver-state compatible. What the next
 * kernel's driver reads is not known here: verify assumes the same driver,
 * reading the compatible its record carries.
 *
 * libpci's access options pass through (-A METHOD, -O name=value), so an
 * `lspci -x` dump can stand in for hardware (-A dump -O dump.name=FILE).
 * A dump of config space cannot size a BAR (that needs writes): the rule
 * then assumes the size matches, and a device that would otherwise be
 * adopted is "unverified", never promised.
 *
 * Exit status: 0 every record will be adopted, 1 some will not or cannot
 * be promised, 2 error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <devstate/match.h>

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

/* ------------------------------------------------------------ live side */

/*
 * The live device in the words of the shared rule (<devstate/match.h>),
 * from what libpci knows. The verdict is never made here: only
 * ds_record_match(), the function the next kernel's ds_lookup() calls.
 */

/* A BAR's DS_BAR_* flags as the kernel derives them from the register. */
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

/*
 * Add one BAR as the kernel lists it: only an assigned one (an unassigned
 * BAR reads 0, which the kernel leaves out as it does an unset resource)
 * and not one of size 0. A size libpci does not know (a config-space dump
 * cannot size a BAR) is marked so, and the rule assumes it matches.
 */
static void live_add_bar(struct ds_live_device *l, uint32_t index,
			 uint32_t flags, pciaddr_t start, bool sizes,
			 pciaddr_t size)
{
	struct ds_bar *b;

	if (!start || (sizes && !size) || l->nr_bars >= DS_MAX_BARS)
		return;
	b = &l->bars[l->nr_bars];
	b->index = index;
	b->flags = flags;
	b->start = start;
	b->size = sizes ? size : 0;
	if (!sizes || !size)
		l->bar_size_unknown |= 1u << l->nr_bars;
	l->nr_bars++;
}

static void live_bars(struct ds_live_device *l, struct pci_dev *p)
{
	bool sizes = p->known_fields & PCI_FILL_SIZES;
	uint32_t i;

	for (i = 0; i < 6; i++) {
		pciaddr_t base = p->base_addr[i];
		uint32_t flags = live_bar_flags(base);

		live_add_bar(l, i, flags, base & (flags & DS_BAR_IO ?
			     PCI_BASE_ADDRESS_IO_MASK : PCI_BASE_ADDRESS_MEM_MASK),
			     sizes, p->size[i]);
		/* The upper half of a 64-bit BAR is no BAR of its own. */
		if (flags & DS_BAR_64)
			i++;
	}
	/* The kernel's ROM resource is always prefetchable memory. */
	live_add_bar(l, 6, DS_BAR_MEM | DS_BAR_PREFETCH | DS_BAR_ROM,
		     p->rom_base_addr & PCI_ROM_ADDRESS_MASK, sizes, p->rom_size);
}

static bool is_bridge(struct pci_dev *p)
{
	int ht = pci_read_byte(p, PCI_HEADER_TYPE) & 0x7f;

	return ht == PCI_HEADER_TYPE_BRIDGE || ht == PCI_HEADER_TYPE_CARDBUS;
}

/*
 * The live chain of bridges above @p, root first, from the bus topology:
 * the bridge whose secondary bus is the device's bus, then the one above
 * that bridge, up to a bus no bridge leads to (a root bus). A chain deeper
 * than DS_MAX_BRIDGES counts one more, as the rule expects.
 */
static void live_chain(struct ds_live_device *l, struct pci_access *a,
		       struct pci_dev *p)
{
	uint32_t rev[DS_MAX_BRIDGES], n = 0, i;
	int bus = p->bus;

	for (;;) {
		struct pci_dev *b;

		for (b = a->devices; b; b = b->next)
			if (b->domain == p->domain && b->bus != bus &&
			    is_bridge(b) &&
			    pci_read_byte(b, PCI_SECONDARY_BUS) == bus)
				break;
		if (!b)
			break;
		if (n == DS_MAX_BRIDGES) {
			l->nr_bridges = DS_MAX_BRIDGES + 1;
			return;
		}
		rev[n++] = (uint32_t)b->bus << 8 | (uint32_t)(b->dev << 3 | b->func);
		bus = b->bus;
	}
	for (i = 0; i < n; i++)
		l->bridges[i] = rev[n - 1 - i];
	l->nr_bridges = n;
}

/*
 * What the next kernel's driver reads is not known here: assume the same
 * driver on both sides, reading the driver state its record carries. A
 * record without driver state is cold all the same.
 */
static void live_describe(struct ds_live_device *l, struct pci_access *a,
			  struct pci_dev *p, const char *state_compatible)
{
	memset(l, 0, sizeof(*l));
	l->domain = (uint32_t)p->domain;
	l->bus = p->bus;
	l->devfn = (uint8_t)(p->dev << 3 | p->func);
	l->ids[DS_IDS_VENDOR] = p->vendor_id;
	l->ids[DS_IDS_DEVICE] = p->device_id;
	l->ids[DS_IDS_SUBVENDOR] = p->subsys_vendor_id;
	l->ids[DS_IDS_SUBDEVICE] = p->subsys_id;
	l->ids[DS_IDS_CLASS] = (uint32_t)p->device_class << 8 | p->prog_if;
	l->ids[DS_IDS_REVISION] = p->rev_id;
	live_chain(l, a, p);
	live_bars(l, p);
	l->state_compatible = state_compatible;
}

/* ------------------------------------------------------------ report */

enum verdict { VERDICT_ADOPT, VERDICT_COLD, VERDICT_ABSENT,
	       VERDICT_UNVERIFIED, VERDICT_COUNT };

static const char *const verdict_names[VERDICT_COUNT] = {
	[VERDICT_ADOPT] = "adopt",
	[VERDICT_COLD] = "cold",
	[VERDICT_ABSENT] = "absent",
	[VERDICT_UNVERIFIED] = "unverified",
};

/* Room for the longest value: a bridge chain of DS_MAX_BRIDGES. */
#define VALUE_MAX (9 * DS_MAX_BRIDGES + 16)

struct vcheck {
	char field[24];
	char rec[VALUE_MAX];
	char live[VALUE_MAX];
	enum ds_match_status st;
};

#define MAX_CHECKS (DS_IDS_CELLS + 4 * (DS_MAX_BARS + 1) + 4)

struct vresult {
	const struct dst_device *d;
	const struct dst_view *v;
	const struct ds_live_device *live;	/* NULL: no function there */
	enum verdict verdict;
	struct ds_match m;
	int nr;
	struct vcheck c[MAX_CHECKS];
};

static void chain_str(char *buf, size_t len, const uint32_t *bdf, uint32_t n)
{
	size_t pos = 0;
	uint32_t i;

	buf[0] = '\0';
	if (!n)
		snprintf(buf, len, "root bus");
	if (n > DS_MAX_BRIDGES) {
		snprintf(buf, len, "more than %d bridges", DS_MAX_BRIDGES);
		return;
	}
	for (i = 0; i < n && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%02x:%02x.%x",
					i ? " " : "", bdf[i] >> 8 & 0xff,
					(bdf[i] >> 3) & 0x1f, bdf[i] & 7);
}

/* "bar2", or "rom" for the expansion ROM, or "none". */
static void bar_name(char *buf, size_t len, const struct ds_bar *b)
{
	if (!b)
		snprintf(buf, len, "none");
	else if (b->index == 6 || b->flags & DS_BAR_ROM)
		snprintf(buf, len, "rom");
	else
		snprintf(buf, len, "bar%u", b->index);
}

static void hex_str(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "0x%llx", (unsigned long long)v);
}

/* The two values of a BAR field at list position @pos. */
static void bar_values(struct vcheck *c, const struct ds_record *r,
		       const struct ds_live_device *l, enum ds_match_field f,
		       uint32_t pos)
{
	const struct ds_bar *rb = pos < r->nr_bars ? &r->bars[pos] : NULL;
	const struct ds_bar *lb = pos < l->nr_bars && pos < DS_MAX_BARS ?
				  &l->bars[pos] : NULL;
	char name[16];

	bar_name(name, sizeof(name), rb ? rb : lb);
	if (f == DS_MF_BAR || !rb || !lb) {
		snprintf(c->field, sizeof(c->field), "%s", name);
		bar_name(c->rec, sizeof(c->rec), rb);
		bar_name(c->live, sizeof(c->live), lb);
		return;
	}
	snprintf(c->field, sizeof(c->field), "%s.%s", name,
		 ds_match_field_str(f));
	if (f == DS_MF_BAR_FLAGS) {
		dst_bar_flags_str(c->rec, sizeof(c->rec), rb->flags);
		dst_bar_flags_str(c->live, sizeof(c->live), lb->flags);
		return;
	}
	hex_str(c->rec, sizeof(c->rec), f == DS_MF_BAR_START ? rb->start : rb->size);
	if (f == DS_MF_BAR_SIZE && c->st == DS_MS_UNKNOWN)
		snprintf(c->live, sizeof(c->live), "not known");
	else
		hex_str(c->live, sizeof(c->live),
			f == DS_MF_BAR_START ? lb->start : lb->size);
}

static void id_values(struct vcheck *c, enum ds_match_field f,
		      uint32_t rec, uint32_t live)
{
	const char *fmt = f == DS_MF_CLASS ? "%06x" :
			  f == DS_MF_REVISION ? "%02x" : "%04x";

	snprintf(c->rec, sizeof(c->rec), fmt, rec);
	snprintf(c->live, sizeof(c->live), fmt, live);
}

static void slot_str(char *buf, size_t len, uint32_t domain, uint8_t bus,
		     uint8_t devfn)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", domain, bus, devfn >> 3,
		 devfn & 7);
}

/* Both values of one field, in the words of `devstate dump`. */
static void field_values(struct vcheck *c, const struct vresult *res,
			 enum ds_match_field f, uint32_t pos)
{
	const struct ds_record *r = &res->d->rec;
	const struct ds_live_device *l = res->live;
	const char *compat;

	switch (f) {
	case DS_MF_RECORD:
		snprintf(c->rec, sizeof(c->rec), "%s",
			 res->d->err ? ds_strerror(res->d->err) : "unusable");
		snprintf(c->live, sizeof(c->live), "-");
		return;
	case DS_MF_VERSION:
		if (res->d->err)
			snprintf(c->rec, sizeof(c->rec), "%s",
				 ds_strerror(res->d->err));
		else
			snprintf(c->rec, sizeof(c->rec), "%u", r->version);
		snprintf(c->live, sizeof(c->live), "%u", DS_RECORD_VERSION);
		return;
	case DS_MF_POSITION:
		slot_str(c->rec, sizeof(c->rec), r->domain, r->bus, r->devfn);
		slot_str(c->live, sizeof(c->live), l->domain, l->bus, l->devfn);
		return;
	case DS_MF_VENDOR: case DS_MF_DEVICE: case DS_MF_SUBVENDOR:
	case DS_MF_SUBDEVICE: case DS_MF_CLASS: case DS_MF_REVISION:
		id_values(c, f, r->ids[f - DS_MF_VENDOR], l->ids[f - DS_MF_VENDOR]);
		return;
	case DS_MF_BRIDGES:
		chain_str(c->rec, sizeof(c->rec), r->bridges, r->nr_bridges);
		chain_str(c->live, sizeof(c->live), l->bridges, l->nr_bridges);
		return;
	case DS_MF_STATE:
		compat = ds_record_state_compatible(&res->v->fdt, r);
		snprintf(c->rec, sizeof(c->rec), "%s", compat ? compat : "none");
		snprintf(c->live, sizeof(c->live), "%s",
			 l->state_compatible ? l->state_compatible : "none");
		return;
	default:
		bar_values(c, r, l, f, pos);
		return;
	}
}

/* ds_match_fn: one line of the per-field report. */
static void collect(void *ctx, enum ds_match_field f, uint32_t pos,
		    enum ds_match_status st)
{
	struct vresult *res = ctx;
	struct vcheck *c;

	if (res->nr >= MAX_CHECKS)
		return;
	c = &res->c[res->nr++];
	c->st = st;
	snprintf(c->field, sizeof(c->field), "%s", ds_match_field_str(f));
	field_values(c, res, f, pos);
}

static struct pci_dev *live_find(struct pci_access *a, const struct dst_device *d)
{
	const struct ds_record *r = &d->rec;
	struct pci_dev *p;

	for (p = a->devices; p; p = p->next)
		if ((uint32_t)p->domain == r->domain && p->bus == r->bus &&
		    p->dev == r->devfn >> 3 && p->func == (r->devfn & 7))
			return p;
	return NULL;
}

static void verify_device(struct vresult *res, struct pci_access *a)
{
	const struct dst_device *d = res->d;
	struct ds_live_device live;
	struct pci_dev *p = NULL;

	/* An undecodable record's position is not known: nothing to find. */
	if (!d->err) {
		p = live_find(a, d);
		if (!p) {
			res->verdict = VERDICT_ABSENT;
			return;
		}
		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS |
			      PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS |
			      PCI_FILL_BASES | PCI_FILL_ROM_BASE |
			      PCI_FILL_SIZES);
		live_describe(&live, a, p,
			      ds_record_state_compatible(&res->v->fdt, &d->rec));
		res->live = &live;
	}
	res->m.report = collect;
	res->m.ctx = res;
	ds_record_match(&res->v->fdt, &d->rec, d->err, res->live, &res->m);
	res->live = NULL;	/* on this stack only */
	if (res->m.reason != DS_ADOPT)
		res->verdict = VERDICT_COLD;
	else
		res->verdict = res->m.assumed ? VERDICT_UNVERIFIED : VERDICT_ADOPT;
}

/* ------------------------------------------------------------ output */

static void verify_plain(FILE *f, const struct vresult *res,
			 const struct dst_opts *o)
{
	const struct dst_device *d = res->d;
	int i, verbose = o->verbose;
	char name[256];

	if (d->err)
		fprintf(f, "%s: %s", d->slot, verdict_names[res->verdict]);
	else
		fprintf(f, "%s %s: %s", d->slot,
			dst_name_device(o, name, sizeof(name),
					d->rec.ids[DS_IDS_VENDOR],
					d->rec.ids[DS_IDS_DEVICE]),
			verdict_names[res->verdict]);
	if (res->verdict == VERDICT_COLD)
		fprintf(f, ": %s", ds_reason_str(res->m.reason));
	fputc('\n', f);
	if (res->verdict == VERDICT_ABSENT) {
		fprintf(f, "\tno PCI function at %s\n", d->slot);
		return;
	}
	for (i = 0; i < res->nr; i++) {
		const struct vcheck *c = &res->c[i];

		if (c->st == DS_MS_DIFFERS)
			fprintf(f, "\t%s: record %s, live %s\n", c->field,
				c->rec, c->live);
		else if (c->st == DS_MS_UNKNOWN &&
			 (verbose >= 1 || res->verdict == VERDICT_UNVERIFIED))
			fprintf(f, "\t%s: record %s, live %s: not compared\n",
				c->field, c->rec, c->live);
		else if (verbose >= 1 && c->st == DS_MS_OK)
			fprintf(f, "\t%s: %s ok\n", c->field, c->rec);
	}
}

static json_object *verify_json_dev(const struct vresult *res,
				    const struct dst_opts *opts)
{
	static const char *const st[] = {
		[DS_MS_OK] = "ok",
		[DS_MS_DIFFERS] = "differs",
		[DS_MS_UNKNOWN] = "not_compared",
	};
	json_object *o = json_object_new_object();
	json_object *checks = json_object_new_array();
	int i;

	json_object_object_add(o, "slot", json_object_new_string(res->d->slot));
	json_object_object_add(o, "verdict",
			       json_object_new_string(verdict_names[res->verdict]));
	json_object_object_add(o, "reason", res->verdict == VERDICT_ABSENT ?
			       NULL : json_object_new_string(
				       ds_reason_str(res->m.reason)));
	if (res->d->err)
		json_object_object_add(o, "error",
			json_object_new_string(ds_strerror(res->d->err)));
	else
		dst_json_add_names(o, opts, &res->d->rec);
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
	uint32_t counts[VERDICT_COUNT];
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
		res->v = c->v;
		verify_device(res, c->a);
		c->counts[res->verdict]++;
		if (res->verdict != VERDICT_ADOPT)
			c->ret = DST_EXIT_FAIL;
		if (c->devs)
			json_object_array_add(c->devs, verify_json_dev(res, o));
		else
			verify_plain(o->out, res, o);
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
	uint32_t total = 0;
	int i;

	for (i = 0; i < VERDICT_COUNT; i++)
		total += c->counts[i];
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
		for (i = 0; i < VERDICT_COUNT; i++)
			json_object_object_add(sum, verdict_names[i],
					       json_object_new_int64(c->counts[i]));
		json_object_object_add(root, "summary", sum);
		for (i = 0; i < nr_pci_warnings; i++)
			json_object_array_add(warn,
				json_object_new_string(pci_warnings[i]));
		json_object_object_add(root, "warnings", warn);
		json_object_object_add(root, "result", json_object_new_string(
			c->ret == DST_EXIT_OK ? "adopt" : "not-all-adopted"));
		dst_json_emit(o, root);
		return;
	}
	for (i = 0; i < nr_pci_warnings; i++)
		fprintf(o->err, "devstate: libpci warning: %s\n", pci_warnings[i]);
	fprintf(o->out, "%u record%s: %u adopt, %u cold, %u absent, %u unverified\n",
		total, total == 1 ? "" : "s", c->counts[VERDICT_ADOPT],
		c->counts[VERDICT_COLD], c->counts[VERDICT_ABSENT],
		c->counts[VERDICT_UNVERIFIED]);
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
		/*
		 * Frozen: the handoff to come, the pre-flight check before a
		 * kexec. Otherwise, after a kexec, the handoff received.
		 */
		ret = dst_debugfs_check(o, msg, sizeof(msg));
		if (!ret) {
			ret = dst_debugfs_load(o, "outgoing.dtb", &in, msg, sizeof(msg));
			if (ret == -ENOENT || ret == -ENODATA)
				ret = dst_debugfs_load(o, "incoming.dtb", &in,
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
