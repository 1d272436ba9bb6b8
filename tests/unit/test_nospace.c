// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Out of space: build the same tree into buffers grown one byte at a time
 * from 0 to its final size. Every size below fails with -DS_ERR_NOSPACE and
 * leaves the writer refusing further calls; the first size that works is
 * exactly the final blob size and gives the same bytes. The buffer is
 * followed by a guard zone: poisoned under ASan (any touch aborts), and a
 * canary checked afterwards in every build.
 */
#include <stdlib.h>
#include <string.h>

#include <devstate/blob.h>

#include "../synth/synth.h"
#include "tap.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define GUARD_POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define GUARD_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define GUARD_POISON(p, n)	((void)(p), (void)(n))
#define GUARD_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#define GUARD		64
#define CANARY		0xa5

static uint8_t *guard_alloc(uint32_t size)
{
	uint8_t *p = malloc(size + GUARD);

	memset(p, 0x5a, size);
	memset(p + size, CANARY, GUARD);
	GUARD_POISON(p + size, GUARD);
	return p;
}

/* Frees the buffer; false when anything was written into the guard. */
static bool guard_free(uint8_t *p, uint32_t size)
{
	uint32_t i;
	bool ok = true;

	GUARD_UNPOISON(p + size, GUARD);
	for (i = 0; i < GUARD; i++)
		ok &= p[size + i] == CANARY;
	free(p);
	return ok;
}

/* A tree builder: returns the blob size or the first error. */
typedef int (*build_fn)(struct ds_fdt_writer *w, void *buf, uint32_t size);

static bool poisoned;	/* a call after NOSPACE was not refused */

/* After the first failure, the writer must refuse anything but create. */
static int failed(struct ds_fdt_writer *w, int err)
{
	if (err == -DS_ERR_NOSPACE &&
	    (ds_fdt_prop_u32(w, "late", 1) != -DS_ERR_BADSTATE ||
	     ds_fdt_begin_node(w, "late") != -DS_ERR_BADSTATE))
		poisoned = true;
	return err;
}

/* Every kind of writer call, nested nodes, repeated and suffix names. */
static int build_calls(struct ds_fdt_writer *w, void *buf, uint32_t size)
{
	static const uint32_t cells[] = { 1, 2, 3, 4, 5 };
	uint8_t *space;
	int err;

	err = ds_fdt_create(w, buf, size);
	if (err)
		return failed(w, err);
#define STEP(call) do { err = (call); if (err) return failed(w, err); } while (0)
	STEP(ds_fdt_begin_node(w, ""));
	STEP(ds_fdt_prop_string(w, "compatible", "test,nospace"));
	STEP(ds_fdt_prop_u64(w, "wide", 42));
	STEP(ds_fdt_begin_node(w, "a@1"));
	STEP(ds_fdt_prop_u32(w, "compatible-count", 3));
	STEP(ds_fdt_prop_u32_array(w, "cells", cells, 5));
	STEP(ds_fdt_prop(w, "ible", "xyz", 3));	/* tail of "compatible" */
	space = ds_fdt_prop_space(w, "space", 13, &err);
	if (!space)
		return failed(w, err);
	memset(space, 0x33, 13);
	STEP(ds_fdt_begin_node(w, "b"));
	STEP(ds_fdt_prop(w, "empty", NULL, 0));
	STEP(ds_fdt_end_node(w));
	STEP(ds_fdt_end_node(w));
	STEP(ds_fdt_begin_node(w, "c@2"));
	STEP(ds_fdt_prop_u32(w, "compatible-count", 4));
	STEP(ds_fdt_end_node(w));
	STEP(ds_fdt_end_node(w));
#undef STEP
	err = ds_fdt_finish(w);
	return err < 0 ? failed(w, err) : err;
}

/* ds_blob_begin, synthetic records with driver state, ds_blob_end. */
static int build_blob(struct ds_fdt_writer *w, void *buf, uint32_t size)
{
	struct ds_blob_info info;
	uint32_t i;
	int err;

	ds_synth_blob_info(11, &info);
	err = ds_blob_begin(w, buf, size, &info);
	if (err)
		return failed(w, err);
	for (i = 0; i < 6; i++) {
		err = ds_synth_write_device(w, 11, i);
		if (err)
			return failed(w, err);
	}
	err = ds_blob_end(w);
	return err < 0 ? failed(w, err) : err;
}

static void grow(const char *what, build_fn build)
{
	struct ds_fdt_writer w;
	uint8_t *ref = malloc(1 << 20), *buf;
	uint32_t size, wrong_err = 0, overrun = 0, first_ok = 0;
	int final = build(&w, ref, 1 << 20), err = 0, other = 0;
	bool same = false;

	if (!tap_ok(final > 0, "%s: builds in a large buffer (%d bytes)", what, final)) {
		free(ref);
		return;
	}
	poisoned = false;
	for (size = 0; size <= (uint32_t)final; size++) {
		buf = guard_alloc(size);
		err = build(&w, buf, size);
		if (err >= 0 && !first_ok) {
			first_ok = size;
			same = err == final && !memcmp(buf, ref, (size_t)final);
		} else if (err != -DS_ERR_NOSPACE && !first_ok) {
			if (!wrong_err++)
				other = err;
		}
		if (!guard_free(buf, size))
			overrun++;
	}
	if (!tap_eq(wrong_err, 0, "%s: every size below %d fails with -DS_ERR_NOSPACE",
		    what, final))
		tap_diag("first other result: %s", tap_errname(other));
	tap_eq(overrun, 0, "%s: nothing written past the buffer at any size", what);
	tap_ok(!poisoned, "%s: after NOSPACE the writer refuses further calls", what);
	tap_eq(first_ok, final, "%s: the first size that works is the blob size", what);
	tap_ok(same, "%s: a blob built at the exact size is identical", what);
	free(ref);
}

int main(void)
{
	grow("writer calls", build_calls);
	grow("blob of 6 records", build_blob);
	return tap_done();
}
