/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier check of an EK certificate: it must chain to one of the
 * configured CA certificates and certify exactly the EK public key the
 * attester presented. Stateless.
 */
#ifndef ATTEST_EKCERT_H
#define ATTEST_EKCERT_H

#include <stddef.h>
#include <stdint.h>
#include <tss2/tss2_tpm2_types.h>

/*
 * @ca_files: PEM files (each may hold several certificates: roots and
 * intermediates) trusted for EK certificates. Returns 0 if valid, else -1
 * with *why set to a static explanation.
 */
int attest_ek_cert_verify(const uint8_t *der, size_t len,
			  const TPMT_PUBLIC *ek, const char *const *ca_files,
			  size_t n_ca, const char **why);

#endif /* ATTEST_EKCERT_H */
