/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to sdk/core/shared: the flattened device tree format as the
 * devicetree specification defines it (version 17), by byte offsets so
 * nothing depends on struct layout or alignment of the buffer.
 */
#ifndef DS_FDT_FORMAT_H
#define DS_FDT_FORMAT_H

#define FDTF_MAGIC		0xd00dfeedu
#define FDTF_VERSION		17u
#define FDTF_LAST_COMP_VERSION	16u

/* Header: ten big-endian u32 fields. */
#define FDTF_HDR_MAGIC		0
#define FDTF_HDR_TOTALSIZE	4
#define FDTF_HDR_OFF_STRUCT	8
#define FDTF_HDR_OFF_STRINGS	12
#define FDTF_HDR_OFF_RSVMAP	16
#define FDTF_HDR_VERSION	20
#define FDTF_HDR_LAST_COMP	24
#define FDTF_HDR_BOOT_CPUID	28
#define FDTF_HDR_SIZE_STRINGS	32
#define FDTF_HDR_SIZE_STRUCT	36
#define FDTF_HDR_SIZE		40

/*
 * The memory reservation map: one empty terminating entry, placed where
 * libfdt's sequential writer puts it (the header rounded up to an entry's
 * size), so both writers lay out the same header.
 */
#define FDTF_RSV_ENTRY_SIZE	16
#define FDTF_RSVMAP_OFF		48u
#define FDTF_STRUCT_START	(FDTF_RSVMAP_OFF + FDTF_RSV_ENTRY_SIZE)	/* 0x40 */

/* Structure block tokens. */
#define FDTF_BEGIN_NODE		0x1u
#define FDTF_END_NODE		0x2u
#define FDTF_PROP		0x3u
#define FDTF_NOP		0x4u
#define FDTF_END		0x9u

#define FDTF_TAG_SIZE		4u
/* FDT_PROP is followed by u32 len, u32 nameoff, then the value. */
#define FDTF_PROP_HDR_SIZE	12u

static inline uint32_t fdtf_align4(uint32_t x)
{
	return (x + 3u) & ~3u;
}

/*
 * Node-name bytes by class: the devicetree spec's characters, '@' apart,
 * and the NUL that ends a name. One table, so the writer (fdt_write.c)
 * never emits a name the next kernel's reader (fdt_check.c) rejects;
 * test_writer.c and test_index.c hold it to the spec on all 256 bytes.
 * The values are bits: OK and AT are the name's bytes (their sum minus
 * the length counts the '@'s), BAD and NUL both end a scan.
 */
enum fdtf_name_class {
	FDTF_NC_BAD = 0,	/* not allowed: the zero-initialised default */
	FDTF_NC_OK = 1,		/* plain name character */
	FDTF_NC_AT = 2,		/* '@', allowed once, not first */
	FDTF_NC_NUL = 4,	/* end of the name */
};

static const uint8_t fdtf_name_class[256] = {
	['a' ... 'z'] = FDTF_NC_OK, ['A' ... 'Z'] = FDTF_NC_OK,
	['0' ... '9'] = FDTF_NC_OK, [','] = FDTF_NC_OK, ['.'] = FDTF_NC_OK,
	['_'] = FDTF_NC_OK, ['+'] = FDTF_NC_OK, ['-'] = FDTF_NC_OK,
	['@'] = FDTF_NC_AT, ['\0'] = FDTF_NC_NUL,
};

/* Bytes a property with a value of @len bytes takes in the structure block. */
static inline uint32_t fdtf_prop_size(uint32_t len)
{
	return FDTF_PROP_HDR_SIZE + fdtf_align4(len);
}

/* Bytes BEGIN_NODE and a name of @len bytes take. */
static inline uint32_t fdtf_node_size(uint32_t len)
{
	return FDTF_TAG_SIZE + fdtf_align4(len + 1);
}

#endif /* DS_FDT_FORMAT_H */
