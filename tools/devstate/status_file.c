// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The module's debugfs "status" file, parsed for `devstate status`.
 *
 * The file is "key: value" lines (the first, "transport", from modules
 * that know KHO) plus "cold_reason BDF REASON" and
 * "record BDF STATE [unreadable]" lines (docs/kernel-core.md). Keys this
 * tool does not know are skipped, so a newer module still reads; a file
 * without the "region" and "state" keys is not a status file at all, and a
 * known key with a value that does not parse is an error naming its line:
 * the tool never guesses at what the kernel said.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* Bounds a hostile or corrupt file: far more devices than any host has. */
#define DST_STATUS_MAX_DEVICES	4096

static int parse_u64(const char *s, int base, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno || *end ? -EINVAL : 0;
}

static int parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes") || !strcmp(s, "no")) {
		*v = s[0] == 'y';
		return 0;
	}
	return -EINVAL;
}

/* "dddd:bb:dd.f", as the kernel prints a position. */
static bool valid_slot(const char *s)
{
	unsigned int dom, bus, dev, fn;
	char tail;

	return strlen(s) < DST_SLOT_LEN &&
	       sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) == 4 &&
	       bus <= 0xff && dev <= 0x1f && fn <= 7;
}

static bool valid_word(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n >= DST_WORD_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && s[i] != '-' &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

/* The entry for @slot, added when new; NULL when the file lists too many. */
static struct dst_status_dev *device_at(struct dst_status *s, const char *slot)
{
	struct dst_status_dev *d;
	size_t i;

	for (i = 0; i < s->nr_devs; i++)
		if (!strcmp(s->devs[i].slot, slot))
			return &s->devs[i];
	if (s->nr_devs == DST_STATUS_MAX_DEVICES)
		return NULL;
	if (s->nr_devs == s->cap_devs) {
		size_t cap = s->cap_devs ? s->cap_devs * 2 : 8;
		struct dst_status_dev *n = realloc(s->devs, cap * sizeof(*n));

		if (!n)
			return NULL;
		s->devs = n;
		s->cap_devs = cap;
	}
	d = &s->devs[s->nr_devs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->slot, sizeof(d->slot), "%s", slot);
	return d;
}

/* "cold_reason BDF REASON" and "record BDF STATE [unreadable]". */
static int parse_device_line(struct dst_status *s, char *line, bool record)
{
	char *slot = strtok(line, " "), *word = strtok(NULL, " ");
	char *extra = strtok(NULL, " ");
	struct dst_status_dev *d;

	if (!slot || !word || !valid_slot(slot) || !valid_word(word))
		return -EINVAL;
	if (extra && (!record || strcmp(extra, "unreadable") ||
		      strtok(NULL, " ")))
		return -EINVAL;
	d = device_at(s, slot);
	if (!d)
		return -E2BIG;
	if (record) {
		d->has_record = true;
		d->unreadable = extra != NULL;
		snprintf(d->record_state, sizeof(d->record_state), "%s", word);
	} else {
		snprintf(d->cold_reason, sizeof(d->cold_reason), "%s", word);
	}
	return 0;
}

/* "region: 16384K@0x30000000" or "region: none". */
static int parse_region(struct dst_status *s, const char *v)
{
	char *at, *end;

	s->has_region_key = true;
	if (!strcmp(v, "none"))
		return 0;
	errno = 0;
	s->region_kib = strtoull(v, &end, 10);
	if (errno || end == v || end[0] != 'K' || end[1] != '@')
		return -EINVAL;
	at = end + 2;
	if (strncmp(at, "0x", 2) || parse_u64(at + 2, 16, &s->region_phys))
		return -EINVAL;
	s->region = true;
	return 0;
}

static int parse_key(struct dst_status *s, const char *key, const char *v)
{
	if (!strcmp(key, "transport")) {
		if (!valid_word(v))
			return -EINVAL;
		snprintf(s->transport, sizeof(s->transport), "%s", v);
		return 0;
	}
	if (!strcmp(key, "region"))
		return parse_region(s, v);
	if (!strcmp(key, "state")) {
		if (strcmp(v, "idle") && strcmp(v, "frozen"))
			return -EINVAL;
		snprintf(s->state, sizeof(s->state), "%s", v);
		return 0;
	}
	if (!strcmp(key, "generation"))
		return parse_u64(v, 10, &s->generation);
	if (!strcmp(key, "records_in"))
		return parse_u64(v, 10, &s->records_in);
	if (!strcmp(key, "incoming_validate_us"))
		return parse_u64(v, 10, &s->validate_us);
	if (!strcmp(key, "incoming_error")) {
		snprintf(s->incoming_error, sizeof(s->incoming_error), "%s", v);
		return 0;
	}
	if (!strcmp(key, "incoming_reason")) {
		if (!valid_word(v))
			return -EINVAL;
		snprintf(s->incoming_reason, sizeof(s->incoming_reason), "%s", v);
		return 0;
	}
	if (!strcmp(key, "finished"))
		return parse_bool(v, &s->finished);
	if (!strcmp(key, "pool_quarantined"))
		return parse_bool(v, &s->quarantined);
	if (!strcmp(key, "pool_pages")) {
		s->has_pool = true;
		return parse_u64(v, 10, &s->pool_pages);
	}
	if (!strcmp(key, "pool_used"))
		return parse_u64(v, 10, &s->pool_used);
	return 0;	/* a key of a newer module, or one status does not show */
}

static int parse_line(struct dst_status *s, char *line)
{
	char *colon;

	if (!strncmp(line, "cold_reason ", 12))
		return parse_device_line(s, line + 12, false);
	if (!strncmp(line, "record ", 7))
		return parse_device_line(s, line + 7, true);
	colon = strstr(line, ": ");
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	return parse_key(s, line, colon + 2);
}

int dst_status_parse(struct dst_status *s, const uint8_t *data, size_t size,
		     char *msg, size_t msglen)
{
	char *text, *line, *next, shown[61];
	unsigned int lineno = 0;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (memchr(data, '\0', size)) {
		snprintf(msg, msglen, "not a devstate status file (binary data)");
		return -EINVAL;
	}
	text = malloc(size + 1);
	if (!text) {
		snprintf(msg, msglen, "out of memory reading the status file");
		return -ENOMEM;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* Parsing cuts the line up: keep its start for the message. */
		snprintf(shown, sizeof(shown), "%s", line);
		ret = parse_line(s, line);
		if (ret == -E2BIG) {
			snprintf(msg, msglen, "status line %u: more than %u devices",
				 lineno, DST_STATUS_MAX_DEVICES);
			break;
		}
		if (ret) {
			snprintf(msg, msglen, "status line %u does not parse: '%s'",
				 lineno, shown);
			break;
		}
	}
	free(text);
	if (!ret && (!s->has_region_key || !s->state[0])) {
		snprintf(msg, msglen,
			 "not a devstate status file (no region or state line)");
		ret = -EINVAL;
	}
	if (ret)
		dst_status_free(s);
	return ret;
}

void dst_status_free(struct dst_status *s)
{
	free(s->devs);
	s->devs = NULL;
	s->nr_devs = s->cap_devs = 0;
}
