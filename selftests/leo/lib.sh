#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the shell test groups: a small TAP driver, assertions,
# and the two-namespace topology the enforcement tests use.
#
# A group script sets TESTS (function names, in order), optionally defines
# group_setup / group_teardown, sources this file and calls run_group "$@".
# `GROUP -l` lists the tests; `GROUP` runs them and prints TAP 13. A test
# function passes by returning 0, fails with fail(), skips with skip().
# Each test runs in a subshell, so a failed assertion ends only that test.

LEO_DIR=${LEO_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
LEO_KO=${LEO_KO:-/opt/leo/leo.ko}
LEO_TMP=${LEO_TMP:-$(mktemp -d /tmp/leo-selftest.XXXXXX)}
PATH=$LEO_DIR:/opt/leo:$PATH

if command -v ping >/dev/null 2>&1; then PING=ping; else PING="busybox ping"; fi

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*" >"$LEO_TMP/skip_reason"; exit 4; }
log() { echo "$*"; }

# expect_le A B WHAT: fails unless integer A <= B.
expect_le() { [ "$1" -le "$2" ] || fail "$3: $1 > $2"; }
expect_ge() { [ "$1" -ge "$2" ] || fail "$3: $1 < $2"; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }

# wait_file PATH MS: waits (bounded) until PATH exists.
wait_file() {
	local i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ "$i" -gt $(($2 / 20)) ] && return 1
		sleep 0.02
	done
}

# kv KEY TEXT: the value of KEY=value in TEXT.
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

leo_loaded() { grep -q '^leo ' /proc/modules; }

# Under run_tests.sh (LEO_SUITE=1) leo.ko is part of what is tested: a
# missing leo.ko or a failed insmod is a failure. Run alone, a group whose
# leo.ko is missing skips.

# Loads leo.ko unless it is loaded already; says why not on failure.
leo_load() {
	leo_loaded && return 0
	leo_ko_present || return 1
	insmod "$LEO_KO" 2>&1 && return 0
	echo "insmod $LEO_KO failed; kernel log on leo and modules:"
	dmesg | grep -E 'leo: |module' | tail -5
	return 1
}

# leo_ko_present: for group_setup: $LEO_KO exists, or 1 with the reason,
# made the group's skip reason only outside the suite.
leo_ko_present() {
	[ -f "$LEO_KO" ] && return 0
	echo "$LEO_KO missing"
	[ -n "${LEO_SUITE:-}" ] || echo "$LEO_KO missing" >"$LEO_TMP/skip_reason"
	return 1
}

# need_ko: for a test: $LEO_KO exists, else the test fails (in the suite)
# or skips (alone).
need_ko() {
	[ -f "$LEO_KO" ] && return 0
	[ -n "${LEO_SUITE:-}" ] && fail "$LEO_KO missing"
	skip "$LEO_KO missing"
}

run_group() {
	local t rc n=0 failed=0 count
	if [ "${1:-}" = -l ]; then
		for t in $TESTS; do echo "$t"; done
		return 0
	fi
	count=$(echo $TESTS | wc -w)
	echo "TAP version 13"
	echo "1..$count"
	if declare -F group_setup >/dev/null && ! group_setup >"$LEO_TMP/setup" 2>&1; then
		sed 's/^/# /' "$LEO_TMP/setup"
		declare -F group_teardown >/dev/null && group_teardown >/dev/null 2>&1
		for t in $TESTS; do
			n=$((n + 1))
			if [ -e "$LEO_TMP/skip_reason" ]; then
				echo "ok $n - $t # SKIP $(cat "$LEO_TMP/skip_reason")"
			else
				echo "not ok $n - $t # group setup failed"
				failed=1
			fi
		done
		rm -rf "$LEO_TMP"
		return $failed
	fi
	for t in $TESTS; do
		n=$((n + 1))
		rm -f "$LEO_TMP/skip_reason"
		("$t") >"$LEO_TMP/out" 2>&1
		rc=$?
		sed 's/^/# /' "$LEO_TMP/out"
		if [ "$rc" = 0 ]; then
			echo "ok $n - $t"
		elif [ "$rc" = 4 ] && [ -e "$LEO_TMP/skip_reason" ]; then
			echo "ok $n - $t # SKIP $(cat "$LEO_TMP/skip_reason")"
		else
			echo "not ok $n - $t"
			failed=1
		fi
	done
	declare -F group_teardown >/dev/null && group_teardown >/dev/null 2>&1
	rm -rf "$LEO_TMP"
	return $failed
}

# --- two hosts in namespaces -----------------------------------------------
#
# h1 is the host under test (leo rules live in its namespace), h2 a remote
# host without rules. One veth link carries a protected and an unprotected
# IPv4 subnet and a protected IPv6 subnet. Neighbours are static, so IPv6
# neighbour discovery does not decide a test.

H1_4=192.0.2.1 H2_4=192.0.2.2
H1_OUT=198.51.100.1 H2_OUT=198.51.100.2
H1_6=2001:db8::1 H2_6=2001:db8::2

h1() { ip netns exec leo-h1 "$@"; }
h2() { ip netns exec leo-h2 "$@"; }
# For background jobs: "$IN_H1 prog &" makes $! the program itself (ip
# execs it), so kill reaches it; "h1 prog &" would give a subshell's pid.
IN_H1="ip netns exec leo-h1"
IN_H2="ip netns exec leo-h2"
rule() { ip netns exec leo-h1 "$LEO_DIR/leo_rule" "$@"; }
stat_of() { rule stats "$1"; }

topology_up() {
	topology_down
	ip netns add leo-h1 && ip netns add leo-h2 || return 1
	ip link add leo-v1 netns leo-h1 type veth peer name leo-v2 netns leo-h2 ||
		return 1
	h1 ip link set lo up && h2 ip link set lo up
	h1 ip addr add $H1_4/24 dev leo-v1
	h1 ip addr add $H1_OUT/24 dev leo-v1
	h1 ip addr add $H1_6/64 dev leo-v1 nodad
	h2 ip addr add $H2_4/24 dev leo-v2
	h2 ip addr add $H2_OUT/24 dev leo-v2
	h2 ip addr add $H2_6/64 dev leo-v2 nodad
	h1 ip link set leo-v1 up && h2 ip link set leo-v2 up || return 1
	local mac1 mac2
	mac1=$(h1 cat /sys/class/net/leo-v1/address)
	mac2=$(h2 cat /sys/class/net/leo-v2/address)
	h1 ip neigh replace $H2_4 lladdr "$mac2" dev leo-v1 nud permanent
	h1 ip neigh replace $H2_OUT lladdr "$mac2" dev leo-v1 nud permanent
	h1 ip neigh replace $H2_6 lladdr "$mac2" dev leo-v1 nud permanent
	h2 ip neigh replace $H1_4 lladdr "$mac1" dev leo-v2 nud permanent
	h2 ip neigh replace $H1_OUT lladdr "$mac1" dev leo-v2 nud permanent
	h2 ip neigh replace $H1_6 lladdr "$mac1" dev leo-v2 nud permanent
}

topology_down() {
	ip netns del leo-h1 2>/dev/null
	ip netns del leo-h2 2>/dev/null
	return 0
}

# ICMP echo from namespace $1 to address $2 gets an answer.
ping_ok() {
	local ns=$1 addr=$2 fam=-4
	case $addr in *:*) fam=-6 ;; esac
	ip netns exec "$ns" $PING $fam -c 2 -i 0.2 -W 1 -w 2 "$addr" >/dev/null 2>&1
}

# udp_count FROM_NS TO_NS ADDR PORT N [GAP_US]: datagrams that arrived.
udp_count() {
	local from=$1 to=$2 addr=$3 port=$4 n=$5 gap=${6:-20000} fam= out pid
	case $addr in *:*) fam=-6 ;; esac
	rm -f "$LEO_TMP/sink.ready"
	ip netns exec "$to" nettool udp-sink $fam -p "$port" -w 20000 \
		-r "$LEO_TMP/sink.ready" >"$LEO_TMP/sink.out" 2>&1 &
	pid=$!
	wait_file "$LEO_TMP/sink.ready" 3000 || { kill $pid; echo 0; return; }
	ip netns exec "$from" nettool udp-send -a "$addr" -p "$port" -n "$n" \
		-g "$gap" >"$LEO_TMP/send.out" 2>&1
	# let the last datagrams land, then stop the sink (it reports on TERM)
	sleep 0.3
	kill -TERM $pid 2>/dev/null
	wait $pid 2>/dev/null
	out=$(cat "$LEO_TMP/sink.out")
	kv received "$out" | grep . || echo 0
}

# tcp_ok FROM_NS TO_NS ADDR PORT: a connection is made and echoes.
# SERVE_OPTS / CONNECT_OPTS: more nettool options for either end (e.g.
# "-m MARK", the agent's socket mark).
tcp_ok() {
	local from=$1 to=$2 addr=$3 port=$4 fam= pid rc
	case $addr in *:*) fam=-6 ;; esac
	rm -f "$LEO_TMP/serve.ready"
	# shellcheck disable=SC2086
	ip netns exec "$to" nettool tcp-serve $fam -p "$port" -w 5000 \
		-r "$LEO_TMP/serve.ready" ${SERVE_OPTS:-} >/dev/null 2>&1 &
	pid=$!
	wait_file "$LEO_TMP/serve.ready" 3000 || { kill $pid; return 1; }
	# shellcheck disable=SC2086
	ip netns exec "$from" nettool tcp-connect -a "$addr" -p "$port" -w 1500 \
		${CONNECT_OPTS:-} >"$LEO_TMP/connect.out" 2>&1
	rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	return $rc
}

# both_ways_pass NS1 ADDR1 NS2 ADDR2: NS1 (at ADDR1) and NS2 (at ADDR2)
# reach each other with ICMP, UDP (to $UPORT) and TCP (to $TPORT).
both_ways_pass() {
	local n
	ping_ok "$1" "$4" || fail "$1 -> $4 echo dropped"
	ping_ok "$3" "$2" || fail "$3 -> $2 echo dropped"
	n=$(udp_count "$1" "$3" "$4" "$UPORT" 5)
	expect_eq "$n" 5 "UDP $1 -> $4 datagrams"
	n=$(udp_count "$3" "$1" "$2" "$UPORT" 5)
	expect_eq "$n" 5 "UDP $3 -> $2 datagrams"
	tcp_ok "$1" "$3" "$4" "$TPORT" || fail "TCP $1 -> $4: $(cat "$LEO_TMP/connect.out")"
	tcp_ok "$3" "$1" "$2" "$TPORT" || fail "TCP $3 -> $2: $(cat "$LEO_TMP/connect.out")"
}
