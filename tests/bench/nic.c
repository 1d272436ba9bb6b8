// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The NIC figures: what a kernel update costs the e1000 example's echo
 * service, as its client outside the guest saw it. The VM scenarios
 * e1000-keepalive and e1000-cold run the load generator on the host
 * (tests/vm/e1000-load.c) and append its report to the guest's console
 * log after a "DSVM: stage=host" line, as "DSVM: key=value" lines. This
 * reads them back; a run that is not there is said to be missing, never
 * made up.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

/* What the generator reported for one scenario. */
struct nic_run {
	long long sent, lost, dup, gap_ms;
	int found;		/* all four read */
};

/* The host's report in one console log: the lines after "stage=host". */
static void scan_host_report(FILE *f, struct nic_run *r)
{
	char line[512], key[32];
	long long v;
	int host = 0, got = 0;

	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "DSVM: stage=", 12)) {
			host = !strncmp(line + 12, "host", 4);
			continue;
		}
		if (!host || sscanf(line, "DSVM: %31[a-z_]=%lld", key, &v) != 2)
			continue;
		if (!strcmp(key, "sent"))
			r->sent = v, got |= 1;
		else if (!strcmp(key, "lost"))
			r->lost = v, got |= 2;
		else if (!strcmp(key, "dup"))
			r->dup = v, got |= 4;
		else if (!strcmp(key, "gap_ms"))
			r->gap_ms = v, got |= 8;
	}
	r->found = got == 15;
}

static void read_run(const char *logs, const char *scenario, struct nic_run *r)
{
	char path[512];
	FILE *f;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s.log", logs, scenario);
	f = fopen(path, "r");
	if (!f)
		return;
	scan_host_report(f, r);
	fclose(f);
}

static void print_run(const char *label, const char *mode,
		      const struct nic_run *r)
{
	if (!r->found) {
		printf("  %-20s not measured\n", label);
		return;
	}
	printf("  %-20s %8lld %8lld %6lld %10lld ms\n", label, r->sent, r->lost,
	       r->dup, r->gap_ms);
	bench_fig("frames", (double)r->lost, "e1000_lost_%s", mode);
	bench_fig("ms", (double)r->gap_ms, "e1000_gap_ms_%s", mode);
}

void bench_nic_report(const char *logs)
{
	struct nic_run k, c;

	read_run(logs, "e1000-keepalive", &k);
	read_run(logs, "e1000-cold", &c);
	printf("\nNIC across kexec: the e1000 example's echo service, 200 requests/s "
	       "from the host, as its client saw it (QEMU TCG), from %s/e1000-*.log\n",
	       logs);
	if (!k.found && !c.found) {
		printf("  not measured: run make check-vm (scenarios e1000-keepalive "
		       "and e1000-cold keep their logs in %s)\n", logs);
		return;
	}
	printf("  %-20s %8s %8s %6s %13s\n", "", "sent", "lost", "dup",
	       "longest gap");
	print_run("keep-alive kexec", "keepalive", &k);
	print_run("plain kexec (cold)", "cold", &c);
	if (k.found) {
		bench_fig("frames", (double)k.sent, "e1000_sent");
		bench_fig("frames", (double)k.dup, "e1000_dup_keepalive");
	}
	if (c.found)
		bench_fig("frames", (double)c.sent, "e1000_sent_cold");
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * A debug kernel's release (kernels.sh X.Y-debug): KASAN and lockdep slow
 * it several times, so its timings are not what a user would see.
 */
static int is_debug_release(const char *name)
{
	size_t n = strlen(name);

	return n >= 6 && !strcmp(name + n - 6, "-debug");
}

/* Is release @a a better source of figures than @b? Production first. */
static int better_release(const char *a, const char *b)
{
	if (is_debug_release(a) != is_debug_release(b))
		return !is_debug_release(a);
	return strverscmp(a, b) > 0;
}

/*
 * The VM suite keeps each kernel's logs in VM/RELEASE/logs: the newest
 * production release's (by version order) when more than one kernel ran,
 * a debug kernel's only when no other ran. Returns 0 and fills @buf, or -1
 * when there is none.
 */
int bench_find_vm_logs(const char *vm, char *buf, size_t len)
{
	char best[256] = "", path[512];
	struct dirent *e;
	DIR *d = opendir(vm);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(best))
			continue;
		snprintf(path, sizeof(path), "%s/%s/logs", vm, e->d_name);
		if (is_dir(path) && (!best[0] || better_release(e->d_name, best)))
			strcpy(best, e->d_name);
	}
	closedir(d);
	if (!best[0])
		return -1;
	snprintf(buf, len, "%s/%s/logs", vm, best);
	return 0;
}
