# SPDX-License-Identifier: GPL-2.0
#
# The root image of one run: the cached base root (hard links, never
# written to) plus leo.ko, the --add files and the command. Sourced by
# vm.sh after image.sh; uses TOP, ADDS, CMD, BASE and RUN_DIR.

# add_to_root SRC DST: copy a file or directory into the run's root.
add_to_root() {
	local src=$1 dst=$2 root=$RUN_DIR/root f
	rm -rf "${root:?}$dst"
	mkdir -p "$root$(dirname "$dst")"
	if [ -d "$src" ]; then
		cp -a "$src" "$root$dst"
		while IFS= read -r -d '' f; do
			if is_elf "$f"; then
				copy_elf "$f" "$root" "${dst}${f#"$src"}"
			fi
		done < <(find "$src" -type f \( -perm -u+x -o -name "*.so*" \) -print0)
	elif is_elf "$src"; then
		copy_elf "$src" "$root" "$dst"
	else
		cp -a "$src" "$root$dst"
	fi
}

# prepare_run_image: the base root (hard links, never written to) plus
# leo.ko, the --add files and the command, packed into one ext4 image
# that every guest opens with snapshot=on.
prepare_run_image() {
	local root=$RUN_DIR/root a src dst size
	cp -al "$BASE/root" "$root"
	[ -f "$TOP/leo.ko" ] && add_to_root "$TOP/leo.ko" /opt/leo/leo.ko
	for a in "${ADDS[@]}"; do
		src=${a%%:*}
		dst=/opt/leo/$(basename "$src")
		[[ $a == *:* ]] && dst=${a#*:}
		add_to_root "${src%/}" "$dst"
	done
	mkdir -p "$root/etc/leo-vm"
	printf '%s\n' "$CMD" >"$root/etc/leo-vm/cmd"
	size=$(du -sm "$root" | cut -f1)
	size=$((size + size / 4 + 64))
	truncate -s "${size}M" "$RUN_DIR/root.img"
	mke2fs -q -t ext4 -L leo-root -d "$root" -F "$RUN_DIR/root.img"
	rm -rf "$root"
}
