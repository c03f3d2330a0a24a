// SPDX-License-Identifier: GPL-2.0
/* Error reporting and option lists shared by leoctl's subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "leoctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'leoctl %s --help'.\n", cmd);
	return LEOCTL_EXIT_USAGE;
}

int parse_error(const char *cmd, const struct parse_err *err)
{
	return usage_error(cmd, "%s", err->msg);
}

int runtime_error(struct leo_nl *nl, int err, const char *what)
{
	const char *detail = nl ? leo_nl_errmsg(nl) : "";

	if (*detail)
		fprintf(stderr, "leoctl: %s: %s (%s)\n", what, strerror(-err),
			detail);
	else
		fprintf(stderr, "leoctl: %s: %s\n", what, strerror(-err));
	return LEOCTL_EXIT_ERROR;
}

int open_leo(struct leo_nl **nl)
{
	int err = leo_nl_open(nl);

	if (!err)
		return 0;
	/* No handle survives a failed open; the reason is generic. */
	if (err == -ENOENT)
		fprintf(stderr, "leoctl: the leo netlink family is not available (is leo.ko loaded?)\n");
	else
		fprintf(stderr, "leoctl: cannot talk to leo.ko: %s\n",
			strerror(-err));
	return LEOCTL_EXIT_ERROR;
}

static int keyword_index(const char *const *keywords, const char *word)
{
	for (int i = 0; keywords[i]; i++)
		if (!strcmp(keywords[i], word))
			return i;
	return -1;
}

void keyword_list(char *buf, size_t size, const char *const *kw)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; kw[i] && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i ? (kw[i + 1] ? ", " : " or ") : "",
			      kw[i]);
}

int parse_options(const char *cmd, int argc, char **argv,
		  const char *const *keywords, option_fn handle, void *arg)
{
	unsigned long seen = 0;
	char words[256];

	for (int i = 0; i < argc; i += 2) {
		int k = keyword_index(keywords, argv[i]);
		int ret;

		if (k < 0) {
			keyword_list(words, sizeof(words), keywords);
			return usage_error(cmd, "%s: unknown option '%s' (expected %s)",
					   cmd, argv[i], words);
		}
		if (seen & (1UL << k))
			return usage_error(cmd, "%s: option '%s' given twice",
					   cmd, argv[i]);
		if (i + 1 >= argc)
			return usage_error(cmd, "%s: option '%s' needs a value",
					   cmd, argv[i]);
		seen |= 1UL << k;
		ret = handle(k, argv[i + 1], arg);
		if (ret)
			return ret;
	}
	return 0;
}
