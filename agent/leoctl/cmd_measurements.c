// SPDX-License-Identifier: GPL-2.0
/* Placeholder for "leoctl measurements"; the owning component replaces this file. */
#include <stdio.h>

#include "leoctl/commands.h"

int cmd_measurements(int argc, char **argv)
{
	fprintf(stderr, "leoctl: measurements: not built yet\n");
	return LEOCTL_EXIT_USAGE;
}
