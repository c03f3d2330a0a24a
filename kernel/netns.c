// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created and destroyed with the namespace
 * (pernet ops). A new namespace only gets an empty peer table and the
 * default configuration: it is "inactive". Its first mutating netlink
 * command activates it (leo_net_activate()): only then does it get its
 * counters, rate-limit buckets, netfilter hooks and the tick that expires
 * peers and sends queued events, and only an active namespace is measured when it exits.
 * So `unshare -n` costs leo nothing, neither memory nor an IMA record.
 *
 * Locking: init and exit run once per namespace with no other user of
 * its state. Activation runs under ln->lock; ln->active only goes from
 * false to true, under that lock, and pre_exit/exit read it after every
 * netlink user is gone (netlink cannot reach a namespace that is being
 * dismantled). Hooks are registered last on activation and unregistered
 * in pre_exit: nf_unregister_net_hooks() does not wait for packets
 * already inside a hook, but the namespace core runs synchronize_rcu()
 * between pre_exit and exit (also when the module unloads), so no packet
 * still reads the tables when exit frees them. The tick is cancelled
 * before the tables are freed; it takes ln->lock.
 */
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "leo.h"
#include "measure.h"

#define LEO_TICK_JIFFIES	(HZ / 5)
/* Peers one expiry scan may visit per jiffy since the previous scan. */
#define LEO_SCAN_PEERS_PER_JIFFY	1024

unsigned int leo_net_id __read_mostly;
static atomic_t leo_active_count = ATOMIC_INIT(0);

/* Namespaces with hooks registered, for the status file. */
int leo_netns_active(void)
{
	return atomic_read(&leo_active_count);
}

static const struct leo_config leo_default_config = {
	.mode = LEO_MODE_ENFORCE,
	.hs_port = LEO_DEFAULT_HS_PORT,
	.default_validity_ms = LEO_DEFAULT_VALIDITY_MS,
	.hs_rate = LEO_DEFAULT_HS_RATE,
	.hs_burst = LEO_DEFAULT_HS_BURST,
};

u64 leo_stat_sum(struct leo_net *ln, enum leo_stat stat)
{
	u64 sum = 0;
	int cpu;

	if (!ln->stats)			/* inactive: nothing counted yet */
		return 0;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(ln->stats, cpu)->v[stat]);
	return sum;
}

/* Jiffies until @when, if that is sooner than the regular tick. */
static unsigned long leo_tick_delay(unsigned long when)
{
	unsigned long now = jiffies;

	if (!time_after(when, now))
		return 0;
	return min_t(unsigned long, when - now, LEO_TICK_JIFFIES);
}

/*
 * A peer expires at @when: make the tick run by then, so the expiry is
 * reported promptly (the packet path refuses the peer on its own).
 * Called with ln->lock held.
 */
void leo_tick_by(struct leo_net *ln, unsigned long when)
{
	unsigned long delay = leo_tick_delay(when);

	if (delay < LEO_TICK_JIFFIES && !READ_ONCE(ln->dying))
		mod_delayed_work(system_wq, &ln->tick, delay);
}

/*
 * An expiry scan walks every peer. When expiries are spread out (peers
 * renewed at different times), the earliest one is always near, and a
 * scan per jiffy would keep a CPU and ln->lock busy with a large table.
 * Space the scans in proportion to the table instead: a small table
 * still expires within a jiffy, a large one within the regular tick.
 * The packet path refuses expired peers on its own meanwhile.
 */
static unsigned long leo_scan_gap(u32 peers)
{
	return min_t(unsigned long, 1 + peers / LEO_SCAN_PEERS_PER_JIFFY,
		     LEO_TICK_JIFFIES);
}

static void leo_tick(struct work_struct *work)
{
	struct leo_net *ln = container_of(to_delayed_work(work),
					  struct leo_net, tick);
	unsigned long delay = LEO_TICK_JIFFIES;

	mutex_lock(&ln->lock);
	leo_peers_expire(ln);
	if (ln->peer_count)
		delay = max(leo_tick_delay(ln->next_expiry),
			    leo_scan_gap(ln->peer_count));
	mutex_unlock(&ln->lock);
	leo_events_flush(ln);
	if (!READ_ONCE(ln->dying))
		schedule_delayed_work(&ln->tick, delay);
}

/*
 * Gives the namespace what the packet path needs and hooks it in. Every
 * mutating command calls this, under ln->lock, before it changes state;
 * it does the work once. Memory is charged to the caller's memory cgroup.
 */
int leo_net_activate(struct leo_net *ln)
{
	int err;

	lockdep_assert_held(&ln->lock);
	if (ln->active)
		return 0;
	ln->stats = alloc_percpu_gfp(struct leo_stats, GFP_KERNEL_ACCOUNT);
	if (!ln->stats)
		return -ENOMEM;
	err = leo_ratelimit_init(ln);
	if (err)
		goto free_stats;
	/* last: from here on packets read the state allocated above */
	err = leo_hooks_register(ln->net);
	if (err)
		goto free_ratelimit;
	WRITE_ONCE(ln->active, true);
	atomic_inc(&leo_active_count);
	schedule_delayed_work(&ln->tick, LEO_TICK_JIFFIES);
	return 0;

free_ratelimit:
	leo_ratelimit_destroy(ln);
free_stats:
	free_percpu(ln->stats);
	ln->stats = NULL;
	return err;
}

static int __net_init leo_net_init(struct net *net)
{
	struct leo_net *ln = leo_net(net);

	ln->net = net;
	mutex_init(&ln->lock);
	ln->cfg = leo_default_config;
	ln->subnet_gen = 1;
	INIT_DELAYED_WORK(&ln->tick, leo_tick);
	return leo_peers_init(ln);
}

/* Stops new packets; exit runs after the grace period that follows. */
static void __net_exit leo_net_pre_exit(struct net *net)
{
	if (READ_ONCE(leo_net(net)->active))
		leo_hooks_unregister(net);
}

static void __net_exit leo_net_exit(struct net *net)
{
	struct leo_net *ln = leo_net(net);

	WRITE_ONCE(ln->dying, true);
	cancel_delayed_work_sync(&ln->tick);
	mutex_lock(&ln->lock);
	/* a namespace that never configured leo has nothing to record */
	if (ln->active) {
		leo_measure_netns_exit(net, ln->peer_count,
				       leo_subnet_count(ln));
		atomic_dec(&leo_active_count);
	}
	leo_peers_destroy(ln);
	leo_subnets_destroy(ln);
	mutex_unlock(&ln->lock);
	leo_ratelimit_destroy(ln);
	free_percpu(ln->stats);
}

static struct pernet_operations leo_net_ops = {
	.init = leo_net_init,
	.pre_exit = leo_net_pre_exit,
	.exit = leo_net_exit,
	.id = &leo_net_id,
	.size = sizeof(struct leo_net),
};

int leo_netns_register(void)
{
	return register_pernet_subsys(&leo_net_ops);
}

void leo_netns_unregister(void)
{
	unregister_pernet_subsys(&leo_net_ops);
}
