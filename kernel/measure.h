/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trust decisions of leo.ko, measured into IMA as critical data (label
 * "leo"), and the guard of the measured control plane.
 *
 * Every function here may sleep (IMA takes mutexes and allocates): call
 * them from process context only (netlink handlers, work items, module
 * init/exit), never from the packet path or a timer.
 */
#ifndef _LEO_MEASURE_H
#define _LEO_MEASURE_H

#include <linux/types.h>
#include <net/genetlink.h>

struct net;

enum leo_measure_op {
	LEO_MEASURE_PEER_ADD = 1,
	LEO_MEASURE_PEER_SET,
	LEO_MEASURE_PEER_DEL,
	LEO_MEASURE_PEER_EXPIRED,
	LEO_MEASURE_PEER_FLUSH,
	LEO_MEASURE_SUBNET_ADD,
	LEO_MEASURE_SUBNET_DEL,
	LEO_MEASURE_CONFIG,
	LEO_MEASURE_SEAL,
	LEO_MEASURE_MODULE_LOAD,
	LEO_MEASURE_MODULE_UNLOAD,
	LEO_MEASURE_DEVICE_ADD = 14,
	LEO_MEASURE_DEVICE_DEL,
};

/* A peer decision. @peer_id and @evidence may be NULL (not known). */
struct leo_measure_peer {
	u16 family;
	const void *addr;		/* 4 or 16 bytes */
	const u8 *peer_id;		/* LEO_PEER_ID_LEN bytes */
	const u8 *evidence;		/* LEO_DIGEST_LEN bytes */
	u32 validity_ms;
	u8 state;			/* enum leo_peer_state */
	u8 reason;			/* enum leo_reason */
};

int leo_measure_init(void);		/* module load record, securityfs */
void leo_measure_exit(void);		/* unload record, securityfs removal */

/*
 * The record functions return what IMA said: 0 once the record is in the
 * log. Callers that can take a decision back pass it to
 * leo_measure_verdict().
 */
int leo_measure_peer(struct net *net, enum leo_measure_op op,
		     const struct leo_measure_peer *p);
int leo_measure_subnet(struct net *net, enum leo_measure_op op, u16 family,
		       const void *addr, u8 prefixlen);
struct leo_config;
int leo_measure_config(struct net *net, const struct leo_config *cfg);
int leo_measure_device(struct net *net, enum leo_measure_op op, int ifindex,
		       const char *name);

/*
 * Fail closed on a decision's own record: 0 if the decision may stand
 * (IMA logged it, or require_ima is off), else an error with an extack
 * message, and the caller must leave (or put back) the state as it was.
 * Any failed record also turns measuring inactive, so the next mutating
 * command re-probes IMA in leo_control_check().
 */
int leo_measure_verdict(int ret, struct netlink_ext_ack *extack);
/*
 * @n (1..LEO_MEASURE_EXPIRED_MAX) peers lapsed and were removed together:
 * one record for all of them (one TPM extend). Must follow
 * leo_measure_reserve(), which takes the next place in the log while the
 * caller still holds the lock that ordered the decision (ln->lock); the
 * caller may then drop that lock before this call, which ends the
 * reservation.
 */
void leo_measure_reserve(void);
int leo_measure_peers_expired(struct net *net,
			      const struct leo_measure_peer *p, unsigned int n);
/*
 * The namespace's leo state is being torn down (pernet exit, also on
 * module unload): @peers peers and @subnets subnets are dropped.
 */
void leo_measure_netns_exit(struct net *net, u32 peers, u32 subnets);

/*
 * Gate for every mutating netlink command, called first in each handler:
 * returns 0 if the command may proceed, or -EPERM with an extack message
 * when the control plane is sealed to another executable, or when the
 * module requires a measuring IMA policy (parameter require_ima) and none
 * is present.
 */
int leo_control_check(struct genl_info *info);

/* Whether the control plane is sealed (LEO_A_SEALED in CONFIG_GET). */
bool leo_control_sealed(void);

/* LEO_CMD_SEAL handler. */
int leo_seal_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _LEO_MEASURE_H */
