#!/usr/bin/env bash
# devstate(1)'s command line: dispatch and prefixes, help, version, usage
# errors (JSON too), dump without FILE (debugfs), selectors and diff.
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh
# Devices in lspci -n's numbers: names are test-names.sh's. A database
# that is not there gives just the numbers.
export DEVSTATE_PCI_IDS=$tmp/no-pci.ids

"$SYNTH" --devices 4 --seed 1 --format region -o "$tmp/a.region" || exit 2
"$SYNTH" --devices 4 --seed 1 --format fdt -o "$tmp/a.dtb" || exit 2
"$SYNTH" --devices 5 --seed 1 --format fdt -o "$tmp/a5.dtb" || exit 2

# The tool under test is the sanitized build.
if ldd "$DEVSTATE" | grep -q libasan && ldd "$DEVSTATE" | grep -q libubsan; then
	ok "$DEVSTATE runs under ASan and UBSan"
else
	not_ok "$DEVSTATE is not the ASan+UBSan build"
fi

# --- dispatch
expect_rc 0 "dump" "$DEVSTATE" dump "$tmp/a.dtb"
full=$out
for p in du dum; do
	expect_rc 0 "'$p' is dump" "$DEVSTATE" $p "$tmp/a.dtb"
	[ "$out" = "$full" ] && ok "'$p' prints what dump prints" || not_ok "'$p' prints what dump prints"
done
expect_rc 0 "'ch' is check" "$DEVSTATE" ch "$tmp/a.dtb"
contains "$out" "valid blob" "'ch' output is check's"
expect_rc 1 "'di' is diff" "$DEVSTATE" di "$tmp/a.dtb" "$tmp/a5.dtb"
expect_rc 2 "'d' is ambiguous" "$DEVSTATE" d "$tmp/a.dtb"
contains "$err" "ambiguous command 'd': dump diff" "'d' names both candidates"
expect_rc 2 "unknown command" "$DEVSTATE" frobnicate
contains "$err" "unknown command 'frobnicate'" "unknown command named"
expect_rc 2 "unknown command, JSON" "$DEVSTATE" -j frobnicate
contains "$out" '{"error":{"message":"unknown command' "unknown command as JSON"
expect_rc 2 "no command" "$DEVSTATE"
contains "$err" "Usage: devstate" "no command: usage on stderr"

# --- help and version
expect_rc 0 "help" "$DEVSTATE" help
for c in dump check verify diff status help; do
	contains "$out" "  $c " "help lists $c"
done
expect_rc 0 "--help" "$DEVSTATE" --help
expect_rc 0 "help verify" "$DEVSTATE" help verify
contains "$out" "Usage: devstate verify" "help verify: its usage"
contains "$out" "--method" "help verify: lists -A"
expect_rc 0 "help ve (prefix)" "$DEVSTATE" help ve
contains "$out" "Usage: devstate verify" "help ve: verify's help"
expect_rc 0 "check --help" "$DEVSTATE" check --help
contains "$out" "Usage: devstate check" "check --help: check's help"
lacks "$out" "--tree" "check --help: no dump-only option"
expect_rc 2 "help of an unknown command" "$DEVSTATE" help nope
expect_rc 0 "--version" "$DEVSTATE" --version
contains "$out" "devstate $(cat VERSION)" "--version gives the VERSION file's"

# --- usage errors
expect_rc 2 "unknown option" "$DEVSTATE" dump --frob "$tmp/a.dtb"
expect_rc 2 "option without its argument" "$DEVSTATE" dump "$tmp/a.dtb" -s
expect_rc 2 "-t is dump's only" "$DEVSTATE" check -t "$tmp/a.dtb"
contains "$err" "check does not take -t" "-t on check explained"
expect_rc 2 "-A is verify's only" "$DEVSTATE" dump -A dump "$tmp/a.dtb"
expect_rc 2 "bad -s" "$DEVSTATE" dump -s 1:2:3:4 "$tmp/a.dtb"
expect_rc 2 "bad -d" "$DEVSTATE" dump -d zz "$tmp/a.dtb"
expect_rc 2 "dump: two files" "$DEVSTATE" dump "$tmp/a.dtb" "$tmp/a.dtb"
expect_rc 2 "dump: missing file" "$DEVSTATE" dump "$tmp/missing"
expect_rc 2 "JSON usage error" "$DEVSTATE" -j check -t "$tmp/a.dtb"
contains "$out" '{"error":{"message":"check does not take -t' "JSON mode: usage error as JSON"
[ -z "$err" ] && ok "JSON mode: nothing on stderr" || not_ok "JSON mode: nothing on stderr"
expect_rc 2 "JSON I/O error" "$DEVSTATE" dump -p "$tmp/missing"
contains "$out" '"error": {' "pretty JSON error"

# --- selectors on dump
# a.dtb: four functions of one slot, 0000:42:00.0 to 0000:42:00.3
expect_rc 0 "dump -s" "$DEVSTATE" dump -s 42:00.1 "$tmp/a.dtb"
contains "$out" "0000:42:00.1 " "-s 42:00.1 shows that device"
lacks "$out" "0000:42:00.0 " "-s 42:00.1 hides the others"
expect_rc 0 "dump -s 42:00 (slot)" "$DEVSTATE" dump -s 42:00 "$tmp/a.dtb"
n=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 4 ] && ok "-s 42:00 selects the slot's four functions" || not_ok "-s 42:00 selected $n, want 4"
expect_rc 0 "dump -s .2 (function)" "$DEVSTATE" dump -s .2 "$tmp/a.dtb"
n=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 1 ] && ok "-s .2 selects the one function 2" || not_ok "-s .2 selected $n, want 1"
expect_rc 0 "dump -d 1234:" "$DEVSTATE" dump -d 1234: "$tmp/a.dtb"
contains "$out" "0000:42:00.3 00ff: 1234:" "-d 1234: shows the 1234 device"
n=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 1 ] && ok "-d 1234: selects exactly one" || not_ok "-d 1234: selected $n"
expect_rc 0 "dump -d ::0200 (class)" "$DEVSTATE" dump -d ::0200 "$tmp/a.dtb"
n=$(grep -c '^0000:.* 0200: ' <<<"$out")
m=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 3 ] && [ "$m" -eq 3 ] && ok "-d ::0200 selects the three Ethernet devices" ||
	not_ok "-d ::0200 selected $m ($n of class 0200)"
expect_rc 0 "dump -j -s" "$DEVSTATE" dump -j -s 42:00.2 "$tmp/a.dtb"
n=$(grep -o '"slot":' <<<"$out" | wc -l)
[ "$n" -eq 1 ] && ok "JSON with -s holds one device" || not_ok "JSON with -s holds $n devices"

# --- dump without FILE: the running kernel's debugfs files
mkdir -p "$tmp/dbg"
cp "$tmp/a.dtb" "$tmp/dbg/incoming.dtb"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "dump (debugfs): incoming only" "$DEVSTATE" dump
contains "$out" "== incoming ==" "debugfs: incoming shown"
contains "$out" "outgoing: no outgoing blob" "debugfs: no outgoing blob said plainly"
: >"$tmp/dbg/outgoing.dtb"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "dump (debugfs): empty outgoing" "$DEVSTATE" dump -j
contains "$out" '"outgoing":{"error":{"message":"no outgoing blob' "debugfs JSON: empty outgoing is no blob"
contains "$out" '"incoming":{"file":"incoming.dtb"' "debugfs JSON: incoming dumped"
rm "$tmp/dbg/incoming.dtb" "$tmp/dbg/outgoing.dtb"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 1 "dump (debugfs): no blob at all" "$DEVSTATE" dump
contains "$out" "incoming: no incoming blob" "debugfs: no incoming blob"
DEVSTATE_DEBUGFS=$tmp/none expect_rc 2 "dump (debugfs): no devstate directory" "$DEVSTATE" dump
contains "$err" "is the devstate module loaded?" "debugfs: missing directory explained"
# After a KHO boot without devstate.ko: the handover KHO keeps in its own
# debugfs directory (DEVSTATE_KHO_DEBUGFS), the region format without a pool.
mkdir -p "$tmp/kho/in/sub_fdts"
"$FIXTURE" blob --seed 3 --devices 3 --region --transport kho \
	-o "$tmp/kho/in/sub_fdts/devstate" || exit 2
export DEVSTATE_KHO_DEBUGFS=$tmp/kho
DEVSTATE_DEBUGFS=$tmp/none expect_rc 0 "dump (KHO): no devstate.ko, the handover" "$DEVSTATE" dump
contains "$out" "== incoming: KHO handover (devstate.ko is not loaded) ==" "dump (KHO): says what it shows"
contains "$out" "file: kho/in/sub_fdts/devstate (region, valid)" "dump (KHO): the file, a valid region"
contains "$out" "pool 0 bytes at 0x3000" "dump (KHO): no pool"
contains "$out" "  transport kho" "dump (KHO): the root's transport"
contains "$out" "outgoing: no outgoing blob: devstate.ko is not loaded" "dump (KHO): no outgoing blob, and why"
DEVSTATE_DEBUGFS=$tmp/none expect_rc 0 "dump (KHO), JSON" "$DEVSTATE" dump -j
contains "$out" '"incoming":{"file":"kho/in/sub_fdts/devstate","kind":"region","valid":true' "dump (KHO) JSON: incoming"
contains "$out" '"outgoing":{"error":{"message":"no outgoing blob: devstate.ko is not loaded"' "dump (KHO) JSON: outgoing"
contains "$out" '"transport":"kho"' "dump (KHO) JSON: the transport"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "dump --kho: the handover with devstate.ko loaded" "$DEVSTATE" dump --kho
contains "$out" "file: kho/in/sub_fdts/devstate (region, valid)" "dump --kho: the handover, not debugfs"
lacks "$out" "== incoming" "dump --kho: one view, as dump FILE"
expect_rc 0 "dump -k -j" "$DEVSTATE" dump -k -j
contains "$out" '{"file":"kho/in/sub_fdts/devstate"' "dump -k -j: one view"
expect_rc 2 "dump --kho FILE" "$DEVSTATE" dump --kho "$tmp/a.dtb"
contains "$err" "--kho reads KHO's file, not FILE" "dump --kho FILE: explained"
expect_rc 2 "check -k" "$DEVSTATE" check -k "$tmp/a.dtb"
contains "$err" "check does not take -k" "-k is dump's only"
printf '\x01' | dd of="$tmp/kho/in/sub_fdts/devstate" bs=1 seek=600 conv=notrunc 2>/dev/null
DEVSTATE_DEBUGFS=$tmp/none expect_rc 1 "dump (KHO): a damaged handover" "$DEVSTATE" dump
contains "$out" "blob crc BAD" "dump (KHO): the fault named"
DEVSTATE_DEBUGFS=$tmp/none expect_rc 2 "status without devstate.ko, after a KHO boot" "$DEVSTATE" status
contains "$err" "is the devstate module loaded? (a KHO handover is there: 'devstate dump' shows it)" \
	"status: points at the handover"
rm "$tmp/kho/in/sub_fdts/devstate"
DEVSTATE_DEBUGFS=$tmp/none expect_rc 2 "dump: neither devstate.ko nor a handover" "$DEVSTATE" dump
contains "$err" "is the devstate module loaded?" "dump: module not loaded, as before"
lacks "$err" "KHO" "dump: no handover named when there is none"
expect_rc 2 "dump --kho: no handover" "$DEVSTATE" dump --kho
contains "$err" "no KHO handover: $tmp/kho/in/sub_fdts/devstate does not exist" "dump --kho: no handover said"
unset DEVSTATE_KHO_DEBUGFS

# The real location: the message must fit this machine's state.
unset DEVSTATE_DEBUGFS
expect_rc 2 "dump (debugfs): standard location explained" "$DEVSTATE" dump
if [ "$(stat -f -c %T /sys/kernel/debug 2>/dev/null)" != debugfs ]; then
	contains "$err" "debugfs is not mounted" "debugfs: not mounted, and said so"
elif [ "$(id -u)" -ne 0 ]; then
	contains "$err" "permission denied" "debugfs: no permission, and said so"
elif [ ! -d /sys/kernel/debug/devstate ]; then
	contains "$err" "is the devstate module loaded?" "debugfs: no module, and said so"
else
	ok "# SKIP the devstate module is loaded on this machine"
fi
# verify without FILE: the outgoing blob (the pre-flight check before a
# kexec), else the incoming one (after a kexec).
"$FIXTURE" blob --seed 3 --devices 3 -o "$tmp/dbg/outgoing.dtb" || exit 2
"$FIXTURE" sysfs "$tmp/dbg/outgoing.dtb" -o "$tmp/out.sysfs" || exit 2
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "verify (debugfs): outgoing when frozen" \
	"$DEVSTATE" verify -A linux-sysfs -O "sysfs.path=$tmp/out.sysfs"
contains "$out" "verify: outgoing.dtb against the live PCI tree" "verify (debugfs): says which blob"
contains "$out" "3 records: 3 adopt" "verify (debugfs): all records checked"
cp "$tmp/a.dtb" "$tmp/dbg/incoming.dtb"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "verify (debugfs): outgoing before incoming" \
	"$DEVSTATE" verify -A linux-sysfs -O "sysfs.path=$tmp/out.sysfs"
contains "$out" "verify: outgoing.dtb against" "verify (debugfs): the handoff to come is checked"
mv "$tmp/dbg/outgoing.dtb" "$tmp/dbg/incoming.dtb"
DEVSTATE_DEBUGFS=$tmp/dbg expect_rc 0 "verify (debugfs): incoming when not frozen" \
	"$DEVSTATE" verify -A linux-sysfs -O "sysfs.path=$tmp/out.sysfs"
contains "$out" "verify: incoming.dtb against" "verify (debugfs): the handoff received is checked"
mv "$tmp/dbg/incoming.dtb" "$tmp/dbg/outgoing.dtb"
rm "$tmp/dbg/outgoing.dtb"
# Without permission (debugfs is root-only): as root, look as nobody.
mkdir -p "$tmp/priv/dbg" && chmod 700 "$tmp/priv/dbg" && chmod 755 "$tmp" "$tmp/priv"
if [ "$(id -u)" -ne 0 ]; then
	DEVSTATE_DEBUGFS=$tmp/priv/dbg/x expect_rc 2 "dump (debugfs): no permission" "$DEVSTATE" dump
	contains "$err" "permission denied" "debugfs: permission explained"
elif command -v setpriv >/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$DEVSTATE" --version >/dev/null 2>&1; then
	DEVSTATE_DEBUGFS=$tmp/priv/dbg expect_rc 2 "dump (debugfs) as nobody: no permission" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$DEVSTATE" dump
	contains "$out" "incoming: permission denied on" "debugfs: permission explained"
	contains "$out" "(debugfs is root-only)" "debugfs: and why"
else
	ok "# SKIP permission test: root, and nobody cannot run the tool here"
fi

# --- diff
expect_rc 0 "diff of a blob with itself" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/a.dtb"
contains "$out" "no differences" "diff: no differences said"
expect_rc 1 "diff: a device added" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/a5.dtb"
contains "$out" "+ 0000:42:00.4 " "diff: the added device"
expect_rc 1 "diff: a device removed" "$DEVSTATE" diff "$tmp/a5.dtb" "$tmp/a.dtb"
contains "$out" "- 0000:42:00.4 " "diff: the removed device"
expect_rc 1 "diff -j" "$DEVSTATE" diff -j "$tmp/a.dtb" "$tmp/a5.dtb"
contains "$out" '"added":["0000:42:00.4"]' "diff JSON: added"
if command -v dtc >/dev/null; then
	dtc -q -I dtb -O dts -o "$tmp/a.dts" "$tmp/a.dtb"
	# the command register is the 7th pci cell (enum ds_pci_cell)
	sed -E '0,/(pci = <([^ ]+ ){6})0x407 /s//\10x406 /' "$tmp/a.dts" |
		dtc -q -I dts -O dtb -o "$tmp/cmd.dtb" -
	expect_rc 1 "diff: one field changed" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/cmd.dtb"
	contains "$out" "~ 0000:42:00.0 8086:51d7" "diff: the changed device"
	contains "$out" "	command: 0x0407 -> 0x0406" "diff: the changed field, old and new"
	n=$(grep -c $'^\t' <<<"$out")
	[ "$n" -eq 1 ] && ok "diff: only that field" || not_ok "diff: $n changed fields, want 1"
	sed '0,/queue-count = <0x01>/s//queue-count = <0x02>/' "$tmp/a.dts" |
		dtc -q -I dts -O dtb -o "$tmp/st.dtb" -
	expect_rc 1 "diff: driver state changed" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/st.dtb"
	contains "$out" "	state.queue-count: <0x00000001> -> <0x00000002>" "diff: driver-state property"
	# Strings from the blob never reach the terminal raw.
	sed 's/kernel-release = "6.1.0-synth"/kernel-release = "6.1\\x1b[31mred"/' "$tmp/a.dts" |
		dtc -q -I dts -O dtb -o "$tmp/esc.dtb" -
	expect_rc 0 "dump: control bytes in a string" "$DEVSTATE" dump "$tmp/esc.dtb"
	contains "$out" "kernel-release 6.1?[31mred" "dump: the escape byte is shown as '?'"
	if grep -q $'\x1b' <<<"$out"; then not_ok "dump: no raw escape byte"; else ok "dump: no raw escape byte"; fi
	expect_rc 0 "diff -s elsewhere sees nothing" "$DEVSTATE" diff -s 42:00.1 "$tmp/a.dtb" "$tmp/cmd.dtb"
else
	not_ok "dtc (device-tree-compiler) is not installed"
fi
expect_rc 2 "diff: one file" "$DEVSTATE" diff "$tmp/a.dtb"
head -c 100 "$tmp/a.dtb" >"$tmp/cut.dtb"
expect_rc 2 "diff: unreadable blob" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/cut.dtb"
expect_rc 1 "diff: region against its own blob shows the header" "$DEVSTATE" diff "$tmp/a.region" "$tmp/a.dtb"
contains "$out" "region.state: sealed -> (absent)" "diff: region fields compared"
lacks "$out" "~ 0000:" "diff: same devices in region and blob"

# --- dump -t on chains that stitch deeper than any real one: record 1
# names 16 bridges, record 2 starts at the last of them and names 16 more.
if command -v dtc >/dev/null; then
	chain() { local b out=""; for b in $(seq "$1" "$2"); do out="$out $(printf '0x%x' $((b << 8)))"; done; echo "${out# }"; }
	awk -v p1="$(chain 1 16)" -v p2="$(chain 16 31)" '
		/bridge-path = / { n++; if (n == 1) sub(/<.*>/, "<" p1 ">"); else if (n == 2) sub(/<.*>/, "<" p2 ">") }
		{ print }' "$tmp/a.dts" | dtc -q -I dts -O dtb -o "$tmp/deep.dtb" -
	expect_rc 0 "dump -t: stitched chains" "$DEVSTATE" dump -t "$tmp/deep.dtb"
	n=$(grep -c '^ *0000:42:00\.[0-3] ' <<<"$out")
	[ "$n" -eq 4 ] && ok "dump -t: every device shown once" || not_ok "dump -t: $n devices shown, want 4"
	w=$(grep -o '^ *' <<<"$out" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	[ "$w" -le 34 ] && ok "dump -t: indentation bounded ($w)" || not_ok "dump -t: indentation $w"
	contains "$out" "(continued below 0000:12:00.0)" "dump -t: the cut is marked"
	expect_rc 0 "dump -t -j: stitched chains" "$DEVSTATE" dump -t -j "$tmp/deep.dtb"
	n=$(grep -o '"record":true' <<<"$out" | wc -l)
	[ "$n" -eq 4 ] && ok "dump -t -j: every record in the tree once" || not_ok "dump -t -j: $n records"
fi

# --- a 2,048-vector MSI-X table: every entry shown, the ones past the 32 a
# record holds too, as the blob has them (fdtget reads it independently)
"$SYNTH" --devices 1 --seed 5 --msix-vectors 2048 --format fdt -o "$tmp/msix.dtb" || exit 2
node=/$(fdtget -l "$tmp/msix.dtb" /)
more=$(fdtget -t x "$tmp/msix.dtb" "$node" irq-vectors-more | wc -w)
masks=$(fdtget -t x "$tmp/msix.dtb" "$node" irq-vectors-mask)
last=$(fdtget -t x "$tmp/msix.dtb" "$node" irq-vectors-more | awk '{ print $NF }')
check "2048 vectors: the blob lists 2016 past the record's 32" [ "$more" -eq $((2 * 2016)) ]
expect_rc 0 "2048 vectors: dump -v" "$DEVSTATE" dump -v "$tmp/msix.dtb"
contains "$out" "Interrupt: msix, 2048 vectors" "2048 vectors: the count"
check "2048 vectors: dump -v shows 2048 vector lines" \
	[ "$(grep -c $'^\t\tvector [0-9]*: ' <<<"$out")" -eq 2048 ]
contains "$out" "vector 2047: address 0xfee3f000 data 0x$(printf %08x $((0x$last)))" \
	"2048 vectors: the last is the blob's last entry"
plain_masked=$(grep -c ' masked$' <<<"$out")
blob_masked=0
for m in $masks; do
	blob_masked=$((blob_masked + $(printf '%d' "0x$m" | awk '{ n = 0; for (v = $1; v; v = int(v / 2)) n += v % 2; print n }')))
done
first_masked=$(grep $'^\t\tvector \([0-9]\|[12][0-9]\|3[01]\): ' <<<"$out" | grep -c ' masked$')
check "2048 vectors: the masked ones past 32 are irq-vectors-mask's bits ($blob_masked)" \
	[ "$blob_masked" -gt 0 ] && [ $((plain_masked - first_masked)) -eq "$blob_masked" ]
expect_rc 0 "2048 vectors: dump -j" "$DEVSTATE" dump -j "$tmp/msix.dtb"
check "2048 vectors: JSON lists 2048 vectors" \
	[ "$(grep -o '"address":' <<<"$out" | wc -l)" -eq 2048 ]
check "2048 vectors: JSON marks as many masked as plain" \
	[ "$(grep -o '"masked":true' <<<"$out" | wc -l)" -eq "$plain_masked" ]

# --- dump -t: devices under their bridges
expect_rc 0 "dump -t" "$DEVSTATE" dump -t "$tmp/a.dtb"
contains "$out" "bridge (no record)" "tree: bridges shown"
contains "$out" "  0000:42:00.0 " "tree: devices indented under their bridge"

# --- the guest's copy: build/bin/devstate with exactly the libraries ldd
# lists (what the VM helper puts in the busybox initramfs) runs on its own.
plain=${DEVSTATE_PLAIN:-build/bin/devstate}
root=$tmp/guest
mkdir -p "$root/bin"
cp -L "$plain" "$root/bin/devstate"
libs=$(ldd "$plain" | grep -o '/[^ ]*')
loader=""
for lib in $libs; do
	mkdir -p "$root/$(dirname "$lib")"
	cp -L "$lib" "$root/$lib"
	case $lib in */ld-linux*) loader=$root/$lib ;; esac
done
libdirs=$(for lib in $libs; do dirname "$root/$lib"; done | sort -u | tr '\n' ':')
if [ -n "$loader" ]; then
	guest() { "$loader" --inhibit-cache --library-path "$libdirs" "$root/bin/devstate" "$@"; }
	expect_rc 0 "guest copy: --version with only its ldd libraries" guest --version
	cp "$tmp/a.region" "$root/a.region"
	expect_rc 0 "guest copy: dump" guest dump "$root/a.region"
	contains "$out" "0000:42:00.3 00ff: 1234:" "guest copy: dump shows the devices"
	expect_rc 0 "guest copy: verify through libpci" guest verify -A dump -O dump.name=/dev/null -s 99: "$root/a.region"
else
	not_ok "guest copy: ldd names no dynamic loader for $plain"
fi
tap_done
