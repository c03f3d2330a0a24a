// SPDX-License-Identifier: GPL-2.0
/* leo_nl: namespace-wide settings, counters and sealing. */
#include <errno.h>
#include <string.h>

#include "nl/nl_internal.h"

static int put_config(struct nl_msg *msg, const struct leo_config *cfg)
{
	unsigned int f = cfg->fields;

	if ((f & LEO_CONFIG_F_MODE) &&
	    nla_put_u8(msg, LEO_A_MODE, cfg->mode) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_HS_PORT) &&
	    nla_put_u16(msg, LEO_A_HS_PORT, cfg->hs_port) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_VALIDITY) &&
	    nla_put_u32(msg, LEO_A_DEFAULT_VALIDITY_MS,
			cfg->default_validity_ms) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_HS_RATE) &&
	    nla_put_u32(msg, LEO_A_HS_RATE, cfg->hs_rate) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_HS_BURST) &&
	    nla_put_u32(msg, LEO_A_HS_BURST, cfg->hs_burst) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_HS_TOTAL_RATE) &&
	    nla_put_u32(msg, LEO_A_HS_TOTAL_RATE, cfg->hs_total_rate) < 0)
		return -EMSGSIZE;
	if ((f & LEO_CONFIG_F_AGENT_MARK) &&
	    nla_put_u32(msg, LEO_A_AGENT_MARK, cfg->agent_mark) < 0)
		return -EMSGSIZE;
	return 0;
}

int leo_nl_config_set(struct leo_nl *nl, const struct leo_config *cfg)
{
	struct nl_msg *msg;

	if (!cfg->fields)
		return leo_nl_fail(nl, EINVAL, "no setting to change");
	msg = leo_nl_msg_new(nl, LEO_CMD_CONFIG_SET, 0);
	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (put_config(msg, cfg) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EMSGSIZE, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}

int leo_nl_get_config(struct nlattr **tb, struct leo_config *cfg)
{
	if (!tb[LEO_A_MODE] || !tb[LEO_A_HS_PORT] ||
	    !tb[LEO_A_DEFAULT_VALIDITY_MS] || !tb[LEO_A_HS_RATE] ||
	    !tb[LEO_A_HS_BURST] || !tb[LEO_A_HS_TOTAL_RATE] ||
	    !tb[LEO_A_AGENT_MARK])
		return -EPROTO;
	cfg->mode = nla_get_u8(tb[LEO_A_MODE]);
	cfg->hs_port = nla_get_u16(tb[LEO_A_HS_PORT]);
	cfg->default_validity_ms = nla_get_u32(tb[LEO_A_DEFAULT_VALIDITY_MS]);
	cfg->hs_rate = nla_get_u32(tb[LEO_A_HS_RATE]);
	cfg->hs_burst = nla_get_u32(tb[LEO_A_HS_BURST]);
	cfg->hs_total_rate = nla_get_u32(tb[LEO_A_HS_TOTAL_RATE]);
	cfg->agent_mark = nla_get_u32(tb[LEO_A_AGENT_MARK]);
	return 0;
}

struct config_reply {
	struct leo_nl *nl;
	struct leo_config *out;
	bool seen;
};

static int on_config(struct nlattr **tb, void *arg)
{
	struct config_reply *r = arg;
	struct leo_config *cfg = r->out;

	if (!tb[LEO_A_SEALED] || leo_nl_get_config(tb, cfg) < 0)
		return leo_nl_fail(r->nl, EPROTO,
				   "the kernel sent an incomplete config");
	cfg->sealed = nla_get_u8(tb[LEO_A_SEALED]) != 0;
	r->seen = true;
	return 1;
}

int leo_nl_config_get(struct leo_nl *nl, struct leo_config *out)
{
	struct config_reply r = { .nl = nl, .out = out };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_CONFIG_GET, 0);
	int ret;

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	memset(out, 0, sizeof(*out));
	ret = leo_nl_exchange(nl, msg, on_config, &r);
	if (!ret && !r.seen)
		ret = leo_nl_fail(nl, EPROTO, "the kernel sent no config");
	return ret;
}

struct stats_reply {
	struct leo_nl *nl;
	struct leo_stats *out;
	bool seen;
};

static int on_stats(struct nlattr **tb, void *arg)
{
	struct stats_reply *r = arg;
	struct nlattr *nla;
	int rem;

	if (!tb[LEO_A_STATS] || !tb[LEO_A_PEER_COUNT] ||
	    !tb[LEO_A_SUBNET_COUNT] || !tb[LEO_A_DEVICE_COUNT])
		return leo_nl_fail(r->nl, EPROTO,
				   "the kernel sent incomplete stats");
	/* Counters this build does not know yet are skipped. */
	nla_for_each_nested(nla, tb[LEO_A_STATS], rem) {
		int type = nla_type(nla);

		if (type <= LEO_STAT_PAD || type > LEO_STAT_MAX)
			continue;
		if (nla_len(nla) != sizeof(uint64_t))
			return leo_nl_fail(r->nl, EPROTO,
					   "counter %d has a bad size", type);
		r->out->counter[type] = nla_get_u64(nla);
	}
	r->out->peer_count = nla_get_u32(tb[LEO_A_PEER_COUNT]);
	r->out->subnet_count = nla_get_u32(tb[LEO_A_SUBNET_COUNT]);
	r->out->device_count = nla_get_u32(tb[LEO_A_DEVICE_COUNT]);
	r->seen = true;
	return 1;
}

int leo_nl_stats_get(struct leo_nl *nl, struct leo_stats *out)
{
	struct stats_reply r = { .nl = nl, .out = out };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_STATS_GET, 0);
	int ret;

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	memset(out, 0, sizeof(*out));
	ret = leo_nl_exchange(nl, msg, on_stats, &r);
	if (!ret && !r.seen)
		ret = leo_nl_fail(nl, EPROTO, "the kernel sent no stats");
	return ret;
}

int leo_nl_seal(struct leo_nl *nl, const uint8_t digest[LEO_DIGEST_LEN])
{
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_SEAL, 0);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (nla_put(msg, LEO_A_EXE_DIGEST, LEO_DIGEST_LEN, digest) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EMSGSIZE, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}
