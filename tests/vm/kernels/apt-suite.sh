#!/usr/bin/env bash
# apt-get against one extra Debian suite only, without touching the
# machine's own apt sources: a private sources list, package lists and
# archive cache under the devstate cache.
#
# usage: tests/vm/kernels/apt-suite.sh SUITE [apt-cache] ARGS...
#   tests/vm/kernels/apt-suite.sh bookworm-backports install -y PKG=VER
#   tests/vm/kernels/apt-suite.sh sid download linux-source-7.2
#   tests/vm/kernels/apt-suite.sh sid apt-cache show linux-source-7.2
#   tests/vm/kernels/apt-suite.sh sid source sparse
#
# The machine's own suites stay out of the private list except for
# bookworm-backports, whose packages depend on bookworm's: for it the list
# holds bookworm and bookworm-backports, and an install must name exact
# packages (apt would otherwise upgrade 6.1 metapackages of the same source
# package; APT::Get::Upgrade-By-Source-Package=false stops that).
# The update runs once a day per suite; DS_APT_REFRESH=1 forces it.
set -eu
suite=${1:?usage: apt-suite.sh SUITE [apt-cache] ARGS...}
shift
tool=apt-get
[ "${1:-}" = apt-cache ] && { tool=apt-cache; shift; }
. "$(dirname "$0")/cache.sh"
cache=$DEVSTATE_CACHE/apt/$suite
mirror=${DS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache/lists/partial" "$cache/archives/partial"

list=$cache/sources.list
{
	[ "$suite" = bookworm-backports ] && echo "deb $mirror bookworm main"
	echo "deb $mirror $suite main"
	echo "deb-src $mirror $suite main"
} >"$list.new"
# A changed list (a new mirror, deb-src added) invalidates the lists.
cmp -s "$list.new" "$list" || rm -f "$cache/updated"
mv "$list.new" "$list"

opts=(
	-o Dir::Etc::sourcelist="$list"
	-o Dir::Etc::sourceparts=/dev/null
	-o Dir::State::Lists="$cache/lists"
	-o Dir::Cache="$cache"
	-o Dir::Cache::archives="$cache/archives"
	-o APT::Get::Upgrade-By-Source-Package=false
	-o Acquire::Languages=none
)
stamp=$cache/updated
if [ "${DS_APT_REFRESH:-0}" = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	apt-get "${opts[@]}" -qq update
	touch "$stamp"
fi
exec "$tool" "${opts[@]}" "$@"
