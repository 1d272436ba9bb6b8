# Scenario "mismatch-bar": the record of the edu device carries another BAR0
# start (devstate's test knob mismatch-bar). The next kernel must refuse to
# adopt: the device goes cold with the reason logged and shown by the
# driver, and it still works.

KNOB=mismatch-bar
REASON=bar-mismatch

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	echo "$KNOB $(dsvm_edu_bdf)" > "$DS_DBG/test"
	dsvm_say knob $?
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report cold
	dsvm_edu fact 3
	dsvm_wait_edu fact_done 1
	dsvm_edu_report after
	dsvm_devstate_report
	dsvm_say bdf "$(dsvm_edu_bdf)"
}

check_mismatch_bar() {
	expect knob 0 1
	expect cold_path cold 2
	expect cold_reason "$REASON" 2
	expect cold_inits 1 2
	expect ds_cold_reason "$(vm_get "$log" bdf 2) $REASON" 2
	expect after_fact_result 6 2
	expect oops 0 2
}
