// SPDX-License-Identifier: GPL-2.0
/*
 * leo_nl core: opening the family and one request/response exchange with
 * the kernel's extended ACK turned into an error message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "nl/nl_internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Shape of every attribute the kernel may send back. */
static struct nla_policy reply_policy[LEO_A_MAX + 1] = {
	[LEO_A_FAMILY]			= { .type = NLA_U16 },
	[LEO_A_ADDR]			= { .minlen = 4, .maxlen = 16 },
	[LEO_A_PREFIXLEN]		= { .type = NLA_U8 },
	[LEO_A_PEER_ID]			= { .minlen = LEO_PEER_ID_LEN,
					    .maxlen = LEO_PEER_ID_LEN },
	[LEO_A_EVIDENCE]		= { .minlen = LEO_DIGEST_LEN,
					    .maxlen = LEO_DIGEST_LEN },
	[LEO_A_VALIDITY_MS]		= { .type = NLA_U32 },
	[LEO_A_EXPIRES_MS]		= { .type = NLA_U64 },
	[LEO_A_STATE]			= { .type = NLA_U8 },
	[LEO_A_REASON]			= { .type = NLA_U8 },
	[LEO_A_RX_PACKETS]		= { .type = NLA_U64 },
	[LEO_A_RX_BYTES]		= { .type = NLA_U64 },
	[LEO_A_TX_PACKETS]		= { .type = NLA_U64 },
	[LEO_A_TX_BYTES]		= { .type = NLA_U64 },
	[LEO_A_MODE]			= { .type = NLA_U8 },
	[LEO_A_HS_PORT]			= { .type = NLA_U16 },
	[LEO_A_DEFAULT_VALIDITY_MS]	= { .type = NLA_U32 },
	[LEO_A_HS_RATE]			= { .type = NLA_U32 },
	[LEO_A_HS_BURST]		= { .type = NLA_U32 },
	[LEO_A_SEALED]			= { .type = NLA_U8 },
	[LEO_A_STATS]			= { .type = NLA_NESTED },
	[LEO_A_PEER_COUNT]		= { .type = NLA_U32 },
	[LEO_A_SUBNET_COUNT]		= { .type = NLA_U32 },
	[LEO_A_EVENT]			= { .type = NLA_U8 },
	[LEO_A_DROP_REASON]		= { .type = NLA_U8 },
	[LEO_A_DIRECTION]		= { .type = NLA_U8 },
	[LEO_A_EXE_DIGEST]		= { .minlen = LEO_DIGEST_LEN,
					    .maxlen = LEO_DIGEST_LEN },
	[LEO_A_IFINDEX]			= { .type = NLA_U32 },
	[LEO_A_IFNAME]			= { .type = NLA_STRING,
					    .maxlen = IF_NAMESIZE },
	[LEO_A_AGENT_MARK]		= { .type = NLA_U32 },
	[LEO_A_HS_TOTAL_RATE]		= { .type = NLA_U32 },
	[LEO_A_DEVICE_COUNT]		= { .type = NLA_U32 },
};

int leo_nl_parse(struct nlmsghdr *hdr, struct nlattr **tb)
{
	return genlmsg_parse(hdr, 0, tb, LEO_A_MAX, reply_policy);
}

static const char *const attr_names[] = {
	[LEO_A_FAMILY] = "family",	[LEO_A_ADDR] = "address",
	[LEO_A_PREFIXLEN] = "prefix length",
	[LEO_A_PEER_ID] = "peer id",	[LEO_A_EVIDENCE] = "evidence",
	[LEO_A_VALIDITY_MS] = "validity", [LEO_A_EXPIRES_MS] = "expiry",
	[LEO_A_STATE] = "state",	[LEO_A_REASON] = "reason",
	[LEO_A_MODE] = "mode",		[LEO_A_HS_PORT] = "hs-port",
	[LEO_A_DEFAULT_VALIDITY_MS] = "default validity",
	[LEO_A_HS_RATE] = "hs-rate",	[LEO_A_HS_BURST] = "hs-burst",
	[LEO_A_SEALED] = "sealed",	[LEO_A_STATS] = "stats",
	[LEO_A_EVENT] = "event",	[LEO_A_EXE_DIGEST] = "exe digest",
	[LEO_A_IFINDEX] = "device",	[LEO_A_IFNAME] = "device name",
	[LEO_A_AGENT_MARK] = "agent-mark",
	[LEO_A_HS_TOTAL_RATE] = "hs-total-rate",
	[LEO_A_DEVICE_COUNT] = "device count",
};

const char *leo_nl_attr_name(int type)
{
	if (type > 0 && type < (int)(sizeof(attr_names) / sizeof(attr_names[0])) &&
	    attr_names[type])
		return attr_names[type];
	return "unknown attribute";
}

int leo_nl_fail(struct leo_nl *nl, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->errmsg, sizeof(nl->errmsg), fmt, ap);
	va_end(ap);
	return -err;
}

const char *leo_nl_errmsg(const struct leo_nl *nl)
{
	return nl->errmsg;
}

/* libnl reports its own error codes; give callers an errno instead. */
static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:		return ENOMEM;
	case NLE_DUMP_INTR:	return EINTR;
	case NLE_PERM:		return EPERM;
	case NLE_AGAIN:		return EAGAIN;
	case NLE_INTR:		return EINTR;
	case NLE_OBJ_NOTFOUND:	return ENOENT;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSGTYPE_NOSUPPORT:
	case NLE_PARSE_ERR:	return EPROTO;
	default:		return EIO;
	}
}

static void enable_ext_ack(struct leo_nl *nl)
{
	int one = 1;
	int fd = nl_socket_get_fd(nl->sk);

	/* Best effort: without it errors still arrive, just unexplained. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* We know our own request; no need to have it echoed back. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

int leo_nl_open(struct leo_nl **out)
{
	struct leo_nl *nl = calloc(1, sizeof(*nl));
	int ret;

	*out = NULL;
	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ret = leo_nl_fail(nl, nlerr_to_errno(ret),
				  "cannot open a generic netlink socket: %s",
				  nl_geterror(ret));
		goto fail;
	}
	nl_socket_enable_msg_peek(nl->sk);
	enable_ext_ack(nl);
	nl->family_id = genl_ctrl_resolve(nl->sk, LEO_GENL_NAME);
	if (nl->family_id < 0) {
		ret = leo_nl_fail(nl, ENOENT,
				  "generic netlink family \"%s\" not found (is leo.ko loaded?)",
				  LEO_GENL_NAME);
		goto fail;
	}
	*out = nl;
	return 0;
fail:
	nl_socket_free(nl->sk);
	free(nl);
	return ret;
}

void leo_nl_close(struct leo_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

struct nl_msg *leo_nl_msg_new(struct leo_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family_id, 0,
			 flags, cmd, LEO_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* State of one exchange, shared by the libnl callbacks below. */
struct exchange {
	struct leo_nl *nl;
	struct nl_msg *request;
	leo_nl_reply_fn reply;
	void *arg;
	int err;		/* first error, negative errno */
	bool stopped;		/* the reply callback asked to stop */
	bool done;
	bool interrupted;	/* NLM_F_DUMP_INTR seen */
};

/* The name of the request attribute at byte @offs of our request. */
static const char *offending_attr(struct exchange *ex, uint32_t offs)
{
	struct nlmsghdr *hdr = nlmsg_hdr(ex->request);
	struct nlattr *nla;

	if (offs < NLMSG_HDRLEN + GENL_HDRLEN ||
	    offs + sizeof(*nla) > hdr->nlmsg_len)
		return NULL;
	nla = (struct nlattr *)((char *)hdr + offs);
	return leo_nl_attr_name(nla->nla_type & NLA_TYPE_MASK);
}

/* Turn the extended-ACK attributes after an error into a message. */
static void record_ext_ack(struct exchange *ex, struct nlattr *tlvs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *what = NULL;
	char *buf = ex->nl->errmsg;
	size_t size = sizeof(ex->nl->errmsg);
	int n = 0;

	buf[0] = '\0';
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, tlvs, len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		n = snprintf(buf, size, "%.*s", nla_len(tb[NLMSGERR_ATTR_MSG]),
			     (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		what = offending_attr(ex, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		snprintf(buf + n, size - n, "%smissing attribute: %s",
			 n ? "; " : "",
			 leo_nl_attr_name(nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE])));
	} else if (what) {
		snprintf(buf + n, size - n, "%sattribute: %s", n ? "; " : "",
			 what);
	}
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct exchange *ex = arg;
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	int off = sizeof(*e);

	ex->done = true;
	ex->err = e->error < 0 ? e->error : -EPROTO;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	ex->nl->errmsg[0] = '\0';
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS)
		record_ext_ack(ex, (struct nlattr *)((char *)e + off),
			       (int)hdr->nlmsg_len - NLMSG_HDRLEN - off);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	ex->done = true;
	return NL_STOP;
}

/* End of a dump; a failing dump carries its errno (and extack) here. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	int *error = nlmsg_data(hdr);

	ex->done = true;
	if (nlmsg_datalen(hdr) >= (int)sizeof(int) && *error < 0) {
		ex->err = *error;
		ex->nl->errmsg[0] = '\0';
		if (hdr->nlmsg_flags & NLM_F_ACK_TLVS)
			record_ext_ack(ex, (struct nlattr *)(error + 1),
				       nlmsg_datalen(hdr) - (int)sizeof(int));
	}
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	ex->interrupted = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;
	struct nlattr *tb[LEO_A_MAX + 1];
	int ret;

	if (!ex->reply || ex->stopped || ex->err)
		return NL_SKIP;
	ret = leo_nl_parse(nlmsg_hdr(msg), tb);
	if (ret < 0) {
		ex->err = leo_nl_fail(ex->nl, EPROTO,
				      "malformed reply from the kernel: %s",
				      nl_geterror(ret));
		return NL_SKIP;
	}
	ret = ex->reply(tb, ex->arg);
	if (ret < 0)
		ex->err = ret;
	else if (ret > 0)
		ex->stopped = true;
	return NL_SKIP;
}

static struct nl_cb *exchange_callbacks(struct exchange *ex)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, ex);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ex);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, ex);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, ex);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ex);
	return cb;
}

static int receive_replies(struct exchange *ex, struct nl_cb *cb)
{
	int ret;

	while (!ex->done) {
		ret = nl_recvmsgs(ex->nl->sk, cb);
		if (ret < 0 && !ex->done)
			return leo_nl_fail(ex->nl, nlerr_to_errno(ret),
					   "netlink receive failed: %s",
					   nl_geterror(ret));
	}
	if (ex->err)
		return ex->err;
	if (ex->interrupted)
		return leo_nl_fail(ex->nl, EINTR,
				   "the table changed during the dump");
	return 0;
}

int leo_nl_exchange(struct leo_nl *nl, struct nl_msg *msg,
		    leo_nl_reply_fn reply, void *arg)
{
	struct exchange ex = { .nl = nl, .request = msg, .reply = reply,
			       .arg = arg };
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nl_cb *cb;
	int ret;

	nl->errmsg[0] = '\0';
	if (!(hdr->nlmsg_flags & NLM_F_DUMP))
		hdr->nlmsg_flags |= NLM_F_ACK;
	cb = exchange_callbacks(&ex);
	if (!cb) {
		nlmsg_free(msg);
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	}
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0)
		ret = leo_nl_fail(nl, nlerr_to_errno(ret),
				  "netlink send failed: %s", nl_geterror(ret));
	else
		ret = receive_replies(&ex, cb);
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}

int leo_nl_simple(struct leo_nl *nl, struct nl_msg *msg)
{
	return leo_nl_exchange(nl, msg, NULL, NULL);
}
