# Guest helpers for the scenarios (busybox sh). Each dsvm_* function does one
# thing and reports what it saw as "DSVM: key=value" lines; the host decides.

DS_SYS=/sys/kernel/devstate
DS_DBG=/sys/kernel/debug/devstate

# dsvm_cmdline_get KEY: the last KEY=value on the kernel command line.
dsvm_cmdline_get() {
	v=
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1="*) v=${w#*=} ;; esac
	done
	echo "$v"
}

dsvm_say() { echo "DSVM: $1=$2"; }

# dsvm_pci_bdf VENDOR DEVICE: the PCI address of the first such device
# (IDs as sysfs spells them, 0x1234).
dsvm_pci_bdf() {
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# dsvm_edu_bdf: the PCI address of the edu device (1234:11e8).
dsvm_edu_bdf() { dsvm_pci_bdf 0x1234 0x11e8; }

# dsvm_state_report FILE PREFIX: a driver's test state file of "key value"
# lines as DSVM lines "PREFIX_key=value".
dsvm_state_report() {
	[ -r "$1" ] || { dsvm_say "$2_state" missing; return 1; }
	while read -r k v; do
		dsvm_say "$2_$k" "$v"
	done < "$1"
}

# dsvm_cfg_u16 BDF OFFSET: a 16-bit word of config space, read from sysfs
# (no driver involved), as 0x%04x.
dsvm_cfg_u16() {
	printf '0x%04x\n' "$(od -An -tu2 -j "$2" -N2 "/sys/bus/pci/devices/$1/config" | tr -d ' ')"
}

# dsvm_transport: how this guest's devstate hands its blob on, as the
# host's VM_TRANSPORT put it on the command line: kho when it says
# devstate.transport=kho, else region.
dsvm_transport() {
	t=$(dsvm_cmdline_get devstate.transport)
	echo "${t:-region}"
}

# dsvm_insmod_devstate [region|noregion]: load devstate.ko, handing it the
# region= and transport= the command line names as devstate.region= and
# devstate.transport= (insmod does not read /proc/cmdline). With noregion,
# neither: devstate loads with nothing to hand over.
dsvm_insmod_devstate() {
	if [ ! -f /lib/modules/devstate.ko ]; then
		dsvm_say devstate_ko missing
		return 1
	fi
	a=
	if [ "${1:-region}" = region ]; then
		r=$(dsvm_cmdline_get devstate.region)
		t=$(dsvm_cmdline_get devstate.transport)
		a="${r:+region=$r} ${t:+transport=$t}"
	fi
	# shellcheck disable=SC2086 # none, one or two words
	insmod /lib/modules/devstate.ko $a
	rc=$?
	dsvm_say devstate_insmod "$rc"
	return $rc
}

# dsvm_insmod_example NAME [PARAM=VALUE...]: load drivers/examples/NAME's
# module, devstate_NAME.ko, reporting NAME_ko and NAME_insmod.
dsvm_insmod_example() {
	m=$1; shift
	if [ ! -f "/lib/modules/devstate_$m.ko" ]; then
		dsvm_say "${m}_ko" missing
		return 1
	fi
	insmod "/lib/modules/devstate_$m.ko" "$@"
	rc=$?
	dsvm_say "${m}_insmod" "$rc"
	return $rc
}

dsvm_insmod_edu() { dsvm_insmod_example edu; }

# The edu driver's test interface: one debugfs directory per device, named
# by its PCI address (DS_TESTING builds of devstate_edu.ko).
EDU_DBG=/sys/kernel/debug/devstate_edu/$(dsvm_edu_bdf)

# dsvm_edu CMD...: one command to the edu driver's test interface.
dsvm_edu() { echo "$*" > "$EDU_DBG/ctl"; }

# dsvm_edu_report PREFIX: every value the edu driver exposes, as DSVM lines
# "PREFIX_key=value" (its state file holds "key value" lines).
dsvm_edu_report() { dsvm_state_report "$EDU_DBG/state" "$1"; }

# dsvm_edu_irqs: interrupts the kernel delivered to devstate_edu so far.
dsvm_edu_irqs() { dsvm_irqs devstate_edu; }

# dsvm_irqs NAME: interrupts the kernel delivered to handlers named NAME.
dsvm_irqs() {
	awk -v name="$1" '$0 ~ name { n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break; print n; f = 1 }
	     END { if (!f) print 0 }' /proc/interrupts
}

# dsvm_pci_command BDF: report PCI_COMMAND of BDF as read from config space
# now, with its memory and bus-master bits (PREFIX_cmd, _mem, _master).
dsvm_pci_command() {
	c=$(dsvm_cfg_u16 "$1" 4)
	dsvm_say "$2_cmd" "$c"
	dsvm_say "$2_mem" $(((c >> 1) & 1))
	dsvm_say "$2_master" $(((c >> 2) & 1))
}

# dsvm_devstate_report: devstate's status file as DSVM lines "ds_<key>".
dsvm_devstate_report() {
	[ -r "$DS_DBG/status" ] || { dsvm_say ds_status missing; return 1; }
	while IFS= read -r line; do
		k=${line%%:*}; v=${line#*: }
		case "$line" in
		cold_reason*) dsvm_say ds_cold_reason "${line#cold_reason }" ;;
		"record "*) dsvm_say ds_record "${line#record }" ;;
		*) dsvm_say "ds_$k" "$v" ;;
		esac
	done < "$DS_DBG/status"
}

# dsvm_devstate_status: run `devstate status` as an operator would; its
# output goes to the log, its exit status and the edu device's verdict
# (adopted, cold REASON, ...) as DSVM lines status_rc and status_edu.
dsvm_devstate_status() {
	command -v devstate >/dev/null || { dsvm_say status_rc no-tool; return 1; }
	devstate status >/tmp/status.txt 2>&1
	dsvm_say status_rc $?
	sed 's/^/devstate-status: /' /tmp/status.txt
	bdf=$(dsvm_edu_bdf)
	# "device BDF IDS DRIVER: verdict", or "device BDF: ..." without a record
	line=$(grep "^device ${bdf}[ :]" /tmp/status.txt)
	case "$line" in
	*": cold: "*) dsvm_say status_edu "cold ${line##*: }" ;;
	*": "*) dsvm_say status_edu "${line##*: }" ;;
	*) dsvm_say status_edu none ;;
	esac
}

# dsvm_wait_edu KEY VALUE [TRIES]: poll the edu state until KEY reads VALUE
# (each try sleeps 0.1 s). Reports KEY's last value either way.
dsvm_wait_edu() {
	n=0
	while [ "$n" -lt "${3:-50}" ]; do
		v=$(sed -n "s/^$1 //p" "$EDU_DBG/state")
		[ "$v" = "$2" ] && return 0
		n=$((n + 1))
		usleep 100000
	done
	return 1
}

dsvm_edu_get() { sed -n "s/^$1 //p" "$EDU_DBG/state"; }

# dsvm_edu_after_adopt: what the edu driver holds right after probe (DSVM
# lines adopt_*), then a new 7! through its MSI: new_msi, the interrupts it
# raised, and after_*.
dsvm_edu_after_adopt() {
	dsvm_edu_report adopt
	irqs0=$(dsvm_edu_irqs)
	dsvm_edu fact 7
	dsvm_wait_edu fact_done 2
	dsvm_say new_msi $(($(dsvm_edu_irqs) - irqs0))
	dsvm_edu_report after
}

# dsvm_initrd: the initramfs for the next kernel: this one's root file
# system (without the mounted proc, sys, dev and tmp), packed once.
dsvm_initrd() {
	if [ ! -s /tmp/initrd.cpio ]; then
		(cd / && find . \( -path ./proc -o -path ./sys -o -path ./dev \
			-o -path ./tmp \) -prune -print -o \
			-path ./boot/initrd.cpio -o -print |
			cpio -o -H newc > /tmp/initrd.cpio 2>/dev/null)
	fi
	echo /tmp/initrd.cpio
}

# dsvm_kexec_keepalive ARGS...: the keep-alive kexec into the next stage,
# through the operator's helper. Returns only when the helper failed.
# Under KHO the next kernel must be loaded with kexec_file_load (-s): the
# helper learns that from devstate.ko and adds -s itself, as it would for
# an operator, so it is not told here.
dsvm_kexec_keepalive() {
	devstate-kexec --kernel /boot/vmlinuz --initrd "$(dsvm_initrd)" \
		--append "dsvm.stage=$((stage + 1))" "$@"
	dsvm_say kexec_failed "$?"
}

# dsvm_kexec_load [PATTERN...]: load the next stage's kernel, by hand, with
# this kernel's command line less the words that match a shell PATTERN.
# Under KHO through kexec_file_load (kexec -s): kexec_load hands nothing
# over. Returns kexec's status.
dsvm_kexec_load() {
	c=
	for w in $(cat /proc/cmdline); do
		for p in "$@"; do
			# shellcheck disable=SC2254 # p is a pattern
			case "$w" in $p) continue 2 ;; esac
		done
		c="$c $w"
	done
	s=
	[ "$(dsvm_transport)" = kho ] && s=-s
	kexec $s -l /boot/vmlinuz --initrd="$(dsvm_initrd)" \
		--command-line="${c# } dsvm.stage=$((stage + 1))"
}

# dsvm_kexec_plain [noregion]: an ordinary kexec into the next stage, without
# the helper. With "noregion" the next kernel gets none of the transports'
# words (memmap= and devstate.region=, or kho=on and devstate.transport=):
# every device goes cold. (devstate still freezes on the kexec reboot path
# when it has a transport.)
dsvm_kexec_plain() {
	if [ "${1:-}" = noregion ]; then
		dsvm_kexec_load 'memmap=*' 'devstate.region=*' 'kho=*' 'devstate.transport=*'
	else
		dsvm_kexec_load
	fi && kexec -e
	dsvm_say kexec_failed "$?"
}

# dsvm_kexec_knob KNOB KEY: load the next stage, freeze, apply devstate's
# test knob KNOB (reporting its status as KEY), and jump. Done by hand: the
# knob must act between the freeze and the jump, where devstate-kexec leaves
# no room.
dsvm_kexec_knob() {
	dsvm_kexec_load || return
	echo freeze > "$DS_SYS/control"
	echo "$1" > "$DS_DBG/test"
	dsvm_say "$2" $?
	kexec -e
	dsvm_say kexec_failed "$?"
}

# dsvm_problems: count the kernel's cries of distress in this boot.
dsvm_problems() {
	dsvm_say oops "$(dmesg | grep -c -E 'Oops|BUG:|Call Trace|general protection')"
	dsvm_say warn "$(dmesg | grep -c -E 'WARNING:')"
	dsvm_say stray "$(dmesg | grep -c -E 'No irq handler|nobody cared|spurious')"
}

# ---- the e1000 example (tests/vm/scenarios/e1000-*.sh) ----------------------

# dsvm_e1000_state: the e1000 driver's test state file (8086:100e).
dsvm_e1000_state() {
	echo "/sys/kernel/debug/devstate_e1000/$(dsvm_pci_bdf 0x8086 0x100e)/state"
}

# dsvm_e1000_report PREFIX: every value the e1000 driver exposes, as DSVM
# lines "PREFIX_key=value".
dsvm_e1000_report() { dsvm_state_report "$(dsvm_e1000_state)" "$1"; }

# dsvm_e1000_wait KEY MIN [TRIES]: poll the e1000 state until KEY is at
# least MIN (each try sleeps 0.1 s). Reports KEY's last value either way.
dsvm_e1000_wait() {
	f=$(dsvm_e1000_state)
	n=0
	while [ "$n" -lt "${3:-100}" ]; do
		v=$(sed -n "s/^$1 //p" "$f" 2>/dev/null)
		[ -n "$v" ] && [ "$v" -ge "$2" ] && break
		n=$((n + 1))
		usleep 100000
	done
	dsvm_say "wait_$1" "${v:-none}"
}

# dsvm_e1000_serve [PARAM=VALUE...]: load devstate (with the transport
# the command line names, if any) and the e1000 driver, then wait for about a
# second of the host's counted request stream (sequence 200).
dsvm_e1000_serve() {
	dsvm_insmod_devstate && dsvm_insmod_example e1000 "$@" || return
	dsvm_e1000_wait last_seq 200 150
}

# dsvm_e1000_end_run [N]: the end of an e1000 scenario's last kernel:
# serve N more requests of the host's stream (default 400, 2 s at the
# scenarios' 200 per second), then say e1000_fin, on which the host stops
# its generator, and serve 1.5 s more for the requests already on their
# way. end_run_served says whether the N came (1) or the wait gave up (0).
dsvm_e1000_end_run() {
	s=$(sed -n 's/^last_seq //p' "$(dsvm_e1000_state)" 2>/dev/null)
	want=$((${s:-0} + ${1:-400}))
	dsvm_e1000_wait last_seq "$want" 150
	s=$(sed -n 's/^last_seq //p' "$(dsvm_e1000_state)" 2>/dev/null)
	dsvm_say end_run_served "$([ "${s:-0}" -ge "$want" ] && echo 1 || echo 0)"
	dsvm_say e1000_fin 1
	usleep 1500000
}

# dsvm_incoming_dump: devstate dump of the blob this kernel received, as
# DUMP: lines in the serial log.
dsvm_incoming_dump() {
	if command -v devstate >/dev/null; then
		devstate dump 2>&1 | sed -n '/^== incoming ==/,/^== outgoing ==/p' |
			grep -v '^== outgoing' | sed 's/^/DUMP: /'
	else
		echo "DUMP: (the devstate tool is not built: no dump)"
	fi
}

# ---- the NVMe example (devstate_nvme.ko, QEMU's nvme, 1b36:0010) ----------

dsvm_nvme_bdf() { dsvm_pci_bdf 0x1b36 0x0010; }

dsvm_insmod_nvme() { dsvm_insmod_example nvme; }

# The driver's test interface (DS_TESTING builds): one debugfs directory
# per controller, named by its PCI address.
dsvm_nvme_dbg() { echo "/sys/kernel/debug/devstate_nvme/$(dsvm_nvme_bdf)"; }

# dsvm_nvme KEY CMD...: one command to the driver (write, read,
# read-async, ns-mismatch); reports its exit status as KEY.
dsvm_nvme() {
	k=$1; shift
	echo "$*" > "$(dsvm_nvme_dbg)/ctl"
	dsvm_say "$k" $?
}

# dsvm_nvme_report PREFIX: the driver's state file as "PREFIX_key=value".
dsvm_nvme_report() { dsvm_state_report "$(dsvm_nvme_dbg)/state" "$1"; }

# dsvm_nvme_irqs: interrupts delivered to devstate_nvme's MSI-X vector.
dsvm_nvme_irqs() { dsvm_irqs devstate_nvme; }
