// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * lspci's selectors, -s [[[[dom]:]bus]:][slot][.[func]] and
 * -d [vendor]:[device][:class[:progif]], parsed and matched by libpci's
 * filter API so the syntax is exactly lspci's. A record is matched through a
 * pci_dev filled from the record; its known_fields tell libpci not to go to
 * any hardware for the IDs and class.
 */
#include <string.h>

#include "devstate.h"

static void select_init(struct dst_select *s)
{
	if (!s->active) {
		pci_filter_init(NULL, &s->filter);
		s->active = true;
	}
}

const char *dst_select_slot(struct dst_select *s, const char *arg)
{
	char buf[128];

	if (strlen(arg) >= sizeof(buf))
		return "Expression too long";
	strcpy(buf, arg);
	select_init(s);
	return pci_filter_parse_slot(&s->filter, buf);
}

const char *dst_select_id(struct dst_select *s, const char *arg)
{
	char buf[128];

	if (strlen(arg) >= sizeof(buf))
		return "Expression too long";
	strcpy(buf, arg);
	select_init(s);
	return pci_filter_parse_id(&s->filter, buf);
}

bool dst_select_match(const struct dst_select *s, const struct dst_device *d)
{
	const struct ds_record *r = &d->rec;
	struct pci_filter f;
	struct pci_dev pd;

	if (!s->active)
		return true;
	if (d->err)
		return false;
	memset(&pd, 0, sizeof(pd));
	pd.domain = (int)r->domain;
	pd.domain_16 = r->domain > 0xffff ? 0xffff : (u16)r->domain;
	pd.bus = r->bus;
	pd.dev = r->devfn >> 3;
	pd.func = r->devfn & 7;
	pd.vendor_id = (u16)r->ids[DS_IDS_VENDOR];
	pd.device_id = (u16)r->ids[DS_IDS_DEVICE];
	/* ids[DS_IDS_CLASS] is the 24-bit class code: base, sub, prog-if. */
	pd.device_class = (u16)(r->ids[DS_IDS_CLASS] >> 8);
	pd.prog_if = (u8)r->ids[DS_IDS_CLASS];
	pd.rev_id = (u8)r->ids[DS_IDS_REVISION];
	pd.known_fields = PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT;
	/* pci_filter_match() takes non-const pointers; it does not write. */
	f = s->filter;
	return pci_filter_match(&f, &pd);
}
