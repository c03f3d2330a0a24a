// SPDX-License-Identifier: GPL-2.0
/* Captured runs of leoctl subcommands (test_capture.h); single-threaded. */
#include "ima/test_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int run_captured(int (*cmd)(int argc, char **argv), int argc, char **argv,
		 char *out, size_t size)
{
	char name[] = "/tmp/leo-capture-XXXXXX";
	int fd = mkstemp(name), saved, rc;
	ssize_t got;

	if (fd < 0)
		return -1;
	unlink(name);
	fflush(stdout);
	saved = dup(1);
	if (saved < 0 || dup2(fd, 1) < 0) {
		close(fd);
		return -1;
	}
	rc = cmd(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	got = pread(fd, out, size - 1, 0);
	out[got > 0 ? got : 0] = '\0';
	close(fd);
	return rc;
}
