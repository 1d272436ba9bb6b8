# Scenario "e1000-keepalive": QEMU's e1000 answers a steady stream of
# requests from the host (tests/vm/e1000-load.c, 200 per second) before,
# through and after a keep-alive kexec. The receiver stays on through the
# jump, writing into the preserved ring; the adopting driver answers what
# came during the gap. From outside: nothing lost, nothing twice, every
# payload intact. The incoming `devstate dump` shows the INTx record.

scenario_host_start() { vm_e1000_start --rate 200; }
scenario_host_finish() { vm_e1000_finish; }

stage1() {
	dsvm_e1000_serve || return
	dsvm_e1000_report before
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_example e1000 || return
	dsvm_e1000_report adopt
	dsvm_incoming_dump
	dsvm_e1000_end_run
	dsvm_e1000_report after
	dsvm_devstate_report
}

check_e1000_keepalive() {
	expect before_path cold 1
	expect before_preserved 1 1
	expect adopt_path adopted 2
	expect adopt_inits 0 2
	expect ds_adopted 1 2
	# the frames of the gap were in the ring, taken once and in order
	expect_match adopt_gap_frames '^[1-9]' 2
	expect after_disorder 0 2
	expect after_bad 0 2
	expect after_tx_full 0 2
	expect_log 'DUMP: .*Interrupt: intx, pin [A-D]'
	# from outside: every request answered once, intact
	expect_match sent '^[1-9][0-9]{2,}' host
	expect lost 0 host
	expect dup 0 host
	expect corrupt 0 host
	expect_served_on
	expect_match gap_ms '^[0-9]+$' host
	expect oops 0 2
	expect stray 0 2
}
