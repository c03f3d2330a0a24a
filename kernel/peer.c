// SPDX-License-Identifier: GPL-2.0
/*
 * The peer table of a network namespace: attested peers keyed by address,
 * their lifetime and their expiry.
 *
 * Locking: every function here except leo_peer_lookup() is called with
 * ln->lock held. leo_peer_lookup() runs under the RCU read lock (packet
 * path). A peer leaves the hash table and the list together, is marked
 * dead, and its memory is freed by kfree_rcu once the last kref (the
 * table's, or a dump cursor's) is dropped, so readers that found it under
 * RCU stay safe.
 */
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "leo.h"
#include "measure.h"

static const struct rhashtable_params leo_peer_params = {
	.key_len = sizeof(struct leo_addr),
	.key_offset = offsetof(struct leo_peer, addr),
	.head_offset = offsetof(struct leo_peer, node),
	.automatic_shrinking = true,
};

int leo_peers_init(struct leo_net *ln)
{
	INIT_LIST_HEAD(&ln->peer_list);
	ln->peer_gen = 1;
	return rhashtable_init(&ln->peers, &leo_peer_params);
}

void leo_peers_destroy(struct leo_net *ln)
{
	leo_peers_flush(ln);
	rhashtable_destroy(&ln->peers);
}

struct leo_peer *leo_peer_lookup(struct leo_net *ln,
				 const struct leo_addr *addr)
{
	return rhashtable_lookup(&ln->peers, addr, leo_peer_params);
}

/* Control path, with ln->lock held. */
struct leo_peer *leo_peer_find(struct leo_net *ln, const struct leo_addr *addr)
{
	return rhashtable_lookup_fast(&ln->peers, addr, leo_peer_params);
}

static void leo_peer_release(struct kref *ref)
{
	struct leo_peer *peer = container_of(ref, struct leo_peer, ref);

	kfree_rcu(peer, rcu);
}

void leo_peer_put(struct leo_peer *peer)
{
	kref_put(&peer->ref, leo_peer_release);
}

void leo_peers_changed(struct leo_net *ln)
{
	/* Zero means "unset" to genl_dump_check_consistent(): skip it. */
	if (++ln->peer_gen == 0)
		ln->peer_gen = 1;
}

/* Validity in jiffies; at least one jiffy so the peer is live at first. */
static unsigned long leo_validity_jiffies(u32 validity_ms)
{
	return max_t(unsigned long, msecs_to_jiffies(validity_ms), 1);
}

static void leo_note_expiry(struct leo_net *ln, unsigned long expires)
{
	if (!ln->peer_count || time_before(expires, ln->next_expiry)) {
		ln->next_expiry = expires;
		leo_tick_by(ln, expires);
	}
}

void leo_peer_renew(struct leo_net *ln, struct leo_peer *peer,
		    u32 validity_ms)
{
	unsigned long expires = jiffies + leo_validity_jiffies(validity_ms);

	WRITE_ONCE(peer->expires, expires);
	leo_note_expiry(ln, expires);
	leo_peers_changed(ln);
}

struct leo_peer *leo_peer_add(struct leo_net *ln, const struct leo_addr *addr,
			      const u8 *id, const u8 *evidence,
			      u32 validity_ms, u8 state)
{
	struct leo_peer *peer;
	int err;

	if (ln->peer_count >= LEO_MAX_PEERS)
		return ERR_PTR(-ENOSPC);
	peer = kzalloc(sizeof(*peer), GFP_KERNEL_ACCOUNT);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->addr = *addr;
	kref_init(&peer->ref);
	memcpy(peer->id, id, LEO_PEER_ID_LEN);
	if (evidence) {
		memcpy(peer->evidence, evidence, LEO_DIGEST_LEN);
		peer->has_evidence = true;
	}
	peer->state = state;
	peer->expires = jiffies + leo_validity_jiffies(validity_ms);

	err = rhashtable_lookup_insert_fast(&ln->peers, &peer->node,
					    leo_peer_params);
	if (err) {
		kfree(peer);
		return ERR_PTR(err);
	}
	leo_note_expiry(ln, peer->expires);
	list_add_tail(&peer->list, &ln->peer_list);
	ln->peer_count++;
	leo_peers_changed(ln);
	return peer;
}

void leo_peer_remove(struct leo_net *ln, struct leo_peer *peer)
{
	rhashtable_remove_fast(&ln->peers, &peer->node, leo_peer_params);
	list_del(&peer->list);
	peer->dead = true;
	ln->peer_count--;
	leo_peers_changed(ln);
	leo_peer_put(peer);
}

void leo_peers_flush(struct leo_net *ln)
{
	struct leo_peer *peer, *tmp;

	list_for_each_entry_safe(peer, tmp, &ln->peer_list, list) {
		leo_peer_remove(ln, peer);
		cond_resched();
	}
}

u64 leo_peer_expires_ms(const struct leo_peer *peer)
{
	unsigned long expires = READ_ONCE(peer->expires), now = jiffies;

	if (time_after_eq(now, expires))
		return 0;
	return jiffies_to_msecs(expires - now);
}

static void leo_peer_expired_report(struct leo_net *ln,
				    struct leo_peer *peer)
{
	struct leo_measure_peer m = {
		.family = peer->addr.family,
		.addr = &peer->addr.ip6,
		.peer_id = peer->id,
		.evidence = peer->has_evidence ? peer->evidence : NULL,
		.state = peer->state,
		.reason = LEO_REASON_EXPIRED,
	};

	leo_stat_inc(ln, LEO_STAT_PEERS_EXPIRED);
	leo_event_peer_expired(ln, &peer->addr);
	leo_measure_peer(ln->net, LEO_MEASURE_PEER_EXPIRED, &m);
}

/*
 * Remove every peer whose validity ran out. The packet path already
 * refuses them on its own; this reclaims them, tells the agent and
 * records the decision. Only scans when the earliest expiry has passed.
 */
void leo_peers_expire(struct leo_net *ln)
{
	unsigned long now = jiffies, next = now + MAX_JIFFY_OFFSET;
	struct leo_peer *peer, *tmp;

	if (!ln->peer_count || time_before(now, ln->next_expiry))
		return;
	list_for_each_entry_safe(peer, tmp, &ln->peer_list, list) {
		if (leo_peer_expired(peer, now)) {
			leo_peer_expired_report(ln, peer);
			leo_peer_remove(ln, peer);
		} else if (time_before(peer->expires, next)) {
			next = peer->expires;
		}
		cond_resched();
	}
	ln->next_expiry = next;
}
