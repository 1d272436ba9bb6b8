// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel's own figures. devstate.ko times its freeze (capture, write,
 * seal) and its incoming validation, reports them in debugfs status as
 * freeze_us and incoming_validate_us, and logs them:
 *
 *   devstate: freeze: 1 devices, 1090 bytes, gen 1, 2153 us
 *   devstate: incoming: region sealed gen 1, 1 records, validated in 85 us
 *   (or "kho sealed gen ...", under the KHO transport)
 *
 * Two sources, in this order: a kernel-times file of status "key: value"
 * lines, or else the guests' console logs the VM suite keeps, one per
 * scenario. Only what they hold is printed: a figure that was not measured
 * is said to be missing, never made up.
 *
 * The logs are in build/vm/RELEASE/logs/, one folder per kernel of the
 * matrix: given the folder above them (the default, build/vm), each
 * release's figures are named with "@RELEASE" appended (the KHO suite's,
 * from build/vm/RELEASE/logs-kho/, with "@RELEASE/kho"); given a folder of
 * logs itself (--vm-logs DIR), they carry no suffix.
 *
 * From the NVMe example's logs come the time from the start of probe to
 * the first completed I/O in the kernel the jump led to, which its test
 * build logs as
 *
 *   devstate_nvme 0000:00:03.0: first I/O: 162321 us after probe start (adopted)
 *
 * nvme-keepalive's last such line is the adopted figure, nvme-cold's the
 * cold one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct kernel_key {
	const char *key;
	const char *unit;
	const char *what;
};

static const struct kernel_key kernel_keys[] = {
	{ "freeze_us", "us", "freeze: capture, write, seal" },
	{ "incoming_validate_us", "us", "incoming: region, CRC, validate, index" },
	{ "records_out", "records", "records written at freeze" },
	{ "records_in", "records", "records found at load" },
};

#define NR_KEYS (sizeof(kernel_keys) / sizeof(kernel_keys[0]))

/* Returns the kernel_keys[] entry @line reports, with its value. */
static const struct kernel_key *parse_line(const char *line, double *value)
{
	char key[64], val[64], *end;
	unsigned int k;

	if (sscanf(line, " %63[^:]: %63s", key, val) != 2)
		return NULL;
	for (k = 0; k < NR_KEYS; k++) {
		if (strcmp(key, kernel_keys[k].key))
			continue;
		*value = strtod(val, &end);
		return end != val && !*end ? &kernel_keys[k] : NULL;
	}
	return NULL;
}

/* The last freeze, incoming and first-I/O lines of one console log. */
struct vm_times {
	unsigned long long freeze_us, validate_us, gen, first_io_us;
	unsigned int devices, bytes, records;
	int has_freeze, has_incoming, has_first_io, first_io_adopted;
};

/* Which scenario's last first-I/O line gives which figure. */
static const struct {
	const char *scenario;
	int adopted;
	const char *figure;
} first_io_figs[] = {
	{ "nvme-keepalive", 1, "nvme_first_io_us_adopt" },
	{ "nvme-cold", 0, "nvme_first_io_us_cold" },
};

static void scan_first_io(const char *line, struct vm_times *t)
{
	static const char first_io[] = ": first I/O: ";
	const char *p = strstr(line, "devstate_nvme ");
	char path[16];

	p = p ? strstr(p, first_io) : NULL;
	if (p && sscanf(p + sizeof(first_io) - 1,
			"%llu us after probe start (%15[a-z])",
			&t->first_io_us, path) == 2) {
		t->has_first_io = 1;
		t->first_io_adopted = !strcmp(path, "adopted");
	}
}

static void scan_log(FILE *f, struct vm_times *t)
{
	static const char freeze[] = "devstate: freeze: ";
	/* "region sealed gen ..." or, under KHO, "kho sealed gen ..." */
	static const char incoming[] = "devstate: incoming: ";
	char line[512], transport[16];

	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, freeze);

		if (p && sscanf(p + sizeof(freeze) - 1,
				"%u devices, %u bytes, gen %llu, %llu us",
				&t->devices, &t->bytes, &t->gen, &t->freeze_us) == 4)
			t->has_freeze = 1;
		p = strstr(line, incoming);
		if (p && sscanf(p + sizeof(incoming) - 1,
				"%15s sealed gen %llu, %u records, validated in %llu us",
				transport, &t->gen, &t->records,
				&t->validate_us) == 4)
			t->has_incoming = 1;
		scan_first_io(line, t);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A figure of @release's logs: "NAME@RELEASE", or NAME alone. */
static void kernel_fig(const char *unit, double v, const char *release,
		       const char *name)
{
	if (release)
		bench_fig(unit, v, "%s@%s", name, release);
	else
		bench_fig(unit, v, "%s", name);
}

/* The figures of one scenario's log; returns whether it held one. */
static int report_log(const char *scenario, const struct vm_times *t,
		      const char *release)
{
	char label[64], name[96];
	unsigned int k;
	int found = t->has_freeze || t->has_incoming;

	if (t->has_freeze) {
		snprintf(label, sizeof(label), "freeze, %u device(s), blob %u B",
			 t->devices, t->bytes);
		printf("  %-14s %-34s%10llu us\n", scenario, label, t->freeze_us);
		snprintf(name, sizeof(name), "kernel_freeze_us_%s", scenario);
		kernel_fig("us", (double)t->freeze_us, release, name);
	}
	if (t->has_incoming) {
		snprintf(label, sizeof(label), "incoming, %u record(s)",
			 t->records);
		printf("  %-14s %-34s%10llu us\n", scenario, label,
		       t->validate_us);
		snprintf(name, sizeof(name), "kernel_incoming_validate_us_%s",
			 scenario);
		kernel_fig("us", (double)t->validate_us, release, name);
	}
	for (k = 0; k < sizeof(first_io_figs) / sizeof(first_io_figs[0]); k++) {
		if (!t->has_first_io || strcmp(scenario, first_io_figs[k].scenario) ||
		    t->first_io_adopted != first_io_figs[k].adopted)
			continue;
		snprintf(label, sizeof(label), "NVMe first I/O after probe, %s",
			 t->first_io_adopted ? "adopted" : "cold");
		printf("  %-14s %-34s%10llu us\n", scenario, label,
		       t->first_io_us);
		kernel_fig("us", (double)t->first_io_us, release,
			   first_io_figs[k].figure);
		found = 1;
	}
	return found;
}

/* Every DIR/NAME.log, by name; returns how many held a figure. */
static unsigned int report_dir(const char *dir, const char *release)
{
	char *names[64], path[512];
	unsigned int n = 0, i, found = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)) && n < 64) {
		size_t len = strlen(e->d_name);

		if (len > 4 && !strcmp(e->d_name + len - 4, ".log"))
			names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	if (n && release)
		printf("  kernel %s:\n", release);
	for (i = 0; i < n; i++) {
		struct vm_times t = { 0 };
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "r");
		if (f) {
			scan_log(f, &t);
			fclose(f);
		}
		*strrchr(names[i], '.') = '\0';	/* the scenario's name */
		found += report_log(names[i], &t, release);
		free(names[i]);
	}
	return found;
}

/*
 * DIR's own logs, or else those of each DIR/RELEASE/logs/ (the VM suite's
 * layout), by release; returns how many logs held a figure.
 */
static unsigned int report_logs(const char *dir)
{
	char *rels[32], path[512];
	unsigned int n = 0, i, found = report_dir(dir, NULL);
	struct dirent *e;
	DIR *d;

	if (found)
		return found;
	d = opendir(dir);
	while (d && (e = readdir(d)) && n < 32) {
		DIR *sub;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/logs", dir, e->d_name);
		sub = opendir(path);
		if (!sub)
			continue;
		closedir(sub);
		rels[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(rels, n, sizeof(rels[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char label[160];

		snprintf(path, sizeof(path), "%s/%s/logs", dir, rels[i]);
		found += report_dir(path, rels[i]);
		/* the same kernel's KHO suite (VM_TRANSPORT=kho), beside it */
		snprintf(path, sizeof(path), "%s/%s/logs-kho", dir, rels[i]);
		snprintf(label, sizeof(label), "%s/kho", rels[i]);
		found += report_dir(path, label);
		free(rels[i]);
	}
	return found;
}

void bench_kernel_report(const char *path, const char *logs)
{
	unsigned int timed = 0;
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("\nKernel path: devstate.ko in QEMU guests (TCG: an emulated "
		       "CPU, not comparable with the figures above), from the logs "
		       "in %s\n",
		       logs);
		if (!report_logs(logs))
			printf("  not measured: run make check-vm (the VM suite keeps "
			       "the guests' logs in %s; or put freeze_us and "
			       "incoming_validate_us lines in %s)\n", logs, path);
		return;
	}
	printf("\nKernel path: devstate.ko in the QEMU guest, from %s\n", path);
	while (fgets(line, sizeof(line), f)) {
		double v;
		const struct kernel_key *k = parse_line(line, &v);

		if (!k)
			continue;
		printf("  %-40s %12.10g %s\n", k->what, v, k->unit);
		bench_fig(k->unit, v, "kernel_%s", k->key);
		timed += !strcmp(k->unit, "us");
	}
	fclose(f);
	if (!timed)
		printf("  not measured: run make check-vm (the VM suite writes "
		       "freeze_us and incoming_validate_us into %s)\n", path);
}
