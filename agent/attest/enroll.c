// SPDX-License-Identifier: GPL-2.0
/* Verifier side of the first contact; see credential.h. Stateless. */
#include "attest/credential.h"
#include "attest/ekcert.h"
#include "attest/tpm_public.h"

int attest_enroll_challenge(const TPMT_PUBLIC *ek, const uint8_t *ek_cert,
			    size_t ek_cert_len, const TPMT_PUBLIC *ak,
			    const char *const *ca_files, size_t n_ca,
			    struct attest_challenge *ch,
			    uint8_t expect[ATTEST_CRED_SECRET_LEN],
			    const char **why)
{
	if (!attest_ak_attributes_ok(ak, why))
		return -1;
	if (n_ca && !ek_cert) {
		*why = "EK certificate required by configuration but not sent";
		return -1;
	}
	if (n_ca && attest_ek_cert_verify(ek_cert, ek_cert_len, ek, ca_files,
					  n_ca, why))
		return -1;
	if (attest_make_credential(ek, ak, ch, expect)) {
		*why = "EK cannot be used for credential activation";
		return -1;
	}
	*why = NULL;
	return 0;
}
