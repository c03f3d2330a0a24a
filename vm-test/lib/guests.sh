# SPDX-License-Identifier: GPL-2.0
#
# The guests of one run: starting QEMU, streaming their output, waiting
# for them and judging the result. Sourced by vm.sh, which sets GUESTS,
# TIMEOUT, IMA, MEM, CPUS, QUIET, KVER, KERNEL, BASE, RUN_DIR and LOG_DIR.

# Lines in a console log that fail the run.
BAD_CONSOLE='BUG:|WARNING:|Oops|Kernel panic|general protection|KASAN'

QEMU_PIDS=()
TAIL_PIDS=()

# firmware_args: qboot and the uncompressed kernel (PVH entry) when
# possible: under TCG the bzImage's xz decompressor alone takes several
# seconds, SeaBIOS more. SeaBIOS cannot take this path: with PVH and an
# initrd, QEMU 7.2 overwrites its ACPI tables and the TPM disappears.
firmware_args() {
	case ${LEO_VM_FIRMWARE:-qboot} in
	qboot)
		if [ -f "$BASE/vmlinux" ]; then
			echo "-bios qboot.rom -kernel $BASE/vmlinux"
		else
			echo "-bios qboot.rom -kernel $KERNEL"
		fi
		;;
	seabios) echo "-kernel $KERNEL" ;;
	*) echo "vm.sh: LEO_VM_FIRMWARE must be qboot or seabios" >&2; exit 2 ;;
	esac
}

accel_args() {
	case ${LEO_VM_ACCEL:-tcg} in
	kvm) echo "-accel kvm -cpu host" ;;
	tcg) echo "-accel tcg" ;;
	*) echo "vm.sh: LEO_VM_ACCEL must be tcg or kvm" >&2; exit 2 ;;
	esac
}

start_qemu() {
	local i=$1 mac append
	mac=$(printf '52:54:00:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) "$i")
	append="console=ttyS0 panic=-1 leo_vm.index=$i leo_vm.guests=$GUESTS leo_vm.ima=$IMA"
	[ "$IMA" = tcb ] && append="$append ima_policy=tcb"
	: >"$LOG_DIR/leo$i-output.log"
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(accel_args) $(firmware_args) -nodefaults -display none -no-reboot \
		-m "$MEM" -smp "$CPUS" \
		-initrd "$BASE/initramfs.cpio.gz" -append "$append" \
		-drive file="$RUN_DIR/root.img",if=virtio,format=raw,snapshot=on \
		-serial file:"$LOG_DIR/leo$i-console.log" \
		-serial file:"$LOG_DIR/leo$i-output.log" \
		-serial file:"$RUN_DIR/status$i" \
		-chardev socket,id=chrtpm,path="$RUN_DIR/tpm$i/sock" \
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0 \
		-netdev socket,id=n0,mcast="$MCAST",localaddr=127.0.0.1 \
		-device virtio-net-pci,netdev=n0,mac="$mac" \
		</dev/null >"$LOG_DIR/leo$i-qemu.log" 2>&1 &
	QEMU_PIDS[$i]=$!
}

# stream_output I: print guest I's output as it arrives.
stream_output() {
	local i=$1 prefix=
	[ "$QUIET" = 1 ] && return 0
	[ "$GUESTS" -gt 1 ] && prefix="leo$i| "
	tail -n +1 -f --pid="${QEMU_PIDS[$i]}" "$LOG_DIR/leo$i-output.log" |
		sed -u "s/\r\$//; s/^/$prefix/" &
	TAIL_PIDS[$i]=$!
}

start_guests() {
	local i
	# A private L2 per run: random multicast group and a port no other
	# run on this host is bound to.
	local port
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 30000))
		ss -Huln "sport = :$port" 2>/dev/null | grep -q . || break
	done
	MCAST=239.255.$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1)):$port
	START_TIME=$(date +%s.%N)
	for i in $(seq 1 "$GUESTS"); do
		start_swtpm "$i"
		start_qemu "$i"
		stream_output "$i"
	done
}

# wait_guests: wait for every QEMU to exit, killing them at the deadline.
wait_guests() {
	local deadline i alive
	deadline=$(($(date +%s) + TIMEOUT))
	TIMED_OUT=0
	while :; do
		alive=0
		for i in $(seq 1 "$GUESTS"); do
			kill -0 "${QEMU_PIDS[$i]}" 2>/dev/null && alive=1
		done
		[ "$alive" = 0 ] && break
		if [ "$(date +%s)" -ge "$deadline" ]; then
			TIMED_OUT=1
			for i in $(seq 1 "$GUESTS"); do
				kill "${QEMU_PIDS[$i]}" 2>/dev/null || true
			done
			break
		fi
		sleep 0.2
	done
	for i in $(seq 1 "$GUESTS"); do
		wait "${QEMU_PIDS[$i]}" 2>/dev/null || true
		[ -n "${TAIL_PIDS[$i]:-}" ] && { wait "${TAIL_PIDS[$i]}" 2>/dev/null || true; }
	done
	END_TIME=$(date +%s.%N)
}

seconds() { awk "BEGIN {printf \"%.1f\", $2 - $1}"; }

# report_guests: one verdict line per guest; exit 1 if any guest failed.
report_guests() {
	local i status rc failed=0 bad
	for i in $(seq 1 "$GUESTS"); do
		status=$(tr -d '\r' <"$RUN_DIR/status$i" 2>/dev/null | grep -m1 '^exit=' || true)
		rc=${status#exit=}
		rc=${rc%% *}
		bad=$(grep -aE "$BAD_CONSOLE" "$LOG_DIR/leo$i-console.log" || true)
		if [ -z "$status" ]; then
			if [ "$TIMED_OUT" = 1 ]; then
				echo "vm: leo$i: FAIL: timed out after ${TIMEOUT}s" >&2
			else
				echo "vm: leo$i: FAIL: no exit status (guest crashed?)" >&2
				tr -d '\r' <"$RUN_DIR/status$i" 2>/dev/null | head -5 >&2
				tail -5 "$LOG_DIR/leo$i-qemu.log" >&2
			fi
			failed=1
		elif [ "$rc" != 0 ]; then
			echo "vm: leo$i: FAIL: command exited with $rc ($status)" >&2
			failed=1
		else
			echo "vm: leo$i: command exited 0 ($status)" >&2
		fi
		if [ -n "$bad" ]; then
			echo "vm: leo$i: FAIL: kernel console shows:" >&2
			echo "$bad" | tr -d '\r' | sed 's/^/    /' >&2
			failed=1
		fi
	done
	echo "vm: image and TPMs ready in $(seconds "$PREP_TIME" "$START_TIME") s," \
		"$GUESTS guest(s) ran for $(seconds "$START_TIME" "$END_TIME") s; logs in $LOG_DIR" >&2
	return "$failed"
}

cleanup() {
	local i pid
	for i in "${!QEMU_PIDS[@]}"; do
		kill "${QEMU_PIDS[$i]}" 2>/dev/null || true
	done
	for i in $(seq 1 "$GUESTS"); do
		pid=$(cat "$RUN_DIR/tpm$i/swtpm.pid" 2>/dev/null || true)
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	for i in "${!TAIL_PIDS[@]}"; do
		kill "${TAIL_PIDS[$i]}" 2>/dev/null || true
	done
	[ "${LEO_VM_KEEP:-0}" = 1 ] || rm -rf "$RUN_DIR"
}
