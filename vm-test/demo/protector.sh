#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest 1 of the leo demo: loads leo.ko, protects 192.0.2.0/24, and checks
# through guest 2's control channel (IPv6, outside the protected subnet)
# that guest 2's pings are dropped, pass once guest 2 is admitted as a
# peer, and stop again when the admission expires. Exits 0 only if every
# step behaved as expected.

PEER=192.0.2.12
CTL_ADDR=2001:db8::12
CTL_PORT=8080
VALIDITY=${LEO_DEMO_VALIDITY:-12}
step=0

say() { echo "$*"; }
step() { step=$((step + 1)); echo; echo "== Step $step: $*"; }
fail() { echo "DEMO FAILED at step $step: $*"; rmmod leo 2>/dev/null; exit 1; }

# ctl PATH: GET http://[2001:db8::12]:8080/PATH and print the body. Uses
# bash's /dev/tcp: busybox-static's wget crashes resolving IPv6 here.
ctl() {
	local reply
	exec 3<>"/dev/tcp/$CTL_ADDR/$CTL_PORT" || return 1
	printf 'GET /%s HTTP/1.0\r\n\r\n' "$1" >&3
	reply=$(timeout 20 cat <&3)
	exec 3>&-
	case $reply in "HTTP/1."?" 200"*) ;; *) return 1 ;; esac
	printf '%s\n' "$reply" | sed '1,/^\r\{0,1\}$/d'
}

# expect_pings none|some WHAT: ask guest 2 to ping us 3 times and check
# whether none or some of the replies reached it.
expect_pings() {
	local got ok
	got=$(ctl cgi-bin/ping) || fail "control channel to guest 2 lost"
	got=${got:-0}
	say "   guest 2 pinged 192.0.2.11 three times: $got replies"
	case $1 in
	none) [ "$got" -eq 0 ] && ok=1 ;;
	some) [ "$got" -gt 0 ] && ok=1 ;;
	esac
	[ "${ok:-0}" = 1 ] || fail "expected $2"
}

# counter NAME: a counter from "leoctl stats", e.g. "dropped, no peer".
counter() { leoctl stats | awk -F: -v k="  $1" '$1 == k {print $2 + 0}'; }

# expect_counter NAME OP VALUE, OP one of -eq -gt (as in test(1)).
expect_counter() {
	local v
	v=$(counter "$1")
	say "   counter '$1' is ${v:-missing}"
	[ -n "$v" ] && test "$v" "$2" "$3" || fail "expected counter '$1' $2 $3"
}

step "wait for guest 2 and read its peer id"
for _ in $(seq 1 120); do
	id=$(ctl id 2>/dev/null) && [ ${#id} = 64 ] && break
	sleep 1
done
[ ${#id} = 64 ] || fail "guest 2 did not come up"
say "   guest 2 ($PEER) answers on IPv6; peer id $id"

step "without leo, guest 2's pings reach us"
expect_pings some "replies before leo is loaded"

step "load leo.ko and protect 192.0.2.0/24"
insmod /opt/leo/leo.ko || fail "insmod leo.ko"
leoctl subnet add 192.0.2.0/24 || fail "leoctl subnet add"
leoctl mode enforce || fail "leoctl mode enforce"
leoctl subnet list
expect_pings none "guest 2, not a peer, to be dropped"
expect_counter "dropped, no peer" -gt 0

step "admit guest 2: leoctl peer add $PEER <id> validity ${VALIDITY}s"
leoctl peer add "$PEER" "$id" validity "${VALIDITY}s" || fail "leoctl peer add"
leoctl peer list
expect_pings some "an admitted peer's pings to pass"
expect_counter "passed" -gt 0

step "let the admission expire"
say "   waiting $((VALIDITY + 2)) s"
sleep $((VALIDITY + 2))
leoctl peer list
expect_pings none "an expired peer's pings to be dropped"
expect_counter "peers expired" -eq 1
leoctl stats

step "leo's decisions in the IMA log (label leo)"
grep ' leo:' /sys/kernel/security/ima/ascii_runtime_measurements |
	cut -d' ' -f5 | sed 's/^/   /'
for record in leo:subnet-add leo:peer-add leo:peer-expired; do
	grep -q " $record " /sys/kernel/security/ima/ascii_runtime_measurements ||
		fail "no $record record in the IMA log"
done

ctl cgi-bin/done >/dev/null
rmmod leo || fail "rmmod leo"
echo
echo "DEMO PASSED: strangers dropped, admitted peer passes, expiry closes the door"
