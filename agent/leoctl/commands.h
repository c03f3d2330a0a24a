/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subcommands of leoctl. Each takes argv[0] = the subcommand name
 * ("peer", "subnet", ...) followed by its own arguments, exactly as the
 * user typed them, and returns the process exit status:
 *   0 success, 1 kernel or runtime error, 2 bad usage.
 *
 * A --json given before the subcommand name is removed from argv and
 * reported through leoctl_json; a --json after it stays in argv for the
 * subcommand to handle (the built-in ones accept it anywhere).
 */
#ifndef LEOCTL_COMMANDS_H
#define LEOCTL_COMMANDS_H

#include <stdbool.h>

#define LEOCTL_EXIT_OK		0
#define LEOCTL_EXIT_ERROR	1
#define LEOCTL_EXIT_USAGE	2

/* true when the user asked for machine-readable JSON output */
extern bool leoctl_json;

int cmd_peer(int argc, char **argv);
int cmd_subnet(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_seal(int argc, char **argv);

/* Written by other components; they own these two files. */
int cmd_measurements(int argc, char **argv);
int cmd_attest(int argc, char **argv);

#endif /* LEOCTL_COMMANDS_H */
