# Kernel build checks: devstate.ko builds from clean sources, sparse
# (make C=2) and kernel-doc report nothing, the API is exported. `make check`
# runs them on every kernel of the matrix (mk/check-matrix.sh, with the
# kernel-vm suite of tests/kernel/vm-api.sh); `make check-fast` and
# `make check-kernel` on KDIR alone.
CHECK_KERNEL += check-kernel

.PHONY: check-kernel
check-kernel:
	$(Q)mk/run-suite.sh kernel@$(KRELEASE) tests/kernel/check-kernel.sh "$(KDIR)"
