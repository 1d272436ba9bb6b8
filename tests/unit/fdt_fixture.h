/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Rebuild an FDT with libfdt's sequential-write API, optionally editing it
 * on the way: the tests make libfdt twins of our blobs this way, and
 * malformed fixtures that differ from a valid blob in exactly one thing.
 */
#ifndef DS_FDT_FIXTURE_H
#define DS_FDT_FIXTURE_H

struct fx_edits {
	/*
	 * Called for each property; return 0 to copy it unchanged, 1 when the
	 * callback emitted its own version into @sw (or dropped it),
	 * a negative libfdt error to stop.
	 */
	int (*prop)(void *ctx, void *sw, const char *node, const char *name,
		    const void *val, int len);
	/* Called for each node name; returns the name to write. */
	const char *(*node)(void *ctx, const char *name);
	/* Called after a node's own properties, before its children. */
	int (*extra)(void *ctx, void *sw, const char *node);
	void *ctx;
	/* fdt_create_with_flags() flags, e.g. FDT_CREATE_FLAG_NO_NAME_DEDUP */
	uint32_t create_flags;
};

/*
 * Rebuild @in into @out (@outsize bytes) with libfdt, applying @e (may be
 * NULL). Returns the new totalsize, or a negative libfdt error.
 */
int fx_rewrite(const void *in, void *out, int outsize, const struct fx_edits *e);

#endif /* DS_FDT_FIXTURE_H */
