// SPDX-License-Identifier: GPL-2.0
/*
 * Protected subnets: the set of prefixes whose traffic leo enforces.
 *
 * Locking: the set is an immutable array published with
 * rcu_assign_pointer(). Writers hold ln->lock, build a new array
 * (leo_subnets_with/without), publish it (the caller may first record
 * the change and drop the new array instead) and free the old one with
 * kvfree_rcu. leo_subnet_protected() runs under the RCU read lock on the
 * packet path: for each prefix length present it masks the address once
 * and binary-searches the sorted entries of that length, so a lookup
 * costs at most (number of distinct lengths) searches, not one compare
 * per prefix.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "leo.h"

static size_t leo_addr_len(u16 family)
{
	return family == AF_INET ? 4 : 16;
}

static __be32 leo_mask32(unsigned int bits)
{
	if (bits >= 32)
		return htonl(~0U);
	return bits ? htonl(~0U << (32 - bits)) : 0;
}

void leo_addr_mask(struct leo_addr *addr, u8 plen)
{
	unsigned int i;

	if (addr->family == AF_INET) {
		addr->ip4 &= leo_mask32(plen);
		return;
	}
	for (i = 0; i < 4; i++) {
		unsigned int bits = plen > 32 * i ? plen - 32 * i : 0;

		addr->ip6.s6_addr32[i] &= leo_mask32(bits);
	}
}

/* Order: family, longest prefix first, then address bytes. */
static int leo_prefix_cmp(const void *a, const void *b)
{
	const struct leo_prefix *x = a, *y = b;

	if (x->addr.family != y->addr.family)
		return x->addr.family < y->addr.family ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	return memcmp(&x->addr.ip6, &y->addr.ip6, leo_addr_len(x->addr.family));
}

static void leo_subnets_group(struct leo_subnets *set)
{
	struct leo_prefix_group *g = NULL;
	u32 i;

	set->ngroups = 0;
	for (i = 0; i < set->count; i++) {
		const struct leo_prefix *p = &set->p[i];

		if (!g || g->family != p->addr.family || g->plen != p->plen) {
			g = &set->groups[set->ngroups++];
			g->family = p->addr.family;
			g->plen = p->plen;
			g->start = i;
			g->count = 0;
		}
		g->count++;
	}
}

static bool leo_group_contains(const struct leo_subnets *set,
			       const struct leo_prefix_group *g,
			       const struct leo_addr *masked)
{
	size_t len = leo_addr_len(g->family);
	u32 lo = g->start, hi = g->start + g->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = memcmp(&set->p[mid].addr.ip6, &masked->ip6, len);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool leo_subnet_protected(struct leo_net *ln, const struct leo_addr *addr)
{
	const struct leo_subnets *set = rcu_dereference(ln->subnets);
	struct leo_addr masked;
	u32 i;

	if (!set)
		return false;
	for (i = 0; i < set->ngroups; i++) {
		const struct leo_prefix_group *g = &set->groups[i];

		if (g->family != addr->family)
			continue;
		masked = *addr;
		leo_addr_mask(&masked, g->plen);
		if (leo_group_contains(set, g, &masked))
			return true;
	}
	return false;
}

struct leo_subnets *leo_subnets_current(struct leo_net *ln)
{
	return rcu_dereference_protected(ln->subnets,
					 lockdep_is_held(&ln->lock));
}

u32 leo_subnet_count(struct leo_net *ln)
{
	struct leo_subnets *set = leo_subnets_current(ln);

	return set ? set->count : 0;
}

static int leo_subnet_find(const struct leo_subnets *set,
			   const struct leo_prefix *pfx)
{
	u32 i;

	for (i = 0; set && i < set->count; i++)
		if (!leo_prefix_cmp(&set->p[i], pfx))
			return i;
	return -1;
}

static struct leo_subnets *leo_subnets_alloc(u32 count)
{
	struct leo_subnets *set;

	set = kvzalloc(struct_size(set, p, count), GFP_KERNEL_ACCOUNT);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->count = count;
	return set;
}

/* Makes @set (from leo_subnets_with/without) the namespace's set. */
void leo_subnets_publish(struct leo_net *ln, struct leo_subnets *set)
{
	struct leo_subnets *old = leo_subnets_current(ln);

	if (!set->count) {
		kvfree(set);
		set = NULL;
	} else {
		sort(set->p, set->count, sizeof(set->p[0]), leo_prefix_cmp,
		     NULL);
		leo_subnets_group(set);
	}
	rcu_assign_pointer(ln->subnets, set);
	/* Zero means "unset" to genl_dump_check_consistent(): skip it. */
	if (++ln->subnet_gen == 0)
		ln->subnet_gen = 1;
	if (old)
		kvfree_rcu(old, rcu);
}

/* The set with @pfx added, not yet published (ERR_PTR on error). */
struct leo_subnets *leo_subnets_with(struct leo_net *ln,
				     const struct leo_prefix *pfx)
{
	struct leo_subnets *old = leo_subnets_current(ln), *set;
	u32 n = old ? old->count : 0;

	if (leo_subnet_find(old, pfx) >= 0)
		return ERR_PTR(-EEXIST);
	if (n >= LEO_MAX_SUBNETS)
		return ERR_PTR(-ENOSPC);
	set = leo_subnets_alloc(n + 1);
	if (IS_ERR(set))
		return set;
	if (n)
		memcpy(set->p, old->p, n * sizeof(set->p[0]));
	set->p[n] = *pfx;
	return set;
}

/* The set without @pfx, not yet published (it may be empty). */
struct leo_subnets *leo_subnets_without(struct leo_net *ln,
					const struct leo_prefix *pfx)
{
	struct leo_subnets *old = leo_subnets_current(ln), *set;
	int idx = leo_subnet_find(old, pfx);
	u32 n;

	if (idx < 0)
		return ERR_PTR(-ENOENT);
	n = old->count - 1;
	set = leo_subnets_alloc(n);
	if (IS_ERR(set))
		return set;
	memcpy(set->p, old->p, idx * sizeof(set->p[0]));
	memcpy(set->p + idx, old->p + idx + 1, (n - idx) * sizeof(set->p[0]));
	return set;
}

void leo_subnets_destroy(struct leo_net *ln)
{
	struct leo_subnets *set = leo_subnets_current(ln);

	RCU_INIT_POINTER(ln->subnets, NULL);
	if (set)
		kvfree_rcu(set, rcu);
}
