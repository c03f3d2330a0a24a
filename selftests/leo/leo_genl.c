// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink client for the leo selftests; see leo_genl.h. */
#include "leo_genl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define RECV_BUF (64 * 1024)
#define NLA_DATA(na) ((void *)((char *)(na) + NLA_HDRLEN))
#define NLA_OK(na, rem) ((rem) >= (int)NLA_HDRLEN && \
			 (na)->nla_len >= NLA_HDRLEN && (na)->nla_len <= (rem))
#define NLA_NEXT(na, rem) ((rem) -= NLA_ALIGN((na)->nla_len), \
			   (const struct nlattr *)((const char *)(na) + \
						   NLA_ALIGN((na)->nla_len)))

uint64_t leo_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const void *leo_data(const struct nlattr *na)
{
	return (const char *)na + NLA_HDRLEN;
}

size_t leo_len(const struct nlattr *na)
{
	return na->nla_len - NLA_HDRLEN;
}

/* Readers copy, so a short attribute reads as zero-padded, never past it. */
static void get_bytes(const struct nlattr *na, void *out, size_t n)
{
	size_t have = leo_len(na);

	memset(out, 0, n);
	memcpy(out, leo_data(na), have < n ? have : n);
}

uint8_t leo_get_u8(const struct nlattr *na)
{
	uint8_t v;

	get_bytes(na, &v, sizeof(v));
	return v;
}

uint16_t leo_get_u16(const struct nlattr *na)
{
	uint16_t v;

	get_bytes(na, &v, sizeof(v));
	return v;
}

uint32_t leo_get_u32(const struct nlattr *na)
{
	uint32_t v;

	get_bytes(na, &v, sizeof(v));
	return v;
}

uint64_t leo_get_u64(const struct nlattr *na)
{
	uint64_t v;

	get_bytes(na, &v, sizeof(v));
	return v;
}

static void msg_init_raw(struct leo_msg *m, uint16_t type, uint8_t cmd,
			 uint8_t version, uint16_t flags, uint32_t seq)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh.nlmsg_seq = seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_len = m->len;
}

void leo_msg_init(struct leo_msg *m, const struct leo_sock *s, uint8_t cmd,
		  uint16_t flags)
{
	msg_init_raw(m, s->family_id, cmd, LEO_GENL_VERSION, flags, 0);
}

void leo_put(struct leo_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *na = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > sizeof(m->buf)) {
		fprintf(stderr, "leo_put: message full\n");
		return;
	}
	memset(na, 0, total);
	na->nla_type = type;
	na->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(na), data, len);
	m->len += total;
	m->nlh.nlmsg_len = m->len;
}

void leo_put_u8(struct leo_msg *m, uint16_t type, uint8_t v)
{
	leo_put(m, type, &v, sizeof(v));
}

void leo_put_u16(struct leo_msg *m, uint16_t type, uint16_t v)
{
	leo_put(m, type, &v, sizeof(v));
}

void leo_put_u32(struct leo_msg *m, uint16_t type, uint32_t v)
{
	leo_put(m, type, &v, sizeof(v));
}

int leo_put_addr(struct leo_msg *m, const char *addr)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, addr, a) == 1) {
		leo_put_u16(m, LEO_A_FAMILY, AF_INET);
		leo_put(m, LEO_A_ADDR, a, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, a) == 1) {
		leo_put_u16(m, LEO_A_FAMILY, AF_INET6);
		leo_put(m, LEO_A_ADDR, a, 16);
		return 0;
	}
	return -EINVAL;
}

int leo_parse(const struct nlmsghdr *nlh, struct leo_attrs *a)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *na;
	int rem;

	memset(a, 0, sizeof(*a));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	a->cmd = g->cmd;
	a->nlmsg_flags = nlh->nlmsg_flags;
	na = (const struct nlattr *)((const char *)g + GENL_HDRLEN);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	       na->nla_len <= rem) {
		uint16_t type = na->nla_type & NLA_TYPE_MASK;

		if (type <= LEO_A_MAX)
			a->tb[type] = na;
		rem -= NLA_ALIGN(na->nla_len);
		na = (const struct nlattr *)((const char *)na +
					     NLA_ALIGN(na->nla_len));
	}
	return 0;
}

/* Copies the extack message (NLMSGERR_ATTR_MSG) of an error reply, if any. */
static void copy_extack(struct leo_sock *s, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *na;
	size_t off;
	int rem;

	s->extack[0] = '\0';
	s->miss_type = -1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return;
	na = (const struct nlattr *)((const char *)e + NLMSG_ALIGN(off));
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off);
	while (rem >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	       na->nla_len <= rem) {
		if (na->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(s->extack, sizeof(s->extack), "%.*s",
				 (int)leo_len(na), (const char *)leo_data(na));
		if (na->nla_type == NLMSGERR_ATTR_MISS_TYPE)
			s->miss_type = leo_get_u32(na);
		rem -= NLA_ALIGN(na->nla_len);
		na = (const struct nlattr *)((const char *)na +
					     NLA_ALIGN(na->nla_len));
	}
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/*
 * Handles one received message of a transaction. Returns 1 when the
 * transaction is complete with *res set, 0 to keep reading.
 */
static int handle_reply(struct leo_sock *s, const struct nlmsghdr *nlh,
			uint32_t seq, leo_reply_cb cb, void *arg, int *res)
{
	struct leo_attrs a;
	int ret;

	if (nlh->nlmsg_seq != seq)
		return 0;	/* stale reply of an earlier batch */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		s->dump_intr = true;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (e->error)
			copy_extack(s, nlh);
		if (*res == 0)
			*res = e->error;
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump may end with an error code in NLMSG_DONE */
		int err = *(const int *)NLMSG_DATA(nlh);

		if (err)
			copy_extack(s, nlh);
		if (*res == 0)
			*res = err;
		return 1;
	}
	if (nlh->nlmsg_type != s->family_id || !cb || *res)
		return 0;
	leo_parse(nlh, &a);
	ret = cb(&a, arg);
	if (ret)
		*res = ret;
	return 0;
}

int leo_transact(struct leo_sock *s, struct leo_msg *m, leo_reply_cb cb,
		 void *arg)
{
	static unsigned char buf[RECV_BUF];
	uint32_t seq = ++s->seq;
	int res = 0;

	m->nlh.nlmsg_flags |= NLM_F_ACK;
	m->nlh.nlmsg_seq = seq;
	s->extack[0] = '\0';
	s->miss_type = -1;
	s->dump_intr = false;
	if (send(s->fd, m->buf, m->len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int err = wait_readable(s->fd, 30000);

		if (err)
			return err;
		n = recv(s->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			if (handle_reply(s, nlh, seq, cb, arg, &res))
				return res;
	}
}

int leo_request(struct leo_sock *s, struct leo_msg *m)
{
	return leo_transact(s, m, NULL, NULL);
}

int leo_send_batch(struct leo_sock *s, const void *buf, size_t len)
{
	ssize_t n = send(s->fd, buf, len, 0);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}

int leo_drain_errors(struct leo_sock *s, int ms)
{
	static unsigned char buf[RECV_BUF];
	int first = 0;

	while (wait_readable(s->fd, ms) == 0) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type == NLMSG_ERROR && e->error &&
			    !first) {
				copy_extack(s, nlh);
				first = e->error;
			}
		}
		ms = 0;
	}
	return first;
}

int leo_recv_event(struct leo_sock *s, struct leo_attrs *a, void *buf,
		   size_t buflen, int ms)
{
	uint64_t deadline = leo_now_ms() + ms;

	for (;;) {
		uint64_t now = leo_now_ms();
		struct nlmsghdr *nlh = buf;
		ssize_t n;
		int err;

		if (now >= deadline)
			return -ETIMEDOUT;
		err = wait_readable(s->fd, deadline - now);
		if (err)
			return err;
		n = recv(s->fd, buf, buflen, 0);
		if (n < 0)
			return -errno;
		if (!NLMSG_OK(nlh, n) || nlh->nlmsg_type != s->family_id)
			continue;
		leo_parse(nlh, a);
		if (a->cmd == LEO_CMD_EVENT)
			return 0;
	}
}

/* Reply of CTRL_CMD_GETFAMILY: the family id and the "events" group id. */
static int parse_family(struct leo_sock *s, const struct nlmsghdr *nlh)
{
	const struct nlattr *na, *grp, *ga;
	int rem, grem, garem;

	na = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) +
				     GENL_HDRLEN);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; NLA_OK(na, rem); na = NLA_NEXT(na, rem)) {
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			s->family_id = leo_get_u16(na);
		if ((na->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		grem = leo_len(na);
		for (grp = leo_data(na); NLA_OK(grp, grem);
		     grp = NLA_NEXT(grp, grem)) {
			const char *name = NULL;
			uint32_t id = 0;

			garem = leo_len(grp);
			for (ga = leo_data(grp); NLA_OK(ga, garem);
			     ga = NLA_NEXT(ga, garem)) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					name = leo_data(ga);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = leo_get_u32(ga);
			}
			if (name && !strcmp(name, LEO_MCGRP_EVENTS))
				s->events_group = id;
		}
	}
	return s->family_id ? 0 : -ENOENT;
}

static int resolve_family(struct leo_sock *s)
{
	unsigned char buf[8192];
	struct leo_msg m;
	struct nlmsghdr *nlh;
	ssize_t n;
	int err;

	msg_init_raw(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, ++s->seq);
	leo_put(&m, CTRL_ATTR_FAMILY_NAME, LEO_GENL_NAME,
		sizeof(LEO_GENL_NAME));
	if (send(s->fd, m.buf, m.len, 0) < 0)
		return -errno;
	err = wait_readable(s->fd, 5000);
	if (err)
		return err;
	n = recv(s->fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	nlh = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(nlh, n))
		return -EPROTO;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		return e->error ? e->error : -ENOENT;
	}
	return parse_family(s, nlh);
}

int leo_open(struct leo_sock *s)
{
	int one = 1, rcvbuf = 4 << 20;
	int err;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	/* best effort: a bigger buffer only makes large dumps faster */
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	err = resolve_family(s);
	if (err) {
		close(s->fd);
		s->fd = -1;
	}
	return err;
}

void leo_close(struct leo_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int leo_subscribe_events(struct leo_sock *s)
{
	if (!s->events_group)
		return -ENOENT;
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &s->events_group, sizeof(s->events_group)) < 0)
		return -errno;
	return 0;
}

static int stats_cb(const struct leo_attrs *a, void *arg)
{
	struct leo_stats *st = arg;
	const struct nlattr *na;
	int rem;

	if (a->tb[LEO_A_PEER_COUNT])
		st->peers = leo_get_u32(a->tb[LEO_A_PEER_COUNT]);
	if (a->tb[LEO_A_SUBNET_COUNT])
		st->subnets = leo_get_u32(a->tb[LEO_A_SUBNET_COUNT]);
	if (a->tb[LEO_A_DEVICE_COUNT])
		st->devices = leo_get_u32(a->tb[LEO_A_DEVICE_COUNT]);
	if (!a->tb[LEO_A_STATS])
		return -EPROTO;
	rem = leo_len(a->tb[LEO_A_STATS]);
	for (na = leo_data(a->tb[LEO_A_STATS]); NLA_OK(na, rem);
	     na = NLA_NEXT(na, rem)) {
		unsigned int type = na->nla_type & NLA_TYPE_MASK;

		if (type <= LEO_STAT_MAX && type != LEO_STAT_PAD)
			st->c[type] = leo_get_u64(na);
	}
	return 0;
}

int leo_stats_get(struct leo_sock *s, struct leo_stats *st)
{
	struct leo_msg m;

	memset(st, 0, sizeof(*st));
	leo_msg_init(&m, s, LEO_CMD_STATS_GET, 0);
	return leo_transact(s, &m, stats_cb, st);
}

const char *leo_stat_name(unsigned int stat)
{
	static const char *const names[] = {
		[LEO_STAT_PASSED] = "passed",
		[LEO_STAT_DROP_NO_PEER] = "drop_no_peer",
		[LEO_STAT_DROP_EXPIRED] = "drop_expired",
		[LEO_STAT_DROP_QUARANTINED] = "drop_quarantined",
		[LEO_STAT_HS_PASSED] = "hs_passed",
		[LEO_STAT_HS_RATELIMITED] = "hs_ratelimited",
		[LEO_STAT_MONITOR_PASSED] = "monitor_passed",
		[LEO_STAT_PEERS_EXPIRED] = "peers_expired",
		[LEO_STAT_EVENTS_SUPPRESSED] = "events_suppressed",
		[LEO_STAT_ICMP_ERRORS_PASSED] = "icmp_errors_passed",
	};

	if (stat > LEO_STAT_MAX || !names[stat])
		return NULL;
	return names[stat];
}

static int config_cb(const struct leo_attrs *a, void *arg)
{
	struct leo_config *c = arg;
	static const int need[] = {
		LEO_A_MODE, LEO_A_HS_PORT, LEO_A_DEFAULT_VALIDITY_MS,
		LEO_A_HS_RATE, LEO_A_HS_BURST, LEO_A_HS_TOTAL_RATE,
		LEO_A_AGENT_MARK, LEO_A_SEALED,
	};
	size_t i;

	c->complete = true;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!a->tb[need[i]])
			c->complete = false;
	if (!c->complete)
		return -EPROTO;
	c->mode = leo_get_u8(a->tb[LEO_A_MODE]);
	c->hs_port = leo_get_u16(a->tb[LEO_A_HS_PORT]);
	c->default_validity_ms = leo_get_u32(a->tb[LEO_A_DEFAULT_VALIDITY_MS]);
	c->hs_rate = leo_get_u32(a->tb[LEO_A_HS_RATE]);
	c->hs_burst = leo_get_u32(a->tb[LEO_A_HS_BURST]);
	c->hs_total_rate = leo_get_u32(a->tb[LEO_A_HS_TOTAL_RATE]);
	c->agent_mark = leo_get_u32(a->tb[LEO_A_AGENT_MARK]);
	c->sealed = leo_get_u8(a->tb[LEO_A_SEALED]);
	return 0;
}

int config_get(struct leo_sock *s, struct leo_config *c)
{
	struct leo_msg m;

	memset(c, 0, sizeof(*c));
	leo_msg_init(&m, s, LEO_CMD_CONFIG_GET, 0);
	return leo_transact(s, &m, config_cb, c);
}
