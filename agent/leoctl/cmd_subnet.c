// SPDX-License-Identifier: GPL-2.0
/* leoctl subnet add|del|list */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"
#include "leoctl/units.h"

static int subnet_change(int argc, char **argv, const char *what,
			 int (*op)(struct leo_nl *, const struct leo_prefix *))
{
	struct leo_prefix prefix;
	struct parse_err err;
	struct leo_nl *nl;
	int ret;

	if (argc < 2)
		return usage_error("subnet", "%s: missing PREFIX", what);
	if (argc > 2)
		return usage_error("subnet", "%s: unexpected '%s'", what, argv[2]);
	if (parse_prefix("prefix", argv[1], &prefix, &err) < 0)
		return parse_error("subnet", &err);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = op(nl, &prefix);
	ret = ret ? runtime_error(nl, ret, what) : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

struct subnet_list {
	struct leo_prefix *items;
	size_t n, cap;
	bool oom;
};

static int collect_subnet(const struct leo_prefix *subnet, void *arg)
{
	struct subnet_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct leo_prefix *p = realloc(l->items, cap * sizeof(*p));

		if (!p) {
			l->oom = true;
			return 1;
		}
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = *subnet;
	return 0;
}

static int subnet_order(const void *a, const void *b)
{
	return compare_prefix(a, b);
}

static void print_subnet_list(struct subnet_list *l)
{
	json_object *arr;

	if (l->n)
		qsort(l->items, l->n, sizeof(*l->items), subnet_order);

	if (!leoctl_json) {
		print_subnets(stdout, l->items, l->n);
		return;
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(arr, subnet_json(&l->items[i]));
	print_json(stdout, arr, 0);
}

static int subnet_list(int argc, char **argv)
{
	struct subnet_list l = { 0 };
	struct leo_nl *nl;
	int ret;

	if (argc > 1)
		return usage_error("subnet", "subnet list: unexpected '%s'", argv[1]);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_subnet_dump(nl, collect_subnet, &l);
	if (!ret && l.oom)
		ret = -ENOMEM;
	if (ret)
		ret = runtime_error(nl, ret, "subnet list");
	else
		print_subnet_list(&l);
	free(l.items);
	leo_nl_close(nl);
	return ret;
}

int cmd_subnet(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("subnet", "subnet: missing subcommand (add, del or list)");
	if (!strcmp(argv[1], "add"))
		return subnet_change(argc - 1, argv + 1, "subnet add",
				     leo_nl_subnet_add);
	if (!strcmp(argv[1], "del"))
		return subnet_change(argc - 1, argv + 1, "subnet del",
				     leo_nl_subnet_del);
	if (!strcmp(argv[1], "list"))
		return subnet_list(argc - 1, argv + 1);
	return usage_error("subnet", "subnet: unknown subcommand '%s' (add, del or list)",
			   argv[1]);
}
