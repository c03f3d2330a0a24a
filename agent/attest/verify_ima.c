// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the IMA log against PCR 10 and the policy. The replay (agent/
 * ima) proves which prefix of the log the quote covers; the peer state
 * advances to that prefix only. Every entry received is judged by the
 * policy, as Keylime does, including those the quote does not cover yet
 * (they are judged again once quoted). Works on a copy of the peer state
 * that the caller commits only if everything passed.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "attest/quote.h"
#include "attest/verify_internal.h"
#include "ima/ima_ascii.h"

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

/*
 * A file entry. As in Keylime, it passes if its path is excluded, if its
 * ima-sig signature verifies with a key of the policy's
 * "verification-keys", or if the policy lists its path with this
 * algorithm and digest. A signature that does not verify (unknown key,
 * bad header, other algorithm, wrong signature) is not a verdict of its
 * own: the digest list still decides, and only if that fails too is the
 * signature's defect the reason reported ("file-signature"; an unknown
 * key is named in the detail of "file-unknown"/"file-digest"). The
 * cheapest checks go first; the order changes no verdict.
 */
static void check_file(const struct attest_policy *pol,
		       const struct ima_entry *e, struct attest_result *res)
{
	enum attest_file_verdict v;
	enum attest_sig_verdict s;
	struct attest_sig_info info;

	v = attest_policy_check_file(pol, e->path, e->path_len, e->digest_algo,
				     e->digest, e->digest_len);
	if (v == ATTEST_FILE_ALLOWED || v == ATTEST_FILE_EXCLUDED ||
	    e->template_id != IMA_TEMPLATE_IMA_SIG || !e->sig_len ||
	    !attest_policy_key_count(pol)) {
		check_verdict(res, v, e);
		return;
	}
	s = attest_policy_check_sig(pol, e->digest_algo, e->digest,
				    e->digest_len, e->sig, e->sig_len, &info);
	if (s == ATTEST_SIG_VALID)
		return;
	if (s != ATTEST_SIG_UNKNOWN_KEY)
		file_failure(res, ATTEST_R_FILE_SIGNATURE, e, info.why);
	else if (v == ATTEST_FILE_UNKNOWN)
		attest_fail(res, ATTEST_R_FILE_UNKNOWN, ATTEST_IMA_PCR,
			    e->index, "measured file is not in the policy; %s",
			    info.why);
	else
		attest_fail(res, ATTEST_R_FILE_DIGEST, ATTEST_IMA_PCR,
			    e->index, "file digest not allowed; %s", info.why);
	if (s == ATTEST_SIG_UNKNOWN_KEY)
		attest_fail_file(res, e->path, e->path_len,
				 ima_hash_algo_name(e->digest_algo), e->digest,
				 e->digest_len);
}

/*
 * boot_aggregate pinned in the policy ("digests": {"boot_aggregate": [...]},
 * as Keylime's policies do, e.g. for a sha1 log) must be one of those
 * digests, algorithm and value; excludes never apply to it. Not pinned,
 * it must be the hash of the quoted PCRs 0-7 or 0-9; without a quote
 * (@quote NULL, attest_check_log) there are no PCRs to compare with.
 */
static void check_boot_aggregate(const struct attest_policy *pol,
				 const struct attest_evidence *quote,
				 const struct ima_entry *e,
				 struct attest_result *res)
{
	enum attest_file_verdict v;

	v = attest_policy_check_listed(pol, e->path, e->path_len,
				       e->digest_algo, e->digest, e->digest_len);
	if (v == ATTEST_FILE_BAD_DIGEST)
		file_failure(res, ATTEST_R_PCR_GOLDEN, e,
			     "boot_aggregate is none of the policy's digests (algorithm and value)");
	else if (v == ATTEST_FILE_UNKNOWN && quote &&
		 !boot_aggregate_ok(quote, e))
		file_failure(res, ATTEST_R_PCR_GOLDEN, e,
			     "boot_aggregate matches neither PCRs 0-9 nor the policy");
}

static bool is_boot_aggregate(const struct ima_entry *e)
{
	return e->template_id != IMA_TEMPLATE_IMA_BUF && !e->violation &&
	       e->pcr == ATTEST_IMA_PCR && !strcmp(e->path, "boot_aggregate");
}

static void check_entry(struct attest_peer *next,
			const struct attest_policy *pol,
			const struct attest_evidence *quote,
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
	if (e->index == 0 && is_boot_aggregate(e)) {
		check_boot_aggregate(pol, quote, e, res);
		return;
	}
	check_file(pol, e, res);
}

/* An entry past the quoted prefix was not replayed: check its hash here */
static bool template_hash_ok(const struct ima_entry *e)
{
	uint8_t sha1[IMA_SHA1_LEN];

	return e->violation ||
	       (!ima_entry_template_hash(e, IMA_BANK_SHA1, sha1) &&
		!memcmp(sha1, e->template_digest, IMA_SHA1_LEN));
}

/*
 * Judge every entry of the log (@len bytes from entry @start) by the
 * policy: the first @n (the quoted prefix) against @next, the rest against
 * a scratch copy of it, so that leo's records past the prefix are checked
 * in sequence but leave the state that is kept untouched. @tail_out (may
 * be NULL) receives the state after the last entry. @quote is NULL when
 * there is none (attest_check_log): then n is 0.
 */
static void check_entries(struct attest_peer *next,
			  const struct attest_policy *pol,
			  const struct attest_evidence *quote,
			  const uint8_t *log, size_t len, uint64_t start,
			  uint64_t n, struct attest_result *res,
			  struct attest_peer *tail_out)
{
	static const char no_ba[] =
		"IMA required: the log does not start with boot_aggregate";
	struct attest_peer tail;
	struct ima_log_iter it;
	struct ima_log_error err;
	struct ima_entry e;
	uint64_t i = 0;
	int rc;

	rc = ima_log_iter_init_at(&it, log, len, 0, start, &err) ? -1 : 1;
	while (rc == 1 && (rc = ima_log_next(&it, &e, &err)) == 1) {
		if (i == n)
			tail = *next;
		if (e.index == 0 && !is_boot_aggregate(&e) &&
		    attest_policy_require_ima(pol))
			attest_fail(res, ATTEST_R_IMA_MISSING, ATTEST_IMA_PCR, 0,
				    no_ba);
		if (i >= n && !template_hash_ok(&e))
			attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR,
				    e.index,
				    "template digest does not match the template data");
		else
			check_entry(i < n ? next : &tail, pol, quote, &e, res);
		i++;
	}
	if (rc < 0)
		attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR, err.index,
			    "%s", err.msg);
	else if (i < n)		/* the replay parsed these bytes already */
		attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR, start + i,
			    "entry could not be judged by the policy");
	if (start == 0 && i == 0 && attest_policy_require_ima(pol))
		attest_fail(res, ATTEST_R_IMA_MISSING, ATTEST_IMA_PCR, 0, no_ba);
	res->entries_pending = i > n ? i - n : 0;
	if (tail_out)
		*tail_out = i > n ? tail : *next;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
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
	if (attest_policy_require_ima(pol) &&
	    all_zero(ev->pcr[ATTEST_IMA_PCR], ATTEST_PCR_LEN))
		attest_fail(res, ATTEST_R_IMA_MISSING, ATTEST_IMA_PCR, -1,
			    "IMA required: the quoted PCR 10 is zero");
	check_entries(next, pol, ev, ev->ima_log, ev->ima_len, ev->ima_start,
		      next->replay.entries - ev->ima_start, res, NULL);
	res->entries_new = next->replay.entries - ev->ima_start;
	res->entries_total = next->replay.entries;
	return res->pass ? 0 : -1;
}

int attest_check_log(const struct attest_policy *pol, const void *log,
		     size_t len, enum attest_log_format format,
		     struct attest_result *res)
{
	struct attest_peer next, tail;
	struct ima_log_error err = { 0 };
	uint8_t *bin = NULL;
	size_t bin_len = len;

	memset(res, 0, sizeof(*res));
	res->pass = true;
	res->no_quote = true;
	if (format == ATTEST_LOG_ASCII &&
	    ima_ascii_to_binary(log, len, &bin, &bin_len, &err)) {
		attest_fail(res, ATTEST_R_IMA_LOG, ATTEST_IMA_PCR, err.index,
			    "%s", err.msg);
		return -1;
	}
	memset(&next, 0, sizeof(next));
	reset_prefix(&next);
	check_entries(&next, pol, NULL, bin ? bin : log, bin_len, 0, 0, res,
		      &tail);
	attest_check_leo_final(&tail, pol, res);
	free(bin);
	return res->pass ? 0 : -1;
}
