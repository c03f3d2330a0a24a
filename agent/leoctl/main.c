// SPDX-License-Identifier: GPL-2.0
/*
 * leoctl: command-line control of leo.ko. This file only dispatches:
 * global options, --help, and the table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "leoctl/commands.h"
#include "leoctl/help.h"

bool leoctl_json;

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
	bool foreign;		/* parses its own options, incl. --help */
};

static const struct command commands[] = {
	{ "peer", cmd_peer, HELP_PEER, false },
	{ "subnet", cmd_subnet, HELP_SUBNET, false },
	{ "device", cmd_device, HELP_DEVICE, false },
	{ "mode", cmd_mode, HELP_MODE, false },
	{ "config", cmd_config, HELP_CONFIG, false },
	{ "stats", cmd_stats, HELP_STATS, false },
	{ "events", cmd_events, HELP_EVENTS, false },
	{ "seal", cmd_seal, HELP_SEAL, false },
	{ "measurements", cmd_measurements, NULL, true },
	{ "attest", cmd_attest, NULL, true },
};

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "help");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * Built-in commands take --json anywhere and --help anywhere; remove the
 * former and answer the latter here. Returns -1 to go on, else a status.
 */
static int global_options(const struct command *cmd, int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			leoctl_json = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(cmd->help, stdout);
			return LEOCTL_EXIT_OK;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return -1;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int first = 1, ret;

	while (first < argc && !strcmp(argv[first], "--json")) {
		leoctl_json = true;
		first++;
	}
	if (first >= argc) {
		fputs(HELP_MAIN, stderr);
		return LEOCTL_EXIT_USAGE;
	}
	if (is_help(argv[first])) {
		fputs(HELP_MAIN, stdout);
		return LEOCTL_EXIT_OK;
	}
	cmd = find_command(argv[first]);
	if (!cmd) {
		fprintf(stderr, "leoctl: unknown command '%s'\nTry 'leoctl --help'.\n",
			argv[first]);
		return LEOCTL_EXIT_USAGE;
	}
	argc -= first;
	argv += first;
	if (!cmd->foreign) {
		ret = global_options(cmd, &argc, argv);
		if (ret >= 0)
			return ret;
	}
	return cmd->run(argc, argv);
}
