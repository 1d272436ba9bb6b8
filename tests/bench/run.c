// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One size N, end to end: build the input, check that every contender
 * produces the same tree or the same records (a benchmark of a wrong answer
 * is worthless), then time each of them. Also the edu record's size and the
 * --profile loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "synth.h"

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

static void run_touch_input(void *p)
{
	struct wctx *c = p;

	bench_sink += bench_touch_input(c->in);
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
static int size_blob(const struct bench_input *in, struct bench_result *res)
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

/*
 * The writers build the same tree, and ours the generator's own blob. Byte
 * identity with libfdt is reported too, though not expected: the strings
 * blocks list the same names in another order (see twin.c).
 */
static int verify_writers(const struct bench_input *in, uint64_t seed,
			  int synth, struct bench_result *res, uint8_t **blob)
{
	uint8_t *a = malloc(res->bufsize), *b = malloc(res->bufsize);
	int la, lb, ls;

	if (!a || !b)
		return -DS_ERR_NOMEM;
	la = bench_write_devstate(in, a, res->bufsize);
	lb = bench_write_libfdt(in, b, res->bufsize);
	res->identical = la == (int)res->blob && lb == la && !memcmp(a, b, la);
	res->same_tree = la > 0 && lb > 0 && bench_same_tree(a, b);
	res->same_struct = la > 0 && lb > 0 && bench_same_struct(a, b);
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
	/* timing writers that disagree would compare different work */
	if (!res->same_tree || !res->same_as_synth) {
		fprintf(stderr, "devstate-bench: N=%u: %s\n", in->n,
			!res->same_tree ? "libfdt's writer built another tree" :
			"our blob differs from devstate-synth's");
		free(a);
		return -DS_ERR_BADSTATE;
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
			struct bench_result *res)
{
	struct wctx cw = { .in = in, .size = res->bufsize };
	struct wctx cl, cm;
	struct bench_task t[4] = {
		{ run_write_ds, &cw }, { run_write_lf, &cl }, { run_memcpy, &cm },
		{ run_touch_input, &cm },
	};
	double *v = calloc(4 * reps, sizeof(*v)), *cpu = calloc(4 * reps, sizeof(*v));
	int ok;

	cw.buf = malloc(res->bufsize);
	if (!cw.buf || !v || !cpu) {
		free(cw.buf);
		free(v);
		free(cpu);
		return -DS_ERR_NOMEM;
	}
	cw.src = (uint8_t *)blob;
	memset(cw.buf, 0, res->bufsize);
	cl = cw;
	cm = cw;
	cm.size = res->blob;
	bench_round_robin(t, 4, reps, iters, v, cpu);
	res->w_ds_cpu = bench_median_of(cpu, reps);
	res->w_lf_cpu = bench_median_of(cpu + reps, reps);
	free(cpu);
	/* ratios first: bench_median_of() sorts its samples in place */
	res->w_vs_lf = bench_median_ratio(v, v + reps, reps);
	res->w_vs_mc = bench_median_ratio(v, v + 2 * reps, reps);
	res->w_ds = bench_median_of(v, reps);
	res->w_lf = bench_median_of(v + reps, reps);
	res->w_mc = bench_median_of(v + 2 * reps, reps);
	res->w_input = bench_median_of(v + 3 * reps, reps);
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
			 unsigned int iters, struct bench_result *res)
{
	struct ds_record scratch;
	struct bench_read_ctx c = { .rg = rg, .in = in, .out = &scratch };
	struct bench_read_ctx c0 = c;
	struct bench_task t[4] = {
		{ run_read_ds, &c }, { run_read_walk, &c },
		{ run_read_ds, &c0 }, { run_read_walk, &c0 },
	};
	double prologue, lookups, *v = calloc(4 * reps, sizeof(*v));
	double *cpu = calloc(4 * reps, sizeof(*cpu));

	if (!v || !cpu) {
		free(v);
		free(cpu);
		return -1;
	}
	c.crc = 1;
	c0.crc = 0;
	bench_round_robin(t, 4, reps, iters, v, cpu);
	res->r_ds_cpu = bench_median_of(cpu, reps);
	res->r_walk_cpu = bench_median_of(cpu + reps, reps);
	free(cpu);
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

int bench_one(const struct bench_opts *o, uint32_t n, struct bench_result *res)
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

int bench_edu_bytes(uint32_t *out)
{
	struct bench_input in;
	struct bench_result r;
	int ret = bench_input_edu(&in);

	if (!ret)
		ret = size_blob(&in, &r);
	if (!ret)
		*out = r.rec_median;
	bench_input_free(&in);
	return ret;
}

/*
 * Bytes of one record whose MSI-X table lists @vectors entries: the
 * median over devstate-synth's first records given such a table (their
 * driver state included, as bytes_per_device counts it), each written
 * into a blob that already holds one, so that as for bytes_per_device no
 * property name is new. Every record must read back with all its vectors.
 */
#define BENCH_MSIX_RECORDS	17

int bench_msix_bytes(uint32_t vectors, uint32_t *out)
{
	uint32_t sizes[BENCH_MSIX_RECORDS], i;
	uint32_t cap = 64 * 1024 * (BENCH_MSIX_RECORDS + 1);
	uint8_t *buf = malloc(cap);
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	struct ds_blob b;
	int ret;

	if (!buf)
		return -DS_ERR_NOMEM;
	ds_synth_blob_info(1, &info);
	ret = ds_blob_begin(&w, buf, cap, &info);
	for (i = 0; !ret && i <= BENCH_MSIX_RECORDS; i++) {
		uint32_t before = w.struct_end + w.strings_size;

		ret = ds_synth_write_device_msix(&w, 1, i, vectors);
		if (i)
			sizes[i - 1] = w.struct_end + w.strings_size - before;
	}
	ret = ret ? ret : ds_blob_end(&w);
	if (ret > 0)
		ret = ds_blob_open(&b, buf, (uint32_t)ret);
	if (!ret) {
		for (i = 0; !ret && i < b.nr_devices; i++)
			if (ds_record_vectors(&b.fdt, b.index[i].node, NULL, 0) !=
			    (int)vectors)
				ret = -DS_ERR_BADRECORD;
		ds_blob_close(&b);
	}
	free(buf);
	if (ret) {
		fprintf(stderr, "devstate-bench: %u-vector records: %s\n",
			vectors, ds_strerror(ret));
		return ret;
	}
	qsort(sizes, BENCH_MSIX_RECORDS, sizeof(*sizes), cmp_u32);
	*out = sizes[BENCH_MSIX_RECORDS / 2];
	return 0;
}

/*
 * Our writer or reader alone, 20 times over N devices, for perf record or
 * callgrind: no contender, no verification, no table.
 */
int bench_profile(const struct bench_opts *o)
{
	uint32_t n = o->only_n ? o->only_n : 65536;
	int write = !strcmp(o->profile, "write");
	struct bench_input in;
	struct bench_region rg = { 0 };
	struct ds_record scratch;
	struct bench_read_ctx c = { .in = &in, .out = &scratch, .crc = 1 };
	struct bench_result res;
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
