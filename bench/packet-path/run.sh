#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packet-path bench (issue 2): cost of leo.ko per packet against no
# module and against the same policy as an nftables set, at 1, 1k and 100k
# attested peers. Builds what it needs, boots one QEMU guest with
# vm-test/vm.sh, runs bench.sh in it, prints the table and writes
# bench/results/packet-path.md. Not part of `make check`.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=$TOP/build/bench/packet-path
RESULT_MD=$TOP/bench/results/packet-path.md

usage() {
	cat <<USAGE
Usage: bench/packet-path/run.sh [options]
  --peers LIST    peer counts (default "1 1000 100000")
  --runs N        paired runs per peer count (default 3)
  --rounds N      paired rounds per run (default 1001)
  --batch-us US   target length of one batch (default 1000)
  --spread        send from all N-1 filler peers in turn (lookups touch the
                  whole table), instead of from one peer address
  --empty-hook    one more unfiltered receiver with an nftables input chain
                  without rules (what a netfilter hook costs by itself)
  --host          no guest: measure the unfiltered and nftables receivers
                  on this kernel (checks the method; leo.ko is not loaded)
  --no-build      use leo.ko as it is (the bench programs are always built)
  --no-record     do not write bench/results/packet-path.md
  --append        add this run as a section of it instead of replacing it
  --timeout SEC   guest time limit (default 900)
  --from-log FILE no run: write the results file from the saved output of
                  an earlier run (with --host if it was one)
Environment: LEO_BENCH_SMP (default 2) vCPUs, when vm.sh supports --smp.
USAGE
}

ORIG_ARGS=("$@")
PEERS="1 1000 100000"
RUNS=3
ROUNDS=1001
BATCH_US=1000
HOST=0
SPREAD_ARG=
EMPTY_ARG=
BUILD=1
RECORD=1
APPEND=0
TIMEOUT=900
FROM_LOG=

while [ $# -gt 0 ]; do
	case $1 in
	--peers) PEERS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--batch-us) BATCH_US=$2; shift 2 ;;
	--host) HOST=1; shift ;;
	--spread) SPREAD_ARG=--spread; shift ;;
	--empty-hook) EMPTY_ARG=--empty-hook; shift ;;
	--no-build) BUILD=0; shift ;;
	--no-record) RECORD=0; shift ;;
	--append) APPEND=1; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--from-log) FROM_LOG=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

BENCH_ARGS=(--peers "$PEERS" --runs "$RUNS" --rounds "$ROUNDS" --batch-us "$BATCH_US" $SPREAD_ARG $EMPTY_ARG)
LOG=$(mktemp /tmp/leo-packet-path.XXXXXX)
SNAP=
trap 'rm -f "$LOG"; [ -z "$SNAP" ] || rm -rf "$SNAP"' EXIT

build_module() {
	[ "$HOST" = 1 ] || make -s -C "$TOP" module >/dev/null
}

run_host() {
	bash "$HERE/bench.sh" --no-module --bin "$BIN" "${BENCH_ARGS[@]}" |
		tee -a "$LOG"
}

# vm.sh gives one vCPU unless it knows --smp; the sender and the sinks
# then share it, which adds the sinks' cost to every receiver alike.
smp_args() {
	if "$SNAP/vm-test/vm.sh" --help | grep -q -- '--smp'; then
		echo "--smp ${LEO_BENCH_SMP:-2}"
	fi
}

# snapshot_harness: a private copy of vm-test/, scripts/ and leo.ko for this run.
# The run takes minutes; bash reads a script as it goes, so an edit of
# vm.sh meanwhile would break it, and a rebuilt leo.ko would change what
# is measured half-way. vm.sh finds leo.ko next to its own directory and
# keeps its image cache where LEO_VM_DIR says (the shared one).
snapshot_harness() {
	mkdir -p "$BIN"
	SNAP=$(mktemp -d "$BIN/harness.XXXXXX")
	cp -a "$TOP/vm-test" "$SNAP/vm-test"
	cp -a "$TOP/scripts" "$SNAP/scripts"	# vm.sh runs scripts/kver.sh
	cp "$TOP/leo.ko" "$SNAP/leo.ko"
	export LEO_VM_DIR=${LEO_VM_DIR:-$TOP/build/vm}
	echo "run.sh: leo.ko sha256 $(sha256sum "$SNAP/leo.ko" | cut -c1-16)" \
		"(built from the tree at $(git -C "$TOP" rev-parse --short HEAD)" \
		"$(git -C "$TOP" diff --quiet HEAD -- kernel uapi || echo '+ uncommitted kernel changes'))" |
		tee -a "$LOG"
}

run_guest() {
	local cmd
	[ -f "$TOP/leo.ko" ] || { echo "run.sh: no leo.ko (make module)" >&2; exit 1; }
	snapshot_harness
	cmd="bash /opt/leo/bench.sh --module /opt/leo/leo.ko --bin /opt/leo"
	cmd="$cmd --peers '$PEERS' --runs $RUNS --rounds $ROUNDS --batch-us $BATCH_US $SPREAD_ARG $EMPTY_ARG"
	# No IMA policy: 100k admissions would otherwise be 100k TPM extends,
	# which measures swtpm, not the packet path.
	# shellcheck disable=SC2046
	"$SNAP/vm-test/vm.sh" $(smp_args) --ima-policy none --mem 1024 \
		--timeout "$TIMEOUT" \
		--add "$BIN/udp-send" --add "$BIN/udp-sink" --add "$BIN/leo-load" \
		--add "$HERE/bench.sh" --add "$HERE/table.awk" --cmd "$cmd" 2>&1 | tee -a "$LOG"
	return "${PIPESTATUS[0]}"
}

# last_table: the last table the bench printed (one per complete run).
last_table() {
	awk '/^--- table ---$/ { n = 0; keep = 1; next }
		/^--- end ---$/ { keep = 0; next }
		keep { t[++n] = $0 }
		END { for (i = 1; i <= n; i++) print t[i] }' "$LOG"
}

# log_value KEY: the rest of the first "run.sh: KEY ..." line of the log.
log_value() {
	grep -m1 "^run.sh: $1 " "$LOG" | sed "s/^run.sh: $1 //" || true
}

# delivery_summary: one sentence over every "delivered" line.
delivery_summary() {
	awk '$1 == "delivered" {
		split($0, f, /received=| sent=/)
		n++; got += f[2]; sent += f[3]
		if (f[2] + 0 < f[3] + 0) short++
	}
	END {
		printf "Delivery: %d receiver runs, %d of %d datagrams from attested peers reached their socket", n, got, sent
		printf " (%d runs short; the bench fails below 90%%). ", short
		print "Before each run, 200 datagrams from a non-peer in the subnet reached the unfiltered receivers and none got through leo.ko or nftables."
	}' "$LOG"
}

# record: the results file, from the table and the raw lines of the log.
# record_run WHERE CMDLINE: one run's section of the results file.
record_run() {
	local where=$1 cmdline=$2
	echo "Run started $(log_value started) with"
	echo
	echo "    $cmdline"
	echo
	echo "Where: $where. $(grep -m1 '^bench: kernel' "$LOG" | sed 's/^bench: //')."
	grep -m1 '^run.sh: leo.ko' "$LOG" | sed 's/^run.sh: /Module: /; s/$/./' || true
	echo "Host load average at the end: $(log_value load) (2 cores, shared with other work)."
	if [ "$where" != "host kernel, no module" ]; then
		echo "**The guest is emulated (TCG): absolute rates are 10–100x"
		echo "below real hardware; only the ratios carry over.**"
	fi
	echo
	last_table
	echo
	delivery_summary
	echo
	echo "<details><summary>Every check, delivery count and leo.ko counter</summary>"
	echo
	echo '```'
	grep -E '^(delivered|stats|peers|bench: policy|bench: nftables)' "$LOG" |
		sed 's/^[a-z0-9]*| //' || true
	echo '```'
	echo
	echo "</details>"
}

# record WHERE CMDLINE: the results file, or (--append) one more section.
record() {
	mkdir -p "$(dirname "$RESULT_MD")"
	if [ "$APPEND" = 1 ] && [ -f "$RESULT_MD" ]; then
		{
			echo
			echo "## $(log_value command)"
			echo
			record_run "$@"
		} >>"$RESULT_MD"
		echo "run.sh: appended to ${RESULT_MD#"$TOP"/}"
		return
	fi
	{
		echo "# Packet path: leo.ko against no module and an nftables set"
		echo
		echo "64-byte UDP payloads over veth between network namespaces;"
		echo "times are wall clock per datagram at the sender, which runs the"
		echo "receive path in its own softirq. Receivers alternate batch by"
		echo "batch inside each round; ratios are medians of paired rounds."
		echo "How to read it and what the method controls for:"
		echo "[docs/performance.md](../../docs/performance.md)."
		echo
		echo "## $(log_value command)"
		echo
		record_run "$@"
	} >"$RESULT_MD"
	echo "run.sh: wrote ${RESULT_MD#"$TOP"/}"
}

if [ -n "$FROM_LOG" ]; then
	cp "$FROM_LOG" "$LOG"
	where="QEMU guest (vm-test/vm.sh, TCG), leo.ko loaded for the main phase"
	[ "$HOST" = 1 ] && where="host kernel, no module"
	record "$where" "$(log_value command)"
	exit 0
fi
{
	echo "run.sh: command bench/packet-path/run.sh${ORIG_ARGS[*]:+ }${ORIG_ARGS[*]}"
	echo "run.sh: started $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git -C "$TOP" rev-parse --short HEAD)"
} | tee "$LOG"
make -s -C "$HERE"
[ "$BUILD" = 1 ] && build_module
if [ "$HOST" = 1 ]; then
	run_host
	where="host kernel, no module"
else
	run_guest || { echo "run.sh: the guest run failed; nothing recorded" >&2; exit 1; }
	where="QEMU guest (vm-test/vm.sh, TCG), leo.ko loaded for the main phase"
fi
echo "run.sh: load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOG"
grep -q '^--- table ---' "$LOG" || { echo "run.sh: the bench printed no table" >&2; exit 1; }
[ "$RECORD" = 1 ] && record "$where" "$(log_value command)"
exit 0
