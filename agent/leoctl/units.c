// SPDX-License-Identifier: GPL-2.0
/* Human-readable renderings of durations, byte counts and addresses. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "leoctl/units.h"

char *format_duration(uint64_t ms, char *buf, size_t size)
{
	static const struct { const char *unit; uint64_t ms; } parts[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		{ "s", 1000 },
	};
	size_t n = 0;

	buf[0] = '\0';
	if (ms < 1000) {
		snprintf(buf, size, ms ? "%" PRIu64 "ms" : "0s", ms);
		return buf;
	}
	/* Whole seconds are precise enough once a duration exceeds one. */
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		uint64_t count = ms / parts[i].ms;

		if (!count)
			continue;
		if (n >= size)
			break;
		ms %= parts[i].ms;
		n += snprintf(buf + n, size - n, "%s%" PRIu64 "%s",
			      n ? " " : "", count, parts[i].unit);
	}
	return buf;
}

char *format_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
					     "EiB" };
	double value = (double)bytes;
	size_t i = 0;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", bytes);
		return buf;
	}
	value /= 1024;
	while (value >= 1024 && i + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024;
		i++;
	}
	snprintf(buf, size, "%.2f %s", value, units[i]);
	return buf;
}

char *format_addr(const struct leo_addr *addr, char *buf, size_t size)
{
	if (!inet_ntop(addr->family, addr->bytes, buf, size))
		snprintf(buf, size, "(family %u)", addr->family);
	return buf;
}

char *format_prefix(const struct leo_prefix *p, char *buf, size_t size)
{
	size_t n;

	format_addr(&p->addr, buf, size);
	n = strlen(buf);
	snprintf(buf + n, size - n, "/%u", p->len);
	return buf;
}

char *format_hex32(const uint8_t bytes[32], char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";

	if (size < HEX32_STR_MAX) {
		buf[0] = '\0';
		return buf;
	}
	for (size_t i = 0; i < 32; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 15];
	}
	buf[64] = '\0';
	return buf;
}

int compare_addr(const struct leo_addr *a, const struct leo_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

int compare_prefix(const struct leo_prefix *a, const struct leo_prefix *b)
{
	int c = compare_addr(&a->addr, &b->addr);

	return c ? c : (int)a->len - (int)b->len;
}
