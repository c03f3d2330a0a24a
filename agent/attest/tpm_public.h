/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TPM public areas seen from the verifier: names, OpenSSL keys, PEM
 * export, and the attribute check every attestation key must pass.
 * Stateless; safe to call from any thread.
 */
#ifndef ATTEST_TPM_PUBLIC_H
#define ATTEST_TPM_PUBLIC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <openssl/evp.h>
#include <tss2/tss2_tpm2_types.h>

#define ATTEST_SHA256_LEN 32

/* name = nameAlg (big endian) || SHA-256(marshalled public); nameAlg must be SHA-256 */
int attest_public_name(const TPMT_PUBLIC *pub, TPM2B_NAME *name);

/* SHA-256 of the marshalled public area: leo's peer id (LEO_A_PEER_ID) */
int attest_public_id(const TPMT_PUBLIC *pub, uint8_t id[ATTEST_SHA256_LEN]);

/*
 * leo's AK is a primary key of the endorsement hierarchy, so its qualified
 * name is nameAlg || SHA-256(TPM_RH_ENDORSEMENT || name). Quotes carry it.
 */
int attest_ak_qualified_name(const TPMT_PUBLIC *ak, TPM2B_NAME *qn);

/* An OpenSSL key for an RSA or ECC (P-256/P-384) public area; NULL otherwise */
EVP_PKEY *attest_public_to_pkey(const TPMT_PUBLIC *pub);

/* SubjectPublicKeyInfo PEM, the format tpm2_checkquote reads */
int attest_public_write_pem(const TPMT_PUBLIC *pub, FILE *out);

/*
 * An attestation key must be a restricted signing key that cannot leave
 * its TPM and was generated inside it, named with SHA-256. Returns true if
 * so, else false with *why set to a static explanation.
 */
bool attest_ak_attributes_ok(const TPMT_PUBLIC *pub, const char **why);

/* Marshal / unmarshal a TPMT_PUBLIC; unmarshal needs the whole buffer used */
int attest_public_marshal(const TPMT_PUBLIC *pub, uint8_t *buf, size_t size,
			  size_t *len);
int attest_public_unmarshal(const uint8_t *buf, size_t len, TPMT_PUBLIC *pub);

#endif /* ATTEST_TPM_PUBLIC_H */
