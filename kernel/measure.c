// SPDX-License-Identifier: GPL-2.0
/*
 * Trust decisions of leo.ko as IMA critical data (label "leo").
 *
 * Each decision becomes one record in the format of
 * uapi/linux/leo_measure.h, handed to ima_measure_critical_data(), which
 * logs it with template ima-buf and extends PCR 10.
 *
 * Whether IMA's policy measures label "leo" is learnt from the records
 * themselves: ima_measure_critical_data() returns 0 when it logged the
 * record and -ENOENT when no policy rule matched (or IMA has no policy).
 * The policy can change once after boot, so every record updates the
 * verdict; leo_measure_ensure_active() re-probes with a measure-on record
 * when the last verdict was negative.
 *
 * Locking: leo_measure_lock serialises every record from sequence number
 * assignment to the IMA call, so sequence numbers appear in the IMA log in
 * increasing order, and guards the counters' updates. It nests inside
 * ln->lock. The expiry work takes it under ln->lock (leo_measure_reserve)
 * and keeps it after dropping ln->lock until its record is logged: the
 * record keeps its place in the order of decisions while netlink readers
 * are not kept waiting for the TPM. The counters and the
 * verdict are also read locklessly (status file) through atomics and
 * READ_ONCE. leo_instance is written once in leo_measure_init() before
 * anything else can run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/ima.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <linux/leo.h>
#include <linux/leo_measure.h>
#include "measure.h"
#include "leo.h"
#include "measure_internal.h"

static bool require_ima;
module_param(require_ima, bool, 0444);
MODULE_PARM_DESC(require_ima,
		 "Refuse mutating commands while IMA does not measure label leo");

static DEFINE_MUTEX(leo_measure_lock);
static u64 leo_next_seq;		/* under leo_measure_lock */
static atomic64_t leo_measured = ATOMIC64_INIT(0);
static atomic64_t leo_failed = ATOMIC64_INIT(0);
static bool leo_ima_active;		/* written under leo_measure_lock */
static u64 leo_instance;

/* Largest fixed-size body; the load record is allocated separately. */
#define LEO_MAX_FIXED_BODY sizeof(struct leo_measure_peer_rec)

static void leo_fill_hdr(struct leo_measure_hdr *hdr, struct net *net,
			 enum leo_measure_record_op op, size_t len, u64 seq)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = cpu_to_le32(LEO_MEASURE_MAGIC);
	hdr->version = cpu_to_le16(LEO_MEASURE_VERSION);
	hdr->op = cpu_to_le16(op);
	hdr->length = cpu_to_le32(len);
	if (net) {
		hdr->netns_ino = cpu_to_le32(net->ns.inum);
		hdr->netns_cookie = cpu_to_le64(net->net_cookie);
	}
	hdr->seq = cpu_to_le64(seq);
	hdr->instance = cpu_to_le64(leo_instance);
	hdr->time_ns = cpu_to_le64(ktime_get_boottime_ns());
}

/*
 * Turns the IMA verdict on one record into counters and a log line. Any
 * failure, not only a missing rule (-ENOENT) but also an error such as
 * -ENOMEM, marks measuring inactive: with require_ima the next mutating
 * command must then prove with a measure-on record that IMA logs again
 * (fail closed), and a verifier sees the lost record as a gap in seq.
 */
static void leo_account(int ret, const char *name)
{
	bool was_active = leo_ima_active;

	if (ret == 0) {
		atomic64_inc(&leo_measured);
		WRITE_ONCE(leo_ima_active, true);
		if (!was_active)
			pr_info("IMA measures label leo: trust decisions are measured\n");
		return;
	}
	atomic64_inc(&leo_failed);
	WRITE_ONCE(leo_ima_active, false);
	if (ret != -ENOENT)
		pr_warn_ratelimited("IMA did not log record %s: error %d%s\n",
				    name, ret, require_ima ?
				    "; mutating commands refused until a record is logged" :
				    "");
	else if (was_active)
		pr_warn("IMA policy has no rule measuring label leo: trust decisions are not measured%s\n",
			require_ima ? "; mutating commands refused" : "");
}

/*
 * Builds header + body in @rec (room for the header before @body_len bytes
 * of body already in place) and measures it. Called with leo_measure_lock.
 */
static int leo_measure_locked(struct net *net, enum leo_measure_record_op op,
			      const char *name, void *rec, size_t body_len)
{
	size_t len = sizeof(struct leo_measure_hdr) + body_len;
	u64 seq = leo_next_seq;
	int ret;

	lockdep_assert_held(&leo_measure_lock);
	WRITE_ONCE(leo_next_seq, seq + 1);	/* the status file reads it */
	leo_fill_hdr(rec, net, op, len, seq);
	ret = ima_measure_critical_data(LEO_MEASURE_LABEL, name, rec, len,
					false, NULL, 0);
	leo_account(ret, name);
	return ret;
}

static int leo_measure(struct net *net, enum leo_measure_record_op op,
		       const char *name, const void *body, size_t body_len)
{
	u8 rec[sizeof(struct leo_measure_hdr) + LEO_MAX_FIXED_BODY];
	int ret;

	if (WARN_ON_ONCE(body_len > LEO_MAX_FIXED_BODY))
		return -EINVAL;
	memcpy(rec + sizeof(struct leo_measure_hdr), body, body_len);
	mutex_lock(&leo_measure_lock);
	ret = leo_measure_locked(net, op, name, rec, body_len);
	mutex_unlock(&leo_measure_lock);
	return ret;
}

static void leo_copy_addr(u8 dst[16], u16 family, const void *addr)
{
	memset(dst, 0, 16);
	if (!addr)
		return;
	if (family == AF_INET)
		memcpy(dst, addr, 4);
	else if (family == AF_INET6)
		memcpy(dst, addr, 16);
}

static const char *leo_peer_event_name(enum leo_measure_op op, u8 state)
{
	switch (op) {
	case LEO_MEASURE_PEER_ADD:
		return LEO_MEASURE_NAME_PEER_ADD;
	case LEO_MEASURE_PEER_SET:
		return state == LEO_PEER_QUARANTINED ?
			LEO_MEASURE_NAME_PEER_QUARANTINE :
			LEO_MEASURE_NAME_PEER_SET;
	case LEO_MEASURE_PEER_DEL:
		return LEO_MEASURE_NAME_PEER_DEL;
	case LEO_MEASURE_PEER_EXPIRED:
		return LEO_MEASURE_NAME_PEER_EXPIRED;
	case LEO_MEASURE_PEER_FLUSH:
		return LEO_MEASURE_NAME_PEER_FLUSH;
	default:
		return NULL;
	}
}

int leo_measure_peer(struct net *net, enum leo_measure_op op,
		     const struct leo_measure_peer *p)
{
	const char *name = leo_peer_event_name(op, p->state);
	struct leo_measure_peer_rec body = {};
	u32 flags = 0;

	if (WARN_ON_ONCE(!name))
		return -EINVAL;
	body.family = cpu_to_le16(p->family);
	body.state = p->state;
	body.reason = p->reason;
	body.validity_ms = cpu_to_le32(p->validity_ms);
	leo_copy_addr(body.addr, p->family, p->addr);
	if (p->peer_id) {
		memcpy(body.peer_id, p->peer_id, LEO_PEER_ID_LEN);
		flags |= LEO_MEASURE_F_PEER_ID;
	}
	if (p->evidence) {
		memcpy(body.evidence, p->evidence, LEO_DIGEST_LEN);
		flags |= LEO_MEASURE_F_EVIDENCE;
	}
	body.flags = cpu_to_le32(flags);
	return leo_measure(net, (enum leo_measure_record_op)op, name, &body,
			   sizeof(body));
}

static void leo_fill_expired(struct leo_measure_expired_peer *e,
			     const struct leo_measure_peer *p)
{
	u32 flags = 0;

	e->family = cpu_to_le16(p->family);
	e->state = p->state;
	leo_copy_addr(e->addr, p->family, p->addr);
	if (p->peer_id) {
		memcpy(e->peer_id, p->peer_id, LEO_PEER_ID_LEN);
		flags |= LEO_MEASURE_F_PEER_ID;
	}
	if (p->evidence) {
		memcpy(e->evidence, p->evidence, LEO_DIGEST_LEN);
		flags |= LEO_MEASURE_F_EVIDENCE;
	}
	e->flags = cpu_to_le32(flags);
}

void leo_measure_reserve(void)
	__acquires(&leo_measure_lock)
{
	mutex_lock(&leo_measure_lock);
}

int leo_measure_peers_expired(struct net *net,
			      const struct leo_measure_peer *p, unsigned int n)
	__releases(&leo_measure_lock)
{
	size_t head = sizeof(struct leo_measure_hdr) +
		      sizeof(struct leo_measure_expired_rec);
	struct leo_measure_expired_peer *e;
	struct leo_measure_expired_rec *body;
	unsigned int i;
	u8 *rec;
	int ret;

	lockdep_assert_held(&leo_measure_lock);
	if (WARN_ON_ONCE(!n || n > LEO_MEASURE_EXPIRED_MAX))
		n = 0;
	rec = n ? kzalloc(head + n * sizeof(*e), GFP_KERNEL) : NULL;
	if (!rec) {
		/* still takes its number: the gap shows the lost record */
		WRITE_ONCE(leo_next_seq, leo_next_seq + 1);
		leo_account(-ENOMEM, LEO_MEASURE_NAME_PEERS_EXPIRED);
		mutex_unlock(&leo_measure_lock);
		return -ENOMEM;
	}
	body = (void *)(rec + sizeof(struct leo_measure_hdr));
	body->count = cpu_to_le32(n);
	body->entry_size = cpu_to_le32(sizeof(*e));
	e = (void *)(rec + head);
	for (i = 0; i < n; i++)
		leo_fill_expired(&e[i], &p[i]);
	ret = leo_measure_locked(net, LEO_MEASURE_OP_PEERS_EXPIRED,
				 LEO_MEASURE_NAME_PEERS_EXPIRED, rec,
				 head - sizeof(struct leo_measure_hdr) +
				 n * sizeof(*e));
	mutex_unlock(&leo_measure_lock);
	kfree(rec);
	return ret;
}

int leo_measure_subnet(struct net *net, enum leo_measure_op op, u16 family,
		       const void *addr, u8 prefixlen)
{
	struct leo_measure_subnet_rec body = {};
	const char *name;

	if (op == LEO_MEASURE_SUBNET_ADD)
		name = LEO_MEASURE_NAME_SUBNET_ADD;
	else if (op == LEO_MEASURE_SUBNET_DEL)
		name = LEO_MEASURE_NAME_SUBNET_DEL;
	else if (WARN_ON_ONCE(1))
		return -EINVAL;
	body.family = cpu_to_le16(family);
	body.prefixlen = prefixlen;
	leo_copy_addr(body.addr, family, addr);
	return leo_measure(net, (enum leo_measure_record_op)op, name, &body,
			   sizeof(body));
}

int leo_measure_config(struct net *net, const struct leo_config *cfg)
{
	struct leo_measure_config_rec body = {
		.mode = cfg->mode,
		.hs_port = cpu_to_le16(cfg->hs_port),
		.default_validity_ms = cpu_to_le32(cfg->default_validity_ms),
		.agent_mark = cpu_to_le32(cfg->agent_mark),
		.hs_rate = cpu_to_le32(cfg->hs_rate),
		.hs_burst = cpu_to_le32(cfg->hs_burst),
		.hs_total_rate = cpu_to_le32(cfg->hs_total_rate),
	};

	return leo_measure(net, LEO_MEASURE_OP_CONFIG, LEO_MEASURE_NAME_CONFIG,
			   &body, sizeof(body));
}

int leo_measure_verdict(int ret, struct netlink_ext_ack *extack)
{
	if (!ret || !require_ima)
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "IMA did not log the decision and require_ima is set: not taken");
	return ret == -ENOENT ? -EPERM : ret;
}

int leo_measure_device(struct net *net, enum leo_measure_op op, int ifindex,
		       const char *name)
{
	struct leo_measure_device_rec body = {
		.ifindex = cpu_to_le32(ifindex),
	};

	strscpy_pad(body.name, name, sizeof(body.name));
	return leo_measure(net, (enum leo_measure_record_op)op,
		    op == LEO_MEASURE_DEVICE_ADD ? LEO_MEASURE_NAME_DEVICE_ADD :
						   LEO_MEASURE_NAME_DEVICE_DEL,
		    &body, sizeof(body));
}

void leo_measure_netns_exit(struct net *net, u32 peers, u32 subnets)
{
	struct leo_measure_netns_rec body = {
		.peers = cpu_to_le32(peers),
		.subnets = cpu_to_le32(subnets),
	};

	leo_measure(net, LEO_MEASURE_OP_NETNS_EXIT, LEO_MEASURE_NAME_NETNS_EXIT,
		    &body, sizeof(body));
}

int leo_measure_seal(struct net *net, const u8 *exe_digest, int hash_algo)
{
	struct leo_measure_seal_rec body = {
		.pid = cpu_to_le32(task_tgid_nr(current)),
		.uid = cpu_to_le32(from_kuid_munged(&init_user_ns,
						    current_uid())),
		.hash_algo = cpu_to_le32(hash_algo),
	};

	memcpy(body.exe_digest, exe_digest, LEO_DIGEST_LEN);
	return leo_measure(net, LEO_MEASURE_OP_SEAL, LEO_MEASURE_NAME_SEAL,
			   &body, sizeof(body));
}

static void leo_fill_counters(struct leo_measure_counters_rec *body)
{
	u8 digest[LEO_DIGEST_LEN];

	memset(body, 0, sizeof(*body));
	body->measured = cpu_to_le64(atomic64_read(&leo_measured));
	body->failed = cpu_to_le64(atomic64_read(&leo_failed));
	body->sealed = leo_seal_get(digest);
	body->require_ima = require_ima;
}

int leo_measure_ensure_active(struct net *net)
{
	u8 rec[sizeof(struct leo_measure_hdr) +
	       sizeof(struct leo_measure_counters_rec)];
	int ret = 0;

	if (READ_ONCE(leo_ima_active))
		return 0;
	mutex_lock(&leo_measure_lock);
	/* Another caller may have probed while we waited. */
	if (!leo_ima_active) {
		leo_fill_counters((void *)(rec + sizeof(struct leo_measure_hdr)));
		ret = leo_measure_locked(net, LEO_MEASURE_OP_MEASURE_ON,
					 LEO_MEASURE_NAME_MEASURE_ON, rec,
					 sizeof(struct leo_measure_counters_rec));
	}
	mutex_unlock(&leo_measure_lock);
	return ret;
}

/*
 * Appends "name=value\n" for every parameter of this module to @out, at
 * most @room bytes; returns the length written.
 */
static size_t leo_format_params(char *out, size_t room, char *scratch)
{
	const struct module *mod = THIS_MODULE;
	size_t used = 0;
	unsigned int i;

	kernel_param_lock(THIS_MODULE);
	for (i = 0; i < mod->num_kp; i++) {
		const struct kernel_param *kp = &mod->kp[i];
		int n = 0, w;

		if (kp->ops->get)
			n = kp->ops->get(scratch, kp);
		if (n < 0)
			n = 0;
		while (n > 0 && scratch[n - 1] == '\n')
			n--;
		w = snprintf(out + used, room - used, "%s=%.*s\n", kp->name,
			     n, scratch);
		if (w >= room - used) {
			pr_warn("load record: parameters truncated at %s\n",
				kp->name);
			break;
		}
		used += w;
	}
	kernel_param_unlock(THIS_MODULE);
	return used;
}

static int leo_measure_load(void)
{
	size_t head = sizeof(struct leo_measure_hdr) +
		      sizeof(struct leo_measure_load_rec);
	struct leo_measure_load_rec *body;
	char *rec, *scratch;
	size_t params_len;
	int ret = -ENOMEM;

	rec = kzalloc(PAGE_SIZE, GFP_KERNEL);
	scratch = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!rec || !scratch)
		goto out;
	body = (void *)(rec + sizeof(struct leo_measure_hdr));
	body->require_ima = require_ima;
	params_len = leo_format_params(body->params, PAGE_SIZE - head, scratch);
	body->params_len = cpu_to_le32(params_len);
	mutex_lock(&leo_measure_lock);
	ret = leo_measure_locked(NULL, LEO_MEASURE_OP_MODULE_LOAD,
				 LEO_MEASURE_NAME_MODULE_LOAD, rec,
				 sizeof(*body) + params_len);
	mutex_unlock(&leo_measure_lock);
out:
	kfree(scratch);
	kfree(rec);
	return ret;
}

static void leo_measure_unload(void)
{
	struct leo_measure_counters_rec body;

	leo_fill_counters(&body);
	leo_measure(NULL, LEO_MEASURE_OP_MODULE_UNLOAD,
		    LEO_MEASURE_NAME_MODULE_UNLOAD, &body, sizeof(body));
}

/* The kernel-side op numbers are the record's op numbers. */
#define LEO_SAME_OP(k, r) BUILD_BUG_ON((int)(k) != (int)(r))

static void leo_check_op_numbers(void)
{
	LEO_SAME_OP(LEO_MEASURE_PEER_ADD, LEO_MEASURE_OP_PEER_ADD);
	LEO_SAME_OP(LEO_MEASURE_PEER_SET, LEO_MEASURE_OP_PEER_SET);
	LEO_SAME_OP(LEO_MEASURE_PEER_DEL, LEO_MEASURE_OP_PEER_DEL);
	LEO_SAME_OP(LEO_MEASURE_PEER_EXPIRED, LEO_MEASURE_OP_PEER_EXPIRED);
	LEO_SAME_OP(LEO_MEASURE_PEER_FLUSH, LEO_MEASURE_OP_PEER_FLUSH);
	LEO_SAME_OP(LEO_MEASURE_SUBNET_ADD, LEO_MEASURE_OP_SUBNET_ADD);
	LEO_SAME_OP(LEO_MEASURE_SUBNET_DEL, LEO_MEASURE_OP_SUBNET_DEL);
	LEO_SAME_OP(LEO_MEASURE_CONFIG, LEO_MEASURE_OP_CONFIG);
	LEO_SAME_OP(LEO_MEASURE_SEAL, LEO_MEASURE_OP_SEAL);
	LEO_SAME_OP(LEO_MEASURE_MODULE_LOAD, LEO_MEASURE_OP_MODULE_LOAD);
	LEO_SAME_OP(LEO_MEASURE_MODULE_UNLOAD, LEO_MEASURE_OP_MODULE_UNLOAD);
	LEO_SAME_OP(LEO_MEASURE_DEVICE_ADD, LEO_MEASURE_OP_DEVICE_ADD);
	LEO_SAME_OP(LEO_MEASURE_DEVICE_DEL, LEO_MEASURE_OP_DEVICE_DEL);
	BUILD_BUG_ON(sizeof(struct leo_measure_hdr) != 48);
	BUILD_BUG_ON(sizeof(struct leo_measure_peer_rec) != 96);
	BUILD_BUG_ON(sizeof(struct leo_measure_subnet_rec) != 24);
	BUILD_BUG_ON(sizeof(struct leo_measure_config_rec) != 24);
	BUILD_BUG_ON(sizeof(struct leo_measure_device_rec) != 24);
	BUILD_BUG_ON(sizeof(struct leo_measure_seal_rec) != 48);
	BUILD_BUG_ON(sizeof(struct leo_measure_load_rec) != 8);
	BUILD_BUG_ON(sizeof(struct leo_measure_counters_rec) != 24);
	BUILD_BUG_ON(sizeof(struct leo_measure_netns_rec) != 8);
	BUILD_BUG_ON(sizeof(struct leo_measure_expired_rec) != 8);
	BUILD_BUG_ON(sizeof(struct leo_measure_expired_peer) != 88);
}

void leo_measure_get_status(struct leo_measure_status *st)
{
	st->measured = atomic64_read(&leo_measured);
	st->failed = atomic64_read(&leo_failed);
	st->next_seq = READ_ONCE(leo_next_seq);
	st->instance = leo_instance;
	st->active = READ_ONCE(leo_ima_active);
	st->require_ima = require_ima;
}

bool leo_measure_requires_ima(void)
{
	return require_ima;
}

int leo_measure_init(void)
{
	int err;

	leo_check_op_numbers();
	leo_instance = get_random_u64();
	err = leo_securityfs_init();
	if (err)
		return err;
	/* Start from "inactive" so the first logged record announces itself. */
	if (leo_measure_load() == -ENOENT)
		pr_warn("IMA policy has no rule measuring label leo: trust decisions are not measured%s\n",
			require_ima ? "; mutating commands refused" : "");
	return 0;
}

void leo_measure_exit(void)
{
	leo_measure_unload();
	leo_securityfs_exit();
}
