// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink API of leo.ko, tested against the contract in
 * uapi/linux/leo.h: every command, a 100k-peer dump, every class of bad
 * input (right errno, an extack message, nothing changed) and callers
 * without CAP_NET_ADMIN.
 *
 * Each test runs in its own child (kselftest harness) inside a fresh
 * network namespace, and leo state is per namespace, so tests start from
 * an empty table and cannot disturb each other or the host.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "leo_genl.h"
#include "snapshot.h"

/*
 * The fixture's socket is s. Without the leo family the test skips when
 * run alone, and fails under run_tests.sh (LEO_SUITE set), which loaded
 * leo.ko: there its absence is a failure, not a reason to skip.
 */
#define REQUIRE_LEO() do { \
	if (self->s.fd < 0 && getenv("LEO_SUITE")) { \
		TH_LOG("leo genl family not found, but the suite loads leo.ko"); \
		ASSERT_GE(self->s.fd, 0); \
	} \
	if (self->s.fd < 0) \
		SKIP(return, "leo genl family not found: leo.ko not loaded"); \
} while (0)

#define ASSERT_REQ(expected, req) do { \
	int __r = (req); \
	if (__r != (expected)) \
		TH_LOG("got %d (%s), extack \"%s\"", __r, strerror(-__r), \
		       self->s.extack); \
	ASSERT_EQ((expected), __r); \
} while (0)

static void enter_new_netns(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) {
		TH_LOG("unshare(CLONE_NEWNET): %s", strerror(errno));
	}
}

static void fill_id(uint8_t *id, uint32_t seed)
{
	memset(id, 0xa5, LEO_PEER_ID_LEN);
	memcpy(id, &seed, sizeof(seed));
}

static int peer_add(struct leo_sock *s, const char *addr, uint32_t validity,
		    int state, uint32_t seed)
{
	uint8_t id[LEO_PEER_ID_LEN];
	struct leo_msg m;

	fill_id(id, seed);
	leo_msg_init(&m, s, LEO_CMD_PEER_ADD, 0);
	leo_put_addr(&m, addr);
	leo_put(&m, LEO_A_PEER_ID, id, sizeof(id));
	if (validity)
		leo_put_u32(&m, LEO_A_VALIDITY_MS, validity);
	if (state >= 0)
		leo_put_u8(&m, LEO_A_STATE, state);
	return leo_request(s, &m);
}

static int addr_cmd(struct leo_sock *s, uint8_t cmd, const char *addr)
{
	struct leo_msg m;

	leo_msg_init(&m, s, cmd, 0);
	leo_put_addr(&m, addr);
	return leo_request(s, &m);
}

static int subnet_cmd(struct leo_sock *s, uint8_t cmd, const char *addr,
		      uint8_t plen)
{
	struct leo_msg m;

	leo_msg_init(&m, s, cmd, 0);
	leo_put_addr(&m, addr);
	leo_put_u8(&m, LEO_A_PREFIXLEN, plen);
	return leo_request(s, &m);
}

struct peer_reply {
	int seen;
	struct leo_attrs a;
	unsigned char copy[LEO_MSG_MAX];
};

/* Keeps one reply of a PEER_GET doit (attributes point into copy). */
static int keep_peer(const struct leo_attrs *a, void *arg)
{
	struct peer_reply *r = arg;
	const struct nlattr *first = NULL;
	size_t i;

	r->seen++;
	memset(&r->a, 0, sizeof(r->a));
	for (i = 0; i <= LEO_A_MAX; i++)
		if (a->tb[i] && (!first || a->tb[i] < first))
			first = a->tb[i];
	for (i = 0; i <= LEO_A_MAX; i++) {
		size_t off;

		if (!a->tb[i])
			continue;
		off = (const char *)a->tb[i] - (const char *)first;
		if (off + a->tb[i]->nla_len > sizeof(r->copy))
			continue;
		memcpy(r->copy + off, a->tb[i], a->tb[i]->nla_len);
		r->a.tb[i] = (const struct nlattr *)(r->copy + off);
	}
	return 0;
}

static int peer_get(struct leo_sock *s, const char *addr, struct peer_reply *r)
{
	struct leo_msg m;

	memset(r, 0, sizeof(*r));
	leo_msg_init(&m, s, LEO_CMD_PEER_GET, 0);
	leo_put_addr(&m, addr);
	return leo_transact(s, &m, keep_peer, r);
}

static int config_set_u32(struct leo_sock *s, uint16_t type, uint32_t v)
{
	struct leo_msg m;

	leo_msg_init(&m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(&m, type, v);
	return leo_request(s, &m);
}

FIXTURE(api) {
	struct leo_sock s;
};

FIXTURE_SETUP(api)
{
	enter_new_netns(_metadata);
	if (leo_open(&self->s))
		self->s.fd = -1;
}

FIXTURE_TEARDOWN(api)
{
	leo_close(&self->s);
}

TEST_F(api, peer_add_then_get_returns_every_field)
{
	uint8_t id[LEO_PEER_ID_LEN], ev[LEO_DIGEST_LEN], a4[4];
	struct peer_reply r;
	struct leo_msg m;
	uint64_t expires;

	REQUIRE_LEO();
	fill_id(id, 7);
	memset(ev, 0x3c, sizeof(ev));
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_ADD, 0);
	leo_put_addr(&m, "192.0.2.7");
	leo_put(&m, LEO_A_PEER_ID, id, sizeof(id));
	leo_put(&m, LEO_A_EVIDENCE, ev, sizeof(ev));
	leo_put_u32(&m, LEO_A_VALIDITY_MS, 60000);
	ASSERT_REQ(0, leo_request(&self->s, &m));

	ASSERT_REQ(0, peer_get(&self->s, "192.0.2.7", &r));
	ASSERT_EQ(1, r.seen);
	ASSERT_NE(NULL, r.a.tb[LEO_A_FAMILY]);
	ASSERT_EQ(AF_INET, leo_get_u16(r.a.tb[LEO_A_FAMILY]));
	ASSERT_NE(NULL, r.a.tb[LEO_A_ADDR]);
	ASSERT_EQ(4, leo_len(r.a.tb[LEO_A_ADDR]));
	inet_pton(AF_INET, "192.0.2.7", a4);
	ASSERT_EQ(0, memcmp(a4, leo_data(r.a.tb[LEO_A_ADDR]), 4));
	ASSERT_NE(NULL, r.a.tb[LEO_A_PEER_ID]);
	ASSERT_EQ(0, memcmp(id, leo_data(r.a.tb[LEO_A_PEER_ID]), sizeof(id)));
	ASSERT_NE(NULL, r.a.tb[LEO_A_EVIDENCE]);
	ASSERT_EQ(0, memcmp(ev, leo_data(r.a.tb[LEO_A_EVIDENCE]), sizeof(ev)));
	ASSERT_NE(NULL, r.a.tb[LEO_A_STATE]);
	ASSERT_EQ(LEO_PEER_ATTESTED, leo_get_u8(r.a.tb[LEO_A_STATE]));
	ASSERT_NE(NULL, r.a.tb[LEO_A_EXPIRES_MS]);
	expires = leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]);
	ASSERT_GT(expires, 50000);
	ASSERT_LE(expires, 60000);
	ASSERT_NE(NULL, r.a.tb[LEO_A_RX_PACKETS]);
	ASSERT_NE(NULL, r.a.tb[LEO_A_RX_BYTES]);
	ASSERT_NE(NULL, r.a.tb[LEO_A_TX_PACKETS]);
	ASSERT_NE(NULL, r.a.tb[LEO_A_TX_BYTES]);
	ASSERT_EQ(0, leo_get_u64(r.a.tb[LEO_A_RX_PACKETS]));
}

TEST_F(api, peer_add_ipv6_uses_default_validity)
{
	struct peer_reply r;
	uint64_t expires;

	REQUIRE_LEO();
	ASSERT_REQ(0, peer_add(&self->s, "2001:db8::7", 0, -1, 1));
	ASSERT_REQ(0, peer_get(&self->s, "2001:db8::7", &r));
	ASSERT_NE(NULL, r.a.tb[LEO_A_FAMILY]);
	ASSERT_EQ(AF_INET6, leo_get_u16(r.a.tb[LEO_A_FAMILY]));
	ASSERT_EQ(16, leo_len(r.a.tb[LEO_A_ADDR]));
	ASSERT_EQ(NULL, r.a.tb[LEO_A_EVIDENCE]);
	ASSERT_NE(NULL, r.a.tb[LEO_A_EXPIRES_MS]);
	expires = leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]);
	ASSERT_GT(expires, LEO_DEFAULT_VALIDITY_MS - 10000);
	ASSERT_LE(expires, LEO_DEFAULT_VALIDITY_MS);

	/* a changed default applies to peers added afterwards */
	ASSERT_REQ(0, config_set_u32(&self->s, LEO_A_DEFAULT_VALIDITY_MS,
				     30000));
	ASSERT_REQ(0, peer_add(&self->s, "2001:db8::8", 0, -1, 2));
	ASSERT_REQ(0, peer_get(&self->s, "2001:db8::8", &r));
	expires = leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]);
	ASSERT_GT(expires, 20000);
	ASSERT_LE(expires, 30000);
}

TEST_F(api, peer_set_quarantines_renews_and_readmits)
{
	uint8_t id[LEO_PEER_ID_LEN];
	struct peer_reply r;
	struct leo_msg m;

	REQUIRE_LEO();
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.8", 60000, -1, 8));

	leo_msg_init(&m, &self->s, LEO_CMD_PEER_SET, 0);
	leo_put_addr(&m, "192.0.2.8");
	leo_put_u8(&m, LEO_A_STATE, LEO_PEER_QUARANTINED);
	leo_put_u8(&m, LEO_A_REASON, LEO_REASON_ATTESTATION_FAILED);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	ASSERT_REQ(0, peer_get(&self->s, "192.0.2.8", &r));
	ASSERT_EQ(LEO_PEER_QUARANTINED, leo_get_u8(r.a.tb[LEO_A_STATE]));

	fill_id(id, 9);
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_SET, 0);
	leo_put_addr(&m, "192.0.2.8");
	leo_put_u8(&m, LEO_A_STATE, LEO_PEER_ATTESTED);
	leo_put_u32(&m, LEO_A_VALIDITY_MS, 5000);
	leo_put(&m, LEO_A_PEER_ID, id, sizeof(id));
	leo_put_u8(&m, LEO_A_REASON, LEO_REASON_REATTESTED);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	ASSERT_REQ(0, peer_get(&self->s, "192.0.2.8", &r));
	ASSERT_EQ(LEO_PEER_ATTESTED, leo_get_u8(r.a.tb[LEO_A_STATE]));
	ASSERT_LE(leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]), 5000);
	ASSERT_GT(leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]), 0);
	ASSERT_EQ(0, memcmp(id, leo_data(r.a.tb[LEO_A_PEER_ID]), sizeof(id)));
}

TEST_F(api, peer_del_removes_only_that_peer)
{
	struct peer_reply r;
	struct snapshot snap;

	REQUIRE_LEO();
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.9", 60000, -1, 9));
	ASSERT_REQ(0, peer_add(&self->s, "2001:db8::9", 60000, -1, 10));
	ASSERT_REQ(0, addr_cmd(&self->s, LEO_CMD_PEER_DEL, "192.0.2.9"));
	ASSERT_REQ(-ENOENT, peer_get(&self->s, "192.0.2.9", &r));
	ASSERT_REQ(0, peer_get(&self->s, "2001:db8::9", &r));
	ASSERT_EQ(0, snapshot_take(&self->s, &snap));
	ASSERT_EQ(1, snap.npeers);
	snapshot_free(&snap);
}

/* Adds n peers, alternating families, and checks a dump returns them. */
TEST_F(api, peer_dump_returns_every_peer_once)
{
	struct snapshot snap;
	char addr[64];
	int i;

	REQUIRE_LEO();
	for (i = 0; i < 300; i++) {
		if (i % 2)
			snprintf(addr, sizeof(addr), "2001:db8:2::%x", i);
		else
			snprintf(addr, sizeof(addr), "198.51.100.%d", i / 2);
		ASSERT_REQ(0, peer_add(&self->s, addr, 60000, i % 3 ? 0 : 1,
				       i));
	}
	ASSERT_EQ(0, snapshot_take(&self->s, &snap));
	ASSERT_EQ(300, snap.npeers);
	ASSERT_EQ(0, snapshot_duplicates(&snap));
	ASSERT_FALSE(self->s.dump_intr);
	snapshot_free(&snap);
}

TEST_F(api, peer_flush_empties_the_table)
{
	struct leo_stats st;
	struct snapshot snap;
	struct leo_msg m;

	REQUIRE_LEO();
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.11", 60000, -1, 11));
	ASSERT_REQ(0, peer_add(&self->s, "2001:db8::11", 60000, 1, 12));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "192.0.2.0",
				 24));
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_FLUSH, 0);
	leo_put_u8(&m, LEO_A_REASON, LEO_REASON_ADMIN);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	ASSERT_EQ(0, snapshot_take(&self->s, &snap));
	ASSERT_EQ(0, snap.npeers);
	ASSERT_EQ(1, snap.nsubnets);	/* subnets are not peers */
	snapshot_free(&snap);
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(0, st.peers);
	ASSERT_EQ(1, st.subnets);
}

TEST_F(api, subnet_add_dump_del)
{
	struct snapshot snap;

	REQUIRE_LEO();
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "192.0.2.0",
				 24));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "2001:db8::",
				 64));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "203.0.113.128",
				 25));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "0.0.0.0", 0));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD,
				 "2001:db8::5", 128));
	ASSERT_EQ(0, snapshot_take(&self->s, &snap));
	ASSERT_EQ(5, snap.nsubnets);
	ASSERT_TRUE(snapshot_has(&snap, "subnet 2 192.0.2.0/24"));
	ASSERT_TRUE(snapshot_has(&snap, "subnet 10 2001:db8::/64"));
	ASSERT_TRUE(snapshot_has(&snap, "subnet 2 203.0.113.128/25"));
	snapshot_free(&snap);

	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_DEL, "192.0.2.0",
				 24));
	ASSERT_REQ(-ENOENT, subnet_cmd(&self->s, LEO_CMD_SUBNET_DEL,
				       "192.0.2.0", 24));
	ASSERT_EQ(0, snapshot_take(&self->s, &snap));
	ASSERT_EQ(4, snap.nsubnets);
	ASSERT_FALSE(snapshot_has(&snap, "subnet 2 192.0.2.0/24"));
	snapshot_free(&snap);
}

TEST_F(api, subnet_table_full_is_enospc)
{
	struct snapshot before, after;
	char addr[64];
	unsigned int i;

	REQUIRE_LEO();
	for (i = 0; i < LEO_MAX_SUBNETS; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:%x::", i);
		ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, addr,
					 48));
	}
	ASSERT_EQ(0, snapshot_take(&self->s, &before));
	ASSERT_EQ(LEO_MAX_SUBNETS, before.nsubnets);
	ASSERT_REQ(-ENOSPC, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD,
				       "192.0.2.0", 24));
	ASSERT_NE(0, self->s.extack[0]);
	ASSERT_EQ(0, snapshot_take(&self->s, &after));
	ASSERT_EQ(0, snapshot_diff(&before, &after));
	snapshot_free(&before);
	snapshot_free(&after);
}

TEST_F(api, config_defaults_and_set)
{
	struct leo_config c;
	struct leo_msg m;

	REQUIRE_LEO();
	ASSERT_REQ(0, config_get(&self->s, &c));
	ASSERT_EQ(LEO_MODE_ENFORCE, c.mode);
	ASSERT_EQ(LEO_DEFAULT_HS_PORT, c.hs_port);
	ASSERT_EQ(LEO_DEFAULT_VALIDITY_MS, c.default_validity_ms);
	ASSERT_EQ(LEO_DEFAULT_HS_RATE, c.hs_rate);
	ASSERT_EQ(LEO_DEFAULT_HS_BURST, c.hs_burst);
	ASSERT_EQ(LEO_DEFAULT_HS_TOTAL_RATE, c.hs_total_rate);
	ASSERT_EQ(0, c.agent_mark);	/* no exemption until an agent registers */
	ASSERT_EQ(0, c.sealed);

	leo_msg_init(&m, &self->s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u8(&m, LEO_A_MODE, LEO_MODE_MONITOR);
	leo_put_u16(&m, LEO_A_HS_PORT, 0);
	leo_put_u32(&m, LEO_A_DEFAULT_VALIDITY_MS, LEO_MAX_VALIDITY_MS);
	leo_put_u32(&m, LEO_A_HS_RATE, 1000000);
	leo_put_u32(&m, LEO_A_HS_BURST, 1);
	leo_put_u32(&m, LEO_A_HS_TOTAL_RATE, 7);
	leo_put_u32(&m, LEO_A_AGENT_MARK, 0xffffffff);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	ASSERT_REQ(0, config_get(&self->s, &c));
	ASSERT_EQ(7, c.hs_total_rate);
	ASSERT_EQ(0xffffffff, c.agent_mark);
	ASSERT_EQ(LEO_MODE_MONITOR, c.mode);
	ASSERT_EQ(0, c.hs_port);
	ASSERT_EQ(LEO_MAX_VALIDITY_MS, c.default_validity_ms);
	ASSERT_EQ(1000000, c.hs_rate);
	ASSERT_EQ(1, c.hs_burst);

	/* one attribute alone changes only that setting */
	ASSERT_REQ(0, config_set_u32(&self->s, LEO_A_HS_RATE, 1));
	ASSERT_REQ(0, config_get(&self->s, &c));
	ASSERT_EQ(1, c.hs_rate);
	ASSERT_EQ(LEO_MODE_MONITOR, c.mode);
	ASSERT_EQ(1, c.hs_burst);
}

static int device_cmd(struct leo_sock *s, uint8_t cmd, uint32_t ifindex)
{
	struct leo_msg m;

	leo_msg_init(&m, s, cmd, 0);
	leo_put_u32(&m, LEO_A_IFINDEX, ifindex);
	return leo_request(s, &m);
}

static int count_device(const struct leo_attrs *a, void *arg)
{
	int *n = arg;

	if (a->tb[LEO_A_IFINDEX] && a->tb[LEO_A_IFNAME] &&
	    !strcmp(leo_data(a->tb[LEO_A_IFNAME]), "leo-t0"))
		(*n)++;
	return 0;
}

/* Devices of this namespace: add, dump, refuse twice, delete; gone with it. */
TEST_F(api, device_add_dump_del_and_unregister)
{
	struct leo_stats st;
	struct leo_msg m;
	unsigned int idx;
	int n = 0;

	REQUIRE_LEO();
	ASSERT_EQ(0, system("ip link add leo-t0 type dummy"));
	idx = if_nametoindex("leo-t0");
	ASSERT_NE(0, idx);
	ASSERT_REQ(0, device_cmd(&self->s, LEO_CMD_DEVICE_ADD, idx));
	ASSERT_REQ(-EEXIST, device_cmd(&self->s, LEO_CMD_DEVICE_ADD, idx));
	leo_msg_init(&m, &self->s, LEO_CMD_DEVICE_GET, NLM_F_DUMP);
	ASSERT_REQ(0, leo_transact(&self->s, &m, count_device, &n));
	ASSERT_EQ(1, n);
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(1, st.devices);
	ASSERT_REQ(0, device_cmd(&self->s, LEO_CMD_DEVICE_DEL, idx));
	ASSERT_REQ(-ENOENT, device_cmd(&self->s, LEO_CMD_DEVICE_DEL, idx));
	/* a protected device that goes away leaves the set */
	ASSERT_REQ(0, device_cmd(&self->s, LEO_CMD_DEVICE_ADD, idx));
	ASSERT_EQ(0, system("ip link del leo-t0"));
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(0, st.devices);
	ASSERT_REQ(-ENODEV, device_cmd(&self->s, LEO_CMD_DEVICE_ADD, idx));
}

TEST_F(api, stats_count_peers_and_subnets)
{
	struct leo_stats st;
	unsigned int i;

	REQUIRE_LEO();
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(0, st.peers);
	ASSERT_EQ(0, st.subnets);
	for (i = LEO_STAT_PASSED; i <= LEO_STAT_MAX; i++)
		ASSERT_EQ(0, st.c[i]);
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.12", 60000, -1, 12));
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.13", 60000, -1, 13));
	ASSERT_REQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "192.0.2.0",
				 24));
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(2, st.peers);
	ASSERT_EQ(1, st.subnets);
}

/* Each namespace has its own table: a peer added here is absent there. */
TEST_F(api, state_is_per_network_namespace)
{
	struct leo_sock other;
	struct leo_stats st;

	REQUIRE_LEO();
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.14", 60000, -1, 14));
	enter_new_netns(_metadata);
	ASSERT_EQ(0, leo_open(&other));
	ASSERT_EQ(0, leo_stats_get(&other, &st));
	ASSERT_EQ(0, st.peers);
	ASSERT_EQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(1, st.peers);
	leo_close(&other);
}

TEST_F_TIMEOUT(api, peer_expiry_sends_event_and_counts, 20)
{
	unsigned char buf[LEO_MSG_MAX];
	struct leo_sock ev;
	struct leo_attrs a;
	struct leo_stats st;
	struct peer_reply r;
	uint64_t t0, dt;
	uint8_t a4[4];
	int err;

	REQUIRE_LEO();
	ASSERT_EQ(0, leo_open(&ev));
	ASSERT_EQ(0, leo_subscribe_events(&ev));
	t0 = leo_now_ms();
	ASSERT_REQ(0, peer_add(&self->s, "192.0.2.15", 500, -1, 15));
	for (;;) {
		err = leo_recv_event(&ev, &a, buf, sizeof(buf), 3000);
		ASSERT_EQ(0, err) {
			TH_LOG("no LEO_EVENT_PEER_EXPIRED within 3 s");
		}
		ASSERT_NE(NULL, a.tb[LEO_A_EVENT]);
		if (leo_get_u8(a.tb[LEO_A_EVENT]) == LEO_EVENT_PEER_EXPIRED)
			break;
	}
	dt = leo_now_ms() - t0;
	TH_LOG("expiry event %llu ms after a 500 ms validity",
	       (unsigned long long)dt);
	ASSERT_GE(dt, 450);
	ASSERT_LT(dt, 1500);
	ASSERT_NE(NULL, a.tb[LEO_A_FAMILY]);
	ASSERT_EQ(AF_INET, leo_get_u16(a.tb[LEO_A_FAMILY]));
	ASSERT_NE(NULL, a.tb[LEO_A_ADDR]);
	inet_pton(AF_INET, "192.0.2.15", a4);
	ASSERT_EQ(0, memcmp(a4, leo_data(a.tb[LEO_A_ADDR]), 4));
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(1, st.c[LEO_STAT_PEERS_EXPIRED]);
	/* an expired peer is either gone or reports 0 ms left */
	err = peer_get(&self->s, "192.0.2.15", &r);
	if (err == 0) {
		ASSERT_EQ(0, leo_get_u64(r.a.tb[LEO_A_EXPIRES_MS]));
	} else {
		ASSERT_REQ(-ENOENT, err);
	}
	leo_close(&ev);
}

/* A failed expectation in a forked child: say where, exit non-zero. */
#define CHILD_EXPECT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, \
			#cond); \
		return 1; \
	} \
} while (0)

static int dump_cmd(struct leo_sock *s, uint8_t cmd)
{
	struct leo_msg m;

	leo_msg_init(&m, s, cmd, NLM_F_DUMP);
	return leo_request(s, &m);
}

static int bare_cmd(struct leo_sock *s, uint8_t cmd)
{
	struct leo_msg m;

	leo_msg_init(&m, s, cmd, 0);
	return leo_request(s, &m);
}

/*
 * Every command, each well formed so that only the permission check can
 * refuse it: all -EPERM for a caller on @u. The kernel core checks the
 * events group against the owner of the network namespace only (Linux
 * 6.1 has no bind hook for a family), so a namespace's owner may join its
 * group; leo never configured such a namespace, so nothing is sent there.
 */
static int every_command_is_eperm(struct leo_sock *u, bool owns_netns)
{
	uint8_t digest[LEO_DIGEST_LEN] = { 1 };
	struct peer_reply r;
	struct leo_stats st;
	struct leo_config c;
	struct leo_msg m;

	CHILD_EXPECT(peer_add(u, "192.0.2.17", 60000, -1, 17) == -EPERM);
	leo_msg_init(&m, u, LEO_CMD_PEER_SET, 0);
	leo_put_addr(&m, "192.0.2.16");
	leo_put_u8(&m, LEO_A_STATE, LEO_PEER_QUARANTINED);
	CHILD_EXPECT(leo_request(u, &m) == -EPERM);
	CHILD_EXPECT(addr_cmd(u, LEO_CMD_PEER_DEL, "192.0.2.16") == -EPERM);
	CHILD_EXPECT(bare_cmd(u, LEO_CMD_PEER_FLUSH) == -EPERM);
	CHILD_EXPECT(subnet_cmd(u, LEO_CMD_SUBNET_DEL, "192.0.2.0", 24) ==
		     -EPERM);
	CHILD_EXPECT(subnet_cmd(u, LEO_CMD_SUBNET_ADD, "198.51.100.0", 24) ==
		     -EPERM);
	CHILD_EXPECT(config_set_u32(u, LEO_A_HS_RATE, 5) == -EPERM);
	CHILD_EXPECT(config_set_u32(u, LEO_A_AGENT_MARK, 7) == -EPERM);
	CHILD_EXPECT(device_cmd(u, LEO_CMD_DEVICE_ADD, 1) == -EPERM);
	CHILD_EXPECT(device_cmd(u, LEO_CMD_DEVICE_DEL, 1) == -EPERM);
	leo_msg_init(&m, u, LEO_CMD_SEAL, 0);
	leo_put(&m, LEO_A_EXE_DIGEST, digest, sizeof(digest));
	CHILD_EXPECT(leo_request(u, &m) == -EPERM);
	/* reads leak peers, prefixes and counters: refused as well */
	CHILD_EXPECT(peer_get(u, "192.0.2.16", &r) == -EPERM && !r.seen);
	CHILD_EXPECT(dump_cmd(u, LEO_CMD_PEER_GET) == -EPERM);
	CHILD_EXPECT(dump_cmd(u, LEO_CMD_SUBNET_GET) == -EPERM);
	CHILD_EXPECT(dump_cmd(u, LEO_CMD_DEVICE_GET) == -EPERM);
	CHILD_EXPECT(config_get(u, &c) == -EPERM);
	CHILD_EXPECT(leo_stats_get(u, &st) == -EPERM);
	if (!owns_netns)
		CHILD_EXPECT(leo_subscribe_events(u) == -EPERM);
	return 0;
}

/* Runs @fn(@arg) in a child process; its exit status (0: passed). */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int unshare_and_try_all(void *arg)
{
	int flags = *(int *)arg;
	struct leo_sock u;
	int ret;

	CHILD_EXPECT(unshare(flags) == 0);
	CHILD_EXPECT(leo_open(&u) == 0);
	ret = every_command_is_eperm(&u, flags & CLONE_NEWNET);
	leo_close(&u);
	return ret;
}

/* A table the refused callers try to read and change. */
static void populate(struct __test_metadata *_metadata, struct leo_sock *s)
{
	ASSERT_EQ(0, peer_add(s, "192.0.2.16", 60000, -1, 16));
	ASSERT_EQ(0, subnet_cmd(s, LEO_CMD_SUBNET_ADD, "192.0.2.0", 24));
}

/*
 * Caller without CAP_NET_ADMIN over the namespace: in a new user
 * namespace the process has every capability, but only there, not in the
 * user namespace that owns this network namespace.
 */
TEST_F(api, unprivileged_user_namespace_gets_eperm)
{
	struct snapshot before, after;
	int flags = CLONE_NEWUSER;

	REQUIRE_LEO();
	populate(_metadata, &self->s);
	ASSERT_EQ(0, snapshot_take(&self->s, &before));
	ASSERT_EQ(0, in_child(unshare_and_try_all, &flags));
	ASSERT_EQ(0, snapshot_take(&self->s, &after));
	ASSERT_EQ(0, snapshot_diff(&before, &after));
	snapshot_free(&before);
	snapshot_free(&after);
}

/*
 * `unshare -rn`: any local user owns a user and a network namespace of
 * its own and holds CAP_NET_ADMIN over them. By default that is not
 * enough for leo (parameter userns_admin), so it can neither read nor
 * configure leo there, nor make it write IMA records.
 */
TEST_F(api, own_user_and_net_namespace_gets_eperm)
{
	int flags = CLONE_NEWUSER | CLONE_NEWNET;

	REQUIRE_LEO();
	ASSERT_EQ(0, in_child(unshare_and_try_all, &flags));
}

/* The old socket was opened with privilege; the caller counts too. */
static int privileged_socket_refuses_user_ns(void *arg)
{
	struct leo_sock *s = arg;

	CHILD_EXPECT(unshare(CLONE_NEWUSER) == 0);
	return every_command_is_eperm(s, false);
}

TEST_F(api, privileged_socket_in_unprivileged_hands_gets_eperm)
{
	REQUIRE_LEO();
	populate(_metadata, &self->s);
	ASSERT_EQ(0, in_child(privileged_socket_refuses_user_ns, &self->s));
}

static int drop_effective_cap(int cap, int raise)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (raise)
		d[cap / 32].effective |= 1U << (cap % 32);
	else
		d[cap / 32].effective &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

TEST_F(api, without_cap_net_admin_gets_eperm)
{
	struct snapshot before, after;
	struct leo_sock u;

	REQUIRE_LEO();
	populate(_metadata, &self->s);
	ASSERT_EQ(0, snapshot_take(&self->s, &before));
	ASSERT_EQ(0, drop_effective_cap(CAP_NET_ADMIN, 0));
	ASSERT_EQ(0, leo_open(&u));
	ASSERT_EQ(0, every_command_is_eperm(&u, false));
	/* the opener's credentials count too: that socket stays refused */
	ASSERT_EQ(0, drop_effective_cap(CAP_NET_ADMIN, 1));
	ASSERT_EQ(-EPERM, peer_add(&u, "192.0.2.20", 60000, -1, 20));
	ASSERT_EQ(0, snapshot_take(&self->s, &after));
	ASSERT_EQ(0, snapshot_diff(&before, &after));
	snapshot_free(&after);
	leo_close(&u);
	/* with the capability back a new socket succeeds */
	ASSERT_EQ(0, leo_open(&u));
	ASSERT_EQ(0, peer_add(&u, "192.0.2.20", 60000, -1, 20));
	snapshot_free(&before);
	leo_close(&u);
}

#define BIG_TABLE 100000

/* Validity for a peer that should lapse at @deadline_ms (0: 10 min). */
static uint32_t validity_until(uint64_t deadline_ms)
{
	uint64_t now = leo_now_ms();

	if (!deadline_ms)
		return 600000;
	return deadline_ms > now ? deadline_ms - now : 1;
}

/*
 * Packs PEER_ADD requests without ACK, many per sendmsg(): peers @first
 * to @first + @n - 1 of 2001:db8:1::/96, all lapsing at @deadline_ms.
 */
static int add_peers(struct leo_sock *s, unsigned int first, unsigned int n,
		     uint64_t deadline_ms)
{
	static unsigned char batch[32 * 1024];
	unsigned char addr[16];
	uint8_t id[LEO_PEER_ID_LEN];
	size_t used = 0;
	unsigned int i;
	struct leo_msg m;
	int err;

	inet_pton(AF_INET6, "2001:db8:1::", addr);
	for (i = first; i < first + n; i++) {
		uint32_t be = htonl(i);

		memcpy(addr + 12, &be, 4);
		fill_id(id, i);
		leo_msg_init(&m, s, LEO_CMD_PEER_ADD, 0);
		m.nlh.nlmsg_seq = i;
		leo_put_u16(&m, LEO_A_FAMILY, AF_INET6);
		leo_put(&m, LEO_A_ADDR, addr, 16);
		leo_put(&m, LEO_A_PEER_ID, id, sizeof(id));
		leo_put_u32(&m, LEO_A_VALIDITY_MS, validity_until(deadline_ms));
		if (used + m.len > sizeof(batch)) {
			err = leo_send_batch(s, batch, used);
			if (err)
				return err;
			used = 0;
		}
		memcpy(batch + used, m.buf, m.len);
		used += m.len;
	}
	err = used ? leo_send_batch(s, batch, used) : 0;
	if (err)
		return err;
	/* genl handles a sendmsg() synchronously: errors are queued now */
	return leo_drain_errors(s, 0);
}

static int add_many_peers(struct leo_sock *s, unsigned int n)
{
	return add_peers(s, 0, n, 0);
}

struct big_dump {
	unsigned char *seen;
	unsigned int total, dups, strays;
};

static int count_big_peer(const struct leo_attrs *a, void *arg)
{
	struct big_dump *d = arg;
	const unsigned char *p;
	uint32_t idx;

	d->total++;
	if (!a->tb[LEO_A_ADDR] || leo_len(a->tb[LEO_A_ADDR]) != 16) {
		d->strays++;
		return 0;
	}
	p = leo_data(a->tb[LEO_A_ADDR]);
	memcpy(&idx, p + 12, 4);
	idx = ntohl(idx);
	if (idx >= BIG_TABLE) {
		d->strays++;
		return 0;
	}
	if (d->seen[idx]++)
		d->dups++;
	return 0;
}

TEST_F_TIMEOUT(api, dump_of_100k_peers_is_complete, 400)
{
	struct big_dump d = { 0 };
	struct leo_stats st;
	struct leo_msg m;
	uint64_t t0, t_add, t_dump, t_flush;
	unsigned int i, missing = 0;

	REQUIRE_LEO();
	d.seen = calloc(BIG_TABLE, 1);
	ASSERT_NE(NULL, d.seen);
	t0 = leo_now_ms();
	ASSERT_REQ(0, add_many_peers(&self->s, BIG_TABLE));
	t_add = leo_now_ms() - t0;
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(BIG_TABLE, st.peers);

	t0 = leo_now_ms();
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_GET, NLM_F_DUMP);
	ASSERT_REQ(0, leo_transact(&self->s, &m, count_big_peer, &d));
	t_dump = leo_now_ms() - t0;
	for (i = 0; i < BIG_TABLE; i++)
		missing += !d.seen[i];
	TH_LOG("%u peers: add %llu ms, dump %llu ms (%u messages)",
	       BIG_TABLE, (unsigned long long)t_add,
	       (unsigned long long)t_dump, d.total);
	ASSERT_FALSE(self->s.dump_intr);
	ASSERT_EQ(0, d.dups);
	ASSERT_EQ(0, d.strays);
	ASSERT_EQ(0, missing);
	ASSERT_EQ(BIG_TABLE, d.total);

	t0 = leo_now_ms();
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_FLUSH, 0);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	t_flush = leo_now_ms() - t0;
	TH_LOG("flush of %u peers: %llu ms", BIG_TABLE,
	       (unsigned long long)t_flush);
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(0, st.peers);
	free(d.seen);
}

/*
 * A dump that spans several recvmsg() calls while the table changes: some
 * message must carry NLM_F_DUMP_INTR. The reader takes one batch, a second
 * socket adds a peer, then the reader drains the rest.
 */
TEST_F_TIMEOUT(api, dump_interrupted_by_change_is_flagged, 120)
{
	static unsigned char buf[64 * 1024];	/* a whole dump skb */
	struct leo_sock other;
	struct leo_msg m;
	bool intr = false, done = false;
	int batches = 0;

	REQUIRE_LEO();
	ASSERT_REQ(0, add_many_peers(&self->s, 2000));
	ASSERT_EQ(0, leo_open(&other));
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_GET, NLM_F_DUMP);
	m.nlh.nlmsg_seq = 4242;
	ASSERT_EQ(0, leo_send_batch(&self->s, m.buf, m.len));
	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t n = recv(self->s.fd, buf, sizeof(buf), 0);

		ASSERT_GT(n, 0);
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				done = true;
		}
		if (batches++ == 0)
			ASSERT_EQ(0, peer_add(&other, "192.0.2.250", 60000, -1,
					      250));
	}
	TH_LOG("dump of 2000 peers in %d batches, NLM_F_DUMP_INTR %s",
	       batches, intr ? "seen" : "not seen");
	ASSERT_GT(batches, 2);
	ASSERT_TRUE(intr);
	leo_close(&other);
}

struct probe {
	uint64_t max_stats_ms, max_add_ms;
	unsigned int rounds;
	unsigned int slow_stats;	/* STATS_GETs over the bound */
	unsigned int bound_ms;
};

/* One STATS_GET and one PEER_ADD (a fresh address), each timed. */
static int probe_once(struct leo_sock *s, struct probe *p, struct leo_stats *st)
{
	char addr[32];
	uint64_t t0 = leo_now_ms(), t1;
	int err;

	err = leo_stats_get(s, st);
	t1 = leo_now_ms();
	if (err)
		return err;
	if (t1 - t0 > p->max_stats_ms)
		p->max_stats_ms = t1 - t0;
	if (t1 - t0 >= p->bound_ms)
		p->slow_stats++;
	snprintf(addr, sizeof(addr), "198.18.%u.%u", p->rounds / 250,
		 p->rounds % 250 + 1);
	err = peer_add(s, addr, 600000, -1, p->rounds);
	t0 = leo_now_ms();
	if (t0 - t1 > p->max_add_ms)
		p->max_add_ms = t0 - t1;
	p->rounds++;
	return err;
}

static unsigned int env_uint(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/*
 * Issue 10, item 5: peers lapsing together must not stall the control
 * plane. BIG_TABLE peers (LEO_EXPIRY_PEERS) are added so that they all
 * lapse at one deadline (the time to add them is calibrated on 5000
 * first); from just before it until every one is gone a second client
 * keeps timing a STATS_GET and a PEER_ADD. A STATS_GET, which waits for
 * ln->lock only, must answer within LEO_EXPIRY_BOUND_MS (200) in at least
 * 99% of the probes and never take five times that: under TCG on a
 * busy two-core host the guest's vCPU itself is sometimes not scheduled
 * for a while (one probe of 857 took 205 ms in a full `make check`, the
 * others at most 19 ms), which no kernel code can cause or avoid. A
 * PEER_ADD also waits for its IMA record's turn and allocates, and
 * answered within 1 to 6 ms in most runs but up to 253 ms in a few, so
 * its bound is LEO_EXPIRY_ADD_BOUND_MS (500). Before per-peer timers a
 * STATS_GET waited 3.5 s, beyond either bound. Prints the figures.
 */
TEST_F_TIMEOUT(api, mass_expiry_keeps_netlink_responsive, 900)
{
	unsigned int n = env_uint("LEO_EXPIRY_PEERS", BIG_TABLE);
	unsigned int bound = env_uint("LEO_EXPIRY_BOUND_MS", 200);
	unsigned int add_bound = env_uint("LEO_EXPIRY_ADD_BOUND_MS", 500);
	uint64_t t0, calib, deadline, gone = 0, end;
	struct probe p = { .bound_ms = bound };
	struct leo_stats st;
	struct leo_sock c;
	struct leo_msg m;

	REQUIRE_LEO();
	ASSERT_EQ(0, leo_open(&c));
	t0 = leo_now_ms();
	ASSERT_REQ(0, add_peers(&self->s, 0, 5000, 0));
	calib = leo_now_ms() - t0;
	leo_msg_init(&m, &self->s, LEO_CMD_PEER_FLUSH, 0);
	ASSERT_REQ(0, leo_request(&self->s, &m));
	deadline = leo_now_ms() + 3000 + calib * 2 * n / 5000;
	t0 = leo_now_ms();
	ASSERT_REQ(0, add_peers(&self->s, 0, n, deadline));
	TH_LOG("%u peers added in %llu ms, lapsing together in %lld ms", n,
	       (unsigned long long)(leo_now_ms() - t0),
	       (long long)(deadline - leo_now_ms()));
	ASSERT_LT(leo_now_ms() + 500, deadline);
	ASSERT_REQ(0, leo_stats_get(&c, &st));
	ASSERT_EQ(n, st.peers);
	while (leo_now_ms() + 200 < deadline)
		usleep(50000);
	end = deadline + 300000;
	while (leo_now_ms() < end) {
		ASSERT_EQ(0, probe_once(&c, &p, &st));
		if (st.c[LEO_STAT_PEERS_EXPIRED] >= n) {
			gone = leo_now_ms();
			break;
		}
		usleep(1000);
	}
	TH_LOG("%u peers lapsed together: all removed %lld ms after the deadline; during that, %u probes: STATS_GET answered within %llu ms (%u at or over the bound %u), PEER_ADD within %llu ms (bound %u)",
	       n, gone ? (long long)(gone - deadline) : -1LL, p.rounds,
	       (unsigned long long)p.max_stats_ms, p.slow_stats, bound,
	       (unsigned long long)p.max_add_ms, add_bound);
	ASSERT_NE(0, gone);
	ASSERT_EQ(p.rounds - 1, st.peers);	/* the probes' own peers */
	ASSERT_LE(p.slow_stats * 100, p.rounds);
	ASSERT_LT(p.max_stats_ms, 5 * bound);
	ASSERT_LT(p.max_add_ms, add_bound);
	leo_close(&c);
}

/*
 * -ENOSPC at LEO_MAX_PEERS needs 2^20 PEER_ADDs, each measured into IMA:
 * about half an hour under TCG and more memory than the test guest has.
 * Opt in with LEO_SELFTEST_FULL_TABLE=1 on a bigger guest.
 */
TEST_F_TIMEOUT(api, peer_table_full_is_enospc, 7200)
{
	struct leo_stats st;

	REQUIRE_LEO();
	if (!getenv("LEO_SELFTEST_FULL_TABLE"))
		SKIP(return, "2^20 measured PEER_ADDs take ~30 min and >1 GB under TCG; set LEO_SELFTEST_FULL_TABLE=1");
	ASSERT_REQ(0, add_many_peers(&self->s, LEO_MAX_PEERS));
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(LEO_MAX_PEERS, st.peers);
	ASSERT_REQ(-ENOSPC, peer_add(&self->s, "192.0.2.251", 60000, -1, 1));
	ASSERT_NE(0, self->s.extack[0]);
	ASSERT_REQ(0, leo_stats_get(&self->s, &st));
	ASSERT_EQ(LEO_MAX_PEERS, st.peers);
}

/*
 * Bad input: each variant builds one malformed or refused request against
 * a populated table and names the errno the contract requires. The test
 * checks the errno, the extack message and that nothing changed.
 */
typedef void (*build_fn)(struct leo_msg *m, const struct leo_sock *s);

FIXTURE(bad) {
	struct leo_sock s;
	struct snapshot before;
};

FIXTURE_VARIANT(bad) {
	build_fn build;
	int err;
	int alt_err;		/* also acceptable where the contract allows */
	int missing;		/* the attribute extack must name as missing */
};

#define BASE_PEER4 "192.0.2.10"
#define BASE_PEER6 "2001:db8::10"

FIXTURE_SETUP(bad)
{
	enter_new_netns(_metadata);
	if (leo_open(&self->s)) {
		self->s.fd = -1;
		return;
	}
	ASSERT_EQ(0, peer_add(&self->s, BASE_PEER4, 60000, -1, 1));
	ASSERT_EQ(0, peer_add(&self->s, BASE_PEER6, 60000, 1, 2));
	ASSERT_EQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "192.0.2.0",
				24));
	ASSERT_EQ(0, subnet_cmd(&self->s, LEO_CMD_SUBNET_ADD, "2001:db8::",
				64));
	ASSERT_EQ(0, config_set_u32(&self->s, LEO_A_HS_RATE, 30));
	ASSERT_EQ(0, snapshot_take(&self->s, &self->before));
}

FIXTURE_TEARDOWN(bad)
{
	snapshot_free(&self->before);
	leo_close(&self->s);
}

TEST_F(bad, rejected_with_extack_and_no_change)
{
	struct snapshot after;
	struct leo_msg m;
	int err;

	REQUIRE_LEO();
	variant->build(&m, &self->s);
	err = leo_request(&self->s, &m);
	TH_LOG("got %d (%s), extack \"%s\"", err, strerror(-err),
	       self->s.extack);
	if (variant->alt_err && err == -variant->alt_err)
		err = -variant->err;
	ASSERT_EQ(-variant->err, err);
	ASSERT_NE(0, self->s.extack[0]) {
		TH_LOG("no extack message");
	}
	/* a missing attribute is also named by type (NLMSGERR_ATTR_MISS_TYPE) */
	if (variant->missing) {
		ASSERT_EQ(variant->missing, self->s.miss_type) {
			TH_LOG("extack names missing attribute %d",
			       self->s.miss_type);
		}
	}
	ASSERT_EQ(0, snapshot_take(&self->s, &after));
	ASSERT_EQ(0, snapshot_diff(&self->before, &after));
	snapshot_free(&after);
}

static void id_attr(struct leo_msg *m, size_t len)
{
	uint8_t id[256];

	memset(id, 0x11, sizeof(id));
	leo_put(m, LEO_A_PEER_ID, id, len);
}

/* A valid PEER_ADD for a new address, to be spoiled by one change. */
static void new_peer(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	leo_put_addr(m, "192.0.2.77");
	id_attr(m, LEO_PEER_ID_LEN);
}

static void addr_msg(struct leo_msg *m, const struct leo_sock *s,
		     uint8_t cmd, const char *addr)
{
	leo_msg_init(m, s, cmd, 0);
	leo_put_addr(m, addr);
}

static void raw_addr(struct leo_msg *m, uint16_t family, size_t len)
{
	uint8_t a[64];

	memset(a, 0, sizeof(a));
	a[0] = 192;
	a[1] = 0;
	a[2] = 2;
	a[3] = 78;
	leo_put_u16(m, LEO_A_FAMILY, family);
	leo_put(m, LEO_A_ADDR, a, len);
}

static void add_no_family(struct leo_msg *m, const struct leo_sock *s)
{
	uint8_t a[4] = { 192, 0, 2, 77 };

	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	leo_put(m, LEO_A_ADDR, a, 4);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_no_addr(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	leo_put_u16(m, LEO_A_FAMILY, AF_INET);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_no_peer_id(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, "192.0.2.77");
}

static void add_family_unix(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	raw_addr(m, AF_UNIX, 4);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_v4_with_16_bytes(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	raw_addr(m, AF_INET, 16);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_v6_with_4_bytes(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	raw_addr(m, AF_INET6, 4);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_addr_5_bytes(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	raw_addr(m, AF_INET, 5);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_addr_oversized(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	raw_addr(m, AF_INET6, 64);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_family_as_u8(struct leo_msg *m, const struct leo_sock *s)
{
	uint8_t a[4] = { 192, 0, 2, 77 };

	leo_msg_init(m, s, LEO_CMD_PEER_ADD, 0);
	leo_put_u8(m, LEO_A_FAMILY, AF_INET);
	leo_put(m, LEO_A_ADDR, a, 4);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_peer_id_short(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, "192.0.2.77");
	id_attr(m, LEO_PEER_ID_LEN - 1);
}

static void add_peer_id_long(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, "192.0.2.77");
	id_attr(m, LEO_PEER_ID_LEN + 1);
}

static void add_peer_id_oversized(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, "192.0.2.77");
	id_attr(m, 256);
}

static void add_evidence_short(struct leo_msg *m, const struct leo_sock *s)
{
	uint8_t ev[LEO_DIGEST_LEN];

	new_peer(m, s);
	memset(ev, 1, sizeof(ev));
	leo_put(m, LEO_A_EVIDENCE, ev, 20);
}

static void add_evidence_oversized(struct leo_msg *m,
				   const struct leo_sock *s)
{
	uint8_t ev[200];

	new_peer(m, s);
	memset(ev, 1, sizeof(ev));
	leo_put(m, LEO_A_EVIDENCE, ev, sizeof(ev));
}

static void add_validity_too_long(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u32(m, LEO_A_VALIDITY_MS, LEO_MAX_VALIDITY_MS + 1);
}

static void add_validity_max_u32(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u32(m, LEO_A_VALIDITY_MS, 0xffffffff);
}

static void add_validity_as_u16(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u16(m, LEO_A_VALIDITY_MS, 1000);
}

static void add_state_2(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u8(m, LEO_A_STATE, __LEO_PEER_STATE_MAX);
}

static void add_state_255(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u8(m, LEO_A_STATE, 255);
}

static void add_unknown_attr(struct leo_msg *m, const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u32(m, LEO_A_MAX + 1, 1);
}

static void add_unknown_attr_high(struct leo_msg *m,
				  const struct leo_sock *s)
{
	new_peer(m, s);
	leo_put_u32(m, 200, 1);
}

static void add_truncated_attr(struct leo_msg *m, const struct leo_sock *s)
{
	struct nlattr *last;

	new_peer(m, s);
	leo_put_u32(m, LEO_A_VALIDITY_MS, 1000);
	/* the last attribute claims more bytes than the message holds */
	last = (struct nlattr *)(m->buf + m->len - NLA_ALIGN(NLA_HDRLEN + 4));
	last->nla_len = NLA_HDRLEN + 64;
}

static void add_duplicate_v4(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, BASE_PEER4);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void add_duplicate_v6(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_ADD, BASE_PEER6);
	id_attr(m, LEO_PEER_ID_LEN);
}

static void set_absent(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_SET, "192.0.2.99");
	leo_put_u8(m, LEO_A_STATE, LEO_PEER_QUARANTINED);
}

static void set_state_range(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_SET, BASE_PEER4);
	leo_put_u8(m, LEO_A_STATE, 5);
}

static void set_reason_range(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_SET, BASE_PEER4);
	leo_put_u8(m, LEO_A_STATE, LEO_PEER_QUARANTINED);
	leo_put_u8(m, LEO_A_REASON, __LEO_REASON_MAX);
}

static void set_validity_range(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_SET, BASE_PEER4);
	leo_put_u32(m, LEO_A_VALIDITY_MS, LEO_MAX_VALIDITY_MS + 1);
}

static void set_no_addr(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_SET, 0);
	leo_put_u16(m, LEO_A_FAMILY, AF_INET);
	leo_put_u8(m, LEO_A_STATE, LEO_PEER_QUARANTINED);
}

static void set_id_short(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_SET, BASE_PEER4);
	id_attr(m, 16);
}

static void del_absent(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_DEL, "2001:db8::99");
}

static void del_reason_range(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_DEL, BASE_PEER4);
	leo_put_u8(m, LEO_A_REASON, 200);
}

static void del_no_family(struct leo_msg *m, const struct leo_sock *s)
{
	uint8_t a[4] = { 192, 0, 2, 10 };

	leo_msg_init(m, s, LEO_CMD_PEER_DEL, 0);
	leo_put(m, LEO_A_ADDR, a, 4);
}

static void del_family_mismatch(struct leo_msg *m, const struct leo_sock *s)
{
	uint8_t a[4] = { 192, 0, 2, 10 };

	leo_msg_init(m, s, LEO_CMD_PEER_DEL, 0);
	leo_put_u16(m, LEO_A_FAMILY, AF_INET6);
	leo_put(m, LEO_A_ADDR, a, 4);
}

static void get_absent(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_PEER_GET, "192.0.2.99");
}

static void flush_reason_range(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_PEER_FLUSH, 0);
	leo_put_u8(m, LEO_A_REASON, __LEO_REASON_MAX);
}

static void subnet(struct leo_msg *m, const struct leo_sock *s, uint8_t cmd,
		   const char *addr, uint8_t plen)
{
	addr_msg(m, s, cmd, addr);
	leo_put_u8(m, LEO_A_PREFIXLEN, plen);
}

static void subnet_v4_plen_33(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0", 33);
}

static void subnet_v6_plen_129(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "2001:db8:1::", 129);
}

static void subnet_v4_plen_255(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0", 255);
}

static void subnet_v4_host_bits(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.1", 24);
}

static void subnet_v4_host_bits_zero_len(struct leo_msg *m,
					 const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0", 0);
}

static void subnet_v6_host_bits(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "2001:db8:1::1", 64);
}

static void subnet_v6_host_bit_63(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "2001:db8:1:1::", 63);
}

static void subnet_no_prefixlen(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0");
}

static void subnet_prefixlen_u32(struct leo_msg *m, const struct leo_sock *s)
{
	addr_msg(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0");
	leo_put_u32(m, LEO_A_PREFIXLEN, 24);
}

static void subnet_family_mismatch(struct leo_msg *m,
				   const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_SUBNET_ADD, 0);
	raw_addr(m, AF_INET6, 4);
	leo_put_u8(m, LEO_A_PREFIXLEN, 24);
}

static void subnet_duplicate(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "192.0.2.0", 24);
}

static void subnet_del_absent(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_DEL, "192.0.2.0", 25);
}

static void subnet_unknown_attr(struct leo_msg *m, const struct leo_sock *s)
{
	subnet(m, s, LEO_CMD_SUBNET_ADD, "198.51.100.0", 24);
	leo_put_u8(m, LEO_A_MAX + 3, 1);
}

static void config_empty(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
}

static void config_mode_range(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u8(m, LEO_A_MODE, __LEO_MODE_MAX);
}

static void config_rate_zero(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_RATE, 0);
}

static void config_rate_high(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_RATE, 1000001);
}

static void config_burst_zero(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_BURST, 0);
}

static void config_burst_high(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_BURST, 1000001);
}

static void config_validity_zero(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_DEFAULT_VALIDITY_MS, 0);
}

static void config_validity_high(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_DEFAULT_VALIDITY_MS, LEO_MAX_VALIDITY_MS + 1);
}

static void config_port_as_u32(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_PORT, 4885);
}

static void config_total_rate_zero(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u32(m, LEO_A_HS_TOTAL_RATE, 0);
}

static void config_mark_as_u16(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u16(m, LEO_A_AGENT_MARK, 1);
}

static void device_no_ifindex(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_DEVICE_ADD, 0);
}

static void device_ifindex_zero(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_DEVICE_ADD, 0);
	leo_put_u32(m, LEO_A_IFINDEX, 0);
}

static void device_absent(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_DEVICE_ADD, 0);
	leo_put_u32(m, LEO_A_IFINDEX, 99999);
}

static void device_del_unprotected(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_DEVICE_DEL, 0);
	leo_put_u32(m, LEO_A_IFINDEX, 1);	/* loopback, never added */
}

static void device_with_address(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_DEVICE_ADD, 0);
	leo_put_u32(m, LEO_A_IFINDEX, 1);
	leo_put_addr(m, "192.0.2.1");
}

/* A valid setting next to an invalid one: neither may be applied. */
static void config_partly_bad(struct leo_msg *m, const struct leo_sock *s)
{
	leo_msg_init(m, s, LEO_CMD_CONFIG_SET, 0);
	leo_put_u8(m, LEO_A_MODE, LEO_MODE_MONITOR);
	leo_put_u16(m, LEO_A_HS_PORT, 4885);
	leo_put_u32(m, LEO_A_HS_RATE, 0);
}

#define BAD(name, e, alt) \
	FIXTURE_VARIANT_ADD(bad, name) { .build = name, .err = e, \
					 .alt_err = alt }
#define MISSING(name, attr) \
	FIXTURE_VARIANT_ADD(bad, name) { .build = name, .err = EINVAL, \
					 .missing = attr }
/* wrong attribute lengths: the contract allows -EINVAL or -ERANGE */
#define BADLEN(name) BAD(name, EINVAL, ERANGE)

MISSING(add_no_family, LEO_A_FAMILY);
MISSING(add_no_addr, LEO_A_ADDR);
MISSING(add_no_peer_id, LEO_A_PEER_ID);
BAD(add_family_unix, EINVAL, 0);
BADLEN(add_v4_with_16_bytes);
BADLEN(add_v6_with_4_bytes);
BADLEN(add_addr_5_bytes);
BADLEN(add_addr_oversized);
BADLEN(add_family_as_u8);
BADLEN(add_peer_id_short);
BADLEN(add_peer_id_long);
BADLEN(add_peer_id_oversized);
BADLEN(add_evidence_short);
BADLEN(add_evidence_oversized);
BAD(add_validity_too_long, ERANGE, 0);
BAD(add_validity_max_u32, ERANGE, 0);
BADLEN(add_validity_as_u16);
BAD(add_state_2, ERANGE, 0);
BAD(add_state_255, ERANGE, 0);
BAD(add_unknown_attr, EINVAL, 0);
BAD(add_unknown_attr_high, EINVAL, 0);
BAD(add_truncated_attr, EINVAL, 0);
BAD(add_duplicate_v4, EEXIST, 0);
BAD(add_duplicate_v6, EEXIST, 0);
BAD(set_absent, ENOENT, 0);
BAD(set_state_range, ERANGE, 0);
BAD(set_reason_range, ERANGE, 0);
BAD(set_validity_range, ERANGE, 0);
MISSING(set_no_addr, LEO_A_ADDR);
BADLEN(set_id_short);
BAD(del_absent, ENOENT, 0);
BAD(del_reason_range, ERANGE, 0);
MISSING(del_no_family, LEO_A_FAMILY);
BADLEN(del_family_mismatch);
BAD(get_absent, ENOENT, 0);
BAD(flush_reason_range, ERANGE, 0);
/* a family-dependent prefix bound: the contract allows either errno */
BAD(subnet_v4_plen_33, EINVAL, ERANGE);
BAD(subnet_v6_plen_129, EINVAL, ERANGE);
BAD(subnet_v4_plen_255, EINVAL, ERANGE);
BAD(subnet_v4_host_bits, EINVAL, 0);
BAD(subnet_v4_host_bits_zero_len, EINVAL, 0);
BAD(subnet_v6_host_bits, EINVAL, 0);
BAD(subnet_v6_host_bit_63, EINVAL, 0);
MISSING(subnet_no_prefixlen, LEO_A_PREFIXLEN);
BADLEN(subnet_prefixlen_u32);
BADLEN(subnet_family_mismatch);
BAD(subnet_duplicate, EEXIST, 0);
BAD(subnet_del_absent, ENOENT, 0);
BAD(subnet_unknown_attr, EINVAL, 0);
BAD(config_empty, EINVAL, 0);
BAD(config_mode_range, ERANGE, 0);
BAD(config_rate_zero, ERANGE, 0);
BAD(config_rate_high, ERANGE, 0);
BAD(config_burst_zero, ERANGE, 0);
BAD(config_burst_high, ERANGE, 0);
BAD(config_validity_zero, ERANGE, 0);
BAD(config_validity_high, ERANGE, 0);
BADLEN(config_port_as_u32);
BAD(config_partly_bad, ERANGE, 0);
BAD(config_total_rate_zero, ERANGE, 0);
BADLEN(config_mark_as_u16);
MISSING(device_no_ifindex, LEO_A_IFINDEX);
BAD(device_ifindex_zero, ERANGE, 0);
BAD(device_absent, ENODEV, 0);
BAD(device_del_unprotected, ENOENT, 0);
BAD(device_with_address, EINVAL, 0);

/* "-l" lists the tests in run order, for the suite runner. */
static void list_tests(void)
{
	struct __fixture_variant_metadata no_variant = { .name = "" };
	struct __fixture_variant_metadata *v;
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	for (f = __fixture_list; f; f = f->next)
		for (v = f->variant ?: &no_variant; v; v = v->next)
			for (t = f->tests; t; t = t->next)
				printf("%s%s%s.%s\n", f->name,
				       v->name[0] ? "." : "", v->name, t->name);
}

/*
 * Test selection. "-t FIXTURE.TEST" keeps only that test; the environment
 * filters, applied before listing or running, let the suite runner split
 * the tests between guests: LEO_NETLINK_ONLY keeps, and LEO_NETLINK_EXCLUDE
 * drops, a comma-separated list of FIXTURE.TEST names.
 */
static bool name_in_list(const char *fixture, const char *test,
			 const char *list)
{
	size_t flen = strlen(fixture), tlen = strlen(test);
	const char *p = list, *end;

	while (p && *p) {
		end = strchrnul(p, ',');
		if ((size_t)(end - p) == flen + 1 + tlen &&
		    !strncmp(p, fixture, flen) && p[flen] == '.' &&
		    !strncmp(p + flen + 1, test, tlen))
			return true;
		p = *end ? end + 1 : NULL;
	}
	return false;
}

static void filter_tests(const char *only, const char *exclude)
{
	struct __fixture_metadata *f;
	struct __test_metadata **tp;

	for (f = __fixture_list; f; f = f->next) {
		tp = &f->tests;
		while (*tp) {
			bool drop = (only && !name_in_list(f->name, (*tp)->name, only)) ||
				    (exclude && name_in_list(f->name, (*tp)->name, exclude));

			if (drop)
				*tp = (*tp)->next;
			else
				tp = &(*tp)->next;
		}
	}
}

int main(int argc, char **argv)
{
	filter_tests(getenv("LEO_NETLINK_ONLY"), getenv("LEO_NETLINK_EXCLUDE"));
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		list_tests();
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-t"))
		filter_tests(argv[2], NULL);
	return test_harness_run(argc, argv);
}
