/* SPDX-License-Identifier: GPL-2.0 */
/* Hex decoding of untrusted text (policies, ASCII IMA logs). */
#ifndef LEO_COMMON_HEX_H
#define LEO_COMMON_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode the @n hex digits at @s (either case, nothing else: no prefix,
 * no spaces) into at most @max bytes at @out. Returns the number of bytes
 * (n / 2, 0 for empty input), or -1 if @n is odd, the result would exceed
 * @max, or a character is not a hex digit. @out is undefined on -1.
 */
int leo_hex_decode(const char *s, size_t n, uint8_t *out, size_t max);

#endif /* LEO_COMMON_HEX_H */
