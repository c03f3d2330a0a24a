#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the harness: vm.sh must pass a good command, fail a failing
# one, a kernel WARNING and a hung guest, reject bad usage, apply each IMA
# policy, carry ELF programs with their libraries, and connect guests.
# The runs are independent: up to LEO_SELFTEST_JOBS (default 3) of them
# run at once. Prints TAP 13, in order, with the wall time of each run.
set -uo pipefail

VM=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/vm.sh
JOBS=${LEO_SELFTEST_JOBS:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
n=0
start=$(date +%s)

# run NAME EXPECTED_RC [GREP_PATTERN] -- vm.sh args...: start vm.sh in the
# background; judge() later checks its exit status and that its combined
# output matches the pattern.
run() {
	local name=$1 want=$2 pattern=$3
	shift 4
	n=$((n + 1))
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	printf '%s\n%s\n%s\n' "$name" "$want" "$pattern" >"$OUT/$n.case"
	(
		t0=$(date +%s.%N)
		"$VM" "$@" >"$OUT/$n.log" 2>&1
		rc=$?
		t1=$(date +%s.%N)
		echo "$rc $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")" >"$OUT/$n.rc"
	) &
}

# judge I: the TAP line of run I; 1 if it failed.
judge() {
	local i=$1 name want pattern rc secs
	{ read -r name; read -r want; read -r pattern; } <"$OUT/$i.case"
	read -r rc secs <"$OUT/$i.rc" 2>/dev/null || { rc=none secs="?"; }
	if [ "$rc" = "$want" ] && { [ -z "$pattern" ] || grep -qE -- "$pattern" "$OUT/$i.log"; }; then
		echo "ok $i - $name (exit $rc, ${secs}s)"
		return 0
	fi
	echo "not ok $i - $name (exit $rc, want $want; ${secs}s)"
	sed 's/^/# /' "$OUT/$i.log" | tail -20
	return 1
}

echo "TAP version 13"
echo "1..11"
run "usage error exits 2" 2 "--guests must be" -- --guests 0
run "--help exits 0" 0 "Usage: vm-test/vm.sh" -- --help
run "trivial command passes, output reaches the host" 0 "^hello from leo1 1/1$" -- \
	--cmd 'echo "hello from $(hostname) $LEO_GUEST_INDEX/$LEO_GUESTS"'
run "failing command fails the run" 1 "command exited with 3" -- --cmd 'exit 3'
run "kernel WARNING in the console fails the run" 1 "WARNING: harness self-test" -- \
	--cmd 'echo "WARNING: harness self-test" >/dev/kmsg'
run "hung guest is killed at the timeout" 1 "timed out after 20s" -- \
	--timeout 20 --cmd 'sleep 600'
run "IMA policy leo measures executions" 0 "" -- --ima-policy leo --cmd \
	'cp /usr/bin/dash /root/p && /root/p -c true && grep -q " /root/p *$" /sys/kernel/security/ima/ascii_runtime_measurements'
run "IMA policy none measures only the boot aggregate" 0 "" -- --ima-policy none --cmd \
	'cp /usr/bin/dash /root/p && /root/p -c true && [ "$(wc -l </sys/kernel/security/ima/ascii_runtime_measurements)" = 1 ]'
run "IMA policy tcb measures executions" 0 "" -- --ima-policy tcb --cmd \
	'cp /usr/bin/dash /root/p && /root/p -c true && grep -q " /root/p *$" /sys/kernel/security/ima/ascii_runtime_measurements'
run "--add carries an ELF program with its libraries" 0 "^OpenSSL 3" -- \
	--add /usr/bin/openssl:/usr/local/bin/openssl --cmd 'openssl version'
run "three guests ping each other" 0 "" -- --guests 3 --cmd '
	for j in 1 2 3; do
		ok=0
		for try in 1 2 3 4 5 6 7 8 9 10; do
			ping -c1 -W1 "192.0.2.$((10 + j))" >/dev/null && ping -6 -c1 -W1 "2001:db8::$((10 + j))" >/dev/null && { ok=1; break; }
			sleep 1
		done
		[ "$ok" = 1 ] || { echo "leo$LEO_GUEST_INDEX cannot reach leo$j"; exit 1; }
	done
	sleep 5 # stay up while the others ping'
wait
failed=0
for i in $(seq 1 "$n"); do
	judge "$i" || failed=$((failed + 1))
done
echo "# $((n - failed)) passed, $failed failed in $(($(date +%s) - start)) s"
[ "$failed" = 0 ]
