// SPDX-License-Identifier: GPL-2.0
/*
 * e1000-load: the client of the e1000 example's echo service, run on the
 * host while the guest kexecs (tests/vm/scenarios/e1000-*.sh).
 *
 * It binds a UDP socket on 127.0.0.1 and writes its port to --port-file.
 * The harness opens a UDP socket connected to that port, says hello
 * through it (so we learn its address), and hands it to QEMU as the
 * e1000's -netdev dgram: each datagram is one Ethernet frame to or from
 * the guest. Nothing leaves 127.0.0.1.
 *
 * It sends probes until the guest answers one, then sequence-numbered
 * requests at a steady --rate (devstate_e1000_proto.h), before, through
 * and after the kexec, and records every reply. It stops by itself: at
 * --max requests, after --max-time seconds, on SIGTERM (the VM harness
 * sends it when the guest says its run is over: no guess at how long a
 * kexec takes), or, given --after-resume, that many ms after the service
 * answered again following a silence of at least --resume-gap ms. Then it
 * waits --drain ms for late replies and prints "key=value" lines:
 *
 *   sent, replies, lost (requests never answered), dup (replies to a
 *   request already answered), corrupt (a reply whose payload or header
 *   is not the request's), reordered, gap_ms (the longest time without a
 *   reply while requests were outstanding), resumed (1 when the service
 *   answered again after its longest silence; 0 when that silence ran to
 *   the end), stopped_by (max, time, signal or resume), rx_drops (replies
 *   our own socket dropped), probes, elapsed_ms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "devstate_e1000_proto.h"

struct opts {
	const char *port_file;
	double rate;		/* requests per second */
	unsigned int max;	/* requests */
	unsigned int max_time_ms;
	unsigned int resume_gap_ms;
	unsigned int after_resume_ms;	/* 0: do not stop on a resume */
	unsigned int drain_ms;
};

struct stats {
	unsigned int sent, replies, dup, corrupt, reordered, probes;
	unsigned int max_seq;		/* highest sequence answered */
	unsigned int rx_drops;		/* SO_RXQ_OVFL */
	int64_t first_reply, last_reply, gap_ms;
	int resumed;			/* answered after its longest silence */
	int came_back;			/* answered after a --resume-gap silence */
	const char *stopped_by;
	unsigned char *answered;	/* [seq]: 1 once answered */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: e1000-load --port-file FILE [--rate N] [--max N] [--max-time S]\n"
		"                  [--resume-gap MS] [--after-resume MS] [--drain MS]\n");
	exit(2);
}

static unsigned int parse_uint(const char *s, unsigned int lo, unsigned int hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		usage();
	return (unsigned int)v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "max", required_argument, NULL, 'm' },
		{ "max-time", required_argument, NULL, 't' },
		{ "resume-gap", required_argument, NULL, 'g' },
		{ "after-resume", required_argument, NULL, 'a' },
		{ "drain", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct opts){ .rate = 200, .max = 20000, .max_time_ms = 150000,
			    .resume_gap_ms = 1000, .after_resume_ms = 0,
			    .drain_ms = 500 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->port_file = optarg; break;
		case 'r': o->rate = parse_uint(optarg, 1, 100000); break;
		case 'm': o->max = parse_uint(optarg, 1, 1000000); break;
		case 't': o->max_time_ms = parse_uint(optarg, 1, 3600) * 1000; break;
		case 'g': o->resume_gap_ms = parse_uint(optarg, 1, 600000); break;
		case 'a': o->after_resume_ms = parse_uint(optarg, 1, 600000); break;
		case 'd': o->drain_ms = parse_uint(optarg, 0, 60000); break;
		default: usage();
		}
	}
	if (!o->port_file || optind != argc)
		usage();
}

/* A UDP socket on 127.0.0.1, any port, with room for a burst of replies. */
static int open_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, one = 1, size = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* FORCE passes net.core.rmem_max when we may; else what we get. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Publish our port: written aside, then renamed, so it is never half read. */
static int write_port_file(int fd, const char *path)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char tmp[4096];
	FILE *f;

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%u\n", ntohs(a.sin_port));
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

/* Wait for the harness's hello and talk only to its sender from then on. */
static int await_peer(int fd, int64_t deadline)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];

	while (!stop_requested && now_ms() < deadline) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer,
			     &len) < 0)
			return -1;
		return connect(fd, (struct sockaddr *)&peer, len);
	}
	return -1;
}

static void build_request(unsigned char *f, unsigned int seq, int probe)
{
	static const unsigned char src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	unsigned int i;

	memset(f, 0xff, 6);			/* broadcast */
	memcpy(f + 6, src, 6);
	f[E1K_ECHO_OFF_TYPE] = E1K_ECHO_ETHERTYPE >> 8;
	f[E1K_ECHO_OFF_TYPE + 1] = E1K_ECHO_ETHERTYPE & 0xff;
	e1k_echo_put32(f + E1K_ECHO_OFF_MAGIC, E1K_ECHO_MAGIC);
	memset(f + E1K_ECHO_OFF_FLAGS, 0, E1K_ECHO_OFF_SEQ - E1K_ECHO_OFF_FLAGS);
	f[E1K_ECHO_OFF_FLAGS] = probe ? E1K_ECHO_PROBE : 0;
	e1k_echo_put32(f + E1K_ECHO_OFF_SEQ, seq);
	for (i = 0; i < E1K_ECHO_PAYLOAD; i++)
		f[E1K_ECHO_OFF_PAYLOAD + i] = e1k_echo_pattern(seq, i);
}

static void send_request(int fd, unsigned int seq, int probe)
{
	unsigned char f[E1K_ECHO_LEN];

	build_request(f, seq, probe);
	/* A refused or full send is a request the guest never got: lost. */
	(void)send(fd, f, sizeof(f), MSG_DONTWAIT);
}

/* The reply gap: time since the previous reply, or since the first send. */
static void note_reply_time(struct stats *s, const struct opts *o,
			    int64_t t, int64_t *stop_at)
{
	int64_t gap = s->last_reply ? t - s->last_reply : 0;

	/* This reply ends a silence: the longest so far was followed by one. */
	if (gap > s->gap_ms)
		s->gap_ms = gap;
	s->resumed = 1;
	if (s->last_reply && gap >= o->resume_gap_ms && !s->came_back) {
		s->came_back = 1;
		if (o->after_resume_ms)
			*stop_at = t + o->after_resume_ms;
	}
	if (!s->first_reply)
		s->first_reply = t;
	s->last_reply = t;
}

enum reply_kind { REPLY_NEW, REPLY_PROBE, REPLY_OTHER };

/* Account one datagram from the guest. */
static enum reply_kind account_reply(struct stats *s, const unsigned char *f,
				     ssize_t len)
{
	unsigned int seq;

	if (len < 0 || !e1k_echo_intact(f, (unsigned long)len, 1)) {
		s->corrupt++;
		return REPLY_OTHER;
	}
	if (f[E1K_ECHO_OFF_FLAGS] & E1K_ECHO_PROBE)
		return REPLY_PROBE;
	seq = e1k_echo_get32(f + E1K_ECHO_OFF_SEQ);
	if (!seq || seq > s->sent) {
		s->corrupt++;		/* a sequence we never sent */
		return REPLY_OTHER;
	}
	if (s->answered[seq]) {
		s->dup++;
		return REPLY_OTHER;
	}
	s->answered[seq] = 1;
	s->replies++;
	if (seq < s->max_seq)
		s->reordered++;
	else
		s->max_seq = seq;
	return REPLY_NEW;
}

/* The drops our socket counted, from its SO_RXQ_OVFL control message. */
static void note_drops(struct stats *s, struct msghdr *m)
{
	struct cmsghdr *c;
	uint32_t v;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			s->rx_drops = v;
		}
	}
}

/*
 * Take every datagram waiting. Returns 1 once a probe was answered.
 * @counting: 0 while probing (requests' replies cannot come yet).
 */
static int receive_all(int fd, struct stats *s, const struct opts *o,
		       int counting, int64_t *stop_at)
{
	unsigned char f[2048];
	char cbuf[CMSG_SPACE(sizeof(uint32_t))];
	struct iovec iov = { .iov_base = f, .iov_len = sizeof(f) };
	struct msghdr m;
	int probed = 0;
	ssize_t len;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		len = recvmsg(fd, &m, MSG_DONTWAIT);
		if (len < 0)
			return probed;
		note_drops(s, &m);
		switch (account_reply(s, f, len)) {
		case REPLY_PROBE:
			probed = 1;
			break;
		case REPLY_NEW:
			if (counting)
				note_reply_time(s, o, now_ms(), stop_at);
			break;
		case REPLY_OTHER:
			break;
		}
	}
}

static void wait_readable(int fd, int64_t until)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t left = until - now_ms();

	if (left > 0)
		poll(&p, 1, (int)(left > 1000 ? 1000 : left));
}

/* Probes every 100 ms until one is answered. Returns 0 when one was. */
static int probe(int fd, struct stats *s, const struct opts *o, int64_t deadline)
{
	int64_t next = now_ms(), unused = 0;

	while (!stop_requested && now_ms() < deadline) {
		if (now_ms() >= next) {
			send_request(fd, 0, 1);
			s->probes++;
			next += 100;
		}
		if (receive_all(fd, s, o, 0, &unused))
			return 0;
		wait_readable(fd, next);
	}
	return -1;
}

/* The counted stream, at a steady rate, until one of the stop conditions. */
static void stream(int fd, struct stats *s, const struct opts *o, int64_t deadline)
{
	int64_t t0 = now_ms(), stop_at = INT64_MAX, next = t0, t;

	for (;;) {
		t = now_ms();
		s->stopped_by = stop_requested ? "signal" :
				s->sent >= o->max ? "max" :
				t >= deadline ? "time" :
				t >= stop_at ? "resume" : NULL;
		if (s->stopped_by)
			break;
		if (t >= next) {
			send_request(fd, ++s->sent, 0);
			next = t0 + (int64_t)(s->sent * 1000.0 / o->rate);
			continue;
		}
		receive_all(fd, s, o, 1, &stop_at);
		wait_readable(fd, next < stop_at ? next : stop_at);
	}
	t += o->drain_ms;
	while (now_ms() < t) {
		receive_all(fd, s, o, 1, &stop_at);
		wait_readable(fd, t);
	}
	/*
	 * The tail: requests still unanswered after the drain make the silence
	 * go on to the end, and a silence that never ended was not resumed from.
	 */
	t = now_ms();
	if (s->last_reply && s->replies < s->sent && t - s->last_reply > s->gap_ms) {
		s->gap_ms = t - s->last_reply;
		s->resumed = 0;
	}
}

static void report(const struct stats *s, int64_t elapsed)
{
	printf("sent=%u\n", s->sent);
	printf("replies=%u\n", s->replies);
	printf("lost=%u\n", s->sent - s->replies);
	printf("dup=%u\n", s->dup);
	printf("corrupt=%u\n", s->corrupt);
	printf("reordered=%u\n", s->reordered);
	printf("gap_ms=%lld\n", (long long)s->gap_ms);
	printf("resumed=%d\n", s->resumed);
	printf("stopped_by=%s\n", s->stopped_by ? s->stopped_by : "none");
	printf("rx_drops=%u\n", s->rx_drops);
	printf("probes=%u\n", s->probes);
	printf("elapsed_ms=%lld\n", (long long)elapsed);
}

int main(int argc, char **argv)
{
	struct stats s = { 0 };
	struct opts o;
	int64_t t0 = now_ms(), deadline;
	int fd;

	parse_opts(argc, argv, &o);
	deadline = t0 + o.max_time_ms;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	s.answered = calloc(o.max + 1, 1);
	fd = open_socket();
	if (!s.answered || fd < 0 || write_port_file(fd, o.port_file)) {
		perror("e1000-load: setup");
		return 1;
	}
	if (await_peer(fd, deadline)) {
		fprintf(stderr, "e1000-load: no hello from the harness\n");
		printf("error=no-peer\n");
	} else if (probe(fd, &s, &o, deadline)) {
		fprintf(stderr, "e1000-load: no probe answered\n");
		printf("error=no-answer\n");
	} else {
		stream(fd, &s, &o, deadline);
	}
	report(&s, now_ms() - t0);
	close(fd);
	free(s.answered);
	return 0;
}
