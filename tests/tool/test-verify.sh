#!/usr/bin/env bash
# `devstate verify` against `lspci -x`-format dumps read through libpci
# (-A dump -O dump.name=FILE): no hardware needed. tool-fixture writes a
# blob with a consistent topology and dumps of the machine it describes,
# matching or broken in one named way per device; for each break it prints
# the exact line verify must report, which is checked here, next to the
# cold reason: the one the next kernel's ds_lookup() would log, since both
# call the same rule (ds_record_match()).
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh
# This suite is about verdicts, in lspci -n's numbers: names are
# test-names.sh's. A database that is not there gives just the numbers.
export DEVSTATE_PCI_IDS=$tmp/no-pci.ids

"$FIXTURE" blob --seed 3 --devices 6 -o "$tmp/fx.dtb" || exit 2
"$FIXTURE" pcidump "$tmp/fx.dtb" -o "$tmp/match.dump" || exit 2

# Record positions in the fixture topology (see fixture.c).
s0=0000:00:01.0   # root bus
s1=0000:12:00.0   # behind root port 00:02.0
s2=0000:15:00.0   # behind root port 00:03.0 and switch port 14:00.0
s3=0000:00:04.0
s4=0000:18:00.0
s5=0000:1b:00.0

verify() {
	"$DEVSTATE" verify -A dump -O "dump.name=$1" "${@:2}"
}

# --- every record matches what config space shows; sizes it cannot show,
# so no adoption is promised: the kernel compares them.
expect_rc 1 "matching dump: nothing differs, nothing promised" verify "$tmp/match.dump" "$tmp/fx.dtb"
contains "$out" "6 records: 0 adopt, 0 cold, 0 absent, 6 unverified" "matching dump: summary"
for s in $s0 $s1 $s2 $s3 $s4 $s5; do
	grep -q "^$s [0-9a-f]*:[0-9a-f]*: unverified$" <<<"$out" &&
		ok "matching dump: $s unverified" || not_ok "matching dump: $s unverified"
done
contains "$out" "(libpci method dump)" "the dump access method was used"
contains "$out" "bar0.size: record 0x" "matching dump: the sizes not compared are named"
lacks "$out" ": cold:" "matching dump: nothing goes cold"
expect_rc 1 "matching dump, -v" verify "$tmp/match.dump" -v "$tmp/fx.dtb"
contains "$out" "bridge-path: 00:03.0 14:00.0 ok" "-v: two-level bridge chain checked"
contains "$out" "bridge-path: root bus ok" "-v: root-bus device checked"
contains "$out" "bar0.start: 0x" "-v: BAR starts compared"
contains "$out" "state-compatible: devstate-synth,state-v1 ok" "-v: driver-state compatible checked"
# Sizes are not in config space: listed, never compared.
contains "$out" "live not known: not compared" "-v: BAR sizes from a dump are not compared"

# --- one break per device; the fixture prints what verify must say
"$FIXTURE" pcidump "$tmp/fx.dtb" -o "$tmp/broken.dump" \
	-m "bar:$s0" -m "id:$s1" -m "absent:$s2" -m "flags:$s3" \
	-m "class:$s4" -m "chain:$s5" >"$tmp/expect" || exit 2
expect_rc 1 "broken dump: mismatches found" verify "$tmp/broken.dump" "$tmp/fx.dtb"
contains "$out" "6 records: 0 adopt, 5 cold, 1 absent, 0 unverified" "broken dump: summary"
# The reason each break gives, in the kernel's words (ds_reason_str()).
for pair in "$s0 bar-mismatch" "$s1 id-mismatch" "$s3 bar-mismatch" \
	    "$s4 class-mismatch" "$s5 bridge-mismatch"; do
	s=${pair% *} reason=${pair#* }
	grep -q "^$s [0-9a-f]*:[0-9a-f]*: cold: $reason$" <<<"$out" &&
		ok "broken dump: $s goes cold: $reason" ||
		not_ok "broken dump: $s goes cold: $reason"
done
grep -q "^$s2 [0-9a-f]*:[0-9a-f]*: absent$" <<<"$out" &&
	ok "broken dump: $s2 verdict is absent" || not_ok "broken dump: $s2 verdict is absent"
while IFS=$'\t' read -r slot line; do
	# Each expected line follows its device's verdict line.
	block=$(awk -v s="$slot " 'index($0, s) == 1 {p = 1; print; next}
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:/ {p = 0} p' <<<"$out")
	contains "$block" "	$line" "broken dump: $slot says '$line'"
	# Only the broken field differs.
	n=$(grep -v "not compared" <<<"$block" | grep -c $'^\t')
	[ "$n" -eq 1 ] && ok "broken dump: $slot has exactly one difference" ||
		not_ok "broken dump: $slot has $n differences, want 1"
done <"$tmp/expect"

# --- the same machine as a fake sysfs tree: libpci's linux-sysfs method
# knows BAR sizes, so they are compared, and a wrong size is found.
"$FIXTURE" sysfs "$tmp/fx.dtb" -o "$tmp/sysfs-match" || exit 2
sysfs_verify() {
	"$DEVSTATE" verify -A linux-sysfs -O "sysfs.path=$1" "${@:2}"
}
expect_rc 0 "sysfs: every record adopted" sysfs_verify "$tmp/sysfs-match" -v "$tmp/fx.dtb"
contains "$out" "(libpci method linux-sysfs)" "sysfs: the sysfs method was used"
contains "$out" "6 records: 6 adopt, 0 cold" "sysfs: summary"
lacks "$out" "not compared" "sysfs: every BAR size compared"
contains "$out" "bar0.size: 0x" "sysfs: sizes are checked"
"$FIXTURE" sysfs "$tmp/fx.dtb" -o "$tmp/sysfs-broken" -m "size:$s0" -m "id:$s3" \
	-m "chain:$s2" >"$tmp/expect-sysfs" || exit 2
expect_rc 1 "sysfs: broken tree" sysfs_verify "$tmp/sysfs-broken" "$tmp/fx.dtb"
contains "$out" "6 records: 3 adopt, 3 cold" "sysfs: summary"
grep -q "^$s0 [0-9a-f]*:[0-9a-f]*: cold: bar-mismatch$" <<<"$out" &&
	ok "sysfs: a wrong size is bar-mismatch" || not_ok "sysfs: a wrong size is bar-mismatch"
while IFS=$'\t' read -r slot line; do
	block=$(awk -v s="$slot " 'index($0, s) == 1 {p = 1; print; next}
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:/ {p = 0} p' <<<"$out")
	contains "$block" "	$line" "sysfs: $slot says '$line'"
done <"$tmp/expect-sysfs"
# The same wrong size in a dump goes unseen, but is never promised away:
# the device stays unverified, not adopted.
"$FIXTURE" pcidump "$tmp/fx.dtb" -o "$tmp/size.dump" -m "size:$s0" >/dev/null || exit 2
expect_rc 1 "dump: a wrong BAR size cannot be seen in config space" verify "$tmp/size.dump" "$tmp/fx.dtb"
grep -q "^$s0 [0-9a-f]*:[0-9a-f]*: unverified$" <<<"$out" &&
	ok "dump: the device with an unseen size is unverified" ||
	not_ok "dump: the device with an unseen size is unverified"

# --- record faults the kernel also sends cold: another record version, and
# a record without driver state (no driver could read it).
node=$(fdtget -l "$tmp/fx.dtb" / | head -1)
cells=$(fdtget -t x "$tmp/fx.dtb" "/$node" pci)
cp "$tmp/fx.dtb" "$tmp/v9.dtb"
# shellcheck disable=SC2086
fdtput -t x "$tmp/v9.dtb" "/$node" pci 9 ${cells#* } || exit 2
expect_rc 1 "unknown record version" sysfs_verify "$tmp/sysfs-match" "$tmp/v9.dtb"
contains "$out" "cold: unknown-version" "unknown record version: unknown-version, as the kernel says"
contains "$out" "5 adopt, 1 cold" "unknown record version: the others are adopted"
cp "$tmp/fx.dtb" "$tmp/nostate.dtb"
fdtput -r "$tmp/nostate.dtb" "/$node/driver-state" || exit 2
expect_rc 1 "record without driver state" sysfs_verify "$tmp/sysfs-match" "$tmp/nostate.dtb"
contains "$out" "cold: state-mismatch" "no driver state: state-mismatch, as the kernel says"
contains "$out" "state-compatible: record none, live " "no driver state: the field is named"

# --- the same records in a sealed region file
"$FIXTURE" blob --seed 3 --devices 6 --region -o "$tmp/fx.region" || exit 2
expect_rc 1 "region file: same verdicts as the bare blob" verify "$tmp/broken.dump" "$tmp/fx.region"
contains "$out" "6 records: 0 adopt, 5 cold, 1 absent, 0 unverified" "region file: summary"
expect_rc 0 "region file: matching sysfs tree" sysfs_verify "$tmp/sysfs-match" "$tmp/fx.region"
expect_rc 1 "diff of the bare blob and the region: the header differs" "$DEVSTATE" diff "$tmp/fx.dtb" "$tmp/fx.region"
lacks "$out" " 0000:" "diff of the bare blob and the region: the devices do not"

# --- JSON verdicts
expect_rc 1 "broken dump, JSON" verify "$tmp/broken.dump" -j "$tmp/fx.dtb"
contains "$out" "\"slot\":\"$s1\",\"verdict\":\"cold\",\"reason\":\"id-mismatch\"" "JSON: $s1 cold, id-mismatch"
contains "$out" "\"slot\":\"$s2\",\"verdict\":\"absent\"" "JSON: $s2 absent"
contains "$out" '"field":"device","record":"' "JSON: the differing field is named"
contains "$out" '"status":"differs"' "JSON: its status is differs"
contains "$out" '"result":"not-all-adopted"' "JSON: overall result not-all-adopted"
expect_rc 0 "matching sysfs tree, JSON" sysfs_verify "$tmp/sysfs-match" -j "$tmp/fx.dtb"
contains "$out" '"result":"adopt"' "JSON: overall result adopt"
contains "$out" '"verdict":"adopt","reason":"adopt"' "JSON: each verdict with its reason"
lacks "$out" '"status":"differs"' "JSON: nothing differs"

# --- selectors: only the chosen records are verified
expect_rc 0 "-s selects the matching device only" verify "$tmp/broken.dump" -s 00:02 "$tmp/fx.dtb"
contains "$out" "0 records" "-s 00:02 selects no record" 
expect_rc 1 "-s 12: selects one broken device" verify "$tmp/broken.dump" -s 12: "$tmp/fx.dtb"
contains "$out" "1 record: 0 adopt, 1 cold" "-s 12: one record verified"
vendor=$(awk -v s="$s1 " 'index($0, s) == 1 {print $2}' <<<"$out" | cut -d: -f1)
expect_rc 1 "-d $vendor: selects by vendor" verify "$tmp/broken.dump" -d "$vendor:" "$tmp/fx.dtb"
lacks "$out" "0 records" "-d $vendor: selects some records"

# --- errors: libpci problems are reported, never exit the process blindly
expect_rc 2 "missing dump file" verify "$tmp/nope.dump" "$tmp/fx.dtb"
contains "$err" "libpci: dump: Cannot open" "missing dump: libpci's message"
printf '0000:00:01.0 x\n00: zz\n' >"$tmp/bad.dump"
expect_rc 2 "malformed dump file" verify "$tmp/bad.dump" "$tmp/fx.dtb"
contains "$err" "Malformed line" "malformed dump: libpci's message"
expect_rc 2 "malformed dump, JSON" verify "$tmp/bad.dump" -j "$tmp/fx.dtb"
contains "$out" '{"error":{"message":"libpci: dump: Malformed line"' "malformed dump: JSON error"
expect_rc 2 "unknown access method" "$DEVSTATE" verify -A no-such-method "$tmp/fx.dtb"
expect_rc 2 "unknown libpci parameter" "$DEVSTATE" verify -O no.such=1 "$tmp/fx.dtb"
expect_rc 2 "-O without =" "$DEVSTATE" verify -O dump.name "$tmp/fx.dtb"
"$SYNTH" --devices 2 --seed 1 --format region -o "$tmp/r.region" || exit 2
printf '\x01' | dd of="$tmp/r.region" bs=1 seek=500 conv=notrunc 2>/dev/null
expect_rc 2 "a region with a bad CRC is not verified" verify "$tmp/match.dump" "$tmp/r.region"
contains "$err" "cannot verify: blob CRC mismatch" "bad CRC: the reason is given"
tap_done
