#!/usr/bin/env bash
# Lay out what Kbuild compiles in DIR, away from the source tree: Kbuild and
# the kernel sources (*.c, *.h, Kbuild) of sdk/, drivers/ and
# tests/kernel/api/. Modules are built there (make -C KDIR M=DIR), so no
# build product lands beside the sources and each kernel release has its own
# objects.
#
# usage: mk/kmod-tree.sh DIR
# Sources keep their modification times, so a second run rebuilds only what
# changed; sources gone from the tree are removed from DIR first, so
# nothing stale is compiled.
set -eu
cd "$(dirname "$0")/.."
dir=${1:?usage: mk/kmod-tree.sh DIR}
parts="sdk drivers tests/kernel/api"
mkdir -p "$dir"
if [ -d "$dir/sdk" ]; then
	(cd "$dir" && find . \( -name '*.c' -o -name '*.h' -o -name Kbuild \) \
		! -name '*.mod.c' -delete)
fi
cp -p Kbuild "$dir/"
for p in $parts; do
	[ -d "$p" ] || continue
	find "$p" \( -name '*.c' -o -name '*.h' -o -name Kbuild \) ! -name '*.mod.c' -print0 |
		cpio --null -pdmu --quiet "$dir"
done
