// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks for IPv4 and IPv6 on LOCAL_IN (remote
 * is the source), LOCAL_OUT (remote is the destination) and FORWARD
 * (every end that lies in a protected subnet must be a live peer).
 * Loopback traffic and IPv6 neighbour discovery are never enforced.
 *
 * Locking: none taken. Netfilter calls the hooks under the RCU read lock;
 * peers and subnets are looked up under it, mutable peer and config
 * fields are read with READ_ONCE(), counters are per-cpu or atomic, and
 * nothing is allocated. Hooks are registered per namespace and removed
 * in its pre_exit, a grace period before its state is freed (netns.c).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include "leo.h"

struct leo_pkt {
	struct leo_net *ln;
	struct sk_buff *skb;
	struct leo_addr src, dst;
};

static const u8 leo_drop_stat[__LEO_DROP_MAX] = {
	[LEO_DROP_NO_PEER] = LEO_STAT_DROP_NO_PEER,
	[LEO_DROP_EXPIRED] = LEO_STAT_DROP_EXPIRED,
	[LEO_DROP_QUARANTINED] = LEO_STAT_DROP_QUARANTINED,
	[LEO_DROP_HS_RATELIMITED] = LEO_STAT_HS_RATELIMITED,
};

/* Source and destination ports of a TCP or UDP packet, if it has them. */
static bool leo_ports(const struct sk_buff *skb, u8 proto, unsigned int thoff,
		      __be16 *ports)
{
	const __be16 *p;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return false;
	p = skb_header_pointer(skb, thoff, 2 * sizeof(__be16), ports);
	if (!p)
		return false;
	ports[0] = p[0];
	ports[1] = p[1];
	return true;
}

/* Non-first fragments carry no ports and get no exemption. */
static bool leo_ports_v4(const struct sk_buff *skb, __be16 *ports)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->frag_off & htons(IP_OFFSET))
		return false;
	return leo_ports(skb, iph->protocol,
			 skb_network_offset(skb) + iph->ihl * 4, ports);
}

static bool leo_ports_v6(struct sk_buff *skb, __be16 *ports)
{
	unsigned short frag_off = 0;
	unsigned int thoff = 0;
	int proto;

	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, NULL);
	if (proto < 0 || frag_off)
		return false;
	return leo_ports(skb, proto, thoff, ports);
}

/* TCP or UDP to or from the attestation port (0: no exemption). */
static bool leo_is_handshake(struct leo_pkt *pkt)
{
	u16 port = READ_ONCE(pkt->ln->cfg.hs_port);
	__be16 ports[2];
	bool found;

	if (!port)
		return false;
	if (pkt->src.family == AF_INET)
		found = leo_ports_v4(pkt->skb, ports);
	else
		found = leo_ports_v6(pkt->skb, ports);
	return found && (ports[0] == htons(port) || ports[1] == htons(port));
}

/*
 * @remote may not talk now, for @why. Handshake packets still pass,
 * inbound ones within their source's budget; monitor mode lets
 * everything pass but counts and reports what it would have dropped.
 */
static unsigned int leo_refuse(struct leo_pkt *pkt,
			       const struct leo_addr *remote,
			       enum leo_drop_reason why,
			       enum leo_direction dir, bool inbound)
{
	struct leo_net *ln = pkt->ln;

	if (leo_is_handshake(pkt)) {
		if (!inbound || leo_hs_allow(ln, remote)) {
			leo_stat_inc(ln, LEO_STAT_HS_PASSED);
			return NF_ACCEPT;
		}
		why = LEO_DROP_HS_RATELIMITED;
	}
	if (READ_ONCE(ln->cfg.mode) == LEO_MODE_MONITOR) {
		leo_stat_inc(ln, LEO_STAT_MONITOR_PASSED);
		leo_event_packet(ln, LEO_EVENT_MONITOR, why, dir, remote);
		return NF_ACCEPT;
	}
	leo_stat_inc(ln, leo_drop_stat[why]);
	leo_event_packet(ln, LEO_EVENT_DROP, why, dir, remote);
	return NF_DROP;
}

/*
 * Verdict for one end of the packet. Sets *live when a live peer let it
 * through; an end outside every protected subnet passes untouched.
 */
static unsigned int leo_check_end(struct leo_pkt *pkt,
				  const struct leo_addr *remote,
				  enum leo_direction dir, bool inbound,
				  struct leo_peer **live)
{
	struct leo_peer *peer;

	if (!leo_subnet_protected(pkt->ln, remote))
		return NF_ACCEPT;
	peer = leo_peer_lookup(pkt->ln, remote);
	if (unlikely(!peer))
		goto no_peer;
	if (unlikely(READ_ONCE(peer->state) != LEO_PEER_ATTESTED))
		goto quarantined;
	if (unlikely(leo_peer_expired(peer, jiffies)))
		goto expired;
	*live = peer;
	return NF_ACCEPT;

no_peer:
	return leo_refuse(pkt, remote, LEO_DROP_NO_PEER, dir, inbound);
quarantined:
	return leo_refuse(pkt, remote, LEO_DROP_QUARANTINED, dir, inbound);
expired:
	return leo_refuse(pkt, remote, LEO_DROP_EXPIRED, dir, inbound);
}

static void leo_account(struct leo_pkt *pkt, struct leo_peer *from,
			struct leo_peer *to)
{
	unsigned int len = pkt->skb->len;

	if (from) {
		atomic64_inc(&from->rx_packets);
		atomic64_add(len, &from->rx_bytes);
	}
	if (to) {
		atomic64_inc(&to->tx_packets);
		atomic64_add(len, &to->tx_bytes);
	}
	leo_stat_inc(pkt->ln, LEO_STAT_PASSED);
}

static unsigned int leo_filter(struct leo_pkt *pkt, enum leo_direction dir)
{
	struct leo_peer *from = NULL, *to = NULL;

	if (dir != LEO_DIR_OUT &&
	    leo_check_end(pkt, &pkt->src, dir, true, &from) == NF_DROP)
		return NF_DROP;
	if (dir != LEO_DIR_IN &&
	    leo_check_end(pkt, &pkt->dst, dir, false, &to) == NF_DROP)
		return NF_DROP;
	if (from || to)
		leo_account(pkt, from, to);
	return NF_ACCEPT;
}

static enum leo_direction leo_hook_dir(unsigned int hook)
{
	if (hook == NF_INET_LOCAL_IN)
		return LEO_DIR_IN;
	if (hook == NF_INET_LOCAL_OUT)
		return LEO_DIR_OUT;
	return LEO_DIR_FORWARD;
}

/* Hash keys: every byte is set, so equal addresses compare equal. */
static void leo_addr_v4(struct leo_addr *a, __be32 ip)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->ip4 = ip;
}

static void leo_addr_v6(struct leo_addr *a, const struct in6_addr *ip)
{
	a->ip6 = *ip;
	a->family = AF_INET6;
	a->pad = 0;
}

/*
 * A host talking to itself through the loopback device (e.g. to its own
 * address in a protected subnet) needs no attestation, and only local
 * packets can arrive on loopback.
 */
static bool leo_via_loopback(const struct nf_hook_state *state)
{
	const struct net_device *dev;

	dev = state->hook == NF_INET_LOCAL_OUT ? state->out : state->in;
	return dev && (dev->flags & IFF_LOOPBACK);
}

static unsigned int leo_hook_v4(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct leo_pkt pkt = { .skb = skb };

	if (leo_via_loopback(state))
		return NF_ACCEPT;
	pkt.ln = leo_net(state->net);
	leo_addr_v4(&pkt.src, iph->saddr);
	leo_addr_v4(&pkt.dst, iph->daddr);
	return leo_filter(&pkt, leo_hook_dir(state->hook));
}

/*
 * IPv6 neighbour discovery (router/neighbour solicitation and
 * advertisement, redirect) is link-local by construction: a hop limit of
 * 255 proves it was not forwarded. Without it a host could not even
 * resolve the link-layer address of an unattested peer to answer its
 * handshake, so it is never enforced.
 */
static bool leo_is_ndisc(struct sk_buff *skb, const struct ipv6hdr *ip6h)
{
	u8 type, *tp;

	if (ip6h->nexthdr != IPPROTO_ICMPV6 || ip6h->hop_limit != 255)
		return false;
	tp = skb_header_pointer(skb, skb_network_offset(skb) + sizeof(*ip6h),
				sizeof(type), &type);
	return tp && *tp >= NDISC_ROUTER_SOLICITATION &&
	       *tp <= NDISC_REDIRECT;
}

static unsigned int leo_hook_v6(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct leo_pkt pkt = { .skb = skb };

	if (leo_via_loopback(state) || unlikely(leo_is_ndisc(skb, ip6h)))
		return NF_ACCEPT;
	pkt.ln = leo_net(state->net);
	leo_addr_v6(&pkt.src, &ip6h->saddr);
	leo_addr_v6(&pkt.dst, &ip6h->daddr);
	return leo_filter(&pkt, leo_hook_dir(state->hook));
}

/* Just before the filter tables: after DNAT on output, before SNAT on input. */
#define LEO_HOOK(fn, family, num, prio) \
	{ .hook = fn, .pf = family, .hooknum = num, .priority = prio }

static const struct nf_hook_ops leo_hook_ops[] = {
	LEO_HOOK(leo_hook_v4, NFPROTO_IPV4, NF_INET_LOCAL_IN,
		 NF_IP_PRI_FILTER - 1),
	LEO_HOOK(leo_hook_v4, NFPROTO_IPV4, NF_INET_LOCAL_OUT,
		 NF_IP_PRI_FILTER - 1),
	LEO_HOOK(leo_hook_v4, NFPROTO_IPV4, NF_INET_FORWARD,
		 NF_IP_PRI_FILTER - 1),
	LEO_HOOK(leo_hook_v6, NFPROTO_IPV6, NF_INET_LOCAL_IN,
		 NF_IP6_PRI_FILTER - 1),
	LEO_HOOK(leo_hook_v6, NFPROTO_IPV6, NF_INET_LOCAL_OUT,
		 NF_IP6_PRI_FILTER - 1),
	LEO_HOOK(leo_hook_v6, NFPROTO_IPV6, NF_INET_FORWARD,
		 NF_IP6_PRI_FILTER - 1),
};

int leo_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, leo_hook_ops,
				     ARRAY_SIZE(leo_hook_ops));
}

void leo_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, leo_hook_ops, ARRAY_SIZE(leo_hook_ops));
}
