// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate-synth: write a synthetic devstate blob or region to a file.
 *
 *   devstate-synth --devices N [--seed S] [--format region|fdt]
 *                  [--msix-vectors V] -o FILE
 *
 * "region" (the default) is the whole preserved range exactly as a kernel
 * leaves it: sealed header, blob, then the DMA pool. "fdt" is the bare
 * blob, as debugfs' outgoing.dtb shows it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

#define PROG "devstate-synth"
/* Enough for any benchmark; keeps the blob far below 4 GiB. */
#define SYNTH_MAX_DEVICES 1000000u
/* Vectors over all records with --msix-vectors: 512 MiB of entries at most. */
#define SYNTH_MAX_TOTAL_VECTORS (64u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " --devices N [--seed S] [--format region|fdt]\n"
		"                      [--msix-vectors V] -o FILE\n"
		"\n"
		"Write N synthetic device records, the same ones for the same seed.\n"
		"\n"
		"  -n, --devices N     number of device records (0..%u)\n"
		"  -s, --seed S        generator seed (default 1)\n"
		"  -f, --format F      region: sealed header + blob + pool (default)\n"
		"                      fdt:    the bare FDT blob\n"
		"  -m, --msix-vectors V  every record an MSI-X function whose table\n"
		"                      has V entries, all listed (1..%u)\n"
		"  -o, --output FILE   file to write ('-' for standard output)\n"
		"  -h, --help          show this help\n",
		SYNTH_MAX_DEVICES, DS_MAX_VECTORS);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f) {
		fprintf(stderr, PROG ": cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(buf, 1, len, f) != len || fflush(f)) {
		fprintf(stderr, PROG ": cannot write %s: %s\n", path, strerror(errno));
		if (f != stdout)
			fclose(f);
		return -1;
	}
	if (f != stdout && fclose(f)) {
		fprintf(stderr, PROG ": cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "devices", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "msix-vectors", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t devices = 0, seed = 1, size64 = 0, msix = 0;
	const char *out = NULL, *format = "region";
	bool have_devices = false;
	uint8_t *buf = NULL;
	uint32_t size32;
	int c, err;

	while ((c = getopt_long(argc, argv, "n:s:f:o:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, SYNTH_MAX_DEVICES, &devices)) {
				fprintf(stderr, PROG ": --devices: '%s' is not a number from 0 to %u\n",
					optarg, SYNTH_MAX_DEVICES);
				return 2;
			}
			have_devices = true;
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX, &seed)) {
				fprintf(stderr, PROG ": --seed: '%s' is not an unsigned 64-bit number\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "region") && strcmp(optarg, "fdt")) {
				fprintf(stderr, PROG ": --format: '%s' is neither 'region' nor 'fdt'\n",
					optarg);
				return 2;
			}
			format = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			if (parse_u64(optarg, DS_MAX_VECTORS, &msix) || !msix) {
				fprintf(stderr, PROG ": --msix-vectors: '%s' is not a number from 1 to %u\n",
					optarg, DS_MAX_VECTORS);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!have_devices || !out) {
		fprintf(stderr, PROG ": %s is required (see --help)\n",
			have_devices ? "-o FILE" : "--devices N");
		return 2;
	}

	if (devices * msix > SYNTH_MAX_TOTAL_VECTORS) {
		fprintf(stderr, PROG ": --devices times --msix-vectors is over %u\n",
			SYNTH_MAX_TOTAL_VECTORS);
		return 2;
	}
	if (!strcmp(format, "fdt")) {
		err = ds_synth_blob_alloc_msix(seed, (uint32_t)devices,
					       (uint32_t)msix, &buf, &size32);
		size64 = size32;
	} else {
		err = ds_synth_region_alloc_msix(seed, (uint32_t)devices,
						 (uint32_t)msix, &buf, &size64);
	}
	if (err) {
		fprintf(stderr, PROG ": cannot build the %s: %s\n", format,
			ds_strerror(err));
		return 1;
	}
	err = write_file(out, buf, size64);
	free(buf);
	return err ? 1 : 0;
}
