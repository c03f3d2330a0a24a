// SPDX-License-Identifier: GPL-2.0
/*
 * The measured control plane: LEO_CMD_SEAL pins mutating commands to one
 * executable, identified by its IMA SHA-256 digest, until the module is
 * unloaded. leo_control_check() is the gate every mutating command passes.
 *
 * The caller's identity is the file its mm executes (mm->exe_file), hashed
 * by ima_file_hash(): IMA's cached digest when it measured the file, a
 * fresh hash otherwise. The check runs per netlink request, in the context
 * of the sending process.
 *
 * Sealing is module-wide, not per network namespace, so it needs
 * CAP_NET_ADMIN in the initial user namespace.
 *
 * Locking: leo_seal_lock serialises sealing. leo_sealed_digest is written
 * once, under the lock, before leo_sealed is set with a release store;
 * readers load leo_sealed with acquire and then read the digest without
 * the lock. Nothing here is cleared before unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ima.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/leo.h>
#include "measure.h"
#include "measure_internal.h"

static DEFINE_MUTEX(leo_seal_lock);
static u8 leo_sealed_digest[LEO_DIGEST_LEN];
static bool leo_sealed;

bool leo_seal_get(u8 *exe_digest)
{
	/* Pairs with the release in leo_seal_locked(): digest is complete. */
	if (!smp_load_acquire(&leo_sealed))
		return false;
	memcpy(exe_digest, leo_sealed_digest, LEO_DIGEST_LEN);
	return true;
}

bool leo_control_sealed(void)
{
	/* Pairs with the release in leo_seal_locked(). */
	return smp_load_acquire(&leo_sealed);
}

/* A counted reference to the executable of current, or NULL. */
static struct file *leo_current_exe(void)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;

	if (!mm)
		return NULL;		/* kernel thread */
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
	rcu_read_unlock();
	return exe;
}

/* The SHA-256 IMA digest of current's executable. */
static int leo_caller_exe_digest(u8 *digest)
{
	u8 buf[HASH_MAX_DIGESTSIZE];
	struct file *exe;
	int algo;

	exe = leo_current_exe();
	if (!exe)
		return -ENOENT;
	algo = ima_file_hash(exe, buf, sizeof(buf));
	fput(exe);
	if (algo < 0)
		return algo;
	/* A digest of another algorithm never matches, even if it looks so. */
	if (algo != HASH_ALGO_SHA256)
		return -EOPNOTSUPP;
	memcpy(digest, buf, LEO_DIGEST_LEN);
	return 0;
}

static int leo_seal_check(struct genl_info *info)
{
	u8 caller[LEO_DIGEST_LEN];

	/* Pairs with the release in leo_seal_locked(): digest is complete. */
	if (!smp_load_acquire(&leo_sealed))
		return 0;
	if (leo_caller_exe_digest(caller)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "control plane sealed; cannot hash the caller's executable");
		return -EPERM;
	}
	if (memcmp(caller, leo_sealed_digest, LEO_DIGEST_LEN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "control plane sealed to another executable");
		return -EPERM;
	}
	return 0;
}

static int leo_ima_check(struct genl_info *info)
{
	if (!leo_measure_requires_ima())
		return 0;
	if (leo_measure_ensure_active(genl_info_net(info)) == 0)
		return 0;
	NL_SET_ERR_MSG_MOD(info->extack,
			   "IMA policy does not measure label leo and require_ima is set");
	return -EPERM;
}

int leo_control_check(struct genl_info *info)
{
	int err;

	/* The seal first: an outsider must not even trigger a probe record. */
	err = leo_seal_check(info);
	if (err)
		return err;
	return leo_ima_check(info);
}

static int leo_seal_locked(struct genl_info *info, const u8 *requested)
{
	u8 caller[LEO_DIGEST_LEN];
	int err;

	if (leo_sealed) {
		NL_SET_ERR_MSG_MOD(info->extack, "control plane already sealed");
		return -EALREADY;
	}
	err = leo_caller_exe_digest(caller);
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "cannot hash the caller's executable");
		return -EPERM;
	}
	if (memcmp(caller, requested, LEO_DIGEST_LEN)) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[LEO_A_EXE_DIGEST]);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "digest is not the caller's executable");
		return -EPERM;
	}
	err = leo_measure_seal(genl_info_net(info), caller, HASH_ALGO_SHA256);
	if (err && leo_measure_requires_ima()) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "seal not measured and require_ima is set");
		return -EPERM;
	}
	memcpy(leo_sealed_digest, caller, LEO_DIGEST_LEN);
	/* Publish the digest before readers can see the module sealed. */
	smp_store_release(&leo_sealed, true);
	pr_info("control plane sealed to executable sha256:%*phN (pid %d)\n",
		LEO_DIGEST_LEN, caller, task_tgid_nr(current));
	return 0;
}

int leo_seal_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[LEO_A_EXE_DIGEST];
	int err;

	if (!netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "sealing is module-wide: needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, LEO_A_EXE_DIGEST))
		return -EINVAL;
	if (nla_len(attr) != LEO_DIGEST_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "executable digest must be 32 bytes");
		return -EINVAL;
	}
	err = leo_ima_check(info);
	if (err)
		return err;
	mutex_lock(&leo_seal_lock);
	err = leo_seal_locked(info, nla_data(attr));
	mutex_unlock(&leo_seal_lock);
	return err;
}
