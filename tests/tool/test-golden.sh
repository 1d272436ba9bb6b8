#!/usr/bin/env bash
# Golden-output tests of `devstate dump`: fixed-seed devstate-synth inputs,
# dumped plain, -v, -vv, -t and as JSON, compared byte for byte with the
# files in tests/tool/golden/. Any difference fails and is shown.
#
# usage: tests/tool/test-golden.sh [--update]
#   --update  rewrite the goldens from the current tool (after an intended
#             change; review the diff before committing it)
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

update=0
[ "${1:-}" = --update ] && update=1
golden=$PWD/tests/tool/golden
tool=$PWD/$DEVSTATE

# Inputs, made in $tmp and referred to by bare names so paths never
# reach the output.
"$SYNTH" --devices 4 --seed 1 --format region -o "$tmp/s1-n4.region" || exit 2
"$SYNTH" --devices 12 --seed 7 --format fdt -o "$tmp/s7-n12.dtb" || exit 2
"$SYNTH" --devices 0 --seed 3 --format fdt -o "$tmp/s3-n0.dtb" || exit 2
# A region whose blob no longer matches its CRC: the dump still shows it.
cp "$tmp/s1-n4.region" "$tmp/s1-n4-badcrc.region"
printf '\x01' | dd of="$tmp/s1-n4-badcrc.region" bs=1 seek=600 conv=notrunc 2>/dev/null
# Not sealed (being written), and adopted by the next kernel.
"$FIXTURE" header "$tmp/s1-n4.region" -o "$tmp/s1-n4-writing.region" --state writing || exit 2
"$FIXTURE" header "$tmp/s1-n4.region" -o "$tmp/s1-n4-adopted.region" --state adopted || exit 2
# MSI-X tables past the 32 vectors a record holds (70: a partial mask cell).
"$SYNTH" --devices 2 --seed 5 --msix-vectors 70 --format fdt -o "$tmp/s5-n2-msix70.dtb" || exit 2
# What KHO hands over: the region format without a pool, the root naming
# its transport and a pool of <0 0>.
"$FIXTURE" blob --seed 3 --devices 3 --region --transport kho -o "$tmp/f3-kho.region" || exit 2
# A blob cut short: only the fault can be shown.
head -c 1000 "$tmp/s7-n12.dtb" >"$tmp/s7-n12-cut.dtb"

# name|arguments
cases=(
	"s1-n4.plain|dump s1-n4.region"
	"s1-n4.numeric|dump -n s1-n4.region"
	"s1-n4.v|dump -v s1-n4.region"
	"s1-n4.vv|dump -vv s1-n4.region"
	"s1-n4.json|dump -p s1-n4.region"
	"s1-n4.compact-json|dump -j s1-n4.region"
	"s7-n12.plain|dump s7-n12.dtb"
	"s7-n12.tree|dump -t s7-n12.dtb"
	"s7-n12.json|dump --pretty s7-n12.dtb"
	"s7-n12.tree-json|dump -p --tree s7-n12.dtb"
	"s7-n12.slot|dump -v -s 58: s7-n12.dtb"
	"s3-n0.plain|dump s3-n0.dtb"
	"s5-n2-msix70.v|dump -v s5-n2-msix70.dtb"
	"s5-n2-msix70.json|dump -p s5-n2-msix70.dtb"
	"s1-n4-badcrc.plain|dump s1-n4-badcrc.region"
	"s1-n4-badcrc.json|dump -p s1-n4-badcrc.region"
	"s1-n4-writing.plain|dump s1-n4-writing.region"
	"s1-n4-adopted.plain|dump s1-n4-adopted.region"
	"s7-n12-cut.plain|dump s7-n12-cut.dtb"
	"s7-n12-cut.json|dump -p s7-n12-cut.dtb"
	"f3-kho.plain|dump f3-kho.region"
	"f3-kho.json|dump -p f3-kho.region"
)

for c in "${cases[@]}"; do
	name=${c%%|*}
	args=${c#*|}
	# shellcheck disable=SC2086 # the arguments are words on purpose
	(cd "$tmp" && "$tool" $args) >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo "# exit $?" >>"$tmp/$name.out"
	if [ -s "$tmp/$name.err" ]; then
		not_ok "$name: devstate $args wrote to stderr"
		sed 's/^/# /' "$tmp/$name.err" | head -20
		continue
	fi
	if [ $update = 1 ]; then
		cp "$tmp/$name.out" "$golden/$name"
		ok "$name: golden updated"
	elif [ ! -f "$golden/$name" ]; then
		not_ok "$name: no golden file (make update-golden)"
	elif diff -u "$golden/$name" "$tmp/$name.out" >"$tmp/$name.diff"; then
		ok "$name: devstate $args matches its golden"
	else
		not_ok "$name: devstate $args differs from its golden"
		head -40 "$tmp/$name.diff" | sed 's/^/# /'
	fi
done

# The goldens must not be vacuous: each shows what its case is about.
if [ $update = 0 ]; then
	check "numeric golden names devices as lspci -n" \
		grep -q '^0000:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7] [0-9a-f]\{4\}: [0-9a-f]\{4\}:[0-9a-f]\{4\}' "$golden/s1-n4.numeric"
	check "plain golden names devices as lspci -nn" \
		grep -q '^0000:42:00.0 Ethernet controller \[0200\]: Intel Corporation Fixture 10GbE Adapter \[8086:51d7\]' "$golden/s1-n4.plain"
	check "bad-CRC golden names the fault" grep -q 'blob crc BAD' "$golden/s1-n4-badcrc.plain"
	check "bad-CRC golden still lists the devices" grep -q 'Driver state:' "$golden/s1-n4-badcrc.plain"
	check "cut golden names the truncation" grep -q 'TRUNCATED' "$golden/s7-n12-cut.plain"
	check "unsealed golden names the fault" grep -q 'fault: region not sealed \[UNSEALED\]' "$golden/s1-n4-writing.plain"
	check "unsealed golden still lists the devices" grep -q '^0000:42:00.3 ' "$golden/s1-n4-writing.plain"
	check "adopted golden is no fault" grep -q '(region, valid)' "$golden/s1-n4-adopted.plain"
	check "JSON golden is JSON" grep -q '^{' "$golden/s1-n4.json"
	check "KHO golden: a valid region without a pool" \
		grep -q '^  size 12288, blob [0-9]* of [0-9]* bytes at 0x80, pool 0 bytes at 0x3000$' "$golden/f3-kho.plain"
	check "KHO golden shows the root's transport" grep -q '^  transport kho$' "$golden/f3-kho.plain"
	check "KHO JSON golden: the transport" grep -q '"transport": "kho"' "$golden/f3-kho.json"
	check "older blobs: no transport line" bash -c "! grep -q transport '$golden/s1-n4.plain'"
	check "older blobs: transport null in JSON" grep -q '"transport": null' "$golden/s1-n4.json"
	check "MSI-X golden shows the 70th vector" grep -q $'^\t\tvector 69: ' "$golden/s5-n2-msix70.v"
	check "MSI-X JSON golden holds 140 vectors" \
		[ "$(grep -c '"masked":' "$golden/s5-n2-msix70.json")" -eq 140 ]
fi
tap_done
