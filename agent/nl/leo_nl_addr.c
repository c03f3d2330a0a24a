// SPDX-License-Identifier: GPL-2.0
/* leo_nl: the LEO_A_FAMILY + LEO_A_ADDR pair, both directions. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/nl_internal.h"

static int addr_len(uint16_t family)
{
	switch (family) {
	case AF_INET:	return 4;
	case AF_INET6:	return 16;
	default:	return -1;
	}
}

int leo_nl_put_addr(struct nl_msg *msg, const struct leo_addr *addr)
{
	int len = addr_len(addr->family);

	if (len < 0)
		return -EAFNOSUPPORT;
	if (nla_put_u16(msg, LEO_A_FAMILY, addr->family) < 0 ||
	    nla_put(msg, LEO_A_ADDR, len, addr->bytes) < 0)
		return -EMSGSIZE;
	return 0;
}

int leo_nl_get_addr(struct nlattr **tb, struct leo_addr *addr)
{
	int len;

	memset(addr, 0, sizeof(*addr));
	if (!tb[LEO_A_FAMILY] || !tb[LEO_A_ADDR])
		return -EPROTO;
	addr->family = nla_get_u16(tb[LEO_A_FAMILY]);
	len = addr_len(addr->family);
	if (len < 0 || nla_len(tb[LEO_A_ADDR]) != len)
		return -EPROTO;
	memcpy(addr->bytes, nla_data(tb[LEO_A_ADDR]), len);
	return 0;
}
