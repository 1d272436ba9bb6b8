#!/usr/bin/env bash
# make install into a DESTDIR, checked file by file; the pkg-config file used
# to build a program against the installed library; dkms build of the
# installed module sources against the installed kernel headers, in a private
# DKMS tree so the machine's own DKMS state is untouched.
set -u
cd "$(dirname "$0")/../.."
n=0; fails=0
ok()  { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
prefix=/usr
version=$(cat VERSION)

if make -s install DESTDIR="$dest" PREFIX="$prefix" DKMS_SRC=/usr/src >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR PREFIX=$prefix"
else
	nok "make install DESTDIR PREFIX=$prefix"; sed 's/^/# /' "$tmp/install.log"
fi

for f in lib/libdevstate.a include/devstate/abi.h include/devstate/blob.h \
	 include/devstate/match.h include/devstate/driver.h \
	 lib/pkgconfig/devstate.pc bin/devstate sbin/devstate-kexec \
	 share/man/man1/devstate.1 share/man/man8/devstate-kexec.8 share/bash-completion/completions/devstate \
	 lib/systemd/system/devstate-freeze.service; do
	check "installed $prefix/$f" test -s "$dest$prefix/$f"
done
check "bin/devstate is executable" test -x "$dest$prefix/bin/devstate"
check "sbin/devstate-kexec is executable" test -x "$dest$prefix/sbin/devstate-kexec"
dk=$dest/usr/src/devstate-$version
for f in dkms.conf Kbuild sdk/include/devstate/driver.h sdk/core/kernel/ds_env.h; do
	check "dkms source has $f" test -s "$dk/$f"
done
check "dkms.conf carries the version" grep -q "PACKAGE_VERSION=\"$version\"" "$dk/dkms.conf"
check "no build products in the dkms source" \
	test -z "$(find "$dk" -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod.c')"

# devstate-kexec's help and its man page name the same options.
help_opts=$(kexec-handoff/devstate-kexec --help | grep -oE -- '--[a-z-]+' | sort -u)
man_opts=$(sed 's/\\-/-/g' docs/devstate-kexec.8 | grep -oE -- '--[a-z-]+' | sort -u)
check "devstate-kexec --help and devstate-kexec.8 list the same options" \
	test "$help_opts" = "$man_opts"

# The installed unit must parse cleanly: systemd-analyze prints a line for
# anything it ignores, and exits 0 even then, so silence is the verdict.
unit=$dest$prefix/lib/systemd/system/devstate-freeze.service
if ! command -v systemd-analyze >/dev/null; then
	nok "systemd-analyze verify the unit (systemd-analyze missing: apt-get install systemd)"
elif out=$(systemd-analyze verify --man=no "$unit" 2>&1) && [ -z "$out" ]; then
	ok "systemd-analyze verify devstate-freeze.service: clean"
else
	nok "systemd-analyze verify devstate-freeze.service"; printf '%s\n' "$out" | sed 's/^/# /'
fi
check "the unit runs before kexec.target and is wanted by it" \
	grep -q '^WantedBy=kexec.target' "$unit"

# A program built only through the installed pkg-config file.
cat > "$tmp/user.c" <<'PROG'
#include <devstate/blob.h>
#include <stdio.h>
int main(void)
{
	static unsigned char buf[4096];
	struct ds_fdt_writer w;
	struct ds_blob_info info = { .kernel_release = "pc-test" };
	struct ds_blob b;
	int n = ds_blob_begin(&w, buf, sizeof(buf), &info);

	if (!n)
		n = ds_blob_end(&w);
	if (n <= 0 || ds_blob_open(&b, buf, (size_t)n))
		return 1;
	printf("%s %u\n", b.kernel_release, b.nr_devices);
	ds_blob_close(&b);
	return 0;
}
PROG
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest$prefix/lib/pkgconfig
if cc -Wall -Werror "$tmp/user.c" -o "$tmp/user" $(pkg-config --cflags --libs devstate) 2>"$tmp/cc.log"; then
	ok "a program builds with pkg-config --cflags --libs devstate"
	check "that program reads back a blob it wrote" test "$("$tmp/user")" = "pc-test 0"
else
	nok "a program builds with pkg-config --cflags --libs devstate"; sed 's/^/# /' "$tmp/cc.log"
	nok "that program reads back a blob it wrote"
fi
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH

# dkms build for the newest installed Debian headers, in a private tree.
kver=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1 | sed 's|.*/linux-headers-||')
if ! command -v dkms >/dev/null; then
	nok "dkms build (dkms not installed: apt-get install dkms)"
elif [ -z "$kver" ]; then
	nok "dkms build (no linux-headers-*-amd64 installed)"
else
	tree=$tmp/dkms; mkdir -p "$tree"
	if dkms build -m devstate -v "$version" -k "$kver" --dkmstree "$tree" \
		--sourcetree "$dest/usr/src" --kernelsourcedir "/usr/src/linux-headers-$kver" \
		>"$tmp/dkms.log" 2>&1; then
		ok "dkms build devstate/$version for $kver"
	else
		nok "dkms build devstate/$version for $kver"; tail -30 "$tmp/dkms.log" | sed 's/^/# /'
	fi
	check "dkms build prints no error" bash -c "! grep -qi 'error\|bad exit status' '$tmp/dkms.log'"
	for m in devstate devstate_edu devstate_ivshmem devstate_e1000 devstate_nvme; do
		check "dkms built $m.ko" test -n "$(find "$tree/devstate/$version/$kver" -name "$m.ko*" 2>/dev/null)"
	done
fi
echo "1..$n"
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
