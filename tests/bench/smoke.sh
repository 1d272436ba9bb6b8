#!/usr/bin/env bash
# Smoke test of the benchmark (make check-bench-smoke): run it once on tiny
# inputs so it keeps building and running, and check that it printed every
# figure and the writers' verdicts. It never judges a time.
# usage: tests/bench/smoke.sh BENCH_BINARY
set -u
bench=${1:?usage: smoke.sh BENCH_BINARY}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0

tap() {	# tap OK|FAIL description
	n=$((n + 1))
	if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# Kernel figures from nowhere: the smoke run must say so, not guess.
"$bench" --quick --kernel-times build/bench-smoke-no-such-file \
	--vm-logs build/bench-smoke-no-such-dir >"$out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && tap OK "devstate-bench --quick exits 0" ||
	tap FAIL "devstate-bench --quick exits 0 (status $rc)"

per_n="write_ms write_cpu_ms read_cpu_ms write_libfdt_ms memcpy_ms input_read_ms write_vs_libfdt write_vs_memcpy
write_same_tree_libfdt write_identical_libfdt read_ms read_nocrc_ms read_libfdt_walk_ms
read_libfdt_walk_nocrc_ms read_libfdt_byname_ms read_vs_libfdt
read_vs_libfdt_nocrc read_vs_libfdt_byname find_ns_per_lookup blob_bytes"
names="bytes_per_device bytes_per_device_mean bytes_per_device_edu bytes_per_device_msix_2048
write_same_tree_libfdt write_same_struct_libfdt write_identical_libfdt"
for f in $per_n; do names="$names ${f}_1 ${f}_64"; done

# Each figure exactly once, with a number and a unit.
for f in $names; do
	lines=$(grep -cE "^bench: $f -?[0-9][0-9.e+-]* [A-Za-z]+\$" "$out")
	[ "$lines" -eq 1 ] && tap OK "figure $f" ||
		tap FAIL "figure $f (found $lines well-formed lines)"
done

# Our blob holds libfdt's tree; byte identity is reported, not required
# (the strings block is in first-use order: docs/performance.md).
grep -qE '^verdict: byte-identical to libfdt.s at every N: (yes|no)' "$out" &&
	tap OK "byte-identity verdict printed" ||
	tap FAIL "byte-identity verdict printed"
grep -q '^verdict: devstate writer builds libfdt.s tree, in as many bytes, at every N: yes$' "$out" &&
	tap OK "writer builds the same tree as libfdt's sequential writer, same size" ||
	tap FAIL "writer builds the same tree as libfdt's sequential writer, same size"
grep -q '^verdict: structure blocks identical but for name offsets at every N: yes$' "$out" &&
	tap OK "structure blocks identical to libfdt's but for name offsets" ||
	tap FAIL "structure blocks identical to libfdt's but for name offsets"
grep -q 'not measured: run make check-vm' "$out" &&
	tap OK "missing kernel figures are reported as not measured" ||
	tap FAIL "missing kernel figures are reported as not measured"
! grep -q '^bench: kernel_' "$out" &&
	tap OK "no kernel figure without a kernel-times file" ||
	tap FAIL "no kernel figure without a kernel-times file"

# With a kernel-times file, its figures come through unchanged.
kt=$(mktemp)
logs=$(mktemp -d)
trap 'rm -rf "$out" "$kt" "$logs"' EXIT
printf 'state: idle\nfreeze_us: 1234\nincoming_validate_us: 85\n' >"$kt"
"$bench" --quick --kernel-times "$kt" >"$out" 2>&1
grep -q '^bench: kernel_freeze_us 1234 us$' "$out" &&
	grep -q '^bench: kernel_incoming_validate_us 85 us$' "$out" &&
	tap OK "kernel figures read from a kernel-times file" ||
	tap FAIL "kernel figures read from a kernel-times file"

# Without it, from the guests' console logs, one figure per scenario.
printf '[ 6.8] devstate: freeze: 1 devices, 1090 bytes, gen 1, 2153 us\n' \
	>"$logs/keep.log"
printf '[ 6.2] devstate: incoming: region sealed gen 1, 1 records, validated in 85 us\n' \
	>>"$logs/keep.log"
"$bench" --quick --kernel-times "$logs/none" --vm-logs "$logs" >"$out" 2>&1
grep -q '^bench: kernel_freeze_us_keep 2153 us$' "$out" &&
	grep -q '^bench: kernel_incoming_validate_us_keep 85 us$' "$out" &&
	tap OK "kernel figures read from the VM suite's guest logs" ||
	tap FAIL "kernel figures read from the VM suite's guest logs"
! grep -q '^bench: e1000_' "$out" && grep -q 'scenarios e1000-keepalive and e1000-cold' "$out" &&
	tap OK "no NIC figure without the e1000 scenarios' logs, and it says so" ||
	tap FAIL "no NIC figure without the e1000 scenarios' logs, and it says so"

# The NIC figures: the generator's report after "DSVM: stage=host" in the
# e1000 scenarios' logs; a key of an earlier stage is not the host's.
printf 'DSVM: stage=2\nDSVM: lost=77\nDSVM: stage=host\nDSVM: sent=2996\nDSVM: replies=2996\nDSVM: lost=0\nDSVM: dup=0\nDSVM: gap_ms=7212\n' \
	>"$logs/e1000-keepalive.log"
printf 'DSVM: stage=host\nDSVM: sent=3375\nDSVM: lost=1618\nDSVM: dup=0\nDSVM: gap_ms=9400\n' \
	>"$logs/e1000-cold.log"
"$bench" --quick --kernel-times "$logs/none" --vm-logs "$logs" >"$out" 2>&1
for f in "e1000_lost_keepalive 0 frames" "e1000_lost_cold 1618 frames" \
	 "e1000_sent 2996 frames" "e1000_gap_ms_keepalive 7212 ms" \
	 "e1000_gap_ms_cold 9400 ms" "e1000_dup_keepalive 0 frames"; do
	[ "$(grep -cx "bench: $f" "$out")" -eq 1 ] &&
		tap OK "NIC figure read from the e1000 logs: $f" ||
		tap FAIL "NIC figure read from the e1000 logs: $f"
done

# The NVMe example's first I/O after probe: nvme-keepalive's adopted line,
# nvme-cold's cold one, each the last of its log (the second kernel's).
printf '[ 3.2] devstate_nvme 0000:00:03.0: first I/O: 158163 us after probe start (cold)\n' \
	>"$logs/nvme-keepalive.log"
printf '[ 3.1] devstate_nvme 0000:00:03.0: first I/O: 162321 us after probe start (adopted)\n' \
	>>"$logs/nvme-keepalive.log"
printf '[ 3.0] devstate_nvme 0000:00:03.0: first I/O: 498000 us after probe start (cold)\n' \
	>"$logs/nvme-cold.log"
"$bench" --quick --kernel-times "$logs/none" --vm-logs "$logs" >"$out" 2>&1
grep -q '^bench: nvme_first_io_us_adopt 162321 us$' "$out" &&
	grep -q '^bench: nvme_first_io_us_cold 498000 us$' "$out" &&
	tap OK "NVMe first-I/O figures read from the guest logs" ||
	tap FAIL "NVMe first-I/O figures read from the guest logs"

# The VM suite's layout: one folder of logs per kernel release, each
# release's figures named for it.
mkdir -p "$logs/root/6.1.0-57-amd64/logs"
cp "$logs/nvme-keepalive.log" "$logs/nvme-cold.log" "$logs/root/6.1.0-57-amd64/logs/"
"$bench" --quick --kernel-times "$logs/none" --vm-logs "$logs/root" >"$out" 2>&1
grep -q '^bench: nvme_first_io_us_adopt@6.1.0-57-amd64 162321 us$' "$out" &&
	grep -q '^bench: nvme_first_io_us_cold@6.1.0-57-amd64 498000 us$' "$out" &&
	tap OK "figures read from build/vm/RELEASE/logs, named for the release" ||
	tap FAIL "figures read from build/vm/RELEASE/logs, named for the release"

# The KHO suite's logs of the same kernel, beside the region's, named so.
mkdir -p "$logs/root/6.1.0-57-amd64/logs-kho"
printf '[ 6.2] devstate: incoming: kho sealed gen 1, 1 records, validated in 91 us\n' \
	>"$logs/root/6.1.0-57-amd64/logs-kho/keepalive.log"
"$bench" --quick --kernel-times "$logs/none" --vm-logs "$logs/root" >"$out" 2>&1
grep -q '^bench: kernel_incoming_validate_us_keepalive@6.1.0-57-amd64/kho 91 us$' "$out" &&
	grep -q '^bench: nvme_first_io_us_adopt@6.1.0-57-amd64 162321 us$' "$out" &&
	tap OK "the KHO suite's figures from RELEASE/logs-kho, named RELEASE/kho" ||
	tap FAIL "the KHO suite's figures from RELEASE/logs-kho, named RELEASE/kho"
echo "1..$n"
