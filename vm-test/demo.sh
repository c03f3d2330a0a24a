#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: leo's main job as it stands. Two guests, each with its own
# swtpm, on one L2. Guest 1 loads leo.ko and protects 192.0.2.0/24; guest
# 2's pings are dropped until guest 1 admits it with leoctl, pass while it
# is a peer and stop when the admission expires. Exits 0 only if every step
# behaved as expected (judged in the guests, see vm-test/demo/).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEOCTL=$TOP/build/agent/leoctl

for f in "$TOP/leo.ko" "$LEOCTL"; do
	[ -e "$f" ] || { echo "demo: $f missing: run make first" >&2; exit 1; }
done

echo "leo demo: guest 1 (192.0.2.11) protects 192.0.2.0/24; guest 2 (192.0.2.12) wants in."
echo "Output of each guest is prefixed with its name."
"$TOP/vm-test/vm.sh" --guests 2 --timeout "${LEO_DEMO_TIMEOUT:-400}" \
	--log-dir "${LEO_VM_LOG_DIR:-$TOP/build/vm/logs/demo}" \
	--add "$LEOCTL:/opt/leo/leoctl" \
	--add "$TOP/vm-test/demo:/opt/leo/demo" \
	--cmd 'if [ "$LEO_GUEST_INDEX" = 1 ]; then /opt/leo/demo/protector.sh; else /opt/leo/demo/peer.sh; fi'
rc=$?
if [ "$rc" = 0 ]; then
	echo "demo: PASSED"
else
	echo "demo: FAILED (see the guest output above and the logs)" >&2
fi
exit "$rc"
