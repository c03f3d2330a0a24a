#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Without an IMA rule for label "leo" the module says so, and with
# require_ima=1 it refuses every mutating command (fail closed) until a
# rule appears; then a leo:measure-on record opens the log again.
# Needs a guest booted without any IMA policy (vm-test/vm.sh
# --ima-policy none): the test writes the policy itself, once.

. "$(dirname "$0")/ima_lib.sh"

PEER_ID=$(printf 'c3%.0s' {1..32})

tap_plan 18

command -v leoctl >/dev/null || { tap_skip_rest "leoctl not on PATH"; tap_done; }

# 1-6: no rule, require_ima off: decisions are taken but not measured.
check "leo.ko loads (require_ima off)" leo_reload
if [ "$(status_get measurement_active)" = yes ]; then
	tap_skip_rest "IMA already measures label leo: boot with --ima-policy none"
	rmmod leo
	tap_done
fi
tap_ok "status: measurement not active"
check "the kernel log says no rule measures label leo" \
	bash -c 'dmesg | grep -q "leo: IMA policy has no rule measuring label leo"'
check "without require_ima, peer add works" \
	leoctl peer add 192.0.2.30 "$PEER_ID"
check "status: records_failed counts the unlogged records" \
	test "$(status_get records_failed)" -ge 2
check_eq "no leo record is in the IMA log" 0 \
	"$(ima_refresh && wc -l <"$LEO_SNAP")"

# 7-12: require_ima=1 fails closed.
check "leo.ko reloads with require_ima=1" leo_reload require_ima=1
check_eq "status: require_ima yes" yes "$(status_get require_ima)"
run_capture leoctl peer add 192.0.2.31 "$PEER_ID"
check "peer add is refused" test "$RC" -ne 0
check "... with EPERM and a message naming require_ima" \
	grep -q "Operation not permitted.*require_ima" <<<"$OUT"
check "... and the peer is absent, read-only commands work" \
	bash -c '! leoctl peer show 192.0.2.31 >/dev/null 2>&1 &&
		leoctl peer list >/dev/null'
run_capture leoctl seal
check "seal is refused too" test "$RC" -ne 0

# 13-18: a rule appears; the next command probes and proceeds.
check "IMA policy with a leo rule is accepted" \
	sh -c "echo 'measure func=CRITICAL_DATA label=leo' >$IMA_POLICY"
check "now peer add works" leoctl peer add 192.0.2.31 "$PEER_ID"
ima_refresh
on=$(leo_last leo:measure-on)
check_eq "measure-on record: op 12, require_ima 1" "12 1" \
	"$(rec_op "$on") $(rec_u "$on" $((BODY + 17)) 1)"
check "measure-on counts the failed records before it" \
	test "$(rec_u "$on" $((BODY + 8)) 8)" -ge 2
check_eq "the log holds measure-on then peer-add, not the lost load" \
	"leo:measure-on leo:peer-add" \
	"$(awk -v inst="$(le_hex "$(status_get instance)")" '$3 == "ima-buf" &&
		substr($6, 65, 16) == inst { printf "%s%s", sep, $5; sep = " " }' \
		"$LEO_SNAP")"
check_eq "status: measurement active" yes "$(status_get measurement_active)"

rmmod leo
tap_done
