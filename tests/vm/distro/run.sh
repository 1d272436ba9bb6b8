#!/usr/bin/env bash
# Suite distro@RELEASE: the operator's path on a real Debian 12 guest
# (scenario distro-systemd). A root file system made from Debian's
# packages (rootfs.sh, cached), its own kernel (Debian's 6.1), systemd,
# and the project's .debs (make deb):
#   boot 1  -kernel from the image: dpkg installs the packages, DKMS builds
#           the modules in the guest, the region goes on GRUB's command
#           line as docs/operator-guide.md says, GRUB is installed
#   boot 2  from the disk, through GRUB: edu works, devstate-kexec
#           --load-only, systemctl kexec (devstate-freeze.service freezes)
#   boot 3  the kexec'd kernel, in the same QEMU: edu adopted, checked with
#           journalctl -k and devstate status inside the guest
# Each boot's serial log is in build/vm/distro/logs/. The guest's side is
# guest.sh; see docs/vm-tests.md.
set -u
cd "$(dirname "$0")/../../.." || exit 1
. tests/vm/lib.sh

W=build/vm/distro
LOGS=$W/logs
DISTRO_TIMEOUT=${DISTRO_TIMEOUT:-900}	# seconds per QEMU run; DKMS under TCG
n=0; passed=0; failed=0

# tap OK NAME [WHY...]: one TAP line; WHY lines become comments.
tap() {
	local ok=$1 what=$2; shift 2
	n=$((n + 1))
	if [ "$ok" = 0 ]; then
		echo "ok $n - $what"; passed=$((passed + 1))
	else
		echo "not ok $n - $what"; failed=$((failed + 1))
		local l; for l in "$@"; do echo "#   $l"; done
	fi
}

# want LOG KEY VALUE STAGE: a mismatch is one line of $why.
want() {
	local got
	got=$(vm_get "$1" "$2" "$4")
	[ "$got" = "$3" ] || why+=("stage $4: $2: expected '$3', got '${got:-<none>}'")
}

# judge WHAT LOG: a TAP line from the $why collected by want.
judge() {
	if [ ${#why[@]} -eq 0 ]; then tap 0 "$1"; else tap 1 "$1 (log $2)" "${why[@]}"; vm_tail "$2" 15; fi
	why=()
}

# boot NAME [QEMU ARGS...]: one QEMU run on the guest's disks, with edu.
# Two CPUs: DKMS compiles with a job per CPU, and under TCG that is most
# of the suite's time.
boot() {
	local name=$1; shift
	vm_qemu "$LOGS/$name.log" "$DISTRO_TIMEOUT" -m 2G -smp 2 \
		-drive file="$W/disk.qcow2",if=virtio,format=qcow2 \
		-drive file="$W/payload.img",if=virtio,format=raw \
		-device edu,dma_mask=0xffffffff "$@"
	[ $? -eq 124 ] && why+=("$name: the guest hung: killed after ${DISTRO_TIMEOUT}s")
	return 0
}

# payload: the disk labelled dsvm the image's one hook runs: the .debs,
# the guest script and the helpers it shares with the busybox guests.
payload() {
	local p=$W/payload
	rm -rf "$p" && mkdir -p "$p/debs"
	cp build/deb/devstate_*.deb build/deb/devstate-dkms_*.deb \
		build/deb/libdevstate-dev_*.deb "$p/debs/" &&
	cp tests/vm/distro/guest.sh "$p/run.sh" &&
	cp tests/vm/guest/lib.sh "$p/lib.sh" &&
	rm -f "$W/payload.img" &&
	mke2fs -q -t ext4 -L dsvm -d "$p" "$W/payload.img" 64M >/dev/null
}

echo "TAP version 13"
why=()
rm -rf "$W" && mkdir -p "$LOGS"
t0=$SECONDS
if ! img=$(tests/vm/distro/rootfs.sh ensure 2>"$W/rootfs.err"); then
	tap 1 "the Debian 12 guest image (tests/vm/distro/rootfs.sh ensure)" "$(tail -n 3 "$W/rootfs.err")"
	echo "1..$n"; echo "$passed passed, $failed failed"; exit 1
fi
tap 0 "the Debian 12 guest image, kernel $(cat "$img/release") ($((SECONDS - t0))s)"
echo "rootfs $((SECONDS - t0))" >>"$W/times.txt"

# debs_fresh: make deb's packages exist and no file git tracks is newer
# (make check's deb suite has just built them; a run of this suite alone
# after an edit builds them again).
debs_fresh() {
	local d
	d=$(ls build/deb/devstate_*.deb 2>/dev/null | head -n 1)
	[ -n "$d" ] || return 1
	[ "$(git ls-files -z | xargs -0 -r stat -c %Y 2>/dev/null | sort -n | tail -n 1)" -le "$(stat -c %Y "$d")" ]
}
if ! debs_fresh; then
	make --no-print-directory deb >"$W/deb.log" 2>&1 || true
fi
if ! debs_fresh || ! payload; then
	tap 1 "the project's .debs on the guest's second disk" "make deb failed: $W/deb.log"
	echo "1..$n"; echo "$passed passed, $failed failed"; exit 1
fi
tap 0 "the project's .debs on the guest's second disk: $(cd "$W/payload/debs" && echo *.deb)"
qemu-img create -q -f qcow2 -b "$(realpath "$img/disk.img")" -F raw "$W/disk.qcow2"

# Boot 1: the installer's boot, from the image's own kernel and initramfs.
t0=$SECONDS
boot install -kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
	-append "root=/dev/vda1 ro console=ttyS0,115200 panic=1"
l=$LOGS/install.log
want "$l" dpkg_rc 0 1
want "$l" dkms_status installed 1
want "$l" dkms_modules 5 1
want "$l" edu_testing 1 1
want "$l" grub_rc 0 1
want "$l" grub_memmap 1 1
want "$l" end 1 1
judge "install: dpkg -i the three packages, DKMS builds the five modules in the guest, the region on GRUB's command line ($((SECONDS - t0))s)" "$l"

# Boots 2 and 3: from the disk through GRUB, then the kexec'd kernel;
# pointless when the installation did not finish.
if [ "$(vm_get "$l" end 1)" != 1 ]; then
	tap 1 "boots 2 and 3 not run: the install boot did not finish"
	echo "1..$n"; echo "$passed passed, $failed failed"; exit 1
fi
t0=$SECONDS
boot kexec
l=$LOGS/kexec.log
want "$l" cmdline_memmap 1 2
want "$l" iomem_reserved 1 2
want "$l" devstate_region "16M@0x30000000" 2
want "$l" before_buf_preserved 1 2
want "$l" before_fact_result 3628800 2
want "$l" kexec_loaded 1 2
judge "boot through GRUB: the region reserved and held, edu working on a buffer from the preserved pool, the next kernel loaded by devstate-kexec --load-only" "$l"
want "$l" journal_unit 1 3
want "$l" journal_unit_failed 0 3
want "$l" journal_freeze 1 3
want "$l" cmdline_region 1 3
want "$l" journal_incoming 1 3
judge "systemctl kexec: devstate-freeze.service froze on the way down (journalctl -b -1), the next kernel took the handoff" "$l"
want "$l" adopt_path adopted 3
want "$l" adopt_inits 0 3
want "$l" adopt_live_read 0xedcb5432 3
want "$l" adopt_fact_reg 3628800 3
want "$l" after_fact_result 5040 3
want "$l" after_fact_done 2 3
got=$(vm_get "$l" new_msi 3)
[ "${got:-0}" -ge 1 ] 2>/dev/null || why+=("stage 3: new_msi: expected at least 1, got '${got:-<none>}'")
want "$l" journal_adopted 1 3
judge "edu adopted untouched after the kexec, and works: journalctl -k says adopted" "$l"
want "$l" status_rc 0 3
want "$l" status_edu adopted 3
want "$l" end 3 3
judge "devstate status in the guest: edu adopted, exit 0 ($((SECONDS - t0))s)" "$l"

reports=$(cat "$LOGS"/*.log | vm_kernel_reports /dev/stdin)
[ -z "$reports" ]; tap $? "no kernel report (BUG, WARNING, oops...) in any serial log" "$(printf '%s\n' "$reports" | head -n 5)"
echo "1..$n"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
