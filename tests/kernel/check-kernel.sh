#!/usr/bin/env bash
# Build checks of devstate.ko, as TAP. Run from the repository root:
#   tests/kernel/check-kernel.sh KDIR
#
# Every build happens in a fresh copy of Kbuild + sdk/ under
# build/kernel-check/, so the checks see what a clean clone builds and never
# touch the modules of the working tree. The sparse and kernel-doc checks
# each come with a planted fault they must catch, so a checker that silently
# stopped working fails the suite instead of passing it.
set -u

kdir=${1:-}
work=build/kernel-check/$(mk/kernel-release.sh "${kdir:-.}")
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# show LOG: the tail of a log as TAP comments, after a failure.
show() { tail -n "${2:-20}" "$1" | sed 's/^/#   /'; }

# sparse_count LOG: diagnostics sparse printed ("file:line:col: warning: ...").
sparse_count() { grep -cE '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$1" || true; }
# kdoc_count LOG: warnings kernel-doc printed ("warning:" from the perl
# kernel-doc of 6.1 and 6.12, "Warning:" from the python one of 7.x).
kdoc_count() { grep -ci 'warning:' "$1" || true; }

# fresh NAME: a copy of what Kbuild builds (no objects), to build in. An
# object left from an earlier build would make Kbuild (and so sparse) skip
# its file.
fresh() {
	local d=$work/$1
	rm -rf "$d"
	mk/kmod-tree.sh "$d"
	echo "$d"
}

# kmake DIR ARGS...: Kbuild in DIR. DIR must be absolute for M=.
kmake() {
	local d; d=$(cd "$1" && pwd); shift
	# Without the caller's make flags: `make -s check-kernel` would
	# silence the CHECK lines the sparse test counts.
	env -u MAKEFLAGS -u MFLAGS make -C "$kdir" M="$d" "$@"
}

if [ -z "$kdir" ] || [ ! -d "$kdir" ]; then
	echo "1..1"
	not_ok "kernel headers found (KDIR='$kdir'; run 'make deps')"
	exit 1
fi
echo "# KDIR=$kdir"
mkdir -p "$work"

# 1. A plain build from clean sources.
src=$(fresh plain)
if kmake "$src" modules >"$work/plain.log" 2>&1 && [ -f "$src/devstate.ko" ]; then
	ok "make modules builds devstate.ko from clean sources"
else
	not_ok "make modules builds devstate.ko from clean sources"
	show "$work/plain.log"
fi
check "the build prints no compiler warning" \
	test "$(grep -c 'warning:' "$work/plain.log")" -eq 0

# Kbuild lists devstate.ko's objects by name; a source file of the core
# that it does not name would silently stay out of the module.
listed=$(printf 'src := .\ninclude Kbuild\nall: ; @echo $(devstate-y)\n' |
	 env -u MAKEFLAGS -u MFLAGS make -s -f - all 2>/dev/null)
unlisted=""
for f in sdk/core/shared/*.c sdk/core/kernel/*.c; do
	case " $listed " in *" ${f%.c}.o "*) ;; *) unlisted="$unlisted $f" ;; esac
done
check "Kbuild lists every .c of sdk/core/shared and sdk/core/kernel${unlisted:+ (missing:$unlisted)}" \
	test -z "$unlisted" -a -n "$listed"

# 2. Every function of the driver API, and the table drivers find it
# through, is exported to GPL modules in the namespace DEVSTATE (6.1's
# Module.symvers: "crc sym module EXPORT_SYMBOL_GPL NS").
missing=""
for fn in ds_driver_api $(grep -oE '^[a-z_ ]*[ *](ds_[a-z0-9_]+)\(' sdk/include/devstate/driver.h |
	    grep -oE 'ds_[a-z0-9_]+\(' | tr -d '(' | sort -u); do
	grep -qE "[[:space:]]$fn[[:space:]]+.*EXPORT_SYMBOL_GPL[[:space:]]+DEVSTATE\$" "$src/Module.symvers" 2>/dev/null ||
		missing="$missing $fn"
done
nfn=$(grep -oE '^[a-z_ ]*[ *](ds_[a-z0-9_]+)\(' sdk/include/devstate/driver.h |
      grep -oE 'ds_[a-z0-9_]+\(' | sort -u | wc -l)
if [ -z "$missing" ] && [ -s "$src/Module.symvers" ] && [ "$nfn" -gt 0 ]; then
	ok "all $nfn driver.h functions and ds_driver_api are EXPORT_SYMBOL_GPL in namespace DEVSTATE"
else
	not_ok "every driver.h function is EXPORT_SYMBOL_GPL in DEVSTATE; missing:${missing:- Module.symvers}"
fi
nsother=$(awk '$5 != "DEVSTATE"' "$src/Module.symvers" 2>/dev/null | wc -l)
check "no export of devstate.ko outside the namespace DEVSTATE ($nsother)" test "$nsother" -eq 0

# A driver has no link-time dependency on devstate.ko: it loads without it.
for m in drivers/examples/edu/devstate_edu drivers/examples/ivshmem/devstate_ivshmem \
	 drivers/examples/e1000/devstate_e1000 drivers/examples/nvme/devstate_nvme; do
	dep=$(modinfo -F depends "$src/$m.ko" 2>/dev/null)
	ns=$(modinfo -F import_ns "$src/$m.ko" 2>/dev/null)
	check "${m##*/}.ko depends on no module ('$dep') and imports DEVSTATE ('$ns')" \
		test -f "$src/$m.ko" -a -z "$dep" -a "$ns" = DEVSTATE
done

# 3. The module's parameters are there; the test knob is not.
params=$(modinfo -F parm "$src/devstate.ko" 2>/dev/null | cut -d: -f1 | sort | tr '\n' ' ')
check "module parameters are region, transport and finish_timeout (got: $params)" \
	test "$params" = "finish_timeout region transport "
check "a plain build has no fault-injection knob" \
	bash -c "! grep -q corrupt-blob '$src/devstate.ko'"

# 4. DS_TESTING=1 compiles the knob in. The same build runs sparse (5.),
# so each kernel of the matrix pays for two builds, not three.
# The sparse this kernel accepts: 7.x refuses Debian 12's 0.6.4 and would
# then skip the check without failing (tests/vm/kernels/sparse.sh).
sparse_args=()
sparse_bin=$(tests/vm/kernels/sparse.sh "$kdir") && sparse_args=(C=2 CHECK="$sparse_bin")
tsrc=$(fresh testing)
kmake "$tsrc" modules DS_TESTING=1 "${sparse_args[@]}" >"$work/testing.log" 2>&1
if [ -f "$tsrc/devstate.ko" ] && grep -q corrupt-blob "$tsrc/devstate.ko"; then
	ok "make modules DS_TESTING=1 builds the fault-injection knob in"
else
	not_ok "make modules DS_TESTING=1 builds the fault-injection knob in"
	show "$work/testing.log"
fi

# 5. sparse: zero diagnostics over every source file, for real.
if [ ${#sparse_args[@]} -eq 0 ]; then
	not_ok "a sparse this kernel accepts (tests/vm/kernels/sparse.sh $kdir; 'make deps' installs Debian's)"
else
	ssrc=$tsrc
	nsrc=0; nchk=0
	# sdk/core/user is the userspace library's own, never in the module.
	for f in $(cd "$ssrc" && find sdk/core/shared sdk/core/kernel -name '*.c'); do
		nsrc=$((nsrc + 1))
		grep -qE "^  CHECK +(.*/)?$f\$" "$work/testing.log" && nchk=$((nchk + 1))
	done
	check "sparse ran on every kernel-side sdk/core source file ($nchk of $nsrc)" \
		test "$nchk" -eq "$nsrc" -a "$nsrc" -gt 0
	cnt=$(sparse_count "$work/testing.log")
	if [ "$cnt" -eq 0 ]; then
		ok "make C=2 modules: 0 sparse warnings"
	else
		not_ok "make C=2 modules: $cnt sparse warnings"
		grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$work/testing.log" |
			head -n 20 | sed 's/^/#   /'
	fi

	# Planted fault: a big-endian field read as a plain integer.
	p=$work/sparse-plant
	rm -rf "$p" && mkdir -p "$p"
	echo 'obj-m := plant.o' >"$p/Kbuild"
	cat >"$p/plant.c" <<-'EOF'
	#include <linux/module.h>
	static __be32 plant_field;
	u32 plant_read(void);
	u32 plant_read(void) { return plant_field; }
	EXPORT_SYMBOL_GPL(plant_read);
	MODULE_LICENSE("GPL");
	EOF
	kmake "$p" "${sparse_args[@]}" modules >"$work/sparse-plant.log" 2>&1
	cnt=$(sparse_count "$work/sparse-plant.log")
	check "sparse check catches a planted endianness bug ($cnt warnings)" \
		test "$cnt" -gt 0
fi

# 6. kernel-doc: the driver API and the core document cleanly.
# Debian's headers carry kernel-doc; an O= kernel build tree has it in its
# source tree (build/source).
kdoc=$kdir/scripts/kernel-doc
[ -x "$kdoc" ] || kdoc=$kdir/source/scripts/kernel-doc
if [ ! -x "$kdoc" ]; then
	not_ok "kernel-doc found at $kdoc"
else
	"$kdoc" -none sdk/include/devstate/driver.h sdk/include/devstate/match.h \
		>"$work/kdoc.log" 2>&1
	"$kdoc" -v -none sdk/include/devstate/driver.h sdk/include/devstate/match.h \
		sdk/core/kernel/*.c \
		2>&1 | grep -vi '^info: \| info: ' >"$work/kdoc-v.log"
	cnt=$(kdoc_count "$work/kdoc.log")
	check "kernel-doc -none driver.h: $cnt warnings" test "$cnt" -eq 0
	cnt=$(kdoc_count "$work/kdoc-v.log")
	check "kernel-doc -v -none driver.h and the core: $cnt warnings" test "$cnt" -eq 0
	[ "$cnt" -eq 0 ] || show "$work/kdoc-v.log"

	# Planted fault: a documented function with an undocumented parameter.
	printf '/**\n * plant() - a function\n * @a: first\n */\nint plant(int a, int b);\n' \
		>"$work/kdoc-plant.h"
	"$kdoc" -none "$work/kdoc-plant.h" >"$work/kdoc-plant.log" 2>&1
	cnt=$(kdoc_count "$work/kdoc-plant.log")
	check "kernel-doc check catches a planted undocumented parameter" \
		test "$cnt" -gt 0
fi

echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
