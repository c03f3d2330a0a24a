#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest 2 of the leo demo: the attester, a host that wants to join the
# protected subnet. It makes an attestation key (AK) in its own TPM and
# exports it with the TPM's endorsement key (EK) and the EK certificate the
# TPM's maker (here swtpm-localca) stored in NV. Then it serves a small
# control channel on its IPv6 address, which is outside the protected
# subnet, so guest 1 (the verifier) can fetch those keys, challenge the AK,
# ask for quotes and ask for pings over the protected IPv4 subnet. Every
# TPM operation is leoctl's (`leoctl attest`); nothing is decided here.
# Exits when guest 1 says "done".
#
# Channel (busybox httpd, CGI scripts on /tmp, answers "ok HEX" or
# "error TEXT"; binary data travels as hex):
#   /ak.hex /ek.hex /ekcert.hex    AK public, EK public, EK certificate
#   /cgi-bin/activate?HEX          answer a credential challenge
#   /cgi-bin/quote?NONCE           evidence: quote + IMA log for a nonce
#   /cgi-bin/rogue                 run a program the verifier does not know
#   /cgi-bin/ping                  ping 192.0.2.11, print replies received
#   /cgi-bin/done                  end the demo

WWW=/tmp/www
TIMEOUT=${LEO_DEMO_TIMEOUT:-240}

mkdir -p "$WWW/cgi-bin"
cd /tmp || exit 1

# swtpm_setup stores an EK certificate for the RSA 2048 EK only (its ECC
# EK is P-384, not the P-256 template), so the keys are RSA.
# tpm2-tss logs an error when it looks for an AK that is not there yet;
# that is the normal first run, so its messages are shown only on failure.
# Opening /dev/tpmrm0 failed now and then ("Failed to instantiate TCTI"):
# the harness had left libtss2-tcti-device out of the image (fixed in
# vm-test/lib/image.sh); a few tries, a second apart, before giving up, and
# the TCTI's own debug log goes to ak.err, to say why if it still fails.
export_keys() {
	TSS2_LOG=tcti+debug leoctl attest ak --alg rsa --out ak.pub --ek-out ek.pub \
		--ek-cert-out ek.der 2>ak.err
}
tries=1
until export_keys; do
	if [ "$tries" -ge 5 ]; then
		cat ak.err
		echo "peer: cannot export AK, EK and EK certificate from the TPM"
		exit 1
	fi
	tries=$((tries + 1))
	sleep 1
done
[ "$tries" = 1 ] || echo "peer: the TPM answered at try $tries"
xxd -p ek.pub | tr -d '\n' >"$WWW/ek.hex"
xxd -p ek.der | tr -d '\n' >"$WWW/ekcert.hex"
xxd -p ak.pub | tr -d '\n' >"$WWW/ak.hex"
echo "peer: AK made in my TPM (persistent handle 0x81010100); exported with EK and EK certificate"

# The shared head of every CGI script: answer as text, check that the
# query (if any) is lower-case hex, and work in a private directory.
cat >/tmp/cgi-head.inc <<'INC'
PATH=/opt/leo:/usr/sbin:/usr/bin
printf 'Content-Type: text/plain\r\n\r\n'
need_hex() {
	case $QUERY_STRING in
	'' | *[!0-9a-f]*) echo "error: the request must be lower-case hex"; exit 0 ;;
	esac
}
work=$(mktemp -d) || { echo "error: mktemp"; exit 0; }
trap 'rm -rf "$work"' EXIT
INC

cat >"$WWW/cgi-bin/activate" <<'CGI'
#!/bin/sh
. /tmp/cgi-head.inc
need_hex
printf '%s' "$QUERY_STRING" | xxd -r -p >"$work/ch.bin"
if leoctl attest activate --alg rsa --challenge "$work/ch.bin" \
	--out "$work/answer.bin" 2>"$work/err"; then
	echo "ok $(xxd -p "$work/answer.bin" | tr -d '\n')"
else
	echo "error: $(tr '\n' ' ' <"$work/err")"
fi
CGI

# The binding names this channel's two ends. Without TLS there is no
# channel secret to bind to, so it does not stop a relay; it only shows
# where a TLS exporter value would go.
cat >"$WWW/cgi-bin/quote" <<'CGI'
#!/bin/sh
. /tmp/cgi-head.inc
need_hex
binding=$(printf 'leo demo [2001:db8::11] -> [2001:db8::12]:8080' |
	sha256sum | cut -d' ' -f1)
if leoctl attest quote --alg rsa --nonce "$QUERY_STRING" \
	--binding "$binding" --out "$work/ev.bin" 2>"$work/err"; then
	echo "ok $(xxd -p "$work/ev.bin" | tr -d '\n')"
else
	echo "error: $(tr '\n' ' ' <"$work/err")"
fi
CGI

# A program the verifier has never seen: busybox with one byte appended,
# on the ext4 root so IMA measures it when it runs.
cat >"$WWW/cgi-bin/rogue" <<'CGI'
#!/bin/sh
. /tmp/cgi-head.inc
mkdir -p /root/rogue
{ cat /usr/bin/busybox; printf 'x'; } >/root/rogue/busybox
chmod 755 /root/rogue/busybox
if /root/rogue/busybox true; then
	echo "ok $(sha256sum /root/rogue/busybox | cut -d' ' -f1)"
else
	echo "error: /root/rogue/busybox did not run"
fi
CGI

cat >"$WWW/cgi-bin/ping" <<'CGI'
#!/bin/sh
. /tmp/cgi-head.inc
ping -c 3 -W 1 192.0.2.11 2>&1 |
	sed -n 's/.*, \([0-9]*\) packets received.*/\1/p'
CGI

cat >"$WWW/cgi-bin/done" <<'CGI'
#!/bin/sh
. /tmp/cgi-head.inc
echo bye
touch /tmp/demo-done
CGI
chmod +x "$WWW"/cgi-bin/*

httpd -f -p 8080 -h "$WWW" &
httpd=$!
echo "peer: control channel on http://[2001:db8::12]:8080/ (IPv6, not protected)"

waited=0
while [ ! -e /tmp/demo-done ] && [ "$waited" -lt "$TIMEOUT" ]; do
	sleep 1
	waited=$((waited + 1))
done
kill "$httpd"
[ -e /tmp/demo-done ] || { echo "peer: guest 1 never finished"; exit 1; }
echo "peer: done"
