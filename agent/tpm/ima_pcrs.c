// SPDX-License-Identifier: GPL-2.0
/* PCR targets for IMA log verification, read from a TPM (ima_pcrs.h). */
#include "tpm/ima_pcrs.h"

#include <errno.h>
#include <string.h>

static int read_target(struct leo_tpm *tpm, TPMI_ALG_HASH alg,
		       enum ima_bank bank, uint32_t pcr,
		       struct ima_pcr_target *t)
{
	struct leo_pcr_values v;
	int rc = leo_tpm_pcr_read(tpm, alg, 1U << pcr, &v);

	if (rc)
		return rc;
	memset(t, 0, sizeof(*t));
	t->bank = bank;
	t->pcr = pcr;
	memcpy(t->digest, v.digest[pcr], ima_bank_size(bank));
	return 0;
}

int leo_tpm_read_ima_targets(struct leo_tpm *tpm, uint32_t pcr,
			     struct ima_pcr_target t[2], size_t *n,
			     uint32_t *banks)
{
	int rc;

	*n = 0;
	*banks = 0;
	if (pcr >= IMA_PCR_COUNT)
		return -1;
	if (read_target(tpm, TPM2_ALG_SHA256, IMA_BANK_SHA256, pcr, &t[0]))
		return -1;
	*n = 1;
	*banks = IMA_BANK_BIT(IMA_BANK_SHA256);
	rc = read_target(tpm, TPM2_ALG_SHA1, IMA_BANK_SHA1, pcr, &t[1]);
	if (rc == -ENOENT)
		return 0;	/* no sha1 bank: sha256 alone decides */
	if (rc)
		return -1;
	*n = 2;
	*banks |= IMA_BANK_BIT(IMA_BANK_SHA1);
	return 0;
}
