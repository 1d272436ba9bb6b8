// SPDX-License-Identifier: GPL-2.0
/*
 * e1000-echo: a stand-in for the guest's echo service, so that
 * tests/vm/test-e1000-load.sh can hold e1000-load to known answers without
 * QEMU. It connects to the generator's port (read from --port-file), says
 * hello as the harness does, and answers each request the way the e1000
 * example does (MAC addresses swapped, the reply flag set), with faults
 * on demand:
 *
 *   --drop-every N      never answer every Nth request
 *   --dup-every N       answer every Nth request twice
 *   --corrupt-every N   flip a payload byte of every Nth reply
 *   --pause-after N --pause-ms M
 *                       after the Nth request, answer nothing for M ms
 *                       (a kexec gap whose requests are lost)
 *
 * It stops after --max-time seconds (default 30) or 2 s without a request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "devstate_e1000_proto.h"

struct faults {
	unsigned int drop_every, dup_every, corrupt_every;
	unsigned int pause_after, pause_ms;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int every(unsigned int n, unsigned int k)
{
	return k && n % k == 0;
}

/* The generator's port, once its file appears (it writes it atomically). */
static int read_port(const char *path, int64_t deadline)
{
	unsigned int port;
	FILE *f;

	while (now_ms() < deadline) {
		f = fopen(path, "r");
		if (f) {
			int n = fscanf(f, "%u", &port);

			fclose(f);
			if (n == 1 && port && port < 65536)
				return (int)port;
		}
		usleep(20000);
	}
	return -1;
}

static int connect_to(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    send(fd, "hello", 5, 0) != 5) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The reply to request @f: what the e1000 example sends back. */
static void make_reply(unsigned char *f)
{
	unsigned char mac[6];

	memcpy(mac, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, mac, 6);
	f[E1K_ECHO_OFF_FLAGS] |= E1K_ECHO_REPLY;
}

/* Answer one request, faults included. Probes are always answered. */
static void answer(int fd, unsigned char *f, ssize_t len,
		   const struct faults *fl, unsigned int *n, int64_t *pause_until)
{
	int probe = f[E1K_ECHO_OFF_FLAGS] & E1K_ECHO_PROBE;

	make_reply(f);
	if (!probe) {
		++*n;
		if (fl->pause_after && *n == fl->pause_after)
			*pause_until = now_ms() + fl->pause_ms;
		if (now_ms() < *pause_until || every(*n, fl->drop_every))
			return;
		if (every(*n, fl->corrupt_every))
			f[E1K_ECHO_OFF_PAYLOAD] ^= 0x5a;
	}
	(void)send(fd, f, (size_t)len, 0);
	if (!probe && every(*n, fl->dup_every))
		(void)send(fd, f, (size_t)len, 0);
}

static unsigned int arg_uint(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 1000000) {
		fprintf(stderr, "e1000-echo: bad number '%s'\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

int main(int argc, char **argv)
{
	struct faults fl = { 0 };
	const char *port_file = NULL;
	unsigned int max_time = 30, n = 0;
	int64_t deadline, idle_until, pause_until = 0;
	unsigned char f[2048];
	struct pollfd p;
	ssize_t len;
	int i, fd;

	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--port-file"))
			port_file = v;
		else if (!strcmp(k, "--drop-every"))
			fl.drop_every = arg_uint(v);
		else if (!strcmp(k, "--dup-every"))
			fl.dup_every = arg_uint(v);
		else if (!strcmp(k, "--corrupt-every"))
			fl.corrupt_every = arg_uint(v);
		else if (!strcmp(k, "--pause-after"))
			fl.pause_after = arg_uint(v);
		else if (!strcmp(k, "--pause-ms"))
			fl.pause_ms = arg_uint(v);
		else if (!strcmp(k, "--max-time"))
			max_time = arg_uint(v);
		else
			break;
	}
	if (!port_file || i != argc) {
		fprintf(stderr, "usage: e1000-echo --port-file FILE [--drop-every N] [--dup-every N]\n"
			"                  [--corrupt-every N] [--pause-after N --pause-ms M] [--max-time S]\n");
		return 2;
	}
	deadline = now_ms() + (int64_t)max_time * 1000;
	fd = connect_to(read_port(port_file, deadline));
	if (fd < 0) {
		perror("e1000-echo: connect");
		return 1;
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	idle_until = now_ms() + 2000;
	while (now_ms() < deadline && now_ms() < idle_until) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		len = recv(fd, f, sizeof(f), 0);
		if (len < E1K_ECHO_LEN)
			continue;
		idle_until = now_ms() + 2000;
		answer(fd, f, len, &fl, &n, &pause_until);
	}
	close(fd);
	return 0;
}
