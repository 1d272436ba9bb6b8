# Scenario "helper": devstate-kexec's refusals and its undo, in one boot.
# Every step before the jump that fails must leave the system as it was:
# devstate thawed ("idle") and no kernel loaded (/sys/kernel/kexec_loaded).
# A wrapper around kexec (the helper's KEXEC variable) lets the final
# "kexec -e" fail after a real load and a real freeze.

STAGES=1

helper_state() {
	dsvm_say "$1_state" "$(cat "$DS_SYS/control" 2>/dev/null)"
	dsvm_say "$1_loaded" "$(cat /sys/kernel/kexec_loaded)"
}

stage1() {
	devstate-kexec --help > /tmp/help.txt
	dsvm_say help_rc $?
	n=0
	for o in --kernel --initrd --append --file-load --load-only --dry-run --help; do
		grep -q -e "$o" /tmp/help.txt && n=$((n + 1))
	done
	dsvm_say help_options $n

	# no module loaded yet: refuse, and say why
	devstate-kexec --kernel /boot/vmlinuz 2> /tmp/err.txt
	dsvm_say nomod_rc $?
	dsvm_say nomod_why "$(grep -c 'devstate.ko is not loaded' /tmp/err.txt)"

	dsvm_insmod_devstate && dsvm_insmod_edu || return

	# --dry-run: every step printed, nothing done
	devstate-kexec --dry-run --kernel /boot/vmlinuz --initrd "$(dsvm_initrd)" \
		--append "dsvm.stage=2" > /tmp/dry.txt 2>&1
	dsvm_say dry_rc $?
	sed 's/^/DRY: /' /tmp/dry.txt
	dsvm_say dry_steps "$(grep -c -e "would run: 'kexec' '-l'" -e 'would run: echo freeze' -e "would run: 'kexec' '-e'" /tmp/dry.txt)"
	dsvm_say dry_cmdline "$(grep -c 'memmap=16M\$0x30000000 devstate.region=16M@0x30000000 dsvm.stage=2$' /tmp/dry.txt)"
	helper_state dry

	# --load-only: checked and loaded for systemctl kexec, nothing frozen
	devstate-kexec --load-only --kernel /boot/vmlinuz --initrd "$(dsvm_initrd)" 2> /tmp/err.txt
	dsvm_say loadonly_rc $?
	dsvm_say loadonly_said "$(grep -c "loaded; 'systemctl kexec' jumps" /tmp/err.txt)"
	helper_state loadonly
	kexec -u

	# a kernel kexec cannot load: nothing frozen, nothing loaded
	devstate-kexec --kernel /init 2> /tmp/err.txt
	dsvm_say badkernel_rc $?
	dsvm_say badkernel_why "$(grep -c 'kexec could not load' /tmp/err.txt)"
	helper_state badkernel

	# the jump itself fails, after a real load and a real freeze: undone
	cat > /tmp/kexec <<'WRAP'
#!/bin/sh
case " $* " in *" -e "*)
	cat /sys/kernel/kexec_loaded > /tmp/loaded_at_jump
	cat /sys/kernel/devstate/control > /tmp/state_at_jump
	echo "kexec: jump refused (test)" >&2; exit 1 ;;
esac
exec /usr/sbin/kexec "$@"
WRAP
	chmod +x /tmp/kexec
	for mode in load file-load; do
		flag=; [ $mode = file-load ] && flag=--file-load
		KEXEC=/tmp/kexec devstate-kexec $flag --kernel /boot/vmlinuz \
			--initrd "$(dsvm_initrd)" 2> /tmp/err.txt
		dsvm_say ${mode}_rc $?
		sed 's/^/ERR: /' /tmp/err.txt
		dsvm_say ${mode}_froze "$(grep -c 'frozen; jumping' /tmp/err.txt)"
		dsvm_say ${mode}_at_jump "$(cat /tmp/loaded_at_jump) $(cat /tmp/state_at_jump)"
		dsvm_say ${mode}_undo "$(grep -c -e 'undo: thawed' -e 'undo: unloaded' /tmp/err.txt)"
		helper_state $mode
	done
	# and the device still works in this kernel
	dsvm_edu fact 8
	dsvm_wait_edu fact_done 1
	dsvm_say fact_result "$(dsvm_edu_get fact_result)"
}

check_helper() {
	expect help_rc 0 1
	expect help_options 7 1
	expect nomod_rc 1 1
	expect nomod_why 1 1
	expect dry_rc 0 1
	expect dry_steps 3 1
	expect dry_cmdline 1 1
	expect dry_state idle 1
	expect dry_loaded 0 1
	expect loadonly_rc 0 1
	expect loadonly_said 1 1
	expect loadonly_state idle 1
	expect loadonly_loaded 1 1
	expect badkernel_rc 1 1
	expect badkernel_why 1 1
	expect badkernel_state idle 1
	expect badkernel_loaded 0 1
	for mode in load file-load; do
		expect ${mode}_rc 1 1
		expect ${mode}_froze 1 1
		expect ${mode}_at_jump "1 frozen" 1
		expect ${mode}_undo 2 1
		expect ${mode}_state idle 1
		expect ${mode}_loaded 0 1
	done
	expect fact_result 40320 1
	expect oops 0 1
}
