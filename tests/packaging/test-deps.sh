#!/usr/bin/env bash
# Missing build packages are named before anything compiles: `make` (and
# mk/deps.sh) on a machine where a -dev package is not installed names it
# and `make deps`, and never reaches the compiler. A fake dpkg-query first
# in PATH plays that machine (nothing is uninstalled); a fake apt-get
# records what `make deps` would install.
set -u
cd "$(dirname "$0")/../.."
n=0; fails=0
ok()  { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
has() { if grep -qF -- "$2" <<<"$1"; then ok "$3"; else nok "$3"; sed 's/^/#   /' <<<"$1" | head -10; fi; }
lacks() { if grep -qF -- "$2" <<<"$1"; then nok "$3"; sed 's/^/#   /' <<<"$1" | head -10; else ok "$3"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
# dpkg-query -W -f='${Status}' PKG: installed unless PKG is in FAKE_MISSING.
cat >"$tmp/bin/dpkg-query" <<'FAKE'
#!/bin/sh
for pkg; do :; done
case " $FAKE_MISSING " in *" $pkg "*) exit 1 ;; esac
printf 'install ok installed'
FAKE
cat >"$tmp/bin/apt-get" <<'FAKE'
#!/bin/sh
echo "$*" >>"$FAKE_APT_LOG"
FAKE
chmod +x "$tmp/bin/dpkg-query" "$tmp/bin/apt-get"
export FAKE_APT_LOG=$tmp/apt.log
fake() { PATH=$tmp/bin:$PATH "$@"; }

# Everything there: the check passes, quietly.
out=$(FAKE_MISSING="" fake mk/deps.sh --check make 2>&1); rc=$?
[ "$rc" -eq 0 ] && [ -z "$out" ] && ok "nothing missing: --check passes quietly" ||
	nok "nothing missing: --check passes quietly (exit $rc)"

# One -dev package missing: plain make names it and `make deps`.
out=$(FAKE_MISSING="libpci-dev" fake make 2>&1); rc=$?
[ "$rc" -ne 0 ] && ok "make fails when libpci-dev is missing" || nok "make fails when libpci-dev is missing"
has "$out" "devstate: missing Debian packages: libpci-dev" "make names the missing package"
has "$out" "'make deps'" "make names 'make deps'"
has "$out" "sudo apt-get install libpci-dev" "make gives the apt-get line"
lacks "$out" "fatal error" "no compiler error"
lacks "$out" "build-all" "the build never started"

# Two missing, and a package only the tests need is not make's business.
out=$(FAKE_MISSING="libjson-c-dev libfdt-dev device-tree-compiler" fake mk/deps.sh --check make 2>&1); rc=$?
[ "$rc" -eq 1 ] && ok "--check make: exit 1" || nok "--check make: exit 1 (got $rc)"
has "$out" "missing Debian packages: libfdt-dev libjson-c-dev" "both named, in mk/packages.txt's order"
lacks "$out" "device-tree-compiler" "a test-only package does not stop make"
out=$(FAKE_MISSING="device-tree-compiler" fake mk/deps.sh --check build 2>&1)
has "$out" "missing Debian packages: device-tree-compiler" "--check build names it"

# --check never installs, even as root; `make deps` as root does.
rm -f "$FAKE_APT_LOG"
FAKE_MISSING="libpci-dev" fake mk/deps.sh --check make >/dev/null 2>&1
[ ! -e "$FAKE_APT_LOG" ] && ok "--check runs no apt-get" || nok "--check runs no apt-get"
if [ "$(id -u)" -eq 0 ]; then
	out=$(FAKE_MISSING="libpci-dev" fake make deps 2>&1)
	has "$(cat "$FAKE_APT_LOG" 2>/dev/null)" "install -y -qq --no-install-recommends libpci-dev" \
		"make deps as root installs exactly the missing package"
else
	out=$(FAKE_MISSING="libpci-dev" fake make deps 2>&1)
	has "$out" "sudo apt-get install libpci-dev" "make deps as a user names the apt-get line"
fi
echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
