// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The human-readable tables, one column per N, and the figures behind the
 * machine-readable "bench:" lines.
 */
#include <stdio.h>

#include "bench.h"

#define ROW(label, fmt, expr)						\
	do {								\
		printf("  %-44s", label);				\
		for (k = 0; k < nr; k++) {				\
			const struct bench_result *r = &res[k];		\
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

static void print_header(const char *title, const struct bench_result *res,
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

static void print_writer(const struct bench_result *res, unsigned int nr)
{
	unsigned int k;

	print_header("Writer: build the blob (median, us)", res, nr);
	ROW("devstate writer", "%s", us(r->w_ds));
	ROW("  begin + ds_record_write x N", "%s", us(r->w_phase[0]));
	ROW("  ds_blob_end: strings move", "%s", us(r->w_phase[1]));
	ROW("libfdt sequential write, same tree", "%s", us(r->w_lf));
	ROW("devstate writer, thread CPU time", "%s", us(r->w_ds_cpu));
	ROW("libfdt, thread CPU time", "%s", us(r->w_lf_cpu));
	ROW("memcpy of the same bytes", "%s", us(r->w_mc));
	ROW("input read alone (both writers pay it)", "%s",
	    us(r->w_input));
	ROW("writer / libfdt (target <= 1.0)", "%11.2fx", r->w_vs_lf);
	ROW("writer / memcpy (target <= 5.0)", "%11.1fx", r->w_vs_mc);
	ROW("ns per device, devstate writer", "%12.0f", r->w_ds / r->n);
	ROW("same tree as libfdt's, same size", "%12s",
	    r->same_tree ? "yes" : "NO");
	ROW("  structure block equal but name offsets", "%12s",
	    r->same_struct ? "yes" : "NO");
	ROW("  byte-identical (strings in dtc's order)", "%12s",
	    r->identical ? "yes" : "no");
	ROW("output identical to devstate-synth's", "%12s",
	    r->same_as_synth ? "yes" : "NO");
}

static void print_reader(const struct bench_result *res, unsigned int nr)
{
	unsigned int k;

	print_header("Reader: open, validate, find + read all (us)", res, nr);
	ROW("devstate, with blob CRC", "%s", us(r->r_ds));
	ROW("  region open: header + blob CRC", "%s", us(r->r_phase[0]));
	ROW("  blob open: validate + root + index", "%s", us(r->r_phase[1]));
	ROW("  ds_blob_find + ds_blob_read x N", "%s", us(r->r_phase[2]));
	ROW("libfdt walk, with CRC", "%s", us(r->r_walk));
	ROW("devstate, with CRC, thread CPU time", "%s", us(r->r_ds_cpu));
	ROW("libfdt walk, with CRC, thread CPU time", "%s", us(r->r_walk_cpu));
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

static void print_size(const struct bench_result *res, unsigned int nr,
		       const struct bench_singles *one)
{
	unsigned int k;

	print_header("Size (bytes)", res, nr);
	ROW("blob total", "%12u", r->blob);
	ROW("per device record, median (target <= 512)", "%12u", r->rec_median);
	ROW("per device record, mean", "%12.0f", r->rec_mean);
	printf("  %-44s%12u\n", "edu-like record (one device)", one->edu);
	printf("  %-44s%12u\n", "MSI-X record, 2048 vectors listed",
	       one->msix_2048);
}

void bench_print_figures(const struct bench_result *res, unsigned int nr,
			 const struct bench_singles *one)
{
	const struct bench_result *big = &res[nr - 1];
	unsigned int k;

	for (k = 0; k < nr; k++) {
		const struct bench_result *r = &res[k];

		bench_fig("ms", r->w_ds / 1e6, "write_ms_%u", r->n);
		bench_fig("ms", r->w_ds_cpu / 1e6, "write_cpu_ms_%u", r->n);
		bench_fig("ms", r->w_lf / 1e6, "write_libfdt_ms_%u", r->n);
		bench_fig("ms", r->w_mc / 1e6, "memcpy_ms_%u", r->n);
		bench_fig("ms", r->w_input / 1e6, "input_read_ms_%u", r->n);
		bench_fig("x", r->w_vs_lf, "write_vs_libfdt_%u", r->n);
		bench_fig("x", r->w_vs_mc, "write_vs_memcpy_%u", r->n);
		bench_fig("bool", r->same_tree, "write_same_tree_libfdt_%u", r->n);
		bench_fig("bool", r->identical, "write_identical_libfdt_%u", r->n);
		bench_fig("ms", r->r_ds / 1e6, "read_ms_%u", r->n);
		bench_fig("ms", r->r_ds_cpu / 1e6, "read_cpu_ms_%u", r->n);
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
	bench_fig("B", one->edu, "bytes_per_device_edu");
	bench_fig("B", one->msix_2048, "bytes_per_device_msix_2048");
}

/*
 * The writers' verdict over all N. Our blob and libfdt's hold the same tree
 * in as many bytes, but are not byte-identical: our strings block lists the
 * names in order of first use, as dtc writes it, so that a name's offset is
 * final when first used; libfdt's sequential writer lists them in reverse
 * and rebases every offset at the end. So the structure blocks differ in
 * the name offsets only. (The header is libfdt's layout: memory
 * reservation map at 0x30, structure at 0x40; dtc uses 0x28 and 0x38.)
 */
static void print_verdict(const struct bench_result *res, unsigned int nr)
{
	int tree = 1, strct = 1, identical = 1;
	unsigned int k;

	for (k = 0; k < nr; k++) {
		tree &= res[k].same_tree && res[k].same_as_synth;
		strct &= res[k].same_struct;
		identical &= res[k].identical;
	}
	printf("\nverdict: devstate writer builds libfdt's tree, in as many "
	       "bytes, at every N: %s\n", tree ? "yes" : "NO");
	printf("verdict: structure blocks identical but for name offsets at "
	       "every N: %s\n", strct ? "yes" : "NO");
	printf("verdict: byte-identical to libfdt's at every N: %s%s\n",
	       identical ? "yes" : "no", identical ? "" :
	       " (strings block in first-use order: see docs/performance.md)");
	bench_fig("bool", tree, "write_same_tree_libfdt");
	bench_fig("bool", strct, "write_same_struct_libfdt");
	bench_fig("bool", identical, "write_identical_libfdt");
}

void bench_print_tables(const struct bench_result *res, unsigned int nr,
			const struct bench_singles *one)
{
	print_writer(res, nr);
	print_reader(res, nr);
	print_size(res, nr, one);
	bench_size_print(&res[nr - 1].breakdown);
	print_verdict(res, nr);
}
