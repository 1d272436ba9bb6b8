// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: everything the next kernel does with an untrusted
 * region, on arbitrary bytes.
 *
 * Each input is tried three ways:
 *  1. as a raw region: ds_region_inspect(), ds_region_open(), and the blob
 *     it leads to fully parsed;
 *  2. as a region whose two CRCs are made to match first, so mutations get
 *     past the CRCs into the layout checks and the blob parser;
 *  3. as a bare FDT blob (what debugfs' incoming.dtb holds), which is also
 *     held against libfdt: a blob fdt_check_full() rejects must never pass
 *     ds_fdt_open() (the differential test, tests/unit/test_fdtdiff.c,
 *     seeds this with the blobs on which the two disagree).
 * A full parse opens the blob, walks every node and property through every
 * accessor, and decodes every record. The sanitizers and libFuzzer catch
 * any crash, bad access or undefined behaviour; a few invariants trap too:
 * the depth limit holds, the index finds what it lists, and every record
 * the reader accepts is accepted by the writer and reads back the same.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <devstate/blob.h>
#include "ds_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RHDR(field)	offsetof(struct ds_region_header, field)

/* Touch every byte of a value so ASan checks the whole range. */
static unsigned int sink;

static void touch(const void *p, int len)
{
	const uint8_t *b = p;
	int i;

	for (i = 0; p && i < len; i++)
		sink += b[i];
}

static void walk_props(const struct ds_fdt *f, int node)
{
	int prop, len, err;

	for (prop = ds_fdt_first_prop(f, node); prop >= 0;
	     prop = ds_fdt_next_prop(f, prop)) {
		const char *name, *s;
		const void *v = ds_fdt_prop_at(f, prop, &name, &len);
		uint32_t u32, cells[8];
		uint64_t u64;

		if (!v)
			break;
		touch(v, len);
		touch(ds_fdt_getprop(f, node, name, &len), len);
		ds_fdt_get_u32(f, node, name, &u32);
		ds_fdt_get_u64(f, node, name, &u64);
		ds_fdt_get_u32_array(f, node, name, cells, 8);
		s = ds_fdt_get_string(f, node, name, &err);
		if (s)
			sink += (unsigned int)strlen(s);
	}
}

static void walk_nodes(const struct ds_fdt *f, int node, int depth)
{
	const char *name;
	int child, len;

	if (depth > DS_MAX_DEPTH)
		__builtin_trap();	/* open() promised a depth limit */
	name = ds_fdt_node_name(f, node, &len);
	if (name) {
		touch(name, len + 1);
		if (node)
			ds_fdt_subnode(f, 0, name);
	}
	walk_props(f, node);
	for (child = ds_fdt_first_child(f, node); child >= 0;
	     child = ds_fdt_next_sibling(f, child))
		walk_nodes(f, child, depth + 1);
}

/* A record the reader accepted: write it, read it again, compare. */
/*
 * Every vector node @node of @f lists, into @all; a record that
 * ds_record_read() accepted always has them all.
 */
static uint32_t all_vectors(const struct ds_fdt *f, int node,
			    const struct ds_record *r, struct ds_vector *all)
{
	int n = ds_record_vectors(f, node, all, DS_MAX_VECTORS);

	if (n != (int)(r->nr_vectors + r->nr_vectors_more) ||
	    memcmp(all, r->vectors, r->nr_vectors * sizeof(*all)))
		__builtin_trap();	/* the accessor disagrees with the record */
	return (uint32_t)n;
}

static void reencode(const struct ds_record *r, const struct ds_vector *all)
{
	static uint8_t buf[64 * 1024];
	static struct ds_vector again_all[DS_MAX_VECTORS];
	struct ds_blob_info info = { .kernel_release = "fuzz" };
	struct ds_fdt_writer w;
	struct ds_record again, orig = *r;
	struct ds_blob b;
	uint32_t n = r->nr_vectors + r->nr_vectors_more;
	int node, len;

	if (ds_blob_begin(&w, buf, sizeof(buf), &info) ||
	    ds_record_write_more(&w, r, all + DS_RECORD_VECTORS, NULL, NULL, NULL))
		__builtin_trap();	/* the writer refused a valid record */
	len = ds_blob_end(&w);
	if (len < 0 || ds_blob_open(&b, buf, (size_t)len))
		__builtin_trap();
	node = ds_blob_find(&b, r->domain, r->bus, r->devfn);
	if (node < 0 || ds_record_read(&b.fdt, node, &again))
		__builtin_trap();
	orig.state_node = again.state_node = 0;
	if (memcmp(&orig, &again, sizeof(orig)))
		__builtin_trap();	/* the round trip changed the record */
	if (all_vectors(&b.fdt, node, &again, again_all) != n ||
	    memcmp(all, again_all, n * sizeof(*all)))
		__builtin_trap();	/* ... or a vector past the record's */
	ds_blob_close(&b);
}

/*
 * Accessors at stray offsets: every word of the structure block that reads
 * as BEGIN_NODE or PROP, real token or not (a caller's wrong offset). Each
 * call must stay inside the blob and return; what prop_at hands out must
 * lie inside the blocks it belongs to.
 */
static void probe_stray(const struct ds_blob *b)
{
	const struct ds_fdt *f = &b->fdt;
	const uint8_t *sb = f->blob + f->struct_off;
	uint32_t off, probes = 0;

	for (off = 0; off + 4 <= f->struct_size && probes < 64; off += 4) {
		uint32_t tag = ds_get_be32(sb + off);
		const char *name;
		const uint8_t *v;
		struct ds_record r;
		int len;

		if (tag != 1 && tag != 3)
			continue;
		probes++;
		v = ds_fdt_prop_at(f, (int)off, &name, &len);
		if (v) {
			if (len < 0 || v < sb || v + len > sb + f->struct_size ||
			    name < (const char *)f->blob + f->strings_off ||
			    name >= (const char *)f->blob + f->strings_off +
				    f->strings_size)
				__builtin_trap();	/* handed out past a block */
			touch(v, len);
			sink += (unsigned int)strlen(name);
		}
		ds_fdt_next_prop(f, (int)off);
		ds_fdt_first_prop(f, (int)off);
		ds_fdt_first_child(f, (int)off);
		if (off)
			ds_fdt_next_sibling(f, (int)off);
		name = ds_fdt_node_name(f, (int)off, &len);
		if (name)
			touch(name, len + 1);
		ds_record_read(f, (int)off, &r);
		ds_blob_read(b, (int)off, &r);
		ds_record_vectors(f, (int)off, r.vectors, DS_RECORD_VECTORS);
	}
}

static void parse_blob(const void *blob, size_t size)
{
	static struct ds_vector all[DS_MAX_VECTORS];
	struct ds_blob b;
	struct ds_record r, fast;
	uint32_t i;
	int err;

	if (ds_blob_open(&b, blob, size))
		return;
	if (b.nr_devices >= b.fdt.nodes)
		__builtin_trap();	/* the root is not a device */
	walk_nodes(&b.fdt, 0, 1);
	probe_stray(&b);
	if (b.kernel_release)
		sink += (unsigned int)strlen(b.kernel_release);
	for (i = 0; i < b.nr_devices; i++) {
		uint64_t key = b.index[i].key;

		if (ds_blob_find(&b, (uint32_t)(key >> 16), (uint8_t)(key >> 8),
				 (uint8_t)key) != b.index[i].node)
			__builtin_trap();	/* the index lost an entry */
		/* one verdict and one record from both readers */
		memset(&r, 0, sizeof(r));
		memset(&fast, 0, sizeof(fast));
		err = ds_record_read(&b.fdt, b.index[i].node, &r);
		if (err != ds_blob_read(&b, b.index[i].node, &fast) ||
		    (!err && memcmp(&r, &fast, sizeof(r))))
			__builtin_trap();
		if (err)
			continue;
		if (r.state_node >= 0)
			walk_props(&b.fdt, r.state_node);
		all_vectors(&b.fdt, b.index[i].node, &r, all);
		reencode(&r, all);
	}
	ds_blob_close(&b);
}

static void parse_region(const uint8_t *region, size_t size)
{
	struct ds_region_view v;

	ds_region_inspect(region, size, &v);
	if (!ds_region_open(region, size, &v))
		parse_blob(v.blob, v.blob_size);
}

/*
 * Make both CRCs match whatever the header's layout fields say. With the
 * library's own ds_crc32c(): these CRCs only have to agree with the
 * reader's, and inputs up to 64 KiB would spend most of a run in a bitwise
 * one; test_crc32c holds the library's CRC against the tests' reference.
 */
static void fix_crcs(uint8_t *r, size_t size)
{
	uint64_t off = ds_get_be64(r + RHDR(blob_offset));
	uint64_t len = ds_get_be64(r + RHDR(blob_size));

	if (off <= size && len <= size - off)
		ds_put_be32(r + RHDR(blob_crc), ds_crc32c(0, r + off, (size_t)len));
	ds_put_be32(r + RHDR(header_crc), 0);
	ds_put_be32(r + RHDR(header_crc), ds_crc32c(0, r, DS_REGION_HEADER_SIZE));
}

/* Our validator may be stricter than libfdt's, never more lenient. */
static void check_against_libfdt(const uint8_t *data, size_t size)
{
	/* libfdt wants an 8-byte aligned blob; malloc gives at least that. */
	uint8_t *copy = malloc(size ? size : 1);
	struct ds_fdt f;

	if (!copy)
		return;
	memcpy(copy, data, size);
	if (ds_fdt_open(&f, copy, size) == 0 && fdt_check_full(copy, size) != 0)
		__builtin_trap();
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_region(data, size);
	if (size >= DS_REGION_HEADER_SIZE) {
		uint8_t *copy = malloc(size);

		if (copy) {
			memcpy(copy, data, size);
			fix_crcs(copy, size);
			parse_region(copy, size);
			free(copy);
		}
	}
	parse_blob(data, size);
	check_against_libfdt(data, size);
	return 0;
}
