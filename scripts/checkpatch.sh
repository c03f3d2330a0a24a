#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl over leo's kernel and uapi sources.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(./scripts/kernel-src.sh)
exec "$src/scripts/checkpatch.pl" --no-tree --terse -f \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
	kernel/*.[ch] uapi/linux/*.h
