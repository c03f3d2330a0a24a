// SPDX-License-Identifier: GPL-2.0
/* A minimal TAP producer: "ok N - name" lines and a trailing plan. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "leoctl/test/tap.h"

static int tests, failures;

static bool report(bool ok, const char *fmt, va_list ap)
{
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - ", ok ? "" : "not ", tests);
	vprintf(fmt, ap);
	printf("\n");
	return ok;
}

bool tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	return ok;
}

bool tap_streq(const char *got, const char *want, const char *name)
{
	bool ok = got && !strcmp(got, want);

	tap_ok(ok, "%s", name);
	if (!ok)
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		       want);
	return ok;
}

int tap_done(void)
{
	printf("1..%d\n", tests);
	if (failures)
		printf("# %d of %d failed\n", failures, tests);
	return failures ? 1 : 0;
}
