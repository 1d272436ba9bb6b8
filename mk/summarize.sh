#!/usr/bin/env bash
# Add up the TAP results of every suite and print the closing line.
# Exit status 1 when any test failed or no test ran.
set -u
dir=${1:-build/results}
pass=0; fail=0; skip=0
for f in "$dir"/*.tap; do
	[ -e "$f" ] || continue
	p=$(grep -E '^ok ' "$f" | grep -vc '# *SKIP' || true)
	s=$(grep -E '^ok .*# *SKIP' "$f" | wc -l)
	n=$(grep -c '^not ok ' "$f" || true)
	# Neither a plan nor a failure: the suite's runner itself was killed
	# (mk/run-suite.sh flags a suite that stops early while it runs).
	if [ "$n" -eq 0 ] && ! grep -qE '^1\.\.[0-9]+' "$f"; then
		echo "not ok - $(basename "$f" .tap): no plan line; its run was cut short" >>"$f"
		n=1
	fi
	printf '# %-24s %4d passed, %d failed, %d skipped\n' "$(basename "$f" .tap)" "$p" "$n" "$s"
	grep '^not ok ' "$f" | sed "s/^/#   $(basename "$f" .tap): /"
	pass=$((pass + p)); fail=$((fail + n)); skip=$((skip + s))
done
# Where the time went (mk/run-suite.sh and mk/check-matrix.sh record it).
if [ -s "$dir/times.txt" ]; then
	echo "# wall time per suite, seconds:"
	sort -k2,2nr "$dir/times.txt" | awk '{ printf "#   %-32s %5d\n", $1, $2; t += $2 } END { printf "#   %-32s %5d\n", "sum of the suites", t }'
fi
# The kernels' suites run side by side (mk/check-matrix.sh), so the sum
# above exceeds the time the run took.
if [ -s "$dir/started" ]; then
	printf '#   %-32s %5d\n' "the whole run, wall clock" $(($(date +%s) - $(cat "$dir/started")))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
