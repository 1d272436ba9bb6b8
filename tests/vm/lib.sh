# shellcheck shell=bash
# Host side of the QEMU harness: pick the guest kernel, build the modules and
# the initramfs, boot a scenario and collect what its guest reports.
# Sourced by tests/vm/run.sh and tests/vm/demo.sh from the repository root.
#
# Variables (environment):
#   VM_KERNEL_NAME   a kernel of the matrix (tests/vm/kernels/kernels.sh:
#                    6.1, 6.12, 7.2); must be installed or built already
#   VM_KERNEL        guest kernel image, with VM_KDIR its headers or build
#                    tree (default: the newest /boot/vmlinuz-*-amd64 that
#                    has matching /usr/src/linux-headers-*)
#   VM_ACCEL         tcg (default) or kvm
#   VM_TIMEOUT       seconds one scenario boot may take in all (default 240;
#                    three times that on a debug kernel, which KASAN and
#                    lockdep slow down several times under TCG)
#   QEMU_EXTRA_ARGS  appended to every qemu command line
#   VM_CMDLINE_EXTRA appended to the first kernel's command line (and so to
#                    the next ones, which copy it), e.g. earlyprintk=ttyS0
#   VM_KEEP          1: keep the work folder between runs (debugging)
#   VM_IMAGE         the initramfs to boot (default: VM_DIR/initramfs.cpio)
#   VM_DEVICES       the guest's devices (default: one edu; a scenario may
#                    set DEVICES instead)
#   VM_DIR_BASE      where images and logs go, one folder per kernel
#                    release: VM_DIR_BASE/RELEASE/{initramfs.cpio,logs/}
#                    (default build/vm)
#   VM_TRANSPORT     how devstate hands its blob to the next kernel:
#                    region (default: the memmap= region, memmap= and
#                    devstate.region= on the command line) or kho (Kexec
#                    HandOver: kho=on and devstate.transport=kho instead,
#                    no region; the guests kexec with kexec_file_load). The
#                    guest learns it from its command line. Logs of the kho
#                    runs go to VM_DIR_BASE/RELEASE/logs-kho/
VM_DIR_BASE=${VM_DIR_BASE:-build/vm}
VM_TRANSPORT=${VM_TRANSPORT:-region}
VM_ACCEL=${VM_ACCEL:-tcg}
VM_TIMEOUT=${VM_TIMEOUT:-240}
# edu's default DMA mask is 28 bits; the region sits at 768 MiB.
VM_DEVICES=${VM_DEVICES:--device edu,dma_mask=0xffffffff}
# The preserved region, in the two spellings the two parties want.
VM_REGION_SIZE=16M
VM_REGION_PHYS=0x30000000
VM_MEMMAP="memmap=${VM_REGION_SIZE}\$${VM_REGION_PHYS}"
VM_DSREGION="devstate.region=${VM_REGION_SIZE}@${VM_REGION_PHYS}"
# Under KHO: the handover switched on, and devstate.ko told to use it.
# kho_scratch= sizes the scratch areas (lowmem, global, per node), where
# kexec_file_load puts the next kernel and initrd and where that kernel
# makes all its early allocations. KHO's default, four times what the
# kernel reserved early, is more than a 1 GiB guest of the debug kernel has
# (its KASAN shadow alone is 128 MiB): "KHO: Failed to reserve nid 0
# scratch buffer", and KHO stays off. 384 MiB holds the debug kernel's
# early allocations (241724K reserved) with its image and initrd, and
# stays usable for movable pages (CMA) in the kernel that reserves it.
VM_KHO="kho=on kho_scratch=32M,96M,256M devstate.transport=kho"

vm_die() { echo "vm: $*" >&2; exit 1; }

# vm_pick_kernel: set VM_KERNEL, VM_KDIR (the headers of the same release:
# modules built against others would not load) and VM_RELEASE.
vm_pick_kernel() {
	local img rel
	if [ -n "${VM_KERNEL_NAME:-}" ]; then
		# shellcheck disable=SC2046 # three words: release, image, kdir
		set -- $(tests/vm/kernels/kernels.sh find "$VM_KERNEL_NAME") ||
			vm_die "kernel $VM_KERNEL_NAME is not available"
		VM_RELEASE=$1 VM_KERNEL=$2 VM_KDIR=$3
		return 0
	fi
	if [ -n "${VM_KERNEL:-}" ]; then
		rel=${VM_KERNEL##*/vmlinuz-}
		VM_KDIR=${VM_KDIR:-/usr/src/linux-headers-$rel}
		[ -d "$VM_KDIR" ] || vm_die "no headers $VM_KDIR for VM_KERNEL=$VM_KERNEL"
		VM_RELEASE=$(mk/kernel-release.sh "$VM_KDIR")
		return 0
	fi
	for img in $(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | sort -V -r); do
		rel=${img##*/vmlinuz-}
		if [ -d "/usr/src/linux-headers-$rel" ] && [ -r "$img" ]; then
			VM_KERNEL=$img
			VM_KDIR=/usr/src/linux-headers-$rel
			VM_RELEASE=$rel
			return 0
		fi
	done
	vm_die "no readable /boot/vmlinuz-*-amd64 with matching /usr/src/linux-headers-*; run 'make deps-vm'"
}

# vm_kho_built KDIR RELEASE: the kernel was built with Kexec HandOver, as
# its build tree's or headers' .config (else /boot/config-RELEASE) says.
vm_kho_built() {
	local f=$1/.config
	[ -r "$f" ] || f=/boot/config-$2
	grep -qx 'CONFIG_KEXEC_HANDOVER=y' "$f" 2>/dev/null
}

# vm_build_modules: devstate.ko (with the test knobs), the example drivers
# and the API test module, into VM_KMOD (build/kmod/RELEASE-testing).
# Failure is not fatal here: scenarios that need a module report its absence.
vm_build_modules() {
	VM_KMOD=build/kmod/$VM_RELEASE-testing
	echo "# vm: building modules against $VM_KDIR"
	if ! make --no-print-directory -s modules DS_TESTING=1 KDIR="$VM_KDIR" \
			>"$VM_DIR/modules.log" 2>&1; then
		echo "# vm: 'make modules' failed; see $VM_DIR/modules.log:"
		tail -n 15 "$VM_DIR/modules.log" | sed 's/^/#   /'
	fi
}

# vm_copy_bin ROOT FILE [DEST]: copy an executable and the shared libraries
# ldd names for it into ROOT, at the same paths.
vm_copy_bin() {
	local root=$1 bin=$2 dest=${3:-$2} lib
	mkdir -p "$root/$(dirname "$dest")"
	cp -L "$bin" "$root/$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root/$lib" ] && continue
		mkdir -p "$root/$(dirname "$lib")"
		cp -L "$lib" "$root/$lib"
	done
}

# vm_populate ROOT: what every guest needs, whether first or second kernel.
vm_populate() {
	local root=$1 applet ko
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,boot,lib/modules,dsvm}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
	vm_copy_bin "$root" /usr/sbin/kexec
	for ko in "$VM_KMOD"/devstate.ko "$VM_KMOD"/drivers/examples/*/devstate_*.ko; do
		[ -f "$ko" ] && cp "$ko" "$root/lib/modules/"
	done
	if [ -x build/bin/devstate ]; then
		vm_copy_bin "$root" build/bin/devstate /usr/bin/devstate
	fi
	cp kexec-handoff/devstate-kexec "$root/usr/sbin/devstate-kexec"
	cp tests/vm/guest/init "$root/init"
	cp tests/vm/guest/lib.sh "$root/dsvm/lib.sh"
	cp tests/vm/scenarios/*.sh "$root/dsvm/"
	chmod 755 "$root/init" "$root/usr/sbin/devstate-kexec"
}

vm_cpio() { (cd "$1" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) >"$2"; }

# vm_build_initramfs: one image, holding the kernel image too. A guest that
# kexecs packs its own root file system as the next initramfs
# (dsvm_initrd in tests/vm/guest/lib.sh), so a chain of kexecs needs nothing
# more from the host.
vm_build_initramfs() {
	local w=$VM_DIR/work
	rm -rf "$w" && mkdir -p "$w"
	vm_populate "$w/root"
	# A suite of its own may add files: define vm_populate_extra ROOT.
	if declare -F vm_populate_extra >/dev/null; then vm_populate_extra "$w/root"; fi
	cp "$VM_KERNEL" "$w/root/boot/vmlinuz"
	vm_cpio "$w/root" "$VM_DIR/initramfs.cpio"
	[ "${VM_KEEP:-0}" = 1 ] || rm -rf "$w"
}

# vm_prepare: everything before the first boot.
vm_prepare() {
	command -v qemu-system-x86_64 >/dev/null || vm_die "qemu-system-x86_64 missing; run 'make deps-vm'"
	case "$VM_TRANSPORT" in
	region|kho) ;;
	*) vm_die "VM_TRANSPORT='$VM_TRANSPORT': region or kho" ;;
	esac
	vm_pick_kernel
	[ "$VM_TRANSPORT" = region ] || vm_kho_built "$VM_KDIR" "$VM_RELEASE" ||
		vm_die "VM_TRANSPORT=kho: kernel $VM_RELEASE was built without CONFIG_KEXEC_HANDOVER"
	VM_DIR=$VM_DIR_BASE/$VM_RELEASE
	VM_LOGS=$VM_DIR/logs
	# a kho run of a scenario keeps the region run's log beside it
	[ "$VM_TRANSPORT" = kho ] && VM_LOGS=$VM_DIR/logs-kho
	mkdir -p "$VM_DIR" "$VM_LOGS"
	vm_build_modules
	vm_build_initramfs
	echo "# vm: guest kernel $VM_KERNEL, accel $VM_ACCEL, initramfs $(du -h "$VM_DIR/initramfs.cpio" | cut -f1)"
}

# vm_qemu LOG LIMIT ARGS...: one QEMU guest, headless, no network, no
# reboot (a reboot or power-off ends it), with ARGS added, killed after
# LIMIT seconds; its console into LOG, carriage returns stripped. Returns
# qemu's status, 124 on timeout.
vm_qemu() {
	local log=$1 limit=$2 rc accel=(-accel tcg)
	shift 2
	[ "$VM_ACCEL" = kvm ] && accel=(-accel kvm -cpu host)
	# shellcheck disable=SC2086 # QEMU_EXTRA_ARGS is a list of words
	timeout --foreground -k 5 "$limit" qemu-system-x86_64 "${accel[@]}" \
		-nographic -no-reboot -nic none "$@" ${QEMU_EXTRA_ARGS:-} \
		</dev/null >"$log" 2>&1
	rc=$?
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	return $rc
}

# vm_boot NAME CMDLINE: boot the image with CMDLINE, console into
# $VM_LOGS/NAME.log. Returns qemu's status, 124 on timeout.
vm_boot() {
	local cmdline=$2 devices=${DEVICES:-$VM_DEVICES}
	local image=${VM_IMAGE:-$VM_DIR/initramfs.cpio} limit=$VM_TIMEOUT
	case "$VM_RELEASE" in *-debug) limit=$((VM_TIMEOUT * 3)) ;; esac
	# Scripts written for the earlier two-image layout build outer.cpio.
	[ -e "$image" ] || [ ! -e "$VM_DIR/outer.cpio" ] || image=$VM_DIR/outer.cpio
	# shellcheck disable=SC2086 # devices is a list of words
	vm_qemu "$VM_LOGS/$1.log" "$limit" -m 1G -smp 1 $devices \
		-kernel "$VM_KERNEL" -initrd "$image" -append "$cmdline"
}

# vm_cmdline SCENARIO [region|noregion]: the first kernel's command line.
# With region, the words of the transport VM_TRANSPORT names; with
# noregion, neither transport's: nothing can be handed over.
vm_cmdline() {
	local c="console=ttyS0 panic=1 dsvm.scenario=$1${VM_CMDLINE_EXTRA:+ $VM_CMDLINE_EXTRA}"
	# A debug kernel (kernels.sh NAME-debug) stops at its first warning,
	# and routes PCI interrupts from the BIOS's tables, not ACPI's _PRT:
	# QEMU's _PRT builds its table in an AML loop that KASAN and lockdep
	# slow down to 20 s and more per probe under TCG, and past ACPICA's
	# 30 s loop limit on a loaded host (AE_AML_LOOP_TIMEOUT: the device
	# then has no INTx at all).
	case "$VM_RELEASE" in *-debug) c="$c panic_on_warn=1 acpi=noirq" ;; esac
	if [ "${2:-region}" = region ]; then
		case "$VM_TRANSPORT" in
		kho) c="$c $VM_KHO" ;;
		*) c="$c $VM_MEMMAP $VM_DSREGION" ;;
		esac
	fi
	echo "$c"
}

# vm_get LOG KEY [STAGE]: the last value the guest reported for KEY
# ("DSVM: KEY=value"), in stage STAGE when given.
vm_get() {
	local log=$1 key=$2 stage=${3:-}
	awk -v key="$key" -v want="$stage" '
		/^DSVM: stage=/ { split($2, a, "="); st = a[2]; sub(/\[.*$/, "", st) }
		index($0, "DSVM: " key "=") == 1 && (want == "" || want == st) {
			v = substr($0, length("DSVM: " key "=") + 1)
			# a kernel message the console printed before our newline
			sub(/\[ *[0-9]+\.[0-9]+\] .*$/, "", v) }
		END { if (v != "") print v }' "$log"
}

# vm_kernel_reports LOG: the lines of LOG in which a kernel reported a bug
# of its own or of a module: the debug kernel's detectors (KASAN, KFENCE,
# lockdep, UBSAN, sleeping in atomic context), BUG, WARNING, oopses and
# panics. The guest's own count (oops, warn) covers what dmesg held when it
# looked; this covers the whole serial log, both kernels and the jump.
vm_kernel_reports() {
	grep -a -E 'BUG: |WARNING: |UBSAN: |Oops|general protection fault|Kernel panic|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|ODEBUG: |list_(add|del) corruption' "$1"
}

# vm_tail LOG: the end of a serial log, as TAP comments.
vm_tail() { tail -n "${2:-25}" "$1" | sed 's/^/#   | /'; }

# vm_host_start: a scenario's host side before its boot, when it has one:
# scenario_host_start may start a traffic generator (and set DEVICES).
vm_host_start() {
	if declare -F scenario_host_start >/dev/null; then scenario_host_start; fi
}

# vm_host_finish LOG: after the boot, scenario_host_finish's key=value
# lines join LOG under "DSVM: stage=host", so "expect KEY VAL host" reads
# them. Run in this shell, not in a pipeline: it waits for its children.
vm_host_finish() {
	declare -F scenario_host_finish >/dev/null || return 0
	scenario_host_finish >"$1.host"
	{ echo "DSVM: stage=host"; sed 's/^/DSVM: /' "$1.host"; } >>"$1"
	rm -f "$1.host"
}

# ---- the e1000 scenarios' traffic (tests/vm/e1000-load.c) -------------------
# vm_e1000_start [LOADARGS...]: start the load generator on the host, open
# the UDP socket QEMU's e1000 will use (connected to the generator, which
# learns its address from our hello), and set DEVICES to that e1000.
# Everything stays on 127.0.0.1; the generator stops by itself.
#
# The guest ends the run: once its last kernel has served long enough it
# prints "DSVM: e1000_fin=1" (dsvm_e1000_end_run), and a watcher of the
# serial log ($log, which the caller names) stops the generator then.
# Neither side guesses how long a kexec takes, which differs tenfold
# between kernels, TCG and a loaded host.
VM_E1K_LOAD=build/tests/vm/e1000-load
vm_e1000_start() {
	local i port=
	E1K_DIR=$VM_DIR/e1000
	mkdir -p "$E1K_DIR" && rm -f "$E1K_DIR/port" "$E1K_DIR/report" "$E1K_DIR/fin"
	: >"${log:?vm_e1000_start: no serial log named}"
	[ -x "$VM_E1K_LOAD" ] || make --no-print-directory -s "$VM_E1K_LOAD" >&2
	"$VM_E1K_LOAD" --port-file "$E1K_DIR/port" "$@" \
		>"$E1K_DIR/report" 2>"$E1K_DIR/load.err" &
	E1K_PID=$!
	vm_e1000_watch "$log" "$E1K_PID" "$E1K_DIR/fin" &
	E1K_WATCH=$!
	for i in $(seq 50); do
		port=$(cat "$E1K_DIR/port" 2>/dev/null) && [ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "error=no-generator" >"$E1K_DIR/report"; return 1; }
	exec {E1K_FD}<>"/dev/udp/127.0.0.1/$port"
	printf hello >&"$E1K_FD"
	DEVICES="-netdev dgram,id=n0,local.type=fd,local.str=$E1K_FD -device e1000,netdev=n0"
}

# vm_e1000_watch LOG PID MARK: while the generator PID runs, look for the
# guest's e1000_fin line in LOG; on it, stop the generator (SIGTERM: it
# sends no more and waits for the replies on their way) and touch MARK.
# Ends with the generator, which bounds its own time.
vm_e1000_watch() {
	while kill -0 "$2" 2>/dev/null; do
		if grep -aq '^DSVM: e1000_fin=1' "$1"; then
			kill -TERM "$2" 2>/dev/null && touch "$3"
			return
		fi
		sleep 0.1
	done
}

# vm_e1000_socket_drops FD: datagrams the kernel dropped for our socket FD
# (QEMU's end) because nobody read it: the last column of /proc/net/udp.
vm_e1000_socket_drops() {
	local ino
	ino=$(readlink "/proc/$$/fd/$1" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
	awk -v ino="$ino" 'NR > 1 && $10 == ino { print $NF; f = 1 } END { if (!f) print "?" }' /proc/net/udp
}

# vm_e1000_finish: after the boot. Lets the generator stop by itself (or
# stops it after 10 s), closes QEMU's socket, and prints the generator's
# report, guest_fin=1 when the guest's word stopped it, stopped=1 when we
# had to, and qemu_drops (what QEMU's socket dropped) as key=value lines.
vm_e1000_finish() {
	local i drops
	drops=$(vm_e1000_socket_drops "$E1K_FD")
	for i in $(seq 100); do
		kill -0 "$E1K_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$E1K_PID" 2>/dev/null && echo "stopped=1"
	wait "$E1K_PID" 2>/dev/null
	wait "$E1K_WATCH" 2>/dev/null	# ends with the generator
	exec {E1K_FD}>&-
	cat "$E1K_DIR/report"
	[ -e "$E1K_DIR/fin" ] && echo "guest_fin=1"
	echo "qemu_drops=$drops"
}

# expect_served_on: a check of the e1000 scenarios (run.sh's expect): the
# service ran on in the last kernel. It served the requests
# dsvm_e1000_end_run waits for, the guest's word stopped the generator,
# and the generator heard the service again after its longest silence.
expect_served_on() {
	expect end_run_served 1 2
	expect guest_fin 1 host
	expect stopped_by signal host
	expect resumed 1 host
}

# ---- the NVMe example's scenarios (tests/vm/scenarios/nvme-*.sh) ----------

# The seed the disk image is filled with; devstate_nvme_test.c knows it too.
VM_NVME_SEED=0x1d15c0de

# vm_nvme_image FILE BLOCKS: a raw disk image of BLOCKS 512-byte blocks in
# which word i (32 bits, little-endian) of block LBA holds
# SEED ^ LBA * 0x01000193 ^ i * 0x9e3779b9, the pattern the driver's test
# interface checks its reads against.
vm_nvme_image() {
	perl -e 'my ($n, $s) = @ARGV;
		for my $l (0 .. $n - 1) {
			print pack("V*", map { $s ^ (($l * 0x01000193) & 0xffffffff) ^
					       (($_ * 0x9e3779b9) & 0xffffffff) } 0 .. 127);
		}' "$2" "$((VM_NVME_SEED))" >"$1"
}

# vm_nvme_devices DIR [DRIVE-OPTIONS]: the qemu words of an NVMe controller
# over DIR/disk.img (DRIVE-OPTIONS join its -drive, e.g. throttling), with
# QEMU's own trace of the commands the controller executed written to
# DIR/trace.log (-D), apart from the serial console.
vm_nvme_devices() {
	echo "-drive file=$1/disk.img,if=none,id=nvm,format=raw${2:+,$2}" \
		"-device nvme,serial=dsnvme0001,drive=nvm" \
		"-D $1/trace.log -trace pci_nvme_admin_cmd -trace pci_nvme_io_cmd" \
		"-trace pci_nvme_read -trace pci_nvme_mmio_stopped"
}

# vm_nvme_setup DIR [DRIVE-OPTIONS]: the usual scenario_setup of an NVMe
# scenario: a 1 MiB image with the pattern, DEVICES pointing at it.
vm_nvme_setup() {
	vm_nvme_image "$1/disk.img" 2048
	DEVICES=$(vm_nvme_devices "$@")
}

# vm_nvme_os_trace DIR: QEMU's trace from the first controller reset on.
# SeaBIOS drives the controller before any kernel (Identify, queues, a
# read), leaves it enabled, and the first kernel's driver starts by
# disabling it: what comes after is the kernels' doing.
vm_nvme_os_trace() { awk 'os; /pci_nvme_mmio_stopped/ { os = 1 }' "$1/trace.log"; }

# vm_nvme_trace DIR REGEX: how many of the kernels' commands match REGEX.
vm_nvme_trace() { vm_nvme_os_trace "$1" | grep -cE -- "$2"; }
