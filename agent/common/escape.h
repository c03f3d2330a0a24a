/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping of untrusted strings (paths and names from an IMA log, names
 * from leo's records) for text output: every byte outside printable ASCII
 * (0x20-0x7e), and the backslash itself, becomes "\xHH", so such a string
 * can neither start a new line nor move the cursor, and the original
 * bytes can be recovered. JSON output does not need it (json-c escapes).
 */
#ifndef LEO_COMMON_ESCAPE_H
#define LEO_COMMON_ESCAPE_H

#include <stddef.h>

/* Room for @n input bytes, all escaped, and the NUL */
#define LEO_ESCAPED_SIZE(n) (4 * (n) + 1)

/*
 * Write the escaped form of @s[0..@len) into @out (@size > 0 bytes,
 * always NUL-terminated). If it does not fit, it stops before the first
 * byte or escape that would not fit whole. Returns @out.
 */
char *leo_escape(const char *s, size_t len, char *out, size_t size);

#endif /* LEO_COMMON_ESCAPE_H */
