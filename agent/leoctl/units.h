/* SPDX-License-Identifier: GPL-2.0 */
/* Human-readable renderings of durations, byte counts and addresses. */
#ifndef LEOCTL_UNITS_H
#define LEOCTL_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "nl/leo_nl.h"

#define DURATION_STR_MAX 48
#define BYTES_STR_MAX 32
#define ADDR_STR_MAX 48		/* INET6_ADDRSTRLEN + "/128" */
#define HEX32_STR_MAX 65

/* "1d 2h 3m 4s", "1m 30s", "250ms"; 0 is "0s". Returns @buf. */
char *format_duration(uint64_t ms, char *buf, size_t size);
/* "512 B", "1.50 KiB", "3.25 GiB". Returns @buf. */
char *format_bytes(uint64_t bytes, char *buf, size_t size);
/* "192.0.2.7", "2001:db8::7". Returns @buf. */
char *format_addr(const struct leo_addr *addr, char *buf, size_t size);
/* "192.0.2.0/24". Returns @buf. */
char *format_prefix(const struct leo_prefix *p, char *buf, size_t size);
/* 64 lower-case hex digits. Returns @buf. */
char *format_hex32(const uint8_t bytes[32], char *buf, size_t size);

/* Orders IPv4 before IPv6, then by address: for stable listings. */
int compare_addr(const struct leo_addr *a, const struct leo_addr *b);
int compare_prefix(const struct leo_prefix *a, const struct leo_prefix *b);

#endif /* LEOCTL_UNITS_H */
