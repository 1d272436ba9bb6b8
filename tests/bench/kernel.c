// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel's own figures. devstate.ko times its freeze (capture, write,
 * seal) and its incoming validation and reports them in debugfs status as
 * freeze_us and incoming_validate_us; the VM suite copies those "key: value"
 * lines into a file. This only prints what that file holds: a figure that
 * was not measured is said to be missing, never made up.
 */
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

void bench_kernel_report(const char *path)
{
	unsigned int timed = 0;
	char line[256];
	FILE *f = fopen(path, "r");

	printf("\nKernel path: devstate.ko in the QEMU guest, from %s\n", path);
	while (f && fgets(line, sizeof(line), f)) {
		double v;
		const struct kernel_key *k = parse_line(line, &v);

		if (!k)
			continue;
		printf("  %-40s %12.10g %s\n", k->what, v, k->unit);
		bench_fig(k->unit, v, "kernel_%s", k->key);
		timed += !strcmp(k->unit, "us");
	}
	if (f)
		fclose(f);
	if (!timed)
		printf("  not measured: run make check-vm (the VM suite writes "
		       "freeze_us and incoming_validate_us into %s)\n", path);
}
