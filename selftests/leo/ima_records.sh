#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leo's trust decisions land in the IMA log as ima-buf records of label
# "leo" whose decoded content matches the decision (docs/measurements.md),
# a freshly executed binary is measured as an ima-sig entry, and leoctl's
# own IMA log parser agrees.
# Runs in a guest booted with the leo IMA policy (vm-test/vm.sh default),
# as root, with leoctl on PATH and leo.ko at $LEO_KO. The decisions are
# taken first, then the log is read once and every record checked.

. "$(dirname "$0")/ima_lib.sh"

PEER_ID=$(printf 'a1%.0s' {1..32})
EVIDENCE=$(printf 'e7%.0s' {1..32})
AF_INET=2
AF_INET6=10

tap_plan 44

command -v leoctl >/dev/null || { tap_skip_rest "leoctl not on PATH"; tap_done; }
[ -r "$IMA_LOG" ] || tap_bail "no IMA log at $IMA_LOG"

# ---- decisions ---------------------------------------------------------------
# 1-2
check "leo.ko loads" leo_reload
check_eq "status: measurement active" yes "$(status_get measurement_active)"

# 3-7: admit, quarantine, remove; IPv6.
check "peer add 192.0.2.7" leoctl peer add 192.0.2.7 "$PEER_ID" \
	validity 60s evidence "$EVIDENCE"
check "peer set 192.0.2.7 quarantined" leoctl peer set 192.0.2.7 \
	state quarantined reason attestation-failed
check "peer del 192.0.2.7" leoctl peer del 192.0.2.7 reason consensus
check "peer add 2001:db8::7" leoctl peer add 2001:db8::7 "$PEER_ID"
seq=$(status_get next_seq)
check "peer add 192.0.2.8 valid for 1500ms" leoctl peer add 192.0.2.8 \
	"$PEER_ID" validity 1500ms

# 8: the kernel expires it and measures that (one more record).
check "the expiry of 192.0.2.8 is measured within 20 s" \
	wait_for 20 seq_reaches $((seq + 2))

# 9-13: mode, configuration, subnets, flush.
check "mode monitor" leoctl mode monitor
check "config set hs-port 4999 validity 90s" leoctl config set hs-port 4999 \
	validity 90s
check "subnet add 198.51.100.0/24" leoctl subnet add 198.51.100.0/24
check "subnet del 198.51.100.0/24" leoctl subnet del 198.51.100.0/24
check "peer flush reason admin" leoctl peer flush reason admin

# 14-15: a refused command changes nothing and measures nothing.
seq=$(status_get next_seq)
run_capture leoctl peer del 192.0.2.99
check "peer del of an absent peer fails" test "$RC" -ne 0
check_eq "... and measures nothing" "$seq" "$(status_get next_seq)"

# A decision in another network namespace, which then dies.
seq=$(status_get next_seq)
inner=$(unshare -n sh -c 'leoctl subnet add 203.0.113.0/24 >/dev/null &&
	stat -L -c %i /proc/self/ns/net')
wait_for 10 seq_reaches $((seq + 2))	# netns-exit, if the core measures it

# A freshly executed binary (BPRM_CHECK).
mkdir -p "$SCRATCH"
fresh=$SCRATCH/fresh-$$-$RANDOM
cp "$(command -v leoctl)" "$fresh"
printf 'unique %s' "$fresh" >>"$fresh"	# trailing bytes: still runs
"$fresh" --help >/dev/null 2>&1
fresh_digest=$(sha256sum "$fresh" | cut -d' ' -f1)
rm -f "$fresh"

# ---- the log, read once ------------------------------------------------------
ima_refresh

# 16-17: the load record, with the module's parameters.
load=$(leo_last leo:load)
check_eq "load record: magic LEOM, version 1, op 10" "4c454f4d 1 10" \
	"$(rec_magic "$load") $(rec_version "$load") $(rec_op "$load")"
params=$(rec_hex "$load" $((BODY + 8)) "$(rec_u "$load" $((BODY + 4)) 4)" |
	hex_to_bin)
check "load record lists require_ima=N" grep -qx "require_ima=N" <<<"$params"

# 18-25: peer admitted (the first peer-add).
rec=$(leo_bufs leo:peer-add | head -n 1)
check "a leo:peer-add record is logged" test -n "$rec"
check_eq "peer-add: op 1, length 144 = size of the buffer" "1 144 144" \
	"$(rec_op "$rec") $(rec_length "$rec") $((${#rec} / 2))"
check_eq "peer-add: d-ng is the SHA-256 of the record" \
	"$(sha256_of_hex "$rec")" "$(ima_digest_of_buf "$rec")"
check_eq "peer-add: netns is ours" "$(netns_ino)" "$(rec_netns "$rec")"
check_eq "peer-add: family, state, reason, validity" "$AF_INET 0 0 60000" \
	"$(rec_u "$rec" $BODY 2) $(rec_u "$rec" $((BODY + 2)) 1) $(rec_u "$rec" $((BODY + 3)) 1) $(rec_u "$rec" $((BODY + 4)) 4)"
check_eq "peer-add: address" "$(hex_addr 192.0.2.7)" \
	"$(rec_hex "$rec" $((BODY + 8)) 16)"
check_eq "peer-add: flags, peer id, evidence" "3 $PEER_ID $EVIDENCE" \
	"$(rec_u "$rec" $((BODY + 24)) 4) $(rec_hex "$rec" $((BODY + 32)) 32) $(rec_hex "$rec" $((BODY + 64)) 32)"
check "peer-add: sequence number after the load record" \
	test "$(rec_seq "$rec")" -gt "$(rec_seq "$load")"

# 26-28: quarantined, removed, IPv6.
rec=$(leo_last leo:peer-quarantine)
check_eq "peer-quarantine: op 2, state 1, reason 2 (attestation failed)" \
	"2 1 2 $(hex_addr 192.0.2.7)" \
	"$(rec_op "$rec") $(rec_u "$rec" $((BODY + 2)) 1) $(rec_u "$rec" $((BODY + 3)) 1) $(rec_hex "$rec" $((BODY + 8)) 16)"
rec=$(leo_last leo:peer-del)
check_eq "peer-del: op 3, reason 3 (consensus), address" \
	"3 3 $(hex_addr 192.0.2.7)" \
	"$(rec_op "$rec") $(rec_u "$rec" $((BODY + 3)) 1) $(rec_hex "$rec" $((BODY + 8)) 16)"
rec=$(leo_bufs leo:peer-add | sed -n 2p)
check_eq "peer-add (IPv6): family 10, address, flags 1 (no evidence)" \
	"$AF_INET6 $(hex_addr 2001:db8::7) 1" \
	"$(rec_u "$rec" $BODY 2) $(rec_hex "$rec" $((BODY + 8)) 16) $(rec_u "$rec" $((BODY + 24)) 4)"

# 29: expiry, as a batch of one (docs/measurements.md).
rec=$(leo_last leo:peers-expired)
check_eq "peers-expired: op 16, count 1, entries of 88 bytes, 192.0.2.8" \
	"16 1 88 $(hex_addr 192.0.2.8)" \
	"$(rec_op "$rec") $(rec_u "$rec" $BODY 4) $(rec_u "$rec" $((BODY + 4)) 4) $(rec_hex "$rec" $((BODY + 16)) 16)"

# 30-31: mode and configuration.
rec=$(leo_bufs leo:config | head -n 1)
check_eq "config: op 8, mode 1 (monitor)" "8 1" \
	"$(rec_op "$rec") $(rec_u "$rec" $BODY 1)"
rec=$(leo_bufs leo:config | sed -n 2p)
check_eq "config: mode, hs_port 4999, default validity 90000" "1 4999 90000" \
	"$(rec_u "$rec" $BODY 1) $(rec_u "$rec" $((BODY + 2)) 2) $(rec_u "$rec" $((BODY + 4)) 4)"

# 32-33: subnets.
rec=$(leo_bufs leo:subnet-add | head -n 1)
check_eq "subnet-add: op 6, family 2, /24, address" \
	"6 $AF_INET 24 $(hex_addr 198.51.100.0)" \
	"$(rec_op "$rec") $(rec_u "$rec" $BODY 2) $(rec_u "$rec" $((BODY + 2)) 1) $(rec_hex "$rec" $((BODY + 8)) 16)"
rec=$(leo_last leo:subnet-del)
check_eq "subnet-del: op 7, /24" "7 24" \
	"$(rec_op "$rec") $(rec_u "$rec" $((BODY + 2)) 1)"

# 34: flush.
rec=$(leo_last leo:peer-flush)
check_eq "peer-flush: op 5, family 0, reason 1 (admin)" "5 0 1" \
	"$(rec_op "$rec") $(rec_u "$rec" $BODY 2) $(rec_u "$rec" $((BODY + 3)) 1)"

# 35-36: the other network namespace.
check "a record made in another netns carries that netns's inode" \
	test -n "$inner" -a "$inner" != "$(netns_ino)" -a \
	"$(rec_netns "$(leo_last leo:subnet-add)")" = "$inner"
netns_exit_rec() {
	local r
	for r in $(leo_bufs leo:netns-exit); do
		[ "$(rec_netns "$r")" = "$inner" ] &&
			[ "$(rec_u "$r" $((BODY + 4)) 4)" = 1 ] && return 0
	done
	return 1
}
check "the dead netns's netns-exit record counts its 1 subnet" netns_exit_rec

# 37-39: sequence numbers and counters.
seqs=$(leo_bufs | while read -r r; do rec_seq "$r"; done)
check "sequence numbers run from 0 without gaps" \
	awk 'NR - 1 != $1 { exit 1 }' <<<"$seqs"
check_eq "status: records_measured equals the records in the log" \
	"$(leo_count)" "$(status_get records_measured)"
check_eq "status: records_failed 0" 0 "$(status_get records_failed)"

# 40-41: the fresh binary, measured as ima-sig.
entry=$(awk -v p="$fresh" '$5 == p' "$LEO_SNAP")
check_eq "fresh binary logged once with template ima-sig" ima-sig \
	"$(echo "$entry" | awk '{print $3}')"
check_eq "... with its SHA-256" "sha256:$fresh_digest" \
	"$(echo "$entry" | awk '{print $4}')"

# 42-44: the user-space parser decodes the same records, and the whole
# log (leo's records included) replays to the TPM's PCR 10.
check_eq "leoctl measurements lists every record of this instance" \
	"$(leo_count)" \
	"$(leoctl measurements | grep -c "instance=$(status_get instance) ")"
check "leoctl measurements --verify: the log replays to PCR 10" \
	leoctl measurements --verify
check "the module unloads" rmmod leo

tap_done
