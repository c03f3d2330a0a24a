// SPDX-License-Identifier: GPL-2.0
/*
 * leo_rule: the selftests' own minimal control tool for leo.ko, so the
 * enforcement tests depend only on the netlink contract, not on the
 * command line of leoctl. Acts on the network namespace it runs in.
 *
 *   leo_rule [-t] peer add|set ADDR [validity MS] [state attested|quarantined]
 *   leo_rule peer del|get ADDR
 *   leo_rule peer flush
 *   leo_rule subnet add|del ADDR/PLEN
 *   leo_rule device add|del IFNAME
 *   leo_rule config [mode enforce|monitor] [hs-port N] [hs-rate N]
 *                   [hs-burst N] [hs-total-rate N] [agent-mark N]
 *                   [default-validity MS]
 *   leo_rule stats [COUNTER]
 *
 * -t prints "t_req_ms=N t_ms=M" (CLOCK_MONOTONIC): just before the request
 * was sent and once the kernel acknowledged it; the change took effect in
 * between.
 * Exit 0 on success, 1 with "error: ..." (errno and extack) otherwise.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leo_genl.h"

static int usage(void)
{
	fprintf(stderr, "usage: leo_rule [-t] peer|subnet|config|stats ... (see source)\n");
	return 2;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || *end || end == s || n > 0xffffffffUL)
		return -EINVAL;
	*v = n;
	return 0;
}

static int parse_state(const char *s, uint8_t *v)
{
	if (!strcmp(s, "attested"))
		*v = LEO_PEER_ATTESTED;
	else if (!strcmp(s, "quarantined"))
		*v = LEO_PEER_QUARANTINED;
	else
		return -EINVAL;
	return 0;
}

/* Key/value options shared by peer add and set. */
static int peer_opts(struct leo_msg *m, int argc, char **argv)
{
	uint32_t v;
	uint8_t st;
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "validity") && !parse_u32(argv[i + 1], &v))
			leo_put_u32(m, LEO_A_VALIDITY_MS, v);
		else if (!strcmp(argv[i], "state") &&
			 !parse_state(argv[i + 1], &st))
			leo_put_u8(m, LEO_A_STATE, st);
		else
			return -EINVAL;
	}
	return i == argc ? 0 : -EINVAL;
}

/* A fixed, recognisable peer id derived from the address text. */
static void put_peer_id(struct leo_msg *m, const char *addr)
{
	uint8_t id[LEO_PEER_ID_LEN];

	memset(id, 0x5a, sizeof(id));
	memcpy(id, addr, strlen(addr) < sizeof(id) ? strlen(addr) : sizeof(id));
	leo_put(m, LEO_A_PEER_ID, id, sizeof(id));
}

static int print_peer(const struct leo_attrs *a, void *arg)
{
	static const int fields[] = {
		LEO_A_RX_PACKETS, LEO_A_RX_BYTES, LEO_A_TX_PACKETS,
		LEO_A_TX_BYTES,
	};
	static const char *const names[] = {
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
	};
	size_t i;

	printf("state=%d expires_ms=%llu",
	       a->tb[LEO_A_STATE] ? leo_get_u8(a->tb[LEO_A_STATE]) : -1,
	       a->tb[LEO_A_EXPIRES_MS] ?
	       (unsigned long long)leo_get_u64(a->tb[LEO_A_EXPIRES_MS]) : 0);
	for (i = 0; i < 4; i++)
		if (a->tb[fields[i]])
			printf(" %s=%llu", names[i], (unsigned long long)
			       leo_get_u64(a->tb[fields[i]]));
	printf("\n");
	return 0;
}

static int cmd_peer(struct leo_sock *s, int argc, char **argv)
{
	static const struct { const char *name; uint8_t cmd; } ops[] = {
		{ "add", LEO_CMD_PEER_ADD }, { "set", LEO_CMD_PEER_SET },
		{ "del", LEO_CMD_PEER_DEL }, { "get", LEO_CMD_PEER_GET },
	};
	struct leo_msg m;
	size_t i;

	if (argc == 1 && !strcmp(argv[0], "flush")) {
		leo_msg_init(&m, s, LEO_CMD_PEER_FLUSH, 0);
		return leo_request(s, &m);
	}
	if (argc < 2)
		return -EINVAL;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[0], ops[i].name))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return -EINVAL;
	leo_msg_init(&m, s, ops[i].cmd, 0);
	if (leo_put_addr(&m, argv[1]))
		return -EINVAL;
	if (ops[i].cmd == LEO_CMD_PEER_ADD)
		put_peer_id(&m, argv[1]);
	if (ops[i].cmd == LEO_CMD_PEER_ADD || ops[i].cmd == LEO_CMD_PEER_SET) {
		if (peer_opts(&m, argc - 2, argv + 2))
			return -EINVAL;
	} else if (argc != 2) {
		return -EINVAL;
	}
	if (ops[i].cmd == LEO_CMD_PEER_GET)
		return leo_transact(s, &m, print_peer, NULL);
	return leo_request(s, &m);
}

static int cmd_subnet(struct leo_sock *s, int argc, char **argv)
{
	struct leo_msg m;
	char addr[64], *slash;
	uint32_t plen;
	uint8_t cmd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(addr))
		return -EINVAL;
	if (!strcmp(argv[0], "add"))
		cmd = LEO_CMD_SUBNET_ADD;
	else if (!strcmp(argv[0], "del"))
		cmd = LEO_CMD_SUBNET_DEL;
	else
		return -EINVAL;
	strcpy(addr, argv[1]);
	slash = strchr(addr, '/');
	if (!slash || parse_u32(slash + 1, &plen) || plen > 255)
		return -EINVAL;
	*slash = '\0';
	leo_msg_init(&m, s, cmd, 0);
	if (leo_put_addr(&m, addr))
		return -EINVAL;
	leo_put_u8(&m, LEO_A_PREFIXLEN, plen);
	return leo_request(s, &m);
}

static int cmd_device(struct leo_sock *s, int argc, char **argv)
{
	unsigned int ifindex;
	struct leo_msg m;
	uint8_t cmd;

	if (argc != 2)
		return -EINVAL;
	if (!strcmp(argv[0], "add"))
		cmd = LEO_CMD_DEVICE_ADD;
	else if (!strcmp(argv[0], "del"))
		cmd = LEO_CMD_DEVICE_DEL;
	else
		return -EINVAL;
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		return -ENODEV;
	leo_msg_init(&m, s, cmd, 0);
	leo_put_u32(&m, LEO_A_IFINDEX, ifindex);
	return leo_request(s, &m);
}

static int cmd_config(struct leo_sock *s, int argc, char **argv)
{
	struct leo_msg m;
	uint32_t v;
	int i;

	leo_msg_init(&m, s, LEO_CMD_CONFIG_SET, 0);
	for (i = 0; i + 1 < argc; i += 2) {
		const char *k = argv[i], *val = argv[i + 1];

		if (!strcmp(k, "mode") && !strcmp(val, "enforce"))
			leo_put_u8(&m, LEO_A_MODE, LEO_MODE_ENFORCE);
		else if (!strcmp(k, "mode") && !strcmp(val, "monitor"))
			leo_put_u8(&m, LEO_A_MODE, LEO_MODE_MONITOR);
		else if (parse_u32(val, &v))
			return -EINVAL;
		else if (!strcmp(k, "hs-port") && v <= 0xffff)
			leo_put_u16(&m, LEO_A_HS_PORT, v);
		else if (!strcmp(k, "hs-rate"))
			leo_put_u32(&m, LEO_A_HS_RATE, v);
		else if (!strcmp(k, "hs-burst"))
			leo_put_u32(&m, LEO_A_HS_BURST, v);
		else if (!strcmp(k, "hs-total-rate"))
			leo_put_u32(&m, LEO_A_HS_TOTAL_RATE, v);
		else if (!strcmp(k, "agent-mark"))
			leo_put_u32(&m, LEO_A_AGENT_MARK, v);
		else if (!strcmp(k, "default-validity"))
			leo_put_u32(&m, LEO_A_DEFAULT_VALIDITY_MS, v);
		else
			return -EINVAL;
	}
	if (i != argc)
		return -EINVAL;
	return leo_request(s, &m);
}

static int cmd_stats(struct leo_sock *s, int argc, char **argv)
{
	struct leo_stats st;
	unsigned int i;
	int err = leo_stats_get(s, &st);

	if (err)
		return err;
	if (argc == 1 && !strcmp(argv[0], "peers")) {
		printf("%u\n", st.peers);
		return 0;
	}
	if (argc == 1 && !strcmp(argv[0], "devices")) {
		printf("%u\n", st.devices);
		return 0;
	}
	for (i = 0; i <= LEO_STAT_MAX; i++) {
		const char *name = leo_stat_name(i);

		if (!name)
			continue;
		if (argc == 0)
			printf("%s %llu\n", name, (unsigned long long)st.c[i]);
		else if (!strcmp(argv[0], name)) {
			printf("%llu\n", (unsigned long long)st.c[i]);
			return 0;
		}
	}
	if (argc == 0) {
		printf("peers %u\nsubnets %u\ndevices %u\n", st.peers,
		       st.subnets, st.devices);
		return 0;
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct leo_sock s;
	int timed = 0, err;
	uint64_t t_req;

	if (argc > 1 && !strcmp(argv[1], "-t")) {
		timed = 1;
		argc--;
		argv++;
	}
	if (argc < 2)
		return usage();
	err = leo_open(&s);
	if (err) {
		fprintf(stderr, "error: leo family: %s\n", strerror(-err));
		return 1;
	}
	t_req = leo_now_ms();
	if (!strcmp(argv[1], "peer"))
		err = cmd_peer(&s, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "subnet"))
		err = cmd_subnet(&s, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "device"))
		err = cmd_device(&s, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "config"))
		err = cmd_config(&s, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "stats"))
		err = cmd_stats(&s, argc - 2, argv + 2);
	else
		err = -EINVAL;
	if (timed && !err)
		printf("t_req_ms=%llu t_ms=%llu\n", (unsigned long long)t_req,
		       (unsigned long long)leo_now_ms());
	if (err)
		fprintf(stderr, "error: %s%s%s\n", strerror(-err),
			s.extack[0] ? ": " : "", s.extack);
	leo_close(&s);
	return err ? 1 : 0;
}
