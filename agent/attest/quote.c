// SPDX-License-Identifier: GPL-2.0
/* Attester quote and PCR read; see quote.h. */
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

static uint32_t mask_from_selection(const TPML_PCR_SELECTION *sel)
{
	const TPMS_PCR_SELECTION *s = &sel->pcrSelections[0];
	uint32_t mask = 0;

	if (sel->count != 1 || s->hash != TPM2_ALG_SHA256)
		return 0;
	for (int i = 0; i < s->sizeofSelect && i < 3; i++)
		mask |= (uint32_t)s->pcrSelect[i] << (8 * i);
	return mask;
}

/* One PCR_Read; the TPM may answer fewer PCRs than asked (often 8) */
static int pcr_read_some(ESYS_CONTEXT *ctx, uint32_t want, uint32_t *got,
			 uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN])
{
	TPML_PCR_SELECTION sel, *out_sel = NULL;
	TPML_DIGEST *vals = NULL;
	uint32_t counter, done;
	TSS2_RC rc;
	int ret = -1;
	uint32_t k = 0;

	selection_from_mask(want, &sel);
	rc = Esys_PCR_Read(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &sel,
			   &counter, &out_sel, &vals);
	if (attest_tpm_check(rc, "PCR_Read"))
		return -1;
	done = mask_from_selection(out_sel) & want;
	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		if (!((done >> i) & 1))
			continue;
		if (k >= vals->count || vals->digests[k].size != ATTEST_PCR_LEN)
			goto out;
		memcpy(values[i], vals->digests[k++].buffer, ATTEST_PCR_LEN);
	}
	*got = done;
	ret = done ? 0 : -1;
out:
	Esys_Free(out_sel);
	Esys_Free(vals);
	return ret;
}

int attest_pcr_read(ESYS_CONTEXT *ctx, uint32_t mask,
		    uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN])
{
	while (mask) {
		uint32_t got;

		if (pcr_read_some(ctx, mask, &got, values))
			return -1;
		mask &= ~got;
	}
	return 0;
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

int attest_default_pcr_mask(ESYS_CONTEXT *ctx, uint32_t *mask)
{
	uint8_t v[ATTEST_PCR_COUNT][ATTEST_PCR_LEN];

	if (attest_pcr_read(ctx, ATTEST_BOOT_PCRS, v))
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

int attest_quote(ESYS_CONTEXT *ctx, ESYS_TR ak, const TPMT_PUBLIC *ak_pub,
		 uint32_t mask, const uint8_t qualifying[32],
		 struct attest_evidence *ev)
{
	uint8_t digest[32];

	if (!mask && attest_default_pcr_mask(ctx, &mask))
		return -1;
	if (mask >> ATTEST_PCR_COUNT)
		return -1;
	ev->ak = *ak_pub;
	ev->pcr_mask = mask;
	for (int i = 0; i < QUOTE_TRIES; i++) {
		const TPM2B_DIGEST *quoted;

		if (quote_once(ctx, ak, mask, qualifying, ev) ||
		    attest_pcr_read(ctx, mask, ev->pcr))
			return -1;
		quoted = &ev->attest.attested.quote.pcrDigest;
		attest_pcr_digest(mask, ev->pcr, digest);
		if (quoted->size == 32 && !memcmp(quoted->buffer, digest, 32))
			return 0;
	}
	fprintf(stderr, "attest: PCRs keep changing during the quote\n");
	return -1;
}
