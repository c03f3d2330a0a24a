// SPDX-License-Identifier: GPL-2.0
/* leo.ko: module load and unload. */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include "leo.h"
#include "measure.h"

static int __init leo_init(void)
{
	int err;

	/* see struct leo_peer: inbound packet path fields in one line */
	BUILD_BUG_ON(offsetofend(struct leo_peer, rx_bytes) > 64);
	err = leo_selftest();
	if (err)
		return err;
	err = leo_measure_init();
	if (err)
		return err;
	err = leo_netns_register();
	if (err)
		goto measure_exit;
	err = leo_device_notifier_register();
	if (err)
		goto netns_unregister;
	err = leo_genl_register();
	if (err)
		goto notifier_unregister;
	return 0;

notifier_unregister:
	leo_device_notifier_unregister();
netns_unregister:
	leo_netns_unregister();
	rcu_barrier();
measure_exit:
	leo_measure_exit();
	return err;
}

static void __exit leo_exit(void)
{
	leo_genl_unregister();
	leo_device_notifier_unregister();
	leo_netns_unregister();
	/*
	 * Peers and subnet sets go with kfree_rcu, which runs no code of
	 * ours; the barrier is for any RCU callback of the module, so none
	 * can run after its text is freed.
	 */
	rcu_barrier();
	leo_measure_exit();
}

module_init(leo_init);
module_exit(leo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leo: attested trusted-computing subnet");
MODULE_ALIAS_GENL_FAMILY(LEO_GENL_NAME);
