#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every test stage of `make check`, keep each stage's output in
# build/check/, and finish with one summary line over all TAP results.
# Exits non-zero if any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=build/check
mkdir -p "$out"
rm -f "$out"/*.log

# host unit tests; the harness's own self-test (vm-test/selftest.sh); the
# guest suite
stages=(check-host check-harness check-vm)
failed_stages=()
for s in "${stages[@]}"; do
	echo "=== $s"
	start=$(date +%s)
	make --no-print-directory "$s" 2>&1 | tee "$out/$s.log"
	rc=${PIPESTATUS[0]}
	echo "=== $s: exit $rc in $(( $(date +%s) - start ))s"
	[ "$rc" = 0 ] || failed_stages+=("$s")
done

# TAP lines from every stage (unit tests, sanitizer runs, guest suite).
# -a: a stray byte in one test's output must not make grep stop reading.
pass=$(cat "$out"/*.log | grep -aE '^ok [0-9]+' | grep -avc '# *SKIP' || true)
skip=$(cat "$out"/*.log | grep -aE '^ok [0-9]+.*# *SKIP' -c || true)
fail=$(cat "$out"/*.log | grep -aEc '^not ok [0-9]+' || true)
[ ${#failed_stages[@]} -eq 0 ] || echo "failed stages: ${failed_stages[*]}"
if [ "$pass" = 0 ] && [ "$fail" = 0 ]; then
	echo "check: no test ran" >&2
	exit 1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ ${#failed_stages[@]} -eq 0 ] && [ "$fail" = 0 ]
