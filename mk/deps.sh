#!/usr/bin/env bash
# Make sure the Debian packages of the named groups (mk/packages.txt) are
# installed. As root, installs what is missing; otherwise names it and fails.
# With --check, only names what is missing and fails, as any user: plain
# `make` runs that first, so a missing -dev package is named with the way
# to get it instead of surfacing as a compiler error about a header.
# usage: mk/deps.sh [--check] GROUP...
set -eu
cd "$(dirname "$0")/.."
check_only=false
if [ "${1:-}" = --check ]; then
	check_only=true
	shift
fi
# Not a Debian system: nothing to ask; the build says what it lacks.
command -v dpkg-query >/dev/null || exit 0
groups=" $* "
missing=()
while read -r group pkg; do
	case "$group" in ''|\#*) continue ;; esac
	# A line may belong to several groups: "build,make".
	wanted=false
	for g in ${group//,/ }; do
		case "$groups" in *" $g "*) wanted=true ;; esac
	done
	$wanted || continue
	case " ${missing[*]} " in *" $pkg "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done < mk/packages.txt
[ ${#missing[@]} -eq 0 ] && exit 0
if $check_only || [ "$(id -u)" -ne 0 ]; then
	echo "devstate: missing Debian packages: ${missing[*]}" >&2
	echo "devstate: install them with 'make deps' as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "devstate: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
