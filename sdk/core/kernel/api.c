// SPDX-License-Identifier: GPL-2.0
/*
 * The driver API as one table, so that a driver finds all of devstate.ko
 * with one symbol_get() and loads without it (see <devstate/driver.h>).
 * The functions are exported one by one too, in the same namespace.
 */
#include "ds_core.h"
#include "ds_compat.h"

const struct ds_driver_api ds_driver_api = {
	.size			= sizeof(struct ds_driver_api),
	.register_device	= ds_register,
	.unregister_device	= ds_unregister,
	.save_u32		= ds_save_u32,
	.save_u64		= ds_save_u64,
	.save_string		= ds_save_string,
	.save_bytes		= ds_save_bytes,
	.lookup			= ds_lookup,
	.incoming_record	= ds_incoming_record,
	.restore_u32		= ds_restore_u32,
	.restore_u64		= ds_restore_u64,
	.restore_string		= ds_restore_string,
	.restore_bytes		= ds_restore_bytes,
	.adopted		= ds_adopted,
	.decline		= ds_decline,
	.dma_alloc_preserved	= ds_dma_alloc_preserved,
	.dma_reclaim		= ds_dma_reclaim,
	.dma_free_preserved	= ds_dma_free_preserved,
	.keepalive_armed	= ds_keepalive_armed,
	.shutdown_keepalive	= ds_shutdown_keepalive,
	.finish			= ds_finish,
	.reason_str		= ds_reason_str,
	.register_ops		= ds_register_ops,
};
/* GPL: symbol_get() refuses symbols that are not (since 6.5). */
EXPORT_SYMBOL_NS_GPL(ds_driver_api, DS_COMPAT_SYMBOL_NS);
