// SPDX-License-Identifier: GPL-2.0
/*
 * The transport: how the sealed blob and the preserved DMA buffers reach
 * the next kernel. Everything above this line (freeze.c, lookup.c,
 * keepalive.c, debugfs.c) speaks to the chosen transport through
 * ds_transport() and never names one, so a second transport (a Kexec
 * HandOver one, docs/design.md) changes this file and adds its own, and
 * nothing else. This file owns the choice, made once at load.
 *
 * Today there is one transport: the memmap= region (region.c, with pool.c
 * for buffers), which also stands for "none" while no region= is given:
 * its operations answer as they always did without a region.
 */
#include "ds_core.h"

static const struct ds_transport_ops *ds_transport_ops = &ds_region_transport;

/**
 * ds_transport_setup() - choose and set up the transport at load
 * @region: the region= module parameter ("SIZE@PHYS"), NULL or empty
 *
 * Return: 0 (also without any transport: freeze then fails with -ENODEV
 * and every lookup answers no-region), or the negative errno of a
 * transport that was asked for but cannot be used, which fails the load.
 */
int ds_transport_setup(const char *region)
{
	ds_transport_ops = &ds_region_transport;
	return ds_transport_ops->setup(region);
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
