// SPDX-License-Identifier: GPL-2.0
/* The IMA pass of attest_verify over a test log (see ima_pass.h). */
#include "attest/test/ima_pass.h"

#include <string.h>

struct attest_result ima_pass_upto(const struct testlog *tl,
				   const struct attest_policy *pol,
				   size_t quoted, uint64_t *verified)
{
	static struct attest_evidence ev;
	static struct attest_peer peer;
	struct attest_result res = { .pass = true };
	uint8_t sha1[20];

	memset(&ev, 0, sizeof(ev));
	memset(&peer, 0, sizeof(peer));
	ima_replay_init(&peer.replay, IMA_BANK_BIT(IMA_BANK_SHA256));
	ev.pcr_mask = 1u << ATTEST_IMA_PCR;
	testlog_expected_pcr(tl, ATTEST_IMA_PCR, quoted, sha1,
			     ev.pcr[ATTEST_IMA_PCR]);
	ev.ima_log = tl->data;
	ev.ima_len = tl->len;
	if (!attest_check_ima(&peer, pol, &ev, &res))
		attest_check_leo_final(&peer, pol, &res);
	if (verified)
		*verified = peer.replay.entries;
	return res;
}
