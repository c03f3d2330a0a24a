/* SPDX-License-Identifier: GPL-2.0 */
/* The --help texts of leoctl; docs/leoctl.md says the same at length. */
#ifndef LEOCTL_HELP_H
#define LEOCTL_HELP_H

#define HELP_MAIN \
"Usage: leoctl [--json] COMMAND [ARGS...] [--json]\n" \
"\n" \
"Control the leo trusted subnet (leo.ko) of this network namespace.\n" \
"\n" \
"Commands:\n" \
"  peer add|set|del|list|show|flush   admitted peers\n" \
"  subnet add|del|list                protected subnets\n" \
"  device add|del|list                protected network devices\n" \
"  mode enforce|monitor               drop, or only report, strangers\n" \
"  config [show] | config set ...     settings of this namespace\n" \
"  stats                              packet counters\n" \
"  events [--count N] [--timeout SEC] follow kernel events\n" \
"  seal                               pin the control plane to leoctl\n" \
"  measurements ...                   leo's IMA measurements\n" \
"  attest quote|verify|check-log ...  TPM attestation\n" \
"\n" \
"  --json    machine-readable output (anywhere on the line)\n" \
"  --help    help on a command: leoctl COMMAND --help\n" \
"\n" \
"Exit status: 0 success, 1 kernel or runtime error, 2 bad usage.\n"

#define HELP_PEER \
"Usage:\n" \
"  leoctl peer add ADDR ID [validity DURATION] [state attested|quarantined]\n" \
"                          [evidence HEX]\n" \
"  leoctl peer set ADDR [state attested|quarantined] [validity DURATION]\n" \
"                       [reason REASON]\n" \
"  leoctl peer del ADDR [reason REASON]\n" \
"  leoctl peer list\n" \
"  leoctl peer show ADDR\n" \
"  leoctl peer flush [reason REASON]\n" \
"\n" \
"ADDR      an IPv4 or IPv6 address, e.g. 192.0.2.7 or 2001:db8::7\n" \
"ID        the peer id: 64 hex digits (SHA-256 of its attestation key)\n" \
"HEX       64 hex digits: digest of the evidence that admitted the peer\n" \
"DURATION  e.g. 1500ms, 30s, 5m, 2h, 1d or 1h30m; at most 7d.\n" \
"          On add, the default is the configured default validity;\n" \
"          on set, the peer then expires DURATION from now.\n" \
"REASON    admin, attestation-failed, consensus or reattested\n"

#define HELP_SUBNET \
"Usage:\n" \
"  leoctl subnet add PREFIX\n" \
"  leoctl subnet del PREFIX\n" \
"  leoctl subnet list\n" \
"\n" \
"PREFIX  e.g. 192.0.2.0/24 or 2001:db8::/64, no host bits set;\n" \
"        a bare address means that one host (/32 or /128).\n"

#define HELP_DEVICE \
"Usage:\n" \
"  leoctl device add DEV\n" \
"  leoctl device del DEV\n" \
"  leoctl device list\n" \
"\n" \
"DEV  a network interface of this namespace, by name (e.g. eth1).\n" \
"     Every packet through a protected device must be from or to a\n" \
"     live peer, whatever its addresses. A device that goes away\n" \
"     leaves the set. A name that is not an interface here is exit 1.\n"

#define HELP_MODE \
"Usage: leoctl mode enforce|monitor\n" \
"\n" \
"enforce  drop packets of the protected subnets from or to non-peers\n" \
"monitor  let them pass, but count and report them\n"

#define HELP_CONFIG \
"Usage:\n" \
"  leoctl config [show]\n" \
"  leoctl config set [hs-port N] [validity DURATION] [hs-rate N]\n" \
"                    [hs-burst N] [hs-total-rate N] [agent-mark MARK]\n" \
"\n" \
"hs-port        attestation handshake port (TCP only), 0..65535;\n" \
"               0 removes the exemption\n" \
"agent-mark     socket mark of the agent's sockets, 0..0xffffffff\n" \
"               (decimal or 0x hex): only TCP on hs-port from or to\n" \
"               sockets with this mark is exempt; 0 exempts nothing\n" \
"validity       default validity of a new peer, 1ms..7d\n" \
"hs-rate        handshake packets per second per unattested source\n" \
"               prefix (/32 IPv4, /64 IPv6), 1..1000000\n" \
"hs-burst       burst of handshake packets per prefix, 1..1000000\n" \
"hs-total-rate  handshake packets per second from all unattested\n" \
"               sources together (burst the same), 1..1000000\n"

#define HELP_STATS \
"Usage: leoctl stats\n" \
"\n" \
"Packet counters, peer, subnet and device counts of this network\n" \
"namespace.\n"

#define HELP_EVENTS \
"Usage: leoctl events [--count N] [--timeout SEC]\n" \
"\n" \
"Print leo's events (peer expiries, sampled drops, config changes), one\n" \
"line each, until interrupted, N events were printed, or SEC seconds\n" \
"passed. With --json, one JSON object per line.\n" \
"\n" \
"Exit status 0, except 1 when --count N was given and fewer than N\n" \
"events arrived before the --timeout.\n"

#define HELP_SEAL \
"Usage: leoctl seal\n" \
"\n" \
"Pin leo's control plane to this leoctl executable: from now on only\n" \
"it (same SHA-256 digest) may change peers, subnets or settings, until\n" \
"leo.ko is unloaded. This cannot be undone.\n"

#endif /* LEOCTL_HELP_H */
