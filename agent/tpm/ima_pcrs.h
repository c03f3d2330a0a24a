/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCR values an IMA log must replay to, read from a TPM: the sha256
 * bank (required) and the sha1 bank (if the TPM has one allocated).
 * Stateless; see tpm.h for the threading rules of struct leo_tpm.
 */
#ifndef LEO_TPM_IMA_PCRS_H
#define LEO_TPM_IMA_PCRS_H

#include "ima/ima_log.h"
#include "tpm/tpm.h"

#define LEO_IMA_PCR	10	/* IMA's default PCR */

/*
 * Fill @t[0] with PCR @pcr of the sha256 bank and, if allocated, @t[1]
 * with the sha1 bank; *@n is 1 or 2 and *@banks the matching
 * IMA_BANK_BIT() mask. Returns 0, or -1 with tpm->err.
 */
int leo_tpm_read_ima_targets(struct leo_tpm *tpm, uint32_t pcr,
			     struct ima_pcr_target t[2], size_t *n,
			     uint32_t *banks);

#endif /* LEO_TPM_IMA_PCRS_H */
