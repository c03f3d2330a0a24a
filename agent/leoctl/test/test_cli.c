// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the real leoctl binary on the host (where leo.ko is not loaded),
 * in a network namespace of its own so that it can never change the
 * host's leo state (seal, flush) if a leo.ko happens to be loaded, and
 * checks exit statuses and messages: every bad argument is a usage
 * error (2) that names the field and the value, before any netlink
 * traffic; well-formed commands get as far as the kernel and fail with 1.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leoctl/test/tap.h"

#define MAX_ARGS 16
#define OUT_MAX 8192

static char leoctl[PATH_MAX];

static const char id[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct result {
	int status;
	char out[OUT_MAX];
	char err[OUT_MAX];
};

/* leoctl sits next to this test, or one level up for the ASan build. */
static void find_leoctl(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir;

	if (getenv("LEOCTL")) {
		snprintf(leoctl, sizeof(leoctl), "%s", getenv("LEOCTL"));
		return;
	}
	self[n > 0 ? n : 0] = '\0';
	dir = dirname(self);
	if (!strcmp(basename(dir), "asan"))
		dir = dirname(dir);
	snprintf(leoctl, sizeof(leoctl), "%s/leoctl", dir);
}

static void slurp(int fd, char *buf)
{
	size_t len = 0;
	ssize_t n;

	while (len < OUT_MAX - 1 &&
	       (n = read(fd, buf + len, OUT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
}

/* Runs leoctl with the NULL-terminated arguments. */
static void run(struct result *r, ...)
{
	char *argv[MAX_ARGS + 2] = { leoctl };
	int out[2], err[2], argc = 1, wstatus;
	va_list ap;
	pid_t pid;

	va_start(ap, r);
	while (argc <= MAX_ARGS && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	if (pipe(out) || pipe(err))
		abort();
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(leoctl, argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	slurp(out[0], r->out);
	slurp(err[0], r->err);
	waitpid(pid, &wstatus, 0);
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/* A usage error: status 2 and this first line on stderr. */
static void usage(const char *name, const char *line, struct result *r)
{
	char want[1024];

	snprintf(want, sizeof(want), "leoctl: %s\n", line);
	tap_ok(r->status == 2, "%s: exit status 2 (got %d)", name, r->status);
	tap_ok(!strncmp(r->err, want, strlen(want)) && !r->out[0],
	       "%s: message on stderr", name);
	if (strncmp(r->err, want, strlen(want)))
		printf("#   got:  %s#   want: %s", r->err, want);
}

#define USAGE(line, ...) do {						\
	struct result r_;						\
	run(&r_, __VA_ARGS__, NULL);					\
	usage(#__VA_ARGS__, line, &r_);					\
} while (0)

static void test_help(void)
{
	struct result r;

	run(&r, "--help", NULL);
	tap_ok(r.status == 0 && strstr(r.out, "Usage: leoctl") &&
	       strstr(r.out, "Exit status"), "--help: usage on stdout, status 0");
	run(&r, NULL);
	tap_ok(r.status == 2 && strstr(r.err, "Usage: leoctl"),
	       "no command: usage on stderr, status 2");
	run(&r, "peer", "add", "--help", NULL);
	tap_ok(r.status == 0 && strstr(r.out, "leoctl peer add ADDR ID"),
	       "peer add --help");
	run(&r, "config", "--help", NULL);
	tap_ok(r.status == 0 && strstr(r.out, "hs-burst") &&
	       strstr(r.out, "agent-mark") && strstr(r.out, "hs-total-rate"),
	       "config --help");
	run(&r, "device", "list", "--help", NULL);
	tap_ok(r.status == 0 && strstr(r.out, "leoctl device add DEV"),
	       "device list --help");
	run(&r, "--help", NULL);
	tap_ok(strstr(r.out, "device add|del|list") != NULL,
	       "--help lists device");
	run(&r, "events", "-h", NULL);
	tap_ok(r.status == 0 && strstr(r.out, "--timeout SEC"), "events -h");
	USAGE("unknown command 'frob'", "frob");
	USAGE("unknown command 'frob'", "--json", "frob");
}

static void test_peer_usage(void)
{
	USAGE("address: '192.0.2.300' is not an IPv4 or IPv6 address",
	      "peer", "add", "192.0.2.300", id);
	USAGE("peer add: missing ADDR", "peer", "add");
	USAGE("peer add: missing ID (64 hex digits)", "peer", "add", "192.0.2.7");
	USAGE("id: 'abc' must be 64 hex digits (32 bytes), not 3",
	      "peer", "add", "192.0.2.7", "abc");
	USAGE("validity: '30' has no unit (ms, s, m, h or d)",
	      "peer", "add", "192.0.2.7", id, "validity", "30");
	USAGE("validity: '8d' is longer than the maximum of 7d",
	      "peer", "add", "192.0.2.7", id, "validity", "8d");
	USAGE("state: 'frozen' is not one of attested or quarantined",
	      "peer", "add", "192.0.2.7", id, "state", "frozen");
	USAGE("evidence: '12' must be 64 hex digits (32 bytes), not 2",
	      "peer", "add", "192.0.2.7", id, "evidence", "12");
	USAGE("peer add: unknown option 'colour' (expected validity, state or evidence)",
	      "peer", "add", "192.0.2.7", id, "colour", "red");
	USAGE("peer add: unknown option 'reason' (expected validity, state or evidence)",
	      "peer", "add", "192.0.2.7", id, "reason", "admin");
	USAGE("peer add: option 'validity' needs a value",
	      "peer", "add", "192.0.2.7", id, "validity");
	USAGE("peer add: option 'validity' given twice",
	      "peer", "add", "192.0.2.7", id, "validity", "30s", "validity", "1m");
	USAGE("peer set: nothing to change (give state, validity or evidence)",
	      "peer", "set", "192.0.2.7");
	USAGE("peer set: nothing to change (give state, validity or evidence)",
	      "peer", "set", "192.0.2.7", "reason", "admin");
	USAGE("reason: 'because' is not one of admin, attestation-failed, consensus or reattested",
	      "peer", "set", "192.0.2.7", "state", "quarantined", "reason", "because");
	USAGE("reason: 'expired' is not one of admin, attestation-failed, consensus or reattested",
	      "peer", "del", "192.0.2.7", "reason", "expired");
	USAGE("peer del: unknown option 'now' (expected reason)",
	      "peer", "del", "192.0.2.7", "now");
	USAGE("peer show: missing ADDR", "peer", "show");
	USAGE("address: '2001:db8::/64' is not an IPv4 or IPv6 address",
	      "peer", "show", "2001:db8::/64");
	USAGE("peer show: unexpected 'extra'", "peer", "show", "192.0.2.7", "extra");
	USAGE("peer list: unexpected 'all'", "peer", "list", "all");
	USAGE("peer flush: unknown option 'all' (expected reason)",
	      "peer", "flush", "all");
	USAGE("peer: missing subcommand (add, set, del, list, show or flush)", "peer");
	USAGE("peer: unknown subcommand 'remove' (add, set, del, list, show or flush)",
	      "peer", "remove", "192.0.2.7");
}

static void test_other_usage(void)
{
	USAGE("prefix: '192.0.2.1/24' has host bits set (did you mean 192.0.2.0/24?)",
	      "subnet", "add", "192.0.2.1/24");
	USAGE("prefix: '2001:db8::/200' has a bad prefix length '200' (0..128 for IPv6)",
	      "subnet", "del", "2001:db8::/200");
	USAGE("subnet add: missing PREFIX", "subnet", "add");
	USAGE("subnet add: unexpected '198.51.100.0/24'",
	      "subnet", "add", "192.0.2.0/24", "198.51.100.0/24");
	USAGE("subnet: unknown subcommand 'show' (add, del or list)", "subnet", "show");
	USAGE("mode: 'off' is not one of enforce or monitor", "mode", "off");
	USAGE("mode: missing enforce or monitor", "mode");
	USAGE("config set: nothing to change (give hs-port, validity, hs-rate, hs-burst, hs-total-rate or agent-mark)",
	      "config", "set");
	USAGE("agent-mark: '0x1ffffffff' is out of range 0..4294967295",
	      "config", "set", "agent-mark", "0x1ffffffff");
	USAGE("agent-mark: 'mark' is not a number",
	      "config", "set", "agent-mark", "mark");
	USAGE("agent-mark: '0x' is not a number (decimal or 0x hex)",
	      "config", "set", "agent-mark", "0x");
	USAGE("hs-total-rate: '0' is out of range 1..1000000",
	      "config", "set", "hs-total-rate", "0");
	USAGE("hs-total-rate: '0x10' is not a number",
	      "config", "set", "hs-total-rate", "0x10");
	USAGE("config set: option 'agent-mark' given twice",
	      "config", "set", "agent-mark", "1", "agent-mark", "2");
	USAGE("hs-port: '70000' is out of range 0..65535",
	      "config", "set", "hs-port", "70000");
	USAGE("hs-rate: '0' is out of range 1..1000000",
	      "config", "set", "hs-rate", "0");
	USAGE("hs-burst: 'lots' is not a number",
	      "config", "set", "hs-burst", "lots");
	USAGE("validity: '0s' must be at least 1ms",
	      "config", "set", "validity", "0s");
	USAGE("config set: unknown option 'mode' (expected hs-port, validity, hs-rate, hs-burst, hs-total-rate or agent-mark)",
	      "config", "set", "mode", "monitor");
	USAGE("config: unknown subcommand 'get' (show or set)", "config", "get");
	USAGE("count: '0' is out of range 1..4294967295",
	      "events", "--count", "0");
	USAGE("timeout: 'soon' is not a number", "events", "--timeout", "soon");
	USAGE("events: '--count' needs a value", "events", "--count");
	USAGE("events: unknown option '--follow' (expected --count or --timeout)",
	      "events", "--follow");
	USAGE("stats: unexpected 'all'", "stats", "all");
	USAGE("device: missing subcommand (add, del or list)", "device");
	USAGE("device: unknown subcommand 'show' (add, del or list)",
	      "device", "show", "lo");
	USAGE("device add: missing DEV", "device", "add");
	USAGE("device del: unexpected 'eth1'", "device", "del", "lo", "eth1");
	USAGE("device list: unexpected 'all'", "device", "list", "all");
	USAGE("device: 'abcdefghijklmnop' is longer than an interface name (15 characters)",
	      "device", "add", "abcdefghijklmnop");
	USAGE("device: 'a/b' is not an interface name (no '/', ':' or spaces)",
	      "device", "del", "a/b");
	USAGE("device: '' is not an interface name", "device", "add", "");
	USAGE("seal: unexpected 'now'", "seal", "now");
}

/* Valid input passes parsing and fails only for want of leo.ko. */
static void kernel_missing(const char *name, struct result *r)
{
	tap_ok(r->status == 1 && strstr(r->err, "is leo.ko loaded?"),
	       "%s: well-formed, fails with status 1 without leo.ko (got %d)",
	       name, r->status);
}

#define RUNTIME(...) do {						\
	struct result r_;						\
	run(&r_, __VA_ARGS__, NULL);					\
	kernel_missing(#__VA_ARGS__, &r_);				\
} while (0)

/* A well-formed name of no device here: runtime error 1, said so. */
static void test_missing_device(void)
{
	struct result r;

	run(&r, "device", "add", "leo-nosuch9", NULL);
	tap_ok(r.status == 1, "device add of a missing device: status 1 (got %d)",
	       r.status);
	tap_streq(r.err,
		  "leoctl: device add: No such device (device: 'leo-nosuch9' is not a network device of this namespace)\n",
		  "  names the field and the value");
	run(&r, "device", "del", "leo-nosuch9", NULL);
	tap_ok(r.status == 1 && strstr(r.err, "leoctl: device del: No such device"),
	       "device del of a missing device: status 1");
}

static void test_well_formed(void)
{
	RUNTIME("peer", "add", "192.0.2.7", id, "validity", "1h30m", "state",
		"quarantined", "evidence", id);
	RUNTIME("--json", "peer", "list");
	RUNTIME("peer", "list", "--json");
	RUNTIME("peer", "set", "2001:db8::7", "state", "attested", "reason",
		"reattested");
	RUNTIME("peer", "del", "192.0.2.7", "reason", "consensus");
	RUNTIME("peer", "flush");
	RUNTIME("subnet", "add", "2001:db8::/64");
	RUNTIME("subnet", "list");
	RUNTIME("mode", "monitor");
	RUNTIME("config");
	RUNTIME("config", "show");
	RUNTIME("config", "set", "hs-port", "0", "validity", "5m");
	RUNTIME("config", "set", "agent-mark", "0x1e0", "hs-total-rate", "100");
	RUNTIME("config", "set", "agent-mark", "0");
	RUNTIME("device", "add", "lo");
	RUNTIME("device", "del", "lo");
	RUNTIME("device", "list", "--json");
	RUNTIME("stats");
	RUNTIME("events", "--count", "1", "--timeout", "1");
	RUNTIME("seal");
}

int main(void)
{
	find_leoctl();
	if (access(leoctl, X_OK)) {
		printf("Bail out! no leoctl at %s: %s\n", leoctl, strerror(errno));
		return 1;
	}
	if (unshare(CLONE_NEWNET)) {
		printf("Bail out! cannot enter a network namespace of its own "
		       "(unshare(CLONE_NEWNET): %s); refusing to run leoctl in "
		       "the host's\n", strerror(errno));
		return 1;
	}
	printf("# leoctl: %s, in a private network namespace\n", leoctl);
	test_help();
	test_peer_usage();
	test_other_usage();
	test_missing_device();
	test_well_formed();
	return tap_done();
}
