#!/usr/bin/env bash
# An out-of-tree driver built against an installed devstate, as
# docs/porting-guide.md ("Building your driver against an installed
# devstate") tells its authors to: `make install` into a DESTDIR, DKMS builds
# devstate in a private tree (so the machine's DKMS state is untouched), then
# a small GPL driver outside this repository builds with
# `make -C KDIR M=DIR` for each kernel of the matrix whose headers are
# installed:
#   - through the wrappers of <devstate/driver.h>: no symbols needed, modpost
#     silent, imports DEVSTATE, no depends on devstate;
#   - calling the exports directly (DEVSTATE_DIRECT): modpost refuses it
#     without devstate's Module.symvers, and builds it, depending on
#     devstate, with the Module.symvers the DKMS build kept;
#   - as its own DKMS package, from the guide's dkms.conf template.
# Nothing is loaded.
set -u
cd "$(dirname "$0")/../.." || exit
n=0; fails=0
ok()   { n=$((n + 1)); echo "ok $n - $*"; }
nok()  { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
show()  { tail -"${2:-20}" "$1" | sed 's/^/# /'; }
# modpost reports as "WARNING: modpost: ..." / "ERROR: modpost: ...", the
# compiler as "warning:" / "error:".
quiet_log() { ! grep -qiE 'warning|error' "$1"; }

kdirs="/usr/src/linux-headers-6.1.0-57-amd64 /usr/src/linux-headers-6.12.95+deb12-amd64"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
version=$(cat VERSION)
arch=$(uname -m)

if make -s install DESTDIR="$dest" PREFIX=/usr DKMS_SRC=/usr/src >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR PREFIX=/usr"
else
	nok "make install DESTDIR PREFIX=/usr"; show "$tmp/install.log"
fi
dk=$dest/usr/src/devstate-$version
check "dkms source has an executable dkms-post-build" test -x "$dk/dkms-post-build"
check "dkms.conf runs it as POST_BUILD" grep -q '^POST_BUILD="dkms-post-build ' "$dk/dkms.conf"

# The driver builds find the installed headers through the installed
# pkg-config file (pkgconf prefixes --variable paths with the sysroot).
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/lib/pkgconfig
check "pkg-config --variable=includedir devstate finds driver.h" \
	test -s "$(pkg-config --variable=includedir devstate)/devstate/driver.h"

# The driver: probe looks up its record and registers, remove unregisters.
# DEVSTATE_DIRECT (added to the Kbuild below) swaps the wrappers for the exports.
mkdir -p "$tmp/drv"
cat > "$tmp/drv/foo_main.c" <<'DRV'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/pci.h>
#include <devstate/driver.h>

static const struct ds_driver_ops oot_ds_ops = {
	.state_compatible = "devstate-oot,state-v1",
};

static int oot_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ds_incoming *in;
	struct ds_device *ds;
	enum ds_reason why;

	in = ds_lookup(pdev, oot_ds_ops.state_compatible, &why);
	if (in)
		ds_adopted(in);
	else
		dev_info(&pdev->dev, "cold: %s\n", ds_reason_str(why));
	ds = ds_register(pdev, &oot_ds_ops, NULL);
	pci_set_drvdata(pdev, IS_ERR(ds) ? NULL : ds);
	return 0;
}

static void oot_remove(struct pci_dev *pdev)
{
	ds_unregister(pci_get_drvdata(pdev));
}

static const struct pci_device_id oot_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, oot_ids);

static struct pci_driver oot_driver = {
	.name = "acme_foo",
	.id_table = oot_ids,
	.probe = oot_probe,
	.remove = oot_remove,
};
module_pci_driver(oot_driver);
MODULE_DESCRIPTION("devstate out-of-tree build test");
MODULE_LICENSE("GPL");
DRV
# The Kbuild, the dkms.conf template and its direct MAKE[0] line come from
# the guide itself, so what it shows is what is built here.
guide=docs/porting-guide.md
fence() {	# fence LANG FIRST-LINE: the fenced block of the guide that starts so
	awk -v lang="$1" -v first="$2" '
		$0 == "```" lang { inb = 1; n = 0; next }
		inb && $0 == "```" { if (take) exit; inb = 0; next }
		inb && n++ == 0 && $0 == first { take = 1 }
		take { print }' "$guide"
}
fence make 'obj-m += acme_foo.o' > "$tmp/drv/Kbuild"
fence sh 'PACKAGE_NAME="acme-foo"' > "$tmp/drv/dkms.conf"
direct_make=$(grep -m1 '^MAKE\[0\]=.*KBUILD_EXTRA_SYMBOLS=' "$guide")
# shellcheck disable=SC2016 # a literal make variable
check "the guide has the Kbuild lines" grep -q '^ccflags-y += -I$(DEVSTATE_INCLUDE)$' "$tmp/drv/Kbuild"
check "the guide has the dkms.conf template" grep -q '^BUILD_DEPENDS\[0\]="devstate"$' "$tmp/drv/dkms.conf"
check "the guide has the direct MAKE[0] line" test -n "$direct_make"
# The DEVSTATE_DIRECT variant: the guide's one added Kbuild line.
cp -r "$tmp/drv" "$tmp/drv-direct"
grep -m1 '^ccflags-y += -DDEVSTATE_DIRECT$' "$guide" >> "$tmp/drv-direct/Kbuild"
sed -i "s|^MAKE\[0\]=.*|$(printf '%s' "$direct_make" | sed 's/[&|\\]/\\&/g')|" "$tmp/drv-direct/dkms.conf"
check "the guide adds -DDEVSTATE_DIRECT to the Kbuild" grep -q DEVSTATE_DIRECT "$tmp/drv-direct/Kbuild"

# build SRC NAME KDIR [MAKE ARGS...]: the driver of $tmp/SRC in its own
# directory $tmp/NAME, log in $tmp/NAME.log, status of make.
build() {
	local from=$1 name=$2 kdir=$3; shift 3
	rm -rf "${tmp:?}/$name"; cp -r "$tmp/$from" "$tmp/$name"
	make -C "$kdir" M="$tmp/$name" "$@" modules >"$tmp/$name.log" 2>&1
}

for kdir in $kdirs; do
	kver=${kdir##*/linux-headers-}
	if [ ! -d "$kdir" ]; then
		skip "$kver: $kdir is not installed"
		continue
	fi

	# Through the wrappers: the headers alone.
	if build drv "wrap-$kver" "$kdir"; then
		ok "$kver: a driver built through the wrappers needs no symbols"
	else
		nok "$kver: a driver built through the wrappers needs no symbols"; show "$tmp/wrap-$kver.log"
	fi
	ko=$tmp/wrap-$kver/acme_foo.ko
	check "$kver: modpost and the compiler print no error or warning" quiet_log "$tmp/wrap-$kver.log"
	check "$kver: the wrapper driver imports namespace DEVSTATE" \
		test "$(modinfo -F import_ns "$ko" 2>/dev/null)" = DEVSTATE
	check "$kver: the wrapper driver has no depends on devstate" \
		test -e "$ko" -a -z "$(modinfo -F depends "$ko" 2>/dev/null)"
	check "$kver: the wrapper driver has no undefined ds_* symbol" \
		test -e "$ko" -a -z "$(nm -u "$ko" 2>/dev/null | grep -w 'ds_[a-z0-9_]*')"

	# Calling the exports directly needs devstate's symbol versions.
	build drv-direct "direct-nosym-$kver" "$kdir"
	check "$kver: without Module.symvers modpost stops a direct caller (ds_register_ops undefined)" \
		grep -q 'ERROR: modpost: "ds_register_ops" .* undefined!' "$tmp/direct-nosym-$kver.log"

	# devstate by DKMS, in a private tree; POST_BUILD keeps Module.symvers.
	tree=$tmp/dkms-$kver; mkdir -p "$tree"
	if ! command -v dkms >/dev/null; then
		nok "$kver: dkms build devstate (dkms not installed: apt-get install dkms)"
		continue
	fi
	if dkms build -m devstate -v "$version" -k "$kver" --dkmstree "$tree" \
		--sourcetree "$dest/usr/src" --kernelsourcedir "$kdir" \
		>"$tmp/dkms-$kver.log" 2>&1; then
		ok "$kver: dkms build devstate/$version"
	else
		nok "$kver: dkms build devstate/$version"; show "$tmp/dkms-$kver.log" 30
	fi
	symvers=$tree/devstate/$version/$kver/$arch/Module.symvers
	check "$kver: dkms build keeps Module.symvers in devstate/$version/$kver/$arch/" test -s "$symvers"
	check "$kver: it exports ds_driver_api, ds_register_ops and ds_register (old drivers'), GPL-only, in namespace DEVSTATE" \
		bash -c "grep -qP '\tds_driver_api\t.*\tEXPORT_SYMBOL_GPL\tDEVSTATE\$' '$symvers' &&
			 grep -qP '\tds_register_ops\t.*\tEXPORT_SYMBOL_GPL\tDEVSTATE\$' '$symvers' &&
			 grep -qP '\tds_register\t.*\tEXPORT_SYMBOL_GPL\tDEVSTATE\$' '$symvers'"

	if build drv-direct "direct-$kver" "$kdir" KBUILD_EXTRA_SYMBOLS="$symvers"; then
		ok "$kver: a direct caller builds with KBUILD_EXTRA_SYMBOLS=<that Module.symvers>"
	else
		nok "$kver: a direct caller builds with KBUILD_EXTRA_SYMBOLS=<that Module.symvers>"; show "$tmp/direct-$kver.log"
	fi
	ko=$tmp/direct-$kver/acme_foo.ko
	check "$kver: modpost and the compiler print no error or warning (direct)" quiet_log "$tmp/direct-$kver.log"
	check "$kver: the direct caller imports namespace DEVSTATE" \
		test "$(modinfo -F import_ns "$ko" 2>/dev/null)" = DEVSTATE
	check "$kver: the direct caller depends on devstate" \
		test "$(modinfo -F depends "$ko" 2>/dev/null)" = devstate

	# The driver's own DKMS package, from the guide's template, both ways.
	# The direct one reads devstate's symbols through the version-free link
	# `dkms install` makes; this private tree installs nothing, so the link
	# is made here as dkms install would.
	ln -sfn "$version/$kver/$arch" "$tree/devstate/kernel-$kver-$arch"
	for v in drv drv-direct; do
		src=$tmp/src-$v-$kver; mkdir -p "$src"; cp -r "$tmp/$v" "$src/acme-foo-1.0"
		rm -rf "$tree/acme-foo"
		what="$kver: dkms build of the driver's package from the guide's dkms.conf${v#drv}"
		if dkms build -m acme-foo -v 1.0 -k "$kver" --dkmstree "$tree" \
			--sourcetree "$src" --kernelsourcedir "$kdir" >"$tmp/dkms-$v-$kver.log" 2>&1 &&
		   [ -n "$(find "$tree/acme-foo/1.0/$kver" -name 'acme_foo.ko*' 2>/dev/null)" ]; then
			ok "$what"
		else
			nok "$what"; show "$tmp/dkms-$v-$kver.log" 30
			find "$tree/acme-foo" -name make.log -exec tail -20 {} \; 2>/dev/null | sed 's/^/# /'
		fi
	done
done
echo "1..$n"
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
