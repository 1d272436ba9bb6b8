/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devstate-bench: the shared code's writer and reader against libfdt and
 * memcpy, on identical synthetic trees. See docs/performance.md.
 *
 * Every contender gets the same prepared input (decoded records plus the
 * driver-state properties each record carries), so the clocks measure
 * serialisation and parsing only, never the synthetic generator.
 */
#ifndef DS_BENCH_H
#define DS_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include <devstate/blob.h>

/* One driver-state property, captured once, replayed by every writer. */
struct bench_prop {
	const char *name;	/* interned: lives as long as the program */
	uint32_t off;		/* value offset in the input's arena */
	uint32_t len;
};

/* The driver-state of one record: a run of props, plus where they live. */
struct bench_state {
	const struct bench_prop *props;
	uint32_t first, count;	/* first: index of props[0] while capturing */
	const uint8_t *arena;
};

/* One device's PCI position, as a driver asking for its record knows it. */
struct bench_pos {
	uint32_t domain;
	uint8_t bus, devfn;
};

/*
 * N records and their driver state, ready to be written. recs[] holds them
 * decoded (1.7 KB each, what readers are checked against); caps holds the
 * same records packed to the fields each really has, which the timed
 * writers unpack one at a time into a record that stays in cache, as the
 * kernel captures one function at a time.
 */
struct bench_input {
	uint32_t n;
	struct ds_record *recs;
	struct bench_pos *pos;	/* n positions: what readers look up */
	uint8_t *caps;		/* packed records, 8-byte aligned */
	size_t *cap_off;	/* n offsets into caps */
	size_t caps_len, caps_cap;
	struct bench_state *states;
	const char *state_compat;
	struct ds_blob_info info;
	/* storage behind states[] */
	struct bench_prop *props;
	uint32_t nr_props, cap_props;
	uint8_t *arena;
	size_t arena_len, arena_cap;
};

/* input.c */
int bench_input_synth(struct bench_input *in, uint64_t seed, uint32_t n);
int bench_input_edu(struct bench_input *in);
void bench_input_free(struct bench_input *in);
/* Unpack record @i into @r: what a capture of that device would fill in. */
void bench_capture(const struct bench_input *in, uint32_t i,
		   struct ds_record *r);

/* writers.c: return the blob size or a negative error. */
int bench_write_devstate(const struct bench_input *in, void *buf,
			 uint32_t size);
int bench_write_libfdt(const struct bench_input *in, void *buf,
		       uint32_t size);
/* The input's fields alone, read as a writer reads them. */
uint64_t bench_touch_input(const struct bench_input *in);
/* Same, timed: ns[0] begin + records, ns[1] ds_blob_end. */
int bench_write_devstate_phases(const struct bench_input *in, void *buf,
				uint32_t size, double *ns);
/* Node bytes of every record, as our writer lays them out. */
int bench_record_sizes(const struct bench_input *in, void *buf,
		       uint32_t size, uint32_t *sizes);

/*
 * twin.c: our blob against libfdt's twin of it. Same tree (every node and
 * property, in order, through libfdt) in as many bytes; structure blocks
 * identical but for the property name offsets.
 */
int bench_same_tree(const void *a, const void *b);
int bench_same_struct(const void *a, const void *b);

/* readers.c: a region holding @blob, and the read paths over it. */
struct bench_region {
	uint8_t *mem;
	uint64_t size;
	const uint8_t *blob;	/* inside mem */
	uint32_t blob_size;
	uint32_t blob_crc;	/* as the header records it */
};

int bench_region_make(struct bench_region *rg, const void *blob,
		      uint32_t blob_size);
void bench_region_free(struct bench_region *rg);

/* What each read path is asked to produce: the records, in input order. */
struct bench_read_ctx {
	const struct bench_region *rg;
	const struct bench_input *in;
	struct ds_record *out;	/* in->n records when keep, else one */
	int keep;		/* keep every record (to verify them) */
	int crc;		/* include the blob CRC */
	uint32_t sample;	/* by-name path: look up only this many */
	int err;		/* first error a path met */
};

/* Ours, end to end; and timed by phase: region, blob open, find+read. */
void bench_read_devstate(struct bench_read_ctx *c);
void bench_read_devstate_phases(struct bench_read_ctx *c, double ns[3]);
/* libfdt: one walk over the root's subnodes, or a lookup by name each. */
int bench_read_libfdt_prologue(struct bench_read_ctx *c);
void bench_read_libfdt_walk(struct bench_read_ctx *c);
void bench_read_libfdt_byname(struct bench_read_ctx *c);
/* Only the lookups (and decodes), of c->sample devices when it is set. */
void bench_read_libfdt_byname_lookups(struct bench_read_ctx *c);
/* ns per ds_blob_find, on an open blob. */
double bench_find_ns(const struct bench_region *rg,
		     const struct bench_input *in, unsigned int reps);
/* Decoded record equals the input's (state_node aside). */
int bench_record_equal(const struct ds_record *a, const struct ds_record *b);

/* timing.c */
typedef void (*bench_fn)(void *ctx);
uint64_t bench_now_ns(void);
/* Median over @reps samples of @iters back-to-back calls, ns per call. */
double bench_median_ns(bench_fn fn, void *ctx, unsigned int reps,
		       unsigned int iters);
double bench_median_of(double *v, unsigned int n);

struct bench_task {
	bench_fn fn;
	void *ctx;
};

/*
 * samples[j * reps + k]: ns per call of task j in repetition k, wall clock
 * (CLOCK_MONOTONIC); cpu[] the same in this thread's CPU time, which leaves
 * out the time other processes held the CPU.
 */
void bench_round_robin(const struct bench_task *t, unsigned int m,
		       unsigned int reps, unsigned int iters, double *samples,
		       double *cpu);
uint64_t bench_cpu_ns(void);
/* Median over the repetitions of a[k] / b[k]. */
double bench_median_ratio(const double *a, const double *b, unsigned int reps);
extern volatile uint64_t bench_sink;

/* sizes.c: mean bytes per record, by property. */
#define BENCH_SIZE_ITEMS 32

struct bench_size_item {
	char name[48];
	uint64_t bytes;
};

struct bench_sizes {
	unsigned int nr;
	struct bench_size_item items[BENCH_SIZE_ITEMS];
	uint64_t total, records;
};

int bench_size_breakdown(const void *blob, uint32_t size,
			 struct bench_sizes *out);
void bench_size_print(const struct bench_sizes *s);

/* run.c: what one run was asked to do, and what one size N gave. */
struct bench_opts {
	int quick;
	uint32_t only_n;	/* --n: one size only */
	const char *profile;	/* --profile write|read: ours alone, looped */
	uint64_t seed;
	const char *kernel_times;
	const char *vm_logs;
};

struct bench_result {
	uint32_t n, blob;
	uint32_t bufsize;	/* fits either writer's blob: both get it */
	double w_ds, w_lf, w_mc;	/* writer, libfdt, memcpy: ns */
	double w_input;			/* reading the input alone: ns */
	double w_ds_cpu, w_lf_cpu;	/* the same in thread CPU time */
	double r_ds_cpu, r_walk_cpu;
	double w_vs_lf, w_vs_mc;	/* medians of paired ratios */
	double w_phase[2];		/* records; end (strings move) */
	double r_vs_walk, r_vs_walk_nocrc;
	int identical;		/* byte-identical to libfdt's blob */
	int same_tree;		/* same tree, same size as libfdt's */
	int same_struct;	/* structure blocks equal but name offsets */
	int same_as_synth;
	double r_ds, r_ds_nocrc, r_phase[3];
	double r_walk, r_walk_nocrc, r_byname;
	uint32_t byname_sample;
	double find_ns;
	uint32_t rec_median;
	double rec_mean;
	struct bench_sizes breakdown;
};

int bench_one(const struct bench_opts *o, uint32_t n, struct bench_result *res);
/* Bytes of single records: the edu example's, a 2,048-vector MSI-X one. */
struct bench_singles {
	uint32_t edu;
	uint32_t msix_2048;
};
int bench_edu_bytes(uint32_t *out);
int bench_msix_bytes(uint32_t vectors, uint32_t *out);
/* --profile write|read: our path alone, looped, no table. */
int bench_profile(const struct bench_opts *o);

/* report.c */
void bench_print_tables(const struct bench_result *res, unsigned int nr,
			const struct bench_singles *one);
void bench_print_figures(const struct bench_result *res, unsigned int nr,
			 const struct bench_singles *one);

/* figures.c: the machine-readable "bench: <name> <value> <unit>" lines,
 * kept until the table is out. */
void bench_fig(const char *unit, double value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void bench_fig_print(void);

/* kernel.c: figures the VM suite left behind, if any: a kernel-times file
 * of debugfs status lines, or else the guests' console logs in @logs. */
void bench_kernel_report(const char *path, const char *logs);

/* nic.c: the e1000 scenarios' client-side figures from the logs in @logs;
 * and where the VM suite keeps the newest kernel's logs under @vm. */
void bench_nic_report(const char *logs);
int bench_find_vm_logs(const char *vm, char *buf, size_t len);

#endif /* DS_BENCH_H */
