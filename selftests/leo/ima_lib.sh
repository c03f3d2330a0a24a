#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the ima_*.sh tests (sourced, not run): TAP output,
# loading leo.ko, and decoding leo's IMA records (docs/measurements.md)
# straight from the hex in ascii_runtime_measurements.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP helper library, sourced by the ima_*.sh tests"
	exit 0
fi

IMA_LOG=/sys/kernel/security/ima/ascii_runtime_measurements
IMA_POLICY=/sys/kernel/security/ima/policy
LEO_STATUS=/sys/kernel/security/leo/status
LEO_KO=${LEO_KO:-/opt/leo/leo.ko}
# Files on tmpfs are not measured: scratch binaries go to the ext4 root.
SCRATCH=${LEO_SCRATCH:-/root/leo-ima-test}

# ---- TAP -----------------------------------------------------------------
tap_n=0
tap_failed=0
tap_planned=0

tap_plan() {
	tap_planned=$1
	echo "TAP version 13"
	echo "1..$1"
}

tap_ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

tap_not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	local line
	for line in "$@"; do
		echo "# $line"
	done
}

# check DESCRIPTION COMMAND...: one test point from a command's status.
# The command's output is shown, as TAP comments, only when it fails.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		# shellcheck disable=SC2086
		tap_not_ok "$desc" "failed: $*" ${out:+"output:"}
		[ -n "$out" ] && sed 's/^/#   /' <<<"$out"
	fi
	return 0
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "expected: '$2'" "got:      '$3'"
	fi
}

tap_skip_rest() {
	while [ "$tap_n" -lt "$tap_planned" ]; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $1"
	done
}

tap_bail() {
	echo "Bail out! $*"
	exit 1
}

tap_done() {
	if [ "$tap_n" -ne "$tap_planned" ]; then
		echo "# planned $tap_planned tests, ran $tap_n"
		exit 1
	fi
	[ "$tap_failed" -eq 0 ]
	exit
}

# ---- leo.ko --------------------------------------------------------------
leo_loaded() { [ -d /sys/module/leo ]; }

# leo_reload [PARAM=VALUE...]: a fresh instance of leo.ko.
leo_reload() {
	if leo_loaded; then
		rmmod leo || return 1
	fi
	insmod "$LEO_KO" "$@"
}

# status_get KEY: one value of the status file.
status_get() {
	sed -n "s/^$1: //p" "$LEO_STATUS"
}

# run_capture CMD...: run, keeping stdout+stderr in $OUT and status in $RC.
run_capture() {
	OUT=$("$@" 2>&1)
	RC=$?
}

# ---- records in the IMA log ------------------------------------------------
# Reading the log is slow once it is long (every peer decision adds an
# entry; 100k entries take a minute in a TCG guest), so tests read it once
# per phase with ima_refresh and decode from the snapshot. IMA walks its
# list from the first entry on every read() call, hence one large read.
LEO_SNAP=$(mktemp /tmp/leo-ima-snap.XXXXXX)
trap 'rm -f "$LEO_SNAP"' EXIT
ima_log() { dd if="$IMA_LOG" bs=16M 2>/dev/null; }

# ima_refresh: snapshot leo's ima-buf entries and entries of $SCRATCH files.
ima_refresh() {
	ima_log | grep -F -e " leo:" -e " $SCRATCH/" |
		awk -v scratch="$SCRATCH/" '
		($3 == "ima-buf" && $5 ~ /^leo:/) ||
		substr($5, 1, length(scratch)) == scratch' >"$LEO_SNAP"
}

# leo_bufs [NAME]: the hex records of this module instance (or of
# instance $LEO_INST, as the status file prints it) in the snapshot, oldest
# first, optionally only those with event name NAME.
leo_bufs() {
	local inst name=${1:-}
	inst=$(le_hex "${LEO_INST:-$(status_get instance)}")
	awk -v name="$name" -v inst="$inst" '
		$3 == "ima-buf" && (name == "" || $5 == name) &&
		substr($6, 65, 16) == inst { print $6 }' "$LEO_SNAP"
}

# leo_last NAME: the newest record with event name NAME of this instance.
leo_last() { leo_bufs "$1" | tail -n 1; }

# leo_count [NAME]
leo_count() { leo_bufs "${1:-}" | wc -l; }

# le_hex HEX: the bytes of HEX in reverse order (big <-> little endian).
le_hex() {
	local h=$1 r= i
	for ((i = ${#h} - 2; i >= 0; i -= 2)); do
		r+=${h:i:2}
	done
	echo "$r"
}

# rec_hex HEX OFFSET LEN: LEN bytes at OFFSET, as hex.
rec_hex() { echo "${1:$(($2 * 2)):$(($3 * 2))}"; }

# rec_u HEX OFFSET LEN: little-endian unsigned integer at OFFSET.
rec_u() {
	local h
	h=$(le_hex "$(rec_hex "$1" "$2" "$3")")
	echo $((16#${h:-0}))
}

# Header fields (48 bytes) and body offsets.
rec_magic() { rec_hex "$1" 0 4; }
rec_version() { rec_u "$1" 4 2; }
rec_op() { rec_u "$1" 6 2; }
rec_length() { rec_u "$1" 8 4; }
rec_netns() { rec_u "$1" 12 4; }
rec_seq() { rec_u "$1" 24 8; }
BODY=48

# hex_to_bin: hex on stdin, bytes on stdout.
hex_to_bin() {
	local h
	h=$(cat)
	printf '%b' "$(echo "$h" | sed 's/../\\x&/g')"
}

# hex_addr ADDR: an IPv4 or IPv6 address as the 16-byte hex of a record.
hex_addr() {
	local a=$1 out= part i n
	if [[ $a == *.* ]]; then
		IFS=. read -ra part <<<"$a"
		for i in "${part[@]}"; do
			out+=$(printf '%02x' "$i")
		done
		printf '%s%024d\n' "$out" 0
		return
	fi
	# IPv6: expand "::" into the missing zero groups.
	local head=${a%%::*} tail= groups=()
	[[ $a == *::* ]] && tail=${a#*::}
	IFS=: read -ra part <<<"$head"
	groups+=("${part[@]}")
	local tail_groups=()
	[ -n "$tail" ] && IFS=: read -ra tail_groups <<<"$tail"
	n=$((8 - ${#groups[@]} - ${#tail_groups[@]}))
	for ((i = 0; i < n; i++)); do
		groups+=(0)
	done
	groups+=("${tail_groups[@]}")
	for i in "${groups[@]}"; do
		out+=$(printf '%04x' "$((16#$i))")
	done
	echo "$out"
}

# ima_digest_of_buf HEX: the d-ng digest IMA logged with record HEX.
ima_digest_of_buf() {
	awk -v buf="$1" '$3 == "ima-buf" && $6 == buf {
		sub(/^sha256:/, "", $4); print $4; exit }' "$LEO_SNAP"
}

# sha256_of_hex HEX: SHA-256 of the bytes HEX denotes.
sha256_of_hex() { echo "$1" | hex_to_bin | sha256sum | cut -d' ' -f1; }

# netns_ino [PID]: inode number of a network namespace.
netns_ino() { stat -L -c %i "/proc/${1:-self}/ns/net"; }

# seq_reaches N: the module has tried to measure record N - 1 (cheap: the
# status file, not the log).
seq_reaches() { [ "$(status_get next_seq)" -ge "$1" ]; }

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}
