#!/usr/bin/env bash
# make demo: first a NIC under traffic, QEMU's e1000 answering a steady
# stream of requests from the host through a keep-alive kexec and through a
# plain one (the VM scenarios e1000-keepalive and e1000-cold), and what
# each cost the client; then keep QEMU's edu device alive across a kexec
# while it works, do the same kexec the ordinary way (the next kernel
# resets and initialises the device), and report what was handed over,
# adopted, kept, lost, and the service gap of each. Guest side:
# tests/vm/scenarios/e1000-*.sh and tests/vm/scenarios/demo.sh.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/lib.sh

vm_prepare >/dev/null

# demo_nic MODE: one run of scenario e1000-MODE, with its host-side load
# generator, into the log demo-e1000-MODE.
demo_nic() {
	local name=e1000-$1 region=region
	local log=$VM_LOGS/demo-e1000-$1.log	# vm_e1000_start watches it
	# shellcheck source=/dev/null
	. "tests/vm/scenarios/$name.sh"
	declare -F scenario_noregion >/dev/null && region=noregion
	vm_host_start
	vm_boot "demo-$name" "$(vm_cmdline "$name" "$region")"
	[ $? -eq 124 ] && echo "demo: the $1 guest hung; log $log"
	vm_host_finish "$log"
	unset -f stage1 stage2 scenario_noregion scenario_host_start scenario_host_finish
	unset DEVICES
}

echo "devstate demo: QEMU ($VM_ACCEL), guest kernel ${VM_KERNEL##*/}"
echo
echo "== a NIC under traffic: -device e1000, 200 requests/s from the host =="
for mode in keepalive cold; do
	echo "booting: $mode kexec ..."
	demo_nic $mode
done
NK=$VM_LOGS/demo-e1000-keepalive.log
NC=$VM_LOGS/demo-e1000-cold.log
nk() { vm_get "$NK" "$1" "${2:-host}"; }
nc() { vm_get "$NC" "$1" "${2:-host}"; }
echo
echo "  requests lost across the update: keep-alive $(nk lost) of $(nk sent), cold $(nc lost) of $(nc sent)"
echo "  longest time without a reply:    keep-alive $(nk gap_ms) ms, cold $(nc gap_ms) ms"
echo "  duplicates / damaged replies:    keep-alive $(nk dup) / $(nk corrupt), cold $(nc dup) / $(nc corrupt)"
echo "  keep-alive: the receiver ran on through the kexec into the preserved"
echo "  ring; the adopting driver found $(nk adopt_gap_frames 2) frames there and answered them."
echo "  cold: the old kernel stopped the NIC and the new one reset it; what"
echo "  arrived in between was dropped. Under TCG the kexec and boot take"
echo "  seconds, so both gaps are long; keep-alive's shows as delay, not loss."
echo
echo "== the edu device: state kept across the kexec =="

fail=0
for mode in keepalive cold; do
	echo "booting: $mode kexec ..."
	# The cold run has no region at all: devstate.ko, holding none, does
	# not freeze on the kexec path, and the driver quiesces as usual.
	region=region; [ $mode = cold ] && region=noregion
	vm_boot "demo-$mode" "$(vm_cmdline demo $region) dsvm.mode=$mode"
	rc=$?
	[ $rc -eq 124 ] && { echo "demo: the $mode guest hung; log $VM_LOGS/demo-$mode.log"; fail=1; }
	[ "$(vm_get "$VM_LOGS/demo-$mode.log" end)" = 2 ] ||
		{ echo "demo: the $mode run did not reach its second kernel; log $VM_LOGS/demo-$mode.log"; vm_tail "$VM_LOGS/demo-$mode.log" 15; fail=1; }
done
[ $fail -eq 0 ] || exit 1

K=$VM_LOGS/demo-keepalive.log
C=$VM_LOGS/demo-cold.log
k() { vm_get "$K" "$1" "${2:-2}"; }
c() { vm_get "$C" "$1" "${2:-2}"; }

# last_cycle LOG: the TSC of the last completion before the jump, as the
# first kernel's driver logged it at shutdown.
last_cycle() { sed -n 's/.*devstate_edu .*shutdown: .*last completion at cycle \([0-9]*\).*/\1/p' "$1" | head -n 1; }
# gap LOG FIRST KHZ: milliseconds from the last completion before the jump
# to FIRST (cycles), with the second kernel's TSC frequency.
gap_ms() {
	local last; last=$(last_cycle "$1")
	if [ -z "$last" ] || [ -z "$2" ] || [ "$2" = 0 ] || [ -z "$3" ]; then echo "?"; return; fi
	echo $(( ($2 - last) / $3 ))
}
secs() { [ "$1" = "?" ] && echo "?" || printf '%d.%03d s' $(($1 / 1000)) $(($1 % 1000)); }

echo
echo "== handed over (devstate dump of the incoming blob, second kernel) =="
if grep -q '^DUMP: ' "$K"; then
	sed -n 's/^DUMP: /  /p' "$K"
fi

echo
echo "== adopted or cold, and why =="
printf '  keep-alive kexec: edu %s (%s); devstate: %s records in, %s adopted, %s cold\n' \
	"$(k adopt_path)" "$(k adopt_reason)" "$(k ds_records_in)" "$(k ds_adopted)" "$(k ds_cold)"
printf '  plain kexec:      edu %s (%s); devstate: %s records in, %s adopted, %s cold\n' \
	"$(c adopt_path)" "$(c adopt_reason)" "$(c ds_records_in)" "$(c ds_adopted)" "$(c ds_cold)"

echo
echo "== nothing reset, nothing lost =="
row() { printf '  %-30s %-28s %s\n' "$@"; }
row "" "keep-alive kexec" "plain kexec (cold)"
row "bus mastering on arrival" "$(k arrival_master)" "$(c arrival_master)"
row "initialisations in kernel 2" "$(k adopt_inits)" "$(c adopt_inits)"
row "liveness register" "$(k adopt_live_read) (was $(k before_live_read 1))" "$(c adopt_live_read) (was $(c before_live_read 1))"
row "factorial completions" "$(k adopt_fact_done) (saved $(k adopt_prev_fact_done))" "$(c adopt_fact_done) (had $(c before_fact_done 1)+)"
row "DMA in flight at the jump" "$(grep -c 'shutdown: keep-alive, DMA in flight' "$K") (pattern $(k adopt_dma_seed))" \
	"$(grep -c 'shutdown: quiesce, DMA in flight' "$C")"
row "  its completion in the gap" "$(k adopt_gap_done) handled (irq 0x100)" "$(c adopt_gap_done) handled"
row "  its data in the buffer" "word0 $(k adopt_buf_word0), ok $(k adopt_dma_ok)" "word0 $(c adopt_buf_word0)"
row "DMA completions" "$(k adopt_dma_done) (saved $(k adopt_prev_dma_done))" "$(c adopt_dma_done)"
row "driver probe" "$(k adopt_probe_us) us (adopt)" "$(c adopt_probe_us) us (reset + init)"
row "new factorial after the jump" "5! = $(k after_fact_result)" "5! = $(c after_fact_result)"

gk=$(gap_ms "$K" "$(k after_first_done_cycles)" "$(k after_tsc_khz)")
gc=$(gap_ms "$C" "$(c after_first_done_cycles)" "$(c after_tsc_khz)")
echo
echo "== service gap: last completion before the jump -> first completion after =="
echo "  (guest TSC, which runs on across kexec, at the second kernel's rate)"
echo "  keep-alive: $(secs "$gk")   (the driver's own measure: $(( $(k after_gap_us) / 1000 )) ms)"
echo "  cold:       $(secs "$gc")   (reset + init)"
echo "  edu needs no slow initialisation, so under TCG both gaps are mostly the"
echo "  kexec and the kernel boot, and vary by seconds with the host's load;"
echo "  keep-alive's gain here is the state above, not time."
echo
echo "serial logs: $NK, $NC, $K, $C"
