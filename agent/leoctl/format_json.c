// SPDX-License-Identifier: GPL-2.0
/*
 * leoctl's JSON output. Keys are stable for scripts: snake_case, times in
 * milliseconds, digests as lower-case hex, counters as unsigned 64-bit.
 */
#include <sys/socket.h>

#include "leoctl/format.h"
#include "leoctl/names.h"
#include "leoctl/units.h"

static void add(json_object *obj, const char *key, json_object *val)
{
	json_object_object_add(obj, key, val);
}

static void add_str(json_object *obj, const char *key, const char *s)
{
	add(obj, key, json_object_new_string(s));
}

static void add_u64(json_object *obj, const char *key, uint64_t v)
{
	add(obj, key, json_object_new_uint64(v));
}

static void add_hex32(json_object *obj, const char *key, const uint8_t *b)
{
	char hex[HEX32_STR_MAX];

	add_str(obj, key, format_hex32(b, hex, sizeof(hex)));
}

static const char *family_name(uint16_t family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" :
	       "unknown";
}

static void add_addr(json_object *obj, const struct leo_addr *addr)
{
	char buf[ADDR_STR_MAX];

	add_str(obj, "address", format_addr(addr, buf, sizeof(buf)));
	add_str(obj, "family", family_name(addr->family));
}

json_object *peer_json(const struct leo_peer *peer)
{
	json_object *obj = json_object_new_object();

	add_addr(obj, &peer->addr);
	add_hex32(obj, "id", peer->id);
	add_str(obj, "state", state_name(peer->state));
	add_u64(obj, "expires_ms", peer->expires_ms);
	if (peer->has_evidence)
		add_hex32(obj, "evidence", peer->evidence);
	else
		add(obj, "evidence", NULL);
	add_u64(obj, "rx_packets", peer->rx_packets);
	add_u64(obj, "rx_bytes", peer->rx_bytes);
	add_u64(obj, "tx_packets", peer->tx_packets);
	add_u64(obj, "tx_bytes", peer->tx_bytes);
	return obj;
}

json_object *subnet_json(const struct leo_prefix *subnet)
{
	json_object *obj = json_object_new_object();
	char buf[ADDR_STR_MAX];

	add_str(obj, "prefix", format_prefix(subnet, buf, sizeof(buf)));
	add_addr(obj, &subnet->addr);
	add_u64(obj, "prefixlen", subnet->len);
	return obj;
}

json_object *config_json(const struct leo_config *cfg)
{
	json_object *obj = json_object_new_object();

	add_str(obj, "mode", mode_name(cfg->mode));
	add_u64(obj, "hs_port", cfg->hs_port);
	add_u64(obj, "default_validity_ms", cfg->default_validity_ms);
	add_u64(obj, "hs_rate", cfg->hs_rate);
	add_u64(obj, "hs_burst", cfg->hs_burst);
	add_u64(obj, "hs_total_rate", cfg->hs_total_rate);
	add_u64(obj, "agent_mark", cfg->agent_mark);
	add(obj, "sealed", json_object_new_boolean(cfg->sealed));
	return obj;
}

json_object *stats_json(const struct leo_stats *stats)
{
	json_object *obj = json_object_new_object();

	add_u64(obj, "peer_count", stats->peer_count);
	add_u64(obj, "subnet_count", stats->subnet_count);
	add_u64(obj, "device_count", stats->device_count);
	for (unsigned int i = LEO_STAT_PAD + 1; i <= LEO_STAT_MAX; i++)
		add_u64(obj, stat_name(i), stats->counter[i]);
	return obj;
}

json_object *device_json(const struct leo_device *dev)
{
	json_object *obj = json_object_new_object();

	add(obj, "name", dev->has_name ? json_object_new_string(dev->name) :
		NULL);
	add_u64(obj, "ifindex", dev->ifindex);
	return obj;
}

json_object *event_json(const struct leo_nl_event *ev,
			const struct timespec *when)
{
	json_object *obj = json_object_new_object();

	add_u64(obj, "time_ms", (uint64_t)when->tv_sec * 1000 +
		when->tv_nsec / 1000000);
	add_str(obj, "event", event_name(ev->type));
	if (ev->has_addr)
		add_addr(obj, &ev->addr);
	if (ev->has_drop) {
		add_str(obj, "drop_reason", drop_reason_name(ev->drop_reason));
		add_str(obj, "direction", direction_name(ev->direction));
	}
	if (ev->has_config) {
		json_object *cfg = config_json(&ev->config);

		/* An event does not say whether the namespace is sealed. */
		json_object_object_del(cfg, "sealed");
		add(obj, "config", cfg);
	}
	return obj;
}

void print_json(FILE *f, json_object *obj, int compact)
{
	int flags = compact ? JSON_C_TO_STRING_PLAIN :
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;

	fprintf(f, "%s\n", json_object_to_json_string_ext(obj,
			flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}
