# Scenario "cold": a first boot with no preserved region. devstate.ko loads
# without one, the edu driver takes the cold path (reason no-region), uses
# an ordinary DMA buffer, and its factorial and DMA work; `devstate status`
# names it cold (no-region) and exits 1.

STAGES=1
scenario_noregion() { return 0; }

stage1() {
	dsvm_insmod_devstate noregion && dsvm_insmod_edu || return
	dsvm_edu fact 5
	dsvm_wait_edu fact_done 1
	dsvm_edu stage c01dc01d
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report cold
	dsvm_devstate_report
	dsvm_devstate_status
}

check_cold() {
	expect cold_path cold 1
	expect cold_reason no-region 1
	expect cold_inits 1 1
	expect cold_buf_preserved 0 1
	expect cold_fact_result 120 1
	expect cold_dma_ok 1 1
	expect_match cold_irqs '^[1-9]' 1
	# devstate status: edu cold for lack of a region, exit 1
	expect status_edu "cold no-region" 1
	expect status_rc 1 1
	expect oops 0 1
}
