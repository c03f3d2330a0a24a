// SPDX-License-Identifier: GPL-2.0
/*
 * The peer table of a network namespace: attested peers keyed by address,
 * their lifetime and their expiry.
 *
 * Expiry: the packet path refuses a lapsed peer on its own (it compares
 * expires with jiffies); the rest follows from a timer per peer, armed at
 * its expiry, as in WireGuard's timers.c. A timer runs in softirq and may
 * not sleep, so it only queues the peer on ln->expired_list and schedules
 * ln->expire_work. The work removes queued peers that are still lapsed in
 * batches of at most LEO_MEASURE_EXPIRED_MAX, each under ln->lock, which
 * it drops between batches; it measures each batch as one record (one TPM
 * extend) and sends the events after dropping ln->lock. So a mass expiry
 * holds ln->lock for one batch at a time, not for the whole table. A
 * peer renewed after its timer fired stays queued until the work sees it
 * live and skips it. The timer wheel fires at most about 1/8 of the
 * validity late (its granularity); only the removal waits for it.
 *
 * Locking: every function here except leo_peer_lookup(), the timer and
 * the work is called with ln->lock held. leo_peer_lookup() runs under the
 * RCU read lock (packet path). A peer leaves the hash table and the list
 * together, is marked dead, and its memory is freed by kfree_rcu once the
 * last kref (the table's, or a dump cursor's) is dropped, so readers that
 * found it under RCU stay safe. Timers are armed (mod_timer) only under
 * ln->lock; before a peer leaves the table its timer is deleted with
 * del_timer_sync() and the peer is taken off expired_list, so no timer
 * runs and no queue entry remains after it is freed. The timer takes only
 * expired_lock; the work takes peers off that list under ln->lock too, so
 * none is removed under its feet. The work is cancelled on namespace exit
 * after every peer (and so every timer) is gone.
 */
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/leo_measure.h>
#include "leo.h"
#include "measure.h"

static const struct rhashtable_params leo_peer_params = {
	.key_len = sizeof(struct leo_addr),
	.key_offset = offsetof(struct leo_peer, addr),
	.head_offset = offsetof(struct leo_peer, node),
	.automatic_shrinking = true,
};

/* The expiry work's copies of one batch, valid outside ln->lock. */
struct leo_expiry {
	unsigned int n;
	struct leo_measure_peer m[LEO_MEASURE_EXPIRED_MAX];
	struct leo_addr addr[LEO_MEASURE_EXPIRED_MAX];
	u8 id[LEO_MEASURE_EXPIRED_MAX][LEO_PEER_ID_LEN];
	u8 evidence[LEO_MEASURE_EXPIRED_MAX][LEO_DIGEST_LEN];
};

/* Queued peers one batch may visit (renewed ones are skipped). */
#define LEO_EXPIRY_VISIT_MAX	(4 * LEO_MEASURE_EXPIRED_MAX)

static void leo_expire_work(struct work_struct *work);

int leo_peers_init(struct leo_net *ln)
{
	INIT_LIST_HEAD(&ln->peer_list);
	INIT_LIST_HEAD(&ln->expired_list);
	spin_lock_init(&ln->expired_lock);
	INIT_WORK(&ln->expire_work, leo_expire_work);
	ln->peer_gen = 1;
	return rhashtable_init(&ln->peers, &leo_peer_params);
}

/* On activation: the work's scratch, charged to the caller's memcg. */
int leo_expiry_init(struct leo_net *ln)
{
	ln->expiry = kzalloc(sizeof(*ln->expiry), GFP_KERNEL_ACCOUNT);
	return ln->expiry ? 0 : -ENOMEM;
}

/* After leo_peers_destroy() (no timer left), without ln->lock. */
void leo_expiry_destroy(struct leo_net *ln)
{
	cancel_work_sync(&ln->expire_work);
	kfree(ln->expiry);
	ln->expiry = NULL;
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

/* Softirq: the validity ran out. Queue the peer; the work removes it. */
static void leo_peer_timer(struct timer_list *t)
{
	struct leo_peer *peer = from_timer(peer, t, timer);
	struct leo_net *ln = peer->ln;

	spin_lock(&ln->expired_lock);
	if (list_empty(&peer->expired))
		list_add_tail(&peer->expired, &ln->expired_list);
	spin_unlock(&ln->expired_lock);
	queue_work(system_unbound_wq, &ln->expire_work);
}

void leo_peer_renew(struct leo_net *ln, struct leo_peer *peer,
		    u32 validity_ms)
{
	unsigned long expires = jiffies + leo_validity_jiffies(validity_ms);

	WRITE_ONCE(peer->expires, expires);
	mod_timer(&peer->timer, expires);
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
	peer->ln = ln;
	INIT_LIST_HEAD(&peer->expired);
	timer_setup(&peer->timer, leo_peer_timer, 0);
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
	mod_timer(&peer->timer, peer->expires);
	list_add_tail(&peer->list, &ln->peer_list);
	ln->peer_count++;
	leo_peers_changed(ln);
	return peer;
}

void leo_peer_remove(struct leo_net *ln, struct leo_peer *peer)
{
	/* not re-armed: that takes ln->lock, which we hold */
	del_timer_sync(&peer->timer);
	spin_lock_bh(&ln->expired_lock);
	list_del_init(&peer->expired);
	spin_unlock_bh(&ln->expired_lock);
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

/* Takes the first queued peer off expired_list; ln->lock held. */
static struct leo_peer *leo_expiry_next(struct leo_net *ln)
{
	struct leo_peer *peer;

	spin_lock_bh(&ln->expired_lock);
	peer = list_first_entry_or_null(&ln->expired_list, struct leo_peer,
					expired);
	if (peer)
		list_del_init(&peer->expired);
	spin_unlock_bh(&ln->expired_lock);
	return peer;
}

/* Copies what the record and the event need before the peer goes. */
static void leo_expiry_keep(struct leo_expiry *b, const struct leo_peer *peer)
{
	unsigned int i = b->n++;

	b->addr[i] = peer->addr;
	memcpy(b->id[i], peer->id, LEO_PEER_ID_LEN);
	memcpy(b->evidence[i], peer->evidence, LEO_DIGEST_LEN);
	b->m[i] = (struct leo_measure_peer) {
		.family = peer->addr.family,
		.addr = &b->addr[i].ip6,
		.peer_id = b->id[i],
		.evidence = peer->has_evidence ? b->evidence[i] : NULL,
		.state = peer->state,
		.reason = LEO_REASON_EXPIRED,
	};
}

/*
 * Removes one batch of lapsed peers into @b; ln->lock held. Returns true
 * if peers may still be queued.
 */
static bool leo_expire_batch(struct leo_net *ln, struct leo_expiry *b)
{
	unsigned long now = jiffies;
	struct leo_peer *peer;
	unsigned int seen;

	b->n = 0;
	for (seen = 0; seen < LEO_EXPIRY_VISIT_MAX; seen++) {
		if (b->n == LEO_MEASURE_EXPIRED_MAX)
			return true;
		peer = leo_expiry_next(ln);
		if (!peer)
			return false;
		if (!leo_peer_expired(peer, now))
			continue;	/* renewed after its timer fired */
		leo_expiry_keep(b, peer);
		leo_peer_remove(ln, peer);
	}
	return true;
}

/* The batch's counter, record and events, without ln->lock. */
static void leo_expiry_report(struct leo_net *ln, struct leo_expiry *b)
{
	unsigned int i;

	leo_stat_add(ln, LEO_STAT_PEERS_EXPIRED, b->n);
	leo_measure_peers_expired(ln->net, b->m, b->n);
	for (i = 0; i < b->n; i++)
		leo_event_peer_expired(ln, &b->addr[i]);
}

/*
 * Reclaims the peers whose timers fired, tells the agent and records the
 * decisions; see the top of the file.
 */
static void leo_expire_work(struct work_struct *work)
{
	struct leo_net *ln = container_of(work, struct leo_net, expire_work);
	struct leo_expiry *b = ln->expiry;
	bool more;

	do {
		mutex_lock(&ln->lock);
		more = leo_expire_batch(ln, b);
		if (b->n)	/* keeps the record's place among decisions */
			leo_measure_reserve();
		mutex_unlock(&ln->lock);
		if (b->n)
			leo_expiry_report(ln, b);
		cond_resched();
	} while (more);
}
