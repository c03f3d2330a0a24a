// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier checks on the quote itself: that the AK signed it, that it is a
 * TPM-generated quote by that AK, bound to the expected nonce and channel,
 * and that the reported PCR values are the ones quoted. Stateless.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "attest/quote.h"
#include "attest/tpm_public.h"
#include "attest/verify_internal.h"

/* DER ECDSA-Sig-Value from the TPM's (r, s) */
static int ecdsa_der(const TPMS_SIGNATURE_ECC *ecc, uint8_t *out, size_t max,
		     size_t *len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(ecc->signatureR.buffer, ecc->signatureR.size,
			      NULL);
	BIGNUM *s = BN_bin2bn(ecc->signatureS.buffer, ecc->signatureS.size,
			      NULL);
	int n = -1;

	if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
		r = s = NULL;	/* owned by sig */
		if (i2d_ECDSA_SIG(sig, NULL) <= (int)max) {
			uint8_t *p = out;

			n = i2d_ECDSA_SIG(sig, &p);
		}
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return -1;
	*len = n;
	return 0;
}

/* The signature in DER/raw form for OpenSSL, and its RSA padding */
static int sig_bytes(const TPMT_SIGNATURE *sig, uint8_t *buf, size_t max,
		     size_t *len, int *padding)
{
	const TPMS_SIGNATURE_RSA *rsa = &sig->signature.rsassa;

	switch (sig->sigAlg) {
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		if (rsa->hash != TPM2_ALG_SHA256 || rsa->sig.size > max)
			return -1;
		memcpy(buf, rsa->sig.buffer, rsa->sig.size);
		*len = rsa->sig.size;
		*padding = sig->sigAlg == TPM2_ALG_RSASSA ?
			RSA_PKCS1_PADDING : RSA_PKCS1_PSS_PADDING;
		return 0;
	case TPM2_ALG_ECDSA:
		if (sig->signature.ecdsa.hash != TPM2_ALG_SHA256)
			return -1;
		*padding = 0;
		return ecdsa_der(&sig->signature.ecdsa, buf, max, len);
	default:
		return -1;
	}
}

static bool signature_ok(const struct attest_evidence *ev)
{
	uint8_t sig[600];
	size_t sig_len;
	int padding;
	EVP_PKEY *key = attest_public_to_pkey(&ev->ak);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	ok = key && md && !sig_bytes(&ev->sig, sig, sizeof(sig), &sig_len,
				     &padding) &&
	     (ev->ak.type == TPM2_ALG_RSA) == (padding != 0) &&
	     EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key) == 1;
	if (ok && padding) {
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, padding) > 0;
		if (ok && padding == RSA_PKCS1_PSS_PADDING)
			ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(
				pctx, RSA_PSS_SALTLEN_AUTO) > 0;
	}
	ok = ok && EVP_DigestVerify(md, sig, sig_len, ev->quote,
				    ev->quote_len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

static int check_ak(const struct attest_peer *peer,
		    const struct attest_evidence *ev, struct attest_result *res)
{
	TPM2B_NAME name;
	const char *why;

	if (!attest_ak_attributes_ok(&ev->ak, &why)) {
		attest_fail(res, ATTEST_R_AK_ATTRIBUTES, -1, -1, "%s", why);
		return -1;
	}
	if (attest_public_name(&ev->ak, &name) || !peer->ak_known ||
	    name.size != sizeof(peer->ak_name) ||
	    memcmp(name.name, peer->ak_name, name.size)) {
		attest_fail(res, ATTEST_R_AK_UNKNOWN, -1, -1,
			    "AK in evidence is not the AK proven by activation");
		return -1;
	}
	return 0;
}

static int check_structure(const struct attest_evidence *ev,
			   struct attest_result *res)
{
	const TPMS_ATTEST *a = &ev->attest;
	TPM2B_NAME qn;

	if (a->magic != TPM2_GENERATED_VALUE || a->type != TPM2_ST_ATTEST_QUOTE) {
		attest_fail(res, ATTEST_R_QUOTE, -1, -1,
			    "not a TPM-generated quote");
		return -1;
	}
	if (attest_ak_qualified_name(&ev->ak, &qn) ||
	    a->qualifiedSigner.size != qn.size ||
	    memcmp(a->qualifiedSigner.name, qn.name, qn.size)) {
		attest_fail(res, ATTEST_R_SIGNER, -1, -1,
			    "quote names another signing key");
		return -1;
	}
	return 0;
}

static int check_qualifying(const struct attest_expect *exp,
			    const struct attest_evidence *ev,
			    struct attest_result *res)
{
	const TPM2B_DATA *x = &ev->attest.extraData;
	uint8_t want[32];

	if (attest_qualifying_data(exp->nonce, exp->nonce_len, exp->binding,
				   exp->binding_len, want) ||
	    x->size != 32 || CRYPTO_memcmp(x->buffer, want, 32)) {
		attest_fail(res, ATTEST_R_QUALIFYING, -1, -1,
			    "quote is not for this nonce and channel binding");
		return -1;
	}
	return 0;
}

static uint32_t quoted_mask(const TPML_PCR_SELECTION *sel)
{
	const TPMS_PCR_SELECTION *s = &sel->pcrSelections[0];
	uint32_t mask = 0;

	if (sel->count != 1 || s->hash != TPM2_ALG_SHA256 ||
	    s->sizeofSelect > 3)
		return 0;
	for (int i = 0; i < s->sizeofSelect; i++)
		mask |= (uint32_t)s->pcrSelect[i] << (8 * i);
	return mask;
}

static int check_pcrs(const struct attest_evidence *ev,
		      struct attest_result *res)
{
	const TPMS_QUOTE_INFO *q = &ev->attest.attested.quote;
	uint8_t digest[32];

	if (quoted_mask(&q->pcrSelect) != ev->pcr_mask ||
	    !((ev->pcr_mask >> ATTEST_IMA_PCR) & 1)) {
		attest_fail(res, ATTEST_R_PCR_SELECTION, -1, -1,
			    "quoted PCRs differ from reported ones or lack PCR 10");
		return -1;
	}
	attest_pcr_digest(ev->pcr_mask, ev->pcr, digest);
	if (q->pcrDigest.size != 32 || memcmp(q->pcrDigest.buffer, digest, 32)) {
		attest_fail(res, ATTEST_R_PCR_DIGEST, -1, -1,
			    "reported PCR values do not match the quoted digest");
		return -1;
	}
	return 0;
}

int attest_check_quote(const struct attest_peer *peer,
		       const struct attest_expect *exp,
		       const struct attest_evidence *ev,
		       struct attest_result *res)
{
	if (check_ak(peer, ev, res))
		return -1;
	if (!signature_ok(ev)) {
		attest_fail(res, ATTEST_R_SIGNATURE, -1, -1,
			    "quote signature does not verify with the AK");
		return -1;
	}
	if (check_structure(ev, res) || check_qualifying(exp, ev, res) ||
	    check_pcrs(ev, res))
		return -1;
	return 0;
}
