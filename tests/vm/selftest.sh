#!/usr/bin/env bash
# The VM harness's own log readers, on made-up serial logs (no QEMU): the
# kernel-report scan must see each kind of report and nothing in a clean
# log, and vm_get must read the value of the stage asked for; and the first
# command line, under each transport.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0; fails=0
check() {
	local what=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fails=$((fails + 1)); fi
}

clean=$work/clean.log
cat >"$clean" <<'LOG'
[    0.000000] Linux version 6.1.0 (debian-kernel@lists.debian.org)
DSVM: stage=1
DSVM: oops=0
[    2.100000] devstate: freeze: 1 devices, 1090 bytes, gen 1, 1924 us
DSVM: stage=2
DSVM: oops=0
DSVM: adopt_path=adopted
[    3.000000] devstate_edu 0000:00:04.0: adopted
LOG
check "a clean log has no kernel report" test -z "$(vm_kernel_reports "$clean")"
check "vm_get reads the stage asked for" test "$(vm_get "$clean" adopt_path 2)" = adopted
check "vm_get says nothing for a key of another stage" test -z "$(vm_get "$clean" adopt_path 1)"

# One line of each kind a debug or production kernel prints.
while IFS= read -r line; do
	{ cat "$clean"; echo "$line"; } >"$work/one.log"
	check "seen: $line" test "$(vm_kernel_reports "$work/one.log" | wc -l)" -eq 1
done <<'REPORTS'
[    4.1] BUG: KASAN: slab-use-after-free in ds_finish_locked+0x1c/0x90 [devstate]
[    4.1] BUG: KFENCE: out-of-bounds read in ds_fdt_getprop+0x3a/0x80
[    4.1] WARNING: possible circular locking dependency detected
[    4.1] WARNING: CPU: 0 PID: 61 at sdk/core/kernel/pool.c:120 ds_pool_free+0x5/0x10 [devstate]
[    4.1] UBSAN: array-index-out-of-bounds in sdk/core/shared/record_read.c:381:14
[    4.1] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580
[    4.1] BUG: unable to handle page fault for address: ffff888000000000
[    4.1] Oops: 0000 [#1] PREEMPT SMP KASAN
[    4.1] Kernel panic - not syncing: panic_on_warn set ...
[    4.1] WARNING: suspicious RCU usage
[    4.1] ODEBUG: free active (active state 0) object: ffff8880 object type: timer_list
[    4.1] list_add corruption. next->prev should be prev (ffff888003e0a0a8)
[    4.1] general protection fault, probably for non-canonical address 0xdffffc0000000000
REPORTS
# The first command line carries the words of the transport asked for,
# and with noregion neither transport's.
# words_in LINE WORD...: each WORD is a word of LINE; words_out: none is.
words_in() {
	local line=" $1 " w; shift
	for w; do case "$line" in *" $w "*) ;; *) return 1 ;; esac; done
}
words_out() {
	local line=" $1 " w; shift
	for w; do case "$line" in *" $w "*) return 1 ;; esac; done
}
export VM_RELEASE=6.1.0-test
c=$(VM_TRANSPORT=region vm_cmdline x)
check "region: memmap= and devstate.region=" words_in "$c" "$VM_MEMMAP" "$VM_DSREGION"
check "region: no kho=on" words_out "$c" kho=on devstate.transport=kho
c=$(VM_TRANSPORT=kho vm_cmdline x)
check "kho: kho=on and devstate.transport=kho" words_in "$c" kho=on devstate.transport=kho
check "kho: no region" words_out "$c" "$VM_MEMMAP" "$VM_DSREGION"
for t in region kho; do
	c=$(VM_TRANSPORT=$t vm_cmdline x noregion)
	check "$t, noregion: no transport's words" \
		words_out "$c" "$VM_MEMMAP" "$VM_DSREGION" kho=on devstate.transport=kho
done

echo "1..$n"
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
