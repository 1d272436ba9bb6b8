// SPDX-License-Identifier: GPL-2.0
/*
 * The transport: how the sealed blob and the preserved DMA buffers reach
 * the next kernel. Everything above this line (freeze.c, lookup.c,
 * keepalive.c, debugfs.c) speaks to the chosen transport through
 * ds_transport() and never names one. This file owns the choice, made once
 * at load from the transport= and region= parameters:
 *
 *   region  the memmap= region (region.c, with pool.c for buffers)
 *   kho     Kexec HandOver (kho.c), on a 7.2 or later kernel booted with
 *           kho=on
 *   none    neither: the region transport without a region, whose
 *           operations answer as they always did without one
 */
#include "ds_core.h"

static const struct ds_transport_ops *ds_transport_ops = &ds_region_transport;

/* transport=kho: KHO, when this kernel has it on; 0 with no transport. */
static int ds_transport_want_kho(void)
{
#if DS_COMPAT_HAVE_KHO
	if (ds_kho_enabled()) {
		ds_transport_ops = &ds_kho_transport;
		return 0;
	}
	/* Loaded, so that a handover that came anyway is named (kho-off). */
	pr_warn("transport: kho asked for, but KHO is off in this kernel (boot with kho=on); nothing will be handed over\n");
	return 0;
#else
	pr_err("transport: kho asked for, but this kernel has no Kexec HandOver (CONFIG_KEXEC_HANDOVER, Linux 7.2 or later)\n");
	return -EOPNOTSUPP;
#endif
}

/* transport=auto: the region when one is given, else KHO when it is on. */
static void ds_transport_auto(bool have_region)
{
	if (have_region)
		return;
#if DS_COMPAT_HAVE_KHO
	if (ds_kho_enabled())
		ds_transport_ops = &ds_kho_transport;
#endif
}

/**
 * ds_transport_setup() - choose and set up the transport at load
 * @want: the transport= parameter: "auto" (also NULL or empty), "region"
 *	or "kho"
 * @region: the region= parameter ("SIZE@PHYS"), NULL or empty
 *
 * Return: 0 (also without any transport: freeze then fails with -ENODEV
 * and every lookup answers no-region, or kho-off), or the negative errno
 * of a transport that was asked for but cannot be used, which fails the
 * load.
 */
int ds_transport_setup(const char *want, const char *region)
{
	bool have_region = region && *region;
	int ret = 0;

	ds_transport_ops = &ds_region_transport;
	if (!want || !*want || sysfs_streq(want, "auto")) {
		ds_transport_auto(have_region);
	} else if (sysfs_streq(want, "region")) {
		if (!have_region) {
			pr_err("transport: region asked for, but no region=SIZE@PHYS given\n");
			return -EINVAL;
		}
	} else if (sysfs_streq(want, "kho")) {
		if (have_region) {
			pr_err("transport: kho asked for, and region= given too; give one of them\n");
			return -EINVAL;
		}
		ret = ds_transport_want_kho();
	} else {
		pr_err("transport: '%s' is not one of auto, region, kho\n", want);
		return -EINVAL;
	}
	if (ret)
		return ret;
	/* The region transport with no region is "none": setup does nothing. */
	ret = ds_transport_ops->setup(have_region ? region : NULL);
	if (!ret && ds_transport_ops->present())
		pr_info("transport: %s\n", ds_transport_ops->name);
	return ret;
}

/* Undo ds_transport_setup(): at unload, or when a later load step fails. */
void ds_transport_teardown(void)
{
	ds_transport_ops->teardown();
}

/**
 * ds_transport() - the transport chosen at load
 *
 * Context: any; the choice does not change between load and unload.
 * Return: its operations, never NULL.
 */
const struct ds_transport_ops *ds_transport(void)
{
	return ds_transport_ops;
}

/*
 * What the status file and /sys/kernel/devstate/transport say: "region",
 * "kho", or "none" when there is nothing to freeze into.
 */
const char *ds_transport_name(void)
{
	return ds_transport_ops->present() ? ds_transport_ops->name : "none";
}
