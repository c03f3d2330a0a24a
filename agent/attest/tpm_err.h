/* SPDX-License-Identifier: GPL-2.0 */
/* One place that turns a TSS return code into a message on stderr. */
#ifndef ATTEST_TPM_ERR_H
#define ATTEST_TPM_ERR_H

#include <stdio.h>
#include <tss2/tss2_rc.h>

/* Returns -1 after printing when @rc is an error, 0 otherwise */
static inline int attest_tpm_check(TSS2_RC rc, const char *what)
{
	if (rc == TSS2_RC_SUCCESS)
		return 0;
	fprintf(stderr, "attest: %s: %s\n", what, Tss2_RC_Decode(rc));
	return -1;
}

#endif /* ATTEST_TPM_ERR_H */
