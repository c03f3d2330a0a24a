/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of leo_nl shared by its files: the handle, one
 * request/response exchange, and attribute encoding helpers.
 */
#ifndef LEO_NL_INTERNAL_H
#define LEO_NL_INTERNAL_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl/leo_nl.h"

struct leo_nl {
	struct nl_sock *sk;
	int family_id;
	char errmsg[256];
};

/*
 * Called for each reply message with its attributes (already checked
 * against the reply policy). Return 0 to go on; a negative errno fails
 * the exchange; a positive value stops delivering further messages
 * (the rest are still read and discarded).
 */
typedef int (*leo_nl_reply_fn)(struct nlattr **tb, void *arg);

/* A new request of @cmd; flags are extra NLM_F_* (e.g. NLM_F_DUMP). */
struct nl_msg *leo_nl_msg_new(struct leo_nl *nl, uint8_t cmd, int flags);

/*
 * Sends @msg (and frees it), reads replies until the ACK, error or end of
 * dump. @reply may be NULL for commands without a reply.
 */
int leo_nl_exchange(struct leo_nl *nl, struct nl_msg *msg,
		    leo_nl_reply_fn reply, void *arg);

/* Record a local error message; returns -@err for convenience. */
int leo_nl_fail(struct leo_nl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int leo_nl_put_addr(struct nl_msg *msg, const struct leo_addr *addr);
/* Reads LEO_A_FAMILY/LEO_A_ADDR from a reply: 0 or -EPROTO. */
int leo_nl_get_addr(struct nlattr **tb, struct leo_addr *addr);
/*
 * Reads every setting (LEO_A_MODE ... LEO_A_AGENT_MARK, not LEO_A_SEALED)
 * from a config reply or event: 0, or -EPROTO if one is missing.
 */
int leo_nl_get_config(struct nlattr **tb, struct leo_config *cfg);
/* Sends a request built by @msg that has no reply data. */
int leo_nl_simple(struct leo_nl *nl, struct nl_msg *msg);

/* Attributes of a message from the kernel, checked by the reply policy. */
int leo_nl_parse(struct nlmsghdr *hdr, struct nlattr **tb);
const char *leo_nl_attr_name(int type);

#endif /* LEO_NL_INTERNAL_H */
