# shellcheck shell=bash
# Where the kernel matrix keeps what it downloads and builds, outside the
# clone: DEVSTATE_CACHE, else /var/cache/devstate as root, else the user's
# cache folder. Sourced by the scripts of tests/vm/kernels/.
if [ -z "${DEVSTATE_CACHE:-}" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		DEVSTATE_CACHE=/var/cache/devstate
	else
		DEVSTATE_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/devstate
	fi
fi
