// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier checks on the records leo.ko measures into IMA, decoded by
 * agent/ima (leo_records.h): a record must be valid, sequence numbers of
 * one module load must have no gap (a gap means decisions went
 * unmeasured), a seal must name an executable the policy allows, and
 * monitor mode needs the policy's consent. State lives in the peer copy
 * being verified; no globals.
 */
#include <linux/leo.h>
#include <linux/leo_measure.h>

#include "attest/quote.h"
#include "attest/verify_internal.h"

static const char *sequence_error(struct attest_peer *next,
				  const struct leo_record *r)
{
	bool new_instance = false;
	uint64_t missing = leo_seq_track(&next->leo_seq, r, &new_instance);

	if (new_instance)
		next->leo_sealed = false;	/* a reload starts unsealed */
	if (missing == UINT64_MAX)
		return "record numbers do not increase";
	if (missing)
		return "gap in record numbers: decisions went unmeasured";
	return NULL;
}

static const char *content_error(struct attest_peer *next,
				 const struct attest_policy *pol,
				 const struct leo_record *r)
{
	if (r->op == LEO_MEASURE_OP_SEAL) {
		if (!attest_policy_leo_seal_allowed(pol, r->u.seal.exe_digest))
			return "control plane sealed to an executable the policy does not allow";
		next->leo_sealed = true;
	}
	if (r->op == LEO_MEASURE_OP_CONFIG &&
	    r->u.config.mode != LEO_MODE_ENFORCE &&
	    !attest_policy_leo_allow_monitor(pol))
		return "leo runs in monitor mode";
	return NULL;
}

static void leo_failure(struct attest_result *res, const struct ima_entry *e,
			const char *why)
{
	attest_fail(res, ATTEST_R_LEO_RECORD, e->pcr, e->index, "%s", why);
	attest_fail_file(res, e->path, e->path_len,
			 ima_hash_algo_name(e->digest_algo), e->digest,
			 e->digest_len);
}

void attest_check_leo_record(struct attest_peer *next,
			     const struct attest_policy *pol,
			     const struct ima_entry *e,
			     struct attest_result *res)
{
	struct ima_log_error err;
	struct leo_record r;
	const char *why;

	if (leo_record_decode(e, &r, &err) != 1) {
		leo_failure(res, e, err.msg);
		return;
	}
	why = sequence_error(next, &r);
	if (!why)
		why = content_error(next, pol, &r);
	if (why)
		leo_failure(res, e, why);
}

void attest_check_leo_final(const struct attest_peer *next,
			    const struct attest_policy *pol,
			    struct attest_result *res)
{
	if (attest_policy_leo_require_seal(pol) && !next->leo_sealed)
		attest_fail(res, ATTEST_R_LEO_RECORD, ATTEST_IMA_PCR, -1,
			    "policy requires a sealed leo control plane; no seal record");
}
