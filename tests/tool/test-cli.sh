#!/usr/bin/env bash
# devstate(1)'s command line: dispatch and prefixes, help, version, usage
# errors (JSON too), dump without FILE (debugfs), selectors and diff.
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

"$SYNTH" --devices 4 --seed 1 --format region -o "$tmp/a.region" || exit 2
"$SYNTH" --devices 4 --seed 1 --format fdt -o "$tmp/a.dtb" || exit 2
"$SYNTH" --devices 5 --seed 1 --format fdt -o "$tmp/a5.dtb" || exit 2

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
expect_rc 2 "no command" "$DEVSTATE"
contains "$err" "Usage: devstate" "no command: usage on stderr"

# --- help and version
expect_rc 0 "help" "$DEVSTATE" help
for c in dump check verify diff help; do
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
expect_rc 0 "dump -s" "$DEVSTATE" dump -s 42:01 "$tmp/a.dtb"
contains "$out" "0000:42:01.0 " "-s 42:01 shows that device"
lacks "$out" "0000:42:00.0 " "-s 42:01 hides the others"
expect_rc 0 "dump -s .0 (function)" "$DEVSTATE" dump -s .0 "$tmp/a.dtb"
n=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 4 ] && ok "-s .0 selects all four functions 0" || not_ok "-s .0 selected $n, want 4"
expect_rc 0 "dump -d 1234:" "$DEVSTATE" dump -d 1234: "$tmp/a.dtb"
contains "$out" "0000:42:03.0 00ff: 1234:" "-d 1234: shows the 1234 device"
n=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 1 ] && ok "-d 1234: selects exactly one" || not_ok "-d 1234: selected $n"
expect_rc 0 "dump -d ::0200 (class)" "$DEVSTATE" dump -d ::0200 "$tmp/a.dtb"
n=$(grep -c '^0000:.* 0200: ' <<<"$out")
m=$(grep -c '^0000:' <<<"$out")
[ "$n" -eq 3 ] && [ "$m" -eq 3 ] && ok "-d ::0200 selects the three Ethernet devices" ||
	not_ok "-d ::0200 selected $m ($n of class 0200)"
expect_rc 0 "dump -j -s" "$DEVSTATE" dump -j -s 42:02 "$tmp/a.dtb"
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
if [ "$(id -u)" -ne 0 ]; then
	chmod 000 "$tmp/dbg"
	DEVSTATE_DEBUGFS=$tmp/dbg/x expect_rc 2 "dump (debugfs): no permission" "$DEVSTATE" dump
	contains "$err" "permission denied" "debugfs: permission explained"
	chmod 755 "$tmp/dbg"
else
	ok "# SKIP permission test: root ignores directory modes"
fi

# --- diff
expect_rc 0 "diff of a blob with itself" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/a.dtb"
contains "$out" "no differences" "diff: no differences said"
expect_rc 1 "diff: a device added" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/a5.dtb"
contains "$out" "+ 0000:42:04.0 " "diff: the added device"
expect_rc 1 "diff: a device removed" "$DEVSTATE" diff "$tmp/a5.dtb" "$tmp/a.dtb"
contains "$out" "- 0000:42:04.0 " "diff: the removed device"
expect_rc 1 "diff -j" "$DEVSTATE" diff -j "$tmp/a.dtb" "$tmp/a5.dtb"
contains "$out" '"added":["0000:42:04.0"]' "diff JSON: added"
if command -v dtc >/dev/null; then
	dtc -q -I dtb -O dts -o "$tmp/a.dts" "$tmp/a.dtb"
	sed '0,/command = <0x407>/s//command = <0x406>/' "$tmp/a.dts" |
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
	expect_rc 0 "diff -s elsewhere sees nothing" "$DEVSTATE" diff -s 42:01 "$tmp/a.dtb" "$tmp/cmd.dtb"
else
	not_ok "dtc (device-tree-compiler) is not installed"
fi
expect_rc 2 "diff: one file" "$DEVSTATE" diff "$tmp/a.dtb"
head -c 100 "$tmp/a.dtb" >"$tmp/cut.dtb"
expect_rc 2 "diff: unreadable blob" "$DEVSTATE" diff "$tmp/a.dtb" "$tmp/cut.dtb"
expect_rc 1 "diff: region against its own blob shows the header" "$DEVSTATE" diff "$tmp/a.region" "$tmp/a.dtb"
contains "$out" "region.state: sealed -> (absent)" "diff: region fields compared"
lacks "$out" "~ 0000:" "diff: same devices in region and blob"

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
	contains "$out" "0000:42:03.0 00ff: 1234:" "guest copy: dump shows the devices"
	expect_rc 0 "guest copy: verify through libpci" guest verify -A dump -O dump.name=/dev/null -s 99: "$root/a.region"
else
	not_ok "guest copy: ldd names no dynamic loader for $plain"
fi
tap_done
