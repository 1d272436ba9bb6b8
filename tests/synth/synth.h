/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Deterministic synthetic device records, for tests and benchmarks.
 *
 * ds_synth_record(seed, i) always yields the same record for the same pair,
 * on every machine, so a benchmark and a test that ask for "N devices, seed
 * S" build byte-identical trees. Records look like a real machine's: unique
 * PCI positions spread over buses and domains, bridge chains, mixed BAR
 * layouts, every interrupt mode, DMA masks and preserved DMA regions that
 * lie inside the synthetic pool (DS_SYNTH_POOL_BASE/SIZE).
 *
 * The driver-private state comes from ds_synth_state_fn(), a ds_state_fn
 * that writes a few properties under DS_SYNTH_STATE_COMPAT.
 *
 * Positions: 64 buses of 256 functions per domain, so every 16384 records
 * start a new domain. Address windows repeat, as a real machine's would run
 * out: 32-bit BARs of devices 96 indexes apart, and DMA regions of devices
 * DS_SYNTH_POOL_WINDOWS apart, share addresses. Within one device nothing
 * overlaps.
 */
#ifndef DS_SYNTH_H
#define DS_SYNTH_H

#include <devstate/blob.h>

/* Physical pool the records' DMA regions point into (root "pool"). */
#define DS_SYNTH_POOL_BASE	0x31000000ull
#define DS_SYNTH_POOL_SIZE	(1ull << 20)
/*
 * Every device owns one window of the pool for its regions; devices whose
 * index differs by a multiple of DS_SYNTH_POOL_WINDOWS share a window.
 */
#define DS_SYNTH_POOL_WINDOWS	16u

#define DS_SYNTH_STATE_COMPAT	"devstate-synth,state-v1"
#define DS_SYNTH_KERNEL_RELEASE	"6.1.0-synth"
#define DS_SYNTH_GENERATION	1ull

/* Context of ds_synth_state_fn(): which record the state belongs to. */
struct ds_synth_state {
	uint64_t seed;
	uint32_t index;
};

/* Fill @r with record @i of the set @seed. Returns 0. */
int ds_synth_record(uint64_t seed, uint32_t i, struct ds_record *r);

/* ds_state_fn: @ctx is a struct ds_synth_state. */
int ds_synth_state_fn(struct ds_fdt_writer *w, void *ctx);

/*
 * Make @r (record @i of the set @seed) an MSI-X function whose table has
 * @vectors entries (1 .. DS_MAX_VECTORS), all listed: the first
 * DS_RECORD_VECTORS in @r, the rest in @more (room for
 * DS_MAX_VECTORS - DS_RECORD_VECTORS). Returns 0 or -DS_ERR_INVAL.
 */
int ds_synth_msix(uint64_t seed, uint32_t i, uint32_t vectors,
		  struct ds_record *r, struct ds_vector *more);

/* Root properties of a synthetic blob. */
void ds_synth_blob_info(uint64_t seed, struct ds_blob_info *info);

/* Write record @i (with its driver state) as a device node. */
int ds_synth_write_device(struct ds_fdt_writer *w, uint64_t seed, uint32_t i);
/* The same with a @msix_vectors-entry MSI-X table (ds_synth_msix()). */
int ds_synth_write_device_msix(struct ds_fdt_writer *w, uint64_t seed,
			       uint32_t i, uint32_t msix_vectors);

/*
 * Write a whole blob of @n records into @buf: ds_blob_begin, the records,
 * ds_blob_end. Returns the blob size or a negative DS_ERR_* code
 * (-DS_ERR_NOSPACE when @size is too small).
 */
int ds_synth_blob(void *buf, uint32_t size, uint64_t seed, uint32_t n);
/* The _msix variants: every record has a @msix_vectors-entry table (0: as usual). */
int ds_synth_blob_msix(void *buf, uint32_t size, uint64_t seed, uint32_t n,
		       uint32_t msix_vectors);

/*
 * Allocate (malloc) and write a blob of @n records, growing the buffer until
 * it fits. On success *@blob holds it and *@size its length.
 */
int ds_synth_blob_alloc(uint64_t seed, uint32_t n, uint8_t **blob,
			uint32_t *size);
int ds_synth_blob_alloc_msix(uint64_t seed, uint32_t n, uint32_t msix_vectors,
			     uint8_t **blob, uint32_t *size);

/*
 * Allocate (malloc) a whole sealed region holding a blob of @n records, laid
 * out as the kernel keeps it: header, blob, then a DS_SYNTH_POOL_SIZE pool
 * (zeroed). The region is just large enough for that.
 */
int ds_synth_region_alloc(uint64_t seed, uint32_t n, uint8_t **region,
			  uint64_t *size);
int ds_synth_region_alloc_msix(uint64_t seed, uint32_t n,
			       uint32_t msix_vectors, uint8_t **region,
			       uint64_t *size);

#endif /* DS_SYNTH_H */
