// SPDX-License-Identifier: GPL-2.0
/* Placeholder for "leoctl attest"; the owning component replaces this file. */
#include <stdio.h>

#include "leoctl/commands.h"

int cmd_attest(int argc, char **argv)
{
	fprintf(stderr, "leoctl: attest: not built yet\n");
	return LEOCTL_EXIT_USAGE;
}
