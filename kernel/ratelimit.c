// SPDX-License-Identifier: GPL-2.0
/*
 * Token buckets for the packet path: limits on handshake packets from
 * unattested hosts, per source prefix (/32 for IPv4, /64 for IPv6: one
 * IPv6 host usually holds a whole /64) and over all sources together, and
 * the namespace's drop-event budget. A GSO packet costs one token per
 * segment, so a sender cannot pack tens of segments into one token.
 *
 * Locking: none. A bucket is one 64-bit word (last refill time in ms,
 * milli-tokens) updated with cmpxchg, so softirqs on several CPUs may race
 * on it without a lock and nothing is allocated per packet. Sources map
 * to a preallocated table of buckets through siphash with a per-namespace
 * random key, so a remote host cannot choose addresses that share a
 * bucket with a victim. Two sources that collide share one budget, which
 * only ever makes the limit stricter.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "leo.h"

#define LEO_MILLI	1000U

/* How far one CPU's clock reading may trail a time another CPU stored. */
#define LEO_CLOCK_SLACK_MS	1000

/*
 * Milliseconds from @last to *@stamp. Another CPU may have stamped the
 * bucket with a later time since this one read the clock: then no time
 * has passed (not 2^32 ms, a full bucket) and the later stamp is kept.
 */
static u32 leo_bucket_elapsed(u32 last, u32 *stamp)
{
	s32 d = *stamp - last;

	if (d < 0 && d > -(s32)LEO_CLOCK_SLACK_MS) {
		*stamp = last;
		return 0;
	}
	return *stamp - last;
}

/* Tokens in the bucket at *@stamp (ms), never more than the burst. */
static u32 leo_bucket_level(u64 state, u32 *stamp, u32 rate, u32 cap)
{
	u32 last = state >> 32, level = (u32)state;
	u64 refill;

	if (!state)			/* never used: full */
		return cap;
	refill = (u64)leo_bucket_elapsed(last, stamp) * rate + level;
	return min_t(u64, refill, cap);
}

/*
 * Take @n tokens (n <= 65535, the most segments one skb can carry);
 * false, and nothing taken, if the bucket holds fewer.
 */
bool leo_bucket_take(struct leo_bucket *b, u32 rate, u32 burst, u32 n)
{
	u32 now = jiffies_to_msecs(jiffies), cap = burst * LEO_MILLI;
	u32 cost = n * LEO_MILLI;
	s64 old = atomic64_read(&b->state);
	u32 stamp, level;
	u64 new;

	do {
		stamp = now;
		level = leo_bucket_level(old, &stamp, rate, cap);
		if (level < cost)
			return false;
		new = ((u64)stamp << 32) | (level - cost);
		if (!new)		/* 0 means "never used" */
			new = 1;
	} while (!atomic64_try_cmpxchg(&b->state, &old, new));
	return true;
}

/*
 * @n handshake packets (segments) from @src: within its prefix's budget
 * and the namespace's total? The total is only charged for packets its
 * source may send, so one flooding source cannot spend it alone beyond
 * its own rate.
 */
bool leo_hs_allow(struct leo_net *ln, const struct leo_addr *src, u32 n)
{
	u32 total = READ_ONCE(ln->cfg.hs_total_rate);
	struct leo_addr key = *src;
	u64 h;

	leo_addr_mask(&key, key.family == AF_INET ? 32 : 64);
	h = siphash(&key, sizeof(key), &ln->hs_key);
	return leo_bucket_take(&ln->hs_buckets[h & (LEO_HS_BUCKETS - 1)],
			       READ_ONCE(ln->cfg.hs_rate),
			       READ_ONCE(ln->cfg.hs_burst), n) &&
	       leo_bucket_take(&ln->hs_total, total, total, n);
}

int leo_ratelimit_init(struct leo_net *ln)
{
	BUILD_BUG_ON(LEO_HS_BUCKETS & (LEO_HS_BUCKETS - 1));
	get_random_bytes(&ln->hs_key, sizeof(ln->hs_key));
	ln->hs_buckets = kvcalloc(LEO_HS_BUCKETS, sizeof(*ln->hs_buckets),
				  GFP_KERNEL_ACCOUNT);
	return ln->hs_buckets ? 0 : -ENOMEM;
}

void leo_ratelimit_destroy(struct leo_net *ln)
{
	kvfree(ln->hs_buckets);
	ln->hs_buckets = NULL;
}
