#!/usr/bin/env bash
# Build an upstream guest kernel from Debian's linux-source-X.Y package
# (architecture-independent, so sid's can be used on Debian 12), once, and
# cache it outside the clone. Prints "RELEASE IMAGE KDIR" on stdout; the
# build's progress goes to stderr and to the build log.
#
# usage: tests/vm/kernels/upstream.sh SERIES [CONFIG...]
#   SERIES   the linux-source package series, e.g. 7.2
#   CONFIG   fragments merged over tinyconfig, in order (default:
#            config/guest.config); a debug kernel adds config/debug.config
#
# Cache (cache.sh: DEVSTATE_CACHE, default /var/cache/devstate as root):
#   src/linux-source-VERSION/          the extracted source, per package version
#   kernels/VERSION-HASH/{vmlinuz,build/,release,build.log}
# HASH covers the fragments, the compiler's version and this script's
# BUILD_REV, so a change to any of them builds a new kernel and a rerun with
# none skips the build. Only a finished build writes `release`: an
# interrupted one is started again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILD_REV=1
series=${1:?usage: upstream.sh SERIES [CONFIG...]}
shift
[ $# -gt 0 ] || set -- "$here/config/guest.config"
. "$here/cache.sh"
cache=$DEVSTATE_CACHE
say() { echo "kernels: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in gcc make bc flex bison dpkg-deb; do
	command -v "$tool" >/dev/null || die "$tool is missing (make deps-vm installs it)"
done

# The newest linux-source-SERIES of sid, or of bookworm for a series sid no
# longer has (6.1), downloaded through a private apt configuration; nothing
# from either is installed.
pkg=linux-source-$series
version=""
for suite in sid bookworm; do
	version=$("$here/apt-suite.sh" "$suite" apt-cache show "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -n1) || true
	[ -n "$version" ] && break
done
if [ -z "$version" ]; then
	# Offline, or sid has moved on: fall back to a version already cached.
	version=$(ls -1d "$cache"/src/"$pkg"-* 2>/dev/null | sed "s|.*/$pkg-||" | sort -V | tail -n1)
	[ -n "$version" ] || die "cannot find $pkg in sid and none is cached"
	say "sid not reachable; using cached $pkg $version"
fi

key=$(
	{
		echo "rev $BUILD_REV"
		gcc --version | head -n1
		cat "$@"
	} | sha256sum | cut -c1-12
)
out=$cache/kernels/$version-$key
if [ -s "$out/release" ] && [ -f "$out/vmlinuz" ]; then
	echo "$(cat "$out/release") $out/vmlinuz $out/build"
	exit 0
fi
# kernels.sh find: report, never build.
[ "${DS_KERNELS_NO_BUILD:-0}" = 1 ] && exit 1

src=$cache/src/$pkg-$version
if [ ! -f "$src/Makefile" ]; then
	say "fetching $pkg $version from $suite"
	dl=$cache/src/download
	rm -rf "$dl" "$src.tmp" && mkdir -p "$dl" "$src.tmp"
	# apt fetches as root here: the download folder is not _apt's.
	(cd "$dl" && "$here/apt-suite.sh" "$suite" -qq -o APT::Sandbox::User=root download "$pkg=$version") >&2
	dpkg-deb --fsys-tarfile "$dl"/"$pkg"_*.deb |
		tar -x -C "$dl" --wildcards "./usr/src/$pkg.tar.*"
	tar -x -C "$src.tmp" -f "$dl"/usr/src/"$pkg".tar.*
	rm -rf "$dl" "$src"
	mv "$src.tmp/$pkg" "$src"
	rmdir "$src.tmp"
fi

rm -rf "$out" && mkdir -p "$out/build"
log=$out/build.log
# What the fragments ask for, less the symbols this series predates (a
# small table, so that a misspelt symbol still fails the check below).
predates() { [ "$(printf '%s\n%s\n' "$series" "$1" | sort -V | head -n1)" = "$series" ] && [ "$series" != "$1" ]; }
drop=""
predates 6.16 && drop="$drop KEXEC_HANDOVER"
predates 6.19 && drop="$drop LIVEUPDATE"
frag=$out/fragments.config
cat "$@" >"$frag"
for sym in $drop; do
	sed -i "/^CONFIG_$sym=/d; /^# CONFIG_$sym is not set/d" "$frag"
	say "$series predates CONFIG_$sym: left out"
done
say "building $pkg $version (config $key) in $out; log $log"
localversion=${DS_LOCALVERSION:--devstate}
kmake() { make -C "$src" O="$out/build" LOCALVERSION="$localversion" "$@" >>"$log" 2>&1; }
kmake tinyconfig || die "tinyconfig failed; see $log"
cat "$frag" >>"$out/build/.config"
kmake olddefconfig || die "olddefconfig failed; see $log"

# Every line of the fragments must have survived Kconfig's dependencies.
lost=""
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/build/.config" || lost="$lost ${line%%=*}" ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		grep -q "^$sym=" "$out/build/.config" && lost="$lost $sym"
		;;
	esac
done <"$frag"
[ -z "$lost" ] || die "Kconfig did not keep:$lost (see $out/build/.config)"

kmake -j"$(nproc)" bzImage modules || die "kernel build failed; see $log"
cp "$out/build/arch/x86/boot/bzImage" "$out/vmlinuz"
make -s -C "$src" O="$out/build" LOCALVERSION="$localversion" kernelrelease >"$out/release.tmp"
mv "$out/release.tmp" "$out/release"
say "built $(cat "$out/release")"
echo "$(cat "$out/release") $out/vmlinuz $out/build"
