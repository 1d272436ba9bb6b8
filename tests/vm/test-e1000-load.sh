#!/usr/bin/env bash
# Suite e1000-load: the e1000 scenarios' load generator (tests/vm/e1000-load.c)
# against a stand-in echo service with planted faults (tests/vm/e1000-echo.c),
# over 127.0.0.1. Each case checks the generator reports exactly the fault
# planted; a generator that miscounted would fail one of them.
# usage: tests/vm/test-e1000-load.sh BINDIR   (holding e1000-load, e1000-echo)
set -u
bin=${1:?usage: test-e1000-load.sh BINDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0; fails=0

# run NAME LOADARGS -- ECHOARGS: one generator against one echo peer; the
# generator's report lands in $tmp/NAME.out.
run() {
	local name=$1; shift
	local load=() echo=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do load+=("$1"); shift; done
	shift
	echo=("$@")
	rm -f "$tmp/$name.port"
	"$bin/e1000-load" --port-file "$tmp/$name.port" --max-time 20 "${load[@]}" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	local lp=$!
	# TERM_AFTER=S: stop the generator as the VM harness does, by signal
	[ -z "${TERM_AFTER:-}" ] || { sleep "$TERM_AFTER"; kill -TERM "$lp"; } &
	"$bin/e1000-echo" --port-file "$tmp/$name.port" --max-time 25 "${echo[@]}" \
		2>"$tmp/$name.echo.err"
	wait "$lp"
}

get() { sed -n "s/^$2=//p" "$tmp/$1.out"; }

# expect CASE KEY OP VALUE: one TAP line per assertion on the report.
expect() {
	local v; v=$(get "$1" "$2")
	n=$((n + 1))
	if [ -n "$v" ] && [ "$v" "$3" "$4" ]; then
		echo "ok $n - $1: $2=$v ($3 $4)"
	else
		echo "not ok $n - $1: $2='$v', want $3 $4"
		fails=$((fails + 1))
		sed 's/^/#   /' "$tmp/$1.out" "$tmp/$1.err"
	fi
}

echo "TAP version 13"

# A clean peer: every request answered once, intact; the generator stops
# at --max.
run clean --rate 500 --max 400 -- 
expect clean sent -eq 400
expect clean lost -eq 0
expect clean dup -eq 0
expect clean corrupt -eq 0
expect clean resumed -eq 1
expect clean stopped_by = max
expect clean rx_drops -eq 0

# Stopped by SIGTERM after 1 s, as the VM harness stops it on the guest's
# word: no more requests, the ones on their way still answered.
TERM_AFTER=1 run term --rate 200 --max 100000 --
expect term stopped_by = signal
expect term sent -ge 100
expect term sent -le 400
expect term lost -eq 0
expect term resumed -eq 1

# Every 10th request unanswered: 40 lost, nothing else.
run drop --rate 500 --max 400 -- --drop-every 10
expect drop lost -eq 40
expect drop replies -eq 360
expect drop dup -eq 0

# Every 25th answered twice: 16 duplicates, none lost.
run dup --rate 500 --max 400 -- --dup-every 25
expect dup dup -eq 16
expect dup lost -eq 0

# Every 50th reply damaged: 8 corrupt, counted as lost too (never answered
# intact).
run corrupt --rate 500 --max 400 -- --corrupt-every 50
expect corrupt corrupt -eq 8
expect corrupt lost -eq 8

# A 1.5 s pause after request 100: its requests are lost, the gap is seen,
# and the generator stops by itself 1 s after the service resumed, long
# before --max.
run pause --rate 200 --max 5000 --resume-gap 1000 --after-resume 1000 -- --pause-after 100 --pause-ms 1500
expect pause resumed -eq 1
expect pause stopped_by = resume
expect pause gap_ms -ge 1400
expect pause gap_ms -le 2500
expect pause lost -ge 250
expect pause lost -le 320
expect pause dup -eq 0
expect pause sent -lt 1000

# A service that stops answering for good: its silence runs to the end of
# the run, so it did not resume, and the gap covers it.
run gone --rate 200 --max 600 -- --pause-after 100 --pause-ms 10000
expect gone resumed -eq 0
expect gone stopped_by = max
expect gone lost -ge 450
expect gone gap_ms -ge 2000

echo "1..$n"
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
