/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) */
/*
 * Records that leo.ko measures into IMA
 * =====================================
 *
 * Every trust decision of leo.ko is measured as IMA critical data with
 * label "leo". IMA logs it with template ima-buf: field d-ng holds the
 * digest of the record, n-ng the event name (a readable tag such as
 * "leo:peer-add", see LEO_MEASURE_NAME_*), buf the record itself. The
 * record, not the event name, is authoritative.
 *
 * A record is a struct leo_measure_hdr followed by one body selected by
 * hdr.op. All integers are little-endian; addresses, identifiers and
 * digests are byte strings copied as they are (addresses in network byte
 * order). Structures contain no implicit padding: every offset is fixed
 * and listed in docs/measurements.md.
 *
 * Compatibility: hdr.version changes only when an existing field changes
 * meaning or place. New fields are appended to a body and raise
 * hdr.length; a verifier must accept records longer than the body it
 * knows and ignore the extra bytes, and must reject a record shorter than
 * sizeof(hdr) + the body of its op, or with an unknown magic or version.
 *
 * Sequence numbers count every record the module tried to measure since
 * it was loaded, starting at 0 with the load record. A record that IMA did
 * not log (no policy rule, or an error) still consumes its number, so a gap
 * in the log shows that decisions went unmeasured. hdr.instance is random
 * per module load; (instance, seq) is unique, which also keeps IMA from
 * discarding a record as a duplicate of an earlier identical one.
 */
#ifndef _UAPI_LINUX_LEO_MEASURE_H
#define _UAPI_LINUX_LEO_MEASURE_H

#include <linux/types.h>

#define LEO_MEASURE_LABEL	"leo"
/* First four bytes of every record: 'L' 'E' 'O' 'M'. */
#define LEO_MEASURE_MAGIC	0x4d4f454cU
#define LEO_MEASURE_VERSION	1

/* hdr.op; numbering is stable, new ops are only appended. */
enum leo_measure_record_op {
	LEO_MEASURE_OP_UNSPEC,
	LEO_MEASURE_OP_PEER_ADD,	/* body: leo_measure_peer_rec */
	LEO_MEASURE_OP_PEER_SET,	/* body: leo_measure_peer_rec */
	LEO_MEASURE_OP_PEER_DEL,	/* body: leo_measure_peer_rec */
	LEO_MEASURE_OP_PEER_EXPIRED,	/* body: leo_measure_peer_rec; no
					 * longer written: see PEERS_EXPIRED
					 */
	LEO_MEASURE_OP_PEER_FLUSH,	/* body: leo_measure_peer_rec, no addr */
	LEO_MEASURE_OP_SUBNET_ADD,	/* body: leo_measure_subnet_rec */
	LEO_MEASURE_OP_SUBNET_DEL,	/* body: leo_measure_subnet_rec */
	LEO_MEASURE_OP_CONFIG,		/* body: leo_measure_config_rec */
	LEO_MEASURE_OP_SEAL,		/* body: leo_measure_seal_rec */
	LEO_MEASURE_OP_MODULE_LOAD,	/* body: leo_measure_load_rec */
	LEO_MEASURE_OP_MODULE_UNLOAD,	/* body: leo_measure_counters_rec */
	LEO_MEASURE_OP_MEASURE_ON,	/* body: leo_measure_counters_rec */
	LEO_MEASURE_OP_NETNS_EXIT,	/* body: leo_measure_netns_rec */
	LEO_MEASURE_OP_DEVICE_ADD,	/* body: leo_measure_device_rec */
	LEO_MEASURE_OP_DEVICE_DEL,	/* body: leo_measure_device_rec */
	LEO_MEASURE_OP_PEERS_EXPIRED,	/* body: leo_measure_expired_rec */
	__LEO_MEASURE_OP_MAX
};
#define LEO_MEASURE_OP_MAX (__LEO_MEASURE_OP_MAX - 1)

/* IMA event names (n-ng), one per op; a quarantine is a peer-set. */
#define LEO_MEASURE_NAME_PEER_ADD	"leo:peer-add"
#define LEO_MEASURE_NAME_PEER_SET	"leo:peer-set"
#define LEO_MEASURE_NAME_PEER_QUARANTINE "leo:peer-quarantine"
#define LEO_MEASURE_NAME_PEER_DEL	"leo:peer-del"
#define LEO_MEASURE_NAME_PEER_EXPIRED	"leo:peer-expired"
#define LEO_MEASURE_NAME_PEER_FLUSH	"leo:peer-flush"
#define LEO_MEASURE_NAME_SUBNET_ADD	"leo:subnet-add"
#define LEO_MEASURE_NAME_SUBNET_DEL	"leo:subnet-del"
#define LEO_MEASURE_NAME_CONFIG		"leo:config"
#define LEO_MEASURE_NAME_SEAL		"leo:seal"
#define LEO_MEASURE_NAME_MODULE_LOAD	"leo:load"
#define LEO_MEASURE_NAME_MODULE_UNLOAD	"leo:unload"
#define LEO_MEASURE_NAME_MEASURE_ON	"leo:measure-on"
#define LEO_MEASURE_NAME_NETNS_EXIT	"leo:netns-exit"
#define LEO_MEASURE_NAME_DEVICE_ADD	"leo:device-add"
#define LEO_MEASURE_NAME_DEVICE_DEL	"leo:device-del"
#define LEO_MEASURE_NAME_PEERS_EXPIRED	"leo:peers-expired"

/* Common header, 48 bytes. */
struct leo_measure_hdr {
	__le32 magic;		/*  0: LEO_MEASURE_MAGIC */
	__le16 version;		/*  4: LEO_MEASURE_VERSION */
	__le16 op;		/*  6: enum leo_measure_record_op */
	__le32 length;		/*  8: whole record in bytes, header included */
	__le32 netns_ino;	/* 12: inode number of the network namespace
				 *     (as in /proc/PID/ns/net); 0: module-wide
				 */
	__le64 netns_cookie;	/* 16: netns cookie (SO_NETNS_COOKIE), unique
				 *     per boot; 0: module-wide
				 */
	__le64 seq;		/* 24: per-load sequence number, from 0 */
	__le64 instance;	/* 32: random, chosen at module load */
	__le64 time_ns;		/* 40: CLOCK_BOOTTIME when measured */
};

/* leo_measure_peer_rec.flags: which optional fields hold a value. */
#define LEO_MEASURE_F_PEER_ID	(1U << 0)
#define LEO_MEASURE_F_EVIDENCE	(1U << 1)

/* Peer decisions, 96 bytes. */
struct leo_measure_peer_rec {
	__le16 family;		/*  0: AF_INET (2), AF_INET6 (10); 0: flush */
	__u8 state;		/*  2: enum leo_peer_state after the decision */
	__u8 reason;		/*  3: enum leo_reason */
	__le32 validity_ms;	/*  4: validity granted (0: unchanged/none) */
	__u8 addr[16];		/*  8: IPv4 in addr[0..3], rest zero */
	__le32 flags;		/* 24: LEO_MEASURE_F_* */
	__le32 reserved;	/* 28: zero */
	__u8 peer_id[32];	/* 32: LEO_PEER_ID_LEN bytes, zero if absent */
	__u8 evidence[32];	/* 64: LEO_DIGEST_LEN bytes, zero if absent */
};

/* Protected subnet added or removed, 24 bytes. */
struct leo_measure_subnet_rec {
	__le16 family;		/*  0 */
	__u8 prefixlen;		/*  2 */
	__u8 reserved0;		/*  3: zero */
	__le32 reserved1;	/*  4: zero */
	__u8 addr[16];		/*  8: IPv4 in addr[0..3], rest zero */
};

/*
 * Configuration after a change, 24 bytes. The first 8 bytes are the
 * record's first version; a record of only those carries no more.
 */
struct leo_measure_config_rec {
	__u8 mode;		/*  0: enum leo_mode */
	__u8 reserved;		/*  1: zero */
	__le16 hs_port;		/*  2: attestation port, 0: no exemption */
	__le32 default_validity_ms; /* 4 */
	__le32 agent_mark;	/*  8: socket mark of the agent, 0: none */
	__le32 hs_rate;		/* 12: per source prefix, packets/s */
	__le32 hs_burst;	/* 16 */
	__le32 hs_total_rate;	/* 20: all unattested sources, packets/s */
};
#define LEO_MEASURE_CONFIG_V1_LEN	8

/* Protected device added or removed, 24 bytes. */
struct leo_measure_device_rec {
	__le32 ifindex;		/*  0 */
	__le32 reserved;	/*  4: zero */
	char name[16];		/*  8: interface name, NUL-padded */
};

/* Control plane sealed, 48 bytes. */
struct leo_measure_seal_rec {
	__u8 exe_digest[32];	/*  0: SHA-256 IMA digest of the sealed exe */
	__le32 pid;		/* 32: caller, in the initial pid namespace */
	__le32 uid;		/* 36: caller's uid, initial user namespace */
	__le32 hash_algo;	/* 40: IMA hash algorithm (4: sha256) */
	__le32 reserved;	/* 44: zero */
};

/* Module loaded, 8 bytes + params_len bytes of text. */
struct leo_measure_load_rec {
	__u8 require_ima;	/*  0: value of parameter require_ima */
	__u8 reserved[3];	/*  1: zero */
	__le32 params_len;	/*  4: length of params[] */
	/*
	 * 8: every parameter of leo.ko as "name=value\n", in the order the
	 * module declares them; not NUL-terminated.
	 */
	char params[];
};

/*
 * Module unloaded, or measuring (re)started after records were lost
 * (op MEASURE_ON), 24 bytes. Counts cover this load up to, not including,
 * this record.
 */
struct leo_measure_counters_rec {
	__le64 measured;	/*  0: records IMA logged */
	__le64 failed;		/*  8: records IMA did not log */
	__u8 sealed;		/* 16: 1 if the control plane is sealed */
	__u8 require_ima;	/* 17 */
	__u8 reserved[6];	/* 18: zero */
};

/*
 * A network namespace's leo state ended (the namespace was destroyed or
 * the module unloaded): every peer and subnet of hdr.netns_* is gone.
 * 8 bytes; counts at the time.
 */
struct leo_measure_netns_rec {
	__le32 peers;		/*  0: peers dropped */
	__le32 subnets;		/*  4: subnets dropped */
};

/* Most peers in one PEERS_EXPIRED record; more lapse as more records. */
#define LEO_MEASURE_EXPIRED_MAX	64

/* One peer of a PEERS_EXPIRED record, 88 bytes. */
struct leo_measure_expired_peer {
	__le16 family;		/*  0: AF_INET (2), AF_INET6 (10) */
	__u8 state;		/*  2: enum leo_peer_state when it lapsed */
	__u8 reserved0;		/*  3: zero */
	__le32 flags;		/*  4: LEO_MEASURE_F_* */
	__u8 addr[16];		/*  8: IPv4 in addr[0..3], rest zero */
	__u8 peer_id[32];	/* 24: zero if absent */
	__u8 evidence[32];	/* 56: zero if absent */
};

/*
 * Peers whose validity ran out, removed by the kernel together (reason
 * LEO_REASON_EXPIRED for each): 8 bytes, then count entries of entry_size
 * bytes each. entry_size is sizeof(struct leo_measure_expired_peer) today;
 * a later version may append fields to an entry and raise it, so a
 * verifier steps by entry_size and reads the fields it knows.
 */
struct leo_measure_expired_rec {
	__le32 count;		/*  0: 1..LEO_MEASURE_EXPIRED_MAX */
	__le32 entry_size;	/*  4: at least 88 */
	/* 8: count entries (struct leo_measure_expired_peer) */
};

#endif /* _UAPI_LINUX_LEO_MEASURE_H */
