// SPDX-License-Identifier: GPL-2.0
/* Attester quote and PCR read; see quote.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "attest/quote.h"
#include "attest/tpm_err.h"

#define QUOTE_TRIES 4	/* a PCR may change between quote and read */

int attest_qualifying_data(const uint8_t *nonce, size_t nonce_len,
			   const uint8_t *binding, size_t binding_len,
			   uint8_t out[32])
{
	uint8_t len_be[2] = { nonce_len >> 8, nonce_len & 0xff };
	EVP_MD_CTX *md;
	int ok;

	if (nonce_len < ATTEST_NONCE_MIN || nonce_len > ATTEST_NONCE_MAX ||
	    binding_len > ATTEST_BINDING_MAX)
		return -1;
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(md, len_be, 2) &&
	     EVP_DigestUpdate(md, nonce, nonce_len) &&
	     EVP_DigestUpdate(md, binding, binding_len) &&
	     EVP_DigestFinal_ex(md, out, NULL);
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

void attest_pcr_digest(uint32_t mask,
		       const uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN],
		       uint8_t out[32])
{
	uint8_t all[ATTEST_PCR_COUNT * ATTEST_PCR_LEN];
	size_t n = 0;

	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		if ((mask >> i) & 1) {
			memcpy(all + n, values[i], ATTEST_PCR_LEN);
			n += ATTEST_PCR_LEN;
		}
	}
	SHA256(all, n, out);
}

static void selection_from_mask(uint32_t mask, TPML_PCR_SELECTION *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->count = 1;
	sel->pcrSelections[0].hash = TPM2_ALG_SHA256;
	sel->pcrSelections[0].sizeofSelect = 3;
	for (int i = 0; i < 3; i++)
		sel->pcrSelections[0].pcrSelect[i] = mask >> (8 * i);
}

/* agent/tpm reads the PCRs; this adapts its result to evidence layout */
int attest_pcr_read(struct leo_tpm *tpm, uint32_t mask,
		    uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN])
{
	struct leo_pcr_values *v = malloc(sizeof(*v));
	int ret = -1;

	if (!v)
		return -1;
	if (leo_tpm_pcr_read(tpm, TPM2_ALG_SHA256, mask, v) == 0 &&
	    v->size == ATTEST_PCR_LEN && (v->mask & mask) == mask) {
		for (int i = 0; i < ATTEST_PCR_COUNT; i++)
			if ((mask >> i) & 1)
				memcpy(values[i], v->digest[i], ATTEST_PCR_LEN);
		ret = 0;
	} else {
		fprintf(stderr, "attest: PCR read: %s\n", tpm->err);
	}
	free(v);
	return ret;
}

static int populated(const uint8_t *v)
{
	int zero = 1, ones = 1;

	for (int i = 0; i < ATTEST_PCR_LEN; i++) {
		zero &= v[i] == 0;
		ones &= v[i] == 0xff;
	}
	return !zero && !ones;
}

int attest_default_pcr_mask(struct leo_tpm *tpm, uint32_t *mask)
{
	uint8_t v[ATTEST_PCR_COUNT][ATTEST_PCR_LEN];

	if (attest_pcr_read(tpm, ATTEST_BOOT_PCRS, v))
		return -1;
	*mask = 1u << ATTEST_IMA_PCR;
	for (int i = 0; i < ATTEST_IMA_PCR; i++)
		if (populated(v[i]))
			*mask |= 1u << i;
	return 0;
}

static int quote_once(ESYS_CONTEXT *ctx, ESYS_TR ak, uint32_t mask,
		      const uint8_t qualifying[32], struct attest_evidence *ev)
{
	TPM2B_DATA qual = { .size = 32 };
	TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL };
	TPML_PCR_SELECTION sel;
	TPM2B_ATTEST *quoted = NULL;
	TPMT_SIGNATURE *sig = NULL;
	TSS2_RC rc;
	int ret = -1;

	memcpy(qual.buffer, qualifying, 32);
	selection_from_mask(mask, &sel);
	rc = Esys_Quote(ctx, ak, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			&qual, &scheme, &sel, &quoted, &sig);
	if (attest_tpm_check(rc, "Quote"))
		return -1;
	if (!attest_evidence_set_quote(ev, quoted->attestationData,
				       quoted->size)) {
		ev->sig = *sig;
		ret = 0;
	}
	Esys_Free(quoted);
	Esys_Free(sig);
	return ret;
}

int attest_quote(struct leo_tpm *tpm, ESYS_TR ak, const TPMT_PUBLIC *ak_pub,
		 uint32_t mask, const uint8_t qualifying[32],
		 struct attest_evidence *ev)
{
	uint8_t digest[32];

	if (!mask && attest_default_pcr_mask(tpm, &mask))
		return -1;
	if (mask >> ATTEST_PCR_COUNT)
		return -1;
	ev->ak = *ak_pub;
	ev->pcr_mask = mask;
	for (int i = 0; i < QUOTE_TRIES; i++) {
		const TPM2B_DIGEST *quoted;

		if (quote_once(tpm->esys, ak, mask, qualifying, ev) ||
		    attest_pcr_read(tpm, mask, ev->pcr))
			return -1;
		quoted = &ev->attest.attested.quote.pcrDigest;
		attest_pcr_digest(mask, ev->pcr, digest);
		if (quoted->size == 32 && !memcmp(quoted->buffer, digest, 32))
			return 0;
	}
	fprintf(stderr, "attest: PCRs keep changing during the quote\n");
	return -1;
}
