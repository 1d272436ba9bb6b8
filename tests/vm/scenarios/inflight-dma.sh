# Scenario "inflight-dma": a DMA the device starts at the last moment before
# the jump completes while no kernel is listening; the next kernel finds the
# data in the preserved buffer and handles the completion exactly once.
# The driver's test knob "dma-at-jump" submits the device->RAM copy in the
# save hook (so the blob records it as pending) and rings the doorbell in
# .shutdown, so it is in flight at the jump: edu's DMA takes 100 ms, less
# than freeze-to-jump on a busy TCG host. The first kernel's shutdown line
# reads the DMA engine and says whether it was.

SEED1=5eed1234
SEED2=0badf00d

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu stage $SEED1
	dsvm_edu dma
	dsvm_wait_edu dma_done 1
	dsvm_edu_report before
	dsvm_edu stage $SEED2
	dsvm_edu dma-at-jump
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu || return
	dsvm_edu_report adopt
	# exactly once: nothing more arrives later
	sleep 1
	dsvm_edu_report later
	# devstate releases what no driver claimed; our reclaimed buffer stays,
	# and DMA into it still works, through its interrupt
	echo finish > "$DS_SYS/control"
	dsvm_say finish_rc $?
	dsvm_devstate_report
	dsvm_edu stage 1111
	dsvm_edu dma
	dsvm_wait_edu dma_done 3
	dsvm_edu_report after
}

check_inflight_dma() {
	expect before_dma_ok 1 1
	expect before_dma_done 1 1
	expect_log 'devstate_edu .*DMA submitted at freeze, to start at shutdown' 1
	expect_log 'devstate_edu .*shutdown: keep-alive, DMA in flight' 1
	expect adopt_path adopted 2
	expect adopt_gap_status 0x100 2
	expect adopt_gap_done 1 2
	expect adopt_dma_seed 0x$SEED2 2
	expect adopt_dma_ok 1 2
	expect adopt_dma_pending 0 2
	expect adopt_dma_done 2 2
	# the buffer's first words, besides the driver's check of all of them
	expect adopt_buf_word0 0x$SEED2 2
	expect adopt_buf_word1 "$(printf '0x%08x' $((0x$SEED2 ^ 0x9e3779b9)))" 2
	expect later_dma_done 2 2
	expect finish_rc 0 2
	expect ds_finished yes 2
	expect after_dma_done 3 2
	expect after_buf_word0 0x00001111 2
	expect after_dma_ok 1 2
	expect oops 0 2
	expect stray 0 2
}
