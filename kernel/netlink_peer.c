// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for peers: add, set, delete, get, dump, flush.
 *
 * Locking: every handler holds ln->lock while it reads or changes the
 * table, and records its decision in IMA before dropping it, so the
 * measurement order matches the order of the changes. Decisions that
 * cannot fail once recorded (set, del, flush) are recorded first and not
 * taken if require_ima is set and IMA did not log them; an add is
 * recorded after the insert, which can fail, and undone instead. A dump holds the
 * lock for one batch at a time and keeps a kref on the last peer it sent
 * (cb->args[0]) to resume from it; if that peer was removed meanwhile the
 * dump ends early, and the changed generation (cb->seq) makes the kernel
 * flag NLM_F_DUMP_INTR so the reader knows to retry.
 */
#include <net/genetlink.h>
#include "leo.h"
#include "measure.h"

enum { LEO_DUMP_CURSOR, LEO_DUMP_DONE };

static int leo_measure_peer_op(struct leo_net *ln, enum leo_measure_op op,
			       const struct leo_peer *peer, u32 validity_ms,
			       u8 reason)
{
	struct leo_measure_peer m = {
		.family = peer->addr.family,
		.addr = &peer->addr.ip6,
		.peer_id = peer->id,
		.evidence = peer->has_evidence ? peer->evidence : NULL,
		.validity_ms = validity_ms,
		.state = peer->state,
		.reason = reason,
	};

	return leo_measure_peer(ln->net, op, &m);
}

static u32 leo_validity_ms(struct leo_net *ln, const struct nlattr *attr)
{
	u32 ms = attr ? nla_get_u32(attr) : 0;

	return ms ?: ln->cfg.default_validity_ms;
}

static u8 leo_reason(struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[LEO_A_REASON];

	return attr ? nla_get_u8(attr) : LEO_REASON_UNSPEC;
}

static int leo_peer_fill(struct sk_buff *skb, struct leo_peer *peer,
			 u32 portid, u32 seq, int flags,
			 struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &leo_genl_family, flags,
			  LEO_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (leo_put_addr(skb, &peer->addr) ||
	    nla_put(skb, LEO_A_PEER_ID, LEO_PEER_ID_LEN, peer->id) ||
	    nla_put_u8(skb, LEO_A_STATE, READ_ONCE(peer->state)) ||
	    nla_put_u64_64bit(skb, LEO_A_EXPIRES_MS, leo_peer_expires_ms(peer),
			      LEO_A_PAD) ||
	    (peer->has_evidence &&
	     nla_put(skb, LEO_A_EVIDENCE, LEO_DIGEST_LEN, peer->evidence)) ||
	    nla_put_u64_64bit(skb, LEO_A_RX_PACKETS,
			      atomic64_read(&peer->rx_packets), LEO_A_PAD) ||
	    nla_put_u64_64bit(skb, LEO_A_RX_BYTES,
			      atomic64_read(&peer->rx_bytes), LEO_A_PAD) ||
	    nla_put_u64_64bit(skb, LEO_A_TX_PACKETS,
			      atomic64_read(&peer->tx_packets), LEO_A_PAD) ||
	    nla_put_u64_64bit(skb, LEO_A_TX_BYTES,
			      atomic64_read(&peer->tx_bytes), LEO_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static struct leo_peer *leo_nl_find(struct leo_net *ln, struct genl_info *info,
				    const struct leo_addr *addr)
{
	struct leo_peer *peer = leo_peer_find(ln, addr);

	if (!peer)
		NL_SET_ERR_MSG(info->extack, "no peer with this address");
	return peer;
}

/* The start of every mutating peer command: the gate, then the address. */
static int leo_nl_admin_addr(struct genl_info *info, struct leo_addr *addr)
{
	return leo_control_check(info) ?: leo_get_addr(info, addr);
}

int leo_nl_peer_add(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct nlattr **a = info->attrs;
	struct leo_peer *peer;
	struct leo_addr addr;
	u32 validity;
	int err;

	err = leo_nl_admin_addr(info, &addr);
	if (err)
		return err;
	if (LEO_MISSING(info, LEO_A_PEER_ID))
		return -EINVAL;

	mutex_lock(&ln->lock);
	err = leo_net_activate(ln);
	if (err)
		goto out;
	validity = leo_validity_ms(ln, a[LEO_A_VALIDITY_MS]);
	peer = leo_peer_add(ln, &addr, nla_data(a[LEO_A_PEER_ID]),
			    a[LEO_A_EVIDENCE] ? nla_data(a[LEO_A_EVIDENCE]) :
						NULL, validity,
			    a[LEO_A_STATE] ? nla_get_u8(a[LEO_A_STATE]) :
					     LEO_PEER_ATTESTED);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		if (err == -EEXIST)
			NL_SET_ERR_MSG(info->extack, "address is already a peer");
		else if (err == -ENOSPC)
			NL_SET_ERR_MSG(info->extack, "peer table is full");
	} else {
		err = leo_measure_peer_op(ln, LEO_MEASURE_PEER_ADD, peer,
					  validity, LEO_REASON_UNSPEC);
		/*
		 * Unmeasured under require_ima: take it back. Inserting can
		 * fail, so it comes first; the packet path may have seen the
		 * peer for the length of the IMA call.
		 */
		err = leo_measure_verdict(err, info->extack);
		if (err)
			leo_peer_remove(ln, peer);
	}
out:
	mutex_unlock(&ln->lock);
	return err;
}

static bool leo_peer_set_has_change(struct nlattr **a)
{
	return a[LEO_A_STATE] || a[LEO_A_VALIDITY_MS] || a[LEO_A_PEER_ID] ||
	       a[LEO_A_EVIDENCE];
}

/*
 * PEER_SET: records the peer as it will be, then changes it, so that a
 * decision IMA did not log under require_ima is not taken; ln->lock held.
 */
static int leo_peer_apply(struct leo_net *ln, struct leo_peer *peer,
			  struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u32 validity = a[LEO_A_VALIDITY_MS] ?
		       leo_validity_ms(ln, a[LEO_A_VALIDITY_MS]) : 0;
	struct leo_measure_peer m = {
		.family = peer->addr.family,
		.addr = &peer->addr.ip6,
		.peer_id = a[LEO_A_PEER_ID] ? nla_data(a[LEO_A_PEER_ID]) :
					      peer->id,
		.evidence = a[LEO_A_EVIDENCE] ? nla_data(a[LEO_A_EVIDENCE]) :
			    peer->has_evidence ? peer->evidence : NULL,
		.validity_ms = validity,
		.state = a[LEO_A_STATE] ? nla_get_u8(a[LEO_A_STATE]) :
					  peer->state,
		.reason = leo_reason(info),
	};
	int err;

	err = leo_measure_peer(ln->net, LEO_MEASURE_PEER_SET, &m);
	err = leo_measure_verdict(err, info->extack);
	if (err)
		return err;
	WRITE_ONCE(peer->state, m.state);
	if (a[LEO_A_PEER_ID])
		nla_memcpy(peer->id, a[LEO_A_PEER_ID], LEO_PEER_ID_LEN);
	if (a[LEO_A_EVIDENCE]) {
		nla_memcpy(peer->evidence, a[LEO_A_EVIDENCE], LEO_DIGEST_LEN);
		peer->has_evidence = true;
	}
	if (validity)
		leo_peer_renew(ln, peer, validity);
	leo_peers_changed(ln);
	return 0;
}

/* PEER_DEL: records the removal, then cuts the peer off; ln->lock held. */
static int leo_peer_drop(struct leo_net *ln, struct leo_peer *peer,
			 struct genl_info *info)
{
	int err;

	err = leo_measure_peer_op(ln, LEO_MEASURE_PEER_DEL, peer, 0,
				  leo_reason(info));
	err = leo_measure_verdict(err, info->extack);
	if (!err)
		leo_peer_remove(ln, peer);
	return err;
}

/* PEER_SET and PEER_DEL: @change the named peer under ln->lock. */
static int leo_nl_peer_change(struct genl_info *info,
			      int (*change)(struct leo_net *ln,
					    struct leo_peer *peer,
					    struct genl_info *info))
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct leo_peer *peer;
	struct leo_addr addr;
	int err;

	err = leo_nl_admin_addr(info, &addr);
	if (err)
		return err;

	mutex_lock(&ln->lock);
	/* peers exist only in an active namespace: no activation here */
	peer = leo_nl_find(ln, info, &addr);
	err = peer ? change(ln, peer, info) : -ENOENT;
	mutex_unlock(&ln->lock);
	return err;
}

int leo_nl_peer_set(struct sk_buff *skb, struct genl_info *info)
{
	if (!leo_peer_set_has_change(info->attrs)) {
		NL_SET_ERR_MSG(info->extack, "nothing to change");
		return -EINVAL;
	}
	return leo_nl_peer_change(info, leo_peer_apply);
}

int leo_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	return leo_nl_peer_change(info, leo_peer_drop);
}

int leo_nl_peer_get(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct leo_peer *peer;
	struct leo_addr addr;
	struct sk_buff *msg;
	int err;

	err = leo_get_addr(info, &addr);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&ln->lock);
	peer = leo_nl_find(ln, info, &addr);
	err = peer ? leo_peer_fill(msg, peer, info->snd_portid, info->snd_seq,
				   0, NULL) : -ENOENT;
	mutex_unlock(&ln->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Where a dump resumes: after the cursor, or at the start. */
static struct leo_peer *leo_dump_first(struct leo_net *ln,
				       struct leo_peer *cursor)
{
	if (cursor)
		return list_next_entry(cursor, list);
	return list_first_entry(&ln->peer_list, struct leo_peer, list);
}

static void leo_dump_move_cursor(struct netlink_callback *cb,
				 struct leo_peer *to)
{
	struct leo_peer *old = (struct leo_peer *)cb->args[LEO_DUMP_CURSOR];

	if (to)
		kref_get(&to->ref);
	cb->args[LEO_DUMP_CURSOR] = (long)to;
	if (old)
		leo_peer_put(old);
}

int leo_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct leo_net *ln = leo_net(sock_net(skb->sk));
	struct leo_peer *cursor, *peer, *last = NULL;
	bool full = false;

	mutex_lock(&ln->lock);
	cb->seq = ln->peer_gen;
	cursor = (struct leo_peer *)cb->args[LEO_DUMP_CURSOR];
	if (cb->args[LEO_DUMP_DONE] || (cursor && cursor->dead))
		goto done;

	peer = leo_dump_first(ln, cursor);
	list_for_each_entry_from(peer, &ln->peer_list, list) {
		if (leo_peer_fill(skb, peer, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb)) {
			full = true;
			break;
		}
		last = peer;
	}
	if (last)
		leo_dump_move_cursor(cb, last);
	if (full)
		goto out;
done:
	cb->args[LEO_DUMP_DONE] = 1;
	leo_dump_move_cursor(cb, NULL);
out:
	mutex_unlock(&ln->lock);
	return skb->len;
}

int leo_nl_peer_dump_done(struct netlink_callback *cb)
{
	struct leo_peer *cursor = (struct leo_peer *)cb->args[LEO_DUMP_CURSOR];

	if (cursor)
		leo_peer_put(cursor);
	cb->args[LEO_DUMP_CURSOR] = 0;
	return 0;
}

int leo_nl_peer_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct leo_net *ln = leo_net(genl_info_net(info));
	struct leo_measure_peer m = { .reason = leo_reason(info) };
	int err;

	err = leo_control_check(info);
	if (err)
		return err;
	mutex_lock(&ln->lock);
	err = leo_net_activate(ln);
	/* recorded first: removing cannot fail, a lost record can */
	if (!err)
		err = leo_measure_verdict(leo_measure_peer(ln->net,
							   LEO_MEASURE_PEER_FLUSH,
							   &m),
					  info->extack);
	if (!err)
		leo_peers_flush(ln);
	mutex_unlock(&ln->lock);
	return err;
}
