# Scenario "ivshmem-bridge": QEMU's ivshmem-plain behind a PCI-to-PCI
# bridge, driven by the second example driver (devstate_ivshmem.ko). What
# survives here is not work in flight but the contents of a 4 MiB 64-bit
# prefetchable BAR, which the adopt path must leave untouched.
# First kernel: the driver goes cold and writes its header; fill the shared
# memory with a pattern, note its checksum, keep-alive kexec.
# Second kernel: the driver adopted (its own checksum of the memory matches
# the one saved at freeze), the pattern is intact, the record's bridge path
# is the live bridge: `devstate dump -t` shows the device under it and
# `devstate verify` finds the incoming record matches the live tree.
# The variants ivshmem-mismatch-bar and ivshmem-tamper reuse these helpers.

DEVICES="-object memory-backend-ram,id=hostmem,size=4M -device pci-bridge,id=br1,chassis_nr=1 -device ivshmem-plain,memdev=hostmem,bus=br1,addr=3"

IVS_SEED=5eed1234

# ivs_bdf: the PCI address of the ivshmem device (1af4:1110).
ivs_bdf() { dsvm_pci_bdf 0x1af4 0x1110; }

# ivs_dbg: the driver's test interface, a debugfs directory per device.
ivs_dbg() { echo "/sys/kernel/debug/devstate_ivshmem/$(ivs_bdf)"; }

# ivs_bridge BDF: the bridge above BDF, from the sysfs device path.
ivs_bridge() { basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$1")")"; }

ivs_insmod() { dsvm_insmod_example ivshmem; }

# ivs_report PREFIX: the driver's state file as DSVM lines PREFIX_key.
ivs_report() {
	st=$(ivs_dbg)/state
	[ -r "$st" ] || { dsvm_say "$1_state" missing; return 1; }
	while read -r k v; do
		dsvm_say "$1_$k" "$v"
	done < "$st"
}

# ivs_where: where the device is and the bridge above it, before any driver.
ivs_where() {
	bdf=$(ivs_bdf)
	dsvm_say bdf "$bdf"
	dsvm_say bridge "$(ivs_bridge "$bdf")"
	dsvm_pci_command "$bdf" dev
}

# ivs_stage1 [KNOB]: cold start, fill, optional devstate test knob or driver
# command, keep-alive kexec.
ivs_stage1() {
	ivs_where
	dsvm_insmod_devstate && ivs_insmod || return
	ivs_report first
	echo "fill $IVS_SEED" > "$(ivs_dbg)/ctl"
	dsvm_say fill $?
	ivs_report filled
	case "${1:-}" in
	"") ;;
	tamper-at-jump) echo "$1" > "$(ivs_dbg)/ctl"; dsvm_say knob $? ;;
	*) echo "$1 $bdf" > "$DS_DBG/test"; dsvm_say knob $? ;;
	esac
	dsvm_kexec_keepalive
}

# ivs_tool: what the inspection tool says about the incoming blob: the
# device's parent in the tree view, the record's bridge path, BAR2 and
# interrupt mode, and verify's verdict against the live PCI tree.
ivs_tool() {
	in=$DS_DBG/incoming.dtb
	devstate dump -t "$in" > /tmp/tree.txt 2>&1
	dsvm_say tree_rc $?
	sed 's/^/TREE: /' /tmp/tree.txt
	# The slot one indentation level above the device's line.
	dsvm_say tree_parent "$(awk '
		match($0, /^ *[0-9a-f]+:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7] /) {
			d = match($0, /[^ ]/) - 1; slot[d] = $1
			if ($0 ~ / 1af4:1110/) { print slot[d - 2]; exit }
		}' /tmp/tree.txt)"
	devstate dump -j "$in" > /tmp/dump.json 2>&1
	dsvm_say rec_bridge_path "$(sed -n 's/.*"bridge_path":\[\([^]]*\)\].*/\1/p' /tmp/dump.json | tr -d '"')"
	dsvm_say rec_irq_mode "$(sed -n 's/.*"irq":{"mode":"\([a-z]*\)".*/\1/p' /tmp/dump.json)"
	dsvm_say rec_bar2 "$(sed -n 's/^[[:space:]]*BAR2: //p' /tmp/tree.txt)"
	devstate verify -v "$in" > /tmp/verify.txt 2>&1
	dsvm_say verify_rc $?
	sed 's/^/VERIFY: /' /tmp/verify.txt
	dsvm_say verify_device "$(grep -E "^$bdf " /tmp/verify.txt)"
	devstate verify -j "$in" > /tmp/verify.json 2>&1
	dsvm_say verify_bridge "$(grep -o '"field": *"bridge-path"[^}]*' /tmp/verify.json)"
}

stage1() { ivs_stage1 ""; }

stage2() {
	ivs_where
	dsvm_insmod_devstate && ivs_insmod || return
	ivs_report adopt
	dsvm_devstate_report
	if command -v devstate >/dev/null; then
		ivs_tool
	else
		dsvm_say skip "the devstate tool (build/bin/devstate) is not built yet"
	fi
}

check_ivshmem_bridge() {
	ivs_h_bdf=$(vm_get "$log" bdf 1)
	br=$(vm_get "$log" bridge 2)
	crc=$(vm_get "$log" filled_crc32 1)
	# the first kernel: behind the bridge, cold, a pattern written
	expect bdf 0000:01:03.0 1
	expect first_path cold 1
	expect filled_pattern_ok 1 1
	expect filled_generation 1 1
	expect filled_bar2_64bit 1 1
	expect filled_bar2_prefetch 1 1
	expect filled_bar2_size 0x400000 1
	expect_match filled_crc32 '^0x[0-9a-f]{8}$' 1
	# the same device at the same place, memory decoding still on
	expect bdf "$ivs_h_bdf" 2
	expect_match bridge '^0000:00:' 2
	expect dev_mem 1 2
	# ivshmem does no DMA: keep-alive gave it no bus mastering either
	expect dev_master 0 2
	expect_log 'restored on 0 devices, .*found off: 0 devices, 0 bridges' 1
	# adopted, memory untouched: the checksum the first kernel saw, its
	# pattern, no cold initialisation
	expect adopt_path adopted 2
	expect adopt_inits 0 2
	expect adopt_crc32 "$crc" 2
	expect adopt_saved_crc32 "$crc" 2
	expect adopt_pattern_ok 1 2
	expect adopt_seed 0x5eed1234 2
	expect adopt_generation 1 2
	expect adopt_bar2_start "$(vm_get "$log" filled_bar2_start 1)" 2
	expect adopt_intx_disabled 1 2
	expect ds_records_in 1 2
	expect ds_adopted 1 2
	expect ds_cold 0 2
	# the record, as the tool reads it: under the live bridge, BAR2 as it is
	expect tree_rc 0 2
	expect tree_parent "$br" 2
	expect rec_bridge_path "$br" 2
	expect rec_irq_mode none 2
	expect_match rec_bar2 "^mem,64bit,prefetch at $(vm_get "$log" adopt_bar2_start 2) \[size=0x400000\]" 2
	expect verify_rc 0 2
	expect_match verify_device ': adopt$' 2
	# verify names bridges without the domain: 00:03.0
	expect_match verify_bridge "\"record\": *\"${br#0000:}\", *\"live\": *\"${br#0000:}\", *\"status\": *\"ok\"" 2
	expect oops 0 2
	expect warn 0 2
}
