// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Our FDT validator held against libfdt's fdt_check_full(), blob by blob:
 * whatever libfdt rejects, ds_fdt_open() must reject too. The next kernel
 * treats the handed-over blob as untrusted, and libfdt is the reference a
 * reviewer would reach for; a blob libfdt calls damaged but we accept is a
 * hole in our checks. The other way round is allowed: ds_fdt_open() is
 * deliberately stricter in places (docs/abi.md, "What the reader
 * rejects"), and the test counts those cases rather than hiding them.
 *
 * The blobs are a valid synthetic blob mutated three ways: every header
 * field set to every boundary value that matters to it, the buffer cut at
 * every length (with and without totalsize following the cut), and seeded
 * random byte flips. With DS_FDTDIFF_CORPUS=DIR set, the blobs on which the
 * two validators disagree or that sit right at a boundary are written to
 * DIR as seeds for the differential fuzzer (tests/fuzz/fuzz_fdtdiff.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "../synth/synth.h"
#include "tap.h"

#define SEED		6	/* three records: one with MSI, one with MSI-X */
#define DEVICES		3
#define FLIP_ROUNDS	20000

static uint8_t *good;
static uint32_t good_size;
/* The synthetic blob, and a tree with no property (an empty strings block). */
static uint8_t *synth_blob;
static uint32_t synth_size;
static uint8_t bare_blob[256];
/* 8-byte aligned, as libfdt requires of the blobs it reads. */
static uint64_t work64[64 * 1024];
static uint8_t *const work = (uint8_t *)work64;
static const char *corpus;
static unsigned int corpus_n;

/* One family of mutations: how often the two validators split. */
struct tally {
	const char *family;
	unsigned int cases;
	unsigned int both_reject;
	unsigned int stricter;	/* ours rejects, libfdt accepts */
	unsigned int missed;	/* libfdt rejects, ours accepts */
	unsigned int stricter_by[DS_ERR__MAX];	/* by our error */
};

static void save_seed(size_t size)
{
	char path[4096];
	FILE *f;

	if (!corpus)
		return;
	snprintf(path, sizeof(path), "%s/diff-%04u", corpus, corpus_n++);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(work, 1, size, f);
	fclose(f);
}

/* Judge work[0, size) by both validators and count the outcome. */
static void judge(struct tally *t, size_t size, const char *what)
{
	struct ds_fdt f;
	int err = ds_fdt_open(&f, work, size);
	bool ours = err == 0;
	bool theirs = fdt_check_full(work, size) == 0;

	t->cases++;
	if (ours == theirs) {
		t->both_reject += !ours;
		return;
	}
	save_seed(size);
	if (ours) {
		if (t->missed++ < 5)
			tap_diag("  accepted by us, rejected by fdt_check_full: %s", what);
	} else {
		t->stricter++;
		if (-err > 0 && -err < DS_ERR__MAX)
			t->stricter_by[-err]++;
	}
}

static void report(const struct tally *t)
{
	if (!tap_ok(!t->missed, "%s: every blob libfdt rejects is rejected (%u cases)",
		    t->family, t->cases))
		tap_diag("%u accepted by us, rejected by fdt_check_full (first 5 above)",
			 t->missed);
	unsigned int e;

	tap_diag("%s: %u rejected by both, %u only by us (stricter)",
		 t->family, t->both_reject, t->stricter);
	for (e = 1; e < DS_ERR__MAX; e++)
		if (t->stricter_by[e])
			tap_diag("  only by us: %u %s", t->stricter_by[e],
				 tap_errname(-(int)e));
}

static void reset_work(void)
{
	memset(work, 0, sizeof(work64));
	memcpy(work, good, good_size);
}

/*
 * The values that sit on a boundary for a header field: each block's edges,
 * the header's, totalsize's and the buffer's, their neighbours, and the
 * values that overflow a 32-bit sum.
 */
static unsigned int boundary_values(uint32_t *v, uint32_t cur)
{
	const uint32_t total = good_size;
	const uint32_t edges[] = {
		0, 1, 4, 8, 16, 39, 40, 41, 44, 48, 56,
		cur - 8, cur - 4, cur - 1, cur + 1, cur + 4, cur + 8,
		total - 8, total - 4, total - 1, total, total + 1, total + 4,
		total + 8, 0x7ffffffc, 0x80000000, 0xfffffff8, 0xfffffffc,
		0xffffffff, 0xffffffff - cur,
	};

	memcpy(v, edges, sizeof(edges));
	return TAP_ARRAY_SIZE(edges);
}

static const struct {
	const char *name;
	uint32_t off;
} fields[] = {
	{ "magic", 0 }, { "totalsize", 4 }, { "off_dt_struct", 8 },
	{ "off_dt_strings", 12 }, { "off_mem_rsvmap", 16 }, { "version", 20 },
	{ "last_comp_version", 24 }, { "boot_cpuid_phys", 28 },
	{ "size_dt_strings", 32 }, { "size_dt_struct", 36 },
};

/* Every header field alone at every boundary value. */
static void test_header_fields(void)
{
	struct tally t = { .family = "one header field at a boundary" };
	uint32_t vals[64];
	unsigned int i, j, n;
	char what[128];

	for (i = 0; i < TAP_ARRAY_SIZE(fields); i++) {
		n = boundary_values(vals, ds_get_be32(good + fields[i].off));
		for (j = 0; j < n; j++) {
			reset_work();
			ds_put_be32(work + fields[i].off, vals[j]);
			snprintf(what, sizeof(what), "%s = 0x%x", fields[i].name,
				 vals[j]);
			judge(&t, good_size, what);
		}
	}
	report(&t);
}

/*
 * Each block moved and resized together: an empty block anywhere (the case
 * that once slipped through: an empty strings block placed past totalsize
 * or over the header), and a block ending exactly at or past totalsize.
 */
static void test_block_pairs(void)
{
	static const uint32_t pairs[][2] = { { 8, 36 }, { 12, 32 } };
	struct tally t = { .family = "a block's offset and size together" };
	uint32_t offs[64], sizes[64];
	unsigned int p, i, j, no, ns;
	char what[128];

	for (p = 0; p < TAP_ARRAY_SIZE(pairs); p++) {
		no = boundary_values(offs, ds_get_be32(good + pairs[p][0]));
		ns = boundary_values(sizes, ds_get_be32(good + pairs[p][1]));
		for (i = 0; i < no; i++) {
			for (j = 0; j < ns; j++) {
				reset_work();
				ds_put_be32(work + pairs[p][0], offs[i]);
				ds_put_be32(work + pairs[p][1], sizes[j]);
				snprintf(what, sizeof(what), "header[%u] = 0x%x, header[%u] = 0x%x",
					 pairs[p][0], offs[i], pairs[p][1], sizes[j]);
				judge(&t, good_size, what);
			}
		}
	}
	report(&t);
}

/* The buffer cut short, with totalsize left alone or following the cut. */
static void test_truncation(void)
{
	struct tally t = { .family = "truncated at every length" };
	char what[128];
	uint32_t len;

	for (len = 0; len < good_size; len++) {
		reset_work();
		snprintf(what, sizeof(what), "buffer of %u bytes", len);
		judge(&t, len, what);
		if (len < 8)
			continue;
		ds_put_be32(work + 4, len);
		snprintf(what, sizeof(what), "buffer and totalsize of %u bytes", len);
		judge(&t, len, what);
	}
	report(&t);
}

/* xorshift64: the same flips on every machine. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* One to four random bytes set to random values, half of them in the header. */
static void test_random_flips(void)
{
	struct tally t = { .family = "seeded random byte changes" };
	uint64_t s = 0x6465767374617465ull;
	unsigned int round, k, nflip;
	char what[128];

	for (round = 0; round < FLIP_ROUNDS; round++) {
		reset_work();
		nflip = 1 + next_rand(&s) % 4;
		for (k = 0; k < nflip; k++) {
			uint32_t span = (next_rand(&s) & 1) ? 40 : good_size;
			uint32_t at = next_rand(&s) % span;

			work[at] = (uint8_t)next_rand(&s);
		}
		snprintf(what, sizeof(what), "random round %u", round);
		judge(&t, good_size, what);
	}
	report(&t);
}

/*
 * A tree without a single property: its strings block may be empty, so
 * nothing else in the blob pins down where that block starts.
 */
static int write_bare_blob(void)
{
	struct ds_fdt_writer w;
	int err;

	err = ds_fdt_create(&w, bare_blob, sizeof(bare_blob));
	if (!err)
		err = ds_fdt_begin_node(&w, "");
	if (!err)
		err = ds_fdt_begin_node(&w, "child@1");
	if (!err)
		err = ds_fdt_end_node(&w);
	if (!err)
		err = ds_fdt_end_node(&w);
	return err ? err : ds_fdt_finish(&w);
}

/* Every family of mutations, on the blob in good[0, good_size). */
static void test_blob(const char *name)
{
	tap_diag("blob: %s, %u bytes", name, good_size);
	memcpy(work, good, good_size);
	tap_ok(fdt_check_full(work, good_size) == 0,
	       "%s: fdt_check_full accepts it unmutated", name);
	test_header_fields();
	test_block_pairs();
	test_truncation();
	test_random_flips();
}

int main(void)
{
	int bare;

	corpus = getenv("DS_FDTDIFF_CORPUS");
	if (!tap_err(ds_synth_blob_alloc(SEED, DEVICES, &synth_blob, &synth_size), 0,
		     "valid synthetic blob") ||
	    !tap_ok(synth_size <= sizeof(work64), "it fits the work buffer"))
		return tap_done();
	bare = write_bare_blob();
	if (!tap_ok(bare > 0, "a tree without properties: %s",
		    bare > 0 ? "written" : tap_errname(bare)))
		return tap_done();

	good = synth_blob, good_size = synth_size;
	test_blob("synthetic, 3 devices");
	good = bare_blob, good_size = (uint32_t)bare;
	test_blob("no properties");
	if (corpus)
		tap_diag("%u disagreeing blobs written to %s", corpus_n, corpus);
	free(synth_blob);
	return tap_done();
}
