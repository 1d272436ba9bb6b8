// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The blob as a whole: root properties on the way out; on the way in, the
 * root checked and every device node indexed by PCI position so lookups
 * cost O(log n) however many functions a host has.
 */
#include "ds_env.h"
#include <devstate/blob.h>
#include "fdt_format.h"
#include "fdt_check_priv.h"
#include "record_check.h"

/* A kept-alive list of @slots free slots, count 0 (abi.h). */
static int ds_blob_empty_kept_list(struct ds_fdt_writer *w, uint32_t slots)
{
	uint32_t len, i;
	uint8_t *p;
	int err;

	if (slots > 0x7ffffffbu / 8)	/* the length fits an FDT int */
		return -DS_ERR_INVAL;
	len = 4 + 8 * slots;
	p = ds_fdt_prop_space(w, DS_PROP_KEPT_ALIVE, len, &err);
	if (!p)
		return err;
	ds_put_be32(p, 0);
	for (i = 4; i < len; i += 4)
		ds_put_be32(p + i, DS_KEPT_ALIVE_FREE);
	return 0;
}

int ds_blob_mark_kept_alive(uint8_t *list, uint32_t slots, uint32_t domain,
			    uint8_t bus, uint8_t devfn)
{
	uint32_t n = ds_get_be32(list);
	uint8_t *slot;

	if (n >= slots)
		return -DS_ERR_NOSPACE;
	slot = list + 4 + 8 * n;
	ds_put_be32(slot, domain);
	ds_put_be32(slot + 4, (uint32_t)bus << 8 | devfn);
	ds_put_be32(list, n + 1);
	return 0;
}

int ds_blob_begin(struct ds_fdt_writer *w, void *buf, uint32_t size,
		  const struct ds_blob_info *info)
{
	int ret;

	if (!info || !info->kernel_release)
		return -DS_ERR_INVAL;
	ret = ds_fdt_create(w, buf, size);
	if (!ret)
		ret = ds_fdt_begin_node(w, "");
	if (!ret)
		ret = ds_fdt_prop_string(w, DS_PROP_COMPATIBLE, DS_ROOT_COMPATIBLE);
	if (!ret)
		ret = ds_fdt_prop_string(w, DS_PROP_KERNEL_RELEASE,
					 info->kernel_release);
	if (!ret)
		ret = ds_fdt_prop_u64(w, DS_PROP_GENERATION, info->generation);
	if (!ret)
		ret = ds_fdt_prop_u64(w, DS_PROP_TIMESTAMP, info->timestamp_ns);
	if (!ret) {
		int err;
		uint8_t *p = ds_fdt_prop_space(w, DS_PROP_POOL, 16, &err);

		if (!p)
			return err;
		ds_put_be64(p, info->pool_base);
		ds_put_be64(p + 8, info->pool_size);
	}
	if (!ret && info->transport)
		ret = ds_fdt_prop_string(w, DS_PROP_TRANSPORT, info->transport);
	if (!ret && info->kept_alive_slots)
		ret = ds_blob_empty_kept_list(w, info->kept_alive_slots);
	return ret;
}

int ds_blob_end(struct ds_fdt_writer *w)
{
	int ret = ds_fdt_end_node(w);

	return ret ? ret : ds_fdt_finish(w);
}

static int ds_index_cmp(const void *a, const void *b)
{
	const struct ds_index_entry *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * The kept-alive list, when the root has one: the count within the slots,
 * every filled slot a position (bus and devfn in 16 bits), every other
 * slot free. Nothing else in it may differ from what a writer leaves.
 */
static int ds_read_kept_list(struct ds_blob *b)
{
	const uint8_t *p;
	uint32_t slots, n, i;
	int len;

	p = ds_fdt_getprop(&b->fdt, 0, DS_PROP_KEPT_ALIVE, &len);
	if (!p)
		return 0;
	if (len < 4 || (len - 4) % 8)
		return -DS_ERR_BADROOT;
	slots = (uint32_t)(len - 4) / 8;
	n = ds_get_be32(p);
	if (n > slots)
		return -DS_ERR_BADROOT;
	for (i = 0; i < slots; i++) {
		uint32_t dom = ds_get_be32(p + 4 + 8 * i);
		uint32_t bdf = ds_get_be32(p + 8 + 8 * i);
		bool free_slot = dom == DS_KEPT_ALIVE_FREE &&
				 bdf == DS_KEPT_ALIVE_FREE;

		if (i < n ? (free_slot || bdf > 0xffff) : !free_slot)
			return -DS_ERR_BADROOT;
	}
	b->kept = p + 4;
	b->nr_kept = n;
	b->kept_slots = slots;
	return 0;
}

static int ds_read_root(struct ds_blob *b)
{
	const struct ds_fdt *f = &b->fdt;
	const uint8_t *pool;
	const char *compat;
	int err, len;

	compat = ds_fdt_get_string(f, 0, DS_PROP_COMPATIBLE, &err);
	if (!compat || strcmp(compat, DS_ROOT_COMPATIBLE))
		return -DS_ERR_BADROOT;
	b->kernel_release = ds_fdt_get_string(f, 0, DS_PROP_KERNEL_RELEASE, &err);
	if (!b->kernel_release)
		return -DS_ERR_BADROOT;
	if (ds_fdt_get_u64(f, 0, DS_PROP_GENERATION, &b->generation) ||
	    ds_fdt_get_u64(f, 0, DS_PROP_TIMESTAMP, &b->timestamp_ns))
		return -DS_ERR_BADROOT;
	pool = ds_fdt_getprop(f, 0, DS_PROP_POOL, &len);
	if (!pool || len != 16)
		return -DS_ERR_BADROOT;
	b->pool_base = ds_get_be64(pool);
	b->pool_size = ds_get_be64(pool + 8);
	return ds_read_kept_list(b);
}

int ds_blob_kept_alive(const struct ds_blob *b, uint32_t domain, uint8_t bus,
		       uint8_t devfn)
{
	uint32_t bdf = (uint32_t)bus << 8 | devfn, i;

	if (!b->kept)
		return 1;
	for (i = 0; i < b->nr_kept; i++)
		if (ds_get_be32(b->kept + 8 * i) == domain &&
		    ds_get_be32(b->kept + 8 * i + 4) == bdf)
			return 1;
	return 0;
}

/* A character of a device node's unit address, to ds_parse_key(). */
enum {
	DS_KC_BAD = 0,		/* the zero-initialised default */
	DS_KC_COMMA,
	DS_KC_DOT,
	DS_KC_END,
	DS_KC_HEX = 0x10,	/* | the digit's value */
};

static const uint8_t ds_key_class[256] = {
	['0'] = DS_KC_HEX | 0, ['1'] = DS_KC_HEX | 1, ['2'] = DS_KC_HEX | 2,
	['3'] = DS_KC_HEX | 3, ['4'] = DS_KC_HEX | 4, ['5'] = DS_KC_HEX | 5,
	['6'] = DS_KC_HEX | 6, ['7'] = DS_KC_HEX | 7, ['8'] = DS_KC_HEX | 8,
	['9'] = DS_KC_HEX | 9, ['a'] = DS_KC_HEX | 10, ['b'] = DS_KC_HEX | 11,
	['c'] = DS_KC_HEX | 12, ['d'] = DS_KC_HEX | 13, ['e'] = DS_KC_HEX | 14,
	['f'] = DS_KC_HEX | 15,
	[','] = DS_KC_COMMA, ['.'] = DS_KC_DOT, ['\0'] = DS_KC_END,
};

/*
 * The unit address every writer emits (DS_DEVICE_NODE_FMT: "dddd,bb,ss.f"
 * in lower-case hex), read at fixed places: @u is its 12 characters, which
 * the name's NUL follows. -1 when it has another shape, for ds_parse_key()
 * to read in general; for this shape both give the same verdict and key.
 */
static int ds_parse_canonical(const uint8_t *u, uint64_t *key)
{
	const uint8_t *t = ds_key_class;
	uint32_t domain, bus, slot, fn;

	if (u[4] != ',' || u[7] != ',' || u[10] != '.' ||
	    !(t[u[0]] & t[u[1]] & t[u[2]] & t[u[3]] & t[u[5]] & t[u[6]] &
	      t[u[8]] & t[u[9]] & t[u[11]] & DS_KC_HEX))
		return -1;
	domain = (uint32_t)(t[u[0]] & 0xf) << 12 | (uint32_t)(t[u[1]] & 0xf) << 8 |
		 (uint32_t)(t[u[2]] & 0xf) << 4 | (t[u[3]] & 0xf);
	bus = (uint32_t)(t[u[5]] & 0xf) << 4 | (t[u[6]] & 0xf);
	slot = (uint32_t)(t[u[8]] & 0xf) << 4 | (t[u[9]] & 0xf);
	fn = t[u[11]] & 0xf;
	if (slot > 0x1f || fn > 7)
		return -1;
	*key = ds_position_key(domain, (uint8_t)bus, (uint8_t)(slot << 3 | fn));
	return 0;
}

/*
 * Key from the node name alone; ds_record_read() checks it against cells.
 * The unit address is "domain,bus,slot.function" in lower-case hex, each
 * field 1-8 digits. The name was validated, so it is NUL-terminated and
 * padded to 4 bytes: the prefix can be compared without a length check.
 */
static int ds_parse_key(const char *name, uint32_t len, uint64_t *key)
{
	static const char prefix[] = DS_DEVICE_NODE_PREFIX "@";
	uint32_t field[4], i = 0, digits = 0, cur = 0;
	const uint8_t *p = (const uint8_t *)name + sizeof(prefix) - 1;

	if (memcmp(name, prefix, sizeof(prefix) - 1))
		return -1;
	if (len == sizeof(prefix) - 1 + 12 && !ds_parse_canonical(p, key))
		return 0;
	for (;; p++) {
		uint8_t v = ds_key_class[*p];

		if (v & DS_KC_HEX) {
			if (++digits > 8)
				return -1;
			cur = cur << 4 | (v & 0xfu);
			continue;
		}
		if (!digits)
			return -1;
		if (v == DS_KC_END)
			break;
		if (!((v == DS_KC_COMMA && i < 2) || (v == DS_KC_DOT && i == 2)))
			return -1;
		field[i++] = cur;
		cur = 0;
		digits = 0;
	}
	if (i != 3 || field[1] > 0xff || field[2] > 0x1f || cur > 7)
		return -1;
	*key = ds_position_key(field[0], (uint8_t)field[1],
			       (uint8_t)(field[2] << 3 | cur));
	return 0;
}

/* Most index entries one allocation of at most INT_MAX bytes holds. */
#define DS_INDEX_MAX	(0x7fffffffu / sizeof(struct ds_index_entry))

/* The index as the validation walk fills it. */
struct ds_index_build {
	struct ds_blob *b;
	uint32_t cap;
	bool unsorted;		/* some key was not above the one before */
	int err;
};

/*
 * One child of the root, met during validation: its name is checked and
 * NUL-terminated. The index grows by doubling, so it never holds more than
 * twice the entries the blob really has.
 */
static void ds_index_visit(void *ctx, uint32_t node, uint32_t name_len)
{
	struct ds_index_build *ib = ctx;
	struct ds_blob *b = ib->b;
	const char *name = (const char *)b->fdt.blob + b->fdt.struct_off +
			   node + FDTF_TAG_SIZE;
	uint32_t n = b->nr_devices;
	uint64_t key;

	/* Other children of the root belong to newer writers. */
	if (ib->err || ds_parse_key(name, name_len, &key))
		return;
	if (n == ib->cap) {
		uint32_t cap = ib->cap ? 2 * ib->cap : 64;
		struct ds_index_entry *grown;

		/*
		 * kvmalloc() warns above INT_MAX bytes: clamp there, which
		 * still holds every device of a blob ds_fdt_open() accepts.
		 */
		if (cap > DS_INDEX_MAX)
			cap = (uint32_t)DS_INDEX_MAX;
		grown = cap > n ? ds_alloc(sizeof(*grown) * cap) : NULL;
		if (!grown) {
			ib->err = -DS_ERR_NOMEM;
			return;
		}
		if (n)
			memcpy(grown, b->index, sizeof(*grown) * n);
		ds_free(b->index);
		b->index = grown;
		ib->cap = cap;
	}
	/* Writers emit devices in position order: then no sort is needed. */
	if (n && key <= b->index[n - 1].key)
		ib->unsorted = true;
	b->index[n].key = key;
	b->index[n].node = (int)node;
	b->nr_devices = n + 1;
}

/*
 * An index the walk found strictly increasing is sorted and has no two
 * equal keys; any other is sorted here and then checked for duplicates.
 */
static int ds_sort_index(struct ds_blob *b, bool unsorted)
{
	uint32_t i;

	/* An open blob always has an index, if an empty one. */
	if (!b->index) {
		b->index = ds_alloc(sizeof(*b->index));
		if (!b->index)
			return -DS_ERR_NOMEM;
	}
	if (!unsorted)
		return 0;
	ds_sort(b->index, b->nr_devices, sizeof(*b->index), ds_index_cmp);
	for (i = 1; i < b->nr_devices; i++)
		if (b->index[i].key == b->index[i - 1].key)
			return -DS_ERR_DUPLICATE;
	return 0;
}

/* Below this many devices a plain search of the index is as quick. */
#define DS_FRONT_MIN	256u

/*
 * The front table of a sorted index: one bucket per 2^front_shift keys
 * of its range, about one per four devices, each holding where its keys
 * start in the index. Only a shortcut: without memory for it, lookups
 * search the whole index and find the same nodes.
 */
static void ds_build_front(struct ds_blob *b)
{
	uint64_t base, range;
	uint32_t n = b->nr_devices, shift = 0, len, i, k = 0;

	if (n < DS_FRONT_MIN)
		return;
	base = b->index[0].key;
	range = b->index[n - 1].key - base;
	while ((range >> shift) >= n / 4)
		shift++;
	len = (uint32_t)(range >> shift) + 1;
	b->front = ds_alloc(sizeof(*b->front) * (len + 1));
	if (!b->front)
		return;
	for (i = 0; i < n; i++) {
		uint32_t bucket = (uint32_t)((b->index[i].key - base) >> shift);

		while (k <= bucket)
			b->front[k++] = i;
	}
	while (k <= len)
		b->front[k++] = n;
	b->front_len = len;
	b->front_shift = shift;
}

/*
 * Validation and indexing share one walk over the blob: at tens of
 * thousands of devices the blob outgrows the caches and every pass over it
 * costs memory bandwidth. Errors keep their order: structure, then root,
 * then memory, then duplicates.
 */
int ds_blob_open(struct ds_blob *b, const void *fdt, size_t size)
{
	struct ds_index_build ib = { .b = b };
	int ret;

	if (!b)
		return -DS_ERR_INVAL;
	memset(b, 0, sizeof(*b));
	ret = ds_fdt_open_visit(&b->fdt, fdt, size, ds_index_visit, &ib);
	if (!ret)
		ret = ds_read_root(b);
	if (!ret)
		ret = ib.err;
	if (!ret)
		ret = ds_sort_index(b, ib.unsorted);
	if (ret) {
		ds_blob_close(b);
		return ret;
	}
	ds_record_memo(&b->fdt, b->prop_nameoff);
	ds_build_front(b);
	return 0;
}

void ds_blob_close(struct ds_blob *b)
{
	if (!b)
		return;
	ds_free(b->index);
	ds_free(b->front);
	b->index = NULL;
	b->front = NULL;
	b->nr_devices = 0;
}

/*
 * Lower bound by halving a window whose first element is never past the
 * match: the step is a masked add, not a branch, so a lookup costs no
 * mispredictions, only the cache misses of its log2(n) probes. The front
 * table narrows the window to the key's bucket first.
 */
int ds_blob_find(const struct ds_blob *b, uint32_t domain, uint8_t bus,
		 uint8_t devfn)
{
	uint64_t key = ds_position_key(domain, bus, devfn);
	const struct ds_index_entry *base;
	uint32_t len;

	if (!b || !b->index || !b->nr_devices)
		return -DS_ERR_NOTFOUND;
	base = b->index;
	len = b->nr_devices;
	if (b->front) {
		uint64_t bucket;

		if (key < base->key)
			return -DS_ERR_NOTFOUND;
		bucket = (key - base->key) >> b->front_shift;
		if (bucket >= b->front_len)
			return -DS_ERR_NOTFOUND;
		len = b->front[bucket + 1] - b->front[bucket];
		base += b->front[bucket];
		if (!len)
			return -DS_ERR_NOTFOUND;
	}
	while (len > 1) {
		uint32_t half = len / 2;

		base += half & -(uint32_t)(base[half - 1].key < key);
		len -= half;
	}
	return base->key == key ? base->node : -DS_ERR_NOTFOUND;
}
