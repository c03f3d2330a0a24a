/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the files of leo's IMA integration only (measure.c,
 * seal.c, securityfs.c); the rest of leo.ko uses measure.h.
 */
#ifndef _LEO_MEASURE_INTERNAL_H
#define _LEO_MEASURE_INTERNAL_H

#include <linux/types.h>

struct net;

/* A snapshot of the measurement state, for the status file. */
struct leo_measure_status {
	u64 measured;		/* records IMA logged */
	u64 failed;		/* records IMA did not log */
	u64 next_seq;		/* sequence number of the next record */
	u64 instance;		/* random id of this module load */
	bool active;		/* the last record reached the IMA log */
	bool require_ima;	/* module parameter */
};

void leo_measure_get_status(struct leo_measure_status *st);
bool leo_measure_requires_ima(void);

/*
 * Returns 0 if IMA measures leo's records. When the last record did not
 * reach the log, measures a LEO_MEASURE_OP_MEASURE_ON record to find out
 * whether a rule for label "leo" exists now. May sleep.
 */
int leo_measure_ensure_active(struct net *net);

/* Measures the seal record; returns 0 once IMA logged it. May sleep. */
int leo_measure_seal(struct net *net, const u8 *exe_digest, int hash_algo);

/* Copies the sealed digest (LEO_DIGEST_LEN bytes) if sealed. */
bool leo_seal_get(u8 *exe_digest);

int leo_securityfs_init(void);
void leo_securityfs_exit(void);

#endif /* _LEO_MEASURE_INTERNAL_H */
