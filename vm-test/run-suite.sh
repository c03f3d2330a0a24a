#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM stage of `make check`: the selftests (run_tests.sh, TAP 13) in two
# guests booted side by side, each with leo.ko, leoctl and its own swtpm:
#
#   main   IMA policy "leo" (execs, mmaps, modules and leo's records are
#          measured): every group except the two below.
#   bulk   no IMA policy at boot: the 100k-peer dump, 100k peers lapsing
#          together, and the full table (2^20 peers), which would otherwise
#          put 2^20 records into IMA and extend the TPM as often (about
#          2 ms each under emulation),
#          then ima_require, which needs a kernel whose policy does not
#          measure leo yet and writes one itself, so it runs last.
#
# While the selftests have no run_tests.sh, the harness's smoke test runs
# instead. Prints each guest's TAP stream and a final
# "N passed, N failed, N skipped" line; exits non-zero on any failure, a
# failed guest, or no test at all.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR=${LEO_VM_LOG_DIR:-$TOP/build/vm/logs/check}
TIMEOUT=${LEO_SUITE_TIMEOUT:-900}
SELFTESTS=$TOP/build/selftests/leo
AGENT=$TOP/build/agent
BIG_TESTS=api.dump_of_100k_peers_is_complete,api.peer_table_full_is_enospc,api.mass_expiry_keeps_netlink_responsive

common=(--timeout "$TIMEOUT")
for prog in leoctl leod; do
	[ -x "$AGENT/$prog" ] && common+=(--add "$AGENT/$prog:/opt/leo/$prog")
done
# leo.ko is what the suite tests: without it there is nothing to run
[ -f "$TOP/leo.ko" ] || { echo "check-vm: FAIL: no leo.ko at top level (make module)" >&2; exit 1; }

rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

# run_guest NAME VM.SH-ARGS...: one guest in the background, TAP to a file
run_guest() {
	local name=$1
	shift
	"$TOP/vm-test/vm.sh" "${common[@]}" --log-dir "$LOG_DIR/$name" "$@" \
		>"$LOG_DIR/$name.tap" 2>&1
	echo $? >"$LOG_DIR/$name.rc"
}

guests=()
if [ -s "$SELFTESTS/run_tests.sh" ]; then
	st=(--add "$SELFTESTS:/opt/leo/selftests")
	run_guest main "${st[@]}" --cmd "cd /opt/leo/selftests &&
		LEO_SKIP_GROUPS=ima_require LEO_NETLINK_EXCLUDE=$BIG_TESTS LEO_E2E_PEERS=200 \
		./run_tests.sh" &
	guests+=(main)
	run_guest bulk "${st[@]}" --ima-policy none --mem 1024 \
		--cmd "cd /opt/leo/selftests &&
		LEO_GROUPS='netlink ima_require' LEO_NETLINK_ONLY=$BIG_TESTS \
		LEO_SELFTEST_FULL_TABLE=1 ./run_tests.sh" &
	guests+=(bulk)
else
	echo "# no (or empty) $SELFTESTS/run_tests.sh: running the harness smoke test"
	run_guest smoke --add "$TOP/vm-test/smoke.sh:/opt/leo/smoke.sh" \
		--cmd '/opt/leo/smoke.sh' &
	guests+=(smoke)
fi
wait

passed=0 failed=0 skipped=0 bad_guests=()
for g in "${guests[@]}"; do
	tap=$LOG_DIR/$g.tap
	echo "# ---- guest '$g' ----"
	# the guest's stream, with the harness's own lines as comments
	sed -e '/^\(ok\|not ok\|#\|TAP version\|1\.\.\)/!s/^/# /' "$tap"
	# top-level TAP results only; nested ones are indented or commented
	p=$(grep -aE '^ok ' "$tap" | grep -avicE '# *skip' || true)
	s=$(grep -aE '^ok ' "$tap" | grep -aicE '# *skip' || true)
	f=$(grep -acE '^not ok ' "$tap" || true)
	passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
	[ "$(cat "$LOG_DIR/$g.rc")" = 0 ] || bad_guests+=("$g")
done
echo "$passed passed, $failed failed, $skipped skipped"

if [ ${#bad_guests[@]} != 0 ]; then
	echo "check-vm: FAIL: guest run failed: ${bad_guests[*]} (logs in $LOG_DIR)" >&2
	exit 1
fi
if [ "$failed" != 0 ] || [ $((passed + skipped)) = 0 ]; then
	echo "check-vm: FAIL" >&2
	exit 1
fi
