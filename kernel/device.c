// SPDX-License-Identifier: GPL-2.0
/*
 * Protected devices: every packet that enters or leaves this host (or is
 * forwarded) through one of them must be to or from a live peer, whatever
 * its addresses: IPv6 link-local, the other family, secondary addresses
 * and addresses outside every protected subnet included. Only the
 * handshake exemption, path MTU errors of live flows and IPv6 neighbour
 * discovery pass (hooks.c); ARP is not IP and never seen here.
 *
 * Devices are kept by ifindex. A device that is unregistered, or moved to
 * another namespace, leaves the set (a netdevice notifier), so its index
 * cannot protect, or fail to protect, a device created later.
 *
 * Locking: the set is an immutable array published with
 * rcu_assign_pointer() and freed with kfree_rcu; writers hold ln->lock.
 * The notifier runs under RTNL and takes ln->lock (RTNL, then ln->lock;
 * no path takes RTNL while holding ln->lock). leo_dev_notifier_live is
 * written only at module load and unload. leo_dev_protected() runs on
 * the packet path under the RCU read lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "leo.h"
#include "measure.h"

/* False while the module unregisters its notifier (see below). */
static bool leo_dev_notifier_live;

bool leo_dev_protected(struct leo_net *ln, const struct net_device *dev)
{
	const struct leo_devices *set = rcu_dereference(ln->devices);
	u32 i;

	if (!set || !dev)
		return false;
	for (i = 0; i < set->count; i++)
		if (set->ifindex[i] == dev->ifindex)
			return true;
	return false;
}

struct leo_devices *leo_devices_current(struct leo_net *ln)
{
	return rcu_dereference_protected(ln->devices,
					 lockdep_is_held(&ln->lock));
}

u32 leo_device_count(struct leo_net *ln)
{
	struct leo_devices *set = leo_devices_current(ln);

	return set ? set->count : 0;
}

static int leo_device_find(const struct leo_devices *set, int ifindex)
{
	u32 i;

	for (i = 0; set && i < set->count; i++)
		if (set->ifindex[i] == ifindex)
			return i;
	return -1;
}

/* A copy of the current set without entry @skip (-1: none). */
static struct leo_devices *leo_devices_copy(struct leo_net *ln, int skip)
{
	struct leo_devices *old = leo_devices_current(ln), *set;
	u32 i;

	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!set)
		return ERR_PTR(-ENOMEM);
	for (i = 0; old && i < old->count; i++)
		if (i != skip)
			set->ifindex[set->count++] = old->ifindex[i];
	return set;
}

/* Makes @set (from leo_devices_with/without) the namespace's set. */
void leo_devices_publish(struct leo_net *ln, struct leo_devices *set)
{
	struct leo_devices *old = leo_devices_current(ln);

	if (!set->count) {
		kfree(set);
		set = NULL;
	}
	rcu_assign_pointer(ln->devices, set);
	/* Zero means "unset" to genl_dump_check_consistent(): skip it. */
	if (++ln->device_gen == 0)
		ln->device_gen = 1;
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * The set with @dev added, not yet published. @dev must still be
 * registered: its unregistration notifier, which would take it out again,
 * has then not run yet (it waits for ln->lock).
 */
struct leo_devices *leo_devices_with(struct leo_net *ln,
				     struct net_device *dev)
{
	struct leo_devices *old = leo_devices_current(ln), *set;

	if (READ_ONCE(dev->reg_state) != NETREG_REGISTERED)
		return ERR_PTR(-ENODEV);
	if (leo_device_find(old, dev->ifindex) >= 0)
		return ERR_PTR(-EEXIST);
	if (old && old->count >= LEO_MAX_DEVICES)
		return ERR_PTR(-ENOSPC);
	set = leo_devices_copy(ln, -1);
	if (!IS_ERR(set))
		set->ifindex[set->count++] = dev->ifindex;
	return set;
}

/* The set without device @ifindex, not yet published. */
struct leo_devices *leo_devices_without(struct leo_net *ln, int ifindex)
{
	int idx = leo_device_find(leo_devices_current(ln), ifindex);

	if (idx < 0)
		return ERR_PTR(-ENOENT);
	return leo_devices_copy(ln, idx);
}

void leo_devices_destroy(struct leo_net *ln)
{
	struct leo_devices *set = leo_devices_current(ln);

	RCU_INIT_POINTER(ln->devices, NULL);
	if (set)
		kfree_rcu(set, rcu);
}

/*
 * A protected device goes away (or to another namespace, which
 * unregisters it here first): forget it, and record that. When its
 * namespace is being dismantled, the namespace's exit record says it.
 */
static int leo_device_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct net *net = dev_net(dev);
	struct leo_net *ln = leo_net(net);
	struct leo_devices *set;

	if (event != NETDEV_UNREGISTER || !READ_ONCE(leo_dev_notifier_live))
		return NOTIFY_DONE;
	mutex_lock(&ln->lock);
	if (READ_ONCE(ln->dying) ||
	    leo_device_find(leo_devices_current(ln), dev->ifindex) < 0) {
		mutex_unlock(&ln->lock);
		return NOTIFY_DONE;
	}
	/*
	 * The device is gone whatever IMA says: the record cannot veto it.
	 * Fails only without memory; the index then stays protected.
	 */
	set = leo_devices_without(ln, dev->ifindex);
	if (IS_ERR(set)) {
		pr_warn("protected device %s left; its index stays protected: %ld\n",
			dev->name, PTR_ERR(set));
	} else {
		leo_devices_publish(ln, set);
		if (check_net(net))
			leo_measure_device(net, LEO_MEASURE_DEVICE_DEL,
					   dev->ifindex, dev->name);
	}
	mutex_unlock(&ln->lock);
	return NOTIFY_DONE;
}

static struct notifier_block leo_device_nb = {
	.notifier_call = leo_device_event,
};

int leo_device_notifier_register(void)
{
	int err = register_netdevice_notifier(&leo_device_nb);

	if (!err)
		WRITE_ONCE(leo_dev_notifier_live, true);
	return err;
}

/*
 * Unregistering replays NETDEV_UNREGISTER for every device of every
 * namespace: ignore those, nothing is going away.
 */
void leo_device_notifier_unregister(void)
{
	WRITE_ONCE(leo_dev_notifier_live, false);
	unregister_netdevice_notifier(&leo_device_nb);
}
