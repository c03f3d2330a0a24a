// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-log verification against PCR values (see ima_verify_log() in
 * ima_log.h). Stateless.
 */
#include "ima/ima_log.h"

#include <string.h>

int ima_verify_log(const void *log, size_t len, uint32_t banks,
		   const struct ima_pcr_target *t, size_t n,
		   struct ima_verify_result *res)
{
	struct ima_log_iter it;
	struct ima_entry e;
	uint64_t examined;
	int rc;

	memset(res, 0, sizeof(*res));
	ima_replay_init(&res->replay, banks);
	ima_log_iter_init(&it, log, len);
	rc = ima_replay_until_match(&res->replay, &it, t, n, &examined,
				    &res->err);
	if (rc > 0) {
		res->status = IMA_VERIFY_MATCH;
		res->matched_entries = res->replay.entries;
		/*
		 * The rest must parse too (a log is accepted whole or not),
		 * but the quote does not cover it: it is not replayed.
		 */
		while ((rc = ima_log_next(&it, &e, &res->err)) > 0)
			;
		res->log_entries = it.index;
		if (rc < 0) {
			res->status = IMA_VERIFY_BAD_LOG;
			return -1;
		}
		return 0;
	}
	/* No match or a bad entry: report the log's own final values. */
	res->status = rc < 0 ? IMA_VERIFY_BAD_LOG : IMA_VERIFY_NO_MATCH;
	ima_replay_init(&res->replay, banks);
	ima_log_iter_init(&it, log, len);
	if (ima_replay_all(&res->replay, &it, &res->err) < 0)
		res->status = IMA_VERIFY_BAD_LOG;
	res->log_entries = res->status == IMA_VERIFY_BAD_LOG ?
			   res->err.index : it.index;
	return -1;
}
