# Unit tests of the shared blob code: one small TAP program per behaviour.
# Each is built twice, plain (-O2, catches what optimisation warns about) and
# with ASan+UBSan against $(LIB_SAN); make check-fast runs the sanitized one.

UNIT_TESTS   := synth writer reader record region strerror libfdt fdtdiff malformed nospace stray cost \
                index crc32c match kept
UNIT_HELPERS := tests/unit/tap.c tests/unit/fdt_fixture.c tests/synth/synth.c
UNIT_LIBS    := -lfdt

UNIT_BIN     := $(UNIT_TESTS:%=$(BUILD)/tests/unit/test_%)
UNIT_SAN_BIN := $(UNIT_TESTS:%=$(BUILD)/san/tests/unit/test_%)

$(UNIT_BIN): $(BUILD)/tests/unit/test_%: $(BUILD)/obj/tests/unit/test_%.o \
		$(UNIT_HELPERS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(UNIT_LIBS)

$(UNIT_SAN_BIN): $(BUILD)/san/tests/unit/test_%: $(BUILD)/san/obj/tests/unit/test_%.o \
		$(UNIT_HELPERS:%.c=$(BUILD)/san/obj/%.o) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(UNIT_LIBS)

.PHONY: unit-tests $(UNIT_TESTS:%=unit-%) unit-dtc
unit-tests: $(UNIT_BIN) $(UNIT_SAN_BIN)

# A suite needs both builds (the plain one must compile warning-free too).
$(UNIT_TESTS:%=unit-%): unit-%:
	$(Q)$(call ds_suite,unit-$*,$(BUILD)/tests/unit/test_$* $(BUILD)/san/tests/unit/test_$*,$(BUILD)/san/tests/unit/test_$*)

unit-dtc:
	$(Q)$(call ds_suite,unit-dtc,$(DS_SYNTH),tests/unit/test-dtc.sh $(DS_SYNTH))

CHECK_FAST += $(UNIT_TESTS:%=unit-%) unit-dtc
