#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the few files leo uses from Debian's linux-source tarball
# (checkpatch.pl, kselftest_harness.h) into build/kernel-src, once.
# Prints the extracted tree's path.
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
[ -n "$tarball" ] || { echo "kernel-src: install linux-source (make deps)" >&2; exit 1; }
top=$(basename "$tarball" .tar.xz)
out=build/kernel-src
if [ ! -f "$out/$top/.extracted" ]; then
	mkdir -p "$out"
	tar -xJf "$tarball" -C "$out" \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" \
		"$top/tools/testing/selftests/kselftest_harness.h" \
		"$top/tools/testing/selftests/kselftest.h"
	touch "$out/$top/.extracted"
fi
echo "$PWD/$out/$top"
