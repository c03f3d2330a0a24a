#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM stage of `make check`: one guest with leo.ko, leoctl (and leod
# once it exists) and the selftests, running /opt/leo/selftests/run_tests.sh (TAP 13). While the
# selftests have no run_tests.sh, the harness's smoke test runs instead.
# Prints the TAP stream and a final "N passed, N failed, N skipped" line;
# exits non-zero on any failure, a failed guest, or no test at all.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR=${LEO_VM_LOG_DIR:-$TOP/build/vm/logs/check}
TIMEOUT=${LEO_SUITE_TIMEOUT:-900}
SELFTESTS=$TOP/build/selftests/leo
AGENT=$TOP/build/agent

args=(--log-dir "$LOG_DIR" --timeout "$TIMEOUT")
for prog in leoctl leod; do
	[ -x "$AGENT/$prog" ] && args+=(--add "$AGENT/$prog:/opt/leo/$prog")
done
if [ -s "$SELFTESTS/run_tests.sh" ]; then
	args+=(--add "$SELFTESTS:/opt/leo/selftests"
		--cmd 'cd /opt/leo/selftests && ./run_tests.sh')
else
	echo "# no (or empty) $SELFTESTS/run_tests.sh: running the harness smoke test"
	args+=(--add "$TOP/vm-test/smoke.sh:/opt/leo/smoke.sh"
		--cmd '/opt/leo/smoke.sh')
fi
[ -f "$TOP/leo.ko" ] || echo "# warning: no leo.ko at top level (make module)"

rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"
tap=$LOG_DIR/tap.txt
"$TOP/vm-test/vm.sh" "${args[@]}" | tee "$tap"
vm_rc=${PIPESTATUS[0]}

# Top-level TAP results only; nested ones are indented or commented.
passed=$(grep -aE '^ok ' "$tap" | grep -avicE '# *skip' || true)
skipped=$(grep -aE '^ok ' "$tap" | grep -aicE '# *skip' || true)
failed=$(grep -acE '^not ok ' "$tap" || true)
echo "$passed passed, $failed failed, $skipped skipped"

if [ "$vm_rc" != 0 ]; then
	echo "check-vm: FAIL: the guest run failed (exit $vm_rc, logs in $LOG_DIR)" >&2
	exit 1
fi
if [ "$failed" != 0 ] || [ $((passed + skipped)) = 0 ]; then
	echo "check-vm: FAIL" >&2
	exit 1
fi
