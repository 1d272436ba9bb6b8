#!/usr/bin/env bash
# The kernel matrix of the VM suites: names a kernel series and makes its
# guest image and its headers (the KDIR modules build against) exist.
#
# usage: tests/vm/kernels/kernels.sh list
#          the default matrix, one name a line
#        tests/vm/kernels/kernels.sh ensure NAME
#          install or build NAME when missing; print "RELEASE IMAGE KDIR"
#        tests/vm/kernels/kernels.sh find NAME
#          the same without installing or building; fails when missing
#
# Names:
#   6.1    Debian 12's own kernel (linux-image-amd64, linux-headers-amd64)
#   6.12   Debian 13's series, as bookworm-backports builds it for Debian 12
#          (linux-image-6.12.*+deb12-amd64); installed by exact package name
#          through tests/vm/kernels/apt-suite.sh, so the machine's own apt
#          sources and its 6.1 metapackages stay as they are
#   7.2    upstream, built from Debian sid's linux-source-7.2 with the guest
#          config of config/guest.config (tests/vm/kernels/upstream.sh);
#          the matrix runs it as 7.2-debug, below
#   X.Y    any other upstream series sid ships as linux-source-X.Y
#          (or bookworm, for 6.1's own source)
#   X.Y-debug  the same series built as a debug kernel: guest.config plus
#          config/debug.config (KASAN, lockdep, UBSAN, KFENCE...), release
#          X.Y.Z-devstate-debug. The matrix's upstream kernel is one: it
#          adds a debug run at the cost of one build instead of two
#          (docs/vm-tests.md, "The kernel matrix")
set -eu
here=$(cd "$(dirname "$0")" && pwd)
DEFAULT_MATRIX="6.1 6.12 7.2-debug"
say() { echo "kernels: $*" >&2; }
die() { say "$*"; exit 1; }

# installed RELEASE-GLOB: "RELEASE IMAGE KDIR" of the newest installed
# Debian kernel whose image and headers both match RELEASE-GLOB.
installed() {
	local img rel
	for img in $(ls -1 /boot/vmlinuz-$1 2>/dev/null | sort -V -r); do
		rel=${img##*/vmlinuz-}
		if [ -r "$img" ] && [ -f "/usr/src/linux-headers-$rel/Makefile" ]; then
			echo "$rel $img /usr/src/linux-headers-$rel"
			return 0
		fi
	done
	return 1
}

# debian_61 MODE: Debian 12's kernel, which make deps-vm installs.
debian_61() {
	installed '6.1.*-amd64' && return 0
	[ "$1" = ensure ] || return 1
	"$here/../../../mk/deps.sh" vm >&2 || return 1
	installed '6.1.*-amd64'
}

# debian_backports MODE SERIES: the newest SERIES kernel of
# bookworm-backports whose headers are published too.
debian_backports() {
	local series=$2 abi img
	installed "$series.*+deb12-amd64" && return 0
	[ "$1" = ensure ] || return 1
	[ "$(id -u)" -eq 0 ] || die "kernel $series: run as root to install it from bookworm-backports"
	abi=$("$here/apt-suite.sh" bookworm-backports apt-cache search --names-only \
		"^linux-headers-${series//./\\.}\.[0-9]+\+deb12-amd64\$" |
		sed -n 's/^linux-headers-\([^ ]*\)-amd64 .*/\1/p' | sort -V | tail -n1)
	[ -n "$abi" ] || die "kernel $series: no linux-headers-$series.*+deb12-amd64 in bookworm-backports"
	img=linux-image-$abi-amd64
	"$here/apt-suite.sh" bookworm-backports apt-cache show "$img" >/dev/null 2>&1 ||
		img=$img-unsigned
	say "installing $img and linux-headers-$abi-amd64 from bookworm-backports"
	DEBIAN_FRONTEND=noninteractive "$here/apt-suite.sh" bookworm-backports -qq install -y \
		--no-install-recommends "$img" "linux-headers-$abi-amd64" >&2 || return 1
	installed "$series.*+deb12-amd64"
}

# upstream MODE SERIES [CONFIG...]: built from linux-source-SERIES and cached.
upstream() {
	local mode=$1
	shift
	if [ "$mode" = find ]; then
		# Only a finished build of the current config counts.
		DS_KERNELS_NO_BUILD=1 "$here/upstream.sh" "$@"
	else
		"$here/upstream.sh" "$@"
	fi
}

resolve() {
	local mode=$1 name=$2
	case "$name" in
	6.1) debian_61 "$mode" ;;
	6.12) debian_backports "$mode" "$name" ;;
	[0-9]*.[0-9]*-debug)
		DS_LOCALVERSION=-devstate-debug upstream "$mode" "${name%-debug}" \
			"$here/config/guest.config" "$here/config/debug.config" ;;
	[0-9]*.[0-9]*) upstream "$mode" "$name" ;;
	*) die "unknown kernel '$name' (names: $DEFAULT_MATRIX, or an upstream X.Y)" ;;
	esac
}

case "${1:-}" in
list) printf '%s\n' $DEFAULT_MATRIX ;;
ensure | find)
	[ -n "${2:-}" ] || die "usage: kernels.sh $1 NAME"
	if ! resolve "$1" "$2"; then
		[ "$1" = find ] && die "kernel $2 is not installed or built; run: tests/vm/kernels/kernels.sh ensure $2"
		die "kernel $2 could not be installed or built (see above)"
	fi
	;;
*) die "usage: kernels.sh list | ensure NAME | find NAME" ;;
esac
