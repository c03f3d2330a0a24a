// SPDX-License-Identifier: GPL-2.0
/* leoctl stats */
#include <stdio.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"

int cmd_stats(int argc, char **argv)
{
	struct leo_stats stats;
	struct leo_nl *nl;
	int ret;

	if (argc > 1)
		return usage_error("stats", "stats: unexpected '%s'", argv[1]);
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_stats_get(nl, &stats);
	if (ret)
		ret = runtime_error(nl, ret, "stats");
	else if (leoctl_json)
		print_json(stdout, stats_json(&stats), 0);
	else
		print_stats(stdout, &stats);
	leo_nl_close(nl);
	return ret;
}
