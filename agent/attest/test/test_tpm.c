// SPDX-License-Identifier: GPL-2.0
/*
 * Provisioning and credential activation against real swtpm instances:
 * EK (RSA and ECC) and its certificate, the persistent AK, activation
 * that succeeds on the right TPM and fails for an AK of another TPM.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/credential.h"
#include "attest/ekcert.h"
#include "attest/provision.h"
#include "attest/test/swtpm.h"
#include "attest/test/tap.h"
#include "attest/tpm_public.h"

/* the test CA: its root as the only anchor, its issuer as intermediate */
static struct attest_ek_trust *trust;

static void test_ek_cert(ESYS_CONTEXT *ctx, const TPMT_PUBLIC *ek_rsa,
			 const TPMT_PUBLIC *ek_ecc)
{
	struct attest_ek_policy pol = { .trust = trust };
	uint8_t *der = NULL;
	size_t len = 0;
	const char *why = NULL;
	bool certified;
	int rc;

	rc = attest_ek_cert_read(ctx, ATTEST_KEY_RSA, &der, &len);
	tap_ok(rc == 0 && len > 100, "RSA EK certificate read from NV (%zu bytes)",
	       len);
	if (rc)
		return;
	rc = attest_ek_cert_verify(der, len, ek_rsa, trust, &why);
	tap_ok(rc == 0, "RSA EK certificate chains to the test CA (%s)",
	       why ? why : "ok");
	rc = attest_ek_cert_verify(der, len, ek_ecc, trust, &why);
	tap_ok(rc && strstr(why, "another key"),
	       "EK certificate for another key rejected: %s", why);
	rc = attest_ek_cert_verify(der, len, ek_rsa, NULL, &why);
	tap_ok(rc && strstr(why, "no EK CA"), "no CA configured rejected: %s",
	       why);
	{
		struct attest_challenge ch;
		uint8_t expect[ATTEST_CRED_SECRET_LEN];
		TPM2B_PUBLIC ak;

		attest_ak_template(ATTEST_KEY_ECC, &ak);
		ak.publicArea.unique.ecc.x.size = 32;
		ak.publicArea.unique.ecc.y.size = 32;
		memset(ak.publicArea.unique.ecc.x.buffer, 1, 32);
		rc = attest_enroll_challenge(ek_rsa, der, len, &ak.publicArea,
					     &pol, &certified, &ch, expect,
					     &why);
		tap_ok(rc == 0 && certified,
		       "enrollment with a valid EK certificate (%s)",
		       why ? why : "ok");
		rc = attest_enroll_challenge(ek_rsa, NULL, 0, &ak.publicArea,
					     &pol, &certified, &ch, expect,
					     &why);
		tap_ok(rc && strstr(why, "required"),
		       "enrollment without the required EK certificate: %s",
		       why);
		rc = attest_enroll_challenge(ek_ecc, der, len, &ak.publicArea,
					     &pol, &certified, &ch, expect,
					     &why);
		tap_ok(rc && strstr(why, "another key"),
		       "enrollment with another EK's certificate: %s", why);
	}
	der[len - 40] ^= 1;	/* inside the signature */
	rc = attest_ek_cert_verify(der, len, ek_rsa, trust, &why);
	tap_ok(rc && strstr(why, "signature"),
	       "EK certificate with a broken signature rejected: %s", why);
	free(der);
}

static void test_activation(struct swtpm *t, struct swtpm *other,
			    enum attest_key_alg alg, TPM2_HANDLE handle)
{
	const char *name = alg == ATTEST_KEY_RSA ? "RSA" : "ECC";
	TPM2B_PUBLIC ek, ak, ak2, other_ak;
	ESYS_TR ekh, akh, akh2, other_akh;
	struct attest_challenge ch;
	uint8_t expect[ATTEST_CRED_SECRET_LEN];
	TPM2B_DIGEST answer = { 0 };

	if (attest_ek_create(t->esys, alg, &ekh, &ek) ||
	    attest_ak_get(t->esys, handle, alg, &akh, &ak))
		tap_bail("EK/AK creation failed");
	tap_ok(attest_ak_get(t->esys, handle, alg, &akh2, &ak2) == 0 &&
	       !memcmp(&ak, &ak2, sizeof(ak)),
	       "%s AK persisted and reused at 0x%08x", name, handle);
	tap_ok(attest_make_credential(&ek.publicArea, &ak.publicArea, &ch,
				      expect) == 0,
	       "%s MakeCredential in software", name);
	tap_ok(attest_activate_credential(t->esys, ekh, akh, &ch, &answer) == 0 &&
	       attest_credential_matches(&answer, expect),
	       "%s ActivateCredential returns the secret", name);

	/* an AK from another TPM, presented with this TPM's EK */
	if (attest_ak_get(other->esys, handle, alg, &other_akh, &other_ak))
		tap_bail("other AK creation failed");
	tap_ok(attest_make_credential(&ek.publicArea, &other_ak.publicArea, &ch,
				      expect) == 0,
	       "%s challenge for a foreign AK made", name);
	/* the other TPM holds the AK but not this EK: it cannot unwrap */
	{
		ESYS_TR other_ek;
		TPM2B_PUBLIC oek;

		if (attest_ek_create(other->esys, alg, &other_ek, &oek))
			tap_bail("other EK creation failed");
		memset(&answer, 0, sizeof(answer));
		tap_ok(attest_activate_credential(other->esys, other_ek,
						  other_akh, &ch, &answer) != 0 &&
		       !attest_credential_matches(&answer, expect),
		       "%s AK from another TPM: activation fails", name);
		Esys_FlushContext(other->esys, other_ek);
	}
	/* this TPM holds the EK but the credential names another AK */
	memset(&answer, 0, sizeof(answer));
	tap_ok(attest_activate_credential(t->esys, ekh, akh, &ch, &answer) != 0,
	       "%s credential bound to another AK name: activation fails",
	       name);
	Esys_FlushContext(t->esys, ekh);
}

static void test_bad_ak(void)
{
	static const TPMA_OBJECT drop[] = {
		TPMA_OBJECT_RESTRICTED, TPMA_OBJECT_SIGN_ENCRYPT,
		TPMA_OBJECT_FIXEDTPM, TPMA_OBJECT_FIXEDPARENT,
		TPMA_OBJECT_SENSITIVEDATAORIGIN,
	};
	TPM2B_PUBLIC tmpl;
	const char *why = "";
	bool ok;

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
		attest_ak_template(ATTEST_KEY_ECC, &tmpl);
		tmpl.publicArea.objectAttributes &= ~drop[i];
		ok = attest_ak_attributes_ok(&tmpl.publicArea, &why);
		tap_ok(!ok, "AK without attribute 0x%x rejected: %s", drop[i],
		       why);
	}
	attest_ak_template(ATTEST_KEY_ECC, &tmpl);
	tmpl.publicArea.objectAttributes |= TPMA_OBJECT_DECRYPT;
	ok = attest_ak_attributes_ok(&tmpl.publicArea, &why);
	tap_ok(!ok, "AK that also decrypts rejected: %s", why);
}

int main(void)
{
	struct swtpm a, b;
	TPM2B_PUBLIC ek_rsa, ek_ecc;

	setenv("TSS2_LOG", "all+none", 1);
	{
		const char *ica = swtpm_ca_file("issuercert.pem");
		char err[256];

		trust = attest_ek_trust_load(swtpm_ca_file("roots"), &ica, 1,
					     err, sizeof(err));
		if (!trust)
			tap_bail(err);
	}
	if (swtpm_start(&a, true) || swtpm_start(&b, false) ||
	    swtpm_connect(&a) || swtpm_connect(&b))
		tap_bail("cannot start swtpm");
	tap_note("swtpm A on %s, B on %s", a.tcti, b.tcti);
	if (swtpm_ek_publics(&a, &ek_rsa, &ek_ecc))
		tap_bail("cannot create the EKs");
	test_ek_cert(a.esys, &ek_rsa.publicArea, &ek_ecc.publicArea);
	test_activation(&a, &b, ATTEST_KEY_ECC, ATTEST_AK_HANDLE_DEFAULT);
	test_activation(&a, &b, ATTEST_KEY_RSA, ATTEST_AK_HANDLE_DEFAULT + 1);
	test_bad_ak();
	swtpm_stop(&a);
	swtpm_stop(&b);
	attest_ek_trust_free(trust);
	return tap_done();
}
