// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tool-fixture: inputs for the devstate(1) verify tests, made without
 * hardware.
 *
 *   tool-fixture blob [-s SEED] [-n N] [--region] [--transport WORD] -o FILE
 *	A bare blob of N (1..16) records. IDs, BARs, interrupts and driver
 *	state come from devstate-synth's generator; positions and bridge
 *	chains are rewritten into one consistent PCI topology (synth's own
 *	chains are random per record, so no single machine could hold them):
 *	record i sits on the root bus (i % 3 == 0), behind one root port
 *	(i % 3 == 1) or behind a root port and a switch port (i % 3 == 2).
 *	--region wraps it in a sealed region (header, blob, one-page pool).
 *	--transport gives the root a transport property; "kho" also makes
 *	the root's pool <0 0> and the region pool-less (pool_size 0), which
 *	is what KHO hands over.
 *
 *   tool-fixture pcidump BLOB -o FILE [-m KIND:SLOT]...
 *	An `lspci -x`-format dump of the machine the blob describes: one
 *	function per record with its IDs, class, command and BARs in config
 *	space, plus every bridge of the chains with its bus numbers. Each -m
 *	breaks one thing about one record and prints, on stdout, the line
 *	devstate verify must report for it:
 *	  id      device ID ^ 1          class   class code ^ 0x100
 *	  rev     revision ^ 1           bar     first BAR start + 0x1000
 *	  flags   first memory BAR's prefetch bit toggled
 *	  absent  the function is left out of the dump
 *	  chain   the bridge above the device leads elsewhere, so the
 *	          device's bus becomes a root bus (no bridge chain)
 *
 *   tool-fixture sysfs BLOB -o DIR [-m KIND:SLOT]...
 *	The same machine as a fake sysfs tree, DIR/devices/SLOT/{config,
 *	resource, vendor, ...}, for libpci's linux-sysfs method with
 *	-O sysfs.path=DIR. It knows BAR sizes; one more break applies:
 *	  size    first BAR's size doubled (in "resource")
 *
 *   tool-fixture header REGION -o FILE [--state WORD] [--abi N]
 *	A copy of a region file with its header's state (empty, writing,
 *	sealed, adopted) or ABI version changed and the header CRC made right
 *	again, so the fault left is exactly the one asked for.
 *
 * The expectations are computed here from the record, independently of
 * the tool under test.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ds_env.h>
#include <devstate/blob.h>

#include "../synth/synth.h"
#include "../unit/crc32c_ref.h"

#define MAX_FIXTURE_DEVICES 16
#define CFG_SIZE 64

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "tool-fixture: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

/* ---------------------------------------------------------------- blob */

/* Position and chain of record i in the fixture topology. */
static void place(uint32_t i, struct ds_record *r)
{
	uint32_t slot = i + 1, depth = i % 3;
	uint8_t bus = (uint8_t)(0x10 + 2 * i);

	r->domain = 0;
	r->nr_bridges = 0;
	if (depth == 0) {
		r->bus = 0;
		r->devfn = (uint8_t)(slot << 3);
		return;
	}
	r->bridges[r->nr_bridges++] = 0 << 8 | slot << 3; /* root port 00:slot.0 */
	if (depth == 2) {
		r->bridges[r->nr_bridges++] = (uint32_t)bus << 8; /* switch bus:00.0 */
		bus++;
	}
	r->bus = bus;
	r->devfn = 0;
}

/*
 * The kernel describes every expansion ROM as prefetchable memory (its ROM
 * resource always is); synth's ROMs are plain memory, which no live device
 * could match.
 */
static void rom_as_kernel(struct ds_record *r)
{
	uint32_t i;

	for (i = 0; i < r->nr_bars; i++)
		if (r->bars[i].flags & DS_BAR_ROM)
			r->bars[i].flags = DS_BAR_MEM | DS_BAR_PREFETCH | DS_BAR_ROM;
}

/*
 * A sealed region around @blob: header, blob, a one-page pool; or, with
 * @no_pool, a blob area up to the region's end and pool_size 0.
 */
static uint8_t *wrap_region(const uint8_t *blob, uint32_t len, bool no_pool,
			    uint64_t *size)
{
	uint64_t blob_max = (len + 4095u) & ~4095ull, max;
	uint8_t *region, *area;

	*size = 4096 + blob_max + (no_pool ? 0 : 4096);
	if (*size < DS_REGION_MIN_SIZE)
		*size = DS_REGION_MIN_SIZE;
	/*
	 * ds_region_format() starts the pool at the first page boundary past
	 * the header and blob_max bytes: one page short of the end puts it at
	 * the end, and the blob area reaches it.
	 */
	if (no_pool)
		blob_max = *size - DS_REGION_POOL_ALIGN;
	region = calloc(1, *size);
	if (!region)
		return NULL;
	if (ds_region_format(region, *size, blob_max, 0) ||
	    ds_region_begin_write(region, *size, &area, &max) || max < len) {
		free(region);
		return NULL;
	}
	memcpy(area, blob, len);
	if (ds_region_seal(region, *size, len, 1)) {
		free(region);
		return NULL;
	}
	return region;
}

static int write_blob(uint64_t seed, uint32_t n, bool region,
		      const char *transport, const char *out)
{
	bool kho = transport && !strcmp(transport, "kho");
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	uint32_t size = 64 * 1024, i;
	uint8_t *buf = NULL;
	FILE *f;
	int len;

	ds_synth_blob_info(seed, &info);
	if (kho)
		info.pool_base = info.pool_size = 0;
	for (;;) {
		free(buf);
		buf = malloc(size);
		if (!buf)
			return die("%s", "out of memory");
		len = ds_blob_begin(&w, buf, size, &info);
		if (!len && transport)
			len = ds_fdt_prop_string(&w, DS_PROP_TRANSPORT, transport);
		for (i = 0; !len && i < n; i++) {
			struct ds_synth_state st = { .seed = seed, .index = i };
			struct ds_record r;

			ds_synth_record(seed, i, &r);
			place(i, &r);
			rom_as_kernel(&r);
			len = ds_record_write(&w, &r, DS_SYNTH_STATE_COMPAT,
					      ds_synth_state_fn, &st);
		}
		if (!len)
			len = ds_blob_end(&w);
		if (len != -DS_ERR_NOSPACE)
			break;
		size *= 2;
	}
	if (len < 0) {
		free(buf);
		return die("writing the blob: %s", ds_strerror(len));
	}
	if (region) {
		uint64_t rsize;
		uint8_t *r = wrap_region(buf, (uint32_t)len, kho, &rsize);

		free(buf);
		if (!r)
			return die("%s", "cannot lay out the region");
		buf = r;
		len = (int)rsize;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(buf, 1, (size_t)len, f) != (size_t)len || fclose(f)) {
		free(buf);
		return die("cannot write %s", out);
	}
	free(buf);
	return 0;
}

/* ------------------------------------------------------------- pcidump */

struct func {
	uint32_t domain;
	uint8_t bus, devfn;
	uint8_t cfg[CFG_SIZE];
	char what[48];
	/* sysfs "resource" lines: BARs 0-5 and the ROM */
	uint64_t res_start[7], res_end[7], res_flags[7];
};

struct machine {
	struct func f[3 * MAX_FIXTURE_DEVICES];
	int nr;
};

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static struct func *find_func(struct machine *m, uint32_t domain, uint8_t bus,
			      uint8_t devfn)
{
	int i;

	for (i = 0; i < m->nr; i++)
		if (m->f[i].domain == domain && m->f[i].bus == bus &&
		    m->f[i].devfn == devfn)
			return &m->f[i];
	return NULL;
}

static struct func *add_func(struct machine *m, uint32_t domain, uint8_t bus,
			     uint8_t devfn)
{
	struct func *f = find_func(m, domain, bus, devfn);

	if (f)
		return f;
	if (m->nr == (int)(sizeof(m->f) / sizeof(m->f[0])))
		return NULL;
	f = &m->f[m->nr++];
	memset(f, 0, sizeof(*f));
	f->domain = domain;
	f->bus = bus;
	f->devfn = devfn;
	return f;
}

/* A PCI-to-PCI bridge (8086:7000, class 0604) leading to @secondary. */
static int add_bridge(struct machine *m, uint32_t domain, uint32_t bdf,
		      uint8_t secondary)
{
	struct func *f = add_func(m, domain, (uint8_t)(bdf >> 8), (uint8_t)bdf);

	if (!f)
		return -1;
	if (f->cfg[0x0e] == 1 && f->cfg[0x19] != secondary)
		return -1;	/* two chains disagree about this bridge */
	put16(f->cfg + 0x00, 0x8086);
	put16(f->cfg + 0x02, 0x7000);
	put16(f->cfg + 0x04, 0x0007);
	f->cfg[0x0a] = 0x04;
	f->cfg[0x0b] = 0x06;
	f->cfg[0x0e] = 1;
	f->cfg[0x18] = (uint8_t)(bdf >> 8);
	f->cfg[0x19] = secondary;
	f->cfg[0x1a] = secondary;
	snprintf(f->what, sizeof(f->what), "PCI bridge 0604: 8086:7000");
	return 0;
}

static int add_device(struct machine *m, const struct ds_record *r)
{
	struct func *f = add_func(m, r->domain, r->bus, r->devfn);
	uint32_t i;

	if (!f)
		return -1;
	put16(f->cfg + 0x00, r->ids[DS_IDS_VENDOR]);
	put16(f->cfg + 0x02, r->ids[DS_IDS_DEVICE]);
	put16(f->cfg + 0x04, r->command);
	f->cfg[0x08] = (uint8_t)r->ids[DS_IDS_REVISION];
	f->cfg[0x09] = (uint8_t)r->ids[DS_IDS_CLASS];
	f->cfg[0x0a] = (uint8_t)(r->ids[DS_IDS_CLASS] >> 8);
	f->cfg[0x0b] = (uint8_t)(r->ids[DS_IDS_CLASS] >> 16);
	f->cfg[0x0e] = 0;
	put16(f->cfg + 0x2c, r->ids[DS_IDS_SUBVENDOR]);
	put16(f->cfg + 0x2e, r->ids[DS_IDS_SUBDEVICE]);
	f->cfg[0x3c] = (uint8_t)r->irq[DS_IRQ_CELL_LINE];
	f->cfg[0x3d] = (uint8_t)r->irq[DS_IRQ_CELL_PIN];
	for (i = 0; i < r->nr_bars; i++) {
		const struct ds_bar *b = &r->bars[i];
		uint64_t v = b->start;

		if (b->flags & DS_BAR_ROM || b->index == 6) {
			put32(f->cfg + 0x30, (uint32_t)v | 1);
			f->res_start[6] = b->start;
			f->res_end[6] = b->start + b->size - 1;
			f->res_flags[6] = 0x4200;	/* IORESOURCE_MEM | READONLY */
			continue;
		}
		if (b->flags & DS_BAR_IO)
			v |= 1;
		else
			v |= (b->flags & DS_BAR_64 ? 4 : 0) |
			     (b->flags & DS_BAR_PREFETCH ? 8 : 0);
		put32(f->cfg + 0x10 + 4 * b->index, (uint32_t)v);
		/* As the kernel's resource flags: BAR low bits, IORESOURCE_IO/MEM. */
		f->res_start[b->index] = b->start;
		f->res_end[b->index] = b->start + b->size - 1;
		f->res_flags[b->index] = (v & 0xf) |
					 (b->flags & DS_BAR_IO ? 0x100 : 0x200);
		if (b->flags & DS_BAR_64) {
			if (b->index >= 5)
				return -1;
			put32(f->cfg + 0x14 + 4 * b->index, (uint32_t)(v >> 32));
		}
	}
	snprintf(f->what, sizeof(f->what), "Class %04x: %04x:%04x",
		 r->ids[DS_IDS_CLASS] >> 8, r->ids[DS_IDS_VENDOR],
		 r->ids[DS_IDS_DEVICE]);
	return 0;
}

static void slot_str(char *buf, size_t len, uint32_t domain, uint8_t bus,
		     uint8_t devfn)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", domain, bus, devfn >> 3,
		 devfn & 7);
}

/* How devstate(1) words a memory BAR's flags (docs/devstate.md). */
static const char *mem_flags(uint32_t flags)
{
	static const char *const names[] = {
		"mem", "mem,64bit", "mem,prefetch", "mem,64bit,prefetch",
	};

	return names[(flags & DS_BAR_64 ? 1 : 0) |
		     (flags & DS_BAR_PREFETCH ? 2 : 0)];
}

/* Break one thing about record @r and print what verify must say. */
static int mutate(struct machine *m, const struct ds_record *r,
		  const char *kind, const char *slot)
{
	struct func *f = find_func(m, r->domain, r->bus, r->devfn);
	uint32_t i;

	if (!f)
		return -1;
	if (!strcmp(kind, "id")) {
		uint32_t live = r->ids[DS_IDS_DEVICE] ^ 1;

		put16(f->cfg + 0x02, live);
		printf("%s\tdevice: record %04x, live %04x\n", slot,
		       r->ids[DS_IDS_DEVICE], live);
		return 0;
	}
	if (!strcmp(kind, "class")) {
		uint32_t live = r->ids[DS_IDS_CLASS] ^ 0x100;

		f->cfg[0x0a] = (uint8_t)(live >> 8);
		printf("%s\tclass: record %06x, live %06x\n", slot,
		       r->ids[DS_IDS_CLASS], live);
		return 0;
	}
	if (!strcmp(kind, "rev")) {
		uint32_t live = r->ids[DS_IDS_REVISION] ^ 1;

		f->cfg[0x08] = (uint8_t)live;
		printf("%s\trevision: record %02x, live %02x\n", slot,
		       r->ids[DS_IDS_REVISION], live);
		return 0;
	}
	if (!strcmp(kind, "bar") || !strcmp(kind, "flags")) {
		for (i = 0; i < r->nr_bars; i++) {
			const struct ds_bar *b = &r->bars[i];
			uint8_t *p = f->cfg + 0x10 + 4 * b->index;

			if (b->index > 5 || (kind[0] == 'f' && !(b->flags & DS_BAR_MEM)))
				continue;
			if (kind[0] == 'b') {
				uint32_t lo = p[0] | p[1] << 8 | p[2] << 16 |
					      (uint32_t)p[3] << 24;

				put32(p, lo + 0x1000);
				printf("%s\tbar%u.start: record 0x%llx, live 0x%llx\n",
				       slot, b->index,
				       (unsigned long long)b->start,
				       (unsigned long long)(b->start + 0x1000));
			} else {
				/* The prefetch bit of a memory BAR, toggled. */
				p[0] ^= 8;
				printf("%s\tbar%u.flags: record %s, live %s\n",
				       slot, b->index, mem_flags(b->flags),
				       mem_flags(b->flags ^ DS_BAR_PREFETCH));
			}
			return 0;
		}
		return -1;	/* no BAR to break */
	}
	if (!strcmp(kind, "size")) {
		/* Only a method that knows sizes (sysfs) can see this one. */
		for (i = 0; i < r->nr_bars; i++) {
			const struct ds_bar *b = &r->bars[i];

			if (b->index > 5)
				continue;
			f->res_end[b->index] = b->start + 2 * b->size - 1;
			printf("%s\tbar%u.size: record 0x%llx, live 0x%llx\n",
			       slot, b->index, (unsigned long long)b->size,
			       (unsigned long long)(2 * b->size));
			return 0;
		}
		return -1;
	}
	if (!strcmp(kind, "absent")) {
		*f = m->f[--m->nr];
		printf("%s\tno PCI function at %s\n", slot, slot);
		return 0;
	}
	if (!strcmp(kind, "chain")) {
		uint32_t last;
		struct func *b;

		if (!r->nr_bridges)
			return -1;
		/*
		 * Keep the function where the record says, but point the
		 * bridge above it elsewhere: nothing leads to its bus any
		 * more, so it sits on a root bus of its own.
		 */
		last = r->bridges[r->nr_bridges - 1];
		b = find_func(m, r->domain, (uint8_t)(last >> 8), (uint8_t)last);
		if (!b)
			return -1;
		b->cfg[0x19] = b->cfg[0x1a] = 0xfe;
		printf("%s\tbridge-path: record", slot);
		for (i = 0; i < r->nr_bridges; i++)
			printf(" %02x:%02x.%x", r->bridges[i] >> 8 & 0xff,
			       (r->bridges[i] >> 3) & 0x1f, r->bridges[i] & 7);
		printf(", live root bus\n");
		return 0;
	}
	return -1;
}

static int write_dump_lspci(const struct machine *m, const char *out)
{
	FILE *f = fopen(out, "w");
	int i, j;

	if (!f)
		return -1;
	for (i = 0; i < m->nr; i++) {
		const struct func *fn = &m->f[i];
		char slot[24];

		slot_str(slot, sizeof(slot), fn->domain, fn->bus, fn->devfn);
		fprintf(f, "%s %s\n", slot, fn->what);
		for (j = 0; j < CFG_SIZE; j++) {
			if (j % 16 == 0)
				fprintf(f, "%02x:", j);
			fprintf(f, " %02x", fn->cfg[j]);
			if (j % 16 == 15)
				fputc('\n', f);
		}
		fputc('\n', f);
	}
	return fclose(f);
}

/* One small file of a fake sysfs device directory. */
static int put_file(const char *dir, const char *name, const void *data,
		    size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		return f ? (fclose(f), -1) : -1;
	return fclose(f);
}

static int put_value(const char *dir, const char *name, unsigned int v,
		     int digits)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%0*x\n", digits, v);
	return put_file(dir, name, buf, strlen(buf));
}

/*
 * The same machine as a sysfs tree (DIR/devices/SLOT/...), for libpci's
 * linux-sysfs method with -O sysfs.path=DIR: unlike a dump, it knows BAR
 * sizes, from the "resource" file as the kernel writes it.
 */
static int write_sysfs(const struct machine *m, const char *out)
{
	char dir[512], res[7 * 64];
	int i, k, ret = 0;
	size_t pos;

	snprintf(dir, sizeof(dir), "%s/devices", out);
	if ((mkdir(out, 0755) && errno != EEXIST) ||
	    (mkdir(dir, 0755) && errno != EEXIST))
		return -1;
	for (i = 0; i < m->nr && !ret; i++) {
		const struct func *fn = &m->f[i];
		const uint8_t *c = fn->cfg;
		char slot[24];

		slot_str(slot, sizeof(slot), fn->domain, fn->bus, fn->devfn);
		snprintf(dir, sizeof(dir), "%s/devices/%s", out, slot);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		for (pos = 0, k = 0; k < 7; k++)
			pos += (size_t)snprintf(res + pos, sizeof(res) - pos,
					"0x%016llx 0x%016llx 0x%016llx\n",
					(unsigned long long)fn->res_start[k],
					(unsigned long long)fn->res_end[k],
					(unsigned long long)fn->res_flags[k]);
		ret = put_file(dir, "config", c, CFG_SIZE) ||
		      put_file(dir, "resource", res, pos) ||
		      put_value(dir, "irq", c[0x3c], 1) ||
		      put_value(dir, "vendor", c[0] | c[1] << 8, 4) ||
		      put_value(dir, "device", c[2] | c[3] << 8, 4) ||
		      put_value(dir, "class", c[9] | c[10] << 8 | c[11] << 16, 6) ||
		      put_value(dir, "subsystem_vendor", c[0x2c] | c[0x2d] << 8, 4) ||
		      put_value(dir, "subsystem_device", c[0x2e] | c[0x2f] << 8, 4) ||
		      put_value(dir, "revision", c[8], 2);
	}
	return ret;
}

static int load(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 64u << 20;	/* fixtures are small; regions a few MiB */

	if (!f)
		return -1;
	*buf = malloc(cap);
	if (!*buf) {
		fclose(f);
		return -1;
	}
	*len = fread(*buf, 1, cap, f);
	fclose(f);
	return 0;
}

static int pcidump(const char *blob_path, const char *out, char **muts, int nr,
		   bool sysfs)
{
	static struct machine m;
	struct ds_blob b;
	uint8_t *buf;
	size_t len;
	uint32_t i, k;
	int ret, j;

	if (load(blob_path, &buf, &len))
		return die("cannot read %s", blob_path);
	ret = ds_blob_open(&b, buf, len);
	if (ret) {
		free(buf);
		return die("not a valid blob: %s", ds_strerror(ret));
	}
	for (i = 0; i < b.nr_devices; i++) {
		struct ds_record r;
		uint8_t bus;

		if (ds_record_read(&b.fdt, b.index[i].node, &r))
			continue;
		if (add_device(&m, &r))
			goto bad;
		/* Each bridge leads to the next one's bus, the last to ours. */
		for (k = 0; k < r.nr_bridges; k++) {
			bus = k + 1 < r.nr_bridges ? (uint8_t)(r.bridges[k + 1] >> 8)
						   : r.bus;
			if (add_bridge(&m, r.domain, r.bridges[k], bus))
				goto bad;
		}
	}
	for (j = 0; j < nr; j++) {
		char *colon = strchr(muts[j], ':');
		unsigned int dom, bus, dev, fn;
		int node;

		if (!colon || sscanf(colon + 1, "%x:%x:%x.%x", &dom, &bus, &dev,
				     &fn) != 4)
			goto bad_mut;
		*colon = '\0';
		node = ds_blob_find(&b, dom, (uint8_t)bus, (uint8_t)(dev << 3 | fn));
		{
			struct ds_record r;

			if (node < 0 || ds_record_read(&b.fdt, node, &r) ||
			    mutate(&m, &r, muts[j], colon + 1))
				goto bad_mut;
		}
		*colon = ':';
	}
	ds_blob_close(&b);
	free(buf);
	if (sysfs)
		return write_sysfs(&m, out) ? die("cannot write %s", out) : 0;
	return write_dump_lspci(&m, out) ? die("cannot write %s", out) : 0;
bad_mut:
	ds_blob_close(&b);
	free(buf);
	return die("cannot apply mutation %s", muts[j]);
bad:
	ds_blob_close(&b);
	free(buf);
	return die("%s", "records do not fit one consistent PCI topology");
}

static int header(const char *in, const char *out, const char *state,
		  long abi)
{
	static const struct { const char *name; uint32_t v; } states[] = {
		{ "empty", DS_REGION_EMPTY }, { "writing", DS_REGION_WRITING },
		{ "sealed", DS_REGION_SEALED }, { "adopted", DS_REGION_ADOPTED },
	};
	uint8_t *buf;
	size_t len, i;
	FILE *f;

	if (load(in, &buf, &len) || len < DS_REGION_HEADER_SIZE)
		return die("cannot read a region header from %s", in);
	if (state) {
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (!strcmp(states[i].name, state))
				break;
		if (i == sizeof(states) / sizeof(states[0]))
			return die("unknown state %s", state);
		ds_put_be32(buf + offsetof(struct ds_region_header, state),
			    states[i].v);
	}
	if (abi >= 0)
		ds_put_be32(buf + offsetof(struct ds_region_header, abi_version),
			    (uint32_t)abi);
	ds_put_be32(buf + offsetof(struct ds_region_header, header_crc), 0);
	ds_put_be32(buf + offsetof(struct ds_region_header, header_crc),
		    ref_crc32c(0, buf, DS_REGION_HEADER_SIZE));
	f = fopen(out, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		free(buf);
		return die("cannot write %s", out);
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "devices", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "mutate", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 'S' },
		{ "abi", required_argument, NULL, 'a' },
		{ "region", no_argument, NULL, 'r' },
		{ "transport", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	char *muts[32];
	const char *out = NULL, *state = NULL, *transport = NULL;
	long abi = -1;
	bool region = false;
	uint64_t seed = 1;
	uint32_t n = 6;
	int c, nr = 0;

	if (argc < 2)
		return die("%s", "usage: tool-fixture blob|pcidump ...");
	optind = 2;
	while ((c = getopt_long(argc, argv, "s:n:o:m:S:a:rT:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			n = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'o':
			out = optarg;
			break;
		case 'r':
			region = true;
			break;
		case 'T':
			transport = optarg;
			break;
		case 'S':
			state = optarg;
			break;
		case 'a':
			abi = strtol(optarg, NULL, 0);
			break;
		case 'm':
			if (nr == 32)
				return die("%s", "too many -m");
			muts[nr++] = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!out)
		return die("%s", "-o FILE is required");
	if (!strcmp(argv[1], "blob")) {
		if (n < 1 || n > MAX_FIXTURE_DEVICES)
			return die("%s", "-n must be 1..16");
		return write_blob(seed, n, region, transport, out);
	}
	if (!strcmp(argv[1], "pcidump")) {
		if (optind != argc - 1)
			return die("%s", "pcidump needs one BLOB");
		return pcidump(argv[optind], out, muts, nr, false);
	}
	if (!strcmp(argv[1], "sysfs")) {
		if (optind != argc - 1)
			return die("%s", "sysfs needs one BLOB");
		return pcidump(argv[optind], out, muts, nr, true);
	}
	if (!strcmp(argv[1], "header")) {
		if (optind != argc - 1)
			return die("%s", "header needs one REGION");
		return header(argv[optind], out, state, abi);
	}
	return die("unknown mode %s", argv[1]);
}
