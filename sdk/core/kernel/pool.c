// SPDX-License-Identifier: GPL-2.0
/*
 * The preserved DMA pool: the pages of the region after the blob area, handed
 * out whole with a bitmap. One bit per page; a set bit is a page a buffer
 * owns, or one a record of the previous kernel lists and nobody released yet.
 * The pool is small (a few MiB), so a linear bitmap search is plenty.
 */
#include "ds_core.h"
#include "ds_env.h"

#include <linux/bitmap.h>

static struct {
	struct mutex lock;	/* inner lock: see ds_core.h */
	phys_addr_t base;	/* physical address of page 0 */
	void *va;		/* and where region.c mapped it */
	unsigned long *map;
	unsigned long nr_pages;
	unsigned long *quarantine;	/* pages held by ds_pool_quarantine() */
} ds_pool = {
	.lock = __MUTEX_INITIALIZER(ds_pool.lock),
};

/**
 * ds_pool_init() - set up the pool over part of the mapped region
 * @base: physical address of the pool's first page
 * @va: where that page is mapped; the mapping is region.c's
 * @size: bytes, whole pages
 *
 * Return: 0 or -ENOMEM.
 */
int ds_pool_init(phys_addr_t base, void *va, u64 size)
{
	ds_pool.base = base;
	ds_pool.va = va;
	ds_pool.nr_pages = size >> PAGE_SHIFT;
	ds_pool.map = bitmap_zalloc(ds_pool.nr_pages, GFP_KERNEL);
	return ds_pool.map ? 0 : -ENOMEM;
}

void ds_pool_exit(void)
{
	bitmap_free(ds_pool.quarantine);
	ds_pool.quarantine = NULL;
	bitmap_free(ds_pool.map);
	ds_pool.map = NULL;
	ds_pool.nr_pages = 0;
	ds_pool.va = NULL;
}

/*
 * The first page and page count of [@phys, @phys + @size), or false when
 * that is not whole pages inside the pool.
 */
static bool ds_pool_pages(phys_addr_t phys, u64 size, unsigned long *first,
			  unsigned long *nr)
{
	u64 off;

	if (!ds_pool.map || phys < ds_pool.base || !size ||
	    !PAGE_ALIGNED(phys - ds_pool.base) || !PAGE_ALIGNED(size))
		return false;
	off = phys - ds_pool.base;
	*first = off >> PAGE_SHIFT;
	*nr = size >> PAGE_SHIFT;
	return *first < ds_pool.nr_pages && *nr <= ds_pool.nr_pages - *first;
}

/**
 * ds_pool_va() - the kernel address of a pool page
 * @phys: physical address inside the pool
 *
 * Return: the address in region.c's mapping, or NULL outside the pool.
 */
void *ds_pool_va(phys_addr_t phys)
{
	unsigned long first, nr;

	if (!ds_pool_pages(round_down(phys, PAGE_SIZE), PAGE_SIZE, &first, &nr))
		return NULL;
	return ds_pool.va + (phys - ds_pool.base);
}

#ifdef DS_TESTING
/*
 * CRC-32C of every pool byte, for the VM tests to see whether a device
 * wrote the pool (tests/vm/scenarios/unclaimed.sh). 0 without a pool.
 */
u32 ds_pool_crc(void)
{
	return ds_pool.va ? ds_crc32c(0, ds_pool.va,
				      ds_pool.nr_pages << PAGE_SHIFT) : 0;
}
#endif

/**
 * ds_pool_alloc() - take @nr_pages contiguous free pages
 * @nr_pages: how many
 * @phys: out: physical address of the first page
 * @va: out: its kernel address
 *
 * Return: 0, -ENODEV without a pool, -ENOMEM when no run is free.
 */
int ds_pool_alloc(unsigned long nr_pages, phys_addr_t *phys, void **va)
{
	unsigned long start;
	int ret = 0;

	if (!ds_pool.map)
		return -ENODEV;
	mutex_lock(&ds_pool.lock);
	start = bitmap_find_next_zero_area(ds_pool.map, ds_pool.nr_pages, 0,
					   nr_pages, 0);
	if (start >= ds_pool.nr_pages || nr_pages > ds_pool.nr_pages - start) {
		ret = -ENOMEM;
	} else {
		bitmap_set(ds_pool.map, start, nr_pages);
		*phys = ds_pool.base + ((phys_addr_t)start << PAGE_SHIFT);
		*va = ds_pool.va + ((size_t)start << PAGE_SHIFT);
	}
	mutex_unlock(&ds_pool.lock);
	return ret;
}

/* Give back the pages of [@phys, @phys + @size); ignored outside the pool. */
void ds_pool_free(phys_addr_t phys, u64 size)
{
	unsigned long first, nr;

	if (!ds_pool_pages(phys, size, &first, &nr))
		return;
	mutex_lock(&ds_pool.lock);
	bitmap_clear(ds_pool.map, first, nr);
	mutex_unlock(&ds_pool.lock);
}

/**
 * ds_pool_hold() - mark pages an incoming record lists as in use
 * @phys: physical address of the first byte
 * @size: bytes
 *
 * The previous kernel's device may still be writing into them, so they must
 * not be handed to anyone else until the record is reclaimed or released.
 *
 * Return: 0, -EINVAL when the range is not whole pages inside the pool,
 * -EEXIST when another record already holds one of its pages.
 */
int ds_pool_hold(phys_addr_t phys, u64 size)
{
	unsigned long first, nr, next;
	int ret = 0;

	if (!ds_pool_pages(phys, size, &first, &nr))
		return -EINVAL;
	mutex_lock(&ds_pool.lock);
	next = find_next_bit(ds_pool.map, first + nr, first);
	if (next < first + nr)
		ret = -EEXIST;
	else
		bitmap_set(ds_pool.map, first, nr);
	mutex_unlock(&ds_pool.lock);
	return ret;
}

/**
 * ds_pool_quarantine() - hold every page nobody holds yet
 *
 * Context: at load, when the previous kernel's devices may write pages no
 * record we can read accounts for. Pages already held (by the records we
 * could read) stay theirs; ds_pool_release_quarantine() gives back exactly
 * the others.
 *
 * Return: 0, -ENODEV without a pool, -ENOMEM, -EEXIST when already done.
 */
int ds_pool_quarantine(void)
{
	unsigned long *q;
	int ret = 0;

	if (!ds_pool.map)
		return -ENODEV;
	q = bitmap_zalloc(ds_pool.nr_pages, GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	mutex_lock(&ds_pool.lock);
	if (ds_pool.quarantine) {
		ret = -EEXIST;
	} else {
		bitmap_complement(q, ds_pool.map, ds_pool.nr_pages);
		bitmap_fill(ds_pool.map, ds_pool.nr_pages);
		ds_pool.quarantine = q;
		q = NULL;
	}
	mutex_unlock(&ds_pool.lock);
	bitmap_free(q);
	return ret;
}

/**
 * ds_pool_release_quarantine() - free the pages ds_pool_quarantine() held
 *
 * Return: how many pages went back to the pool.
 */
unsigned long ds_pool_release_quarantine(void)
{
	unsigned long *q, n = 0;

	mutex_lock(&ds_pool.lock);
	q = ds_pool.quarantine;
	ds_pool.quarantine = NULL;
	if (q) {
		n = bitmap_weight(q, ds_pool.nr_pages);
		bitmap_andnot(ds_pool.map, ds_pool.map, q, ds_pool.nr_pages);
	}
	mutex_unlock(&ds_pool.lock);
	bitmap_free(q);
	return n;
}

/* Pages in the pool, and how many are taken (buffers, held, quarantined). */
void ds_pool_status(struct ds_status *st)
{
	mutex_lock(&ds_pool.lock);
	st->pool_pages = ds_pool.nr_pages;
	st->pool_used = ds_pool.map ? bitmap_weight(ds_pool.map,
						    ds_pool.nr_pages) : 0;
	st->pool_quarantine = ds_pool.quarantine ?
		bitmap_weight(ds_pool.quarantine, ds_pool.nr_pages) : 0;
	mutex_unlock(&ds_pool.lock);
}
