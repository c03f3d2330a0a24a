// SPDX-License-Identifier: GPL-2.0
/* Attester side of credential activation; see credential.h. */
#include <string.h>

#include <openssl/crypto.h>

#include "attest/credential.h"
#include "attest/tpm_err.h"

/* The EK's authPolicy is PolicySecret(TPM_RH_ENDORSEMENT) */
static int ek_policy_session(ESYS_CONTEXT *ctx, ESYS_TR *session)
{
	TPMT_SYM_DEF sym = { .algorithm = TPM2_ALG_NULL };
	TSS2_RC rc;

	rc = Esys_StartAuthSession(ctx, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
				   NULL, TPM2_SE_POLICY, &sym, TPM2_ALG_SHA256,
				   session);
	if (attest_tpm_check(rc, "StartAuthSession"))
		return -1;
	rc = Esys_PolicySecret(ctx, ESYS_TR_RH_ENDORSEMENT, *session,
			       ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			       NULL, NULL, NULL, 0, NULL, NULL);
	if (attest_tpm_check(rc, "PolicySecret(endorsement)")) {
		Esys_FlushContext(ctx, *session);
		return -1;
	}
	return 0;
}

int attest_activate_credential(ESYS_CONTEXT *ctx, ESYS_TR ek, ESYS_TR ak,
			       const struct attest_challenge *ch,
			       TPM2B_DIGEST *secret)
{
	TPM2B_DIGEST *out = NULL;
	ESYS_TR session;
	TSS2_RC rc;

	if (ek_policy_session(ctx, &session))
		return -1;
	rc = Esys_ActivateCredential(ctx, ak, ek, ESYS_TR_PASSWORD, session,
				     ESYS_TR_NONE, &ch->blob, &ch->secret,
				     &out);
	Esys_FlushContext(ctx, session);	/* ESAPI sessions continue */
	if (rc == TSS2_RC_SUCCESS)
		*secret = *out;
	Esys_Free(out);
	return attest_tpm_check(rc, "ActivateCredential");
}

int attest_credential_matches(const TPM2B_DIGEST *answer,
			      const uint8_t expect[ATTEST_CRED_SECRET_LEN])
{
	return answer->size == ATTEST_CRED_SECRET_LEN &&
	       !CRYPTO_memcmp(answer->buffer, expect, ATTEST_CRED_SECRET_LEN);
}
