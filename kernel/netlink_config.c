// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for the namespace's configuration and statistics.
 *
 * Locking: CONFIG_SET records the new configuration in IMA, then changes
 * ln->cfg under ln->lock with WRITE_ONCE() (the packet path reads it
 * locklessly) and announces it on the events group. The getters take ln->lock for a consistent
 * snapshot; statistics are summed over the per-cpu counters.
 */
#include <net/genetlink.h>
#include "leo.h"
#include "measure.h"

static bool leo_config_given(struct nlattr **a)
{
	return a[LEO_A_MODE] || a[LEO_A_HS_PORT] ||
	       a[LEO_A_DEFAULT_VALIDITY_MS] || a[LEO_A_HS_RATE] ||
	       a[LEO_A_HS_BURST] || a[LEO_A_HS_TOTAL_RATE] ||
	       a[LEO_A_AGENT_MARK];
}

static void leo_config_apply(struct leo_config *cfg, struct nlattr **a)
{
	if (a[LEO_A_MODE])
		WRITE_ONCE(cfg->mode, nla_get_u8(a[LEO_A_MODE]));
	if (a[LEO_A_HS_PORT])
		WRITE_ONCE(cfg->hs_port, nla_get_u16(a[LEO_A_HS_PORT]));
	if (a[LEO_A_DEFAULT_VALIDITY_MS])
		WRITE_ONCE(cfg->default_validity_ms,
			   nla_get_u32(a[LEO_A_DEFAULT_VALIDITY_MS]));
	if (a[LEO_A_HS_RATE])
		WRITE_ONCE(cfg->hs_rate, nla_get_u32(a[LEO_A_HS_RATE]));
	if (a[LEO_A_HS_BURST])
		WRITE_ONCE(cfg->hs_burst, nla_get_u32(a[LEO_A_HS_BURST]));
	if (a[LEO_A_HS_TOTAL_RATE])
		WRITE_ONCE(cfg->hs_total_rate,
			   nla_get_u32(a[LEO_A_HS_TOTAL_RATE]));
	if (a[LEO_A_AGENT_MARK])
		WRITE_ONCE(cfg->agent_mark, nla_get_u32(a[LEO_A_AGENT_MARK]));
}

int leo_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct leo_config cfg;
	int err;

	err = leo_control_check(info);
	if (err)
		return err;
	if (!leo_config_given(info->attrs)) {
		NL_SET_ERR_MSG(info->extack, "no configuration attribute given");
		return -EINVAL;
	}
	mutex_lock(&ln->lock);
	err = leo_net_activate(ln);
	if (!err) {
		/* record the result first: not taken if IMA lost it */
		cfg = ln->cfg;
		leo_config_apply(&cfg, info->attrs);
		err = leo_measure_config(ln->net, &cfg);
		err = leo_measure_verdict(err, info->extack);
	}
	if (!err) {
		leo_config_apply(&ln->cfg, info->attrs);
		leo_event_config_changed(ln);
	}
	mutex_unlock(&ln->lock);
	return err;
}

static struct sk_buff *leo_reply_new(struct genl_info *info, u8 cmd,
				     void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &leo_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int leo_reply_send(struct genl_info *info, struct sk_buff *msg,
			  void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int leo_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = leo_reply_new(info, LEO_CMD_CONFIG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ln->lock);
	err = leo_put_config(msg, &ln->cfg) ?:
	      nla_put_u8(msg, LEO_A_SEALED, leo_control_sealed());
	mutex_unlock(&ln->lock);
	return leo_reply_send(info, msg, hdr, err);
}

static int leo_put_stats(struct sk_buff *msg, struct leo_net *ln)
{
	struct nlattr *nest = nla_nest_start(msg, LEO_A_STATS);
	int stat;

	if (!nest)
		return -EMSGSIZE;
	for (stat = LEO_STAT_PASSED; stat <= LEO_STAT_MAX; stat++) {
		if (nla_put_u64_64bit(msg, stat, leo_stat_sum(ln, stat),
				      LEO_STAT_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

int leo_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = leo_reply_new(info, LEO_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ln->lock);
	err = leo_put_stats(msg, ln) ?:
	      nla_put_u32(msg, LEO_A_PEER_COUNT, ln->peer_count) ?:
	      nla_put_u32(msg, LEO_A_SUBNET_COUNT, leo_subnet_count(ln)) ?:
	      nla_put_u32(msg, LEO_A_DEVICE_COUNT, leo_device_count(ln));
	mutex_unlock(&ln->lock);
	return leo_reply_send(info, msg, hdr, err);
}
