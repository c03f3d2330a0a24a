// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the evidence decoder, its encoder round trip, and the
 * verifier's IMA replay and policy pass over whatever log the input holds.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/evidence.h"
#include "attest/verify_internal.h"

static struct attest_policy *policy(void)
{
	static const char json[] =
		"{\"digests\":{\"/usr/bin/leod\":[\"sha256:"
		"a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5\"]},"
		"\"excludes\":[\"/tmp/\"],\"leo\":{\"allow_violations\":true},"
		/* a P-256 key: ima-sig entries reach the signature check */
		"\"verification-keys\":[\"-----BEGIN PUBLIC KEY-----\\n"
		"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMGsRLxAUUlLDPd0Og7UxNTPw1I1x\\n"
		"cYfhCUdyeq9ttZh41Qs6RlbmuvXyW6M+dpqSCzxsxhXLTAayCFqfOBgWrw==\\n"
		"-----END PUBLIC KEY-----\\n\"]}";
	static struct attest_policy *p;
	char err[128];

	if (!p) {
		p = attest_policy_parse(json, sizeof(json) - 1, err, sizeof(err));
		if (!p)
			abort();	/* the fuzz policy itself must load */
	}
	return p;
}

static void round_trip(const struct attest_evidence *ev)
{
	struct attest_evidence *again = malloc(sizeof(*again));
	const char *why;
	uint8_t *buf;
	size_t len;

	if (!again)
		return;
	if (attest_evidence_encode(ev, &buf, &len) == 0) {
		if (attest_evidence_decode(buf, len, again, &why) ||
		    again->quote_len != ev->quote_len ||
		    memcmp(again->quote, ev->quote, ev->quote_len) ||
		    again->pcr_mask != ev->pcr_mask ||
		    again->ima_len != ev->ima_len)
			abort();	/* what we encode, we must decode */
		free(buf);
	}
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attest_evidence *ev = malloc(sizeof(*ev));
	struct attest_peer *peer = calloc(1, sizeof(*peer));
	struct attest_result res;
	const char *why;

	if (ev && peer && attest_evidence_decode(data, size, ev, &why) == 0) {
		round_trip(ev);
		ima_replay_init(&peer->replay, IMA_BANK_BIT(IMA_BANK_SHA256));
		memset(&res, 0, sizeof(res));
		res.pass = true;
		if (policy())
			attest_check_ima(peer, policy(), ev, &res);
	}
	free(ev);
	free(peer);
	return 0;
}
