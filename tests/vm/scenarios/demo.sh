# The demo (make demo, tests/vm/demo.sh), not part of the suite: the edu
# device does live work (a factorial every 20 ms, a DMA in flight at the
# jump) while the guest kexecs, either keeping it alive (dsvm.mode=keepalive,
# through devstate-kexec) or not (dsvm.mode=cold: a plain kexec to a kernel
# given no region, which resets and initialises it). Stage 2 reports what
# it found.

demo_work() {
	n=0
	while :; do
		echo "fact $((n % 12 + 1))" > "$EDU_DBG/ctl" 2>/dev/null
		n=$((n + 1))
		usleep 20000
	done
}

stage1() {
	mode=$(dsvm_cmdline_get dsvm.mode)
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu live 600dcafe
	dsvm_edu fact 10
	dsvm_wait_edu fact_done 1
	dsvm_edu stage d0d0cafe
	demo_work &
	sleep 2
	dsvm_edu_report before
	if [ "$mode" = cold ]; then
		dsvm_edu dma
		dsvm_kexec_plain noregion
	else
		dsvm_edu dma-at-jump
		dsvm_kexec_keepalive
	fi
}

stage2() {
	bdf=$(dsvm_edu_bdf)
	dsvm_pci_command "$bdf" arrival
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report adopt
	dsvm_edu fact 5
	dsvm_wait_edu fact_result 120
	# after the first completion, so that the gap does not include it
	if command -v devstate >/dev/null; then
		devstate dump 2>&1 | sed -n '/^== incoming ==/,/^== outgoing ==/p' |
			grep -v '^== outgoing' | sed 's/^/DUMP: /'
	else
		echo "DUMP: (the devstate tool is not built: no dump)"
	fi
	dsvm_edu_report after
	dsvm_devstate_report
}
