# Scenario "e1000-cold": the traffic of e1000-keepalive through a plain
# kexec, with no preserved region at all: the first kernel's driver stops
# the NIC at shutdown, the second resets and initialises it. The requests
# sent while no driver ran are lost, and the loss must fit the gap the
# client saw: more than none, at most what was sent during it.

RATE=200
scenario_noregion() { return 0; }
scenario_host_start() { vm_e1000_start --rate "$RATE"; }
scenario_host_finish() { vm_e1000_finish; }

stage1() {
	dsvm_e1000_serve || return
	dsvm_e1000_report before
	dsvm_kexec_plain noregion
}

stage2() {
	dsvm_insmod_devstate noregion && dsvm_insmod_example e1000 || return
	dsvm_e1000_report cold
	dsvm_e1000_end_run
	dsvm_e1000_report after
}

# expect_lost_in_gap: lost > 0, at least what QEMU's socket dropped, and
# no more than was sent during the longest gap (RATE per second, plus one
# second of slack for the edges).
expect_lost_in_gap() {
	local lost gap drops
	lost=$(vm_get "$log" lost host); gap=$(vm_get "$log" gap_ms host)
	drops=$(vm_get "$log" qemu_drops host)
	if ! [ "${lost:-0}" -gt 0 ] 2>/dev/null || ! [ "$lost" -ge "${drops:-0}" ] ||
	   ! [ "$lost" -le $((${gap:-0} * RATE / 1000 + RATE)) ]; then
		echo "#   $name: lost '$lost' not in (0, gap ${gap} ms at $RATE/s], socket drops '$drops'"
		bad=$((bad + 1))
	fi
}

check_e1000_cold() {
	expect before_path cold 1
	expect cold_path cold 2
	expect cold_reason no-region 2
	expect cold_inits 1 2
	expect_lost_in_gap
	expect dup 0 host
	expect corrupt 0 host
	expect_served_on
	expect after_disorder 0 2
	expect oops 0 2
}
