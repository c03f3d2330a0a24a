/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small raw generic netlink client for the leo selftests.
 *
 * Raw sockets rather than libnl, because the tests must also send what a
 * well-behaved library refuses to build: attributes with wrong lengths,
 * unknown types, truncated headers. Every request asks for an ACK and the
 * extended ACK (extack) so tests can check the kernel's error message.
 *
 * Not thread safe: one struct leo_sock per thread.
 */
#ifndef LEO_GENL_H
#define LEO_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/leo.h>

#define LEO_MSG_MAX 4096

struct leo_sock {
	int fd;
	uint16_t family_id;
	uint32_t events_group;		/* 0 if the family has none */
	uint32_t seq;
	char extack[256];		/* message of the last error, or "" */
	int miss_type;			/* attribute the kernel missed, or -1 */
	bool dump_intr;			/* last dump saw NLM_F_DUMP_INTR */
};

struct leo_msg {
	size_t len;
	union {
		struct nlmsghdr nlh;
		unsigned char buf[LEO_MSG_MAX];
	};
};

/* Attributes of one reply message, indexed by type (LEO_A_*). */
struct leo_attrs {
	const struct nlattr *tb[LEO_A_MAX + 1];
	uint16_t nlmsg_flags;
	uint8_t cmd;
};

/* Called for each reply message; return non-zero to stop with that value. */
typedef int (*leo_reply_cb)(const struct leo_attrs *a, void *arg);

int leo_open(struct leo_sock *s);
void leo_close(struct leo_sock *s);
int leo_subscribe_events(struct leo_sock *s);

void leo_msg_init(struct leo_msg *m, const struct leo_sock *s, uint8_t cmd,
		  uint16_t flags);
void leo_put(struct leo_msg *m, uint16_t type, const void *data, size_t len);
void leo_put_u8(struct leo_msg *m, uint16_t type, uint8_t v);
void leo_put_u16(struct leo_msg *m, uint16_t type, uint16_t v);
void leo_put_u32(struct leo_msg *m, uint16_t type, uint32_t v);
/* Puts LEO_A_FAMILY and LEO_A_ADDR parsed from "192.0.2.1" or "2001:db8::1". */
int leo_put_addr(struct leo_msg *m, const char *addr);

/*
 * Sends @m with NLM_F_ACK and reads replies until the ACK (or NLMSG_DONE of
 * a dump). Returns 0, a negative errno from the kernel (message in
 * s->extack), or the first non-zero value of @cb.
 */
int leo_transact(struct leo_sock *s, struct leo_msg *m, leo_reply_cb cb,
		 void *arg);
int leo_request(struct leo_sock *s, struct leo_msg *m);

/* Sends several messages packed back to back in @buf with one sendmsg(). */
int leo_send_batch(struct leo_sock *s, const void *buf, size_t len);
/* Reads and returns the first error of earlier batches, or 0 after @ms. */
int leo_drain_errors(struct leo_sock *s, int ms);

/* Receives one multicast event, waiting at most @ms. 0, -ETIMEDOUT, -errno. */
int leo_recv_event(struct leo_sock *s, struct leo_attrs *a, void *buf,
		   size_t buflen, int ms);

int leo_parse(const struct nlmsghdr *nlh, struct leo_attrs *a);
uint8_t leo_get_u8(const struct nlattr *na);
uint16_t leo_get_u16(const struct nlattr *na);
uint32_t leo_get_u32(const struct nlattr *na);
uint64_t leo_get_u64(const struct nlattr *na);
const void *leo_data(const struct nlattr *na);
size_t leo_len(const struct nlattr *na);

/* Stats: counters indexed by enum leo_stat. */
struct leo_stats {
	uint64_t c[LEO_STAT_MAX + 1];
	uint32_t peers;
	uint32_t subnets;
	uint32_t devices;
};
int leo_stats_get(struct leo_sock *s, struct leo_stats *st);
const char *leo_stat_name(unsigned int stat);

struct leo_config {
	uint8_t mode;
	uint16_t hs_port;
	uint32_t default_validity_ms;
	uint32_t hs_rate;
	uint32_t hs_burst;
	uint32_t hs_total_rate;
	uint32_t agent_mark;
	uint8_t sealed;
	bool complete;		/* every attribute was present */
};
int config_get(struct leo_sock *s, struct leo_config *c);

uint64_t leo_now_ms(void);	/* CLOCK_MONOTONIC */

#endif /* LEO_GENL_H */
