// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of leoctl's value parsers: accepted forms, every rejection
 * with its exact message, and outputs left untouched on failure.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "leoctl/parse.h"
#include "leoctl/test/tap.h"

static struct parse_err err;

static void addr_ok(const char *s, int family)
{
	struct leo_addr a, want = { .family = family };

	inet_pton(family, s, want.bytes);
	tap_ok(parse_addr("address", s, &a, &err) == 0 &&
	       a.family == family && !memcmp(a.bytes, want.bytes, 16),
	       "address '%s' accepted", s);
}

/* A rejected value: status -1, this message, output untouched. */
static void addr_bad(const char *s, const char *msg)
{
	struct leo_addr a = { .family = 77 };

	tap_ok(parse_addr("address", s, &a, &err) == -1 && a.family == 77,
	       "address '%s' rejected", s);
	tap_streq(err.msg, msg, "  with a clear message");
}

static void test_addresses(void)
{
	addr_ok("192.0.2.7", AF_INET);
	addr_ok("203.0.113.255", AF_INET);
	addr_ok("2001:db8::7", AF_INET6);
	addr_ok("2001:db8:0:0:1:2:3:4", AF_INET6);
	addr_ok("::ffff:192.0.2.1", AF_INET6);
	addr_bad("192.0.2.300", "address: '192.0.2.300' is not an IPv4 or IPv6 address");
	addr_bad("", "address: '' is not an IPv4 or IPv6 address");
	addr_bad("peer1", "address: 'peer1' is not an IPv4 or IPv6 address");
	addr_bad("192.0.2", "address: '192.0.2' is not an IPv4 or IPv6 address");
	addr_bad("192.0.2.0/24", "address: '192.0.2.0/24' is not an IPv4 or IPv6 address");
	addr_bad(" 192.0.2.7", "address: ' 192.0.2.7' is not an IPv4 or IPv6 address");
	addr_bad("2001:db8::g", "address: '2001:db8::g' is not an IPv4 or IPv6 address");
	addr_bad("fe80::1%eth0", "address: 'fe80::1%eth0' is not an IPv4 or IPv6 address");
}

static void prefix_ok(const char *s, const char *addr, int family,
		      unsigned int len)
{
	struct leo_prefix p, want = { .addr.family = family, .len = len };

	inet_pton(family, addr, want.addr.bytes);
	tap_ok(parse_prefix("prefix", s, &p, &err) == 0 &&
	       p.addr.family == family && p.len == len &&
	       !memcmp(p.addr.bytes, want.addr.bytes, 16),
	       "prefix '%s' is %s/%u", s, addr, len);
}

static void prefix_bad(const char *s, const char *msg)
{
	struct leo_prefix p = { .len = 99 };

	tap_ok(parse_prefix("prefix", s, &p, &err) == -1 && p.len == 99,
	       "prefix '%s' rejected", s);
	tap_streq(err.msg, msg, "  with a clear message");
}

static void test_prefixes(void)
{
	prefix_ok("192.0.2.0/24", "192.0.2.0", AF_INET, 24);
	prefix_ok("198.51.100.128/25", "198.51.100.128", AF_INET, 25);
	prefix_ok("0.0.0.0/0", "0.0.0.0", AF_INET, 0);
	prefix_ok("203.0.113.9", "203.0.113.9", AF_INET, 32);
	prefix_ok("2001:db8::/64", "2001:db8::", AF_INET6, 64);
	prefix_ok("2001:db8::/32", "2001:db8::", AF_INET6, 32);
	prefix_ok("2001:db8::1", "2001:db8::1", AF_INET6, 128);
	prefix_ok("::/0", "::", AF_INET6, 0);
	prefix_bad("192.0.2.1/24",
		   "prefix: '192.0.2.1/24' has host bits set (did you mean 192.0.2.0/24?)");
	prefix_bad("2001:db8::1/64",
		   "prefix: '2001:db8::1/64' has host bits set (did you mean 2001:db8::/64?)");
	prefix_bad("198.51.100.129/25",
		   "prefix: '198.51.100.129/25' has host bits set (did you mean 198.51.100.128/25?)");
	prefix_bad("192.0.2.0/33",
		   "prefix: '192.0.2.0/33' has a bad prefix length '33' (0..32 for IPv4)");
	prefix_bad("2001:db8::/129",
		   "prefix: '2001:db8::/129' has a bad prefix length '129' (0..128 for IPv6)");
	prefix_bad("192.0.2.0/", "prefix: '192.0.2.0/' has a bad prefix length '' (0..32 for IPv4)");
	prefix_bad("192.0.2.0/-1", "prefix: '192.0.2.0/-1' has a bad prefix length '-1' (0..32 for IPv4)");
	prefix_bad("192.0.2.0/2x", "prefix: '192.0.2.0/2x' has a bad prefix length '2x' (0..32 for IPv4)");
	prefix_bad("192.0.2.0/24/8", "prefix: '192.0.2.0/24/8' has a bad prefix length '24/8' (0..32 for IPv4)");
	prefix_bad("subnet/24", "prefix: 'subnet/24' is not a prefix like 192.0.2.0/24 or 2001:db8::/64");
	prefix_bad("/24", "prefix: '/24' is not a prefix like 192.0.2.0/24 or 2001:db8::/64");
	prefix_bad("", "prefix: '' is not a prefix like 192.0.2.0/24 or 2001:db8::/64");
}

static const char id_hex[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void test_ids(void)
{
	uint8_t id[32], want[32];
	char upper[65];

	for (int i = 0; i < 32; i++)
		want[i] = i;
	tap_ok(parse_hex32("id", id_hex, id, &err) == 0 &&
	       !memcmp(id, want, 32), "64 hex digits give 32 bytes");
	for (int i = 0; i < 65; i++)
		upper[i] = id_hex[i] >= 'a' ? id_hex[i] - 32 : id_hex[i];
	tap_ok(parse_hex32("id", upper, id, &err) == 0 &&
	       !memcmp(id, want, 32), "upper-case hex accepted");

	memset(id, 0xaa, sizeof(id));
	tap_ok(parse_hex32("id", "abc", id, &err) == -1 && id[0] == 0xaa,
	       "short id rejected, output untouched");
	tap_streq(err.msg, "id: 'abc' must be 64 hex digits (32 bytes), not 3",
		  "  with its length");
	tap_ok(parse_hex32("id", "", id, &err) == -1, "empty id rejected");
	tap_streq(err.msg, "id: '' must be 64 hex digits (32 bytes), not 0",
		  "  with its length");
	tap_ok(parse_hex32("evidence",
			   "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
			   id, &err) == -1, "66 digits rejected");
	tap_streq(err.msg,
		  "evidence: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00' must be 64 hex digits (32 bytes), not 66",
		  "  naming the field");
	tap_ok(parse_hex32("id", "00010203g", id, &err) == -1,
	       "non-hex digit rejected");
	tap_streq(err.msg, "id: '00010203g' has a non-hex character at position 9",
		  "  with its position");
	tap_ok(parse_hex32("id", "0x0102", id, &err) == -1, "0x prefix rejected");
	tap_streq(err.msg, "id: '0x0102' has a non-hex character at position 2",
		  "  with its position");
}

static void duration_ok(const char *s, uint32_t ms)
{
	uint32_t got = 0;

	tap_ok(parse_duration("validity", s, &got, &err) == 0 && got == ms,
	       "duration '%s' is %u ms (got %u)", s, ms, got);
}

static void duration_bad(const char *s, const char *msg)
{
	uint32_t got = 4242;

	tap_ok(parse_duration("validity", s, &got, &err) == -1 && got == 4242,
	       "duration '%s' rejected", s);
	tap_streq(err.msg, msg, "  with a clear message");
}

static void test_durations(void)
{
	duration_ok("30s", 30000);
	duration_ok("5m", 300000);
	duration_ok("2h", 7200000);
	duration_ok("1500ms", 1500);
	duration_ok("1ms", 1);
	duration_ok("1d", 86400000);
	duration_ok("1h30m", 5400000);
	duration_ok("1m30s500ms", 90500);
	duration_ok("7d", LEO_MAX_VALIDITY_MS);
	duration_ok("168h", LEO_MAX_VALIDITY_MS);
	duration_ok("007s", 7000);
	duration_bad("30", "validity: '30' has no unit (ms, s, m, h or d)");
	duration_bad("30x", "validity: '30x' has an unknown unit 'x' (ms, s, m, h or d)");
	duration_bad("30sec", "validity: '30sec' has an unknown unit 'sec' (ms, s, m, h or d)");
	duration_bad("1h30", "validity: '1h30' has no unit (ms, s, m, h or d)");
	duration_bad("0s", "validity: '0s' must be at least 1ms");
	duration_bad("0ms0s", "validity: '0ms0s' must be at least 1ms");
	duration_bad("7d1ms", "validity: '7d1ms' is longer than the maximum of 7d");
	duration_bad("8d", "validity: '8d' is longer than the maximum of 7d");
	duration_bad("99999999999999999999999s",
		     "validity: '99999999999999999999999s' is longer than the maximum of 7d");
	duration_bad("", "validity: '' is empty; use e.g. 30s, 5m, 2h or 1500ms");
	duration_bad("s", "validity: 's' is not a duration like 30s, 5m, 2h or 1500ms");
	duration_bad("-5s", "validity: '-5s' is not a duration like 30s, 5m, 2h or 1500ms");
	duration_bad("1.5s", "validity: '1.5s' has an unknown unit '.5s' (ms, s, m, h or d)");
	duration_bad("5 m", "validity: '5 m' has an unknown unit ' m' (ms, s, m, h or d)");
}

static void u32_case(const char *s, uint32_t min, uint32_t max, int want_ret,
		     uint32_t want, const char *msg)
{
	uint32_t got = 777;
	int ret = parse_u32("hs-rate", s, min, max, &got, &err);

	tap_ok(ret == want_ret && got == (ret ? 777 : want),
	       "number '%s' in %u..%u: %s", s, min, max,
	       want_ret ? "rejected" : "accepted");
	if (msg)
		tap_streq(err.msg, msg, "  with a clear message");
}

static void test_numbers(void)
{
	u32_case("20", 1, 1000000, 0, 20, NULL);
	u32_case("1000000", 1, 1000000, 0, 1000000, NULL);
	u32_case("0", 0, 65535, 0, 0, NULL);
	u32_case("0", 1, 1000000, -1, 0, "hs-rate: '0' is out of range 1..1000000");
	u32_case("1000001", 1, 1000000, -1, 0,
		 "hs-rate: '1000001' is out of range 1..1000000");
	u32_case("18446744073709551617", 1, 1000000, -1, 0,
		 "hs-rate: '18446744073709551617' is out of range 1..1000000");
	u32_case("-1", 1, 1000000, -1, 0, "hs-rate: '-1' is not a number");
	u32_case("+5", 1, 1000000, -1, 0, "hs-rate: '+5' is not a number");
	u32_case("12k", 1, 1000000, -1, 0, "hs-rate: '12k' is not a number");
	u32_case("", 1, 1000000, -1, 0, "hs-rate: '' is not a number");
	u32_case("0x10", 1, 1000000, -1, 0, "hs-rate: '0x10' is not a number");
}

static void number_case(const char *s, int want_ret, uint32_t want,
			const char *msg)
{
	uint32_t got = 777;
	int ret = parse_number("agent-mark", s, 0, UINT32_MAX, &got, &err);

	tap_ok(ret == want_ret && got == (ret ? 777 : want),
	       "mark '%s': %s", s, want_ret ? "rejected" : "accepted");
	if (msg)
		tap_streq(err.msg, msg, "  with a clear message");
}

static void test_hex_numbers(void)
{
	number_case("0", 0, 0, NULL);
	number_case("480", 0, 480, NULL);
	number_case("0x1e0", 0, 0x1e0, NULL);
	number_case("0X1E0", 0, 0x1e0, NULL);
	number_case("0xffffffff", 0, UINT32_MAX, NULL);
	number_case("4294967295", 0, UINT32_MAX, NULL);
	number_case("0x00000000000001", 0, 1, NULL);
	number_case("0x100000000", -1, 0,
		    "agent-mark: '0x100000000' is out of range 0..4294967295");
	number_case("4294967296", -1, 0,
		    "agent-mark: '4294967296' is out of range 0..4294967295");
	number_case("0x", -1, 0,
		    "agent-mark: '0x' is not a number (decimal or 0x hex)");
	number_case("0x1g", -1, 0,
		    "agent-mark: '0x1g' is not a number (decimal or 0x hex)");
	number_case("0x-1", -1, 0,
		    "agent-mark: '0x-1' is not a number (decimal or 0x hex)");
	number_case("1e0", -1, 0, "agent-mark: '1e0' is not a number");
	number_case("x1e0", -1, 0, "agent-mark: 'x1e0' is not a number");
	number_case("", -1, 0, "agent-mark: '' is not a number");
}

static void ifname_ok(const char *s)
{
	char name[16];

	tap_ok(parse_ifname("device", s, name, &err) == 0 && !strcmp(name, s),
	       "interface name '%s' accepted", s);
}

static void ifname_bad(const char *s, const char *msg)
{
	char name[16] = "untouched";

	tap_ok(parse_ifname("device", s, name, &err) == -1 &&
	       !strcmp(name, "untouched"), "interface name '%s' rejected", s);
	tap_streq(err.msg, msg, "  with a clear message");
}

static void test_ifnames(void)
{
	ifname_ok("eth0");
	ifname_ok("leo-d0");
	ifname_ok("abcdefghijklmno");
	ifname_ok("br.100");
	ifname_ok("7");
	ifname_bad("", "device: '' is not an interface name");
	ifname_bad(".", "device: '.' is not an interface name");
	ifname_bad("..", "device: '..' is not an interface name");
	ifname_bad("abcdefghijklmnop",
		   "device: 'abcdefghijklmnop' is longer than an interface name (15 characters)");
	ifname_bad("a/b",
		   "device: 'a/b' is not an interface name (no '/', ':' or spaces)");
	ifname_bad("eth0:1",
		   "device: 'eth0:1' is not an interface name (no '/', ':' or spaces)");
	ifname_bad("eth 0",
		   "device: 'eth 0' is not an interface name (no '/', ':' or spaces)");
	ifname_bad("eth0\t",
		   "device: 'eth0\t' is not an interface name (no '/', ':' or spaces)");
}

static void test_words(void)
{
	uint8_t v = 9;

	tap_ok(parse_state("state", "attested", &v, &err) == 0 &&
	       v == LEO_PEER_ATTESTED, "state attested");
	tap_ok(parse_state("state", "quarantined", &v, &err) == 0 &&
	       v == LEO_PEER_QUARANTINED, "state quarantined");
	v = 9;
	tap_ok(parse_state("state", "Attested", &v, &err) == -1 && v == 9,
	       "state words are case-sensitive");
	tap_streq(err.msg, "state: 'Attested' is not one of attested or quarantined",
		  "  with the accepted words");
	tap_ok(parse_mode("mode", "enforce", &v, &err) == 0 &&
	       v == LEO_MODE_ENFORCE, "mode enforce");
	tap_ok(parse_mode("mode", "monitor", &v, &err) == 0 &&
	       v == LEO_MODE_MONITOR, "mode monitor");
	tap_ok(parse_mode("mode", "off", &v, &err) == -1, "mode off rejected");
	tap_streq(err.msg, "mode: 'off' is not one of enforce or monitor",
		  "  with the accepted words");
	tap_ok(parse_reason("reason", "admin", &v, &err) == 0 &&
	       v == LEO_REASON_ADMIN, "reason admin");
	tap_ok(parse_reason("reason", "attestation-failed", &v, &err) == 0 &&
	       v == LEO_REASON_ATTESTATION_FAILED, "reason attestation-failed");
	tap_ok(parse_reason("reason", "consensus", &v, &err) == 0 &&
	       v == LEO_REASON_CONSENSUS, "reason consensus");
	tap_ok(parse_reason("reason", "reattested", &v, &err) == 0 &&
	       v == LEO_REASON_REATTESTED, "reason reattested");
	tap_ok(parse_reason("reason", "expired", &v, &err) == -1,
	       "reason expired is the kernel's alone");
	tap_streq(err.msg,
		  "reason: 'expired' is not one of admin, attestation-failed, consensus or reattested",
		  "  with the accepted words");
	tap_ok(parse_reason("reason", "unspecified", &v, &err) == -1,
	       "reason unspecified rejected");
}

static void test_long_value_is_cut(void)
{
	char big[400];
	struct leo_addr a;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	parse_addr("address", big, &a, &err);
	tap_ok(strlen(err.msg) < 140 && strstr(err.msg, "x...'"),
	       "a very long bad value is quoted cut short");
}

int main(void)
{
	test_addresses();
	test_prefixes();
	test_ids();
	test_durations();
	test_numbers();
	test_hex_numbers();
	test_ifnames();
	test_words();
	test_long_value_is_cut();
	return tap_done();
}
