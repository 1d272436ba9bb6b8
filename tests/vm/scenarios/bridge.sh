# Scenario "bridge": the edu device sits behind a PCI-to-PCI bridge, so its
# record carries a bridge path and its DMA goes through the bridge. The
# bridge must arrive with bus mastering on as well (6.1 clears it on every
# device at kexec), and the device is adopted at the same address.

DEVICES="-device pci-bridge,id=br0,chassis_nr=1 -device edu,bus=br0,addr=5,dma_mask=0xffffffff"

# dsvm_parent BDF: the bridge above BDF.
bridge_of() { basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$1")")"; }

stage1() {
	bdf=$(dsvm_edu_bdf)
	dsvm_say bdf "$bdf"
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu live 0b0b0b0b
	dsvm_edu stage 2b2b2b2b
	dsvm_edu dma-at-jump
	dsvm_kexec_keepalive
}

stage2() {
	bdf=$(dsvm_edu_bdf)
	dsvm_say bdf "$bdf"
	dsvm_say bridge "$(bridge_of "$bdf")"
	dsvm_pci_command "$bdf" dev
	dsvm_pci_command "$(bridge_of "$bdf")" br
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report adopt
	dsvm_devstate_report
}

check_bridge() {
	expect bdf 0000:01:05.0 1
	expect bdf 0000:01:05.0 2
	expect_match bridge '^0000:00:' 2
	expect dev_master 1 2
	expect br_master 1 2
	expect br_mem 1 2
	expect adopt_path adopted 2
	expect adopt_live_read 0xf4f4f4f4 2
	expect adopt_gap_done 1 2
	expect adopt_dma_ok 1 2
	expect adopt_buf_word0 0x2b2b2b2b 2
	expect ds_adopted 1 2
	expect oops 0 2
	expect stray 0 2
}
