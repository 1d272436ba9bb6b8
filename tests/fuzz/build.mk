# libFuzzer targets over the shared parser, built with clang. The shared code
# is instrumented for coverage (fuzzer-no-link) and for ASan+UBSan; make
# check-fast runs a smoke campaign (FUZZ_RUNS runs or FUZZ_SECONDS).

FUZZ_CFLAGS  = -std=gnu11 $(WARN) $(CPPFLAGS_DS) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_RUNS    ?= 1000000
FUZZ_SECONDS ?= 60
FUZZ_REGION  := $(BUILD)/fuzz/fuzz_region

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_REGION): $(BUILD)/fuzz/obj/tests/fuzz/fuzz_region.o \
		$(LIB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -lfdt

.PHONY: fuzz-region
fuzz-region:
	$(Q)$(call ds_suite,fuzz-region,$(FUZZ_REGION) $(DS_SYNTH) $(BUILD)/tests/unit/test_fdtdiff,\
		env FUZZ_FDTDIFF=$(BUILD)/tests/unit/test_fdtdiff tests/fuzz/run-fuzz.sh \
		$(FUZZ_REGION) $(DS_SYNTH) $(FUZZ_RUNS) $(FUZZ_SECONDS))

CHECK_FAST += fuzz-region
