// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * CRC-32C: the library's implementations (the SSE4.2 one when this CPU has
 * it, the portable tables always, and ds_crc32c() that picks between them)
 * against the standard check values and against the bitwise reference of
 * crc32c_ref.h, at every alignment and many lengths, in one piece and in
 * chunks.
 */
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "ds_env.h"

#include "crc32c_ref.h"
#include "tap.h"

typedef uint32_t crc_fn(uint32_t crc, const void *buf, size_t len);

struct impl {
	const char *name;
	crc_fn *fn;
};

static struct impl impls[3];
static unsigned int nr_impls;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64: reproducible, and no libc state shared with anyone. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_random(uint8_t *p, size_t len)
{
	while (len--)
		*p++ = (uint8_t)rng();
}

static void list_impls(void)
{
	impls[nr_impls++] = (struct impl){ "ds_crc32c", ds_crc32c };
	impls[nr_impls++] = (struct impl){ "tables (ds_crc32c_sw)", ds_crc32c_sw };
#ifdef DS_CRC32C_HAVE_SSE42
	if (ds_crc32c_sse42_usable()) {
		impls[nr_impls++] = (struct impl){ "SSE4.2 (ds_crc32c_sse42)",
						   ds_crc32c_sse42 };
		tap_diag("this CPU has SSE4.2: ds_crc32c() uses the crc32 instruction");
	} else {
		tap_ok(true, "# SKIP the SSE4.2 path: this CPU lacks the instruction");
	}
#else
	tap_ok(true, "# SKIP the SSE4.2 path: not an x86-64 build");
#endif
}

/* Published values, independent of any code here. */
static void test_check_values(void)
{
	static const char check[] = "123456789";
	uint8_t zeros[32], ones[32], ascending[32];
	unsigned int i;

	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	for (i = 0; i < sizeof(ascending); i++)
		ascending[i] = (uint8_t)i;
	tap_eq(ref_crc32c(0, check, 9), 0xe3069283u,
	       "reference: check value of \"123456789\" is 0xe3069283");
	for (i = 0; i < nr_impls; i++) {
		crc_fn *f = impls[i].fn;

		tap_eq(f(0, check, 9), 0xe3069283u,
		       "%s: check value of \"123456789\"", impls[i].name);
		/* RFC 3720 (iSCSI), appendix B.4. */
		tap_ok(f(0, zeros, 32) == 0x8a9136aau && f(0, ones, 32) == 0x62a8ab43u &&
		       f(0, ascending, 32) == 0x46dd794eu,
		       "%s: RFC 3720 vectors (32 zeros, 32 x 0xff, 0..31)",
		       impls[i].name);
		tap_ok(f(0, NULL, 0) == 0 && f(0x12345678u, NULL, 0) == 0x12345678u,
		       "%s: no bytes leave the CRC as it was", impls[i].name);
	}
}

/* Every alignment 0..15 and length 0..300, random bytes. */
static void test_small(void)
{
	enum { MAXLEN = 300, ALIGNS = 16 };
	uint8_t *buf = malloc(MAXLEN + ALIGNS + 8);
	uint32_t want[ALIGNS][MAXLEN + 1];
	unsigned int i, a, len;

	if (!tap_ok(buf != NULL, "buffer for the small cases"))
		return;
	fill_random(buf, MAXLEN + ALIGNS + 8);
	for (a = 0; a < ALIGNS; a++)
		for (len = 0; len <= MAXLEN; len++)
			want[a][len] = ref_crc32c(0, buf + a, len);
	for (i = 0; i < nr_impls; i++) {
		unsigned int bad = 0;

		for (a = 0; a < ALIGNS; a++)
			for (len = 0; len <= MAXLEN; len++) {
				uint32_t got = impls[i].fn(0, buf + a, len);

				if (got == want[a][len])
					continue;
				if (!bad++)
					tap_diag("%s: offset %u length %u: 0x%08x, reference 0x%08x",
						 impls[i].name, a, len, got, want[a][len]);
			}
		tap_ok(!bad, "%s equals the reference at offsets 0..%u, lengths 0..%u (%u differ)",
		       impls[i].name, ALIGNS - 1, MAXLEN, bad);
	}
	free(buf);
}

/*
 * Sizes around the SSE4.2 path's three-stream rounds, long and short (where
 * the join step meets the streams), and a few megabytes, at odd offsets.
 */
static void test_large(void)
{
#ifdef DS_CRC32C_HAVE_SSE42
	const size_t lr = 3 * DS_CRC32C_LONG_BYTES, sr = 3 * DS_CRC32C_SHORT_BYTES;
#else
	const size_t lr = 3 * 32768, sr = 3 * 2048;
#endif
	const size_t lens[] = { sr - 1, sr, sr + 13, 2 * sr + 7, lr - 1, lr,
				lr + sr + 5, 2 * lr + sr - 3, (1u << 20) + 7,
				3u << 20 };
	const unsigned int offs[] = { 0, 3, 8, 13 };
	size_t max = 0;
	uint8_t *buf;
	unsigned int i, k, o;

	for (k = 0; k < TAP_ARRAY_SIZE(lens); k++)
		if (lens[k] > max)
			max = lens[k];
	buf = malloc(max + 16);
	if (!tap_ok(buf != NULL, "buffer for the large cases"))
		return;
	fill_random(buf, max + 16);
	for (k = 0; k < TAP_ARRAY_SIZE(lens); k++)
		for (o = 0; o < TAP_ARRAY_SIZE(offs); o++) {
			uint32_t want = ref_crc32c(0, buf + offs[o], lens[k]);

			for (i = 0; i < nr_impls; i++)
				tap_eq(impls[i].fn(0, buf + offs[o], lens[k]), want,
				       "%s: %zu bytes at offset %u", impls[i].name,
				       lens[k], offs[o]);
		}
	free(buf);
}

/*
 * Chained calls over random chunk sizes (empty ones too) give the one-shot
 * CRC, also across implementations: a CRC started by one continues in any
 * other.
 */
static void test_chunks(void)
{
	const size_t len = 200000;
	uint8_t *buf = malloc(len);
	uint32_t want;
	unsigned int i, trial;

	if (!tap_ok(buf != NULL, "buffer for the chunked cases"))
		return;
	fill_random(buf, len);
	want = ref_crc32c(0, buf, len);
	for (i = 0; i < nr_impls; i++) {
		unsigned int bad = 0;

		for (trial = 0; trial < 8; trial++) {
			uint32_t crc = 0;
			size_t at = 0;

			while (at < len) {
				/* Mostly small pieces, now and then a big one. */
				size_t n = rng() % 8 ? rng() % 100 : rng() % 60000;

				if (n > len - at)
					n = len - at;
				crc = impls[i].fn(crc, buf + at, n);
				at += n;
			}
			bad += crc != want;
		}
		tap_ok(!bad, "%s: chunked in 8 random ways, as one piece (%u differ)",
		       impls[i].name, bad);
	}
	for (trial = 0; trial < 16; trial++) {
		size_t cut = rng() % len;
		unsigned int first = (unsigned int)(rng() % nr_impls);
		unsigned int second = (unsigned int)(rng() % nr_impls);
		uint32_t crc = impls[first].fn(0, buf, cut);

		crc = impls[second].fn(crc, buf + cut, len - cut);
		tap_eq(crc, want, "%s then %s, cut at %zu", impls[first].name,
		       impls[second].name, cut);
	}
	free(buf);
}

int main(void)
{
	list_impls();
	test_check_values();
	test_small();
	test_large();
	test_chunks();
	return tap_done();
}
