// SPDX-License-Identifier: GPL-2.0
/* leo_nl: peer commands (add, set, del, get, dump, flush). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/nl_internal.h"

static int put_peer_req(struct nl_msg *msg, const struct leo_peer_req *req)
{
	int ret = leo_nl_put_addr(msg, &req->addr);

	if (ret < 0)
		return ret;
	if ((req->fields & LEO_PEER_F_ID) &&
	    nla_put(msg, LEO_A_PEER_ID, LEO_PEER_ID_LEN, req->id) < 0)
		return -EMSGSIZE;
	if ((req->fields & LEO_PEER_F_EVIDENCE) &&
	    nla_put(msg, LEO_A_EVIDENCE, LEO_DIGEST_LEN, req->evidence) < 0)
		return -EMSGSIZE;
	if ((req->fields & LEO_PEER_F_VALIDITY) &&
	    nla_put_u32(msg, LEO_A_VALIDITY_MS, req->validity_ms) < 0)
		return -EMSGSIZE;
	if ((req->fields & LEO_PEER_F_STATE) &&
	    nla_put_u8(msg, LEO_A_STATE, req->state) < 0)
		return -EMSGSIZE;
	if ((req->fields & LEO_PEER_F_REASON) &&
	    nla_put_u8(msg, LEO_A_REASON, req->reason) < 0)
		return -EMSGSIZE;
	return 0;
}

/* Build a request of @cmd for @req and run it; no reply data. */
static int peer_request(struct leo_nl *nl, uint8_t cmd,
			const struct leo_peer_req *req)
{
	struct nl_msg *msg = leo_nl_msg_new(nl, cmd, 0);
	int ret;

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	ret = put_peer_req(msg, req);
	if (ret < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, -ret, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}

int leo_nl_peer_add(struct leo_nl *nl, const struct leo_peer_req *req)
{
	if (!(req->fields & LEO_PEER_F_ID))
		return leo_nl_fail(nl, EINVAL, "a new peer needs an id");
	return peer_request(nl, LEO_CMD_PEER_ADD, req);
}

int leo_nl_peer_set(struct leo_nl *nl, const struct leo_peer_req *req)
{
	return peer_request(nl, LEO_CMD_PEER_SET, req);
}

int leo_nl_peer_del(struct leo_nl *nl, const struct leo_addr *addr,
		    int reason)
{
	struct leo_peer_req req = { .addr = *addr };

	if (reason >= 0) {
		req.fields |= LEO_PEER_F_REASON;
		req.reason = reason;
	}
	return peer_request(nl, LEO_CMD_PEER_DEL, &req);
}

int leo_nl_peer_flush(struct leo_nl *nl, int reason)
{
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_PEER_FLUSH, 0);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (reason >= 0 && nla_put_u8(msg, LEO_A_REASON, reason) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EMSGSIZE, "cannot build the request");
	}
	return leo_nl_simple(nl, msg);
}

static uint64_t get_u64_or_0(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

static int parse_peer(struct nlattr **tb, struct leo_peer *peer)
{
	memset(peer, 0, sizeof(*peer));
	if (leo_nl_get_addr(tb, &peer->addr) < 0 || !tb[LEO_A_PEER_ID] ||
	    !tb[LEO_A_STATE])
		return -EPROTO;
	memcpy(peer->id, nla_data(tb[LEO_A_PEER_ID]), LEO_PEER_ID_LEN);
	peer->state = nla_get_u8(tb[LEO_A_STATE]);
	if (tb[LEO_A_EVIDENCE]) {
		peer->has_evidence = true;
		memcpy(peer->evidence, nla_data(tb[LEO_A_EVIDENCE]),
		       LEO_DIGEST_LEN);
	}
	peer->expires_ms = get_u64_or_0(tb[LEO_A_EXPIRES_MS]);
	peer->rx_packets = get_u64_or_0(tb[LEO_A_RX_PACKETS]);
	peer->rx_bytes = get_u64_or_0(tb[LEO_A_RX_BYTES]);
	peer->tx_packets = get_u64_or_0(tb[LEO_A_TX_PACKETS]);
	peer->tx_bytes = get_u64_or_0(tb[LEO_A_TX_BYTES]);
	return 0;
}

struct peer_walk {
	struct leo_nl *nl;
	leo_peer_cb cb;
	void *arg;
};

static int on_peer(struct nlattr **tb, void *arg)
{
	struct peer_walk *walk = arg;
	struct leo_peer peer;

	if (parse_peer(tb, &peer) < 0)
		return leo_nl_fail(walk->nl, EPROTO,
				   "the kernel sent an incomplete peer");
	return walk->cb(&peer, walk->arg) ? 1 : 0;
}

static int copy_peer(const struct leo_peer *peer, void *arg)
{
	struct leo_peer *out = arg;

	*out = *peer;
	return 1;
}

int leo_nl_peer_get(struct leo_nl *nl, const struct leo_addr *addr,
		    struct leo_peer *out)
{
	struct peer_walk walk = { .nl = nl, .cb = copy_peer, .arg = out };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_PEER_GET, 0);
	int ret;

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	if (leo_nl_put_addr(msg, addr) < 0) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, EINVAL, "bad address family");
	}
	memset(out, 0, sizeof(*out));
	out->addr.family = AF_UNSPEC;
	ret = leo_nl_exchange(nl, msg, on_peer, &walk);
	if (!ret && out->addr.family == AF_UNSPEC)
		ret = leo_nl_fail(nl, EPROTO, "the kernel sent no peer");
	return ret;
}

int leo_nl_peer_dump(struct leo_nl *nl, leo_peer_cb cb, void *arg)
{
	struct peer_walk walk = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_msg *msg = leo_nl_msg_new(nl, LEO_CMD_PEER_GET, NLM_F_DUMP);

	if (!msg)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	return leo_nl_exchange(nl, msg, on_peer, &walk);
}
