// SPDX-License-Identifier: GPL-2.0
/* leo_nl: the "events" multicast group. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include <netlink/genl/ctrl.h>

#include "nl/nl_internal.h"

/* Room for bursts of drop events before the kernel has to discard. */
#define EVENT_RCVBUF (1 << 20)

int leo_nl_event_subscribe(struct leo_nl *nl)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, LEO_GENL_NAME,
					LEO_MCGRP_EVENTS);
	int ret;

	if (grp < 0)
		return leo_nl_fail(nl, ENOENT,
				   "multicast group \"%s\" not found: %s",
				   LEO_MCGRP_EVENTS, nl_geterror(grp));
	nl_socket_set_buffer_size(nl->sk, EVENT_RCVBUF, 0);
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0)
		return leo_nl_fail(nl, EPERM, "cannot join group \"%s\": %s",
				   LEO_MCGRP_EVENTS, nl_geterror(ret));
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0)
		return leo_nl_fail(nl, EIO, "cannot make the socket non-blocking");
	return 0;
}

int leo_nl_event_fd(const struct leo_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

struct event_read {
	struct leo_nl *nl;
	leo_event_cb cb;
	void *arg;
	int delivered;
	int err;
	bool stop;
};

static int parse_event(struct nlattr **tb, struct leo_nl_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (!tb[LEO_A_EVENT])
		return -EPROTO;
	ev->type = nla_get_u8(tb[LEO_A_EVENT]);
	if (tb[LEO_A_FAMILY]) {
		if (leo_nl_get_addr(tb, &ev->addr) < 0)
			return -EPROTO;
		ev->has_addr = true;
	}
	/* A config change carries every setting; part of one is malformed. */
	if (tb[LEO_A_MODE]) {
		if (leo_nl_get_config(tb, &ev->config) < 0)
			return -EPROTO;
		ev->has_config = true;
	}
	if (tb[LEO_A_DROP_REASON] && tb[LEO_A_DIRECTION]) {
		ev->has_drop = true;
		ev->drop_reason = nla_get_u8(tb[LEO_A_DROP_REASON]);
		ev->direction = nla_get_u8(tb[LEO_A_DIRECTION]);
	}
	return 0;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_read *r = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(hdr);
	struct nlattr *tb[LEO_A_MAX + 1];
	struct leo_nl_event ev;

	if (r->stop || ghdr->cmd != LEO_CMD_EVENT)
		return NL_SKIP;
	if (leo_nl_parse(hdr, tb) < 0 || parse_event(tb, &ev) < 0) {
		r->err = leo_nl_fail(r->nl, EPROTO,
				     "malformed event from the kernel");
		return NL_SKIP;
	}
	r->delivered++;
	if (r->cb(&ev, r->arg))
		r->stop = true;
	return NL_SKIP;
}

/* Events are unsolicited: they carry no sequence number of ours. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

static bool readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}

int leo_nl_event_read(struct leo_nl *nl, leo_event_cb cb, void *arg)
{
	struct event_read r = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *ncb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = 0;

	if (!ncb)
		return leo_nl_fail(nl, ENOMEM, "out of memory");
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &r);
	while (!r.stop && !r.err && readable(leo_nl_event_fd(nl))) {
		ret = nl_recvmsgs(nl->sk, ncb);
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped events for us. */
			ret = leo_nl_fail(nl, ENOBUFS,
					  "events were lost: the receive buffer overflowed");
			break;
		}
		if (ret < 0 && ret != -NLE_AGAIN) {
			ret = leo_nl_fail(nl, EIO, "netlink receive failed: %s",
					  nl_geterror(ret));
			break;
		}
		ret = 0;
	}
	nl_cb_put(ncb);
	if (r.err)
		return r.err;
	return ret < 0 ? ret : r.delivered;
}
