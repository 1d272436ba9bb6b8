#!/usr/bin/env bash
# Smoke run of a libFuzzer target, seeded with devstate-synth output made
# here: regions and bare blobs of a few sizes and seeds, plus, when
# FUZZ_FDTDIFF names the differential test (tests/unit/test_fdtdiff.c), the
# blobs on which our validator and libfdt's disagree. Fails on any crash,
# sanitizer report or leak libFuzzer finds.
# usage: [FUZZ_FDTDIFF=TEST] tests/fuzz/run-fuzz.sh FUZZER DEVSTATE_SYNTH [RUNS [SECONDS]]
set -u
fuzzer=$1 synth=$2 runs=${3:-1000000} secs=${4:-60}
name=$(basename "$fuzzer")
dir=build/fuzz/run/$name
rm -rf "$dir" && mkdir -p "$dir/seeds" "$dir/corpus" "$dir/artifacts"
n=0 failed=0

ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

seeds=0 seed_fail=0
for count in 0 1 3 8; do
	for seed in 1 2; do
		for format in region fdt; do
			if "$synth" -n "$count" -s "$seed" -f "$format" \
				-o "$dir/seeds/$format-$count-$seed"; then
				seeds=$((seeds + 1))
			else
				seed_fail=1
			fi
		done
	done
done
# MSI-X tables past the 32 vectors a record holds: one past, a partial
# mask cell, the largest
for vectors in 33 101 2048; do
	for format in region fdt; do
		if "$synth" -n 2 -s 3 -m "$vectors" -f "$format" \
			-o "$dir/seeds/$format-msix$vectors"; then
			seeds=$((seeds + 1))
		else
			seed_fail=1
		fi
	done
done
ok $seed_fail "devstate-synth made $seeds seed inputs"
if [ -n "${FUZZ_FDTDIFF:-}" ]; then
	DS_FDTDIFF_CORPUS=$dir/seeds "$FUZZ_FDTDIFF" >"$dir/fdtdiff.log" 2>&1
	ok $? "the differential test added $(find "$dir/seeds" -name 'diff-*' | wc -l) boundary blobs"
fi

# A dictionary of the format's strings, taken from the ABI header itself,
# plus the FDT tokens and magics, helps mutations build plausible trees.
dict=$dir/abi.dict
{
	sed -n 's/^#define DS_[A-Z0-9_]*[[:space:]]*\("[^"]*"\).*/\1/p' sdk/include/devstate/abi.h
	printf '"\\x00\\x00\\x00\\x%02x"\n' 1 2 3 4 9
	echo '"\xd0\x0d\xfe\xed"'
	sed -n 's/^#define DS_REGION_MAGIC[[:space:]]*0x\(..\)\(..\)\(..\)\(..\)u.*/"\\x\1\\x\2\\x\3\\x\4"/p' \
		sdk/include/devstate/abi.h
} > "$dict"

# The seeds alone first: each must go through the target cleanly.
"$fuzzer" -runs=0 -max_len=65536 "$dir/seeds" > "$dir/replay.log" 2>&1
ok $? "$name replays every seed cleanly"

# Regions carry a 1 MiB pool: -max_len keeps header and blob, drops the pool.
"$fuzzer" -runs="$runs" -max_total_time="$secs" -max_len=65536 \
	-artifact_prefix="$dir/artifacts/" -print_final_stats=1 -dict="$dict" \
	"$dir/corpus" "$dir/seeds" > "$dir/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
cov=$(grep -o 'cov: [0-9]*' "$dir/fuzz.log" | tail -n 1)
reports=$(grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|deadly signal' "$dir/fuzz.log")
artifacts=$(find "$dir/artifacts" -type f | wc -l)
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$artifacts" -eq 0 ] && [ "${execs:-0}" -gt 0 ]
ok $? "$name: ${execs:-0} runs (max $runs, ${secs}s), $cov, no crash or sanitizer report"
if [ "$failed" -ne 0 ]; then
	echo "# status $rc, $reports reports, $artifacts artifacts; log: $dir/fuzz.log"
	grep -E -m 5 -A 8 'ERROR:|runtime error:|deadly signal' "$dir/fuzz.log" | sed 's/^/# /'
fi
echo "1..$n"
[ "$failed" -eq 0 ]
