/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the e1000 example's two files share: the device's registers and
 * descriptors, the per-device state, and the hooks of the test interface.
 *
 * devstate_e1000_main.c is the example. devstate_e1000_test.c is the VM
 * tests' window into it (debugfs) and is compiled only in DS_TESTING
 * builds; without it the e1k_test_*() hooks below are empty.
 *
 * Register names and bits follow Intel's "PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual" (8254x), which QEMU's
 * e1000 (82540EM) models.
 */
#ifndef DEVSTATE_E1000_H
#define DEVSTATE_E1000_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <devstate/driver.h>

/* BAR0 registers (manual, section 13) */
#define E1K_CTRL	0x0000
#define  E1K_CTRL_SLU	BIT(6)		/* set link up */
#define  E1K_CTRL_RST	BIT(26)		/* device reset, self-clearing */
#define E1K_STATUS	0x0008
#define E1K_ICR		0x00c0		/* interrupt causes; reading clears */
#define E1K_IMS		0x00d0		/* interrupt mask set */
#define E1K_IMC		0x00d8		/* interrupt mask clear */
#define  E1K_INT_TXDW	BIT(0)		/* transmit descriptor written back */
#define  E1K_INT_RXDMT0	BIT(4)		/* few receive descriptors left */
#define  E1K_INT_RXO	BIT(6)		/* receiver overrun */
#define  E1K_INT_RXT0	BIT(7)		/* receive timer: a frame arrived */
#define E1K_RCTL	0x0100
#define  E1K_RCTL_EN	BIT(1)
#define  E1K_RCTL_BAM	BIT(15)		/* accept broadcast */
#define  E1K_RCTL_SZ_256 (3u << 16)	/* BSIZE 11b, BSEX 0: 256-byte buffers */
#define  E1K_RCTL_SECRC	BIT(26)		/* strip the Ethernet CRC */
#define E1K_TCTL	0x0400
#define  E1K_TCTL_EN	BIT(1)
#define  E1K_TCTL_PSP	BIT(3)		/* pad short packets */
#define  E1K_TCTL_CT	(0x0fu << 4)	/* collision threshold */
#define  E1K_TCTL_COLD	(0x40u << 12)	/* collision distance, full duplex */
#define E1K_TIPG	0x0410
#define  E1K_TIPG_DEFAULT (10 | (8 << 10) | (6 << 20))
#define E1K_RDBAL	0x2800
#define E1K_RDBAH	0x2804
#define E1K_RDLEN	0x2808
#define E1K_RDH		0x2810
#define E1K_RDT		0x2818
#define E1K_RDTR	0x2820		/* receive delay timer */
#define E1K_TDBAL	0x3800
#define E1K_TDBAH	0x3804
#define E1K_TDLEN	0x3808
#define E1K_TDH		0x3810
#define E1K_TDT		0x3818
#define E1K_MPC		0x4010		/* missed packets count (see e1k_adopt()) */
#define E1K_MTA		0x5200		/* multicast table, 128 words */
#define E1K_RAL0	0x5400		/* receive address 0: the MAC */
#define E1K_RAH0	0x5404

/* Legacy receive descriptor (manual 3.2.3) */
struct e1k_rx_desc {
	__le64 addr;
	__le16 length;
	__le16 csum;
	u8 status;
#define E1K_RXD_DD	BIT(0)		/* descriptor done: the device wrote it */
#define E1K_RXD_EOP	BIT(1)		/* last descriptor of the frame */
	u8 errors;
	__le16 special;
};

/* Legacy transmit descriptor (manual 3.3.3) */
struct e1k_tx_desc {
	__le64 addr;
	__le16 length;
	u8 cso;
	u8 cmd;
#define E1K_TXD_EOP	BIT(0)
#define E1K_TXD_IFCS	BIT(1)		/* insert the Ethernet CRC */
#define E1K_TXD_RS	BIT(3)		/* report status */
	u8 status;
#define E1K_TXD_DD	BIT(0)
	u8 css;
	__le16 special;
};

#define E1K_RX_BUF	256	/* bytes per receive buffer (RCTL.BSIZE) */
#define E1K_TX_BUF	256	/* bytes per transmit buffer: one reply */
#define E1K_TX_DESCS	256

/* One DMA buffer: from the preserved pool (@pbuf) or plain. */
struct e1k_dma {
	struct ds_dma_buf *pbuf;
	void *vaddr;
	dma_addr_t dma;
	size_t size;
};

/* The echo service's counters: saved at freeze, carried on at adoption. */
struct e1k_stats {
	u64 rx_frames;		/* frames taken from the ring */
	u64 replies;		/* replies queued for transmit */
	u64 bad;		/* frames that were not a request of ours */
	u64 disorder;		/* requests whose sequence went backwards */
	u64 tx_full;		/* replies dropped: transmit ring full */
	u32 last_seq;		/* highest request sequence seen */
};

#ifdef DS_TESTING
struct e1k_test {
	struct dentry *dir;	/* debugfs devstate_e1000/<device>/ */
	struct e1k_stats prev;	/* what the previous kernel saved */
	bool damage_at_save;	/* save a wrong ring position (ctl) */
};
#endif

/* One e1000 device; the pci_dev's drvdata. */
struct e1k {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct ds_device *ds;		/* our devstate registration, or NULL */
	struct e1k_dma rx_ring, rx_bufs, tx_ring, tx_bufs;
	u32 rx_descs;			/* receive ring size */
	u8 mac[6];

	struct mutex lock;		/* everything below */
	u32 rx_next;			/* next receive descriptor to look at */
	u32 tx_next;			/* next transmit descriptor to fill */
	bool frozen;			/* saved: the ring belongs to the record */
	struct e1k_stats st;

	/* What happened in this kernel. */
	bool adopted;
	char reason[64];		/* "adopt", or why cold */
	u32 inits;			/* cold initialisations */
	u32 gap_frames;			/* frames found in the ring at adoption */
	u32 gap_missed;			/* MPC read at adoption */
#ifdef DS_TESTING
	struct e1k_test test;
#endif
};

void e1k_poll(struct e1k *e);

#ifdef DS_TESTING
void e1k_test_probe_done(struct e1k *e);
void e1k_test_remove(struct e1k *e);
void e1k_test_restore(struct e1k *e);
void e1k_test_save(struct e1k *e, u32 *rx_next);
#else
static inline void e1k_test_probe_done(struct e1k *e) { }
static inline void e1k_test_remove(struct e1k *e) { }
static inline void e1k_test_restore(struct e1k *e) { }
static inline void e1k_test_save(struct e1k *e, u32 *rx_next) { }
#endif

#endif /* DEVSTATE_E1000_H */
