#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leo.ko on a router, on loopback, during IPv6 neighbour discovery, and
# its in-kernel self-tests. Three namespaces in a line:
#
#   c1 (192.0.2.2/25, 2001:db8:1::2) -- r -- c2 (198.51.100.2/24, 2001:db8:2::2)
#
# r forwards between its two veth links and holds the leo rules (leo state
# is per network namespace); c1 and c2 have none. On FORWARD every end of a
# packet that lies in a protected subnet must be a live peer, so the tests
# protect one end, then both, and admit the ends one at a time. The
# loopback test puts rules in c1 itself; the neighbour discovery test
# removes the static neighbours of the c1 link. The last test reloads
# leo.ko with selftest=1, which wipes every namespace's rules, and then
# restores a plain load.

TESTS="
forward_unprotected_untouched
forward_ipv4_one_end_protected
forward_ipv4_both_ends_protected
forward_ipv6_one_end_protected
forward_ipv6_both_ends_protected
forward_drop_event_names_the_unattested_end
forward_handshake_port_is_no_tunnel
loopback_to_own_protected_address_passes
ipv6_handshake_with_neighbour_discovery
kernel_selftest_runs_at_load
"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

C1_4=192.0.2.2 R1_4=192.0.2.1 NET1_4=192.0.2.0/25
C2_4=198.51.100.2 R2_4=198.51.100.1 NET2_4=198.51.100.0/24
C1_6=2001:db8:1::2 R1_6=2001:db8:1::1 NET1_6=2001:db8:1::/64
C2_6=2001:db8:2::2 R2_6=2001:db8:2::1 NET2_6=2001:db8:2::/64
ALL_NETS="$NET1_4 $NET2_4 $NET1_6 $NET2_6"

UPORT=5001	# an ordinary UDP service
TPORT=5002	# an ordinary TCP service
HS=4884		# LEO_DEFAULT_HS_PORT
MARK=0x1e0	# the agent's socket mark in these tests

c1() { ip netns exec leo-c1 "$@"; }
c2() { ip netns exec leo-c2 "$@"; }
r() { ip netns exec leo-r "$@"; }
rule_in() { local ns=$1; shift; ip netns exec "$ns" "$LEO_DIR/leo_rule" "$@"; }
rrule() { rule_in leo-r "$@"; }
stat_in() { rule_in "$1" stats "$2"; }
# every counter of a namespace on one line, for "nothing moved" checks
counters_in() { rule_in "$1" stats | grep -v '^peers\|^subnets' | tr '\n' ' '; }

# --- topology ---------------------------------------------------------------

fwd_down() {
	ip netns del leo-c1 2>/dev/null
	ip netns del leo-r 2>/dev/null
	ip netns del leo-c2 2>/dev/null
	return 0
}

mac_of() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }

# static_neigh NS DEV ADDR PEER_NS PEER_DEV: ADDR (on PEER_DEV) is known in NS
static_neigh() {
	ip netns exec "$1" ip neigh replace "$3" lladdr "$(mac_of "$4" "$5")" \
		dev "$2" nud permanent
}

# Neighbours are static, so neighbour discovery decides only the test
# that removes them (link1_neigh del).
link1_neigh() {
	if [ "$1" = add ]; then
		static_neigh leo-c1 leo-c1 $R1_4 leo-r leo-r1 &&
		static_neigh leo-c1 leo-c1 $R1_6 leo-r leo-r1 &&
		static_neigh leo-r leo-r1 $C1_4 leo-c1 leo-c1 &&
		static_neigh leo-r leo-r1 $C1_6 leo-c1 leo-c1
	else
		c1 ip neigh del $R1_6 dev leo-c1 2>/dev/null
		r ip neigh del $C1_6 dev leo-r1 2>/dev/null
		return 0
	fi
}

fwd_up() {
	fwd_down
	ip netns add leo-c1 && ip netns add leo-r && ip netns add leo-c2 ||
		return 1
	ip link add leo-c1 netns leo-c1 type veth peer name leo-r1 netns leo-r &&
	ip link add leo-c2 netns leo-c2 type veth peer name leo-r2 netns leo-r ||
		return 1
	c1 ip addr add $C1_4/25 dev leo-c1 &&
	c1 ip addr add $C1_6/64 dev leo-c1 nodad &&
	c2 ip addr add $C2_4/24 dev leo-c2 &&
	c2 ip addr add $C2_6/64 dev leo-c2 nodad &&
	r ip addr add $R1_4/25 dev leo-r1 &&
	r ip addr add $R1_6/64 dev leo-r1 nodad &&
	r ip addr add $R2_4/24 dev leo-r2 &&
	r ip addr add $R2_6/64 dev leo-r2 nodad || return 1
	c1 ip link set lo up && c1 ip link set leo-c1 up &&
	c2 ip link set lo up && c2 ip link set leo-c2 up &&
	r ip link set lo up && r ip link set leo-r1 up &&
	r ip link set leo-r2 up || return 1
	c1 ip route add default via $R1_4 &&
	c1 ip -6 route add default via $R1_6 &&
	c2 ip route add default via $R2_4 &&
	c2 ip -6 route add default via $R2_6 || return 1
	r sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding' || return 1
	link1_neigh add &&
	static_neigh leo-c2 leo-c2 $R2_4 leo-r leo-r2 &&
	static_neigh leo-c2 leo-c2 $R2_6 leo-r leo-r2 &&
	static_neigh leo-r leo-r2 $C2_4 leo-c2 leo-c2 &&
	static_neigh leo-r leo-r2 $C2_6 leo-c2 leo-c2
}

group_setup() {
	if leo_loaded; then touch "$LEO_TMP/was_loaded"; fi
	leo_load || return 1
	fwd_up || { echo "cannot build the namespaces"; return 1; }
}

# Leaves leo.ko as it found it, even if the reload test died halfway.
group_teardown() {
	fwd_down
	if [ -e "$LEO_TMP/was_loaded" ]; then
		leo_load
	elif leo_loaded; then
		rmmod leo
	fi
}

# The router starts every test with no subnets, no peers, enforce mode and
# the default handshake policy; PROTECT... are then protected on it.
router_rules() {
	local net
	rrule peer flush || fail "peer flush on r"
	for net in $ALL_NETS; do
		rrule subnet del "$net" >/dev/null 2>&1
	done
	rrule config mode enforce hs-port $HS hs-rate 20 hs-burst 40 \
		agent-mark $MARK || fail "config reset on r"
	for net in "$@"; do
		rrule subnet add "$net" || fail "subnet add $net on r"
	done
	expect_eq "$(rrule stats | sed -n 's/^subnets //p')" $# "subnets on r"
}

# --- forwarding ---------------------------------------------------------------

# passes_both_ways A1 A2: c1 (at A1) and c2 (at A2) reach each other with
# ICMP, UDP and TCP.
passes_both_ways() { both_ways_pass leo-c1 "$1" leo-c2 "$2"; }

# dropped_both_ways A1 A2 WHY: nothing gets through either way, and r
# counts at least 2 + 2 echoes, 5 + 5 datagrams and a SYN as drop_no_peer.
dropped_both_ways() {
	local d0 d1 n
	d0=$(stat_in leo-r drop_no_peer)
	ping_ok leo-c1 "$2" && fail "c1 -> $2 echo answered ($3)"
	ping_ok leo-c2 "$1" && fail "c2 -> $1 echo answered ($3)"
	n=$(udp_count leo-c1 leo-c2 "$2" $UPORT 5)
	expect_eq "$n" 0 "UDP c1 -> $2 datagrams ($3)"
	n=$(udp_count leo-c2 leo-c1 "$1" $UPORT 5)
	expect_eq "$n" 0 "UDP c2 -> $1 datagrams ($3)"
	tcp_ok leo-c1 leo-c2 "$2" $TPORT && fail "TCP c1 -> $2 connected ($3)"
	d1=$(stat_in leo-r drop_no_peer)
	log "$3: drop_no_peer on r $d0 -> $d1"
	expect_ge "$d1" $((d0 + 15)) "drop_no_peer growth on r ($3)"
}

# With no protected subnet r forwards everything and counts nothing; the
# end hosts, which have no rules, count nothing either.
forward_unprotected_untouched() {
	local before after
	router_rules
	before="$(counters_in leo-r)|$(counters_in leo-c1)|$(counters_in leo-c2)"
	passes_both_ways $C1_4 $C2_4
	passes_both_ways $C1_6 $C2_6
	after="$(counters_in leo-r)|$(counters_in leo-c1)|$(counters_in leo-c2)"
	log "counters r|c1|c2 before: $before"
	log "counters r|c1|c2 after:  $after"
	expect_eq "$after" "$before" "leo counters moved with nothing protected"
}

# forward_one_end C1 C2 NET1: only c1's subnet is protected, so c1 alone
# must be a peer; c2 never needs to be one.
forward_one_end() {
	local c1a=$1 c2a=$2 before out p0 p1
	router_rules "$3"
	before="$(counters_in leo-c1)|$(counters_in leo-c2)"
	dropped_both_ways "$c1a" "$c2a" "no peers"
	expect_eq "$(counters_in leo-c1)|$(counters_in leo-c2)" "$before" \
		"counters of the end hosts (no rules there)"
	rrule peer add "$c1a" validity 60000 || fail "peer add $c1a on r"
	p0=$(stat_in leo-r passed)
	passes_both_ways "$c1a" "$c2a"
	p1=$(stat_in leo-r passed)
	out=$(rrule peer get "$c1a") || fail "peer get $c1a on r"
	log "passed on r $p0 -> $p1; c1 on r: $out"
	expect_ge "$p1" $((p0 + 14)) "passed growth on r"
	# c1 sent 5 datagrams to c2 and c2 5 to c1, plus echoes and TCP
	expect_ge "$(kv rx_packets "$out")" 5 "rx_packets of c1 on r"
	expect_ge "$(kv tx_packets "$out")" 5 "tx_packets of c1 on r"
	rrule peer del "$c1a" || fail "peer del $c1a on r"
	ping_ok leo-c1 "$c2a" && fail "c1 -> $c2a echo answered after peer del"
	return 0
}

# forward_both_ends C1 C2 NET1 NET2: both subnets protected; one live
# end is not enough, whichever it is.
forward_both_ends() {
	local c1a=$1 c2a=$2
	router_rules "$3" "$4"
	dropped_both_ways "$c1a" "$c2a" "no peers"
	rrule peer add "$c1a" validity 60000 || fail "peer add $c1a on r"
	dropped_both_ways "$c1a" "$c2a" "only c1 a peer"
	rrule peer del "$c1a" && rrule peer add "$c2a" validity 60000 ||
		fail "swap peers on r"
	dropped_both_ways "$c1a" "$c2a" "only c2 a peer"
	rrule peer add "$c1a" validity 60000 || fail "peer add $c1a on r"
	passes_both_ways "$c1a" "$c2a"
	# a quarantined end stops the flow again
	rrule peer set "$c2a" state quarantined || fail "quarantine $c2a"
	ping_ok leo-c1 "$c2a" && fail "echo to a quarantined end answered"
	expect_ge "$(stat_in leo-r drop_quarantined)" 2 "drop_quarantined on r"
}

forward_ipv4_one_end_protected() { forward_one_end $C1_4 $C2_4 $NET1_4; }
forward_ipv6_one_end_protected() { forward_one_end $C1_6 $C2_6 $NET1_6; }

forward_ipv4_both_ends_protected() {
	forward_both_ends $C1_4 $C2_4 $NET1_4 $NET2_4
}

forward_ipv6_both_ends_protected() {
	forward_both_ends $C1_6 $C2_6 $NET1_6 $NET2_6
}

# events_in_r EVENT N CMD...: runs CMD while listening on r; prints what
# arrived; succeeds once N events of type EVENT did.
events_in_r() {
	local ev=$1 n=$2 pid rc
	shift 2
	rm -f "$LEO_TMP/ev.ready"
	ip netns exec leo-r leo_events -r "$LEO_TMP/ev.ready" -e "$ev" -n "$n" \
		-w 5000 >"$LEO_TMP/ev.out" 2>&1 &
	pid=$!
	wait_file "$LEO_TMP/ev.ready" 3000 || { kill $pid; fail "listener"; }
	"$@" >/dev/null 2>&1
	wait $pid
	rc=$?
	cat "$LEO_TMP/ev.out"
	return $rc
}

# With c1 admitted and c2 not, the drop names c2 (reason NO_PEER,
# direction FORWARD), whichever way the packet goes; over IPv6 only c2's
# subnet is protected, so c2 is again the end to blame.
forward_drop_event_names_the_unattested_end() {
	router_rules $NET1_4 $NET2_4 $NET2_6
	sleep 1	# earlier tests may have spent this second's events
	rrule peer add $C1_4 validity 60000 || fail "peer add"
	events_in_r drop 1 udp_count leo-c1 leo-c2 $C2_4 $UPORT 20 ||
		fail "no drop event for c1 -> c2"
	grep -q "event=drop family=2 addr=$C2_4 reason=1 dir=2" "$LEO_TMP/ev.out" ||
		fail "drop event lacks addr $C2_4 / NO_PEER / FORWARD"
	sleep 1	# events are rate-limited per second
	events_in_r drop 1 udp_count leo-c2 leo-c1 $C1_4 $UPORT 20 ||
		fail "no drop event for c2 -> c1"
	grep -q "event=drop family=2 addr=$C2_4 reason=1 dir=2" "$LEO_TMP/ev.out" ||
		fail "drop event lacks addr $C2_4 / NO_PEER / FORWARD"
	sleep 1
	events_in_r drop 1 udp_count leo-c2 leo-c1 $C1_6 $UPORT 20 ||
		fail "no drop event for c2 -> c1 (IPv6)"
	grep -q "event=drop family=10 addr=$C2_6 reason=1 dir=2" "$LEO_TMP/ev.out" ||
		fail "IPv6 drop event lacks addr $C2_6 / NO_PEER / FORWARD"
}

# No socket of r owns a forwarded flow, so nothing forwarded is exempt:
# unattested hosts on both sides reach neither each other's handshake
# port nor anything else, from any port.
forward_handshake_port_is_no_tunnel() {
	local h0 h1 n
	router_rules $NET1_4 $NET2_4 $NET1_6 $NET2_6
	h0=$(stat_in leo-r hs_passed)
	tcp_ok leo-c1 leo-c2 $C2_4 $HS && fail "TCP c1 -> c2:$HS through r"
	tcp_ok leo-c2 leo-c1 $C1_6 $HS && fail "TCP c2 -> [c1]:$HS through r"
	CONNECT_OPTS="-b $HS" tcp_ok leo-c1 leo-c2 $C2_4 $TPORT &&
		fail "TCP c1:$HS -> c2:$TPORT through r"
	n=$(udp_count leo-c1 leo-c2 $C2_4 $HS 5 100000)
	expect_eq "$n" 0 "UDP c1 -> c2:$HS through r"
	h1=$(stat_in leo-r hs_passed)
	log "hs_passed on r $h0 -> $h1"
	expect_eq "$h1" "$h0" "hs_passed on r"
}

# --- loopback -------------------------------------------------------------------

# c1 protects its own subnets (and the loopback ones) with no peers: what
# it sends to itself crosses lo and is never enforced nor counted, while
# its traffic to r, over the veth, is dropped.
loopback_to_own_protected_address_passes() {
	local net before after d0 d1 n
	router_rules
	for net in $NET1_4 $NET1_6 127.0.0.0/8 ::1/128; do
		rule_in leo-c1 subnet add $net || fail "subnet add $net in c1"
	done
	before=$(counters_in leo-c1)
	ping_ok leo-c1 $C1_4 || fail "c1 -> own $C1_4 echo dropped"
	ping_ok leo-c1 $C1_6 || fail "c1 -> own $C1_6 echo dropped"
	ping_ok leo-c1 127.0.0.1 || fail "c1 -> 127.0.0.1 echo dropped"
	ping_ok leo-c1 ::1 || fail "c1 -> ::1 echo dropped"
	n=$(udp_count leo-c1 leo-c1 $C1_4 $UPORT 5)
	expect_eq "$n" 5 "UDP c1 -> own $C1_4"
	n=$(udp_count leo-c1 leo-c1 $C1_6 $UPORT 5)
	expect_eq "$n" 5 "UDP c1 -> own $C1_6"
	tcp_ok leo-c1 leo-c1 $C1_4 $TPORT || fail "TCP c1 -> own $C1_4"
	tcp_ok leo-c1 leo-c1 $C1_6 $TPORT || fail "TCP c1 -> own $C1_6"
	after=$(counters_in leo-c1)
	log "c1 counters before: $before"
	log "c1 counters after:  $after"
	expect_eq "$after" "$before" "c1's counters moved for loopback traffic"
	d0=$(stat_in leo-c1 drop_no_peer)
	ping_ok leo-c1 $R1_4 && fail "c1 -> r echo answered (r is no peer of c1)"
	d1=$(stat_in leo-c1 drop_no_peer)
	expect_ge "$d1" $((d0 + 1)) "drop_no_peer growth in c1"
	for net in $NET1_4 $NET1_6 127.0.0.0/8 ::1/128; do
		rule_in leo-c1 subnet del $net || fail "subnet del $net in c1"
	done
}

# --- IPv6 neighbour discovery -------------------------------------------------

# has_neigh NS DEV ADDR: NS resolved ADDR to a link-layer address.
has_neigh() {
	ip netns exec "$1" ip -6 neigh show "$3" dev "$2" | grep -q lladdr
}

# r protects c1's IPv6 subnet and c1 is no peer. With the static
# neighbours gone, each side must resolve the other by neighbour
# discovery before its handshake can pass: c1 connects to r's agent on
# port 4884, then r's agent to c1's. An ordinary port stays closed.
ipv6_handshake_with_neighbour_discovery() {
	local h0 h1
	router_rules $NET1_6
	h0=$(stat_in leo-r hs_passed)
	link1_neigh del
	has_neigh leo-c1 leo-c1 $R1_6 && fail "c1 still knows r's address"
	SERVE_OPTS="-m $MARK" tcp_ok leo-c1 leo-r $R1_6 $HS ||
		fail "TCP c1 -> [r]:$HS: $(cat "$LEO_TMP/connect.out")"
	has_neigh leo-c1 leo-c1 $R1_6 || fail "c1 did not resolve r"
	has_neigh leo-r leo-r1 $C1_6 || fail "r did not resolve c1"
	link1_neigh del
	CONNECT_OPTS="-m $MARK" tcp_ok leo-r leo-c1 $C1_6 $HS ||
		fail "TCP r -> [c1]:$HS: $(cat "$LEO_TMP/connect.out")"
	has_neigh leo-r leo-r1 $C1_6 || fail "r did not resolve c1"
	h1=$(stat_in leo-r hs_passed)
	log "hs_passed on r $h0 -> $h1"
	expect_ge "$h1" $((h0 + 4)) "hs_passed growth on r"
	tcp_ok leo-c1 leo-r $R1_6 $TPORT && fail "TCP c1 -> [r]:$TPORT connected"
	link1_neigh add || fail "static neighbours back"
}

# --- in-kernel self-tests ----------------------------------------------------------

# `insmod leo.ko selftest=1` runs the self-tests of kernel/selftest.c
# before anything else and fails the load if one fails. This test reloads
# the module, so it runs last and only when nothing holds leo.ko; it
# leaves a plain load (selftest=N) behind.
kernel_selftest_runs_at_load() {
	local ok0 ok1 bad0 bad1 refs
	local ok_re='leo: selftest: all passed' bad_re='leo: selftest: .*(wrong|failures)'
	need_ko
	if leo_loaded; then
		refs=$(cat /sys/module/leo/refcnt 2>/dev/null || echo 0)
		[ "$refs" = 0 ] || skip "leo.ko in use (refcnt $refs), cannot reload"
		rmmod leo || fail "rmmod before the reload"
	fi
	ok0=$(dmesg | grep -c "$ok_re")
	bad0=$(dmesg | grep -cE "$bad_re")
	insmod "$LEO_KO" selftest=1 ||
		fail "insmod selftest=1 failed: $(dmesg | grep 'leo: ' | tail -5)"
	ok1=$(dmesg | grep -c "$ok_re")
	bad1=$(dmesg | grep -cE "$bad_re")
	dmesg | grep 'leo: selftest' | tail -3
	expect_eq "$ok1" $((ok0 + 1)) "'$ok_re' lines"
	expect_eq "$bad1" "$bad0" "self-test failure lines"
	expect_eq "$(cat /sys/module/leo/parameters/selftest)" Y "selftest parameter"
	# the self-tests' private state is gone; the real one starts empty
	expect_eq "$(leo_rule stats | sed -n 's/^subnets //p')" 0 \
		"subnets after the self-tests"
	expect_eq "$(leo_rule stats peers)" 0 "peers after the self-tests"
	rmmod leo && insmod "$LEO_KO" || fail "plain reload after the self-tests"
	expect_eq "$(cat /sys/module/leo/parameters/selftest)" N "selftest parameter after the plain reload"
	leo_rule stats >/dev/null || fail "leo family answers after the reload"
	ok1=$(dmesg | grep -c "$ok_re")
	expect_eq "$ok1" $((ok0 + 1)) "'$ok_re' lines after a plain load"
}

run_group "$@"
