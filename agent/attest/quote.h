/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attester: TPM2_Quote with the AK over a PCR selection of the sha256
 * bank, qualified by SHA-256 over the verifier's nonce and the caller's
 * channel binding, and the PCR values that match it (read through
 * agent/tpm). Calls on one TPM handle must not run concurrently.
 *
 * Order matters: quote first, then read the IMA log, so that the log
 * always covers at least what the quote does (the verifier replays the
 * log up to the entry where it matches PCR 10).
 */
#ifndef ATTEST_QUOTE_H
#define ATTEST_QUOTE_H

#include <stddef.h>
#include <stdint.h>
#include <tss2/tss2_esys.h>

#include "attest/evidence.h"
#include "tpm/tpm.h"

#define ATTEST_NONCE_MIN	16
#define ATTEST_NONCE_MAX	64
#define ATTEST_BINDING_MAX	64
#define ATTEST_IMA_PCR		10
#define ATTEST_BOOT_PCRS	0x3ffu	/* PCRs 0-9 */

/*
 * qualifying data = SHA-256(u16 big-endian nonce length | nonce | binding);
 * the length prefix keeps different (nonce, binding) pairs from hashing the
 * same bytes. Returns -1 on a nonce or binding out of bounds.
 */
int attest_qualifying_data(const uint8_t *nonce, size_t nonce_len,
			   const uint8_t *binding, size_t binding_len,
			   uint8_t out[32]);

/* Read sha256-bank PCRs in @mask into @values (indexed by PCR number) */
int attest_pcr_read(struct leo_tpm *tpm, uint32_t mask,
		    uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN]);

/* Default selection: boot PCRs 0-9 that hold a value, and PCR 10 */
int attest_default_pcr_mask(struct leo_tpm *tpm, uint32_t *mask);

/*
 * Quote @mask (0: the default) and fill ev->ak, quote, attest, sig,
 * pcr_mask and pcr; the IMA log fields are left for the caller.
 */
int attest_quote(struct leo_tpm *tpm, ESYS_TR ak, const TPMT_PUBLIC *ak_pub,
		 uint32_t mask, const uint8_t qualifying[32],
		 struct attest_evidence *ev);

/* SHA-256 over the values of @mask in ascending order, as TPM2_Quote does */
void attest_pcr_digest(uint32_t mask,
		       const uint8_t values[ATTEST_PCR_COUNT][ATTEST_PCR_LEN],
		       uint8_t out[32]);

#endif /* ATTEST_QUOTE_H */
