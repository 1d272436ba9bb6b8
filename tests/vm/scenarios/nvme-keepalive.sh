# Scenario "nvme-keepalive": QEMU's NVMe controller, driven by the third
# example (devstate_nvme.ko), keeps its queues, its MSI-X vectors and its
# namespace across a keep-alive kexec.
# First kernel: cold probe (reset, queues in the pool, Identify, I/O queues
# created), a write and reads checked against the disk image's pattern,
# devstate-kexec. Second kernel: adopted without a reset; the only admin
# commands it issued are the two Identify reads the driver documents as
# safe; a new write and reads complete through the I/O queue's MSI-X
# vector; command identifiers carry on; the incoming `devstate dump`
# shows the controller in MSI-X mode with its vectors. QEMU's own trace of
# the commands it executed (vm_nvme_devices) says the same from outside.
# nvme-inflight, nvme-cold and nvme-mismatch reuse the helpers below.

scenario_setup() { vm_nvme_setup "$1"; }

IMG=1d15c0de	# VM_NVME_SEED of tests/vm/lib.sh, in the driver's spelling

# nvme_dump: the incoming blob as the tool prints it (-v: with the MSI-X
# vectors), the interrupt line and how many vectors it lists.
nvme_dump() {
	devstate dump -v > /tmp/dump.txt 2>&1
	dsvm_say dump_rc $?
	sed -n '/^== incoming ==/,/^== outgoing ==/p' /tmp/dump.txt > /tmp/in.txt
	sed 's/^/DUMP: /' /tmp/in.txt
	dsvm_say dump_irq "$(grep -oE 'Interrupt: [a-z]+(, [0-9]+ vectors?)?' /tmp/in.txt | head -n 1)"
	dsvm_say dump_vectors "$(grep -cE 'vector [0-9]+: address' /tmp/in.txt)"
}

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_nvme w1 write 64 a11ce001
	dsvm_nvme r1 read 64 a11ce001
	dsvm_nvme r_img read 8 $IMG
	dsvm_nvme_report before
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_pci_command "$(dsvm_nvme_bdf)" arrival
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_nvme_report adopt
	irqs0=$(dsvm_nvme_irqs)
	dsvm_nvme w2 write 72 b0b0b002
	dsvm_nvme r2 read 72 b0b0b002
	dsvm_nvme r_old read 64 a11ce001
	dsvm_say new_msi $(($(dsvm_nvme_irqs) - irqs0))
	dsvm_nvme_report after
	dsvm_devstate_report
	nvme_dump
}

# expect_trace REGEX COUNT: QEMU executed COUNT commands matching REGEX for
# the kernels of the run (vm_nvme_os_trace: the firmware's are left out).
expect_trace() {
	local n
	n=$(vm_nvme_trace "$VM_DIR/scenarios/$name" "$1")
	if [ "${n:-0}" -ne "$2" ]; then
		echo "#   $name: QEMU trace lines matching /$1/: $2 expected, ${n:-0} found"
		bad=$((bad + 1))
	fi
}

# expect_unique_cids: no I/O command identifier was submitted twice, in
# either kernel (the driver carries its counter across the jump).
expect_unique_cids() {
	local dup
	dup=$(vm_nvme_os_trace "$VM_DIR/scenarios/$name" |
		grep -oE 'pci_nvme_io_cmd cid [0-9]+' | sort | uniq -d | wc -l)
	if [ "$dup" -ne 0 ]; then
		echo "#   $name: $dup I/O command identifier(s) submitted twice"
		bad=$((bad + 1))
	fi
}

check_nvme_keepalive() {
	# the first kernel: cold, everything in the pool, I/O checked
	expect before_path cold 1
	expect before_preserved 6 1
	expect w1 0 1
	expect r1 0 1
	expect r_img 0 1
	expect before_reads_bad 0 1
	# arrival: bus mastering kept; adopted without a reset
	expect arrival_master 1 2
	expect adopt_path adopted 2
	expect adopt_inits 0 2
	expect adopt_serial dsnvme0001 2
	expect adopt_nsze 2048 2
	expect adopt_preserved 6 2
	expect adopt_msix 1 2
	# Identify controller and namespace only: no admin command that changes state
	expect adopt_admin_cmds 2 2
	expect adopt_admin_unsafe 0 2
	expect adopt_gap_consumed 0 2
	expect adopt_duplicates 0 2
	# the probe's first read took the next identifier of the old kernel's sequence
	expect adopt_next_cid $(($(vm_get "$log" before_next_cid 1) + 1)) 2
	# new I/O on the adopted queues, through the MSI-X vector
	expect w2 0 2
	expect r2 0 2
	expect r_old 0 2
	expect after_reads_bad 0 2
	expect after_io_errors 0 2
	expect_match new_msi '^[1-9]' 2
	expect ds_adopted 1 2
	# the incoming record as the tool shows it
	expect dump_rc 0 2
	expect_match dump_irq '^Interrupt: msix, [0-9]+ vectors$' 2
	expect_match dump_vectors '^([2-9]|[1-9][0-9]+)$' 2
	# from QEMU's side: queues created once, in the first kernel
	expect_trace 'pci_nvme_admin_cmd .*CREATE_CQ' 1
	expect_trace 'pci_nvme_admin_cmd .*CREATE_SQ' 1
	expect_trace 'pci_nvme_admin_cmd ' 6
	expect_unique_cids
	expect oops 0 2
	expect warn 0 2
	expect stray 0 2
}
