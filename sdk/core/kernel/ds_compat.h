/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels devstate builds on (Debian 12's 6.1,
 * Debian 13's 6.12, upstream 7.x) is adapted here and nowhere else. Each
 * entry is named for what it adapts and says which kernel changed it; code
 * outside this file uses the ds_compat_* names and never tests a version.
 * `make check` builds the module against every kernel of the matrix
 * (tests/vm/kernels/), so an entry that stops holding fails there.
 */
#ifndef DS_COMPAT_H
#define DS_COMPAT_H

#include <linux/crc32.h>
#include <linux/kmsg_dump.h>
#include <linux/version.h>

/*
 * 6.12 moved the unaligned accessors from <asm/unaligned.h>. (A version
 * test, not __has_include: Debian 12's sparse does not know the latter.)
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * CRC-32C as a bare shift register (no inversion at either end). On 6.1 and
 * 6.12 that is __crc32c_le(), built into lib/crc32.c; the CRC library
 * rework that followed 6.12 named it crc32c(), with the same contract, in
 * the CRC32 library (7.2 has no __crc32c_le). Before that rework crc32c()
 * was libcrc32c's crypto-API wrapper, a module dependency devstate.ko
 * avoids, so the older kernels keep __crc32c_le().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define ds_compat_crc32c_raw(crc, buf, len)	crc32c(crc, buf, len)
#else
#define ds_compat_crc32c_raw(crc, buf, len)	__crc32c_le(crc, buf, len)
#endif

/*
 * The namespace argument of EXPORT_SYMBOL_NS_GPL(): a bare token the macro
 * stringifies up to 6.12; 6.13 made it a string literal (and
 * MODULE_IMPORT_NS() with it, which drivers get from <devstate/driver.h>).
 * devstate.ko exports its driver API in the namespace DEVSTATE.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define DS_COMPAT_SYMBOL_NS	"DEVSTATE"
#else
#define DS_COMPAT_SYMBOL_NS	DEVSTATE
#endif

/*
 * The kmsg dumper callback: 6.12 passes the reason inside a
 * struct kmsg_dump_detail, 6.1 passes it alone. DS_COMPAT_KMSG_DUMP(name)
 * defines a callback of the kernel's type that hands the reason to
 * name##_reason(), a plain function the caller writes once.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define DS_COMPAT_KMSG_DUMP(name)					\
static void name(struct kmsg_dumper *dumper,				\
		 struct kmsg_dump_detail *detail)			\
{									\
	name##_reason(detail->reason);					\
}
#else
#define DS_COMPAT_KMSG_DUMP(name)					\
static void name(struct kmsg_dumper *dumper,				\
		 enum kmsg_dump_reason reason)				\
{									\
	name##_reason(reason);						\
}
#endif

/*
 * Kexec HandOver as a module can use it: kho_add_subtree() with a size and
 * opaque blobs, no finalize step, kho_alloc_preserve(). That is the API of
 * 7.2 (the 6.16 to 6.19 one had finalize notifiers and FDT-only subtrees;
 * docs/design.md). Without CONFIG_KEXEC_HANDOVER kho.c builds to nothing
 * and transport=kho is refused.
 */
#if IS_ENABLED(CONFIG_KEXEC_HANDOVER) && \
	LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define DS_COMPAT_HAVE_KHO	1
#else
#define DS_COMPAT_HAVE_KHO	0
#endif

#endif /* DS_COMPAT_H */
