// SPDX-License-Identifier: GPL-2.0
/*
 * nettool: UDP and TCP endpoints for the enforcement tests. Every wait is
 * bounded, every result is printed as key=value for the shell to assert.
 *
 *   nettool udp-sink [-6] -p PORT [-w TOTAL_MS] [-i IDLE_MS] [-r READY]
 *       prints "received=N first_ms=T last_ms=T" (CLOCK_MONOTONIC)
 *   nettool udp-send -a ADDR -p PORT [-n COUNT] [-g GAP_US] [-s SIZE]
 *       prints "sent=N failed=M elapsed_ms=T" (failed: sendto() refused,
 *       e.g. EPERM when a local netfilter hook dropped the packet)
 *   nettool tcp-serve [-6] -p PORT [-w MS] [-c CONNS] [-r READY]
 *       accepts CONNS connections and echoes what each sends
 *   nettool tcp-connect -a ADDR -p PORT [-w MS]
 *       connects, sends a probe and expects it echoed; exit 0 if so
 *   nettool tcp-sink [-6] -p PORT [-w MS] [-r READY]
 *       accepts one connection, reads until EOF or the deadline, prints
 *       "received_bytes=N"
 *   nettool tcp-bulk -a ADDR -p PORT -n BYTES [-w MS]
 *       connects and sends BYTES until done or the deadline, prints
 *       "connect=ok sent_bytes=N"
 *
 * An IPv6 ADDR may carry a scope, "fe80::1%eth0". Every mode takes -m MARK (SO_MARK on its socket, as leo's agent marks
 * its own), and udp-send, tcp-connect and tcp-bulk take -b PORT and -S ADDR
 * (bind the local end to that source port / address first).
 *
 * READY is a file created once the socket is bound and listening. The
 * sink also stops, and reports, on SIGTERM: a script ends it right after
 * its sender instead of waiting out a timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct opts {
	const char *addr, *ready, *src_addr;
	int v6, port, wait_ms, idle_ms, count, gap_us, size, conns, src_port;
	unsigned int mark;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = sig;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void mark_ready(const char *path)
{
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .wait_ms = 5000, .idle_ms = 0, .count = 1,
			    .gap_us = 1000, .size = 64, .conns = 1 };
	while ((c = getopt(argc, argv, "6a:p:w:i:n:g:s:c:r:m:b:S:")) != -1) {
		switch (c) {
		case '6': o->v6 = 1; break;
		case 'a': o->addr = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 'w': o->wait_ms = atoi(optarg); break;
		case 'i': o->idle_ms = atoi(optarg); break;
		case 'n': o->count = atoi(optarg); break;
		case 'g': o->gap_us = atoi(optarg); break;
		case 's': o->size = atoi(optarg); break;
		case 'c': o->conns = atoi(optarg); break;
		case 'r': o->ready = optarg; break;
		case 'm': o->mark = strtoul(optarg, NULL, 0); break;
		case 'b': o->src_port = atoi(optarg); break;
		case 'S': o->src_addr = optarg; break;
		default: return -1;
		}
	}
	if (o->port <= 0 || o->port > 65535 || o->size < 1 || o->size > 1400 ||
	    o->src_port < 0 || o->src_port > 65535)
		return -1;
	return 0;
}

/* An IPv6 address, with an optional "%IFNAME" scope (link-local). */
static bool parse_v6(const char *text, struct sockaddr_in6 *in6)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1], *pct;

	if (strlen(text) >= sizeof(buf))
		return false;
	strcpy(buf, text);
	pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		in6->sin6_scope_id = if_nametoindex(pct + 1);
		if (!in6->sin6_scope_id)
			return false;
	}
	return inet_pton(AF_INET6, buf, &in6->sin6_addr) == 1;
}

/* Fills @ss from o->addr (or the wildcard of the -6 choice). */
static socklen_t make_addr(const struct opts *o, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (o->addr && inet_pton(AF_INET, o->addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(o->port);
		return sizeof(*in4);
	}
	if (o->addr && parse_v6(o->addr, in6)) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(o->port);
		return sizeof(*in6);
	}
	if (o->addr)
		return 0;
	if (o->v6) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(o->port);
		return sizeof(*in6);
	}
	in4->sin_family = AF_INET;
	in4->sin_port = htons(o->port);
	return sizeof(*in4);
}

/* A socket of @family and @type, with the -m mark if one was given. */
static int new_socket(const struct opts *o, int family, int type)
{
	int fd = socket(family, type, 0);

	if (fd >= 0 && o->mark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &o->mark, sizeof(o->mark))) {
		perror("SO_MARK");
		close(fd);
		return -1;
	}
	return fd;
}

static int bound_socket(const struct opts *o, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(o, &ss);
	int one = 1, fd = new_socket(o, ss.ss_family, type);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("bind");
		close(fd);
		return -1;
	}
	return fd;
}

static int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (ms < 0)
		ms = 0;
	return poll(&p, 1, ms);
}

static int udp_sink(const struct opts *o)
{
	long long end = now_ms() + o->wait_ms, first = 0, last = 0;
	char buf[2048];
	long count = 0;
	int fd = bound_socket(o, SOCK_DGRAM);

	struct sigaction sa = { .sa_handler = on_term };

	if (fd < 0)
		return 1;
	/* no SA_RESTART: the signal must interrupt poll() */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	mark_ready(o->ready);
	while (!stop) {
		long long limit = end, t;

		if (count && o->idle_ms && last + o->idle_ms < limit)
			limit = last + o->idle_ms;
		if (wait_fd(fd, POLLIN, limit - now_ms()) <= 0)
			break;
		if (recv(fd, buf, sizeof(buf), 0) < 0)
			continue;
		t = now_ms();
		if (!count++)
			first = t;
		last = t;
	}
	printf("received=%ld first_ms=%lld last_ms=%lld\n", count, first, last);
	close(fd);
	return 0;
}

/* Binds the local end to -S ADDR / -b PORT, if given. */
static int bind_source(const struct opts *o, int fd, int family)
{
	struct opts src = { .addr = o->src_addr, .port = o->src_port,
			    .v6 = family == AF_INET6 };
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (!o->src_addr && !o->src_port)
		return 0;
	len = make_addr(&src, &ss);
	if (!len || ss.ss_family != family)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("connect=failed error=bind: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int udp_send(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(o, &ss);
	struct timespec gap = { o->gap_us / 1000000,
				(o->gap_us % 1000000) * 1000L };
	long long t0 = now_ms();
	char buf[1400];
	long sent = 0, failed = 0;
	int i, fd;

	if (!o->addr || !len)
		return 2;
	fd = new_socket(o, ss.ss_family, SOCK_DGRAM);
	if (fd < 0 || bind_source(o, fd, ss.ss_family))
		return 1;
	memset(buf, 'l', sizeof(buf));
	for (i = 0; i < o->count; i++) {
		if (sendto(fd, buf, o->size, 0, (struct sockaddr *)&ss, len) < 0)
			failed++;
		else
			sent++;
		if (o->gap_us)
			nanosleep(&gap, NULL);
	}
	printf("sent=%ld failed=%ld elapsed_ms=%lld\n", sent, failed,
	       now_ms() - t0);
	close(fd);
	return 0;
}

/* Echoes one message of a connection, within the deadline. */
static void echo_once(int fd, long long end)
{
	char buf[256];
	ssize_t n;

	if (wait_fd(fd, POLLIN, end - now_ms()) <= 0)
		return;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n > 0)
		send(fd, buf, n, MSG_NOSIGNAL);
}

static int tcp_serve(const struct opts *o)
{
	long long end = now_ms() + o->wait_ms;
	int fd = bound_socket(o, SOCK_STREAM), served = 0;

	if (fd < 0 || listen(fd, 16) < 0)
		return 1;
	mark_ready(o->ready);
	while (served < o->conns && wait_fd(fd, POLLIN, end - now_ms()) > 0) {
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;
		echo_once(c, end);
		close(c);
		served++;
	}
	printf("served=%d\n", served);
	close(fd);
	return served == o->conns ? 0 : 1;
}

/* A connected TCP socket to -a ADDR -p PORT within @end, or -1. */
static int tcp_dial(const struct opts *o, long long end)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(o, &ss), elen = sizeof(int);
	int fd, err = 0;

	if (!o->addr || !len)
		return -1;
	fd = new_socket(o, ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK);
	if (fd < 0 || bind_source(o, fd, ss.ss_family))
		goto fail;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		printf("connect=failed error=%s\n", strerror(errno));
		goto fail;
	}
	if (wait_fd(fd, POLLOUT, end - now_ms()) <= 0) {
		printf("connect=timeout\n");
		goto fail;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err) {
		printf("connect=failed error=%s\n", strerror(err));
		goto fail;
	}
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int tcp_connect(const struct opts *o)
{
	static const char probe[] = "leo-probe";
	long long end = now_ms() + o->wait_ms;
	char buf[sizeof(probe)];
	int fd = tcp_dial(o, end);
	ssize_t n;

	if (fd < 0)
		return 1;
	send(fd, probe, sizeof(probe), MSG_NOSIGNAL);
	if (wait_fd(fd, POLLIN, end - now_ms()) <= 0) {
		printf("connect=ok echo=timeout\n");
		close(fd);
		return 1;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n != sizeof(probe) || memcmp(buf, probe, n)) {
		printf("connect=ok echo=wrong\n");
		return 1;
	}
	printf("connect=ok echo=ok\n");
	return 0;
}

static int tcp_bulk(const struct opts *o)
{
	long long end = now_ms() + o->wait_ms, sent = 0;
	static char buf[65536];
	int fd = tcp_dial(o, end);

	if (fd < 0)
		return 1;
	memset(buf, 'l', sizeof(buf));
	while (sent < o->count && wait_fd(fd, POLLOUT, end - now_ms()) > 0) {
		long long left = o->count - sent;
		size_t want = left < (long long)sizeof(buf) ?
			      (size_t)left : sizeof(buf);
		ssize_t n = send(fd, buf, want, MSG_NOSIGNAL);

		if (n <= 0)
			break;
		sent += n;
	}
	printf("connect=ok sent_bytes=%lld\n", sent);
	close(fd);
	return 0;
}

static int tcp_sink(const struct opts *o)
{
	long long end = now_ms() + o->wait_ms, got = 0;
	int fd = bound_socket(o, SOCK_STREAM), c = -1;
	static char buf[65536];
	ssize_t n;

	if (fd < 0 || listen(fd, 4) < 0)
		return 1;
	mark_ready(o->ready);
	if (wait_fd(fd, POLLIN, end - now_ms()) > 0)
		c = accept(fd, NULL, NULL);
	while (c >= 0 && wait_fd(c, POLLIN, end - now_ms()) > 0) {
		n = recv(c, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		got += n;
	}
	printf("received_bytes=%lld\n", got);
	if (c >= 0)
		close(c);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;

	if (argc < 2 || parse_opts(argc - 1, argv + 1, &o)) {
		fprintf(stderr, "usage: nettool udp-sink|udp-send|tcp-serve|tcp-connect|tcp-sink|tcp-bulk ... (see source)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "udp-sink"))
		return udp_sink(&o);
	if (!strcmp(argv[1], "udp-send"))
		return udp_send(&o);
	if (!strcmp(argv[1], "tcp-serve"))
		return tcp_serve(&o);
	if (!strcmp(argv[1], "tcp-connect"))
		return tcp_connect(&o);
	if (!strcmp(argv[1], "tcp-bulk"))
		return tcp_bulk(&o);
	if (!strcmp(argv[1], "tcp-sink"))
		return tcp_sink(&o);
	fprintf(stderr, "nettool: unknown mode %s\n", argv[1]);
	return 2;
}
