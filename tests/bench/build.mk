# devstate-bench: the shared writer and reader against libfdt and memcpy.
# `make bench` runs the full benchmark (docs/performance.md); make check runs
# it once with tiny inputs (check-bench-smoke) so it cannot rot.
# Built with the normal -O2 flags, never with sanitizers: it measures time.

BENCH      := $(BUILD)/bin/devstate-bench
BENCH_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/bench/*.c))

$(BENCH_OBJS): CPPFLAGS_DS += -Itests/synth

# tests/synth/build.mk is read after this file: name its object directly.
$(BENCH): $(BENCH_OBJS) $(BUILD)/obj/tests/synth/synth.o $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lfdt

ALL_TARGETS += $(BENCH)

.PHONY: bench check-bench-smoke
bench: $(BENCH)
	$(Q)$(BENCH) $(if $(BENCH_VM_LOGS),--vm-logs $(BENCH_VM_LOGS))

check-bench-smoke: $(BENCH)
	$(Q)mk/run-suite.sh bench-smoke tests/bench/smoke.sh $(BENCH)

CHECK_FAST += check-bench-smoke
