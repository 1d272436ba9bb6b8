// SPDX-License-Identifier: GPL-2.0
/*
 * The kexec reboot path: freeze before devices shut down, and keep the
 * kept-alive devices able to master the bus after they did.
 *
 * kernel_kexec() on 6.1 runs, in order:
 *   kernel_restart_prepare("kexec reboot")
 *     reboot notifiers           <- we freeze here (ds_reboot_notify)
 *     device_shutdown()          <- driver .shutdown calls ds_shutdown_keepalive,
 *                                   then pci_device_shutdown() clears bus
 *                                   mastering of the device and, later, of
 *                                   every bridge above it
 *   machine_shutdown()           <- other CPUs stopped, interrupts off
 *   kmsg_dump(KMSG_DUMP_SHUTDOWN) <- we set bus mastering again (ds_kmsg_dump)
 *   machine_kexec()
 * There is no syscore .shutdown call on this path in 6.1, so the kmsg dumper
 * is the last hook a module can get. docs/keepalive.md weighs the window
 * in which bus mastering is off and the upstream change that would close it.
 */
#include "ds_core.h"
#include "ds_compat.h"

#include <linux/kmsg_dump.h>
#include <linux/sched/clock.h>
#include <linux/reboot.h>
#include <linux/spinlock.h>

#define DS_KEEPALIVE_MAX	32

/*
 * Filled at device_shutdown() time, read by the dumper with other CPUs
 * stopped: entries are published with a release store of the count, so the
 * reader takes no lock (a lock held by a stopped CPU would never be freed).
 */
static struct {
	spinlock_t lock;	/* writers only */
	struct pci_dev *pdev[DS_KEEPALIVE_MAX];
	bool master[DS_KEEPALIVE_MAX];	/* mastering the bus at its shutdown */
	unsigned int count;
} ds_ka = {
	.lock = __SPIN_LOCK_UNLOCKED(ds_ka.lock),
};

/* Set by the reboot notifier: the restart under way is a kexec. */
static bool ds_kexec_reboot;
/* local_clock() when the first device asked for keep-alive. */
static u64 ds_ka_first_ns;

#ifdef DS_TESTING
/* Test knob "no-master-restore": show what 6.1 does without the restore. */
bool ds_test_no_restore;
#else
#define ds_test_no_restore false
#endif

bool ds_keepalive_armed(void)
{
	return ds_frozen();
}
EXPORT_SYMBOL_NS_GPL(ds_keepalive_armed, DS_COMPAT_SYMBOL_NS);

/*
 * Read from the device, not pdev->is_busmaster: a driver may have set the
 * bit without pci_set_master(). A device that was not mastering the bus
 * (ivshmem) gets no bus mastering it never had.
 */
static bool ds_is_master(struct pci_dev *pdev)
{
	u16 cmd;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	return cmd & PCI_COMMAND_MASTER;
}

bool ds_shutdown_keepalive(struct pci_dev *pdev)
{
	unsigned int i, n;
	bool full = false;

	/* An ordinary reboot or poweroff: the driver quiesces, as always. */
	if (!pdev || !ds_keepalive_armed())
		return false;
	/*
	 * A device the sealed blob does not describe must not keep mastering:
	 * the next kernel would not know what memory it may still write.
	 */
	if (!ds_device_frozen(pdev)) {
		pci_warn(pdev, "devstate: keep-alive refused: no record in the sealed blob (not registered, or its save failed); quiesce it\n");
		return false;
	}
	/*
	 * machine_shutdown() turns the IOMMU off: the device's IOVAs would
	 * become physical addresses and its DMA would land anywhere.
	 */
	if (!ds_dma_direct_ok(pdev)) {
		pci_warn(pdev, "devstate: keep-alive refused behind a translating IOMMU; quiesce it\n");
		return false;
	}
	spin_lock(&ds_ka.lock);
	n = ds_ka.count;
	for (i = 0; i < n; i++)
		if (ds_ka.pdev[i] == pdev)
			break;
	if (i == n) {
		if (n == DS_KEEPALIVE_MAX) {
			full = true;
		} else {
			if (!n)
				ds_ka_first_ns = local_clock();
			ds_ka.pdev[n] = pci_dev_get(pdev);
			ds_ka.master[n] = ds_is_master(pdev);
			/* Pairs with the dumper's acquire: entry before count. */
			smp_store_release(&ds_ka.count, n + 1);
		}
	}
	spin_unlock(&ds_ka.lock);
	if (full) {
		pci_err(pdev, "devstate: keep-alive refused: more than %d devices; quiesce it\n",
			DS_KEEPALIVE_MAX);
		return false;
	}
	pci_info(pdev, "devstate: keep-alive: bus mastering is restored once all devices are shut down\n");
	return true;
}
EXPORT_SYMBOL_NS_GPL(ds_shutdown_keepalive, DS_COMPAT_SYMBOL_NS);

/* Returns 1 when bus mastering was off (and is on again), 0 otherwise. */
static unsigned int ds_master_on(struct pci_dev *pdev)
{
	u16 cmd;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (cmd & PCI_COMMAND_MASTER)
		return 0;
	pci_write_config_word(pdev, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
	return 1;
}

/*
 * Bridges root first, so each write reaches a path that forwards. Counts
 * the functions found with bus mastering off: whether shutdown cleared a
 * bridge's depends on the machine (its power state as the PCI core knows
 * it), and the log line says which case this kexec met.
 */
static void ds_master_on_path(struct pci_dev *pdev, unsigned int *devs_off,
			      unsigned int *bridges_off)
{
	struct pci_dev *chain[DS_MAX_BRIDGES + 1];
	struct pci_dev *br;
	int n = 0;

	for (br = pdev->bus->self; br && n < DS_MAX_BRIDGES; br = br->bus->self)
		chain[n++] = br;
	while (n--)
		*bridges_off += ds_master_on(chain[n]);
	*devs_off += ds_master_on(pdev);
}

/*
 * Tell the next kernel which devices really were kept alive: the sealed
 * blob lists every registered device, but a driver may have been refused
 * at shutdown (or quiesced its device), and only the devices whose bus
 * mastering was just restored may still be writing memory. A device the
 * list does not name goes cold in the next kernel (DS_COLD_NOT_KEPT_ALIVE).
 */
static void ds_record_kept_alive(unsigned int n)
{
	unsigned int i;
	int ret;

	ret = ds_area_sealed_intact(ds_transport()->area);
	if (ret) {
		pr_err("kexec: the sealed blob changed since the freeze (%s); not sealed again: the next kernel will reject it\n",
		       ds_strerror(ret));
		return;
	}
	for (i = 0; i < n; i++) {
		ret = ds_mark_kept_alive(ds_ka.pdev[i]);
		if (ret)
			pci_err(ds_ka.pdev[i], "devstate: kexec: not in the kept-alive list (%s); the next kernel will not adopt it\n",
				ds_strerror(ret));
	}
	ret = ds_area_recrc(ds_transport()->area);
	if (ret)
		pr_err("kexec: cannot seal the kept-alive list: %s; the next kernel will reject the blob\n",
		       ds_strerror(ret));
}

/*
 * Runs after device_shutdown() and machine_shutdown(), interrupts off, one
 * CPU left. Config space accessors take only pci_lock, a raw spinlock no
 * stopped CPU can hold at this point of a kexec.
 */
static void ds_kmsg_dump_reason(enum kmsg_dump_reason reason)
{
	unsigned int devs_off = 0, bridges_off = 0, masters = 0;
	unsigned int i, n;

	if (reason != KMSG_DUMP_SHUTDOWN || !READ_ONCE(ds_kexec_reboot) ||
	    !ds_keepalive_armed())
		return;
	/* Pairs with the release in ds_shutdown_keepalive(). */
	n = smp_load_acquire(&ds_ka.count);
	if (!n)
		return;
	if (ds_test_no_restore) {
		pr_info("kexec: test: bus mastering left cleared on %u devices\n", n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!ds_ka.master[i])
			continue;
		ds_master_on_path(ds_ka.pdev[i], &devs_off, &bridges_off);
		masters++;
	}
	/* How long the first device could not master the bus. */
	pr_info("kexec: bus mastering restored on %u devices, %llu us after the first shutdown (found off: %u devices, %u bridges)\n",
		masters, div_u64(local_clock() - ds_ka_first_ns, NSEC_PER_USEC),
		devs_off, bridges_off);
	ds_record_kept_alive(n);
}

/* The dumper callback of this kernel's type (ds_compat.h). */
DS_COMPAT_KMSG_DUMP(ds_kmsg_dump)

static struct kmsg_dumper ds_dumper = {
	.dump = ds_kmsg_dump,
	.max_reason = KMSG_DUMP_SHUTDOWN,
};

/*
 * kexec_in_progress is not exported to modules; kernel_kexec() is the one
 * caller of kernel_restart_prepare() that passes "kexec reboot".
 */
static int ds_reboot_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	const char *cmd = data;
	int ret;

	if (action != SYS_RESTART || !cmd || strcmp(cmd, "kexec reboot"))
		return NOTIFY_DONE;
	WRITE_ONCE(ds_kexec_reboot, true);
	if (!ds_transport()->present())
		return NOTIFY_DONE;
	ret = ds_freeze();
	if (ret < 0)
		pr_err("kexec: freeze failed (%d); devices will be shut down as usual\n",
		       ret);
	else
		pr_info("kexec: frozen, %d devices recorded\n", ret);
	return NOTIFY_DONE;
}

static struct notifier_block ds_reboot_nb = {
	.notifier_call = ds_reboot_notify,
};

int ds_keepalive_init(void)
{
	int ret;

	ret = register_reboot_notifier(&ds_reboot_nb);
	if (ret)
		return ret;
	ret = kmsg_dump_register(&ds_dumper);
	if (ret) {
		unregister_reboot_notifier(&ds_reboot_nb);
		return ret;
	}
	return 0;
}

void ds_keepalive_exit(void)
{
	unsigned int i;

	kmsg_dump_unregister(&ds_dumper);
	unregister_reboot_notifier(&ds_reboot_nb);
	for (i = 0; i < ds_ka.count; i++)
		pci_dev_put(ds_ka.pdev[i]);
	ds_ka.count = 0;
}
