#!/usr/bin/env bash
# `devstate status` against fixture debugfs trees (DEVSTATE_DEBUGFS): the
# status file as devstate.ko writes it (docs/kernel-core.md), a region and
# an incoming blob from devstate-synth. Plain and JSON output, every exit
# status, and files that are missing, unreadable or garbage: a clear error
# and exit 2, never a crash (the tool is the ASan+UBSan build).
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

# synth's two records: 0000:42:00.0 8086:51d7 and 0000:42:00.1 8086:9037
a=0000:42:00.0 b=0000:42:00.1

# tree DIR: a live system after a handoff, with the region and the blob.
tree() {
	mkdir -p "$1"
	"$SYNTH" --devices 2 --seed 1 --format fdt -o "$1/incoming.dtb" || exit 2
	"$SYNTH" --devices 2 --seed 1 --format region -o "$1/region" || exit 2
}

# status_file DIR REASON ERROR [LINES...]: the status file, with the
# per-device lines given.
status_file() {
	local dir=$1 reason=$2 error=$3
	shift 3
	{
		echo "region: 16384K@0x30000000"
		echo "state: idle"
		echo "generation: 1"
		echo "records_out: 0"
		echo "records_in: 2"
		echo "adopted: 0"
		echo "cold: 0"
		[ $# -eq 0 ] || printf '%s\n' "$@"
		echo "freeze_us: 0"
		echo "incoming_validate_us: 85"
		echo "incoming_error: $error"
		echo "incoming_reason: $reason"
		echo "finished: yes"
		echo "pool_quarantined: no"
		echo "pool_pages: 3072"
		echo "pool_used: 3"
	} >"$dir/status"
}

status() { DEVSTATE_DEBUGFS=$1 "$DEVSTATE" "${@:2}" status; }

# json_get FILE EXPR: a value of the JSON in FILE, read by python3.
json_get() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- everything adopted
tree "$tmp/ok"
status_file "$tmp/ok" adopt none "record $a adopted" "record $b adopted"
expect_rc 0 "all adopted" status "$tmp/ok"
contains "$out" "region: 16384K at 0x30000000, header sealed, generation 1; module idle" "region: where, size, header state"
contains "$out" "handoff: generation 1, sealed 20" "handoff: generation and when"
contains "$out" "by 6.1.0-synth, 2 records" "handoff: the writer's kernel release"
contains "$out" "device $a 8086:51d7 ixgbe: adopted" "device a adopted, with IDs and driver"
contains "$out" "device $b 8086:9037 ixgbe: adopted" "device b adopted"
contains "$out" "unclaimed: none" "no unclaimed record"
contains "$out" "pool: 3 of 3072 pages in use" "pool in use"
contains "$out" "2 devices: 2 adopted, 0 cold" "summary"

expect_rc 0 "all adopted, JSON" status "$tmp/ok" -j
printf '%s\n' "$out" >"$tmp/ok.json"
check "JSON parses (python3 -m json.tool)" python3 -m json.tool "$tmp/ok.json" /dev/null
[ "$(json_get "$tmp/ok.json" 'd["result"]')" = all-adopted ] &&
	ok "JSON result all-adopted" || not_ok "JSON result all-adopted"
[ "$(json_get "$tmp/ok.json" '[x["verdict"] for x in d["devices"]]')" = "['adopted', 'adopted']" ] &&
	ok "JSON: both devices adopted" || not_ok "JSON: both devices adopted"
[ "$(json_get "$tmp/ok.json" 'd["handoff"]["kernel_release"], d["handoff"]["generation"], d["region"]["address"], d["region"]["size"], d["region"]["header_state"]')" = \
	"('6.1.0-synth', 1, '0x30000000', '0x1000000', 'sealed')" ] &&
	ok "JSON: handoff and region fields" || not_ok "JSON: handoff and region fields"
[ "$(json_get "$tmp/ok.json" 'd["pool"]["used"], d["pool"]["pages"], d["devices"][0]["vendor_id"], d["devices"][0]["driver"]')" = \
	"(3, 3072, '8086', 'ixgbe')" ] && ok "JSON: pool and device IDs" || not_ok "JSON: pool and device IDs"
expect_rc 0 "pretty JSON" status "$tmp/ok" -p
printf '%s\n' "$out" | python3 -m json.tool >/dev/null && ok "pretty JSON parses" || not_ok "pretty JSON parses"

# --- something went cold
tree "$tmp/cold"
status_file "$tmp/cold" adopt none "cold_reason $b id-mismatch" "record $a adopted" "record $b cold"
expect_rc 1 "one cold" status "$tmp/cold"
contains "$out" "device $b 8086:9037 ixgbe: cold: id-mismatch" "cold device with its reason"
contains "$out" "device $a 8086:51d7 ixgbe: adopted" "the other still adopted"
contains "$out" "not everything handed over was adopted" "summary says so"
expect_rc 1 "one cold, JSON" status "$tmp/cold" -j
printf '%s\n' "$out" >"$tmp/cold.json"
[ "$(json_get "$tmp/cold.json" 'd["result"], d["devices"][1]["verdict"], d["devices"][1]["reason"], d["summary"]["cold"]')" = \
	"('not-all-adopted', 'cold', 'id-mismatch', 1)" ] && ok "JSON: cold verdict and reason" || not_ok "JSON: cold verdict and reason"

# --- a record nobody claimed, before and after finish; one still pending
tree "$tmp/unc"
status_file "$tmp/unc" adopt none "record $a adopted" "record $b released"
expect_rc 1 "released record" status "$tmp/unc"
contains "$out" "device $b 8086:9037 ixgbe: unclaimed (released at finish)" "released record named"
contains "$out" "unclaimed: $b" "listed among records nobody claimed"
expect_rc 1 "released record, JSON" status "$tmp/unc" -j
printf '%s\n' "$out" >"$tmp/unc.json"
[ "$(json_get "$tmp/unc.json" 'd["unclaimed"], d["devices"][1]["record"]')" = "(['$b'], 'released')" ] &&
	ok "JSON: unclaimed list" || not_ok "JSON: unclaimed list"
status_file "$tmp/unc" adopt none "record $a pending" "record $b unclaimed"
expect_rc 1 "pending and unclaimed" status "$tmp/unc"
contains "$out" "device $a 8086:51d7 ixgbe: pending" "pending record"
contains "$out" "device $b 8086:9037 ixgbe: unclaimed" "unclaimed record"
status_file "$tmp/unc" adopt none "record $a adopted" "record $b unknown-thing unreadable"
expect_rc 1 "unreadable record" status "$tmp/unc"
contains "$out" "(record unreadable)" "unreadable record said"

# --- no handoff: first boot (nothing cold), first boot with a driver, rejected
mkdir "$tmp/first"
"$SYNTH" --devices 0 --seed 1 --format region -o "$tmp/first/region" 2>/dev/null ||
	cp "$tmp/ok/region" "$tmp/first/region"
status_file "$tmp/first" no-region "bad region magic"
expect_rc 0 "first boot, no device: nothing went cold" status "$tmp/first"
contains "$out" "handoff: none (bad region magic)" "nothing handed over, and why"
status_file "$tmp/first" no-region "bad region magic" "cold_reason 0000:00:04.0 no-region"
expect_rc 1 "first boot: a driver went cold" status "$tmp/first"
contains "$out" "device 0000:00:04.0: cold: no-region" "cold for lack of a handoff"
status_file "$tmp/first" blob-rejected "blob CRC mismatch"
expect_rc 1 "rejected blob" status "$tmp/first"
contains "$out" "handoff: rejected (blob CRC mismatch)" "rejection and its reason"
expect_rc 1 "rejected blob, JSON" status "$tmp/first" -j
printf '%s\n' "$out" >"$tmp/rej.json"
[ "$(json_get "$tmp/rej.json" 'd["handoff"]["status"], d["handoff"]["error"], d["handoff"]["generation"]')" = \
	"('rejected', 'blob CRC mismatch', None)" ] && ok "JSON: rejected handoff" || not_ok "JSON: rejected handoff"

# --- no region configured; a module older than the record and pool lines
mkdir "$tmp/noreg"
status_file "$tmp/noreg" no-region "no region"
sed -i 's/^region: .*/region: none/' "$tmp/noreg/status"
expect_rc 0 "no region" status "$tmp/noreg"
contains "$out" "region: none" "no region said"
sed -i 's/^incoming_error: .*/incoming_error: none/' "$tmp/noreg/status"
expect_rc 0 "no region, no error" status "$tmp/noreg"
contains "$out" "handoff: none (no region configured)" "no handoff without a region"
grep -v '^pool_pages\|^pool_used\|^incoming_reason' "$tmp/ok/status" >"$tmp/ok/status.old"
mv "$tmp/ok/status.old" "$tmp/ok/status"
expect_rc 0 "older module's status file" status "$tmp/ok"
contains "$out" "pool: not reported by this module" "pool not reported by an older module"

# --- the KHO transport: a "transport" first line, "region: none", the
# region file holding the KHO subtree (the region format, pool_size 0)
mkdir "$tmp/kho"
"$SYNTH" --devices 2 --seed 1 --format fdt -o "$tmp/kho/incoming.dtb" || exit 2
"$FIXTURE" blob --seed 1 --devices 2 --region --transport kho -o "$tmp/kho/region" || exit 2
kho_status() {
	status_file "$tmp/kho" "$@"
	sed -i -e '1i transport: kho' -e 's/^region: .*/region: none/' \
		-e 's/^pool_pages: .*/pool_pages: 3/' "$tmp/kho/status"
}
kho_status adopt none "record $a adopted" "record $b adopted"
expect_rc 0 "kho: all adopted" status "$tmp/kho"
contains "$out" "transport: kho" "kho: the transport said"
check "kho: the transport first" [ "$(head -1 <<<"$out")" = "transport: kho" ]
contains "$out" "region: none; KHO subtree header sealed, generation 1; module idle" \
	"kho: no region, the subtree's header"
contains "$out" "handoff: generation 1, sealed 20" "kho: the handoff"
contains "$out" "pool: 3 of 3 pages in use" "kho: preserved buffers' pages"
expect_rc 0 "kho: JSON" status "$tmp/kho" -j
printf '%s\n' "$out" >"$tmp/kho.json"
[ "$(json_get "$tmp/kho.json" 'd["transport"], d["region"]["configured"], d["region"]["header_state"], d["result"]')" = \
	"('kho', False, 'sealed', 'all-adopted')" ] && ok "kho JSON: transport, region, result" ||
	not_ok "kho JSON: transport, region, result"
kho_status kho-off "no KHO" "cold_reason 0000:00:04.0 kho-off"
expect_rc 1 "kho-off: a handover this kernel cannot use" status "$tmp/kho"
contains "$out" "handoff: ignored (kho-off: a KHO handover arrived, but this kernel runs without kho=on)" \
	"kho-off: said, and why"
contains "$out" "device 0000:00:04.0: cold: kho-off" "kho-off: the device's reason"
expect_rc 1 "kho-off, JSON" status "$tmp/kho" -j
printf '%s\n' "$out" >"$tmp/khooff.json"
[ "$(json_get "$tmp/khooff.json" 'd["handoff"]["status"], d["devices"][0]["reason"], d["result"]')" = \
	"('ignored', 'kho-off', 'not-all-adopted')" ] && ok "kho-off JSON: ignored, reason" ||
	not_ok "kho-off JSON: ignored, reason"
kho_status kho-off "no KHO"
expect_rc 1 "kho-off without devices: still not all adopted" status "$tmp/kho"
kho_status no-region "no KHO handover"
rm "$tmp/kho/incoming.dtb"
expect_rc 0 "kho, first boot" status "$tmp/kho"
contains "$out" "handoff: none (no KHO handover)" "kho first boot: the module's error"
mkdir "$tmp/none"
status_file "$tmp/none" no-region none
sed -i -e '1i transport: none' -e 's/^region: .*/region: none/' "$tmp/none/status"
expect_rc 0 "transport none" status "$tmp/none"
contains "$out" "region: none (devstate.ko loaded without region=, KHO off)" "transport none: no region, KHO off"
contains "$out" "handoff: none (no transport (no region=, KHO off))" "transport none: nothing to hand over"
expect_rc 1 "a module older than KHO" status "$tmp/cold"
lacks "$out" "transport:" "a module older than KHO: no transport line"
sed -i '1i transport: region' "$tmp/cold/status"
expect_rc 1 "transport region" status "$tmp/cold"
contains "$out" "transport: region" "transport region: said"
contains "$out" "region: 16384K at 0x30000000, header sealed" "transport region: the region as before"
expect_rc 1 "transport region, JSON" status "$tmp/cold" -j
printf '%s\n' "$out" >"$tmp/treg.json"
[ "$(json_get "$tmp/treg.json" 'd["transport"]')" = region ] && ok "JSON: transport region" ||
	not_ok "JSON: transport region"
[ "$(json_get "$tmp/cold.json" 'd["transport"]')" = None ] && ok "JSON: transport null from an older module" ||
	not_ok "JSON: transport null from an older module"
sed -i 's/^transport: .*/transport: K H O/' "$tmp/cold/status"
expect_rc 2 "transport value does not parse" status "$tmp/cold"
contains "$err" "status line 1 does not parse: 'transport: K H O'" "bad transport line named"

# --- errors: exit 2 with a clear message, JSON in JSON mode
expect_rc 2 "no such directory (module not loaded)" status "$tmp/nothere"
contains "$err" "is the devstate module loaded?" "module not loaded said"
expect_rc 2 "no such directory, JSON" status "$tmp/nothere" -j
contains "$out" '{"error":{"message":' "error as JSON"
[ -z "$err" ] && ok "JSON mode: nothing on stderr" || not_ok "JSON mode: nothing on stderr"
mkdir "$tmp/nostatus"
expect_rc 2 "status file missing" status "$tmp/nostatus"
contains "$err" "cannot open $tmp/nostatus/status" "missing status file named"
mkdir -p "$tmp/dirstatus/status"
expect_rc 2 "status file unreadable (a directory)" status "$tmp/dirstatus"
contains "$err" "cannot read $tmp/dirstatus/status" "unreadable status file named"
tree "$tmp/bad"
head -c 300 /dev/urandom >"$tmp/bad/status"
expect_rc 2 "garbage status file" status "$tmp/bad"
contains "$err" "$tmp/bad/status: " "garbage status file named"
status_file "$tmp/bad" adopt none
sed -i 's/^region: .*/region: lots/' "$tmp/bad/status"
expect_rc 2 "status: region value does not parse" status "$tmp/bad"
contains "$err" "status line 1 does not parse: 'region: lots'" "the bad line named"
status_file "$tmp/bad" adopt none "record $a"
expect_rc 2 "status: record line without a state" status "$tmp/bad"
status_file "$tmp/bad" adopt none "record 0000:142:00.0 adopted"
expect_rc 2 "status: record line with a bad position" status "$tmp/bad"
status_file "$tmp/bad" adopt none
sed -i 's/^pool_used: .*/pool_used: -1/' "$tmp/bad/status"
expect_rc 2 "status: negative count" status "$tmp/bad"
echo "hello: world" >"$tmp/bad/status"
expect_rc 2 "a file without region and state" status "$tmp/bad"
contains "$err" "not a devstate status file" "not a status file said"
status_file "$tmp/bad" adopt none
head -c 100 /dev/urandom >"$tmp/bad/region"
printf 'XXXX' | dd of="$tmp/bad/region" conv=notrunc 2>/dev/null
expect_rc 2 "garbage region file" status "$tmp/bad"
contains "$err" "not a devstate region header" "garbage region named"
head -c 20 "$tmp/ok/region" >"$tmp/bad/region"
expect_rc 2 "truncated region header" status "$tmp/bad"
cp "$tmp/ok/region" "$tmp/bad/region"
head -c 500 /dev/urandom >"$tmp/bad/incoming.dtb"
expect_rc 2 "garbage incoming.dtb" status "$tmp/bad"
contains "$err" "incoming.dtb: not a valid blob" "garbage blob named"
expect_rc 2 "garbage incoming.dtb, JSON" status "$tmp/bad" -j
contains "$out" '"file":"incoming.dtb"' "JSON error names the file"
expect_rc 2 "status takes no operand" status "$tmp/ok" extra

# Random bytes, and random damage to a good file: never a crash or a
# sanitizer report (exit 99), always 0, 1 or 2.
bad_rc=""
for i in $(seq 1 60); do
	if [ $((i % 2)) -eq 0 ]; then
		head -c $((RANDOM % 400)) /dev/urandom >"$tmp/bad/status"
	else
		status_file "$tmp/bad" adopt none "record $a adopted" "cold_reason $b id-mismatch"
		printf "\\x$(printf %x $((RANDOM % 94 + 33)))" |
			dd of="$tmp/bad/status" bs=1 seek=$((RANDOM % 300)) conv=notrunc 2>/dev/null
	fi
	cp "$tmp/ok/incoming.dtb" "$tmp/bad/incoming.dtb"
	DEVSTATE_DEBUGFS=$tmp/bad "$DEVSTATE" status >/dev/null 2>&1
	rc=$?
	[ "$rc" -le 2 ] || bad_rc="$bad_rc $rc"
done
[ -z "$bad_rc" ] && ok "60 damaged status files: exit 0, 1 or 2 each" ||
	not_ok "damaged status files gave exit statuses:$bad_rc"
tap_done
