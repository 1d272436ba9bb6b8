/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Private to sdk/core/shared: the validating reader's hook (fdt_check.c) for
 * the blob index (blob.c). Include after ds_env.h and <devstate/blob.h>.
 */
#ifndef DS_FDT_CHECK_PRIV_H
#define DS_FDT_CHECK_PRIV_H

/*
 * ds_fdt_open() that also hands every child of the root to @visit, by its
 * node offset and the length of its name (checked, NUL-terminated, without
 * the NUL), during the validation walk (blob.c indexes with it). The
 * children come before the walk is over: if it then fails, the caller must
 * drop what it collected.
 */
typedef void (*ds_fdt_visit_fn)(void *ctx, uint32_t node, uint32_t name_len);
int ds_fdt_open_visit(struct ds_fdt *f, const void *blob, size_t size,
		      ds_fdt_visit_fn visit, void *ctx);

#endif /* DS_FDT_CHECK_PRIV_H */
