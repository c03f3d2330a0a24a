// SPDX-License-Identifier: GPL-2.0
/*
 * Path MTU errors from unattested routers. A router inside a protected
 * subnet that is not a peer itself still has to tell this host that a
 * packet was too big (ICMP "fragmentation needed", ICMPv6 "packet too
 * big"), or path MTU discovery black-holes every large flow through it.
 * Such an error passes when the packet it quotes was sent by this host
 * (its source is the error's destination) to an end that may pass now:
 * a live peer, or an address leo does not guard. The kernel consumes the
 * error (it lowers the route's MTU); an application learns of it only
 * through its own socket's error queue, and only for a flow it owns, so
 * the exemption carries no data to anything else. Errors are charged to
 * the sender's handshake budget (hooks.c). Other ICMP errors (unreachable,
 * time exceeded) from unattested hosts are dropped.
 *
 * Locking: none; packet path, RCU read side (see hooks.c).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include "leo.h"

/* The quoted packet's source and destination, if it is well formed. */
static bool leo_quoted_v4(struct leo_pkt *pkt, struct leo_addr *src,
			  struct leo_addr *dst)
{
	unsigned int off = pkt->thoff + sizeof(struct icmphdr);
	const struct icmphdr *ih;
	const struct iphdr *inner;
	struct icmphdr ibuf;
	struct iphdr buf;

	ih = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(ibuf), &ibuf);
	if (!ih || ih->type != ICMP_DEST_UNREACH || ih->code != ICMP_FRAG_NEEDED)
		return false;
	inner = skb_header_pointer(pkt->skb, off, sizeof(buf), &buf);
	if (!inner || inner->version != 4)
		return false;
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = AF_INET;
	src->ip4 = inner->saddr;
	dst->ip4 = inner->daddr;
	return true;
}

static bool leo_quoted_v6(struct leo_pkt *pkt, struct leo_addr *src,
			  struct leo_addr *dst)
{
	unsigned int off = pkt->thoff + sizeof(struct icmp6hdr);
	const struct icmp6hdr *ih;
	const struct ipv6hdr *inner;
	struct icmp6hdr ibuf;
	struct ipv6hdr buf;

	ih = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(ibuf), &ibuf);
	if (!ih || ih->icmp6_type != ICMPV6_PKT_TOOBIG)
		return false;
	inner = skb_header_pointer(pkt->skb, off, sizeof(buf), &buf);
	if (!inner || inner->version != 6)
		return false;
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = AF_INET6;
	src->ip6 = inner->saddr;
	dst->ip6 = inner->daddr;
	return true;
}

/* Inbound, transport header found by leo_pkt_l4(). */
bool leo_icmp_pmtu_of_live_flow(struct leo_pkt *pkt)
{
	struct leo_addr src, dst;
	bool quoted;

	if (pkt->src.family == AF_INET)
		quoted = pkt->proto == IPPROTO_ICMP &&
			 leo_quoted_v4(pkt, &src, &dst);
	else
		quoted = pkt->proto == IPPROTO_ICMPV6 &&
			 leo_quoted_v6(pkt, &src, &dst);
	if (!quoted || memcmp(&src, &pkt->dst, sizeof(src)))
		return false;
	return leo_end_may_pass(pkt, &dst, pkt->state->in);
}
