/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the packet-path bench programs: argument
 * parsing, addresses and their arithmetic, CPU pinning, a clock.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address, bytes in network order. */
struct bench_addr {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t bytes[16];		/* 4 or 16 used */
};

static inline unsigned int bench_addr_len(const struct bench_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

/* Parse a decimal in [min, max]; print an error naming @what and exit(2). */
unsigned long bench_parse_uint(const char *s, unsigned long min,
			       unsigned long max, const char *what);

/* Parse "192.0.2.1" or "2001:db8::1"; 0 or -1. */
int bench_parse_addr(const char *s, struct bench_addr *out);

/*
 * @base + @offset, the offset added to the low 32 bits (big-endian, with
 * carry into the rest). -1 if the result would leave the address space.
 */
int bench_addr_add(const struct bench_addr *base, uint32_t offset,
		   struct bench_addr *out);

/* Text form of @a into @buf (at least 46 bytes). */
const char *bench_addr_str(const struct bench_addr *a, char *buf);

/* Socket address for ADDR and PORT; 0 or -1. */
int bench_sockaddr(const char *addr, unsigned int port,
		   struct sockaddr_storage *ss, socklen_t *len);

/* Run the calling thread on @cpu only; 0 or -1 with a message. */
int bench_pin_cpu(int cpu);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

#endif /* BENCH_UTIL_H */
