// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Clocks and medians. A sample is @iters back-to-back calls so that tiny
 * inputs run long enough for CLOCK_MONOTONIC to resolve them; the median of
 * the samples shrugs off the odd preemption on a shared machine. Contenders
 * that are compared run round-robin, one sample each per repetition, and
 * their ratio is the median of the per-repetition ratios: a burst of load
 * from other processes then slows both sides of a ratio alike.
 */
#include <stdlib.h>
#include <time.h>

#include "bench.h"

volatile uint64_t bench_sink;

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median_of(double *v, unsigned int n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_median_ns(bench_fn fn, void *ctx, unsigned int reps,
		       unsigned int iters)
{
	double *v = calloc(reps ? reps : 1, sizeof(*v)), med;
	unsigned int k, j;

	if (!v)
		return -1;
	fn(ctx);	/* warm caches and page tables, untimed */
	for (k = 0; k < reps; k++) {
		uint64_t t0 = bench_now_ns();

		for (j = 0; j < iters; j++)
			fn(ctx);
		v[k] = (double)(bench_now_ns() - t0) / iters;
	}
	med = bench_median_of(v, reps);
	free(v);
	return med;
}

uint64_t bench_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_round_robin(const struct bench_task *t, unsigned int m,
		       unsigned int reps, unsigned int iters, double *samples,
		       double *cpu)
{
	unsigned int k, j, i;

	for (j = 0; j < m; j++)
		t[j].fn(t[j].ctx);	/* warm-up, untimed */
	for (k = 0; k < reps; k++) {
		for (j = 0; j < m; j++) {
			uint64_t c0 = bench_cpu_ns(), t0 = bench_now_ns();

			for (i = 0; i < iters; i++)
				t[j].fn(t[j].ctx);
			samples[j * reps + k] = (double)(bench_now_ns() - t0) / iters;
			cpu[j * reps + k] = (double)(bench_cpu_ns() - c0) / iters;
		}
	}
}

double bench_median_ratio(const double *a, const double *b, unsigned int reps)
{
	double *r = calloc(reps ? reps : 1, sizeof(*r)), med;
	unsigned int k;

	if (!r)
		return -1;
	for (k = 0; k < reps; k++)
		r[k] = a[k] / b[k];
	med = bench_median_of(r, reps);
	free(r);
	return med;
}
