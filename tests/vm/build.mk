# The QEMU suites (tests/vm/run.sh, tests/kernel/vm-api.sh) and the build
# checks, on each kernel of the matrix (tests/vm/kernels/, mk/check-matrix.sh),
# and the demo (tests/vm/demo.sh); see docs/vm-tests.md.
#   make check-vm VM_KERNELS="6.12"       one kernel of the matrix
#   make check-vm VM_SCENARIOS="a b"      some scenarios
# The tool goes into the guests when it builds; without it the dump scenario
# reports itself skipped.
VM_KERNELS ?= $(shell tests/vm/kernels/kernels.sh list)

.PHONY: check-matrix vm-tool
vm-tool:
	$(Q)$(MAKE) --no-print-directory $(BUILD)/bin/devstate || \
		echo "# vm: build/bin/devstate did not build; the dump scenario will skip"

check-matrix: vm-tool
	$(Q)mk/check-matrix.sh $(VM_KERNELS)

CHECK_VM += check-matrix

demo: deps-vm build-all
	$(Q)tests/vm/demo.sh

# The harness's log readers on made-up logs: no QEMU, so in check-fast.
.PHONY: vm-harness
vm-harness:
	$(Q)mk/run-suite.sh vm-harness tests/vm/selftest.sh
CHECK_FAST += vm-harness
