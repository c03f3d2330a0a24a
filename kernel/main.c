// SPDX-License-Identifier: GPL-2.0
/* leo.ko module entry points; replaced by the enforcement core. */
#include <linux/module.h>
#include "measure.h"

static int __init leo_init(void)
{
	return leo_measure_init();
}

static void __exit leo_exit(void)
{
	leo_measure_exit();
}

module_init(leo_init);
module_exit(leo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leo: attested trusted-computing subnet");
