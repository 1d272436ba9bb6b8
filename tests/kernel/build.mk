# Kernel build checks (CHECK_FAST): devstate.ko builds from clean sources,
# sparse (make C=2) and kernel-doc report nothing, the API is exported.
CHECK_FAST += check-kernel

.PHONY: check-kernel
check-kernel:
	$(Q)mk/run-suite.sh kernel tests/kernel/check-kernel.sh "$(KDIR)"
