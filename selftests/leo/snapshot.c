// SPDX-License-Identifier: GPL-2.0
/* State snapshots of a leo namespace for before/after comparison. */
#include "snapshot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_line(struct snapshot *snap, const char *line)
{
	if (snap->n == snap->cap) {
		unsigned int cap = snap->cap ? snap->cap * 2 : 64;
		char **l = realloc(snap->lines, cap * sizeof(*l));

		if (!l)
			return -ENOMEM;
		snap->lines = l;
		snap->cap = cap;
	}
	snap->lines[snap->n] = strdup(line);
	if (!snap->lines[snap->n])
		return -ENOMEM;
	snap->n++;
	return 0;
}

static void hex(char *out, const struct nlattr *na)
{
	const unsigned char *p;
	size_t i, n;

	if (!na) {
		strcpy(out, "-");
		return;
	}
	p = leo_data(na);
	n = leo_len(na);
	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* "FAMILY ADDR" text, or a marker when the attributes are malformed. */
static void addr_text(char *out, size_t len, const struct leo_attrs *a)
{
	uint16_t fam;
	size_t alen;

	if (!a->tb[LEO_A_FAMILY] || !a->tb[LEO_A_ADDR]) {
		snprintf(out, len, "missing-address");
		return;
	}
	fam = leo_get_u16(a->tb[LEO_A_FAMILY]);
	alen = leo_len(a->tb[LEO_A_ADDR]);
	if ((fam == AF_INET && alen == 4) || (fam == AF_INET6 && alen == 16)) {
		char buf[INET6_ADDRSTRLEN];

		inet_ntop(fam, leo_data(a->tb[LEO_A_ADDR]), buf, sizeof(buf));
		snprintf(out, len, "%u %s", fam, buf);
		return;
	}
	snprintf(out, len, "%u bad-length-%zu", fam, alen);
}

static int peer_line(const struct leo_attrs *a, void *arg)
{
	struct snapshot *snap = arg;
	char addr[80], id[130], ev[130], line[512];

	addr_text(addr, sizeof(addr), a);
	hex(id, a->tb[LEO_A_PEER_ID]);
	hex(ev, a->tb[LEO_A_EVIDENCE]);
	snprintf(line, sizeof(line), "peer %s id=%s state=%d evidence=%s",
		 addr, id,
		 a->tb[LEO_A_STATE] ? leo_get_u8(a->tb[LEO_A_STATE]) : -1, ev);
	snap->npeers++;
	return add_line(snap, line);
}

static int subnet_line(const struct leo_attrs *a, void *arg)
{
	struct snapshot *snap = arg;
	char addr[80], line[256];

	addr_text(addr, sizeof(addr), a);
	snprintf(line, sizeof(line), "subnet %s/%d", addr,
		 a->tb[LEO_A_PREFIXLEN] ?
		 leo_get_u8(a->tb[LEO_A_PREFIXLEN]) : -1);
	snap->nsubnets++;
	return add_line(snap, line);
}

static int device_line(const struct leo_attrs *a, void *arg)
{
	struct snapshot *snap = arg;
	char line[128];

	snprintf(line, sizeof(line), "device %u %s",
		 a->tb[LEO_A_IFINDEX] ? leo_get_u32(a->tb[LEO_A_IFINDEX]) : 0,
		 a->tb[LEO_A_IFNAME] ? (const char *)leo_data(a->tb[LEO_A_IFNAME]) :
				       "-");
	return add_line(snap, line);
}

static int config_line(struct leo_sock *s, struct snapshot *snap)
{
	struct leo_config c;
	char line[256];
	int err = config_get(s, &c);

	if (err)
		return err;
	snprintf(line, sizeof(line),
		 "config mode=%u hs_port=%u default_validity_ms=%u hs_rate=%u hs_burst=%u hs_total_rate=%u agent_mark=%u sealed=%u",
		 c.mode, c.hs_port, c.default_validity_ms, c.hs_rate,
		 c.hs_burst, c.hs_total_rate, c.agent_mark, c.sealed);
	return add_line(snap, line);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int snapshot_take(struct leo_sock *s, struct snapshot *snap)
{
	struct leo_msg m;
	int err;

	memset(snap, 0, sizeof(*snap));
	leo_msg_init(&m, s, LEO_CMD_PEER_GET, NLM_F_DUMP);
	err = leo_transact(s, &m, peer_line, snap);
	if (!err) {
		leo_msg_init(&m, s, LEO_CMD_SUBNET_GET, NLM_F_DUMP);
		err = leo_transact(s, &m, subnet_line, snap);
	}
	if (!err) {
		leo_msg_init(&m, s, LEO_CMD_DEVICE_GET, NLM_F_DUMP);
		err = leo_transact(s, &m, device_line, snap);
	}
	if (!err)
		err = config_line(s, snap);
	if (err) {
		fprintf(stderr, "# snapshot: %s (%s)\n", strerror(-err),
			s->extack);
		snapshot_free(snap);
		return err;
	}
	qsort(snap->lines, snap->n, sizeof(*snap->lines), cmp_lines);
	return 0;
}

void snapshot_free(struct snapshot *snap)
{
	unsigned int i;

	for (i = 0; i < snap->n; i++)
		free(snap->lines[i]);
	free(snap->lines);
	memset(snap, 0, sizeof(*snap));
}

unsigned int snapshot_diff(const struct snapshot *a, const struct snapshot *b)
{
	unsigned int i = 0, j = 0, diffs = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 :
			strcmp(a->lines[i], b->lines[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		diffs++;
		if (c < 0)
			fprintf(stderr, "# before only: %s\n", a->lines[i++]);
		else
			fprintf(stderr, "# after only:  %s\n", b->lines[j++]);
	}
	return diffs;
}

bool snapshot_has(const struct snapshot *snap, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < snap->n; i++)
		if (!strncmp(snap->lines[i], prefix, strlen(prefix)))
			return true;
	return false;
}

/* Entries listed twice (same address); the lines are sorted. */
unsigned int snapshot_duplicates(const struct snapshot *snap)
{
	unsigned int i, dups = 0;

	for (i = 1; i < snap->n; i++) {
		const char *p = snap->lines[i - 1], *q = snap->lines[i];
		const char *sp = strstr(p, " id=");

		if (sp && !strncmp(p, q, sp - p + 1))
			dups++;
	}
	return dups;
}
