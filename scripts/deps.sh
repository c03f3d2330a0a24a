#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages leo needs to build and test, if missing.
# Idempotent: does nothing when everything is present.
set -euo pipefail

PKGS=(
	build-essential pkg-config clang libclang-rt-14-dev
	linux-headers-amd64 linux-image-amd64 linux-source
	qemu-system-x86 qemu-utils swtpm swtpm-tools busybox-static xz-utils
	e2fsprogs cpio kmod iproute2 nftables
	libnl-3-dev libnl-genl-3-dev libtss2-dev tpm2-tools
	libssl-dev libjson-c-dev libpcre2-dev libraft-dev libuv1-dev
	ima-evm-utils
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || { echo "deps: need root to install packages" >&2; exit 1; }
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Kernel headers and the guest kernel must be the same version; kver.sh
# decides it (for the module build and the guests alike) and says what is
# missing.
kver=$(./scripts/kver.sh)
echo "deps: kernel $kver (headers for leo.ko, image for the guests)"

# checkpatch and the kselftest harness come from Debian's linux-source.
./scripts/kernel-src.sh >/dev/null
