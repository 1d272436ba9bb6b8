#!/usr/bin/env bash
# dtc reads what devstate-synth writes: the bare blob decodes to a tree with
# the devstate-v1 root and one node per device, and dtc writing that tree
# back out produces our structure and strings blocks byte for byte (the
# writer lays out its strings block in dtc's order); the region holds that
# same blob at the offset its header gives. Also the command line of
# devstate-synth: help, errors, determinism.
# usage: tests/unit/test-dtc.sh path/to/devstate-synth
set -u
synth=${1:?usage: $0 DEVSTATE_SYNTH}
tmp=build/tests/dtc
rm -rf "$tmp" && mkdir -p "$tmp"
n=0 failed=0

ok() {	# ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# Big-endian unsigned integer of LEN bytes at OFFSET of FILE (struct
# ds_region_header: blob_offset at 32, blob_size 48, pool_offset 56,
# pool_size 64).
be_at() {
	local hex
	hex=$(od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n')
	echo $((16#$hex))
}

# The structure block then the strings block of FDT file $1, to stdout
# (header: off_dt_struct at 8, off_dt_strings 12, size_dt_strings 32,
# size_dt_struct 36).
fdt_blocks() {
	tail -c +$(($(be_at "$1" 8 4) + 1)) "$1" | head -c "$(be_at "$1" 36 4)"
	tail -c +$(($(be_at "$1" 12 4) + 1)) "$1" | head -c "$(be_at "$1" 32 4)"
}

for count in 0 5 100; do
	f=$tmp/synth-$count.dtb
	"$synth" --devices "$count" --seed 3 --format fdt -o "$f"
	ok $? "devstate-synth writes a bare blob of $count devices"
	dtc -q -I dtb -O dts -o "$tmp/synth-$count.dts" "$f" 2>"$tmp/dtc-$count.err"
	ok $? "dtc decodes the $count-device blob"
	[ -s "$tmp/dtc-$count.err" ] && sed 's/^/# dtc: /' "$tmp/dtc-$count.err"
	grep -q '^	compatible = "devstate-v1";' "$tmp/synth-$count.dts"
	ok $? "$count devices: root compatible is devstate-v1"
	nodes=$(grep -c '^	dev@[0-9a-f]*,[0-9a-f]\{2\},[0-9a-f]\{2\}\.[0-7] {' "$tmp/synth-$count.dts")
	[ "$nodes" -eq "$count" ]
	ok $? "$count devices: $nodes device nodes under the root"
	states=$(grep -c '^		driver-state {' "$tmp/synth-$count.dts")
	[ "$states" -eq "$count" ]
	ok $? "$count devices: one driver-state node per device"
	dtc -q -I dtb -O dtb -o "$tmp/dtc-$count.dtb" "$f" 2>/dev/null &&
		cmp -s <(fdt_blocks "$f") <(fdt_blocks "$tmp/dtc-$count.dtb")
	ok $? "$count devices: dtc writes our structure and strings blocks byte for byte"
	dtc -q -I dtb -O dts -o "$tmp/dtc-$count.dts" "$tmp/dtc-$count.dtb" 2>/dev/null &&
		cmp -s "$tmp/dtc-$count.dts" "$tmp/synth-$count.dts"
	ok $? "$count devices: dtc's own blob decodes to the same source"
done

# Records with a 2,048-entry MSI-X table: dtc reads the entries past 32
# as any property, and writes them back byte for byte.
f=$tmp/synth-msix.dtb
"$synth" --devices 3 --seed 3 --msix-vectors 2048 --format fdt -o "$f"
ok $? "devstate-synth --msix-vectors 2048 writes a bare blob"
dtc -q -I dtb -O dtb -o "$tmp/dtc-msix.dtb" "$f" 2>/dev/null &&
	cmp -s <(fdt_blocks "$f") <(fdt_blocks "$tmp/dtc-msix.dtb")
ok $? "2048 vectors: dtc writes our structure and strings blocks byte for byte"
more=$(fdtget -t x "$f" "/$(fdtget -l "$f" / | head -n 1)" irq-vectors-more | wc -w)
[ "$more" -eq $((2 * (2048 - 32))) ]
ok $? "2048 vectors: irq-vectors-more holds the 2016 past the first 32 ($((more / 2)))"

# The region holds exactly the bare blob, where its header says.
r=$tmp/synth-5.region
"$synth" --devices 5 --seed 3 -o "$r"
ok $? "devstate-synth writes a region (the default format)"
magic=$(be_at "$r" 0 4)
[ "$magic" -eq $((0x44535447)) ]
ok $? "region starts with the DSTG magic"
blob_off=$(be_at "$r" 32 8)
blob_size=$(be_at "$r" 48 8)
pool_off=$(be_at "$r" 56 8)
pool_size=$(be_at "$r" 64 8)
tail -c +$((blob_off + 1)) "$r" | head -c "$blob_size" > "$tmp/extracted.dtb"
cmp -s "$tmp/extracted.dtb" "$tmp/synth-5.dtb"
ok $? "the region's blob is the bare blob, byte for byte"
[ "$pool_size" -eq $((1 << 20)) ] && [ "$(stat -c %s "$r")" -eq $((pool_off + pool_size)) ]
ok $? "region ends with a 1 MiB pool, sized to fit"

# Deterministic: same seed, same bytes; another seed, other bytes.
"$synth" -n 5 -s 3 -f fdt -o "$tmp/again.dtb"
cmp -s "$tmp/again.dtb" "$tmp/synth-5.dtb"
ok $? "same seed gives the same blob"
"$synth" -n 5 -s 4 -f fdt -o "$tmp/other.dtb"
! cmp -s "$tmp/other.dtb" "$tmp/synth-5.dtb"
ok $? "another seed gives another blob"
"$synth" -n 5 -s 3 -f fdt -o - > "$tmp/stdout.dtb"
cmp -s "$tmp/stdout.dtb" "$tmp/synth-5.dtb"
ok $? "-o - writes to standard output"

# Command line: help on stdout with status 0, clear errors with status 2.
"$synth" --help > "$tmp/help" 2>&1
[ $? -eq 0 ] && grep -q -- '--devices N' "$tmp/help"
ok $? "--help prints the usage, status 0"
expect_error() {	# expect_error STATUS PATTERN DESCRIPTION ARGS...
	local want=$1 pattern=$2 what=$3 rc
	shift 3
	"$synth" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "$what (status $rc: $(head -n 1 "$tmp/err"))"
}
expect_error 2 'devices N is required' "missing --devices" -o "$tmp/x"
expect_error 2 '-o FILE is required' "missing -o" --devices 1
expect_error 2 "'abc' is not a number" "non-numeric --devices" -n abc -o "$tmp/x"
expect_error 2 "'-1' is not a number" "negative --devices" -n -1 -o "$tmp/x"
expect_error 2 "'2000000' is not a number" "--devices over the limit" -n 2000000 -o "$tmp/x"
expect_error 2 "neither 'region' nor 'fdt'" "unknown --format" -n 1 -f json -o "$tmp/x"
expect_error 2 "'x' is not an unsigned" "bad --seed" -n 1 -s x -o "$tmp/x"
expect_error 2 "unexpected argument" "stray argument" -n 1 -o "$tmp/x" extra
expect_error 2 "'0' is not a number from 1 to 2048" "--msix-vectors 0" -n 1 -m 0 -o "$tmp/x"
expect_error 2 "'2049' is not a number from 1 to 2048" "--msix-vectors over an MSI-X table's most" -n 1 -m 2049 -o "$tmp/x"
expect_error 2 "times --msix-vectors is over" "--msix-vectors times --devices over the limit" -n 1000000 -m 2048 -o "$tmp/x"
expect_error 1 "cannot open $tmp/no/such/dir" "unwritable output" -n 1 -o "$tmp/no/such/dir/x"

echo "1..$n"
[ "$failed" -eq 0 ]
