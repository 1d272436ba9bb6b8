#!/bin/sh
# The distro-systemd scenario inside the Debian guest (tests/vm/distro/):
# run by the image's dsvm-payload.service from the disk labelled dsvm, at
# every boot, as root under systemd. The stage is kept on the guest's own
# disk, since the three boots share nothing else:
#   1 (no stage yet)  install the .debs (DKMS builds the modules), then
#                     set up the region the way docs/operator-guide.md
#                     says: GRUB drop-in, modprobe options, modules-load;
#                     install GRUB; power off
#   2 (installed)     booted by GRUB: check the region; edu works; the
#                     operator's kexec: devstate-kexec --load-only, then
#                     systemctl kexec (devstate-freeze.service freezes)
#   3 (kexec)         the kernel kexec'd into: edu adopted? journalctl -k
#                     and devstate status say so; power off
# Results go to the serial console as "DSVM: key=value" lines.
PAYLOAD=/media/dsvm
STATE=/var/lib/dsvm/stage
REGION_SIZE=16M
REGION_PHYS=0x30000000

# tests/vm/guest/lib.sh is written for busybox, which has usleep.
usleep() { sleep "$(awk -v us="$1" 'BEGIN { printf "%.3f", us / 1e6 }')"; }
. "$PAYLOAD/lib.sh"

# wait_for PATH SECONDS: until PATH exists (udev loads the drivers).
wait_for() {
	n=0
	while [ ! -e "$1" ] && [ "$n" -lt "$(($2 * 10))" ]; do
		sleep 0.1; n=$((n + 1))
	done
	[ -e "$1" ]
}

# journal_count PATTERN JOURNALCTL-ARGS...: the journal's lines matching
# PATTERN (grep -E), 0 for none. Counted by grep, not by journalctl -g:
# journalctl prints "-- No entries --" when nothing matches.
journal_count() {
	p=$1; shift
	journalctl -q --no-pager -o cat "$@" 2>/dev/null | grep -cE -- "$p"
}

install_stage() {
	# The journal kept on disk, so the last boot's kernel lines can be
	# read after the kexec (journalctl -b -1).
	mkdir -p /var/log/journal && systemd-tmpfiles --create --prefix /var/log/journal
	# DS_TESTING=1 reaches the modules' make through dpkg and DKMS: the
	# packaged sources, built with the test interface the checks read
	# (edu's debugfs), and nothing else changed.
	DS_TESTING=1 DEBIAN_FRONTEND=noninteractive dpkg -i "$PAYLOAD"/debs/*.deb >/tmp/dpkg.log 2>&1
	dsvm_say dpkg_rc $?
	sed 's/^/dpkg: /' /tmp/dpkg.log | tail -n 25
	for f in /var/lib/dkms/devstate/*/build/make.log; do
		grep -q 'Error' "$f" 2>/dev/null && tail -n 15 "$f" | sed 's/^/dkms make.log: /'
	done
	rel=$(uname -r)
	dsvm_say dkms_status "$(dkms status devstate -k "$rel" 2>/dev/null | sed 's/.*: //')"
	n=0
	for m in devstate devstate_edu devstate_ivshmem devstate_e1000 devstate_nvme; do
		modinfo -k "$rel" -n "$m" 2>/dev/null | grep -q /updates/dkms/ && n=$((n + 1))
	done
	dsvm_say dkms_modules "$n"
	dsvm_say edu_testing "$(modinfo -k "$rel" -F parm devstate_edu >/dev/null 2>&1 && echo 1 || echo 0)"

	# docs/operator-guide.md, section 5: the region on GRUB's command
	# line (this VM has no IOMMU, so no iommu=pt), the module's options.
	mkdir -p /etc/default/grub.d
	cat >/etc/default/grub.d/devstate.cfg <<'CFG'
GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX memmap=16M\\\$0x30000000"
CFG
	echo "options devstate region=$REGION_SIZE@$REGION_PHYS" >/etc/modprobe.d/devstate.conf
	echo devstate >/etc/modules-load.d/devstate.conf
	grub-install /dev/vda >/tmp/grub.log 2>&1 && update-grub >>/tmp/grub.log 2>&1
	dsvm_say grub_rc $?
	sed 's/^/grub: /' /tmp/grub.log | tail -n 5
	dsvm_say grub_memmap "$(grep -q 'memmap=16M\\\$0x30000000' /boot/grub/grub.cfg && echo 1 || echo 0)"
	echo installed >"$STATE"
}

run_stage() {
	dsvm_say cmdline_memmap "$(grep -c 'memmap=16M\$0x30000000' /proc/cmdline)"
	dsvm_say iomem_reserved "$(grep -c '30000000-30ffffff : Reserved' /proc/iomem)"
	wait_for "$EDU_DBG/ctl" 60
	dsvm_say devstate_region "$(cat /sys/module/devstate/parameters/region 2>/dev/null)"
	dsvm_edu live 1234abcd
	dsvm_edu fact 10
	dsvm_wait_edu fact_done 1
	dsvm_edu_report before
	rel=$(uname -r)
	devstate-kexec --load-only --kernel "/boot/vmlinuz-$rel" \
		--initrd "/boot/initrd.img-$rel" 2>&1 | sed 's/^/devstate-kexec: /'
	dsvm_say kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
	echo kexec >"$STATE"
	sync
	dsvm_say kexec_via systemctl
	if systemctl kexec; then
		# systemd stops this service on the way down; should the jump
		# never come, power off rather than wait for the host's timeout
		sleep 300
		dsvm_say kexec_never_came 1
	else
		dsvm_say systemctl_rc $?
	fi
	systemctl poweroff
}

adopted_stage() {
	dsvm_say cmdline_region "$(grep -c "devstate.region=$REGION_SIZE@$REGION_PHYS" /proc/cmdline)"
	wait_for "$EDU_DBG/state" 60
	dsvm_edu_after_adopt
	# What the operator reads: the kernel's lines of both boots, the
	# freeze unit's run, and devstate status.
	bdf=$(dsvm_edu_bdf)
	dsvm_say journal_adopted "$(journal_count "devstate: $bdf: adopted" -k -b 0)"
	dsvm_say journal_incoming "$(journal_count 'devstate: incoming: region sealed gen' -k -b 0)"
	dsvm_say journal_freeze "$(journal_count 'devstate: freeze: 1 devices' -k -b -1)"
	dsvm_say journal_unit "$(journal_count '^Finished ' -b -1 -u devstate-freeze.service)"
	dsvm_say journal_unit_failed "$(journal_count 'Failed' -b -1 -u devstate-freeze.service)"
	journalctl -k -b 0 -g devstate -o short-monotonic --no-pager | sed 's/^/journal: /' | head -n 20
	dsvm_devstate_status
	echo 'done' >"$STATE"
}

mkdir -p "${STATE%/*}"
case "$(cat "$STATE" 2>/dev/null)" in
'') stage=1; echo "DSVM: stage=1"; install_stage ;;
installed) stage=2; echo "DSVM: stage=2"; run_stage ;;
kexec) stage=3; echo "DSVM: stage=3"; adopted_stage ;;
*) stage=0; echo "DSVM: stage=0"; dsvm_say error "stage file says '$(cat "$STATE")'" ;;
esac
dsvm_problems
echo "DSVM: end=$stage"
sync
# Stage 2 leaves through the kexec it asked for (or powers off itself).
[ "$stage" = 2 ] || systemctl poweroff
