/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spreading one sender's datagrams over many IPv6 source addresses: each
 * message of a sendmmsg() batch carries an IPV6_PKTINFO control message
 * with the next source of a range, so a filter keyed on the source (the
 * leo.ko peer table, an nftables set) looks up a different entry for each
 * datagram instead of one hot entry. The sources need not be configured
 * locally: the socket is made IP_FREEBIND.
 */
#ifndef BENCH_SPREAD_H
#define BENCH_SPREAD_H

#include <sys/socket.h>

#include "bench_util.h"

struct spread {
	unsigned int count;	/* sources: base .. base + count - 1 */
	unsigned int next;	/* the next message's source */
	char *control;		/* count control buffers of SPREAD_CTL_LEN */
};

/* 0, or -1 with a message (not IPv6, out of memory, address overflow). */
int spread_init(struct spread *s, const char *base, unsigned int count);
void spread_free(struct spread *s);

/* Let @fd send from any address (IP_FREEBIND); 0 or -1. */
int spread_socket(int fd);

/* Point the @n messages at the next @n sources, round robin. */
void spread_fill(struct spread *s, struct mmsghdr *msgs, unsigned int n);

#endif /* BENCH_SPREAD_H */
