/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) */
/*
 * leo: a trusted-computing subnet. Only peers that proved, by TPM 2.0
 * remote attestation, that they run known-good software may exchange
 * packets with this host inside the protected subnets.
 *
 * Generic netlink API of leo.ko
 * =============================
 *
 * Family name LEO_GENL_NAME ("leo"), version LEO_GENL_VERSION. The family
 * is per network namespace: every command acts on the namespace of the
 * netlink socket. Every command, reads included, and the events group need
 * CAP_NET_ADMIN in the initial user namespace; with the module parameter
 * userns_admin=1, CAP_NET_ADMIN in the user namespace that owns the
 * network namespace suffices (any local user has that in a namespace of
 * its own, so it is off by default). Refusals are -EPERM. [admin] marks
 * the commands that change state: once the control plane is sealed
 * (LEO_CMD_SEAL), they are further restricted to the sealed executable
 * (see below). A namespace that never ran an [admin] command has no
 * hooks and is not measured.
 *
 * All attributes are top level (no nesting except LEO_A_STATS). Every
 * request is validated strictly: unknown attributes, wrong lengths and
 * out-of-range values fail with -EINVAL or -ERANGE and an extack message,
 * and a failed request changes nothing.
 *
 * An address is always the pair LEO_A_FAMILY (AF_INET or AF_INET6) and
 * LEO_A_ADDR (4 or 16 bytes, network byte order); a mismatch is -EINVAL.
 *
 * LEO_CMD_PEER_ADD [admin]
 *   Admit an attested peer.
 *   Required: LEO_A_FAMILY, LEO_A_ADDR, LEO_A_PEER_ID (32 bytes, the
 *   SHA-256 digest of the peer's attestation key).
 *   Optional: LEO_A_VALIDITY_MS (0 or absent: the configured default),
 *   LEO_A_STATE (default LEO_PEER_ATTESTED), LEO_A_EVIDENCE (32 bytes,
 *   digest of the evidence that admitted the peer; recorded in IMA).
 *   -EEXIST if the address is already a peer, -ENOSPC if the table holds
 *   LEO_MAX_PEERS peers, -ERANGE if the validity exceeds
 *   LEO_MAX_VALIDITY_MS.
 *
 * LEO_CMD_PEER_SET [admin]
 *   Change an existing peer. Required: LEO_A_FAMILY, LEO_A_ADDR.
 *   Optional: LEO_A_STATE (quarantine or re-admit), LEO_A_VALIDITY_MS
 *   (renew: the peer now expires that long from now; 0: the configured
 *   default), LEO_A_PEER_ID,
 *   LEO_A_EVIDENCE, LEO_A_REASON. -ENOENT if the peer is absent.
 *
 * LEO_CMD_PEER_DEL [admin]
 *   Remove a peer. Required: LEO_A_FAMILY, LEO_A_ADDR. Optional:
 *   LEO_A_REASON (recorded in IMA). -ENOENT if absent.
 *
 * LEO_CMD_PEER_GET
 *   doit: required LEO_A_FAMILY, LEO_A_ADDR; replies with one peer.
 *   dump (NLM_F_DUMP): every peer, one message each. Large tables are
 *   dumped across several recvmsg() calls; if the table changed during the
 *   dump, a message carries NLM_F_DUMP_INTR.
 *   A peer message holds LEO_A_FAMILY, LEO_A_ADDR, LEO_A_PEER_ID,
 *   LEO_A_STATE, LEO_A_EXPIRES_MS (milliseconds left, 0 if expired),
 *   LEO_A_EVIDENCE (if given), LEO_A_RX_PACKETS, LEO_A_RX_BYTES,
 *   LEO_A_TX_PACKETS, LEO_A_TX_BYTES.
 *
 * LEO_CMD_PEER_FLUSH [admin]
 *   Remove every peer. Optional: LEO_A_REASON.
 *
 * LEO_CMD_SUBNET_ADD, LEO_CMD_SUBNET_DEL [admin]
 *   Required: LEO_A_FAMILY, LEO_A_ADDR, LEO_A_PREFIXLEN (0..32 for IPv4,
 *   0..128 for IPv6). Host bits beyond the prefix must be zero (-EINVAL).
 *   -EEXIST / -ENOENT as usual; -ENOSPC past LEO_MAX_SUBNETS.
 *
 * LEO_CMD_SUBNET_GET
 *   dump only: one message per subnet with LEO_A_FAMILY, LEO_A_ADDR,
 *   LEO_A_PREFIXLEN.
 *
 * LEO_CMD_DEVICE_ADD, LEO_CMD_DEVICE_DEL [admin]
 *   Protect a network device, or stop: required LEO_A_IFINDEX (a device
 *   of this namespace; -ENODEV if there is none). Every packet received,
 *   sent or forwarded through a protected device must be from or to a
 *   live peer, whatever its addresses (IPv6 link-local, the other
 *   family, addresses outside every protected subnet), except the
 *   handshake exemption, path MTU errors of live flows and IPv6
 *   neighbour discovery. -EEXIST / -ENOENT as usual; -ENOSPC past
 *   LEO_MAX_DEVICES. A device that is unregistered or leaves the
 *   namespace leaves the set by itself.
 *
 * LEO_CMD_DEVICE_GET
 *   dump only: one message per protected device with LEO_A_IFINDEX and,
 *   while the device exists, LEO_A_IFNAME.
 *
 * LEO_CMD_CONFIG_SET [admin]
 *   Any of LEO_A_MODE (enum leo_mode), LEO_A_HS_PORT (attestation port;
 *   0 disables the exemption), LEO_A_AGENT_MARK (the socket mark, SO_MARK,
 *   of the agent's sockets; 0 disables the exemption),
 *   LEO_A_DEFAULT_VALIDITY_MS (1..LEO_MAX_VALIDITY_MS), LEO_A_HS_RATE
 *   (handshake packets per second allowed per unattested source prefix,
 *   1..1000000), LEO_A_HS_BURST (1..1000000), LEO_A_HS_TOTAL_RATE
 *   (handshake packets per second from all unattested sources together,
 *   and the burst of that budget, 1..1000000). At least one is required.
 *
 *   The handshake exemption: an unattested host may exchange TCP on the
 *   handshake port with this host when, and only when, the local socket
 *   that owns the flow carries the agent's mark: inbound to the agent's
 *   listener and its connections, outbound from them, and the agent's
 *   own connections to other hosts' handshake port. Inbound, such
 *   packets are charged per source /32 (IPv4) or /64 (IPv6) prefix and to
 *   the namespace's total, one token per segment of a GSO packet; over
 *   budget they are dropped as LEO_DROP_HS_RATELIMITED. Forwarded
 *   packets are never exempt.
 *
 * LEO_CMD_CONFIG_GET
 *   Replies with LEO_A_MODE, LEO_A_HS_PORT, LEO_A_DEFAULT_VALIDITY_MS,
 *   LEO_A_HS_RATE, LEO_A_HS_BURST, LEO_A_HS_TOTAL_RATE, LEO_A_AGENT_MARK,
 *   LEO_A_SEALED (u8).
 *
 * LEO_CMD_STATS_GET
 *   Replies with LEO_A_STATS, a nest of u64 counters (enum leo_stat),
 *   LEO_A_PEER_COUNT, LEO_A_SUBNET_COUNT and LEO_A_DEVICE_COUNT (u32).
 *
 * LEO_CMD_SEAL [admin]
 *   Pin the control plane: required LEO_A_EXE_DIGEST, the SHA-256 IMA
 *   digest of the one executable that may send [admin] commands from now
 *   on. The caller must itself be that executable. Sealing is measured,
 *   lasts until the module is unloaded, and cannot be undone; a second
 *   seal is -EALREADY. Commands from any other executable get -EPERM.
 *
 * Multicast group LEO_MCGRP_EVENTS ("events")
 *   LEO_CMD_EVENT messages, each with LEO_A_EVENT (enum leo_event) and,
 *   for peer events and drops, LEO_A_FAMILY and LEO_A_ADDR of the remote
 *   address. Drops (LEO_EVENT_DROP, and LEO_EVENT_MONITOR for packets
 *   monitor mode let through) also carry LEO_A_DROP_REASON and
 *   LEO_A_DIRECTION; they are sampled and rate-limited (at most
 *   LEO_EVENT_DROP_RATE per second per namespace). A peer expiry
 *   (LEO_EVENT_PEER_EXPIRED) is never suppressed.
 */
#ifndef _UAPI_LINUX_LEO_H
#define _UAPI_LINUX_LEO_H

#define LEO_GENL_NAME		"leo"
#define LEO_GENL_VERSION	1
#define LEO_MCGRP_EVENTS	"events"

#define LEO_PEER_ID_LEN		32
#define LEO_DIGEST_LEN		32
#define LEO_MAX_PEERS		(1U << 20)
#define LEO_MAX_SUBNETS		1024
#define LEO_MAX_VALIDITY_MS	(7U * 24 * 3600 * 1000)
#define LEO_DEFAULT_VALIDITY_MS	(120U * 1000)
#define LEO_DEFAULT_HS_PORT	4884
#define LEO_DEFAULT_HS_RATE	20
#define LEO_DEFAULT_HS_BURST	40
#define LEO_DEFAULT_HS_TOTAL_RATE 1000
#define LEO_MAX_DEVICES		64
#define LEO_EVENT_DROP_RATE	10

enum leo_cmd {
	LEO_CMD_UNSPEC,
	LEO_CMD_PEER_ADD,
	LEO_CMD_PEER_SET,
	LEO_CMD_PEER_DEL,
	LEO_CMD_PEER_GET,
	LEO_CMD_PEER_FLUSH,
	LEO_CMD_SUBNET_ADD,
	LEO_CMD_SUBNET_DEL,
	LEO_CMD_SUBNET_GET,
	LEO_CMD_CONFIG_SET,
	LEO_CMD_CONFIG_GET,
	LEO_CMD_STATS_GET,
	LEO_CMD_SEAL,
	LEO_CMD_EVENT,
	LEO_CMD_DEVICE_ADD,
	LEO_CMD_DEVICE_DEL,
	LEO_CMD_DEVICE_GET,
	__LEO_CMD_MAX
};
#define LEO_CMD_MAX (__LEO_CMD_MAX - 1)

enum leo_attr {
	LEO_A_UNSPEC,
	LEO_A_PAD,
	LEO_A_FAMILY,			/* u16: AF_INET or AF_INET6 */
	LEO_A_ADDR,			/* binary: 4 or 16 bytes */
	LEO_A_PREFIXLEN,		/* u8 */
	LEO_A_PEER_ID,			/* binary: LEO_PEER_ID_LEN bytes */
	LEO_A_EVIDENCE,			/* binary: LEO_DIGEST_LEN bytes */
	LEO_A_VALIDITY_MS,		/* u32 */
	LEO_A_EXPIRES_MS,		/* u64: milliseconds left */
	LEO_A_STATE,			/* u8: enum leo_peer_state */
	LEO_A_REASON,			/* u8: enum leo_reason */
	LEO_A_RX_PACKETS,		/* u64 */
	LEO_A_RX_BYTES,			/* u64 */
	LEO_A_TX_PACKETS,		/* u64 */
	LEO_A_TX_BYTES,			/* u64 */
	LEO_A_MODE,			/* u8: enum leo_mode */
	LEO_A_HS_PORT,			/* u16 */
	LEO_A_DEFAULT_VALIDITY_MS,	/* u32 */
	LEO_A_HS_RATE,			/* u32 */
	LEO_A_HS_BURST,			/* u32 */
	LEO_A_SEALED,			/* u8 */
	LEO_A_STATS,			/* nest: enum leo_stat, u64 each */
	LEO_A_PEER_COUNT,		/* u32 */
	LEO_A_SUBNET_COUNT,		/* u32 */
	LEO_A_EVENT,			/* u8: enum leo_event */
	LEO_A_DROP_REASON,		/* u8: enum leo_drop_reason */
	LEO_A_DIRECTION,		/* u8: enum leo_direction */
	LEO_A_EXE_DIGEST,		/* binary: LEO_DIGEST_LEN bytes */
	LEO_A_IFINDEX,			/* u32: a network device */
	LEO_A_IFNAME,			/* string: its name (replies only) */
	LEO_A_AGENT_MARK,		/* u32: socket mark of the agent */
	LEO_A_HS_TOTAL_RATE,		/* u32 */
	LEO_A_DEVICE_COUNT,		/* u32 */
	__LEO_A_MAX
};
#define LEO_A_MAX (__LEO_A_MAX - 1)

enum leo_peer_state {
	LEO_PEER_ATTESTED,
	LEO_PEER_QUARANTINED,
	__LEO_PEER_STATE_MAX
};

enum leo_mode {
	LEO_MODE_ENFORCE,
	LEO_MODE_MONITOR,
	__LEO_MODE_MAX
};

/* Why a peer was removed, quarantined or re-admitted; recorded in IMA. */
enum leo_reason {
	LEO_REASON_UNSPEC,
	LEO_REASON_ADMIN,		/* an operator asked */
	LEO_REASON_ATTESTATION_FAILED,	/* the agent's verifier rejected it */
	LEO_REASON_CONSENSUS,		/* the subnet's members voted it out */
	LEO_REASON_EXPIRED,		/* validity ran out (kernel) */
	LEO_REASON_REATTESTED,		/* fresh evidence verified */
	__LEO_REASON_MAX
};

enum leo_event {
	LEO_EVENT_UNSPEC,
	LEO_EVENT_PEER_EXPIRED,
	LEO_EVENT_DROP,
	LEO_EVENT_MONITOR,
	LEO_EVENT_CONFIG_CHANGED,
	__LEO_EVENT_MAX
};

enum leo_drop_reason {
	LEO_DROP_NONE,
	LEO_DROP_NO_PEER,
	LEO_DROP_EXPIRED,
	LEO_DROP_QUARANTINED,
	LEO_DROP_HS_RATELIMITED,
	__LEO_DROP_MAX
};

enum leo_direction {
	LEO_DIR_IN,
	LEO_DIR_OUT,
	LEO_DIR_FORWARD,
	__LEO_DIR_MAX
};

/* Counters in LEO_A_STATS; all u64, all per network namespace. */
enum leo_stat {
	LEO_STAT_UNSPEC,
	LEO_STAT_PAD,
	LEO_STAT_PASSED,		/* enforced packets from/to a live peer */
	LEO_STAT_DROP_NO_PEER,
	LEO_STAT_DROP_EXPIRED,
	LEO_STAT_DROP_QUARANTINED,
	LEO_STAT_HS_PASSED,		/* handshake packets let through */
	LEO_STAT_HS_RATELIMITED,	/* handshake packets dropped */
	LEO_STAT_MONITOR_PASSED,	/* would have been dropped */
	LEO_STAT_PEERS_EXPIRED,
	LEO_STAT_EVENTS_SUPPRESSED,
	LEO_STAT_ICMP_ERRORS_PASSED,	/* path MTU errors of live flows */
	__LEO_STAT_MAX
};
#define LEO_STAT_MAX (__LEO_STAT_MAX - 1)

#endif /* _UAPI_LINUX_LEO_H */
