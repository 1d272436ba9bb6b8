// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ds_strerror(): every DS_ERR_* code has its own non-empty text, and codes
 * outside the table still get a string (never NULL).
 */
#include <string.h>

#include <devstate/blob.h>

#include "tap.h"

int main(void)
{
	static const int unknown[] = { -DS_ERR__MAX, -DS_ERR__MAX - 1, -100000, 12345 };
	int a, b, k;

	for (a = 1; a < DS_ERR__MAX; a++) {
		const char *s = ds_strerror(-a);
		int twin = 0;

		for (b = 0; b < DS_ERR__MAX; b++) {
			const char *t = ds_strerror(-b);

			if (b != a && s && t && !strcmp(s, t))
				twin = b;
		}
		tap_ok(s && *s && !twin, "%s has its own text: \"%s\"%s%s",
		       tap_errname(-a), s ? s : "(null)",
		       twin ? " also used by " : "", twin ? tap_errname(-twin) : "");
	}
	tap_ok(ds_strerror(0) && *ds_strerror(0), "DS_OK has a text: \"%s\"",
	       ds_strerror(0) ? ds_strerror(0) : "(null)");
	for (k = 0; k < (int)TAP_ARRAY_SIZE(unknown); k++) {
		const char *s = ds_strerror(unknown[k]);
		bool known = false;

		for (b = 0; s && b < DS_ERR__MAX; b++)
			known |= !strcmp(s, ds_strerror(-b));
		tap_ok(s && *s && !known, "unknown code %d gets a text of its own: \"%s\"",
		       unknown[k], s ? s : "(null)");
	}
	return tap_done();
}
