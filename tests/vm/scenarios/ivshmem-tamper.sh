# Scenario "ivshmem-tamper": as ivshmem-bridge, but one word of the shared
# memory changes after the save hook took its checksum (the driver's test
# command tamper-at-jump, in .shutdown: a stand-in for a peer writing
# during the kexec). devstate's checks all pass; the driver's own check
# must find the change and decline (ds_decline), and the device goes cold.

for f in /dsvm/ivshmem-bridge.sh tests/vm/scenarios/ivshmem-bridge.sh; do
	[ -f "$f" ] && . "$f" && break
done

stage1() { ivs_stage1 tamper-at-jump; }

stage2() {
	ivs_where
	dsvm_insmod_devstate && ivs_insmod || return
	ivs_report cold
	dsvm_devstate_report
}

check_ivshmem_tamper() {
	expect knob 0 1
	expect_log 'devstate_ivshmem .*: shutdown: changed one data word after the freeze' 1
	expect cold_path cold 2
	expect cold_reason 'shared memory changed' 2
	expect cold_inits 1 2
	# the old kernel's checksum was restored, and is not the live one
	expect cold_saved_crc32 "$(vm_get "$log" filled_crc32 1)" 2
	expect_log 'cold path: driver declined: shared memory changed' 1
	expect ds_adopted 0 2
	expect ds_cold_reason "$(vm_get "$log" bdf 2) driver-declined" 2
	expect oops 0 2
}
