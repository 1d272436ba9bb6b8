# Scenario "verify-predicts": `devstate verify`, run in the first kernel just
# before the jump, names the verdict the next kernel then gives. One case
# per stage, each kexec carrying the next case's handoff:
#
#   stage 1  mismatch-id     (knob before the freeze)  -> id-mismatch
#   stage 2  mismatch-bar    (knob before the freeze)  -> bar-mismatch
#   stage 3  no knob                                    -> adopt
#   stage 4  unknown-record  (knob after the freeze)    -> unknown-version
#   stage 5  only reports what stage 4 predicted
#
# Each stage N reports predicted_N (verify's verdict for the edu device,
# "adopt" or the cold reason) and, in the next kernel, kernel_N (the reason
# the edu driver got from ds_lookup()). The unknown-record case comes last:
# the pool quarantine it causes would change the cases after it.
# Skipped, and said so, when the tool has not been built.

STAGES=5

# vp_case N KNOB WHEN: load the next stage, freeze with KNOB applied before
# (WHEN=before) or after (WHEN=after) the freeze, run verify, jump.
vp_case() {
	bdf=$(dsvm_edu_bdf)
	dsvm_kexec_load || return
	if [ "$3" = before ] && [ -n "$2" ]; then
		echo "$2 $bdf" > "$DS_DBG/test"
		dsvm_say "knob_$1" $?
	fi
	echo freeze > "$DS_SYS/control"
	dsvm_say "freeze_$1" $?
	if [ "$3" = after ]; then
		echo "$2" > "$DS_DBG/test"
		dsvm_say "knob_$1" $?
	fi
	devstate verify > /tmp/verify.txt 2>&1
	dsvm_say "verify_rc_$1" $?
	sed 's/^/VERIFY: /' /tmp/verify.txt
	# The one record's verdict line, "0000:00:04.0 1234:11e9: cold:
	# id-mismatch" -> id-mismatch, "...: adopt" -> adopt. (A record that
	# does not decode is named by its node, not its slot.)
	dsvm_say "predicted_$1" "$(awk -F': ' '/^verify:/ || /^\t/ || / records?: / { next }
		NF > 1 { print $NF; exit }' /tmp/verify.txt)"
	kexec -e
	dsvm_say kexec_failed "$?"
}

# vp_verdict N: the verdict this kernel's lookup gave for the previous
# stage's handoff, in ds_reason_str() words.
vp_verdict() {
	dsvm_say "kernel_$1" "$(dsvm_edu_get reason)"
	dsvm_say "path_$1" "$(dsvm_edu_get path)"
}

vp_start() {
	if ! command -v devstate >/dev/null; then
		dsvm_say skip "the devstate tool (build/bin/devstate) is not built yet"
		return 1
	fi
	dsvm_insmod_devstate && dsvm_insmod_edu
}

stage1() {
	vp_start || return
	vp_case 1 mismatch-id before
}

stage2() {
	vp_start || return
	vp_verdict 1
	vp_case 2 mismatch-bar before
}

stage3() {
	vp_start || return
	vp_verdict 2
	vp_case 3 "" none
}

stage4() {
	vp_start || return
	vp_verdict 3
	vp_case 4 unknown-record after
}

stage5() {
	vp_start || return
	vp_verdict 4
}

check_verify_predicts() {
	local n want
	n=1
	for want in id-mismatch bar-mismatch adopt unknown-version; do
		expect "predicted_$n" "$want" "$n"
		expect "kernel_$n" "$want" "$((n + 1))"
		n=$((n + 1))
	done
	expect verify_rc_3 0 3
	expect path_3 adopted 4
	expect freeze_1 0 1
	expect knob_1 0 1
	expect knob_4 0 4
	expect oops 0 5
}
