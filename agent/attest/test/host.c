// SPDX-License-Identifier: GPL-2.0
/* Simulated attesting host; see host.h. */
#include <stdlib.h>
#include <string.h>

#include "attest/quote.h"
#include "attest/test/host.h"

static int extend_pcr(struct host *h, ESYS_TR pcr, const uint8_t d[32])
{
	TPML_DIGEST_VALUES v = { .count = 1 };

	v.digests[0].hashAlg = TPM2_ALG_SHA256;
	memcpy(v.digests[0].digest.sha256, d, 32);
	return Esys_PCR_Extend(h->lt.esys, pcr, ESYS_TR_PASSWORD,
			       ESYS_TR_NONE, ESYS_TR_NONE, &v) ? -1 : 0;
}

int host_start(struct host *h, enum attest_key_alg alg, bool ek_certs)
{
	memset(h, 0, sizeof(*h));
	h->alg = alg;
	testlog_init(&h->log);
	if (swtpm_start(&h->tpm, ek_certs) || leo_tpm_open(&h->lt, h->tpm.tcti))
		return -1;
	if (attest_ek_create(h->lt.esys, alg, &h->ek, &h->ek_pub) ||
	    attest_ak_get(h->lt.esys, ATTEST_AK_HANDLE_DEFAULT, alg, &h->ak,
			  &h->ak_pub))
		return -1;
	return 0;
}

void host_stop(struct host *h)
{
	leo_tpm_close(&h->lt);
	swtpm_stop(&h->tpm);
	testlog_free(&h->log);
}

void host_measure(struct host *h, const char *path)
{
	testlog_add_file(&h->log, ATTEST_IMA_PCR, path);
}

int host_extend(struct host *h)
{
	for (; h->extended < h->log.count; h->extended++)
		if (extend_pcr(h, ESYS_TR_PCR10,
			       h->log.entries[h->extended].sha256))
			return -1;
	return 0;
}

int host_extend_boot(struct host *h, int pcr, uint8_t byte)
{
	uint8_t d[32];

	memset(d, byte, sizeof(d));
	return extend_pcr(h, ESYS_TR_PCR0 + pcr, d);
}

int host_reboot(struct host *h)
{
	testlog_free(&h->log);
	testlog_init(&h->log);
	h->extended = 0;
	leo_tpm_close(&h->lt);
	if (swtpm_connect(&h->tpm) || swtpm_reboot(&h->tpm))
		return -1;
	swtpm_disconnect(&h->tpm);
	if (leo_tpm_open(&h->lt, h->tpm.tcti))
		return -1;
	/* the EK is transient; the AK is persistent (or recreated: primary
	 * keys are derived from the hierarchy seed, so it is the same key)
	 */
	return attest_ek_create(h->lt.esys, h->alg, &h->ek, &h->ek_pub) ||
	       attest_ak_get(h->lt.esys, ATTEST_AK_HANDLE_DEFAULT, h->alg,
			     &h->ak, &h->ak_pub) ? -1 : 0;
}

int host_evidence(struct host *h, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *binding, size_t binding_len, size_t start,
		  uint8_t **out, size_t *len)
{
	struct attest_evidence *ev = calloc(1, sizeof(*ev));
	uint8_t qual[32];
	size_t off;
	int rc = -1;

	if (!ev || start > h->log.count ||
	    attest_qualifying_data(nonce, nonce_len, binding, binding_len,
				   qual) ||
	    attest_quote(&h->lt, h->ak, &h->ak_pub.publicArea, 0, qual,
			 ev))
		goto out;
	/* the log is read after the quote, as a real attester does */
	off = start < h->log.count ? h->log.entries[start].offset : h->log.len;
	ev->ima_start = start;
	ev->ima_log = h->log.data + off;
	ev->ima_len = h->log.len - off;
	rc = attest_evidence_encode(ev, out, len);
out:
	free(ev);
	return rc;
}
