// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Names of the DS_ERR_* codes, for logs, the tool and the tests. */
#include "ds_env.h"
#include <devstate/blob.h>

static const char *const ds_err_names[DS_ERR__MAX] = {
	[DS_OK] = "success",
	[DS_ERR_INVAL] = "invalid argument",
	[DS_ERR_NOSPACE] = "no space left in the buffer",
	[DS_ERR_BADSTATE] = "not allowed in the current state",
	[DS_ERR_NOTFOUND] = "not found",
	[DS_ERR_TRUNCATED] = "blob truncated: shorter than its header says",
	[DS_ERR_BADMAGIC] = "bad FDT magic (not an FDT, or still being written)",
	[DS_ERR_BADVERSION] = "unsupported FDT version",
	[DS_ERR_BADOFFSET] = "FDT block offset or size out of bounds",
	[DS_ERR_OVERLAP] = "FDT blocks overlap",
	[DS_ERR_BADALIGN] = "FDT block misaligned",
	[DS_ERR_BADTAG] = "bad or misplaced FDT token",
	[DS_ERR_BADSTRING] = "unterminated string or bad string offset",
	[DS_ERR_BADNAME] = "bad node name",
	[DS_ERR_DEPTH] = "nodes nested too deeply",
	[DS_ERR_BADLEN] = "property has the wrong length",
	[DS_ERR_BADROOT] = "root is not a devstate-v1 blob",
	[DS_ERR_BADRECORD] = "malformed device record",
	[DS_ERR_UNKNOWNREC] = "unknown device record version",
	[DS_ERR_DUPLICATE] = "two records for one PCI position",
	[DS_ERR_REGION_MAGIC] = "bad region magic",
	[DS_ERR_REGION_ABI] = "unknown region ABI version",
	[DS_ERR_REGION_HEADER] = "region header corrupt or inconsistent",
	[DS_ERR_UNSEALED] = "region not sealed",
	[DS_ERR_BADCRC] = "blob CRC mismatch",
	[DS_ERR_NOMEM] = "out of memory",
};

const char *ds_strerror(int err)
{
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	if (e < DS_ERR__MAX && ds_err_names[e])
		return ds_err_names[e];
	return "unknown error";
}
