#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One packet-path bench run inside the running kernel (a QEMU guest from
# run.sh, or the host with --no-module to check the method).
#
# Topology, all in network namespaces created here and removed on exit
# (receivers are named lpp-<role>-<generation>: new ones for every run):
#
#   lpp-snd --veth-- lpp-base     no filter  \  the reference: their mean
#           --veth-- lpp-control  no filter  /  (and their ratio: the noise)
#           --veth-- lpp-leoidle  leo.ko protecting another subnet: the
#                                 hook and its subnet check, no lookup
#           --veth-- lpp-leo      leo.ko: subnet 2001:db8:1::/48, N peers
#           --veth-- lpp-leodev   leo.ko device mode: its veth0 protected
#                                 (no subnet), the same N peers
#           --veth-- lpp-nft      nftables: ip6 saddr @attested accept,
#                                 the same subnet dropped otherwise
#           --veth-- lpp-nftnop   (--empty-hook only) an nftables input
#                                 chain without rules: what any netfilter
#                                 hook costs before it does anything
#
# The sender uses one source address, 2001:db8:1::1, which is one of the
# N peers (the other N-1 are filler addresses in the subnet) and is in the
# nftables set; with --spread it sends from the N-1 fillers in turn
# instead. A second source, 2001:db8:1::ff:1, is in the subnet but
# never admitted: before each measurement it must reach the unfiltered
# receivers and be dropped by every filter. All neighbours are static, so
# no neighbour discovery runs during the measurement.
#
# leo.ko registers its hooks in a namespace only once leo is configured
# there (a subnet or a device), so the unfiltered reference receivers run
# no leo hook at all, module loaded or not. A first phase before insmod
# still measures the reference against nftables with no module at all.
#
# Output: progress, "result"/"pair" lines (see udp_send.c) and, between
# "--- table ---" and "--- end ---", the markdown table. Exit status 0 only
# if every check held (the goal verdicts are reported, not enforced).
set -euo pipefail

usage() {
	cat <<USAGE
Usage: bench.sh [--module PATH | --no-module] [--peers "1 1000 100000"]
                [--runs N] [--rounds N] [--batch-us US] [--sink auto|drain|hold]
                [--spread] [--empty-hook] [--print-rounds] [--bin DIR]
  --module PATH  insmod this leo.ko unless the leo family is present
  --no-module    measure only the unfiltered and nftables receivers
  --peers LIST   peer counts (default "1 1000 100000")
  --runs N       paired runs per peer count, each with fresh receiver
                 namespaces and sockets (default 3)
  --rounds N     measured rounds per run (default 1001)
  --batch-us US  target time of one batch (default 1000)
  --sink MODE    drain: sinks read on another CPU; hold: sinks never read
                 (full queue, every datagram dropped at the socket); auto
                 (default): drain with 2 or more CPUs, hold with one
  --spread       send from all N-1 filler peers in turn instead of one
                 address, so lookups touch the whole table (phase "+spread")
  --empty-hook   one more unfiltered receiver, nftnop: an nftables input
                 chain with no rule (the cost of having a hook at all)
  --print-rounds print every round's times (large)
  --bin DIR      where udp-send, udp-sink, leo-load are (default: PATH)
USAGE
}

MODULE=
USE_LEO=1
PEERS="1 1000 100000"
RUNS=3
ROUNDS=1001
BATCH_US=1000
BIN=
SINK=auto
PRINT_ROUNDS=0
SPREAD=0
EMPTY_HOOK=0

while [ $# -gt 0 ]; do
	case $1 in
	--module) MODULE=$2; shift 2 ;;
	--no-module) USE_LEO=0; shift ;;
	--peers) PEERS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--batch-us) BATCH_US=$2; shift 2 ;;
	--bin) BIN=$2/; shift 2 ;;
	--sink) SINK=$2; shift 2 ;;
	--print-rounds) PRINT_ROUNDS=1; shift ;;
	--spread) SPREAD=1; shift ;;
	--empty-hook) EMPTY_HOOK=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

SUBNET=2001:db8:1::/48
IDLE_SUBNET=2001:db8:ff::/48	# leo in lpp-leoidle protects only this
SENDER=2001:db8:1::1
STRANGER=2001:db8:1::ff:1
FILL_BASE=2001:db8:1::1:0
PORT=9000			# not the handshake port (4884)
CHECK_PORT=9001
CHECK_PACKETS=200
NFT_TABLE=leo_bench
NFT_SET=attested
declare -A RX_ADDR=([base]=2001:db8:2::10 [control]=2001:db8:2::11
	[leo]=2001:db8:2::12 [nft]=2001:db8:2::13 [leoidle]=2001:db8:2::14
	[leodev]=2001:db8:2::15 [nftnop]=2001:db8:2::16)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECEIVERS=(base control nft)
PHASE=no-module
if [ "$USE_LEO" = 1 ]; then
	RECEIVERS=(base control leoidle leo leodev nft)
	PHASE=leo-loaded
fi
[ "$SPREAD" = 1 ] && PHASE=$PHASE+spread
[ "$EMPTY_HOOK" = 1 ] && RECEIVERS+=(nftnop)

WORK=$(mktemp -d /tmp/lpp.XXXXXX)
RESULTS=$WORK/results
SINK_PIDS=()
: >"$RESULTS"

SEND_CPU=0
SINK_CPU=0
[ "$(nproc)" -ge 2 ] && SINK_CPU=1
case $SINK in
auto) SINK=drain; [ "$SINK_CPU" = 0 ] && SINK=hold ;;
drain | hold) ;;
*) usage >&2; exit 2 ;;
esac
SINK_ARGS=(--cpu "$SINK_CPU")
[ "$SINK" = hold ] && SINK_ARGS+=(--hold)

log() { echo "bench: $*"; }
fail() {
	echo "bench: FAIL: $*" >&2
	exit 1
}

# Receiver namespaces are created afresh for every run (generation GEN),
# so that whatever bias one namespace instance has of its own (a few per
# cent under emulation) differs from run to run instead of tilting all of
# them. The old ones stay, unused, until the end: their teardown would
# otherwise run in the background of the next measurement.
GEN=0
ns_name() {
	if [ "$1" = snd ]; then
		echo lpp-snd
	else
		echo "lpp-$1-$GEN"
	fi
}

has_receiver() {
	local rx
	for rx in "${RECEIVERS[@]}"; do
		[ "$rx" = "$1" ] && return 0
	done
	return 1
}

in_ns() {
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# Like in_ns, but as a plain command so that "$!" of "exec_in_ns ... &"
# is the program itself (ip netns exec execs it), which stop_sinks signals.
exec_in_ns() {
	local ns
	ns=$(ns_name "$1")
	shift
	exec ip netns exec "$ns" "$@"
}

delete_namespaces() {
	local ns
	for ns in $(ip netns list | awk '$1 ~ /^lpp-/ { print $1 }'); do
		ip netns del "$ns" 2>/dev/null || true
	done
}

cleanup() {
	local pid ns
	for pid in "${SINK_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	delete_namespaces
	rm -rf "$WORK"
}
trap cleanup EXIT

# link_receiver NAME: a veth pair from the sender, static routes and
# neighbours both ways.
# The previous generation's veth pair goes (and its routes with it).
link_receiver() {
	local rx=$1 addr=${RX_ADDR[$1]} ns smac rmac
	ns=$(ns_name "$rx")
	ip -n lpp-snd link del "s-$rx" 2>/dev/null || true
	ip netns add "$ns"
	ip -n lpp-snd link add "s-$rx" type veth peer name veth0 netns "$ns"
	ip -n lpp-snd link set "s-$rx" up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set veth0 up
	ip -n "$ns" -6 addr add "$addr/128" dev veth0 nodad
	ip -n "$ns" -6 route add "$SUBNET" dev veth0
	smac=$(ip -n lpp-snd -o link show "s-$rx" | grep -o 'link/ether [^ ]*' | cut -d' ' -f2)
	rmac=$(ip -n "$ns" -o link show veth0 | grep -o 'link/ether [^ ]*' | cut -d' ' -f2)
	ip -n lpp-snd -6 route add "$addr/128" dev "s-$rx"
	ip -n lpp-snd -6 neigh replace "$addr" lladdr "$rmac" dev "s-$rx" nud permanent
	ip -n "$ns" -6 neigh replace "$SENDER" lladdr "$smac" dev veth0 nud permanent
	ip -n "$ns" -6 neigh replace "$STRANGER" lladdr "$smac" dev veth0 nud permanent
}

setup_sender() {
	delete_namespaces
	ip netns add lpp-snd
	ip -n lpp-snd link set lo up
	ip -n lpp-snd -6 addr add "$SENDER/128" dev lo nodad
	ip -n lpp-snd -6 addr add "$STRANGER/128" dev lo nodad
}

# new_receivers: a fresh generation of every receiver, configured, no peers.
new_receivers() {
	local rx
	GEN=$((GEN + 1))
	for rx in "${RECEIVERS[@]}"; do
		link_receiver "$rx"
	done
	has_receiver nft && setup_nft
	has_receiver nftnop && setup_nftnop
	if has_receiver leo; then
		in_ns leo "${BIN}leo-load" subnet "$SUBNET" >/dev/null
		in_ns leoidle "${BIN}leo-load" subnet "$IDLE_SUBNET" >/dev/null
	fi
	if has_receiver leodev; then
		in_ns leodev "${BIN}leo-load" device veth0 >/dev/null
	fi
	return 0
}

setup_nft() {
	in_ns nft nft -f - <<NFT
table inet $NFT_TABLE {
	set $NFT_SET {
		type ipv6_addr
		size 1048576
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip6 saddr @$NFT_SET accept
		ip6 saddr $SUBNET drop
	}
}
NFT
}

setup_nftnop() {
	in_ns nftnop nft -f - <<NFT
table inet $NFT_TABLE {
	chain input {
		type filter hook input priority 0; policy accept;
	}
}
NFT
}

leo_family_present() {
	"${BIN}leo-load" stats >/dev/null 2>&1
}

# measure_before_insmod: the unfiltered receivers and nftables (with the
# sender only) before leo.ko exists, for the record: the reference of the
# main phase is a namespace without leo configuration, but with the module
# loaded.
measure_before_insmod() {
	local saved=("${RECEIVERS[@]}")
	leo_family_present && { log "leo.ko already loaded: no pre-module phase"; return 0; }
	RECEIVERS=(base control nft)
	new_receivers
	load_peers 1
	check_policy
	log "measuring before insmod"
	measure no-module 1 1
	RECEIVERS=("${saved[@]}")
}

load_module() {
	leo_family_present && return 0
	[ -n "$MODULE" ] || fail "leo.ko is not loaded and no --module given"
	insmod "$MODULE" || fail "insmod $MODULE"
}

# load_peers N: N peers in the fresh leo and nftables receivers: the
# sender first, then N-1 fillers.
load_peers() {
	local n=$1 t0
	if has_receiver leo; then
		in_ns leo "${BIN}leo-load" peers "$SENDER" 1 >/dev/null
		[ "$n" -gt 1 ] && in_ns leo "${BIN}leo-load" peers "$FILL_BASE" $((n - 1))
	fi
	if has_receiver leodev; then
		in_ns leodev "${BIN}leo-load" peers "$SENDER" 1 >/dev/null
		[ "$n" -gt 1 ] && in_ns leodev "${BIN}leo-load" peers "$FILL_BASE" $((n - 1))
	fi
	in_ns nft nft add element inet "$NFT_TABLE" "$NFT_SET" "{ $SENDER }"
	[ "$n" -gt 1 ] || return 0
	"${BIN}leo-load" nft-elements "$NFT_TABLE" "$NFT_SET" "$FILL_BASE" \
		$((n - 1)) >"$WORK/elements.nft"
	t0=$SECONDS
	in_ns nft nft -f "$WORK/elements.nft"
	log "nftables set filled with $n addresses in $((SECONDS - t0)) s"
}

# start_sinks PORT: one sink per receiver; waits until all are bound.
start_sinks() {
	local port=$1 rx i
	SINK_PIDS=()
	for rx in "${RECEIVERS[@]}"; do
		(exec_in_ns "$rx" "${BIN}udp-sink" --bind "${RX_ADDR[$rx]}" \
			--port "$port" "${SINK_ARGS[@]}") >"$WORK/sink-$rx" 2>&1 &
		SINK_PIDS+=($!)
	done
	for rx in "${RECEIVERS[@]}"; do
		for i in $(seq 1 100); do
			grep -q '^ready' "$WORK/sink-$rx" && break
			sleep 0.1
		done
		grep -q '^ready' "$WORK/sink-$rx" ||
			fail "sink in lpp-$rx did not start: $(cat "$WORK/sink-$rx")"
	done
}

# stop_sinks: writes "RX COUNT" per receiver to $WORK/counts. (Not in a
# subshell: only this shell can wait for the sinks.)
stop_sinks() {
	local pid rx count
	for pid in "${SINK_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	SINK_PIDS=()
	: >"$WORK/counts"
	for rx in "${RECEIVERS[@]}"; do
		count=$(awk '$1 == "received" {print $2}' "$WORK/sink-$rx")
		[ -n "$count" ] || fail "sink in lpp-$rx reported nothing: $(cat "$WORK/sink-$rx")"
		echo "$rx $count" >>"$WORK/counts"
	done
}

# result_field FILE LABEL KEY: a value of udp-send's result line for LABEL.
result_field() {
	awk -v l="label=$2" -v k="$3" '$1 == "result" && $2 == l {
		for (i = 3; i <= NF; i++)
			if (index($i, k "=") == 1)
				print substr($i, length(k) + 2)
	}' "$1"
}

dst_args() {
	local rx
	for rx in "${RECEIVERS[@]}"; do
		printf -- '--dst %s=%s ' "$rx" "${RX_ADDR[$rx]}"
	done
}

# check_policy: the stranger reaches the unfiltered receivers only.
check_policy() {
	local rx count dropped=
	start_sinks "$CHECK_PORT"
	# shellcheck disable=SC2046
	in_ns snd "${BIN}udp-send" --src "$STRANGER" --port "$CHECK_PORT" \
		$(dst_args) --batch "$CHECK_PACKETS" --rounds 1 --warmup 0 \
		--cpu "$SEND_CPU" >/dev/null
	sleep 0.3
	stop_sinks
	while read -r rx count; do
		case $rx in
		base | control | leoidle | nftnop)
			[ "$count" -ge $((CHECK_PACKETS * 9 / 10)) ] ||
				fail "unfiltered $rx got $count of $CHECK_PACKETS packets from a stranger"
			;;
		*)
			[ "$count" -eq 0 ] ||
				fail "$rx let $count packets of a non-peer through"
			dropped="$dropped $rx"
			;;
		esac
	done <"$WORK/counts"
	log "policy check: non-peer $STRANGER passes where it is not protected, dropped by${dropped}"
}

# spread_args PEERS: with --spread, the N-1 fillers as sources.
spread_args() {
	[ "$SPREAD" = 1 ] && [ "$1" -gt 1 ] || return 0
	echo "--spread-base $FILL_BASE --spread-count $(($1 - 1))"
}

# measure PHASE PEERS RUN: one paired run; appends result lines to $RESULTS.
measure() {
	local phase=$1 peers=$2 run=$3 out=$WORK/send-$1-$2-$3 rx count sent
	start_sinks "$PORT"
	# shellcheck disable=SC2046
	in_ns snd "${BIN}udp-send" --src "$SENDER" --port "$PORT" $(dst_args) \
		$(spread_args "$peers") \
		--batch-us "$BATCH_US" --rounds "$ROUNDS" --warmup 20 \
		--refs 2 --print-rounds "$PRINT_ROUNDS" --cpu "$SEND_CPU" >"$out" || fail "udp-send failed: $(tail -3 "$out")"
	sleep 0.3
	stop_sinks
	cat "$out"
	while read -r rx count; do
		sent=$(result_field "$out" "$rx" sent)
		echo "delivered phase=$phase peers=$peers run=$run label=$rx received=$count sent=$sent"
		# The peer's packets must pass every receiver: anything else
		# would time a drop instead of the lookup.
		[ "$count" -ge $((sent * 9 / 10)) ] ||
			fail "$rx received $count of $sent packets from the attested peer"
	done <"$WORK/counts"
	sed -n "s/^\(result\|pair\) /\1 phase=$phase peers=$peers run=$run /p" "$out" >>"$RESULTS"
}

leo_stats() {
	[ "$USE_LEO" = 1 ] || return 0
	in_ns leo "${BIN}leo-load" stats
	if has_receiver leodev; then
		in_ns leodev "${BIN}leo-load" stats | sed 's/^stats /stats receiver=leodev /'
	fi
}

print_table() {
	echo "--- table ---"
	awk -f "$HERE/table.awk" "$RESULTS"
	echo "--- end ---"
}

main() {
	local n run
	log "kernel $(uname -r), $(nproc) CPU(s); sender on CPU $SEND_CPU, sinks ($SINK) on CPU $SINK_CPU"
	log "receivers: ${RECEIVERS[*]}; peers: $PEERS; $RUNS run(s) of $ROUNDS rounds of ~${BATCH_US} us batches"
	setup_sender
	if [ "$USE_LEO" = 1 ]; then
		measure_before_insmod
		load_module
	fi
	for n in $PEERS; do
		for run in $(seq 1 "$RUNS"); do
			new_receivers
			load_peers "$n"
			leo_stats
			check_policy
			log "measuring with $n peer(s), run $run"
			measure "$PHASE" "$n" "$run"
			leo_stats
		done
	done
	print_table
}

main
