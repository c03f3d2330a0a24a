#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leo.ko must load and unload cleanly while packets cross its hooks: 20
# cycles of insmod, rules and an event listener in a namespace, then rmmod,
# with a UDP stream and an echo flood running the whole time. The kernel
# log must show no BUG, WARNING or Oops afterwards. Leaves leo.ko loaded.

TESTS="
load_unload_20_cycles_under_traffic
traffic_flows_after_final_unload
kernel_log_clean_after_cycles
"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CYCLES=${LEO_CYCLES:-20}
BAD_LOG='BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|refcount_t|list_add corruption|list_del corruption|stack-protector|kernel BUG'

group_setup() {
	leo_ko_present || return 1
	dmesg | grep -cE "$BAD_LOG" >"$LEO_TMP/bad_before"
	topology_up
}

group_teardown() {
	stop_traffic
	topology_down
	leo_load
}

# Traffic in both directions on the protected subnet and one echo flood;
# the pids go to a file because each test runs in its own subshell.
start_traffic() {
	$IN_H1 nettool udp-sink -p 5001 -w 600000 >/dev/null 2>&1 &
	echo $! >>"$LEO_TMP/traffic.pids"
	$IN_H2 nettool udp-send -a $H1_4 -p 5001 -n 10000000 -g 2000 >/dev/null 2>&1 &
	echo $! >>"$LEO_TMP/traffic.pids"
	$IN_H1 nettool udp-send -a $H2_6 -p 5001 -n 10000000 -g 2000 >/dev/null 2>&1 &
	echo $! >>"$LEO_TMP/traffic.pids"
	$IN_H2 $PING -4 -i 0.05 -q $H1_4 >/dev/null 2>&1 &
	echo $! >>"$LEO_TMP/traffic.pids"
}

stop_traffic() {
	local pid
	[ -f "$LEO_TMP/traffic.pids" ] || return 0
	for pid in $(cat "$LEO_TMP/traffic.pids"); do
		kill "$pid" 2>/dev/null
	done
	rm -f "$LEO_TMP/traffic.pids"
}

# Milliseconds since boot, from /proc/uptime (10 ms resolution).
up_ms() {
	local up
	read -r up _ </proc/uptime
	echo $((${up/./} * 10))
}

one_cycle() {
	local i=$1 ev t0 t1 t2 t3
	t0=$(up_ms)
	insmod "$LEO_KO" 2>&1 || fail "cycle $i: insmod failed"
	t1=$(up_ms)
	rule subnet add 192.0.2.0/24 || fail "cycle $i: subnet add"
	rule subnet add 2001:db8::/64 || fail "cycle $i: subnet add (IPv6)"
	rule peer add $H2_4 validity $((200 + 37 * i)) ||
		fail "cycle $i: peer add"
	rule peer add $H2_6 validity 60000 || fail "cycle $i: peer add (IPv6)"
	rm -f "$LEO_TMP/ev.ready"
	$IN_H1 leo_events -e any -n 1000000 -w 5000 -r "$LEO_TMP/ev.ready" \
		>/dev/null 2>&1 &
	ev=$!
	wait_file "$LEO_TMP/ev.ready" 3000 || fail "cycle $i: event listener did not start"
	# odd cycles unload with peers in the table, even ones after a flush
	[ $((i % 2)) = 0 ] && rule peer flush
	t2=$(up_ms)
	rmmod leo || fail "cycle $i: rmmod failed"
	t3=$(up_ms)
	leo_loaded && fail "cycle $i: leo still listed after rmmod"
	log "cycle $i: insmod $((t1 - t0)) ms, rules $((t2 - t1)) ms, rmmod $((t3 - t2)) ms"
	# the listener was subscribed across the unload; it has nothing to wait for
	kill $ev 2>/dev/null
	wait $ev 2>/dev/null
}

load_unload_20_cycles_under_traffic() {
	local i t0
	leo_loaded && { rmmod leo || fail "initial rmmod"; }
	start_traffic
	t0=$(date +%s)
	for i in $(seq 1 "$CYCLES"); do
		one_cycle "$i"
	done
	stop_traffic
	wait
	log "$CYCLES cycles in $(($(date +%s) - t0)) s"
}

traffic_flows_after_final_unload() {
	leo_loaded && skip "leo.ko is loaded (previous test failed early)"
	ping_ok leo-h2 $H1_4 || fail "no echo between the namespaces without leo.ko"
}

kernel_log_clean_after_cycles() {
	local before now
	before=$(cat "$LEO_TMP/bad_before")
	now=$(dmesg | grep -cE "$BAD_LOG")
	if [ "$now" -gt "$before" ]; then
		dmesg | grep -E -A20 "$BAD_LOG" | tail -60
		fail "kernel log gained $((now - before)) BUG/WARNING/Oops lines"
	fi
	return 0
}

run_group "$@"
