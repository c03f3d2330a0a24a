/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by leoctl's subcommands: error reporting with the right
 * exit status, the netlink handle, and KEYWORD VALUE option lists.
 */
#ifndef LEOCTL_CLI_H
#define LEOCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "leoctl/parse.h"
#include "nl/leo_nl.h"

/* Prints "leoctl: MSG" and a pointer to the help; returns exit status 2. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports a parse failure; returns exit status 2. */
int parse_error(const char *cmd, const struct parse_err *err);
/*
 * Reports a failed kernel request: "leoctl: WHAT: strerror (extack)";
 * returns exit status 1. @err is a negative errno.
 */
int runtime_error(struct leo_nl *nl, int err, const char *what);

/* Opens the leo family; prints the reason and returns 1 on failure. */
int open_leo(struct leo_nl **nl);

/*
 * A KEYWORD VALUE option list such as "validity 30s state attested".
 * @handle is called with each keyword's index in @keywords and its value;
 * it returns 0 or an exit status. Unknown, repeated or valueless keywords
 * are usage errors.
 */
/* "a, b or c": the keywords of @keywords, for messages. */
void keyword_list(char *buf, size_t size, const char *const *keywords);

typedef int (*option_fn)(int index, const char *value, void *arg);
int parse_options(const char *cmd, int argc, char **argv,
		  const char *const *keywords, option_fn handle, void *arg);

#endif /* LEOCTL_CLI_H */
