/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier check of an EK certificate (OpenSSL). Trust comes from a
 * directory of root certificates, like Keylime's tpm_cert_store: every
 * PEM or DER certificate file in it is a trust anchor; nothing else is.
 * Intermediate CA certificates (sent with the EK certificate or configured
 * separately) are untrusted chain material: a chain must end at a
 * self-signed root of the directory. A loaded trust is read-only and may
 * be shared between threads.
 */
#ifndef ATTEST_EKCERT_H
#define ATTEST_EKCERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tss2/tss2_tpm2_types.h>

/* TCG EK Credential Profile: extendedKeyUsage tcg-kp-EKCertificate */
#define ATTEST_TCG_KP_EK_CERTIFICATE "2.23.133.8.1"

struct attest_ek_trust;

/*
 * Load the roots in @ca_dir (every regular file not starting with '.';
 * each must hold one or more PEM certificates or one DER certificate) and
 * the untrusted intermediates in @intermediates (same formats). Returns
 * NULL with @err naming the directory or file on any error, including a
 * directory without certificates: nothing is half-loaded.
 */
struct attest_ek_trust *attest_ek_trust_load(const char *ca_dir,
					     const char *const *intermediates,
					     size_t n_intermediates,
					     char *err, size_t errlen);
void attest_ek_trust_free(struct attest_ek_trust *t);

/*
 * Check @der: one DER certificate whose public key equals @ek (RSA
 * modulus and exponent, or EC curve and point), that chains to a root of
 * @t and is within its validity dates (as is every certificate of the
 * chain), is not a CA, has keyUsage keyEncipherment (RSA EK) or
 * keyAgreement (ECC EK) when the extension is present, and lists the TCG
 * EK OID when extendedKeyUsage is present. Returns 0 if so, else -1 with
 * *why set to a static explanation.
 */
int attest_ek_cert_verify(const uint8_t *der, size_t len,
			  const TPMT_PUBLIC *ek,
			  const struct attest_ek_trust *t, const char **why);

#endif /* ATTEST_EKCERT_H */
