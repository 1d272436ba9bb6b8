#!/usr/bin/env bash
# `devstate help`, the man page docs/devstate.1 and the bash completion
# tools/devstate/devstate.bash-completion list the same commands and options;
# per command, the completion offers exactly the options its help lists.
set -u
cd "$(dirname "$0")/../.."
. tests/tool/lib.sh

man=docs/devstate.1
comp=tools/devstate/devstate.bash-completion

# same WHAT LIST_A LIST_B: two word lists hold the same set.
same() {
	local a b
	a=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort -u)
	b=$(tr ' ' '\n' <<<"$3" | sed '/^$/d' | sort -u)
	if [ "$a" = "$b" ] && [ -n "$a" ]; then
		ok "$1: $(wc -l <<<"$a") entries agree"
	else
		not_ok "$1"
		diff <(echo "$a") <(echo "$b") | sed 's/^/# /'
	fi
}

help=$("$DEVSTATE" help)
help_cmds=$(awk '/^Commands:/ {s = 1; next} /^$/ {s = 0} s && /^  [a-z]/ {print $1}' <<<"$help")
help_opts=$(awk '/^Options:/ {s = 1; next} /^$/ {s = 0}
	s && /^  -/ {gsub(",", ""); print $1; print $2}' <<<"$help")

man_cmds=$(awk '/^\.SH COMMANDS/ {s = 1; next} /^\.SH/ {s = 0}
	s && /^\.B [a-z]+ / {print $2}' "$man")
man_opts=$(awk '/^\.SH OPTIONS/ {s = 1; next} /^\.SH/ {s = 0}
	s && /^\.BR \\-/ {gsub(/\\/, ""); gsub(/"/, ""); gsub(",", "");
	for (i = 2; i <= 3; i++) if ($i ~ /^-/) print $i}' "$man")

comp_cmds=$(sed -n 's/^\tlocal commands="\(.*\)"$/\1/p' "$comp")
comp_opts=$(sed -n 's/^\tlocal [a-z]*_opts="\(.*\)"$/\1/p' "$comp")

same "commands: help and man page" "$help_cmds" "$man_cmds"
same "commands: help and completion" "$help_cmds" "$comp_cmds"
same "options: help and man page" "$help_opts" "$man_opts"
same "options: help and completion" "$help_opts" "$comp_opts"

# Per command: run the completion function as bash would for
# `devstate CMD -<TAB>` and compare with `devstate help CMD`.
_init_completion() {
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
}
_filedir() { :; }
compopt() { :; }
complete() { :; }
# shellcheck source=tools/devstate/devstate.bash-completion
. "$comp"
for cmd in $help_cmds; do
	[ "$cmd" = help ] && continue
	want=$("$DEVSTATE" help "$cmd" | awk '/^Options:/ {s = 1; next}
		s && /^  -/ {gsub(",", ""); print $1; print $2}')
	COMP_WORDS=(devstate "$cmd" -)
	COMP_CWORD=2
	COMPREPLY=()
	_devstate
	same "completion of '$cmd -' matches 'help $cmd'" "$want" "${COMPREPLY[*]}"
done
COMP_WORDS=(devstate "")
COMP_CWORD=1
COMPREPLY=()
_devstate
same "completion of the command word" "$help_cmds" "${COMPREPLY[*]}"

# The man page is well-formed roff, when a formatter is at hand.
if command -v groff >/dev/null; then
	w=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
	[ -z "$w" ] && ok "man page formats without warnings" ||
		{ not_ok "man page formats without warnings"; sed 's/^/# /' <<<"$w"; }
else
	ok "# SKIP groff not installed"
fi
# Every JSON key the tool emits is documented in docs/devstate.md.
"$SYNTH" --devices 4 --seed 1 --format region -o "$tmp/a.region" || exit 2
head -c 3000 "$tmp/a.region" >"$tmp/cut.region"
"$FIXTURE" blob --seed 3 --devices 3 -o "$tmp/f3.dtb" || exit 2
"$FIXTURE" blob --seed 4 --devices 3 -o "$tmp/f4.dtb" || exit 2
"$FIXTURE" pcidump "$tmp/f3.dtb" -o "$tmp/f3.dump" -m "id:0000:00:01.0" >/dev/null || exit 2
mkdir "$tmp/dbg" && cp "$tmp/f3.dtb" "$tmp/dbg/incoming.dtb"
cp "$tmp/a.region" "$tmp/dbg/region"
printf '%s\n' "region: 16384K@0x30000000" "state: idle" "record 0000:00:01.0 adopted" \
	"cold_reason 0000:00:02.0 no-record" "incoming_reason: adopt" "pool_pages: 4" \
	"pool_used: 1" >"$tmp/dbg/status"
keys=$( { "$DEVSTATE" dump -j "$tmp/a.region"; "$DEVSTATE" check -j "$tmp/a.region"
	"$DEVSTATE" check -j "$tmp/cut.region"; "$DEVSTATE" dump -j "$tmp/cut.region"
	"$DEVSTATE" diff -j "$tmp/f3.dtb" "$tmp/f4.dtb"; "$DEVSTATE" dump -j "$tmp/none"
	DEVSTATE_DEBUGFS=$tmp/dbg "$DEVSTATE" dump -j
	DEVSTATE_DEBUGFS=$tmp/dbg "$DEVSTATE" status -j
	"$DEVSTATE" verify -j -A dump -O "dump.name=$tmp/f3.dump" "$tmp/f3.dtb"; } 2>/dev/null |
	grep -o '"[a-z_0-9]*":' | tr -d '":' | sort -u)
missing=""
for k in $keys; do
	grep -q "\`$k\`" docs/devstate.md || missing="$missing $k"
done
[ -z "$missing" ] && ok "all $(wc -w <<<"$keys") JSON keys documented in docs/devstate.md" ||
	not_ok "JSON keys not in docs/devstate.md:$missing"
tap_done
