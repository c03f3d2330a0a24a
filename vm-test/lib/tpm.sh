# SPDX-License-Identifier: GPL-2.0
#
# One software TPM per guest: provisioned once per guest index (EK and
# platform certificates from the project's test CA, scripts/test-ca.sh),
# copied fresh for every run, and started as a daemon that exits with its
# QEMU. Sourced by vm.sh; uses TOP, VM_DIR, GUESTS, RUN_DIR and LOG_DIR.

# provision_tpms: a pristine, provisioned swtpm state per guest index is
# cached (its EK and platform certificates take seconds to make) under the
# id of the CA that signed them, so a new CA means new TPMs; each run starts
# from a copy of it.
provision_tpms() {
	local i cache ca tpmdir
	ca=$("$TOP/scripts/test-ca.sh") || exit 1
	tpmdir=$VM_DIR/tpm/ca-$(cat "$ca/id")
	mkdir -p "$tpmdir"
	exec 8>"$tpmdir/.lock"
	flock 8
	for i in $(seq 1 "$GUESTS"); do
		cache=$tpmdir/leo$i
		if [ ! -e "$cache/done" ]; then
			rm -rf "$cache"
			mkdir -p "$cache"
			swtpm_setup --tpm2 --tpmstate "$cache" --config "$ca/swtpm_setup.conf" \
				--create-ek-cert --create-platform-cert --overwrite \
				--logfile "$tpmdir/leo$i-setup.log" >/dev/null ||
				{ echo "vm.sh: swtpm_setup failed, see $tpmdir/leo$i-setup.log" >&2; exit 1; }
			touch "$cache/done"
		fi
		mkdir -p "$RUN_DIR/tpm$i"
		cp -a "$cache/." "$RUN_DIR/tpm$i/"
	done
	flock -u 8
	exec 8>&-
}

start_swtpm() {
	local i=$1 dir=$RUN_DIR/tpm$1
	swtpm socket --tpm2 --tpmstate dir="$dir" \
		--ctrl type=unixio,path="$dir/sock" --flags startup-clear \
		--pid file="$dir/swtpm.pid" --log file="$LOG_DIR/leo$i-swtpm.log" \
		--daemon
}
