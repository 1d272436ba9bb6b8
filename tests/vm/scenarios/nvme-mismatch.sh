# Scenario "nvme-mismatch": the disk behind the controller is not the one
# the record names. The driver's test knob ns-mismatch makes the save hook
# record a namespace one block larger than the disk. devstate's own checks
# pass (same controller, same BARs); the driver's Identify at adoption
# finds the difference, resets the controller, declines with a reason
# and goes cold, and the controller works.

for f in /dsvm/nvme-keepalive.sh tests/vm/scenarios/nvme-keepalive.sh; do
	[ -f "$f" ] && . "$f" && break
done

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_nvme knob ns-mismatch
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_say bdf "$(dsvm_nvme_bdf)"
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_nvme_report cold
	dsvm_nvme r_img read 8 $IMG
	dsvm_nvme w2 write 88 bad0da7a
	dsvm_nvme r2 read 88 bad0da7a
	dsvm_nvme_report after
	dsvm_devstate_report
}

check_nvme_mismatch() {
	expect knob 0 1
	expect_log 'devstate_nvme .*: test: saving namespace size 2049' 1
	expect cold_path cold 2
	expect cold_reason 'namespace identity changed' 2
	expect cold_inits 1 2
	expect cold_nsze 2048 2
	# after the decline the cold path took the same names from the pool again
	expect cold_preserved 6 2
	expect_log 'driver declined: namespace identity changed' 1
	expect ds_adopted 0 2
	expect ds_cold_reason "$(vm_get "$log" bdf 2) driver-declined" 2
	expect r_img 0 2
	expect w2 0 2
	expect r2 0 2
	expect after_reads_bad 0 2
	# the reset deleted the queues: the second kernel created them again
	expect_trace 'pci_nvme_admin_cmd .*CREATE_CQ' 2
	expect oops 0 2
}
