# Scenario "e1000-overflow": a keep-alive kexec with a receive ring of 64
# descriptors, which the 200 requests per second fill early in the gap.
# QEMU's e1000 then takes no frame (no free descriptor) and leaves them in
# its socket, whose kernel buffer overflows: those drops, the device's
# missed-packets count (MPC, which QEMU keeps counting from the first
# kernel's reset) and any drop of the generator's own socket must account
# for every lost request, exactly. Nothing is answered twice
# or damaged, and the adopted driver carries on.

scenario_host_start() { vm_e1000_start --rate 200; }
scenario_host_finish() { vm_e1000_finish; }

stage1() {
	dsvm_e1000_serve rx_descs=64 || return
	dsvm_e1000_report before
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_example e1000 || return
	dsvm_e1000_report adopt
	dsvm_e1000_end_run
	dsvm_e1000_report after
}

# expect_lost_accounted: lost == QEMU's socket drops + MPC + the
# generator's socket drops + replies the guest could not queue, and > 0.
expect_lost_accounted() {
	local lost q mpc g tx
	lost=$(vm_get "$log" lost host); q=$(vm_get "$log" qemu_drops host)
	g=$(vm_get "$log" rx_drops host); mpc=$(vm_get "$log" after_mpc 2)
	tx=$(vm_get "$log" after_tx_full 2)
	if ! [ "${lost:-0}" -gt 0 ] 2>/dev/null ||
	   [ "$lost" != $((${q:-0} + ${mpc:-0} + ${g:-0} + ${tx:-0})) ]; then
		echo "#   $name: lost '$lost' != socket drops '$q' + MPC '$mpc' + generator drops '$g' + tx full '$tx'"
		bad=$((bad + 1))
	fi
}

check_e1000_overflow() {
	expect before_rx_descs 64 1
	expect adopt_path adopted 2
	expect adopt_rx_descs 64 2
	expect_match adopt_gap_frames '^[1-9]' 2
	expect_lost_accounted
	expect dup 0 host
	expect corrupt 0 host
	expect_served_on
	expect after_disorder 0 2
	expect after_bad 0 2
	expect oops 0 2
}
