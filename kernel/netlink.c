// SPDX-License-Identifier: GPL-2.0
/*
 * The "leo" generic netlink family: per-op policies, the op table, the
 * events multicast group and helpers shared by the handlers in
 * netlink_peer.c, netlink_subnet.c and netlink_config.c.
 *
 * Permissions: every command, reads included, and the events group need
 * CAP_NET_ADMIN. The core checks it over the user namespace that owns the
 * network namespace (GENL_UNS_ADMIN_PERM, GENL_MCAST_CAP_NET_ADMIN); any
 * local user holds that in a namespace of its own (unshare -rn), and each
 * command can cost an IMA record and a TPM extend, so by default
 * pre_doit and the dumps' start also require it in the initial user
 * namespace. Parameter userns_admin drops that second check.
 *
 * Locking: handlers run in process context (parallel_ops) and take the
 * namespace's ln->lock around every table access. leo_genl_lock guards
 * leo_genl_live so that no event is multicast on the family after module
 * exit started unregistering it; it nests inside ln->lock.
 */
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <net/genetlink.h>
#include "leo.h"
#include "measure.h"

static bool userns_admin;
module_param(userns_admin, bool, 0444);
MODULE_PARM_DESC(userns_admin,
		 "Accept CAP_NET_ADMIN in the user namespace owning a network namespace, not only in the initial one");

static DEFINE_MUTEX(leo_genl_lock);
static bool leo_genl_live;

/* The second check (see the top): GENL_UNS_ADMIN_PERM passed already. */
static int leo_nl_permitted(struct sk_buff *skb,
			    struct netlink_ext_ack *extack)
{
	if (userns_admin || netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "needs CAP_NET_ADMIN in the initial user namespace");
	return -EPERM;
}

static int leo_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	return leo_nl_permitted(skb, info->extack);
}

/* Dumps bypass pre_doit; start runs in the requester's context. */
static int leo_nl_dump_start(struct netlink_callback *cb)
{
	return leo_nl_permitted(cb->skb, cb->extack);
}

static struct netlink_range_validation leo_validity_range = {
	.min = 0,
	.max = LEO_MAX_VALIDITY_MS,
};

static struct netlink_range_validation leo_default_validity_range = {
	.min = 1,
	.max = LEO_MAX_VALIDITY_MS,
};

static struct netlink_range_validation leo_hs_range = {
	.min = 1,
	.max = 1000000,
};

/*
 * Lengths are checked by these rather than by length ranges so that a
 * wrong length is -EINVAL with a message naming the expected size, as
 * the uapi documents (a policy length range would answer -ERANGE).
 */
static int leo_validate_addr_len(const struct nlattr *attr,
				 struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == 4 || nla_len(attr) == 16)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "address must be 4 or 16 bytes");
	return -EINVAL;
}

static int leo_validate_digest_len(const struct nlattr *attr,
				   struct netlink_ext_ack *extack)
{
	BUILD_BUG_ON(LEO_PEER_ID_LEN != LEO_DIGEST_LEN);
	if (nla_len(attr) == LEO_DIGEST_LEN)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "digest must be 32 bytes");
	return -EINVAL;
}

#define LEO_ADDR_POLICY	NLA_POLICY_VALIDATE_FN(NLA_BINARY, leo_validate_addr_len)
#define LEO_DIGEST_POLICY \
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, leo_validate_digest_len)

/* Every command that names a peer or a prefix does so with these two. */
#define LEO_ADDR_ATTRS							\
	[LEO_A_FAMILY] = { .type = NLA_U16 },				\
	[LEO_A_ADDR] = LEO_ADDR_POLICY

#define LEO_VALIDITY_POLICY \
	NLA_POLICY_FULL_RANGE(NLA_U32, &leo_validity_range)

/* What PEER_ADD sets and PEER_SET may change, besides the address. */
#define LEO_PEER_ATTRS							\
	[LEO_A_PEER_ID] = LEO_DIGEST_POLICY,				\
	[LEO_A_EVIDENCE] = LEO_DIGEST_POLICY,				\
	[LEO_A_VALIDITY_MS] = LEO_VALIDITY_POLICY,			\
	[LEO_A_STATE] = NLA_POLICY_MAX(NLA_U8, __LEO_PEER_STATE_MAX - 1)

#define LEO_REASON_POLICY NLA_POLICY_MAX(NLA_U8, __LEO_REASON_MAX - 1)

static const struct nla_policy leo_peer_add_policy[LEO_A_MAX + 1] = {
	LEO_ADDR_ATTRS,
	LEO_PEER_ATTRS,
};

static const struct nla_policy leo_peer_set_policy[LEO_A_MAX + 1] = {
	LEO_ADDR_ATTRS,
	LEO_PEER_ATTRS,
	[LEO_A_REASON] = LEO_REASON_POLICY,
};

static const struct nla_policy leo_peer_del_policy[LEO_A_MAX + 1] = {
	LEO_ADDR_ATTRS,
	[LEO_A_REASON] = LEO_REASON_POLICY,
};

static const struct nla_policy leo_peer_get_policy[LEO_A_MAX + 1] = {
	LEO_ADDR_ATTRS,
};

static const struct nla_policy leo_peer_flush_policy[LEO_A_MAX + 1] = {
	[LEO_A_REASON] = LEO_REASON_POLICY,
};

static const struct nla_policy leo_subnet_policy[LEO_A_MAX + 1] = {
	LEO_ADDR_ATTRS,
	[LEO_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy leo_config_set_policy[LEO_A_MAX + 1] = {
	[LEO_A_MODE] = NLA_POLICY_MAX(NLA_U8, __LEO_MODE_MAX - 1),
	[LEO_A_HS_PORT] = { .type = NLA_U16 },
	[LEO_A_DEFAULT_VALIDITY_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &leo_default_validity_range),
	[LEO_A_HS_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &leo_hs_range),
	[LEO_A_HS_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &leo_hs_range),
	[LEO_A_HS_TOTAL_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &leo_hs_range),
	[LEO_A_AGENT_MARK] = { .type = NLA_U32 },
};

static const struct nla_policy leo_device_policy[LEO_A_MAX + 1] = {
	[LEO_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy leo_seal_policy[LEO_A_MAX + 1] = {
	[LEO_A_EXE_DIGEST] = LEO_DIGEST_POLICY,
};

#define LEO_ADMIN_OP(c, fn, pol)					\
	{ .cmd = c, .doit = fn, .policy = pol, .maxattr = LEO_A_MAX,	\
	  .flags = GENL_UNS_ADMIN_PERM }

/* Reads need the same capability as writes: peers and counters leak. */
#define LEO_READ_OP(c, fn)						\
	{ .cmd = c, .doit = fn, .flags = GENL_UNS_ADMIN_PERM }

/* A dump-only read: dumps bypass pre_doit, so start checks instead. */
#define LEO_DUMP_OP(c, fn)						\
	{ .cmd = c, .start = leo_nl_dump_start, .dumpit = fn,		\
	  .flags = GENL_UNS_ADMIN_PERM }

/*
 * resv_start_op is 0, so every op is validated strictly, and the core
 * gives the ops without a policy (the getters) one that rejects every
 * attribute.
 */
static const struct genl_ops leo_genl_ops[] = {
	LEO_ADMIN_OP(LEO_CMD_PEER_ADD, leo_nl_peer_add, leo_peer_add_policy),
	LEO_ADMIN_OP(LEO_CMD_PEER_SET, leo_nl_peer_set, leo_peer_set_policy),
	LEO_ADMIN_OP(LEO_CMD_PEER_DEL, leo_nl_peer_del, leo_peer_del_policy),
	{
		.cmd = LEO_CMD_PEER_GET,
		.doit = leo_nl_peer_get,
		.start = leo_nl_dump_start,
		.dumpit = leo_nl_peer_dump,
		.done = leo_nl_peer_dump_done,
		.policy = leo_peer_get_policy,
		.maxattr = LEO_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	LEO_ADMIN_OP(LEO_CMD_PEER_FLUSH, leo_nl_peer_flush,
		     leo_peer_flush_policy),
	LEO_ADMIN_OP(LEO_CMD_SUBNET_ADD, leo_nl_subnet_add, leo_subnet_policy),
	LEO_ADMIN_OP(LEO_CMD_SUBNET_DEL, leo_nl_subnet_del, leo_subnet_policy),
	LEO_DUMP_OP(LEO_CMD_SUBNET_GET, leo_nl_subnet_dump),
	LEO_ADMIN_OP(LEO_CMD_CONFIG_SET, leo_nl_config_set,
		     leo_config_set_policy),
	LEO_READ_OP(LEO_CMD_CONFIG_GET, leo_nl_config_get),
	LEO_READ_OP(LEO_CMD_STATS_GET, leo_nl_stats_get),
	LEO_ADMIN_OP(LEO_CMD_SEAL, leo_seal_doit, leo_seal_policy),
	LEO_ADMIN_OP(LEO_CMD_DEVICE_ADD, leo_nl_device_add, leo_device_policy),
	LEO_ADMIN_OP(LEO_CMD_DEVICE_DEL, leo_nl_device_del, leo_device_policy),
	LEO_DUMP_OP(LEO_CMD_DEVICE_GET, leo_nl_device_dump),
};

static const struct genl_multicast_group leo_mcgrps[] = {
	/*
	 * The core checks this over the namespace's owner only (there is
	 * no bind hook in 6.1); see docs/netlink.md.
	 */
	{ .name = LEO_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family leo_genl_family = {
	.name = LEO_GENL_NAME,
	.version = LEO_GENL_VERSION,
	.maxattr = LEO_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = leo_nl_pre_doit,
	.module = THIS_MODULE,
	.ops = leo_genl_ops,
	.n_ops = ARRAY_SIZE(leo_genl_ops),
	.mcgrps = leo_mcgrps,
	.n_mcgrps = ARRAY_SIZE(leo_mcgrps),
};

/* LEO_A_FAMILY and LEO_A_ADDR as one address; both required, consistent. */
int leo_get_addr(struct genl_info *info, struct leo_addr *addr)
{
	struct nlattr **a = info->attrs;
	u16 family;
	int len;

	if (LEO_MISSING(info, LEO_A_FAMILY) || LEO_MISSING(info, LEO_A_ADDR))
		return -EINVAL;
	family = nla_get_u16(a[LEO_A_FAMILY]);
	len = nla_len(a[LEO_A_ADDR]);
	if (family != AF_INET && family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LEO_A_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	if (len != (family == AF_INET ? 4 : 16)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[LEO_A_ADDR],
				    "address length does not match the family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	addr->family = family;
	memcpy(&addr->ip6, nla_data(a[LEO_A_ADDR]), len);
	return 0;
}

int leo_put_addr(struct sk_buff *skb, const struct leo_addr *addr)
{
	int len = addr->family == AF_INET ? 4 : 16;

	return nla_put_u16(skb, LEO_A_FAMILY, addr->family) ?:
	       nla_put(skb, LEO_A_ADDR, len, &addr->ip6);
}

int leo_put_config(struct sk_buff *skb, const struct leo_config *cfg)
{
	return nla_put_u8(skb, LEO_A_MODE, cfg->mode) ?:
	       nla_put_u16(skb, LEO_A_HS_PORT, cfg->hs_port) ?:
	       nla_put_u32(skb, LEO_A_DEFAULT_VALIDITY_MS,
			   cfg->default_validity_ms) ?:
	       nla_put_u32(skb, LEO_A_HS_RATE, cfg->hs_rate) ?:
	       nla_put_u32(skb, LEO_A_HS_BURST, cfg->hs_burst) ?:
	       nla_put_u32(skb, LEO_A_HS_TOTAL_RATE, cfg->hs_total_rate) ?:
	       nla_put_u32(skb, LEO_A_AGENT_MARK, cfg->agent_mark);
}

void leo_genl_send_event(struct net *net, struct sk_buff *skb)
{
	mutex_lock(&leo_genl_lock);
	if (leo_genl_live && genl_has_listeners(&leo_genl_family, net, 0))
		genlmsg_multicast_netns(&leo_genl_family, net, skb, 0, 0,
					GFP_KERNEL);
	else
		nlmsg_free(skb);
	mutex_unlock(&leo_genl_lock);
}

int leo_genl_register(void)
{
	int err = genl_register_family(&leo_genl_family);

	if (!err) {
		mutex_lock(&leo_genl_lock);
		leo_genl_live = true;
		mutex_unlock(&leo_genl_lock);
	}
	return err;
}

void leo_genl_unregister(void)
{
	mutex_lock(&leo_genl_lock);
	leo_genl_live = false;
	mutex_unlock(&leo_genl_lock);
	genl_unregister_family(&leo_genl_family);
}
