/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder of leo.ko's own IMA records: ima-buf entries whose event name
 * starts with "leo:" and whose buffer is a record of
 * uapi/linux/leo_measure.h (described in docs/measurements.md).
 *
 * Stateless and allocation-free except leo_record_to_json(); decoded
 * pointers refer to the log buffer.
 */
#ifndef LEO_IMA_LEO_RECORDS_H
#define LEO_IMA_LEO_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ima/ima_log.h"

struct json_object;

#define LEO_RECORD_NAME_PREFIX	"leo:"

struct leo_record_peer {
	uint16_t family;		/* AF_INET, AF_INET6; 0 for a flush */
	uint8_t state;			/* enum leo_peer_state */
	uint8_t reason;			/* enum leo_reason */
	uint32_t validity_ms;
	uint8_t addr[16];
	uint32_t flags;			/* LEO_MEASURE_F_* */
	uint8_t peer_id[32];
	uint8_t evidence[32];
};

struct leo_record_subnet {
	uint16_t family;
	uint8_t prefixlen;
	uint8_t addr[16];
};

struct leo_record_config {
	uint8_t mode;			/* enum leo_mode */
	uint16_t hs_port;
	uint32_t default_validity_ms;
	/* false: the 8-byte first version, which has none of the rest */
	bool has_limits;
	uint32_t agent_mark;		/* 0: nothing exempt */
	uint32_t hs_rate, hs_burst;	/* per source prefix */
	uint32_t hs_total_rate;
};

struct leo_record_device {
	uint32_t ifindex;
	char name[16];			/* NUL-terminated; "" if it was gone */
};

struct leo_record_seal {
	uint8_t exe_digest[32];
	uint32_t pid, uid, hash_algo;
};

struct leo_record_load {
	uint8_t require_ima;
	const char *params;		/* "name=value\n"..., not NUL-terminated */
	uint32_t params_len;
};

struct leo_record_counters {
	uint64_t measured, failed;
	uint8_t sealed, require_ima;
};

struct leo_record_netns {
	uint32_t peers, subnets;	/* dropped with the namespace */
};

/*
 * Peers that lapsed together (op PEERS_EXPIRED): count entries of
 * entry_size bytes at entries (in the log buffer); decode one with
 * leo_record_expired_peer().
 */
struct leo_record_expired {
	uint32_t count;
	uint32_t entry_size;
	const uint8_t *entries;
};

struct leo_record {
	uint16_t version;
	uint16_t op;			/* enum leo_measure_record_op */
	uint32_t length;
	uint32_t netns_ino;
	uint64_t netns_cookie;
	uint64_t seq;
	uint64_t instance;
	uint64_t time_ns;
	const char *event_name;		/* n-ng, NUL-terminated */
	union {
		struct leo_record_peer peer;		/* ops 1..5 */
		struct leo_record_subnet subnet;	/* ops 6, 7 */
		struct leo_record_config config;	/* op 8 */
		struct leo_record_seal seal;		/* op 9 */
		struct leo_record_load load;		/* op 10 */
		struct leo_record_counters counters;	/* ops 11, 12 */
		struct leo_record_netns netns;		/* op 13 */
		struct leo_record_device device;	/* ops 14, 15 */
		struct leo_record_expired expired;	/* op 16 */
	} u;
};

/* True if @e is an entry leo.ko measured (by event name). */
bool leo_record_is_leo(const struct ima_entry *e);

/*
 * Decode entry @e. Returns 0 if it is not one of leo's entries, 1 with @r
 * filled, or -1 with @err (naming the entry) if it claims to be leo's but
 * is not a valid record: wrong template, magic, version or length, d-ng
 * not the SHA-256 of the record, unknown op, body too short, invalid
 * address family or prefix length, a device name without its NUL within
 * 16 bytes. A config body is either the 8-byte first version or at
 * least the 24-byte current one; a length in between is an error.
 */
int leo_record_decode(const struct ima_entry *e, struct leo_record *r,
		      struct ima_log_error *err);

const char *leo_record_op_name(uint16_t op);	/* "peer-add"; "?" */

/*
 * Entry @i (< count) of a decoded PEERS_EXPIRED record as a peer decision
 * with reason "expired" and validity 0.
 */
void leo_record_expired_peer(const struct leo_record *r, uint32_t i,
			     struct leo_record_peer *p);

/* One line of text, no newline; returns snprintf's count. */
int leo_record_format(const struct leo_record *r, char *out, size_t size);

/* A new JSON object (caller puts it), NULL if out of memory. */
struct json_object *leo_record_to_json(const struct leo_record *r);

/*
 * Sequence check over records in log order: a record of the same instance
 * must carry the next number; a new instance must start at 0.
 */
struct leo_seq_tracker {
	bool started;
	uint64_t instance;
	uint64_t next_seq;
};

/*
 * Returns 0 if @r follows, the number of records missing before it (also
 * when a new instance does not start at 0), or UINT64_MAX if its number
 * does not increase within its instance. Instances switch on a module
 * reload; @new_instance (may be NULL) tells when that happened.
 */
uint64_t leo_seq_track(struct leo_seq_tracker *t, const struct leo_record *r,
		       bool *new_instance);

#endif /* LEO_IMA_LEO_RECORDS_H */
