// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for leoctl's value parsers. Besides not crashing, each
 * accepted value must survive a round trip through its printed form, and
 * each rejection must come with a message that names the field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leoctl/parse.h"
#include "leoctl/units.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static void rejected_with_field(int ret, const struct parse_err *err,
				const char *field)
{
	if (ret < 0)
		check(!strncmp(err->msg, field, strlen(field)));
}

static void fuzz_prefix(const char *s)
{
	struct leo_prefix p, again;
	struct parse_err err;
	char buf[ADDR_STR_MAX];
	int ret = parse_prefix("prefix", s, &p, &err);

	rejected_with_field(ret, &err, "prefix");
	if (ret)
		return;
	format_prefix(&p, buf, sizeof(buf));
	check(parse_prefix("prefix", buf, &again, &err) == 0);
	check(again.len == p.len && again.addr.family == p.addr.family &&
	      !memcmp(again.addr.bytes, p.addr.bytes, 16));
}

static void fuzz_duration(const char *s)
{
	struct parse_err err;
	uint32_t ms, again;
	char buf[DURATION_STR_MAX];
	int ret = parse_duration("validity", s, &ms, &err);

	rejected_with_field(ret, &err, "validity");
	if (ret)
		return;
	check(ms >= 1 && ms <= LEO_MAX_VALIDITY_MS);
	/* The printed form drops sub-second parts of longer durations. */
	format_duration(ms, buf, sizeof(buf));
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			memmove(p, p + 1, strlen(p));
	check(parse_duration("validity", buf, &again, &err) == 0);
	check(ms < 1000 ? again == ms : again == ms / 1000 * 1000);
}

static void fuzz_hex(const char *s)
{
	struct parse_err err;
	uint8_t id[32];
	char buf[HEX32_STR_MAX];
	int ret = parse_hex32("id", s, id, &err);

	rejected_with_field(ret, &err, "id");
	if (ret)
		return;
	check(!strcasecmp(format_hex32(id, buf, sizeof(buf)), s));
}

/* An accepted mark prints back (as hex) to the same number. */
static void fuzz_number(const char *s)
{
	struct parse_err err;
	uint32_t n, again;
	char buf[16];
	int ret = parse_number("agent-mark", s, 0, UINT32_MAX, &n, &err);

	rejected_with_field(ret, &err, "agent-mark");
	if (ret)
		return;
	snprintf(buf, sizeof(buf), "0x%x", n);
	check(parse_number("agent-mark", buf, 0, UINT32_MAX, &again, &err) == 0 &&
	      again == n);
}

static void fuzz_ifname(const char *s)
{
	struct parse_err err;
	char name[16];
	int ret = parse_ifname("device", s, name, &err);

	rejected_with_field(ret, &err, "device");
	if (!ret)
		check(strlen(name) >= 1 && strlen(name) <= 15 && !strcmp(name, s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_err err;
	struct leo_addr a;
	uint32_t n;
	uint8_t w;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rejected_with_field(parse_addr("address", s, &a, &err), &err, "address");
	fuzz_prefix(s);
	fuzz_duration(s);
	fuzz_hex(s);
	fuzz_number(s);
	fuzz_ifname(s);
	rejected_with_field(parse_u32("hs-port", s, 0, 65535, &n, &err), &err,
			    "hs-port");
	rejected_with_field(parse_state("state", s, &w, &err), &err, "state");
	rejected_with_field(parse_reason("reason", s, &w, &err), &err, "reason");
	free(s);
	return 0;
}
