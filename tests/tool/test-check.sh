#!/usr/bin/env bash
# `devstate check`: exit codes, reasons and byte offsets on malformed
# inputs made here by corrupting devstate-synth output, and agreement
# between the shared reader and libfdt's fdt_check_full() on each of them.
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

"$SYNTH" --devices 4 --seed 1 --format region -o "$tmp/good.region" || exit 2
"$SYNTH" --devices 4 --seed 1 --format fdt -o "$tmp/good.dtb" || exit 2

# poke FILE OFFSET HEXBYTE...: overwrite bytes in place.
poke() {
	local f=$1 off=$2 b
	shift 2
	for b in "$@"; do
		printf "\\x$b" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
		off=$((off + 1))
	done
}

# variant NAME FROM: a copy to corrupt.
variant() {
	cp "$tmp/$2" "$tmp/$1"
}

# bad NAME WANT_NAME WANT_OFFSET: check exits 1 naming the fault and its
# offset, the JSON says the same, and both readers agree.
bad() {
	local name=$1 want=$2 off=$3
	expect_rc 1 "$name: check rejects it" "$DEVSTATE" check "$tmp/$name"
	contains "$out" "[$want] at byte $off " "$name: reason $want at byte $off"
	contains "$out" "readers agree" "$name: shared reader and libfdt agree"
	expect_rc 1 "$name: check -j rejects it" "$DEVSTATE" check -j "$tmp/$name"
	contains "$out" "\"name\":\"$want\"" "$name: JSON names $want"
	contains "$out" "\"offset\":$off," "$name: JSON gives offset $off"
}

# Valid inputs.
for f in good.region good.dtb; do
	expect_rc 0 "$f: valid" "$DEVSTATE" check "$tmp/$f"
	contains "$out" "4 records" "$f: all 4 records read"
	contains "$out" "libfdt fdt_check_full: ok" "$f: libfdt agrees it is valid"
	contains "$out" "readers agree" "$f: readers agree"
done

# debugfs' "region" file stops at the pool: still a valid region.
pool=$((0x$(od -An -tx1 -j 56 -N 8 "$tmp/good.region" | tr -d ' ')))
head -c "$pool" "$tmp/good.region" >"$tmp/r-nopool"
expect_rc 0 "region without its pool (as debugfs gives it) is valid" "$DEVSTATE" check "$tmp/r-nopool"
contains "$out" "valid region, sealed" "region without its pool: sealed"

# What KHO hands over: a region whose pool_size is 0, a root pool of <0 0>.
"$FIXTURE" blob --seed 3 --devices 3 --region --transport kho -o "$tmp/r-kho" || exit 2
expect_rc 0 "KHO's region without a pool (pool_size 0) is valid" "$DEVSTATE" check "$tmp/r-kho"
contains "$out" "valid region, sealed" "KHO's region: sealed"
contains "$out" "libfdt fdt_check_full: ok" "KHO's region: libfdt agrees"

# Region header faults (the blob starts at 0x80 in a synth region).
variant r-crc good.region;   poke "$tmp/r-crc" 700 ff
bad r-crc BADCRC 72
expect_rc 1 "r-crc: the records are still read" "$DEVSTATE" check "$tmp/r-crc"
contains "$out" "records: 4 indexed, 0 unreadable" "r-crc: all four records readable"
variant r-hdrcrc good.region; poke "$tmp/r-hdrcrc" 23 07
bad r-hdrcrc REGION_HEADER 76
"$FIXTURE" header "$tmp/good.region" -o "$tmp/r-unsealed" --state writing || exit 2
bad r-unsealed UNSEALED 12
"$FIXTURE" header "$tmp/good.region" -o "$tmp/r-empty" --state empty || exit 2
bad r-empty UNSEALED 12
# ABI version 1 (CRC-32/IEEE) and a version from the future.
"$FIXTURE" header "$tmp/good.region" -o "$tmp/r-abi1" --abi 1 || exit 2
bad r-abi1 REGION_ABI 4
"$FIXTURE" header "$tmp/good.region" -o "$tmp/r-abi3" --abi 3 || exit 2
bad r-abi3 REGION_ABI 4
head -c 40 "$tmp/good.region" >"$tmp/r-short"
expect_rc 1 "r-short: a region cut inside its header is rejected" "$DEVSTATE" check "$tmp/r-short"
contains "$out" "[TRUNCATED]" "r-short: named as truncated"
# Bad region magic: no longer a region, so it is judged as an FDT.
variant r-magic good.region; poke "$tmp/r-magic" 0 00
bad r-magic BADMAGIC 0

# FDT faults, in a bare blob and inside a region (offset shifted by 0x80).
variant f-magic good.dtb;    poke "$tmp/f-magic" 0 d0 0d fe ef
bad f-magic BADMAGIC 0
head -c 2000 "$tmp/good.dtb" >"$tmp/f-cut"
bad f-cut TRUNCATED 4
# The memory reservation map loses its terminating entry.
rsv=$((0x$(od -An -tx1 -j 16 -N 4 "$tmp/good.dtb" | tr -d ' ')))
variant f-rsv good.dtb;      poke "$tmp/f-rsv" $((rsv + 8)) 00 00 00 01
expect_rc 1 "f-rsv: unterminated reservation map" "$DEVSTATE" check "$tmp/f-rsv"
contains "$out" "readers agree" "f-rsv: readers agree"
head -c 20 "$tmp/good.dtb" >"$tmp/f-tiny"
expect_rc 1 "f-tiny: 20 bytes rejected" "$DEVSTATE" check "$tmp/f-tiny"
contains "$out" "readers agree" "f-tiny: readers agree"
variant f-version good.dtb;  poke "$tmp/f-version" 20 00 00 00 01
bad f-version BADVERSION 20
variant f-struct good.dtb;   poke "$tmp/f-struct" 8 00 10 00 00
expect_rc 1 "f-struct: structure block out of the blob" "$DEVSTATE" check "$tmp/f-struct"
contains "$out" "readers agree" "f-struct: readers agree"
# off_dt_struct, from the header: the first token is the root's BEGIN_NODE.
struct=$((0x$(od -An -tx1 -j 8 -N 4 "$tmp/good.dtb" | tr -d ' ')))
variant f-tag good.dtb;      poke "$tmp/f-tag" "$struct" 00 00 00 0a
expect_rc 1 "f-tag: unknown token" "$DEVSTATE" check "$tmp/f-tag"
contains "$out" "readers agree" "f-tag: readers agree"
# A property length that wraps the offset back onto its own tag: Debian
# 12's libfdt loops forever on it; the tool stops it and says so.
variant f-wrap good.dtb;     poke "$tmp/f-wrap" $((struct + 12)) ff ff ff f4
expect_rc 1 "f-wrap: property length wrapping around" timeout 60 "$DEVSTATE" check "$tmp/f-wrap"
contains "$out" "libfdt fdt_check_full: " "f-wrap: libfdt's verdict, or its absence, is reported"
lacks "$out" "READERS DISAGREE" "f-wrap: no disagreement"
expect_rc 1 "f-wrap: dump names the fault" timeout 60 "$DEVSTATE" dump "$tmp/f-wrap"
variant r-tag good.region;   poke "$tmp/r-tag" $((0x80 + 20)) 00 00 00 01
expect_rc 1 "r-tag: FDT fault inside a region" "$DEVSTATE" check "$tmp/r-tag"

# devstate-level faults that libfdt cannot see, made with dtc.
if command -v dtc >/dev/null; then
	dtc -q -I dtb -O dts -o "$tmp/good.dts" "$tmp/good.dtb"
	mkdtb() { dtc -q -I dts -O dtb -o "$tmp/$1" -; }
	sed 's/compatible = "devstate-v1"/compatible = "other-v1"/' "$tmp/good.dts" | mkdtb d-root
	expect_rc 1 "d-root: foreign root compatible" "$DEVSTATE" check "$tmp/d-root"
	droot=$((0x$(od -An -tx1 -j 8 -N 4 "$tmp/d-root" | tr -d ' ')))
	contains "$out" "[BADROOT] at byte $droot (" "d-root: named BADROOT, at the root node"
	contains "$out" "libfdt fdt_check_full: ok" "d-root: libfdt finds the structure fine"
	contains "$out" "readers agree" "d-root: not a disagreement"
	# the pci cells one short: the domain cell dropped
	sed '0,/pci = <0x02 0x[0-9a-f]* /s//pci = <0x02 /' "$tmp/good.dts" | mkdtb d-ids
	expect_rc 1 "d-ids: pci one cell short" "$DEVSTATE" check "$tmp/d-ids"
	contains "$out" "[BADRECORD]" "d-ids: named BADRECORD"
	contains "$out" "(device record)" "d-ids: located at the record"
	contains "$out" "records: 4 indexed, 1 unreadable" "d-ids: only the first record is bad"
	sed '0,/pci = <0x02 /s//pci = <0x09 /' "$tmp/good.dts" | mkdtb d-ver
	expect_rc 1 "d-ver: unknown record version" "$DEVSTATE" check "$tmp/d-ver"
	contains "$out" "[UNKNOWNREC]" "d-ver: named UNKNOWNREC"
	# Nodes nested inside the first driver-state, after its properties.
	sed '0,/^\t\t};$/s//\t\t\ta { b { c { d { e { f { }; }; }; }; }; };\n\t\t};/' \
		"$tmp/good.dts" | mkdtb d-deep
	expect_rc 1 "d-deep: nesting past the limit" "$DEVSTATE" check "$tmp/d-deep"
	contains "$out" "[DEPTH]" "d-deep: named DEPTH"
	contains "$out" "readers agree" "d-deep: a stricter rule, not a disagreement"
else
	not_ok "dtc (device-tree-compiler) is not installed"
fi

# Not a blob at all.
: >"$tmp/empty"
expect_rc 1 "empty file is invalid" "$DEVSTATE" check "$tmp/empty"
head -c 4096 /dev/zero >"$tmp/zeros"
expect_rc 1 "zeros are invalid" "$DEVSTATE" check "$tmp/zeros"
contains "$out" "readers agree" "zeros: readers agree"

# Usage and I/O errors.
expect_rc 2 "missing file" "$DEVSTATE" check "$tmp/no-such-file"
expect_rc 2 "no file" "$DEVSTATE" check
expect_rc 2 "two files" "$DEVSTATE" check "$tmp/good.dtb" "$tmp/good.dtb"
expect_rc 2 "missing file, JSON" "$DEVSTATE" check -j "$tmp/no-such-file"
contains "$out" '{"error":{' "JSON mode reports the I/O error as JSON"

# Agreement on many one-byte corruptions of the header and structure: the
# two readers may name different faults, never disagree on validity, and
# the tool never crashes (a sanitizer report exits 99).
size=$(stat -c %s "$tmp/good.dtb")
disagree=0 crashed=0 runs=0
for off in $(seq 0 1 40) $(seq 41 13 $((size - 1))); do
	cp "$tmp/good.dtb" "$tmp/flip"
	byte=$(od -An -tu1 -j "$off" -N1 "$tmp/flip" | tr -d ' ')
	poke "$tmp/flip" "$off" "$(printf %02x $(((byte ^ 0x5a) & 0xff)))"
	"$DEVSTATE" check -j "$tmp/flip" >"$tmp/flip.out" 2>"$tmp/flip.err"
	rc=$?
	runs=$((runs + 1))
	if [ $rc -gt 1 ]; then
		crashed=$((crashed + 1))
		echo "# offset $off: exit $rc"
		head -5 "$tmp/flip.err" | sed 's/^/#   /'
	elif grep -q '"agree":false' "$tmp/flip.out"; then
		disagree=$((disagree + 1))
		echo "# offset $off: readers disagree: $(cat "$tmp/flip.out")"
	fi
done
[ $crashed -eq 0 ] && ok "$runs one-byte corruptions: no crash" || not_ok "$crashed of $runs corruptions crashed"
[ $disagree -eq 0 ] && ok "$runs one-byte corruptions: readers agree on each" || not_ok "readers disagree on $disagree of $runs corruptions"
tap_done
