// SPDX-License-Identifier: GPL-2.0
/* tpm2-tools formats of evidence, and IMA log slicing; see export.h. */
#include <stdio.h>
#include <string.h>

#include <tss2/tss2_mu.h>

#include "attest/export.h"
#include "attest/tpm_public.h"
#include "ima/ima_log.h"

static int write_file(const char *dir, const char *name, const void *buf,
		      size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -1;
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int write_pem(const char *dir, const TPMT_PUBLIC *ak)
{
	char path[4096];
	FILE *f;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/ak.pem", dir) >=
	    sizeof(path) || !(f = fopen(path, "w")))
		return -1;
	rc = attest_public_write_pem(ak, f);
	return fclose(f) == 0 && rc == 0 ? 0 : -1;
}

static void pcr_list_text(uint32_t mask, char *out, size_t size)
{
	size_t n = snprintf(out, size, "sha256:");

	for (int i = 0; i < ATTEST_PCR_COUNT && n < size; i++)
		if ((mask >> i) & 1)
			n += snprintf(out + n, size - n, "%s%d",
				      out[n - 1] == ':' ? "" : ",", i);
}

int attest_export_checkquote(const struct attest_evidence *ev,
			     const char *dir, char *pcr_list, size_t size)
{
	uint8_t sig[sizeof(TPMT_SIGNATURE)];
	uint8_t pcrs[ATTEST_PCR_COUNT * ATTEST_PCR_LEN];
	size_t sig_len = 0, n = 0;

	if (Tss2_MU_TPMT_SIGNATURE_Marshal(&ev->sig, sig, sizeof(sig),
					   &sig_len))
		return -1;
	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		if ((ev->pcr_mask >> i) & 1) {
			memcpy(pcrs + n, ev->pcr[i], ATTEST_PCR_LEN);
			n += ATTEST_PCR_LEN;
		}
	}
	pcr_list_text(ev->pcr_mask, pcr_list, size);
	if (write_pem(dir, &ev->ak) ||
	    write_file(dir, "quote.msg", ev->quote, ev->quote_len) ||
	    write_file(dir, "quote.sig", sig, sig_len) ||
	    write_file(dir, "pcrs.bin", pcrs, n))
		return -1;
	return 0;
}

int attest_ima_offset(const uint8_t *log, size_t len, uint64_t start,
		      size_t *off)
{
	struct ima_log_iter it;
	struct ima_log_error err;
	struct ima_entry e;

	ima_log_iter_init(&it, log, len);
	for (uint64_t i = 0; i < start; i++)
		if (ima_log_next(&it, &e, &err) != 1)
			return -1;
	*off = it.off;
	return 0;
}
