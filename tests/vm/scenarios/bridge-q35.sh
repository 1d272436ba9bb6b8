# Scenario "bridge-q35": the bridge scenario on a PCIe machine (q35), where
# a kernel with ACPI PCI hotplug boots the bridge with bus mastering on
# and would turn it on again at the next boot anyway: the restore's own
# count shows what the kexec did to it (see bridge.sh).
# Helpers and checks: bridge.sh.

for f in /dsvm/bridge.sh tests/vm/scenarios/bridge.sh; do
	[ -f "$f" ] && . "$f" && break
done

DEVICES="-M q35 $DEVICES"

check_bridge_q35() {
	# boot_master is 1 or 0 by the kernel's PCI hotplug (see bridge.sh):
	# reported, not checked
	bridge_checks
}
