// SPDX-License-Identifier: GPL-2.0
/*
 * devstate.ko: keep PCI devices alive across a kexec. Module parameters,
 * load and unload; the work is in the other files of this directory:
 *
 *   transport.c the transport chosen at load, reached by ds_transport()
 *   area.c      the header and blob area, the same in every transport
 *   region.c    region= parameter, mapping, layout
 *   pool.c      page allocator of the preserved DMA pool
 *   kho.c       the Kexec HandOver transport (7.2 and later)
 *   capture.c   a device's PCI state -> struct ds_record
 *   freeze.c    registration, preserved buffers, freeze and thaw
 *   lookup.c    the incoming blob at load; lookup, restore, finish
 *   keepalive.c kexec reboot hooks (see docs/keepalive.md)
 *   control.c   /sys/kernel/devstate/control
 *   debugfs.c   /sys/kernel/debug/devstate/
 */
#include "ds_core.h"

#include <linux/module.h>

/*
 * The outer lock (ds_core.h): the module's one big lock, over the state
 * region.c, freeze.c and lookup.c own. It lives here, with load and unload,
 * because no one of those files owns the others' state.
 */
static DEFINE_MUTEX(ds_outer_lock);

void ds_lock(void)
{
	mutex_lock(&ds_outer_lock);
}

void ds_unlock(void)
{
	mutex_unlock(&ds_outer_lock);
}

/* For the functions whose comment says "Context: under ds_lock()". */
void ds_assert_locked(void)
{
	lockdep_assert_held(&ds_outer_lock);
}

static char *region;
module_param(region, charp, 0444);
MODULE_PARM_DESC(region, "preserved region SIZE@PHYS, kept with memmap=SIZE$PHYS (e.g. 16M@0x30000000)");

static char *transport;
module_param(transport, charp, 0444);
MODULE_PARM_DESC(transport, "auto (default: region when region= is given, else kho when the kernel runs with kho=on), region or kho");

static unsigned int finish_timeout = 60;
module_param(finish_timeout, uint, 0444);
MODULE_PARM_DESC(finish_timeout, "seconds after load before unclaimed incoming records (or a pool held after a rejected blob) are released (0: only on 'finish')");

int ds_err_to_errno(int err)
{
	switch (err) {
	case 0:
		return 0;
	case -DS_ERR_NOSPACE:
		return -ENOSPC;
	case -DS_ERR_NOMEM:
		return -ENOMEM;
	case -DS_ERR_INVAL:
	case -DS_ERR_BADLEN:	/* a property of the wrong length */
	case -DS_ERR_BADSTRING:	/* a string not terminated where it ends */
		return -EINVAL;
	case -DS_ERR_NOTFOUND:
		return -ENOENT;
	case -DS_ERR_BADSTATE:
		return -EBUSY;
	default:
		return -EIO;
	}
}

static int __init ds_init(void)
{
	int ret;

	ret = ds_transport_setup(transport, region);
	if (ret)
		return ret;
	ds_incoming_load();
	ret = ds_control_init();
	if (ret)
		goto release;
	ret = ds_keepalive_init();
	if (ret)
		goto control;
	ds_debugfs_init();
	/* Nothing fails past this point: now the header may change. */
	ds_incoming_commit();
	ds_finish_timer_start(finish_timeout);
	return 0;

control:
	ds_control_exit();
release:
	ds_incoming_release_all();
	ds_transport_teardown();
	return ret;
}

static void __exit ds_exit(void)
{
	/*
	 * Close every way in to a freeze first (the control file, the reboot
	 * notifier; the test knob of debugfs writes the region too), so the
	 * thaw below is the last word on the region.
	 */
	ds_control_exit();
	ds_debugfs_exit();
	ds_keepalive_exit();
	ds_finish_timer_stop();
	/* A sealed blob nobody will keep alive must not reach the next kernel. */
	ds_thaw();
	ds_incoming_release_all();
	ds_transport_teardown();
}

module_init(ds_init);
module_exit(ds_exit);
MODULE_DESCRIPTION("devstate: keep PCI devices alive across kexec");
MODULE_LICENSE("GPL");
