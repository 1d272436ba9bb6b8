/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel environment of the shared sdk/core code: the kernel's own types,
 * unaligned big-endian accessors, kvmalloc, CRC-32C and sort. Its userspace
 * twin is sdk/core/user/ds_env.h.
 */
#ifndef DS_ENV_H
#define DS_ENV_H

#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>
#include "ds_compat.h"

static inline u32 ds_get_be32(const void *p)
{
	return get_unaligned_be32(p);
}

static inline u64 ds_get_be64(const void *p)
{
	return get_unaligned_be64(p);
}

static inline void ds_put_be32(void *p, u32 v)
{
	put_unaligned_be32(v, p);
}

static inline void ds_put_be64(void *p, u64 v)
{
	put_unaligned_be64(v, p);
}

/*
 * CRC-32C, chained like zlib's crc32(): ds_crc32c(0, buf, len) is the
 * standard CRC-32C of buf (initial value ~0, final xor ~0); the kernel's
 * function (ds_compat_crc32c_raw(), see ds_compat.h) is the bare shift
 * register, hence the inversions.
 *
 * That function is built into the kernel image (lib/crc32.c: slice-by-8
 * tables on x86; arm64 replaces it with its CRC instructions), so
 * devstate.ko keeps no module dependency and a plain insmod works. libcrc32c's crc32c() would
 * reach the SSE4.2 instruction through crc32c-intel, at the cost of
 * depending on the libcrc32c module and the crypto API.
 */
static inline u32 ds_crc32c(u32 crc, const void *buf, size_t len)
{
	return ~ds_compat_crc32c_raw(~crc, buf, len);
}

static inline void *ds_alloc(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static inline void ds_free(void *p)
{
	kvfree(p);
}

static inline void ds_sort(void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	sort(base, n, size, cmp, NULL);
}

#define ds_snprintf snprintf

#endif /* DS_ENV_H */
