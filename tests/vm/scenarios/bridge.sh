# Scenario "bridge": the edu device sits behind a PCI-to-PCI bridge, so its
# record carries a bridge path and its DMA goes through the bridge. The
# bridge must arrive with bus mastering on as well, and the device is
# adopted at the same address.
# What the bridge's Command register proves depends on the machine. On
# QEMU's pc machine the bridge boots with bus mastering off, the driver's
# enable of the device below sets it, the kexec's shutdown clears it, and
# only devstate's restore can make it arrive on. On q35 (bridge-q35) a
# kernel with ACPI PCI hotplug (Debian's 6.1 and 6.12) has the bridge's
# bus mastering on at boot and turns it on again at the next boot before
# any driver, so there arriving on proves nothing (measured with the
# no-master-restore knob); the 7.2 guest kernel, built without PCI
# hotplug, boots it off as on pc. What proves the restore everywhere is
# its own count, "found off: N devices, M bridges", logged at the jump: the
# shutdown cleared the bridge on both machines and all three kernels.

DEVICES="-device pci-bridge,id=br0,chassis_nr=1 -device edu,bus=br0,addr=5,dma_mask=0xffffffff"
# bridge_of BDF: the bridge above BDF.
bridge_of() { basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$1")")"; }

stage1() {
	bdf=$(dsvm_edu_bdf)
	dsvm_say bdf "$bdf"
	dsvm_pci_command "$(bridge_of "$bdf")" boot
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_pci_command "$(bridge_of "$bdf")" loaded
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

# bridge_checks: what both machine types must show.
bridge_checks() {
	expect bdf 0000:01:05.0 1
	expect bdf 0000:01:05.0 2
	expect_match bridge '^0000:00:' 2
	# the driver's enable sets the bridge's bus mastering in any case
	expect loaded_master 1 1
	# the shutdown cleared the device's bus mastering and the bridge's,
	# and the restore set both again
	expect_log "restored on 1 devices, .*found off: 1 devices, 1 bridges" 1
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

check_bridge() {
	# pc: off at boot, so arriving on is the restore's doing
	expect boot_master 0 1
	bridge_checks
}
