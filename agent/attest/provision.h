/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attester provisioning on a TPM 2.0 (tpm2-tss ESAPI): the endorsement key
 * from the TCG EK profile templates, its certificate from NV, and the
 * attestation key, persisted once and reused. Every function takes the
 * caller's ESYS context; calls on one context must not run concurrently.
 */
#ifndef ATTEST_PROVISION_H
#define ATTEST_PROVISION_H

#include <stddef.h>
#include <stdint.h>
#include <tss2/tss2_esys.h>

enum attest_key_alg {
	ATTEST_KEY_RSA,		/* RSA 2048 */
	ATTEST_KEY_ECC,		/* ECC NIST P-256 */
};

/* Default persistent handle of leo's AK (owner range of the TCG registry) */
#define ATTEST_AK_HANDLE_DEFAULT 0x81010100u
/* Largest EK certificate we read from NV */
#define ATTEST_EK_CERT_MAX 4096

/* TCG EK Credential Profile 2.0 low-range templates L-1 (RSA) and L-2 (ECC) */
void attest_ek_template(enum attest_key_alg alg, TPM2B_PUBLIC *tmpl);
/* A restricted signing key: RSASSA or ECDSA with SHA-256 */
void attest_ak_template(enum attest_key_alg alg, TPM2B_PUBLIC *tmpl);

/* Create (or recreate: it is deterministic) the EK as a transient object */
int attest_ek_create(ESYS_CONTEXT *ctx, enum attest_key_alg alg, ESYS_TR *ek,
		     TPM2B_PUBLIC *pub);

/*
 * Read the EK certificate for @alg from its TCG NV index (RSA 0x01c00002,
 * ECC P-256 0x01c0000a). Returns 0 with *der malloc'ed, 1 if the index does
 * not exist, -1 on error.
 */
int attest_ek_cert_read(ESYS_CONTEXT *ctx, enum attest_key_alg alg,
			uint8_t **der, size_t *len);

/*
 * Load the AK persisted at @handle, or create it in the endorsement
 * hierarchy and persist it there if the handle is empty. A key found at
 * the handle that is not a valid AK is an error (never overwritten).
 */
int attest_ak_get(ESYS_CONTEXT *ctx, TPM2_HANDLE handle,
		  enum attest_key_alg alg, ESYS_TR *ak, TPM2B_PUBLIC *pub);

/* Map "rsa"/"ecc" to the enum; -1 if unknown */
int attest_key_alg_parse(const char *s, enum attest_key_alg *alg);

#endif /* ATTEST_PROVISION_H */
