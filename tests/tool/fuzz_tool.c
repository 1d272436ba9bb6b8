// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: devstate(1)'s dump (plain at every verbosity, tree,
 * JSON) and check on arbitrary bytes, through the same entry points the
 * command line uses. check's libfdt opinion is left out: it runs in a
 * forked child (libfdt 1.6.1 can hang), which the tests cover, and a fork
 * per input would slow the fuzzer a hundredfold. Output goes to /dev/null: the formatting still runs,
 * and the sanitizers watch every byte the tool reads.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/devstate/devstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct dst_opts o;
	uint8_t *copy;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}
	/* A heap copy of exactly @size bytes: ASan sees any overread. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	memset(&o, 0, sizeof(o));
	o.out = o.err = sink;
	/* libfdt is not the subject, and check forks to run it safely. */
	o.no_libfdt = true;
	dst_dump_buffer(&o, "fuzz", copy, size);
	o.verbose = 2;
	o.tree = true;
	dst_dump_buffer(&o, "fuzz", copy, size);
	o.tree = false;
	o.json = true;
	dst_dump_buffer(&o, "fuzz", copy, size);
	dst_check_buffer(&o, "fuzz", copy, size);
	o.json = false;
	dst_check_buffer(&o, "fuzz", copy, size);
	free(copy);
	return 0;
}
