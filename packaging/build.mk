# make install: what users of kernel modules expect, honouring DESTDIR and
# PREFIX. The modules are not installed as binaries: their sources and
# dkms.conf go to $(DKMS_SRC) so DKMS builds them for every installed kernel,
# including the one you are about to kexec into.

PREFIX   ?= /usr/local
DESTDIR  ?=
DKMS_SRC ?= /usr/src
VERSION  := $(shell cat VERSION)

INSTALL_ROOT = $(DESTDIR)$(PREFIX)
DKMS_DIR     = $(DESTDIR)$(DKMS_SRC)/devstate-$(VERSION)

# Module sources, as Kbuild needs them: never a *.mod.c an in-tree build
# may have left beside them.
DKMS_FILES = Kbuild $(filter-out %.mod.c,$(wildcard sdk/include/devstate/*.h \
	     sdk/core/shared/*.[ch] sdk/core/kernel/*.[ch] drivers/examples/Kbuild \
	     drivers/examples/*/Kbuild drivers/examples/*/*.[ch]))

.PHONY: install install-user install-dkms
install: install-user install-dkms

install-user: $(LIB) $(BUILD)/bin/devstate
	install -D -m 0644 $(LIB) $(INSTALL_ROOT)/lib/libdevstate.a
	install -D -m 0644 sdk/include/devstate/abi.h $(INSTALL_ROOT)/include/devstate/abi.h
	install -D -m 0644 sdk/include/devstate/blob.h $(INSTALL_ROOT)/include/devstate/blob.h
	install -D -m 0644 sdk/include/devstate/match.h $(INSTALL_ROOT)/include/devstate/match.h
	install -D -m 0644 sdk/include/devstate/driver.h $(INSTALL_ROOT)/include/devstate/driver.h
	install -d $(INSTALL_ROOT)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		packaging/devstate.pc.in > $(INSTALL_ROOT)/lib/pkgconfig/devstate.pc
	install -D -m 0755 $(BUILD)/bin/devstate $(INSTALL_ROOT)/bin/devstate
	install -D -m 0755 kexec-handoff/devstate-kexec $(INSTALL_ROOT)/sbin/devstate-kexec
	install -D -m 0644 docs/devstate.1 $(INSTALL_ROOT)/share/man/man1/devstate.1
	install -D -m 0644 docs/devstate-kexec.8 $(INSTALL_ROOT)/share/man/man8/devstate-kexec.8
	install -D -m 0644 tools/devstate/devstate.bash-completion \
		$(INSTALL_ROOT)/share/bash-completion/completions/devstate
	install -D -m 0644 packaging/devstate-freeze.service \
		$(INSTALL_ROOT)/lib/systemd/system/devstate-freeze.service

install-dkms:
	install -d $(DKMS_DIR)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_DIR)/$$f || exit 1; done
	sed -e 's|@VERSION@|$(VERSION)|' packaging/dkms.conf > $(DKMS_DIR)/dkms.conf
	install -m 0755 packaging/dkms-post-build $(DKMS_DIR)/dkms-post-build

CHECK_FAST += check-packaging
.PHONY: check-packaging
check-packaging: $(LIB)
	$(Q)mk/run-suite.sh packaging tests/packaging/test-install.sh

# An out-of-tree driver built against the installed headers (and, calling
# the exports directly, DKMS's Module.symvers) for each kernel of the matrix.
CHECK_FAST += check-packaging-oot
.PHONY: check-packaging-oot
check-packaging-oot: $(LIB)
	$(Q)mk/run-suite.sh packaging-oot tests/packaging/test-oot.sh

# make deb: the three Debian packages (debian/), built by dpkg-buildpackage
# from a copy of the files git tracks, so the build and its clean never touch
# this tree's build/; then lintian, which must report no error. The tools
# come from mk/packages.txt's deb group.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/devstate-$(VERSION)
.PHONY: deb
deb:
	$(Q)mk/deps.sh build deb
	$(Q)test "$$(dpkg-parsechangelog -S Version)" = "$(VERSION)" || \
		{ echo "devstate: debian/changelog is not at VERSION $(VERSION)" >&2; exit 1; }
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(Q)git ls-files -z | tar --null -T - -cf - | tar -xf - -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log >&2; exit 1; }
	$(Q)lintian --fail-on error $(DEB_DIR)/*.changes
	$(Q)ls $(DEB_DIR)/*.deb

CHECK_FAST += check-deb
.PHONY: check-deb
check-deb:
	$(Q)mk/run-suite.sh deb tests/packaging/test-deb.sh
