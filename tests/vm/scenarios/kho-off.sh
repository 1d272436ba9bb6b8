# Scenario "kho-off": a KHO handover reaches a kernel booted without
# kho=on. The first kernel runs devstate under KHO (VM_TRANSPORT=kho),
# computes 9!, freezes and kexecs with kexec_file_load into a kernel whose
# command line lost kho=on but still asks for devstate.transport=kho, as an
# operator's would who dropped the one word. KHO still reserves the
# preserved pages there, but that kernel cannot hand anything on, so
# devstate loads with no transport and takes nothing: one log line says
# why, the status file gives the reason kho-off, and the edu driver
# initialises its device afresh and it works. Only meaningful under KHO:
# with the region transport it is skipped.

scenario_skip() {
	[ "$VM_TRANSPORT" = kho ] || echo "a KHO scenario: run it with VM_TRANSPORT=kho"
}

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say transport "$(cat "$DS_SYS/transport")"
	dsvm_edu fact 9
	dsvm_wait_edu fact_done 1
	dsvm_edu_report before
	dsvm_kexec_load 'kho=*' || return
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze $?
	kexec -e
	dsvm_say kexec_failed "$?"
}

stage2() {
	k=$(dsvm_cmdline_get kho)
	dsvm_say kho_word "${k:-none}"
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say transport "$(cat "$DS_SYS/transport")"
	dsvm_edu_report cold
	dsvm_edu fact 4
	dsvm_wait_edu fact_done 1
	dsvm_edu_report after
	dsvm_devstate_report
	dsvm_say bdf "$(dsvm_edu_bdf)"
}

check_kho_off() {
	# the first kernel handed over through KHO
	expect transport kho 1
	expect before_fact_result 362880 1
	expect freeze 0 1
	# the second ran without kho=on and had no transport
	expect kho_word none 2
	expect transport none 2
	# one line says why, and the status file gives the reason
	expect_log 'devstate: incoming: a KHO handover arrived, but this kernel runs without kho=on; all devices cold' 1
	expect_log 'devstate: incoming: (region|kho) sealed' 0
	expect ds_incoming_reason kho-off 2
	expect ds_adopted 0 2
	# edu cold for that reason, initialised afresh, and working
	expect cold_path cold 2
	expect cold_reason kho-off 2
	expect cold_inits 1 2
	expect_log 'devstate_edu .*devstate: cold path: kho-off' 1
	expect ds_cold_reason "$(vm_get "$log" bdf 2) kho-off" 2
	expect after_fact_result 24 2
	expect oops 0 2
	expect warn 0 2
}
