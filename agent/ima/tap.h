/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for the unit tests of agent/ima and agent/tpm.
 * Single-threaded: the counters are plain globals of each test program.
 */
#ifndef LEO_IMA_TAP_H
#define LEO_IMA_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failures;

static inline void tap_vresult(int pass, const char *file, int line,
			       const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static inline void tap_vresult(int pass, const char *file, int line,
			       const char *fmt, va_list ap)
{
	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_count);
	vprintf(fmt, ap);
	printf("\n");
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failures++;
	}
	fflush(stdout);
}

static inline int tap_result(int pass, const char *file, int line,
			     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline int tap_result(int pass, const char *file, int line,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

#define ok(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
}

/* Prints the plan; returns the exit status of the test program. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failures)
		printf("# %d of %d failed\n", tap_failures, tap_count);
	return tap_failures ? 1 : 0;
}

#endif /* LEO_IMA_TAP_H */
