/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace environment of the shared sdk/core code: types, byte order,
 * allocation, CRC-32C and sorting. Its kernel twin is sdk/core/kernel/ds_env.h;
 * the shared .c files see only these names.
 */
#ifndef DS_ENV_H
#define DS_ENV_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t ds_get_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t ds_get_be64(const void *p)
{
	return (uint64_t)ds_get_be32(p) << 32 |
	       ds_get_be32((const uint8_t *)p + 4);
}

/*
 * Stores as one byte swap and one unaligned store, like the kernel's
 * put_unaligned_be*(): gcc 12 merges byte-by-byte stores into one but
 * still builds the value with a shift and an or per byte. (Loads need no
 * help: gcc turns the byte loads above into one load and a bswap.)
 */
static inline void ds_put_be32(void *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void ds_put_be64(void *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, sizeof(v));
}

/*
 * CRC-32C (Castagnoli; "123456789" gives 0xe3069283), chained like zlib's
 * crc32(): ds_crc32c(0, buf, len) is the CRC of buf, and passing a result
 * back in continues it. In crc32c.c: SSE4.2's crc32 instruction when the
 * CPU has it, tables otherwise.
 */
uint32_t ds_crc32c(uint32_t crc, const void *buf, size_t len);

static inline void *ds_alloc(size_t size)
{
	return malloc(size);
}

static inline void ds_free(void *p)
{
	free(p);
}

static inline void ds_sort(void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	qsort(base, n, size, cmp);
}

#define ds_snprintf snprintf

/* The kernel's name for it: keeps a cold path out of its hot caller. */
#define noinline __attribute__((__noinline__))

#endif /* DS_ENV_H */
