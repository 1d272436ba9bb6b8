# Tests of devstate(1). Every suite runs the ASan+UBSan build of the tool
# (build/san/bin/devstate) and prints TAP through mk/run-suite.sh.
#
#   tool-golden   dump output (plain, -v, JSON) against tests/tool/golden/
#   tool-check    check's verdicts and exit codes on corrupted inputs, and
#                 its agreement with libfdt
#   tool-verify   verify against `lspci -x` dumps written by tool-fixture
#   tool-cli      dispatch, help, errors, diff, selectors
#   tool-docs     help text, man page and bash completion agree
#   tool-fuzz     libFuzzer smoke run over dump and check
#
# make update-golden regenerates the goldens after an intended change.

TOOL_FIXTURE     := $(BUILD)/tests/tool/tool-fixture
TOOL_TEST_DEPS   := $(DST_SAN_BIN) $(DS_SYNTH) $(TOOL_FIXTURE)

$(TOOL_FIXTURE): $(BUILD)/obj/tests/tool/fixture.o $(SYNTH_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lz

.PHONY: tool-golden tool-check tool-verify tool-cli tool-docs tool-fuzz update-golden
tool-golden: $(TOOL_TEST_DEPS)
	$(Q)mk/run-suite.sh tool-golden tests/tool/test-golden.sh
tool-check: $(TOOL_TEST_DEPS)
	$(Q)mk/run-suite.sh tool-check tests/tool/test-check.sh
tool-verify: $(TOOL_TEST_DEPS)
	$(Q)mk/run-suite.sh tool-verify tests/tool/test-verify.sh
tool-cli: $(TOOL_TEST_DEPS)
	$(Q)mk/run-suite.sh tool-cli tests/tool/test-cli.sh
tool-docs: $(TOOL_TEST_DEPS)
	$(Q)mk/run-suite.sh tool-docs tests/tool/test-docs.sh

update-golden: $(DST_BIN) $(DS_SYNTH)
	$(Q)tests/tool/test-golden.sh --update

CHECK_FAST += tool-golden tool-check tool-verify tool-cli tool-docs
