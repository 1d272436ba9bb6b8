# Scenario "ivshmem-mismatch-bar": as ivshmem-bridge, but the record of the
# ivshmem device carries another BAR0 start (devstate's test knob
# mismatch-bar). The next kernel must not adopt: devstate's BAR check sends
# the device down the cold path with bar-mismatch, and the driver's cold
# path writes a fresh header over the shared memory (the pattern is gone).

# The helpers and devices of ivshmem-bridge: /dsvm in the guest, the
# repository on the host.
for f in /dsvm/ivshmem-bridge.sh tests/vm/scenarios/ivshmem-bridge.sh; do
	[ -f "$f" ] && . "$f" && break
done

stage1() { ivs_stage1 mismatch-bar; }

stage2() {
	ivs_where
	dsvm_insmod_devstate && ivs_insmod || return
	ivs_report cold
	dsvm_devstate_report
}

check_ivshmem_mismatch_bar() {
	expect knob 0 1
	expect filled_pattern_ok 1 1
	expect cold_path cold 2
	expect cold_reason bar-mismatch 2
	expect cold_inits 1 2
	# the cold path owns the memory: fresh header, data cleared
	expect cold_magic 0x56495344 2
	expect cold_generation 0 2
	expect cold_pattern_ok 0 2
	expect cold_word0 0x00000000 2
	expect ds_adopted 0 2
	expect ds_cold_reason "$(vm_get "$log" bdf 2) bar-mismatch" 2
	expect oops 0 2
}
