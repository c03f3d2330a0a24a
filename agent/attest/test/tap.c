// SPDX-License-Identifier: GPL-2.0
/* Minimal TAP output; see tap.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "attest/test/tap.h"

static int tap_count, tap_failed;

void tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

void tap_bail(const char *why)
{
	printf("Bail out! %s\n", why);
	exit(1);
}
