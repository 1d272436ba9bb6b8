#!/usr/bin/env bash
# Lay out what Kbuild compiles in DIR, away from the source tree: Kbuild and
# the kernel sources (*.c, *.h, Kbuild) of sdk/, drivers/ and
# tests/kernel/api/. Modules are built there (make -C KDIR M=DIR), so no
# build product lands beside the sources and each kernel release has its own
# objects.
#
# usage: mk/kmod-tree.sh DIR
# A file is copied only when its content differs from DIR's copy, and the
# copy gets the time of copying, not the source's: so a second run rebuilds
# exactly what changed, and an edit made while an earlier build was still
# compiling (its object then newer than the edited source) is never taken
# for up to date. Sources gone from the tree are removed from DIR, so
# nothing stale is compiled.
set -eu
cd "$(dirname "$0")/.."
dir=${1:?usage: mk/kmod-tree.sh DIR}
parts="sdk drivers tests/kernel/api"
mkdir -p "$dir"

# sources: every file Kbuild may read, relative to the repository
sources() {
	echo Kbuild
	for p in $parts; do
		[ -d "$p" ] || continue
		find "$p" \( -name '*.c' -o -name '*.h' -o -name Kbuild \) ! -name '*.mod.c'
	done
}

list=$(sources | sort)
# Drop what the tree no longer has.
(cd "$dir" && find . \( -name '*.c' -o -name '*.h' -o -name Kbuild \) ! -name '*.mod.c' |
	sed 's|^\./||' | sort) | comm -13 <(printf '%s\n' "$list") - |
	while IFS= read -r gone; do rm -f "$dir/$gone"; done
printf '%s\n' "$list" | while IFS= read -r f; do
	if ! cmp -s "$f" "$dir/$f"; then
		mkdir -p "$dir/$(dirname "$f")"
		cp "$f" "$dir/$f"
	fi
done
