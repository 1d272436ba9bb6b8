# Scenario "apitest" for the QEMU guests of tests/vm (busybox sh), used by
# tests/kernel/vm-api.sh: ds_apitest.ko checks the driver API before and
# after a kexec; its "DSAPI:" kernel log lines are the results.
STAGES=2
API_RUN=/sys/kernel/debug/ds_apitest/run

stage1() {
	dsvm_insmod_devstate || return
	insmod /lib/modules/ds_apitest.ko stage=1
	dsvm_say api_insmod "$?"
	# Declared names are checked at registration, each refusal logged once.
	dsvm_say badlist_logged "$(dmesg | grep -c "devstate: register: driver .*: property name 'Rx-Next' refused: 1 to 31 of a-z")"
	dsvm_say toomany_logged "$(dmesg | grep -c 'devstate: register: driver .*: more than 64 state_names')"
	# One function's ->save filling the blob area, then failing: the
	# freeze goes on without that function's record, one line names it.
	echo save-fill > "$API_RUN"
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze_full "$?"
	dsvm_say full_logged "$(dmesg | grep -c 'devstate: freeze: driver .*: save failed (-28); this device will not be kept alive')"
	dsvm_say records_full "$(sed -n 's/^records_out: //p' "$DS_DBG/status")"
	echo thaw > "$DS_SYS/control"
	# A refused property name: that function alone, and its name logged.
	echo save-badname > "$API_RUN"
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze_badname "$?"
	dsvm_say badname_logged "$(dmesg | grep -c "devstate: freeze: driver .*: save failed (-22); this device will not be kept alive (property name 'rx-Next' refused")"
	dsvm_say records_badname "$(sed -n 's/^records_out: //p' "$DS_DBG/status")"
	echo thaw > "$DS_SYS/control"
	# A name the function registered with state_names did not declare:
	# that function alone, the line says so; the others save it freely.
	echo save-undeclared > "$API_RUN"
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze_undeclared "$?"
	dsvm_say undeclared_logged "$(dmesg | grep -c "devstate: freeze: driver .*: save failed (-22); this device will not be kept alive (property name 'undeclared' refused: not declared in the driver's state_names)")"
	dsvm_say records_undeclared "$(sed -n 's/^records_out: //p' "$DS_DBG/status")"
	echo thaw > "$DS_SYS/control"
	echo save-fail > "$API_RUN"
	echo freeze > "$DS_SYS/control"
	dsvm_say freeze "$?"
	dsvm_say fail_logged "$(dmesg | grep -c 'devstate: freeze: driver .*: save failed (-5); this device will not be kept alive')"
	echo frozen > "$API_RUN"
	dsvm_devstate_report
	dsvm_problems
	dsvm_kexec_plain
}

stage2() {
	# A finish_timeout whose jiffies overflow 32 bits (at HZ=250, by 204)
	# must still mean "much later", not "in under a second".
	insmod /lib/modules/devstate.ko region="$(dsvm_cmdline_get devstate.region)" \
		finish_timeout=17179870
	dsvm_say devstate_insmod "$?"
	sleep 2
	dsvm_say finished_early "$(grep -c '^finished: yes' "$DS_DBG/status")"
	insmod /lib/modules/ds_apitest.ko stage=2
	dsvm_say api_insmod "$?"
	dsvm_devstate_report
	# A reclaim between a freeze and a thaw is refused.
	echo freeze > "$DS_SYS/control"
	dsvm_say refreeze "$?"
	echo frozen > "$API_RUN"
	echo thaw > "$DS_SYS/control"
	echo finish > "$DS_SYS/control"
	dsvm_say finish "$?"
	echo finished > "$API_RUN"
	dsvm_say finished_pool "$(dmesg | grep -c 'devstate: finish: .* [1-9][0-9]* pool pages released')"
}
