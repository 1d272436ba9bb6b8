#!/usr/bin/env bash
# A sparse that the kernel in KDIR accepts for `make C=2`, on stdout.
#
# usage: tests/vm/kernels/sparse.sh KDIR
#
# Newer kernels check their checker (scripts/checker-valid.sh: 7.x wants
# __typeof_unqual__, which Debian 12's sparse 0.6.4 lacks) and silently skip
# sparse when it fails, so an old sparse would make a C=2 build "clean" by
# checking nothing. When the machine's sparse does not pass that test, this
# builds the sparse of Debian sid's source package (nothing from sid is
# installed) once, into the devstate cache (cache.sh), and prints that.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
kdir=${1:?usage: sparse.sh KDIR}
say() { echo "sparse: $*" >&2; }

# valid SPARSE: the kernel's own verdict on SPARSE (always valid for kernels
# too old to have one).
valid() {
	local check=$kdir/scripts/checker-valid.sh
	[ -f "$check" ] || check=$kdir/source/scripts/checker-valid.sh
	[ -f "$check" ] || return 0
	[ "$(sh "$check" "$1" -m64 -mlittle-endian 2>/dev/null)" = 1 ]
}

if command -v sparse >/dev/null && valid "$(command -v sparse)"; then
	command -v sparse
	exit 0
fi

dir=$DEVSTATE_CACHE/tools
version=$("$here/apt-suite.sh" sid apt-cache showsrc sparse 2>/dev/null |
	sed -n 's/^Version: //p' | sort -V | tail -n1) || true
[ -n "$version" ] || version=$(ls -1d "$dir"/sparse-* 2>/dev/null | sed 's|.*/sparse-||' | sort -V | tail -n1)
[ -n "$version" ] || { say "no sparse source in sid and none cached"; exit 1; }
bin=$dir/sparse-$version/sparse
if [ ! -x "$bin" ]; then
	say "building sparse $version from Debian sid's source package"
	work=$dir/build-sparse
	rm -rf "$work" && mkdir -p "$work"
	(cd "$work" && "$here/apt-suite.sh" sid -qq -o APT::Sandbox::User=root \
		source "sparse=$version") >&2
	src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'sparse-*' | head -n1)
	[ -n "$src" ] || { say "apt-get source sparse unpacked nothing"; exit 1; }
	# The checker alone (no LLVM back end, no viewer), built and run with
	# this machine's gcc: Debian's patch names sid's gcc-16.
	make -C "$src" -j"$(nproc)" CC=gcc sparse >"$work/build.log" 2>&1 ||
		{ say "build failed; see $work/build.log"; exit 1; }
	mkdir -p "$(dirname "$bin")"
	cp "$src/sparse" "$bin.tmp" && mv "$bin.tmp" "$bin"
	rm -rf "$work"
fi
valid "$bin" || { say "sparse $version does not pass $kdir's checker test either"; exit 1; }
echo "$bin"
