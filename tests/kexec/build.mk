# devstate-kexec on the host: fake sysfs, proc and boot files and a fake
# kexec (tests/kexec/test-helper.sh), under dash and busybox sh. The real
# kexec is the VM scenario "helper"'s.
.PHONY: kexec-helper
kexec-helper:
	$(Q)mk/run-suite.sh kexec-helper tests/kexec/test-helper.sh
CHECK_FAST += kexec-helper
