#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces cannot be used to grow the IMA log (issue 10, item 3):
# any local user owns a user and a network namespace of its own
# (`unshare -rn`), so neither that nor a namespace that never configured
# leo may cost an IMA record, a TPM extend, hooks or a tick. A namespace
# that did configure leo still records its exit.
# Runs in a guest whose IMA policy measures label "leo", with leoctl.

. "$(dirname "$0")/ima_lib.sh"

ROUNDS=200

tap_plan 11

command -v leoctl >/dev/null || tap_bail "leoctl not on PATH"
[ -r "$IMA_LOG" ] || tap_bail "no IMA log at $IMA_LOG"

# leo_lines: leo's entries in the whole IMA log, of every instance.
leo_lines() { ima_log | grep -c ' leo:'; }

# unshare_rounds N ARGS...: N times `unshare ARGS`, all must succeed.
unshare_rounds() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		unshare "$@" || return 1
	done
}

# 1-2
check "leo.ko loads (userns_admin off)" leo_reload
check_eq "status: measurement active" yes "$(status_get measurement_active)"
active=$(status_get active_netns)
check_eq "status: no namespace is active before any command" 0 "$active"

# 4-5: the attack of the issue, as root (whose `unshare -r` is what every
# user gets), and an attempt to configure leo from there.
lines=$(leo_lines) seq=$(status_get next_seq)
check "$ROUNDS rounds of unshare -rn true" unshare_rounds $ROUNDS -rn true
run_capture unshare -rn leoctl subnet add 203.0.113.0/24
check "leoctl in its own user+net namespace: EPERM" \
	grep -q "Operation not permitted" <<<"$OUT"
check_eq "... no record tried, none logged, no namespace active" \
	"$seq $lines 0" \
	"$(status_get next_seq) $(leo_lines) $(status_get active_netns)"

# 7-8: a plain netns of root that only reads: still inactive.
check "$ROUNDS rounds of unshare -n (root, reading stats)" \
	unshare_rounds $ROUNDS -n leoctl stats
check_eq "... no record, no namespace active" "$seq $lines 0" \
	"$(status_get next_seq) $(leo_lines) $(status_get active_netns)"

# 9-11: a namespace that configures leo is active while it lives and
# records its exit once.
inner=$(unshare -n sh -c "leoctl subnet add 203.0.113.0/24 >/dev/null &&
	echo \$(stat -L -c %i /proc/self/ns/net) \
	\$(sed -n 's/^active_netns: //p' $LEO_STATUS)")
check_eq "a namespace that configured leo is active" 1 "${inner#* }"
inner=${inner%% *}
netns_exit_seen() {
	ima_refresh
	for r in $(leo_bufs leo:netns-exit); do
		[ "$(rec_netns "$r")" = "$inner" ] && return 0
	done
	return 1
}
check "its exit is recorded" wait_for 20 netns_exit_seen
check_eq "... and it is no longer counted active" 0 \
	"$(status_get active_netns)"

rmmod leo
tap_done
