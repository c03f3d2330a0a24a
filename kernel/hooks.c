// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks for IPv4 and IPv6 on LOCAL_IN (remote
 * is the source), LOCAL_OUT (remote is the destination) and FORWARD
 * (both ends). An end is guarded when its address lies in a protected
 * subnet or the packet crosses a protected device on its side; a guarded
 * end must be a live peer. An unattested end may still take part in the
 * attestation exchange with this host's agent (handshake.c) and send path
 * MTU errors about flows that may pass (icmp.c). Loopback traffic and
 * IPv6 neighbour discovery are never enforced.
 *
 * Locking: none taken. Netfilter calls the hooks under the RCU read lock;
 * peers, subnets and devices are looked up under it, mutable peer and
 * config fields are read with READ_ONCE(), counters are per-cpu or atomic,
 * and nothing is allocated. Hooks are registered per namespace and removed
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

static const u8 leo_drop_stat[__LEO_DROP_MAX] = {
	[LEO_DROP_NO_PEER] = LEO_STAT_DROP_NO_PEER,
	[LEO_DROP_EXPIRED] = LEO_STAT_DROP_EXPIRED,
	[LEO_DROP_QUARANTINED] = LEO_STAT_DROP_QUARANTINED,
	[LEO_DROP_HS_RATELIMITED] = LEO_STAT_HS_RATELIMITED,
};

/*
 * Finds the transport protocol and header offset, once per packet and only
 * when an exemption needs them. Non-first fragments carry no transport
 * header: false, and no exemption.
 */
static bool leo_pkt_l4(struct leo_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;
	unsigned short frag_off = 0;
	unsigned int thoff = 0;
	int proto;

	if (pkt->proto >= 0)
		return true;
	if (pkt->src.family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->frag_off & htons(IP_OFFSET))
			return false;
		pkt->thoff = skb_network_offset(skb) + iph->ihl * 4;
		pkt->proto = iph->protocol;
		return true;
	}
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag_off, NULL);
	if (proto < 0 || frag_off)
		return false;
	pkt->thoff = thoff;
	pkt->proto = proto;
	return true;
}

/* Segments a packet stands for: a GSO packet pays for each of them. */
static u32 leo_segments(const struct sk_buff *skb)
{
	return skb_is_gso(skb) ? max_t(u32, skb_shinfo(skb)->gso_segs, 1) : 1;
}

/*
 * What an unattested @remote may still exchange with this host: its part
 * of the attestation exchange with the agent, and path MTU errors about a
 * flow that may pass. Inbound, both are charged to the source's budget.
 * Nothing is exempt on FORWARD: no socket of this host owns the flow.
 */
static bool leo_exempt(struct leo_pkt *pkt, const struct leo_addr *remote,
		       enum leo_direction dir, bool *limited)
{
	if (dir == LEO_DIR_FORWARD || !leo_pkt_l4(pkt))
		return false;
	if (dir == LEO_DIR_OUT)
		return leo_hs_agent_flow(pkt, false);
	if (!leo_hs_agent_flow(pkt, true) && !leo_icmp_pmtu_of_live_flow(pkt))
		return false;
	if (leo_hs_allow(pkt->ln, remote, leo_segments(pkt->skb)))
		return true;
	*limited = true;
	return false;
}

/*
 * @remote may not talk now, for @why, unless the packet is exempt;
 * monitor mode lets everything pass but counts and reports what it would
 * have dropped.
 */
static unsigned int leo_refuse(struct leo_pkt *pkt,
			       const struct leo_addr *remote,
			       enum leo_drop_reason why,
			       enum leo_direction dir)
{
	struct leo_net *ln = pkt->ln;
	bool limited = false;

	if (leo_exempt(pkt, remote, dir, &limited)) {
		leo_stat_inc(ln, pkt->proto == IPPROTO_TCP ?
				 LEO_STAT_HS_PASSED :
				 LEO_STAT_ICMP_ERRORS_PASSED);
		return NF_ACCEPT;
	}
	if (limited)
		why = LEO_DROP_HS_RATELIMITED;
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
 * Is @remote, met through @dev, enforced? It is when it lies in a
 * protected subnet, or when @dev is a protected device: then every
 * address counts, link-local and the other family included.
 */
static bool leo_guarded(struct leo_pkt *pkt, const struct leo_addr *remote,
			const struct net_device *dev)
{
	return leo_subnet_protected(pkt->ln, remote) ||
	       leo_dev_protected(pkt->ln, dev);
}

/* The live peer at @remote, or NULL and why not. */
static struct leo_peer *leo_live_peer(struct leo_net *ln,
				      const struct leo_addr *remote,
				      enum leo_drop_reason *why)
{
	struct leo_peer *peer = leo_peer_lookup(ln, remote);

	if (unlikely(!peer))
		goto no_peer;
	if (unlikely(READ_ONCE(peer->state) != LEO_PEER_ATTESTED))
		goto quarantined;
	if (unlikely(leo_peer_expired(peer, jiffies)))
		goto expired;
	return peer;

no_peer:
	*why = LEO_DROP_NO_PEER;
	return NULL;
quarantined:
	*why = LEO_DROP_QUARANTINED;
	return NULL;
expired:
	*why = LEO_DROP_EXPIRED;
	return NULL;
}

/* Would an end @remote met through @dev pass, exemptions aside? */
bool leo_end_may_pass(struct leo_pkt *pkt, const struct leo_addr *remote,
		      const struct net_device *dev)
{
	enum leo_drop_reason why;

	return !leo_guarded(pkt, remote, dev) ||
	       leo_live_peer(pkt->ln, remote, &why);
}

/*
 * Verdict for one end of the packet. Sets *live when a live peer let it
 * through; an end that is not guarded passes untouched.
 */
static unsigned int leo_check_end(struct leo_pkt *pkt,
				  const struct leo_addr *remote,
				  const struct net_device *dev,
				  enum leo_direction dir,
				  struct leo_peer **live)
{
	enum leo_drop_reason why;

	if (!leo_guarded(pkt, remote, dev))
		return NF_ACCEPT;
	*live = leo_live_peer(pkt->ln, remote, &why);
	if (likely(*live))
		return NF_ACCEPT;
	return leo_refuse(pkt, remote, why, dir);
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
	    leo_check_end(pkt, &pkt->src, pkt->state->in, dir,
			  &from) == NF_DROP)
		return NF_DROP;
	if (dir != LEO_DIR_IN &&
	    leo_check_end(pkt, &pkt->dst, pkt->state->out, dir,
			  &to) == NF_DROP)
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
	struct leo_pkt pkt = { .skb = skb, .state = state, .proto = -1 };

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
 * handshake, so it is never enforced. The kernel consumes these messages
 * itself; no socket of a local program receives their contents. (MLD,
 * which switches that snoop multicast rely on, rides behind a hop-by-hop
 * header and is enforced like any other packet.)
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
	struct leo_pkt pkt = { .skb = skb, .state = state, .proto = -1 };

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
