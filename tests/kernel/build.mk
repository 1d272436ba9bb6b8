# Kernel build checks (CHECK_FAST): devstate.ko builds from clean sources,
# sparse (make C=2) and kernel-doc report nothing, the API is exported.
CHECK_FAST += check-kernel

.PHONY: check-kernel
check-kernel:
	$(Q)mk/run-suite.sh kernel tests/kernel/check-kernel.sh "$(KDIR)"

# The driver API inside a QEMU guest, across a kexec (CHECK_VM); needs the
# harness of tests/vm.
CHECK_VM += check-kernel-vm

.PHONY: check-kernel-vm
check-kernel-vm:
	$(Q)mk/run-suite.sh kernel-vm tests/kernel/vm-api.sh
