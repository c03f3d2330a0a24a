// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier entry point: quote checks, TPM clock and reboot tracking, boot
 * PCR golden values, then the IMA log. The peer state is copied, checked
 * against, advanced in the copy, and written back only on a pass.
 */
#include <string.h>

#include "attest/quote.h"
#include "attest/tpm_public.h"
#include "attest/verify_internal.h"

int attest_peer_init(struct attest_peer *peer, const TPMT_PUBLIC *ak)
{
	TPM2B_NAME name;
	const char *why;

	memset(peer, 0, sizeof(*peer));
	ima_replay_init(&peer->replay, IMA_BANK_BIT(IMA_BANK_SHA256));
	if (!attest_ak_attributes_ok(ak, &why) || attest_public_name(ak, &name) ||
	    name.size != sizeof(peer->ak_name))
		return -1;
	memcpy(peer->ak_name, name.name, name.size);
	peer->ak_known = true;
	return 0;
}

/*
 * resetCount and restartCount only grow while a TPM lives; a change means
 * a reboot (or resume), after which only a full log can be verified. The
 * clock must advance within a boot; across a reboot it must not go back,
 * unless the TPM says (safe = NO) that it lost clock updates in an
 * unorderly shutdown.
 */
static void check_clock(struct attest_peer *next,
			const struct attest_policy *pol,
			const struct attest_evidence *ev,
			struct attest_result *res)
{
	const TPMS_CLOCK_INFO *c = &ev->attest.clockInfo;
	bool rebooted;

	if (!next->seen)
		return;
	if (c->resetCount < next->reset_count ||
	    (c->resetCount == next->reset_count &&
	     c->restartCount < next->restart_count)) {
		attest_fail(res, ATTEST_R_CLOCK_ROLLBACK, -1, -1,
			    "TPM reset/restart count went back (%u/%u after %u/%u)",
			    c->resetCount, c->restartCount, next->reset_count,
			    next->restart_count);
		return;
	}
	rebooted = c->resetCount != next->reset_count ||
		   c->restartCount != next->restart_count;
	res->rebooted = rebooted;
	if ((!rebooted && c->clock <= next->clock) ||
	    (rebooted && c->safe == TPM2_YES && c->clock < next->clock))
		attest_fail(res, ATTEST_R_CLOCK_STALLED, -1, -1,
			    "TPM clock did not advance (%llu after %llu)",
			    (unsigned long long)c->clock,
			    (unsigned long long)next->clock);
	if (ev->attest.firmwareVersion != next->firmware &&
	    !attest_policy_allow_firmware_change(pol))
		attest_fail(res, ATTEST_R_FIRMWARE, -1, -1,
			    "TPM firmware version changed");
	if (rebooted && ev->ima_start != 0)
		attest_fail(res, ATTEST_R_REBOOT, -1, -1,
			    "TPM rebooted: incremental log refused, full log needed");
}

static void check_golden(const struct attest_policy *pol,
			 const struct attest_evidence *ev,
			 struct attest_result *res)
{
	uint32_t mask = attest_policy_pcr_mask(pol);

	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		const uint8_t (*vals)[32];
		size_t n;
		bool ok = false;

		if (!((mask >> i) & 1))
			continue;
		vals = attest_policy_pcr_golden(pol, i, &n);
		for (size_t k = 0; k < n && (ev->pcr_mask >> i & 1); k++)
			ok |= !memcmp(vals[k], ev->pcr[i], 32);
		if (!ok)
			attest_fail(res, ATTEST_R_PCR_GOLDEN, i, -1,
				    (ev->pcr_mask >> i & 1) ?
				    "PCR value is not a golden value" :
				    "PCR with golden values was not quoted");
	}
}

static void remember_clock(struct attest_peer *next,
			   const struct attest_evidence *ev)
{
	next->seen = true;
	next->clock = ev->attest.clockInfo.clock;
	next->reset_count = ev->attest.clockInfo.resetCount;
	next->restart_count = ev->attest.clockInfo.restartCount;
	next->firmware = ev->attest.firmwareVersion;
}

int attest_verify(struct attest_peer *peer, const struct attest_policy *pol,
		  const struct attest_expect *exp,
		  const struct attest_evidence *ev, struct attest_result *res)
{
	struct attest_peer next;

	memset(res, 0, sizeof(*res));
	res->pass = true;
	res->entries_total = peer->replay.entries;
	if (attest_check_quote(peer, exp, ev, res))
		return -1;
	next = *peer;
	check_clock(&next, pol, ev, res);
	check_golden(pol, ev, res);
	if (!res->pass)
		return -1;
	if (attest_check_ima(&next, pol, ev, res))
		return -1;
	attest_check_leo_final(&next, pol, res);
	if (!res->pass)
		return -1;
	remember_clock(&next, ev);
	*peer = next;
	return 0;
}

int attest_verify_buf(struct attest_peer *peer,
		      const struct attest_policy *pol,
		      const struct attest_expect *exp, const uint8_t *buf,
		      size_t len, struct attest_result *res)
{
	struct attest_evidence ev;
	const char *why;

	if (attest_evidence_decode(buf, len, &ev, &why)) {
		memset(res, 0, sizeof(*res));
		attest_fail(res, ATTEST_R_EVIDENCE, -1, -1, "%s", why);
		return -1;
	}
	return attest_verify(peer, pol, exp, &ev, res);
}
