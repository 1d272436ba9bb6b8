#!/usr/bin/env bash
# devstate-kexec on the host, against fake sysfs, proc and boot files and a
# fake kexec that only records its arguments: which transport it takes and
# says why, what it checks for each, the next command line it builds, and
# its refusals. Each case runs under every POSIX shell at hand (dash, busybox
# sh), since the helper also runs in busybox initramfs guests. The real
# kexec, freeze and undo are the VM scenario "helper"'s (tests/vm/).
set -u
cd "$(dirname "$0")/../.." || exit 2
helper=$PWD/kexec-handoff/devstate-kexec

n=0; fails=0
ok()  { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shells="sh"
command -v dash >/dev/null && shells="dash"
busybox sh -c : 2>/dev/null && shells="$shells busybox"

# A fake machine: devstate.ko's files, the command line, /proc/iomem and a
# kexec that appends its arguments to $tmp/kexec.log.
sys=$tmp/sys
mkdir -p "$sys/module/devstate/parameters" "$sys/kernel/devstate" "$tmp/boot" "$tmp/other"
cat >"$tmp/kexec" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/kexec.log"
EOF
chmod +x "$tmp/kexec"
cat >"$tmp/iomem" <<'EOF'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
30000000-30ffffff : Reserved
EOF
touch "$tmp/boot/vmlinuz-7.2.13-kho" "$tmp/boot/vmlinuz-7.2.13-nokho" "$tmp/other/bzImage"
printf 'CONFIG_KEXEC_FILE=y\nCONFIG_KEXEC_HANDOVER=y\n' >"$tmp/boot/config-7.2.13-kho"
printf 'CONFIG_KEXEC_FILE=y\n# CONFIG_KEXEC_HANDOVER is not set\n' >"$tmp/boot/config-7.2.13-nokho"
ln -s vmlinuz-7.2.13-nokho "$tmp/boot/vmlinuz"
initrd=$tmp/boot/initrd.img
: >"$initrd"

# machine TRANSPORT REGION CMDLINE [ASKED]: devstate.ko's transport file
# (TRANSPORT "-" for a module older than KHO: no file), its region= and
# transport= parameters, and the running kernel's command line.
machine() {
	rm -f "$sys/kernel/devstate/transport" "$sys/module/devstate/parameters/transport"
	[ "$1" = - ] || echo "$1" >"$sys/kernel/devstate/transport"
	echo "$2" >"$sys/module/devstate/parameters/region"
	echo "$3" >"$tmp/cmdline"
	[ -z "${4:-}" ] || echo "$4" >"$sys/module/devstate/parameters/transport"
	echo idle >"$sys/kernel/devstate/control"
}

# helper SHELL ARGS...: run it; exit status in $rc, stdout and stderr in $out
# (stderr lines carry the "devstate-kexec: " prefix), kexec's calls in $calls.
helper() {
	local sh=$1
	shift
	: >"$tmp/kexec.log"
	if [ "$sh" = busybox ]; then
		set -- busybox sh "$helper" "$@"
	else
		set -- "$sh" "$helper" "$@"
	fi
	out=$(SYS_PARAM=$sys/module/devstate/parameters/region \
		SYS_TRANSPORT=$sys/kernel/devstate/transport \
		SYS_CONTROL=$sys/kernel/devstate/control \
		PROC_CMDLINE=$tmp/cmdline PROC_IOMEM=$tmp/iomem \
		BOOT_DIR=$tmp/boot KEXEC=$tmp/kexec "$@" 2>&1)
	rc=$?
	calls=$(cat "$tmp/kexec.log")
}

# has WHAT TEXT NEEDLE / hasnt: a fixed string in TEXT, or not.
has() {
	if grep -qF -- "$3" <<<"$2"; then ok "$1"; else
		nok "$1"; echo "# expected: $3"; sed 's/^/#   /' <<<"$2" | head -20
	fi
}
hasnt() {
	if grep -qF -- "$3" <<<"$2"; then nok "$1"; echo "# did not expect: $3"; else ok "$1"; fi
}
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; echo "# got '$2', want '$3'"; fi
}

# the next command line the helper printed
next_line() { sed -n 's/^devstate-kexec: next command line: //p' <<<"$out"; }

for sh in $shells; do
	t="[$sh]"

	# --- kho chosen by the module: -s added, kho=on kept, the region's
	# words dropped, the target's config read
	machine kho "" "root=/dev/vda kho=on devstate.region=16M@0x30000000 console=ttyS0"
	helper "$sh" --load-only --kernel "$tmp/boot/vmlinuz-7.2.13-kho" --initrd "$initrd" -a "dsvm.stage=2"
	is "$t kho: loaded (exit 0)" "$rc" 0
	has "$t kho: transport and why" "$out" \
		"transport: kho (devstate.ko chose it: no region= given, KHO on in this kernel)"
	has "$t kho: -s added, and why" "$out" "loading with -s (kexec_file_load): only it hands KHO data"
	is "$t kho: loaded with kexec -s" "$calls" \
		"-s -l $tmp/boot/vmlinuz-7.2.13-kho --initrd=$initrd --command-line=root=/dev/vda kho=on console=ttyS0 dsvm.stage=2"
	is "$t kho: next line keeps kho=on, drops devstate.region=" "$(next_line)" \
		"root=/dev/vda kho=on console=ttyS0 dsvm.stage=2"
	has "$t kho: the target's config has KHO" "$out" "has KHO ($tmp/boot/config-7.2.13-kho)"
	hasnt "$t kho: no region checks" "$out" "region:"
	hasnt "$t kho: no warning with kho=on" "$out" "warning"

	# -s given: not added twice, not announced
	helper "$sh" -l -s -k "$tmp/boot/vmlinuz-7.2.13-kho"
	is "$t kho, -s given: one -s" "$calls" \
		"-s -l $tmp/boot/vmlinuz-7.2.13-kho --command-line=root=/dev/vda kho=on console=ttyS0"
	hasnt "$t kho, -s given: nothing said about -s" "$out" "loading with -s"

	# kho=1 counts as on; kho=off becomes kho=on, with a warning
	machine kho "" "root=/dev/vda kho=1"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	is "$t kho=1 kept" "$(next_line)" "root=/dev/vda kho=1"
	machine kho "" "root=/dev/vda kho=off quiet"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	is "$t kho=off: dry run exit 0" "$rc" 0
	has "$t kho=off: warned (ENABLE_DEFAULT)" "$out" "has no kho=on (a kernel built with KEXEC_HANDOVER_ENABLE_DEFAULT?)"
	is "$t kho=off replaced by kho=on" "$(next_line)" "root=/dev/vda quiet kho=on"

	# forced with transport=kho while region= is given: the region's memmap=
	# goes, another memmap= stays
	machine kho 16M@0x30000000 \
		"root=/dev/vda memmap=16M\$0x30000000 memmap=4M\$0x40000000 devstate.region=16M@0x30000000" kho
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	has "$t transport=kho: why" "$out" \
		"transport: kho (devstate.ko was loaded with transport=kho; region=16M@0x30000000 unused)"
	is "$t transport=kho: region memmap= and devstate.region= dropped, kho=on added" "$(next_line)" \
		"root=/dev/vda memmap=4M\$0x40000000 kho=on"
	# an unset string parameter reads "(null)": no region named
	machine kho "(null)" "root=/dev/vda kho=on" kho
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	has "$t transport=kho, region unset: why names no region" "$out" \
		"transport: kho (devstate.ko was loaded with transport=kho)"
	machine kho 16M@0x30000000 \
		"root=/dev/vda memmap=16M\$0x30000000 memmap=4M\$0x40000000 devstate.region=16M@0x30000000" kho
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	has "$t kho dry run: the load with -s" "$out" "would run: '$tmp/kexec' '-s' '-l'"
	has "$t kho dry run: the freeze" "$out" "would run: echo freeze > "
	is "$t kho dry run: kexec never ran" "$calls" ""

	# the target kernel: without KHO refused, through a link too; unknown
	machine kho "" "root=/dev/vda kho=on"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	is "$t target without KHO: refused (exit 1)" "$rc" 1
	has "$t target without KHO: said why" "$out" \
		"vmlinuz-7.2.13-nokho is built without CONFIG_KEXEC_HANDOVER=y ($tmp/boot/config-7.2.13-nokho): it would ignore the handover and every device would go cold"
	hasnt "$t target without KHO: nothing loaded" "$out" "would run"
	helper "$sh" -l -k "$tmp/boot/vmlinuz"
	is "$t target without KHO, by a link: refused" "$rc" 1
	is "$t target without KHO: kexec never ran" "$calls" ""
	helper "$sh" -l -k "$tmp/other/bzImage"
	is "$t target of unknown release: loaded" "$rc" 0
	has "$t target of unknown release: said" "$out" "cannot tell whether $tmp/other/bzImage has KHO; going on"

	# --- no transport: refused, both ways out named
	machine none "" "root=/dev/vda"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	is "$t none: refused (exit 1)" "$rc" 1
	has "$t none: says there is no transport" "$out" "devstate.ko has no transport"
	has "$t none: names the region way" "$out" "memmap=SIZE\$PHYS on the command line, then load devstate.ko with region=SIZE@PHYS"
	has "$t none: names the KHO way" "$out" "CONFIG_KEXEC_HANDOVER=y with kho=on"
	machine frob "" "root=/dev/vda"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-kho"
	is "$t unknown transport: refused" "$rc" 1
	has "$t unknown transport: named" "$out" "reports transport 'frob'"

	# --- region: the same with and without the transport file
	for tr in - region; do
		what="$t region (transport file ${tr/-/absent})"
		machine "$tr" 16M@0x30000000 \
			"root=/dev/vda memmap=16M\$0x30000000 kho=on devstate.region=8M@0x20000000 quiet"
		helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho" -i "$initrd" -a dsvm.stage=2
		is "$what: dry run exit 0" "$rc" 0
		is "$what: next line as before KHO" "$(next_line)" \
			"root=/dev/vda kho=on quiet memmap=16M\$0x30000000 devstate.region=16M@0x30000000 dsvm.stage=2"
		has "$what: the region" "$out" "region: 16M@0x30000000 (0x30000000-0x30ffffff)"
		has "$what: plain kexec -l" "$out" "would run: '$tmp/kexec' '-l'"
		hasnt "$what: no KHO check of the target" "$out" "KHO ("
		helper "$sh" -l -k "$tmp/boot/vmlinuz-7.2.13-nokho"
		is "$what: loaded without -s" "$calls" \
			"-l $tmp/boot/vmlinuz-7.2.13-nokho --command-line=root=/dev/vda kho=on quiet memmap=16M\$0x30000000 devstate.region=16M@0x30000000"
		echo "root=/dev/vda" >"$tmp/cmdline"
		helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
		has "$what: no memmap= refused" "$out" "no memmap=16M\$0x30000000 on the running kernel's command line"
	done
	machine region 16M@0x30000000 "root=/dev/vda memmap=16M\$0x30000000"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	has "$t region: transport and why" "$out" \
		"transport: region (region=16M@0x30000000, which devstate.ko takes before KHO)"
	machine - 16M@0x30000000 "root=/dev/vda memmap=16M\$0x30000000"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	has "$t older module: region, and why" "$out" \
		"transport: region (region=16M@0x30000000; this devstate.ko predates KHO)"
	machine - 16M@0x50000000 "root=/dev/vda memmap=16M\$0x50000000"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	has "$t region not Reserved in iomem: refused" "$out" "the region is not a Reserved range in"
	machine - "" "root=/dev/vda"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	is "$t older module without region=: refused" "$rc" 1
	has "$t older module without region=: said as before" "$out" "devstate.ko holds no region (region=''); load it with region=SIZE@PHYS"
	rm "$sys/module/devstate/parameters/region"
	helper "$sh" -n -k "$tmp/boot/vmlinuz-7.2.13-nokho"
	has "$t module not loaded: said" "$out" "devstate.ko is not loaded"
done

# help and man page describe the KHO transport
has "--help: the KHO transport" "$("$helper" --help)" "kho:    kho=on kept or added"
has "man page: a KHO section" "$(cat docs/devstate-kexec.8)" ".SH KEXEC HANDOVER"
echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
