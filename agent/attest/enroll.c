// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier side of the first contact, and the challenge's wire form; see
 * credential.h. Stateless.
 */
#include <stdio.h>
#include <string.h>

#include <tss2/tss2_mu.h>

#include "attest/credential.h"
#include "attest/ekcert.h"
#include "attest/tpm_public.h"

/* 0 if the EK may be used (*certified says how), else -1 with *why */
static int ek_check(const TPMT_PUBLIC *ek, const uint8_t *ek_cert,
		    size_t ek_cert_len, const struct attest_ek_policy *pol,
		    bool *certified, const char **why)
{
	*certified = false;
	if (ek_cert && pol->trust) {
		if (attest_ek_cert_verify(ek_cert, ek_cert_len, ek, pol->trust,
					  why))
			return -1;
		*certified = true;
		return 0;
	}
	if (!pol->allow_uncertified_ek) {
		*why = !pol->trust ?
		       "no EK CA directory configured: an EK certificate is required and cannot be checked" :
		       "EK certificate required but not sent";
		return -1;
	}
	fprintf(stderr, "attest: WARNING: EK accepted without a checked certificate (allow-uncertified-ek): activation will not prove the AK is in a TPM\n");
	return 0;
}

int attest_enroll_challenge(const TPMT_PUBLIC *ek, const uint8_t *ek_cert,
			    size_t ek_cert_len, const TPMT_PUBLIC *ak,
			    const struct attest_ek_policy *pol,
			    bool *ek_certified, struct attest_challenge *ch,
			    uint8_t expect[ATTEST_CRED_SECRET_LEN],
			    const char **why)
{
	*ek_certified = false;
	if (!attest_ak_attributes_ok(ak, why) ||
	    ek_check(ek, ek_cert, ek_cert_len, pol, ek_certified, why))
		return -1;
	if (attest_make_credential(ek, ak, ch, expect)) {
		*ek_certified = false;
		*why = "EK cannot be used for credential activation";
		return -1;
	}
	*why = NULL;
	return 0;
}

int attest_challenge_marshal(const struct attest_challenge *ch, uint8_t *buf,
			     size_t size, size_t *len)
{
	size_t off = 0;

	if (Tss2_MU_TPM2B_ID_OBJECT_Marshal(&ch->blob, buf, size, &off) ||
	    Tss2_MU_TPM2B_ENCRYPTED_SECRET_Marshal(&ch->secret, buf, size,
						   &off))
		return -1;
	*len = off;
	return 0;
}

int attest_challenge_unmarshal(const uint8_t *buf, size_t len,
			       struct attest_challenge *ch)
{
	size_t off = 0;

	memset(ch, 0, sizeof(*ch));
	if (Tss2_MU_TPM2B_ID_OBJECT_Unmarshal(buf, len, &off, &ch->blob) ||
	    Tss2_MU_TPM2B_ENCRYPTED_SECRET_Unmarshal(buf, len, &off,
						     &ch->secret) ||
	    off != len)
		return -1;
	return 0;
}
