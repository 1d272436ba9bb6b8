#!/usr/bin/env bash
# The suites of the kernels of the matrix (tests/vm/kernels/kernels.sh),
# each named for the release it ran on:
#   kernel@RELEASE     build checks: plain and DS_TESTING builds, sparse
#                      (C=2), kernel-doc (tests/kernel/check-kernel.sh)
#   vm@RELEASE         the QEMU scenarios (tests/vm/run.sh)
#   kernel-vm@RELEASE  the driver API across a kexec (tests/kernel/vm-api.sh)
# On a debug kernel (NAME X.Y-debug) the last two are vm-debug@RELEASE and
# kernel-vm-debug@RELEASE, and its lane starts first: it is the longest.
#   vm-kho@RELEASE     on a kernel built with CONFIG_KEXEC_HANDOVER=y (the
#                      matrix's 7.2-debug; not Debian's 6.1 and 6.12): the
#                      QEMU scenarios again with VM_TRANSPORT=kho, devstate
#                      handing over through Kexec HandOver instead of the
#                      memmap= region (VM_KHO_SCENARIOS, default run.sh's
#                      KHO_SCENARIOS), after the kernel's other suites
#   distro@RELEASE     the operator's path on a Debian 12 guest with systemd
#                      (tests/vm/distro/run.sh), in a lane of its own after
#                      the kernels' lanes, unless VM_DISTRO=0; RELEASE is
#                      the guest image's own kernel (Debian's 6.1)
# usage: mk/check-matrix.sh NAME...
# VM_SCENARIOS picks scenarios of the vm suite, as for tests/vm/run.sh;
# VM_KHO_SCENARIOS those of the vm-kho suite.
# VM_JOBS kernels run their suites at once (default: the number of CPUs,
# since a TCG guest keeps one CPU busy and leaves the rest idle).
# A kernel that cannot be installed or built is one failed test of its own,
# so it can never drop out of the count.
set -u
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || { echo "usage: mk/check-matrix.sh NAME..." >&2; exit 2; }
results=build/results
mkdir -p "$results"

# ensure NAME: install or build the kernel, one after the other (apt and
# the kernel build each want the whole machine); prints its three words.
ensure() {
	local name=$1 t0=$SECONDS k
	echo "# kernel $name: installing or building" >&2
	if ! k=$(tests/vm/kernels/kernels.sh ensure "$name"); then
		echo "not ok 1 - kernel $name installed or built (tests/vm/kernels/kernels.sh ensure $name)" |
			tee "$results/kernel@$name.tap" >&2
		return 1
	fi
	# shellcheck disable=SC2086 # three words: release, image, kdir
	set -- $k
	echo "# kernel $name: $1 ready after $((SECONDS - t0))s" >&2
	echo "ensure@$1 $((SECONDS - t0))" >>"$results/times.txt"
	echo "$k"
}

# suites NAME RELEASE KDIR: the suites of one kernel.
suites() {
	local v=
	case "$1" in *-debug) v=-debug ;; esac
	mk/run-suite.sh "kernel@$2" tests/kernel/check-kernel.sh "$3"
	# shellcheck disable=SC2086 # a list of scenario names
	VM_KERNEL_NAME=$1 mk/run-suite.sh "vm$v@$2" tests/vm/run.sh ${VM_SCENARIOS:-}
	VM_KERNEL_NAME=$1 mk/run-suite.sh "kernel-vm$v@$2" tests/kernel/vm-api.sh
	if (. tests/vm/lib.sh && vm_kho_built "$3" "$2"); then
		# shellcheck disable=SC2086 # a list of scenario names
		VM_KERNEL_NAME=$1 VM_TRANSPORT=kho mk/run-suite.sh "vm-kho@$2" \
			tests/vm/run.sh ${VM_KHO_SCENARIOS:-}
	fi
}

# The distro guest's image builds from Debian's packages beside the kernel
# builds (it waits on the network and dpkg more than on the CPU), so a
# fresh machine does not wait for it at the end; its lane takes the lock
# rootfs.sh holds and finds it ready. Started from a subshell, so it is not
# a child of this shell and the lanes' wait -n never counts it.
distro=${VM_DISTRO:-1}
if [ "$distro" = 1 ]; then
	( tests/vm/distro/rootfs.sh ensure >"$results/distro-image.log" 2>&1 & )
fi

# distro_suite: suite distro@RELEASE, named for the guest image's kernel.
distro_suite() {
	local rel=debian12 f
	# the background build's result, if it came; run.sh itself says why not
	f=$(tests/vm/distro/rootfs.sh path)/release
	[ -f "$f" ] && rel=$(cat "$f")
	mk/run-suite.sh "distro@$rel" tests/vm/distro/run.sh
}

ready=()
for name in "$@"; do
	k=$(ensure "$name") || continue
	case "$name" in
	*-debug) ready=("$name $k" ${ready[@]+"${ready[@]}"}) ;;
	*) ready+=("$name $k") ;;
	esac
done

# Each kernel's suites in a lane of their own; a lane's output is printed
# whole when it ends, so the suites never interleave on the terminal.
jobs=${VM_JOBS:-$(nproc)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
lanes=$results/lanes
mkdir -p "$lanes"
running=0
for entry in "${ready[@]}"; do
	# shellcheck disable=SC2086 # four words: name, release, image, kdir
	set -- $entry
	if [ "$running" -ge "$jobs" ]; then
		wait -n; running=$((running - 1))
	fi
	( suites "$1" "$2" "$4" >"$lanes/$1.log" 2>&1
	  flock "$lanes" cat "$lanes/$1.log" ) &
	running=$((running + 1))
done
# The distro lane last: it is shorter than a kernel's, and starts when the
# first kernel lane ends.
if [ "$distro" = 1 ]; then
	[ "$running" -lt "$jobs" ] || wait -n
	( distro_suite >"$lanes/distro.log" 2>&1
	  flock "$lanes" cat "$lanes/distro.log" ) &
fi
wait
exit 0
