#!/usr/bin/env bash
# Smoke run of the libFuzzer target over dump and check: 60 s or 1,000,000
# runs, whichever comes first, seeded from devstate-synth and tool-fixture
# output. Any crash, sanitizer report, leak or input that takes over 10 s
# (a hang) fails it.
# usage: tests/tool/test-fuzz.sh FUZZER [SECONDS] [RUNS]
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

fuzzer=$1
secs=${2:-60}
runs=${3:-1000000}
corpus=$tmp/corpus
mkdir -p "$corpus"

# Seeds: bare blobs of a few sizes, and regions cut after their blob (the
# pool is megabytes of zeros that teach the fuzzer nothing).
for n in 0 1 2 5; do
	"$SYNTH" --devices $n --seed $((n + 11)) --format fdt -o "$corpus/fdt-$n" || exit 2
	"$SYNTH" --devices $n --seed $((n + 11)) --format region -o "$tmp/r" || exit 2
	head -c 16384 "$tmp/r" >"$corpus/region-$n"
done
"$FIXTURE" blob --seed 5 --devices 4 -o "$corpus/fixture" || exit 2
check "seed corpus written ($(ls "$corpus" | wc -l) inputs)" test -s "$corpus/fdt-2"

"$fuzzer" -max_total_time="$secs" -runs="$runs" -max_len=65536 -timeout=10 \
	-print_final_stats=1 -artifact_prefix="$tmp/" "$corpus" >"$tmp/log" 2>&1
rc=$?
done_line=$(grep -m1 '^Done [0-9]* runs' "$tmp/log")
if [ $rc -eq 0 ] && [ -n "$done_line" ]; then
	ok "fuzz dump and check: $done_line"
else
	not_ok "fuzz dump and check: exit $rc"
	grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$tmp/log" | head -20 | sed 's/^/# /'
	for a in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-*; do
		[ -e "$a" ] || continue
		mkdir -p build/results
		cp "$a" build/results/ && echo "# reproducer kept: build/results/$(basename "$a")"
	done
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log")
[ -n "$execs" ] && [ "$execs" -gt 1000 ] && ok "the fuzzer ran $execs inputs" ||
	not_ok "the fuzzer ran too few inputs (${execs:-none})"
tap_done
