#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every leo selftest in the guest and prints one TAP 13 stream:
#
#   ima_*.sh         IMA measurement tests (their own TAP, renumbered)
#   netlink_test     the generic netlink API (kselftest harness)
#   enforce.sh       packet enforcement between network namespaces
#   bypass.sh        ways around the door, tried and refused
#   forward.sh       a router between namespaces, loopback, selftest=1
#   load_unload.sh   20 load/unload cycles under traffic (it unloads)
#   leoctl_e2e.sh    leoctl end to end (loads leo.ko, seals it, unloads)
#   kernel log       no BUG/WARNING/Oops over the whole run
#
# Every group's test points are renumbered into the one stream, and the
# plan is printed at the end (TAP allows a trailing plan), because only our
# own groups can list their tests beforehand (-l). A group that dies early
# gets "not ok" for every test it listed or planned but did not report.
# Loads /opt/leo/leo.ko (LEO_KO) if needed: in the suite leo.ko is under
# test, so a missing leo.ko or a failed insmod is "not ok" (with insmod's
# error), and the groups fail rather than skip (LEO_SUITE=1). LEO_GROUPS / LEO_SKIP_GROUPS
# choose groups; netlink_test honours LEO_NETLINK_ONLY / _EXCLUDE.
# Exit status: 0 if nothing failed, 1 otherwise.

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LEO_KO=${LEO_KO:-/opt/leo/leo.ko}
export LEO_SUITE=1
export PATH=$DIR:/opt/leo:$PATH
TMP=$(mktemp -d /tmp/leo-run.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
BAD_LOG='BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|kernel BUG|refcount_t'

n=0 passed=0 failed=0 skipped=0

result() {	# result ok|fail|skip NAME [REASON]
	n=$((n + 1))
	case $1 in
	ok) passed=$((passed + 1)); echo "ok $n - $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n - $2 # SKIP $3" ;;
	*) failed=$((failed + 1)); echo "not ok $n - $2${3:+ # $3}" ;;
	esac
}

# Groups in run order: "NAME TIMEOUT_S COMMAND".
# The IMA tests go first: they read the whole IMA log many times, and the
# 100k-peer test adds 100k records to it.
all_groups() {
	for f in "$DIR"/ima_*.sh; do
		[ -f "$f" ] && echo "$(basename "$f" .sh) 300 $f"
	done
	echo "netlink 600 $DIR/netlink_test"
	echo "enforce 400 $DIR/enforce.sh"
	echo "bypass 300 $DIR/bypass.sh"
	echo "forward 300 $DIR/forward.sh"
	echo "load_unload 300 $DIR/load_unload.sh"
	# loads leo.ko itself and seals it: after the group that unloads
	[ -f "$DIR/leoctl_e2e.sh" ] && echo "leoctl 400 $DIR/leoctl_e2e.sh"
}

# LEO_GROUPS="a b ..." runs only those groups, in that order (the suite
# runner splits the groups between guests booted with different IMA
# policies); LEO_SKIP_GROUPS="a b" leaves groups out.
groups() {
	local g
	all_groups >"$TMP/all_groups"
	if [ -n "${LEO_GROUPS:-}" ]; then
		for g in $LEO_GROUPS; do
			grep "^$g " "$TMP/all_groups" ||
				echo "$g 1 /nonexistent/group-$g"
		done
	else
		cat "$TMP/all_groups"
	fi | while read -r g rest; do
		case " ${LEO_SKIP_GROUPS:-} " in *" $g "*) continue ;; esac
		echo "$g $rest"
	done
}

# Our own groups list their tests with -l; others only print TAP.
listable() { case $1 in *ima_*.sh | *leoctl_e2e.sh) return 1 ;; esac; return 0; }

# "ok 3 - name # SKIP why" -> "name"
point_name() {
	local s=$1
	s=${s#not ok }
	s=${s#ok }
	s=${s#"${s%%[!0-9]*}"}
	s=${s# }
	s=${s#- }
	s=${s%%# *}
	s=${s%"${s##*[! ]}"}
	echo "$s"
}

# Reads a group's TAP on stdin and renumbers its test points into the
# stream; comments everything else. Names come from the -l list (file $1)
# when there is one, else from the points themselves.
relay() {
	local list=$1 group=$2 line i=0 name status reason plan=
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			i=$((i + 1))
			name=
			[ -s "$list" ] && name=$(sed -n "${i}p" "$list")
			[ -n "$name" ] || name=$(point_name "$line")
			status=ok reason=
			case $line in "not ok "*) status=fail ;; esac
			case $line in *"# SKIP"*)
				status=skip
				reason=${line#*# SKIP}
				reason=${reason# } ;;
			esac
			result $status "$group: ${name:-test $i}" "$reason"
			;;
		1..*)
			plan=${line#1..}
			plan=${plan%% *}
			echo "# $line"
			;;
		"TAP version"*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done
	echo "$i $n $passed $failed $skipped ${plan:--}" >"$TMP/relay"
}

run_group() {	# run_group GROUP TIMEOUT CMD
	local group=$1 tmo=$2 cmd=$3 want=- got plan rc i name
	: >"$TMP/list"
	if listable "$cmd"; then
		"$cmd" -l >"$TMP/list" 2>/dev/null
		want=$(wc -l <"$TMP/list")
		echo "# group $group: $want tests"
	fi
	{ timeout "$tmo" "$cmd" 2>&1; echo $? >"$TMP/rc"; } | relay "$TMP/list" "$group"
	read -r got n passed failed skipped plan <"$TMP/relay"
	rc=$(cat "$TMP/rc")
	[ "$rc" = 124 ] && echo "# group $group: timed out after $tmo s"
	[ "$want" = - ] && want=$plan
	if [ "$want" = - ]; then
		# no list, no plan: the exit status is all there is
		[ "$got" = 0 ] && [ "$rc" != 0 ] &&
			result fail "$group" "no TAP output, exit $rc"
		return
	fi
	for i in $(seq $((got + 1)) "$want"); do
		name=$(sed -n "${i}p" "$TMP/list")
		result fail "$group: ${name:-test $i}" "no result (group exit $rc)"
	done
	if [ "$got" -le "$want" ] && [ "$rc" != 0 ] && [ "$rc" != 4 ] &&
		[ "$failed" = 0 ]; then
		result fail "$group: exit status" "exit $rc without a failed test"
	fi
}

echo "TAP version 13"
start=$(date +%s)
bad_before=$(dmesg | grep -cE "$BAD_LOG")

# Our groups expect leo.ko loaded (the IMA tests reload and unload it).
# A failure to load is reported once, as a test of its own.
load_failed=0
ensure_loaded() {
	local why klog
	grep -q '^leo ' /proc/modules && return 0
	if [ ! -f "$LEO_KO" ]; then
		why="$LEO_KO missing"
	elif why=$(insmod "$LEO_KO" 2>&1); then
		echo "# loaded $LEO_KO"
		return 0
	else
		klog=$(dmesg | grep -E 'leo: |module' | tail -1)
		why="insmod $LEO_KO: ${why:-failed}${klog:+ (kernel: $klog)}"
	fi
	[ "$load_failed" = 1 ] && return 1
	load_failed=1
	result fail "leo.ko loads" "$(echo "$why" | tr '\n' ' ')"
	return 1
}

# a file, not <(...): the guest has no /dev/fd
groups >"$TMP/groups"
while read -r name tmo cmd; do
	t0=$(date +%s)
	if listable "$cmd"; then ensure_loaded; fi
	# leoctl's test starts from an unloaded module
	[ "$name" = leoctl ] && grep -q '^leo ' /proc/modules && rmmod leo
	run_group "$name" "$tmo" "$cmd"
	echo "# group $name took $(($(date +%s) - t0)) s"
done <"$TMP/groups"

bad_now=$(dmesg | grep -cE "$BAD_LOG")
if [ "$bad_now" -gt "$bad_before" ]; then
	dmesg | grep -E -A15 "$BAD_LOG" | tail -60 | sed 's/^/# /'
	result fail "kernel log clean (no BUG/WARNING/Oops)" "$((bad_now - bad_before)) new lines"
else
	result ok "kernel log clean (no BUG/WARNING/Oops)"
fi

# the plan comes last: the groups that are not ours count only as they run
echo "1..$n"
echo "# suite took $(($(date +%s) - start)) s"
echo "# pass $passed, fail $failed, skip $skipped, total $n"
[ "$failed" = 0 ]
