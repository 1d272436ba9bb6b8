// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/devstate/:
 *   control    root only: write "freeze", "thaw" or "finish"; read the
 *              state word, "idle" or "frozen"
 *   transport  read-only: "region", "kho" or "none", the transport chosen
 *              at load (devstate-kexec loads the next kernel to suit it)
 */
#include "ds_core.h"

#include <linux/kobject.h>
#include <linux/sysfs.h>

static struct kobject *ds_kobj;

static ssize_t control_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", ds_frozen() ? "frozen" : "idle");
}

static ssize_t control_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int ret = 0;

	if (sysfs_streq(buf, "freeze")) {
		ret = ds_freeze();
		if (ret > 0)
			ret = 0;	/* a device count */
	} else if (sysfs_streq(buf, "thaw")) {
		ds_thaw();
	} else if (sysfs_streq(buf, "finish")) {
		ds_finish();
	} else {
		pr_warn("control: unknown command; write freeze, thaw or finish\n");
		ret = -EINVAL;
	}
	return ret ? ret : count;
}

static struct kobj_attribute ds_control_attr = __ATTR(control, 0600,
						       control_show,
						       control_store);

static ssize_t transport_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", ds_transport_name());
}

static struct kobj_attribute ds_transport_attr = __ATTR_RO(transport);

static struct attribute *ds_attrs[] = {
	&ds_control_attr.attr,
	&ds_transport_attr.attr,
	NULL,
};

static const struct attribute_group ds_attr_group = {
	.attrs = ds_attrs,
};

int ds_control_init(void)
{
	int ret;

	ds_kobj = kobject_create_and_add("devstate", kernel_kobj);
	if (!ds_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(ds_kobj, &ds_attr_group);
	if (ret) {
		kobject_put(ds_kobj);
		ds_kobj = NULL;
	}
	return ret;
}

void ds_control_exit(void)
{
	if (!ds_kobj)
		return;
	sysfs_remove_group(ds_kobj, &ds_attr_group);
	kobject_put(ds_kobj);
	ds_kobj = NULL;
}
