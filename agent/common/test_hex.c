// SPDX-License-Identifier: GPL-2.0
/* The shared hex decoder: good input, odd length, bad digits, limits. */
#include <string.h>

#include "attest/test/tap.h"
#include "common/hex.h"

int main(void)
{
	uint8_t b[4];

	tap_ok(leo_hex_decode("00aBfF", 6, b, sizeof(b)) == 3 && b[0] == 0 &&
	       b[1] == 0xab && b[2] == 0xff, "both cases decode");
	tap_ok(leo_hex_decode("", 0, b, sizeof(b)) == 0, "empty input: 0 bytes");
	tap_ok(leo_hex_decode("abc", 3, b, sizeof(b)) == -1, "odd length refused");
	tap_ok(leo_hex_decode("0g", 2, b, sizeof(b)) == -1, "non-hex digit refused");
	tap_ok(leo_hex_decode(" 0", 2, b, sizeof(b)) == -1, "space refused");
	tap_ok(leo_hex_decode("0x", 2, b, sizeof(b)) == -1, "0x prefix refused");
	tap_ok(leo_hex_decode("0011223344", 10, b, sizeof(b)) == -1,
	       "more than the room refused");
	tap_ok(leo_hex_decode("00112233", 8, b, sizeof(b)) == 4,
	       "exactly the room fits");
	return tap_done();
}
