#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Enforcement by leo.ko between two network namespaces on one veth link:
# h1 protects 192.0.2.0/24 and 2001:db8::/64, h2 (192.0.2.2, 2001:db8::2)
# is the remote host. Checks that unattested traffic dies in both
# directions (ICMP, UDP, TCP; IPv4 and IPv6), attested traffic passes,
# expiry cuts a peer off within a second, quarantine blocks, monitor mode
# passes and counts, the agent's handshake port passes (TCP, sockets with
# the agent's mark) but is rate-limited,
# unprotected addresses are untouched, and drops and expiries are
# announced on the events multicast group. Rules are loaded in h1 with
# leo_rule (this directory), which speaks the uapi contract directly.

TESTS="
unattested_ipv4_icmp_dropped_both_directions
unattested_ipv4_udp_dropped_both_directions
unattested_ipv4_tcp_dropped_both_directions
unattested_ipv6_dropped_both_directions
drop_events_name_address_reason_direction
attested_ipv4_peer_passes
attested_ipv6_peer_passes
peer_counters_track_traffic
unprotected_subnet_untouched
quarantine_blocks_and_readmit_restores
deleted_peer_is_dropped_again
expiry_cuts_peer_off_within_1s
monitor_mode_passes_and_counts
handshake_port_passes_the_agents_tcp_only
handshake_port_is_rate_limited
handshake_exemption_disabled_by_port_0
leoctl_admits_and_removes_a_peer
"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

UPORT=5001	# an ordinary UDP service
TPORT=5002	# an ordinary TCP service
HS=4884		# LEO_DEFAULT_HS_PORT
MARK=0x1e0	# the agent's socket mark in these tests

group_setup() {
	leo_load || return 1
	topology_up || { echo "cannot build the namespaces"; return 1; }
	rule subnet add 192.0.2.0/24 && rule subnet add 2001:db8::/64
}

group_teardown() { topology_down; }

# Every test starts from: no peers, enforce mode, default handshake policy.
reset_rules() {
	rule peer flush || fail "peer flush"
	rule config mode enforce hs-port $HS hs-rate 20 hs-burst 40 \
		hs-total-rate 1000 agent-mark $MARK || fail "config reset"
}

drops() { stat_of drop_no_peer; }

test_udp_blocked() {
	local n
	n=$(udp_count "$1" "$2" "$3" $UPORT 5)
	log "udp $1 -> $3: $n of 5 arrived"
	expect_eq "$n" 0 "unattested UDP $1 -> $3 arrived"
}

unattested_ipv4_icmp_dropped_both_directions() {
	local d0 d1 d2
	reset_rules
	d0=$(drops)
	ping_ok leo-h2 $H1_4 && fail "h2 -> h1 echo answered"
	d1=$(drops)
	# ping gives up at the first refused sendto(): one outbound drop
	ping_ok leo-h1 $H2_4 && fail "h1 -> h2 echo answered"
	d2=$(drops)
	log "drop_no_peer $d0 -> $d1 (inbound) -> $d2 (outbound)"
	expect_ge "$d1" $((d0 + 2)) "inbound drop_no_peer growth"
	expect_ge "$d2" $((d1 + 1)) "outbound drop_no_peer growth"
}

unattested_ipv4_udp_dropped_both_directions() {
	reset_rules
	test_udp_blocked leo-h2 leo-h1 $H1_4
	test_udp_blocked leo-h1 leo-h2 $H2_4
}

unattested_ipv4_tcp_dropped_both_directions() {
	reset_rules
	tcp_ok leo-h2 leo-h1 $H1_4 $TPORT && fail "TCP h2 -> h1 connected"
	tcp_ok leo-h1 leo-h2 $H2_4 $TPORT && fail "TCP h1 -> h2 connected"
	return 0
}

unattested_ipv6_dropped_both_directions() {
	local d0 d1
	reset_rules
	d0=$(drops)
	ping_ok leo-h2 $H1_6 && fail "h2 -> h1 echo (IPv6) answered"
	ping_ok leo-h1 $H2_6 && fail "h1 -> h2 echo (IPv6) answered"
	test_udp_blocked leo-h2 leo-h1 $H1_6
	test_udp_blocked leo-h1 leo-h2 $H2_6
	tcp_ok leo-h2 leo-h1 $H1_6 $TPORT && fail "TCP (IPv6) h2 -> h1 connected"
	tcp_ok leo-h1 leo-h2 $H2_6 $TPORT && fail "TCP (IPv6) h1 -> h2 connected"
	d1=$(drops)
	log "drop_no_peer $d0 -> $d1"
	expect_ge "$d1" $((d0 + 13)) "drop_no_peer growth"
}

# events_during EVENT N CMD...: runs CMD while listening in h1; prints the
# events seen and succeeds if N events of type EVENT arrived.
events_during() {
	local ev=$1 n=$2 pid rc
	shift 2
	rm -f "$LEO_TMP/ev.ready"
	$IN_H1 leo_events -r "$LEO_TMP/ev.ready" -e "$ev" -n "$n" -w 5000 \
		>"$LEO_TMP/ev.out" 2>&1 &
	pid=$!
	wait_file "$LEO_TMP/ev.ready" 3000 || { kill $pid; fail "listener"; }
	"$@" >/dev/null 2>&1
	wait $pid
	rc=$?
	cat "$LEO_TMP/ev.out"
	return $rc
}

drop_events_name_address_reason_direction() {
	reset_rules
	events_during drop 1 udp_count leo-h2 leo-h1 $H1_4 $UPORT 20 ||
		fail "no drop event for inbound UDP"
	grep -q "event=drop family=2 addr=$H2_4 reason=1 dir=0" "$LEO_TMP/ev.out" ||
		fail "inbound drop event lacks addr $H2_4 / NO_PEER / IN"
	sleep 1	# events are rate-limited per second
	events_during drop 1 udp_count leo-h1 leo-h2 $H2_4 $UPORT 20 ||
		fail "no drop event for outbound UDP"
	grep -q "event=drop family=2 addr=$H2_4 reason=1 dir=1" "$LEO_TMP/ev.out" ||
		fail "outbound drop event lacks addr $H2_4 / NO_PEER / OUT"
	sleep 1
	events_during drop 1 udp_count leo-h2 leo-h1 $H1_6 $UPORT 20 ||
		fail "no drop event for inbound IPv6 UDP"
	grep -q "event=drop family=10 addr=$H2_6 reason=1 dir=0" "$LEO_TMP/ev.out" ||
		fail "IPv6 drop event lacks addr $H2_6 / NO_PEER / IN"
}

# peer_passes ADDR_H1 ADDR_H2: ICMP, UDP and TCP both ways.
peer_passes() { both_ways_pass leo-h1 "$1" leo-h2 "$2"; }

attested_ipv4_peer_passes() {
	local p0 p1
	reset_rules
	rule peer add $H2_4 validity 60000 || fail "peer add"
	p0=$(stat_of passed)
	peer_passes $H1_4 $H2_4
	p1=$(stat_of passed)
	log "passed $p0 -> $p1"
	expect_ge "$p1" $((p0 + 14)) "passed counter growth"
}

attested_ipv6_peer_passes() {
	reset_rules
	rule peer add $H2_6 validity 60000 || fail "peer add"
	peer_passes $H1_6 $H2_6
	# the IPv4 address of the same host is still no peer
	ping_ok leo-h2 $H1_4 && fail "IPv4 of an IPv6-only peer passed"
	return 0
}

peer_counters_track_traffic() {
	local out rx tx
	reset_rules
	rule peer add $H2_4 validity 60000 || fail "peer add"
	udp_count leo-h2 leo-h1 $H1_4 $UPORT 10 >/dev/null
	udp_count leo-h1 leo-h2 $H2_4 $UPORT 7 >/dev/null
	out=$(rule peer get $H2_4) || fail "peer get"
	log "$out"
	rx=$(kv rx_packets "$out")
	tx=$(kv tx_packets "$out")
	expect_ge "${rx:-0}" 10 "rx_packets"
	expect_ge "${tx:-0}" 7 "tx_packets"
	expect_ge "$(kv rx_bytes "$out")" $((10 * 64)) "rx_bytes"
}

unprotected_subnet_untouched() {
	local before after n
	reset_rules
	before=$(rule stats | grep -v '^peers\|^subnets' | tr '\n' ' ')
	ping_ok leo-h2 $H1_OUT || fail "h2 -> h1 echo on 198.51.100.0/24 dropped"
	ping_ok leo-h1 $H2_OUT || fail "h1 -> h2 echo on 198.51.100.0/24 dropped"
	n=$(udp_count leo-h2 leo-h1 $H1_OUT $UPORT 5)
	expect_eq "$n" 5 "UDP on an unprotected subnet"
	tcp_ok leo-h1 leo-h2 $H2_OUT $TPORT || fail "TCP on an unprotected subnet"
	after=$(rule stats | grep -v '^peers\|^subnets' | tr '\n' ' ')
	log "counters before: $before"
	log "counters after:  $after"
	expect_eq "$after" "$before" "leo counters moved for unprotected traffic"
}

quarantine_blocks_and_readmit_restores() {
	local q0 q1
	reset_rules
	rule peer add $H2_4 validity 60000 || fail "peer add"
	ping_ok leo-h2 $H1_4 || fail "attested peer dropped"
	rule peer set $H2_4 state quarantined || fail "quarantine"
	q0=$(stat_of drop_quarantined)
	ping_ok leo-h2 $H1_4 && fail "quarantined peer's echo answered (in)"
	ping_ok leo-h1 $H2_4 && fail "echo to quarantined peer answered (out)"
	n=$(udp_count leo-h2 leo-h1 $H1_4 $UPORT 5)
	expect_eq "$n" 0 "UDP from a quarantined peer"
	q1=$(stat_of drop_quarantined)
	log "drop_quarantined $q0 -> $q1"
	expect_ge "$q1" $((q0 + 5)) "drop_quarantined growth"
	rule peer set $H2_4 state attested || fail "re-admit"
	ping_ok leo-h2 $H1_4 || fail "re-admitted peer dropped"
}

deleted_peer_is_dropped_again() {
	reset_rules
	rule peer add $H2_4 validity 60000 || fail "peer add"
	ping_ok leo-h2 $H1_4 || fail "attested peer dropped"
	rule peer del $H2_4 || fail "peer del"
	ping_ok leo-h2 $H1_4 && fail "deleted peer's echo answered"
	return 0
}

# h2 streams UDP to h1 every 10 ms; h2 is admitted with a 2 s validity
# mid-stream. Measures when the last datagram arrived relative to the
# expiry time.
expiry_cuts_peer_off_within_1s() {
	local out t_req t_ack t_ev sink ev_pid snd first last v=2000
	reset_rules
	rm -f "$LEO_TMP/sink.ready" "$LEO_TMP/ev.ready"
	$IN_H1 leo_events -r "$LEO_TMP/ev.ready" -e expired -n 1 -w 10000 \
		>"$LEO_TMP/ev.out" 2>&1 &
	ev_pid=$!
	$IN_H1 nettool udp-sink -p $UPORT -w 20000 -r "$LEO_TMP/sink.ready" \
		>"$LEO_TMP/sink.out" 2>&1 &
	sink=$!
	wait_file "$LEO_TMP/sink.ready" 3000 && wait_file "$LEO_TMP/ev.ready" 3000 ||
		fail "listeners did not start"
	$IN_H2 nettool udp-send -a $H1_4 -p $UPORT -n 500 -g 10000 >"$LEO_TMP/send.out" &
	snd=$!
	sleep 0.5
	out=$(rule -t peer add $H2_4 validity $v) || fail "peer add"
	# the peer was admitted between t_req and t_ack
	t_req=$(kv t_req_ms "$out")
	t_ack=$(kv t_ms "$out")
	wait $snd
	sleep 0.3
	kill -TERM $sink
	wait $sink
	wait $ev_pid || { cat "$LEO_TMP/ev.out"; fail "no expiry event"; }
	out=$(cat "$LEO_TMP/sink.out")
	first=$(kv first_ms "$out")
	last=$(kv last_ms "$out")
	log "peer add sent at $t_req ms, acknowledged at $t_ack ms, validity $v ms"
	log "$(cat "$LEO_TMP/send.out")"
	log "sink: $out"
	log "first datagram $((first - t_req)) ms after the request;" \
		"last $((last - t_ack - v)) ms after the latest expiry time"
	cat "$LEO_TMP/ev.out"
	expect_ge "$(kv received "$out")" 50 "datagrams while attested"
	expect_ge "$first" "$t_req" "datagram arrived before the peer was added"
	expect_le "$first" $((t_ack + 500)) "first datagram after the add"
	expect_ge "$last" $((t_req + v - 200)) "cut off before the validity ran out"
	expect_le "$last" $((t_ack + v + 1000)) "cut off later than 1 s after expiry"
	grep -q "event=expired family=2 addr=$H2_4" "$LEO_TMP/ev.out" ||
		fail "expiry event lacks the peer address"
	t_ev=$(kv t_ms "$(grep event=expired "$LEO_TMP/ev.out")")
	log "expiry event $((t_ev - t_ack - v)) ms after the latest expiry time"
	expect_le "$t_ev" $((t_ack + v + 1000)) "expiry event later than 1 s"
	expect_ge "$(stat_of peers_expired)" 1 "peers_expired"
	ping_ok leo-h2 $H1_4 && fail "expired peer's echo answered"
	return 0
}

monitor_mode_passes_and_counts() {
	local m0 m1 d0 d1 n
	reset_rules
	rule config mode monitor || fail "monitor mode"
	m0=$(stat_of monitor_passed)
	d0=$(drops)
	ping_ok leo-h2 $H1_4 || fail "monitor mode dropped an echo"
	n=$(udp_count leo-h2 leo-h1 $H1_4 $UPORT 5)
	expect_eq "$n" 5 "UDP in monitor mode"
	tcp_ok leo-h1 leo-h2 $H2_4 $TPORT || fail "TCP in monitor mode"
	m1=$(stat_of monitor_passed)
	d1=$(drops)
	log "monitor_passed $m0 -> $m1, drop_no_peer $d0 -> $d1"
	expect_ge "$m1" $((m0 + 9)) "monitor_passed growth"
	expect_eq "$d1" "$d0" "drop counter in monitor mode"
	sleep 1
	events_during monitor 1 udp_count leo-h2 leo-h1 $H1_4 $UPORT 20 ||
		fail "no monitor event"
	grep -q "event=monitor family=2 addr=$H2_4 reason=1" "$LEO_TMP/ev.out" ||
		fail "monitor event lacks address or reason"
	rule config mode enforce || fail "enforce mode"
	ping_ok leo-h2 $H1_4 && fail "enforce mode let an echo through"
	return 0
}

# agent_tcp_ok FROM TO ADDR [FROM_MARK]: tcp_ok with the agent's mark on
# the listener in TO (h1), or on the client in FROM when it is h1.
agent_serve_ok() {
	local from=$1 to=$2 addr=$3 fam= pid rc
	shift 3
	case $addr in *:*) fam=-6 ;; esac
	rm -f "$LEO_TMP/serve.ready"
	ip netns exec "$to" nettool tcp-serve $fam -p $HS -w 5000 -m $MARK \
		-r "$LEO_TMP/serve.ready" >/dev/null 2>&1 &
	pid=$!
	wait_file "$LEO_TMP/serve.ready" 3000 || { kill $pid; return 1; }
	ip netns exec "$from" nettool tcp-connect -a "$addr" -p $HS -w 1500 "$@" \
		>"$LEO_TMP/connect.out" 2>&1
	rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	return $rc
}

handshake_port_passes_the_agents_tcp_only() {
	local h0 h1c n
	reset_rules
	h0=$(stat_of hs_passed)
	agent_serve_ok leo-h2 leo-h1 $H1_4 || fail "TCP to h1's agent"
	agent_serve_ok leo-h2 leo-h1 $H1_6 || fail "TCP (IPv6) to h1's agent"
	agent_serve_ok leo-h1 leo-h2 $H2_4 -m $MARK || fail "h1's agent to h2's handshake port"
	h1c=$(stat_of hs_passed)
	log "hs_passed $h0 -> $h1c"
	expect_ge "$h1c" $((h0 + 10)) "hs_passed growth"
	# UDP is no part of the exchange, and other ports stay closed
	n=$(udp_count leo-h2 leo-h1 $H1_4 $HS 3)
	expect_eq "$n" 0 "UDP to the handshake port"
	n=$(udp_count leo-h2 leo-h1 $H1_4 $UPORT 3)
	expect_eq "$n" 0 "UDP to another port"
}

# A flood of connection attempts to the agent: only the budget's worth of
# SYNs reaches it.
handshake_port_is_rate_limited() {
	local r0 r1 ok=0 i rate=1 burst=5
	reset_rules
	rule config hs-rate $rate hs-burst $burst || fail "config"
	r0=$(stat_of hs_ratelimited)
	rm -f "$LEO_TMP/serve.ready"
	$IN_H1 nettool tcp-serve -p $HS -w 10000 -c 100 -m $MARK \
		-r "$LEO_TMP/serve.ready" >/dev/null 2>&1 &
	local pid=$!
	wait_file "$LEO_TMP/serve.ready" 3000 || fail "server"
	for i in $(seq 1 20); do
		h2 nettool tcp-connect -a $H1_4 -p $HS -w 300 >/dev/null 2>&1 &&
			ok=$((ok + 1))
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	r1=$(stat_of hs_ratelimited)
	log "20 connection attempts: $ok completed; hs_ratelimited $r0 -> $r1"
	# each connection needs about 5 inbound packets; the budget is
	# burst + rate x (about 8 s at most)
	expect_ge "$ok" 1 "connections within the budget"
	expect_le "$ok" 4 "connections within the budget"
	expect_ge "$r1" $((r0 + 10)) "hs_ratelimited growth"
}

handshake_exemption_disabled_by_port_0() {
	reset_rules
	rule config hs-port 0 || fail "config hs-port 0"
	agent_serve_ok leo-h2 leo-h1 $H1_4 && fail "TCP to the agent with the exemption off"
	return 0
}

# The operator's tool drives the same kernel state: leoctl in h1 admits and
# removes h2, and the packet path follows.
leoctl_admits_and_removes_a_peer() {
	local id
	command -v leoctl >/dev/null || skip "leoctl not installed"
	reset_rules
	id=$(printf 'c3%.0s' $(seq 1 32))
	h1 leoctl peer add $H2_4 "$id" validity 60s || fail "leoctl peer add"
	ping_ok leo-h2 $H1_4 || fail "peer admitted by leoctl dropped"
	h1 leoctl peer show $H2_4 || fail "leoctl peer show"
	h1 leoctl peer del $H2_4 reason admin || fail "leoctl peer del"
	ping_ok leo-h2 $H1_4 && fail "peer removed by leoctl still passes"
	return 0
}

run_group "$@"
