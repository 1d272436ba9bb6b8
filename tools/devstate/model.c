// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The decoded view of a region or blob. Every printer and every command
 * reads this one structure, so plain and JSON output can never disagree.
 *
 * Decoding goes as far as it safely can: a region whose header CRC or blob
 * CRC is wrong, or which is not sealed, still has its header fields shown
 * and its blob parsed (the shared reader checks every byte it touches), with
 * the fault recorded next to what was found.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ds_env.h>

#include "devstate.h"

#define HDR_FIELD32(p, f) ds_get_be32((p) + offsetof(struct ds_region_header, f))
#define HDR_FIELD64(p, f) ds_get_be64((p) + offsetof(struct ds_region_header, f))

static void region_decode(struct dst_view *v, const uint8_t *data, size_t size)
{
	struct dst_region *r = &v->region;
	struct ds_region_view rv;
	uint8_t hdr[DS_REGION_HEADER_SIZE];

	if (size < DS_REGION_HEADER_SIZE) {
		v->truncated_header = true;
		r->magic = ds_get_be32(data);
		r->inspect_err = -DS_ERR_TRUNCATED;
		r->open_err = -DS_ERR_TRUNCATED;
		return;
	}
	r->magic = HDR_FIELD32(data, magic);
	r->abi_version = HDR_FIELD32(data, abi_version);
	r->header_size = HDR_FIELD32(data, header_size);
	r->state = HDR_FIELD32(data, state);
	r->region_size = HDR_FIELD64(data, region_size);
	r->generation = HDR_FIELD64(data, generation);
	r->blob_offset = HDR_FIELD64(data, blob_offset);
	r->blob_max = HDR_FIELD64(data, blob_max);
	r->blob_size = HDR_FIELD64(data, blob_size);
	r->pool_offset = HDR_FIELD64(data, pool_offset);
	r->pool_size = HDR_FIELD64(data, pool_size);
	r->blob_crc = HDR_FIELD32(data, blob_crc);
	r->header_crc = HDR_FIELD32(data, header_crc);

	memcpy(hdr, data, sizeof(hdr));
	memset(hdr + offsetof(struct ds_region_header, header_crc), 0, 4);
	r->header_crc_calc = ds_crc32c(0, hdr, sizeof(hdr));

	/*
	 * The file may hold less than the whole region (debugfs' "region"
	 * stops at the pool): the reader gets the bytes we have, so a header
	 * that claims more than that shows up as its fault.
	 */
	r->inspect_err = ds_region_inspect(data, size, &rv);
	r->open_err = ds_region_open(data, size, &rv);

	/* Overflow-safe: blob_size <= size and blob_offset <= size - blob_size. */
	if (r->blob_size <= size && r->blob_offset <= size - r->blob_size &&
	    r->blob_offset >= DS_REGION_HEADER_SIZE) {
		r->blob_in_file = true;
		r->blob_crc_calc = ds_crc32c(0, data + r->blob_offset,
					    (size_t)r->blob_size);
		v->blob = data + r->blob_offset;
		v->blob_size = (size_t)r->blob_size;
	}
	r->adopted_intact = !r->inspect_err && r->state == DS_REGION_ADOPTED &&
			    r->blob_in_file && r->blob_crc == r->blob_crc_calc;
}

static bool printable(char c)
{
	return c >= 0x20 && c <= 0x7e;
}

const char *dst_printable(const char *s, char *buf, size_t len)
{
	size_t i;

	if (!len)
		return "";
	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = printable(s[i]) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* A printable heap copy of a string from the blob, or NULL. */
static char *dup_printable(const char *s)
{
	char *d;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	return d ? (char *)dst_printable(s, d, n) : NULL;
}

static void make_printable(char *s)
{
	for (; *s; s++)
		if (!printable(*s))
			*s = '?';
}

/* The root's pool property: physical base and size, two u64. */
static void root_pool(struct dst_view *v)
{
	const uint8_t *p;
	int len;

	p = ds_fdt_getprop(&v->fdt, 0, DS_PROP_POOL, &len);
	if (p && len == 16) {
		v->has_pool = true;
		v->pool_base = ds_get_be64(p);
		v->pool_size = ds_get_be64(p + 8);
	}
}

/* Root properties, each on its own: a blob with a bad root still shows. */
static void root_decode(struct dst_view *v)
{
	const struct ds_fdt *f = &v->fdt;
	int err;

	v->root_compat = dup_printable(ds_fdt_get_string(f, 0, DS_PROP_COMPATIBLE,
							 &err));
	v->kernel_release = dup_printable(ds_fdt_get_string(f, 0,
							    DS_PROP_KERNEL_RELEASE,
							    &err));
	v->transport = dup_printable(ds_fdt_get_string(f, 0, DS_PROP_TRANSPORT,
						       &err));
	v->has_generation = !ds_fdt_get_u64(f, 0, DS_PROP_GENERATION,
					    &v->generation);
	v->has_timestamp = !ds_fdt_get_u64(f, 0, DS_PROP_TIMESTAMP,
					   &v->timestamp_ns);
	root_pool(v);
}

static bool is_device_node(const char *name, int len)
{
	size_t plen = strlen(DS_DEVICE_NODE_PREFIX);

	return len > (int)plen && !memcmp(name, DS_DEVICE_NODE_PREFIX, plen) &&
	       name[plen] == '@';
}

/*
 * A record that lists more vectors than struct ds_record holds (an MSI-X
 * table past DS_RECORD_VECTORS): all of them, read from the blob, so dump
 * and diff show the whole table.
 */
static int device_vectors(const struct ds_fdt *f, struct dst_device *d)
{
	uint32_t n = dst_nr_vectors(d);
	int ret;

	if (!d->rec.nr_vectors_more)
		return 0;
	d->vectors = calloc(n, sizeof(*d->vectors));
	if (!d->vectors)
		return -DS_ERR_NOMEM;
	ret = ds_record_vectors(f, d->node, d->vectors, n);
	if (ret >= 0 && (uint32_t)ret == n)
		return 0;
	free(d->vectors);
	d->vectors = NULL;
	return ret < 0 ? ret : -DS_ERR_BADRECORD;
}

static int devices_decode(struct dst_view *v)
{
	const struct ds_fdt *f = &v->fdt;
	uint32_t cap = 0;
	int node;

	for (node = ds_fdt_first_child(f, 0); node >= 0;
	     node = ds_fdt_next_sibling(f, node)) {
		struct dst_device *d;
		const char *name;
		int len;

		name = ds_fdt_node_name(f, node, &len);
		if (!name || len < 0 || !is_device_node(name, len)) {
			v->nr_other_nodes++;
			continue;
		}
		if (v->nr_devices == cap) {
			uint32_t ncap = cap ? cap * 2 : 16;
			struct dst_device *nd;

			nd = realloc(v->devices, ncap * sizeof(*nd));
			if (!nd)
				return -DS_ERR_NOMEM;
			v->devices = nd;
			cap = ncap;
		}
		d = &v->devices[v->nr_devices++];
		memset(d, 0, sizeof(*d));
		d->node = node;
		if (len > DS_MAX_NAME_LEN)
			len = DS_MAX_NAME_LEN;
		memcpy(d->node_name, name, (size_t)len);
		make_printable(d->node_name);
		d->err = ds_record_read(f, node, &d->rec);
		if (!d->err)
			d->err = device_vectors(f, d);
		if (!d->err) {
			uint32_t k;

			make_printable(d->rec.driver);
			for (k = 0; k < d->rec.nr_dma; k++)
				make_printable(d->rec.dma[k].name);
			dst_slot_name(d->slot, sizeof(d->slot), d->rec.domain,
				      d->rec.bus, d->rec.devfn);
		} else
			snprintf(d->slot, sizeof(d->slot), "%s", d->node_name);
	}
	return 0;
}

int dst_view_build(struct dst_view *v, const char *name, const uint8_t *data,
		   size_t size)
{
	struct ds_blob b;

	memset(v, 0, sizeof(*v));
	v->name = name;
	v->kind = dst_input_kind(data, size);
	if (v->kind == DST_KIND_REGION) {
		region_decode(v, data, size);
	} else {
		v->blob = data;
		v->blob_size = size;
	}
	if (!v->blob) {
		v->fdt_err = -DS_ERR_BADOFFSET;
		return 0;
	}

	v->fdt_err = ds_fdt_open(&v->fdt, v->blob, v->blob_size);
	if (v->fdt_err)
		return 0;
	v->blob_err = ds_blob_open(&b, v->blob, v->blob_size);
	if (!v->blob_err) {
		v->has_kept = b.kept != NULL;
		v->nr_kept = b.nr_kept;
		v->kept_slots = b.kept_slots;
		ds_blob_close(&b);
	}
	root_decode(v);
	return devices_decode(v);
}

void dst_view_free(struct dst_view *v)
{
	uint32_t i;

	for (i = 0; i < v->nr_devices; i++)
		free(v->devices[i].vectors);
	free(v->root_compat);
	free(v->kernel_release);
	free(v->transport);
	v->root_compat = v->kernel_release = v->transport = NULL;
	free(v->devices);
	v->devices = NULL;
	v->nr_devices = 0;
}

int dst_view_fault(const struct dst_view *v)
{
	uint32_t i;

	if (v->kind == DST_KIND_REGION && v->region.open_err &&
	    !v->region.adopted_intact)
		return v->region.open_err;
	if (v->fdt_err)
		return v->fdt_err;
	if (v->blob_err)
		return v->blob_err;
	for (i = 0; i < v->nr_devices; i++)
		if (v->devices[i].err)
			return v->devices[i].err;
	return 0;
}

/* ------------------------------------------------------------- names */

const char *dst_region_state_name(uint32_t state)
{
	switch (state) {
	case DS_REGION_EMPTY:	return "empty";
	case DS_REGION_WRITING:	return "writing";
	case DS_REGION_SEALED:	return "sealed";
	case DS_REGION_ADOPTED:	return "adopted";
	}
	return "unknown";
}

const char *dst_irq_mode_name(uint32_t mode)
{
	switch (mode) {
	case DS_IRQ_NONE:	return "none";
	case DS_IRQ_INTX:	return "intx";
	case DS_IRQ_MSI:	return "msi";
	case DS_IRQ_MSIX:	return "msix";
	}
	return "unknown";
}

/* Stable identifiers for JSON; ds_strerror() gives the sentence. */
static const char *const err_names[] = {
	[DS_OK] = "OK",
	[DS_ERR_INVAL] = "INVAL",
	[DS_ERR_NOSPACE] = "NOSPACE",
	[DS_ERR_BADSTATE] = "BADSTATE",
	[DS_ERR_NOTFOUND] = "NOTFOUND",
	[DS_ERR_TRUNCATED] = "TRUNCATED",
	[DS_ERR_BADMAGIC] = "BADMAGIC",
	[DS_ERR_BADVERSION] = "BADVERSION",
	[DS_ERR_BADOFFSET] = "BADOFFSET",
	[DS_ERR_OVERLAP] = "OVERLAP",
	[DS_ERR_BADALIGN] = "BADALIGN",
	[DS_ERR_BADTAG] = "BADTAG",
	[DS_ERR_BADSTRING] = "BADSTRING",
	[DS_ERR_BADNAME] = "BADNAME",
	[DS_ERR_DEPTH] = "DEPTH",
	[DS_ERR_BADLEN] = "BADLEN",
	[DS_ERR_BADROOT] = "BADROOT",
	[DS_ERR_BADRECORD] = "BADRECORD",
	[DS_ERR_UNKNOWNREC] = "UNKNOWNREC",
	[DS_ERR_DUPLICATE] = "DUPLICATE",
	[DS_ERR_REGION_MAGIC] = "REGION_MAGIC",
	[DS_ERR_REGION_ABI] = "REGION_ABI",
	[DS_ERR_REGION_HEADER] = "REGION_HEADER",
	[DS_ERR_UNSEALED] = "UNSEALED",
	[DS_ERR_BADCRC] = "BADCRC",
	[DS_ERR_NOMEM] = "NOMEM",
};
_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == DS_ERR__MAX,
	       "one name per ds_err code");

const char *dst_err_name(int err)
{
	if (err < 0)
		err = -err;
	if (err >= DS_ERR__MAX || !err_names[err])
		return "UNKNOWN";
	return err_names[err];
}

void dst_slot_name(char *buf, size_t len, uint32_t domain, uint8_t bus,
		   uint8_t devfn)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", domain, bus, devfn >> 3,
		 devfn & 7);
}

void dst_bar_flags_str(char *buf, size_t len, uint32_t flags)
{
	snprintf(buf, len, "%s%s%s%s",
		 flags & DS_BAR_ROM ? "rom" :
		 flags & DS_BAR_IO ? "io" :
		 flags & DS_BAR_MEM ? "mem" : "none",
		 flags & DS_BAR_64 ? ",64bit" : "",
		 flags & DS_BAR_PREFETCH ? ",prefetch" : "",
		 flags & ~DS_BAR_FLAGS_KNOWN ? ",unknown-flags" : "");
}

/* ------------------------------------------------------------- properties */

enum dst_prop_type dst_prop_classify(const uint8_t *val, int len)
{
	int i, start = 0;

	if (len <= 0)
		return DST_PROP_EMPTY;
	/* dtc's rule: NUL-terminated, printable, no empty strings. */
	if (val[len - 1] == '\0') {
		bool ok = true;

		for (i = 0; i < len && ok; i++) {
			if (val[i] == '\0') {
				if (i == start)
					ok = false;
				start = i + 1;
			} else if (val[i] < 0x20 || val[i] > 0x7e) {
				ok = false;
			}
		}
		if (ok)
			return DST_PROP_STRINGS;
	}
	if (len == 4)
		return DST_PROP_U32;
	if (len == 8)
		return DST_PROP_U64;
	if (len % 4 == 0)
		return DST_PROP_CELLS;
	return DST_PROP_BYTES;
}

const char *dst_prop_type_name(enum dst_prop_type t)
{
	switch (t) {
	case DST_PROP_EMPTY:	return "empty";
	case DST_PROP_STRINGS:	return "strings";
	case DST_PROP_U32:	return "u32";
	case DST_PROP_U64:	return "u64";
	case DST_PROP_CELLS:	return "cells";
	case DST_PROP_BYTES:	return "bytes";
	}
	return "bytes";
}

void dst_prop_format(FILE *f, const uint8_t *val, int len, int max_bytes)
{
	enum dst_prop_type t = dst_prop_classify(val, len);
	int i, shown;

	switch (t) {
	case DST_PROP_EMPTY:
		fputs("(empty)", f);
		return;
	case DST_PROP_STRINGS:
		for (i = 0; i < len - 1; ) {
			const char *s = (const char *)val + i;

			fprintf(f, "%s\"%s\"", i ? ", " : "", s);
			i += (int)strlen(s) + 1;
		}
		return;
	case DST_PROP_U64:
		fprintf(f, "/u64/ 0x%016llx",
			(unsigned long long)ds_get_be64(val));
		return;
	case DST_PROP_U32:
	case DST_PROP_CELLS:
		shown = max_bytes > 0 && len > max_bytes ? max_bytes & ~3 : len;
		fputc('<', f);
		for (i = 0; i < shown; i += 4)
			fprintf(f, "%s0x%08x", i ? " " : "", ds_get_be32(val + i));
		fprintf(f, "%s>", shown < len ? " ..." : "");
		return;
	case DST_PROP_BYTES:
		shown = max_bytes > 0 && len > max_bytes ? max_bytes : len;
		fputc('[', f);
		for (i = 0; i < shown; i++)
			fprintf(f, "%s%02x", i ? " " : "", val[i]);
		fprintf(f, "%s]", shown < len ? " ..." : "");
		return;
	}
}

/* ------------------------------------------------------------- fields */

#define FIELD(fn, ctx, key, ...) do {					\
	char v_[128];							\
	snprintf(v_, sizeof(v_), __VA_ARGS__);				\
	fn(key, v_, ctx);						\
} while (0)

static void state_fields(const struct ds_fdt *f, int node, const char *prefix,
			 dst_field_fn fn, void *ctx, int depth)
{
	int prop, child;

	for (prop = ds_fdt_first_prop(f, node); prop >= 0;
	     prop = ds_fdt_next_prop(f, prop)) {
		const char *name;
		const uint8_t *val;
		char key[256];
		char *text = NULL;
		size_t tlen = 0;
		FILE *m;
		int len;

		val = ds_fdt_prop_at(f, prop, &name, &len);
		if (!val && len < 0)
			continue;
		m = open_memstream(&text, &tlen);
		if (!m)
			continue;
		dst_prop_format(m, val, len, 0);
		fclose(m);
		{
			char pn[128];

			snprintf(key, sizeof(key), "%s.%s", prefix,
				 dst_printable(name, pn, sizeof(pn)));
		}
		fn(key, text, ctx);
		free(text);
	}
	if (depth >= DS_MAX_DEPTH)
		return;
	for (child = ds_fdt_first_child(f, node); child >= 0;
	     child = ds_fdt_next_sibling(f, child)) {
		char sub[256];
		const char *name;
		int len;

		name = ds_fdt_node_name(f, child, &len);
		if (!name || len < 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%.*s", prefix, len, name);
		state_fields(f, child, sub, fn, ctx, depth + 1);
	}
}

void dst_device_fields(const struct dst_view *v, const struct dst_device *d,
		       dst_field_fn fn, void *ctx)
{
	const struct ds_record *r = &d->rec;
	char key[64];
	uint32_t i;

	if (d->err) {
		FIELD(fn, ctx, "error", "%s", ds_strerror(d->err));
		return;
	}
	FIELD(fn, ctx, "version", "%u", r->version);
	FIELD(fn, ctx, "vendor", "%04x", r->ids[DS_IDS_VENDOR]);
	FIELD(fn, ctx, "device", "%04x", r->ids[DS_IDS_DEVICE]);
	FIELD(fn, ctx, "subvendor", "%04x", r->ids[DS_IDS_SUBVENDOR]);
	FIELD(fn, ctx, "subdevice", "%04x", r->ids[DS_IDS_SUBDEVICE]);
	FIELD(fn, ctx, "class", "%06x", r->ids[DS_IDS_CLASS]);
	FIELD(fn, ctx, "revision", "%02x", r->ids[DS_IDS_REVISION]);
	FIELD(fn, ctx, "command", "0x%04x", r->command);
	for (i = 0; i < r->nr_bridges; i++) {
		snprintf(key, sizeof(key), "bridge%u", i);
		FIELD(fn, ctx, key, "%02x:%02x.%x", r->bridges[i] >> 8 & 0xff,
		      (r->bridges[i] >> 3) & 0x1f, r->bridges[i] & 7);
	}
	for (i = 0; i < r->nr_bars; i++) {
		char flags[64];

		dst_bar_flags_str(flags, sizeof(flags), r->bars[i].flags);
		snprintf(key, sizeof(key), "bar%u", r->bars[i].index);
		FIELD(fn, ctx, key, "%s 0x%llx size 0x%llx", flags,
		      (unsigned long long)r->bars[i].start,
		      (unsigned long long)r->bars[i].size);
	}
	FIELD(fn, ctx, "irq.mode", "%s", dst_irq_mode_name(r->irq[DS_IRQ_CELL_MODE]));
	FIELD(fn, ctx, "irq.pin", "%u", r->irq[DS_IRQ_CELL_PIN]);
	FIELD(fn, ctx, "irq.line", "%u", r->irq[DS_IRQ_CELL_LINE]);
	FIELD(fn, ctx, "irq.count", "%u", r->irq[DS_IRQ_CELL_COUNT]);
	for (i = 0; i < dst_nr_vectors(d); i++) {
		const struct ds_vector *vec = dst_vector(d, i);

		snprintf(key, sizeof(key), "vector%u", i);
		FIELD(fn, ctx, key, "address 0x%llx data 0x%x%s",
		      (unsigned long long)vec->address, vec->data,
		      vec->ctrl & 1 ? " masked" : "");
	}
	FIELD(fn, ctx, "dma-mask", "0x%llx", (unsigned long long)r->dma_mask);
	FIELD(fn, ctx, "coherent-dma-mask", "0x%llx",
	      (unsigned long long)r->coherent_dma_mask);
	for (i = 0; i < r->nr_dma; i++) {
		snprintf(key, sizeof(key), "dma%u", i);
		FIELD(fn, ctx, key, "\"%s\" phys 0x%llx bus 0x%llx size 0x%llx",
		      r->dma[i].name, (unsigned long long)r->dma[i].phys,
		      (unsigned long long)r->dma[i].bus,
		      (unsigned long long)r->dma[i].size);
	}
	FIELD(fn, ctx, "driver", "%s", r->driver);
	if (r->state_node >= 0)
		state_fields(&v->fdt, r->state_node, "state", fn, ctx, 1);
}

void dst_root_fields(const struct dst_view *v, dst_field_fn fn, void *ctx)
{
	if (v->kind == DST_KIND_REGION) {
		FIELD(fn, ctx, "region.state", "%s",
		      dst_region_state_name(v->region.state));
		FIELD(fn, ctx, "region.generation", "%llu",
		      (unsigned long long)v->region.generation);
		FIELD(fn, ctx, "region.size", "0x%llx",
		      (unsigned long long)v->region.region_size);
	}
	if (v->fdt_err) {
		FIELD(fn, ctx, "blob.error", "%s", ds_strerror(v->fdt_err));
		return;
	}
	if (v->kernel_release)
		FIELD(fn, ctx, "kernel-release", "%s", v->kernel_release);
	if (v->transport)
		FIELD(fn, ctx, "transport", "%s", v->transport);
	if (v->has_generation)
		FIELD(fn, ctx, "generation", "%llu",
		      (unsigned long long)v->generation);
	if (v->has_timestamp)
		FIELD(fn, ctx, "timestamp-ns", "%llu",
		      (unsigned long long)v->timestamp_ns);
	if (v->has_pool)
		FIELD(fn, ctx, "pool", "0x%llx size 0x%llx",
		      (unsigned long long)v->pool_base,
		      (unsigned long long)v->pool_size);
}
