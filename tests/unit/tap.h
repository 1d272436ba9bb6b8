/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A minimal TAP producer for the unit tests: one "ok N - what" or
 * "not ok N - what" line per check, "# " diagnostics, and the plan at the
 * end. tap_done() returns the process exit status (1 if anything failed).
 */
#ifndef DS_TAP_H
#define DS_TAP_H

#include <stdbool.h>
#include <stdint.h>

__attribute__((format(printf, 2, 3)))
bool tap_ok(bool cond, const char *fmt, ...);
/* Checks a devstate return value: want is 0 or a negative DS_ERR_* code. */
__attribute__((format(printf, 3, 4)))
bool tap_err(int got, int want, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
bool tap_eq(long long got, long long want, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void tap_diag(const char *fmt, ...);
/* Name of a (negative) DS_ERR_* code, e.g. "-DS_ERR_NOSPACE". */
const char *tap_errname(int err);
int tap_done(void);

#define TAP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* DS_TAP_H */
