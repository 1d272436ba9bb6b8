# Shared helpers of the devstate(1) test scripts: TAP output and the paths
# of the programs under test. Source it from the repository root.
# shellcheck shell=bash

DEVSTATE=${DEVSTATE:-build/san/bin/devstate}
SYNTH=${SYNTH:-build/bin/devstate-synth}
FIXTURE=${FIXTURE:-build/tests/tool/tool-fixture}
# Names come from the fixture's pci.ids, never the machine's database, so
# every machine prints the same (names.c: only that file is read).
export DEVSTATE_PCI_IDS=${DEVSTATE_PCI_IDS:-$PWD/tests/tool/pci.ids}
# Any sanitizer report makes the sanitized tool exit non-zero with this.
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=99:print_stacktrace=1}

tap_n=0
tap_fail=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $*"
}

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# expect_rc WANT DESCRIPTION COMMAND...: ok when the exit status is WANT.
# The command's output is kept in $out (stdout) and $err (stderr).
expect_rc() {
	local want=$1 what=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	if [ "$rc" -eq "$want" ]; then
		ok "$what (exit $rc)"
	else
		not_ok "$what (exit $rc, want $want)"
		sed 's/^/# /' "$tmp/err" | head -20
	fi
}

# contains TEXT NEEDLE DESCRIPTION: fixed-string search.
contains() {
	if grep -qF -- "$2" <<<"$1"; then ok "$3"; else
		not_ok "$3"
		echo "# expected to find: $2"
		head -20 <<<"$1" | sed 's/^/#   /'
	fi
}

lacks() {
	if grep -qF -- "$2" <<<"$1"; then
		not_ok "$3"
		echo "# did not expect: $2"
	else ok "$3"; fi
}

tap_done() {
	echo "1..$tap_n"
	echo "# $((tap_n - tap_fail)) passed, $tap_fail failed"
	[ "$tap_fail" -eq 0 ]
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
