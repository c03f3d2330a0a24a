/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leo_nl: a client of the "leo" generic netlink family (uapi/linux/leo.h),
 * shared by leoctl and leod. One handle is one netlink socket; it is not
 * thread-safe (use one handle per thread).
 *
 * Every call returns 0 or a negative errno. After a failure,
 * leo_nl_errmsg() gives the kernel's extended-ACK message for it (or a
 * message from this library when the failure was local), never NULL.
 */
#ifndef LEO_NL_H
#define LEO_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <linux/leo.h>

struct leo_nl;

struct leo_addr {
	uint16_t family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

struct leo_prefix {
	struct leo_addr addr;
	uint8_t len;
};

/* Which optional fields of a struct leo_peer_req are set. */
enum {
	LEO_PEER_F_ID		= 1 << 0,
	LEO_PEER_F_EVIDENCE	= 1 << 1,
	LEO_PEER_F_VALIDITY	= 1 << 2,
	LEO_PEER_F_STATE	= 1 << 3,
	LEO_PEER_F_REASON	= 1 << 4,
};

struct leo_peer_req {
	struct leo_addr addr;
	unsigned int fields;		/* LEO_PEER_F_* */
	uint8_t id[LEO_PEER_ID_LEN];
	uint8_t evidence[LEO_DIGEST_LEN];
	uint32_t validity_ms;
	uint8_t state;			/* enum leo_peer_state */
	uint8_t reason;			/* enum leo_reason */
};

struct leo_peer {
	struct leo_addr addr;
	uint8_t id[LEO_PEER_ID_LEN];
	bool has_evidence;
	uint8_t evidence[LEO_DIGEST_LEN];
	uint8_t state;
	uint64_t expires_ms;		/* left; 0 = expired */
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
};

/* Which fields of a struct leo_config a set request carries. */
enum {
	LEO_CONFIG_F_MODE	= 1 << 0,
	LEO_CONFIG_F_HS_PORT	= 1 << 1,
	LEO_CONFIG_F_VALIDITY	= 1 << 2,
	LEO_CONFIG_F_HS_RATE	= 1 << 3,
	LEO_CONFIG_F_HS_BURST	= 1 << 4,
	LEO_CONFIG_F_HS_TOTAL_RATE = 1 << 5,
	LEO_CONFIG_F_AGENT_MARK	= 1 << 6,
};

struct leo_config {
	unsigned int fields;		/* LEO_CONFIG_F_*, for set only */
	uint8_t mode;			/* enum leo_mode */
	uint16_t hs_port;
	uint32_t default_validity_ms;
	uint32_t hs_rate;
	uint32_t hs_burst;
	uint32_t hs_total_rate;		/* all unattested sources together */
	uint32_t agent_mark;		/* 0: no handshake exemption */
	bool sealed;			/* get only */
};

struct leo_stats {
	uint64_t counter[__LEO_STAT_MAX];	/* indexed by enum leo_stat */
	uint32_t peer_count;
	uint32_t subnet_count;
	uint32_t device_count;
};

/* A protected device as the kernel lists it. */
struct leo_device {
	uint32_t ifindex;
	bool has_name;			/* false: it vanished meanwhile */
	char name[16];			/* IFNAMSIZ, NUL-terminated */
};

struct leo_nl_event {
	uint8_t type;			/* enum leo_event */
	bool has_addr;
	struct leo_addr addr;
	bool has_drop;			/* drop_reason and direction valid */
	uint8_t drop_reason;		/* enum leo_drop_reason */
	uint8_t direction;		/* enum leo_direction */
	bool has_config;		/* LEO_EVENT_CONFIG_CHANGED: the new */
	struct leo_config config;	/* settings (sealed not included) */
};

/* Return 0 to go on, anything else to stop the dump or event loop. */
typedef int (*leo_peer_cb)(const struct leo_peer *peer, void *arg);
typedef int (*leo_subnet_cb)(const struct leo_prefix *subnet, void *arg);
typedef int (*leo_device_cb)(const struct leo_device *dev, void *arg);
typedef int (*leo_event_cb)(const struct leo_nl_event *event, void *arg);

int leo_nl_open(struct leo_nl **out);
void leo_nl_close(struct leo_nl *nl);
const char *leo_nl_errmsg(const struct leo_nl *nl);

int leo_nl_peer_add(struct leo_nl *nl, const struct leo_peer_req *req);
int leo_nl_peer_set(struct leo_nl *nl, const struct leo_peer_req *req);
/* reason < 0: none sent */
int leo_nl_peer_del(struct leo_nl *nl, const struct leo_addr *addr,
		    int reason);
int leo_nl_peer_get(struct leo_nl *nl, const struct leo_addr *addr,
		    struct leo_peer *out);
/*
 * Calls @cb for every peer. -EINTR when the kernel flagged the dump as
 * inconsistent (the table changed meanwhile): the caller may retry.
 */
int leo_nl_peer_dump(struct leo_nl *nl, leo_peer_cb cb, void *arg);
int leo_nl_peer_flush(struct leo_nl *nl, int reason);

int leo_nl_subnet_add(struct leo_nl *nl, const struct leo_prefix *subnet);
int leo_nl_subnet_del(struct leo_nl *nl, const struct leo_prefix *subnet);
int leo_nl_subnet_dump(struct leo_nl *nl, leo_subnet_cb cb, void *arg);

/* Protected devices, by interface index in this namespace. */
int leo_nl_device_add(struct leo_nl *nl, uint32_t ifindex);
int leo_nl_device_del(struct leo_nl *nl, uint32_t ifindex);
int leo_nl_device_dump(struct leo_nl *nl, leo_device_cb cb, void *arg);

int leo_nl_config_get(struct leo_nl *nl, struct leo_config *out);
int leo_nl_config_set(struct leo_nl *nl, const struct leo_config *cfg);
int leo_nl_stats_get(struct leo_nl *nl, struct leo_stats *out);
int leo_nl_seal(struct leo_nl *nl, const uint8_t digest[LEO_DIGEST_LEN]);

/*
 * Events: subscribe a handle to the multicast group (use a handle that
 * sends no requests), then poll leo_nl_event_fd() and call
 * leo_nl_event_read() when it is readable; it delivers every queued event
 * to @cb without blocking. leo_nl_event_read() returns the number of
 * events delivered, or a negative errno (-ENOBUFS: events were lost
 * because the socket buffer overflowed).
 */
int leo_nl_event_subscribe(struct leo_nl *nl);
int leo_nl_event_fd(const struct leo_nl *nl);
int leo_nl_event_read(struct leo_nl *nl, leo_event_cb cb, void *arg);

#endif /* LEO_NL_H */
