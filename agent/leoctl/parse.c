// SPDX-License-Identifier: GPL-2.0
/* Parsing and checking of leoctl's command-line values. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "leoctl/names.h"
#include "leoctl/parse.h"

/* Longest piece of a bad value quoted back to the user. */
#define QUOTE_MAX 72

/* "FIELD: 'VALUE' PROBLEM", with a very long VALUE cut short. */
__attribute__((format(printf, 4, 5)))
static int bad(struct parse_err *err, const char *field, const char *value,
	       const char *fmt, ...)
{
	size_t vlen = strlen(value);
	int n;
	va_list ap;

	n = snprintf(err->msg, sizeof(err->msg), "%s: '%.*s%s' ", field,
		     QUOTE_MAX, value, vlen > QUOTE_MAX ? "..." : "");
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

int parse_addr(const char *field, const char *s, struct leo_addr *out,
	       struct parse_err *err)
{
	struct leo_addr a = { 0 };

	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return bad(err, field, s, "is not an IPv4 or IPv6 address");
	*out = a;
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Clears every bit of @a beyond the first @len; true if any was set. */
static bool clear_host_bits(struct leo_addr *a, unsigned int len)
{
	unsigned int total = a->family == AF_INET ? 32 : 128;
	bool had = false;

	for (unsigned int bit = len; bit < total; bit++) {
		uint8_t mask = 0x80 >> (bit % 8);

		if (a->bytes[bit / 8] & mask) {
			had = true;
			a->bytes[bit / 8] &= ~mask;
		}
	}
	return had;
}

int parse_prefix(const char *field, const char *s, struct leo_prefix *out,
		 struct parse_err *err)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct leo_prefix p = { 0 };
	unsigned int max;
	uint32_t len;
	struct parse_err dummy;

	if (alen >= sizeof(addr))
		return bad(err, field, s, "is not a prefix like 192.0.2.0/24 or 2001:db8::/64");
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (parse_addr(field, addr, &p.addr, &dummy) < 0)
		return bad(err, field, s, "is not a prefix like 192.0.2.0/24 or 2001:db8::/64");
	max = p.addr.family == AF_INET ? 32 : 128;
	len = max;
	if (slash && parse_u32(field, slash + 1, 0, max, &len, &dummy) < 0)
		return bad(err, field, s,
			   "has a bad prefix length '%.8s' (0..%u for %s)",
			   slash + 1, max,
			   p.addr.family == AF_INET ? "IPv4" : "IPv6");
	p.len = len;
	if (clear_host_bits(&p.addr, len)) {
		char fixed[INET6_ADDRSTRLEN];

		inet_ntop(p.addr.family, p.addr.bytes, fixed, sizeof(fixed));
		return bad(err, field, s,
			   "has host bits set (did you mean %s/%u?)", fixed,
			   len);
	}
	*out = p;
	return 0;
}

int parse_hex32(const char *field, const char *s, uint8_t out[32],
		struct parse_err *err)
{
	size_t len = strlen(s);
	uint8_t bytes[32];

	for (size_t i = 0; i < len; i++)
		if (hex_value(s[i]) < 0)
			return bad(err, field, s,
				   "has a non-hex character at position %zu",
				   i + 1);
	if (len != 64)
		return bad(err, field, s,
			   "must be 64 hex digits (32 bytes), not %zu", len);
	for (size_t i = 0; i < 32; i++)
		bytes[i] = hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]);
	memcpy(out, bytes, sizeof(bytes));
	return 0;
}

struct unit {
	const char *name;
	uint64_t ms;
};

/* Longest names first so "ms" is not read as "m" followed by "s". */
static const struct unit units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60 * 1000 },
	{ "h", 3600 * 1000 }, { "d", 24 * 3600 * 1000 },
};

#define UNIT_WORDS "ms, s, m, h or d"

static const struct unit *match_unit(const char *s, size_t *len)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].name);

		if (!strncmp(s, units[i].name, n) && !isalpha((unsigned char)s[n])) {
			*len = n;
			return &units[i];
		}
	}
	return NULL;
}

int parse_duration(const char *field, const char *s, uint32_t *ms,
		   struct parse_err *err)
{
	const uint64_t max = LEO_MAX_VALIDITY_MS;
	const char *p = s;
	uint64_t total = 0;

	if (!*s)
		return bad(err, field, s, "is empty; use e.g. 30s, 5m, 2h or 1500ms");
	while (*p) {
		uint64_t n = 0;
		const struct unit *u;
		size_t ulen;

		if (!isdigit((unsigned char)*p))
			return bad(err, field, s, "is not a duration like 30s, 5m, 2h or 1500ms");
		for (; isdigit((unsigned char)*p); p++) {
			n = n * 10 + (*p - '0');
			if (n > max)
				return bad(err, field, s, "is longer than the maximum of 7d");
		}
		if (!*p)
			return bad(err, field, s, "has no unit (" UNIT_WORDS ")");
		u = match_unit(p, &ulen);
		if (!u)
			return bad(err, field, s, "has an unknown unit '%.4s' (" UNIT_WORDS ")", p);
		p += ulen;
		total += n * u->ms;
		if (total > max)
			return bad(err, field, s, "is longer than the maximum of 7d");
	}
	if (!total)
		return bad(err, field, s, "must be at least 1ms");
	*ms = (uint32_t)total;
	return 0;
}

/* @digits in @base (10 or 16), all valid, checked against min..max. */
static int in_range(const char *field, const char *s, const char *digits,
		    unsigned int base, uint32_t min, uint32_t max,
		    uint32_t *out, struct parse_err *err)
{
	uint64_t n = 0;

	for (const char *p = digits; *p; p++) {
		n = n * base + (unsigned int)hex_value(*p);
		if (n > max)
			break;
	}
	if (n < min || n > max)
		return bad(err, field, s, "is out of range %u..%u", min, max);
	*out = (uint32_t)n;
	return 0;
}

int parse_u32(const char *field, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out, struct parse_err *err)
{
	if (!all_digits(s))
		return bad(err, field, s, "is not a number");
	return in_range(field, s, s, 10, min, max, out, err);
}

static bool all_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (hex_value(*s) < 0)
			return false;
	return true;
}

int parse_number(const char *field, const char *s, uint32_t min, uint32_t max,
		 uint32_t *out, struct parse_err *err)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return parse_u32(field, s, min, max, out, err);
	if (!all_hex(s + 2))
		return bad(err, field, s, "is not a number (decimal or 0x hex)");
	return in_range(field, s, s + 2, 16, min, max, out, err);
}

int parse_ifname(const char *field, const char *s, char out[16],
		 struct parse_err *err)
{
	size_t len = strlen(s);

	if (!len || !strcmp(s, ".") || !strcmp(s, ".."))
		return bad(err, field, s, "is not an interface name");
	if (len > 15)
		return bad(err, field, s,
			   "is longer than an interface name (15 characters)");
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return bad(err, field, s,
				   "is not an interface name (no '/', ':' or spaces)");
	memcpy(out, s, len + 1);
	return 0;
}

static int parse_word(const char *field, const char *s, int value,
		      const char *words, uint8_t *out, struct parse_err *err)
{
	if (value < 0)
		return bad(err, field, s, "is not one of %s", words);
	*out = (uint8_t)value;
	return 0;
}

int parse_state(const char *field, const char *s, uint8_t *out,
		struct parse_err *err)
{
	return parse_word(field, s, state_value(s), state_words(), out, err);
}

int parse_mode(const char *field, const char *s, uint8_t *out,
	       struct parse_err *err)
{
	return parse_word(field, s, mode_value(s), mode_words(), out, err);
}

int parse_reason(const char *field, const char *s, uint8_t *out,
		 struct parse_err *err)
{
	return parse_word(field, s, reason_value(s), reason_words(), out, err);
}
