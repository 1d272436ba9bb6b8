// SPDX-License-Identifier: GPL-2.0
/*
 * devstate_nvme - keep an NVMe controller, its queues and its I/O alive
 * across a kexec
 *
 * This example drives QEMU's NVMe controller (-device nvme, 1b36:0010)
 * with the least an NVMe driver needs: an admin queue pair, one I/O queue
 * pair on its own MSI-X vector, and namespace 1. It is written to show
 * what a driver with queues shared with the device does to survive a
 * keep-alive kexec. Search for "devstate step" to find the steps:
 *
 *   1. Probe asks devstate for a record of this controller (ds_lookup)
 *      and registers it for the next kexec (ds_register).
 *   2. Cold path: reset the controller (CC.EN = 0, wait for CSTS.RDY = 0),
 *      put every queue and data page in the preserved pool, enable it,
 *      identify the controller and namespace 1, create the I/O queues.
 *   3. Adopt path: no reset and no queue creation. Take the queues and
 *      pages back from the pool, check that the disk is the one the record
 *      names (Identify, the one admin command this path issues: it only
 *      reads), take the MSI-X vectors again, and consume the completions
 *      the controller posted while no kernel ran, each once, by phase tag.
 *   4. Save hook: each queue's base, size, tail, head and phase, the
 *      commands in flight, the disk's identity.
 *   5. Shutdown: during a keep-alive kexec leave the controller running,
 *      with its commands in flight, and only silence its interrupts.
 *
 * The queue mechanics (submitting, reaping by phase tag, admin commands)
 * are in devstate_nvme_queue.c. Who submits I/O? Only the VM tests,
 * through debugfs (devstate_nvme_test.c, DS_TESTING=1 builds).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/string.h>

#include <devstate/driver.h>
#include "devstate_nvme.h"

/* The compatible of our private state; bump it when its meaning changes. */
#define NVME_STATE_COMPAT	"devstate-nvme,state-v1"

static const struct {
	const char *name;	/* the name devstate records it under */
	size_t size;
} nvme_buf_spec[NVME_NR_BUFS] = {
	[NVME_BUF_ASQ] = { "admin-sq", PAGE_SIZE },
	[NVME_BUF_ACQ] = { "admin-cq", PAGE_SIZE },
	[NVME_BUF_IOSQ] = { "io-sq", PAGE_SIZE },
	[NVME_BUF_IOCQ] = { "io-cq", PAGE_SIZE },
	[NVME_BUF_IDENT] = { "identify", PAGE_SIZE },
	[NVME_BUF_DATA] = { "data", NVME_NR_SLOTS * NVME_SLOT_BYTES },
};

/*
 * The saved state's layout (devstate step 4): big-endian, fixed size,
 * one property per kind so each is read back with one call.
 */
struct nvme_saved_queue {
	__be64 sq_base, cq_base;	/* bus addresses */
	__be16 qid, depth;
	__be16 sq_tail, sq_head, cq_head;
	u8 phase;
	u8 pad[5];
};
static_assert(sizeof(struct nvme_saved_queue) == 32);

struct nvme_saved_cmd {
	__be16 cid;
	u8 opcode;
	u8 slot;
	__be32 cookie;
	__be64 lba;
};
static_assert(sizeof(struct nvme_saved_cmd) == 16);

/* What the previous kernel left, read into locals before anything is decided. */
struct nvme_saved {
	struct nvme_saved_queue q[NVME_NR_QUEUES];
	u32 nr_cmds;
	struct nvme_saved_cmd cmds[NVME_NR_SLOTS];
	u32 next_cid;
	struct nvme_identity id;
};

/* ---- controller enable and disable --------------------------------------- */

static int nvme_wait_ready(struct nvme_ctrl *c, bool ready)
{
	unsigned int ms;

	for (ms = 0; ms <= c->timeout_ms; ms += 10) {
		u32 csts = readl(c->bar + NVME_REG_CSTS);

		if (csts == ~0u)
			return -ENODEV;	/* the device is gone */
		if (!!(csts & NVME_CSTS_RDY) == ready)
			return 0;
		msleep(10);
	}
	return -ETIMEDOUT;
}

/*
 * CC.EN = 0 is the controller reset: it deletes the I/O queues, drops the
 * commands in flight and stops the controller's DMA into our pages.
 */
static int nvme_disable(struct nvme_ctrl *c)
{
	u32 cc = readl(c->bar + NVME_REG_CC);

	if (cc & NVME_CC_ENABLE)
		writel(cc & ~NVME_CC_ENABLE, c->bar + NVME_REG_CC);
	return nvme_wait_ready(c, false);
}

static int nvme_enable(struct nvme_ctrl *c)
{
	u32 aqa = (NVME_QUEUE_DEPTH - 1) << 16 | (NVME_QUEUE_DEPTH - 1);

	writel(aqa, c->bar + NVME_REG_AQA);
	lo_hi_writeq(c->admin.sq_dma, c->bar + NVME_REG_ASQ);
	lo_hi_writeq(c->admin.cq_dma, c->bar + NVME_REG_ACQ);
	writel(NVME_CC_ENABLE | NVME_CC_CSS_NVM |
	       (PAGE_SHIFT - 12) << NVME_CC_MPS_SHIFT |
	       NVME_CC_IOSQES | NVME_CC_IOCQES, c->bar + NVME_REG_CC);
	return nvme_wait_ready(c, true);
}

/* ---- memory the controller touches --------------------------------------- */

/* Aim the queues, the identify page and the data pages at the buffers. */
static void nvme_attach_bufs(struct nvme_ctrl *c)
{
	struct nvme_buf *b = c->bufs;

	c->admin.sq = b[NVME_BUF_ASQ].vaddr;
	c->admin.sq_dma = b[NVME_BUF_ASQ].dma;
	c->admin.cq = b[NVME_BUF_ACQ].vaddr;
	c->admin.cq_dma = b[NVME_BUF_ACQ].dma;
	c->io.sq = b[NVME_BUF_IOSQ].vaddr;
	c->io.sq_dma = b[NVME_BUF_IOSQ].dma;
	c->io.cq = b[NVME_BUF_IOCQ].vaddr;
	c->io.cq_dma = b[NVME_BUF_IOCQ].dma;
	c->ident = b[NVME_BUF_IDENT].vaddr;
	c->ident_dma = b[NVME_BUF_IDENT].dma;
	c->data = b[NVME_BUF_DATA].vaddr;
	c->data_dma = b[NVME_BUF_DATA].dma;
}

static void nvme_free_bufs(struct nvme_ctrl *c)
{
	struct nvme_buf *b;
	int i;

	for (i = 0; i < NVME_NR_BUFS; i++) {
		b = &c->bufs[i];
		if (b->pbuf)
			ds_dma_free_preserved(c->ds, b->pbuf);
		else if (b->vaddr)
			dma_free_coherent(&c->pdev->dev, nvme_buf_spec[i].size,
					  b->vaddr, b->dma);
		memset(b, 0, sizeof(*b));
	}
}

/* All buffers from the preserved pool; -errno when one cannot be had. */
static int nvme_alloc_preserved(struct nvme_ctrl *c)
{
	struct ds_dma_buf *p;
	int i;

	if (!c->ds)
		return -ENODEV;
	for (i = 0; i < NVME_NR_BUFS; i++) {
		p = ds_dma_alloc_preserved(c->ds, nvme_buf_spec[i].name,
					   nvme_buf_spec[i].size);
		if (IS_ERR(p)) {
			nvme_free_bufs(c);
			return PTR_ERR(p);
		}
		c->bufs[i] = (struct nvme_buf){ p, p->vaddr, p->dma };
	}
	return 0;
}

static int nvme_alloc_coherent(struct nvme_ctrl *c)
{
	struct nvme_buf *b;
	int i;

	for (i = 0; i < NVME_NR_BUFS; i++) {
		b = &c->bufs[i];
		b->vaddr = dma_alloc_coherent(&c->pdev->dev,
					      nvme_buf_spec[i].size, &b->dma,
					      GFP_KERNEL);
		if (!b->vaddr) {
			nvme_free_bufs(c);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * The preserved pool, or else ordinary DMA memory and no keep-alive: a
 * controller that writes memory outside the pool must never be kept alive,
 * since after the jump that memory belongs to the next kernel. Leaving
 * devstate makes its shutdown refuse keep-alive, and ours then resets it.
 */
static int nvme_alloc_bufs(struct nvme_ctrl *c)
{
	int ret = nvme_alloc_preserved(c);

	if (ret && c->ds) {
		pci_info(c->pdev, "no preserved memory (%pe): this controller will not survive kexec\n",
			 ERR_PTR(ret));
		ds_unregister(c->ds);
		c->ds = NULL;
	}
	if (ret)
		ret = nvme_alloc_coherent(c);
	if (!ret)
		nvme_attach_bufs(c);
	return ret;
}

/* ---- identity ------------------------------------------------------------ */

static int nvme_identify(struct nvme_ctrl *c, u8 cns, u32 nsid)
{
	struct nvme_command cmd = { };

	cmd.identify.opcode = nvme_admin_identify;
	cmd.identify.nsid = cpu_to_le32(nsid);
	cmd.identify.dptr.prp1 = cpu_to_le64(c->ident_dma);
	cmd.identify.cns = cns;
	return nvme_admin_sync(c, &cmd);
}

/* Who the controller and namespace 1 say they are, into @id. */
static int nvme_read_identity(struct nvme_ctrl *c, struct nvme_identity *id)
{
	const struct nvme_id_ctrl *ctrl = c->ident;
	const struct nvme_id_ns *ns = c->ident;
	int ret;

	memset(id, 0, sizeof(*id));
	ret = nvme_identify(c, NVME_ID_CNS_CTRL, 0);
	if (ret)
		return ret;
	memcpy(id->serial, ctrl->sn, sizeof(ctrl->sn));
	strim(id->serial);	/* the field is padded with spaces */

	ret = nvme_identify(c, NVME_ID_CNS_NS, NVME_NSID);
	if (ret)
		return ret;
	id->nsze = le64_to_cpu(ns->nsze);
	memcpy(id->eui64, ns->eui64, sizeof(id->eui64));
	memcpy(id->nguid, ns->nguid, sizeof(id->nguid));
	id->lba_shift = ns->lbaf[ns->flbas & 0xf].ds;
	/* A page must hold whole blocks: 512 B to 4 KiB. */
	if (!id->nsze || id->lba_shift < 9 || id->lba_shift > 12)
		return -EINVAL;
	return 0;
}

/* ---- interrupts ------------------------------------------------------------ */

static irqreturn_t nvme_irq(int irq, void *data)
{
	struct nvme_ctrl *c = data;

	spin_lock(&c->lock);
	/*
	 * Frozen: the record already says which commands are in flight, so
	 * their completions stay in the queue for the next kernel.
	 */
	if (!ds_keepalive_armed())
		nvme_io_reap_locked(c);
	spin_unlock(&c->lock);
	return IRQ_HANDLED;
}

/*
 * Two MSI-X vectors, the admin queue's and the I/O queue's. Only the I/O
 * vector gets a handler: admin commands are few and polled, so the admin
 * vector stays masked and no handler competes with the poll.
 */
static int nvme_setup_irq(struct nvme_ctrl *c)
{
	int ret;

	ret = pci_alloc_irq_vectors(c->pdev, NVME_NR_QUEUES, NVME_NR_QUEUES,
				    PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	ret = request_irq(pci_irq_vector(c->pdev, NVME_IO_VECTOR), nvme_irq,
			  0, KBUILD_MODNAME, c);
	if (ret) {
		pci_free_irq_vectors(c->pdev);
		return ret;
	}
	c->irq_requested = true;
	return 0;
}

static void nvme_teardown_irq(struct nvme_ctrl *c)
{
	if (!c->irq_requested)
		return;
	free_irq(pci_irq_vector(c->pdev, NVME_IO_VECTOR), c);
	pci_free_irq_vectors(c->pdev);
	c->irq_requested = false;
}

/* ---- devstate step 2: the cold path ---------------------------------------- */

static int nvme_create_io_queues(struct nvme_ctrl *c)
{
	struct nvme_command cmd = { };
	int ret;

	cmd.create_cq.opcode = nvme_admin_create_cq;
	cmd.create_cq.prp1 = cpu_to_le64(c->io.cq_dma);
	cmd.create_cq.cqid = cpu_to_le16(NVME_IO_QID);
	cmd.create_cq.qsize = cpu_to_le16(NVME_QUEUE_DEPTH - 1);
	cmd.create_cq.cq_flags = cpu_to_le16(NVME_QUEUE_PHYS_CONTIG |
					     NVME_CQ_IRQ_ENABLED);
	cmd.create_cq.irq_vector = cpu_to_le16(NVME_IO_VECTOR);
	ret = nvme_admin_sync(c, &cmd);
	if (ret)
		return ret;

	memset(&cmd, 0, sizeof(cmd));
	cmd.create_sq.opcode = nvme_admin_create_sq;
	cmd.create_sq.prp1 = cpu_to_le64(c->io.sq_dma);
	cmd.create_sq.sqid = cpu_to_le16(NVME_IO_QID);
	cmd.create_sq.qsize = cpu_to_le16(NVME_QUEUE_DEPTH - 1);
	cmd.create_sq.sq_flags = cpu_to_le16(NVME_QUEUE_PHYS_CONTIG);
	cmd.create_sq.cqid = cpu_to_le16(NVME_IO_QID);
	return nvme_admin_sync(c, &cmd);
}

/* Reset the controller and bring it up as if nothing came before us. */
static int nvme_cold_init(struct nvme_ctrl *c)
{
	int ret;

	c->inits++;
	ret = nvme_disable(c);
	if (ret)
		return ret;
	ret = nvme_alloc_bufs(c);
	if (ret)
		return ret;
	nvme_queue_init(c, &c->admin, NVME_ADMIN_QID);
	nvme_queue_init(c, &c->io, NVME_IO_QID);
	memset(c->slots, 0, sizeof(c->slots));
	ret = nvme_enable(c);
	if (!ret)
		ret = nvme_read_identity(c, &c->id);
	if (!ret)
		ret = nvme_setup_irq(c);
	if (!ret)
		ret = nvme_create_io_queues(c);
	if (ret) {
		nvme_disable(c);	/* stop its DMA before the pages go */
		nvme_teardown_irq(c);
		nvme_free_bufs(c);
	}
	return ret;
}

/* ---- devstate step 4: the save hook --------------------------------------- */

static void nvme_save_queue(struct nvme_saved_queue *s,
			    const struct nvme_queue *q)
{
	*s = (struct nvme_saved_queue){
		.sq_base = cpu_to_be64(q->sq_dma),
		.cq_base = cpu_to_be64(q->cq_dma),
		.qid = cpu_to_be16(q->qid),
		.depth = cpu_to_be16(q->depth),
		.sq_tail = cpu_to_be16(q->sq_tail),
		.sq_head = cpu_to_be16(q->sq_head),
		.cq_head = cpu_to_be16(q->cq_head),
		.phase = q->phase,
	};
}

/* The queues and the commands in flight, copied under the lock. */
static void nvme_snapshot(struct nvme_ctrl *c, struct nvme_saved *s)
{
	unsigned int i;

	mutex_lock(&c->admin_lock);	/* no admin command half done */
	spin_lock_irq(&c->lock);
	nvme_save_queue(&s->q[0], &c->admin);
	nvme_save_queue(&s->q[1], &c->io);
	s->nr_cmds = 0;
	for (i = 0; i < NVME_NR_SLOTS; i++) {
		const struct nvme_slot *sl = &c->slots[i];

		if (!sl->busy)
			continue;
		s->cmds[s->nr_cmds++] = (struct nvme_saved_cmd){
			.cid = cpu_to_be16(sl->cid), .opcode = sl->opcode,
			.slot = i, .cookie = cpu_to_be32(sl->cookie),
			.lba = cpu_to_be64(sl->lba),
		};
	}
	s->next_cid = c->next_cid;
	spin_unlock_irq(&c->lock);
	mutex_unlock(&c->admin_lock);
}

static int nvme_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct nvme_ctrl *c = priv;
	struct nvme_saved s;
	int ret;

	s.id = c->id;
	ret = nvme_test_save(c, ctx, &s.id);	/* may alter the identity */
	if (ret)
		return ret;
	nvme_snapshot(c, &s);
	ret = ds_save_bytes(ctx, "queues", s.q, sizeof(s.q)) ?:
	      ds_save_u32(ctx, "nr-commands", s.nr_cmds) ?:
	      ds_save_u32(ctx, "next-cid", s.next_cid) ?:
	      ds_save_string(ctx, "serial", s.id.serial) ?:
	      ds_save_u64(ctx, "nsze", s.id.nsze) ?:
	      ds_save_bytes(ctx, "eui64", s.id.eui64, sizeof(s.id.eui64)) ?:
	      ds_save_bytes(ctx, "nguid", s.id.nguid, sizeof(s.id.nguid)) ?:
	      ds_save_u32(ctx, "lba-shift", s.id.lba_shift);
	if (!ret && s.nr_cmds)
		ret = ds_save_bytes(ctx, "commands", s.cmds,
				    s.nr_cmds * sizeof(s.cmds[0]));
	return ret;
}

/* What nvme_save() may write ("commands": I/O in flight), checked at probe. */
static const char *const nvme_state_names[] = {
	"queues", "nr-commands", "next-cid", "serial", "nsze", "eui64",
	"nguid", "lba-shift", "commands", NULL
};

static const struct ds_driver_ops nvme_ds_ops = {
	.state_compatible = NVME_STATE_COMPAT,
	.save = nvme_save,
	.state_names = nvme_state_names,
};

/* ---- devstate step 3: the adopt path -------------------------------------- */

static int nvme_restore(struct nvme_saved *s, const struct ds_incoming *in)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = ds_restore_bytes(in, "queues", s->q, sizeof(s->q)) ?:
	      ds_restore_u32(in, "nr-commands", &s->nr_cmds) ?:
	      ds_restore_u32(in, "next-cid", &s->next_cid) ?:
	      ds_restore_u64(in, "nsze", &s->id.nsze) ?:
	      ds_restore_bytes(in, "eui64", s->id.eui64, sizeof(s->id.eui64)) ?:
	      ds_restore_bytes(in, "nguid", s->id.nguid, sizeof(s->id.nguid)) ?:
	      ds_restore_u32(in, "lba-shift", &s->id.lba_shift);
	if (ret)
		return ret;
	ret = ds_restore_string(in, "serial", s->id.serial, sizeof(s->id.serial));
	if (ret < 0)
		return ret;
	if (s->nr_cmds > NVME_NR_SLOTS)
		return -EINVAL;
	if (!s->nr_cmds)
		return 0;
	return ds_restore_bytes(in, "commands", s->cmds,
				s->nr_cmds * sizeof(s->cmds[0]));
}

/* Take one saved queue's indices, checking each against the queue's size. */
static int nvme_adopt_queue(struct nvme_ctrl *c, struct nvme_queue *q,
			    const struct nvme_saved_queue *s, u16 qid)
{
	nvme_queue_init(c, q, qid);
	if (be16_to_cpu(s->qid) != qid || be16_to_cpu(s->depth) != q->depth ||
	    be16_to_cpu(s->sq_tail) >= q->depth ||
	    be16_to_cpu(s->sq_head) >= q->depth ||
	    be16_to_cpu(s->cq_head) >= q->depth || s->phase > 1)
		return -EINVAL;
	/* The pool gives a buffer back at its old address, or not at all. */
	if (be64_to_cpu(s->sq_base) != q->sq_dma ||
	    be64_to_cpu(s->cq_base) != q->cq_dma)
		return -EINVAL;
	q->sq_tail = be16_to_cpu(s->sq_tail);
	q->sq_head = be16_to_cpu(s->sq_head);
	q->cq_head = be16_to_cpu(s->cq_head);
	q->phase = s->phase;
	return 0;
}

/* The saved commands become the busy slots; false when they make no sense. */
static bool nvme_adopt_cmds(struct nvme_ctrl *c, const struct nvme_saved *s)
{
	unsigned int i;

	memset(c->slots, 0, sizeof(c->slots));
	for (i = 0; i < s->nr_cmds; i++) {
		const struct nvme_saved_cmd *sc = &s->cmds[i];
		struct nvme_slot *sl;

		if (sc->slot >= NVME_NR_SLOTS || c->slots[sc->slot].busy)
			return false;
		sl = &c->slots[sc->slot];
		*sl = (struct nvme_slot){ .busy = true,
			.cid = be16_to_cpu(sc->cid), .opcode = sc->opcode,
			.lba = be64_to_cpu(sc->lba),
			.cookie = be32_to_cpu(sc->cookie) };
	}
	c->next_cid = s->next_cid;
	return true;
}

/* Does the record show the controller in MSI-X mode with both our vectors? */
static bool nvme_record_has_msix(const struct ds_incoming *in)
{
	const struct ds_record *r = ds_incoming_record(in);

	return r && r->irq[DS_IRQ_CELL_MODE] == DS_IRQ_MSIX &&
	       r->irq[DS_IRQ_CELL_COUNT] >= NVME_NR_QUEUES &&
	       min_t(u32, r->nr_vectors, ARRAY_SIZE(r->vectors)) >= NVME_NR_QUEUES;
}

static int nvme_reclaim_bufs(struct nvme_ctrl *c, struct ds_incoming *in)
{
	struct ds_dma_buf *p;
	int i;

	for (i = 0; i < NVME_NR_BUFS; i++) {
		p = ds_dma_reclaim(c->ds, in, nvme_buf_spec[i].name);
		if (IS_ERR(p))
			return PTR_ERR(p);	/* the decline takes back the rest */
		c->bufs[i] = (struct nvme_buf){ p, p->vaddr, p->dma };
	}
	nvme_attach_bufs(c);
	return 0;
}

/* The controller runs as the old kernel left it, or we cannot adopt it. */
static bool nvme_running(struct nvme_ctrl *c)
{
	u32 csts = readl(c->bar + NVME_REG_CSTS);

	return csts != ~0u && (csts & NVME_CSTS_RDY) &&
	       !(csts & NVME_CSTS_CFS) &&
	       (readl(c->bar + NVME_REG_CC) & NVME_CC_ENABLE);
}

/*
 * Take over a controller the previous kernel left running. Returns NULL,
 * or a short reason when adoption is impossible after all: the caller
 * then resets the controller, declines and goes cold.
 */
static const char *nvme_adopt(struct nvme_ctrl *c, struct ds_incoming *in)
{
	struct nvme_saved s;
	struct nvme_identity live;
	unsigned int before;

	if (!c->ds)
		return "not registered with devstate";
	if (!nvme_running(c))
		return "controller not running";
	if (nvme_restore(&s, in))
		return "private state incomplete";
	if (!nvme_record_has_msix(in))
		return "record has no MSI-X vectors";
	if (nvme_reclaim_bufs(c, in))
		return "queue memory not reclaimable";
	/* The controller's own registers name the admin queues it uses. */
	if (lo_hi_readq(c->bar + NVME_REG_ASQ) != c->admin.sq_dma ||
	    lo_hi_readq(c->bar + NVME_REG_ACQ) != c->admin.cq_dma)
		return "admin queues moved";
	if (nvme_adopt_queue(c, &c->admin, &s.q[0], NVME_ADMIN_QID) ||
	    nvme_adopt_queue(c, &c->io, &s.q[1], NVME_IO_QID))
		return "saved queue state out of range";

	/*
	 * Is it the same disk? Identify reads the controller's and the
	 * namespace's data into our page and changes nothing in the
	 * controller: the one admin command this path issues.
	 */
	if (nvme_read_identity(c, &live))
		return "controller does not answer Identify";
	if (strcmp(live.serial, s.id.serial) || live.nsze != s.id.nsze ||
	    memcmp(live.eui64, s.id.eui64, sizeof(live.eui64)) ||
	    memcmp(live.nguid, s.id.nguid, sizeof(live.nguid)) ||
	    live.lba_shift != s.id.lba_shift)
		return "namespace identity changed";

	/* Decided: the previous kernel's commands become ours. */
	c->id = live;
	spin_lock_irq(&c->lock);
	if (!nvme_adopt_cmds(c, &s)) {
		spin_unlock_irq(&c->lock);
		return "saved commands out of range";
	}
	spin_unlock_irq(&c->lock);

	/*
	 * The new kernel disabled MSI-X during enumeration; allocating the
	 * vectors programs this kernel's messages into the table.
	 */
	if (nvme_setup_irq(c))
		return "cannot re-arm MSI-X";

	/*
	 * Completions posted while no kernel listened sit in the I/O
	 * completion queue from the saved head on, with the saved phase;
	 * their interrupts went nowhere. Consume them now, under the lock
	 * the handler takes too, so each is taken once.
	 */
	spin_lock_irq(&c->lock);
	before = c->duplicates;
	c->gap_consumed = nvme_io_reap_locked(c);
	c->gap_matched = c->gap_consumed - (c->duplicates - before);
	spin_unlock_irq(&c->lock);
	return NULL;
}

/* Adoption failed after the pages were reclaimed: stop the DMA, hand back. */
static void nvme_decline(struct nvme_ctrl *c, struct ds_incoming *in,
			 const char *why)
{
	nvme_disable(c);
	nvme_teardown_irq(c);
	ds_decline(in, why);	/* releases what was reclaimed */
	memset(c->bufs, 0, sizeof(c->bufs));
	memset(c->slots, 0, sizeof(c->slots));
}

/* ---- devstate step 1: probe picks the path --------------------------------- */

static int nvme_map(struct nvme_ctrl *c)
{
	struct pci_dev *pdev = c->pdev;
	u64 cap;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	c->bar = pcim_iomap_table(pdev)[0];
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);	/* already on after a keep-alive kexec */

	cap = lo_hi_readq(c->bar + NVME_REG_CAP);
	if (NVME_CAP_MQES(cap) + 1 < NVME_QUEUE_DEPTH)
		return -ENODEV;
	c->db_stride = 4 << NVME_CAP_STRIDE(cap);
	c->timeout_ms = (NVME_CAP_TIMEOUT(cap) + 1) * 500;
	return 0;
}

static int nvme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	enum ds_reason reason;
	struct nvme_ctrl *c;
	const char *why;
	int ret;

	c = devm_kzalloc(&pdev->dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->pdev = pdev;
	mutex_init(&c->admin_lock);
	spin_lock_init(&c->lock);
	pci_set_drvdata(pdev, c);
	nvme_test_probe_start(c);

	/* devstate step 1: is there a record of this controller to adopt? */
	in = ds_lookup(pdev, NVME_STATE_COMPAT, &reason);

	ret = nvme_map(c);
	if (ret)
		goto err_decline;

	/* ... and ask for it to be kept alive (NULL: devstate not loaded). */
	c->ds = ds_register(pdev, &nvme_ds_ops, c);
	if (IS_ERR(c->ds)) {
		pci_warn(pdev, "devstate: %pe, no keep-alive\n", c->ds);
		c->ds = NULL;
	}

	if (in) {
		why = nvme_adopt(c, in);
		if (!why) {
			c->adopted = true;
			why = ds_reason_str(DS_ADOPT);
			ds_adopted(in);
		} else {
			nvme_decline(c, in, why);
		}
	} else {
		why = ds_reason_str(reason);
	}
	strscpy(c->reason, why, sizeof(c->reason));

	if (c->adopted) {
		pci_info(pdev, "adopted: serial %s, %llu blocks, %u completion(s) from the kexec gap, %u matched\n",
			 c->id.serial, c->id.nsze, c->gap_consumed,
			 c->gap_matched);
	} else {
		pci_info(pdev, "cold: %s\n", c->reason);
		ret = nvme_cold_init(c);
		if (ret)
			goto err_unregister;
	}

	nvme_test_probe_done(c);
	return 0;

err_unregister:
	ds_unregister(c->ds);
	return ret;
err_decline:
	if (in)
		ds_decline(in, "probe failed");
	return ret;
}

static void nvme_remove(struct pci_dev *pdev)
{
	struct nvme_ctrl *c = pci_get_drvdata(pdev);

	nvme_test_remove(c);
	nvme_disable(c);
	nvme_teardown_irq(c);
	nvme_free_bufs(c);
	ds_unregister(c->ds);
}

/* ---- devstate step 5: shutdown ---------------------------------------------- */

static unsigned int nvme_busy_slots(struct nvme_ctrl *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < NVME_NR_SLOTS; i++)
		n += c->slots[i].busy;
	return n;
}

static void nvme_shutdown(struct pci_dev *pdev)
{
	struct nvme_ctrl *c = pci_get_drvdata(pdev);
	unsigned int busy;
	bool posted;

	nvme_test_shutdown(c);
	spin_lock_irq(&c->lock);
	busy = nvme_busy_slots(c);
	posted = c->io.cq && nvme_cq_pending(&c->io);
	spin_unlock_irq(&c->lock);
	/*
	 * Ask first, on every shutdown: devstate may refuse, and then the
	 * controller must stop here like on any reboot.
	 */
	if (ds_shutdown_keepalive(pdev)) {
		pci_info(pdev, "shutdown: keep-alive, %u command(s) in flight, completion %s\n",
			 busy, posted ? "posted" : "not yet posted");
		/*
		 * Leave it running, queues and commands included. Silence its
		 * interrupts for the gap: freeing the vectors masks them and
		 * turns MSI-X off, which makes the controller fall back to
		 * INTx, so turn that off too. A completion then only lands in
		 * the completion queue, where the next kernel looks.
		 */
		nvme_teardown_irq(c);
		pci_intx(pdev, 0);
		return;
	}
	pci_info(pdev, "shutdown: reset, %u command(s) in flight\n", busy);
	nvme_disable(c);
	pci_clear_master(pdev);
}

static const struct pci_device_id nvme_ids[] = {
	{ PCI_DEVICE(0x1b36, 0x0010) },	/* QEMU's NVMe controller */
	{ }
};
MODULE_DEVICE_TABLE(pci, nvme_ids);

static struct pci_driver nvme_driver = {
	.name = KBUILD_MODNAME,
	.id_table = nvme_ids,
	.probe = nvme_probe,
	.remove = nvme_remove,
	.shutdown = nvme_shutdown,
};
module_pci_driver(nvme_driver);

MODULE_DESCRIPTION("QEMU NVMe controller kept alive across kexec with devstate (example)");
MODULE_LICENSE("GPL");
/* devstate.ko before this driver when udev loads it (see devstate_edu) */
MODULE_SOFTDEP("pre: devstate");
