# Scenario "no-devstate": a driver built with devstate support, on a machine
# where devstate.ko is never loaded. The edu module loads anyway (it has no
# link-time dependency on devstate.ko), takes the cold path with the reason
# no-devstate, logs that one line and works; a plain kexec (the region is
# still on the command line, but nothing owns it) brings it up cold again.

stage1() {
	dsvm_say ds_loaded "$(grep -c '^devstate ' /proc/modules)"
	dsvm_insmod_edu || return
	dsvm_edu fact 5
	dsvm_wait_edu fact_done 1
	dsvm_edu stage c01dc01d
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report first
	dsvm_kexec_plain
}

stage2() {
	dsvm_say ds_loaded "$(grep -c '^devstate ' /proc/modules)"
	dsvm_insmod_edu || return
	dsvm_edu fact 6
	dsvm_wait_edu fact_done 1
	dsvm_edu stage 5eed5eed
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report second
}

check_no_devstate() {
	local s p
	for s in 1 2; do
		p=$([ $s = 1 ] && echo first || echo second)
		expect ds_loaded 0 $s
		expect edu_insmod 0 $s
		expect ${p}_path cold $s
		expect ${p}_reason no-devstate $s
		expect ${p}_inits 1 $s
		expect ${p}_buf_preserved 0 $s
		expect ${p}_dma_ok 1 $s
		expect_match ${p}_irqs '^[1-9]' $s
	done
	expect oops 0 2
	expect warn 0 2
	expect first_fact_result 120 1
	expect second_fact_result 720 2
	# One line from the driver's probe in each boot, and nothing else
	# about devstate: no failed registration, no missing buffer.
	expect_log 'devstate_edu [0-9a-f:.]+: cold: no-devstate' 2
	expect_log 'devstate_edu [0-9a-f:.]+: (devstate|no preserved)' 0
	expect_log 'devstate: ' 0
}
