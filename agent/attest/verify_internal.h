/* SPDX-License-Identifier: GPL-2.0 */
/* Pieces of the verifier shared between its files; not an API. */
#ifndef ATTEST_VERIFY_INTERNAL_H
#define ATTEST_VERIFY_INTERNAL_H

#include "attest/verify.h"

/* Record a failure; extra ones beyond the list are only counted */
void attest_fail(struct attest_result *res, enum attest_reason r, int pcr,
		 int64_t entry, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Attach a path/name and digest to the failure just recorded */
void attest_fail_file(struct attest_result *res, const char *path,
		      size_t path_len, const char *algo, const uint8_t *digest,
		      size_t digest_len);

/* Signature, structure, qualifying data and PCR digest of the quote */
int attest_check_quote(const struct attest_peer *peer,
		       const struct attest_expect *exp,
		       const struct attest_evidence *ev,
		       struct attest_result *res);

/*
 * Replay the IMA log of @ev from @peer's verified prefix (or from scratch
 * when ev->ima_start is 0) and apply the policy to the newly covered
 * entries. Works on @next (a copy of @peer to commit on success).
 */
int attest_check_ima(struct attest_peer *next,
		     const struct attest_policy *pol,
		     const struct attest_evidence *ev,
		     struct attest_result *res);

/* One ima-buf entry recorded by leo.ko ("leo:*" event names) */
void attest_check_leo_record(struct attest_peer *next,
			     const struct attest_policy *pol,
			     const struct ima_entry *e,
			     struct attest_result *res);
/* After the log: policy demands on leo's state (e.g. sealed) */
void attest_check_leo_final(const struct attest_peer *next,
			    const struct attest_policy *pol,
			    struct attest_result *res);

#endif /* ATTEST_VERIFY_INTERNAL_H */
