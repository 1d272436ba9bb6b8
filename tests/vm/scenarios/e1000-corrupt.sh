# Scenario "e1000-corrupt": the e1000 under traffic, kept alive, but its
# record is damaged: the driver's test knob "damage-at-save" makes the save
# hook record a receive position one past the real one. devstate's checks
# pass (IDs, BARs, the blob's CRC); the adopting driver's own check of the
# ring registers against the record does not. It must reset the device
# before declining (the buffers decline frees are still its DMA targets),
# go cold with one log line, and serve again: requests of the gap are
# lost, none is answered twice or damaged.

scenario_host_start() { vm_e1000_start --rate 200; }
scenario_host_finish() { vm_e1000_finish; }

stage1() {
	dsvm_e1000_serve || return
	echo damage-at-save > "$(dirname "$(dsvm_e1000_state)")/ctl"
	dsvm_say knob $?
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_example e1000 || return
	dsvm_e1000_report cold
	dsvm_e1000_end_run
	dsvm_e1000_report after
	dsvm_devstate_report
}

check_e1000_corrupt() {
	expect knob 0 1
	expect_log 'devstate_e1000 .*test: saving receive position' 1
	expect cold_path cold 2
	expect cold_reason 'receive ring registers differ from the record' 2
	expect cold_inits 1 2
	expect_log 'devstate_e1000 .*cold: receive ring registers differ' 1
	expect ds_adopted 0 2
	expect_match lost '^[1-9]' host
	expect dup 0 host
	expect corrupt 0 host
	expect_served_on
	expect after_disorder 0 2
	expect oops 0 2
}
