// SPDX-License-Identifier: GPL-2.0
/* Helpers of the packet-path bench programs; see bench_util.h. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "bench_util.h"

unsigned long bench_parse_uint(const char *s, unsigned long min,
			       unsigned long max, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "%s: '%s' is not a number in %lu..%lu\n",
			what, s, min, max);
		exit(2);
	}
	return v;
}

int bench_parse_addr(const char *s, struct bench_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

int bench_addr_add(const struct bench_addr *base, uint32_t offset,
		   struct bench_addr *out)
{
	unsigned int i = bench_addr_len(base);
	uint64_t carry = offset;

	*out = *base;
	while (carry && i > 0) {
		i--;
		carry += out->bytes[i];
		out->bytes[i] = carry & 0xff;
		carry >>= 8;
	}
	return carry ? -1 : 0;
}

const char *bench_addr_str(const struct bench_addr *a, char *buf)
{
	return inet_ntop(a->family, a->bytes, buf, INET6_ADDRSTRLEN);
}

int bench_sockaddr(const char *addr, unsigned int port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct bench_addr a;

	if (bench_parse_addr(addr, &a) < 0)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (a.family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a.bytes, 4);
		*len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a.bytes, 16);
		*len = sizeof(*sin6);
	}
	return 0;
}

int bench_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "cannot pin to CPU %d: %s\n", cpu,
			strerror(errno));
		return -1;
	}
	return 0;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}
