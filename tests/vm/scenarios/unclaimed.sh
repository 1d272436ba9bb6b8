# Scenario "unclaimed": edu is kept alive, but no driver claims it in the
# next kernel. When the operator runs finish, devstate must turn the
# device's bus mastering (and INTx) off before the pages its record lists
# go back to the pool; then a DMA the device is told to do into its old
# buffer (programmed straight into its registers with devmem: no driver is
# bound) must not change one byte of the pool.
# First kernel: stage a pattern in the device's own buffer (it never
# reaches RAM), note where the preserved DMA buffer is, jump.
# Second kernel: devstate only, finish, then the DMA, device to RAM.

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu stage 5a5a
	phys=$(awk '$1 == "buf_phys" { print $2 }' "$EDU_DBG/state")
	dsvm_say buf_phys "$phys"
	dsvm_kexec_keepalive --append "dsvm.buf_phys=$phys"
}

# edu_reg OFFSET [VALUE]: read or write a 32-bit edu register (BAR0).
edu_reg() {
	bar=$(awk 'NR == 1 { print $1 }' "/sys/bus/pci/devices/$bdf/resource")
	devmem $(printf '0x%x' $((bar + $1))) 32 ${2:-}
}

stage2() {
	bdf=$(dsvm_edu_bdf)
	phys=$(dsvm_cmdline_get dsvm.buf_phys)
	dsvm_insmod_devstate || return
	dsvm_pci_command "$bdf" arrival
	echo finish > "$DS_SYS/control"
	dsvm_say finish "$?"
	dsvm_pci_command "$bdf" finished
	crc0=$(cat "$DS_DBG/pool_crc")
	# DMA from the device's buffer (0x40000) to the old buffer: 4092
	# bytes, as the driver does (QEMU's edu refuses a full 4 KiB).
	edu_reg 0x80 0x40000; edu_reg 0x84 0
	edu_reg 0x88 "$phys"; edu_reg 0x8c 0
	edu_reg 0x90 4092
	edu_reg 0x98 3		# start, device to RAM
	i=0
	while [ $((0x$(edu_reg 0x98 | sed 's/^0x//') & 1)) -ne 0 ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	dsvm_say dma_done "$((0x$(edu_reg 0x98 | sed 's/^0x//') & 1 ^ 1))"
	dsvm_say pool_unchanged "$([ "$(cat "$DS_DBG/pool_crc")" = "$crc0" ] && echo 1 || echo 0)"
	dsvm_say stop_logged "$(dmesg | grep -c 'devstate: finish: kept alive but unclaimed: bus mastering and INTx turned off')"
	dsvm_devstate_report
	dsvm_problems
}

check_unclaimed() {
	expect_match buf_phys '^0x[0-9a-f]+$' 1
	# kept alive through the jump, then stopped at finish
	expect arrival_master 1 2
	expect finish 0 2
	expect finished_master 0 2
	expect stop_logged 1 2
	expect ds_adopted 0 2
	# the device ran its DMA, which went nowhere
	expect dma_done 1 2
	expect pool_unchanged 1 2
	expect oops 0 2
}
