// SPDX-License-Identifier: GPL-2.0
/* leo_nl: protected devices (add, del, dump). */
#include <errno.h>

#include "nl/nl_internal.h"

static int device_request(struct leo_nl *nl, uint8_t cmd, uint32_t ifindex)
{
	struct nl_msg *msg = leo_nl_msg_new(nl, cmd, 0);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (nla_put_u32(msg, LEO_A_IFINDEX, ifindex) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EMSGSIZE, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}

int leo_nl_device_add(struct leo_nl *nl, uint32_t ifindex)
{
	return device_request(nl, LEO_CMD_DEVICE_ADD, ifindex);
}

int leo_nl_device_del(struct leo_nl *nl, uint32_t ifindex)
{
	return device_request(nl, LEO_CMD_DEVICE_DEL, ifindex);
}

struct device_walk {
	struct leo_nl *nl;
	leo_device_cb cb;
	void *arg;
};

static int on_device(struct nlattr **tb, void *arg)
{
	struct device_walk *walk = arg;
	struct leo_device dev = { 0 };

	if (!tb[LEO_A_IFINDEX])
		return leo_nl_fail(walk->nl, EPROTO,
				   "the kernel sent a device without an index");
	dev.ifindex = nla_get_u32(tb[LEO_A_IFINDEX]);
	/* The reply policy checked that the name fits, NUL included. */
	if (tb[LEO_A_IFNAME]) {
		dev.has_name = true;
		nla_strlcpy(dev.name, tb[LEO_A_IFNAME], sizeof(dev.name));
	}
	return walk->cb(&dev, walk->arg) ? 1 : 0;
}

int leo_nl_device_dump(struct leo_nl *nl, leo_device_cb cb, void *arg)
{
	struct device_walk walk = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_DEVICE_GET,
					    NLM_F_DUMP);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	return leo_nl_exchange(nl, msg, on_device, &walk);
}
