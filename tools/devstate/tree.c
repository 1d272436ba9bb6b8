// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The devices of a view arranged along their bridge chains, for -t. Both
 * printers walk the same tree.
 *
 * Every record names its chain from the root; a position may appear in
 * many chains, and the first chain that names it decides its parent (a
 * blob is untrusted, so chains may disagree). A parent is therefore always
 * seen before its child, which keeps the tree free of cycles. Building it
 * sorts once: O(n log n) in the number of positions, whatever the input.
 */
#include <stdlib.h>
#include <string.h>

#include "devstate.h"

struct entry {
	uint64_t key, parent_key;
	bool has_parent;
	uint32_t seq;			/* order of appearance */
	const struct dst_device *dev;	/* NULL: named as a bridge */
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static long find_key(const struct dst_tree *t, uint64_t key)
{
	size_t lo = 0, hi = t->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->n[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nr && t->n[lo].key == key ? (long)lo : -1;
}

static size_t count_entries(const struct dst_view *v, const struct dst_select *sel)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < v->nr_devices; i++)
		if (!v->devices[i].err && dst_select_match(sel, &v->devices[i]))
			n += 1 + v->devices[i].rec.nr_bridges;
	return n;
}

static void collect(const struct dst_view *v, const struct dst_select *sel,
		    struct entry *e)
{
	uint32_t i, b, seq = 0;

	for (i = 0; i < v->nr_devices; i++) {
		const struct dst_device *d = &v->devices[i];
		const struct ds_record *r = &d->rec;
		uint64_t prev = 0;
		bool has_prev = false;

		if (d->err || !dst_select_match(sel, d))
			continue;
		for (b = 0; b <= r->nr_bridges; b++, seq++) {
			struct entry *x = &e[seq];

			if (b < r->nr_bridges) {
				x->key = ds_position_key(r->domain,
							 r->bridges[b] >> 8 & 0xff,
							 r->bridges[b] & 0xff);
				x->dev = NULL;
			} else {
				x->key = ds_position_key(r->domain, r->bus,
							 r->devfn);
				x->dev = d;
			}
			x->parent_key = prev;
			x->has_parent = has_prev;
			x->seq = seq;
			prev = x->key;
			has_prev = true;
		}
	}
}

int dst_tree_build(struct dst_tree *t, const struct dst_view *v,
		   const struct dst_select *sel)
{
	size_t n = count_entries(v, sel), i, j;
	struct entry *e;
	long *tail;

	memset(t, 0, sizeof(*t));
	e = calloc(n ? n : 1, sizeof(*e));
	t->n = calloc(n ? n : 1, sizeof(*t->n));
	tail = malloc((n ? n : 1) * sizeof(*tail));
	if (!e || !t->n || !tail) {
		free(e);
		free(tail);
		dst_tree_free(t);
		return -DS_ERR_NOMEM;
	}
	collect(v, sel, e);
	qsort(e, n, sizeof(*e), cmp_entry);

	/* One node per position: the first entry's parent, any record. */
	for (i = 0; i < n; i = j) {
		struct dst_tree_node *node = &t->n[t->nr++];

		node->key = e[i].key;
		node->parent = -1;
		node->first_child = node->next_sibling = -1;
		node->dev = NULL;
		for (j = i; j < n && e[j].key == e[i].key; j++)
			if (!node->dev)
				node->dev = e[j].dev;
		/* The parent is resolved once every node exists. */
		node->has_parent = e[i].has_parent;
		node->parent_key = e[i].parent_key;
	}
	/* Link children in position order: nodes are sorted by key. */
	for (i = 0; i < t->nr; i++) {
		struct dst_tree_node *node = &t->n[i];

		tail[i] = -1;
		node->parent = node->has_parent ? find_key(t, node->parent_key) : -1;
	}
	for (i = 0; i < t->nr; i++) {
		long p = t->n[i].parent;

		if (p < 0)
			continue;
		if (tail[p] < 0)
			t->n[p].first_child = (long)i;
		else
			t->n[tail[p]].next_sibling = (long)i;
		tail[p] = (long)i;
	}
	free(tail);
	free(e);
	return 0;
}

void dst_tree_free(struct dst_tree *t)
{
	free(t->n);
	memset(t, 0, sizeof(*t));
}

/*
 * Depth-first walk, calling @fn for each node with its depth. Subtrees
 * deeper than any real chain (stitched from records that disagree) are
 * walked again from the top as trees of their own, so neither recursion
 * nor indentation is unbounded.
 */
#define TREE_MAX_DEPTH (DS_MAX_BRIDGES + 2)

static int walk(const struct dst_tree *t, long node, int depth,
		dst_tree_fn fn, void *ctx, long *deferred, size_t *nr_deferred)
{
	long c;
	int ret;

	ret = fn(t, node, depth, ctx);
	if (ret)
		return ret;
	for (c = t->n[node].first_child; c >= 0; c = t->n[c].next_sibling) {
		if (depth + 1 >= TREE_MAX_DEPTH) {
			deferred[(*nr_deferred)++] = c;
			continue;
		}
		ret = walk(t, c, depth + 1, fn, ctx, deferred, nr_deferred);
		if (ret)
			return ret;
	}
	return 0;
}

int dst_tree_walk(const struct dst_tree *t, dst_tree_fn fn, void *ctx)
{
	size_t nr_deferred = 0, next = 0, i;
	long *deferred;
	int ret = 0;

	deferred = malloc((t->nr ? t->nr : 1) * sizeof(*deferred));
	if (!deferred)
		return -DS_ERR_NOMEM;
	for (i = 0; i < t->nr && !ret; i++)
		if (t->n[i].parent < 0)
			ret = walk(t, (long)i, 0, fn, ctx, deferred, &nr_deferred);
	while (!ret && next < nr_deferred)
		ret = walk(t, deferred[next++], 0, fn, ctx, deferred,
			   &nr_deferred);
	free(deferred);
	return ret;
}
