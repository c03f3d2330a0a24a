// SPDX-License-Identifier: GPL-2.0
/* leo_nl: protected subnets (add, del, dump). */
#include <errno.h>

#include "nl/nl_internal.h"

static int subnet_request(struct leo_nl *nl, uint8_t cmd,
			  const struct leo_prefix *subnet)
{
	struct nl_msg *msg = leo_nl_msg_new(nl, cmd, 0);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (leo_nl_put_addr(msg, &subnet->addr) < 0 ||
	    nla_put_u8(msg, LEO_A_PREFIXLEN, subnet->len) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EINVAL, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}

int leo_nl_subnet_add(struct leo_nl *nl, const struct leo_prefix *subnet)
{
	return subnet_request(nl, LEO_CMD_SUBNET_ADD, subnet);
}

int leo_nl_subnet_del(struct leo_nl *nl, const struct leo_prefix *subnet)
{
	return subnet_request(nl, LEO_CMD_SUBNET_DEL, subnet);
}

struct subnet_walk {
	struct leo_nl *nl;
	leo_subnet_cb cb;
	void *arg;
};

static int on_subnet(struct nlattr **tb, void *arg)
{
	struct subnet_walk *walk = arg;
	struct leo_prefix subnet;

	if (leo_nl_get_addr(tb, &subnet.addr) < 0 || !tb[LEO_A_PREFIXLEN])
		return leo_nl_fail(walk->nl, EPROTO,
				   "the kernel sent an incomplete subnet");
	subnet.len = nla_get_u8(tb[LEO_A_PREFIXLEN]);
	return walk->cb(&subnet, walk->arg) ? 1 : 0;
}

int leo_nl_subnet_dump(struct leo_nl *nl, leo_subnet_cb cb, void *arg)
{
	struct subnet_walk walk = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_SUBNET_GET,
					    NLM_F_DUMP);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	return leo_nl_exchange(nl, msg, on_subnet, &walk);
}
