#!/usr/bin/env bash
# The Debian 12 guest of the distro scenarios: a root file system made by
# mmdebstrap from Debian's packages (packages.txt), as an operator's host
# would have it, on one partition of a raw disk image, with the kernel and
# initramfs Debian installed in it copied beside for the first boot.
#
#   tests/vm/distro/rootfs.sh ensure   build it unless cached; print its folder
#   tests/vm/distro/rootfs.sh path     the folder it would be in
#
# Cached outside the clone (tests/vm/kernels/cache.sh: DEVSTATE_CACHE) under
# distro/KEY, KEY a hash of the package list and of this script, and rebuilt
# when missing. The folder holds disk.img (MBR, one ext4 partition at 1 MiB),
# vmlinuz, initrd.img and release (the guest kernel's uname -r). As root:
# mmdebstrap's chroot mode needs it, and mke2fs -d keeps the owners.
# The apt sources are the host's (deb.debian.org, or the mirror CI uses).
set -eu
cd "$(dirname "$0")/../../.."
. tests/vm/kernels/cache.sh
here=tests/vm/distro
SUITE=bookworm
DISK_MB=4096
PART_START=2048		# sectors: 1 MiB, room for GRUB's core image

die() { echo "distro: $*" >&2; exit 1; }

key() { cat "$here/packages.txt" "$here/rootfs.sh" | sha256sum | cut -c1-12; }
dir() { echo "$DEVSTATE_CACHE/distro/$SUITE-$(key)"; }

# packages: the list, comments and blank lines dropped, comma separated.
packages() { sed 's/#.*//' "$here/packages.txt" | xargs | tr ' ' ','; }

# The guest's own settings, written into the tree before it becomes a disk.
configure() {
	local root=$1
	echo dsvm-distro >"$root/etc/hostname"
	printf '/dev/vda1 / ext4 errors=remount-ro 0 1\n' >"$root/etc/fstab"
	# kexec-tools must not turn every reboot into a kexec: the scenario
	# asks for one, through systemctl kexec.
	sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$root/etc/default/kexec" 2>/dev/null || true
	# GRUB: straight to the kernel, its console on the serial port.
	cat >>"$root/etc/default/grub" <<'GRUB'
GRUB_TIMEOUT=0
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0,115200 panic=1"
GRUB_DISABLE_OS_PROBER=true
GRUB
	# The one hook the cached image has: run the scenario's script from
	# the disk labelled dsvm when there is one. Everything a scenario does
	# lives on that disk, made fresh for each run (distro.sh).
	cat >"$root/etc/systemd/system/dsvm-payload.service" <<'UNIT'
[Unit]
Description=devstate VM test: run the scenario on the disk labelled dsvm
ConditionPathExists=/dev/disk/by-label/dsvm
After=multi-user.target

[Service]
Type=oneshot
ExecStartPre=/bin/mkdir -p /media/dsvm
ExecStartPre=/bin/mount /dev/disk/by-label/dsvm /media/dsvm
ExecStart=/bin/sh /media/dsvm/run.sh
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0

[Install]
WantedBy=multi-user.target
UNIT
	ln -sf /etc/systemd/system/dsvm-payload.service \
		"$root/etc/systemd/system/multi-user.target.wants/dsvm-payload.service"
	# No login prompt over the scenario's lines.
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
}

# disk ROOT IMG: ROOT as ext4 on the image's first partition.
disk() {
	local root=$1 img=$2 size_kb
	rm -f "$img"
	truncate -s "${DISK_MB}M" "$img"
	echo "start=$PART_START, type=83, bootable" | sfdisk -q "$img"
	size_kb=$(( (DISK_MB * 1024) - (PART_START / 2) ))
	mke2fs -q -t ext4 -L dsvm-root -E offset=$((PART_START * 512)) -d "$root" "$img" "${size_kb}k"
}

build() {
	local out=$1 tmp=$1.tmp root rel
	[ "$(id -u)" -eq 0 ] || die "building the guest image needs root (mmdebstrap's chroot mode)"
	for t in mmdebstrap sfdisk mke2fs; do
		command -v "$t" >/dev/null || die "$t missing; run 'make deps-vm'"
	done
	rm -rf "$tmp" && mkdir -p "$tmp"
	root=$tmp/root
	echo "# distro: building the Debian $SUITE guest into $out" >&2
	# The host's sources, so a mirror or proxy the host uses is used here.
	grep -hv '^#' /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources 2>/dev/null >"$tmp/sources" || true
	DEBIAN_FRONTEND=noninteractive mmdebstrap --quiet --variant=apt \
		--include="$(packages)" \
		--aptopt='APT::Install-Recommends "false"' \
		"$SUITE" "$root" "$tmp/sources" >"$tmp/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$tmp/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $tmp/mmdebstrap.log)"; }
	configure "$root"
	rel=$(ls "$root/lib/modules" | sort -V | tail -1)
	[ -n "$rel" ] && [ -f "$root/boot/vmlinuz-$rel" ] || die "no kernel in the guest tree"
	cp "$root/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	cp "$root/boot/initrd.img-$rel" "$tmp/initrd.img"
	echo "$rel" >"$tmp/release"
	disk "$root" "$tmp/disk.img"
	rm -rf "$root" "$tmp/sources"
	mv "$tmp" "$out"
}

case "${1:-}" in
path) dir ;;
ensure)
	d=$(dir)
	# One builder at a time: make check starts one early, the suite's
	# own call waits for it here.
	mkdir -p "${d%/*}"
	exec 9>"${d%/*}/.lock"
	flock 9
	[ -f "$d/disk.img" ] || build "$d"
	echo "$d"
	;;
*) echo "usage: $0 ensure|path" >&2; exit 2 ;;
esac
