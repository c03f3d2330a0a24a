// SPDX-License-Identifier: GPL-2.0
/* leoctl peer add|set|del|list|show|flush */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"
#include "leoctl/units.h"

/* Retries of a dump that the kernel flagged as inconsistent. */
#define DUMP_TRIES 3

struct peer_opts {
	const char *cmd;
	struct leo_peer_req *req;
};

enum { OPT_VALIDITY, OPT_STATE, OPT_EVIDENCE, OPT_REASON };
static const char *const add_keywords[] = { "validity", "state",
					    "evidence", NULL };
static const char *const set_keywords[] = { "validity", "state",
					    "evidence", "reason", NULL };
static const char *const reason_keyword[] = { "reason", NULL };

static int peer_option(int index, const char *value, void *arg)
{
	struct peer_opts *o = arg;
	struct leo_peer_req *req = o->req;
	struct parse_err err;
	int ret = -1;

	/* set_keywords extends add_keywords: the indexes agree. */
	switch (index) {
	case OPT_VALIDITY:
		ret = parse_duration("validity", value, &req->validity_ms, &err);
		req->fields |= LEO_PEER_F_VALIDITY;
		break;
	case OPT_STATE:
		ret = parse_state("state", value, &req->state, &err);
		req->fields |= LEO_PEER_F_STATE;
		break;
	case OPT_EVIDENCE:
		ret = parse_hex32("evidence", value, req->evidence, &err);
		req->fields |= LEO_PEER_F_EVIDENCE;
		break;
	case OPT_REASON:
		ret = parse_reason("reason", value, &req->reason, &err);
		req->fields |= LEO_PEER_F_REASON;
		break;
	}
	return ret < 0 ? parse_error(o->cmd, &err) : 0;
}

/* Runs one change request; the handle is opened only for valid input. */
static int send_change(const char *what,
		       int (*op)(struct leo_nl *, const struct leo_peer_req *),
		       const struct leo_peer_req *req)
{
	struct leo_nl *nl;
	int ret = open_leo(&nl);

	if (ret)
		return ret;
	ret = op(nl, req);
	ret = ret ? runtime_error(nl, ret, what) : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

static int need_addr(const char *cmd, int argc, char **argv,
		     struct leo_addr *addr)
{
	struct parse_err err;

	if (argc < 2)
		return usage_error("peer", "%s: missing ADDR", cmd);
	if (parse_addr("address", argv[1], addr, &err) < 0)
		return parse_error("peer", &err);
	return 0;
}

static int peer_add(int argc, char **argv)
{
	struct leo_peer_req req = { .fields = LEO_PEER_F_ID };
	struct peer_opts o = { .cmd = "peer add", .req = &req };
	struct parse_err err;
	int ret = need_addr(o.cmd, argc, argv, &req.addr);

	if (ret)
		return ret;
	if (argc < 3)
		return usage_error("peer", "peer add: missing ID (64 hex digits)");
	if (parse_hex32("id", argv[2], req.id, &err) < 0)
		return parse_error("peer", &err);
	ret = parse_options(o.cmd, argc - 3, argv + 3, add_keywords,
			    peer_option, &o);
	if (ret)
		return ret;
	return send_change(o.cmd, leo_nl_peer_add, &req);
}

static int peer_set(int argc, char **argv)
{
	struct leo_peer_req req = { 0 };
	struct peer_opts o = { .cmd = "peer set", .req = &req };
	int ret = need_addr(o.cmd, argc, argv, &req.addr);

	if (ret)
		return ret;
	ret = parse_options(o.cmd, argc - 2, argv + 2, set_keywords,
			    peer_option, &o);
	if (ret)
		return ret;
	if (!(req.fields & ~LEO_PEER_F_REASON))
		return usage_error("peer", "peer set: nothing to change (give state, validity or evidence)");
	return send_change(o.cmd, leo_nl_peer_set, &req);
}

/* The only keyword of del and flush is "reason". */
static int reason_option(int index, const char *value, void *arg)
{
	return peer_option(OPT_REASON, value, arg);
}

static int parse_reason_only(const char *cmd, int argc, char **argv,
			     int *reason)
{
	struct leo_peer_req req = { 0 };
	struct peer_opts o = { .cmd = cmd, .req = &req };
	int ret = parse_options(cmd, argc, argv, reason_keyword,
				reason_option, &o);

	*reason = (req.fields & LEO_PEER_F_REASON) ? req.reason : -1;
	return ret;
}

static int peer_del(int argc, char **argv)
{
	struct leo_nl *nl;
	struct leo_addr addr;
	int reason;
	int ret = need_addr("peer del", argc, argv, &addr);

	if (ret)
		return ret;
	ret = parse_reason_only("peer del", argc - 2, argv + 2, &reason);
	if (ret)
		return ret;
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_peer_del(nl, &addr, reason);
	ret = ret ? runtime_error(nl, ret, "peer del") : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

static int peer_flush(int argc, char **argv)
{
	struct leo_nl *nl;
	int reason;
	int ret = parse_reason_only("peer flush", argc - 1, argv + 1, &reason);

	if (ret)
		return ret;
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_peer_flush(nl, reason);
	ret = ret ? runtime_error(nl, ret, "peer flush") : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

static int peer_show(int argc, char **argv)
{
	struct leo_nl *nl;
	struct leo_addr addr;
	struct leo_peer peer;
	int ret = need_addr("peer show", argc, argv, &addr);

	if (ret)
		return ret;
	if (argc > 2)
		return usage_error("peer", "peer show: unexpected '%s'", argv[2]);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_peer_get(nl, &addr, &peer);
	if (ret) {
		ret = runtime_error(nl, ret, "peer show");
	} else if (leoctl_json) {
		print_json(stdout, peer_json(&peer), 0);
	} else {
		print_peer(stdout, &peer);
	}
	leo_nl_close(nl);
	return ret;
}

/* A growing array of peers filled by the dump callback. */
struct peer_list {
	struct leo_peer *peers;
	size_t n, cap;
	bool oom;
};

static int collect_peer(const struct leo_peer *peer, void *arg)
{
	struct peer_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct leo_peer *p = realloc(l->peers, cap * sizeof(*p));

		if (!p) {
			l->oom = true;
			return 1;
		}
		l->peers = p;
		l->cap = cap;
	}
	l->peers[l->n++] = *peer;
	return 0;
}

static int dump_peers(struct leo_nl *nl, struct peer_list *l)
{
	int ret = -EINTR;

	for (int i = 0; i < DUMP_TRIES && ret == -EINTR; i++) {
		l->n = 0;
		ret = leo_nl_peer_dump(nl, collect_peer, l);
	}
	if (!ret && l->oom)
		ret = -ENOMEM;
	return ret;
}

static int peer_order(const void *a, const void *b)
{
	return compare_addr(&((const struct leo_peer *)a)->addr,
			    &((const struct leo_peer *)b)->addr);
}

/* Sorted by address: the kernel's order is its hash table's. */
static void print_peers(struct peer_list *l)
{
	json_object *arr;

	if (l->n)
		qsort(l->peers, l->n, sizeof(*l->peers), peer_order);

	if (!leoctl_json) {
		print_peer_table(stdout, l->peers, l->n);
		return;
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(arr, peer_json(&l->peers[i]));
	print_json(stdout, arr, 0);
}

static int peer_list(int argc, char **argv)
{
	struct peer_list l = { 0 };
	struct leo_nl *nl;
	int ret;

	if (argc > 1)
		return usage_error("peer", "peer list: unexpected '%s'", argv[1]);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = dump_peers(nl, &l);
	if (ret)
		ret = runtime_error(nl, ret, "peer list");
	else
		print_peers(&l);
	free(l.peers);
	leo_nl_close(nl);
	return ret;
}

int cmd_peer(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "add", peer_add }, { "set", peer_set }, { "del", peer_del },
		{ "list", peer_list }, { "show", peer_show },
		{ "flush", peer_flush },
	};

	if (argc < 2)
		return usage_error("peer", "peer: missing subcommand (add, set, del, list, show or flush)");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return usage_error("peer", "peer: unknown subcommand '%s' (add, set, del, list, show or flush)",
			   argv[1]);
}
