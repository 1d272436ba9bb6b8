#!/usr/bin/env bash
# Vendor, device and class names from libpci's name database in `dump` and
# `verify`, as lspci -nn prints them; -n for numbers only, as lspci -n. The
# names come from the fixture tests/tool/pci.ids (lib.sh sets
# DEVSTATE_PCI_IDS), never from the machine's database, except one check of
# a stable entry of Debian's pci.ids (8086, Intel) when it is installed.
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

"$SYNTH" --devices 4 --seed 1 --format fdt -o "$tmp/s1.dtb" || exit 2
"$FIXTURE" blob --seed 3 --devices 2 -o "$tmp/f3.dtb" || exit 2
"$FIXTURE" pcidump "$tmp/f3.dtb" -o "$tmp/f3.dump" || exit 2
a=0000:42:00.0 b=0000:42:00.1 u=0000:42:00.3

# --- dump: lspci -nn's form, known and unknown names
expect_rc 0 "dump with the fixture's names" "$DEVSTATE" dump "$tmp/s1.dtb"
contains "$out" "$a Ethernet controller [0200]: Intel Corporation Fixture 10GbE Adapter [8086:51d7] (rev fe)" \
	"vendor, device and class named"
contains "$out" "$b Ethernet controller [0200]: Intel Corporation Device [8086:9037] (rev 43)" \
	"a device not in the database: its vendor named, 'Device' and the numbers"
contains "$out" "$u Unclassified device [00ff]: Fixture Virtual Devices Device [1234:d557]" \
	"another vendor"
expect_rc 0 "dump -n" "$DEVSTATE" dump -n "$tmp/s1.dtb"
contains "$out" "$a 0200: 8086:51d7 (rev fe)" "-n: numbers only, as lspci -n"
lacks "$out" "Intel" "-n: no names"
expect_rc 0 "dump --numeric" "$DEVSTATE" dump --numeric "$tmp/s1.dtb"
contains "$out" "$a 0200: 8086:51d7 (rev fe)" "--numeric is -n"

# --- JSON: the names alone, null when unknown or with -n
expect_rc 0 "dump -j" "$DEVSTATE" dump -j "$tmp/s1.dtb"
printf '%s\n' "$out" >"$tmp/s1.json"
names=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["devices"]
print([(x["vendor_name"], x["device_name"], x["class_name"]) for x in d[:2]])' "$tmp/s1.json")
[ "$names" = "[('Intel Corporation', 'Fixture 10GbE Adapter', 'Ethernet controller'), ('Intel Corporation', None, 'Ethernet controller')]" ] &&
	ok "JSON: vendor_name, device_name, class_name" || { not_ok "JSON names"; echo "# $names"; }
expect_rc 0 "dump -j -n" "$DEVSTATE" dump -j -n "$tmp/s1.dtb"
contains "$out" '"vendor_name":null,"device_name":null,"class_name":null' "JSON with -n: names null"

# --- verify: the device named in its verdict line
expect_rc 1 "verify with names" "$DEVSTATE" verify -A dump -O "dump.name=$tmp/f3.dump" "$tmp/f3.dtb"
contains "$out" "0000:12:00.0 Fixture Virtual Devices Device [1234:5abd]: unverified" "verify names the device"
contains "$out" "0000:00:01.0 Intel Corporation Device [8086:f34a]: unverified" "verify: a known vendor"
expect_rc 1 "verify -n" "$DEVSTATE" verify -n -A dump -O "dump.name=$tmp/f3.dump" "$tmp/f3.dtb"
contains "$out" "0000:12:00.0 1234:5abd: unverified" "verify -n: numbers only"
expect_rc 1 "verify -j" "$DEVSTATE" verify -j -A dump -O "dump.name=$tmp/f3.dump" "$tmp/f3.dtb"
contains "$out" '"vendor_name":"Fixture Virtual Devices"' "verify JSON: vendor_name"

# --- options and databases that are not there or not right
expect_rc 0 "-i names the file" "$DEVSTATE" dump -i "$PWD/tests/tool/pci.ids" "$tmp/s1.dtb"
contains "$out" "Fixture 10GbE Adapter" "-i: the fixture's names"
expect_rc 0 "a missing database: numbers" "$DEVSTATE" dump -i "$tmp/none.ids" "$tmp/s1.dtb"
contains "$out" "$a 0200: 8086:51d7 (rev fe)" "missing database: as -n"
printf '8086  Intel\nnot an ids line\n' >"$tmp/bad.ids"
expect_rc 0 "a malformed database: numbers, no exit from libpci" "$DEVSTATE" dump -i "$tmp/bad.ids" "$tmp/s1.dtb"
contains "$out" "$a 0200: 8086:51d7 (rev fe)" "malformed database: as -n"
contains "$err" "pci.ids: Parse error at $tmp/bad.ids, line 2; showing numbers" "malformed database: said once"
expect_rc 0 "a malformed database, JSON" "$DEVSTATE" dump -j -i "$tmp/bad.ids" "$tmp/s1.dtb"
[ -z "$err" ] && ok "JSON mode: nothing on stderr" || not_ok "JSON mode: nothing on stderr"
expect_rc 2 "-n is not status's" "$DEVSTATE" check -n "$tmp/s1.dtb"
contains "$err" "check does not take -n/-i" "-n on check explained"

# --- the machine's database, where installed: only a stable entry
ids=/usr/share/misc/pci.ids
if [ -r "$ids" ]; then
	expect_rc 0 "dump with Debian's pci.ids" "$DEVSTATE" dump -i "$ids" "$tmp/s1.dtb"
	contains "$out" "$a Ethernet controller [0200]: Intel Corporation " "8086 is Intel Corporation, 0200 Ethernet controller"
else
	ok "# SKIP $ids not installed (Debian package pci.ids)"
fi
tap_done
