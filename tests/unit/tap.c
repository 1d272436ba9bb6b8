// SPDX-License-Identifier: GPL-2.0 OR MIT
/* TAP output for the unit tests (see tap.h). */
#include <stdarg.h>
#include <stdio.h>

#include <devstate/blob.h>

#include "tap.h"

static unsigned int tap_count, tap_failed;

static bool tap_vreport(bool cond, const char *fmt, va_list ap)
{
	printf("%sok %u - ", cond ? "" : "not ", ++tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vreport(cond, fmt, ap);
	va_end(ap);
	return cond;
}

static const char *const tap_names[] = {
	[DS_OK] = "0",
	[DS_ERR_INVAL] = "-DS_ERR_INVAL",
	[DS_ERR_NOSPACE] = "-DS_ERR_NOSPACE",
	[DS_ERR_BADSTATE] = "-DS_ERR_BADSTATE",
	[DS_ERR_NOTFOUND] = "-DS_ERR_NOTFOUND",
	[DS_ERR_TRUNCATED] = "-DS_ERR_TRUNCATED",
	[DS_ERR_BADMAGIC] = "-DS_ERR_BADMAGIC",
	[DS_ERR_BADVERSION] = "-DS_ERR_BADVERSION",
	[DS_ERR_BADOFFSET] = "-DS_ERR_BADOFFSET",
	[DS_ERR_OVERLAP] = "-DS_ERR_OVERLAP",
	[DS_ERR_BADALIGN] = "-DS_ERR_BADALIGN",
	[DS_ERR_BADTAG] = "-DS_ERR_BADTAG",
	[DS_ERR_BADSTRING] = "-DS_ERR_BADSTRING",
	[DS_ERR_BADNAME] = "-DS_ERR_BADNAME",
	[DS_ERR_DEPTH] = "-DS_ERR_DEPTH",
	[DS_ERR_BADLEN] = "-DS_ERR_BADLEN",
	[DS_ERR_BADROOT] = "-DS_ERR_BADROOT",
	[DS_ERR_BADRECORD] = "-DS_ERR_BADRECORD",
	[DS_ERR_UNKNOWNREC] = "-DS_ERR_UNKNOWNREC",
	[DS_ERR_DUPLICATE] = "-DS_ERR_DUPLICATE",
	[DS_ERR_REGION_MAGIC] = "-DS_ERR_REGION_MAGIC",
	[DS_ERR_REGION_ABI] = "-DS_ERR_REGION_ABI",
	[DS_ERR_REGION_HEADER] = "-DS_ERR_REGION_HEADER",
	[DS_ERR_UNSEALED] = "-DS_ERR_UNSEALED",
	[DS_ERR_BADCRC] = "-DS_ERR_BADCRC",
	[DS_ERR_NOMEM] = "-DS_ERR_NOMEM",
};
_Static_assert(TAP_ARRAY_SIZE(tap_names) == DS_ERR__MAX,
	       "tap_names lists every DS_ERR_* code");

const char *tap_errname(int err)
{
	static char other[32];

	if (err <= 0 && -err < DS_ERR__MAX)
		return tap_names[-err];
	snprintf(other, sizeof(other), "%d", err);
	return other;
}

bool tap_err(int got, int want, const char *fmt, ...)
{
	va_list ap;
	bool cond = got == want;

	va_start(ap, fmt);
	tap_vreport(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		printf("#   got  %s", tap_errname(got));
		printf(" (%s)\n", ds_strerror(got));
		printf("#   want %s\n", tap_errname(want));
	}
	return cond;
}

bool tap_eq(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	bool cond = got == want;

	va_start(ap, fmt);
	tap_vreport(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got  %lld (0x%llx)\n#   want %lld (0x%llx)\n",
		       got, (unsigned long long)got, want, (unsigned long long)want);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	printf("1..%u\n", tap_count);
	if (tap_failed)
		printf("# %u of %u checks failed\n", tap_failed, tap_count);
	return tap_failed || !tap_count ? 1 : 0;
}
