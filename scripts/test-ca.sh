#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's own test CA for the software TPMs' EK and platform
# certificates: swtpm-localca configured under build/ca (or $LEO_CA_DIR),
# made on first use, so nothing depends on /var/lib/swtpm-localca or any
# other state outside the tree.
#
#   scripts/test-ca.sh          make the CA if needed, print its directory
#
# The directory then holds:
#   swtpm_setup.conf            pass to `swtpm_setup --config`
#   swtpm-localca-rootca-cert.pem, issuercert.pem
#                               the root and the intermediate that signs
#                               the EK certificates
#   roots/                      the root alone: a verifier's EK CA directory
#                               (--ek-ca-dir); issuercert.pem is given as an
#                               untrusted intermediate (--ek-intermediate)
#   id                          sha256 of the two certificates: key any cache
#                               of provisioned TPM state on it
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CA=${LEO_CA_DIR:-$TOP/build/ca}

die() { echo "test-ca: $*" >&2; exit 1; }

command -v swtpm_setup >/dev/null || die "swtpm_setup not found (make deps: swtpm-tools)"
LOCALCA=$(command -v swtpm_localca) || die "swtpm_localca not found (make deps: swtpm-tools)"

mkdir -p "$CA" || die "cannot create $CA"
CA=$(cd "$CA" && pwd)
exec 9>"$CA/.lock" || die "cannot open $CA/.lock"
flock 9

if [ ! -s "$CA/id" ]; then
	cat >"$CA/swtpm-localca.conf" <<EOF
statedir = $CA
signingkey = $CA/signkey.pem
issuercert = $CA/issuercert.pem
certserial = $CA/certserial
EOF
	cat >"$CA/swtpm-localca.options" <<EOF
--platform-manufacturer leo-test
--platform-version 2.1
--platform-model QEMU
EOF
	cat >"$CA/swtpm_setup.conf" <<EOF
create_certs_tool = $LOCALCA
create_certs_tool_config = $CA/swtpm-localca.conf
create_certs_tool_options = $CA/swtpm-localca.options
active_pcr_banks = sha256
EOF
	# swtpm_localca makes its root and signing CA when it first signs
	tmp=$(mktemp -d) || die "mktemp failed"
	if ! swtpm_setup --tpm2 --tpmstate "$tmp" --config "$CA/swtpm_setup.conf" \
		--create-ek-cert --overwrite --logfile "$CA/setup.log" >/dev/null; then
		rm -rf "$tmp"
		die "swtpm_setup could not make the CA, see $CA/setup.log"
	fi
	rm -rf "$tmp"
	for f in swtpm-localca-rootca-cert.pem issuercert.pem signkey.pem; do
		[ -s "$CA/$f" ] || die "swtpm_localca made no $CA/$f, see $CA/setup.log"
	done
	{ cat "$CA/swtpm-localca-rootca-cert.pem" "$CA/issuercert.pem" |
		sha256sum | cut -c1-16 >"$CA/id.new" && mv "$CA/id.new" "$CA/id"; } ||
		die "cannot write $CA/id"
fi
if [ ! -s "$CA/roots/swtpm-localca-rootca-cert.pem" ]; then
	mkdir -p "$CA/roots" &&
		cp "$CA/swtpm-localca-rootca-cert.pem" "$CA/roots/.new.pem" &&
		mv "$CA/roots/.new.pem" "$CA/roots/swtpm-localca-rootca-cert.pem" ||
		die "cannot write $CA/roots"
fi
echo "$CA"
