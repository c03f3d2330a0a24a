/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of leoctl's command-line values. Every parser returns 0, or -1
 * with a message in @err that names the field and quotes the bad value,
 * and leaves its output untouched on failure.
 */
#ifndef LEOCTL_PARSE_H
#define LEOCTL_PARSE_H

#include <stdint.h>

#include "nl/leo_nl.h"

struct parse_err {
	char msg[320];
};

/* An IPv4 or IPv6 address, e.g. 192.0.2.7 or 2001:db8::7. */
int parse_addr(const char *field, const char *s, struct leo_addr *out,
	       struct parse_err *err);
/* ADDR/LEN with no host bits set; a bare ADDR means a host prefix. */
int parse_prefix(const char *field, const char *s, struct leo_prefix *out,
		 struct parse_err *err);
/* Exactly 64 hex digits (32 bytes), either case. */
int parse_hex32(const char *field, const char *s, uint8_t out[32],
		struct parse_err *err);
/*
 * A duration like 1500ms, 30s, 5m, 2h, 1d or a sum such as 1h30m, in
 * 1 ms .. LEO_MAX_VALIDITY_MS.
 */
int parse_duration(const char *field, const char *s, uint32_t *ms,
		   struct parse_err *err);
/* A decimal number in min..max. */
int parse_u32(const char *field, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out, struct parse_err *err);
/* A decimal number, or a hexadecimal one after 0x, in min..max. */
int parse_number(const char *field, const char *s, uint32_t min, uint32_t max,
		 uint32_t *out, struct parse_err *err);
/*
 * A network interface name as the kernel accepts one: 1..15 characters,
 * no '/', ':' or white space, not "." or "..". Whether it exists is not
 * checked here. @out gets it NUL-terminated.
 */
int parse_ifname(const char *field, const char *s, char out[16],
		 struct parse_err *err);
int parse_state(const char *field, const char *s, uint8_t *out,
		struct parse_err *err);
int parse_mode(const char *field, const char *s, uint8_t *out,
	       struct parse_err *err);
int parse_reason(const char *field, const char *s, uint8_t *out,
		 struct parse_err *err);

#endif /* LEOCTL_PARSE_H */
