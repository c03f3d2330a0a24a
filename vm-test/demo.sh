#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: leo's main job as it stands. Two guests, each with its own
# swtpm, on one L2. Guest 1 loads leo.ko and protects 192.0.2.0/24; guest
# 2's pings are dropped until guest 1 has attested it with its TPM (EK
# certificate, credential activation of its AK, a quote over a fresh nonce
# with its IMA log checked against a runtime policy) and admitted it; they
# pass while it is a peer, stop when a program outside the policy makes
# re-attestation fail and guest 1 quarantines it, and the admission
# expires. Exits 0 only if every step behaved as expected (judged in the
# guests, see vm-test/demo/).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEOCTL=$TOP/build/agent/leoctl

for f in "$TOP/leo.ko" "$LEOCTL"; do
	[ -e "$f" ] || { echo "demo: $f missing: run make first" >&2; exit 1; }
done
# the project's test CA (build/ca, made on first use) signed the EK
# certificates of the harness's TPMs (vm-test/lib/tpm.sh); guest 1 checks
# guest 2's certificate against it
CA_DIR=$("$TOP/scripts/test-ca.sh") || { echo "demo: no test CA (scripts/test-ca.sh)" >&2; exit 1; }
CA_ROOTS=$CA_DIR/roots		# the root alone: the verifier's EK CA directory
CA_ISSUER=$CA_DIR/issuercert.pem

echo "leo demo: guest 1 (192.0.2.11) protects 192.0.2.0/24; guest 2 (192.0.2.12) wants in"
echo "and must prove with its TPM that it runs only software guest 1 knows."
echo "Output of each guest is prefixed with its name."
"$TOP/vm-test/vm.sh" --guests 2 --timeout "${LEO_DEMO_TIMEOUT:-400}" \
	--log-dir "${LEO_VM_LOG_DIR:-$TOP/build/vm/logs/demo}" \
	--add "$LEOCTL:/opt/leo/leoctl" \
	--add "$TOP/vm-test/demo:/opt/leo/demo" \
	--add "$CA_ROOTS:/opt/leo/demo-ca/roots" \
	--add "$CA_ISSUER:/opt/leo/demo-ca/issuer.pem" \
	--cmd 'if [ "$LEO_GUEST_INDEX" = 1 ]; then /opt/leo/demo/protector.sh; else /opt/leo/demo/peer.sh; fi'
rc=$?
if [ "$rc" = 0 ]; then
	echo "demo: PASSED"
else
	echo "demo: FAILED (see the guest output above and the logs)" >&2
fi
exit "$rc"
