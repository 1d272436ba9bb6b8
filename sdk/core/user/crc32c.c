// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * CRC-32C (Castagnoli) for the userspace library: the region header's
 * blob_crc and header_crc. The kernel computes the same CRC with its own
 * __crc32c_le() (sdk/core/kernel/ds_env.h).
 *
 * On x86-64 CPUs with SSE4.2 the crc32 instruction does the work, 8 bytes
 * at a time in three interleaved streams; elsewhere slice-by-8 tables,
 * built on first use. The choice is made once per process.
 *
 * Every function here takes and returns the CRC with zlib's convention:
 * start from 0, and chain by passing the previous result, so that
 * f(f(0, a, n), b, m) is the CRC of a followed by b. Inside, the shift
 * register holds the inverted value (standard CRC-32C: initial value
 * ~0, final xor ~0).
 */
#include <pthread.h>
#include <string.h>

#include "crc32c.h"
#include "ds_env.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

/* The Castagnoli polynomial 0x1EDC6F41, bit-reflected (LSB first). */
#define DS_CRC32C_POLY	0x82f63b78u

/* One bit through the register: multiply by x modulo the polynomial. */
static uint32_t ds_crc32c_mulx(uint32_t c)
{
	return c >> 1 ^ (c & 1 ? DS_CRC32C_POLY : 0);
}

/*
 * ds_crc32c_table[k][b]: the register's change for byte b followed by k
 * zero bytes, so that eight bytes cost eight independent table loads.
 */
static uint32_t ds_crc32c_table[8][256];
static pthread_once_t ds_crc32c_table_once = PTHREAD_ONCE_INIT;

static void ds_crc32c_table_init(void)
{
	unsigned int b, k;

	for (b = 0; b < 256; b++) {
		uint32_t c = b;

		for (k = 0; k < 8; k++)
			c = ds_crc32c_mulx(c);
		ds_crc32c_table[0][b] = c;
	}
	for (k = 1; k < 8; k++)
		for (b = 0; b < 256; b++) {
			uint32_t c = ds_crc32c_table[k - 1][b];

			ds_crc32c_table[k][b] = c >> 8 ^ ds_crc32c_table[0][c & 0xff];
		}
}

/* Little-endian load whatever the host's byte order; one load on x86. */
static uint32_t ds_crc32c_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t ds_crc32c_sw_run(uint32_t c, const uint8_t *p, size_t len)
{
	uint32_t (*t)[256] = ds_crc32c_table;

	for (; len >= 8; p += 8, len -= 8) {
		uint32_t lo = c ^ ds_crc32c_le32(p);
		uint32_t hi = ds_crc32c_le32(p + 4);

		c = t[7][lo & 0xff] ^ t[6][lo >> 8 & 0xff] ^
		    t[5][lo >> 16 & 0xff] ^ t[4][lo >> 24] ^
		    t[3][hi & 0xff] ^ t[2][hi >> 8 & 0xff] ^
		    t[1][hi >> 16 & 0xff] ^ t[0][hi >> 24];
	}
	while (len--)
		c = c >> 8 ^ t[0][(c ^ *p++) & 0xff];
	return c;
}

uint32_t ds_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&ds_crc32c_table_once, ds_crc32c_table_init);
	return ~ds_crc32c_sw_run(~crc, buf, len);
}

#if defined(__x86_64__)

static pthread_once_t ds_crc32c_probe_once = PTHREAD_ONCE_INIT;
static bool ds_crc32c_sse42_ok;

/*
 * A size of the three-stream rounds, and what ds_crc32c_shift() needs to
 * join streams of that size: x^(8 * bytes - 33) modulo the polynomial.
 */
struct ds_crc32c_stride {
	size_t bytes;
	uint32_t k;
};

/*
 * Long strides for big buffers: the longer each stream runs before the next
 * round, the better the prefetchers follow the three (on the project's
 * machine, 50 MB ran at 12-13 GB/s with 8 KiB strides, 19 GB/s with
 * 32 KiB). Short ones for what is left: in cache, rounds of 1, 2 and
 * 4 KiB strides ran at 20, 24 and 26 GB/s, one stream at 9.8.
 */
static struct ds_crc32c_stride ds_crc32c_long = { DS_CRC32C_LONG_BYTES, 0 };
static struct ds_crc32c_stride ds_crc32c_short = { DS_CRC32C_SHORT_BYTES, 0 };

static uint64_t ds_crc32c_load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * x^n modulo the polynomial: n single steps to reach a multiple of 64, then
 * the instruction's own shift by 64 bits (a word of zeros) for the rest.
 */
__attribute__((target("sse4.2")))
static uint32_t ds_crc32c_xpow(size_t n)
{
	uint64_t v = 0x80000000u;	/* x^0, bit-reflected */
	size_t i;

	for (i = 0; i < n % 64; i++)
		v = ds_crc32c_mulx((uint32_t)v);
	for (i = 0; i < n / 64; i++)
		v = _mm_crc32_u64(v, 0);
	return (uint32_t)v;
}

/* Carry-less product: the polynomials a and b multiplied over GF(2). */
static uint64_t ds_crc32c_clmul(uint32_t a, uint32_t b)
{
	uint64_t r = 0;
	unsigned int i;

	for (i = 0; i < 32; i++)
		r ^= ((uint64_t)a << i) & (0 - (uint64_t)(b >> i & 1));
	return r;
}

/*
 * The register after n = s->bytes more zero bytes: c * x^(8n) modulo the
 * polynomial. Bit-reflected, the carry-less product of c and
 * s->k = x^(8n - 33) reads as the 64-bit message c * s->k * x, and the
 * crc32 instruction over a message M from a zero register gives M * x^32:
 * in all c * x^(8n).
 */
__attribute__((target("sse4.2")))
static uint32_t ds_crc32c_shift(uint32_t c, const struct ds_crc32c_stride *s)
{
	return (uint32_t)_mm_crc32_u64(0, ds_crc32c_clmul(c, s->k));
}

static void ds_crc32c_probe(void)
{
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("sse4.2"))
		return;
	ds_crc32c_long.k = ds_crc32c_xpow(8 * ds_crc32c_long.bytes - 33);
	ds_crc32c_short.k = ds_crc32c_xpow(8 * ds_crc32c_short.bytes - 33);
	ds_crc32c_sse42_ok = true;
}

bool ds_crc32c_sse42_usable(void)
{
	pthread_once(&ds_crc32c_probe_once, ds_crc32c_probe);
	return ds_crc32c_sse42_ok;
}

/* One stream: each crc32 waits for the one before it. */
__attribute__((target("sse4.2")))
static uint32_t ds_crc32c_sse42_run(uint32_t c, const uint8_t *p, size_t len)
{
	uint64_t c64 = c;

	for (; len >= 8; p += 8, len -= 8)
		c64 = _mm_crc32_u64(c64, ds_crc32c_load64(p));
	c = (uint32_t)c64;
	while (len--)
		c = _mm_crc32_u8(c, *p++);
	return c;
}

/*
 * Rounds of three streams over three consecutive pieces of n bytes, so
 * that three crc32 instructions are in flight at once (its latency is
 * three times its issue rate), joined by the linearity of the CRC: the
 * register over A B C is shift(shift(crc(A)) ^ crc0(B)) ^ crc0(C), crc0
 * starting from a zero register. Rounds while at least 3n bytes are left;
 * *pp and *lenp are moved past them.
 */
__attribute__((target("sse4.2")))
static uint32_t ds_crc32c_sse42_rounds(uint32_t c, const uint8_t **pp,
				       size_t *lenp,
				       const struct ds_crc32c_stride *s)
{
	const uint8_t *p = *pp;
	size_t len = *lenp, n = s->bytes;

	for (; len >= 3 * n; p += 3 * n, len -= 3 * n) {
		uint64_t a = c, b = 0, d = 0;
		size_t i;

		for (i = 0; i < n; i += 8) {
			a = _mm_crc32_u64(a, ds_crc32c_load64(p + i));
			b = _mm_crc32_u64(b, ds_crc32c_load64(p + n + i));
			d = _mm_crc32_u64(d, ds_crc32c_load64(p + 2 * n + i));
		}
		c = ds_crc32c_shift((uint32_t)a, s) ^ (uint32_t)b;
		c = ds_crc32c_shift(c, s) ^ (uint32_t)d;
	}
	*pp = p;
	*lenp = len;
	return c;
}

__attribute__((target("sse4.2")))
static uint32_t ds_crc32c_sse42_all(uint32_t c, const uint8_t *p, size_t len)
{
	/* Aligned 8-byte loads never straddle a cache line. */
	for (; len && ((uintptr_t)p & 7); len--)
		c = _mm_crc32_u8(c, *p++);
	c = ds_crc32c_sse42_rounds(c, &p, &len, &ds_crc32c_long);
	c = ds_crc32c_sse42_rounds(c, &p, &len, &ds_crc32c_short);
	return ds_crc32c_sse42_run(c, p, len);
}

uint32_t ds_crc32c_sse42(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&ds_crc32c_probe_once, ds_crc32c_probe);
	return ~ds_crc32c_sse42_all(~crc, buf, len);
}

#endif /* __x86_64__ */

uint32_t ds_crc32c(uint32_t crc, const void *buf, size_t len)
{
#if defined(__x86_64__)
	if (ds_crc32c_sse42_usable())
		return ~ds_crc32c_sse42_all(~crc, buf, len);
#endif
	return ds_crc32c_sw(crc, buf, len);
}
