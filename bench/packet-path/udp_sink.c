// SPDX-License-Identifier: GPL-2.0
/*
 * udp-sink: receive UDP datagrams as fast as possible and count them.
 *
 * It only exists so that the packets of the packet-path bench travel the
 * whole receive path (netfilter LOCAL_IN, UDP lookup, socket enqueue)
 * instead of ending in an ICMP "port unreachable". On SIGINT or SIGTERM
 * it prints how many datagrams reached its socket. (The counter is per
 * namespace: one sink per receiver namespace.)
 *
 * Two modes:
 *  drain (default): recvmmsg() as fast as possible, pinned to its own CPU
 *    away from the sender; counts what it read plus what overflowed its
 *    queue (the rise of RcvbufErrors), since both passed the filters.
 *  --hold: never reads. The tiny receive queue stays full, so every later
 *    datagram runs the whole path up to the enqueue and is dropped there
 *    (counted by the kernel as a UDP receive-buffer error). This is for a
 *    machine with one CPU, where a reading sink would compete with the
 *    sender for it and add scheduling noise to every batch; the count is
 *    the rise of RcvbufErrors in this namespace plus what was queued.
 *
 * Usage: udp-sink --bind ADDR --port PORT [--cpu N] [--hold]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
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

/* The number under @name in a "Udp: names" / "Udp: values" line pair. */
static unsigned long long column_value(const char *names, const char *values,
				       const char *name)
{
	char nbuf[1024], vbuf[1024];
	char *n, *v, *ns, *vs;

	snprintf(nbuf, sizeof(nbuf), "%s", names);
	snprintf(vbuf, sizeof(vbuf), "%s", values);
	n = strtok_r(nbuf, " \n", &ns);
	v = strtok_r(vbuf, " \n", &vs);
	while (n && v) {
		if (!strcmp(n, name))
			return strtoull(v, NULL, 10);
		n = strtok_r(NULL, " \n", &ns);
		v = strtok_r(NULL, " \n", &vs);
	}
	return 0;
}

/*
 * The UDP receive-buffer error counter of this network namespace for
 * @family (IPv6: "Udp6RcvbufErrors N" in snmp6; IPv4: the RcvbufErrors
 * column of the two "Udp:" lines in snmp). 0 if it cannot be read.
 */
static unsigned long long rcvbuf_errors(int family)
{
	char line[1024], names[1024] = "";
	unsigned long long v = 0;
	FILE *f;

	f = fopen(family == AF_INET6 ? "/proc/self/net/snmp6" :
		  "/proc/self/net/snmp", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (family == AF_INET6) {
			if (sscanf(line, "Udp6RcvbufErrors %llu", &v) == 1)
				break;
		} else if (!strncmp(line, "Udp: ", 5)) {
			if (!names[0]) {
				strcpy(names, line);
				continue;
			}
			v = column_value(names, line, "RcvbufErrors");
			break;
		}
	}
	fclose(f);
	return v;
}

static int open_sink(const char *addr, unsigned int port, bool hold)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int size = hold ? 1 : SINK_RCVBUF;
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
	/*
	 * Draining: a deep queue keeps short stalls of this process from
	 * costing drops. Holding: the smallest queue the kernel allows.
	 */
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
	/* What is still queued arrived before the stop: count it too. */
	while ((n = recvmmsg(fd, msgs, SINK_VLEN, MSG_DONTWAIT, NULL)) > 0)
		received += n;
	return received;
}

/* Wait for the stop signal without reading; count drops and the queue. */
static unsigned long long hold(int fd, int family)
{
	unsigned long long before = rcvbuf_errors(family), queued = 0;
	char buf[SINK_BUFLEN];
	sigset_t none;

	sigemptyset(&none);
	while (!stop)
		sigsuspend(&none);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (recv(fd, buf, sizeof(buf), 0) >= 0)
		queued++;
	return rcvbuf_errors(family) - before + queued;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	const char *addr = NULL;
	unsigned int port = 0;
	bool hold_mode = false;
	socklen_t sslen;
	int cpu = -1;
	int fd, i;

	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "--hold")) {
			hold_mode = true;
			i--;
		} else if (i + 1 >= argc) {
			break;
		} else if (!strcmp(argv[i], "--bind"))
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
			"usage: udp-sink --bind ADDR --port PORT [--cpu N] [--hold]\n");
		return 2;
	}
	catch_stop_signals();
	if (cpu >= 0 && bench_pin_cpu(cpu) < 0)
		return 1;
	fd = open_sink(addr, port, hold_mode);
	if (fd < 0)
		return 1;
	bench_sockaddr(addr, port, &ss, &sslen);
	/* The parent waits for this line before it starts sending. */
	printf("ready %s %u%s\n", addr, port, hold_mode ? " hold" : "");
	fflush(stdout);
	if (hold_mode) {
		printf("received %llu\n", hold(fd, ss.ss_family));
	} else {
		unsigned long long before = rcvbuf_errors(ss.ss_family);
		unsigned long long got = drain(fd);

		/* Overflows passed the filters too: count them as arrived. */
		printf("received %llu\n",
		       got + rcvbuf_errors(ss.ss_family) - before);
	}
	close(fd);
	return 0;
}
