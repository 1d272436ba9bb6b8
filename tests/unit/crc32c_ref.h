/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tests' own CRC-32C, straight from the definition: one bit at a time,
 * no tables, no instruction, nothing shared with the library's crc32c.c.
 * Slow and obviously right, it is the oracle the region tests, the fuzzer
 * and the tool's fixtures check the library's CRCs against.
 *
 * Same convention as ds_crc32c(): ref_crc32c(0, buf, len) is the CRC of
 * buf (initial value ~0, final xor ~0), and a result passed back in
 * continues it.
 */
#ifndef DS_CRC32C_REF_H
#define DS_CRC32C_REF_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ref_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~crc;
	int k;

	while (len--) {
		c ^= *p++;
		/* 0x82f63b78: Castagnoli's 0x1edc6f41 with its bits reversed. */
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
	}
	return ~c;
}

#endif /* DS_CRC32C_REF_H */
