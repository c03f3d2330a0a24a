// SPDX-License-Identifier: GPL-2.0
/*
 * leo-load: fill leo.ko's tables fast, for the packet-path bench.
 *
 * One PEER_ADD per leoctl process costs a fork, an exec and a family
 * lookup per peer; 100,000 peers would take minutes in an emulated guest.
 * This program packs many PEER_ADD requests into each sendmsg() (the
 * kernel's generic netlink receive handles every message of a datagram in
 * turn) without asking for ACKs, so only failures come back, and then
 * sends a STATS_GET as a barrier: netlink answers in order, so once its
 * reply is in, every earlier request has been handled and every error
 * reported. Messages are built with libnl-genl.
 *
 * It also prints the same addresses as nftables set elements, so that the
 * nftables variant of the bench holds exactly the leo peer set.
 *
 * Usage:
 *   leo-load subnet PREFIX/LEN
 *   leo-load device IFNAME
 *   leo-load peers BASE COUNT [--offset K] [--validity-ms MS]
 *   leo-load stats
 *   leo-load nft-elements TABLE SET BASE COUNT [--offset K]
 * "peers" admits BASE+K .. BASE+K+COUNT-1 (offset added to the low 32 bits).
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/leo.h>

#include "bench_util.h"

#define BATCH_BYTES	(48 * 1024)	/* requests per sendmsg(), in bytes */
#define SYNC_EVERY	4096		/* barrier after this many requests */
#define NL_RCVBUF	(8 << 20)
#define NFT_PER_LINE	1000

struct leo_conn {
	struct nl_sock *sk;
	int family;
	uint32_t seq;
	/* filled by the callbacks */
	unsigned long errors;
	int first_error;
	bool barrier_seen;
	uint32_t barrier_seq;
	uint64_t stats[LEO_STAT_MAX + 1];
	uint32_t peer_count, subnet_count, device_count;
};

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct leo_conn *c = arg;

	(void)who;
	if (e->msg.nlmsg_seq == c->barrier_seq)
		c->barrier_seen = true;
	if (e->error) {
		c->errors++;
		if (!c->first_error)
			c->first_error = e->error;
	}
	return NL_SKIP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct leo_conn *c = arg;
	struct nlattr *tb[LEO_A_MAX + 1];
	struct nlattr *st[LEO_STAT_MAX + 1];
	int i;

	if (h->nlmsg_seq != c->barrier_seq)
		return NL_SKIP;
	c->barrier_seen = true;
	if (genlmsg_parse(h, 0, tb, LEO_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[LEO_A_PEER_COUNT])
		c->peer_count = nla_get_u32(tb[LEO_A_PEER_COUNT]);
	if (tb[LEO_A_SUBNET_COUNT])
		c->subnet_count = nla_get_u32(tb[LEO_A_SUBNET_COUNT]);
	if (tb[LEO_A_DEVICE_COUNT])
		c->device_count = nla_get_u32(tb[LEO_A_DEVICE_COUNT]);
	if (tb[LEO_A_STATS] &&
	    nla_parse_nested(st, LEO_STAT_MAX, tb[LEO_A_STATS], NULL) == 0)
		for (i = 0; i <= LEO_STAT_MAX; i++)
			if (st[i] && nla_len(st[i]) == 8)
				c->stats[i] = nla_get_u64(st[i]);
	return NL_SKIP;
}

static void leo_close(struct leo_conn *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

static int leo_connect(struct leo_conn *c)
{
	int size = NL_RCVBUF;

	memset(c, 0, sizeof(*c));
	c->seq = 1;
	c->sk = nl_socket_alloc();
	if (!c->sk || genl_connect(c->sk) < 0) {
		fprintf(stderr, "leo-load: cannot open a generic netlink socket\n");
		leo_close(c);
		return -1;
	}
	c->family = genl_ctrl_resolve(c->sk, LEO_GENL_NAME);
	if (c->family < 0) {
		fprintf(stderr, "leo-load: no '%s' netlink family (is leo.ko loaded?)\n",
			LEO_GENL_NAME);
		leo_close(c);
		return -1;
	}
	/* Room for the errors of a whole batch, should they all fail. */
	setsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		   sizeof(size));
	nl_socket_disable_seq_check(c->sk);
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, c);
	nl_socket_modify_err_cb(c->sk, NL_CB_CUSTOM, on_error, c);
	return 0;
}

/* A request with header only; the caller adds attributes. */
static struct nl_msg *new_request(struct leo_conn *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, 0, c->seq++, c->family, 0, NLM_F_REQUEST | flags,
			 cmd, LEO_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Send STATS_GET and wait for its reply (or error): all earlier requests
 * are then done and their errors counted. Fills peer/subnet counts.
 */
static int barrier(struct leo_conn *c)
{
	struct nl_msg *msg = new_request(c, LEO_CMD_STATS_GET, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	c->barrier_seq = nlmsg_hdr(msg)->nlmsg_seq;
	c->barrier_seen = false;
	err = nl_sendto(c->sk, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (err < 0)
		return err;
	while (!c->barrier_seen) {
		err = nl_recvmsgs_default(c->sk);
		if (err < 0) {
			fprintf(stderr, "leo-load: netlink receive: %s\n",
				nl_geterror(err));
			return err;
		}
	}
	return 0;
}

static int put_addr(struct nl_msg *msg, const struct bench_addr *a)
{
	if (nla_put_u16(msg, LEO_A_FAMILY, a->family) < 0 ||
	    nla_put(msg, LEO_A_ADDR, bench_addr_len(a), a->bytes) < 0)
		return -1;
	return 0;
}

/* A recognisable, distinct peer id per address (the bench checks no keys). */
static void bench_peer_id(const struct bench_addr *a, uint8_t *id)
{
	memset(id, 0xbe, LEO_PEER_ID_LEN);
	memcpy(id, a->bytes, bench_addr_len(a));
}

static struct nl_msg *peer_add_msg(struct leo_conn *c,
				   const struct bench_addr *a,
				   uint32_t validity_ms)
{
	struct nl_msg *msg = new_request(c, LEO_CMD_PEER_ADD, 0);
	uint8_t id[LEO_PEER_ID_LEN];

	if (!msg)
		return NULL;
	bench_peer_id(a, id);
	if (put_addr(msg, a) < 0 ||
	    nla_put(msg, LEO_A_PEER_ID, sizeof(id), id) < 0 ||
	    nla_put_u32(msg, LEO_A_VALIDITY_MS, validity_ms) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int flush_batch(struct leo_conn *c, char *buf, size_t *len)
{
	int err;

	if (!*len)
		return 0;
	err = nl_sendto(c->sk, buf, *len);
	*len = 0;
	if (err < 0) {
		fprintf(stderr, "leo-load: netlink send: %s\n", nl_geterror(err));
		return err;
	}
	return 0;
}

static int add_peers(struct leo_conn *c, const struct bench_addr *base,
		     uint32_t offset, uint32_t count, uint32_t validity_ms)
{
	static char buf[BATCH_BYTES];
	size_t len = 0;
	uint32_t i;

	for (i = 0; i < count; i++) {
		struct bench_addr a;
		struct nl_msg *msg;
		struct nlmsghdr *h;

		if (bench_addr_add(base, offset + i, &a) < 0)
			return -ERANGE;
		msg = peer_add_msg(c, &a, validity_ms);
		if (!msg)
			return -ENOMEM;
		h = nlmsg_hdr(msg);
		if (len + NLMSG_ALIGN(h->nlmsg_len) > sizeof(buf) &&
		    flush_batch(c, buf, &len) < 0) {
			nlmsg_free(msg);
			return -EIO;
		}
		memcpy(buf + len, h, h->nlmsg_len);
		len += NLMSG_ALIGN(h->nlmsg_len);
		nlmsg_free(msg);
		if ((i + 1) % SYNC_EVERY == 0 &&
		    (flush_batch(c, buf, &len) < 0 || barrier(c) < 0))
			return -EIO;
	}
	if (flush_batch(c, buf, &len) < 0 || barrier(c) < 0)
		return -EIO;
	return 0;
}

static int parse_prefix(const char *s, struct bench_addr *a, uint8_t *len)
{
	char buf[64];
	char *slash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (bench_parse_addr(buf, a) < 0)
		return -1;
	*len = bench_parse_uint(slash + 1, 0, bench_addr_len(a) * 8, "prefix length");
	return 0;
}

static int cmd_subnet(const char *prefix)
{
	struct leo_conn c;
	struct bench_addr a;
	struct nl_msg *msg;
	uint8_t plen;
	int err, ret = 1;

	if (parse_prefix(prefix, &a, &plen) < 0) {
		fprintf(stderr, "leo-load: bad prefix '%s'\n", prefix);
		return 2;
	}
	if (leo_connect(&c) < 0)
		return 1;
	msg = new_request(&c, LEO_CMD_SUBNET_ADD, 0);
	if (!msg || put_addr(msg, &a) < 0 ||
	    nla_put_u8(msg, LEO_A_PREFIXLEN, plen) < 0) {
		fprintf(stderr, "leo-load: cannot build request\n");
		goto out;
	}
	err = nl_sendto(c.sk, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	if (err < 0 || barrier(&c) < 0)
		goto out;
	if (c.errors) {
		fprintf(stderr, "leo-load: subnet %s: %s\n", prefix,
			strerror(-c.first_error));
		goto out;
	}
	printf("subnet %s added; %u subnet(s)\n", prefix, c.subnet_count);
	ret = 0;
out:
	nlmsg_free(msg);
	leo_close(&c);
	return ret;
}

/* DEVICE_ADD of IFNAME, a device of the current network namespace. */
static int cmd_device(const char *ifname)
{
	struct leo_conn c;
	struct nl_msg *msg;
	unsigned int ifindex;
	int err, ret = 1;

	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "leo-load: device %s: %s (no such device in this namespace?)\n",
			ifname, strerror(errno));
		return 1;
	}
	if (leo_connect(&c) < 0)
		return 1;
	msg = new_request(&c, LEO_CMD_DEVICE_ADD, 0);
	if (!msg || nla_put_u32(msg, LEO_A_IFINDEX, ifindex) < 0) {
		fprintf(stderr, "leo-load: cannot build request\n");
		goto out;
	}
	err = nl_sendto(c.sk, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	if (err < 0 || barrier(&c) < 0) {
		fprintf(stderr, "leo-load: device %s (ifindex %u): netlink request failed\n",
			ifname, ifindex);
		goto out;
	}
	if (c.errors) {
		fprintf(stderr, "leo-load: device %s (ifindex %u): %s\n", ifname,
			ifindex, strerror(-c.first_error));
		goto out;
	}
	printf("device %s (ifindex %u) protected; %u device(s)\n", ifname,
	       ifindex, c.device_count);
	ret = 0;
out:
	nlmsg_free(msg);
	leo_close(&c);
	return ret;
}

static int cmd_peers(const char *base_s, uint32_t count, uint32_t offset,
		     uint32_t validity_ms)
{
	struct bench_addr base;
	struct leo_conn c;
	uint64_t t0, t1;
	uint32_t before;
	int err;

	if (bench_parse_addr(base_s, &base) < 0) {
		fprintf(stderr, "leo-load: bad address '%s'\n", base_s);
		return 2;
	}
	if (leo_connect(&c) < 0 || barrier(&c) < 0) {
		leo_close(&c);
		return 1;
	}
	before = c.peer_count;
	t0 = bench_now_ns();
	err = add_peers(&c, &base, offset, count, validity_ms);
	t1 = bench_now_ns();
	if (err) {
		fprintf(stderr, "leo-load: peers: %s\n", strerror(-err));
		leo_close(&c);
		return 1;
	}
	printf("peers added=%u failed=%lu table=%u seconds=%.3f per_second=%.0f\n",
	       count - (uint32_t)c.errors, c.errors, c.peer_count,
	       (t1 - t0) / 1e9, count / ((t1 - t0) / 1e9));
	if (c.errors || c.peer_count != before + count) {
		fprintf(stderr, "leo-load: expected %u peers, table holds %u (first error: %s)\n",
			before + count, c.peer_count,
			c.first_error ? strerror(-c.first_error) : "none");
		leo_close(&c);
		return 1;
	}
	leo_close(&c);
	return 0;
}

static int cmd_stats(void)
{
	static const char *const names[LEO_STAT_MAX + 1] = {
		[LEO_STAT_PASSED] = "passed",
		[LEO_STAT_DROP_NO_PEER] = "drop_no_peer",
		[LEO_STAT_DROP_EXPIRED] = "drop_expired",
		[LEO_STAT_DROP_QUARANTINED] = "drop_quarantined",
		[LEO_STAT_HS_PASSED] = "hs_passed",
		[LEO_STAT_HS_RATELIMITED] = "hs_ratelimited",
		[LEO_STAT_MONITOR_PASSED] = "monitor_passed",
		[LEO_STAT_PEERS_EXPIRED] = "peers_expired",
		[LEO_STAT_EVENTS_SUPPRESSED] = "events_suppressed",
	};
	struct leo_conn c;
	int i;

	if (leo_connect(&c) < 0 || barrier(&c) < 0) {
		leo_close(&c);
		return 1;
	}
	if (c.errors) {
		fprintf(stderr, "leo-load: stats: %s\n", strerror(-c.first_error));
		leo_close(&c);
		return 1;
	}
	printf("stats peers=%u subnets=%u devices=%u", c.peer_count,
	       c.subnet_count, c.device_count);
	for (i = 0; i <= LEO_STAT_MAX; i++)
		if (names[i])
			printf(" %s=%llu", names[i], (unsigned long long)c.stats[i]);
	printf("\n");
	leo_close(&c);
	return 0;
}

/* "add element inet T S { a, b, ... }" lines, for `nft -f`. */
static int cmd_nft_elements(const char *table, const char *set,
			    const char *base_s, uint32_t count, uint32_t offset)
{
	struct bench_addr base, a;
	char str[64];
	uint32_t i;

	if (bench_parse_addr(base_s, &base) < 0) {
		fprintf(stderr, "leo-load: bad address '%s'\n", base_s);
		return 2;
	}
	for (i = 0; i < count; i++) {
		if (bench_addr_add(&base, offset + i, &a) < 0)
			return 1;
		if (i % NFT_PER_LINE == 0)
			printf("add element inet %s %s { ", table, set);
		printf("%s%s", bench_addr_str(&a, str),
		       (i + 1) % NFT_PER_LINE && i + 1 < count ? ", " : " }\n");
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: leo-load subnet PREFIX/LEN\n"
		"       leo-load device IFNAME\n"
		"       leo-load peers BASE COUNT [--offset K] [--validity-ms MS]\n"
		"       leo-load stats\n"
		"       leo-load nft-elements TABLE SET BASE COUNT [--offset K]\n");
	exit(2);
}

/* Optional "--offset K" and "--validity-ms MS" after the positionals. */
static void parse_tail(int argc, char **argv, int i, uint32_t *offset,
		       uint32_t *validity_ms)
{
	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--offset"))
			*offset = bench_parse_uint(argv[i + 1], 0, UINT32_MAX,
						   "--offset");
		else if (!strcmp(argv[i], "--validity-ms") && validity_ms)
			*validity_ms = bench_parse_uint(argv[i + 1], 1,
							LEO_MAX_VALIDITY_MS,
							"--validity-ms");
		else
			usage();
	}
}

int main(int argc, char **argv)
{
	uint32_t offset = 0, validity_ms = 3600 * 1000;

	if (argc == 3 && !strcmp(argv[1], "subnet"))
		return cmd_subnet(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "device"))
		return cmd_device(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "peers")) {
		parse_tail(argc, argv, 4, &offset, &validity_ms);
		return cmd_peers(argv[2],
				 bench_parse_uint(argv[3], 1, LEO_MAX_PEERS, "COUNT"),
				 offset, validity_ms);
	}
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return cmd_stats();
	if (argc >= 6 && !strcmp(argv[1], "nft-elements")) {
		parse_tail(argc, argv, 6, &offset, NULL);
		return cmd_nft_elements(argv[2], argv[3], argv[4],
					bench_parse_uint(argv[5], 1, 10000000, "COUNT"),
					offset);
	}
	usage();
	return 2;
}
