// SPDX-License-Identifier: GPL-2.0
/*
 * devstate_e1000 - a NIC that keeps receiving through a kexec
 *
 * This example drives QEMU's e1000 (-device e1000: Intel 82540EM, ID
 * 8086:100e, legacy INTx) just far enough to run an echo service: every
 * request frame that arrives (devstate_e1000_proto.h) is answered with a
 * reply carrying the same sequence number and payload. A load generator
 * outside the guest sends requests at a steady rate and counts what comes
 * back, so what a kernel update costs the service is measured where its
 * users sit. Search for "devstate step" to find what devstate adds:
 *
 *   1. Probe asks devstate for a record of this device (ds_lookup) and
 *      registers it for the next kexec (ds_register).
 *   2. Cold path: reset the device, give it a receive ring of descriptors
 *      and packet buffers and a transmit ring, all from the preserved pool
 *      (ds_dma_alloc_preserved), and post every receive descriptor.
 *   3. Save hook: at freeze, the ring positions and the service's
 *      counters. From then on the driver takes no frame from the ring: the
 *      ring belongs to the record and to the next kernel.
 *   4. Shutdown: during a keep-alive kexec, leave the receiver enabled with
 *      its free descriptors posted and mask the interrupt; the device goes
 *      on receiving into the pool through the whole kexec. Otherwise stop
 *      the receiver and transmitter as on any reboot.
 *   5. Adopt: no reset, and no write to any register that would disturb
 *      reception. Take back the rings and buffers (ds_dma_reclaim), check
 *      the device's ring registers agree with the record, then take every
 *      frame the device wrote during the gap - descriptors with their
 *      "done" bit, from the saved position on - each once and in order,
 *      answer them, hand the descriptors back, and re-arm INTx.
 *
 * The adoption rule for a NIC: while the old kernel is going away and the
 * new one boots, the device is a DMA engine nobody supervises. It can only
 * be kept alive if every descriptor it may still use points into the
 * preserved pool, and if the next kernel can tell, from the record and the
 * device's own head and tail registers, which descriptors hold frames it
 * has not yet seen. A descriptor handed to the device that points to
 * ordinary memory would let it write into the next kernel's pages.
 *
 * The ring is large (16384 descriptors of 256 bytes: 4 MiB of buffers) so
 * that a whole kexec at the test rate fits; a frame that arrives when no
 * descriptor is free waits in QEMU's socket, or is dropped there, or is
 * counted by the device as missed (MPC). The rx_descs parameter makes the
 * ring small, to see it overflow.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/string.h>

#include <devstate/driver.h>
#include "devstate_e1000.h"
#include "devstate_e1000_proto.h"

/* The compatible of our private state; bump it when its meaning changes. */
#define E1K_STATE_COMPAT	"devstate-e1000,state-v1"

/* RDLEN holds up to 1 MiB of descriptors; a power of two keeps it simple. */
#define E1K_RX_DESCS_MIN	8
#define E1K_RX_DESCS_MAX	65536

static unsigned int rx_descs = 16384;
module_param(rx_descs, uint, 0444);
MODULE_PARM_DESC(rx_descs, "receive descriptors at a cold start (8..65536, power of two)");

/* ---- the echo service ---------------------------------------------------- */

/*
 * Queue the reply to request @req on the transmit ring. QEMU's e1000
 * sends on the tail write itself, so the ring is normally empty again at
 * once; a full ring drops the reply and counts it. Caller holds e->lock.
 */
static void e1k_reply_locked(struct e1k *e, const u8 *req)
{
	struct e1k_tx_desc *ring = e->tx_ring.vaddr;
	u32 i = e->tx_next, next = (i + 1) % E1K_TX_DESCS;
	u8 *f = (u8 *)e->tx_bufs.vaddr + i * E1K_TX_BUF;

	if (next == readl(e->bar + E1K_TDH)) {
		e->st.tx_full++;
		return;
	}
	memcpy(f, req + 6, 6);			/* to: the requester */
	memcpy(f + 6, e->mac, 6);		/* from: us */
	memcpy(f + 12, req + 12, E1K_ECHO_LEN - 12);
	f[E1K_ECHO_OFF_FLAGS] |= E1K_ECHO_REPLY;

	ring[i].addr = cpu_to_le64(e->tx_bufs.dma + i * E1K_TX_BUF);
	ring[i].length = cpu_to_le16(E1K_ECHO_LEN);
	ring[i].cmd = E1K_TXD_EOP | E1K_TXD_IFCS | E1K_TXD_RS;
	ring[i].status = 0;
	e->tx_next = next;
	wmb();			/* descriptor before the tail that hands it over */
	writel(next, e->bar + E1K_TDT);
	e->st.replies++;
}

/* One received frame: count it, answer it if it is a request. */
static void e1k_handle_frame_locked(struct e1k *e, const u8 *f,
				    unsigned int len)
{
	u32 seq;

	e->st.rx_frames++;
	if (!e1k_echo_intact(f, len, 0)) {
		e->st.bad++;
		return;
	}
	if (!(f[E1K_ECHO_OFF_FLAGS] & E1K_ECHO_PROBE)) {
		seq = e1k_echo_get32(f + E1K_ECHO_OFF_SEQ);
		if (seq <= e->st.last_seq)
			e->st.disorder++;
		else
			e->st.last_seq = seq;
	}
	e1k_reply_locked(e, f);
}

/*
 * Take every frame the device has written, from e->rx_next on, in ring
 * order: a descriptor whose "done" bit is set holds one. Each is handled,
 * its bit cleared, and handed back by moving the tail to it, which always
 * trails e->rx_next by one: the device may fill every descriptor but the
 * one the tail points at. Returns the number of frames taken.
 * Caller holds e->lock.
 */
static u32 e1k_rx_drain_locked(struct e1k *e)
{
	struct e1k_rx_desc *ring = e->rx_ring.vaddr;
	u32 n = 0, i = e->rx_next;

	while (!e->frozen && (READ_ONCE(ring[i].status) & E1K_RXD_DD)) {
		dma_rmb();	/* the "done" bit before what it covers */
		if (ring[i].status & E1K_RXD_EOP)
			e1k_handle_frame_locked(e, (u8 *)e->rx_bufs.vaddr +
						i * E1K_RX_BUF,
						le16_to_cpu(ring[i].length));
		else
			e->st.bad++;	/* our frames fit one buffer */
		ring[i].status = 0;
		i = (i + 1) % e->rx_descs;
		n++;
		if (!(n % 64) || !(READ_ONCE(ring[i].status) & E1K_RXD_DD)) {
			wmb();	/* cleared descriptors before their handover */
			writel((i + e->rx_descs - 1) % e->rx_descs,
			       e->bar + E1K_RDT);
		}
		e->rx_next = i;
	}
	return n;
}

void e1k_poll(struct e1k *e)
{
	mutex_lock(&e->lock);
	e1k_rx_drain_locked(e);
	mutex_unlock(&e->lock);
}

/* ---- the interrupt: INTx, shared, level-triggered ------------------------ */

/*
 * Reading ICR acknowledges the causes and lowers the line; the ring is
 * then drained in the interrupt thread, in process context, under the
 * mutex the adopt path takes too.
 */
static irqreturn_t e1k_hardirq(int irq, void *data)
{
	struct e1k *e = data;

	if (!readl(e->bar + E1K_ICR))
		return IRQ_NONE;	/* the line's other device */
	return IRQ_WAKE_THREAD;
}

static irqreturn_t e1k_thread(int irq, void *data)
{
	e1k_poll(data);
	return IRQ_HANDLED;
}

static int e1k_setup_irq(struct e1k *e)
{
	/* pci_intx() is a no-op when INTx is not disabled already. */
	pci_intx(e->pdev, 1);
	return request_threaded_irq(e->pdev->irq, e1k_hardirq, e1k_thread,
				    IRQF_SHARED, KBUILD_MODNAME, e);
}

static void e1k_irq_enable(struct e1k *e)
{
	writel(E1K_INT_RXT0 | E1K_INT_RXO | E1K_INT_RXDMT0, e->bar + E1K_IMS);
}

static void e1k_irq_mask(struct e1k *e)
{
	writel(~0u, e->bar + E1K_IMC);
}

/* ---- devstate step 3: the save hook -------------------------------------- */

/*
 * At freeze: the positions and counters, taken under the lock that the
 * ring's consumer holds, and from then on the consumer takes nothing: the
 * next kernel starts where this record says. (A freeze undone by "thaw"
 * leaves the service stopped until the driver is loaded again.)
 */
static int e1k_save(struct pci_dev *pdev, struct ds_save_ctx *ctx, void *priv)
{
	struct e1k *e = priv;
	struct e1k_stats st;
	u32 rx_next, tx_next;

	mutex_lock(&e->lock);
	e->frozen = true;
	st = e->st;
	rx_next = e->rx_next;
	tx_next = e->tx_next;
	mutex_unlock(&e->lock);
	e1k_test_save(e, &rx_next);

	return ds_save_u32(ctx, "rx-descs", e->rx_descs) ?:
	       ds_save_u32(ctx, "rx-next", rx_next) ?:
	       ds_save_u32(ctx, "tx-descs", E1K_TX_DESCS) ?:
	       ds_save_u32(ctx, "tx-next", tx_next) ?:
	       ds_save_u32(ctx, "last-seq", st.last_seq) ?:
	       ds_save_u64(ctx, "rx-frames", st.rx_frames) ?:
	       ds_save_u64(ctx, "replies", st.replies) ?:
	       ds_save_u64(ctx, "bad", st.bad) ?:
	       ds_save_u64(ctx, "disorder", st.disorder) ?:
	       ds_save_u64(ctx, "tx-full", st.tx_full);
}

/*
 * What e1k_save() writes, checked by ds_register() at probe: this save hook
 * stops the ring's consumer, so devstate cannot try it out at probe to find
 * a bad name; the list lets it check them without calling it.
 */
static const char *const e1k_state_names[] = {
	"rx-descs", "rx-next", "tx-descs", "tx-next", "last-seq",
	"rx-frames", "replies", "bad", "disorder", "tx-full", NULL
};

static const struct ds_driver_ops e1k_ds_ops = {
	.state_compatible = E1K_STATE_COMPAT,
	.save = e1k_save,
	.state_names = e1k_state_names,
};

/* ---- DMA memory: preserved when devstate has a pool, else plain ---------- */

static int e1k_dma_alloc(struct e1k *e, struct e1k_dma *d, const char *name,
			 size_t size)
{
	d->size = size;
	d->pbuf = NULL;
	if (e->ds) {
		d->pbuf = ds_dma_alloc_preserved(e->ds, name, size);
		if (!IS_ERR(d->pbuf)) {
			d->vaddr = d->pbuf->vaddr;
			d->dma = d->pbuf->dma;
			return 0;
		}
		pci_info(e->pdev, "no preserved buffer %s (%pe): this device will not survive kexec\n",
			 name, d->pbuf);
		d->pbuf = NULL;
		/*
		 * The device is about to write memory outside the pool, which
		 * the next kernel owns: leaving devstate makes its shutdown
		 * quiesce it instead of keeping it alive.
		 */
		ds_unregister(e->ds);
		e->ds = NULL;
	}
	d->vaddr = dma_alloc_coherent(&e->pdev->dev, size, &d->dma, GFP_KERNEL);
	return d->vaddr ? 0 : -ENOMEM;
}

static void e1k_dma_free(struct e1k *e, struct e1k_dma *d)
{
	if (d->pbuf)
		ds_dma_free_preserved(e->ds, d->pbuf);
	else if (d->vaddr)
		dma_free_coherent(&e->pdev->dev, d->size, d->vaddr, d->dma);
	memset(d, 0, sizeof(*d));
}

static void e1k_free_rings(struct e1k *e)
{
	e1k_dma_free(e, &e->tx_bufs);
	e1k_dma_free(e, &e->tx_ring);
	e1k_dma_free(e, &e->rx_bufs);
	e1k_dma_free(e, &e->rx_ring);
}

/* ---- devstate step 2: the cold path --------------------------------------- */

/* Reset: the device stops all DMA and forgets its rings and interrupts. */
static void e1k_reset(struct e1k *e)
{
	int i;

	e1k_irq_mask(e);
	writel(0, e->bar + E1K_RCTL);
	writel(0, e->bar + E1K_TCTL);
	writel(readl(e->bar + E1K_CTRL) | E1K_CTRL_RST, e->bar + E1K_CTRL);
	for (i = 0; i < 100 && (readl(e->bar + E1K_CTRL) & E1K_CTRL_RST); i++)
		usleep_range(100, 200);
	e1k_irq_mask(e);
	readl(e->bar + E1K_ICR);
}

static int e1k_alloc_rings(struct e1k *e)
{
	return e1k_dma_alloc(e, &e->rx_ring, "rx-ring",
			     e->rx_descs * sizeof(struct e1k_rx_desc)) ?:
	       e1k_dma_alloc(e, &e->rx_bufs, "rx-bufs",
			     (size_t)e->rx_descs * E1K_RX_BUF) ?:
	       e1k_dma_alloc(e, &e->tx_ring, "tx-ring",
			     E1K_TX_DESCS * sizeof(struct e1k_tx_desc)) ?:
	       e1k_dma_alloc(e, &e->tx_bufs, "tx-bufs",
			     E1K_TX_DESCS * E1K_TX_BUF);
}

/* Every receive descriptor gets its buffer; all but one go to the device. */
static void e1k_start_rx(struct e1k *e)
{
	struct e1k_rx_desc *ring = e->rx_ring.vaddr;
	u32 i;

	for (i = 0; i < e->rx_descs; i++) {
		memset(&ring[i], 0, sizeof(ring[i]));
		ring[i].addr = cpu_to_le64(e->rx_bufs.dma + (u64)i * E1K_RX_BUF);
	}
	e->rx_next = 0;
	writel(lower_32_bits(e->rx_ring.dma), e->bar + E1K_RDBAL);
	writel(upper_32_bits(e->rx_ring.dma), e->bar + E1K_RDBAH);
	writel(e->rx_descs * sizeof(*ring), e->bar + E1K_RDLEN);
	writel(0, e->bar + E1K_RDH);
	writel(0, e->bar + E1K_RDTR);
	wmb();
	writel(e->rx_descs - 1, e->bar + E1K_RDT);
	writel(E1K_RCTL_EN | E1K_RCTL_BAM | E1K_RCTL_SZ_256 | E1K_RCTL_SECRC,
	       e->bar + E1K_RCTL);
}

static void e1k_start_tx(struct e1k *e)
{
	memset(e->tx_ring.vaddr, 0, e->tx_ring.size);
	e->tx_next = 0;
	writel(lower_32_bits(e->tx_ring.dma), e->bar + E1K_TDBAL);
	writel(upper_32_bits(e->tx_ring.dma), e->bar + E1K_TDBAH);
	writel(E1K_TX_DESCS * sizeof(struct e1k_tx_desc), e->bar + E1K_TDLEN);
	writel(0, e->bar + E1K_TDH);
	writel(0, e->bar + E1K_TDT);
	writel(E1K_TIPG_DEFAULT, e->bar + E1K_TIPG);
	writel(E1K_TCTL_EN | E1K_TCTL_PSP | E1K_TCTL_CT | E1K_TCTL_COLD,
	       e->bar + E1K_TCTL);
}

static int e1k_cold_init(struct e1k *e)
{
	int i, ret;

	e->inits++;
	e1k_reset(e);
	writel(E1K_CTRL_SLU, e->bar + E1K_CTRL);
	for (i = 0; i < 128; i++)
		writel(0, e->bar + E1K_MTA + 4 * i);

	e->rx_descs = rx_descs;
	if (!is_power_of_2(e->rx_descs) || e->rx_descs < E1K_RX_DESCS_MIN ||
	    e->rx_descs > E1K_RX_DESCS_MAX)
		return -EINVAL;
	ret = e1k_alloc_rings(e);
	if (ret)
		goto err_free;
	e1k_start_tx(e);
	e1k_start_rx(e);
	pci_set_master(e->pdev);
	ret = e1k_setup_irq(e);
	if (ret)
		goto err_reset;
	e1k_irq_enable(e);
	return 0;

err_reset:
	e1k_reset(e);
err_free:
	e1k_free_rings(e);
	return ret;
}

/* ---- devstate step 5: the adopt path -------------------------------------- */

/* The previous kernel's positions and counters, as the record has them. */
struct e1k_saved {
	u32 rx_descs, rx_next, tx_descs, tx_next;
	struct e1k_stats st;
};

static int e1k_restore(struct e1k_saved *s, const struct ds_incoming *in)
{
	return ds_restore_u32(in, "rx-descs", &s->rx_descs) ?:
	       ds_restore_u32(in, "rx-next", &s->rx_next) ?:
	       ds_restore_u32(in, "tx-descs", &s->tx_descs) ?:
	       ds_restore_u32(in, "tx-next", &s->tx_next) ?:
	       ds_restore_u32(in, "last-seq", &s->st.last_seq) ?:
	       ds_restore_u64(in, "rx-frames", &s->st.rx_frames) ?:
	       ds_restore_u64(in, "replies", &s->st.replies) ?:
	       ds_restore_u64(in, "bad", &s->st.bad) ?:
	       ds_restore_u64(in, "disorder", &s->st.disorder) ?:
	       ds_restore_u64(in, "tx-full", &s->st.tx_full);
}

static int e1k_reclaim(struct e1k *e, struct ds_incoming *in,
		       struct e1k_dma *d, const char *name, size_t size)
{
	struct ds_dma_buf *b = ds_dma_reclaim(e->ds, in, name);

	if (IS_ERR(b))
		return PTR_ERR(b);
	if (b->size < size)
		return -EINVAL;
	d->pbuf = b;
	d->vaddr = b->vaddr;
	d->dma = b->dma;
	d->size = size;
	return 0;
}

static bool e1k_reg_is(struct e1k *e, unsigned int reg, u32 want)
{
	return readl(e->bar + reg) == want;
}

/*
 * Does the device run the rings the record describes? Reads only. The
 * tail trails the next descriptor to look at by one (e1k_rx_drain_locked),
 * the transmit tail is where the next reply goes.
 */
static const char *e1k_check_device(struct e1k *e, const struct e1k_saved *s)
{
	if (!(readl(e->bar + E1K_RCTL) & E1K_RCTL_EN))
		return "receiver not enabled";
	if (!e1k_reg_is(e, E1K_RDBAL, lower_32_bits(e->rx_ring.dma)) ||
	    !e1k_reg_is(e, E1K_RDBAH, upper_32_bits(e->rx_ring.dma)) ||
	    !e1k_reg_is(e, E1K_RDLEN, s->rx_descs * sizeof(struct e1k_rx_desc)) ||
	    readl(e->bar + E1K_RDH) >= s->rx_descs ||
	    !e1k_reg_is(e, E1K_RDT, (s->rx_next + s->rx_descs - 1) % s->rx_descs))
		return "receive ring registers differ from the record";
	if (!e1k_reg_is(e, E1K_TDBAL, lower_32_bits(e->tx_ring.dma)) ||
	    !e1k_reg_is(e, E1K_TDBAH, upper_32_bits(e->tx_ring.dma)) ||
	    !e1k_reg_is(e, E1K_TDLEN, E1K_TX_DESCS * sizeof(struct e1k_tx_desc)) ||
	    !e1k_reg_is(e, E1K_TDT, s->tx_next))
		return "transmit ring registers differ from the record";
	return NULL;
}

/*
 * Take over a NIC the previous kernel left receiving. Returns NULL, or a
 * short reason when adoption is impossible after all: the caller then
 * resets the device, so that it writes nothing more into the buffers
 * ds_decline() gives back, and goes cold.
 */
static const char *e1k_adopt(struct e1k *e, struct ds_incoming *in)
{
	struct e1k_saved s = { 0 };
	size_t rx_ring_size;
	const char *why;

	if (!e->ds)
		return "not registered with devstate";
	if (e1k_restore(&s, in))
		return "private state incomplete";
	if (!is_power_of_2(s.rx_descs) || s.rx_descs < E1K_RX_DESCS_MIN ||
	    s.rx_descs > E1K_RX_DESCS_MAX || s.rx_next >= s.rx_descs ||
	    s.tx_descs != E1K_TX_DESCS || s.tx_next >= E1K_TX_DESCS)
		return "saved ring positions out of range";
	rx_ring_size = s.rx_descs * sizeof(struct e1k_rx_desc);
	/* On a decline, devstate takes back what was reclaimed here. */
	if (e1k_reclaim(e, in, &e->rx_ring, "rx-ring", rx_ring_size) ||
	    e1k_reclaim(e, in, &e->rx_bufs, "rx-bufs",
			(size_t)s.rx_descs * E1K_RX_BUF) ||
	    e1k_reclaim(e, in, &e->tx_ring, "tx-ring",
			E1K_TX_DESCS * sizeof(struct e1k_tx_desc)) ||
	    e1k_reclaim(e, in, &e->tx_bufs, "tx-bufs",
			E1K_TX_DESCS * E1K_TX_BUF)) {
		why = "rings not reclaimable";
		goto forget;
	}
	why = e1k_check_device(e, &s);
	if (why)
		goto forget;

	/* Decided: the record's positions and counters become ours. */
	mutex_lock(&e->lock);
	e->rx_descs = s.rx_descs;
	e->rx_next = s.rx_next;
	e->tx_next = s.tx_next;
	e->st = s.st;
	e1k_test_restore(e);
	/*
	 * The frames of the gap: the device wrote them while no kernel
	 * listened, and their interrupt went nowhere. Take them now, each
	 * once, in ring order, under the lock the interrupt thread takes too.
	 */
	e->gap_frames = e1k_rx_drain_locked(e);
	/*
	 * What the device could not take for want of a free descriptor. The
	 * manual's statistics clear on read; QEMU's e1000 (7.2) keeps MPC
	 * counting from its last reset, so read it once, here.
	 */
	e->gap_missed = readl(e->bar + E1K_MPC);
	mutex_unlock(&e->lock);

	/*
	 * Re-arm INTx. A frame that came after the drain has latched its
	 * cause in ICR, so unmasking raises the interrupt that takes it.
	 */
	if (e1k_setup_irq(e)) {
		why = "cannot re-arm INTx";
		memset(&e->st, 0, sizeof(e->st));
		goto forget;
	}
	e1k_irq_enable(e);
	return NULL;

forget:
	/* ds_decline() frees the reclaimed buffers: drop our pointers. */
	memset(&e->rx_ring, 0, sizeof(e->rx_ring));
	memset(&e->rx_bufs, 0, sizeof(e->rx_bufs));
	memset(&e->tx_ring, 0, sizeof(e->tx_ring));
	memset(&e->tx_bufs, 0, sizeof(e->tx_bufs));
	return why;
}

/* ---- devstate step 1: probe picks the path --------------------------------- */

static void e1k_read_mac(struct e1k *e)
{
	u32 lo = readl(e->bar + E1K_RAL0), hi = readl(e->bar + E1K_RAH0);

	e->mac[0] = lo;
	e->mac[1] = lo >> 8;
	e->mac[2] = lo >> 16;
	e->mac[3] = lo >> 24;
	e->mac[4] = hi;
	e->mac[5] = hi >> 8;
}

static int e1k_map(struct e1k *e)
{
	struct pci_dev *pdev = e->pdev;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	e->bar = pcim_iomap_table(pdev)[0];
	/* The region sits below 4 GiB; 32 bits is what every buffer needs. */
	return dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
}

static int e1k_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	enum ds_reason reason;
	const char *why;
	struct e1k *e;
	int ret;

	e = devm_kzalloc(&pdev->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->pdev = pdev;
	mutex_init(&e->lock);
	pci_set_drvdata(pdev, e);

	/* devstate step 1: is there a record of this device to adopt? */
	in = ds_lookup(pdev, E1K_STATE_COMPAT, &reason);

	ret = e1k_map(e);
	if (ret) {
		if (in)
			ds_decline(in, "probe failed");
		return ret;
	}
	e1k_read_mac(e);

	/* ... and ask for it to be kept alive (NULL: devstate not loaded). */
	e->ds = ds_register(pdev, &e1k_ds_ops, e);
	if (IS_ERR(e->ds)) {
		pci_warn(pdev, "devstate: %pe, no keep-alive\n", e->ds);
		e->ds = NULL;
	}

	if (in) {
		why = e1k_adopt(e, in);
		if (!why) {
			e->adopted = true;
			why = ds_reason_str(DS_ADOPT);
			ds_adopted(in);
		} else {
			e1k_reset(e);	/* no DMA into what decline frees */
			ds_decline(in, why);
		}
	} else {
		why = ds_reason_str(reason);
	}
	strscpy(e->reason, why, sizeof(e->reason));

	if (e->adopted) {
		pci_info(pdev, "adopted: %u frame(s) received during the kexec gap, %u missed, ring %u at %u, last sequence %u\n",
			 e->gap_frames, e->gap_missed, e->rx_descs, e->rx_next,
			 e->st.last_seq);
	} else {
		pci_info(pdev, "cold: %s\n", e->reason);
		ret = e1k_cold_init(e);
		if (ret) {
			ds_unregister(e->ds);
			return ret;
		}
	}
	e1k_test_probe_done(e);
	return 0;
}

/* Stop the device's DMA and interrupts, as on any reboot. */
static void e1k_quiesce(struct e1k *e)
{
	e1k_irq_mask(e);
	writel(0, e->bar + E1K_RCTL);
	writel(0, e->bar + E1K_TCTL);
	pci_clear_master(e->pdev);
}

static void e1k_remove(struct pci_dev *pdev)
{
	struct e1k *e = pci_get_drvdata(pdev);

	e1k_test_remove(e);
	e1k_reset(e);
	free_irq(pdev->irq, e);
	e1k_free_rings(e);
	ds_unregister(e->ds);
}

/* ---- devstate step 4: shutdown --------------------------------------------- */

static void e1k_shutdown(struct pci_dev *pdev)
{
	struct e1k *e = pci_get_drvdata(pdev);

	if (ds_shutdown_keepalive(pdev)) {
		/*
		 * The receiver stays on with its descriptors posted: frames go
		 * on landing in the preserved ring through the kexec. Only the
		 * interrupt is masked (an interrupt configuration write, which
		 * does not touch reception): nobody could handle it until the
		 * next kernel's driver, which finds the frames by their "done"
		 * bits instead.
		 */
		e1k_irq_mask(e);
		free_irq(pdev->irq, e);
		mutex_lock(&e->lock);
		pci_info(pdev, "shutdown: keep-alive, receiving on at descriptor %u of %u\n",
			 e->rx_next, e->rx_descs);
		mutex_unlock(&e->lock);
		return;
	}
	pci_info(pdev, "shutdown: quiesce\n");
	e1k_quiesce(e);
}

static const struct pci_device_id e1k_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x100e) },	/* 82540EM */
	{ }
};
MODULE_DEVICE_TABLE(pci, e1k_ids);

static struct pci_driver e1k_driver = {
	.name = KBUILD_MODNAME,
	.id_table = e1k_ids,
	.probe = e1k_probe,
	.remove = e1k_remove,
	.shutdown = e1k_shutdown,
};
module_pci_driver(e1k_driver);

MODULE_DESCRIPTION("QEMU e1000 kept receiving across kexec with devstate (example)");
MODULE_LICENSE("GPL");
/* devstate.ko before this driver when udev loads it (see devstate_edu) */
MODULE_SOFTDEP("pre: devstate");
