// SPDX-License-Identifier: GPL-2.0
/*
 * pmtu_err: sends one forged path MTU error, as a router on the path
 * would: ICMP "fragmentation needed" (IPv4) or ICMPv6 "packet too big",
 * quoting an ICMP echo reply (IPv4) or request (IPv6) from QSRC to QDST:
 * the kernel learns a path MTU from errors about packets it sends itself
 * without a socket (an echo reply) or, for IPv6, about any packet.
 *
 *   pmtu_err -a DST -q QSRC -d QDST [-m MTU]
 *
 * DST receives the error; QSRC, QDST and DST must be of one family. The
 * kernel fills in the outer IP header (raw socket) and, for ICMPv6, the
 * checksum. Exit 0 once sent.
 */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* RFC 1071 checksum */
static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* Sends @pkt on a raw socket of @family/@proto: 0, or 1 with a message. */
static int send_raw(int family, int proto, const void *dst, socklen_t dlen,
		    const void *pkt, size_t len)
{
	int fd = socket(family, SOCK_RAW, proto);

	if (fd < 0 || sendto(fd, pkt, len, 0, dst, dlen) != (ssize_t)len) {
		perror("pmtu_err: send");
		return 1;
	}
	close(fd);
	return 0;
}

/* The quoted packet: an IPv4 header and 8 bytes of an echo reply. */
static size_t quote_v4(uint8_t *buf, struct in_addr src, struct in_addr dst)
{
	struct ip *ip = (struct ip *)buf;
	struct icmphdr *echo = (struct icmphdr *)(buf + sizeof(*ip));

	memset(buf, 0, sizeof(*ip) + 8);
	ip->ip_v = 4;
	ip->ip_hl = 5;
	ip->ip_len = htons(1400);
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_ICMP;
	ip->ip_src = src;
	ip->ip_dst = dst;
	ip->ip_off = htons(IP_DF);
	ip->ip_sum = csum(ip, sizeof(*ip));
	echo->type = ICMP_ECHOREPLY;
	echo->un.echo.id = htons(0x1e0);
	return sizeof(*ip) + 8;
}

static int send_v4(const char *to, const char *qs, const char *qd, int mtu)
{
	uint8_t pkt[128] = { 0 };
	struct icmphdr *h = (struct icmphdr *)pkt;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src_in, dst_in;
	size_t len;

	if (inet_pton(AF_INET, to, &dst.sin_addr) != 1 ||
	    inet_pton(AF_INET, qs, &src_in) != 1 ||
	    inet_pton(AF_INET, qd, &dst_in) != 1)
		return 2;
	h->type = ICMP_DEST_UNREACH;
	h->code = ICMP_FRAG_NEEDED;
	h->un.frag.mtu = htons(mtu);
	len = sizeof(*h) + quote_v4(pkt + sizeof(*h), src_in, dst_in);
	h->checksum = csum(pkt, len);
	return send_raw(AF_INET, IPPROTO_ICMP, &dst, sizeof(dst), pkt, len);
}

static int send_v6(const char *to, const char *qs, const char *qd, int mtu)
{
	uint8_t pkt[128] = { 0 };
	struct icmp6_hdr *h = (struct icmp6_hdr *)pkt;
	struct ip6_hdr *ip = (struct ip6_hdr *)(pkt + sizeof(*h));
	struct icmp6_hdr *echo = (struct icmp6_hdr *)(ip + 1);
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	size_t len = sizeof(*h) + sizeof(*ip) + 8;

	if (inet_pton(AF_INET6, to, &dst.sin6_addr) != 1 ||
	    inet_pton(AF_INET6, qs, &ip->ip6_src) != 1 ||
	    inet_pton(AF_INET6, qd, &ip->ip6_dst) != 1)
		return 2;
	h->icmp6_type = ICMP6_PACKET_TOO_BIG;
	h->icmp6_mtu = htonl(mtu);
	ip->ip6_flow = htonl(6U << 28);
	ip->ip6_plen = htons(1400);
	ip->ip6_nxt = IPPROTO_ICMPV6;
	ip->ip6_hlim = 64;
	echo->icmp6_type = ICMP6_ECHO_REQUEST;
	return send_raw(AF_INET6, IPPROTO_ICMPV6, &dst, sizeof(dst), pkt, len);
}

int main(int argc, char **argv)
{
	const char *to = NULL, *qs = NULL, *qd = NULL;
	int c, mtu = 1300;

	while ((c = getopt(argc, argv, "a:q:d:m:")) != -1) {
		switch (c) {
		case 'a': to = optarg; break;
		case 'q': qs = optarg; break;
		case 'd': qd = optarg; break;
		case 'm': mtu = atoi(optarg); break;
		default: to = NULL; break;
		}
	}
	if (!to || !qs || !qd) {
		fprintf(stderr, "usage: pmtu_err -a DST -q QSRC -d QDST [-m MTU]\n");
		return 2;
	}
	return strchr(to, ':') ? send_v6(to, qs, qd, mtu) :
				 send_v4(to, qs, qd, mtu);
}
