// SPDX-License-Identifier: GPL-2.0
/*
 * TPM access through tpm2-tss ESAPI (see tpm.h). No global state; a
 * struct leo_tpm belongs to one thread at a time.
 */
#include "tpm/tpm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tss2/tss2_rc.h>

static int tpm_fail(struct leo_tpm *tpm, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int tpm_fail(struct leo_tpm *tpm, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tpm->err, sizeof(tpm->err), fmt, ap);
	va_end(ap);
	return ret;
}

uint16_t leo_tpm_alg_size(TPMI_ALG_HASH alg)
{
	switch (alg) {
	case TPM2_ALG_SHA1:
		return 20;
	case TPM2_ALG_SHA256:
	case TPM2_ALG_SM3_256:
		return 32;
	case TPM2_ALG_SHA384:
		return 48;
	case TPM2_ALG_SHA512:
		return 64;
	default:
		return 0;
	}
}

const char *leo_tpm_tcti_conf(const char *tcti)
{
	const char *env = getenv(LEO_TPM_TCTI_ENV);

	if (tcti && *tcti)
		return tcti;
	if (env && *env)
		return env;
	return LEO_TPM_DEFAULT_TCTI;
}

/*
 * Opening the TCTI can fail transiently: in guest suite runs the device
 * TCTI could not be instantiated on /dev/tpmrm0 for at least half a second
 * (five tries 100 ms apart all failed; the next run passed; the root cause
 * was not found). Retry with a doubling pause, 100 ms up to 1 s, for about
 * 6 s in all before reporting the failure: a bounded wait, failing closed.
 */
static TSS2_RC tcti_init_retrying(const char *conf, TSS2_TCTI_CONTEXT **tcti)
{
	long pause_ms = 100;
	TSS2_RC rc;
	int tries = 10;

	while ((rc = Tss2_TctiLdr_Initialize(conf, tcti)) != TSS2_RC_SUCCESS &&
	       --tries > 0) {
		struct timespec pause = { .tv_nsec = pause_ms * 1000 * 1000 };

		if (pause_ms >= 1000)
			pause = (struct timespec){ .tv_sec = 1 };
		nanosleep(&pause, NULL);
		if (pause_ms < 1000)
			pause_ms *= 2;
	}
	return rc;
}

int leo_tpm_open(struct leo_tpm *tpm, const char *tcti)
{
	const char *conf = leo_tpm_tcti_conf(tcti);
	TSS2_RC rc;

	memset(tpm, 0, sizeof(*tpm));
	if (strlen(conf) >= sizeof(tpm->tcti_conf))
		return tpm_fail(tpm, -1, "TCTI string too long");
	strcpy(tpm->tcti_conf, conf);
	rc = tcti_init_retrying(conf, &tpm->tcti);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(tpm, -1, "cannot open TCTI \"%s\": %s", conf,
				Tss2_RC_Decode(rc));
	rc = Esys_Initialize(&tpm->esys, tpm->tcti, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		Tss2_TctiLdr_Finalize(&tpm->tcti);
		return tpm_fail(tpm, -1, "ESAPI over \"%s\": %s", conf,
				Tss2_RC_Decode(rc));
	}
	return 0;
}

void leo_tpm_close(struct leo_tpm *tpm)
{
	if (tpm->esys)
		Esys_Finalize(&tpm->esys);
	if (tpm->tcti)
		Tss2_TctiLdr_Finalize(&tpm->tcti);
	tpm->esys = NULL;
	tpm->tcti = NULL;
}

static void select_pcrs(TPML_PCR_SELECTION *sel, TPMI_ALG_HASH bank,
			uint32_t mask)
{
	memset(sel, 0, sizeof(*sel));
	sel->count = 1;
	sel->pcrSelections[0].hash = bank;
	sel->pcrSelections[0].sizeofSelect = 3;
	for (int i = 0; i < 3; i++)
		sel->pcrSelections[0].pcrSelect[i] = (uint8_t)(mask >> (8 * i));
}

/* PCRs the TPM returned, as a mask; 0 if it returned none of @bank. */
static uint32_t selected_mask(const TPML_PCR_SELECTION *sel,
			      TPMI_ALG_HASH bank)
{
	uint32_t mask = 0;

	for (uint32_t s = 0; s < sel->count; s++) {
		const TPMS_PCR_SELECTION *p = &sel->pcrSelections[s];

		if (p->hash != bank)
			continue;
		for (int i = 0; i < p->sizeofSelect && i < 3; i++)
			mask |= (uint32_t)p->pcrSelect[i] << (8 * i);
	}
	return mask;
}

/* One TPM2_PCR_Read; stores what came back, removes it from @left. */
static int read_some(struct leo_tpm *tpm, TPMI_ALG_HASH bank, uint32_t *left,
		     struct leo_pcr_values *out)
{
	TPML_PCR_SELECTION in, *sel = NULL;
	TPML_DIGEST *values = NULL;
	uint32_t got, counter, n = 0;
	TSS2_RC rc;
	int ret = 0;

	select_pcrs(&in, bank, *left);
	rc = Esys_PCR_Read(tpm->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
			   &in, &counter, &sel, &values);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(tpm, -EIO, "TPM2_PCR_Read: %s",
				Tss2_RC_Decode(rc));
	got = selected_mask(sel, bank) & *left;
	if (!got) {
		ret = tpm_fail(tpm, -ENOENT, "the TPM has no PCR bank 0x%04x",
			       bank);
		goto out;
	}
	for (int pcr = 0; pcr < LEO_TPM_PCR_COUNT; pcr++) {
		if (!(got & (1U << pcr)))
			continue;
		if (n >= values->count || values->digests[n].size != out->size) {
			ret = tpm_fail(tpm, -EIO,
				       "TPM2_PCR_Read returned a malformed answer");
			goto out;
		}
		memcpy(out->digest[pcr], values->digests[n].buffer, out->size);
		n++;
	}
	out->mask |= got;
	*left &= ~got;
out:
	Esys_Free(sel);
	Esys_Free(values);
	return ret;
}

int leo_tpm_pcr_read(struct leo_tpm *tpm, TPMI_ALG_HASH bank, uint32_t mask,
		     struct leo_pcr_values *out)
{
	uint32_t left = mask & ((1U << LEO_TPM_PCR_COUNT) - 1);
	int rc;

	memset(out, 0, sizeof(*out));
	out->bank = bank;
	out->size = leo_tpm_alg_size(bank);
	if (!out->size)
		return tpm_fail(tpm, -ENOENT, "unsupported PCR bank 0x%04x",
				bank);
	if (left != mask)
		return tpm_fail(tpm, -EIO, "PCR mask 0x%x beyond PCR 23", mask);
	/* Each round returns at least one PCR or fails: bounded by 24. */
	while (left) {
		rc = read_some(tpm, bank, &left, out);
		if (rc)
			return rc;
	}
	return 0;
}

int leo_tpm_pcr_extend(struct leo_tpm *tpm, uint32_t pcr,
		       const struct leo_tpm_digest *d, size_t n)
{
	TPML_DIGEST_VALUES values;
	TSS2_RC rc;

	memset(&values, 0, sizeof(values));
	if (pcr >= LEO_TPM_PCR_COUNT || n == 0 || n > TPM2_NUM_PCR_BANKS)
		return tpm_fail(tpm, -1, "bad PCR extend request");
	values.count = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		uint16_t size = leo_tpm_alg_size(d[i].alg);

		if (!size)
			return tpm_fail(tpm, -1, "unsupported bank 0x%04x",
					d[i].alg);
		values.digests[i].hashAlg = d[i].alg;
		memcpy(&values.digests[i].digest, d[i].digest, size);
	}
	/* ESYS_TR_PCR0 + n names PCR n; the PCR's auth is empty. */
	rc = Esys_PCR_Extend(tpm->esys, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD,
			     ESYS_TR_NONE, ESYS_TR_NONE, &values);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(tpm, -1, "TPM2_PCR_Extend(%u): %s", pcr,
				Tss2_RC_Decode(rc));
	return 0;
}
