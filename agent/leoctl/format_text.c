// SPDX-License-Identifier: GPL-2.0
/* leoctl's output for people: aligned columns, units, no raw numbers. */
#include <inttypes.h>
#include <string.h>

#include "leoctl/format.h"
#include "leoctl/names.h"
#include "leoctl/units.h"

/* Characters of a peer id shown in tables; `peer show` gives all 64. */
#define SHORT_ID_CHARS 16

static const char *expiry(uint64_t ms, char *buf, size_t size)
{
	return ms ? format_duration(ms, buf, size) : "expired";
}

void print_peer(FILE *f, const struct leo_peer *peer)
{
	char addr[ADDR_STR_MAX], hex[HEX32_STR_MAX], dur[DURATION_STR_MAX];
	char rx[BYTES_STR_MAX], tx[BYTES_STR_MAX];

	fprintf(f, "peer: %s\n", format_addr(&peer->addr, addr, sizeof(addr)));
	fprintf(f, "  id: %s\n", format_hex32(peer->id, hex, sizeof(hex)));
	fprintf(f, "  state: %s\n", state_name(peer->state));
	fprintf(f, "  expires in: %s\n",
		expiry(peer->expires_ms, dur, sizeof(dur)));
	if (peer->has_evidence)
		fprintf(f, "  evidence: %s\n",
			format_hex32(peer->evidence, hex, sizeof(hex)));
	fprintf(f, "  transfer: %s received (%" PRIu64 " packets), %s sent (%" PRIu64 " packets)\n",
		format_bytes(peer->rx_bytes, rx, sizeof(rx)), peer->rx_packets,
		format_bytes(peer->tx_bytes, tx, sizeof(tx)), peer->tx_packets);
}

/* The text of every column of one peer row. */
struct peer_row {
	char addr[ADDR_STR_MAX];
	const char *state;
	char expires[DURATION_STR_MAX];
	char id[SHORT_ID_CHARS + 4];
	char rx[BYTES_STR_MAX];
	char tx[BYTES_STR_MAX];
};

static void fill_row(struct peer_row *row, const struct leo_peer *peer)
{
	char hex[HEX32_STR_MAX];

	format_addr(&peer->addr, row->addr, sizeof(row->addr));
	row->state = state_name(peer->state);
	snprintf(row->expires, sizeof(row->expires), "%s",
		 expiry(peer->expires_ms, hex, sizeof(hex)));
	format_hex32(peer->id, hex, sizeof(hex));
	snprintf(row->id, sizeof(row->id), "%.*s...", SHORT_ID_CHARS, hex);
	format_bytes(peer->rx_bytes, row->rx, sizeof(row->rx));
	format_bytes(peer->tx_bytes, row->tx, sizeof(row->tx));
}

static int widen(int width, const char *s)
{
	int len = (int)strlen(s);

	return len > width ? len : width;
}

void print_peer_table(FILE *f, const struct leo_peer *peers, size_t n)
{
	int w_addr = 7, w_state = 5, w_exp = 7, w_rx = 8;
	struct peer_row row;

	if (!n) {
		fprintf(f, "no peers\n");
		return;
	}
	/* Two passes so columns fit their widest cell without a buffer. */
	for (size_t i = 0; i < n; i++) {
		fill_row(&row, &peers[i]);
		w_addr = widen(w_addr, row.addr);
		w_state = widen(w_state, row.state);
		w_exp = widen(w_exp, row.expires);
		w_rx = widen(w_rx, row.rx);
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s  %s\n", w_addr, "ADDRESS",
		w_state, "STATE", w_exp, "EXPIRES", SHORT_ID_CHARS + 3, "ID",
		w_rx, "RECEIVED", "SENT");
	for (size_t i = 0; i < n; i++) {
		fill_row(&row, &peers[i]);
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s  %s\n", w_addr,
			row.addr, w_state, row.state, w_exp, row.expires,
			SHORT_ID_CHARS + 3, row.id, w_rx, row.rx, row.tx);
	}
}

void print_subnets(FILE *f, const struct leo_prefix *subnets, size_t n)
{
	char buf[ADDR_STR_MAX];

	if (!n) {
		fprintf(f, "no subnets\n");
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", format_prefix(&subnets[i], buf, sizeof(buf)));
}

void print_devices(FILE *f, const struct leo_device *devs, size_t n)
{
	if (!n) {
		fprintf(f, "no protected devices\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (devs[i].has_name)
			fprintf(f, "%s (ifindex %u)\n", devs[i].name,
				devs[i].ifindex);
		else
			fprintf(f, "- (ifindex %u, gone)\n", devs[i].ifindex);
	}
}

/* Only TCP on the port, and only for sockets with the agent's mark. */
static void print_exemption(FILE *f, const struct leo_config *cfg)
{
	fprintf(f, "handshake port:    ");
	if (cfg->hs_port && cfg->agent_mark)
		fprintf(f, "%u/tcp, agent sockets marked 0x%x\n", cfg->hs_port,
			cfg->agent_mark);
	else if (cfg->hs_port)
		fprintf(f, "none (no agent mark; port %u/tcp)\n", cfg->hs_port);
	else if (cfg->agent_mark)
		fprintf(f, "none (no port; agent mark 0x%x)\n", cfg->agent_mark);
	else
		fprintf(f, "none (no port, no agent mark)\n");
}

void print_config(FILE *f, const struct leo_config *cfg)
{
	char dur[DURATION_STR_MAX];

	fprintf(f, "mode:              %s\n", mode_name(cfg->mode));
	print_exemption(f, cfg);
	fprintf(f, "default validity:  %s\n",
		format_duration(cfg->default_validity_ms, dur, sizeof(dur)));
	fprintf(f, "handshake rate:    %u packets/s per source prefix, burst %u\n",
		cfg->hs_rate, cfg->hs_burst);
	fprintf(f, "handshake total:   %u packets/s from all unattested sources\n",
		cfg->hs_total_rate);
	fprintf(f, "sealed:            %s\n", cfg->sealed ? "yes" : "no");
}

void print_stats(FILE *f, const struct leo_stats *stats)
{
	int width = 0;		/* widest "label:" */

	for (unsigned int i = LEO_STAT_PAD + 1; i <= LEO_STAT_MAX; i++)
		width = widen(width, stat_label(i));
	width += 1;
	fprintf(f, "%-*s %" PRIu32 "\n", width + 2, "peers:",
		stats->peer_count);
	fprintf(f, "%-*s %" PRIu32 "\n", width + 2, "subnets:",
		stats->subnet_count);
	fprintf(f, "%-*s %" PRIu32 "\n", width + 2, "devices:",
		stats->device_count);
	fprintf(f, "packets:\n");
	for (unsigned int i = LEO_STAT_PAD + 1; i <= LEO_STAT_MAX; i++) {
		char label[64];

		snprintf(label, sizeof(label), "%s:", stat_label(i));
		fprintf(f, "  %-*s %" PRIu64 "\n", width, label,
			stats->counter[i]);
	}
}

void print_event(FILE *f, const struct leo_nl_event *ev,
		 const struct timespec *when)
{
	char stamp[32], addr[ADDR_STR_MAX];
	struct tm tm;

	gmtime_r(&when->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03ldZ  %-14s", stamp, when->tv_nsec / 1000000,
		event_name(ev->type));
	if (ev->has_addr)
		fprintf(f, "  %s", format_addr(&ev->addr, addr, sizeof(addr)));
	if (ev->has_drop)
		fprintf(f, "  reason %s, direction %s",
			drop_reason_name(ev->drop_reason),
			direction_name(ev->direction));
	if (ev->has_config) {
		char dur[DURATION_STR_MAX];
		const struct leo_config *c = &ev->config;

		fprintf(f, "  mode %s, hs-port %u, validity %s, hs-rate %u/s, hs-burst %u, hs-total-rate %u/s, agent-mark 0x%x",
			mode_name(c->mode), c->hs_port,
			format_duration(c->default_validity_ms, dur, sizeof(dur)),
			c->hs_rate, c->hs_burst, c->hs_total_rate,
			c->agent_mark);
	}
	fprintf(f, "\n");
}
