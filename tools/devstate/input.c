// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Loading what the tool inspects: a file given on the command line, the
 * running kernel's blobs in devstate's debugfs directory, or what KHO handed
 * over to it. Everything is read whole into memory; the shared reader then
 * treats it as untrusted bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <ds_env.h>

#include "devstate.h"

#define DEBUGFS_MAGIC_NUMBER	0x64626720	/* "dbg " as statfs reports it */

/* Read until EOF: debugfs files report size 0 in stat, so never trust it. */
static int read_all(int fd, uint8_t **bufp, size_t *sizep)
{
	size_t cap = 64 * 1024, len = 0;
	uint8_t *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			uint8_t *nb;

			if (cap >= DST_MAX_INPUT) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*sizep = len;
	return 0;
}

int dst_input_load(struct dst_input *in, const char *path, char *msg,
		   size_t msglen)
{
	uint8_t *buf = NULL;
	size_t size = 0;
	int fd, ret;

	memset(in, 0, sizeof(*in));
	in->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(msg, msglen, "cannot open %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	ret = read_all(fd, &buf, &size);
	close(fd);
	if (ret) {
		snprintf(msg, msglen, "cannot read %s: %s", path,
			 ret == -EFBIG ? "larger than the tool's limit"
				       : strerror(-ret));
		return ret;
	}
	in->data = buf;
	in->size = size;
	in->owned = buf;
	return 0;
}

void dst_input_free(struct dst_input *in)
{
	free(in->owned);
	memset(in, 0, sizeof(*in));
}

enum dst_kind dst_input_kind(const uint8_t *data, size_t size)
{
	if (size >= 4 && ds_get_be32(data) == DS_REGION_MAGIC)
		return DST_KIND_REGION;
	return DST_KIND_FDT;
}

/* Explain why the devstate debugfs directory cannot be used. */
int dst_debugfs_check(const struct dst_opts *o, char *msg, size_t msglen)
{
	const char *dir = o->debugfs_dir ? o->debugfs_dir : DST_DEBUGFS_DIR;
	struct statfs sfs;
	struct stat st;

	/* Only the standard location can be checked for the mount itself. */
	if (!strcmp(dir, DST_DEBUGFS_DIR)) {
		int e = statfs("/sys/kernel/debug", &sfs) ? errno : 0;

		if (e == EACCES) {
			snprintf(msg, msglen,
				 "permission denied on /sys/kernel/debug (debugfs is root-only)");
			return -EACCES;
		}
		if (e || sfs.f_type != DEBUGFS_MAGIC_NUMBER) {
			snprintf(msg, msglen,
				 "debugfs is not mounted (mount -t debugfs none /sys/kernel/debug)");
			return -ENODEV;
		}
	}
	if (stat(dir, &st)) {
		int e = errno;

		if (e == EACCES) {
			snprintf(msg, msglen,
				 "permission denied on %s (debugfs is root-only)", dir);
			return -EACCES;
		}
		char kho[512];

		snprintf(msg, msglen,
			 "%s not found: is the devstate module loaded?%s", dir,
			 access(dst_kho_in_path(o, kho, sizeof(kho)), F_OK) ? "" :
			 " (a KHO handover is there: 'devstate dump' shows it)");
		return -ENXIO;
	}
	return 0;
}

/*
 * Load a debugfs file, shown as @name: 0, or -ENOENT / -ENODATA when there
 * is none or it is empty, or another negative errno; @msg says "no @what:"
 * and why, with @hint after a missing file.
 */
static int debugfs_file_load(struct dst_input *in, const char *path,
			     const char *name, const char *what,
			     const char *hint, char *msg, size_t msglen)
{
	int ret = dst_input_load(in, path, msg, msglen);

	if (ret == -ENOENT) {
		snprintf(msg, msglen, "no %s: %s does not exist%s", what, path,
			 hint);
		return ret;
	}
	/* The module answers reads with ENODATA while it holds no such blob. */
	if (ret == -ENODATA) {
		snprintf(msg, msglen, "no %s: the kernel holds none", what);
		return ret;
	}
	if (ret == -EACCES || ret == -EPERM) {
		snprintf(msg, msglen,
			 "permission denied on %s (debugfs is root-only)", path);
		return ret;
	}
	if (ret)
		return ret;
	in->name = name;	/* not @path: it may be the caller's buffer */
	if (in->size == 0) {
		snprintf(msg, msglen, "no %s: %s is empty", what, path);
		dst_input_free(in);
		return -ENODATA;
	}
	return 0;
}

int dst_debugfs_load(const struct dst_opts *o, const char *file,
		     struct dst_input *in, char *msg, size_t msglen)
{
	const char *dir = o->debugfs_dir ? o->debugfs_dir : DST_DEBUGFS_DIR;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return debugfs_file_load(in, path, file,
				 !strncmp(file, "incoming", 8) ? "incoming blob"
							       : "outgoing blob",
				 "", msg, msglen);
}

const char *dst_kho_in_path(const struct dst_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", o->kho_dir ? o->kho_dir : DST_KHO_DEBUGFS_DIR,
		 DST_KHO_IN_FILE);
	return buf;
}

int dst_kho_load(const struct dst_opts *o, struct dst_input *in, char *msg,
		 size_t msglen)
{
	char path[512];

	dst_kho_in_path(o, path, sizeof(path));
	return debugfs_file_load(in, path, "kho/" DST_KHO_IN_FILE, "KHO handover",
				 " (not a KHO boot, or no KEXEC_HANDOVER_DEBUGFS)",
				 msg, msglen);
}
