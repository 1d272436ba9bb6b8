# Scenario "e1000-corrupt": the e1000 under traffic, kept alive, but a byte
# of the sealed blob flips after the freeze (devstate's test knob). The
# next kernel rejects the blob; the NIC goes cold with one log line, is
# reset, and the service resumes: requests of the gap are lost, none is
# answered twice or damaged.

scenario_host_start() { vm_e1000_start --rate 200; }
scenario_host_finish() { vm_e1000_finish; }

stage1() {
	dsvm_e1000_serve || return
	dsvm_kexec_knob corrupt-blob corrupted
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_example e1000 || return
	dsvm_e1000_report cold
	sleep 6
	dsvm_e1000_report after
}

check_e1000_corrupt() {
	expect corrupted 0 1
	expect cold_path cold 2
	expect cold_reason blob-rejected 2
	expect cold_inits 1 2
	expect_log 'devstate_e1000 .*cold: blob-rejected' 1
	expect_match lost '^[1-9]' host
	expect dup 0 host
	expect corrupt 0 host
	expect resumed 1 host
	expect oops 0 2
}
