// SPDX-License-Identifier: GPL-2.0
/* Escaping of untrusted strings for text output; see escape.h. */
#include "common/escape.h"

static const char hexdigits[] = "0123456789abcdef";

char *leo_escape(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= size)
				break;
			out[o++] = (char)c;
			continue;
		}
		if (o + 4 >= size)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hexdigits[c >> 4];
		out[o++] = hexdigits[c & 0xf];
	}
	out[o] = '\0';
	return out;
}
