# Scenario "nvme-inflight": a read is still in flight at `kexec -e`.
# QEMU's drive throttling (bps-read=1024) makes a read that follows
# another at once wait about 4 s in the device. The first kernel loads the next
# kernel, submits the read, freezes and jumps at once (by hand, as
# dsvm_kexec_knob does: devstate-kexec's kexec -l would come between the
# read and the jump and take seconds). The controller completes the read
# while no kernel runs: the second kernel waits 5 s before it loads the
# driver, so the completion is surely there first. Adoption consumes it
# from the completion queue, once, matched to the command the record
# lists, and checks its data; nothing is submitted twice (QEMU's trace
# counts the reads of its LBA).

for f in /dsvm/nvme-keepalive.sh tests/vm/scenarios/nvme-keepalive.sh; do
	[ -f "$f" ] && . "$f" && break
done

scenario_setup() { vm_nvme_setup "$1" throttling.bps-read=1024; }

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_kexec_load || return
	# a read that fills the throttle's bucket, so the next one must wait
	dsvm_nvme r0 read 24 $IMG
	dsvm_nvme async read-async 16 $IMG
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze $?
	kexec -e
	dsvm_say kexec_failed "$?"
}

stage2() {
	sleep 5
	dsvm_insmod_devstate && dsvm_insmod_nvme || return
	dsvm_nvme_report adopt
	dsvm_nvme w2 write 80 c0ffee03
	dsvm_nvme r2 read 80 c0ffee03
	dsvm_nvme_report after
	dsvm_devstate_report
}

check_nvme_inflight() {
	expect r0 0 1
	expect async 0 1
	expect freeze 0 1
	expect_log 'devstate_nvme .*: shutdown: cid [0-9]+ opcode 0x2 lba 16 in flight' 1
	expect_log 'devstate_nvme .*: shutdown: keep-alive, 1 command\(s\) in flight, completion not yet posted' 1
	expect adopt_path adopted 2
	# the gap's completion: consumed once, matched, its data checked
	expect adopt_gap_consumed 1 2
	expect adopt_gap_matched 1 2
	expect adopt_duplicates 0 2
	# the in-flight read and the probe's first read, both with the right data
	expect adopt_reads_ok 2 2
	expect adopt_reads_bad 0 2
	expect adopt_busy 0 2
	expect adopt_admin_unsafe 0 2
	expect w2 0 2
	expect r2 0 2
	expect after_duplicates 0 2
	expect after_io_errors 0 2
	expect ds_adopted 1 2
	# the device read LBA 16 once: the adopting kernel did not submit it again
	expect_trace 'pci_nvme_read .*lba 0x10$' 1
	expect_unique_cids
	expect oops 0 2
	expect stray 0 2
}
