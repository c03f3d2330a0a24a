/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A comparable picture of a namespace's leo state: every peer (without its
 * clocks and counters, which move on their own), every subnet and the
 * configuration, as sorted text lines. Tests take one before and one after
 * a refused request and require them equal.
 */
#ifndef LEO_SNAPSHOT_H
#define LEO_SNAPSHOT_H

#include <stdbool.h>
#include "leo_genl.h"

struct snapshot {
	char **lines;
	unsigned int n, cap;
	unsigned int npeers, nsubnets;
};

int snapshot_take(struct leo_sock *s, struct snapshot *snap);
void snapshot_free(struct snapshot *snap);
/* Number of differing lines; each difference is printed to stderr. */
unsigned int snapshot_diff(const struct snapshot *a, const struct snapshot *b);
bool snapshot_has(const struct snapshot *snap, const char *prefix);
unsigned int snapshot_duplicates(const struct snapshot *snap);

#endif /* LEO_SNAPSHOT_H */
