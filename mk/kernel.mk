# Kernel modules, built by Kbuild against Debian's 6.1 headers.
#
# KDIR: the running kernel's build directory when it exists, else the newest
# installed Debian linux-headers-*-amd64; `make KDIR=...` overrides.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

# DS_TESTING=1 (make modules DS_TESTING=1) adds the fault-injection knob and
# the test module tests/kernel/api/ds_apitest.ko; clean removes both kinds.
.PHONY: modules clean-modules
modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "devstate: no kernel headers; run 'make deps' or set KDIR=" >&2; exit 1; }
	$(KMAKE) modules

clean-modules:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then $(KMAKE) clean DS_TESTING=1 >/dev/null; fi
