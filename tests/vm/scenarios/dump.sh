# Scenario "dump": in the second kernel, `devstate dump` (the inspection
# tool, build/bin/devstate) shows the blob the first kernel handed over,
# with the edu device's record and its driver state. The jump uses
# kexec_file_load (devstate-kexec --file-load). Skipped, and said so,
# when the tool has not been built.

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu fact 9
	dsvm_wait_edu fact_done 1
	dsvm_kexec_keepalive --file-load
}

stage2() {
	if ! command -v devstate >/dev/null; then
		dsvm_say skip "the devstate tool (build/bin/devstate) is not built yet"
		return
	fi
	dsvm_insmod_devstate || return
	devstate dump > /tmp/dump.txt 2>&1
	dsvm_say dump_rc $?
	sed 's/^/DUMP: /' /tmp/dump.txt
	# values the tool found in the incoming blob (its plain output)
	dsvm_say dump_edu "$(sed -n '/^== incoming ==/,/^== outgoing ==/p' /tmp/dump.txt | grep -c '1234:11e8')"
	dsvm_say dump_driver "$(sed -n '/^== incoming ==/,/^== outgoing ==/p' /tmp/dump.txt | grep -c 'Driver: devstate_edu')"
	dsvm_say dump_state "$(grep -c 'devstate-edu,state-v1' /tmp/dump.txt)"
	dsvm_say dump_fact "$(grep -E 'fact-in|fact-result' /tmp/dump.txt | tr -s ' \t' ' ' | tr '\n' ';')"
}

check_dump() {
	expect dump_rc 0 2
	expect_match dump_edu '^[1-9]' 2
	expect_match dump_driver '^[1-9]' 2
	expect_match dump_state '^[1-9]' 2
	# the driver state the first kernel saved: 9! as the device computed it
	expect dump_fact ' fact-in = <0x00000009>; fact-result = <0x00058980>;' 2
	expect oops 0 2
}
