# Scenario "ivshmem-bridge-q35": the ivshmem-bridge scenario on a PCIe
# machine (q35): the shared memory survives behind the bridge there too.
# Helpers and checks: ivshmem-bridge.sh.

for f in /dsvm/ivshmem-bridge.sh tests/vm/scenarios/ivshmem-bridge.sh; do
	[ -f "$f" ] && . "$f" && break
done

DEVICES="-M q35 $DEVICES"

check_ivshmem_bridge_q35() { check_ivshmem_bridge; }
