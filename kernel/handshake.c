// SPDX-License-Identifier: GPL-2.0
/*
 * The handshake exemption: the only traffic an unattested host may
 * exchange with this one is the attestation exchange with leo's agent,
 * both ways: strangers connecting to the agent's handshake port, and the
 * agent's own connections to the handshake port of others.
 *
 * A port alone proves nothing: the sender chooses both ports of what it
 * sends, and any local program may bind or connect from the handshake
 * port. So a packet belongs to the exchange only if it is TCP, one of its
 * ports is the handshake port, and the local socket that owns the flow
 * carries the agent's socket mark (LEO_A_AGENT_MARK). A remote host cannot
 * choose which local socket owns a flow, and setting SO_MARK needs
 * CAP_NET_ADMIN or CAP_NET_RAW in the namespace. Outbound, the owner is
 * the packet's socket (the listener, for a SYN-ACK); inbound, it is looked
 * up in the TCP tables as the stack will (listener or connection). No
 * agent mark configured: no exemption at all.
 *
 * Locking: none; runs on the packet path under the RCU read lock. A
 * socket found by lookup is referenced only while its mark is read.
 */
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "leo.h"

static bool leo_sk_is_agent(const struct sock *sk, u32 mark)
{
	return sk && sk_fullsock(sk) && READ_ONCE(sk->sk_mark) == mark;
}

/* The socket that will receive this inbound TCP segment, referenced. */
static struct sock *leo_tcp_owner(struct leo_pkt *pkt,
				  const struct tcphdr *th)
{
	struct net *net = pkt->state->net;
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	int doff = pkt->thoff + __tcp_hdrlen(th);
	int dif = pkt->state->in->ifindex;

	if (pkt->src.family == AF_INET)
		return inet_lookup(net, hinfo, pkt->skb, doff, pkt->src.ip4,
				   th->source, pkt->dst.ip4, th->dest, dif);
	return inet6_lookup(net, hinfo, pkt->skb, doff, &pkt->src.ip6,
			    th->source, &pkt->dst.ip6, th->dest, dif);
}

/*
 * Is this packet (its transport header found by leo_pkt_l4()) part of an
 * attestation exchange of the agent's sockets?
 */
bool leo_hs_agent_flow(struct leo_pkt *pkt, bool inbound)
{
	u16 port = READ_ONCE(pkt->ln->cfg.hs_port);
	u32 mark = READ_ONCE(pkt->ln->cfg.agent_mark);
	const struct tcphdr *th;
	struct tcphdr buf;
	struct sock *sk;
	bool agent;

	if (!port || !mark || pkt->proto != IPPROTO_TCP)
		return false;
	th = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(buf), &buf);
	if (!th || (th->source != htons(port) && th->dest != htons(port)))
		return false;
	if (!inbound)
		return leo_sk_is_agent(skb_to_full_sk(pkt->skb), mark);
	sk = leo_tcp_owner(pkt, th);
	if (!sk)
		return false;
	agent = leo_sk_is_agent(sk_to_full_sk(sk), mark);
	sock_gen_put(sk);
	return agent;
}
