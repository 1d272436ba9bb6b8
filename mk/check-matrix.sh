#!/usr/bin/env bash
# The suites of one kernel of the matrix (tests/vm/kernels/kernels.sh),
# each named for the release it ran on:
#   kernel@RELEASE     build checks: plain and DS_TESTING builds, sparse
#                      (C=2), kernel-doc (tests/kernel/check-kernel.sh)
#   vm@RELEASE         the QEMU scenarios (tests/vm/run.sh)
#   kernel-vm@RELEASE  the driver API across a kexec (tests/kernel/vm-api.sh)
# usage: mk/check-matrix.sh NAME
# VM_SCENARIOS picks scenarios of the vm suite, as for tests/vm/run.sh.
# A kernel that cannot be installed or built is one failed test of its own,
# so it can never drop out of the count.
set -u
cd "$(dirname "$0")/.."
name=${1:?usage: mk/check-matrix.sh NAME}
results=build/results
mkdir -p "$results"

t0=$SECONDS
echo "# kernel $name: installing or building"
if ! k=$(tests/vm/kernels/kernels.sh ensure "$name"); then
	echo "not ok 1 - kernel $name installed or built (tests/vm/kernels/kernels.sh ensure $name)" |
		tee "$results/kernel@$name.tap"
	exit 0
fi
# shellcheck disable=SC2086 # three words: release, image, kdir
set -- $k
release=$1 kdir=$3
echo "# kernel $name: $release ready after $((SECONDS - t0))s"
echo "ensure@$release $((SECONDS - t0))" >>"$results/times.txt"

mk/run-suite.sh "kernel@$release" tests/kernel/check-kernel.sh "$kdir"
export VM_KERNEL_NAME=$name
# shellcheck disable=SC2086 # a list of scenario names
mk/run-suite.sh "vm@$release" tests/vm/run.sh ${VM_SCENARIOS:-}
mk/run-suite.sh "kernel-vm@$release" tests/kernel/vm-api.sh
exit 0
