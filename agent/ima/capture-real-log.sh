#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Re-create the real-kernel fixture ima/corpus/valid-real-6.1-guest.bin
# (see test_ima_real.c): boot a vm-test guest, load leo.ko, take a few
# trust decisions, then print `leoctl measurements --verify` (the PCR 10
# value to put into test_ima_real.c) and the binary and ASCII logs,
# gzip+base64, between "=== BIN" / "=== ASCII" / "=== END" markers.
# Run from the top of the tree after `make module agent`:
#   agent/ima/capture-real-log.sh > /tmp/real.out
set -eu
if [ "${1:-}" = "--guest" ]; then
	insmod /opt/leo/leo.ko
	leoctl subnet add 203.0.113.0/24
	leoctl peer add 198.51.100.7 \
		abababababababababababababababababababababababababababababababab \
		validity 30s
	leoctl peer set 198.51.100.7 state quarantined \
		reason attestation-failed
	leoctl peer del 198.51.100.7 reason admin
	leoctl mode monitor
	leoctl measurements --verify
	echo "=== BIN"
	gzip -c /sys/kernel/security/ima/binary_runtime_measurements | base64
	echo "=== ASCII"
	gzip -c /sys/kernel/security/ima/ascii_runtime_measurements | base64
	echo "=== END"
	exit 0
fi
exec vm-test/vm.sh --add build/agent/leoctl \
	--add "$0:/opt/leo/capture-real-log.sh" \
	--cmd '/opt/leo/capture-real-log.sh --guest' --timeout 800
