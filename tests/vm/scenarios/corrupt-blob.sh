# Scenario "corrupt-blob": a byte of the sealed blob flips after the freeze
# (devstate's test knob). The next kernel must reject the blob with one
# clear log line, send the device down the cold path, and not oops.
# The kexec is done by hand here: the knob must act between the freeze and
# the jump, where devstate-kexec leaves no room. At the jump, devstate
# fills in the kept-alive list and seals the blob again: it must see the
# change first and leave the CRC as the freeze sealed it, or the reseal
# would pass the flipped byte on as valid (the rejection then depended on
# where the byte fell).

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu fact 6
	dsvm_wait_edu fact_done 1
	dsvm_kexec_knob corrupt-blob corrupted
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say rejected "$(dmesg | grep -c 'devstate: incoming: blob rejected')"
	dsvm_edu_report cold
	dsvm_edu fact 4
	dsvm_wait_edu fact_done 1
	dsvm_edu_report after
	dsvm_devstate_report
}

check_corrupt_blob() {
	expect corrupted 0 1
	expect_log 'kexec: the sealed blob changed since the freeze \(blob CRC mismatch\)' 1
	expect rejected 1 2
	expect_match ds_incoming_error 'blob CRC mismatch' 2
	expect cold_path cold 2
	expect cold_reason blob-rejected 2
	expect ds_adopted 0 2
	expect after_fact_result 24 2
	expect oops 0 2
}
