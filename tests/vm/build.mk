# The QEMU suite (tests/vm/run.sh) and the demo (tests/vm/demo.sh); see
# docs/vm-tests.md. make check-vm runs the suite; VM_SCENARIOS="a b" picks
# scenarios. The tool goes into the guests when it builds; without it the
# dump scenario reports itself skipped.
.PHONY: check-vm-suite vm-tool
vm-tool:
	$(Q)$(MAKE) --no-print-directory $(BUILD)/bin/devstate || \
		echo "# vm: build/bin/devstate did not build; the dump scenario will skip"

check-vm-suite: vm-tool
	$(Q)mk/run-suite.sh vm tests/vm/run.sh $(VM_SCENARIOS)

CHECK_VM += check-vm-suite

demo: deps-vm build-all
	$(Q)tests/vm/demo.sh
