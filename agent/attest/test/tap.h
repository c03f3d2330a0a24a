/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for the attestation tests. Single-threaded. */
#ifndef ATTEST_TEST_TAP_H
#define ATTEST_TEST_TAP_H

#include <stdbool.h>

void tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tap_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* prints the plan; returns the exit status (0 if every test passed) */
int tap_done(void);
/* stop now: a precondition failed */
void tap_bail(const char *why) __attribute__((noreturn));

#endif /* ATTEST_TEST_TAP_H */
