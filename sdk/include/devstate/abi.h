/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devstate handoff ABI: the bytes one kernel leaves for the next.
 *
 * This header is the specification. Every magic number, compatible string,
 * node name and property name of the format is defined here and nowhere else.
 * docs/abi.md explains the rules for evolving it.
 */
#ifndef DEVSTATE_ABI_H
#define DEVSTATE_ABI_H

/*
 * The one place that tells the two worlds apart, as uapi headers do: the
 * kernel's linux/types.h also provides uint32_t and friends, and its
 * __be32/__be64 make a serialized field a type sparse will not let code
 * use as a native integer.
 */
#ifdef __KERNEL__
#include <linux/types.h>
typedef __be32 ds_be32;
typedef __be64 ds_be64;
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint32_t ds_be32;
typedef uint64_t ds_be64;
#endif

/*
 * DOC: region layout
 *
 * The preserved region is a physically contiguous range kept from both
 * kernels with memmap=SIZE$PHYS. All multi-byte fields are big-endian, like
 * the FDT inside it, so one byte order describes the whole region.
 *
 *   region + 0                  +-------------------------------+
 *                               | struct ds_region_header (80)  |
 *   region + blob_offset        +-------------------------------+
 *     (DS_REGION_BLOB_ALIGN)    | FDT blob, blob_size bytes     |
 *                               |   /  compatible "devstate-v1" |
 *                               |      dev@DDDD,BB,SS.F         |
 *                               |        driver-state           |
 *                               | (unused up to blob_max)       |
 *   region + pool_offset        +-------------------------------+
 *     (DS_REGION_POOL_ALIGN)    | preserved DMA pool            |
 *                               |   buffers listed in the blob  |
 *                               |   ("dma-regions" of a record) |
 *   region + region_size        +-------------------------------+
 *
 * State machine of the header:
 *
 *   EMPTY --begin--> WRITING --seal--> SEALED --(next kernel)--> ADOPTED
 *     ^                ^  |               |                         |
 *     +-----thaw-------|--+------thaw-----+                         |
 *                      +-----------begin (its own handoff)----------+
 *
 * The outgoing kernel writes every transition but the last; the incoming
 * kernel marks the region ADOPTED once it holds its own copy of the blob,
 * and later begins its own handoff in the same region.
 *
 * A reader accepts only SEALED, with a matching header CRC and blob CRC.
 * Both are CRC-32C (Castagnoli: polynomial 0x1EDC6F41, bit-reflected,
 * initial value and final xor 0xFFFFFFFF; "123456789" gives 0xE3069283),
 * the CRC of iSCSI, ext4 and btrfs, which CPUs compute in hardware.
 * blob_crc covers the blob_size bytes at blob_offset; header_crc the
 * 80-byte header with the header_crc field itself taken as zero.
 *
 * ABI version 1 used CRC-32/IEEE (zlib's crc32()) for both. Version 2
 * changed only that, and a reader refuses any version it does not know
 * before it looks at a CRC.
 */

#define DS_REGION_MAGIC		0x44535447u	/* "DSTG" */
#define DS_REGION_ABI_VERSION	2u
#define DS_REGION_HEADER_SIZE	80u
#define DS_REGION_BLOB_ALIGN	64u
#define DS_REGION_POOL_ALIGN	4096u
/* Smallest region the kernel accepts: header page, one blob page, one pool page. */
#define DS_REGION_MIN_SIZE	(3u * 4096u)

enum ds_region_state {
	DS_REGION_EMPTY		= 0x454d5054,	/* "EMPT": formatted, no blob */
	DS_REGION_WRITING	= 0x57524954,	/* "WRIT": blob being written */
	DS_REGION_SEALED	= 0x5345414c,	/* "SEAL": blob complete, CRC valid */
	DS_REGION_ADOPTED	= 0x41444f50,	/* "ADOP": next kernel consumed it */
};

/*
 * ds_be32/ds_be64 are the environment's big-endian field types: __be32 and
 * __be64 in the kernel, plain fixed-width integers in userspace. Fields are
 * only ever read and written through the environment's ds_get_be32()/
 * ds_put_be32() helpers, which take a byte address (void *): the header may
 * sit at any alignment in a dump file, and the FDT cells they also read have
 * no struct at all. Sparse therefore checks no access the helpers make; what
 * the __be types buy in the kernel is that sparse flags any code that reads
 * or assigns a field directly, bypassing the helpers (C=2 in check-kernel).
 */
struct ds_region_header {
	ds_be32 magic;		/* DS_REGION_MAGIC */
	ds_be32 abi_version;	/* DS_REGION_ABI_VERSION */
	ds_be32 header_size;	/* DS_REGION_HEADER_SIZE */
	ds_be32 state;		/* enum ds_region_state */
	ds_be64 region_size;	/* whole region, bytes */
	ds_be64 generation;	/* incremented by every kernel that seals */
	ds_be64 blob_offset;	/* from region start, DS_REGION_BLOB_ALIGN */
	ds_be64 blob_max;	/* bytes reserved for the blob */
	ds_be64 blob_size;	/* bytes of the sealed blob (<= blob_max) */
	ds_be64 pool_offset;	/* from region start, DS_REGION_POOL_ALIGN */
	ds_be64 pool_size;	/* bytes up to the region's end */
	ds_be32 blob_crc;	/* CRC-32C of the blob */
	ds_be32 header_crc;	/* CRC-32C of this header, this field = 0 */
};

/*
 * DOC: blob layout
 *
 * The blob is a standard flattened device tree, version 17, readable by
 * libfdt and dtc. Its shape:
 *
 *   / {
 *       compatible = "devstate-v1";
 *       kernel-release = "6.1.0-26-amd64";
 *       generation = <hi lo>;                 // u64
 *       timestamp-ns = <hi lo>;               // u64, CLOCK_REALTIME at seal
 *       pool = <base_hi base_lo size_hi size_lo>; // physical, u64 pair
 *
 *       dev@0000,01,05.0 {                     // DS_DEVICE_NODE_FMT
 *           pci = <version domain bdf id subsys class-rev command
 *                  irq-mode irq-count irq-pin-line vector-mask
 *                  dma-mask(2) coherent-mask(2)>; // enum ds_pci_cell
 *           msi = <addr_hi addr_lo data>;       // MSI: its one message
 *           bridge-path = <bdf bdf ...>;        // root first; if any
 *           bars = [ 20-byte entries ];         // if any, ds_abi_bar
 *           irq-vectors = [ 8-byte entries ];   // MSI-X, ds_abi_vector
 *           irq-vectors-hi = <addr_hi ...>;     // only if one is non-zero
 *           dma-regions = [ 24-byte entries ];  // if any
 *           dma-region-names = "ring", "buf";   // one per dma-regions entry
 *           driver-name = "devstate_edu";
 *           irq-vectors-more = [ 8-byte entries ]; // MSI-X entries 32..
 *           irq-vectors-more-hi = <addr_hi ...>;  // only if one is non-zero
 *           irq-vectors-mask = <mask ...>;      // their mask bits, if any set
 *
 *           driver-state {
 *               compatible = "devstate-edu,state-v1"; // the driver's own
 *               ...driver-private properties...
 *           };
 *       };
 *   };
 *
 * Every byte of a record is paid for at each of tens of thousands of
 * functions, and every property costs 12 bytes of header before its value.
 * So the scalars travel together in one cell array (pci), packed the way
 * config space holds them, list properties are left out when empty, and
 * the record's version is the first of those cells rather than a 28-byte
 * compatible string in every node.
 *
 * Versioning is per record: a reader decodes the record versions it knows
 * (DS_PCI_VERSION) and sends any other record down the cold path without
 * looking further. Readers ignore properties they do not know. A change
 * that an old reader would misread gets a new version, never a silent
 * reinterpretation.
 */

#define DS_ROOT_COMPATIBLE		"devstate-v1"
#define DS_RECORD_VERSION		2u

/* Device node name: "dev@" domain(4+ hex) "," bus(2) "," slot(2) "." func. */
#define DS_DEVICE_NODE_PREFIX		"dev"
#define DS_DEVICE_NODE_FMT		"dev@%04x,%02x,%02x.%x"
#define DS_DEVICE_NODE_NAME_MAX		32
#define DS_DRIVER_STATE_NODE		"driver-state"

/* Root properties */
#define DS_PROP_COMPATIBLE	"compatible"	/* string */
#define DS_PROP_KERNEL_RELEASE	"kernel-release" /* string: writer's uname -r */
#define DS_PROP_GENERATION	"generation"	/* u64: matches the header's */
#define DS_PROP_TIMESTAMP	"timestamp-ns"	/* u64: realtime ns at freeze */
#define DS_PROP_POOL		"pool"		/* u64 base, u64 size (physical) */
/* string: how the blob crossed, "region" or "kho"; absent in older blobs */
#define DS_PROP_TRANSPORT	"transport"
/*
 * u32 count, then slots of two u32 (domain, bus << 8 | devfn): the devices
 * kept alive through the jump, the first @count slots, filled in at the
 * last moment of the kexec; unused slots hold DS_KEPT_ALIVE_FREE in both
 * cells. Written with one slot per record at freeze. See docs/abi.md.
 */
#define DS_PROP_KEPT_ALIVE	"kept-alive"
#define DS_KEPT_ALIVE_FREE	0xffffffffu

/* Device record properties */
#define DS_PROP_PCI		"pci"		/* u32[DS_PCI_CELLS], enum ds_pci_cell */
#define DS_PROP_BRIDGE_PATH	"bridge-path"	/* u32[]: (bus << 8 | devfn), root first */
#define DS_PROP_BARS		"bars"		/* struct ds_abi_bar[] */
#define DS_PROP_MSI		"msi"		/* u32 addr_hi, addr_lo, data */
#define DS_PROP_IRQ_VECTORS	"irq-vectors"	/* struct ds_abi_vector[] */
#define DS_PROP_IRQ_VECTORS_HI	"irq-vectors-hi" /* u32[], address bits 63:32 */
/* MSI-X tables longer than DS_RECORD_VECTORS: the entries after those. */
#define DS_PROP_IRQ_MORE	"irq-vectors-more" /* struct ds_abi_vector[] */
#define DS_PROP_IRQ_MORE_HI	"irq-vectors-more-hi" /* u32[], bits 63:32 */
#define DS_PROP_IRQ_MORE_MASK	"irq-vectors-mask" /* u32[], mask bits */
#define DS_PROP_DMA_REGIONS	"dma-regions"	/* struct ds_abi_dma_region[] */
#define DS_PROP_DMA_NAMES	"dma-region-names" /* string list, one per region */
#define DS_PROP_DRIVER_NAME	"driver-name"	/* string */

/*
 * Cells of DS_PROP_PCI, in order. The identity cells are the config-space
 * dwords they come from, as the device returns them: ID is offset 0x00
 * (device << 16 | vendor), SUBSYS offset 0x2c (subdevice << 16 |
 * subvendor), CLASS_REV offset 0x08 (class << 8 | revision); PIN_LINE is
 * offset 0x3c's low half (pin << 8 | line).
 */
enum ds_pci_cell {
	DS_PCI_VERSION,		/* record layout, DS_RECORD_VERSION */
	DS_PCI_DOMAIN,
	DS_PCI_BDF,		/* bus << 8 | devfn, as bridge-path entries */
	DS_PCI_ID,
	DS_PCI_SUBSYS,
	DS_PCI_CLASS_REV,
	DS_PCI_COMMAND,		/* PCI_COMMAND at freeze */
	DS_PCI_IRQ_MODE,	/* enum ds_irq_mode */
	DS_PCI_IRQ_COUNT,	/* vectors enabled (may exceed entries listed) */
	DS_PCI_IRQ_PIN_LINE,	/* INTx pin (1 = INTA, 0 none) << 8 | line */
	DS_PCI_VECTOR_MASK,	/* bit i: vector i (< 32) is masked */
	DS_PCI_DMA_MASK_HI,
	DS_PCI_DMA_MASK_LO,
	DS_PCI_COHERENT_MASK_HI,
	DS_PCI_COHERENT_MASK_LO,
	DS_PCI_CELLS
};

enum ds_irq_mode {
	DS_IRQ_NONE = 0,
	DS_IRQ_INTX = 1,
	DS_IRQ_MSI = 2,
	DS_IRQ_MSIX = 3,
};

/* One entry of DS_PROP_BARS: 20 bytes, big-endian. */
struct ds_abi_bar {
	ds_be32 info;		/* index << 8 | DS_BAR_* flags */
	ds_be32 start_hi, start_lo;	/* CPU physical address */
	ds_be32 size_hi, size_lo;	/* bytes */
};

#define DS_BAR_IO		0x1u	/* I/O space */
#define DS_BAR_MEM		0x2u	/* memory space */
#define DS_BAR_64		0x4u	/* 64-bit memory BAR */
#define DS_BAR_PREFETCH		0x8u	/* prefetchable */
#define DS_BAR_ROM		0x10u	/* expansion ROM */
#define DS_BAR_FLAGS_KNOWN	0x1fu
#define DS_BAR_INFO_INDEX_SHIFT	8	/* index: 0..5, 6 = expansion ROM */

/*
 * MSI has one message address and data register pair: with multiple
 * messages enabled, message i sends data | i. DS_PROP_MSI holds that pair,
 * and the record's vectors are its first min(count, DS_RECORD_VECTORS)
 * messages (MSI has at most 32). A record whose vectors do not follow that
 * rule lists them in DS_PROP_IRQ_VECTORS instead, as MSI-X does.
 *
 * One entry of DS_PROP_IRQ_VECTORS: 8 bytes, big-endian: the message as
 * programmed, address bits 31:0 and data. Message addresses are 32-bit on
 * most platforms (x86's 0xfeeXXXXX), so bits 63:32 travel in
 * DS_PROP_IRQ_VECTORS_HI, one cell per entry, only when one is non-zero.
 *
 * MSI-X tables hold up to 2048 entries. DS_PROP_IRQ_VECTORS lists at most
 * the first DS_RECORD_VECTORS, whose mask bits are DS_PCI_VECTOR_MASK's;
 * a longer list goes on in DS_PROP_IRQ_MORE (same entries, vector 32
 * first), with DS_PROP_IRQ_MORE_HI (one cell per entry, only when one is
 * non-zero) and DS_PROP_IRQ_MORE_MASK: one cell per 32 of its entries,
 * bit i of cell k for vector 32 + 32 * k + i, only when a bit is set, none
 * set past the list. A reader of version 2 that predates them ignores the
 * three properties and reads the first 32 vectors and the count, exactly
 * what writers listed before. Writers list every entry up to the last
 * unmasked one (at least min(count, 32)); the count cell says how many
 * the table has, so only a masked tail is ever left out.
 */
struct ds_abi_vector {
	ds_be32 address_lo;
	ds_be32 data;
};

/* One entry of DS_PROP_DMA_REGIONS: 24 bytes, big-endian. */
struct ds_abi_dma_region {
	ds_be64 phys;		/* CPU physical address inside the pool */
	ds_be64 bus;		/* address the device uses (IOVA) */
	ds_be64 size;		/* bytes */
};

/* Limits a reader enforces on untrusted blobs. */
#define DS_MAX_DEPTH		8	/* node nesting, root = 1 */
#define DS_MAX_NAME_LEN		64	/* node name, without NUL */
#define DS_MAX_BRIDGES		16	/* bridge-path entries */
#define DS_MAX_BARS		7	/* BARs 0..5 and the ROM */
#define DS_MAX_VECTORS		2048	/* vectors listed: an MSI-X table's most */
#define DS_RECORD_VECTORS	32	/* of those in irq-vectors, one mask cell */
#define DS_MAX_DMA_REGIONS	16	/* dma-regions entries */
#define DS_DRIVER_NAME_MAX	32	/* driver-name, with NUL */
#define DS_DMA_NAME_MAX		32	/* a dma-region-names entry, with NUL */

#define DS_ABI_STATIC_ASSERT(c, m) _Static_assert(c, m)
DS_ABI_STATIC_ASSERT(sizeof(struct ds_region_header) == DS_REGION_HEADER_SIZE,
		     "region header is 80 bytes");
DS_ABI_STATIC_ASSERT(sizeof(struct ds_abi_bar) == 20, "bar entry is 20 bytes");
DS_ABI_STATIC_ASSERT(sizeof(struct ds_abi_vector) == 8, "vector entry is 8 bytes");
DS_ABI_STATIC_ASSERT(DS_RECORD_VECTORS == 32,
		     "one pci cell holds the mask bits of irq-vectors");
DS_ABI_STATIC_ASSERT(DS_MAX_VECTORS % 32 == 0 &&
		     DS_MAX_VECTORS > DS_RECORD_VECTORS,
		     "irq-vectors-mask cells cover irq-vectors-more whole");
DS_ABI_STATIC_ASSERT(sizeof(struct ds_abi_dma_region) == 24,
		     "dma region entry is 24 bytes");

#endif /* DEVSTATE_ABI_H */
