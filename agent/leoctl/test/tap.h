/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal TAP producer for leoctl's unit tests. */
#ifndef LEOCTL_TAP_H
#define LEOCTL_TAP_H

#include <stdbool.h>

/* Reports one test; returns @ok. */
bool tap_ok(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like tap_ok for string equality; shows both strings on failure. */
bool tap_streq(const char *got, const char *want, const char *name);
/* Prints the plan and returns the exit status (0 if all passed). */
int tap_done(void);

#endif /* LEOCTL_TAP_H */
