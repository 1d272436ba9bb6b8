# Kernel modules, built by Kbuild out of the source tree.
#
# KDIR: the headers (or kernel build tree) to build against; by default the
# running kernel's build directory when it exists, else the newest installed
# Debian linux-headers-*-amd64. `make KDIR=...` overrides; the VM suites set
# it for each kernel of the matrix (tests/vm/kernels/).
#
# The modules of one kernel release go to build/kmod/RELEASE/ (plain) or
# build/kmod/RELEASE-testing/ (DS_TESTING=1): mk/kmod-tree.sh lays the sources
# out there and Kbuild builds beside them, so `make modules` leaves nothing in
# the source tree and two kernels never share objects.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
# The release a module built against KDIR must run on (its vermagic).
KRELEASE = $(shell mk/kernel-release.sh $(KDIR))
KOBJ = $(BUILD)/kmod/$(KRELEASE)$(if $(filter 1,$(DS_TESTING)),-testing)
KMAKE = $(MAKE) -C $(KDIR) M=$(abspath $(KOBJ))

# DS_TESTING=1 (make modules DS_TESTING=1) adds the fault-injection knob and
# the test module tests/kernel/api/ds_apitest.ko.
.PHONY: modules clean-modules
modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "devstate: no kernel headers; run 'make deps' or set KDIR=" >&2; exit 1; }
	@test -n "$(KRELEASE)" || { echo "devstate: $(KDIR) has no include/generated/utsrelease.h; is it a configured kernel tree?" >&2; exit 1; }
	$(Q)mk/kmod-tree.sh $(KOBJ)
	$(KMAKE) modules
	@echo "devstate: modules for $(KRELEASE) in $(KOBJ)/"

clean-modules:
	rm -rf $(BUILD)/kmod
