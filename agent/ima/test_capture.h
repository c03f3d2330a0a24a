/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a leoctl subcommand function in-process with its standard output
 * captured, for tests. Single-threaded (it redirects fd 1).
 */
#ifndef LEO_IMA_TEST_CAPTURE_H
#define LEO_IMA_TEST_CAPTURE_H

#include <stddef.h>

/* Returns @cmd's exit status (-1 if capturing failed); @out gets stdout. */
int run_captured(int (*cmd)(int argc, char **argv), int argc, char **argv,
		 char *out, size_t size);

#endif /* LEO_IMA_TEST_CAPTURE_H */
