// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate-bench: one run, every figure side by side (docs/performance.md).
 *
 *   devstate-bench [--quick] [--n N] [--seed S] [--kernel-times FILE]
 *                  [--vm-logs DIR]
 *   devstate-bench --profile write|read [--n N] [--seed S]
 *
 * --quick runs N = 1 and 64 once each (the smoke test of make check); --n
 * runs one size alone; --profile loops our writer or reader alone, for perf
 * or callgrind. Times never fail the run: the exit status is 1 only when a
 * contender gave a wrong answer (run.c checks them all before timing).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MAX_SIZES 4

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
				.vm_logs = "build/vm" };
	static const uint32_t full[] = { 1, 64, 4096, 65536 };
	static const uint32_t quick[] = { 1, 64 };
	struct bench_result res[MAX_SIZES];
	const uint32_t *sizes;
	unsigned int nr, k;
	struct bench_singles one = { 0 };
	int opt, fail = 0;
	double load;
	char logs[512];
	int logs_given = 0;

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
			logs_given = 1;
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
		return bench_profile(&o);
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
	fail |= bench_edu_bytes(&one.edu) != 0;
	fail |= bench_msix_bytes(DS_MAX_VECTORS, &one.msix_2048) != 0;
	if (fail)
		return 1;	/* a contender gave a wrong answer */
	printf("machine: %ld CPUs online, load average %.2f before the run, "
	       "%.2f after\n", sysconf(_SC_NPROCESSORS_ONLN), load, loadavg());
	bench_fig("load", load, "loadavg_before");
	bench_print_tables(res, nr, &one);
	/* Logs per kernel release: the newest production one's, unless told. */
	if (!logs_given && !bench_find_vm_logs("build/vm", logs, sizeof(logs)))
		o.vm_logs = logs;
	bench_kernel_report(o.kernel_times, o.vm_logs);
	bench_nic_report(o.vm_logs);
	bench_print_figures(res, nr, &one);
	bench_fig_print();
	return 0;
}
