// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of leoctl's output: units, the human text exactly as a user
 * sees it, and the JSON parsed back with json-c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "leoctl/format.h"
#include "leoctl/units.h"
#include "leoctl/test/tap.h"

/* Captures what a print_* function writes. Caller frees. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *capture_start(struct capture *c)
{
	c->text = NULL;
	c->f = open_memstream(&c->text, &c->len);
	return c->f;
}

static char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->text;
}

static void test_units(void)
{
	char b[DURATION_STR_MAX];
	char y[BYTES_STR_MAX];
	char a[ADDR_STR_MAX];
	struct leo_prefix p = { .addr.family = AF_INET6, .len = 64 };

	tap_streq(format_duration(0, b, sizeof(b)), "0s", "0 ms is 0s");
	tap_streq(format_duration(250, b, sizeof(b)), "250ms", "250 ms");
	tap_streq(format_duration(1500, b, sizeof(b)), "1s", "1500 ms rounds down to 1s");
	tap_streq(format_duration(90000, b, sizeof(b)), "1m 30s", "90 s");
	tap_streq(format_duration(3600000, b, sizeof(b)), "1h", "1 h");
	tap_streq(format_duration(LEO_MAX_VALIDITY_MS, b, sizeof(b)), "7d", "7 days");
	tap_streq(format_duration(93784000, b, sizeof(b)), "1d 2h 3m 4s", "all units");
	tap_streq(format_duration(UINT64_MAX, b, sizeof(b)),
		  "213503982334d 14h 25m 51s", "the largest value fits");
	tap_streq(format_bytes(0, y, sizeof(y)), "0 B", "0 bytes");
	tap_streq(format_bytes(1023, y, sizeof(y)), "1023 B", "1023 bytes");
	tap_streq(format_bytes(1536, y, sizeof(y)), "1.50 KiB", "1.5 KiB");
	tap_streq(format_bytes(5ULL << 30, y, sizeof(y)), "5.00 GiB", "5 GiB");
	tap_streq(format_bytes(UINT64_MAX, y, sizeof(y)), "16.00 EiB", "max bytes");
	inet_pton(AF_INET6, "2001:db8::", p.addr.bytes);
	tap_streq(format_prefix(&p, a, sizeof(a)), "2001:db8::/64", "IPv6 prefix");
}

static void test_order(void)
{
	struct leo_prefix v4 = { .addr.family = AF_INET, .len = 24 };
	struct leo_prefix v4b = v4, v6 = { .addr.family = AF_INET6 };

	inet_pton(AF_INET, "192.0.2.0", &v4.addr.v4);
	inet_pton(AF_INET, "198.51.100.0", &v4b.addr.v4);
	inet_pton(AF_INET6, "2001:db8::", &v6.addr.v6);
	tap_ok(compare_addr(&v4.addr, &v6.addr) < 0 &&
	       compare_addr(&v6.addr, &v4.addr) > 0, "IPv4 sorts before IPv6");
	tap_ok(compare_addr(&v4.addr, &v4b.addr) < 0 &&
	       compare_addr(&v4.addr, &v4.addr) == 0, "addresses in numeric order");
	v4b = v4;
	v4b.len = 25;
	tap_ok(compare_prefix(&v4, &v4b) < 0, "shorter prefix first");
}

static struct leo_peer sample_peer(void)
{
	struct leo_peer p = {
		.addr.family = AF_INET,
		.state = LEO_PEER_ATTESTED,
		.expires_ms = 118500,
		.rx_packets = 12, .rx_bytes = 1234,
		.tx_packets = 30, .tx_bytes = 3 * 1024 * 1024,
	};

	inet_pton(AF_INET, "192.0.2.10", &p.addr.v4);
	for (int i = 0; i < 32; i++)
		p.id[i] = 0xa0 + i % 16;
	return p;
}

static const char sample_id[] =
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafa0a1a2a3a4a5a6a7a8a9aaabacadaeaf";

static void test_peer_text(void)
{
	struct leo_peer p = sample_peer();
	struct capture c;
	char *text;

	print_peer(capture_start(&c), &p);
	text = capture_end(&c);
	tap_streq(text,
		  "peer: 192.0.2.10\n"
		  "  id: a0a1a2a3a4a5a6a7a8a9aaabacadaeafa0a1a2a3a4a5a6a7a8a9aaabacadaeaf\n"
		  "  state: attested\n"
		  "  expires in: 1m 58s\n"
		  "  transfer: 1.21 KiB received (12 packets), 3.00 MiB sent (30 packets)\n",
		  "peer show text");
	free(text);

	p.expires_ms = 0;
	p.state = LEO_PEER_QUARANTINED;
	p.has_evidence = true;
	memset(p.evidence, 0x11, sizeof(p.evidence));
	print_peer(capture_start(&c), &p);
	text = capture_end(&c);
	tap_ok(strstr(text, "  state: quarantined\n") &&
	       strstr(text, "  expires in: expired\n") &&
	       strstr(text, "  evidence: 1111111111111111111111111111111111111111111111111111111111111111\n"),
	       "peer show: quarantined, expired, with evidence");
	free(text);
}

static void test_peer_table(void)
{
	struct leo_peer peers[2] = { sample_peer(), sample_peer() };
	struct capture c;
	char *text;

	peers[1].addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::beef", &peers[1].addr.v6);
	peers[1].state = LEO_PEER_QUARANTINED;
	peers[1].expires_ms = 0;
	peers[1].rx_bytes = 0;
	print_peer_table(capture_start(&c), peers, 2);
	text = capture_end(&c);
	tap_streq(text,
		  "ADDRESS         STATE        EXPIRES  ID                   RECEIVED  SENT\n"
		  "192.0.2.10      attested     1m 58s   a0a1a2a3a4a5a6a7...  1.21 KiB  3.00 MiB\n"
		  "2001:db8::beef  quarantined  expired  a0a1a2a3a4a5a6a7...       0 B  3.00 MiB\n",
		  "peer list: aligned columns");
	free(text);
	print_peer_table(capture_start(&c), peers, 0);
	text = capture_end(&c);
	tap_streq(text, "no peers\n", "peer list: empty table");
	free(text);
}

static json_object *round_trip(json_object *obj)
{
	json_object *back = json_tokener_parse(json_object_to_json_string(obj));

	json_object_put(obj);
	return back;
}

static const char *jstr(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static uint64_t juint(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0xdeadbeef;
	return json_object_get_uint64(v);
}

static void test_peer_json(void)
{
	struct leo_peer p = sample_peer();
	json_object *obj, *ev;

	p.rx_bytes = UINT64_MAX;
	obj = round_trip(peer_json(&p));
	tap_ok(obj != NULL, "peer JSON parses back");
	tap_streq(jstr(obj, "address"), "192.0.2.10", "peer JSON: address");
	tap_streq(jstr(obj, "family"), "ipv4", "peer JSON: family");
	tap_streq(jstr(obj, "id"), sample_id, "peer JSON: id");
	tap_streq(jstr(obj, "state"), "attested", "peer JSON: state");
	tap_ok(juint(obj, "expires_ms") == 118500, "peer JSON: expires_ms");
	tap_ok(juint(obj, "rx_bytes") == UINT64_MAX,
	       "peer JSON: a u64 counter survives intact");
	tap_ok(juint(obj, "rx_packets") == 12 && juint(obj, "tx_packets") == 30 &&
	       juint(obj, "tx_bytes") == 3 * 1024 * 1024, "peer JSON: counters");
	tap_ok(json_object_object_get_ex(obj, "evidence", &ev) && ev == NULL,
	       "peer JSON: absent evidence is null");
	json_object_put(obj);
}

static void test_subnets(void)
{
	struct leo_prefix s[2] = {
		{ .addr.family = AF_INET, .len = 24 },
		{ .addr.family = AF_INET6, .len = 64 },
	};
	struct capture c;
	json_object *obj;
	char *text;

	inet_pton(AF_INET, "192.0.2.0", &s[0].addr.v4);
	inet_pton(AF_INET6, "2001:db8::", &s[1].addr.v6);
	print_subnets(capture_start(&c), s, 2);
	text = capture_end(&c);
	tap_streq(text, "192.0.2.0/24\n2001:db8::/64\n", "subnet list text");
	free(text);
	obj = round_trip(subnet_json(&s[1]));
	tap_streq(jstr(obj, "prefix"), "2001:db8::/64", "subnet JSON: prefix");
	tap_streq(jstr(obj, "address"), "2001:db8::", "subnet JSON: address");
	tap_streq(jstr(obj, "family"), "ipv6", "subnet JSON: family");
	tap_ok(juint(obj, "prefixlen") == 64, "subnet JSON: prefixlen");
	json_object_put(obj);
}

static void test_config(void)
{
	struct leo_config cfg = {
		.mode = LEO_MODE_MONITOR, .hs_port = 4884,
		.default_validity_ms = 120000, .hs_rate = 20, .hs_burst = 40,
		.hs_total_rate = 1000, .agent_mark = 0x1e0, .sealed = true,
	};
	struct capture c;
	json_object *obj, *v;
	char *text;

	print_config(capture_start(&c), &cfg);
	text = capture_end(&c);
	tap_streq(text,
		  "mode:              monitor\n"
		  "handshake port:    4884/tcp, agent sockets marked 0x1e0\n"
		  "default validity:  2m\n"
		  "handshake rate:    20 packets/s per source prefix, burst 40\n"
		  "handshake total:   1000 packets/s from all unattested sources\n"
		  "sealed:            yes\n", "config text");
	free(text);
	cfg.agent_mark = 0;
	print_config(capture_start(&c), &cfg);
	text = capture_end(&c);
	tap_ok(strstr(text, "handshake port:    none (no agent mark; port 4884/tcp)\n") != NULL,
	       "config text: no agent mark means no exemption");
	free(text);
	cfg.hs_port = 0;
	print_config(capture_start(&c), &cfg);
	text = capture_end(&c);
	tap_ok(strstr(text, "handshake port:    none (no port, no agent mark)\n") != NULL,
	       "config text: neither port nor mark");
	free(text);
	cfg.agent_mark = 7;
	print_config(capture_start(&c), &cfg);
	text = capture_end(&c);
	tap_ok(strstr(text, "handshake port:    none (no port; agent mark 0x7)\n") != NULL,
	       "config text: port 0 means no exemption, mark shown");
	free(text);
	cfg.agent_mark = UINT32_MAX;
	obj = round_trip(config_json(&cfg));
	tap_streq(jstr(obj, "mode"), "monitor", "config JSON: mode");
	tap_ok(juint(obj, "hs_port") == 0 && juint(obj, "hs_rate") == 20 &&
	       juint(obj, "hs_burst") == 40 &&
	       juint(obj, "hs_total_rate") == 1000 &&
	       juint(obj, "default_validity_ms") == 120000,
	       "config JSON: numbers");
	tap_ok(juint(obj, "agent_mark") == UINT32_MAX,
	       "config JSON: agent_mark, a full u32");
	tap_ok(json_object_object_get_ex(obj, "sealed", &v) &&
	       json_object_get_boolean(v), "config JSON: sealed is a boolean");
	json_object_put(obj);
}

static void test_stats(void)
{
	struct leo_stats st = { .peer_count = 3, .subnet_count = 1,
				.device_count = 2 };
	struct capture c;
	json_object *obj;
	char *text;

	for (int i = LEO_STAT_PASSED; i <= LEO_STAT_MAX; i++)
		st.counter[i] = 100 + i;
	print_stats(capture_start(&c), &st);
	text = capture_end(&c);
	tap_streq(text,
		  "peers:                       3\n"
		  "subnets:                     1\n"
		  "devices:                     2\n"
		  "packets:\n"
		  "  passed:                    102\n"
		  "  dropped, no peer:          103\n"
		  "  dropped, peer expired:     104\n"
		  "  dropped, peer quarantined: 105\n"
		  "  handshake passed:          106\n"
		  "  handshake rate-limited:    107\n"
		  "  monitor passed:            108\n"
		  "  peers expired:             109\n"
		  "  events suppressed:         110\n"
		  "  path MTU errors passed:    111\n", "stats text");
	free(text);
	obj = round_trip(stats_json(&st));
	tap_ok(juint(obj, "peer_count") == 3 && juint(obj, "subnet_count") == 1 &&
	       juint(obj, "device_count") == 2, "stats JSON: counts");
	tap_ok(juint(obj, "passed") == 102 && juint(obj, "drop_no_peer") == 103 &&
	       juint(obj, "hs_ratelimited") == 107 &&
	       juint(obj, "events_suppressed") == 110 &&
	       juint(obj, "icmp_errors_passed") == 111, "stats JSON: counters");
	json_object_put(obj);
}

static void test_devices(void)
{
	struct leo_device d[2] = {
		{ .ifindex = 3, .has_name = true, .name = "leo-d0" },
		{ .ifindex = 9 },
	};
	struct capture c;
	json_object *obj, *v;
	char *text;

	print_devices(capture_start(&c), d, 2);
	text = capture_end(&c);
	tap_streq(text, "leo-d0 (ifindex 3)\n- (ifindex 9, gone)\n",
		  "device list text");
	free(text);
	print_devices(capture_start(&c), d, 0);
	text = capture_end(&c);
	tap_streq(text, "no protected devices\n", "device list: empty");
	free(text);
	obj = round_trip(device_json(&d[0]));
	tap_streq(jstr(obj, "name"), "leo-d0", "device JSON: name");
	tap_ok(juint(obj, "ifindex") == 3, "device JSON: ifindex");
	json_object_put(obj);
	obj = round_trip(device_json(&d[1]));
	tap_ok(json_object_object_get_ex(obj, "name", &v) && v == NULL &&
	       juint(obj, "ifindex") == 9, "device JSON: a gone device's name is null");
	json_object_put(obj);
}

static void test_events(void)
{
	struct timespec when = { .tv_sec = 1764078001, .tv_nsec = 123456789 };
	struct leo_nl_event ev = {
		.type = LEO_EVENT_DROP, .has_addr = true,
		.addr.family = AF_INET, .has_drop = true,
		.drop_reason = LEO_DROP_NO_PEER, .direction = LEO_DIR_IN,
	};
	struct capture c;
	json_object *obj, *cfg;
	char *text;

	inet_pton(AF_INET, "198.51.100.9", &ev.addr.v4);
	print_event(capture_start(&c), &ev, &when);
	text = capture_end(&c);
	tap_streq(text,
		  "2025-11-25T13:40:01.123Z  drop            198.51.100.9  reason no-peer, direction in\n",
		  "drop event text");
	free(text);
	obj = round_trip(event_json(&ev, &when));
	tap_streq(jstr(obj, "event"), "drop", "event JSON: event");
	tap_streq(jstr(obj, "address"), "198.51.100.9", "event JSON: address");
	tap_streq(jstr(obj, "drop_reason"), "no-peer", "event JSON: reason");
	tap_streq(jstr(obj, "direction"), "in", "event JSON: direction");
	tap_ok(juint(obj, "time_ms") == 1764078001123ULL, "event JSON: time_ms");
	json_object_put(obj);

	ev = (struct leo_nl_event){ .type = LEO_EVENT_CONFIG_CHANGED,
		.has_config = true,
		.config = { .mode = LEO_MODE_ENFORCE, .hs_port = 4884,
			    .default_validity_ms = 30000, .hs_rate = 5,
			    .hs_burst = 10, .hs_total_rate = 500,
			    .agent_mark = 0x1e0 } };
	print_event(capture_start(&c), &ev, &when);
	text = capture_end(&c);
	tap_streq(text,
		  "2025-11-25T13:40:01.123Z  config-changed  mode enforce, hs-port 4884, validity 30s, hs-rate 5/s, hs-burst 10, hs-total-rate 500/s, agent-mark 0x1e0\n",
		  "config event text");
	free(text);
	obj = round_trip(event_json(&ev, &when));
	tap_ok(json_object_object_get_ex(obj, "config", &cfg) &&
	       juint(cfg, "hs_rate") == 5 && juint(cfg, "agent_mark") == 0x1e0 &&
	       juint(cfg, "hs_total_rate") == 500 &&
	       !json_object_object_get_ex(cfg, "sealed", NULL),
	       "config event JSON: new settings, no sealed flag");
	tap_ok(!json_object_object_get_ex(obj, "address", NULL),
	       "config event JSON: no address");
	json_object_put(obj);
}

int main(void)
{
	test_units();
	test_order();
	test_peer_text();
	test_peer_table();
	test_peer_json();
	test_subnets();
	test_config();
	test_stats();
	test_devices();
	test_events();
	return tap_done();
}
