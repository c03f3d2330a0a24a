// SPDX-License-Identifier: GPL-2.0
/* Unit tests of leoctl's argument parsing: values and error messages. */
#include <string.h>
#include <sys/socket.h>

#include "leoctl/parse.h"
#include "leoctl/test/tap.h"

int main(void)
{
	struct leo_addr a;
	struct parse_err err;

	tap_ok(parse_addr("address", "192.0.2.7", &a, &err) == 0 &&
	       a.family == AF_INET, "IPv4 address");
	return tap_done();
}
