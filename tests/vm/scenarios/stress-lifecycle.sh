# Scenario "stress-lifecycle": devstate's entry points raced against each
# other from several shell jobs at once, for a bounded time, with two
# example drivers (edu: MSI, one buffer; nvme: MSI-X, queues and data
# buffers) unbound and rebound through sysfs all along. Then a real
# keep-alive kexec, which must still hand both devices over.
#
# First kernel, for STRESS_S seconds: edu unbound/rebound (probe registers
# and allocates preserved buffers, remove frees them and unregisters),
# nvme the same, freeze/thaw (every ->save and capture), readers of the
# status file, the outgoing blob and `devstate dump`, and edu's DMA and
# factorial commands. Second kernel: both adopted; then the unbind/rebind
# jobs race `finish` (lookup of records already taken, reclaim, release).
#
# No page may leak: after each race the pool's bitmap (pool_used) must
# equal the pages the devices' buffer lists, the incoming records and the
# quarantine account for (pool_buffers + pool_held + pool_quarantine, see
# docs/kernel-core.md), and must be what the same two drivers used before
# the race. A deadlock shows as the guest's timeout; on a debug kernel
# (kernels.sh 6.1-debug) lockdep, KASAN and the rest report into the
# serial log, which run.sh scans.

STRESS_S=12

scenario_setup() {
	vm_nvme_image "$1/disk.img" 2048
	DEVICES="$VM_DEVICES $(vm_nvme_devices "$1")"
}

# rounds CMD...: run CMD until the deadline ($end); says how many rounds
# succeeded.
rounds() {
	ok=0
	while [ "$(date +%s)" -lt "$end" ]; do
		"$@" && ok=$((ok + 1))
	done
	echo "$ok"
}

# rebind DRIVER BDF: one unbind and bind; succeeds when the bind did.
rebind() {
	echo "$2" 2>/dev/null > "/sys/bus/pci/drivers/$1/unbind"
	echo "$2" 2>/dev/null > "/sys/bus/pci/drivers/$1/bind"
}

# The rounds other than the rebinders' pause a little: the guest has one
# CPU, and a job that never sleeps would leave the rebinders (whose probes
# sleep on the devices) a few rounds in all.

# freeze_thaw: one freeze and thaw; succeeds when the freeze did.
freeze_thaw() {
	echo freeze 2>/dev/null > "$DS_SYS/control"
	r=$?
	echo thaw 2>/dev/null > "$DS_SYS/control"
	usleep 30000
	return $r
}

# read_all: the status file, the outgoing blob and the tool.
read_all() {
	cat "$DS_DBG/status" "$DS_DBG/outgoing.dtb" >/dev/null 2>&1
	devstate dump >/dev/null 2>&1
	usleep 100000
}

# edu_cmds: edu's DMA and factorial commands, into whichever driver
# instance is bound at the moment (the file comes and goes with it, and
# they are refused while frozen or busy); succeeds when one was taken.
edu_cmds() {
	echo dma 2>/dev/null > "$EDU_DBG/ctl"
	r=$?
	echo "fact 7" 2>/dev/null > "$EDU_DBG/ctl" || [ $r -eq 0 ]
	r=$?
	usleep 30000
	return $r
}

# The jobs race() runs: each says how many rounds succeeded.
rebind_edu() { rounds rebind devstate_edu "$edu"; }
rebind_nvme() { rounds rebind devstate_nvme "$nvme"; }
freezes() { rounds freeze_thaw; }
readers() { rounds read_all; }
edu_work() { rounds edu_cmds; }
finisher() { sleep 3; echo finish 2>/dev/null > "$DS_SYS/control" && echo 1 || echo 0; }

# race PREFIX JOB...: run the jobs side by side for STRESS_S seconds;
# each one's count is reported as PREFIX_JOB. The console shows only
# warnings and worse meanwhile: a serial line costs milliseconds under TCG
# and the freezes' info lines would slow the race down to a few rounds,
# while any report (lockdep, KASAN, WARNING, BUG) still reaches the log.
race() {
	p=$1; shift
	end=$(($(date +%s) + STRESS_S))
	dmesg -n 5
	for j in "$@"; do
		$j > "/tmp/race.$j" &
	done
	wait
	dmesg -n 7
	for j in "$@"; do
		dsvm_say "${p}_$j" "$(cat "/tmp/race.$j")"
	done
}

# rebound DRIVER BDF: once the race is over, bind the device afresh (a
# probe that ran while frozen could not register it); 1 when it is bound.
rebound() {
	d=/sys/bus/pci/drivers/$1
	[ ! -e "$d/$2" ] || echo "$2" > "$d/unbind"
	echo "$2" > "$d/bind"
	[ -e "$d/$2" ] && echo 1 || echo 0
}

# status_get KEY: one value of devstate's status file.
status_get() { sed -n "s/^$1: //p" "$DS_DBG/status"; }

# pool PREFIX: the pool's accounting, as PREFIX_used and PREFIX_sum (the
# three owners' pages added up), PREFIX_held and devstate's state.
pool() {
	dsvm_say "$1_used" "$(status_get pool_used)"
	dsvm_say "$1_sum" $(($(status_get pool_buffers) + $(status_get pool_held) + $(status_get pool_quarantine)))
	dsvm_say "$1_held" "$(status_get pool_held)"
	dsvm_say "$1_state" "$(status_get state)"
}

stage1() {
	dsvm_insmod_devstate && dsvm_insmod_edu && dsvm_insmod_nvme || return
	edu=$(dsvm_edu_bdf); nvme=$(dsvm_nvme_bdf)
	pool start
	race s1 rebind_edu rebind_nvme freezes readers edu_work
	echo thaw > "$DS_SYS/control" 2>/dev/null
	dsvm_say s1_edu_bound "$(rebound devstate_edu "$edu")"
	dsvm_say s1_nvme_bound "$(rebound devstate_nvme "$nvme")"
	pool s1
	dsvm_nvme s1_read read 8 1d15c0de
	dsvm_kexec_keepalive
}

stage2() {
	dsvm_insmod_devstate && dsvm_insmod_edu && dsvm_insmod_nvme || return
	edu=$(dsvm_edu_bdf); nvme=$(dsvm_nvme_bdf)
	dsvm_devstate_report
	pool adopt
	STRESS_S=8
	race s2 rebind_edu rebind_nvme finisher readers
	dsvm_say s2_edu_bound "$(rebound devstate_edu "$edu")"
	dsvm_say s2_nvme_bound "$(rebound devstate_nvme "$nvme")"
	pool s2
	dsvm_nvme s2_read read 8 1d15c0de
	dsvm_problems
}

# expect_pool PREFIX STAGE [same]: the two bookkeepings agree; with
# "same", the drivers also hold what they held before the race.
expect_pool() {
	local used sum start
	used=$(vm_get "$log" "$1_used" "$2"); sum=$(vm_get "$log" "$1_sum" "$2")
	start=$(vm_get "$log" start_used 1)
	[ -n "${3:-}" ] || start=$used
	if [ -z "$used" ] || [ "$used" != "$sum" ] || [ "$used" != "$start" ]; then
		echo "#   $name: pool after '$1': used '$used', accounted '$sum', before the race '$start'"
		bad=$((bad + 1))
	fi
}

check_stress_lifecycle() {
	expect_match start_used '^[1-9][0-9]*$' 1
	# every job did its work, many times over
	expect_match s1_rebind_edu '^[1-9][0-9]*$' 1
	expect_match s1_rebind_nvme '^[1-9][0-9]*$' 1
	expect_match s1_freezes '^[1-9][0-9]*$' 1
	expect_match s1_readers '^[1-9][0-9]*$' 1
	# edu_work is reported, not checked: once a freeze catches one of edu's
	# completions, the example defers it to the next kernel and refuses
	# new work until it is bound again, so its count is a matter of timing
	expect s1_edu_bound 1 1
	expect s1_nvme_bound 1 1
	expect s1_state idle 1
	expect_pool s1 1 same
	expect s1_read 0 1
	# the kexec after the race still hands both over
	expect ds_adopted 2 2
	expect_pool adopt 2
	expect_match s2_rebind_edu '^[1-9][0-9]*$' 2
	expect_match s2_rebind_nvme '^[1-9][0-9]*$' 2
	expect s2_finisher 1 2
	expect s2_edu_bound 1 2
	expect s2_nvme_bound 1 2
	expect s2_held 0 2
	expect_pool s2 2 same
	expect s2_read 0 2
	expect oops 0 2
	expect warn 0 2
}
