# Scenario "iommu-pt-then-translated": the first kernel runs the IOMMU in
# passthrough and keeps edu alive; the next one boots with translation on.
# Its bus addresses are no longer physical ones, so the reclaim is refused,
# the driver declines and goes cold, and the device works, without an
# IOMMU fault.

DEVICES="-M q35 -device intel-iommu,intremap=off -device edu,dma_mask=0xffffffff"
CMDLINE="intel_iommu=on iommu=pt"

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu fact 5
	dsvm_wait_edu fact_done 1
	dsvm_edu_report before
	# later words win: the next kernel translates
	dsvm_kexec_keepalive --append iommu.passthrough=0
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report cold
	dsvm_edu fact 6
	dsvm_wait_edu fact_done 1
	dsvm_edu_report after
	dsvm_say dmar_faults "$(dmesg | grep -c -i 'DMAR: .*fault')"
	dsvm_problems
}

check_iommu_pt_then_translated() {
	expect before_buf_preserved 1 1
	expect_log 'devstate_edu .*shutdown: keep-alive' 1
	expect_log 'behind a translating IOMMU; its buffer cannot be reclaimed' 1
	expect cold_path cold 2
	expect cold_reason 'DMA buffer not reclaimable' 2
	expect after_fact_result 720 2
	expect dmar_faults 0 2
	expect oops 0 2
}
