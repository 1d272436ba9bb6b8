#!/usr/bin/env bash
# Run one test suite and keep its TAP output in build/results/NAME.tap.
# usage: mk/run-suite.sh NAME COMMAND [ARGS...]
# A suite that exits non-zero without reporting a failure of its own gets one
# added, and so does a suite that reports nothing: a crash or an empty run can
# never pass as success.
set -u
name=$1; shift
dir=build/results
out=$dir/$name.tap
mkdir -p "$dir"
echo "# suite $name: $*"
t0=$SECONDS
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
# Wall time per suite, for the budget table of tests/README.md.
echo "$name $((SECONDS - t0))" >>"$dir/times.txt"
oks=$(grep -c '^ok ' "$out" || true)
noks=$(grep -c '^not ok ' "$out" || true)
# A TAP stream without its plan line ("1..N") stopped before its end: the
# suite was killed or crashed after some tests, and the ones it never ran
# must not pass unseen.
if ! grep -qE '^1\.\.[0-9]+' "$out"; then
	echo "not ok - suite $name ended without its plan line (killed or crashed after $oks tests)" | tee -a "$out"
elif [ "$rc" -ne 0 ] && [ "$noks" -eq 0 ]; then
	echo "not ok - suite $name exited with status $rc" | tee -a "$out"
elif [ "$oks" -eq 0 ] && [ "$noks" -eq 0 ]; then
	echo "not ok - suite $name ran no test" | tee -a "$out"
fi
exit 0
