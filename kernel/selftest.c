// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel self-tests of the pure parts of the packet path: prefix
 * masking, subnet matching and the token bucket. They run at load time
 * when the module parameter selftest=1 is given, and a failure makes the
 * load fail, so `insmod leo.ko selftest=1` is a test in itself.
 *
 * Locking: the tests use a private struct leo_net that nothing else can
 * see; they take its mutex as the real writers do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inet.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "leo.h"

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run the in-kernel self-tests at load");

static void leo_test_addr(struct leo_addr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	if (in4_pton(text, -1, (u8 *)&a->ip4, -1, NULL)) {
		a->family = AF_INET;
		return;
	}
	if (in6_pton(text, -1, a->ip6.s6_addr, -1, NULL))
		a->family = AF_INET6;
}

static int leo_test_add(struct leo_net *ln, const char *text, u8 plen)
{
	struct leo_prefix pfx = { .plen = plen };
	struct leo_subnets *set;

	leo_test_addr(&pfx.addr, text);
	mutex_lock(&ln->lock);
	set = leo_subnets_with(ln, &pfx);
	if (!IS_ERR(set))
		leo_subnets_publish(ln, set);
	mutex_unlock(&ln->lock);
	return PTR_ERR_OR_ZERO(set);
}

static bool leo_test_protected(struct leo_net *ln, const char *text)
{
	struct leo_addr a;
	bool hit;

	leo_test_addr(&a, text);
	rcu_read_lock();
	hit = leo_subnet_protected(ln, &a);
	rcu_read_unlock();
	return hit;
}

static const struct {
	const char *addr;
	bool protected;
} leo_subnet_cases[] = {
	{ "192.0.2.1", true }, { "192.0.2.255", true },
	{ "192.0.3.1", false }, { "198.51.100.7", true },
	{ "198.51.100.8", false }, { "203.0.113.1", false },
	{ "2001:db8::1", true }, { "2001:db8:0:1::1", false },
	{ "2001:db8:1:2::3", true }, { "2001:db9::1", false },
	{ "::ffff:192.0.2.1", false },
};

static int leo_test_subnets(struct leo_net *ln)
{
	unsigned int i;
	int fails = 0;

	if (leo_test_add(ln, "192.0.2.0", 24) ||
	    leo_test_add(ln, "198.51.100.7", 32) ||
	    leo_test_add(ln, "2001:db8::", 64) ||
	    leo_test_add(ln, "2001:db8:1::", 48) ||
	    leo_test_add(ln, "192.0.2.0", 24) != -EEXIST)
		fails++;
	for (i = 0; i < ARRAY_SIZE(leo_subnet_cases); i++) {
		if (leo_test_protected(ln, leo_subnet_cases[i].addr) ==
		    leo_subnet_cases[i].protected)
			continue;
		pr_err("selftest: subnet match wrong for %s\n",
		       leo_subnet_cases[i].addr);
		fails++;
	}
	return fails;
}

static int leo_test_mask(void)
{
	struct leo_addr a, want;

	leo_test_addr(&a, "2001:db8:ffff:ffff::1");
	leo_addr_mask(&a, 36);
	leo_test_addr(&want, "2001:db8:f000::");
	if (memcmp(&a, &want, sizeof(a)))
		return 1;
	leo_test_addr(&a, "192.0.2.77");
	leo_addr_mask(&a, 0);
	return a.ip4 != 0;
}

/* A fresh bucket grants exactly the burst when no time passes. */
static int leo_test_bucket(void)
{
	struct leo_bucket b = { .state = ATOMIC64_INIT(0) };
	unsigned int granted = 0, i;

	for (i = 0; i < 100; i++)
		granted += leo_bucket_take(&b, 1, 7, 1);
	/* a jiffy may pass and refill at most a token at 1/s */
	return granted < 7 || granted > 8;
}

/*
 * A GSO packet pays one token per segment: 45 segments never fit a burst
 * of 40, and a refused take leaves the tokens for smaller packets.
 */
static int leo_test_bucket_segments(void)
{
	struct leo_bucket b = { .state = ATOMIC64_INIT(0) };

	return leo_bucket_take(&b, 1, 40, 45) ||
	       !leo_bucket_take(&b, 1, 40, 30) ||
	       leo_bucket_take(&b, 1, 40, 20);
}

/*
 * A time another CPU stamped just after this one read the clock adds no
 * tokens: an empty bucket stamped 100 ms ahead still refuses.
 */
static int leo_test_bucket_skew(void)
{
	u64 ahead = jiffies_to_msecs(jiffies) + 100;
	struct leo_bucket b;

	atomic64_set(&b.state, (ahead << 32) | 1);
	return leo_bucket_take(&b, 1000, 10, 1);
}

int leo_selftest(void)
{
	struct leo_net *ln;
	int fails;

	if (!selftest)
		return 0;
	ln = kzalloc(sizeof(*ln), GFP_KERNEL);
	if (!ln)
		return -ENOMEM;
	mutex_init(&ln->lock);
	fails = leo_test_subnets(ln) + leo_test_mask() + leo_test_bucket() +
		leo_test_bucket_segments() + leo_test_bucket_skew();
	mutex_lock(&ln->lock);
	leo_subnets_destroy(ln);
	mutex_unlock(&ln->lock);
	kfree(ln);
	if (fails) {
		pr_err("selftest: %d failures\n", fails);
		return -EINVAL;
	}
	pr_info("selftest: all passed\n");
	return 0;
}
