// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Deterministic synthetic device records (see synth.h).
 *
 * Every record draws its values from its own generator, seeded from the
 * (seed, index) pair, so record i does not depend on how many records come
 * before it and a caller can regenerate any single record cheaply.
 */
#include <stdlib.h>
#include <string.h>

#include "synth.h"

/* splitmix64: small, fast, and good enough for test data. */
struct synth_rng {
	uint64_t state;
};

static uint64_t synth_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rng_next(struct synth_rng *g)
{
	g->state += 0x9e3779b97f4a7c15ull;
	return synth_mix(g->state);
}

/* A value in [0, n). The tiny modulo bias does not matter here. */
static uint32_t rng_below(struct synth_rng *g, uint32_t n)
{
	return (uint32_t)(rng_next(g) % n);
}

static void rng_init(struct synth_rng *g, uint64_t seed, uint32_t i,
		     uint32_t stream)
{
	g->state = synth_mix(seed ^ synth_mix(((uint64_t)stream << 32) | i));
}

/* ------------------------------------------------------------------ */
/* Position: an injective map from the index to (domain, bus, devfn).  */

/* 64 buses of 32 slots x 8 functions per domain. */
#define SYNTH_BUSES_PER_DOMAIN	64u
#define SYNTH_FNS_PER_BUS	256u

static void synth_position(uint64_t seed, uint32_t i, struct ds_record *r)
{
	uint32_t per_domain = SYNTH_BUSES_PER_DOMAIN * SYNTH_FNS_PER_BUS;
	uint32_t j = i % per_domain;
	/*
	 * In the order the kernel enumerates them, and SR-IOV numbers its
	 * virtual functions: function fastest, then slot, then bus.
	 */
	uint32_t slot = (j / 8) % 32, fn = j % 8;
	/* Where the seed's machine starts numbering its buses: 1..128. */
	uint32_t bus_base = 1 + (uint32_t)(synth_mix(seed) % 128);

	r->domain = i / per_domain;
	r->bus = (uint8_t)(bus_base + j / SYNTH_FNS_PER_BUS);
	r->devfn = (uint8_t)(slot << 3 | fn);
}

/* 0-3 bridges from a root port on bus 0 down towards the device's bus. */
static void synth_bridges(struct synth_rng *g, struct ds_record *r)
{
	uint32_t k, n = rng_below(g, 4);

	r->nr_bridges = n;
	for (k = 0; k < n; k++) {
		uint32_t bus = k * r->bus / n;	/* 0 first, then climbing */
		uint32_t devfn = (1 + rng_below(g, 7)) << 3 | rng_below(g, 2);

		r->bridges[k] = bus << 8 | devfn;
	}
}

/* ------------------------------------------------------------------ */
/* Identity                                                            */

struct synth_kind {
	uint32_t vendor;
	uint32_t class;		/* class << 8 | prog-if, 24 bits */
	const char *driver;
};

static const struct synth_kind synth_kinds[] = {
	{ 0x144d, 0x010802, "nvme" },
	{ 0x8086, 0x020000, "ixgbe" },
	{ 0x15b3, 0x020000, "mlx5_core" },
	{ 0x8086, 0x0c0330, "xhci_hcd" },
	{ 0x1af4, 0x010000, "virtio-pci" },
	{ 0x1234, 0x00ff00, "devstate_edu" },
	{ 0x10de, 0x030200, "nouveau" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void synth_ids(struct synth_rng *g, struct ds_record *r)
{
	const struct synth_kind *k = &synth_kinds[rng_below(g, ARRAY_SIZE(synth_kinds))];

	r->ids[DS_IDS_VENDOR] = k->vendor;
	r->ids[DS_IDS_DEVICE] = rng_below(g, 0x10000);
	r->ids[DS_IDS_SUBVENDOR] = rng_below(g, 2) ? k->vendor : 0x1af4;
	r->ids[DS_IDS_SUBDEVICE] = rng_below(g, 0x10000);
	r->ids[DS_IDS_CLASS] = k->class;
	r->ids[DS_IDS_REVISION] = rng_below(g, 0x100);
	strcpy(r->driver, k->driver);
}

/* ------------------------------------------------------------------ */
/* BARs: a layout from a few shapes real devices have.                 */

struct bar_alloc {
	uint64_t mem32, mem64, io;	/* next free address of each window */
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void add_bar(struct ds_record *r, struct bar_alloc *a, uint32_t index,
		    uint32_t flags, uint64_t size)
{
	uint64_t *cursor = flags & DS_BAR_IO ? &a->io :
			   flags & DS_BAR_64 ? &a->mem64 : &a->mem32;
	struct ds_bar *b = &r->bars[r->nr_bars++];

	b->index = index;
	b->flags = flags;
	b->size = size;
	b->start = align_up(*cursor, size);
	*cursor = b->start + size;
}

#define MEM32		DS_BAR_MEM
#define MEM32_PF	(DS_BAR_MEM | DS_BAR_PREFETCH)
#define MEM64		(DS_BAR_MEM | DS_BAR_64)
#define MEM64_PF	(DS_BAR_MEM | DS_BAR_64 | DS_BAR_PREFETCH)
#define ROM		(DS_BAR_MEM | DS_BAR_ROM)
#define ROM_INDEX	6u

static void synth_bars(struct synth_rng *g, uint32_t i, struct ds_record *r)
{
	/* Each device gets its own windows, so BARs never overlap. */
	struct bar_alloc a = {
		.mem32 = 0x80000000ull + (uint64_t)(i % 96) * 0x01000000ull,
		.mem64 = 0x4000000000ull + (uint64_t)(i % 65536) * 0x40000000ull,
		.io = 0x1000 + (uint64_t)(i % 224) * 0x100,
	};
	uint64_t small = 0x1000ull << rng_below(g, 9);	/* 4 KiB .. 1 MiB */
	uint64_t large = 0x100000ull << rng_below(g, 9);	/* 1 MiB .. 256 MiB */
	uint64_t io = 8ull << rng_below(g, 4);		/* 8 .. 64 bytes */
	uint32_t k;

	r->nr_bars = 0;
	switch (rng_below(g, 6)) {
	case 0:		/* no BARs at all */
		break;
	case 1:		/* one register window */
		add_bar(r, &a, 0, MEM32, small);
		break;
	case 2:		/* NIC-like: 64-bit registers, MSI-X table, I/O */
		add_bar(r, &a, 0, MEM64, large);
		add_bar(r, &a, 2, MEM32, small);
		add_bar(r, &a, 4, DS_BAR_IO, io);
		break;
	case 3:		/* GPU-like: three 64-bit windows and a ROM */
		add_bar(r, &a, 0, MEM64_PF, large);
		add_bar(r, &a, 2, MEM64, small);
		add_bar(r, &a, 4, MEM64_PF, large);
		add_bar(r, &a, ROM_INDEX, ROM, 0x10000);
		break;
	case 4:		/* legacy: I/O first, then memory, then a ROM */
		add_bar(r, &a, 0, DS_BAR_IO, io);
		add_bar(r, &a, 1, MEM32, small);
		add_bar(r, &a, ROM_INDEX, ROM, 0x8000);
		break;
	default:	/* every slot used: six 32-bit BARs and the ROM */
		for (k = 0; k < 6; k++)
			add_bar(r, &a, k, k % 3 == 2 ? DS_BAR_IO :
				k % 3 == 1 ? MEM32_PF : MEM32,
				k % 3 == 2 ? io : small);
		add_bar(r, &a, ROM_INDEX, ROM, 0x20000);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Interrupts                                                          */

#define PCI_COMMAND_IO		0x1u
#define PCI_COMMAND_MEMORY	0x2u
#define PCI_COMMAND_MASTER	0x4u
#define PCI_COMMAND_INTX_DISABLE 0x400u

static void synth_vectors(struct synth_rng *g, uint32_t i, struct ds_record *r,
			  uint32_t listed, bool maskable)
{
	uint32_t k;

	r->nr_vectors = listed;
	for (k = 0; k < listed; k++) {
		struct ds_vector *v = &r->vectors[k];
		uint32_t cpu = (i + k) % 64;

		v->address = 0xfee00000ull | cpu << 12;
		v->data = 0x20 + (i * 7 + k) % 0xd0;
		v->ctrl = maskable && rng_below(g, 8) == 0 ? 1 : 0;
	}
}

/*
 * MSI has one address/data pair: message k sends the data with k in its
 * low bits, which the kernel keeps clear (the base is aligned to count).
 * Per-message mask bits exist when the function implements them.
 */
static void synth_msi(struct synth_rng *g, uint32_t i, struct ds_record *r,
		      uint32_t count)
{
	uint32_t base = (0x20 + (i * 7) % 0xd0) & ~(count - 1), k;
	bool maskable = rng_below(g, 2);

	r->nr_vectors = count;
	for (k = 0; k < count; k++) {
		r->vectors[k].address = 0xfee00000ull | (i % 64) << 12;
		r->vectors[k].data = base | k;
		r->vectors[k].ctrl = maskable && rng_below(g, 8) == 0 ? 1 : 0;
	}
}

static void synth_irq(struct synth_rng *g, uint32_t i, struct ds_record *r)
{
	uint32_t mode = rng_below(g, 4), count;

	memset(r->irq, 0, sizeof(r->irq));
	r->nr_vectors = 0;
	r->irq[DS_IRQ_CELL_MODE] = mode;
	if (mode != DS_IRQ_NONE) {
		/* The pin and line stay in config space whatever is enabled. */
		r->irq[DS_IRQ_CELL_PIN] = 1 + rng_below(g, 4);
		r->irq[DS_IRQ_CELL_LINE] = 5 + rng_below(g, 20);
	}
	switch (mode) {
	case DS_IRQ_INTX:
		r->irq[DS_IRQ_CELL_COUNT] = 1;
		break;
	case DS_IRQ_MSI:
		count = 1u << rng_below(g, 6);		/* 1 .. 32 */
		r->irq[DS_IRQ_CELL_COUNT] = count;
		synth_msi(g, i, r, count);
		r->command |= PCI_COMMAND_INTX_DISABLE;
		break;
	case DS_IRQ_MSIX:
		/* More vectors may be enabled than a record lists. */
		count = 1 + rng_below(g, 128);
		r->irq[DS_IRQ_CELL_COUNT] = count;
		synth_vectors(g, i, r, count < DS_RECORD_VECTORS ? count :
			      DS_RECORD_VECTORS, true);
		r->command |= PCI_COMMAND_INTX_DISABLE;
		break;
	}
}

/* ------------------------------------------------------------------ */
/* DMA                                                                 */

static const char *const synth_dma_names[] = {
	"ring", "buf", "cmdq", "evtq", "fw-log", "stats",
};

static uint64_t mask_bits(uint32_t bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static void synth_dma(struct synth_rng *g, uint32_t i, struct ds_record *r)
{
	static const uint32_t widths[] = { 32, 36, 39, 44, 48, 64 };
	uint32_t bits = widths[rng_below(g, ARRAY_SIZE(widths))];
	uint64_t window = DS_SYNTH_POOL_SIZE / DS_SYNTH_POOL_WINDOWS;
	uint64_t next = DS_SYNTH_POOL_BASE + (i % DS_SYNTH_POOL_WINDOWS) * window;
	uint32_t first = rng_below(g, ARRAY_SIZE(synth_dma_names));
	bool iommu = bits > 32 && rng_below(g, 2);
	uint32_t k;

	r->dma_mask = mask_bits(bits);
	r->coherent_dma_mask = rng_below(g, 2) ? r->dma_mask : mask_bits(32);
	/* 3 regions of at most 16 KiB fit a 64 KiB window. */
	r->nr_dma = rng_below(g, 4);
	for (k = 0; k < r->nr_dma; k++) {
		struct ds_dma_region *d = &r->dma[k];

		strcpy(d->name, synth_dma_names[(first + k) % ARRAY_SIZE(synth_dma_names)]);
		d->size = 0x1000ull << rng_below(g, 3);
		d->phys = next;
		d->bus = iommu ? 0xfff00000000ull + (next - DS_SYNTH_POOL_BASE) :
				 next;
		next += d->size;
	}
	if (r->nr_dma)
		r->command |= PCI_COMMAND_MASTER;
}

/* ------------------------------------------------------------------ */

int ds_synth_record(uint64_t seed, uint32_t i, struct ds_record *r)
{
	struct synth_rng g;
	uint32_t k;

	memset(r, 0, sizeof(*r));
	rng_init(&g, seed, i, 0);
	r->version = DS_RECORD_VERSION;
	r->state_node = -1;
	synth_position(seed, i, r);
	synth_bridges(&g, r);
	synth_ids(&g, r);
	synth_bars(&g, i, r);
	for (k = 0; k < r->nr_bars; k++)
		r->command |= r->bars[k].flags & DS_BAR_IO ? PCI_COMMAND_IO :
			      PCI_COMMAND_MEMORY;
	synth_irq(&g, i, r);
	synth_dma(&g, i, r);
	return 0;
}

/*
 * Driver-private state, shaped like a NIC's: queue count, ring heads, a
 * firmware string, a 64-bit counter and an opaque blob of varying length.
 */
int ds_synth_state_fn(struct ds_fdt_writer *w, void *ctx)
{
	const struct ds_synth_state *s = ctx;
	uint32_t heads[8], k, queues, opaque_len;
	struct synth_rng g;
	uint8_t *opaque;
	int err;

	rng_init(&g, s->seed, s->index, 1);
	queues = 1 + rng_below(&g, 8);
	for (k = 0; k < queues; k++)
		heads[k] = rng_below(&g, 4096);
	err = ds_fdt_prop_u32(w, "queue-count", queues);
	if (err)
		return err;
	err = ds_fdt_prop_u32_array(w, "ring-heads", heads, queues);
	if (err)
		return err;
	err = ds_fdt_prop_string(w, "firmware", rng_below(&g, 2) ?
				 "synth-fw 1.2.3" : "synth-fw 2.0.0-rc1");
	if (err)
		return err;
	err = ds_fdt_prop_u64(w, "completions", rng_next(&g));
	if (err)
		return err;
	opaque_len = rng_below(&g, 65);
	opaque = ds_fdt_prop_space(w, "opaque", opaque_len, &err);
	if (!opaque)
		return err;
	for (k = 0; k < opaque_len; k++)
		opaque[k] = (uint8_t)rng_next(&g);
	return 0;
}

void ds_synth_blob_info(uint64_t seed, struct ds_blob_info *info)
{
	memset(info, 0, sizeof(*info));
	info->kernel_release = DS_SYNTH_KERNEL_RELEASE;
	info->generation = DS_SYNTH_GENERATION;
	/* A fixed instant in 2026, moved by the seed: reproducible. */
	info->timestamp_ns = 1780000000000000000ull + synth_mix(seed) % 1000000000000ull;
	info->pool_base = DS_SYNTH_POOL_BASE;
	info->pool_size = DS_SYNTH_POOL_SIZE;
}

/*
 * Vector @k of record @i's long MSI-X table: spread over 64 CPUs like the
 * short ones, every eighth or so masked by a hash of the position, and the
 * last one unmasked, as a capture lists a table up to its last unmasked
 * entry.
 */
static void synth_msix_entry(uint64_t seed, uint32_t i, uint32_t k,
			     uint32_t vectors, struct ds_vector *v)
{
	uint64_t h = (seed ^ (uint64_t)i << 20 ^ k) * 0x9e3779b97f4a7c15ull;

	v->address = 0xfee00000ull | ((i + k) % 64) << 12;
	v->data = 0x20 + (i * 7 + k) % 0xd0;
	v->ctrl = k + 1 < vectors && (h >> 61) == 0;
}

int ds_synth_msix(uint64_t seed, uint32_t i, uint32_t vectors,
		  struct ds_record *r, struct ds_vector *more)
{
	uint32_t k;

	if (!vectors || vectors > DS_MAX_VECTORS)
		return -DS_ERR_INVAL;
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX;
	r->irq[DS_IRQ_CELL_COUNT] = vectors;
	r->command |= PCI_COMMAND_INTX_DISABLE;
	r->nr_vectors = vectors < DS_RECORD_VECTORS ? vectors : DS_RECORD_VECTORS;
	r->nr_vectors_more = vectors - r->nr_vectors;
	for (k = 0; k < vectors; k++)
		synth_msix_entry(seed, i, k, vectors, k < DS_RECORD_VECTORS ?
				 &r->vectors[k] : &more[k - DS_RECORD_VECTORS]);
	return 0;
}

int ds_synth_write_device_msix(struct ds_fdt_writer *w, uint64_t seed,
			       uint32_t i, uint32_t msix_vectors)
{
	struct ds_synth_state s = { .seed = seed, .index = i };
	struct ds_vector more[DS_MAX_VECTORS - DS_RECORD_VECTORS];
	struct ds_record r;
	int err;

	ds_synth_record(seed, i, &r);
	if (msix_vectors) {
		err = ds_synth_msix(seed, i, msix_vectors, &r, more);
		if (err)
			return err;
	}
	return ds_record_write_more(w, &r, more, DS_SYNTH_STATE_COMPAT,
				    ds_synth_state_fn, &s);
}

int ds_synth_write_device(struct ds_fdt_writer *w, uint64_t seed, uint32_t i)
{
	return ds_synth_write_device_msix(w, seed, i, 0);
}

int ds_synth_blob_msix(void *buf, uint32_t size, uint64_t seed, uint32_t n,
		       uint32_t msix_vectors)
{
	struct ds_fdt_writer w;
	struct ds_blob_info info;
	uint32_t i;
	int err;

	ds_synth_blob_info(seed, &info);
	err = ds_blob_begin(&w, buf, size, &info);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = ds_synth_write_device_msix(&w, seed, i, msix_vectors);
		if (err)
			return err;
	}
	return ds_blob_end(&w);
}

int ds_synth_blob(void *buf, uint32_t size, uint64_t seed, uint32_t n)
{
	return ds_synth_blob_msix(buf, size, seed, n, 0);
}

int ds_synth_blob_alloc_msix(uint64_t seed, uint32_t n, uint32_t msix_vectors,
			     uint8_t **blob, uint32_t *size)
{
	/* A record takes about 1 KiB, and 8 bytes a listed vector. */
	uint64_t cap = 4096 + (uint64_t)n * (1024 + 8ull * msix_vectors);
	int len;

	for (;;) {
		uint8_t *buf;

		if (cap > UINT32_MAX)
			cap = UINT32_MAX;
		buf = malloc(cap);
		if (!buf)
			return -DS_ERR_NOMEM;
		len = ds_synth_blob_msix(buf, (uint32_t)cap, seed, n,
					 msix_vectors);
		if (len >= 0) {
			*blob = buf;
			*size = (uint32_t)len;
			return 0;
		}
		free(buf);
		if (len != -DS_ERR_NOSPACE || cap == UINT32_MAX)
			return len;
		cap *= 2;
	}
}

int ds_synth_blob_alloc(uint64_t seed, uint32_t n, uint8_t **blob,
			uint32_t *size)
{
	return ds_synth_blob_alloc_msix(seed, n, 0, blob, size);
}

/* Lay out and seal a region of @size bytes around @blob. */
static int synth_seal(uint8_t *region, uint64_t size, uint64_t blob_max,
		      const uint8_t *blob, uint32_t blob_size)
{
	uint64_t max;
	uint8_t *area;
	int err;

	err = ds_region_format(region, size, blob_max, DS_SYNTH_GENERATION - 1);
	if (err)
		return err;
	err = ds_region_begin_write(region, size, &area, &max);
	if (err)
		return err;
	if (max < blob_size)
		return -DS_ERR_NOSPACE;
	memcpy(area, blob, blob_size);
	return ds_region_seal(region, size, blob_size, DS_SYNTH_GENERATION);
}

int ds_synth_region_alloc_msix(uint64_t seed, uint32_t n,
			       uint32_t msix_vectors, uint8_t **region,
			       uint64_t *size)
{
	struct ds_region_view v;
	uint64_t blob_max, guess, need;
	uint32_t blob_size;
	uint8_t *blob, *r;
	int err;

	err = ds_synth_blob_alloc_msix(seed, n, msix_vectors, &blob, &blob_size);
	if (err)
		return err;
	blob_max = align_up(blob_size ? blob_size : 1, DS_REGION_POOL_ALIGN);

	/*
	 * The library decides where the blob and the pool start. Format a
	 * region certainly big enough, read the pool offset back, then size
	 * the region so the pool is exactly DS_SYNTH_POOL_SIZE.
	 */
	guess = 2 * DS_REGION_POOL_ALIGN + blob_max + DS_SYNTH_POOL_SIZE;
	r = calloc(1, guess);
	err = r ? ds_region_format(r, guess, blob_max, 0) : -DS_ERR_NOMEM;
	if (!err)
		err = ds_region_inspect(r, guess, &v);
	if (err)
		goto fail;
	need = v.pool_offset + DS_SYNTH_POOL_SIZE;
	if (need > guess) {
		err = -DS_ERR_NOSPACE;
		goto fail;
	}
	memset(r, 0, guess);
	err = synth_seal(r, need, blob_max, blob, blob_size);
	if (err)
		goto fail;
	free(blob);
	*region = r;
	*size = need;
	return 0;
fail:
	free(r);
	free(blob);
	return err;
}

int ds_synth_region_alloc(uint64_t seed, uint32_t n, uint8_t **region,
			  uint64_t *size)
{
	return ds_synth_region_alloc_msix(seed, n, 0, region, size);
}
