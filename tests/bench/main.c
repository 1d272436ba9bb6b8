// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate-bench: one run, every figure side by side.
 *
 *   devstate-bench [--quick] [--n N] [--seed S] [--kernel-times FILE]
 *                  [--vm-logs DIR]
 *
 * --quick runs N = 1 and 64 once each (the smoke test of make check); --n
 * runs one size alone; --profile loops our writer or reader alone, for perf
 * or callgrind.
 * For each N it builds the input once, checks that every contender produces
 * the same bytes or the same records (a benchmark of a wrong answer is
 * worthless, so a mismatch exits 1), then times each one. Times never fail
 * the run; ratios are printed against the targets in docs/performance.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "bench.h"
#include "synth.h"

#define MAX_SIZES 4

struct bench_opts {
	int quick;
	uint32_t only_n;	/* --n: one size only */
	const char *profile;	/* --profile write|read: ours alone, looped */
	uint64_t seed;
	const char *kernel_times;
	const char *vm_logs;
};

struct result {
	uint32_t n, blob;
	uint32_t bufsize;	/* fits either writer's blob: both get it */
	double w_ds, w_lf, w_mc;	/* writer, libfdt, memcpy: ns */
	double w_vs_lf, w_vs_mc;	/* medians of paired ratios */
	double w_phase[2];		/* records; end (rebase + strings move) */
	double r_vs_walk, r_vs_walk_nocrc;
	int identical, same_as_synth;
	int same_blocks;	/* structure and strings blocks identical */
	double r_ds, r_ds_nocrc, r_phase[3];
	double r_walk, r_walk_nocrc, r_byname;
	uint32_t byname_sample;
	double find_ns;
	uint32_t rec_median;
	double rec_mean;
	struct bench_sizes breakdown;
};

/* ------------------------------------------------------------------ */

struct wctx {
	const struct bench_input *in;
	uint8_t *buf, *src;
	uint32_t size;
	int ret;
};

static void run_write_ds(void *p)
{
	struct wctx *c = p;

	c->ret = bench_write_devstate(c->in, c->buf, c->size);
}

static void run_write_lf(void *p)
{
	struct wctx *c = p;

	c->ret = bench_write_libfdt(c->in, c->buf, c->size);
}

static void run_memcpy(void *p)
{
	struct wctx *c = p;

	memcpy(c->buf, c->src, c->size);
	bench_sink += c->buf[c->size - 1];
}

static void run_read_ds(void *p)
{
	bench_read_devstate(p);
}

static void run_read_walk(void *p)
{
	bench_read_libfdt_walk(p);
}

static void run_read_prologue(void *p)
{
	bench_read_libfdt_prologue(p);
}

static void run_read_byname(void *p)
{
	bench_read_libfdt_byname_lookups(p);
}

/* ------------------------------------------------------------------ */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Blob size and each record's bytes, with a buffer surely big enough. */
static int size_blob(const struct bench_input *in, struct result *res)
{
	uint64_t cap = 8192 + (uint64_t)in->n * 4096;
	uint8_t *buf = malloc(cap);
	uint32_t *sizes = calloc(in->n ? in->n : 1, sizeof(*sizes));
	uint64_t sum = 0;
	uint32_t i;
	int ret = -DS_ERR_NOMEM;

	if (buf && sizes)
		ret = bench_record_sizes(in, buf, (uint32_t)cap, sizes);
	if (ret >= 0) {
		res->blob = (uint32_t)ret;
		ret = bench_write_libfdt(in, buf, (uint32_t)cap);
	}
	if (ret >= 0) {
		res->bufsize = res->blob > (uint32_t)ret ? res->blob : (uint32_t)ret;
		for (i = 0; i < in->n; i++)
			sum += sizes[i];
		res->rec_mean = in->n ? (double)sum / in->n : 0;
		qsort(sizes, in->n, sizeof(*sizes), cmp_u32);
		res->rec_median = in->n ? sizes[in->n / 2] : 0;
		ret = 0;
	}
	free(buf);
	free(sizes);
	return ret;
}

/* Header fields aside, the two blobs hold the same blocks. */
static int same_blocks(const uint8_t *a, const uint8_t *b)
{
	const struct fdt_header *x = (const void *)a, *y = (const void *)b;

	return fdt_size_dt_struct(x) == fdt_size_dt_struct(y) &&
	       fdt_size_dt_strings(x) == fdt_size_dt_strings(y) &&
	       fdt_num_mem_rsv(x) == 0 && fdt_num_mem_rsv(y) == 0 &&
	       !memcmp(a + fdt_off_dt_struct(x), b + fdt_off_dt_struct(y),
		       fdt_size_dt_struct(x)) &&
	       !memcmp(a + fdt_off_dt_strings(x), b + fdt_off_dt_strings(y),
		       fdt_size_dt_strings(x));
}

/* The writers agree with each other and with the generator's own blob. */
static int verify_writers(const struct bench_input *in, uint64_t seed,
			  int synth, struct result *res, uint8_t **blob)
{
	uint8_t *a = malloc(res->bufsize), *b = malloc(res->bufsize);
	int la, lb, ls;

	if (!a || !b)
		return -DS_ERR_NOMEM;
	la = bench_write_devstate(in, a, res->bufsize);
	lb = bench_write_libfdt(in, b, res->bufsize);
	res->identical = la == (int)res->blob && lb == la && !memcmp(a, b, la);
	res->same_blocks = la > 0 && lb > 0 && same_blocks(a, b);
	res->same_as_synth = 1;
	if (synth) {
		ls = ds_synth_blob(b, res->bufsize, seed, in->n);
		res->same_as_synth = ls == la && !memcmp(a, b, res->blob);
	}
	free(b);
	if (la < 0 || lb < 0) {
		free(a);
		return la < 0 ? la : -DS_ERR_NOSPACE;
	}
	*blob = a;
	return 0;
}

/* A path timed by phase: fn(ctx, ns) fills ns[0..m-1] for one run. */
typedef void (*phase_fn)(void *ctx, double *ns);

#define MAX_PHASES 4

/* Each phase's median over @reps samples of @iters runs. */
static int time_phases(phase_fn fn, void *ctx, unsigned int m,
		       unsigned int reps, unsigned int iters, double *med)
{
	double *v = calloc((size_t)m * reps, sizeof(*v));
	unsigned int k, i, j;

	if (!v || m > MAX_PHASES) {
		free(v);
		return -1;
	}
	for (k = 0; k < reps; k++) {
		for (i = 0; i < iters; i++) {
			double one[MAX_PHASES];

			fn(ctx, one);
			for (j = 0; j < m; j++)
				v[j * reps + k] += one[j] / iters;
		}
	}
	for (j = 0; j < m; j++)
		med[j] = bench_median_of(v + j * reps, reps);
	free(v);
	return 0;
}

static void write_phases(void *p, double *ns)
{
	struct wctx *c = p;

	c->ret = bench_write_devstate_phases(c->in, c->buf, c->size, ns);
}

static void read_phases(void *p, double *ns)
{
	bench_read_devstate_phases(p, ns);
}

/*
 * One buffer, touched once, shared by all three so none pays page faults;
 * the writers get the same capacity (libfdt's fdt_create() clears all of
 * it), memcpy copies exactly our blob's bytes.
 */
static int time_writers(const struct bench_input *in, const uint8_t *blob,
			unsigned int reps, unsigned int iters,
			struct result *res)
{
	struct wctx cw = { .in = in, .size = res->bufsize };
	struct wctx cl, cm;
	struct bench_task t[3] = {
		{ run_write_ds, &cw }, { run_write_lf, &cl }, { run_memcpy, &cm },
	};
	double *v = calloc(3 * reps, sizeof(*v));
	int ok;

	cw.buf = malloc(res->bufsize);
	if (!cw.buf || !v) {
		free(cw.buf);
		free(v);
		return -DS_ERR_NOMEM;
	}
	cw.src = (uint8_t *)blob;
	memset(cw.buf, 0, res->bufsize);
	cl = cw;
	cm = cw;
	cm.size = res->blob;
	bench_round_robin(t, 3, reps, iters, v);
	/* ratios first: bench_median_of() sorts its samples in place */
	res->w_vs_lf = bench_median_ratio(v, v + reps, reps);
	res->w_vs_mc = bench_median_ratio(v, v + 2 * reps, reps);
	res->w_ds = bench_median_of(v, reps);
	res->w_lf = bench_median_of(v + reps, reps);
	res->w_mc = bench_median_of(v + 2 * reps, reps);
	ok = cw.ret == (int)res->blob && cl.ret > 0;
	ok &= !time_phases(write_phases, &cw, 2, reps, iters, res->w_phase);
	ok &= cw.ret == (int)res->blob;
	free(cw.buf);
	free(v);
	return ok ? 0 : -DS_ERR_NOSPACE;
}

/* Every read path returns exactly the input's records. */
static int verify_readers(const struct bench_region *rg,
			  const struct bench_input *in, uint32_t sample)
{
	struct bench_read_ctx c = { .rg = rg, .in = in, .crc = 1, .keep = 1 };
	void (*paths[3])(struct bench_read_ctx *) = {
		bench_read_devstate, bench_read_libfdt_walk,
		bench_read_libfdt_byname,
	};
	static const char *const names[3] = { "devstate", "libfdt walk",
					      "libfdt by name" };
	uint32_t i, k, bad = 0;

	c.out = calloc(in->n ? in->n : 1, sizeof(*c.out));
	if (!c.out)
		return -1;
	for (k = 0; k < 3; k++) {
		memcpy(c.out, in->recs, in->n * sizeof(*c.out));
		c.out[0].version = 0xdead;	/* a path that skips a record fails */
		for (i = 0; k == 2 && i < in->n; i++)
			c.out[i].version = 0xdead;
		c.err = 0;
		c.sample = k == 2 ? sample : 0;
		paths[k](&c);
		for (i = 0; i < in->n; i++) {
			if (k == 2 && sample < in->n && c.out[i].version == 0xdead)
				continue;	/* not in the sample */
			if (!bench_record_equal(&c.out[i], &in->recs[i]))
				break;
		}
		if (c.err || i < in->n) {
			fprintf(stderr, "devstate-bench: %s read back a different "
				"record (N=%u, err %d, record %u)\n", names[k],
				in->n, c.err, i);
			bad++;
		}
	}
	free(c.out);
	return bad ? -1 : 0;
}

static int time_readers(const struct bench_region *rg,
			 const struct bench_input *in, unsigned int reps,
			 unsigned int iters, struct result *res)
{
	struct ds_record scratch;
	struct bench_read_ctx c = { .rg = rg, .in = in, .out = &scratch };
	struct bench_read_ctx c0 = c;
	struct bench_task t[4] = {
		{ run_read_ds, &c }, { run_read_walk, &c },
		{ run_read_ds, &c0 }, { run_read_walk, &c0 },
	};
	double prologue, lookups, *v = calloc(4 * reps, sizeof(*v));

	if (!v)
		return -1;
	c.crc = 1;
	c0.crc = 0;
	bench_round_robin(t, 4, reps, iters, v);
	res->r_vs_walk = bench_median_ratio(v, v + reps, reps);
	res->r_vs_walk_nocrc = bench_median_ratio(v + 2 * reps, v + 3 * reps, reps);
	res->r_ds = bench_median_of(v, reps);
	res->r_walk = bench_median_of(v + reps, reps);
	res->r_ds_nocrc = bench_median_of(v + 2 * reps, reps);
	res->r_walk_nocrc = bench_median_of(v + 3 * reps, reps);
	free(v);
	if (c0.err)
		c.err = c0.err;

	c.crc = 1;
	if (time_phases(read_phases, &c, 3, reps, iters, res->r_phase))
		return -1;

	/* By name is O(N^2): time a sample of lookups, scale to N. */
	c.sample = res->byname_sample;
	prologue = bench_median_ns(run_read_prologue, &c, reps, iters);
	lookups = bench_median_ns(run_read_byname, &c, reps, iters);
	res->r_byname = prologue + lookups * in->n / res->byname_sample;

	res->find_ns = bench_find_ns(rg, in, reps);
	return c.err || res->find_ns < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */

static uint32_t byname_sample(uint32_t n, int quick)
{
	uint32_t s;

	if (quick || n <= 256)
		return n ? n : 1;
	s = (1u << 20) / n;
	return s < 32 ? 32 : s > 256 ? 256 : s;
}

static int bench_one(const struct bench_opts *o, uint32_t n, struct result *res)
{
	unsigned int reps = o->quick ? 1 : n >= 65536 ? 5 : 11;
	unsigned int iters = o->quick || n >= 4096 ? 1 : 4096 / n;
	struct bench_input in;
	struct bench_region rg;
	uint8_t *blob = NULL;
	int ret;

	memset(res, 0, sizeof(*res));
	res->n = n;
	res->byname_sample = byname_sample(n, o->quick);
	ret = bench_input_synth(&in, o->seed, n);
	if (!ret)
		ret = size_blob(&in, res);
	if (!ret)
		ret = verify_writers(&in, o->seed, 1, res, &blob);
	if (!ret)
		ret = bench_size_breakdown(blob, res->blob, &res->breakdown);
	if (!ret)
		ret = bench_region_make(&rg, blob, res->blob);
	if (ret) {
		fprintf(stderr, "devstate-bench: N=%u: %s\n", n, ds_strerror(ret));
		return -1;
	}
	if (verify_readers(&rg, &in, res->byname_sample))
		ret = -1;
	if (!ret)
		ret = time_writers(&in, blob, reps, iters, res);
	if (!ret)
		ret = time_readers(&rg, &in, reps, iters, res);
	if (ret)
		fprintf(stderr, "devstate-bench: N=%u: a timed run failed\n", n);
	bench_region_free(&rg);
	free(blob);
	bench_input_free(&in);
	return ret;
}

/* ------------------------------------------------------------------ */

#define ROW(label, fmt, expr)						\
	do {								\
		printf("  %-44s", label);				\
		for (k = 0; k < nr; k++) {				\
			const struct result *r = &res[k];		\
			printf(fmt, expr);				\
		}							\
		printf("\n");						\
	} while (0)

/* A time in us, in a 12-wide column whatever its size. */
static const char *us(double ns)
{
	static char bufs[8][16];
	static unsigned int next;
	char *b = bufs[next++ % 8];

	snprintf(b, 16, ns < 1e11 ? "%12.1f" : "%12.0f", ns / 1000.0);
	return b;
}

static void print_header(const char *title, const struct result *res,
			 unsigned int nr)
{
	unsigned int k;

	printf("\n%-46s", title);
	for (k = 0; k < nr; k++) {
		char h[16];

		snprintf(h, sizeof(h), "N=%u", res[k].n);
		printf("%12s", h);
	}
	printf("\n");
}

static void print_writer(const struct result *res, unsigned int nr)
{
	unsigned int k;

	print_header("Writer: build the blob (median, us)", res, nr);
	ROW("devstate writer", "%s", us(r->w_ds));
	ROW("  begin + ds_record_write x N", "%s", us(r->w_phase[0]));
	ROW("  ds_blob_end: name rebase, strings move", "%s", us(r->w_phase[1]));
	ROW("libfdt sequential write, same tree", "%s", us(r->w_lf));
	ROW("memcpy of the same bytes", "%s", us(r->w_mc));
	ROW("writer / libfdt (target <= 1.0)", "%11.2fx", r->w_vs_lf);
	ROW("writer / memcpy (target <= 5.0)", "%11.1fx", r->w_vs_mc);
	ROW("ns per device, devstate writer", "%12.0f", r->w_ds / r->n);
	ROW("output byte-identical to libfdt", "%12s", r->identical ? "yes" : "NO");
	ROW("  structure + strings blocks identical", "%12s",
	    r->same_blocks ? "yes" : "NO");
	ROW("output identical to devstate-synth's", "%12s",
	    r->same_as_synth ? "yes" : "NO");
}

static void print_reader(const struct result *res, unsigned int nr)
{
	unsigned int k;

	print_header("Reader: open, validate, find + read all (us)", res, nr);
	ROW("devstate, with blob CRC", "%s", us(r->r_ds));
	ROW("  region open: header + blob CRC", "%s", us(r->r_phase[0]));
	ROW("  blob open: validate + root + index", "%s", us(r->r_phase[1]));
	ROW("  ds_blob_find + ds_record_read x N", "%s", us(r->r_phase[2]));
	ROW("libfdt walk, with CRC", "%s", us(r->r_walk));
	ROW("libfdt by name, with CRC (see sample)", "%s", us(r->r_byname));
	ROW("  by-name lookups timed (rest scaled)", "%12u", r->byname_sample);
	ROW("devstate, without CRC", "%s", us(r->r_ds_nocrc));
	ROW("libfdt walk, without CRC", "%s", us(r->r_walk_nocrc));
	ROW("devstate / libfdt walk (target <= 1.0)", "%11.2fx", r->r_vs_walk);
	ROW("  same, both without CRC", "%11.2fx", r->r_vs_walk_nocrc);
	ROW("devstate / libfdt by name", "%11.3fx", r->r_ds / r->r_byname);
	ROW("ns per device, devstate read path", "%12.0f", r->r_ds / r->n);
	ROW("ns per ds_blob_find (should stay flat)", "%12.1f", r->find_ns);
}

static void print_size(const struct result *res, unsigned int nr,
		       uint32_t edu)
{
	unsigned int k;

	print_header("Size (bytes)", res, nr);
	ROW("blob total", "%12u", r->blob);
	ROW("per device record, median (target <= 512)", "%12u", r->rec_median);
	ROW("per device record, mean", "%12.0f", r->rec_mean);
	printf("  %-44s%12u\n", "edu-like record (one device)", edu);
}

static void print_figures(const struct result *res, unsigned int nr,
			  uint32_t edu)
{
	const struct result *big = &res[nr - 1];
	unsigned int k;

	for (k = 0; k < nr; k++) {
		const struct result *r = &res[k];

		bench_fig("ms", r->w_ds / 1e6, "write_ms_%u", r->n);
		bench_fig("ms", r->w_lf / 1e6, "write_libfdt_ms_%u", r->n);
		bench_fig("ms", r->w_mc / 1e6, "memcpy_ms_%u", r->n);
		bench_fig("x", r->w_vs_lf, "write_vs_libfdt_%u", r->n);
		bench_fig("x", r->w_vs_mc, "write_vs_memcpy_%u", r->n);
		bench_fig("bool", r->identical, "write_identical_libfdt_%u", r->n);
		bench_fig("ms", r->r_ds / 1e6, "read_ms_%u", r->n);
		bench_fig("ms", r->r_ds_nocrc / 1e6, "read_nocrc_ms_%u", r->n);
		bench_fig("ms", r->r_walk / 1e6, "read_libfdt_walk_ms_%u", r->n);
		bench_fig("ms", r->r_walk_nocrc / 1e6,
			  "read_libfdt_walk_nocrc_ms_%u", r->n);
		bench_fig("ms", r->r_byname / 1e6, "read_libfdt_byname_ms_%u", r->n);
		bench_fig("x", r->r_vs_walk, "read_vs_libfdt_%u", r->n);
		bench_fig("x", r->r_vs_walk_nocrc, "read_vs_libfdt_nocrc_%u", r->n);
		bench_fig("x", r->r_ds / r->r_byname, "read_vs_libfdt_byname_%u",
			  r->n);
		bench_fig("ns", r->find_ns, "find_ns_per_lookup_%u", r->n);
		bench_fig("B", r->blob, "blob_bytes_%u", r->n);
	}
	bench_fig("B", big->rec_median, "bytes_per_device");
	bench_fig("B", big->rec_mean, "bytes_per_device_mean");
	bench_fig("B", edu, "bytes_per_device_edu");
}

/*
 * Byte identity, and when it fails, whether only the header differs: libfdt
 * aligns the memory reservation map to 16 bytes (0x30, structure at 0x40)
 * where dtc and a writer that follows it use 0x28 and 0x38.
 */
static void print_verdict(const struct result *res, unsigned int nr)
{
	int identical = 1, blocks = 1;
	unsigned int k;

	for (k = 0; k < nr; k++) {
		identical &= res[k].identical && res[k].same_as_synth;
		blocks &= res[k].same_blocks;
	}
	printf("\nverdict: devstate writer output byte-identical to libfdt's at "
	       "every N: %s\n", identical ? "yes" : "NO");
	if (!identical)
		printf("verdict: structure and strings blocks identical at every "
		       "N: %s%s\n", blocks ? "yes" : "NO", blocks ?
		       " (only the header layout differs: see docs/performance.md)" :
		       "");
	bench_fig("bool", identical, "write_identical_libfdt");
	bench_fig("bool", blocks, "write_same_blocks_libfdt");
}

static int edu_bytes(uint32_t *out)
{
	struct bench_input in;
	struct result r;
	int ret = bench_input_edu(&in);

	if (!ret)
		ret = size_blob(&in, &r);
	if (!ret)
		*out = r.rec_median;
	bench_input_free(&in);
	return ret;
}

/*
 * Our writer or reader alone, 20 times over N devices, for perf record or
 * callgrind: no contender, no verification, no table.
 */
static int profile_one(const struct bench_opts *o)
{
	uint32_t n = o->only_n ? o->only_n : 65536;
	int write = !strcmp(o->profile, "write");
	struct bench_input in;
	struct bench_region rg = { 0 };
	struct ds_record scratch;
	struct bench_read_ctx c = { .in = &in, .out = &scratch, .crc = 1 };
	struct result res;
	uint8_t *blob = NULL;
	unsigned int k;
	int ret;

	if (!write && strcmp(o->profile, "read"))
		return 2;
	ret = bench_input_synth(&in, o->seed, n);
	if (!ret)
		ret = size_blob(&in, &res);
	blob = ret ? NULL : malloc(res.bufsize);
	if (!blob)
		return 1;
	ret = bench_write_devstate(&in, blob, res.bufsize);
	if (ret > 0 && !write)
		ret = bench_region_make(&rg, blob, (uint32_t)ret);
	c.rg = &rg;
	for (k = 0; ret >= 0 && k < 20; k++) {
		if (write)
			ret = bench_write_devstate(&in, blob, res.bufsize);
		else
			bench_read_devstate(&c);
	}
	fprintf(stderr, "devstate-bench: profiled %s, N=%u: %s\n", o->profile,
		n, ret < 0 || c.err ? "failed" : "ok");
	bench_region_free(&rg);
	free(blob);
	bench_input_free(&in);
	return ret < 0 || c.err;
}

/*
 * The load other processes put on the machine, read before and after the
 * run: times are wall-clock medians, so a busy machine inflates them (the
 * paired ratios much less).
 */
static double loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static void usage(void)
{
	fprintf(stderr, "usage: devstate-bench [--quick] [--n N] [--seed S] "
		"[--kernel-times FILE] [--vm-logs DIR]\n"
		"       devstate-bench --profile write|read [--n N] [--seed S]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 's' },
		{ "kernel-times", required_argument, NULL, 'k' },
		{ "vm-logs", required_argument, NULL, 'l' },
		{ "n", required_argument, NULL, 'n' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = { .seed = 1,
				.kernel_times = "build/vm/kernel-times.txt",
				.vm_logs = "build/vm/logs" };
	static const uint32_t full[] = { 1, 64, 4096, 65536 };
	static const uint32_t quick[] = { 1, 64 };
	struct result res[MAX_SIZES];
	const uint32_t *sizes;
	unsigned int nr, k;
	uint32_t edu = 0;
	int opt, fail = 0;
	double load;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'q') {
			o.quick = 1;
		} else if (opt == 's') {
			o.seed = strtoull(optarg, NULL, 0);
		} else if (opt == 'p') {
			o.profile = optarg;
		} else if (opt == 'n') {
			o.only_n = (uint32_t)strtoul(optarg, NULL, 0);
		} else if (opt == 'l') {
			o.vm_logs = optarg;
		} else if (opt == 'k') {
			o.kernel_times = optarg;
		} else {
			usage();
			return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	if (o.profile)
		return profile_one(&o);
	sizes = o.quick ? quick : full;
	nr = o.quick ? 2 : 4;
	if (o.only_n) {
		sizes = &o.only_n;
		nr = 1;
	}
	printf("devstate-bench: seed %llu, %s, medians of %s, CLOCK_MONOTONIC\n",
	       (unsigned long long)o.seed, o.quick ? "quick (smoke) run" : "full run",
	       o.quick ? "1 repetition" : "11 repetitions (5 at N=65536)");
	load = loadavg();
	for (k = 0; k < nr; k++) {
		fprintf(stderr, "devstate-bench: N=%u...\n", sizes[k]);
		fail |= bench_one(&o, sizes[k], &res[k]) != 0;
	}
	fail |= edu_bytes(&edu) != 0;
	if (fail)
		return 1;	/* a contender gave a wrong answer */
	printf("machine: %ld CPUs online, load average %.2f before the run, "
	       "%.2f after\n", sysconf(_SC_NPROCESSORS_ONLN), load, loadavg());
	bench_fig("load", load, "loadavg_before");
	print_writer(res, nr);
	print_reader(res, nr);
	print_size(res, nr, edu);
	bench_size_print(&res[nr - 1].breakdown);
	print_verdict(res, nr);
	bench_kernel_report(o.kernel_times, o.vm_logs);
	print_figures(res, nr, edu);
	bench_fig_print();
	return 0;
}
