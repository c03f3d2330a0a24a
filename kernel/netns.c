// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created and destroyed with the namespace
 * (pernet ops). A new namespace only gets an empty peer table and the
 * default configuration: it is "inactive". Its first mutating netlink
 * command activates it (leo_net_activate()): only then does it get its
 * counters, rate-limit buckets, the expiry work's scratch, netfilter
 * hooks and the tick that sends queued events, and only an active namespace is measured when it exits.
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
 * before the tables are freed; it takes no lock itself. Peers expire
 * by their own timers (peer.c); exit deletes them with the peers, then
 * cancels the expiry work.
 */
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "leo.h"
#include "measure.h"

#define LEO_TICK_JIFFIES	(HZ / 5)

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
	.hs_total_rate = LEO_DEFAULT_HS_TOTAL_RATE,
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

/* Sends the drop and monitor events the packet path queued. */
static void leo_tick(struct work_struct *work)
{
	struct leo_net *ln = container_of(to_delayed_work(work),
					  struct leo_net, tick);

	leo_events_flush(ln);
	if (!READ_ONCE(ln->dying))
		schedule_delayed_work(&ln->tick, LEO_TICK_JIFFIES);
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
	err = leo_expiry_init(ln);
	if (err)
		goto free_ratelimit;
	/* last: from here on packets read the state allocated above */
	err = leo_hooks_register(ln->net);
	if (err)
		goto free_expiry;
	WRITE_ONCE(ln->active, true);
	atomic_inc(&leo_active_count);
	schedule_delayed_work(&ln->tick, LEO_TICK_JIFFIES);
	return 0;

free_expiry:
	leo_expiry_destroy(ln);
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
	ln->device_gen = 1;
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
	leo_devices_destroy(ln);
	mutex_unlock(&ln->lock);
	/* every timer is gone with its peer: nothing queues the work now */
	leo_expiry_destroy(ln);
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
