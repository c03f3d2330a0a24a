// SPDX-License-Identifier: GPL-2.0
/* Per-message IPv6 source addresses for udp-send; see spread.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "spread.h"

#define SPREAD_CTL_LEN	CMSG_SPACE(sizeof(struct in6_pktinfo))

int spread_init(struct spread *s, const char *base, unsigned int count)
{
	struct bench_addr b, a;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (bench_parse_addr(base, &b) < 0 || b.family != AF_INET6 || !count) {
		fprintf(stderr, "udp-send: --spread needs an IPv6 base and a count\n");
		return -1;
	}
	s->control = calloc(count, SPREAD_CTL_LEN);
	if (!s->control) {
		fprintf(stderr, "udp-send: out of memory\n");
		return -1;
	}
	for (i = 0; i < count; i++) {
		char *buf = s->control + (size_t)i * SPREAD_CTL_LEN;
		struct msghdr m = { .msg_control = buf,
				    .msg_controllen = SPREAD_CTL_LEN };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		struct in6_pktinfo pi;

		if (bench_addr_add(&b, i, &a) < 0) {
			fprintf(stderr, "udp-send: --spread range overflows\n");
			spread_free(s);
			return -1;
		}
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.ipi6_addr, a.bytes, 16);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	s->count = count;
	return 0;
}

void spread_free(struct spread *s)
{
	free(s->control);
	s->control = NULL;
	s->count = 0;
}

int spread_socket(int fd)
{
	int on = 1;

	if (setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on)) < 0) {
		perror("udp-send: IP_FREEBIND");
		return -1;
	}
	return 0;
}

void spread_fill(struct spread *s, struct mmsghdr *msgs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		msgs[i].msg_hdr.msg_control =
			s->control + (size_t)s->next * SPREAD_CTL_LEN;
		msgs[i].msg_hdr.msg_controllen = SPREAD_CTL_LEN;
		if (++s->next == s->count)
			s->next = 0;
	}
}
