// SPDX-License-Identifier: GPL-2.0
/*
 * Queue mechanics of the NVMe example: the part of an NVMe driver that is
 * the same whether the queues were just created (cold path) or found
 * running after a kexec (adopt path). devstate_nvme_main.c explains the
 * two paths; this file only moves entries through the queues.
 *
 * A queue pair is two rings in host memory that the driver and the
 * controller share. The driver writes 64-byte commands at the submission
 * tail and rings the tail doorbell; the controller writes 16-byte
 * completions at its own completion tail and flips the phase tag bit each
 * time it wraps, so an entry is new exactly when its phase tag equals the
 * one the driver expects at its completion head. Nothing else says how far
 * the controller got, which is what lets the next kernel consume the
 * completions posted while no kernel ran: the saved head and phase say
 * where the new entries start.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/string.h>

#include "devstate_nvme.h"

/* How long an admin command may take; QEMU answers at once. */
#define NVME_ADMIN_TIMEOUT_MS	5000

/* Point @q at its doorbells and start it empty, as a new queue is. */
void nvme_queue_init(struct nvme_ctrl *c, struct nvme_queue *q, u16 qid)
{
	void __iomem *db = c->bar + NVME_REG_DBS;

	q->qid = qid;
	q->depth = NVME_QUEUE_DEPTH;
	q->sq_db = db + (2 * qid) * c->db_stride;
	q->cq_db = db + (2 * qid + 1) * c->db_stride;
	q->sq_tail = 0;
	q->sq_head = 0;
	q->cq_head = 0;
	q->phase = 1;	/* a fresh queue is zeroed: phase 0 means "old" */
}

/* Has the controller posted an entry at our completion head? */
bool nvme_cq_pending(const struct nvme_queue *q)
{
	u16 status = le16_to_cpu(READ_ONCE(q->cq[q->cq_head].status));

	return (status & 1) == q->phase;
}

/*
 * Take the entry at the completion head, if new, into @cqe. The caller
 * rings the head doorbell once it has taken what it wants.
 */
static bool nvme_cq_next(struct nvme_queue *q, struct nvme_completion *cqe)
{
	if (!nvme_cq_pending(q))
		return false;
	dma_rmb();	/* the phase tag first, then the rest of the entry */
	*cqe = q->cq[q->cq_head];
	q->sq_head = le16_to_cpu(cqe->sq_head);
	if (++q->cq_head == q->depth) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	return true;
}

static void nvme_cq_ring(struct nvme_queue *q)
{
	writel(q->cq_head, q->cq_db);
}

/* Copy @cmd to the submission tail and ring the doorbell. */
static int nvme_sq_push(struct nvme_queue *q, const struct nvme_command *cmd)
{
	u16 next = (q->sq_tail + 1) % q->depth;

	if (next == q->sq_head)
		return -EBUSY;	/* full: the controller has not caught up */
	memcpy(&q->sq[q->sq_tail], cmd, sizeof(*cmd));
	q->sq_tail = next;
	/* writel() orders the entry's write before the doorbell's. */
	writel(q->sq_tail, q->sq_db);
	return 0;
}

/*
 * Run one admin command and wait for its completion by polling: the admin
 * queue's vector is never requested (see devstate_nvme_main.c), so no
 * interrupt handler competes for its entries.
 *
 * Return: 0, -ETIMEDOUT, -EIO when the controller reports an error, or
 * -EBUSY when the queue is full.
 */
int nvme_admin_sync(struct nvme_ctrl *c, struct nvme_command *cmd)
{
	struct nvme_queue *q = &c->admin;
	struct nvme_completion cqe;
	unsigned int waited;
	int ret;

	mutex_lock(&c->admin_lock);
	cmd->common.command_id = c->admin_cid++;
	c->admin_cmds++;
	if (cmd->common.opcode != nvme_admin_identify)
		c->admin_unsafe++;
	ret = nvme_sq_push(q, cmd);
	for (waited = 0; !ret && !nvme_cq_pending(q); waited++) {
		if (waited >= NVME_ADMIN_TIMEOUT_MS * 10) {
			ret = -ETIMEDOUT;
			break;
		}
		usleep_range(100, 200);
	}
	if (!ret) {
		nvme_cq_next(q, &cqe);
		nvme_cq_ring(q);
		if (cqe.command_id != cmd->common.command_id ||
		    le16_to_cpu(cqe.status) >> 1)
			ret = -EIO;
	}
	mutex_unlock(&c->admin_lock);
	return ret;
}

/*
 * Submit a read or write of one slot's page at @lba on the I/O queue.
 * Command identifiers come from one counter that the save hook carries to
 * the next kernel, so no identifier is used twice across a kexec: a
 * completion always names one command. Caller holds c->lock.
 */
int nvme_io_submit_locked(struct nvme_ctrl *c, unsigned int slot, u8 opcode,
			  u64 lba, u32 cookie)
{
	struct nvme_slot *s = &c->slots[slot];
	struct nvme_command cmd = { };
	int ret;

	lockdep_assert_held(&c->lock);
	if (s->busy)
		return -EBUSY;
	cmd.rw.opcode = opcode;
	cmd.rw.command_id = c->next_cid;
	cmd.rw.nsid = cpu_to_le32(NVME_NSID);
	cmd.rw.dptr.prp1 = cpu_to_le64(c->data_dma + slot * NVME_SLOT_BYTES);
	cmd.rw.slba = cpu_to_le64(lba);
	/* Number of blocks, 0-based. */
	cmd.rw.length = cpu_to_le16((NVME_SLOT_BYTES >> c->id.lba_shift) - 1);
	ret = nvme_sq_push(&c->io, &cmd);
	if (ret)
		return ret;
	*s = (struct nvme_slot){ .busy = true, .cid = c->next_cid++,
				 .opcode = opcode, .lba = lba, .cookie = cookie };
	return 0;
}

/* The busy slot whose command @cid names, or -1. */
static int nvme_slot_of(struct nvme_ctrl *c, u16 cid)
{
	unsigned int i;

	for (i = 0; i < NVME_NR_SLOTS; i++)
		if (c->slots[i].busy && c->slots[i].cid == cid)
			return i;
	return -1;
}

/*
 * Consume every new entry of the I/O completion queue, each once: the
 * head moves past it before the lock is dropped, whoever comes first (the
 * interrupt handler, the adopt path or a poll). A completion that names
 * no busy command is counted as a duplicate and dropped.
 * Caller holds c->lock. Returns the number of entries consumed.
 */
unsigned int nvme_io_reap_locked(struct nvme_ctrl *c)
{
	struct nvme_completion cqe;
	unsigned int n = 0;
	int slot;

	lockdep_assert_held(&c->lock);
	while (nvme_cq_next(&c->io, &cqe)) {
		n++;
		slot = nvme_slot_of(c, cqe.command_id);
		if (slot < 0) {
			c->duplicates++;
			continue;
		}
		c->slots[slot].status = le16_to_cpu(cqe.status) >> 1;
		c->slots[slot].busy = false;
		c->completions++;
		nvme_test_completed(c, slot);
	}
	if (n)
		nvme_cq_ring(&c->io);
	return n;
}
