#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest smoke test, run by run-suite.sh while the selftests have no
# run_tests.sh: the TPM is there and IMA extends PCR 10, executing a new
# file adds an IMA entry, and leo.ko loads (measured) and unloads.
# Prints TAP 13; exits non-zero if any test failed.

IMA=/sys/kernel/security/ima/ascii_runtime_measurements
PCR10=/sys/class/tpm/tpm0/pcr-sha256/10
KO=/opt/leo/leo.ko
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

entries() { wc -l <"$IMA"; }
dev_links() { [ "$(echo ok | cat /dev/stdin)" = ok ] && [ -e /dev/fd/1 ]; }
pcr10_nonzero() { [ -r "$PCR10" ] && ! grep -qx '0*' "$PCR10"; }
boot_aggregate_nonzero() {
	head -1 "$IMA" | grep -q ' boot_aggregate *$' &&
		! head -1 "$IMA" | grep -q 'sha256:0\{64\} '
}

exec_is_measured() {
	probe=/root/smoke-probe-$$
	cp /usr/bin/dash "$probe"
	before=$(entries)
	"$probe" -c true
	after=$(entries)
	[ "$after" -gt "$before" ] && grep -q " $probe *\$" "$IMA"
}

leo_loads() {
	before=$(grep -c ' ima-buf ' "$IMA")
	insmod "$KO" || return 1
	grep -q '^leo ' /proc/modules || return 1
	# the module file itself (MODULE_CHECK) and leo's own load record
	grep -q " $KO *\$" "$IMA" && [ "$(grep -c ' ima-buf ' "$IMA")" -gt "$before" ]
}

leo_unloads() { rmmod leo && ! grep -q '^leo ' /proc/modules; }

echo "TAP version 13"
echo "1..7"
check "TPM device /dev/tpm0 present" test -c /dev/tpm0
check "/dev/fd and /dev/stdin work" dev_links
check "PCR 10 (sha256) is not zero" pcr10_nonzero
check "IMA boot_aggregate present and not zero" boot_aggregate_nonzero
check "executing a new file on ext4 adds an IMA entry" exec_is_measured
if [ -f "$KO" ]; then
	check "insmod leo.ko: loaded, file and load record measured" leo_loads
	check "rmmod leo" leo_unloads
else
	skip "insmod leo.ko" "no leo.ko built"
	skip "rmmod leo" "no leo.ko built"
fi
[ "$failed" = 0 ]
