// SPDX-License-Identifier: GPL-2.0
/*
 * Capture of one PCI function's state into a struct ds_record: where it sits,
 * what it is, how its BARs, interrupts and DMA are set up. Interrupt vectors
 * are read back from config space and the MSI-X table, so the record holds
 * what the device will actually use, not what the kernel believes it wrote.
 *
 * The BAR and bridge helpers are also what ds_lookup() compares a record
 * against, so both sides describe a device the same way.
 */
#include "ds_core.h"

#include <linux/dma-mapping.h>
#include <linux/io.h>

static u32 ds_bar_flags(const struct resource *res, bool rom)
{
	u32 flags = 0;

	if (res->flags & IORESOURCE_IO)
		flags |= DS_BAR_IO;
	if (res->flags & IORESOURCE_MEM)
		flags |= DS_BAR_MEM;
	if (res->flags & IORESOURCE_MEM_64)
		flags |= DS_BAR_64;
	if (res->flags & IORESOURCE_PREFETCH)
		flags |= DS_BAR_PREFETCH;
	if (rom)
		flags |= DS_BAR_ROM;
	return flags;
}

/**
 * ds_capture_bars() - list a device's assigned BARs and its ROM
 * @pdev: the device
 * @bars: out: DS_MAX_BARS entries
 *
 * Unassigned and empty BARs are left out; the upper half of a 64-bit BAR has
 * no resource of its own and is left out too.
 *
 * Return: the number of entries filled.
 */
u32 ds_capture_bars(struct pci_dev *pdev, struct ds_bar *bars)
{
	u32 n = 0;
	int i;

	for (i = 0; i <= PCI_ROM_RESOURCE && n < DS_MAX_BARS; i++) {
		const struct resource *res = &pdev->resource[i];
		struct ds_bar *b;

		if (i > PCI_STD_RESOURCE_END && i != PCI_ROM_RESOURCE)
			continue;
		if (!res->flags || !resource_size(res) ||
		    (res->flags & IORESOURCE_UNSET))
			continue;
		b = &bars[n++];
		b->index = i;
		b->flags = ds_bar_flags(res, i == PCI_ROM_RESOURCE);
		b->start = res->start;
		b->size = resource_size(res);
	}
	return n;
}

/**
 * ds_capture_bridges() - the chain of bridges from the root to a device
 * @pdev: the device
 * @bridges: out: DS_MAX_BRIDGES entries, (bus << 8 | devfn), root first
 *
 * Return: the number of bridges, or -E2BIG when there are more than
 * DS_MAX_BRIDGES.
 */
int ds_capture_bridges(struct pci_dev *pdev, u32 *bridges)
{
	struct pci_dev *br;
	int n = 0, i;

	for (br = pdev->bus->self; br; br = br->bus->self) {
		if (n == DS_MAX_BRIDGES)
			return -E2BIG;
		/* Collected leaf first; reversed below. */
		bridges[n++] = (u32)br->bus->number << 8 | br->devfn;
	}
	for (i = 0; i < n / 2; i++)
		swap(bridges[i], bridges[n - 1 - i]);
	return n;
}

static void ds_capture_msi(struct pci_dev *pdev, u16 flags, struct ds_record *r)
{
	int pos = pdev->msi_cap;
	bool is64 = flags & PCI_MSI_FLAGS_64BIT;
	u32 lo, hi = 0, mask = 0, count, i;
	u16 data;

	count = 1u << ((flags & PCI_MSI_FLAGS_QSIZE) >> 4);
	pci_read_config_dword(pdev, pos + PCI_MSI_ADDRESS_LO, &lo);
	if (is64)
		pci_read_config_dword(pdev, pos + PCI_MSI_ADDRESS_HI, &hi);
	pci_read_config_word(pdev, pos + (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32),
			     &data);
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		pci_read_config_dword(pdev, pos + (is64 ? PCI_MSI_MASK_64 :
						   PCI_MSI_MASK_32), &mask);

	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSI;
	r->irq[DS_IRQ_CELL_COUNT] = count;
	r->nr_vectors = min_t(u32, count, DS_RECORD_VECTORS);
	/* Multiple-message MSI: vector i sends the data with i in its low bits. */
	for (i = 0; i < r->nr_vectors; i++) {
		r->vectors[i].address = (u64)hi << 32 | lo;
		r->vectors[i].data = data | i;
		r->vectors[i].ctrl = (mask >> i) & 1;
	}
}

/* One MSI-X table entry as programmed: address, data, and its mask bit. */
static void ds_read_msix_entry(void __iomem *table, u32 i, struct ds_vector *v)
{
	void __iomem *e = table + i * PCI_MSIX_ENTRY_SIZE;
	u64 lo = readl(e + PCI_MSIX_ENTRY_LOWER_ADDR);
	u64 hi = readl(e + PCI_MSIX_ENTRY_UPPER_ADDR);

	v->address = hi << 32 | lo;
	v->data = readl(e + PCI_MSIX_ENTRY_DATA);
	v->ctrl = readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL) &
		  PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

/*
 * How many entries of a @count-entry table the record lists: all up to
 * the last unmasked one, and never fewer than the first DS_RECORD_VECTORS
 * (what records listed before longer tables were kept, so those read as
 * they did). The masked tail left out is what Linux leaves of a table it
 * enabled fewer vectors of: entries masked at enable and never used.
 */
static u32 ds_msix_listed(void __iomem *table, u32 count)
{
	u32 n = min_t(u32, count, DS_RECORD_VECTORS), i;

	for (i = count; i > n; i--) {
		void __iomem *e = table + (i - 1) * PCI_MSIX_ENTRY_SIZE;

		if (!(readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL) &
		      PCI_MSIX_ENTRY_CTRL_MASKBIT))
			return i;
	}
	return n;
}

/*
 * The whole table is mapped (up to 2048 entries, 32 KiB): the first
 * DS_RECORD_VECTORS entries go into @r, the rest listed into @more.
 */
static int ds_capture_msix(struct pci_dev *pdev, u16 flags, struct ds_record *r,
			   struct ds_vector *more)
{
	int pos = pdev->msix_cap;
	void __iomem *table;
	u32 count, n, i, tbl, bir;
	u64 end;

	count = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	pci_read_config_dword(pdev, pos + PCI_MSIX_TABLE, &tbl);
	bir = tbl & PCI_MSIX_TABLE_BIR;
	end = (u64)(tbl & PCI_MSIX_TABLE_OFFSET) + count * PCI_MSIX_ENTRY_SIZE;
	/*
	 * pci_iomap_range() shortens a range that runs past the BAR instead
	 * of refusing it: the entries read below must all lie inside.
	 */
	if (bir > PCI_STD_RESOURCE_END || end > pci_resource_len(pdev, bir)) {
		pci_err(pdev, "devstate: MSI-X table (BAR%u, %u entries) does not fit its BAR\n",
			bir, count);
		return -EINVAL;
	}
	table = pci_iomap_range(pdev, bir, tbl & PCI_MSIX_TABLE_OFFSET,
				count * PCI_MSIX_ENTRY_SIZE);
	if (!table) {
		pci_err(pdev, "devstate: cannot map the MSI-X table\n");
		return -ENOMEM;
	}
	n = ds_msix_listed(table, count);
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_MSIX;
	r->irq[DS_IRQ_CELL_COUNT] = count;
	r->nr_vectors = min_t(u32, n, DS_RECORD_VECTORS);
	r->nr_vectors_more = n - r->nr_vectors;
	for (i = 0; i < r->nr_vectors; i++)
		ds_read_msix_entry(table, i, &r->vectors[i]);
	for (i = 0; i < r->nr_vectors_more; i++)
		ds_read_msix_entry(table, DS_RECORD_VECTORS + i, &more[i]);
	pci_iounmap(pdev, table);
	return 0;
}

/* The interrupt mode the hardware is in, from its config space. */
static int ds_capture_irq(struct pci_dev *pdev, struct ds_record *r,
			  struct ds_vector *more)
{
	u16 flags;
	u8 pin = 0, line = 0;

	pci_read_config_byte(pdev, PCI_INTERRUPT_PIN, &pin);
	pci_read_config_byte(pdev, PCI_INTERRUPT_LINE, &line);
	r->irq[DS_IRQ_CELL_PIN] = pin;
	r->irq[DS_IRQ_CELL_LINE] = line;
	r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_NONE;
	r->irq[DS_IRQ_CELL_COUNT] = 0;
	r->nr_vectors = 0;
	r->nr_vectors_more = 0;

	if (pdev->msix_cap) {
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
		if (flags & PCI_MSIX_FLAGS_ENABLE)
			return ds_capture_msix(pdev, flags, r, more);
	}
	if (pdev->msi_cap) {
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
		if (flags & PCI_MSI_FLAGS_ENABLE) {
			ds_capture_msi(pdev, flags, r);
			return 0;
		}
	}
	if (pin && !(r->command & PCI_COMMAND_INTX_DISABLE)) {
		r->irq[DS_IRQ_CELL_MODE] = DS_IRQ_INTX;
		r->irq[DS_IRQ_CELL_COUNT] = 1;
	}
	return 0;
}

static void ds_capture_ids(struct pci_dev *pdev, struct ds_record *r)
{
	r->ids[DS_IDS_VENDOR] = pdev->vendor;
	r->ids[DS_IDS_DEVICE] = pdev->device;
	r->ids[DS_IDS_SUBVENDOR] = pdev->subsystem_vendor;
	r->ids[DS_IDS_SUBDEVICE] = pdev->subsystem_device;
	r->ids[DS_IDS_CLASS] = pdev->class;
	r->ids[DS_IDS_REVISION] = pdev->revision;
}

static void ds_capture_dma(struct ds_device *dev, struct ds_record *r)
{
	struct ds_buf_entry *e;
	u32 n = 0;

	r->dma_mask = dma_get_mask(&dev->pdev->dev);
	r->coherent_dma_mask = dev->pdev->dev.coherent_dma_mask;
	/* ds_dma_alloc_preserved() keeps the list within DS_MAX_DMA_REGIONS. */
	list_for_each_entry(e, &dev->bufs, node) {
		struct ds_dma_region *d = &r->dma[n++];

		strscpy(d->name, e->buf.name, sizeof(d->name));
		d->phys = e->buf.phys;
		d->bus = e->buf.dma;
		d->size = e->buf.size;
	}
	r->nr_dma = n;
}

/**
 * ds_capture() - fill a record with a registered device's PCI state
 * @dev: the registration
 * @r: the record, zeroed by the caller
 * @more: out: the MSI-X entries listed past the record's DS_RECORD_VECTORS,
 *	room for DS_MAX_VECTORS - DS_RECORD_VECTORS (@r->nr_vectors_more say
 *	how many are filled)
 *
 * Context: process context, under ds_lock().
 * Return: 0 or a negative errno.
 */
int ds_capture(struct ds_device *dev, struct ds_record *r,
	       struct ds_vector *more)
{
	struct pci_dev *pdev = dev->pdev;
	u16 cmd;
	int ret;

	r->version = DS_RECORD_VERSION;
	r->domain = pci_domain_nr(pdev->bus);
	r->bus = pdev->bus->number;
	r->devfn = pdev->devfn;
	ret = ds_capture_bridges(pdev, r->bridges);
	if (ret < 0) {
		pci_err(pdev, "devstate: more than %d bridges above the device\n",
			DS_MAX_BRIDGES);
		return ret;
	}
	r->nr_bridges = ret;
	ds_capture_ids(pdev, r);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	r->command = cmd;
	r->nr_bars = ds_capture_bars(pdev, r->bars);
	ret = ds_capture_irq(pdev, r, more);
	if (ret)
		return ret;
	ds_capture_dma(dev, r);
	strscpy(r->driver, pdev->driver ? pdev->driver->name : "",
		sizeof(r->driver));
	r->state_node = -1;
	ds_test_apply(pdev, r);
	return 0;
}
