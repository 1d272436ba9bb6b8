// SPDX-License-Identifier: GPL-2.0
/*
 * The incoming side: take over the blob the previous kernel left, then, as
 * drivers see it, find the record for a device, check it against the live
 * device field by field, hand out its driver-private state and preserved
 * buffers, and release whatever no driver claimed.
 *
 * This file owns the incoming state (ds_in below), from load to unload.
 * The blob is copied out of the region before it is parsed: the region's
 * pool pages may still be the target of a live device's DMA, and a parser
 * must never read memory that can change under it. Records are copied,
 * validated and decoded once at load; the copy is never written, so reading
 * it needs no lock. Their claim state, the pool pages they hold, the
 * counters and the cold list are under ds_lock().
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

/* What became of one record the previous kernel left. */
enum ds_in_state {
	DS_IN_UNCLAIMED = 0,
	DS_IN_PENDING,		/* ds_lookup() handed it out */
	DS_IN_ADOPTED,
	DS_IN_COLD,		/* declined */
	DS_IN_RELEASED,		/* nobody claimed it: released by ds_finish() */
};

struct ds_incoming {
	struct ds_record rec;
	int read_err;		/* ds_record_read() result, 0 when usable */
	enum ds_in_state state;
	u32 held;		/* bit i: pool pages of rec.dma[i] are held */
};

/* A device that went down the cold path, for the status file. */
struct ds_cold_entry {
	struct list_head node;
	u32 domain;
	u8 bus, devfn;
	enum ds_reason reason;
};

static struct {
	void *blob_copy;		/* kvmalloc'ed copy, or NULL */
	u32 blob_size;
	struct ds_blob blob;		/* valid when blob_copy != NULL */
	struct ds_incoming *in;		/* one per indexed record */
	u32 nr_in;
	u32 unreadable;			/* records ds_blob_read() refused */
	int error;			/* DS_ERR_*: why there is no blob */
	enum ds_reason reason;		/* DS_ADOPT when a blob was taken */
	bool quarantine;		/* free pool held: blob or a record unreadable */
	bool finished;
	u64 validate_us;
	u32 adopted, cold;
	struct list_head cold_list;	/* struct ds_cold_entry */
} ds_in = {
	.reason = DS_COLD_NO_REGION,
	.cold_list = LIST_HEAD_INIT(ds_in.cold_list),
};

/*
 * Decode every indexed record and hold the pool pages each one lists. A
 * record we cannot read (a newer version, or malformed) still stands for a
 * device the previous kernel may have kept alive, writing pages we cannot
 * name: hold every free page too, until ds_finish(), as for a rejected blob.
 */
static int ds_incoming_decode(void)
{
	u32 i, j, unreadable = 0;

	if (!ds_in.blob.nr_devices)
		return 0;
	ds_in.in = kvcalloc(ds_in.blob.nr_devices, sizeof(*ds_in.in), GFP_KERNEL);
	if (!ds_in.in)
		return -DS_ERR_NOMEM;
	/* Only now: ds_finish_locked() walks ds_in.in[0..nr_in) after a reject. */
	ds_in.nr_in = ds_in.blob.nr_devices;
	for (i = 0; i < ds_in.nr_in; i++) {
		struct ds_incoming *in = &ds_in.in[i];

		in->read_err = ds_blob_read(&ds_in.blob, ds_in.blob.index[i].node,
					    &in->rec);
		if (in->read_err) {
			unreadable++;
			continue;
		}
		for (j = 0; j < in->rec.nr_dma; j++) {
			const struct ds_dma_region *d = &in->rec.dma[j];

			/* Buffers outside our pool are never held nor reclaimed. */
			if (ds_transport()->buf_hold(d->phys, d->size))
				continue;
			in->held |= BIT(j);
		}
	}
	/* Logged by the caller, once the validation time is taken. */
	ds_in.unreadable = unreadable;
	if (unreadable)
		ds_in.quarantine = !ds_transport()->quarantine();
	return 0;
}

/*
 * No transport to read from. A KHO handover can still have come: a kernel
 * booted without kho=on receives and reserves it, but could preserve
 * nothing it adopted for a later kernel, so it names that and stays cold.
 */
static void ds_incoming_no_transport(void)
{
	if (ds_kho_handover_waiting()) {
		ds_in.reason = DS_COLD_KHO_OFF;
		pr_warn("incoming: a KHO handover arrived, but this kernel runs without kho=on; all devices cold\n");
		return;
	}
	ds_in.reason = DS_COLD_NO_REGION;
	pr_info("incoming: no region configured; all devices cold\n");
}

static void ds_incoming_nothing(int err)
{
	ds_in.error = err;
	ds_in.reason = DS_COLD_NO_REGION;
	pr_info("incoming: nothing handed over (%s); all devices cold\n",
		ds_strerror(err));
}

/*
 * A kernel handed over, but the blob cannot be trusted, so nothing says
 * which pool pages its kept-alive devices may still write: hold them all,
 * for the rest of the boot (ds_finish_locked() keeps them).
 */
static void ds_incoming_reject(int err)
{
	ds_in.error = err;
	ds_in.reason = DS_COLD_BLOB_REJECTED;
	ds_in.quarantine = !ds_transport()->quarantine();
	pr_warn("incoming: blob rejected: %s; all devices cold%s\n",
		ds_strerror(err),
		ds_in.quarantine ? ", DMA pool held" : "");
}

/*
 * Copy the sealed blob out of the region, then check the CRC and validate and
 * index the copy. @v is the header as ds_region_inspect() read it once: the
 * size and CRC come from there, never from a second read of the region.
 * The CRC is checked on the copy only: the copy is what gets parsed, and the
 * region's bytes may change under a device still writing into it.
 */
static int ds_incoming_take(const struct ds_region_view *v)
{
	int ret;

	if (v->state != DS_REGION_SEALED)
		return -DS_ERR_UNSEALED;
	/*
	 * The size is the untrusted header's (up to 4 GiB - 1 in a big
	 * region): kvmalloc() WARNs past INT_MAX unless told not to, and a
	 * bad header is a rejected blob, not a warning splat.
	 */
	ds_in.blob_copy = kvmalloc(v->blob_size, GFP_KERNEL | __GFP_NOWARN);
	if (!ds_in.blob_copy)
		return -DS_ERR_NOMEM;
	memcpy(ds_in.blob_copy, v->blob, v->blob_size);
	if (ds_crc32c(0, ds_in.blob_copy, v->blob_size) != v->blob_crc) {
		ret = -DS_ERR_BADCRC;
		goto free_copy;
	}
	ds_in.blob_size = v->blob_size;
	ret = ds_blob_open(&ds_in.blob, ds_in.blob_copy, v->blob_size);
	if (ret)
		goto free_copy;
	ret = ds_incoming_decode();
	if (ret)
		goto close_blob;
	return 0;

close_blob:
	ds_blob_close(&ds_in.blob);
free_copy:
	kvfree(ds_in.blob_copy);
	ds_in.blob_copy = NULL;
	ds_in.blob_size = 0;
	return ret;
}

/**
 * ds_incoming_load() - take over what the previous kernel left, at load
 *
 * Sets ds_in.reason to DS_ADOPT when a blob was taken, else to the cold
 * reason every lookup will report. Never fails: any fault is one log line
 * and the cold path for every device. Writes nothing into the region:
 * ds_incoming_commit() does, once the module load cannot fail any more.
 */
void ds_incoming_load(void)
{
	struct ds_region_view v;
	u64 t0 = ktime_get_ns();
	int ret;

	if (!ds_transport()->present()) {
		ds_incoming_no_transport();
		return;
	}
	ret = ds_transport()->read_incoming(&v);
	if (ret == -DS_ERR_REGION_MAGIC || ret == -DS_ERR_NOTFOUND) {
		/* Never formatted, or no KHO subtree: a first boot, not a fault. */
		ds_incoming_nothing(ret);
		return;
	}
	if (ret) {
		ds_incoming_reject(ret);
		return;
	}
	if (v.state == DS_REGION_EMPTY || v.state == DS_REGION_ADOPTED) {
		ds_incoming_nothing(-DS_ERR_UNSEALED);
		return;
	}
	ret = ds_incoming_take(&v);
	if (ret) {
		ds_incoming_reject(ret);
		return;
	}
	ds_in.validate_us = ds_us_since(t0);
	ds_in.reason = DS_ADOPT;
	ds_in.error = 0;
	if (ds_in.unreadable)
		pr_warn("incoming: %u of %u records unreadable%s\n",
			ds_in.unreadable, ds_in.nr_in, ds_in.quarantine ?
			"; free DMA pool pages held until finish" : "");
	pr_info("incoming: %s sealed gen %llu, %u records, validated in %llu us\n",
		ds_transport()->name, v.generation, ds_in.nr_in,
		ds_in.validate_us);
}

/**
 * ds_incoming_commit() - write the header after a load that succeeded
 *
 * Context: last in module init; takes ds_lock(). A taken blob's region
 * becomes ADOPTED; any other is formatted EMPTY. A load that fails before
 * this leaves the region as it found it, so a second try sees the same
 * handoff and holds the same pages.
 */
void ds_incoming_commit(void)
{
	ds_lock();
	/* A freeze since the load wrote a header of its own: keep it. */
	if (!ds_frozen())
		ds_transport()->commit(ds_in.reason == DS_ADOPT);
	ds_unlock();
}

/**
 * ds_incoming_blob() - the copy of the blob the previous kernel sealed
 * @size: out: its bytes
 *
 * The copy is immutable from load to unload: no lock needed.
 *
 * Return: the copy, or NULL when no blob was taken.
 */
const void *ds_incoming_blob(u32 *size)
{
	*size = ds_in.blob_size;
	return ds_in.blob_copy;
}

/* The pool pages @in still holds. */
static unsigned long ds_incoming_held_pages(const struct ds_incoming *in)
{
	unsigned long pages = 0;
	u32 j;

	for (j = 0; j < in->rec.nr_dma; j++)
		if (in->held & BIT(j))
			pages += in->rec.dma[j].size >> PAGE_SHIFT;
	return pages;
}

/* Context: under ds_lock(). */
void ds_incoming_status(struct ds_status *st)
{
	u32 i;

	st->records_in = ds_in.nr_in;
	st->adopted = ds_in.adopted;
	st->cold = ds_in.cold;
	st->in_validate_us = ds_in.validate_us;
	st->in_error = ds_in.error;
	st->in_reason = ds_in.reason;
	st->finished = ds_in.finished;
	st->quarantine = ds_in.quarantine;
	st->pool_held = 0;
	for (i = 0; i < ds_in.nr_in; i++)
		st->pool_held += ds_incoming_held_pages(&ds_in.in[i]);
}

/* One "cold_reason BDF REASON" line per cold device. Context: ds_lock(). */
void ds_incoming_show_cold(struct seq_file *m)
{
	struct ds_cold_entry *c;

	list_for_each_entry(c, &ds_in.cold_list, node)
		seq_printf(m, "cold_reason %04x:%02x:%02x.%d %s\n", c->domain,
			   c->bus, PCI_SLOT(c->devfn), PCI_FUNC(c->devfn),
			   ds_reason_str(c->reason));
}

static const char *const ds_in_state_names[] = {
	[DS_IN_UNCLAIMED] = "unclaimed",
	[DS_IN_PENDING] = "pending",
	[DS_IN_ADOPTED] = "adopted",
	[DS_IN_COLD] = "cold",
	[DS_IN_RELEASED] = "released",
};

/*
 * One "record BDF STATE" line per record the previous kernel left, so
 * `devstate status` can name the adopted ones and those nobody claimed
 * (the cold_reason lines give the cold ones' reasons). The position comes
 * from the index: an unreadable record has one too. Context: ds_lock().
 */
void ds_incoming_show_records(struct seq_file *m)
{
	u32 i;

	for (i = 0; i < ds_in.nr_in; i++) {
		u64 key = ds_in.blob.index[i].key;
		u8 devfn = key & 0xff;

		seq_printf(m, "record %04llx:%02llx:%02x.%d %s%s\n", key >> 16,
			   (key >> 8) & 0xff, PCI_SLOT(devfn), PCI_FUNC(devfn),
			   ds_in_state_names[ds_in.in[i].state],
			   ds_in.in[i].read_err ? " unreadable" : "");
	}
}

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
 * Context: under ds_lock().
 */
static void ds_note_cold(u32 domain, u8 bus, u8 devfn, enum ds_reason reason)
{
	struct ds_cold_entry *c;

	list_for_each_entry(c, &ds_in.cold_list, node) {
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
	list_add_tail(&c->node, &ds_in.cold_list);
	ds_in.cold++;
}

static void ds_forget_cold(u32 domain, u8 bus, u8 devfn)
{
	struct ds_cold_entry *c;

	list_for_each_entry(c, &ds_in.cold_list, node) {
		if (c->domain == domain && c->bus == bus && c->devfn == devfn) {
			list_del(&c->node);
			kfree(c);
			ds_in.cold--;
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

	if (!ds_in.in)
		return NULL;
	e = bsearch(&key, ds_in.blob.index, ds_in.nr_in, sizeof(*e), ds_key_cmp);
	return e ? &ds_in.in[e - ds_in.blob.index] : NULL;
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
	return ds_record_match(&ds_in.blob.fdt, &in->rec, in->read_err, &live,
			       NULL);
}

static enum ds_reason ds_lookup_locked(struct pci_dev *pdev,
				       const char *state_compatible,
				       struct ds_incoming **inp)
{
	struct ds_incoming *in;
	enum ds_reason why;

	if (ds_in.reason != DS_ADOPT)
		return ds_in.reason;
	if (ds_in.finished)
		return DS_COLD_FINISHED;
	in = ds_incoming_at(pci_domain_nr(pdev->bus), pdev->bus->number,
			    pdev->devfn);
	if (!in)
		return DS_COLD_NO_RECORD;
	if (in->state != DS_IN_UNCLAIMED)
		return DS_COLD_CLAIMED;
	/* Recorded at freeze, but refused or quiesced at shutdown. */
	if (!ds_blob_kept_alive(&ds_in.blob, pci_domain_nr(pdev->bus),
				pdev->bus->number, pdev->devfn))
		return DS_COLD_NOT_KEPT_ALIVE;
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
	ds_lock();
	why = ds_lookup_locked(pdev, state_compatible, &in);
	/* A claimed record's device is not cold: its claimant holds it. */
	if (why != DS_ADOPT && why != DS_COLD_CLAIMED)
		ds_note_cold(pci_domain_nr(pdev->bus), pdev->bus->number,
			     pdev->devfn, why);
	ds_unlock();

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
	return ds_err_to_errno(ds_fdt_get_u32(&ds_in.blob.fdt, node, name, val));
}
EXPORT_SYMBOL_NS_GPL(ds_restore_u32, DS_COMPAT_SYMBOL_NS);

int ds_restore_u64(const struct ds_incoming *in, const char *name, u64 *val)
{
	int node = ds_state_node(in, name);

	if (node < 0)
		return node;
	return ds_err_to_errno(ds_fdt_get_u64(&ds_in.blob.fdt, node, name, val));
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
	p = ds_fdt_get_string(&ds_in.blob.fdt, node, name, &err);
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
	p = ds_fdt_getprop(&ds_in.blob.fdt, node, name, &plen);
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
	ds_lock();
	if (in->state == DS_IN_PENDING) {
		in->state = DS_IN_ADOPTED;
		ds_in.adopted++;
		ds_forget_cold(r->domain, r->bus, r->devfn);
	}
	ds_unlock();
	pr_info("%04x:%02x:%02x.%d: adopted\n", r->domain, r->bus,
		PCI_SLOT(r->devfn), PCI_FUNC(r->devfn));
}
EXPORT_SYMBOL_NS_GPL(ds_adopted, DS_COMPAT_SYMBOL_NS);

void ds_decline(struct ds_incoming *in, const char *why)
{
	const struct ds_record *r;
	unsigned int released = 0;

	if (!in)
		return;
	r = &in->rec;
	ds_lock();
	if (in->state == DS_IN_PENDING) {
		in->state = DS_IN_COLD;
		ds_note_cold(r->domain, r->bus, r->devfn,
			     DS_COLD_DRIVER_DECLINED);
		released = ds_release_reclaimed(in);
	}
	ds_unlock();
	pr_info("%04x:%02x:%02x.%d: cold path: driver declined: %s%s\n",
		r->domain, r->bus, PCI_SLOT(r->devfn), PCI_FUNC(r->devfn),
		why ? why : "no reason given",
		released ? "; its reclaimed buffers are released" : "");
}
EXPORT_SYMBOL_NS_GPL(ds_decline, DS_COMPAT_SYMBOL_NS);

static int ds_reclaim_locked(struct ds_device *dev, struct ds_incoming *in,
			     const char *name, struct ds_buf_entry *e)
{
	struct pci_dev *pdev = dev->pdev;
	const struct ds_dma_region *d = NULL;
	struct ds_buf_entry *it;
	u32 j;

	if (ds_in.finished || in->state == DS_IN_COLD ||
	    in->state == DS_IN_RELEASED)
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
	if (ds_frozen())
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
	if (ds_dma_bus_addr(pdev, d->phys) != d->bus) {
		pci_err(pdev, "devstate: '%s': bus address changed across kexec\n",
			name);
		return -EINVAL;
	}
	if (dev->nr_bufs >= DS_MAX_DMA_REGIONS)
		return -ENOSPC;
	list_for_each_entry(it, &dev->bufs, node)
		if (!strcmp(it->buf.name, name))
			return -EEXIST;

	/* Held pages are the transport's: its ->buf_hold() checked. */
	e->buf.vaddr = ds_transport()->buf_va(d->phys);
	e->buf.phys = d->phys;
	e->buf.dma = d->bus;
	e->buf.size = d->size;
	strscpy(e->buf.name, d->name, sizeof(e->buf.name));
	e->from = in;
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
	ds_lock();
	ret = ds_reclaim_locked(dev, in, name, e);
	ds_unlock();
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
	unsigned long pages = ds_incoming_held_pages(in);
	u32 j;

	for (j = 0; j < in->rec.nr_dma; j++)
		if (in->held & BIT(j))
			ds_transport()->buf_free(in->rec.dma[j].phys,
						 in->rec.dma[j].size);
	in->held = 0;
	return pages;
}

/*
 * A device the previous kernel kept alive and nobody adopted may still be
 * writing the pages its record lists: stop its bus mastering (and its
 * INTx) before those pages go back to the pool. Only a device without a
 * driver: one a driver took cold has been reset by it, and its bus
 * mastering is that driver's now.
 */
static void ds_stop_unclaimed(const struct ds_record *r)
{
	struct pci_dev *pdev;
	u16 cmd;

	if (!ds_blob_kept_alive(&ds_in.blob, r->domain, r->bus, r->devfn))
		return;
	pdev = pci_get_domain_bus_and_slot(r->domain, r->bus, r->devfn);
	if (!pdev)
		return;
	/*
	 * Not device_lock(): probe holds it when it calls ds_lookup(), which
	 * takes ds_lock(). A driver binding right now gets DS_COLD_FINISHED
	 * from its lookup and resets the device in its cold path anyway.
	 */
	if (!READ_ONCE(pdev->dev.driver)) {
		pci_read_config_word(pdev, PCI_COMMAND, &cmd);
		pci_write_config_word(pdev, PCI_COMMAND,
				      (cmd & ~PCI_COMMAND_MASTER) |
				      PCI_COMMAND_INTX_DISABLE);
		pci_info(pdev, "devstate: finish: kept alive but unclaimed: bus mastering and INTx turned off\n");
	}
	pci_dev_put(pdev);
}

/**
 * ds_finish_locked() - release every record and page no driver claimed
 *
 * Context: under ds_lock(). Idempotent.
 */
static void ds_finish_locked(void)
{
	unsigned long pages = 0;
	u32 i, unclaimed = 0;

	if (ds_in.finished)
		return;
	ds_in.finished = true;
	for (i = 0; i < ds_in.nr_in; i++) {
		struct ds_incoming *in = &ds_in.in[i];

		if (in->state == DS_IN_UNCLAIMED) {
			const struct ds_record *r = &in->rec;

			in->state = DS_IN_RELEASED;
			unclaimed++;
			pr_info("finish: record %04x:%02x:%02x.%d unclaimed\n",
				r->domain, r->bus, PCI_SLOT(r->devfn),
				PCI_FUNC(r->devfn));
			if (!in->read_err)
				ds_stop_unclaimed(r);
		}
		pages += ds_incoming_release(in);
	}
	/*
	 * After a rejected blob nothing says which devices still write which
	 * pages, and a device without a driver is never reset: the pool stays
	 * held until the next boot.
	 */
	if (ds_in.quarantine && ds_in.reason == DS_COLD_BLOB_REJECTED) {
		pr_warn("finish: blob was rejected; the DMA pool stays held for the rest of this boot\n");
	} else if (ds_in.quarantine) {
		pages += ds_transport()->release_quarantine();
		ds_in.quarantine = false;
	}
	pr_info("finish: %u of %u records unclaimed, %lu pool pages released\n",
		unclaimed, ds_in.nr_in, pages);
}

void ds_finish(void)
{
	ds_lock();
	ds_finish_locked();
	ds_unlock();
}
EXPORT_SYMBOL_NS_GPL(ds_finish, DS_COMPAT_SYMBOL_NS);

static void ds_finish_fallback(struct work_struct *work)
{
	pr_info("finish: fallback timeout expired\n");
	ds_finish();
}

static DECLARE_DELAYED_WORK(ds_finish_work, ds_finish_fallback);

/*
 * After a load that took a blob, or holds the pool after one it rejected:
 * finish by itself @seconds from now, unless a finish came first.
 */
void ds_finish_timer_start(unsigned int seconds)
{
	/*
	 * seconds * HZ in unsigned int wraps for large values, to as little as
	 * no delay at all; in unsigned long, capped at the longest delay a
	 * timer takes, it means "much later" as it should.
	 */
	unsigned long delay = min_t(unsigned long, seconds,
				    MAX_JIFFY_OFFSET / HZ) * HZ;

	if (seconds && (ds_in.reason == DS_ADOPT || ds_in.quarantine))
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

	if (ds_in.blob_copy)
		ds_blob_close(&ds_in.blob);
	kvfree(ds_in.blob_copy);
	ds_in.blob_copy = NULL;
	kvfree(ds_in.in);
	ds_in.in = NULL;
	ds_in.nr_in = 0;
	list_for_each_entry_safe(c, tmp, &ds_in.cold_list, node) {
		list_del(&c->node);
		kfree(c);
	}
}
