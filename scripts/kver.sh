#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The one place that decides which kernel leo is built and tested for: the
# newest Debian headers (/usr/src/linux-headers-*-amd64, from `make deps`)
# whose kernel image is installed too. leo.ko is built against those
# headers and the QEMU guests boot that kernel, never the host's own.
#
#   scripts/kver.sh          print the version, e.g. 6.1.0-41-amd64
#   scripts/kver.sh --kdir   print the headers directory (the module's KDIR)
#
# Exits 1 with a message naming what is missing.
set -uo pipefail

hdr=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null | sort -V | tail -1)
[ -n "$hdr" ] || {
	echo "kver: no kernel headers /usr/src/linux-headers-*-amd64: run make deps" >&2
	exit 1
}
kver=${hdr#/usr/src/linux-headers-}
[ -f "$hdr/Makefile" ] || { echo "kver: $hdr/Makefile missing: run make deps" >&2; exit 1; }
[ -e "/boot/vmlinuz-$kver" ] || {
	echo "kver: /boot/vmlinuz-$kver missing (headers without their kernel): run make deps" >&2
	exit 1
}
case ${1:-} in
"") echo "$kver" ;;
--kdir) echo "$hdr" ;;
*) echo "usage: scripts/kver.sh [--kdir]" >&2; exit 2 ;;
esac
