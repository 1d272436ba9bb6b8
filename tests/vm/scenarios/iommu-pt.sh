# Scenario "iommu-pt": a PCIe machine (q35) with an Intel IOMMU, booted
# with the IOMMU on in passthrough (identity) mode: the device sees CPU
# physical addresses, so its preserved buffer means the same in both
# kernels, and keep-alive works as without an IOMMU.
# First kernel: a DMA lands in the preserved buffer. Second kernel: the
# driver adopts the device, finds the data, and a new DMA works.

DEVICES="-M q35 -device intel-iommu,intremap=off -device edu,dma_mask=0xffffffff"
CMDLINE="intel_iommu=on iommu=pt"

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_say iommu_groups "$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)"
	dsvm_edu stage 7e57a11e
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report before
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report adopt
	dsvm_edu stage 22222222
	dsvm_edu dma
	dsvm_wait_edu dma_done 2
	dsvm_edu_report after
	dsvm_problems
}

check_iommu_pt() {
	# the IOMMU is really there, and the buffer came from the pool
	expect_match iommu_groups '^[1-9]' 1
	expect before_buf_preserved 1 1
	expect before_dma_ok 1 1
	expect_log 'devstate_edu .*shutdown: keep-alive' 1
	expect adopt_path adopted 2
	expect adopt_buf_preserved 1 2
	expect adopt_dma_seed 0x7e57a11e 2
	expect adopt_dma_ok 1 2
	expect after_dma_ok 1 2
	expect after_dma_done 2 2
	expect oops 0 2
}
