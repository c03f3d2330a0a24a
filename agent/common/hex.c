// SPDX-License-Identifier: GPL-2.0
/* Hex decoding; see hex.h. */
#include "common/hex.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int leo_hex_decode(const char *s, size_t n, uint8_t *out, size_t max)
{
	if (n % 2 || n / 2 > max || n / 2 > 0x7fffffff)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}
