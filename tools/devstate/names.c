// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Vendor, device and class names from libpci's name database (pci.ids,
 * Debian's pci.ids package), as lspci prints them: `dump` and `verify`
 * show "Ethernet controller [0200]: Intel Corporation 82540EM Gigabit
 * Ethernet Controller [8086:100e]", the form of `lspci -nn`.
 *
 * Names are shown only when the database loads: with -n, or where there
 * is no pci.ids (a busybox initramfs), the output is lspci -n's numbers,
 * so what scripts match on stays the same. -i FILE (or DEVSTATE_PCI_IDS)
 * names another file; then only that file is read (not udev's hwdb), so
 * tests get the same names on every machine.
 *
 * libpci's error handler must not return (it is declared noreturn) and
 * its default one exits the process, which a malformed ids file would
 * trigger: ours jumps back here, and the tool goes on with numbers. The
 * one pci_access is this file's, created at first use and freed by
 * dst_names_close().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include "devstate.h"

static struct {
	struct pci_access *a;
	bool tried, usable;	/* load attempted; database loaded */
	int flags;		/* PCI_LOOKUP_NO_HWDB with a file of our own */
	jmp_buf env;
	char why[200];		/* why the database is not used */
} names;

static void PCI_NONRET names_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(names.why, sizeof(names.why), msg, ap);
	va_end(ap);
	longjmp(names.env, 1);
}

static void names_quiet(char *msg, ...)
{
	(void)msg;
}

/* Load the database once: whether names can be shown. */
static bool names_ready(const struct dst_opts *o)
{
	if (o->numeric)
		return false;
	if (names.tried)
		return names.usable;
	names.tried = true;
	names.a = pci_alloc();
	if (!names.a)
		return false;
	names.a->error = names_error;
	names.a->warning = names_quiet;
	names.a->debug = names_quiet;
	if (o->ids_file) {
		pci_set_name_list_path(names.a, (char *)o->ids_file, 0);
		names.flags = PCI_LOOKUP_NO_HWDB;
	}
	if (setjmp(names.env)) {
		/* A malformed file: said once, then numbers as with -n. */
		size_t n = strlen(names.why);

		if (n && names.why[n - 1] == '\n')
			names.why[n - 1] = '\0';
		if (!o->json)
			fprintf(o->err, "devstate: pci.ids: %s; showing numbers\n",
				names.why);
		return false;
	}
	names.usable = pci_load_name_list(names.a);
	return names.usable;
}

/* One lookup, guarded: NULL when the database failed under it. */
static const char *lookup(char *buf, size_t len, int flags, unsigned int a1,
			  unsigned int a2)
{
	if (setjmp(names.env)) {
		names.usable = false;
		return NULL;
	}
	return pci_lookup_name(names.a, buf, (int)len, names.flags | flags, a1, a2);
}

const char *dst_name_device(const struct dst_opts *o, char *buf, size_t len,
			    uint32_t vendor, uint32_t device)
{
	const char *s = NULL;

	if (names_ready(o))
		s = lookup(buf, len, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE |
			   PCI_LOOKUP_MIXED, vendor, device);
	if (!s) {
		snprintf(buf, len, "%04x:%04x", vendor, device);
		s = buf;
	}
	return s;
}

const char *dst_name_class(const struct dst_opts *o, char *buf, size_t len,
			   uint32_t class16)
{
	const char *s = NULL;

	if (names_ready(o))
		s = lookup(buf, len, PCI_LOOKUP_CLASS | PCI_LOOKUP_MIXED, class16, 0);
	if (!s) {
		snprintf(buf, len, "%04x", class16);
		s = buf;
	}
	return s;
}

const char *dst_name_only(const struct dst_opts *o, char *buf, size_t len,
			  enum dst_name_kind kind, uint32_t id1, uint32_t id2)
{
	static const int flags[] = {
		[DST_NAME_VENDOR] = PCI_LOOKUP_VENDOR,
		[DST_NAME_DEVICE] = PCI_LOOKUP_DEVICE,
		[DST_NAME_CLASS] = PCI_LOOKUP_CLASS,
	};

	if (!names_ready(o))
		return NULL;
	return lookup(buf, len, flags[kind] | PCI_LOOKUP_NO_NUMBERS, id1, id2);
}

/* vendor_name, device_name, class_name: the names alone, null without. */
void dst_json_add_names(json_object *obj, const struct dst_opts *o,
			const struct ds_record *r)
{
	char buf[256];
	const char *n;

	n = dst_name_only(o, buf, sizeof(buf), DST_NAME_VENDOR,
			  r->ids[DS_IDS_VENDOR], 0);
	json_object_object_add(obj, "vendor_name", n ? json_object_new_string(n) : NULL);
	n = dst_name_only(o, buf, sizeof(buf), DST_NAME_DEVICE,
			  r->ids[DS_IDS_VENDOR], r->ids[DS_IDS_DEVICE]);
	json_object_object_add(obj, "device_name", n ? json_object_new_string(n) : NULL);
	n = dst_name_only(o, buf, sizeof(buf), DST_NAME_CLASS,
			  r->ids[DS_IDS_CLASS] >> 8, 0);
	json_object_object_add(obj, "class_name", n ? json_object_new_string(n) : NULL);
}

void dst_names_close(void)
{
	if (names.a)
		pci_cleanup(names.a);
	memset(&names, 0, sizeof(names));
}
