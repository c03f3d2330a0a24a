#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one or more leo test guests under QEMU, each with its own swtpm, all
# on one private L2, run a command in each and report the result.
# See usage() and docs/testing.md.
set -euo pipefail
trap 'echo "vm.sh: internal error at line $LINENO: $BASH_COMMAND" >&2' ERR

VM_TEST=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_LIB=$VM_TEST/lib
TOP=$(cd "$VM_TEST/.." && pwd)
VM_DIR=${LEO_VM_DIR:-$TOP/build/vm}

usage() {
	cat <<USAGE
Usage: vm-test/vm.sh [options]

Boot QEMU guests running the Debian kernel with a busybox + iproute2 +
nftables + kmod + tpm2-tools root on ext4, each with its own swtpm TPM 2.0,
all on one private L2, and run a command as root in each.

Options:
  --guests N          number of guests (default 1). Guest i is named leo<i>,
                      eth0 has 192.0.2.<10+i>/24 and 2001:db8::<10+i>/64
  --add SRC[:DST]     copy a file or directory into the guest root (default
                      DST /opt/leo/<basename>); ELF files bring their shared
                      libraries. Repeatable
  --cmd 'COMMAND'     shell command run as root in every guest after boot,
                      with PATH starting at /opt/leo and LEO_GUEST_INDEX,
                      LEO_GUESTS set (default: true)
  --timeout SEC       per-run limit, boot included (default 300)
  --ima-policy P      leo (default): measure execs, executable mmaps, modules
                      and leo critical data; tcb: the kernel's ima_policy=tcb;
                      none: no policy (only the boot aggregate)
  --mem MB            memory per guest (default 384)
  --cpus N            virtual CPUs per guest (default 1; each costs a host
                      thread under TCG)
  --log-dir DIR       console and output logs (default build/vm/logs/<run>)
  --quiet             do not print the guests' output
  -h, --help          this text

leo.ko (top level) is placed at /opt/leo/leo.ko when it exists; it is not
loaded. The guest's command output (stdout and stderr) is printed on the host
after the run, prefixed with "leo<i>| " when there is more than one guest.

Exit status: 0 if every guest's command exited 0 and no console log shows
BUG:, WARNING:, Oops, Kernel panic, general protection or KASAN; 1 otherwise;
2 on a usage error. Environment: LEO_VM_ACCEL=kvm to use KVM (default tcg),
LEO_VM_KERNEL to boot another kernel image.
USAGE
}

die_usage() {
	echo "vm.sh: $*" >&2
	echo "Try 'vm-test/vm.sh --help'." >&2
	exit 2
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

GUESTS=1
ADDS=()
CMD=true
TIMEOUT=300
IMA=leo
MEM=384
CPUS=1
LOG_DIR=
QUIET=0

# parse_args ARGS...: set the options above, or exit 2 with a message.
parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--guests) GUESTS=${2:-}; shift 2 || die_usage "--guests needs N" ;;
		--add) ADDS+=("${2:-}"); shift 2 || die_usage "--add needs SRC" ;;
		--cmd) CMD=${2:-}; shift 2 || die_usage "--cmd needs a command" ;;
		--timeout) TIMEOUT=${2:-}; shift 2 || die_usage "--timeout needs SEC" ;;
		--ima-policy) IMA=${2:-}; shift 2 || die_usage "--ima-policy needs P" ;;
		--mem) MEM=${2:-}; shift 2 || die_usage "--mem needs MB" ;;
		--cpus) CPUS=${2:-}; shift 2 || die_usage "--cpus needs N" ;;
		--log-dir) LOG_DIR=${2:-}; shift 2 || die_usage "--log-dir needs DIR" ;;
		--quiet) QUIET=1; shift ;;
		-h | --help) usage; exit 0 ;;
		*) die_usage "unknown option '$1'" ;;
		esac
	done
}

check_args() {
	local a dst
	is_uint "$GUESTS" && [ "$GUESTS" -ge 1 ] && [ "$GUESTS" -le 20 ] ||
		die_usage "--guests must be 1..20"
	is_uint "$TIMEOUT" && [ "$TIMEOUT" -ge 1 ] || die_usage "--timeout must be > 0"
	is_uint "$MEM" && [ "$MEM" -ge 128 ] || die_usage "--mem must be >= 128"
	is_uint "$CPUS" && [ "$CPUS" -ge 1 ] && [ "$CPUS" -le 8 ] || die_usage "--cpus must be 1..8"
	case $IMA in leo | tcb | none) ;; *) die_usage "--ima-policy must be leo, tcb or none" ;; esac
	for a in "${ADDS[@]}"; do
		[ -e "${a%%:*}" ] || die_usage "--add: '${a%%:*}' does not exist"
		if [[ $a == *:* ]]; then
			dst=${a#*:}
			[[ $dst == /?* && $dst != */../* && $dst != */.. ]] ||
				die_usage "--add: destination '$dst' must be an absolute path below /"
		fi
	done
}

source "$VM_LIB/image.sh"
source "$VM_LIB/run-image.sh"
source "$VM_LIB/tpm.sh"
source "$VM_LIB/guests.sh"

# The whole run is one function, so bash has read all of it before it
# starts: editing this file cannot change a run that is under way.
main() {
	parse_args "$@"
	check_args
	# the kernel leo.ko was built for (scripts/kver.sh decides, once)
	KVER=$("$TOP/scripts/kver.sh") || exit 1
	KERNEL=${LEO_VM_KERNEL:-/boot/vmlinuz-$KVER}
	[ -r "$KERNEL" ] || { echo "vm.sh: kernel $KERNEL missing (make deps)" >&2; exit 1; }

	RUN_ID=$(date +%Y%m%d-%H%M%S)-$$
	RUN_DIR=$VM_DIR/runs/$RUN_ID
	LOG_DIR=${LOG_DIR:-$VM_DIR/logs/$RUN_ID}
	mkdir -p "$RUN_DIR" "$LOG_DIR"
	LOG_DIR=$(cd "$LOG_DIR" && pwd)
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	PREP_TIME=$(date +%s.%N)
	ensure_base
	prepare_run_image
	provision_tpms
	start_guests
	wait_guests
	report_guests || exit 1
}

main "$@"
exit $?
