#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The measured control plane: after `leoctl seal`, only that leoctl (same
# IMA SHA-256 digest) may change anything; a copy with one byte changed
# gets EPERM and changes nothing. The seal is measured, shown in the status
# file, cannot be repeated, and ends with the module (the unload record
# stays in the log, next to the next load's records).

. "$(dirname "$0")/ima_lib.sh"

PEER_ID=$(printf 'b2%.0s' {1..32})

tap_plan 24

command -v leoctl >/dev/null || { tap_skip_rest "leoctl not on PATH"; tap_done; }
LEOCTL=$(command -v leoctl)

# flip_last_byte FILE: change the file's last byte (in the section header
# table, which neither the kernel nor ld.so reads).
flip_last_byte() {
	local size byte
	size=$(stat -c %s "$1")
	byte=$(od -An -tu1 -j $((size - 1)) -N1 "$1" | tr -d ' ')
	printf "\\x$(printf '%02x' $((byte ^ 1)))" |
		dd of="$1" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
}

mkdir -p "$SCRATCH"
OTHER=$SCRATCH/leoctl-modified
cp "$LEOCTL" "$OTHER"
flip_last_byte "$OTHER"
SEALED_DIGEST=$(sha256sum "$LEOCTL" | cut -d' ' -f1)

# 1-3
check "leo.ko loads" leo_reload
check "the modified copy differs from leoctl by one byte" \
	test "$(cmp -l "$LEOCTL" "$OTHER" | wc -l)" -eq 1
check "the modified copy still runs" "$OTHER" --help

# 4-5: the seal is module-wide, so a user namespace's root may not seal.
run_capture unshare -r -n leoctl seal
check "seal from a user namespace is refused (EPERM, initial namespace)" \
	grep -q "Operation not permitted.*initial user namespace" <<<"$OUT"
check_eq "... and the module stays unsealed" no "$(status_get sealed)"

# 6-8: seal.
check "leoctl seal" leoctl seal
check_eq "status: sealed" yes "$(status_get sealed)"
check_eq "status: sealed executable is leoctl's SHA-256" "$SEALED_DIGEST" \
	"$(status_get sealed_exe_sha256)"

# 9-10: the sealed executable keeps working.
check "sealed leoctl: peer add 192.0.2.20" leoctl peer add 192.0.2.20 "$PEER_ID"
check "sealed leoctl: mode monitor" leoctl mode monitor

# 11-16: another executable is refused and changes nothing.
seq=$(status_get next_seq)
run_capture "$OTHER" peer add 192.0.2.21 "$PEER_ID"
check "modified copy: peer add fails" test "$RC" -ne 0
check "... with EPERM and the sealed message" \
	grep -q "Operation not permitted.*sealed" <<<"$OUT"
run_capture "$OTHER" peer del 192.0.2.20
check "modified copy: peer del fails" test "$RC" -ne 0
check "... and the peers are unchanged" \
	bash -c 'leoctl peer show 192.0.2.20 >/dev/null &&
		! leoctl peer show 192.0.2.21 >/dev/null 2>&1'
check "modified copy: read-only commands still work" "$OTHER" peer list
check_eq "refused commands measure nothing" "$seq" "$(status_get next_seq)"

# 17-18: no second seal, by anyone.
run_capture leoctl seal
check "second seal fails with EALREADY" \
	grep -q "Operation already in progress" <<<"$OUT"
run_capture "$OTHER" seal
check "seal by the modified copy fails" test "$RC" -ne 0

# 19-24: the seal lasts until unload; the log (read once, now) holds the
# seal and the unload record of the sealed instance.
sealed_inst=$(status_get instance)
check "leo.ko reloads" leo_reload
check "after reload: unsealed, the modified copy may change peers" \
	bash -c '[ "$(sed -n "s/^sealed: //p" '"$LEO_STATUS"')" = no ] &&
		"$0" peer add 192.0.2.21 '"$PEER_ID" "$OTHER"
ima_refresh
rec=$(LEO_INST=$sealed_inst leo_last leo:seal)
check_eq "seal record: op 9, exe digest, hash algo 4 (sha256)" \
	"9 $SEALED_DIGEST 4" \
	"$(rec_op "$rec") $(rec_hex "$rec" $BODY 32) $(rec_u "$rec" $((BODY + 40)) 4)"
check_eq "seal record: uid 0, netns ours" "0 $(netns_ino)" \
	"$(rec_u "$rec" $((BODY + 36)) 4) $(rec_netns "$rec")"
check_eq "d-ng of the seal record is its SHA-256" "$(sha256_of_hex "$rec")" \
	"$(ima_digest_of_buf "$rec")"
unload=$(LEO_INST=$sealed_inst leo_last leo:unload)
check_eq "unload record of the sealed instance: op 11, sealed 1" "11 1" \
	"$(rec_op "$unload") $(rec_u "$unload" $((BODY + 16)) 1)"

rmmod leo
rm -f "$OTHER"
tap_done
