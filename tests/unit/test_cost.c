// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Cost of validating and walking an untrusted blob: linear in its size,
 * whatever its shape. The hostile shape here: one long property name that
 * every property uses, in a strings block with a stray byte after its last
 * NUL, so no single-byte shortcut says the name ends. Checking each property
 * by scanning for the name's end would cost properties x name length.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <devstate/blob.h>
#include "ds_env.h"

#include "tap.h"

#define NAME_LEN	(1u << 20)	/* bytes of the one property name */
#define NR_PROPS	(1u << 18)	/* properties, all of that name */
#define CPU_LIMIT_NS	1000000000ll	/* linear work here takes milliseconds */

/* A quadratic walk takes minutes: report it instead of hanging the suite. */
static void on_alarm(int sig)
{
	static const char msg[] =
		"not ok 99 - validation or walk still running after 20 s\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * / { <name> ; <name> ; ... } by hand: header, empty reservation map,
 * structure, then the strings block "aaa...a\0x".
 */
static uint8_t *build(uint32_t *sizep)
{
	uint32_t struct_off = 64, struct_size, strings_off, strings_size, total;
	uint32_t off, i;
	uint8_t *b;

	struct_size = 8 + NR_PROPS * 12 + 4 + 4;
	strings_off = struct_off + struct_size;
	strings_size = NAME_LEN + 2;
	total = strings_off + strings_size;
	b = calloc(1, total);
	if (!b)
		return NULL;
	ds_put_be32(b + 0, 0xd00dfeedu);
	ds_put_be32(b + 4, total);
	ds_put_be32(b + 8, struct_off);
	ds_put_be32(b + 12, strings_off);
	ds_put_be32(b + 16, 48);		/* reservation map: one zero entry */
	ds_put_be32(b + 20, 17);
	ds_put_be32(b + 24, 16);
	ds_put_be32(b + 32, strings_size);
	ds_put_be32(b + 36, struct_size);
	off = struct_off;
	ds_put_be32(b + off, 1);		/* BEGIN_NODE "" (root) */
	off += 8;
	for (i = 0; i < NR_PROPS; i++, off += 12) {
		ds_put_be32(b + off, 3);	/* PROP, len 0, nameoff 0 */
		ds_put_be32(b + off + 4, 0);
		ds_put_be32(b + off + 8, 0);
	}
	ds_put_be32(b + off, 2);		/* END_NODE */
	ds_put_be32(b + off + 4, 9);		/* END */
	memset(b + strings_off, 'a', NAME_LEN);
	b[strings_off + NAME_LEN] = '\0';
	b[strings_off + NAME_LEN + 1] = 'x';	/* after the last NUL */
	*sizep = total;
	return b;
}

int main(void)
{
	struct ds_fdt f;
	uint32_t size = 0, n = 0;
	long long t0, t1, t2;
	uint8_t *b = build(&size);
	int prop;

	signal(SIGALRM, on_alarm);
	alarm(20);
	if (!tap_ok(b != NULL, "build a %u-byte blob", size))
		return tap_done();
	t0 = cpu_ns();
	tap_err(ds_fdt_open(&f, b, size), 0,
		"%u properties named by one %u-byte string validate", NR_PROPS,
		NAME_LEN);
	t1 = cpu_ns();
	for (prop = ds_fdt_first_prop(&f, 0); prop >= 0;
	     prop = ds_fdt_next_prop(&f, prop)) {
		const char *name;
		int len;

		if (!ds_fdt_prop_at(&f, prop, &name, &len))
			break;
		n++;
	}
	t2 = cpu_ns();
	tap_eq(n, NR_PROPS, "prop_at hands out every property");
	tap_ok(t1 - t0 < CPU_LIMIT_NS, "validation takes linear time (%lld ms)",
	       (t1 - t0) / 1000000);
	tap_ok(t2 - t1 < CPU_LIMIT_NS, "walking the properties takes linear time (%lld ms)",
	       (t2 - t1) / 1000000);
	free(b);
	return tap_done();
}
