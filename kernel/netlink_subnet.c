// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for protected subnets: add, delete, dump.
 *
 * Locking: handlers hold ln->lock while they change or read the set and
 * record the change in IMA before publishing it. A dump resumes from an
 * index (cb->args[0]) into the current set; the set's generation
 * (cb->seq) flags NLM_F_DUMP_INTR if it changed between batches.
 */
#include <net/genetlink.h>
#include "leo.h"
#include "measure.h"

/* Address, prefix length; the length fits the family, host bits clear. */
static int leo_get_prefix(struct genl_info *info, struct leo_prefix *pfx)
{
	struct nlattr *plen_attr = info->attrs[LEO_A_PREFIXLEN];
	struct leo_addr masked;
	int err;

	err = leo_get_addr(info, &pfx->addr);
	if (err)
		return err;
	if (LEO_MISSING(info, LEO_A_PREFIXLEN))
		return -EINVAL;
	pfx->plen = nla_get_u8(plen_attr);
	if (pfx->addr.family == AF_INET && pfx->plen > 32) {
		NL_SET_ERR_MSG_ATTR(info->extack, plen_attr,
				    "IPv4 prefix length must be 0..32");
		return -EINVAL;
	}
	masked = pfx->addr;
	leo_addr_mask(&masked, pfx->plen);
	if (memcmp(&masked, &pfx->addr, sizeof(masked))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LEO_A_ADDR],
				    "address has host bits set beyond the prefix");
		return -EINVAL;
	}
	return 0;
}

static void leo_subnet_errmsg(struct genl_info *info, int err)
{
	if (err == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "subnet is already protected");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such protected subnet");
	else if (err == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "too many protected subnets");
}

/*
 * The new set is built first, the decision recorded next, and the set
 * published only if the record may stand (require_ima): nothing can fail
 * after the record, so a refused command changes nothing.
 */
static int leo_nl_subnet_change(struct genl_info *info, bool add)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct leo_subnets *set;
	struct leo_prefix pfx;
	int err;

	err = leo_control_check(info);
	if (err)
		return err;
	err = leo_get_prefix(info, &pfx);
	if (err)
		return err;

	mutex_lock(&ln->lock);
	err = leo_net_activate(ln);
	if (err)
		goto out;
	set = add ? leo_subnets_with(ln, &pfx) : leo_subnets_without(ln, &pfx);
	if (IS_ERR(set)) {
		err = PTR_ERR(set);
		leo_subnet_errmsg(info, err);
		goto out;
	}
	err = leo_measure_subnet(ln->net, add ? LEO_MEASURE_SUBNET_ADD :
						LEO_MEASURE_SUBNET_DEL,
				 pfx.addr.family, &pfx.addr.ip6, pfx.plen);
	err = leo_measure_verdict(err, info->extack);
	if (err)
		kvfree(set);
	else
		leo_subnets_publish(ln, set);
out:
	mutex_unlock(&ln->lock);
	return err;
}

int leo_nl_subnet_add(struct sk_buff *skb, struct genl_info *info)
{
	return leo_nl_subnet_change(info, true);
}

int leo_nl_subnet_del(struct sk_buff *skb, struct genl_info *info)
{
	return leo_nl_subnet_change(info, false);
}

static int leo_subnet_fill(struct sk_buff *skb, const struct leo_prefix *pfx,
			   struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &leo_genl_family, NLM_F_MULTI, LEO_CMD_SUBNET_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (leo_put_addr(skb, &pfx->addr) ||
	    nla_put_u8(skb, LEO_A_PREFIXLEN, pfx->plen)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int leo_nl_subnet_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct leo_net *ln = leo_net(sock_net(skb->sk));
	const struct leo_subnets *set;
	long i;

	mutex_lock(&ln->lock);
	cb->seq = ln->subnet_gen;
	set = leo_subnets_current(ln);
	for (i = cb->args[0]; set && i < set->count; i++)
		if (leo_subnet_fill(skb, &set->p[i], cb))
			break;
	cb->args[0] = i;
	mutex_unlock(&ln->lock);
	return skb->len;
}
