#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the attestation benchmark on one core; print the table and
# write it to bench/results/attest.md.
set -euo pipefail
cd "$(dirname "$0")"
make -s
out=../results/attest.md
mkdir -p ../results
{
	echo "# Attestation benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), taskset -c 0"
	echo
	taskset -c 0 ../../build/bench/attest/bench_attest
} | tee "$out.tmp"
mv "$out.tmp" "$out"
