#!/usr/bin/env bash
# The QEMU suite: one boot (and one kexec) per scenario, one TAP line each.
# usage: tests/vm/run.sh [SCENARIO...]   (default: all, in a fixed order;
#        with VM_TRANSPORT=kho, those of KHO_SCENARIOS)
# See docs/vm-tests.md. Run from the repository root (make check-vm does).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/lib.sh

ALL_SCENARIOS="plumbing helper keepalive inflight-dma chain bridge cold no-devstate corrupt-blob unclaimed unknown-record mismatch mismatch-bar dump verify-predicts ivshmem-bridge ivshmem-mismatch-bar ivshmem-tamper iommu-pt iommu-translated iommu-pt-then-translated bridge-q35 ivshmem-bridge-q35 e1000-keepalive e1000-cold e1000-overflow e1000-corrupt"
ALL_SCENARIOS="$ALL_SCENARIOS nvme-keepalive nvme-inflight nvme-cold nvme-mismatch"
ALL_SCENARIOS="$ALL_SCENARIOS stress-lifecycle"
# Under VM_TRANSPORT=kho the default is the scenarios made for both
# transports (suite vm-kho@RELEASE of mk/check-matrix.sh), and kho-off,
# which only that transport has (named under region, it is skipped).
KHO_SCENARIOS="keepalive inflight-dma chain cold corrupt-blob kho-off mismatch e1000-keepalive nvme-keepalive"
if [ "${VM_TRANSPORT:-region}" = kho ]; then
	scenarios=${*:-$KHO_SCENARIOS}
else
	scenarios=${*:-$ALL_SCENARIOS}
fi

# expect KEY WANT [STAGE]: one assertion on a value the guest reported.
# Failures are printed as TAP comments and counted in $bad.
expect() {
	local got
	got=$(vm_get "$log" "$1" "${3:-}")
	if [ "$got" != "$2" ]; then
		echo "#   $name: ${1}${3:+ (stage $3)}: expected '$2', got '${got:-<none>}'"
		bad=$((bad + 1))
	fi
}

# expect_match KEY REGEX [STAGE]: like expect, for a pattern (grep -E).
expect_match() {
	local got
	got=$(vm_get "$log" "$1" "${3:-}")
	if ! printf '%s\n' "$got" | grep -qE -- "$2"; then
		echo "#   $name: ${1}${3:+ (stage $3)}: expected /$2/, got '${got:-<none>}'"
		bad=$((bad + 1))
	fi
}

# expect_log REGEX [COUNT]: the serial log has COUNT (default: at least one)
# lines matching REGEX.
expect_log() {
	local n
	n=$(grep -cE -- "$1" "$log")
	if { [ -n "${2:-}" ] && [ "$n" -ne "$2" ]; } || { [ -z "${2:-}" ] && [ "$n" -eq 0 ]; }; then
		echo "#   $name: log lines matching /$1/: ${2:-at least 1} expected, $n found"
		bad=$((bad + 1))
	fi
}

# scenario_unset: forget what the last scenario file defined.
scenario_unset() {
	unset -f stage1 stage2 stage3 stage4 stage5 scenario_noregion scenario_host_start scenario_host_finish
	unset -f scenario_setup scenario_skip
	unset STAGES DEVICES CMDLINE
}

vm_prepare
echo "TAP version 13"
n=0; passed=0; failed=0; t_all=$SECONDS
for name in $scenarios; do
	n=$((n + 1))
	file=tests/vm/scenarios/$name.sh
	if [ ! -f "$file" ]; then
		echo "not ok $n - $name: no such scenario"; failed=$((failed + 1)); continue
	fi
	# shellcheck source=/dev/null
	. "$file"
	# A scenario that does not apply to this run (scenario_skip prints
	# why, e.g. kho-off under the region transport) boots nothing.
	if declare -F scenario_skip >/dev/null && skip=$(scenario_skip) && [ -n "$skip" ]; then
		echo "ok $n - $name # SKIP $skip"
		scenario_unset
		continue
	fi
	log=$VM_LOGS/$name.log
	t0=$SECONDS
	region=region
	declare -F scenario_noregion >/dev/null && scenario_noregion && region=noregion
	# A scenario's host-side preparation (a disk image, its DEVICES) in a
	# folder of its own, made fresh for each run.
	if declare -F scenario_setup >/dev/null; then
		rm -rf "$VM_DIR/scenarios/$name" && mkdir -p "$VM_DIR/scenarios/$name" &&
			scenario_setup "$VM_DIR/scenarios/$name"
	fi
	vm_host_start
	# A scenario's CMDLINE words join the first kernel's command line
	# (devstate-kexec carries them on to the next one).
	vm_boot "$name" "$(vm_cmdline "$name" "$region")${CMDLINE:+ $CMDLINE}"
	rc=$?
	vm_host_finish "$log"
	secs=$((SECONDS - t0))
	bad=0; skip=
	if [ $rc -eq 124 ]; then
		echo "#   $name: guest hung: killed at its time limit (VM_TIMEOUT, ${VM_TIMEOUT}s; three times that on a debug kernel)"
		bad=$((bad + 1))
	fi
	reports=$(vm_kernel_reports "$log")
	if [ -n "$reports" ]; then
		echo "#   $name: the kernel reported a problem in the serial log:"
		printf '%s\n' "$reports" | head -n 5 | sed 's/^/#   | /'
		bad=$((bad + 1))
	fi
	skip=$(vm_get "$log" skip)
	if [ -z "$skip" ]; then
		expect end "${STAGES:-2}"
		"check_${name//-/_}"
	fi
	if [ -n "$skip" ] && [ $bad -eq 0 ]; then
		# Only the guest can say a part is missing (e.g. the tool): an
		# honest "not done yet", counted neither as pass nor fail.
		echo "ok $n - $name # SKIP $skip"
	elif [ $bad -eq 0 ]; then
		echo "ok $n - $name (${secs}s)"; passed=$((passed + 1))
	else
		echo "not ok $n - $name (${secs}s, $bad problems; log $log)"
		vm_tail "$log"
		failed=$((failed + 1))
	fi
	scenario_unset
done
echo "1..$n"
echo "# vm suite took $((SECONDS - t_all))s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
