# Scenario "mismatch-bar": as "mismatch", but the record of the edu device
# carries another BAR0 start (devstate's test knob mismatch-bar). The next
# kernel must refuse to adopt: the device goes cold with the reason logged
# and shown by the driver, and it still works.

# The stages of "mismatch": /dsvm in the guest, the repository on the host.
for f in /dsvm/mismatch.sh tests/vm/scenarios/mismatch.sh; do
	[ -f "$f" ] && . "$f" && break
done

KNOB=mismatch-bar
REASON=bar-mismatch

check_mismatch_bar() {
	check_mismatch
}
