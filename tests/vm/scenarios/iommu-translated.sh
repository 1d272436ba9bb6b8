# Scenario "iommu-translated": the same PCIe machine with the IOMMU
# translating (the kernel's default DMA domain). A bus address is then an
# IOVA that dies with the kernel, so devstate refuses to preserve the
# device's buffer; the driver falls back to ordinary DMA memory, leaves
# devstate, and quiesces the device at the jump. The next kernel takes it
# cold, and nothing the device did wrote the pool.

DEVICES="-M q35 -device intel-iommu,intremap=off -device edu,dma_mask=0xffffffff"
CMDLINE="intel_iommu=on iommu.passthrough=0"

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say crc0 "$(cat "$DS_DBG/pool_crc")"
	dsvm_edu stage 7e57a11e
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report before
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate || return
	# the pool as the jump left it, before anything here allocates
	dsvm_say crc "$(cat "$DS_DBG/pool_crc")"
	dsvm_insmod_edu || return
	dsvm_edu_report cold
	dsvm_edu stage 33333333
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report after
	dsvm_devstate_report
	dsvm_problems
}

check_iommu_translated() {
	# refused where the driver can see it, and said so
	expect_log 'devstate_edu .*no preserved DMA buffer .*this device will not survive kexec'
	expect before_buf_preserved 0 1
	expect before_dma_ok 1 1
	expect_log 'devstate: freeze: 0 devices' 1
	expect_log 'devstate_edu .*shutdown: quiesce'
	expect_log 'devstate_edu .*shutdown: keep-alive' 0
	expect cold_path cold 2
	expect cold_reason no-record 2
	expect ds_adopted 0 2
	# the first kernel's DMA went to ordinary memory, never the pool
	expect crc "$(vm_get "$log" crc0 1)" 2
	expect after_dma_ok 1 2
	expect oops 0 2
}
