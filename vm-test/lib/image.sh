# SPDX-License-Identifier: GPL-2.0
#
# Builds the cached parts of a leo test guest: the initramfs (busybox and
# the modules needed to reach the ext4 root), the uncompressed kernel for a
# direct PVH boot, and the base root tree (busybox,
# the host's iproute2, nftables, kmod and tpm2-tools with their libraries,
# and the kernel modules tests may load). Sourced by vm.sh; everything it
# builds lands in one directory named after a hash of its inputs, created
# atomically (built under a temporary name, then renamed) so concurrent
# runs either see a complete base or build their own.

# Modules the initramfs loads, in this order, to mount the ext4 root. The
# NIC driver is loaded here too so its link is up by the time the tests run.
INITRAMFS_MODULES=(virtio_ring virtio virtio_pci_modern_dev
	virtio_pci_legacy_dev virtio_pci virtio_blk crc32c_generic crc16
	mbcache jbd2 ext4 failover net_failover virtio_net)

# Modules available in the guest root (dependencies are added by
# modprobe --show-depends). Only what a test may need.
ROOT_MODULES=(failover net_failover virtio_net virtio_console veth dummy
	bridge macvlan ipvlan tun sch_netem
	nf_tables nf_conntrack nf_nat nf_defrag_ipv4 nf_defrag_ipv6
	nft_ct nft_chain_nat nft_nat nft_masq nft_redir nft_reject
	nft_reject_inet nft_reject_ipv4 nft_reject_ipv6 nft_fib nft_fib_inet
	nft_fib_ipv4 nft_fib_ipv6 nft_limit nft_log nft_quota nft_hash
	nft_numgen nft_socket nft_tproxy nft_connlimit nf_log_syslog
	nfnetlink_log nfnetlink_queue nft_queue
	tpm_vtpm_proxy xfrm_user xfrm_algo esp4 esp6 af_key)

# Host programs copied into the guest root, with their library closure.
# Debian's busybox runs its own applets in preference to programs on PATH,
# even from its shell, so the shells (sh is dash) and the programs that
# exec others (env, timeout, xargs, setsid) come from the host too.
ROOT_PROGRAMS=(/usr/bin/dash /usr/bin/bash /usr/bin/ip /usr/bin/ss
	/usr/sbin/nft /usr/sbin/tc /usr/bin/kmod /usr/bin/tpm2 /usr/bin/setsid
	/usr/bin/timeout /usr/bin/env /usr/bin/xargs)

# Libraries loaded with dlopen() that ldd cannot see: the TPM transports.
DLOPEN_LIBS=(/usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0
	/usr/lib/x86_64-linux-gnu/libtss2-tcti-swtpm.so.0
	/usr/lib/x86_64-linux-gnu/libtss2-tcti-mssim.so.0)

KMOD_LINKS=(insmod rmmod modprobe lsmod modinfo depmod)

# image_key: hash of everything that goes into the base image.
image_key() {
	{
		cat "$VM_LIB/image.sh" "$VM_LIB/initramfs-init" "$VM_LIB/guest-init"
		echo "$KVER"
		stat -L -c '%n %s %Y' "$KERNEL" /bin/busybox "${ROOT_PROGRAMS[@]}" \
			"/lib/modules/$KVER/modules.dep"
	} | sha256sum | cut -c1-16
}

# copy_file SRC ROOT: copy SRC to the same path under ROOT (dereferenced).
copy_file() {
	local src=$1 root=$2
	[ -e "$root$src" ] && return 0
	mkdir -p "$root$(dirname "$src")"
	cp -L "$src" "$root$src"
}

# copy_elf SRC ROOT [DST]: copy an ELF program or library and every shared
# library it needs (as ldd resolves them on the host) into ROOT.
copy_elf() {
	local src=$1 root=$2 dst=${3:-$1} lib needs
	if [ ! -e "$root$dst" ]; then
		mkdir -p "$root$(dirname "$dst")"
		cp -L "$src" "$root$dst"
	fi
	# ldd's output is read whole: `ldd | grep -q` under pipefail fails when
	# grep exits early and ldd dies of SIGPIPE, which left the TCTI
	# libraries out of the guest now and then ("cannot open TCTI")
	needs=$(ldd "$src" 2>/dev/null || true)
	for lib in $(grep -o '/[^ ]*' <<<"$needs" | sort -u); do
		copy_file "$lib" "$root"
	done
	if grep -q libtss2-tctildr <<<"$needs"; then
		for lib in "${DLOPEN_LIBS[@]}"; do
			[ -e "$lib" ] || continue
			copy_file "$lib" "$root"
			for dep in $(ldd "$lib" | grep -o '/[^ ]*' | sort -u); do
				copy_file "$dep" "$root"
			done
		done
	fi
}

is_elf() {
	[ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# copy_modules ROOT MOD...: copy modules and their dependencies for $KVER
# into ROOT/lib/modules and index them with depmod.
copy_modules() {
	local root=$1 line path
	shift
	for m in "$@"; do
		modprobe -S "$KVER" --show-depends "$m" 2>/dev/null
	done | while read -r line; do
		path=$(echo "$line" | awk '$1 == "insmod" {print $2}')
		[ -n "$path" ] && copy_file "$path" "$root"
	done
	mkdir -p "$root/lib/modules/$KVER"
	cp "/lib/modules/$KVER"/modules.{builtin,builtin.modinfo,order} \
		"$root/lib/modules/$KVER/"
	depmod -b "$root" "$KVER"
}

merged_usr_skeleton() {
	local root=$1
	mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,tmp,run,etc,root,opt/leo,mnt,var}
	ln -s usr/bin "$root/bin"
	ln -s usr/sbin "$root/sbin"
	ln -s usr/lib "$root/lib"
	ln -s usr/lib64 "$root/lib64"
	chmod 1777 "$root/tmp"
}

install_busybox() {
	local root=$1 applet
	cp /bin/busybox "$root/usr/bin/busybox"
	for applet in $(busybox --list-full); do
		applet=${applet#/}
		applet=${applet/#bin\//usr/bin/}
		applet=${applet/#sbin\//usr/sbin/}
		[ -e "$root/$applet" ] || ln -s /usr/bin/busybox "$root/$applet"
	done
}

build_initramfs() {
	local dir=$1 out=$2 m path
	merged_usr_skeleton "$dir"
	cp /bin/busybox "$dir/usr/bin/busybox"
	ln -s busybox "$dir/usr/bin/sh"
	mkdir -p "$dir/modules"
	for m in "${INITRAMFS_MODULES[@]}"; do
		path=$(modinfo -k "$KVER" -n "$m")
		case $path in
		/*) cp "$path" "$dir/modules/$m.ko" ;;
		*) ;; # built in
		esac
	done
	printf '%s\n' "${INITRAMFS_MODULES[@]}" >"$dir/modules/order"
	install -m 0755 "$VM_LIB/initramfs-init" "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
}

build_root() {
	local root=$1 p
	merged_usr_skeleton "$root"
	install_busybox "$root"
	for p in "${ROOT_PROGRAMS[@]}"; do
		# replaces busybox's applet of the same name
		rm -f "$root/usr/bin/${p##*/}" "$root/usr/sbin/${p##*/}"
		copy_elf "$p" "$root"
	done
	rm -f "$root/usr/bin/sh"
	ln -s dash "$root/usr/bin/sh"
	for p in "${KMOD_LINKS[@]}"; do
		rm -f "$root/usr/sbin/$p" "$root/usr/bin/$p"
		ln -s /usr/bin/kmod "$root/usr/sbin/$p"
	done
	for p in $(cd /usr/bin && ls tpm2_* 2>/dev/null); do
		ln -sf tpm2 "$root/usr/bin/$p"
	done
	copy_modules "$root" "${ROOT_MODULES[@]}"
	install -m 0755 "$VM_LIB/guest-init" "$root/usr/sbin/leo-vm-init"
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
	echo "hosts: files" >"$root/etc/nsswitch.conf"
	ln -s /proc/self/mounts "$root/etc/mtab"
}

# extract_vmlinux BZIMAGE OUT: the uncompressed kernel inside an
# xz-compressed bzImage, if it is an ELF with a PVH entry point. Booting it
# directly (PVH, with qboot) skips the decompressor, which takes several
# seconds under TCG. Returns 1 if that is not possible.
extract_vmlinux() {
	local bz=$1 out=$2 off
	off=$(grep -abo -m1 $'\xfd7zXZ\x00' "$bz" | cut -d: -f1 | head -1)
	[ -n "$off" ] || return 1
	# xz stops after the stream, so tail may die of SIGPIPE: keep it out of
	# the pipeline status
	xz -dc --single-stream < <(tail -c +$((off + 1)) "$bz") >"$out" 2>/dev/null ||
		return 1
	# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry point
	# (grep -c reads all of readelf's output: no SIGPIPE under pipefail)
	[ "$(readelf -n "$out" 2>/dev/null | grep -c 'note type: (0x00000012)')" -gt 0 ]
}

# ensure_base: sets BASE to a complete base directory for the current inputs.
ensure_base() {
	local key tmp
	key=$(image_key)
	BASE=$VM_DIR/base-$key
	[ -e "$BASE/done" ] && return 0
	mkdir -p "$VM_DIR"
	exec 9>"$VM_DIR/.base.lock"
	flock 9
	if [ ! -e "$BASE/done" ]; then
		echo "vm: building base image $key (cached in $BASE)" >&2
		tmp=$(mktemp -d "$VM_DIR/.base-tmp.XXXXXX")
		build_initramfs "$tmp/initramfs" "$tmp/initramfs.cpio.gz"
		rm -rf "$tmp/initramfs"
		build_root "$tmp/root"
		extract_vmlinux "$KERNEL" "$tmp/vmlinux" || rm -f "$tmp/vmlinux"
		touch "$tmp/done"
		rm -rf "$BASE"
		mv "$tmp" "$BASE"
		# Bases of older inputs, unless a run may have just started on one.
		find "$VM_DIR" -maxdepth 1 -name 'base-*' ! -name "base-$key" \
			-mmin +30 -exec rm -rf {} + 2>/dev/null || true
	fi
	flock -u 9
	exec 9>&-
}
