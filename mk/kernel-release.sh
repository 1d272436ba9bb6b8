#!/bin/sh
# The kernel release a module built against KDIR must run on: its
# UTS_RELEASE, the string modules carry in their vermagic. Not
# include/config/kernel.release, which Debian's headers fill with the
# upstream version (6.1.192 for 6.1.0-57-amd64).
# usage: mk/kernel-release.sh KDIR   (prints nothing when KDIR has none)
sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "${1:?usage: mk/kernel-release.sh KDIR}/include/generated/utsrelease.h" 2>/dev/null
