#!/usr/bin/env bash
# make deb: the three Debian packages, built by dpkg-buildpackage from the
# tracked files, each holding what it should and no other package's files;
# the DKMS scripts only in devstate-dkms; lintian reports no error (make deb
# itself fails on one).
set -u
cd "$(dirname "$0")/../.."
n=0; fails=0
ok()  { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

version=$(cat VERSION)
if make -s deb >build/deb.log 2>&1; then
	ok "make deb (dpkg-buildpackage, then lintian --fail-on error)"
else
	nok "make deb"; tail -20 build/deb.log | sed 's/^/# /'
fi
grep -q '^E: ' build/deb.log && nok "lintian: no error" || ok "lintian: no error"

# has PACKAGE PATH: the package's file list holds PATH.
has() {
	if dpkg -c "$1" 2>/dev/null | awk '{print $6}' | grep -qx "./$2"; then
		ok "$(basename "$1") holds /$2"
	else
		nok "$(basename "$1") holds /$2"
	fi
}
tool=build/deb/devstate_${version}_amd64.deb
dkms=build/deb/devstate-dkms_${version}_all.deb
dev=build/deb/libdevstate-dev_${version}_amd64.deb
for f in usr/bin/devstate usr/sbin/devstate-kexec usr/share/man/man1/devstate.1.gz \
	 usr/share/man/man8/devstate-kexec.8.gz usr/share/bash-completion/completions/devstate \
	 lib/systemd/system/devstate-freeze.service; do
	has "$tool" "$f"
done
for f in dkms.conf Kbuild sdk/core/kernel/main.c drivers/examples/edu/devstate_edu_main.c dkms-post-build; do
	has "$dkms" "usr/src/devstate-$version/$f"
done
for f in usr/lib/libdevstate.a usr/include/devstate/blob.h usr/include/devstate/driver.h \
	 usr/lib/pkgconfig/devstate.pc; do
	has "$dev" "$f"
done
dpkg -c "$tool" "$dev" 2>/dev/null | grep -q 'usr/src/' && nok "no module sources outside devstate-dkms" ||
	ok "no module sources outside devstate-dkms"
dpkg -I "$dkms" postinst 2>/dev/null | grep -q dkms && ok "devstate-dkms's postinst runs dkms" ||
	nok "devstate-dkms's postinst runs dkms"
dpkg -I "$tool" 2>/dev/null | grep '^ Depends:' | grep -q dkms && nok "devstate does not depend on dkms" ||
	ok "devstate does not depend on dkms"
grep -q "PACKAGE_VERSION=\"$version\"" <(dpkg --fsys-tarfile "$dkms" | tar -xOf - "./usr/src/devstate-$version/dkms.conf") &&
	ok "dkms.conf carries version $version" || nok "dkms.conf carries version $version"
echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
