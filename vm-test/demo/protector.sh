#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest 1 of the leo demo: the verifier. It loads leo.ko, protects
# 192.0.2.0/24 and admits guest 2 only after guest 2 proved, with its TPM,
# that it runs software this guest knows:
#
#  - credential activation: guest 2's EK certificate must chain to the
#    swtpm-localca CA (copied in by demo.sh) and certify its EK; a secret
#    encrypted to that EK for guest 2's AK name comes back only if the AK
#    lives in the same TPM;
#  - a quote by that AK over a fresh nonce, with guest 2's IMA log, checked
#    by `leoctl attest verify` against a runtime policy.
#
# The policy (Keylime's format) lists the SHA-256 of every regular file of
# this guest's root file system. Both guests boot the same image, so it
# names exactly the programs and libraries guest 2 may run, and nothing
# else. Then it checks that guest 2's pings pass while admitted, that a
# program outside the policy makes the next attestation fail and the peer
# is quarantined, and that the admission expires. Talks to guest 2 over
# its control channel (IPv6, outside the protected subnet; see peer.sh).
# Exits 0 only if every step behaved as expected.

PEER=192.0.2.12
CTL_ADDR=2001:db8::12
CTL_PORT=8080
VALIDITY=${LEO_DEMO_VALIDITY:-12}
CA_DIR=/opt/leo/demo-ca
WORK=/tmp/verifier
POLICY=$WORK/policy.json
# must equal peer.sh's: names the channel's two ends (no TLS exporter here)
BINDING=$(printf 'leo demo [2001:db8::11] -> [2001:db8::12]:8080' |
	sha256sum | cut -d' ' -f1)
ROGUE=/root/rogue/busybox
step=0

say() { echo "$*"; }
step() { step=$((step + 1)); echo; echo "== Step $step: $*"; }
# fail WHY: also from inside $(...): the message goes to stderr, which
# reaches the host like stdout, and the caller adds "|| exit 1". Guest 2
# is told to stop so the run ends now.
fail() {
	echo "DEMO FAILED at step $step: $*" >&2
	rmmod leo 2>/dev/null
	ctl cgi-bin/done >/dev/null 2>&1
	exit 1
}

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

# ctl_ok PATH: like ctl, for the CGI scripts that answer "ok DATA" or
# "error TEXT"; prints DATA, or fails the step with guest 2's error.
ctl_ok() {
	local body
	body=$(ctl "$1") || fail "control channel to guest 2 lost"
	case $body in
	"ok "*) printf '%s\n' "${body#ok }" ;;
	*) fail "guest 2: ${body:-no answer}" ;;
	esac
}

# fetch_hex PATH FILE: a hex file of guest 2's, decoded into FILE
fetch_hex() {
	local hex
	hex=$(ctl "$1") && [ -n "$hex" ] || return 1
	printf '%s' "$hex" | xxd -r -p >"$2"
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

# build_policy: a Keylime runtime policy with the SHA-256 of every regular
# file on this guest's root file system (-xdev: not /tmp, /proc, ...).
# A path JSON cannot carry as it is stays out: unknown means refused.
build_policy() {
	find / -xdev -type f -print0 | xargs -0 sha256sum | awk '
	BEGIN { printf "{\"meta\":{\"version\":1},\"release\":0,\"digests\":{" }
	{
		path = substr($0, 67)
		if (path ~ /["\\]/ || path ~ /[\001-\037]/)
			next
		printf "%s\"%s\":[\"%s\"]", n++ ? "," : "", path, $1
	}
	END {
		printf "},\"excludes\":[],\"keyrings\":{},\"ima-buf\":{},"
		printf "\"verification-keys\":\"\"}\n"
	}' >"$POLICY.tmp" && mv "$POLICY.tmp" "$POLICY"
}

# fresh_nonce: 32 random bytes as hex, never used before
fresh_nonce() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# attest_quote NONCE OUT: have guest 2 quote NONCE; the evidence into OUT
attest_quote() {
	local hex
	hex=$(ctl_ok "cgi-bin/quote?$1") || exit 1
	printf '%s' "$hex" | xxd -r -p >"$2"
	say "   evidence from guest 2: $(wc -c <"$2") bytes (quote, PCRs, IMA log)"
}

# verify NONCE EVIDENCE: leoctl's verdict on the evidence (text); exit
# status 0 only on pass
verify() {
	leoctl attest verify --evidence "$2" --nonce "$1" --binding "$BINDING" \
		--policy "$POLICY" --ak "$WORK/ak.pub"
}

mkdir -p "$WORK"
cd "$WORK" || exit 1
build_policy &
policy_job=$!

step "wait for guest 2 and fetch its AK, EK and EK certificate"
# bounded in time, not tries: a connection to a guest that is gone takes
# seconds to fail
deadline=$((SECONDS + 120))
until fetch_hex ak.hex ak.pub 2>/dev/null; do
	[ "$SECONDS" -lt "$deadline" ] || fail "guest 2 did not come up in 120 s"
	sleep 1
done
[ -s ak.pub ] || fail "guest 2 sent an empty AK public"
fetch_hex ek.hex ek.pub || fail "no EK public from guest 2"
fetch_hex ekcert.hex ek.der || fail "no EK certificate from guest 2"
say "   guest 2 ($PEER) answers on IPv6: AK public $(wc -c <ak.pub) bytes," \
	"EK public $(wc -c <ek.pub) bytes, EK certificate $(wc -c <ek.der) bytes"

step "without leo, guest 2's pings reach us"
expect_pings some "replies before leo is loaded"

step "load leo.ko and protect 192.0.2.0/24"
insmod /opt/leo/leo.ko || fail "insmod leo.ko"
leoctl subnet add 192.0.2.0/24 || fail "leoctl subnet add"
leoctl mode enforce || fail "leoctl mode enforce"
leoctl subnet list
expect_pings none "guest 2, not a peer, to be dropped"
expect_counter "dropped, no peer" -gt 0

step "prove guest 2's AK lives in the TPM its EK certificate vouches for"
say "   the EK certificate must chain to swtpm-localca's CA and certify this"
say "   EK; the AK must be a restricted signing key fixed to its TPM"
leoctl attest challenge --ek ek.pub --ek-cert ek.der \
	--ek-ca-dir "$CA_DIR/roots" --ek-intermediate "$CA_DIR/issuer.pem" \
	--ak ak.pub \
	--out challenge.bin --secret-out secret.bin ||
	fail "guest 2's EK certificate or AK was refused"
say "   credential challenge for the AK's name, encrypted to the EK:" \
	"$(wc -c <challenge.bin) bytes"
answer=$(ctl_ok "cgi-bin/activate?$(xxd -p challenge.bin | tr -d '\n')") ||
	exit 1
printf '%s' "$answer" | xxd -r -p >answer.bin
checked=$(leoctl attest check --answer answer.bin --secret secret.bin \
	--ak ak.pub) || fail "guest 2's answer is wrong: $checked"
say "   $checked"
id=${checked##* }
[ ${#id} = 64 ] || fail "no peer id in '$checked'"

step "quote a fresh nonce and check guest 2's software against the policy"
wait "$policy_job" && [ -s "$POLICY" ] || fail "cannot build the policy"
say "   policy: SHA-256 of each of the $(grep -o '":\["' "$POLICY" | wc -l)" \
	"files on this guest's root (same image as guest 2), nothing excluded"
nonce=$(fresh_nonce)
say "   nonce $nonce"
attest_quote "$nonce" evidence.bin
verdict=$(verify "$nonce" evidence.bin)
rc=$?
printf '%s\n' "$verdict" | sed 's/^/   /'
[ "$rc" = 0 ] && [ "${verdict%%:*}" = pass ] ||
	fail "guest 2's evidence did not pass"
evidence=$(sha256sum evidence.bin | cut -d' ' -f1)

step "admit guest 2: leoctl peer add $PEER <id> validity ${VALIDITY}s evidence <sha256>"
leoctl peer add "$PEER" "$id" validity "${VALIDITY}s" evidence "$evidence" ||
	fail "leoctl peer add"
admitted=$SECONDS
leoctl peer list
expect_pings some "an admitted peer's pings to pass"
expect_counter "passed" -gt 0

step "guest 2 runs a program the policy does not list; attest again"
rogue=$(ctl_ok cgi-bin/rogue) || exit 1
say "   guest 2 ran $ROGUE (busybox plus one byte), sha256 $rogue"
nonce=$(fresh_nonce)
say "   nonce $nonce"
attest_quote "$nonce" evidence2.bin
verdict=$(verify "$nonce" evidence2.bin)
rc=$?
printf '%s\n' "$verdict" | sed 's/^/   /'
[ "$rc" != 0 ] && [ "${verdict%%:*}" = FAIL ] ||
	fail "evidence with an unknown program passed"
failures=$(printf '%s\n' "$verdict" | sed -n 's/^  \([a-z-]*\): .*/\1/p' | sort -u)
[ "$failures" = file-unknown ] ||
	fail "expected only file-unknown, got: ${failures//$'\n'/ }"
printf '%s\n' "$verdict" | grep -q "^  file-unknown: .* $ROGUE sha256:$rogue" ||
	fail "the failure does not name $ROGUE with its digest"
say "   verdict: fail, file-unknown $ROGUE: quarantine guest 2"
say "   (replaying the first, clean evidence instead does not help:"
verdict=$(verify "$nonce" evidence.bin) &&
	fail "the old evidence passed for a new nonce"
printf '%s\n' "$verdict" | grep -q '^  qualifying-data: ' ||
	fail "the old evidence failed, but not on its nonce: $verdict"
say "   it fails with qualifying-data: it was quoted for another nonce)"
leoctl peer set "$PEER" state quarantined reason attestation-failed ||
	fail "leoctl peer set (quarantine)"
leoctl peer list
expect_pings none "a quarantined peer's pings to be dropped"
expect_counter "dropped, peer quarantined" -gt 0

step "let the admission expire"
wait_s=$((admitted + VALIDITY + 2 - SECONDS))
[ "$wait_s" -gt 0 ] || wait_s=0
say "   waiting $wait_s s"
sleep "$wait_s"
leoctl peer list
leoctl peer list | grep -q "^no peers" || fail "guest 2 is still a peer"
expect_pings none "an expired peer's pings to be dropped"
expect_counter "peers expired" -eq 1
leoctl stats

step "leo's decisions in the IMA log (label leo)"
leoctl measurements | sed 's/^/   /'
for record in leo:subnet-add leo:peer-add leo:peer-quarantine leo:peers-expired; do
	grep -q " $record " /sys/kernel/security/ima/ascii_runtime_measurements ||
		fail "no $record record in the IMA log"
done
leoctl measurements | grep 'peer-add' | grep "peer_id=$id" |
	grep -q "evidence=$evidence" ||
	fail "the peer-add record lacks the peer id or the evidence digest"
say "   the peer-add record carries guest 2's peer id and the evidence digest"

ctl cgi-bin/done >/dev/null
rmmod leo || fail "rmmod leo"
echo
echo "DEMO PASSED: strangers dropped; guest 2 admitted after TPM attestation" \
	"(EK certificate, activated AK, quote, IMA log vs policy); an unknown" \
	"program fails re-attestation and quarantines it; expiry closes the door"
