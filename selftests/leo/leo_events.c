// SPDX-License-Identifier: GPL-2.0
/*
 * leo_events: listens on the leo "events" multicast group of its network
 * namespace and prints one line per event:
 *
 *   t_ms=N event=drop family=2 addr=192.0.2.2 reason=1 dir=0
 *
 *   leo_events [-r READY_FILE] [-e drop|expired|monitor|any] [-n COUNT]
 *              [-w TIMEOUT_MS]
 *
 * Creates READY_FILE once subscribed, so a script can start traffic
 * without racing the subscription. Exits 0 after COUNT events of the
 * chosen type (default 1, any), 1 when TIMEOUT_MS (default 10000) passes
 * first.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leo_genl.h"

static const char *const event_names[] = {
	[LEO_EVENT_UNSPEC] = "unspec",
	[LEO_EVENT_PEER_EXPIRED] = "expired",
	[LEO_EVENT_DROP] = "drop",
	[LEO_EVENT_MONITOR] = "monitor",
	[LEO_EVENT_CONFIG_CHANGED] = "config",
};

static int event_type(const char *name)
{
	int i;

	if (!strcmp(name, "any"))
		return -1;
	for (i = 0; i < __LEO_EVENT_MAX; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -2;
}

static void print_event(const struct leo_attrs *a, int ev)
{
	char addr[INET6_ADDRSTRLEN] = "-";

	if (a->tb[LEO_A_FAMILY] && a->tb[LEO_A_ADDR] &&
	    leo_len(a->tb[LEO_A_ADDR]) <= 16) {
		unsigned char buf[16] = { 0 };

		memcpy(buf, leo_data(a->tb[LEO_A_ADDR]),
		       leo_len(a->tb[LEO_A_ADDR]));
		inet_ntop(leo_get_u16(a->tb[LEO_A_FAMILY]), buf, addr,
			  sizeof(addr));
	}
	printf("t_ms=%llu event=%s family=%d addr=%s reason=%d dir=%d\n",
	       (unsigned long long)leo_now_ms(),
	       ev >= 0 && ev < __LEO_EVENT_MAX ? event_names[ev] : "unknown",
	       a->tb[LEO_A_FAMILY] ? leo_get_u16(a->tb[LEO_A_FAMILY]) : -1,
	       addr,
	       a->tb[LEO_A_DROP_REASON] ?
	       leo_get_u8(a->tb[LEO_A_DROP_REASON]) : -1,
	       a->tb[LEO_A_DIRECTION] ? leo_get_u8(a->tb[LEO_A_DIRECTION]) : -1);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned char buf[LEO_MSG_MAX];
	const char *ready = NULL;
	int want = -1, count = 1, timeout = 10000, seen = 0, opt, err;
	struct leo_sock s;
	uint64_t deadline;

	while ((opt = getopt(argc, argv, "r:e:n:w:")) != -1) {
		if (opt == 'r')
			ready = optarg;
		else if (opt == 'e')
			want = event_type(optarg);
		else if (opt == 'n')
			count = atoi(optarg);
		else if (opt == 'w')
			timeout = atoi(optarg);
		else
			return 2;
	}
	if (want == -2 || count < 1 || timeout < 1) {
		fprintf(stderr, "error: bad arguments\n");
		return 2;
	}
	err = leo_open(&s);
	if (!err)
		err = leo_subscribe_events(&s);
	if (err) {
		fprintf(stderr, "error: subscribe: %s\n", strerror(-err));
		return 1;
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	deadline = leo_now_ms() + timeout;
	while (seen < count) {
		struct leo_attrs a;
		uint64_t now = leo_now_ms();
		int ev;

		if (now >= deadline)
			break;
		err = leo_recv_event(&s, &a, buf, sizeof(buf), deadline - now);
		if (err == -ETIMEDOUT)
			break;
		if (err == -ENOBUFS) {
			/* events were lost to a full buffer; keep listening */
			fprintf(stderr, "warning: events lost (ENOBUFS)\n");
			continue;
		}
		if (err) {
			fprintf(stderr, "error: recv: %s\n", strerror(-err));
			break;
		}
		ev = a.tb[LEO_A_EVENT] ? leo_get_u8(a.tb[LEO_A_EVENT]) : -1;
		print_event(&a, ev);
		if (want < 0 || ev == want)
			seen++;
	}
	leo_close(&s);
	return seen >= count ? 0 : 1;
}
