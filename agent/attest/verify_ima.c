// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the IMA log against PCR 10 and the policy. The replay (agent/
 * ima) proves which prefix of the log the quote covers; only that prefix
 * is judged by the policy, and only its new part: the peer state carries
 * the replay of everything verified before. Works on a copy of the peer
 * state that the caller commits only if everything passed.
 */
#include <string.h>

#include <openssl/sha.h>

#include "attest/quote.h"
#include "attest/verify_internal.h"

static const uint32_t boot_aggregate_pcrs = 0x3ff;	/* PCRs 0-9 */

/*
 * boot_aggregate is SHA-256 over PCRs 0-7 (kernels before 5.8) or 0-9;
 * an unreported PCR counts as zeros, so leaving out a populated one only
 * makes the comparison fail.
 */
static bool boot_aggregate_ok(const struct attest_evidence *ev,
			      const struct ima_entry *e)
{
	uint8_t all[10 * ATTEST_PCR_LEN] = { 0 }, d[32];

	if (e->digest_algo != IMA_HASH_SHA256 || e->digest_len != 32)
		return false;
	for (int i = 0; i < 10; i++)
		if ((ev->pcr_mask & boot_aggregate_pcrs) >> i & 1)
			memcpy(all + i * ATTEST_PCR_LEN, ev->pcr[i],
			       ATTEST_PCR_LEN);
	SHA256(all, 8 * ATTEST_PCR_LEN, d);
	if (!memcmp(d, e->digest, 32))
		return true;
	SHA256(all, 10 * ATTEST_PCR_LEN, d);
	return !memcmp(d, e->digest, 32);
}

static void file_failure(struct attest_result *res, enum attest_reason r,
			 const struct ima_entry *e, const char *what)
{
	attest_fail(res, r, ATTEST_IMA_PCR, e->index, "%s", what);
	attest_fail_file(res, e->path, e->path_len,
			 ima_hash_algo_name(e->digest_algo), e->digest,
			 e->digest_len);
}

static void check_verdict(struct attest_result *res,
			  enum attest_file_verdict v, const struct ima_entry *e)
{
	if (v == ATTEST_FILE_UNKNOWN)
		file_failure(res, ATTEST_R_FILE_UNKNOWN, e,
			     "measured file is not in the policy");
	else if (v == ATTEST_FILE_BAD_DIGEST)
		file_failure(res, ATTEST_R_FILE_DIGEST, e,
			     "file digest (algorithm and value) not allowed");
}

/* Keylime policies may list boot_aggregate too, e.g. for a sha1 log */
static void check_boot_aggregate(const struct attest_policy *pol,
				 const struct attest_evidence *ev,
				 const struct ima_entry *e,
				 struct attest_result *res)
{
	enum attest_file_verdict v;

	if (boot_aggregate_ok(ev, e))
		return;
	v = attest_policy_check_file(pol, e->path, e->path_len, e->digest_algo,
				     e->digest, e->digest_len);
	if (v == ATTEST_FILE_UNKNOWN)
		file_failure(res, ATTEST_R_PCR_GOLDEN, e,
			     "boot_aggregate matches neither PCRs 0-9 nor the policy");
	else
		check_verdict(res, v, e);
}

static void check_entry(struct attest_peer *next,
			const struct attest_policy *pol,
			const struct attest_evidence *ev,
			const struct ima_entry *e, struct attest_result *res)
{
	if (e->pcr != ATTEST_IMA_PCR) {
		attest_fail(res, ATTEST_R_IMA_PCR, e->pcr, e->index,
			    "IMA entry extends a PCR other than 10");
		return;
	}
	if (e->violation) {
		if (!attest_policy_allow_violations(pol))
			file_failure(res, ATTEST_R_VIOLATION, e,
				     "measurement violation (open writers or ToMToU)");
		return;
	}
	if (e->template_id == IMA_TEMPLATE_IMA_BUF) {
		if (leo_record_is_leo(e))
			attest_check_leo_record(next, pol, e, res);
		else
			check_verdict(res, attest_policy_check_buf(
					      pol, e->path, e->path_len,
					      e->digest_algo, e->digest,
					      e->digest_len), e);
		return;
	}
	if (e->index == 0 && !strcmp(e->path, "boot_aggregate")) {
		check_boot_aggregate(pol, ev, e, res);
		return;
	}
	check_verdict(res, attest_policy_check_file(pol, e->path, e->path_len,
						    e->digest_algo, e->digest,
						    e->digest_len), e);
}

/* Judge entries [from, from + n) of the log by the policy */
static void check_entries(struct attest_peer *next,
			  const struct attest_policy *pol,
			  const struct attest_evidence *ev, uint64_t n,
			  struct attest_result *res)
{
	struct ima_log_iter it;
	struct ima_log_error err;
	struct ima_entry e;
	uint64_t i = 0;

	if (!ima_log_iter_init_at(&it, ev->ima_log, ev->ima_len, 0,
				  ev->ima_start, &err))
		for (; i < n && ima_log_next(&it, &e, &err) == 1; i++)
			check_entry(next, pol, ev, &e, res);
	/* the replay parsed these bytes already; never pass unjudged ones */
	if (i != n)
		attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR, ev->ima_start + i,
			    "entry could not be judged by the policy");
}

static void reset_prefix(struct attest_peer *next)
{
	ima_replay_init(&next->replay, IMA_BANK_BIT(IMA_BANK_SHA256));
	memset(&next->leo_seq, 0, sizeof(next->leo_seq));
	next->leo_sealed = false;
}

int attest_check_ima(struct attest_peer *next,
		     const struct attest_policy *pol,
		     const struct attest_evidence *ev,
		     struct attest_result *res)
{
	struct ima_pcr_target t = { .bank = IMA_BANK_SHA256,
				    .pcr = ATTEST_IMA_PCR };
	struct ima_log_iter it;
	struct ima_log_error err = { 0 };
	uint64_t examined = 0;
	int rc;

	if (ev->ima_start == 0) {
		reset_prefix(next);
		res->full = true;
	} else if (ev->ima_start != next->replay.entries) {
		attest_fail(res, ATTEST_R_IMA_GAP, ATTEST_IMA_PCR, ev->ima_start,
			    "log starts at entry %llu, verified up to %llu",
			    (unsigned long long)ev->ima_start,
			    (unsigned long long)next->replay.entries);
		return -1;
	}
	memcpy(t.digest, ev->pcr[ATTEST_IMA_PCR], ATTEST_PCR_LEN);
	rc = ima_log_iter_init_at(&it, ev->ima_log, ev->ima_len, 0,
				  ev->ima_start, &err);
	if (!rc)
		rc = ima_replay_until_match(&next->replay, &it, &t, 1,
					    &examined, &err);
	if (rc < 0) {
		attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR, err.index,
			    "%s", err.msg);
		return -1;
	}
	if (rc == 0) {
		attest_fail(res, ATTEST_R_IMA_REPLAY, ATTEST_IMA_PCR, -1,
			    "no prefix of the log replays to the quoted PCR 10");
		return -1;
	}
	check_entries(next, pol, ev, next->replay.entries - ev->ima_start, res);
	res->entries_new = next->replay.entries - ev->ima_start;
	res->entries_total = next->replay.entries;
	return res->pass ? 0 : -1;
}
