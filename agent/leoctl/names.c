// SPDX-License-Identifier: GPL-2.0
/* The words leoctl uses for the enums of uapi/linux/leo.h. */
#include <string.h>

#include <linux/leo.h>

#include "leoctl/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const states[] = {
	[LEO_PEER_ATTESTED] = "attested",
	[LEO_PEER_QUARANTINED] = "quarantined",
};

static const char *const modes[] = {
	[LEO_MODE_ENFORCE] = "enforce",
	[LEO_MODE_MONITOR] = "monitor",
};

static const char *const reasons[] = {
	[LEO_REASON_UNSPEC] = "unspecified",
	[LEO_REASON_ADMIN] = "admin",
	[LEO_REASON_ATTESTATION_FAILED] = "attestation-failed",
	[LEO_REASON_CONSENSUS] = "consensus",
	[LEO_REASON_EXPIRED] = "expired",
	[LEO_REASON_REATTESTED] = "reattested",
};

static const char *const events[] = {
	[LEO_EVENT_UNSPEC] = "unspecified",
	[LEO_EVENT_PEER_EXPIRED] = "peer-expired",
	[LEO_EVENT_DROP] = "drop",
	[LEO_EVENT_MONITOR] = "monitor",
	[LEO_EVENT_CONFIG_CHANGED] = "config-changed",
};

static const char *const drop_reasons[] = {
	[LEO_DROP_NONE] = "none",
	[LEO_DROP_NO_PEER] = "no-peer",
	[LEO_DROP_EXPIRED] = "expired",
	[LEO_DROP_QUARANTINED] = "quarantined",
	[LEO_DROP_HS_RATELIMITED] = "hs-ratelimited",
};

static const char *const directions[] = {
	[LEO_DIR_IN] = "in",
	[LEO_DIR_OUT] = "out",
	[LEO_DIR_FORWARD] = "forward",
};

static const char *const stat_keys[] = {
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

static const char *const stat_labels[] = {
	[LEO_STAT_PASSED] = "passed",
	[LEO_STAT_DROP_NO_PEER] = "dropped, no peer",
	[LEO_STAT_DROP_EXPIRED] = "dropped, peer expired",
	[LEO_STAT_DROP_QUARANTINED] = "dropped, peer quarantined",
	[LEO_STAT_HS_PASSED] = "handshake passed",
	[LEO_STAT_HS_RATELIMITED] = "handshake rate-limited",
	[LEO_STAT_MONITOR_PASSED] = "monitor passed",
	[LEO_STAT_PEERS_EXPIRED] = "peers expired",
	[LEO_STAT_EVENTS_SUPPRESSED] = "events suppressed",
	[LEO_STAT_ICMP_ERRORS_PASSED] = "path MTU errors passed",
};

static const char *lookup(const char *const *table, unsigned int n,
			  unsigned int value)
{
	return value < n && table[value] ? table[value] : "unknown";
}

static int find(const char *const *table, unsigned int n, unsigned int first,
		const char *word)
{
	for (unsigned int i = first; i < n; i++)
		if (table[i] && !strcmp(table[i], word))
			return (int)i;
	return -1;
}

const char *state_name(unsigned int v)
{
	return lookup(states, COUNT(states), v);
}

const char *mode_name(unsigned int v)
{
	return lookup(modes, COUNT(modes), v);
}

const char *reason_name(unsigned int v)
{
	return lookup(reasons, COUNT(reasons), v);
}

const char *event_name(unsigned int v)
{
	return lookup(events, COUNT(events), v);
}

const char *drop_reason_name(unsigned int v)
{
	return lookup(drop_reasons, COUNT(drop_reasons), v);
}

const char *direction_name(unsigned int v)
{
	return lookup(directions, COUNT(directions), v);
}

const char *stat_name(unsigned int v)
{
	return lookup(stat_keys, COUNT(stat_keys), v);
}

const char *stat_label(unsigned int v)
{
	return lookup(stat_labels, COUNT(stat_labels), v);
}

int state_value(const char *word)
{
	return find(states, COUNT(states), 0, word);
}

int mode_value(const char *word)
{
	return find(modes, COUNT(modes), 0, word);
}

/*
 * "unspecified" is what the kernel assumes when no reason is sent, and
 * only the kernel itself lets a peer expire.
 */
int reason_value(const char *word)
{
	int v = find(reasons, COUNT(reasons), LEO_REASON_ADMIN, word);

	return v == LEO_REASON_EXPIRED ? -1 : v;
}

const char *state_words(void)
{
	return "attested or quarantined";
}

const char *mode_words(void)
{
	return "enforce or monitor";
}

const char *reason_words(void)
{
	return "admin, attestation-failed, consensus or reattested";
}
