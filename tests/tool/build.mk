# Tests of devstate(1). Every suite runs the ASan+UBSan build of the tool
# (build/san/bin/devstate) and prints TAP through mk/run-suite.sh; the
# programs a suite needs are built inside its recipe (ds_suite, in
# tests/build.mk), so a build failure is a failed suite.
#
#   tool-golden   dump output (plain, -v, JSON) against tests/tool/golden/
#   tool-check    check's verdicts and exit codes on corrupted inputs, and
#                 its agreement with libfdt
#   tool-verify   verify against `lspci -x` dumps written by tool-fixture
#   tool-cli      dispatch, help, errors, dump from debugfs and from KHO's
#                 handover, diff, selectors
#   tool-docs     help text, man page and bash completion agree
#   tool-names    vendor, device and class names in dump and verify, -n
#   tool-status   status against fixture debugfs trees: plain, JSON, exit
#                 statuses, missing and damaged files
#   tool-fuzz     libFuzzer smoke run over dump and check
#
# make update-golden regenerates the goldens after an intended change.

# tools/devstate/build.mk is read after this file: name its outputs here.
TOOL_BIN         := $(BUILD)/bin/devstate
TOOL_SAN_BIN     := $(BUILD)/san/bin/devstate
TOOL_FIXTURE     := $(BUILD)/tests/tool/tool-fixture
TOOL_TEST_DEPS   := $(TOOL_SAN_BIN) $(DS_SYNTH) $(TOOL_FIXTURE)

$(TOOL_FIXTURE): $(BUILD)/obj/tests/tool/fixture.o $(SYNTH_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

.PHONY: tool-golden tool-check tool-verify tool-cli tool-docs tool-names tool-status tool-fuzz update-golden
tool-golden:
	$(Q)$(call ds_suite,tool-golden,$(TOOL_TEST_DEPS),tests/tool/test-golden.sh)
tool-check:
	$(Q)$(call ds_suite,tool-check,$(TOOL_TEST_DEPS),tests/tool/test-check.sh)
tool-verify:
	$(Q)$(call ds_suite,tool-verify,$(TOOL_TEST_DEPS),tests/tool/test-verify.sh)
tool-cli:
	$(Q)$(call ds_suite,tool-cli,$(TOOL_TEST_DEPS) $(TOOL_BIN),tests/tool/test-cli.sh)
tool-docs:
	$(Q)$(call ds_suite,tool-docs,$(TOOL_TEST_DEPS),tests/tool/test-docs.sh)
tool-names:
	$(Q)$(call ds_suite,tool-names,$(TOOL_TEST_DEPS),tests/tool/test-names.sh)
tool-status:
	$(Q)$(call ds_suite,tool-status,$(TOOL_TEST_DEPS),tests/tool/test-status.sh)

update-golden: $(TOOL_BIN) $(DS_SYNTH) $(TOOL_FIXTURE)
	$(Q)DEVSTATE=$(TOOL_BIN) tests/tool/test-golden.sh --update

CHECK_FAST += tool-golden tool-check tool-verify tool-cli tool-docs tool-names tool-status

# The libFuzzer target: the tool's code (without main.c) and the shared
# code, built with clang for libFuzzer, ASan and UBSan.
FUZZ_DIR       := $(BUILD)/fuzz-tool
FUZZ_TOOL      := $(FUZZ_DIR)/fuzz-devstate
FUZZ_TOOL_SRCS := $(filter-out tools/devstate/main.c,$(wildcard tools/devstate/*.c)) \
		  $(LIB_SRCS) tests/tool/fuzz_tool.c
FUZZ_TOOL_OBJS := $(FUZZ_TOOL_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_SANFLAGS  := -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) -std=gnu11 $(WARN) $(CPPFLAGS_DS) $(DST_CFLAGS) $(FUZZ_SANFLAGS) \
		-fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(FUZZ_TOOL): $(FUZZ_TOOL_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_SANFLAGS) -fsanitize=fuzzer,address,undefined -o $@ \
		$^ $(DST_LIBS)

FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 1000000
.PHONY: tool-fuzz
tool-fuzz:
	$(Q)$(call ds_suite,tool-fuzz,$(FUZZ_TOOL) $(DS_SYNTH) $(TOOL_FIXTURE),\
		tests/tool/test-fuzz.sh $(FUZZ_TOOL) $(FUZZ_SECONDS) $(FUZZ_RUNS))

CHECK_FAST += tool-fuzz
