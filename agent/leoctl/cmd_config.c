// SPDX-License-Identifier: GPL-2.0
/* leoctl mode enforce|monitor, leoctl config [show] | config set ... */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"

static int apply_config(const char *what, const struct leo_config *cfg)
{
	struct leo_nl *nl;
	int ret = open_leo(&nl);

	if (ret)
		return ret;
	ret = leo_nl_config_set(nl, cfg);
	ret = ret ? runtime_error(nl, ret, what) : LEOCTL_EXIT_OK;
	leo_nl_close(nl);
	return ret;
}

int cmd_mode(int argc, char **argv)
{
	struct leo_config cfg = { .fields = LEO_CONFIG_F_MODE };
	struct parse_err err;

	if (argc < 2)
		return usage_error("mode", "mode: missing enforce or monitor");
	if (argc > 2)
		return usage_error("mode", "mode: unexpected '%s'", argv[2]);
	if (parse_mode("mode", argv[1], &cfg.mode, &err) < 0)
		return parse_error("mode", &err);
	return apply_config("mode", &cfg);
}

enum { OPT_HS_PORT, OPT_VALIDITY, OPT_HS_RATE, OPT_HS_BURST,
       OPT_HS_TOTAL_RATE, OPT_AGENT_MARK };
static const char *const set_keywords[] = { "hs-port", "validity", "hs-rate",
					    "hs-burst", "hs-total-rate",
					    "agent-mark", NULL };

/* Upper bound of the hs-* limits, as documented in the uapi. */
#define HS_LIMIT_MAX 1000000

static int config_option(int index, const char *value, void *arg)
{
	struct leo_config *cfg = arg;
	struct parse_err err;
	uint32_t port;
	int ret = -1;

	switch (index) {
	case OPT_HS_PORT:
		ret = parse_u32("hs-port", value, 0, 65535, &port, &err);
		cfg->hs_port = port;
		cfg->fields |= LEO_CONFIG_F_HS_PORT;
		break;
	case OPT_VALIDITY:
		ret = parse_duration("validity", value,
				     &cfg->default_validity_ms, &err);
		cfg->fields |= LEO_CONFIG_F_VALIDITY;
		break;
	case OPT_HS_RATE:
		ret = parse_u32("hs-rate", value, 1, HS_LIMIT_MAX,
				&cfg->hs_rate, &err);
		cfg->fields |= LEO_CONFIG_F_HS_RATE;
		break;
	case OPT_HS_BURST:
		ret = parse_u32("hs-burst", value, 1, HS_LIMIT_MAX,
				&cfg->hs_burst, &err);
		cfg->fields |= LEO_CONFIG_F_HS_BURST;
		break;
	case OPT_HS_TOTAL_RATE:
		ret = parse_u32("hs-total-rate", value, 1, HS_LIMIT_MAX,
				&cfg->hs_total_rate, &err);
		cfg->fields |= LEO_CONFIG_F_HS_TOTAL_RATE;
		break;
	case OPT_AGENT_MARK:
		ret = parse_number("agent-mark", value, 0, UINT32_MAX,
				   &cfg->agent_mark, &err);
		cfg->fields |= LEO_CONFIG_F_AGENT_MARK;
		break;
	}
	return ret < 0 ? parse_error("config", &err) : 0;
}

static int config_set(int argc, char **argv)
{
	struct leo_config cfg = { 0 };
	int ret = parse_options("config set", argc - 1, argv + 1, set_keywords,
				config_option, &cfg);

	if (ret)
		return ret;
	if (!cfg.fields) {
		char words[256];

		keyword_list(words, sizeof(words), set_keywords);
		return usage_error("config", "config set: nothing to change (give %s)",
				   words);
	}
	return apply_config("config set", &cfg);
}

static int config_show(void)
{
	struct leo_config cfg;
	struct leo_nl *nl;
	int ret = open_leo(&nl);

	if (ret)
		return ret;
	ret = leo_nl_config_get(nl, &cfg);
	if (ret)
		ret = runtime_error(nl, ret, "config");
	else if (leoctl_json)
		print_json(stdout, config_json(&cfg), 0);
	else
		print_config(stdout, &cfg);
	leo_nl_close(nl);
	return ret;
}

int cmd_config(int argc, char **argv)
{
	if (argc < 2 || (!strcmp(argv[1], "show") && argc == 2))
		return config_show();
	if (!strcmp(argv[1], "set"))
		return config_set(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return usage_error("config", "config show: unexpected '%s'", argv[2]);
	return usage_error("config", "config: unknown subcommand '%s' (show or set)",
			   argv[1]);
}
