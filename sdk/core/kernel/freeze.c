// SPDX-License-Identifier: GPL-2.0
/*
 * The outgoing side: registrations, preserved DMA buffers, and the freeze
 * that turns them into a sealed blob.
 *
 *   freeze: format header -> WRITING -> blob_begin -> one record per device
 *           (core PCI state, then the driver's ->save) -> blob_end -> SEALED
 *   thaw:   any state -> EMPTY; the pool and its buffers are untouched.
 *
 * This file owns the outgoing state (ds_out below): the registrations with
 * their preserved buffers, and the frozen state with what the freeze sealed.
 * All of it is under ds_lock(); the frozen flag is also read without it
 * (ds_frozen()), from interrupt handlers through ds_keepalive_armed().
 */
#include "ds_core.h"

#include <linux/dma-direct.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/utsname.h>

static struct {
	struct list_head devices;	/* struct ds_device */
	bool frozen;
	u32 blob_size;			/* sealed blob, 0 when not frozen */
	u32 records;			/* devices in the sealed blob */
	u64 freeze_us;
	u8 *kept_list;			/* its kept-alive list (abi.h), or NULL */
	u32 kept_slots;
} ds_out = {
	.devices = LIST_HEAD_INIT(ds_out.devices),
};

static void ds_thaw_locked(void);

struct ds_save_ctx {
	struct ds_fdt_writer *w;
	const char *const *names;	/* the driver's state_names, or NULL */
	unsigned int nr_names;
	int err;		/* first error a ds_save_*() call returned */
	char bad_name[32];	/* the first property name refused, for the log */
	const char *bad_why;	/* and why: DS_NAME_RULE or DS_NAME_UNDECLARED */
};

/* What the driver-state callback of ds_record_write() needs. */
struct ds_save_call {
	struct ds_device *dev;
	struct ds_save_ctx ctx;
	int ret;		/* the driver's ->save result */
};

/*
 * Names the device tree reserves: "compatible" is the driver-state version
 * ds_lookup() checks; dtc treats "name" and "phandle" specially and rejects
 * a tree whose "name" does not match its node.
 */
static const char *const ds_reserved_names[] = {
	DS_PROP_COMPATIBLE, "name", "phandle",
};

/*
 * Property names a driver may use: 1..31 of [a-z0-9,._+-], not reserved.
 * The one rule, applied to the names a driver declares at registration
 * and to those its ->save writes at freeze.
 */
static bool ds_save_name_ok(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strnlen(name, 32);
	if (!len || len > 31)
		return false;
	for (i = 0; i < ARRAY_SIZE(ds_reserved_names); i++)
		if (!strcmp(name, ds_reserved_names[i]))
			return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      strchr(",._+-", c)))
			return false;
	}
	return true;
}

/*
 * The log's words for a refused name, the same at registration and at
 * freeze: DS_NAME_REFUSED with the name and why (the tests match them).
 */
#define DS_NAME_REFUSED		"property name '%.31s' refused: %s"
#define DS_NAME_RULE \
	"1 to 31 of a-z 0-9 , . _ + -, not compatible, name or phandle"
#define DS_NAME_UNDECLARED	"not declared in the driver's state_names"

/*
 * ds_state_names_check() - the names a driver declares, checked once
 * @pdev: the device registering, for the log
 * @names: its ops' state_names, NULL-terminated, or NULL
 * @nr: out: how many
 *
 * Each name must pass ds_save_name_ok(), the check ds_save_*() applies at
 * freeze, so a bad one fails the probe that registers, not a kexec. The
 * list is read at most DS_MAX_STATE_NAMES + 1 entries far: a list whose
 * NULL was forgotten stops there, unless reading that far faults first.
 *
 * Return: 0, or -EINVAL (logged once, naming the refused name).
 */
static int ds_state_names_check(struct pci_dev *pdev,
				const char *const *names, unsigned int *nr)
{
	const char *drv = dev_driver_string(&pdev->dev);
	unsigned int i;

	*nr = 0;
	if (!names)
		return 0;
	for (i = 0; names[i]; i++) {
		if (i == DS_MAX_STATE_NAMES) {
			pci_err(pdev, "devstate: register: driver %s: more than %d state_names (is the list NULL-terminated?)\n",
				drv, DS_MAX_STATE_NAMES);
			return -EINVAL;
		}
		if (!ds_save_name_ok(names[i])) {
			pci_err(pdev, "devstate: register: driver %s: " DS_NAME_REFUSED "\n",
				drv, names[i], DS_NAME_RULE);
			return -EINVAL;
		}
	}
	*nr = i;
	return 0;
}

/* How far the ops of a driver built before state_names existed reach. */
#define DS_OPS_SIZE_V1	offsetofend(struct ds_driver_ops, save)

struct ds_device *ds_register_ops(struct pci_dev *pdev,
				  const struct ds_driver_ops *ops,
				  size_t ops_size, void *priv)
{
	struct ds_driver_ops copy = {};
	struct ds_device *dev, *it;
	unsigned int nr_names;
	int ret;

	if (!pdev || !ops || ops_size < DS_OPS_SIZE_V1)
		return ERR_PTR(-EINVAL);
	/* A newer driver's members this devstate cannot honour must be 0. */
	if (ops_size > sizeof(copy) &&
	    memchr_inv((const u8 *)ops + sizeof(copy), 0,
		       ops_size - sizeof(copy)))
		return ERR_PTR(-E2BIG);
	memcpy(&copy, ops, min(ops_size, sizeof(copy)));
	if (!copy.state_compatible)
		return ERR_PTR(-EINVAL);
	ret = ds_state_names_check(pdev, copy.state_names, &nr_names);
	if (ret)
		return ERR_PTR(ret);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&dev->bufs);
	dev->ops = copy;
	dev->nr_state_names = nr_names;
	dev->priv = priv;

	ds_lock();
	if (ds_out.frozen) {
		pci_warn(pdev, "devstate: cannot register while frozen; write 'thaw' to the control file first\n");
		ret = -EBUSY;
		goto unlock;
	}
	list_for_each_entry(it, &ds_out.devices, node) {
		if (it->pdev == pdev) {
			pci_warn(pdev, "devstate: already registered\n");
			ret = -EEXIST;
			goto unlock;
		}
	}
	dev->pdev = pci_dev_get(pdev);
	list_add_tail(&dev->node, &ds_out.devices);
	ds_unlock();
	pci_dbg(pdev, "devstate: registered\n");
	return dev;

unlock:
	ds_unlock();
	kfree(dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(ds_register_ops, DS_COMPAT_SYMBOL_NS);

/*
 * What drivers built before state_names call, through the table's
 * register_device or, DEVSTATE_DIRECT, this symbol: their ops end at .save.
 */
struct ds_device *ds_register(struct pci_dev *pdev,
			      const struct ds_driver_ops *ops, void *priv)
{
	return ds_register_ops(pdev, ops, DS_OPS_SIZE_V1, priv);
}
EXPORT_SYMBOL_NS_GPL(ds_register, DS_COMPAT_SYMBOL_NS);

static void ds_buf_release(struct ds_buf_entry *e)
{
	ds_transport()->buf_free(e->buf.phys, e->buf.size);
	list_del(&e->node);
	kfree(e);
}

/**
 * ds_release_reclaimed() - give back the buffers reclaimed from a record
 * @in: a record its driver declined after all
 *
 * The driver goes down the cold path and allocates afresh, under the same
 * names: what it reclaimed before deciding must not stay in its way.
 *
 * Context: under ds_lock().
 * Return: the number of buffers released.
 */
unsigned int ds_release_reclaimed(const struct ds_incoming *in)
{
	struct ds_buf_entry *e, *tmp;
	struct ds_device *dev;
	unsigned int n = 0;

	ds_assert_locked();
	list_for_each_entry(dev, &ds_out.devices, node) {
		list_for_each_entry_safe(e, tmp, &dev->bufs, node) {
			if (e->from != in)
				continue;
			ds_buf_release(e);
			dev->nr_bufs--;
			n++;
		}
	}
	return n;
}

void ds_unregister(struct ds_device *dev)
{
	struct ds_buf_entry *e, *tmp;

	if (IS_ERR_OR_NULL(dev))
		return;
	/* Taking ds_lock() waits for a freeze that is capturing this device. */
	ds_lock();
	if (ds_out.frozen && system_state == SYSTEM_RUNNING) {
		/* The driver is going: the sealed record no longer holds. */
		pci_warn(dev->pdev, "devstate: unregistered while frozen; thawing, freeze again to hand over the other devices\n");
		ds_thaw_locked();
	} else if (ds_out.frozen) {
		/*
		 * Shutting down (a driver whose .shutdown runs its remove): the
		 * other devices are already on their way through the kexec, so
		 * the handoff stays; this device's record stays in the blob.
		 */
		pci_warn(dev->pdev, "devstate: unregistered during shutdown; its record stays in the sealed blob\n");
	}
	list_del(&dev->node);
	list_for_each_entry_safe(e, tmp, &dev->bufs, node)
		ds_buf_release(e);
	ds_unlock();
	pci_dev_put(dev->pdev);
	kfree(dev);
}
EXPORT_SYMBOL_NS_GPL(ds_unregister, DS_COMPAT_SYMBOL_NS);

/* Is @name one the driver declared? Without a list, every name is. */
static bool ds_save_name_declared(const struct ds_save_ctx *ctx,
				  const char *name)
{
	unsigned int i;

	if (!ctx->names)
		return true;
	for (i = 0; i < ctx->nr_names; i++)
		if (!strcmp(ctx->names[i], name))
			return true;
	return false;
}

/*
 * ds_save_name_ok() and, when the driver declared its names, one of them;
 * the first name refused and why are kept for the log line.
 */
static bool ds_save_name_take(struct ds_save_ctx *ctx, const char *name)
{
	const char *why;

	if (!ds_save_name_ok(name))
		why = DS_NAME_RULE;
	else if (!ds_save_name_declared(ctx, name))
		why = DS_NAME_UNDECLARED;
	else
		return true;
	if (!ctx->bad_name[0]) {
		strscpy(ctx->bad_name, name ? name : "(null)",
			sizeof(ctx->bad_name));
		ctx->bad_why = why;
	}
	return false;
}

/* Turn a writer error into the errno ds_save_*() document, and remember it. */
static int ds_save_result(struct ds_save_ctx *ctx, int err)
{
	if (!err)
		return 0;
	err = err == -DS_ERR_NOSPACE ? -ENOSPC : -EINVAL;
	if (!ctx->err)
		ctx->err = err;
	return err;
}

int ds_save_u32(struct ds_save_ctx *ctx, const char *name, u32 val)
{
	if (!ctx || !ctx->w || !ds_save_name_take(ctx, name))
		return -EINVAL;
	return ds_save_result(ctx, ds_fdt_prop_u32(ctx->w, name, val));
}
EXPORT_SYMBOL_NS_GPL(ds_save_u32, DS_COMPAT_SYMBOL_NS);

int ds_save_u64(struct ds_save_ctx *ctx, const char *name, u64 val)
{
	if (!ctx || !ctx->w || !ds_save_name_take(ctx, name))
		return -EINVAL;
	return ds_save_result(ctx, ds_fdt_prop_u64(ctx->w, name, val));
}
EXPORT_SYMBOL_NS_GPL(ds_save_u64, DS_COMPAT_SYMBOL_NS);

int ds_save_string(struct ds_save_ctx *ctx, const char *name, const char *s)
{
	if (!ctx || !ctx->w || !ds_save_name_take(ctx, name) || !s)
		return -EINVAL;
	return ds_save_result(ctx, ds_fdt_prop_string(ctx->w, name, s));
}
EXPORT_SYMBOL_NS_GPL(ds_save_string, DS_COMPAT_SYMBOL_NS);

int ds_save_bytes(struct ds_save_ctx *ctx, const char *name,
		  const void *data, size_t len)
{
	if (!ctx || !ctx->w || !ds_save_name_take(ctx, name) || len > 4096 ||
	    (len && !data))
		return -EINVAL;
	return ds_save_result(ctx, ds_fdt_prop(ctx->w, name, data, len));
}
EXPORT_SYMBOL_NS_GPL(ds_save_bytes, DS_COMPAT_SYMBOL_NS);

/*
 * ds_record_write() calls this inside the driver-state node. The driver's
 * errno is kept aside: the writer speaks DS_ERR_* codes, not errnos.
 */
static int ds_save_state(struct ds_fdt_writer *w, void *arg)
{
	struct ds_save_call *call = arg;
	struct ds_device *dev = call->dev;

	if (!dev->ops.save)
		return 0;
	call->ctx.w = w;
	call->ctx.names = dev->ops.state_names;
	call->ctx.nr_names = dev->nr_state_names;
	call->ret = dev->ops.save(dev->pdev, &call->ctx, dev->priv);
	call->ctx.w = NULL;
	if (call->ret)
		return call->ctx.err == -ENOSPC ? -DS_ERR_NOSPACE : -DS_ERR_INVAL;
	/* A save that ignored a failed ds_save_*() still fails the record. */
	if (call->ctx.err)
		return call->ctx.err == -ENOSPC ? -DS_ERR_NOSPACE : -DS_ERR_INVAL;
	return 0;
}

/**
 * ds_dma_direct_ok() - does the device see CPU physical addresses?
 * @pdev: the device
 *
 * Preserved buffers need bus addresses that both kernels compute the same
 * way; an IOMMU translation domain hands out IOVAs that die with the kernel.
 *
 * Return: true without an IOMMU domain or with an identity one.
 */
bool ds_dma_direct_ok(struct pci_dev *pdev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(&pdev->dev);

	return !dom || dom->type == IOMMU_DOMAIN_IDENTITY;
}

/**
 * ds_dma_bus_addr() - the bus address @pdev uses for a pool address
 * @pdev: the device, one ds_dma_direct_ok() admits
 * @phys: CPU physical address inside the pool
 *
 * The one place devstate turns a physical address into a bus address, and
 * the one user of <linux/dma-direct.h>: phys_to_dma() is the translation
 * dma-direct applies to memory, which the next kernel computes again from
 * the recorded physical address (ds_dma_reclaim() checks it does).
 *
 * Why not the DMA API proper: the pool is a memmap=-reserved range the page
 * allocator never owned, and its bus address must outlive the kernel that
 * made it, while a DMA API mapping is valid only until it is unmapped, in
 * the kernel that mapped it. On the kernels devstate builds for, no mapping
 * call gives the right answer for such memory on all of them:
 *  - dma_map_page()/dma_map_single() need a struct page, which reserved
 *    memory has only when it shares a memory section with RAM, and may
 *    bounce through swiotlb (swiotlb=force, memory encryption, a short
 *    mask): the device would then write a bounce slot, not the pool, and
 *    the next kernel would hand that slot out.
 *  - dma_map_resource() is for MMIO: 6.1 and 6.12 refuse (WARN, then
 *    DMA_MAPPING_ERROR) any address pfn_valid() accepts, as a reserved range
 *    inside a section holding RAM is; and it passes the CPU address through
 *    untranslated (7.x: DMA_ATTR_MMIO), not what dma-direct uses for memory
 *    on a platform with a DMA offset.
 *  - dma_map_phys(), which takes memory without a struct page, exists on
 *    7.x only.
 * Devices behind a translating IOMMU are refused before this is called, so
 * dma-direct's translation is exactly what the device sees. The caller
 * checks the result against the device's DMA mask.
 *
 * Return: the bus address.
 */
dma_addr_t ds_dma_bus_addr(struct pci_dev *pdev, phys_addr_t phys)
{
	return phys_to_dma(&pdev->dev, phys);
}

struct ds_dma_buf *ds_dma_alloc_preserved(struct ds_device *dev,
					  const char *name, size_t size)
{
	struct ds_buf_entry *e, *it;
	unsigned long nr;
	int ret;

	/* PAGE_ALIGN() of a size in the last page of size_t wraps to 0. */
	if (IS_ERR_OR_NULL(dev) || !name || !size || PAGE_ALIGN(size) < size)
		return ERR_PTR(-EINVAL);
	if (!strnlen(name, DS_DMA_NAME_MAX) ||
	    strnlen(name, DS_DMA_NAME_MAX) >= DS_DMA_NAME_MAX)
		return ERR_PTR(-EINVAL);
	size = PAGE_ALIGN(size);
	nr = size >> PAGE_SHIFT;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);

	ds_lock();
	ret = -ENODEV;
	if (!ds_transport()->present())
		goto unlock;
	ret = -EBUSY;
	if (ds_out.frozen)
		goto unlock;
	ret = -ENOSPC;
	if (dev->nr_bufs >= DS_MAX_DMA_REGIONS)
		goto unlock;
	ret = -EEXIST;
	list_for_each_entry(it, &dev->bufs, node)
		if (!strcmp(it->buf.name, name))
			goto unlock;
	ret = -EOPNOTSUPP;
	if (!ds_dma_direct_ok(dev->pdev)) {
		pci_err(dev->pdev, "devstate: device is behind a translating IOMMU; preserved DMA needs direct or identity mapping\n");
		goto unlock;
	}
	ret = ds_transport()->buf_alloc(dma_get_mask(&dev->pdev->dev), nr,
					&e->buf.phys, &e->buf.vaddr);
	if (ret)
		goto unlock;
	e->buf.dma = ds_dma_bus_addr(dev->pdev, e->buf.phys);
	if (e->buf.dma + size - 1 > dma_get_mask(&dev->pdev->dev)) {
		pci_err(dev->pdev, "devstate: pool buffer at %pad is beyond the DMA mask %llx\n",
			&e->buf.dma, dma_get_mask(&dev->pdev->dev));
		ds_transport()->buf_free(e->buf.phys, size);
		ret = -ERANGE;
		goto unlock;
	}
	e->buf.size = size;
	strscpy(e->buf.name, name, sizeof(e->buf.name));
	memset(e->buf.vaddr, 0, size);
	list_add_tail(&e->node, &dev->bufs);
	dev->nr_bufs++;
	ds_unlock();
	return &e->buf;

unlock:
	ds_unlock();
	kfree(e);
	if (ret == -ENOMEM)
		pci_warn(dev->pdev, "devstate: pool has no %lu free pages for '%s'\n",
			 nr, name);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(ds_dma_alloc_preserved, DS_COMPAT_SYMBOL_NS);

void ds_dma_free_preserved(struct ds_device *dev, struct ds_dma_buf *buf)
{
	struct ds_buf_entry *e;

	if (IS_ERR_OR_NULL(dev) || IS_ERR_OR_NULL(buf))
		return;
	ds_lock();
	list_for_each_entry(e, &dev->bufs, node) {
		if (&e->buf == buf) {
			if (ds_out.frozen)
				pci_warn(dev->pdev, "devstate: '%s' freed after freeze; the sealed record still lists it\n",
					 buf->name);
			ds_buf_release(e);
			dev->nr_bufs--;
			break;
		}
	}
	ds_unlock();
}
EXPORT_SYMBOL_NS_GPL(ds_dma_free_preserved, DS_COMPAT_SYMBOL_NS);

/*
 * Scratch space of one freeze: too big for the stack, and with a whole
 * MSI-X table's entries (32 KiB) too big to ask kzalloc() for in one
 * piece when memory is fragmented, so kvzalloc()'ed.
 */
struct ds_freeze_work {
	struct ds_fdt_writer w;
	struct ds_record rec;
	/* the vectors listed past rec's (ds_capture()) */
	struct ds_vector more[DS_MAX_VECTORS - DS_RECORD_VECTORS];
	struct ds_save_call call;
	u64 area;		/* bytes of the blob area, for the log */
	u64 generation;		/* the blob's */
	int fatal;		/* a failure the blob cannot survive */
};

static int ds_freeze_device(struct ds_freeze_work *fw, struct ds_device *dev)
{
	int ret;

	memset(&fw->rec, 0, sizeof(fw->rec));
	memset(&fw->call, 0, sizeof(fw->call));
	ret = ds_capture(dev, &fw->rec, fw->more);
	if (ret)
		return ret;
	fw->call.dev = dev;
	ret = ds_record_write_more(&fw->w, &fw->rec, fw->more,
				   dev->ops.state_compatible, ds_save_state,
				   &fw->call);
	if (fw->call.ret)
		return fw->call.ret;
	return ret ? ds_err_to_errno(ret) : 0;
}

/*
 * One device's record, or none: a failed capture, ->save or record write
 * costs that device alone its keep-alive (the writer is rewound to before
 * its node), never the freeze of the others.
 */
static bool ds_freeze_one(struct ds_freeze_work *fw, struct ds_device *dev)
{
	const char *bad = fw->call.ctx.bad_name;
	struct ds_fdt_mark mark;
	int ret;

	ds_fdt_mark(&fw->w, &mark);
	ret = ds_freeze_device(fw, dev);
	if (!ret)
		return true;
	/* the same words, a refused name or not: the tests match them */
	if (fw->call.ret && bad[0])
		pci_err(dev->pdev, "devstate: freeze: driver %s: save failed (%d); this device will not be kept alive (" DS_NAME_REFUSED ")\n",
			dev_driver_string(&dev->pdev->dev), ret, bad,
			fw->call.ctx.bad_why);
	else if (fw->call.ret)
		pci_err(dev->pdev, "devstate: freeze: driver %s: save failed (%d); this device will not be kept alive\n",
			dev_driver_string(&dev->pdev->dev), ret);
	else
		pci_err(dev->pdev, "devstate: freeze: driver %s: no record (%d%s); this device will not be kept alive\n",
			dev_driver_string(&dev->pdev->dev), ret,
			ret == -ENOSPC ? ", blob area full" : "");
	if (ds_fdt_rewind(&fw->w, &mark))
		fw->fatal = ret;	/* not expected: the writer is past saving */
	return false;
}

/*
 * Where the sealed blob's kept-alive list lies, for the kexec path to fill
 * in without parsing anything (keepalive.c). The writer placed it; reading
 * it back through the validator is the one way that does not depend on
 * where the writer puts things.
 */
static void ds_find_kept_list(u8 *blob, u32 size)
{
	struct ds_fdt f;
	const u8 *p = NULL;
	int len = 0;

	if (!ds_fdt_open(&f, blob, size))
		p = ds_fdt_getprop(&f, 0, DS_PROP_KEPT_ALIVE, &len);
	ds_out.kept_list = p && len >= 4 ? blob + (p - blob) : NULL;
	ds_out.kept_slots = ds_out.kept_list ? (len - 4) / 8 : 0;
}

/* Write every registered device into the region's blob area and seal it. */
static int ds_freeze_write(struct ds_freeze_work *fw, u32 *records)
{
	struct ds_blob_info info = {
		.kernel_release = init_utsname()->release,
		.timestamp_ns = ktime_get_real_ns(),
	};
	struct ds_device *dev;
	u64 max = 0;
	u8 *blob;
	int ret, size;

	/* One kept-alive slot per record, filled in at the jump. */
	list_for_each_entry(dev, &ds_out.devices, node)
		info.kept_alive_slots++;
	ret = ds_transport()->begin_blob(&info, &blob, &max);
	fw->area = max;
	fw->generation = info.generation;
	if (!ret)
		ret = ds_blob_begin(&fw->w, blob, min_t(u64, max, U32_MAX), &info);
	if (ret) {
		pr_err("freeze: cannot start the blob: %s\n", ds_strerror(ret));
		return ds_err_to_errno(ret);
	}
	*records = 0;
	list_for_each_entry(dev, &ds_out.devices, node) {
		dev->recorded = ds_freeze_one(fw, dev);
		if (fw->fatal)
			return fw->fatal;
		*records += dev->recorded;
	}
	size = ds_blob_end(&fw->w);
	if (size < 0) {
		pr_err("freeze: cannot finish the blob: %s\n", ds_strerror(size));
		return ds_err_to_errno(size);
	}
	ret = ds_area_seal_blob(ds_transport()->area, size);
	if (ret) {
		pr_err("freeze: cannot seal the region: %s\n", ds_strerror(ret));
		return ds_err_to_errno(ret);
	}
	ds_out.blob_size = size;
	ds_find_kept_list(blob, size);
	return 0;
}

/* Context: under ds_lock(). */
static int ds_freeze_locked(void)
{
	struct ds_freeze_work *fw;
	u64 t0 = ktime_get_ns();
	u32 records = 0;
	int ret;

	ds_assert_locked();
	if (ds_out.frozen)
		return ds_out.records;
	if (!ds_transport()->present()) {
		pr_err("freeze: no region configured (load with region=SIZE@PHYS)\n");
		return -ENODEV;
	}
	fw = kvzalloc(sizeof(*fw), GFP_KERNEL);
	if (!fw)
		return -ENOMEM;
	ret = ds_freeze_write(fw, &records);
	if (ret) {
		if (ret == -ENOSPC)
			pr_err("freeze: blob area of %llu bytes is full\n",
			       fw->area);
		kvfree(fw);
		ds_area_thaw(ds_transport()->area);
		return ret;
	}
	ds_out.records = records;
	ds_out.freeze_us = ds_us_since(t0);
	WRITE_ONCE(ds_out.frozen, true);
	pr_info("freeze: %u devices, %u bytes, gen %llu, %llu us\n",
		records, ds_out.blob_size, fw->generation, ds_out.freeze_us);
	kvfree(fw);
	return records;
}

/**
 * ds_freeze() - capture every registered device and seal the region
 *
 * Context: process context; takes ds_lock(). Idempotent: a second freeze
 * keeps the first blob. On failure the region is reset to EMPTY and
 * nothing is armed.
 *
 * Return: the number of devices the sealed blob records, or a negative
 * errno.
 */
int ds_freeze(void)
{
	int ret;

	ds_lock();
	ret = ds_freeze_locked();
	ds_unlock();
	return ret;
}

/* Context: under ds_lock(). */
static void ds_thaw_locked(void)
{
	int ret;

	ds_assert_locked();
	if (!ds_out.frozen)
		return;
	ret = ds_area_thaw(ds_transport()->area);
	if (ret)
		pr_warn("thaw: cannot reset the region: %s\n", ds_strerror(ret));
	WRITE_ONCE(ds_out.frozen, false);
	ds_out.blob_size = 0;
	ds_out.records = 0;
	ds_out.kept_list = NULL;
	ds_out.kept_slots = 0;
	pr_info("thaw: region reset; registration open again\n");
}

/**
 * ds_thaw() - undo a freeze: the region goes back to EMPTY
 *
 * Context: process context; takes ds_lock(). Idempotent. Preserved buffers
 * stay allocated and registrations stay.
 */
void ds_thaw(void)
{
	ds_lock();
	ds_thaw_locked();
	ds_unlock();
}

/*
 * Is a blob sealed? Without the lock: a plain read, for ds_keepalive_armed()
 * (interrupt handlers) and the control file's state word.
 */
bool ds_frozen(void)
{
	return READ_ONCE(ds_out.frozen);
}

/**
 * ds_device_frozen() - is @pdev in the sealed blob?
 * @pdev: the device
 *
 * Context: takes ds_lock().
 * Return: true when frozen and @pdev has a record in the sealed blob (the
 * blob records every device registered at the freeze whose capture and
 * ->save succeeded; registration is closed while frozen).
 */
bool ds_device_frozen(struct pci_dev *pdev)
{
	struct ds_device *dev;
	bool found = false;

	ds_lock();
	list_for_each_entry(dev, &ds_out.devices, node) {
		if (dev->pdev == pdev) {
			found = ds_out.frozen && dev->recorded;
			break;
		}
	}
	ds_unlock();
	return found;
}

/**
 * ds_outgoing_blob() - the blob our freeze sealed, in the region
 * @size: out: its bytes, 0 when not frozen
 *
 * Context: under ds_lock(), which keeps it sealed while the caller reads it
 * (or, the test knob, edits it).
 * Return: the blob, or NULL when not frozen.
 */
void *ds_outgoing_blob(u32 *size)
{
	ds_assert_locked();
	*size = ds_out.frozen ? ds_out.blob_size : 0;
	return *size ? ds_area_blob(ds_transport()->area) : NULL;
}

/**
 * ds_mark_kept_alive() - name @pdev in the sealed blob's kept-alive list
 * @pdev: a device whose bus mastering the kexec path just restored
 *
 * Context: the kexec path's last hook, one CPU left, interrupts off: no
 * lock (the blob stays sealed: nothing can thaw it any more). The caller
 * re-seals the CRC once all devices are in.
 * Return: 0, or a negative DS_ERR_* code.
 */
int ds_mark_kept_alive(struct pci_dev *pdev)
{
	if (!ds_out.kept_list)
		return -DS_ERR_NOTFOUND;
	return ds_blob_mark_kept_alive(ds_out.kept_list, ds_out.kept_slots,
				       pci_domain_nr(pdev->bus),
				       pdev->bus->number, pdev->devfn);
}

/* Context: under ds_lock(). */
void ds_outgoing_status(struct ds_status *st)
{
	struct ds_device *dev;
	struct ds_buf_entry *e;

	st->frozen = ds_out.frozen;
	st->records_out = ds_out.records;
	st->freeze_us = ds_out.freeze_us;
	st->pool_buffers = 0;
	list_for_each_entry(dev, &ds_out.devices, node)
		list_for_each_entry(e, &dev->bufs, node)
			st->pool_buffers += e->buf.size >> PAGE_SHIFT;
}
