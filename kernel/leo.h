/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private structures shared by the files of leo.ko.
 *
 * Locking, per network namespace (struct leo_net):
 * - lock (a mutex) serialises every writer: netlink handlers, the expiry
 *   work, and namespace teardown. It guards the peer list, the peer
 *   count and generation, the subnet set pointer and generation, the
 *   configuration, the rhashtable inserts and removals, the arming of
 *   peer timers, and activation (active, stats, hs_buckets, expiry: see
 *   netns.c).
 * - expired_lock (a spinlock, taken with bottom halves off in process
 *   context) guards expired_list, where a peer's timer (softirq) queues
 *   it for the expiry work; see peer.c.
 * - The packet path takes no lock: it runs under the RCU read lock that
 *   netfilter holds, looks peers up in the rhashtable, reads the subnet
 *   set through rcu_dereference(), and reads the few mutable fields of a
 *   peer (state, expires) and of the configuration with READ_ONCE().
 *   Writers update those fields with WRITE_ONCE() under the mutex.
 * - Removed peers and replaced subnet sets are freed after a grace
 *   period (kfree_rcu / kvfree_rcu). A peer also holds a kref so that a
 *   netlink dump can keep a cursor on it between recvmsg() calls.
 * - Counters: namespace statistics are per-cpu; peer traffic counters are
 *   atomic64; the rate limiter and the event ring use cmpxchg only.
 */
#ifndef _LEO_H
#define _LEO_H

#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <linux/leo.h>

/* An IPv4 or IPv6 address; always zeroed before filling (hash key). */
struct leo_addr {
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
	u16 family;
	u16 pad;
};

struct leo_peer {
	/*
	 * The packet path reads node, addr, expires and state, and adds to
	 * the counters: keep them together at the front, so an inbound
	 * packet from a cold peer touches one 64-byte cache line (only
	 * tx_bytes lies beyond it).
	 */
	struct rhash_head node;		/* ln->peers, keyed by addr */
	struct leo_addr addr;
	u8 state;			/* enum leo_peer_state; READ_ONCE */
	bool dead;			/* removed from the table (under lock) */
	bool has_evidence;
	unsigned long expires;		/* jiffies; READ_ONCE on packet path */
	atomic64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	/* control path only */
	struct list_head list;		/* ln->peer_list, dump order */
	struct timer_list timer;	/* fires at expires: see peer.c */
	struct list_head expired;	/* on ln->expired_list, or empty */
	struct leo_net *ln;
	struct kref ref;
	struct rcu_head rcu;
	u8 id[LEO_PEER_ID_LEN];
	u8 evidence[LEO_DIGEST_LEN];
};

/* A protected prefix; addr has no bits set beyond plen. */
struct leo_prefix {
	struct leo_addr addr;
	u8 plen;
};

/* Entries of one family and prefix length: p[start, start + count). */
struct leo_prefix_group {
	u16 family;
	u8 plen;
	u16 start;
	u16 count;
};

/* Immutable once published; replaced as a whole on every change. */
struct leo_subnets {
	struct rcu_head rcu;
	u32 count;
	u32 ngroups;
	struct leo_prefix_group groups[33 + 129];
	struct leo_prefix p[];		/* sorted: family, plen desc, addr */
};

struct leo_config {
	u8 mode;
	u16 hs_port;
	u32 default_validity_ms;
	u32 hs_rate;
	u32 hs_burst;
	u32 hs_total_rate;		/* and burst, over all sources */
	u32 agent_mark;			/* 0: no socket is the agent's */
};

/* Protected devices by ifindex; immutable once published, like subnets. */
struct leo_devices {
	struct rcu_head rcu;
	u32 count;
	int ifindex[LEO_MAX_DEVICES];
};

struct leo_stats {
	u64 v[__LEO_STAT_MAX];
};

/* Token bucket state: high 32 bits last refill (ms), low 32 milli-tokens. */
struct leo_bucket {
	atomic64_t state;
};

#define LEO_HS_BUCKETS		4096
#define LEO_EVENT_SLOTS		16

struct leo_event_slot {
	atomic_t busy;			/* 0 free, 1 being filled, 2 ready */
	u8 event;
	u8 reason;
	u8 dir;
	struct leo_addr addr;
};

struct leo_events {
	struct leo_bucket limit;	/* LEO_EVENT_DROP_RATE per second */
	atomic_t next;
	struct leo_event_slot slot[LEO_EVENT_SLOTS];
};

struct leo_net {
	struct net *net;
	struct mutex lock;
	struct rhashtable peers;
	struct list_head peer_list;
	u32 peer_count;
	u32 peer_gen;			/* bumped on every peer change */
	u32 subnet_gen;			/* bumped on every subnet change */
	spinlock_t expired_lock;
	struct list_head expired_list;	/* peers whose timer fired */
	struct work_struct expire_work;
	struct leo_expiry *expiry;	/* the work's scratch, once active */
	struct leo_subnets __rcu *subnets;
	struct leo_config cfg;
	struct leo_stats __percpu *stats;
	struct leo_bucket *hs_buckets;	/* LEO_HS_BUCKETS */
	struct leo_bucket hs_total;	/* every unattested source at once */
	struct leo_devices __rcu *devices;
	u32 device_gen;			/* bumped on every device change */
	siphash_key_t hs_key;
	struct leo_events events;
	struct delayed_work tick;
	bool active;			/* configured once: see netns.c */
	bool dying;
};

/* netns.c */
extern unsigned int leo_net_id;

static inline struct leo_net *leo_net(const struct net *net)
{
	return net_generic(net, leo_net_id);
}

int leo_netns_register(void);
void leo_netns_unregister(void);
u64 leo_stat_sum(struct leo_net *ln, enum leo_stat stat);
int leo_net_activate(struct leo_net *ln);
int leo_netns_active(void);

static inline void leo_stat_inc(struct leo_net *ln, enum leo_stat stat)
{
	this_cpu_inc(ln->stats->v[stat]);
}

static inline void leo_stat_add(struct leo_net *ln, enum leo_stat stat,
				u64 n)
{
	this_cpu_add(ln->stats->v[stat], n);
}

/* peer.c: the table; writers hold ln->lock. */
int leo_peers_init(struct leo_net *ln);
void leo_peers_destroy(struct leo_net *ln);
int leo_expiry_init(struct leo_net *ln);
void leo_expiry_destroy(struct leo_net *ln);
struct leo_peer *leo_peer_lookup(struct leo_net *ln,
				 const struct leo_addr *addr);
struct leo_peer *leo_peer_find(struct leo_net *ln, const struct leo_addr *addr);
struct leo_peer *leo_peer_add(struct leo_net *ln, const struct leo_addr *addr,
			      const u8 *id, const u8 *evidence,
			      u32 validity_ms, u8 state);
void leo_peer_renew(struct leo_net *ln, struct leo_peer *peer,
		    u32 validity_ms);
void leo_peer_remove(struct leo_net *ln, struct leo_peer *peer);
void leo_peers_flush(struct leo_net *ln);
void leo_peer_put(struct leo_peer *peer);
void leo_peers_changed(struct leo_net *ln);
u64 leo_peer_expires_ms(const struct leo_peer *peer);

static inline bool leo_peer_expired(const struct leo_peer *peer,
				    unsigned long now)
{
	return time_after_eq(now, READ_ONCE(peer->expires));
}

/* subnet.c: writers hold ln->lock; leo_subnet_protected() under RCU. */
bool leo_subnet_protected(struct leo_net *ln, const struct leo_addr *addr);
struct leo_subnets *leo_subnets_with(struct leo_net *ln,
				     const struct leo_prefix *pfx);
struct leo_subnets *leo_subnets_without(struct leo_net *ln,
					const struct leo_prefix *pfx);
void leo_subnets_publish(struct leo_net *ln, struct leo_subnets *set);
void leo_subnets_destroy(struct leo_net *ln);
u32 leo_subnet_count(struct leo_net *ln);
struct leo_subnets *leo_subnets_current(struct leo_net *ln);
void leo_addr_mask(struct leo_addr *addr, u8 plen);

/* device.c: writers hold ln->lock; leo_dev_protected() under RCU. */
bool leo_dev_protected(struct leo_net *ln, const struct net_device *dev);
struct leo_devices *leo_devices_with(struct leo_net *ln,
				     struct net_device *dev);
struct leo_devices *leo_devices_without(struct leo_net *ln, int ifindex);
void leo_devices_publish(struct leo_net *ln, struct leo_devices *set);
void leo_devices_destroy(struct leo_net *ln);
u32 leo_device_count(struct leo_net *ln);
struct leo_devices *leo_devices_current(struct leo_net *ln);
int leo_device_notifier_register(void);
void leo_device_notifier_unregister(void);

/* ratelimit.c */
bool leo_bucket_take(struct leo_bucket *b, u32 rate, u32 burst, u32 n);
bool leo_hs_allow(struct leo_net *ln, const struct leo_addr *src, u32 n);
int leo_ratelimit_init(struct leo_net *ln);
void leo_ratelimit_destroy(struct leo_net *ln);

/* selftest.c: 0, or -EINVAL when selftest=1 and a check failed */
int leo_selftest(void);

/* A packet in a hook, with its transport header once leo_pkt_l4() found it. */
struct leo_pkt {
	struct leo_net *ln;
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	struct leo_addr src, dst;
	int proto;			/* IPPROTO_*, -1 if unknown yet */
	unsigned int thoff;		/* transport header offset */
};

/* hooks.c */
bool leo_end_may_pass(struct leo_pkt *pkt, const struct leo_addr *remote,
		      const struct net_device *dev);

/* handshake.c: the attestation exchange with unattested hosts (RCU). */
bool leo_hs_agent_flow(struct leo_pkt *pkt, bool inbound);

/* icmp.c: path MTU errors about a flow that may pass (RCU). */
bool leo_icmp_pmtu_of_live_flow(struct leo_pkt *pkt);

int leo_hooks_register(struct net *net);
void leo_hooks_unregister(struct net *net);

/* events.c */
void leo_event_packet(struct leo_net *ln, enum leo_event event,
		      enum leo_drop_reason reason, enum leo_direction dir,
		      const struct leo_addr *addr);
void leo_events_flush(struct leo_net *ln);
void leo_event_peer_expired(struct leo_net *ln, const struct leo_addr *addr);
void leo_event_config_changed(struct leo_net *ln);

/* netlink.c: the family and helpers shared by its handlers */
extern struct genl_family leo_genl_family;
int leo_genl_register(void);
void leo_genl_unregister(void);
void leo_genl_send_event(struct net *net, struct sk_buff *skb);
int leo_put_addr(struct sk_buff *skb, const struct leo_addr *addr);
int leo_put_config(struct sk_buff *skb, const struct leo_config *cfg);
int leo_get_addr(struct genl_info *info, struct leo_addr *addr);

/* True, with an extack message naming it, if the request lacks @attr. */
#define LEO_MISSING(info, attr) ({					\
	bool __missing = GENL_REQ_ATTR_CHECK(info, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG((info)->extack, "missing " #attr);	\
	__missing;							\
})

/* netlink_peer.c */
int leo_nl_peer_add(struct sk_buff *skb, struct genl_info *info);
int leo_nl_peer_set(struct sk_buff *skb, struct genl_info *info);
int leo_nl_peer_del(struct sk_buff *skb, struct genl_info *info);
int leo_nl_peer_get(struct sk_buff *skb, struct genl_info *info);
int leo_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb);
int leo_nl_peer_dump_done(struct netlink_callback *cb);
int leo_nl_peer_flush(struct sk_buff *skb, struct genl_info *info);

/* netlink_subnet.c */
int leo_nl_subnet_add(struct sk_buff *skb, struct genl_info *info);
int leo_nl_subnet_del(struct sk_buff *skb, struct genl_info *info);
int leo_nl_subnet_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink_device.c */
int leo_nl_device_add(struct sk_buff *skb, struct genl_info *info);
int leo_nl_device_del(struct sk_buff *skb, struct genl_info *info);
int leo_nl_device_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* netlink_config.c */
int leo_nl_config_set(struct sk_buff *skb, struct genl_info *info);
int leo_nl_config_get(struct sk_buff *skb, struct genl_info *info);
int leo_nl_stats_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _LEO_H */
