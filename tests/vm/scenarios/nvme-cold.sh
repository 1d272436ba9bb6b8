# Scenario "nvme-cold": a plain kexec. Both kernels load devstate without
# a region, so nothing is handed over: the first kernel's shutdown resets
# the controller, the second kernel's driver takes the cold path
# (no-region), resets and initialises it again with ordinary DMA memory,
# and it works: the data the first kernel wrote reads back, new I/O
# completes through the MSI-X vector.

for f in /dsvm/nvme-keepalive.sh tests/vm/scenarios/nvme-keepalive.sh; do
	[ -f "$f" ] && . "$f" && break
done

scenario_noregion() { return 0; }

stage1() {
	dsvm_insmod_devstate noregion && dsvm_insmod_nvme || return
	dsvm_nvme w1 write 96 c01dc01d
	dsvm_nvme_report before
	dsvm_kexec_plain noregion
}

stage2() {
	dsvm_insmod_devstate noregion && dsvm_insmod_nvme || return
	dsvm_nvme_report cold
	irqs0=$(dsvm_nvme_irqs)
	dsvm_nvme r_old read 96 c01dc01d
	dsvm_nvme w2 write 104 c01dc02d
	dsvm_nvme r2 read 104 c01dc02d
	dsvm_say new_msi $(($(dsvm_nvme_irqs) - irqs0))
	dsvm_nvme_report after
}

check_nvme_cold() {
	expect before_path cold 1
	expect before_reason no-region 1
	expect before_preserved 0 1
	expect w1 0 1
	# reset at the jump and at the final power-off, never kept alive
	expect_log 'devstate_nvme .*: shutdown: reset, 0 command\(s\) in flight' 2
	expect_log 'devstate_nvme .*: shutdown: keep-alive' 0
	expect cold_path cold 2
	expect cold_reason no-region 2
	expect cold_inits 1 2
	expect cold_preserved 0 2
	expect cold_msix 1 2
	expect r_old 0 2
	expect w2 0 2
	expect r2 0 2
	expect after_reads_bad 0 2
	expect_match new_msi '^[1-9]' 2
	# each kernel created its own I/O queues
	expect_trace 'pci_nvme_admin_cmd .*CREATE_CQ' 2
	expect oops 0 2
	expect stray 0 2
}
