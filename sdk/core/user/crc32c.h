/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The implementations behind ds_crc32c() (declared in ds_env.h), each with
 * the same convention, for the unit test that holds them against each other
 * and a bitwise reference. Nothing but crc32c.c and that test should call
 * them: ds_crc32c() picks the fastest one the CPU runs.
 */
#ifndef DS_CRC32C_H
#define DS_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Portable: slice-by-8 tables, any CPU, any byte order. */
uint32_t ds_crc32c_sw(uint32_t crc, const void *buf, size_t len);

#if defined(__x86_64__)
#define DS_CRC32C_HAVE_SSE42 1
/* True when this CPU has SSE4.2's crc32 instruction. */
bool ds_crc32c_sse42_usable(void);
/* The crc32 instruction; call only when ds_crc32c_sse42_usable(). */
uint32_t ds_crc32c_sse42(uint32_t crc, const void *buf, size_t len);
/*
 * The SSE4.2 path runs three streams side by side, in rounds of 3 x
 * DS_CRC32C_LONG_BYTES while that much is left, then of 3 x
 * DS_CRC32C_SHORT_BYTES, then one stream for the rest.
 */
#define DS_CRC32C_LONG_BYTES	32768u
#define DS_CRC32C_SHORT_BYTES	2048u
#endif

#endif /* DS_CRC32C_H */
