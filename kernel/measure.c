// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder: measurements are not recorded yet. Replaced by the IMA
 * integration (records into IMA critical data, label "leo").
 */
#include "measure.h"

int leo_measure_init(void)
{
	return 0;
}

void leo_measure_exit(void)
{
}

void leo_measure_peer(struct net *net, enum leo_measure_op op,
		      const struct leo_measure_peer *p)
{
}

void leo_measure_subnet(struct net *net, enum leo_measure_op op, u16 family,
			const void *addr, u8 prefixlen)
{
}

void leo_measure_config(struct net *net, u8 mode, u16 hs_port,
			u32 default_validity_ms)
{
}

int leo_control_check(struct genl_info *info)
{
	return 0;
}

int leo_seal_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
