# The QEMU suites (tests/vm/run.sh, tests/kernel/vm-api.sh) and the build
# checks, on each kernel of the matrix (tests/vm/kernels/, mk/check-matrix.sh),
# and the demo (tests/vm/demo.sh); see docs/vm-tests.md.
#   make check-vm VM_KERNELS="6.12"       one kernel of the matrix
#   make check-vm VM_SCENARIOS="a b"      some scenarios
#   make check-vm VM_KHO_SCENARIOS="a b"  some of the vm-kho suite's, on a
#                                         kernel built with KHO
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

# The e1000 scenarios' traffic: the host-side load generator and, for its
# own test, a stand-in for the guest's echo service (tests/vm/e1000-*.c).
# The VM harness runs the plain build; suite e1000-load holds the sanitized
# one to known answers (tests/vm/test-e1000-load.sh).
E1K_PROGS    := e1000-load e1000-echo
E1K_BIN      := $(E1K_PROGS:%=$(BUILD)/tests/vm/%)
E1K_SAN_BIN  := $(E1K_PROGS:%=$(BUILD)/san/tests/vm/%)
E1K_OBJS     := $(E1K_PROGS:%=$(BUILD)/obj/tests/vm/%.o) \
		$(E1K_PROGS:%=$(BUILD)/san/obj/tests/vm/%.o)
# The frame format is the example's own header, read by both worlds.
$(E1K_OBJS): CPPFLAGS_DS += -Idrivers/examples/e1000

$(E1K_BIN): $(BUILD)/tests/vm/%: $(BUILD)/obj/tests/vm/%.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

$(E1K_SAN_BIN): $(BUILD)/san/tests/vm/%: $(BUILD)/san/obj/tests/vm/%.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANFLAGS) -o $@ $^

ALL_TARGETS += $(E1K_BIN)

.PHONY: e1000-load
e1000-load:
	$(Q)$(call ds_suite,e1000-load,$(E1K_BIN) $(E1K_SAN_BIN),tests/vm/test-e1000-load.sh $(BUILD)/san/tests/vm)

CHECK_FAST += e1000-load
# The VM suites and the demo run the generator on the host.
check-matrix demo: $(E1K_BIN)
