# devstate top-level build. `make help` lists the targets.
#
# Userspace objects go to build/; kernel modules are built by Kbuild in the
# source tree (make modules). Each part of the project adds its own rules in a
# build.mk next to its sources; this file only holds what they share.

BUILD    := build
CC       ?= cc
CLANG    ?= clang
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS_DS := -Isdk/include -Isdk/core/user -D_GNU_SOURCE
CFLAGS   ?= -O2 -g
CFLAGS_DS = -std=gnu11 $(WARN) $(CPPFLAGS_DS) $(CFLAGS)
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer

# The shared code: the same .c files Kbuild compiles into devstate.ko.
SHARED_SRCS := $(wildcard sdk/core/shared/*.c)
# What the userspace world adds to it (the kernel has its own): CRC-32C.
USER_SRCS   := $(wildcard sdk/core/user/*.c)
LIB_SRCS    := $(SHARED_SRCS) $(USER_SRCS)
LIB         := $(BUILD)/lib/libdevstate.a
LIB_SAN     := $(BUILD)/san/lib/libdevstate.a

# Parts append to these: programs `make` builds, suites `make check` runs.
ALL_TARGETS :=
CHECK_FAST  :=
CHECK_KERNEL :=
CHECK_VM    :=

.PHONY: all help check check-fast check-vm deps deps-vm modules demo bench clean
all: build-all

help:
	@echo "make            build the library, devstate-synth and the tools"
	@echo "make check      run every test (installs Debian packages as root)"
	@echo "make check-fast every test but the QEMU ones"
	@echo "make check-vm   only the QEMU suite"
	@echo "make modules    build the kernel modules (KDIR=... to choose headers)"
	@echo "make demo       keep an edu device alive across kexec in QEMU"
	@echo "make bench      benchmarks, as ratios against libfdt and memcpy"

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_DS) -MMD -MP -c $< -o $@

$(BUILD)/san/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_DS) $(SANFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_SAN): $(LIB_SRCS:%.c=$(BUILD)/san/obj/%.o)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

ALL_TARGETS += $(LIB)

# deps: the Debian packages userspace builds and tests need; deps-vm adds the
# guest kernel, QEMU and the initramfs tools.
deps:
	$(Q)mk/deps.sh build
deps-vm:
	$(Q)mk/deps.sh build vm

include $(sort $(wildcard */build.mk */*/build.mk))
include mk/kernel.mk

build-all: $(ALL_TARGETS)

# Every suite writes TAP into build/results/NAME.tap through mk/run-suite.sh;
# mk/summarize.sh adds them up into the closing "N passed, N failed" line.
# A suite target that fails before it can report (a build error) is recorded
# as a failure of its own, so no suite can vanish from the count.
define run-suites
	$(Q)rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results && date +%s >$(BUILD)/results/started
	$(Q)for t in $(1); do \
		$(MAKE) --no-print-directory $$t || \
		echo "not ok 1 - make $$t failed (see its output above)" > $(BUILD)/results/make-$$t.tap; \
	done
	$(Q)mk/summarize.sh $(BUILD)/results
endef

check-fast: deps
	$(call run-suites,$(CHECK_FAST) $(CHECK_KERNEL))

check-vm: deps-vm
	$(call run-suites,$(CHECK_VM))

check: deps-vm
	$(call run-suites,$(CHECK_FAST) $(CHECK_VM))

clean: clean-modules
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
