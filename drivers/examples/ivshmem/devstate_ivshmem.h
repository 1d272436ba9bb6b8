/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ivshmem example's two files share: the layout the driver keeps
 * in the shared memory, the per-device state, and the hooks of the test
 * interface.
 *
 * devstate_ivshmem_main.c is the example. devstate_ivshmem_test.c is the
 * VM tests' window into it (debugfs, the tamper knob, timing) and is
 * compiled only in DS_TESTING builds; without it the ivshm_test_*() hooks
 * below are empty.
 */
#ifndef DEVSTATE_IVSHMEM_H
#define DEVSTATE_IVSHMEM_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <devstate/driver.h>

#define IVSHM_BAR_REGS		0	/* 256 bytes of registers */
#define IVSHM_BAR_SHM		2	/* the shared memory */

#define IVSHM_REG_INTRMASK	0x00
#define IVSHM_REG_INTRSTATUS	0x04	/* read clears it */
#define IVSHM_REG_IVPOSITION	0x08	/* this peer's ID */

/* "DSIV", little-endian in memory */
#define IVSHM_MAGIC		0x56495344
#define IVSHM_LAYOUT_VERSION	1
#define IVSHM_DATA_OFFSET	4096	/* data from here to the end of BAR2 */

/*
 * At offset 0 of the shared memory. Little-endian: the peers sharing it
 * may be any guest.
 */
struct ivshm_header {
	__le32 magic;		/* IVSHM_MAGIC */
	__le32 version;		/* IVSHM_LAYOUT_VERSION */
	__le64 generation;	/* bumped by every write through this driver */
	__le64 size;		/* bytes of the whole shared memory */
	__le32 seed;		/* pattern of the data area */
	__le32 reserved;
};

/* Where probe is, for the tests' timing. */
enum ivshm_test_step {
	IVSHM_STEP_START,		/* probe begins */
	IVSHM_STEP_MAPPED,		/* device enabled, BARs mapped */
	IVSHM_STEP_PATH,		/* adopt check or cold init done */
};

#ifdef DS_TESTING
/* Test-only state. */
struct ivshm_test {
	struct dentry *dir;		/* debugfs devstate_ivshmem/<device>/ */
	u64 t0_ns, mapped_ns;		/* probe start, BARs mapped */
	s64 probe_us, map_us, path_us;	/* the adopt check or the cold init */
	bool tamper_at_jump;		/* change the memory in .shutdown */
};
#endif

/* One ivshmem device; the pci_dev's drvdata. */
struct ivshm {
	struct pci_dev *pdev;
	void __iomem *regs;		/* BAR0 */
	void *shm;			/* BAR2, mapped write-back */
	size_t size;
	struct ds_device *ds;		/* our devstate registration, or NULL */
	struct mutex lock;		/* writes to the memory; the save hook */

	/* What this kernel saw. */
	bool adopted;
	char reason[64];		/* "adopt", or why cold */
	u32 inits;			/* cold initialisations */
	u64 saved_generation;		/* what the previous kernel saved */
	u32 saved_crc;
#ifdef DS_TESTING
	struct ivshm_test test;
#endif
};

static inline struct ivshm_header *ivshm_hdr(struct ivshm *iv)
{
	return iv->shm;
}

u32 ivshm_crc(struct ivshm *iv);

#ifdef DS_TESTING
void ivshm_test_step(struct ivshm *iv, enum ivshm_test_step step);
void ivshm_test_probe_done(struct ivshm *iv);
void ivshm_test_remove(struct ivshm *iv);
void ivshm_test_shutdown(struct ivshm *iv);
#else
static inline void ivshm_test_step(struct ivshm *iv,
				   enum ivshm_test_step step) { }
static inline void ivshm_test_probe_done(struct ivshm *iv) { }
static inline void ivshm_test_remove(struct ivshm *iv) { }
static inline void ivshm_test_shutdown(struct ivshm *iv) { }
#endif

#endif /* DEVSTATE_IVSHMEM_H */
