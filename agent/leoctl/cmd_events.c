// SPDX-License-Identifier: GPL-2.0
/* leoctl events [--count N] [--timeout SEC] */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "leoctl/cli.h"
#include "leoctl/commands.h"
#include "leoctl/format.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

/* No SA_RESTART: a signal must wake the poll() below. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct events_opts {
	uint32_t count;		/* 0: no limit */
	uint32_t timeout_s;	/* 0: none */
};

struct event_sink {
	uint32_t seen;
	uint32_t limit;
};

static int print_one(const struct leo_nl_event *ev, void *arg)
{
	struct event_sink *sink = arg;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (leoctl_json)
		print_json(stdout, event_json(ev, &now), 1);
	else
		print_event(stdout, ev, &now);
	/* Scripts read this through a pipe: hand each event over now. */
	fflush(stdout);
	sink->seen++;
	return sink->limit && sink->seen >= sink->limit;
}

static int parse_events_opts(int argc, char **argv, struct events_opts *o)
{
	struct parse_err err;

	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i];
		uint32_t *dst;

		if (!strcmp(opt, "--count"))
			dst = &o->count;
		else if (!strcmp(opt, "--timeout"))
			dst = &o->timeout_s;
		else
			return usage_error("events", "events: unknown option '%s' (expected --count or --timeout)",
					   opt);
		if (i + 1 >= argc)
			return usage_error("events", "events: '%s' needs a value",
					   opt);
		if (parse_u32(opt + 2, argv[i + 1], 1, UINT32_MAX, dst, &err) < 0)
			return parse_error("events", &err);
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds poll() may wait: -1 forever, 0 when the deadline passed. */
static int wait_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

static int follow(struct leo_nl *nl, const struct events_opts *o,
		  struct event_sink *sink)
{
	int64_t deadline = o->timeout_s ? now_ms() + o->timeout_s * 1000LL : -1;
	struct pollfd pfd = { .fd = leo_nl_event_fd(nl), .events = POLLIN };

	while (!interrupted && !(sink->limit && sink->seen >= sink->limit)) {
		int timeout = wait_ms(deadline);
		int ret;

		if (!timeout)
			break;
		ret = poll(&pfd, 1, timeout);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return runtime_error(NULL, -errno, "events");
		if (!ret)
			continue;
		ret = leo_nl_event_read(nl, print_one, sink);
		if (ret == -ENOBUFS)
			fprintf(stderr, "leoctl: events: %s\n", leo_nl_errmsg(nl));
		else if (ret < 0)
			return runtime_error(nl, ret, "events");
	}
	return LEOCTL_EXIT_OK;
}

int cmd_events(int argc, char **argv)
{
	struct events_opts o = { 0 };
	struct event_sink sink = { 0 };
	struct leo_nl *nl;
	int ret = parse_events_opts(argc, argv, &o);

	if (ret)
		return ret;
	sink.limit = o.count;
	ret = open_leo(&nl);
	if (ret)
		return ret;
	ret = leo_nl_event_subscribe(nl);
	if (ret) {
		ret = runtime_error(nl, ret, "events");
		goto out;
	}
	catch_signals();
	ret = follow(nl, &o, &sink);
	if (!ret && o.count && sink.seen < o.count && !interrupted) {
		fprintf(stderr, "leoctl: events: timed out after %us with %u of %u events\n",
			o.timeout_s, sink.seen, o.count);
		ret = LEOCTL_EXIT_ERROR;
	}
out:
	leo_nl_close(nl);
	return ret;
}
