# The QEMU suite (tests/vm/run.sh) and the demo (tests/vm/demo.sh).
# make check-vm runs the suite; VM_SCENARIOS="a b" picks scenarios.
.PHONY: check-vm-suite
check-vm-suite:
	$(Q)mk/run-suite.sh vm tests/vm/run.sh $(VM_SCENARIOS)

CHECK_VM += check-vm-suite

demo: deps-vm build-all
	$(Q)tests/vm/demo.sh
