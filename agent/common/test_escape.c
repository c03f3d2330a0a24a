// SPDX-License-Identifier: GPL-2.0
/* The shared escaping helper: what is kept, what is escaped, truncation. */
#include <string.h>

#include "attest/test/tap.h"
#include "common/escape.h"

static void expect(const char *in, size_t len, size_t size, const char *want)
{
	char out[256];

	leo_escape(in, len, out, size);
	tap_ok(!strcmp(out, want), "escaped into %zu bytes: \"%s\" (want \"%s\")",
	       size, out, want);
}

int main(void)
{
	expect("/usr/bin/a b~", 13, 200, "/usr/bin/a b~");
	expect("a\npass: 0 failures", 18, 200, "a\\x0apass: 0 failures");
	expect("\x1b[2J\\\x7f\xff", 7, 200, "\\x1b[2J\\x5c\\x7f\\xff");
	expect("a\0b", 3, 200, "a\\x00b");
	/* truncation never cuts an escape in half */
	expect("ab\ncd", 5, 5, "ab");
	expect("ab\ncd", 5, 7, "ab\\x0a");
	expect("abc", 3, 1, "");
	return tap_done();
}
