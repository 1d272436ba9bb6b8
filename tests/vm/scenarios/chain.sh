# Scenario "chain": two keep-alive kexecs in a row. The device adopted by
# the second kernel is preserved again, with its reclaimed DMA buffer, and
# adopted by the third; state and counters carry through both jumps.
# The second jump also has a DMA in flight (test knob dma-at-jump).

STAGES=3

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu live 0c0ffee0
	dsvm_edu fact 10
	dsvm_wait_edu fact_done 1
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report mid
	dsvm_edu fact 11
	dsvm_wait_edu fact_done 2
	dsvm_edu stage 7a7a7a7a
	dsvm_edu dma-at-jump
	dsvm_devstate_report
	dsvm_problems
	dsvm_kexec_keepalive
}

stage3() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report last
	dsvm_devstate_report
	dsvm_edu fact 3
	dsvm_wait_edu fact_done 3
	dsvm_edu_report after
}

check_chain() {
	expect mid_path adopted 2
	expect mid_live_read 0xf3f0011f 2
	expect mid_fact_reg 3628800 2
	expect ds_generation 1 2
	expect last_path adopted 3
	expect last_inits 0 3
	expect last_live_read 0xf3f0011f 3
	expect last_fact_reg 39916800 3
	expect last_prev_fact_done 2 3
	expect last_gap_done 1 3
	expect last_dma_ok 1 3
	expect last_buf_word0 0x7a7a7a7a 3
	expect last_dma_done 1 3
	expect ds_generation 2 3
	expect ds_adopted 1 3
	expect after_fact_result 6 3
	expect after_fact_done 3 3
	expect oops 0 2
	expect oops 0 3
}
