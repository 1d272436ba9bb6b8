# Scenario "plumbing": the ground the others stand on, with no module at all.
# The region from memmap= is reserved in both kernels, a plain kexec lands in
# the second kernel, and words written into the region survive the jump.
# Guest stages run under busybox sh; check_plumbing runs on the host.

PLUMB_ADDR=0x30000100

stage1() {
	dsvm_say reserved "$(grep -c '30000000-30ffffff : Reserved' /proc/iomem)"
	devmem "$PLUMB_ADDR" 32 0x5eedf00d && devmem $((PLUMB_ADDR + 4)) 32 0x0badcafe
	dsvm_say written "$(devmem "$PLUMB_ADDR" 32)"
	dsvm_kexec_plain
}

stage2() {
	dsvm_say reserved "$(grep -c '30000000-30ffffff : Reserved' /proc/iomem)"
	dsvm_say word0 "$(devmem "$PLUMB_ADDR" 32)"
	dsvm_say word1 "$(devmem $((PLUMB_ADDR + 4)) 32)"
}

check_plumbing() {
	expect reserved 1 1
	expect written 0x5EEDF00D 1
	expect reserved 1 2
	expect word0 0x5EEDF00D 2
	expect word1 0x0BADCAFE 2
	expect oops 0 2
}
