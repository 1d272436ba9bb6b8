#!/usr/bin/env bash
# Make sure the Debian packages of the named groups (mk/packages.txt) are
# installed. As root, installs what is missing; otherwise names it and fails.
# usage: mk/deps.sh GROUP...
set -eu
cd "$(dirname "$0")/.."
groups=" $* "
missing=()
while read -r group pkg; do
	case "$group" in ''|\#*) continue ;; esac
	case "$groups" in *" $group "*) ;; *) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done < mk/packages.txt
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "devstate: missing Debian packages: ${missing[*]}" >&2
	echo "devstate: install them with: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "devstate: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
