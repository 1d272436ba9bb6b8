# Scenario "unknown-record": the sealed blob is sound but its one device
# record is of a version this kernel does not read (test knob
# unknown-record, sealed again after the change). The next kernel takes the
# blob, sends the device down the cold path with unknown-version, and,
# since nothing it can read says which pool pages that device may still
# write, holds the free pool until finish.
# The kexec is done by hand, as in corrupt-blob: the knob acts between the
# freeze and the jump.

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu fact 6
	dsvm_wait_edu fact_done 1
	dsvm_kexec_knob unknown-record knob
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say held "$(dmesg | grep -c 'devstate: incoming: 1 of 1 records unreadable; free DMA pool pages held until finish')"
	dsvm_edu_report cold
	dsvm_devstate_report
	echo finish > "$DS_SYS/control"
	dsvm_say finish $?
	dsvm_say released "$(dmesg | grep -c 'devstate: finish: .* [1-9][0-9]* pool pages released')"
	dsvm_say quarantined_after "$(grep '^pool_quarantined:' "$DS_DBG/status")"
}

check_unknown_record() {
	expect knob 0 1
	expect held 1 2
	expect ds_records_in 1 2
	expect ds_incoming_error none 2
	expect ds_pool_quarantined yes 2
	expect cold_path cold 2
	expect cold_reason unknown-version 2
	expect ds_adopted 0 2
	expect finish 0 2
	expect released 1 2
	expect quarantined_after 'pool_quarantined: no' 2
	expect oops 0 2
}
