#!/usr/bin/env bash
# The driver API in a real kernel, as TAP: boot a QEMU guest, load
# devstate.ko and ds_apitest.ko (tests/kernel/api/), freeze, kexec, check
# lookup/restore/reclaim in the second kernel. Each "DSAPI:" line the module
# logs becomes one TAP line; the guest's own reports add a few more.
#
# Reuses the QEMU harness of tests/vm (lib.sh, the guest init and helpers)
# without changing it: its images are built in build/vm-api, with the
# apitest module and scenario added. Run from the repository root.
set -u
cd "$(dirname "$0")/../.."

n=0; fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
finish() { echo "1..$n"; echo "# $((n - fails)) passed, $fails failed"; [ "$fails" -eq 0 ]; exit; }

if [ ! -f tests/vm/lib.sh ] || [ ! -f tests/vm/guest/init ]; then
	not_ok "the QEMU harness (tests/vm/lib.sh) is present"
	finish
fi
# shellcheck source=/dev/null
. tests/vm/lib.sh
# Our own directory: never overwrite the images of the vm suite.
VM_DIR_BASE=build/vm-api

# The harness's hook for a suite of its own: add our module and scenario
# to the guest's root file system.
vm_populate_extra() {
	[ -f "$VM_KMOD/tests/kernel/api/ds_apitest.ko" ] && cp "$VM_KMOD/tests/kernel/api/ds_apitest.ko" "$1/lib/modules/"
	cp tests/kernel/api/scenario.sh "$1/dsvm/apitest.sh"
}
vm_prepare
if [ ! -f "$VM_KMOD/devstate.ko" ] || [ ! -f "$VM_KMOD/tests/kernel/api/ds_apitest.ko" ]; then
	not_ok "devstate.ko and ds_apitest.ko build with DS_TESTING=1"
	sed 's/^/#   /' "$VM_DIR/modules.log" | tail -n 15
	finish
fi

# A bridge, a device behind it, MSI-X (virtio-rng, with a 64-entry table
# of which ds_apitest enables 40 vectors) and legacy I/O BARs (the IDE
# controller) give the records different shapes.
QEMU_EXTRA_ARGS="${QEMU_EXTRA_ARGS:-} -device virtio-rng-pci,vectors=64 -device pci-bridge,id=br1,chassis_nr=1 -device e1000,bus=br1,addr=3"
log=$VM_LOGS/apitest.log
vm_boot apitest "$(vm_cmdline apitest region)"
rc=$?
[ "$rc" -eq 124 ] && not_ok "guest finished within ${VM_TIMEOUT}s"

# One TAP line per DSAPI check, tagged with the stage it ran in.
stage=1
checks=0
while IFS= read -r line; do
	case "$line" in
	"DSVM: stage="*) stage=${line#DSVM: stage=} ;;
	*"DSAPI: ok - "*) checks=$((checks + 1)); ok "stage $stage: ${line#*DSAPI: ok - }" ;;
	*"DSAPI: not ok - "*) checks=$((checks + 1)); not_ok "stage $stage: ${line#*DSAPI: not ok - }" ;;
	esac
done < "$log"
if [ "$checks" -ge 40 ]; then
	ok "the module ran its checks ($checks)"
else
	not_ok "the module ran its checks (only $checks)"
fi

# expect KEY WANT STAGE: a value the guest reported.
expect() {
	local got
	got=$(vm_get "$log" "$1" "$3")
	if [ "$got" = "$2" ]; then
		ok "stage $3: $1 = $2"
	else
		not_ok "stage $3: $1 = $2 (got '${got:-<none>}')"
	fi
}

out=$(vm_get "$log" ds_records_out 1)
expect end 2 2
expect api_insmod 0 1
expect badlist_logged 1 1
expect toomany_logged 1 1
expect freeze_full 0 1
expect full_logged 1 1
expect records_full "${out:-none}" 1
expect freeze_badname 0 1
expect badname_logged 1 1
expect records_badname "${out:-none}" 1
expect freeze_undeclared 0 1
expect undeclared_logged 1 1
expect records_undeclared "${out:-none}" 1
expect freeze 0 1
expect fail_logged 1 1
expect ds_state frozen 1
expect devstate_insmod 0 2
expect finished_early 0 2
expect api_insmod 0 2
expect ds_records_in "${out:-none}" 2
# Every record adopted but one declined, one still pending (its buffer is
# checked after finish) and one its driver never kept alive at shutdown;
# those two and the function whose save failed (no record) are cold.
expect ds_adopted "$(( ${out:-3} - 3 ))" 2
reasons=$(grep -o 'DSVM: ds_cold_reason=.*' "$log" | sed 's/^DSVM: ds_cold_reason=//' | tr -d '\r')
for want in driver-declined not-kept-alive no-record; do
	if printf '%s\n' "$reasons" | grep -q " $want\$"; then
		ok "stage 2: a device is reported cold with $want"
	else
		not_ok "stage 2: a device is reported cold with $want (got '${reasons:-<none>}')"
	fi
done
expect ds_cold 3 2
expect ds_incoming_error none 2
expect refreeze 0 2
expect finish 0 2
expect finished_pool 1 2
for s in 1 2; do
	expect oops 0 "$s"
	expect warn 0 "$s"
done
reports=$(vm_kernel_reports "$log")
if [ -z "$reports" ]; then
	ok "no kernel report (BUG, WARNING, KASAN, lockdep, UBSAN...) in the serial log"
else
	not_ok "no kernel report (BUG, WARNING, KASAN, lockdep, UBSAN...) in the serial log"
	printf '%s\n' "$reports" | head -n 5 | sed 's/^/#   | /'
fi
[ "$fails" -eq 0 ] || vm_tail "$log"
finish
