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
	# lives on that disk, made fresh for each run (run.sh). The unit waits
	# for udev's link to the disk, which may come after the condition
	# would first be checked.
	cat >"$root/etc/systemd/system/dsvm-payload.service" <<'UNIT'
[Unit]
Description=devstate VM test: run the scenario on the disk labelled dsvm
Wants=dev-disk-by\x2dlabel-dsvm.device
After=dev-disk-by\x2dlabel-dsvm.device multi-user.target
ConditionPathExists=/dev/disk/by-label/dsvm

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
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
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

# sources DIR: the host's apt sources, one file each (mmdebstrap reads each
# in its own format), so a mirror the host uses is used here too; Debian's
# own mirror when the host names none.
sources() {
	local f n=0
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -q '^[^#[:space:]]' "$f" || continue
		n=$((n + 1))
		cp "$f" "$1/$n-${f##*/}"
		echo "$1/$n-${f##*/}"
	done
	[ "$n" -gt 0 ] || echo "http://deb.debian.org/debian"
}

# scrub DIR: remove a build's leftovers. mmdebstrap bind-mounts /proc, /sys
# and /dev into the tree it builds; a build that was killed leaves them
# there, and rm must not walk into the host's.
scrub() {
	[ -e "$1" ] || return 0
	grep -o " $1/[^ ]*" /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$1"
}

build() {
	local out=$1 tmp=$1.tmp root rel
	[ "$(id -u)" -eq 0 ] || die "building the guest image needs root (mmdebstrap's chroot mode); make check-vm VM_DISTRO=0 leaves the distro suite out"
	for t in mmdebstrap sfdisk mke2fs; do
		command -v "$t" >/dev/null || die "$t missing; run 'make deps-vm'"
	done
	scrub "$tmp" && mkdir -p "$tmp/apt"
	root=$tmp/root
	echo "# distro: building the Debian $SUITE guest into $out" >&2
	# shellcheck disable=SC2046 # one word per sources file
	DEBIAN_FRONTEND=noninteractive mmdebstrap --quiet --variant=apt \
		--include="$(packages)" \
		--aptopt='APT::Install-Recommends "false"' \
		"$SUITE" "$root" $(sources "$tmp/apt") >"$tmp/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$tmp/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $tmp/mmdebstrap.log)"; }
	configure "$root"
	rel=$(ls "$root/lib/modules" | sort -V | tail -1)
	[ -n "$rel" ] && [ -f "$root/boot/vmlinuz-$rel" ] || die "no kernel in the guest tree"
	cp "$root/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	cp "$root/boot/initrd.img-$rel" "$tmp/initrd.img"
	echo "$rel" >"$tmp/release"
	disk "$root" "$tmp/disk.img"
	scrub "$root" && rm -rf "$tmp/apt"
	scrub "$out" && mv "$tmp" "$out"
}

# prune KEEP: older images (other keys) go once a new one is built: each
# is 1.3 GB.
prune() {
	local d
	for d in "${1%/*}"/*; do
		[ -d "$d" ] && [ "$d" != "$1" ] && scrub "$d"
	done
	return 0
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
	if [ ! -f "$d/disk.img" ]; then
		build "$d"
		prune "$d"
	fi
	echo "$d"
	;;
*) echo "usage: $0 ensure|path" >&2; exit 2 ;;
esac
