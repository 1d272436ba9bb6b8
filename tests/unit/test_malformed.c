// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Malformed input, one fixture per rejection cause, each rejected with its
 * own DS_ERR_* code. Every fixture starts from a valid synthetic blob or
 * region and breaks exactly one thing, said in its comment. Then every
 * single byte of a sealed region's header and blob is flipped in turn: each
 * must be rejected with a named reason, and the bare blob's flips must never
 * crash the parser.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "../synth/synth.h"
#include "crc32c_ref.h"
#include "fdt_fixture.h"
#include "tap.h"

#define SEED		6	/* three records: one with MSI, one with MSI-X */
#define DEVICES		3
#define HDR(field)	offsetof(struct fdt_header, field)
#define RHDR(field)	offsetof(struct ds_region_header, field)

static uint8_t *good;		/* valid blob */
static uint32_t good_size;
static uint8_t work[256 * 1024];	/* fixture under test */

static uint32_t get32(uint32_t off) { return ds_get_be32(work + off); }
static void put32(uint32_t off, uint32_t v) { ds_put_be32(work + off, v); }

static void reset_work(void)
{
	memset(work, 0, sizeof(work));
	memcpy(work, good, good_size);
}

/* Offset in work of the structure-block token of the first property. */
static uint32_t first_prop_at(void)
{
	return get32(HDR(off_dt_struct)) + (uint32_t)fdt_first_property_offset(work, 0);
}

/*
 * Open @len bytes of work as a blob, then read every record, through both
 * readers: ds_blob_read() applies the record rules while it decodes,
 * ds_record_read() applies ds_record_valid() after that too. A verdict or
 * a record on which they differ is -DS_ERR__MAX, which no case expects.
 */
static int parse_all(uint32_t len)
{
	struct ds_blob b;
	struct ds_record r, again;
	uint32_t i;
	int err = ds_blob_open(&b, work, len), err2;

	if (err)
		return err;
	for (i = 0; i < b.nr_devices && !err; i++) {
		memset(&r, 0, sizeof(r));
		memset(&again, 0, sizeof(again));
		err = ds_blob_read(&b, b.index[i].node, &r);
		err2 = ds_record_read(&b.fdt, b.index[i].node, &again);
		if (err != err2 || (!err && memcmp(&r, &again, sizeof(r))))
			err = -DS_ERR__MAX;
		/* every vector of a record read is there for the asking */
		if (!err && ds_record_vectors(&b.fdt, b.index[i].node, NULL, 0) !=
			    (int)(r.nr_vectors + r.nr_vectors_more))
			err = -DS_ERR__MAX;
	}
	ds_blob_close(&b);
	return err;
}

/* ------------------------------------------------------------------ */
/* FDT structure, broken by patching a copy of the valid blob          */

static void test_fdt_header(void)
{
	uint32_t strings = get32(HDR(off_dt_strings));

	reset_work();
	tap_err(parse_all(good_size), 0, "control: the unbroken blob parses");

	/* shorter than the FDT header itself */
	tap_err(parse_all(sizeof(struct fdt_header) - 1), -DS_ERR_TRUNCATED,
		"truncated: buffer shorter than the FDT header");
	/* the last byte of the blob is missing */
	tap_err(parse_all(good_size - 1), -DS_ERR_TRUNCATED,
		"truncated: buffer shorter than totalsize");

	/* not an FDT at all */
	put32(HDR(magic), FDT_MAGIC ^ 1);
	tap_err(parse_all(good_size), -DS_ERR_BADMAGIC, "bad magic");
	/* a blob abandoned half-written still carries the sw magic */
	reset_work();
	put32(HDR(magic), DS_FDT_SW_MAGIC);
	tap_err(parse_all(good_size), -DS_ERR_BADMAGIC, "half-written blob (sw magic)");

	/* version 16 predates the layout we read */
	reset_work();
	put32(HDR(version), 16);
	tap_err(parse_all(good_size), -DS_ERR_BADVERSION, "bad version: 16");
	/* a writer saying version-17 readers cannot read it */
	reset_work();
	put32(HDR(last_comp_version), 18);
	tap_err(parse_all(good_size), -DS_ERR_BADVERSION, "bad version: last compatible 18");

	/* structure block starts past the end */
	reset_work();
	put32(HDR(off_dt_struct), good_size + 4);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "bad offset: structure block past the end");
	/* strings block runs past the end */
	reset_work();
	put32(HDR(size_dt_strings), good_size - strings + 1);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "bad size: strings block past the end");
	/* offset + size wraps around 32 bits */
	reset_work();
	put32(HDR(off_dt_struct), 0xfffffff0u);
	put32(HDR(size_dt_struct), 0x20);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "bad offset: offset + size overflows");
	/* reservation map past the end */
	reset_work();
	put32(HDR(off_mem_rsvmap), good_size);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "bad offset: reservation map past the end");
	/* totalsize smaller than the header */
	reset_work();
	put32(HDR(totalsize), 20);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "bad size: totalsize below the header size");

	/* strings block laid over the structure block */
	reset_work();
	put32(HDR(off_dt_strings), get32(HDR(off_dt_struct)));
	tap_err(parse_all(good_size), -DS_ERR_OVERLAP, "overlap: strings over structure");
	/* structure block starting inside the header */
	reset_work();
	put32(HDR(off_dt_struct), 0);
	tap_err(parse_all(good_size), -DS_ERR_OVERLAP, "overlap: structure over the header");
	/*
	 * Reservation map starting inside the header: its entries run from
	 * byte 24 to the zero entry at byte 40, over the header's tail.
	 */
	reset_work();
	put32(HDR(off_mem_rsvmap), 24);
	tap_err(parse_all(good_size), -DS_ERR_OVERLAP, "overlap: reservation map over the header");
	/* strings block laid over the reservation map (and beyond) */
	reset_work();
	put32(HDR(off_dt_strings), get32(HDR(off_mem_rsvmap)));
	tap_err(parse_all(good_size), -DS_ERR_OVERLAP, "overlap: strings over the reservation map");

	/* structure block at an offset not a multiple of 4 */
	reset_work();
	put32(HDR(off_dt_struct), get32(HDR(off_dt_struct)) + 2);
	tap_err(parse_all(good_size), -DS_ERR_BADALIGN, "misaligned structure block");
	/* structure block size not a multiple of 4 */
	reset_work();
	put32(HDR(size_dt_struct), get32(HDR(size_dt_struct)) - 2);
	tap_err(parse_all(good_size), -DS_ERR_BADALIGN, "structure block size not a multiple of 4");
	/* reservation map not 8-byte aligned */
	reset_work();
	put32(HDR(off_mem_rsvmap), 44);
	tap_err(parse_all(good_size), -DS_ERR_BADALIGN, "misaligned reservation map");
}

static void test_fdt_struct(void)
{
	uint32_t prop, end_node;
	int child;

	/* a property name offset past the strings block */
	reset_work();
	prop = first_prop_at();
	put32(prop + 8, get32(HDR(size_dt_strings)) + 10);
	tap_err(parse_all(good_size), -DS_ERR_BADSTRING, "bad string offset");
	/*
	 * The strings block loses its last byte: the first name written
	 * ("compatible", stored last) is no longer NUL-terminated.
	 */
	reset_work();
	put32(HDR(size_dt_strings), get32(HDR(size_dt_strings)) - 1);
	tap_err(parse_all(good_size), -DS_ERR_BADSTRING, "unterminated string in the strings block");

	/* an unknown token where the first property was */
	reset_work();
	put32(first_prop_at(), 0x0000000a);
	tap_err(parse_all(good_size), -DS_ERR_BADTAG, "bad tag: unknown token");
	/* FDT_END where the first device node closes: nodes left open */
	reset_work();
	child = fdt_first_subnode(work, 0);
	end_node = get32(HDR(off_dt_struct)) + (uint32_t)fdt_next_subnode(work, child) - 4;
	tap_ok(get32(end_node) == FDT_END_NODE, "fixture: END_NODE found before the second device");
	put32(end_node, FDT_END);
	tap_err(parse_all(good_size), -DS_ERR_BADTAG, "bad tag: FDT_END inside a node");
	/* FDT_END replaced by one END_NODE too many, above the root */
	reset_work();
	end_node = get32(HDR(off_dt_struct)) + get32(HDR(size_dt_struct)) - 4;
	tap_ok(get32(end_node) == FDT_END, "fixture: FDT_END closes the structure block");
	put32(end_node, FDT_END_NODE);
	tap_err(parse_all(good_size), -DS_ERR_BADTAG, "bad tag: END_NODE above the root");
	/* a property length running past the structure block */
	reset_work();
	prop = first_prop_at();
	put32(prop + 4, 0x7ffffff0u);
	tap_err(parse_all(good_size), -DS_ERR_BADOFFSET, "property length past the structure block");
}

/*
 * Trees libfdt builds without complaint but our reader must refuse. Each
 * builder starts with sw_open() (header, reservation map, root node) and
 * hands its last libfdt result to sw_close(), which closes the root.
 */
static int sw_open(void)
{
	int err = fdt_create(work, sizeof(work));

	if (!err)
		err = fdt_finish_reservemap(work);
	return err ? err : fdt_begin_node(work, "");
}

static int sw_close(int err)
{
	if (!err)
		err = fdt_end_node(work);
	if (!err)
		err = fdt_finish(work);
	return err ? err : (int)fdt_totalsize(work);
}

/* root { n { n { ... } } }: @levels nodes nested, the root included */
static int sw_nested(uint32_t levels)
{
	uint32_t i;
	int err = sw_open();

	for (i = 1; i < levels && !err; i++)
		err = fdt_begin_node(work, "n");
	for (i = 1; i < levels && !err; i++)
		err = fdt_end_node(work);
	return sw_close(err);
}

/* root { child { }; p = <1>; }: a property after a child node */
static int sw_prop_after_child(void)
{
	int err = sw_open();

	if (!err)
		err = fdt_begin_node(work, "child");
	if (!err)
		err = fdt_end_node(work);
	if (!err)
		err = fdt_property_u32(work, "p", 1);
	return sw_close(err);
}

/* two top-level nodes: root { }; root { }; */
static int sw_two_roots(void)
{
	int err = sw_open();

	if (!err)
		err = fdt_end_node(work);
	if (!err)
		err = fdt_begin_node(work, "");
	return sw_close(err);
}

static void test_fdt_trees(void)
{
	struct ds_fdt f;
	int len;

	len = sw_nested(DS_MAX_DEPTH);
	tap_err(len > 0 ? ds_fdt_open(&f, work, len) : len, 0,
		"control: nesting of exactly DS_MAX_DEPTH opens");
	len = sw_nested(DS_MAX_DEPTH + 1);
	tap_err(len > 0 ? ds_fdt_open(&f, work, len) : len, -DS_ERR_DEPTH,
		"nesting over DS_MAX_DEPTH");
	len = sw_prop_after_child();
	tap_err(len > 0 ? ds_fdt_open(&f, work, len) : len, -DS_ERR_BADTAG,
		"bad tag: property after a child node");
	len = sw_two_roots();
	tap_err(len > 0 ? ds_fdt_open(&f, work, len) : len, -DS_ERR_BADTAG,
		"bad tag: two root nodes");
}

/* ------------------------------------------------------------------ */
/* Rewrites of the valid blob through libfdt, one thing changed        */

struct change {
	const char *node;	/* node to act on ("" = root), NULL = none */
	const char *prop;	/* property to replace or drop */
	const void *val;	/* new value; NULL drops the property */
	int len;
	const char *rename;	/* new name for @node */
	const char *add;	/* extra property for @node, or "node" */
	const void *add_val;	/* its value (default: a string) */
	int add_len;
	const char *prop2;	/* a second property to replace, as @prop */
	const void *val2;
	int len2;
};

static const char *device_name(int n)
{
	int node = fdt_first_subnode(good, 0);

	while (n-- > 0)
		node = fdt_next_subnode(good, node);
	return fdt_get_name(good, node, NULL);
}

/* The first device node that has property @prop (the fixture has both). */
static const char *device_with(const char *prop)
{
	int node;

	fdt_for_each_subnode(node, good, 0)
		if (fdt_getprop(good, node, prop, NULL))
			return fdt_get_name(good, node, NULL);
	return "(none)";
}

static const char *device_without_vectors(void)
{
	int node;

	fdt_for_each_subnode(node, good, 0)
		if (!fdt_getprop(good, node, DS_PROP_MSI, NULL) &&
		    !fdt_getprop(good, node, DS_PROP_IRQ_VECTORS, NULL))
			return fdt_get_name(good, node, NULL);
	return "(none)";
}

/* A copy of device node @name's pci cells, still big-endian. */
static void pci_cells(const char *name, uint32_t *cells)
{
	int node = fdt_subnode_offset(good, 0, name), len = 0;
	const void *p = fdt_getprop(good, node, DS_PROP_PCI, &len);

	memset(cells, 0, 4 * DS_PCI_CELLS + 4);
	if (p && len == 4 * DS_PCI_CELLS)
		memcpy(cells, p, 4 * DS_PCI_CELLS);
}

static int change_prop(void *ctx, void *sw, const char *node, const char *name,
		       const void *val, int len)
{
	const struct change *c = ctx;

	(void)val;
	(void)len;
	if (c->prop2 && !strcmp(node, c->node) && !strcmp(name, c->prop2))
		return c->val2 ? (fdt_property(sw, name, c->val2, c->len2) ?: 1) : 1;
	if (!c->prop || strcmp(node, c->node) || strcmp(name, c->prop))
		return 0;
	return c->val ? (fdt_property(sw, name, c->val, c->len) ?: 1) : 1;
}

static const char *change_node(void *ctx, const char *name)
{
	struct change *c = ctx;

	if (c->rename && !strcmp(name, c->node))
		return c->rename;
	return name;
}

/* Forward compatibility: what a newer writer might add. */
static int add_newer(void *ctx, void *sw, const char *node)
{
	const struct change *c = ctx;
	int err;

	if (!c->add || strcmp(node, c->node))
		return 0;
	if (!strcmp(c->add, "node")) {
		err = fdt_begin_node(sw, "future-node");
		if (!err)
			err = fdt_property_u32(sw, "x", 1);
		return err ? err : fdt_end_node(sw);
	}
	if (c->add_val)
		return fdt_property(sw, c->add, c->add_val, c->add_len);
	return fdt_property_string(sw, c->add, "from a newer writer");
}

static int rewritten(struct change *c)
{
	struct fx_edits e = { change_prop, change_node, add_newer, c, 0 };
	int len;

	memset(work, 0, sizeof(work));
	len = fx_rewrite(good, work, sizeof(work), &e);
	if (len < 0)
		tap_diag("fixture rewrite failed: %s", fdt_strerror(len));
	return len;
}

static void expect_change(struct change c, int want, const char *what)
{
	int len = rewritten(&c);

	tap_err(len > 0 ? parse_all((uint32_t)len) : -DS_ERR__MAX, want, "%s", what);
}

static void test_devstate(void)
{
	const char *dev0 = device_name(0), *dev1 = device_name(1);
	char alias[DS_DEVICE_NODE_NAME_MAX + 8];
	static const uint8_t bar19[4 * DS_RECORD_VECTORS + 4];
	uint8_t bar_bad_index[20] = { 0, 0, 7, DS_BAR_MEM };
	uint8_t bar_bad_flags[20] = { 0, 0, 0, 0x20 };
	/* BAR 0 twice; BAR 1 from 2^64 - 1, 2 bytes long */
	uint8_t bar_twice[40] = { 0, 0, 0, DS_BAR_MEM, [20] = 0, 0, 0, DS_BAR_MEM };
	uint8_t bar_wrap[20] = { 0, 0, 1, DS_BAR_MEM, 0xff, 0xff, 0xff, 0xff,
				 0xff, 0xff, 0xff, 0xff, [19] = 2 };
	/* one DMA region: 4 KB at 1 MB, none at all, 2 bytes from 2^64 - 1 */
	uint8_t dma_ok[24] = { [5] = 0x10, [13] = 0x10, [22] = 0x10 };
	uint8_t dma_empty[24] = { [5] = 0x10, [13] = 0x10 };
	uint8_t dma_wrap[24] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				 [23] = 2 };
	static const uint8_t bridge_wide[4] = { 0, 1, 0, 0 };
	const char *dma = device_with(DS_PROP_DMA_REGIONS);
	const char *msi = device_with(DS_PROP_MSI);
	const char *msix = device_with(DS_PROP_IRQ_VECTORS);
	const char *nomsi = device_without_vectors();
	uint32_t pci[DS_PCI_CELLS + 1];	/* one spare: a longer version */
	char long_name[DS_MAX_NAME_LEN + 2];

	expect_change((struct change){ 0 }, 0, "control: an unchanged rewrite parses");
	/* what a newer writer adds is ignored, not refused */
	expect_change((struct change){ .node = dev0, .add = "future-property" }, 0,
		      "accepted: a record property this reader does not know");
	expect_change((struct change){ .node = "", .add = "future-property" }, 0,
		      "accepted: a root property this reader does not know");
	expect_change((struct change){ .node = "", .add = "node" }, 0,
		      "accepted: a root child that is not a device node");

	/* node names the devicetree rules refuse */
	expect_change((struct change){ .node = dev0, .rename = "dev@0000 01" },
		      -DS_ERR_BADNAME, "bad node name: space");
	expect_change((struct change){ .node = dev0, .rename = "dev@1@2" },
		      -DS_ERR_BADNAME, "bad node name: two '@'");
	expect_change((struct change){ .node = dev0, .rename = "@1" },
		      -DS_ERR_BADNAME, "bad node name: nothing before '@'");
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	expect_change((struct change){ .node = dev0, .rename = long_name },
		      -DS_ERR_BADNAME, "bad node name: over DS_MAX_NAME_LEN");
	expect_change((struct change){ .node = "", .rename = "root" },
		      -DS_ERR_BADNAME, "bad node name: the root has a name");

	/* the root is not devstate's */
	expect_change((struct change){ .node = "", .prop = DS_PROP_COMPATIBLE,
				       .val = "devstate-v2", .len = 12 },
		      -DS_ERR_BADROOT, "root compatible devstate-v2");
	expect_change((struct change){ .node = "", .prop = DS_PROP_KERNEL_RELEASE },
		      -DS_ERR_BADROOT, "root without kernel-release");
	expect_change((struct change){ .node = "", .prop = DS_PROP_POOL,
				       .val = "\0\0\0\0\0\0\0\1", .len = 8 },
		      -DS_ERR_BADROOT, "root pool of 8 bytes");

	/* a record of a version this reader does not know: its first cell */
	pci_cells(dev1, pci);
	pci[DS_PCI_VERSION] = cpu_to_fdt32(9);
	expect_change((struct change){ .node = dev1, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 },
		      -DS_ERR_UNKNOWNREC, "record version 9 (pci cell 0)");
	expect_change((struct change){ .node = dev1, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS + 4 },
		      -DS_ERR_UNKNOWNREC, "record version 9, longer pci cells");

	/* records inconsistent in themselves */
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI },
		      -DS_ERR_BADRECORD, "record: pci missing");
	pci_cells(dev0, pci);
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS - 4 },
		      -DS_ERR_BADRECORD, "record: pci one cell short");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI,
				       .val = pci, .len = 2 },
		      -DS_ERR_BADRECORD, "record: pci shorter than its version cell");
	pci_cells(dev0, pci);
	pci[DS_PCI_COMMAND] = cpu_to_fdt32(0x10000);
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: command past 16 bits");
	pci_cells(dev0, pci);
	pci[DS_PCI_BDF] = cpu_to_fdt32(0x10000);
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: bdf past 16 bits");
	pci_cells(nomsi, pci);
	pci[DS_PCI_VECTOR_MASK] = cpu_to_fdt32(1);
	expect_change((struct change){ .node = nomsi, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: mask bit of a vector not listed");
	/* position cells (0000:00:00.0) that disagree with the node name,
	 * whose bus is never 0 in synthetic sets */
	pci_cells(dev0, pci);
	pci[DS_PCI_DOMAIN] = pci[DS_PCI_BDF] = 0;
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: position cells disagree with the node name");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_BARS,
				       .val = bar19, .len = 19 },
		      -DS_ERR_BADRECORD, "record: bars not a multiple of 20 bytes");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_BARS,
				       .val = bar_bad_index, .len = 20 },
		      -DS_ERR_BADRECORD, "record: BAR index 7");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_BARS,
				       .val = bar_bad_flags, .len = 20 },
		      -DS_ERR_BADRECORD, "record: BAR flags unknown");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_BARS,
				       .val = bar_twice, .len = 40 },
		      -DS_ERR_BADRECORD, "record: BAR 0 twice");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_BARS,
				       .val = bar_wrap, .len = 20 },
		      -DS_ERR_BADRECORD, "record: BAR wraps past 2^64");
	expect_change((struct change){ .node = device_with(DS_PROP_DMA_NAMES),
				       .prop = DS_PROP_DMA_NAMES,
				       .val = "a\0b\0c\0d\0e", .len = 10 },
		      -DS_ERR_BADRECORD, "record: more DMA names than regions");
	/* control for the three below: one region, one name */
	expect_change((struct change){ .node = dma, .prop = DS_PROP_DMA_REGIONS,
				       .val = dma_ok, .len = 24,
				       .prop2 = DS_PROP_DMA_NAMES,
				       .val2 = "ring", .len2 = 5 },
		      0, "accepted: one DMA region, one name");
	expect_change((struct change){ .node = dma, .prop = DS_PROP_DMA_REGIONS,
				       .val = dma_ok, .len = 24,
				       .prop2 = DS_PROP_DMA_NAMES,
				       .val2 = "", .len2 = 1 },
		      -DS_ERR_BADRECORD, "record: DMA region with an empty name");
	expect_change((struct change){ .node = dma, .prop = DS_PROP_DMA_REGIONS,
				       .val = dma_empty, .len = 24,
				       .prop2 = DS_PROP_DMA_NAMES,
				       .val2 = "ring", .len2 = 5 },
		      -DS_ERR_BADRECORD, "record: DMA region of size 0");
	expect_change((struct change){ .node = dma, .prop = DS_PROP_DMA_REGIONS,
				       .val = dma_wrap, .len = 24,
				       .prop2 = DS_PROP_DMA_NAMES,
				       .val2 = "ring", .len2 = 5 },
		      -DS_ERR_BADRECORD, "record: DMA region wraps past 2^64");
	expect_change((struct change){ .node = device_with(DS_PROP_BRIDGE_PATH),
				       .prop = DS_PROP_BRIDGE_PATH,
				       .val = bridge_wide, .len = 4 },
		      -DS_ERR_BADRECORD, "record: bridge entry past 16 bits");
	pci_cells(nomsi, pci);
	pci[DS_PCI_IRQ_MODE] = cpu_to_fdt32(DS_IRQ_MSIX + 1);
	expect_change((struct change){ .node = nomsi, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: irq mode past MSI-X");
	pci_cells(msix, pci);
	pci[DS_PCI_IRQ_COUNT] = cpu_to_fdt32(0);
	expect_change((struct change){ .node = msix, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "record: more irq-vectors than the irq count");
	expect_change((struct change){ .node = dev0, .prop = DS_PROP_DRIVER_NAME,
				       .val = "nvme", .len = 4 },
		      -DS_ERR_BADRECORD, "record: driver name not NUL-terminated");
	expect_change((struct change){ .node = msix, .prop = DS_PROP_IRQ_VECTORS,
				       .val = bar19, .len = 12 },
		      -DS_ERR_BADRECORD, "record: irq-vectors not a multiple of 8 bytes");
	expect_change((struct change){ .node = msix, .add = DS_PROP_MSI,
				       .add_val = bar19, .add_len = 12 },
		      -DS_ERR_BADRECORD, "record: msi beside irq-vectors");
	expect_change((struct change){ .node = msix, .add = DS_PROP_IRQ_VECTORS_HI,
				       .add_val = bar19, .add_len = 4 * DS_RECORD_VECTORS + 4 },
		      -DS_ERR_BADRECORD, "record: irq-vectors-hi of the wrong length");
	expect_change((struct change){ .node = msi, .prop = DS_PROP_MSI,
				       .val = bar19, .len = 8 },
		      -DS_ERR_BADRECORD, "record: msi of 8 bytes");
	expect_change((struct change){ .node = msi, .add = DS_PROP_IRQ_VECTORS,
				       .add_val = bar19, .add_len = 8 },
		      -DS_ERR_BADRECORD, "record: irq-vectors beside msi");

	/* two nodes for one position: same key, spelled differently */
	snprintf(alias, sizeof(alias), "dev@0%s", dev0 + strlen("dev@"));
	expect_change((struct change){ .node = dev1, .rename = alias },
		      -DS_ERR_DUPLICATE, "two records for one PCI position");
}

/* ------------------------------------------------------------------ */
/* MSI-X tables past DS_RECORD_VECTORS                                 */

/*
 * A fixture of three long tables, written by ds_record_write_more(): A,
 * 2048 vectors with only irq-vectors-more; B, 2048 with -more-hi and
 * irq-vectors-mask too; C, 101 (a mask cell only partly used).
 */
static uint8_t *msix_fixture(uint32_t *size)
{
	static const uint32_t n[3] = { DS_MAX_VECTORS, DS_MAX_VECTORS, 101 };
	static struct ds_vector more[DS_MAX_VECTORS];
	uint32_t cap = 1u << 17, d, k;
	uint8_t *buf = malloc(cap);
	struct ds_blob_info info;
	struct ds_fdt_writer w;
	struct ds_record r;
	int err;

	ds_synth_blob_info(SEED, &info);
	err = ds_blob_begin(&w, buf, cap, &info);
	for (d = 0; d < 3 && !err; d++) {
		ds_synth_record(SEED, d, &r);
		err = ds_synth_msix(SEED, d, n[d], &r, more);
		for (k = 0; k < n[d] - DS_RECORD_VECTORS; k++) {
			more[k].ctrl = d > 0 && k % 5 == 0;
			more[k].address |= d == 1 && k == 7 ? 1ull << 32 : 0;
		}
		if (!err)
			err = ds_record_write_more(&w, &r, more, NULL, NULL, NULL);
	}
	err = err ? err : ds_blob_end(&w);
	if (err < 0) {
		free(buf);
		return NULL;
	}
	*size = (uint32_t)err;
	return buf;
}

static void test_msix(void)
{
	static const uint8_t zero[8 * DS_MAX_VECTORS + 8];
	uint8_t *saved = good, cells[12] = { 0 };
	uint32_t saved_size = good_size, pci[DS_PCI_CELLS + 1];
	const char *a, *b, *c;

	good = msix_fixture(&good_size);
	if (!tap_ok(good != NULL, "msix: fixture of three long tables")) {
		good = saved;
		good_size = saved_size;
		return;
	}
	a = device_name(0);
	b = device_name(1);
	c = device_name(2);
	expect_change((struct change){ 0 }, 0, "msix: control: the fixture parses");
	expect_change((struct change){ .node = a, .prop = DS_PROP_IRQ_MORE,
				       .val = zero, .len = 12 },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more not a multiple of 8 bytes");
	expect_change((struct change){ .node = a, .prop = DS_PROP_IRQ_MORE,
				       .val = zero, .len = 0 },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more empty");
	pci_cells(a, pci);
	pci[DS_PCI_IRQ_COUNT] = cpu_to_fdt32(DS_MAX_VECTORS - 1);
	expect_change((struct change){ .node = a, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "msix: more vectors listed than the irq count");
	pci[DS_PCI_IRQ_COUNT] = cpu_to_fdt32(2 * DS_MAX_VECTORS);
	expect_change((struct change){ .node = a, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS,
				       .prop2 = DS_PROP_IRQ_MORE, .val2 = zero,
				       .len2 = 8 * (DS_MAX_VECTORS - DS_RECORD_VECTORS) },
		      0, "msix: accepted: 2048 listed of a count of 4096");
	expect_change((struct change){ .node = a, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS,
				       .prop2 = DS_PROP_IRQ_MORE, .val2 = zero,
				       .len2 = 8 * (DS_MAX_VECTORS - DS_RECORD_VECTORS + 1) },
		      -DS_ERR_BADRECORD, "msix: 2049 vectors listed, over DS_MAX_VECTORS");
	pci_cells(a, pci);
	pci[DS_PCI_IRQ_MODE] = cpu_to_fdt32(DS_IRQ_MSI);
	expect_change((struct change){ .node = a, .prop = DS_PROP_PCI,
				       .val = pci, .len = 4 * DS_PCI_CELLS },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more of an MSI function");
	expect_change((struct change){ .node = a, .prop = DS_PROP_IRQ_VECTORS,
				       .val = zero, .len = 8 * (DS_RECORD_VECTORS - 1) },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more after 31 irq-vectors");
	expect_change((struct change){ .node = a, .add = DS_PROP_IRQ_MORE_HI,
				       .add_val = zero, .add_len = 8 },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more-hi of the wrong length");
	expect_change((struct change){ .node = a, .add = DS_PROP_IRQ_MORE_MASK,
				       .add_val = zero, .add_len = 4 },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-mask of one cell for 2016 vectors");
	expect_change((struct change){ .node = a, .add = DS_PROP_IRQ_MORE_MASK,
				       .add_val = zero, .add_len = 4 * 64 },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-mask of 64 cells for 2016 vectors");
	expect_change((struct change){ .node = a, .add = DS_PROP_IRQ_MORE_MASK,
				       .add_val = zero, .add_len = 4 * 63 },
		      0, "msix: accepted: irq-vectors-mask of 63 cells, none set");
	expect_change((struct change){ .node = b, .prop = DS_PROP_IRQ_MORE },
		      -DS_ERR_BADRECORD, "msix: -more-hi and mask without irq-vectors-more");
	expect_change((struct change){ .node = b, .prop = DS_PROP_IRQ_MORE_HI,
				       .val = zero, .len = 4 * (DS_MAX_VECTORS - 1) },
		      -DS_ERR_BADRECORD, "msix: irq-vectors-more-hi one cell long");
	/* C: 69 vectors past 32, so the third mask cell uses bits 0..4 */
	cells[11] = 0x10;
	expect_change((struct change){ .node = c, .prop = DS_PROP_IRQ_MORE_MASK,
				       .val = cells, .len = 12 },
		      0, "msix: accepted: the last listed vector's mask bit");
	cells[11] = 0x20;
	expect_change((struct change){ .node = c, .prop = DS_PROP_IRQ_MORE_MASK,
				       .val = cells, .len = 12 },
		      -DS_ERR_BADRECORD, "msix: a mask bit past the vectors listed");
	free(good);
	good = saved;
	good_size = saved_size;
}

/* ------------------------------------------------------------------ */
/* Region header                                                       */

static uint8_t *region;
static uint64_t region_size;

static void fix_header_crc(uint8_t *r)
{
	uint8_t h[DS_REGION_HEADER_SIZE];

	memcpy(h, r, sizeof(h));
	memset(h + RHDR(header_crc), 0, 4);
	ds_put_be32(r + RHDR(header_crc), ref_crc32c(0, h, sizeof(h)));
}

static int region_parse(const uint8_t *r, uint64_t size)
{
	struct ds_region_view v;
	int err = ds_region_open(r, size, &v);

	if (err)
		return err;
	if ((uint64_t)(v.blob - r) + v.blob_size > sizeof(work))
		return -DS_ERR__MAX;
	memcpy(work, v.blob, v.blob_size);
	return parse_all(v.blob_size);
}

static void test_region(void)
{
	uint8_t *r = malloc(region_size);
	uint64_t blob_off = ds_get_be64(region + RHDR(blob_offset));
	uint64_t blob_size = ds_get_be64(region + RHDR(blob_size));

#define FRESH() memcpy(r, region, region_size)
	FRESH();
	tap_err(region_parse(r, region_size), 0, "control: the sealed region parses");

	/* not a devstate region */
	ds_put_be32(r + RHDR(magic), DS_REGION_MAGIC ^ 0x20);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_MAGIC, "bad region magic");
	/* a region from a future ABI (header CRC valid) */
	FRESH();
	ds_put_be32(r + RHDR(abi_version), DS_REGION_ABI_VERSION + 1);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_ABI, "unknown region ABI version");
	/* one header byte changed, CRC not updated */
	FRESH();
	r[RHDR(generation) + 7] ^= 1;
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "bad header CRC");
	/* a header size this reader does not know (CRC valid) */
	FRESH();
	ds_put_be32(r + RHDR(header_size), DS_REGION_HEADER_SIZE + 8);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "unknown header size");
	/* an unknown state word (CRC valid) */
	FRESH();
	ds_put_be32(r + RHDR(state), 0x4f4f5053);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "unknown state word");
	/* blob bigger than its area (CRC valid) */
	FRESH();
	ds_put_be64(r + RHDR(blob_size), ds_get_be64(r + RHDR(blob_max)) + 1);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "blob size over blob_max");
	/* blob offset not DS_REGION_BLOB_ALIGN aligned (CRC valid) */
	FRESH();
	ds_put_be64(r + RHDR(blob_offset), blob_off + 4);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "misaligned blob offset");
	/* pool beyond the region's end (CRC valid) */
	FRESH();
	ds_put_be64(r + RHDR(pool_offset), region_size + DS_REGION_POOL_ALIGN);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_REGION_HEADER, "pool past the region's end");

	/* the kernel died while writing (CRC valid) */
	FRESH();
	ds_put_be32(r + RHDR(state), DS_REGION_WRITING);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_UNSEALED, "unsealed region (WRITING)");
	FRESH();
	ds_put_be32(r + RHDR(state), DS_REGION_EMPTY);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_UNSEALED, "unsealed region (EMPTY)");
	FRESH();
	ds_put_be32(r + RHDR(state), DS_REGION_ADOPTED);
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_UNSEALED, "already adopted region");

	/* one blob byte changed after sealing */
	FRESH();
	r[blob_off + blob_size / 2] ^= 0x40;
	tap_err(region_parse(r, region_size), -DS_ERR_BADCRC, "bad blob CRC");
	/* the range handed over ends inside the blob */
	FRESH();
	tap_err(region_parse(r, blob_off + blob_size - 1), -DS_ERR_TRUNCATED,
		"region range ends inside the blob");
	/* a sealed, CRC-valid region around a blob that is not an FDT */
	FRESH();
	ds_put_be32(r + blob_off, 0x12345678);
	ds_put_be32(r + RHDR(blob_crc), ref_crc32c(0, r + blob_off, blob_size));
	fix_header_crc(r);
	tap_err(region_parse(r, region_size), -DS_ERR_BADMAGIC,
		"sealed region, valid CRCs, blob not an FDT");
#undef FRESH
	free(r);
}

/* ------------------------------------------------------------------ */
/* Every single byte flipped                                           */

static bool named(int err)
{
	return err < 0 && -err < DS_ERR__MAX && strcmp(ds_strerror(err), "unknown error");
}

static void flip_range(const char *what, uint8_t *r, uint64_t from, uint64_t to)
{
	static const uint8_t masks[] = { 0xff, 0x01, 0x80 };
	uint32_t m, unnamed = 0, tried = 0;
	uint64_t off, bad_at = 0;
	int bad_err = 0;

	for (m = 0; m < TAP_ARRAY_SIZE(masks); m++) {
		for (off = from; off < to; off++) {
			int err;

			r[off] ^= masks[m];
			err = region_parse(r, region_size);
			r[off] ^= masks[m];
			tried++;
			if (!named(err) && !unnamed++) {
				bad_at = off;
				bad_err = err;
			}
		}
	}
	if (!tap_ok(!unnamed, "%s: %u flipped bytes, each rejected with a named reason",
		    what, tried))
		tap_diag("%u not rejected, first at offset %llu: %s", unnamed,
			 (unsigned long long)bad_at, tap_errname(bad_err));
}

static void test_flips(void)
{
	uint8_t *r = malloc(region_size), *blob;
	uint64_t blob_off = ds_get_be64(region + RHDR(blob_offset));
	uint64_t blob_size = ds_get_be64(region + RHDR(blob_size));
	uint32_t off, accepted = 0, rejected = 0, unnamed = 0;

	memcpy(r, region, region_size);
	flip_range("region header", r, 0, DS_REGION_HEADER_SIZE);
	flip_range("sealed blob", r, blob_off, blob_off + blob_size);
	free(r);

	/*
	 * The bare blob has no CRC: a flip may still be a valid tree (a
	 * changed value). The parser must never crash and must name every
	 * rejection; ASan and UBSan watch the reads.
	 */
	blob = malloc(good_size);
	for (off = 0; off < good_size; off++) {
		int err;

		memcpy(blob, good, good_size);
		blob[off] ^= 0xff;
		memcpy(work, blob, good_size);
		err = parse_all(good_size);
		if (!err)
			accepted++;
		else if (named(err))
			rejected++;
		else
			unnamed++;
	}
	tap_ok(!unnamed && rejected, "bare blob: %u flips, %u rejected with a named reason, "
	       "%u still valid, no crash", good_size, rejected, accepted);
	free(blob);
}

int main(void)
{
	int err = ds_synth_blob_alloc(SEED, DEVICES, &good, &good_size);

	if (!tap_err(err, 0, "valid synthetic blob") ||
	    !tap_err(ds_synth_region_alloc(SEED, 1, &region, &region_size), 0,
		     "valid synthetic region"))
		return tap_done();
	reset_work();
	test_fdt_header();
	test_fdt_struct();
	test_fdt_trees();
	test_devstate();
	test_msix();
	test_region();
	test_flips();
	free(good);
	free(region);
	return tap_done();
}
