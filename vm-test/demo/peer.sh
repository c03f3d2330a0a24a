#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest 2 of the leo demo: the host that wants to join the protected
# subnet. It makes an attestation key in its own TPM (its peer id is the
# SHA-256 of the key's public area), then serves a small control channel
# on the unprotected IPv6 address so guest 1 can read the id and ask for
# pings over the protected IPv4 subnet. Exits when guest 1 says "done".

export TPM2TOOLS_TCTI=device:/dev/tpmrm0
WWW=/tmp/www
TIMEOUT=${LEO_DEMO_TIMEOUT:-240}

mkdir -p "$WWW/cgi-bin"
cd /tmp || exit 1
tpm2_createek -Q -c ek.ctx -G ecc -u ek.pub &&
	tpm2_createak -Q -C ek.ctx -c ak.ctx -G ecc -g sha256 -s ecdsa \
		-u ak.pub -n ak.name ||
	{ echo "peer: cannot create an attestation key in the TPM"; exit 1; }
sha256sum ak.pub | cut -d' ' -f1 >"$WWW/id"
echo "peer: my TPM attestation key has peer id $(cat "$WWW/id")"

cat >"$WWW/cgi-bin/ping" <<'CGI'
#!/bin/sh
PATH=/usr/sbin:/usr/bin
printf 'Content-Type: text/plain\r\n\r\n'
ping -c 3 -W 1 192.0.2.11 2>&1 |
	sed -n 's/.*, \([0-9]*\) packets received.*/\1/p'
CGI
cat >"$WWW/cgi-bin/done" <<'CGI'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\nbye\n'
touch /tmp/demo-done
CGI
chmod +x "$WWW/cgi-bin/ping" "$WWW/cgi-bin/done"

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
