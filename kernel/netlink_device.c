// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for protected devices: add, delete, dump.
 *
 * Locking: handlers hold ln->lock while they change or read the set and
 * record the change in IMA before publishing it. The device itself is held
 * by a reference while it is added (device.c says why that is enough).
 * A dump resumes from an index (cb->args[0]) into the current set; its
 * generation (cb->seq) flags NLM_F_DUMP_INTR if it changed in between.
 */
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include "leo.h"
#include "measure.h"

static void leo_device_errmsg(struct genl_info *info, int err)
{
	struct nlattr *attr = info->attrs[LEO_A_IFINDEX];

	if (err == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no such network device in this namespace");
	else if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "device is already protected");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "device is not protected");
	else if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "too many protected devices");
}

/*
 * The new set is built first, the decision recorded next, and the set
 * published only if the record may stand (require_ima): nothing can fail
 * after the record, so a refused command changes nothing.
 */
static int leo_nl_device_change(struct genl_info *info, bool add)
{
	struct net *net = genl_info_net(info);
	struct leo_net *ln = leo_net(net);
	struct leo_devices *set;
	struct net_device *dev;
	int ifindex, err;

	err = leo_control_check(info);
	if (err)
		return err;
	if (LEO_MISSING(info, LEO_A_IFINDEX))
		return -EINVAL;
	ifindex = nla_get_u32(info->attrs[LEO_A_IFINDEX]);
	dev = dev_get_by_index(net, ifindex);
	if (!dev && add) {
		leo_device_errmsg(info, -ENODEV);
		return -ENODEV;
	}
	mutex_lock(&ln->lock);
	err = leo_net_activate(ln);
	if (err)
		goto out;
	set = add ? leo_devices_with(ln, dev) : leo_devices_without(ln, ifindex);
	if (IS_ERR(set)) {
		err = PTR_ERR(set);
		leo_device_errmsg(info, err);
		goto out;
	}
	err = leo_measure_device(net, add ? LEO_MEASURE_DEVICE_ADD :
				       LEO_MEASURE_DEVICE_DEL,
				 ifindex, dev ? dev->name : "");
	err = leo_measure_verdict(err, info->extack);
	if (err)
		kfree(set);
	else
		leo_devices_publish(ln, set);
out:
	mutex_unlock(&ln->lock);
	dev_put(dev);
	return err;
}

int leo_nl_device_add(struct sk_buff *skb, struct genl_info *info)
{
	return leo_nl_device_change(info, true);
}

int leo_nl_device_del(struct sk_buff *skb, struct genl_info *info)
{
	return leo_nl_device_change(info, false);
}

static int leo_device_fill(struct sk_buff *skb, struct net *net, int ifindex,
			   struct netlink_callback *cb)
{
	struct net_device *dev;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &leo_genl_family, NLM_F_MULTI, LEO_CMD_DEVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	err = nla_put_u32(skb, LEO_A_IFINDEX, ifindex) ?:
	      (dev ? nla_put_string(skb, LEO_A_IFNAME, dev->name) : 0);
	rcu_read_unlock();
	if (err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int leo_nl_device_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct leo_net *ln = leo_net(net);
	const struct leo_devices *set;
	long i;

	mutex_lock(&ln->lock);
	cb->seq = ln->device_gen;
	set = leo_devices_current(ln);
	for (i = cb->args[0]; set && i < set->count; i++)
		if (leo_device_fill(skb, net, set->ifindex[i], cb))
			break;
	cb->args[0] = i;
	mutex_unlock(&ln->lock);
	return skb->len;
}
