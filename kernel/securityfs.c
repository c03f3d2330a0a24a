// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/security/leo/status: the state of leo's IMA integration,
 * one "key: value" per line.
 *
 * Locking: the two dentries are written in leo_securityfs_init() and
 * leo_securityfs_exit() only, which the module's init and exit serialise.
 * The file's fops pin the module while it is open, so a reader never runs
 * after exit. The values shown are lockless snapshots. active_netns counts
 * the network namespaces that configured leo (hooks registered).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/leo.h>
#include "leo.h"
#include "measure_internal.h"

static struct dentry *leo_sfs_dir;
static struct dentry *leo_sfs_status;

static const char *leo_yes_no(bool v)
{
	return v ? "yes" : "no";
}

static int leo_status_show(struct seq_file *m, void *v)
{
	struct leo_measure_status st;
	u8 digest[LEO_DIGEST_LEN];
	bool sealed = leo_seal_get(digest);

	leo_measure_get_status(&st);
	seq_printf(m, "measurement_active: %s\n", leo_yes_no(st.active));
	seq_printf(m, "sealed: %s\n", leo_yes_no(sealed));
	if (sealed)
		seq_printf(m, "sealed_exe_sha256: %*phN\n", LEO_DIGEST_LEN,
			   digest);
	else
		seq_puts(m, "sealed_exe_sha256: none\n");
	seq_printf(m, "records_measured: %llu\n", st.measured);
	seq_printf(m, "records_failed: %llu\n", st.failed);
	seq_printf(m, "require_ima: %s\n", leo_yes_no(st.require_ima));
	seq_printf(m, "instance: %016llx\n", st.instance);
	seq_printf(m, "next_seq: %llu\n", st.next_seq);
	seq_printf(m, "active_netns: %d\n", leo_netns_active());
	return 0;
}

static int leo_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, leo_status_show, NULL);
}

static const struct file_operations leo_status_fops = {
	.owner = THIS_MODULE,
	.open = leo_status_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

int leo_securityfs_init(void)
{
	leo_sfs_dir = securityfs_create_dir("leo", NULL);
	if (IS_ERR(leo_sfs_dir))
		return PTR_ERR(leo_sfs_dir);
	leo_sfs_status = securityfs_create_file("status", 0444, leo_sfs_dir,
						NULL, &leo_status_fops);
	if (IS_ERR(leo_sfs_status)) {
		securityfs_remove(leo_sfs_dir);
		return PTR_ERR(leo_sfs_status);
	}
	return 0;
}

void leo_securityfs_exit(void)
{
	securityfs_remove(leo_sfs_status);
	securityfs_remove(leo_sfs_dir);
}
