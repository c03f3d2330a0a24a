#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/tree-lock.sh NAME COMMAND...: run COMMAND holding this tree's run
# lock (build/run.lock), so that two `make check`, `make check-vm` or
# `make demo` in one tree do not trample each other's build/. A second run
# is refused at once, naming the run that holds the lock. Nested runs
# (make check runs make check-vm) inherit the lock on fd 9 and pass.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: scripts/tree-lock.sh NAME COMMAND..." >&2; exit 2; }
name=$1
shift
mkdir -p "$TOP/build" || { echo "$name: cannot create $TOP/build" >&2; exit 1; }
lock=$TOP/build/run.lock

# already ours: fd 9, inherited from the run that took it
if [ "$(readlink /proc/$$/fd/9 2>/dev/null)" = "$lock" ]; then
	exec "$@"
fi
exec 9<>"$lock" || { echo "$name: cannot open $lock" >&2; exit 1; }
if ! flock -n 9; then
	holder=$(cat "$lock" 2>/dev/null)
	echo "$name: another make check/demo is running in this tree (${holder:-pid unknown});" \
		"refusing to run a second one (lock: $lock)" >&2
	exit 1
fi
echo "pid $$: make $name" >"$lock"
exec "$@"
