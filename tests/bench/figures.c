// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Figures for machines: collected while the table prints, then listed as
 * "bench: <name> <value> <unit>", one per line, so a script can grep them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "bench.h"

#define MAX_FIGS 256

struct bench_figure {
	char name[64];
	const char *unit;
	double value;
};

static struct bench_figure figs[MAX_FIGS];
static unsigned int nr_figs;

void bench_fig(const char *unit, double value, const char *fmt, ...)
{
	struct bench_figure *f;
	va_list ap;

	if (nr_figs == MAX_FIGS)
		return;
	f = &figs[nr_figs++];
	va_start(ap, fmt);
	vsnprintf(f->name, sizeof(f->name), fmt, ap);
	va_end(ap);
	f->unit = unit;
	f->value = value;
}

void bench_fig_print(void)
{
	unsigned int i;

	printf("\n");
	for (i = 0; i < nr_figs; i++)
		printf("bench: %s %.10g %s\n", figs[i].name, figs[i].value,
		       figs[i].unit);
}
