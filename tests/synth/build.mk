# devstate-synth: synthetic blobs and regions for tests and benchmarks.
# synth.c is a library-like pair with synth.h, linked into the unit tests,
# the fuzzer seeds and the benchmarks as well.

SYNTH_OBJ     := $(BUILD)/obj/tests/synth/synth.o
SYNTH_SAN_OBJ := $(BUILD)/san/obj/tests/synth/synth.o
DS_SYNTH      := $(BUILD)/bin/devstate-synth

$(DS_SYNTH): $(BUILD)/obj/tests/synth/synth_main.o $(SYNTH_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^

ALL_TARGETS += $(DS_SYNTH)
