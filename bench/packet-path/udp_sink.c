// SPDX-License-Identifier: GPL-2.0
/*
 * udp-sink: receive UDP datagrams as fast as possible and count them.
 *
 * It only exists so that the packets of the packet-path bench travel the
 * whole receive path (netfilter LOCAL_IN, UDP lookup, socket enqueue)
 * instead of ending in an ICMP "port unreachable". It drains its socket
 * with recvmmsg() on its own CPU, away from the sender, and prints the
 * number of datagrams it received when it gets SIGINT or SIGTERM.
 *
 * Usage: udp-sink --bind ADDR --port PORT [--cpu N]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "bench_util.h"

#define SINK_VLEN	64
#define SINK_BUFLEN	2048
#define SINK_RCVBUF	(8 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* No SA_RESTART: a signal must interrupt the blocking recvmmsg(). */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int open_sink(const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int size = SINK_RCVBUF;
	int fd;

	if (bench_sockaddr(addr, port, &ss, &len) < 0) {
		fprintf(stderr, "udp-sink: bad address %s\n", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp-sink: socket");
		return -1;
	}
	/* A deep queue keeps short stalls of this process from costing drops. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "udp-sink: bind %s port %u: %s\n", addr, port,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned long long drain(int fd)
{
	static char bufs[SINK_VLEN][SINK_BUFLEN];
	struct mmsghdr msgs[SINK_VLEN];
	struct iovec iov[SINK_VLEN];
	unsigned long long received = 0;
	int i, n;

	for (i = 0; i < SINK_VLEN; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = SINK_BUFLEN;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop) {
		n = recvmmsg(fd, msgs, SINK_VLEN, MSG_WAITFORONE, NULL);
		if (n > 0)
			received += n;
		else if (n < 0 && errno != EINTR)
			perror("udp-sink: recvmmsg");
	}
	return received;
}

int main(int argc, char **argv)
{
	const char *addr = NULL;
	unsigned int port = 0;
	int cpu = -1;
	int fd, i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--bind"))
			addr = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = bench_parse_uint(argv[i + 1], 1, 65535, "--port");
		else if (!strcmp(argv[i], "--cpu"))
			cpu = bench_parse_uint(argv[i + 1], 0, 1023, "--cpu");
		else
			break;
	}
	if (i != argc || !addr || !port) {
		fprintf(stderr,
			"usage: udp-sink --bind ADDR --port PORT [--cpu N]\n");
		return 2;
	}
	catch_stop_signals();
	if (cpu >= 0 && bench_pin_cpu(cpu) < 0)
		return 1;
	fd = open_sink(addr, port);
	if (fd < 0)
		return 1;
	/* The parent waits for this line before it starts sending. */
	printf("ready %s %u\n", addr, port);
	fflush(stdout);
	printf("received %llu\n", drain(fd));
	close(fd);
	return 0;
}
