#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The door, tried as an attacker would. h1 protects 192.0.2.0/24 and
# 2001:db8::/64 and runs an "agent" (nettool with the agent's socket mark
# on port 4884); h2 is an unattested stranger. Each test tries one way
# around leo and expects it to be refused:
#
# - the handshake exemption as a tunnel: a stranger's connection from
#   source port 4884 to another service, a local program's own use of port
#   4884 (bound or connected), an exemption without an agent mark;
# - the handshake budget: per /64 in IPv6, per /32 in IPv4, in total, and
#   per GSO segment rather than per packet;
# - addresses the prefixes do not name: IPv6 link-local, the other family,
#   a secondary address, a stranger's source outside every prefix; closed
#   by protecting the device;
# - path MTU errors: from an unattested router they pass only when they
#   quote a packet this host sent to a live peer.
# It also checks that what must pass still passes: the agent's exchange in
# both directions, over neighbour discovery in device mode.

TESTS="
stranger_from_port_4884_reaches_no_service
local_program_cannot_use_port_4884
agent_handshake_passes_both_ways
no_agent_mark_no_exemption
handshake_budget_is_per_slash64
handshake_budget_is_per_slash32
handshake_budget_has_a_total_cap
handshake_budget_counts_gso_segments
prefix_mode_leaves_other_addresses_open
device_mode_drops_link_local_other_family_secondary
device_mode_keeps_handshake_and_neighbour_discovery
device_mode_admits_attested_peer
device_removed_leaves_the_set
pmtu_error_of_live_flow_passes
pmtu_error_of_other_flows_dropped
"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HS=4884		# LEO_DEFAULT_HS_PORT
MARK=0x1e0	# the agent's socket mark in these tests
TPORT=5002	# an ordinary TCP service
UPORT=5001	# an ordinary UDP service
H2_4B=192.0.2.3 H2_6B=2001:db8::3	# more addresses of the stranger
H2_FAR=203.0.113.2	# a source address of the stranger outside every prefix

# Static neighbours for every address, as topology_up makes them.
neigh_static() {
	local a mac1 mac2
	mac1=$(h1 cat /sys/class/net/leo-v1/address)
	mac2=$(h2 cat /sys/class/net/leo-v2/address)
	for a in $H2_4 $H2_OUT $H2_6 $H2_4B $H2_6B; do
		h1 ip neigh replace $a lladdr "$mac2" dev leo-v1 nud permanent || return 1
	done
	for a in $H1_4 $H1_OUT $H1_6; do
		h2 ip neigh replace $a lladdr "$mac1" dev leo-v2 nud permanent || return 1
	done
}

group_setup() {
	leo_load || { echo "cannot load $LEO_KO"; return 1; }
	topology_up || { echo "cannot build the namespaces"; return 1; }
	# secondary / deprecated: h2 never picks them as a source on its own
	h2 ip addr add $H2_4B/24 dev leo-v2 &&
		h2 ip addr add $H2_6B/64 dev leo-v2 nodad preferred_lft 0 &&
		h2 ip addr add $H2_FAR/24 dev leo-v2 &&
		neigh_static || return 1
	rule subnet add 192.0.2.0/24 && rule subnet add 2001:db8::/64
}

group_teardown() { topology_down; }

# Every test starts from: no peers, no protected device, both prefixes,
# static neighbours, enforce mode, the agent's mark registered and a
# generous handshake budget, and no program left from a failed test.
reset_rules() {
	pkill -x nettool 2>/dev/null && sleep 0.1
	rule peer flush || fail "peer flush"
	rule device del leo-v1 >/dev/null 2>&1
	rule subnet add 192.0.2.0/24 >/dev/null 2>&1
	rule subnet add 2001:db8::/64 >/dev/null 2>&1
	neigh_static || fail "static neighbours"
	rule config mode enforce hs-port $HS agent-mark $MARK hs-rate 100 \
		hs-burst 100 hs-total-rate 1000 || fail "config reset"
}

# serve NS PORT [nettool options]: an echo server, ready when this returns.
serve() {
	local ns=$1 port=$2 fam=
	shift 2
	rm -f "$LEO_TMP/serve.ready"
	# -6 binds [::], which takes IPv4 connections too
	ip netns exec "$ns" nettool tcp-serve -6 -p "$port" -w 5000 -c 4 \
		-r "$LEO_TMP/serve.ready" "$@" >/dev/null 2>&1 &
	SERVE_PID=$!
	wait_file "$LEO_TMP/serve.ready" 3000 || fail "server in $ns on $port"
}

serve_stop() { kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; }

# connects NS ADDR PORT [nettool options]: a connection is made and echoes.
connects() {
	local ns=$1 addr=$2 port=$3
	shift 3
	ip netns exec "$ns" nettool tcp-connect -a "$addr" -p "$port" -w 1500 \
		"$@" >"$LEO_TMP/connect.out" 2>&1
}

stranger_from_port_4884_reaches_no_service() {
	reset_rules
	serve leo-h1 $HS -m $MARK	# the agent listens, as it would
	local addr
	for addr in $H1_4 $H1_6; do
		ip netns exec leo-h1 nettool tcp-serve -6 -p $TPORT -w 3000 \
			-r "$LEO_TMP/svc.ready" >/dev/null 2>&1 &
		local svc=$!
		wait_file "$LEO_TMP/svc.ready" 3000 || fail "service"
		rm -f "$LEO_TMP/svc.ready"
		connects leo-h2 $addr $TPORT -b $HS &&
			fail "h2 from port $HS reached h1's port $TPORT at $addr"
		kill $svc 2>/dev/null; wait $svc 2>/dev/null
	done
	serve_stop
	return 0
}

local_program_cannot_use_port_4884() {
	reset_rules
	# outbound: an unmarked client to the stranger's handshake port
	serve leo-h2 $HS
	connects leo-h1 $H2_4 $HS && fail "unmarked h1 client reached h2:$HS"
	# outbound from port 4884 to any port of the stranger
	connects leo-h1 $H2_4 $HS -b $HS && fail "unmarked h1 client from :$HS reached h2"
	serve_stop
	# inbound: an unmarked program listening on the handshake port
	serve leo-h1 $HS
	connects leo-h2 $H1_4 $HS && fail "h2 reached an unmarked listener on h1:$HS"
	connects leo-h2 $H1_6 $HS && fail "h2 reached an unmarked listener on [h1]:$HS"
	serve_stop
	return 0
}

agent_handshake_passes_both_ways() {
	local h0 h1c
	reset_rules
	h0=$(stat_of hs_passed)
	serve leo-h1 $HS -m $MARK
	connects leo-h2 $H1_4 $HS || fail "stranger -> agent (IPv4): $(cat "$LEO_TMP/connect.out")"
	connects leo-h2 $H1_6 $HS || fail "stranger -> agent (IPv6): $(cat "$LEO_TMP/connect.out")"
	serve_stop
	serve leo-h2 $HS	# h2 runs no leo: its server needs no mark
	connects leo-h1 $H2_4 $HS -m $MARK || fail "agent -> stranger: $(cat "$LEO_TMP/connect.out")"
	serve_stop
	h1c=$(stat_of hs_passed)
	log "hs_passed $h0 -> $h1c"
	expect_ge "$h1c" $((h0 + 12)) "hs_passed growth"
	# the agent's mark opens nothing but the handshake port
	serve leo-h2 $TPORT
	connects leo-h1 $H2_4 $TPORT -m $MARK && fail "agent-marked socket reached h2:$TPORT"
	serve_stop
	return 0
}

no_agent_mark_no_exemption() {
	reset_rules
	rule config agent-mark 0 || fail "config agent-mark 0"
	serve leo-h1 $HS -m $MARK
	connects leo-h2 $H1_4 $HS && fail "handshake passed with no agent mark"
	serve_stop
	rule config agent-mark $MARK hs-port 0 || fail "config hs-port 0"
	serve leo-h1 $HS -m $MARK
	connects leo-h2 $H1_4 $HS && fail "handshake passed with hs-port 0"
	serve_stop
	return 0
}

# spend_budget ADDR SRC: h2 spends the handshake budget of its source SRC
# on a bulk transfer to the agent at ADDR (a sink with the agent's mark);
# the agent then listens again.
spend_budget() {
	local sink
	rm -f "$LEO_TMP/sink.ready"
	ip netns exec leo-h1 nettool tcp-sink -6 -p $HS -m $MARK -w 4000 \
		-r "$LEO_TMP/sink.ready" >/dev/null 2>&1 &
	sink=$!
	wait_file "$LEO_TMP/sink.ready" 3000 || fail "sink"
	ip netns exec leo-h2 nettool tcp-bulk -a "$1" -p $HS -S "$2" -n 2000000 \
		-w 1500 >/dev/null 2>&1
	kill $sink 2>/dev/null
	wait $sink 2>/dev/null
	serve leo-h1 $HS -m $MARK
}

handshake_budget_is_per_slash64() {
	local r0 r1
	reset_rules
	rule config hs-rate 1 hs-burst 20 || fail "config"
	r0=$(stat_of hs_ratelimited)
	spend_budget $H1_6 $H2_6
	connects leo-h2 $H1_6 $HS -S $H2_6B -w 500 &&
		fail "another address of the same /64 got a fresh budget"
	serve_stop
	r1=$(stat_of hs_ratelimited)
	log "hs_ratelimited $r0 -> $r1"
	expect_ge "$r1" $((r0 + 1)) "hs_ratelimited growth"
}

handshake_budget_is_per_slash32() {
	reset_rules
	rule config hs-rate 1 hs-burst 20 || fail "config"
	spend_budget $H1_4 $H2_4
	connects leo-h2 $H1_4 $HS -S $H2_4B ||
		fail "a different /32 shared the exhausted budget: $(cat "$LEO_TMP/connect.out")"
	connects leo-h2 $H1_4 $HS -S $H2_4 -w 500 &&
		fail "the exhausted /32 still connected"
	serve_stop
	return 0
}

handshake_budget_has_a_total_cap() {
	reset_rules
	# a total of one packet per second: the first source's retransmits
	# keep it spent
	rule config hs-rate 1000 hs-burst 1000 hs-total-rate 1 || fail "config"
	spend_budget $H1_4 $H2_4
	connects leo-h2 $H1_4 $HS -S $H2_4B -w 500 &&
		fail "a second source connected past the total cap"
	serve_stop
	return 0
}

# A bulk transfer to the agent under a small budget: what arrives is bounded
# by the budget in segments. Counting one token per skb would let a GSO
# sender move 64 KB per token.
handshake_budget_counts_gso_segments() {
	local out got bound rate=2 burst=20 secs=3 r0 r1
	reset_rules
	rule config hs-rate $rate hs-burst $burst || fail "config"
	r0=$(stat_of hs_ratelimited)
	rm -f "$LEO_TMP/sink.ready"
	ip netns exec leo-h1 nettool tcp-sink -p $HS -m $MARK -w $((secs * 1000)) \
		-r "$LEO_TMP/sink.ready" >"$LEO_TMP/sink.out" 2>&1 &
	local sink=$!
	wait_file "$LEO_TMP/sink.ready" 3000 || fail "sink"
	ip netns exec leo-h2 nettool tcp-bulk -a $H1_4 -p $HS -n 5000000 \
		-w $((secs * 1000)) >"$LEO_TMP/bulk.out" 2>&1
	wait $sink
	got=$(kv received_bytes "$(cat "$LEO_TMP/sink.out")")
	r1=$(stat_of hs_ratelimited)
	# every segment carries at most one MSS (1448 bytes on this link)
	bound=$(( (burst + rate * (secs + 1)) * 1448 ))
	log "received $got bytes in ${secs}s (bound $bound); hs_ratelimited $r0 -> $r1; $(cat "$LEO_TMP/bulk.out")"
	expect_le "${got:-0}" "$bound" "bytes through the handshake budget"
	expect_ge "$r1" $((r0 + 1)) "hs_ratelimited growth"
}

# link-local address of NS's veth, once it is usable (DAD done)
link_local() {
	local ns=$1 dev=$2 a i
	for i in $(seq 1 100); do
		a=$(ip -n "$ns" -6 addr show dev "$dev" scope link | grep -v tentative |
			sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64.*/\1/p')
		[ -n "$a" ] && { echo "$a"; return 0; }
		sleep 0.05
	done
	return 1
}

# Addresses outside the prefixes: h1's link-local, its IPv6 address when
# only the IPv4 prefix is protected, its secondary 198.51.100.1; and h1's
# protected address from a source outside every prefix (UDP: h1 has no
# route back). Prints how many of the four got through.
other_addresses_reachable() {
	local ll1=$1 n=0 got
	connects leo-h2 "$ll1%leo-v2" $TPORT && n=$((n + 1))
	connects leo-h2 $H1_6 $TPORT && n=$((n + 1))
	connects leo-h2 $H1_OUT $TPORT && n=$((n + 1))
	rm -f "$LEO_TMP/usink.ready"
	ip netns exec leo-h1 nettool udp-sink -p $UPORT -w 3000 -i 300 \
		-r "$LEO_TMP/usink.ready" >"$LEO_TMP/usink.out" 2>&1 &
	local sink=$!
	wait_file "$LEO_TMP/usink.ready" 3000 || fail "udp sink"
	ip netns exec leo-h2 nettool udp-send -a $H1_4 -p $UPORT -S $H2_FAR -n 5 \
		>/dev/null 2>&1
	wait $sink
	got=$(kv received "$(cat "$LEO_TMP/usink.out")")
	[ "${got:-0}" -gt 0 ] && n=$((n + 1))
	echo $n
}

# only_ipv4_prefix: only 192.0.2.0/24 stays protected; a server on h1's
# TPORT on every address.
only_ipv4_prefix() {
	rule subnet del 2001:db8::/64 || fail "subnet del"
	rm -f "$LEO_TMP/svc.ready"
	ip netns exec leo-h1 nettool tcp-serve -6 -p $TPORT -w 8000 -c 100 \
		-r "$LEO_TMP/svc.ready" >/dev/null 2>&1 &
	SVC=$!
	wait_file "$LEO_TMP/svc.ready" 3000 || fail "service"
}

restore_prefixes() {
	kill $SVC 2>/dev/null
	wait $SVC 2>/dev/null
	rule subnet add 2001:db8::/64 || fail "subnet add"
}

prefix_mode_leaves_other_addresses_open() {
	local ll1 n
	reset_rules
	ll1=$(link_local leo-h1 leo-v1) || fail "no link-local address on h1"
	only_ipv4_prefix
	n=$(other_addresses_reachable "$ll1")
	restore_prefixes
	# documented: prefix mode guards only the prefixes it names
	log "prefix mode: $n of 4 ways past the prefixes open to a stranger"
	expect_eq "$n" 4 "ways past the prefixes (prefix mode)"
}

device_mode_drops_link_local_other_family_secondary() {
	local ll1 n d0 d1
	reset_rules
	ll1=$(link_local leo-h1 leo-v1) || fail "no link-local address on h1"
	only_ipv4_prefix
	rule device add leo-v1 || fail "device add"
	d0=$(stat_of drop_no_peer)
	n=$(other_addresses_reachable "$ll1")
	ping_ok leo-h2 "$H1_OUT" && n=$((n + 1))
	ping_ok leo-h1 "$H2_OUT" && n=$((n + 1))
	d1=$(stat_of drop_no_peer)
	restore_prefixes
	log "device mode: $n of 6 attempts got through; drop_no_peer $d0 -> $d1"
	expect_eq "$n" 0 "attempts through the protected device"
	expect_ge "$d1" $((d0 + 5)) "drop_no_peer growth"
}

device_mode_keeps_handshake_and_neighbour_discovery() {
	reset_rules
	rule device add leo-v1 || fail "device add"
	# dynamic neighbours: resolution itself must get through
	h1 ip neigh flush dev leo-v1 nud all
	h2 ip neigh flush dev leo-v2 nud all
	serve leo-h1 $HS -m $MARK
	connects leo-h2 $H1_6 $HS || fail "IPv6 handshake with ND: $(cat "$LEO_TMP/connect.out")"
	connects leo-h2 $H1_4 $HS || fail "IPv4 handshake with ARP: $(cat "$LEO_TMP/connect.out")"
	serve_stop
	h1 ip neigh show dev leo-v1 | grep -q "lladdr" ||
		fail "h1 did not learn h2's link-layer address"
	return 0
}

device_mode_admits_attested_peer() {
	reset_rules
	rule device add leo-v1 || fail "device add"
	rule peer add $H2_4 validity 60000 && rule peer add $H2_6 validity 60000 &&
		rule peer add $H2_OUT validity 60000 || fail "peer add"
	both_ways_pass leo-h1 $H1_4 leo-h2 $H2_4
	both_ways_pass leo-h1 $H1_6 leo-h2 $H2_6
	both_ways_pass leo-h1 $H1_OUT leo-h2 $H2_OUT
	# its other addresses are not admitted with it
	connects leo-h2 $H1_4 $TPORT -S $H2_4B -w 500 && fail "unadmitted address $H2_4B passed"
	return 0
}

device_removed_leaves_the_set() {
	local n0 n1 n2
	reset_rules
	h1 ip link add leo-dummy type dummy || fail "dummy device"
	n0=$(stat_of devices)
	rule device add leo-dummy || fail "device add"
	rule device add leo-dummy 2>/dev/null && fail "second add accepted"
	n1=$(stat_of devices)
	h1 ip link del leo-dummy
	n2=$(stat_of devices)
	log "devices $n0 -> $n1 -> $n2"
	expect_eq "$n1" $((n0 + 1)) "devices after add"
	expect_eq "$n2" "$n0" "devices after the device was deleted"
	rule device del leo-dummy 2>/dev/null && fail "deleted device still known"
	return 0
}

# route_mtu NS ADDR: the path MTU h1 has learnt for ADDR (empty if none)
route_mtu() {
	ip -n "$1" route get "$2" 2>/dev/null | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

pmtu_error_of_live_flow_passes() {
	local p4=192.0.2.50 p6=2001:db8::50 c0 c1 m4 m6
	reset_rules
	rule peer add $p4 validity 60000 && rule peer add $p6 validity 60000 ||
		fail "peer add"
	c0=$(stat_of icmp_errors_passed)
	# h2, an unattested router in the protected prefix, reports that a
	# packet from h1 to the live peer was too big
	h2 pmtu_err -a $H1_4 -q $H1_4 -d $p4 -m 1300 || fail "send (IPv4)"
	h2 pmtu_err -a $H1_6 -q $H1_6 -d $p6 -m 1300 || fail "send (IPv6)"
	sleep 0.2
	c1=$(stat_of icmp_errors_passed)
	m4=$(route_mtu leo-h1 $p4)
	m6=$(route_mtu leo-h1 $p6)
	log "icmp_errors_passed $c0 -> $c1; route mtu to $p4: ${m4:-none}, to $p6: ${m6:-none}"
	expect_eq "$c1" $((c0 + 2)) "path MTU errors passed"
	expect_eq "$m4" 1300 "learnt path MTU (IPv4)"
	expect_eq "$m6" 1300 "learnt path MTU (IPv6)"
}

pmtu_error_of_other_flows_dropped() {
	local c0 c1 d0 d1
	reset_rules
	rule peer add 192.0.2.50 validity 60000 || fail "peer add"
	c0=$(stat_of icmp_errors_passed)
	d0=$(stat_of drop_no_peer)
	# quoting a flow to a stranger, or a packet this host did not send
	h2 pmtu_err -a $H1_4 -q $H1_4 -d 192.0.2.51 || fail "send"
	h2 pmtu_err -a $H1_4 -q 192.0.2.99 -d 192.0.2.50 || fail "send"
	h2 pmtu_err -a $H1_6 -q $H1_6 -d 2001:db8::51 || fail "send"
	sleep 0.2
	c1=$(stat_of icmp_errors_passed)
	d1=$(stat_of drop_no_peer)
	log "icmp_errors_passed $c0 -> $c1; drop_no_peer $d0 -> $d1"
	expect_eq "$c1" "$c0" "errors passed"
	expect_ge "$d1" $((d0 + 3)) "drop_no_peer growth"
	expect_eq "$(route_mtu leo-h1 192.0.2.51)" "" "path MTU learnt from a dropped error"
}

run_group "$@"
