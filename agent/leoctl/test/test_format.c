// SPDX-License-Identifier: GPL-2.0
/* Unit tests of leoctl's output, human and JSON (parsed back). */
#include "leoctl/format.h"
#include "leoctl/units.h"
#include "leoctl/test/tap.h"

int main(void)
{
	char buf[DURATION_STR_MAX];

	tap_streq(format_duration(90000, buf, sizeof(buf)), "1m 30s",
		  "90 s is 1m 30s");
	return tap_done();
}
