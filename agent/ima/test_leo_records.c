// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of leo.ko's IMA records: every op of uapi/linux/leo_measure.h,
 * built here byte by byte into ima-buf entries, then the malformed cases
 * the decoder must refuse, and the sequence-gap tracker.
 */
#include "ima/leo_records.h"
#include "ima/tap.h"
#include "ima/testlog.h"

#include <arpa/inet.h>
#include <endian.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include <linux/leo.h>
#include <linux/leo_measure.h>

#define INSTANCE 0x5ff4b6e15f043318ULL

static uint8_t rec[512];

/* Header for @op with @body_len body bytes; returns the record length. */
static size_t make_hdr(uint16_t op, size_t body_len, uint64_t seq)
{
	struct leo_measure_hdr h = {
		.magic = htole32(LEO_MEASURE_MAGIC),
		.version = htole16(LEO_MEASURE_VERSION),
		.op = htole16(op),
		.length = htole32(sizeof(h) + body_len),
		.netns_ino = htole32(4026531840U),
		.netns_cookie = htole64(1),
		.seq = htole64(seq),
		.instance = htole64(INSTANCE),
		.time_ns = htole64(123456789),
	};

	memcpy(rec, &h, sizeof(h));
	return sizeof(h) + body_len;
}

static size_t make(uint16_t op, const void *body, size_t len, uint64_t seq)
{
	size_t n = make_hdr(op, len, seq);

	memcpy(rec + sizeof(struct leo_measure_hdr), body, len);
	return n;
}

/* Parse the last entry of @tl and decode it. */
static int decode_last(struct testlog *tl, struct leo_record *r,
		       struct ima_log_error *err)
{
	struct ima_log_iter it;
	struct ima_entry e;
	int rc;

	ima_log_iter_init(&it, tl->data, tl->len);
	while ((rc = ima_log_next(&it, &e, err)) > 0)
		if (it.off == tl->len)
			return leo_record_decode(&e, r, err);
	return -2;
}

/* The decoded record points into the log: keep it until the next call. */
static struct testlog last_log;

static int roundtrip(const char *name, size_t len, struct leo_record *r,
		     struct ima_log_error *err)
{
	testlog_free(&last_log);
	testlog_add_buf(&last_log, 10, name, rec, len);
	return decode_last(&last_log, r, err);
}

static void test_peer(void)
{
	struct leo_measure_peer_rec p = {
		.family = htole16(AF_INET), .state = LEO_PEER_ATTESTED,
		.reason = LEO_REASON_ADMIN, .validity_ms = htole32(120000),
		.flags = htole32(LEO_MEASURE_F_PEER_ID),
	};
	struct leo_record r;
	struct ima_log_error err;
	char line[512];
	size_t n;

	inet_pton(AF_INET, "198.51.100.7", p.addr);
	memset(p.peer_id, 0xab, 32);
	n = make(LEO_MEASURE_OP_PEER_ADD, &p, sizeof(p), 3);
	ok(roundtrip(LEO_MEASURE_NAME_PEER_ADD, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_PEER_ADD && r.seq == 3 &&
	   r.instance == INSTANCE && r.netns_ino == 4026531840U &&
	   r.u.peer.family == AF_INET && r.u.peer.validity_ms == 120000 &&
	   r.u.peer.peer_id[31] == 0xab &&
	   !strcmp(r.event_name, "leo:peer-add"),
	   "peer-add: header and body fields");
	leo_record_format(&r, line, sizeof(line));
	ok(strstr(line, "op=peer-add") && strstr(line, "addr=198.51.100.7") &&
	   strstr(line, "state=attested reason=admin") &&
	   strstr(line, "peer_id=abab") && strstr(line, "evidence=-"),
	   "peer-add text: %s", line);

	p.family = htole16(AF_INET6);
	p.state = LEO_PEER_QUARANTINED;
	p.reason = LEO_REASON_ATTESTATION_FAILED;
	p.flags = htole32(LEO_MEASURE_F_EVIDENCE);
	inet_pton(AF_INET6, "2001:db8::7", p.addr);
	for (uint16_t op = LEO_MEASURE_OP_PEER_SET;
	     op <= LEO_MEASURE_OP_PEER_EXPIRED; op++) {
		n = make(op, &p, sizeof(p), op);
		if (roundtrip("leo:peer-x", n, &r, &err) != 1 || r.op != op ||
		    r.u.peer.state != LEO_PEER_QUARANTINED)
			break;
	}
	leo_record_format(&r, line, sizeof(line));
	ok(r.op == LEO_MEASURE_OP_PEER_EXPIRED &&
	   strstr(line, "addr=2001:db8::7 state=quarantined") &&
	   strstr(line, "reason=attestation-failed"),
	   "peer-set, peer-del, peer-expired over IPv6: %s", line);

	memset(&p, 0, sizeof(p));
	p.reason = LEO_REASON_CONSENSUS;
	n = make(LEO_MEASURE_OP_PEER_FLUSH, &p, sizeof(p), 9);
	ok(roundtrip(LEO_MEASURE_NAME_PEER_FLUSH, n, &r, &err) == 1 &&
	   r.u.peer.family == 0 && r.u.peer.reason == LEO_REASON_CONSENSUS,
	   "peer-flush without an address");
}

static void test_subnet_config_seal(void)
{
	struct leo_measure_subnet_rec s = {
		.family = htole16(AF_INET), .prefixlen = 24,
	};
	struct leo_measure_config_rec c = {
		.mode = LEO_MODE_MONITOR, .hs_port = htole16(4884),
		.default_validity_ms = htole32(60000),
	};
	struct leo_measure_seal_rec seal = {
		.pid = htole32(42), .uid = htole32(0), .hash_algo = htole32(4),
	};
	struct json_object *j;
	struct leo_record r;
	struct ima_log_error err;
	char line[512];
	size_t n;

	inet_pton(AF_INET, "203.0.113.0", s.addr);
	n = make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 1);
	ok(roundtrip(LEO_MEASURE_NAME_SUBNET_ADD, n, &r, &err) == 1 &&
	   r.u.subnet.prefixlen == 24 &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   strstr(line, "subnet=203.0.113.0/24"), "subnet-add: %s", line);
	n = make(LEO_MEASURE_OP_SUBNET_DEL, &s, sizeof(s), 2);
	ok(roundtrip(LEO_MEASURE_NAME_SUBNET_DEL, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_SUBNET_DEL, "subnet-del");

	/* The first version: 8 bytes, no limits. */
	n = make(LEO_MEASURE_OP_CONFIG, &c, LEO_MEASURE_CONFIG_V1_LEN, 3);
	ok(roundtrip(LEO_MEASURE_NAME_CONFIG, n, &r, &err) == 1 &&
	   r.u.config.hs_port == 4884 && !r.u.config.has_limits &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   !strcmp(strstr(line, "mode="),
		   "mode=monitor hs_port=4884 default_validity_ms=60000"),
	   "config, 8-byte first version: %s", line);
	j = leo_record_to_json(&r);
	ok(j && json_object_get_int(json_object_object_get(j, "hs_port")) == 4884 &&
	   !json_object_object_get_ex(j, "agent_mark", NULL) &&
	   !json_object_object_get_ex(j, "hs_total_rate", NULL),
	   "config v1 as JSON: no limit keys");
	json_object_put(j);

	/* The current version: 24 bytes with the mark and the limits. */
	c.agent_mark = htole32(0x1e0);
	c.hs_rate = htole32(20);
	c.hs_burst = htole32(40);
	c.hs_total_rate = htole32(1000);
	n = make(LEO_MEASURE_OP_CONFIG, &c, sizeof(c), 4);
	ok(roundtrip(LEO_MEASURE_NAME_CONFIG, n, &r, &err) == 1 &&
	   r.u.config.has_limits && r.u.config.agent_mark == 0x1e0 &&
	   r.u.config.hs_rate == 20 && r.u.config.hs_burst == 40 &&
	   r.u.config.hs_total_rate == 1000 &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   !strcmp(strstr(line, "mode="),
		   "mode=monitor hs_port=4884 default_validity_ms=60000 agent_mark=0x1e0 hs_rate=20 hs_burst=40 hs_total_rate=1000"),
	   "config, 24 bytes: %s", line);
	j = leo_record_to_json(&r);
	ok(j && json_object_get_int(json_object_object_get(j, "agent_mark")) == 0x1e0 &&
	   json_object_get_int(json_object_object_get(j, "hs_rate")) == 20 &&
	   json_object_get_int(json_object_object_get(j, "hs_burst")) == 40 &&
	   json_object_get_int(json_object_object_get(j, "hs_total_rate")) == 1000,
	   "config v2 as JSON: mark and limits");
	json_object_put(j);

	memset(seal.exe_digest, 0x3f, 32);
	n = make(LEO_MEASURE_OP_SEAL, &seal, sizeof(seal), 4);
	ok(roundtrip(LEO_MEASURE_NAME_SEAL, n, &r, &err) == 1 &&
	   r.u.seal.pid == 42 && r.u.seal.hash_algo == 4 &&
	   r.u.seal.exe_digest[0] == 0x3f, "seal");
}

static void test_load_counters(void)
{
	static const char params[] = "require_ima=N\nhs_port=4884\n";
	struct leo_measure_load_rec l = {
		.require_ima = 1, .params_len = htole32(sizeof(params) - 1),
	};
	struct leo_measure_counters_rec c = {
		.measured = htole64(7), .failed = htole64(2), .sealed = 1,
	};
	struct leo_measure_netns_rec netns;
	uint8_t longer[sizeof(c) + 16];
	char line[256];
	struct json_object *j;
	struct leo_record r;
	struct ima_log_error err;
	size_t n;

	n = make_hdr(LEO_MEASURE_OP_MODULE_LOAD, sizeof(l) + sizeof(params) - 1,
		     0);
	memcpy(rec + 48, &l, sizeof(l));
	memcpy(rec + 56, params, sizeof(params) - 1);
	ok(roundtrip(LEO_MEASURE_NAME_MODULE_LOAD, n, &r, &err) == 1 &&
	   r.u.load.require_ima == 1 &&
	   r.u.load.params_len == sizeof(params) - 1 &&
	   !memcmp(r.u.load.params, params, sizeof(params) - 1),
	   "load: parameters text");
	j = leo_record_to_json(&r);
	ok(j && !strcmp(json_object_get_string(json_object_object_get(j,
			"params")), params) &&
	   !strcmp(json_object_get_string(json_object_object_get(j, "op")),
		   "load"), "load as JSON");
	json_object_put(j);

	n = make(LEO_MEASURE_OP_MODULE_UNLOAD, &c, sizeof(c), 8);
	ok(roundtrip(LEO_MEASURE_NAME_MODULE_UNLOAD, n, &r, &err) == 1 &&
	   r.u.counters.measured == 7 && r.u.counters.failed == 2 &&
	   r.u.counters.sealed == 1, "unload counters");
	n = make(LEO_MEASURE_OP_MEASURE_ON, &c, sizeof(c), 9);
	ok(roundtrip(LEO_MEASURE_NAME_MEASURE_ON, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_MEASURE_ON, "measure-on counters");

	netns.peers = htole32(5);
	netns.subnets = htole32(2);
	n = make(LEO_MEASURE_OP_NETNS_EXIT, &netns, sizeof(netns), 11);
	ok(roundtrip(LEO_MEASURE_NAME_NETNS_EXIT, n, &r, &err) == 1 &&
	   r.u.netns.peers == 5 && r.u.netns.subnets == 2 &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   strstr(line, "op=netns-exit") && strstr(line, "peers=5 subnets=2"),
	   "netns-exit: %s", line);

	/* A longer record (a future field) is accepted, extra ignored. */
	memset(longer, 0x77, sizeof(longer));
	memcpy(longer, &c, sizeof(c));
	n = make(LEO_MEASURE_OP_MEASURE_ON, longer, sizeof(longer), 10);
	ok(roundtrip(LEO_MEASURE_NAME_MEASURE_ON, n, &r, &err) == 1 &&
	   r.length == 48 + 24 + 16, "longer record accepted");
}

static void test_device(void)
{
	struct leo_measure_device_rec d = { .ifindex = htole32(7) };
	struct json_object *j;
	struct leo_record r;
	struct ima_log_error err;
	char line[512];
	size_t n;

	strcpy(d.name, "leo-d0");
	n = make(LEO_MEASURE_OP_DEVICE_ADD, &d, sizeof(d), 5);
	ok(roundtrip(LEO_MEASURE_NAME_DEVICE_ADD, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_DEVICE_ADD && r.u.device.ifindex == 7 &&
	   !strcmp(r.u.device.name, "leo-d0") &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   strstr(line, "op=device-add") &&
	   !strcmp(strstr(line, "ifindex="), "ifindex=7 ifname=leo-d0"),
	   "device-add: %s", line);
	j = leo_record_to_json(&r);
	ok(j && !strcmp(json_object_get_string(json_object_object_get(j, "op")),
			"device-add") &&
	   json_object_get_int(json_object_object_get(j, "ifindex")) == 7 &&
	   !strcmp(json_object_get_string(json_object_object_get(j, "ifname")),
		   "leo-d0"), "device-add as JSON");
	json_object_put(j);

	/* A name of 15 characters fills the field with its NUL. */
	strcpy(d.name, "abcdefghijklmno");
	n = make(LEO_MEASURE_OP_DEVICE_DEL, &d, sizeof(d), 6);
	ok(roundtrip(LEO_MEASURE_NAME_DEVICE_DEL, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_DEVICE_DEL &&
	   !strcmp(r.u.device.name, "abcdefghijklmno"),
	   "device-del with a 15-character name");

	/* Removed after the device vanished: no name. */
	memset(d.name, 0, sizeof(d.name));
	n = make(LEO_MEASURE_OP_DEVICE_DEL, &d, sizeof(d), 7);
	ok(roundtrip(LEO_MEASURE_NAME_DEVICE_DEL, n, &r, &err) == 1 &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   strstr(line, "ifindex=7 ifname=-"), "device-del without a name: %s",
	   line);
	j = leo_record_to_json(&r);
	ok(j && !json_object_object_get_ex(j, "ifname", NULL),
	   "  and no ifname in JSON");
	json_object_put(j);

	/* Bytes a terminal should not get are escaped in the text. */
	strcpy(d.name, "a\x1b[2J\\");
	n = make(LEO_MEASURE_OP_DEVICE_ADD, &d, sizeof(d), 8);
	ok(roundtrip(LEO_MEASURE_NAME_DEVICE_ADD, n, &r, &err) == 1 &&
	   leo_record_format(&r, line, sizeof(line)) > 0 &&
	   strstr(line, "ifname=a\\x1b[2J\\x5c"), "odd name escaped: %s", line);
}

static void expect_bad(const char *name, size_t len, const char *needle,
		       const char *what)
{
	struct leo_record r;
	struct ima_log_error err = { 0 };

	ok(roundtrip(name, len, &r, &err) == -1 && strstr(err.msg, needle) &&
	   err.index == 0, "%s: \"%s\"", what, err.msg);
}

static void test_malformed(void)
{
	struct leo_measure_subnet_rec s = { .family = htole16(AF_INET) };
	struct leo_measure_load_rec l = { .params_len = htole32(1000) };
	struct leo_measure_config_rec c = { .mode = LEO_MODE_ENFORCE };
	struct leo_measure_device_rec dev = { .ifindex = htole32(3) };
	struct testlog tl;
	struct leo_record r;
	struct ima_log_error err = { 0 };
	uint8_t d[32] = { 0 };
	size_t n;

	n = make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 0);
	rec[0] = 'X';
	expect_bad("leo:subnet-add", n, "bad magic", "bad magic");
	make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 0);
	rec[4] = 2;
	expect_bad("leo:subnet-add", n, "unsupported version 2", "version 2");
	make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 0);
	expect_bad("leo:subnet-add", n - 1, "buffer has 71 bytes",
		   "length field does not match the buffer");
	n = make(LEO_MEASURE_OP_SUBNET_ADD, &s, 10, 0);
	expect_bad("leo:subnet-add", n, "needs 72", "body too short");
	n = make(LEO_MEASURE_OP_CONFIG, &c, 4, 0);
	expect_bad("leo:config", n, "config record of 52 bytes, needs 56",
		   "config shorter than its first version");
	n = make(LEO_MEASURE_OP_CONFIG, &c, 12, 0);
	expect_bad("leo:config", n,
		   "config body of 12 bytes, neither 8 (first version) nor at least 24",
		   "config between the two versions");
	memset(dev.name, 'x', sizeof(dev.name));
	n = make(LEO_MEASURE_OP_DEVICE_ADD, &dev, sizeof(dev), 0);
	expect_bad("leo:device-add", n,
		   "device-add: device name not NUL-terminated within 16 bytes",
		   "device name without its NUL");
	n = make(LEO_MEASURE_OP_DEVICE_DEL, &dev, 20, 0);
	expect_bad("leo:device-del", n, "device-del record of 68 bytes, needs 72",
		   "device body too short");
	n = make(77, &s, sizeof(s), 0);
	expect_bad("leo:x", n, "unknown op 77", "unknown op");
	expect_bad("leo:x", 20, "shorter than the header", "20-byte buffer");
	s.prefixlen = 33;
	n = make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 0);
	expect_bad("leo:subnet-add", n, "prefix length 33", "prefix too long");
	s.family = htole16(99);
	n = make(LEO_MEASURE_OP_SUBNET_ADD, &s, sizeof(s), 0);
	expect_bad("leo:subnet-add", n, "family 99", "bad address family");
	memcpy(d, &l, sizeof(l));	/* body: load record + 4 text bytes */
	n = make(LEO_MEASURE_OP_MODULE_LOAD, d, sizeof(l) + 4, 0);
	memset(d, 0, sizeof(d));
	expect_bad("leo:load", n, "params_len 1000 exceeds", "params_len");

	/* d-ng not the digest of the buffer. */
	n = make(LEO_MEASURE_OP_CONFIG, &s, 8, 0);
	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-buf", "sha256", d, 32, "leo:config", rec,
		       n, false);
	ok(decode_last(&tl, &r, &err) == -1 &&
	   strstr(err.msg, "not the sha256 of the record"),
	   "d-ng mismatch: \"%s\"", err.msg);
	testlog_free(&tl);

	/* A leo event logged with a template that drops the buffer. */
	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-ng", "sha256", d, 32, "leo:config", NULL,
		       0, false);
	ok(decode_last(&tl, &r, &err) == -1 &&
	   strstr(err.msg, "template ima-ng"), "ima-ng leo event: \"%s\"",
	   err.msg);
	testlog_free(&tl);

	/* Not leo's: another ima-buf event is skipped, not an error. */
	testlog_init(&tl);
	testlog_add_buf(&tl, 10, "kexec-cmdline", "x", 1);
	ok(decode_last(&tl, &r, &err) == 0, "other ima-buf events: not leo's");
	testlog_free(&tl);
}

static void test_seq(void)
{
	struct leo_seq_tracker t = { 0 };
	struct leo_record r = { .instance = 1, .seq = 0 };
	bool fresh;

	ok(leo_seq_track(&t, &r, &fresh) == 0 && fresh, "first load at 0");
	r.seq = 1;
	ok(leo_seq_track(&t, &r, &fresh) == 0 && !fresh, "next number");
	r.seq = 4;
	ok(leo_seq_track(&t, &r, &fresh) == 2, "gap of two records");
	r.seq = 4;
	ok(leo_seq_track(&t, &r, &fresh) == UINT64_MAX, "repeated number");
	r.instance = 2;
	r.seq = 3;
	ok(leo_seq_track(&t, &r, &fresh) == 3 && fresh,
	   "new instance not starting at 0");
}

/* A PEERS_EXPIRED record of @count entries, @entry_size bytes each. */
static size_t make_expired(uint32_t count, uint32_t entry_size,
			   uint32_t room_entries)
{
	struct leo_measure_expired_rec b = {
		.count = htole32(count), .entry_size = htole32(entry_size),
	};
	struct leo_measure_expired_peer e[2] = {
		{ .family = htole16(AF_INET), .state = LEO_PEER_ATTESTED,
		  .flags = htole32(LEO_MEASURE_F_PEER_ID) },
		{ .family = htole16(AF_INET6), .state = LEO_PEER_QUARANTINED,
		  .flags = htole32(LEO_MEASURE_F_PEER_ID |
				   LEO_MEASURE_F_EVIDENCE) },
	};
	size_t body = sizeof(b) + room_entries * sizeof(e[0]);
	size_t n = make_hdr(LEO_MEASURE_OP_PEERS_EXPIRED, body, 21);

	inet_pton(AF_INET, "192.0.2.8", e[0].addr);
	inet_pton(AF_INET6, "2001:db8::8", e[1].addr);
	memset(e[0].peer_id, 0x11, 32);
	memset(e[1].peer_id, 0x22, 32);
	memset(e[1].evidence, 0x33, 32);
	memcpy(rec + sizeof(struct leo_measure_hdr), &b, sizeof(b));
	memcpy(rec + sizeof(struct leo_measure_hdr) + sizeof(b), e,
	       room_entries * sizeof(e[0]));
	return n;
}

/* Malformed PEERS_EXPIRED records: count, entry size, entries present. */
static const struct bad_expired {
	uint32_t count, entry_size, room;
	const char *why;
} bad_expired[] = {
	{ 0, 88, 0, "no peer" },
	{ 1, 80, 1, "entries shorter than 88 bytes" },
	{ 3, 88, 2, "more entries than bytes" },
	{ 0x40000000, 88, 2, "count * size past the record" },
};

static void test_peers_expired(void)
{
	struct leo_record_peer p;
	struct ima_log_error err;
	struct json_object *j, *peers;
	struct leo_record r;
	char line[512];
	size_t n;

	n = make_expired(2, sizeof(struct leo_measure_expired_peer), 2);
	ok(roundtrip(LEO_MEASURE_NAME_PEERS_EXPIRED, n, &r, &err) == 1 &&
	   r.op == LEO_MEASURE_OP_PEERS_EXPIRED && r.u.expired.count == 2 &&
	   r.u.expired.entry_size == 88, "peers-expired: count and size");
	leo_record_expired_peer(&r, 1, &p);
	ok(p.family == AF_INET6 && p.state == LEO_PEER_QUARANTINED &&
	   p.reason == LEO_REASON_EXPIRED && p.peer_id[0] == 0x22 &&
	   p.evidence[31] == 0x33, "peers-expired: second entry");
	leo_record_format(&r, line, sizeof(line));
	ok(strstr(line, "op=peers-expired") &&
	   strstr(line, "count=2 peers=192.0.2.8,2001:db8::8"),
	   "peers-expired text: %s", line);
	j = leo_record_to_json(&r);
	peers = j ? json_object_object_get(j, "peers") : NULL;
	ok(peers && json_object_array_length(peers) == 2 &&
	   !strcmp(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(peers, 0), "addr")), "192.0.2.8") &&
	   !strcmp(json_object_get_string(json_object_object_get(j,
		"reason")), "expired"), "peers-expired as JSON");
	json_object_put(j);

	/* a later version's longer entries: stepped over by entry_size */
	n = make_expired(1, 2 * 88, 2);
	ok(roundtrip(LEO_MEASURE_NAME_PEERS_EXPIRED, n, &r, &err) == 1 &&
	   r.u.expired.count == 1, "peers-expired with longer entries");

	for (size_t i = 0; i < sizeof(bad_expired) / sizeof(bad_expired[0]);
	     i++) {
		const struct bad_expired *b = &bad_expired[i];

		n = make_expired(b->count, b->entry_size, b->room);
		ok(roundtrip(LEO_MEASURE_NAME_PEERS_EXPIRED, n, &r, &err) == -1,
		   "peers-expired refused: %s", b->why);
	}
	n = make_expired(2, 88, 2);
	memset(rec + sizeof(struct leo_measure_hdr) + 8 + 88, 0, 2);
	ok(roundtrip(LEO_MEASURE_NAME_PEERS_EXPIRED, n, &r, &err) == -1,
	   "peers-expired refused: entry without a family");
}

int main(void)
{
	test_peer();
	test_subnet_config_seal();
	test_load_counters();
	test_device();
	test_peers_expired();
	test_malformed();
	test_seq();
	testlog_free(&last_log);
	return tap_done();
}
