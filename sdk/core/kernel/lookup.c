// SPDX-License-Identifier: GPL-2.0
/*
 * The incoming side, as drivers see it: find the record the previous kernel
 * left for a device, check it against the live device field by field, hand
 * out its driver-private state and preserved buffers, and release whatever
 * no driver claimed.
 *
 * Records were copied, validated and decoded once at load (region.c); the
 * copy is never written, so reading it needs no lock. Their claim state and
 * the pool pages they hold are under ds.lock.
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/bsearch.h>
#include <linux/dma-direct.h>
#include <linux/workqueue.h>

/*
 * Defined with the rule in the shared code (sdk/core/shared/match.c), so the
 * tool names reasons as the kernel does; exported here, with the driver API.
 */
EXPORT_SYMBOL_NS_GPL(ds_reason_str, DS_COMPAT_SYMBOL_NS);

/**
 * ds_note_cold() - remember a device that went down the cold path
 * @domain: PCI domain
 * @bus: bus number
 * @devfn: device and function
 * @reason: why
 *
 * One entry per device: a later verdict replaces an earlier one.
 * Context: under ds.lock.
 */
void ds_note_cold(u32 domain, u8 bus, u8 devfn, enum ds_reason reason)
{
	struct ds_cold_entry *c;

	list_for_each_entry(c, &ds.cold_list, node) {
		if (c->domain == domain && c->bus == bus && c->devfn == devfn) {
			c->reason = reason;
			return;
		}
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return;	/* only the status file loses a line */
	c->domain = domain;
	c->bus = bus;
	c->devfn = devfn;
	c->reason = reason;
	list_add_tail(&c->node, &ds.cold_list);
	ds.cold++;
}

static void ds_forget_cold(u32 domain, u8 bus, u8 devfn)
{
	struct ds_cold_entry *c;

	list_for_each_entry(c, &ds.cold_list, node) {
		if (c->domain == domain && c->bus == bus && c->devfn == devfn) {
			list_del(&c->node);
			kfree(c);
			ds.cold--;
			return;
		}
	}
}

static int ds_key_cmp(const void *key, const void *elt)
{
	u64 k = *(const u64 *)key;
	u64 e = ((const struct ds_index_entry *)elt)->key;

	return k < e ? -1 : k > e;
}

/* The decoded record at a PCI position, or NULL. */
static struct ds_incoming *ds_incoming_at(u32 domain, u8 bus, u8 devfn)
{
	u64 key = ds_position_key(domain, bus, devfn);
	const struct ds_index_entry *e;

	if (!ds.in)
		return NULL;
	e = bsearch(&key, ds.blob.index, ds.nr_in, sizeof(*e), ds_key_cmp);
	return e ? &ds.in[e - ds.blob.index] : NULL;
}

/*
 * The live side of the adoption rule, described with the helpers the
 * capture uses, so a record and its device are put in the same words.
 */
static void ds_describe_live(struct pci_dev *pdev, const char *state_compatible,
			     struct ds_live_device *live)
{
	int nr_bridges;

	memset(live, 0, sizeof(*live));
	live->domain = pci_domain_nr(pdev->bus);
	live->bus = pdev->bus->number;
	live->devfn = pdev->devfn;
	live->ids[DS_IDS_VENDOR] = pdev->vendor;
	live->ids[DS_IDS_DEVICE] = pdev->device;
	live->ids[DS_IDS_SUBVENDOR] = pdev->subsystem_vendor;
	live->ids[DS_IDS_SUBDEVICE] = pdev->subsystem_device;
	live->ids[DS_IDS_CLASS] = pdev->class;
	live->ids[DS_IDS_REVISION] = pdev->revision;
	nr_bridges = ds_capture_bridges(pdev, live->bridges);
	/* Too deep to record: one more than fits, which never matches. */
	live->nr_bridges = nr_bridges < 0 ? DS_MAX_BRIDGES + 1 : nr_bridges;
	live->nr_bars = ds_capture_bars(pdev, live->bars);
	live->state_compatible = state_compatible;
}

/* The shared rule, on a record that decoded or did not. */
static enum ds_reason ds_match(struct pci_dev *pdev,
			       const struct ds_incoming *in,
			       const char *state_compatible)
{
	struct ds_live_device live;

	ds_describe_live(pdev, state_compatible, &live);
	return ds_record_match(&ds.blob.fdt, &in->rec, in->read_err, &live,
			       NULL);
}

static enum ds_reason ds_lookup_locked(struct pci_dev *pdev,
				       const char *state_compatible,
				       struct ds_incoming **inp)
{
	struct ds_incoming *in;
	enum ds_reason why;

	if (ds.in_reason != DS_ADOPT)
		return ds.in_reason;
	if (ds.finished)
		return DS_COLD_FINISHED;
	in = ds_incoming_at(pci_domain_nr(pdev->bus), pdev->bus->number,
			    pdev->devfn);
	if (!in)
		return DS_COLD_NO_RECORD;
	if (in->state != DS_IN_UNCLAIMED)
		return DS_COLD_CLAIMED;
	why = ds_match(pdev, in, state_compatible);
	if (why == DS_ADOPT) {
		in->state = DS_IN_PENDING;
		*inp = in;
	}
	return why;
}

struct ds_incoming *ds_lookup(struct pci_dev *pdev,
			      const char *state_compatible,
			      enum ds_reason *reason)
{
	struct ds_incoming *in = NULL;
	enum ds_reason why;

	if (!pdev) {
		if (reason)
			*reason = DS_COLD_NO_RECORD;
		return NULL;
	}
	mutex_lock(&ds.lock);
	why = ds_lookup_locked(pdev, state_compatible, &in);
	/* A claimed record's device is not cold: its claimant holds it. */
	if (why != DS_ADOPT && why != DS_COLD_CLAIMED)
		ds_note_cold(pci_domain_nr(pdev->bus), pdev->bus->number,
			     pdev->devfn, why);
	mutex_unlock(&ds.lock);

	if (why == DS_ADOPT)
		pci_info(pdev, "devstate: record matches; adoption possible\n");
	else
		pci_info(pdev, "devstate: cold path: %s\n", ds_reason_str(why));
	if (reason)
		*reason = why;
	return in;
}
EXPORT_SYMBOL_NS_GPL(ds_lookup, DS_COMPAT_SYMBOL_NS);

const struct ds_record *ds_incoming_record(const struct ds_incoming *in)
{
	return in ? &in->rec : NULL;
}
EXPORT_SYMBOL_NS_GPL(ds_incoming_record, DS_COMPAT_SYMBOL_NS);

/*
 * The record's driver-state node, or -EINVAL. The typed readers below are
 * the shared reader's (length and termination checks included); only their
 * error codes are turned into the errnos driver.h documents.
 */
static int ds_state_node(const struct ds_incoming *in, const char *name)
{
	if (!in || !name || in->rec.state_node < 0)
		return -EINVAL;
	return in->rec.state_node;
}

int ds_restore_u32(const struct ds_incoming *in, const char *name, u32 *val)
{
	int node = ds_state_node(in, name);

	if (node < 0)
		return node;
	return ds_err_to_errno(ds_fdt_get_u32(&ds.blob.fdt, node, name, val));
}
EXPORT_SYMBOL_NS_GPL(ds_restore_u32, DS_COMPAT_SYMBOL_NS);

int ds_restore_u64(const struct ds_incoming *in, const char *name, u64 *val)
{
	int node = ds_state_node(in, name);

	if (node < 0)
		return node;
	return ds_err_to_errno(ds_fdt_get_u64(&ds.blob.fdt, node, name, val));
}
EXPORT_SYMBOL_NS_GPL(ds_restore_u64, DS_COMPAT_SYMBOL_NS);

int ds_restore_string(const struct ds_incoming *in, const char *name,
		      char *buf, size_t size)
{
	int node = ds_state_node(in, name), err;
	const char *p;
	size_t len;

	if (node < 0)
		return node;
	p = ds_fdt_get_string(&ds.blob.fdt, node, name, &err);
	if (!p)
		return ds_err_to_errno(err);
	len = strlen(p);
	if (len + 1 > size)
		return -ENOSPC;
	memcpy(buf, p, len + 1);
	return len;
}
EXPORT_SYMBOL_NS_GPL(ds_restore_string, DS_COMPAT_SYMBOL_NS);

int ds_restore_bytes(const struct ds_incoming *in, const char *name,
		     void *buf, size_t len)
{
	int node = ds_state_node(in, name), plen;
	const void *p;

	if (node < 0)
		return node;
	p = ds_fdt_getprop(&ds.blob.fdt, node, name, &plen);
	if (!p)
		return ds_err_to_errno(plen);
	if ((size_t)plen != len)
		return -EINVAL;
	memcpy(buf, p, len);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(ds_restore_bytes, DS_COMPAT_SYMBOL_NS);

void ds_adopted(struct ds_incoming *in)
{
	const struct ds_record *r;

	if (!in)
		return;
	r = &in->rec;
	mutex_lock(&ds.lock);
	if (in->state == DS_IN_PENDING) {
		in->state = DS_IN_ADOPTED;
		ds.adopted++;
		ds_forget_cold(r->domain, r->bus, r->devfn);
	}
	mutex_unlock(&ds.lock);
	pr_info("%04x:%02x:%02x.%d: adopted\n", r->domain, r->bus,
		PCI_SLOT(r->devfn), PCI_FUNC(r->devfn));
}
EXPORT_SYMBOL_NS_GPL(ds_adopted, DS_COMPAT_SYMBOL_NS);

void ds_decline(struct ds_incoming *in, const char *why)
{
	const struct ds_record *r;

	if (!in)
		return;
	r = &in->rec;
	mutex_lock(&ds.lock);
	if (in->state == DS_IN_PENDING) {
		in->state = DS_IN_COLD;
		ds_note_cold(r->domain, r->bus, r->devfn,
			     DS_COLD_DRIVER_DECLINED);
	}
	mutex_unlock(&ds.lock);
	pr_info("%04x:%02x:%02x.%d: cold path: driver declined: %s\n",
		r->domain, r->bus, PCI_SLOT(r->devfn), PCI_FUNC(r->devfn),
		why ? why : "no reason given");
}
EXPORT_SYMBOL_NS_GPL(ds_decline, DS_COMPAT_SYMBOL_NS);

static int ds_reclaim_locked(struct ds_device *dev, struct ds_incoming *in,
			     const char *name, struct ds_buf_entry *e)
{
	struct pci_dev *pdev = dev->pdev;
	const struct ds_dma_region *d = NULL;
	struct ds_buf_entry *it;
	u32 j;

	if (ds.finished || in->state == DS_IN_COLD)
		return -ENOENT;
	for (j = 0; j < in->rec.nr_dma; j++) {
		if (!strcmp(in->rec.dma[j].name, name)) {
			d = &in->rec.dma[j];
			break;
		}
	}
	if (!d)
		return -ENOENT;
	/*
	 * As for ds_dma_alloc_preserved(): the sealed blob would not list the
	 * buffer, and the next kernel would hand out pages the device writes.
	 */
	if (ds.frozen)
		return -EBUSY;
	if (in->rec.domain != pci_domain_nr(pdev->bus) ||
	    in->rec.bus != pdev->bus->number || in->rec.devfn != pdev->devfn)
		return -EINVAL;
	/* Not held: outside our pool, overlapping another record, or taken. */
	if (!(in->held & BIT(j)))
		return -EINVAL;
	if (!ds_dma_direct_ok(pdev)) {
		pci_err(pdev, "devstate: '%s': device is behind a translating IOMMU; its buffer cannot be reclaimed\n",
			name);
		return -EINVAL;
	}
	if (phys_to_dma(&pdev->dev, d->phys) != d->bus) {
		pci_err(pdev, "devstate: '%s': bus address changed across kexec\n",
			name);
		return -EINVAL;
	}
	if (dev->nr_bufs >= DS_MAX_DMA_REGIONS)
		return -ENOSPC;
	list_for_each_entry(it, &dev->bufs, node)
		if (!strcmp(it->buf.name, name))
			return -EEXIST;

	e->buf.vaddr = ds.va + (d->phys - ds.phys);
	e->buf.phys = d->phys;
	e->buf.dma = d->bus;
	e->buf.size = d->size;
	strscpy(e->buf.name, d->name, sizeof(e->buf.name));
	list_add_tail(&e->node, &dev->bufs);
	dev->nr_bufs++;
	/* The pages stay set in the pool: they are the device's now. */
	in->held &= ~BIT(j);
	return 0;
}

struct ds_dma_buf *ds_dma_reclaim(struct ds_device *dev,
				  struct ds_incoming *in, const char *name)
{
	struct ds_buf_entry *e;
	int ret;

	if (IS_ERR_OR_NULL(dev) || !in || !name)
		return ERR_PTR(-EINVAL);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&ds.lock);
	ret = ds_reclaim_locked(dev, in, name, e);
	mutex_unlock(&ds.lock);
	if (ret) {
		kfree(e);
		pci_warn(dev->pdev, "devstate: cannot reclaim '%s': %d\n",
			 name, ret);
		return ERR_PTR(ret);
	}
	return &e->buf;
}
EXPORT_SYMBOL_NS_GPL(ds_dma_reclaim, DS_COMPAT_SYMBOL_NS);

/* Give back the pool pages an incoming record still holds. */
static unsigned long ds_incoming_release(struct ds_incoming *in)
{
	u64 pool_base = ds.phys + ds.pool_offset;
	unsigned long pages = 0;
	u32 j;

	for (j = 0; j < in->rec.nr_dma; j++) {
		const struct ds_dma_region *d = &in->rec.dma[j];

		if (!(in->held & BIT(j)))
			continue;
		ds_pool_free((d->phys - pool_base) >> PAGE_SHIFT,
			     d->size >> PAGE_SHIFT);
		pages += d->size >> PAGE_SHIFT;
	}
	in->held = 0;
	return pages;
}

/**
 * ds_finish_locked() - release every record and page no driver claimed
 *
 * Context: under ds.lock. Idempotent.
 */
void ds_finish_locked(void)
{
	unsigned long pages = 0;
	u32 i, unclaimed = 0;

	if (ds.finished)
		return;
	ds.finished = true;
	for (i = 0; i < ds.nr_in; i++) {
		struct ds_incoming *in = &ds.in[i];

		if (in->state == DS_IN_UNCLAIMED) {
			const struct ds_record *r = &in->rec;

			in->state = DS_IN_COLD;
			unclaimed++;
			pr_info("finish: record %04x:%02x:%02x.%d unclaimed\n",
				r->domain, r->bus, PCI_SLOT(r->devfn),
				PCI_FUNC(r->devfn));
		}
		pages += ds_incoming_release(in);
	}
	if (ds.quarantine) {
		pages += ds_pool_release_quarantine();
		ds.quarantine = false;
	}
	pr_info("finish: %u of %u records unclaimed, %lu pool pages released\n",
		unclaimed, ds.nr_in, pages);
}

void ds_finish(void)
{
	mutex_lock(&ds.lock);
	ds_finish_locked();
	mutex_unlock(&ds.lock);
}
EXPORT_SYMBOL_NS_GPL(ds_finish, DS_COMPAT_SYMBOL_NS);

static void ds_finish_fallback(struct work_struct *work)
{
	pr_info("finish: fallback timeout expired\n");
	ds_finish();
}

static DECLARE_DELAYED_WORK(ds_finish_work, ds_finish_fallback);

void ds_finish_timer_start(unsigned int seconds)
{
	/*
	 * seconds * HZ in unsigned int wraps for large values, to as little as
	 * no delay at all; in unsigned long, capped at the longest delay a
	 * timer takes, it means "much later" as it should.
	 */
	unsigned long delay = min_t(unsigned long, seconds,
				    MAX_JIFFY_OFFSET / HZ) * HZ;

	if (seconds)
		schedule_delayed_work(&ds_finish_work, delay);
}

void ds_finish_timer_stop(void)
{
	cancel_delayed_work_sync(&ds_finish_work);
}

/**
 * ds_incoming_release_all() - free the incoming copy and bookkeeping
 *
 * Context: module exit, no driver left.
 */
void ds_incoming_release_all(void)
{
	struct ds_cold_entry *c, *tmp;

	if (ds.in_blob)
		ds_blob_close(&ds.blob);
	kvfree(ds.in_blob);
	ds.in_blob = NULL;
	kvfree(ds.in);
	ds.in = NULL;
	ds.nr_in = 0;
	list_for_each_entry_safe(c, tmp, &ds.cold_list, node) {
		list_del(&c->node);
		kfree(c);
	}
}
