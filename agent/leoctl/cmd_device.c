// SPDX-License-Identifier: GPL-2.0
/* leoctl device add|del|list */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"

/*
 * DEV is checked as a name first (bad usage, 2); whether this namespace
 * has such a device depends on the system, so a missing one is a runtime
 * error (1), reported like a kernel error.
 */
static int resolve_device(const char *what, const char *arg,
			  uint32_t *ifindex)
{
	char name[IF_NAMESIZE];
	struct parse_err err;
	unsigned int index;

	if (parse_ifname("device", arg, name, &err) < 0)
		return parse_error("device", &err);
	index = if_nametoindex(name);
	if (!index) {
		int e = errno ? errno : ENODEV;

		fprintf(stderr, "leoctl: %s: %s (device: '%s' is not a network device of this namespace)\n",
			what, strerror(e), name);
		return LEOCTL_EXIT_ERROR;
	}
	*ifindex = index;
	return 0;
}

static int device_change(int argc, char **argv, const char *what,
			 int (*op)(struct leo_nl *, uint32_t))
{
	struct leo_nl *nl;
	uint32_t ifindex;
	int ret;

	if (argc < 2)
		return usage_error("device", "%s: missing DEV", what);
	if (argc > 2)
		return usage_error("device", "%s: unexpected '%s'", what, argv[2]);
	ret = resolve_device(what, argv[1], &ifindex);
	if (ret)
		return ret;
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = op(nl, ifindex);
	ret = ret ? runtime_error(nl, ret, what) : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

/* The kernel holds at most LEO_MAX_DEVICES: no need to grow. */
struct device_list {
	struct leo_device items[LEO_MAX_DEVICES];
	size_t n;
	bool overflow;
};

static int collect_device(const struct leo_device *dev, void *arg)
{
	struct device_list *l = arg;

	if (l->n == LEO_MAX_DEVICES) {
		l->overflow = true;
		return 1;
	}
	l->items[l->n++] = *dev;
	return 0;
}

static int device_order(const void *a, const void *b)
{
	uint32_t x = ((const struct leo_device *)a)->ifindex;
	uint32_t y = ((const struct leo_device *)b)->ifindex;

	return (x > y) - (x < y);
}

static void print_device_list(struct device_list *l)
{
	json_object *arr;

	qsort(l->items, l->n, sizeof(l->items[0]), device_order);
	if (!leoctl_json) {
		print_devices(stdout, l->items, l->n);
		return;
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(arr, device_json(&l->items[i]));
	print_json(stdout, arr, 0);
}

static int device_list(int argc, char **argv)
{
	struct device_list l = { .n = 0 };
	struct leo_nl *nl;
	int ret;

	if (argc > 1)
		return usage_error("device", "device list: unexpected '%s'", argv[1]);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_device_dump(nl, collect_device, &l);
	if (!ret && l.overflow) {
		fprintf(stderr, "leoctl: device list: the kernel listed more than %d devices\n",
			LEO_MAX_DEVICES);
		ret = LEOCTL_EXIT_ERROR;
	} else if (ret) {
		ret = runtime_error(nl, ret, "device list");
	} else {
		print_device_list(&l);
	}
	leo_nl_close(nl);
	return ret;
}

int cmd_device(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("device", "device: missing subcommand (add, del or list)");
	if (!strcmp(argv[1], "add"))
		return device_change(argc - 1, argv + 1, "device add",
				     leo_nl_device_add);
	if (!strcmp(argv[1], "del"))
		return device_change(argc - 1, argv + 1, "device del",
				     leo_nl_device_del);
	if (!strcmp(argv[1], "list"))
		return device_list(argc - 1, argv + 1);
	return usage_error("device", "device: unknown subcommand '%s' (add, del or list)",
			   argv[1]);
}
