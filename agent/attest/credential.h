/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Credential activation, the proof that an AK lives in the same TPM as an
 * EK. The verifier runs TPM2_MakeCredential in software (OpenSSL): it
 * wraps a fresh secret for the EK, bound to the AK's name, which it
 * computes itself from the AK public area. Only the TPM holding that EK
 * and a loaded object with that name can unwrap it (ActivateCredential).
 * Stateless; callers keep the secret until the answer arrives.
 */
#ifndef ATTEST_CREDENTIAL_H
#define ATTEST_CREDENTIAL_H

#include <stdbool.h>
#include <tss2/tss2_esys.h>

#include "attest/ekcert.h"

#define ATTEST_CRED_SECRET_LEN 32

struct attest_challenge {
	TPM2B_ID_OBJECT blob;
	TPM2B_ENCRYPTED_SECRET secret;
};

/*
 * Verifier: check the AK's attributes, then wrap a random secret for the
 * EK (RSA 2048 or ECC P-256/P-384 with AES-128/256 CFB, nameAlg SHA-256).
 * @expect receives the secret to compare with the attester's answer.
 */
int attest_make_credential(const TPMT_PUBLIC *ek, const TPMT_PUBLIC *ak,
			   struct attest_challenge *ch,
			   uint8_t expect[ATTEST_CRED_SECRET_LEN]);

/* Attester: unwrap with the EK (PolicySecret(endorsement) session) */
int attest_activate_credential(ESYS_CONTEXT *ctx, ESYS_TR ek, ESYS_TR ak,
			       const struct attest_challenge *ch,
			       TPM2B_DIGEST *secret);

/* Verifier: constant-time comparison of the answer */
int attest_credential_matches(const TPM2B_DIGEST *answer,
			      const uint8_t expect[ATTEST_CRED_SECRET_LEN]);

/* A challenge on the wire: TPM2B_ID_OBJECT then TPM2B_ENCRYPTED_SECRET */
#define ATTEST_CHALLENGE_MAX (sizeof(TPM2B_ID_OBJECT) + \
			      sizeof(TPM2B_ENCRYPTED_SECRET))
int attest_challenge_marshal(const struct attest_challenge *ch, uint8_t *buf,
			     size_t size, size_t *len);
/* -1 unless @buf holds exactly one challenge */
int attest_challenge_unmarshal(const uint8_t *buf, size_t len,
			       struct attest_challenge *ch);

/*
 * What the verifier demands of an EK at first contact. By default
 * (allow_uncertified_ek false) the EK certificate is required and must
 * pass attest_ek_cert_verify() against @trust: without it, credential
 * activation proves nothing, since a program can play the TPM. With
 * allow_uncertified_ek, an EK without a certificate (or with no trust
 * configured) is accepted with a warning on stderr and reported as
 * uncertified; a certificate that is sent and checkable must still pass.
 */
struct attest_ek_policy {
	const struct attest_ek_trust *trust;	/* NULL: none configured */
	bool allow_uncertified_ek;
};

/*
 * Verifier, first contact with an attester that sent its EK public, EK
 * certificate (NULL if none) and AK public: check the AK's attributes and
 * the EK by @pol, then make the challenge as attest_make_credential()
 * does. *ek_certified tells whether the EK was certified. Returns 0, or
 * -1 with *why set (nothing to free either way).
 */
int attest_enroll_challenge(const TPMT_PUBLIC *ek, const uint8_t *ek_cert,
			    size_t ek_cert_len, const TPMT_PUBLIC *ak,
			    const struct attest_ek_policy *pol,
			    bool *ek_certified, struct attest_challenge *ch,
			    uint8_t expect[ATTEST_CRED_SECRET_LEN],
			    const char **why);

#endif /* ATTEST_CREDENTIAL_H */
