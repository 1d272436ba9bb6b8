# Scenario "keepalive": the edu device keeps its state across a keep-alive
# kexec and works after adoption.
# First kernel: write the liveness register, compute 10!, kexec through
# devstate-kexec. Second kernel: read PCI_COMMAND before any driver, load
# the modules, then check the driver adopted the device without touching it
# (liveness value and factorial result unchanged, no init), and that a new
# factorial raises its MSI and completes, and `devstate status` says edu
# was adopted and exits 0.

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu live 1234abcd
	dsvm_edu fact 10
	dsvm_wait_edu fact_done 1
	dsvm_edu_report before
	dsvm_kexec_keepalive
}

stage2() {
	bdf=$(dsvm_edu_bdf)
	dsvm_pci_command "$bdf" arrival
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_after_adopt
	dsvm_devstate_report
	dsvm_devstate_status
}

check_keepalive() {
	# the device worked in the first kernel
	expect before_live_read 0xedcb5432 1
	expect before_fact_result 3628800 1
	# it arrived with memory decoding and bus mastering on
	expect arrival_mem 1 2
	expect arrival_master 1 2
	# adopted untouched: values from the first kernel, no init in the second
	expect adopt_path adopted 2
	expect adopt_inits 0 2
	expect adopt_live_read 0xedcb5432 2
	expect adopt_fact_reg 3628800 2
	expect adopt_fact_done 1 2
	expect ds_adopted 1 2
	expect ds_records_in 1 2
	# through the transport the run asked for (VM_TRANSPORT)
	expect ds_transport "$VM_TRANSPORT" 2
	expect_log "devstate: incoming: $VM_TRANSPORT sealed gen 1, 1 records" 1
	# MSI re-armed: the new factorial completed through its interrupt
	expect after_fact_result 5040 2
	expect after_fact_done 2 2
	expect_match new_msi '^[1-9]' 2
	# what the operator's tool says: edu adopted, exit 0
	expect status_edu adopted 2
	expect status_rc 0 2
	expect oops 0 2
	expect stray 0 2
}
