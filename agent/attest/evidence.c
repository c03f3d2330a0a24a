// SPDX-License-Identifier: GPL-2.0
/* Evidence encoding and bounded decoding; see evidence.h. */
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_mu.h>

#include "attest/evidence.h"
#include "attest/tpm_public.h"

#define HDR_LEN 12
#define FIELD_HDR_LEN 6

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint8_t *put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--)
		*p++ = v >> (8 * i);
	return p;
}

int attest_evidence_set_quote(struct attest_evidence *ev, const uint8_t *q,
			      size_t len)
{
	size_t off = 0;

	if (len > sizeof(ev->quote))
		return -1;
	memset(&ev->attest, 0, sizeof(ev->attest));
	if (Tss2_MU_TPMS_ATTEST_Unmarshal(q, len, &off, &ev->attest) ||
	    off != len)
		return -1;
	memcpy(ev->quote, q, len);
	ev->quote_len = len;
	return 0;
}

static int decode_sig(const uint8_t *v, size_t len, TPMT_SIGNATURE *sig)
{
	size_t off = 0;

	memset(sig, 0, sizeof(*sig));
	return Tss2_MU_TPMT_SIGNATURE_Unmarshal(v, len, &off, sig) ||
	       off != len ? -1 : 0;
}

static int decode_pcrs(const uint8_t *v, size_t len,
		       struct attest_evidence *ev)
{
	size_t n = 0;

	if (len < 6 || get_be(v, 2) != TPM2_ALG_SHA256)
		return -1;
	ev->pcr_mask = get_be(v + 2, 4);
	if (ev->pcr_mask >> ATTEST_PCR_COUNT)
		return -1;
	for (int i = 0; i < ATTEST_PCR_COUNT; i++)
		n += (ev->pcr_mask >> i) & 1;
	if (n == 0 || len != 6 + n * ATTEST_PCR_LEN)
		return -1;
	v += 6;
	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		if (!((ev->pcr_mask >> i) & 1))
			continue;
		memcpy(ev->pcr[i], v, ATTEST_PCR_LEN);
		v += ATTEST_PCR_LEN;
	}
	return 0;
}

static int decode_ima(const uint8_t *v, size_t len,
		      struct attest_evidence *ev)
{
	if (len < 8 || len - 8 > ATTEST_IMA_LOG_MAX)
		return -1;
	ev->ima_start = get_be(v, 8);
	ev->ima_log = v + 8;
	ev->ima_len = len - 8;
	return ev->ima_start > UINT32_MAX ? -1 : 0;
}

static int decode_field(int type, const uint8_t *v, size_t len,
			struct attest_evidence *ev)
{
	switch (type) {
	case ATTEST_F_AK_PUBLIC:
		return attest_public_unmarshal(v, len, &ev->ak);
	case ATTEST_F_QUOTE:
		return attest_evidence_set_quote(ev, v, len);
	case ATTEST_F_SIGNATURE:
		return decode_sig(v, len, &ev->sig);
	case ATTEST_F_PCRS:
		return decode_pcrs(v, len, ev);
	case ATTEST_F_IMA_LOG:
		return decode_ima(v, len, ev);
	case ATTEST_F_EK_PUBLIC:
		ev->has_ek = 1;
		return attest_public_unmarshal(v, len, &ev->ek);
	case ATTEST_F_EK_CERT:
		if (len == 0 || len > ATTEST_EK_CERT_MAX_LEN)
			return -1;
		ev->ek_cert = v;
		ev->ek_cert_len = len;
		return 0;
	default:
		return -1;
	}
}

static int check_header(const uint8_t *buf, size_t len, const char **why)
{
	if (len < HDR_LEN || memcmp(buf, ATTEST_EVIDENCE_MAGIC, 4)) {
		*why = "not leo evidence (bad magic)";
		return -1;
	}
	if (get_be(buf + 4, 2) != ATTEST_EVIDENCE_VERSION) {
		*why = "unsupported evidence version";
		return -1;
	}
	if (get_be(buf + 6, 2) != 0) {
		*why = "unknown evidence flags";
		return -1;
	}
	if (len > ATTEST_EVIDENCE_MAX || get_be(buf + 8, 4) != len) {
		*why = "evidence length mismatch or too large";
		return -1;
	}
	return 0;
}

static const uint32_t required = 1u << ATTEST_F_AK_PUBLIC |
	1u << ATTEST_F_QUOTE | 1u << ATTEST_F_SIGNATURE |
	1u << ATTEST_F_PCRS | 1u << ATTEST_F_IMA_LOG;

int attest_evidence_decode(const uint8_t *buf, size_t len,
			   struct attest_evidence *ev, const char **why)
{
	size_t off = HDR_LEN;
	uint32_t seen = 0;
	int last = 0;

	memset(ev, 0, sizeof(*ev));
	if (check_header(buf, len, why))
		return -1;
	while (off < len) {
		int type;
		size_t flen;

		if (len - off < FIELD_HDR_LEN) {
			*why = "truncated field header";
			return -1;
		}
		type = get_be(buf + off, 2);
		flen = get_be(buf + off + 2, 4);
		off += FIELD_HDR_LEN;
		if (type <= last || type >= __ATTEST_F_MAX) {
			*why = "unknown, repeated or misordered field";
			return -1;
		}
		if (flen > len - off) {
			*why = "field runs past the end";
			return -1;
		}
		if (decode_field(type, buf + off, flen, ev)) {
			*why = "malformed field value";
			return -1;
		}
		seen |= 1u << type;
		last = type;
		off += flen;
	}
	if ((seen & required) != required) {
		*why = "a required field is missing";
		return -1;
	}
	return 0;
}

struct field {
	int type;
	uint8_t *val;		/* owned */
	size_t len;
};

static int marshal_fields(const struct attest_evidence *ev, struct field *f)
{
	size_t off;
	int n = 0;

	f[n].type = ATTEST_F_AK_PUBLIC;
	f[n].val = malloc(sizeof(TPMT_PUBLIC));
	if (!f[n].val || attest_public_marshal(&ev->ak, f[n].val,
					       sizeof(TPMT_PUBLIC), &f[n].len))
		return -1;
	n++;
	f[n].type = ATTEST_F_QUOTE;
	f[n].val = malloc(ev->quote_len + 1);
	if (!f[n].val)
		return -1;
	memcpy(f[n].val, ev->quote, ev->quote_len);
	f[n++].len = ev->quote_len;
	f[n].type = ATTEST_F_SIGNATURE;
	f[n].val = malloc(sizeof(TPMT_SIGNATURE));
	off = 0;
	if (!f[n].val || Tss2_MU_TPMT_SIGNATURE_Marshal(&ev->sig, f[n].val,
							sizeof(TPMT_SIGNATURE),
							&off))
		return -1;
	f[n++].len = off;
	return n;
}

static int marshal_pcrs(const struct attest_evidence *ev, struct field *f)
{
	uint8_t *p;

	f->type = ATTEST_F_PCRS;
	f->val = malloc(6 + ATTEST_PCR_COUNT * ATTEST_PCR_LEN);
	if (!f->val || !ev->pcr_mask || ev->pcr_mask >> ATTEST_PCR_COUNT)
		return -1;
	p = put_be(f->val, TPM2_ALG_SHA256, 2);
	p = put_be(p, ev->pcr_mask, 4);
	for (int i = 0; i < ATTEST_PCR_COUNT; i++) {
		if ((ev->pcr_mask >> i) & 1) {
			memcpy(p, ev->pcr[i], ATTEST_PCR_LEN);
			p += ATTEST_PCR_LEN;
		}
	}
	f->len = p - f->val;
	return 0;
}

static int marshal_rest(const struct attest_evidence *ev, struct field *f)
{
	int n = 0;

	if (ev->ima_len > ATTEST_IMA_LOG_MAX)
		return -1;
	f[n].type = ATTEST_F_IMA_LOG;
	f[n].val = malloc(8 + ev->ima_len);
	if (!f[n].val)
		return -1;
	put_be(f[n].val, ev->ima_start, 8);
	if (ev->ima_len)
		memcpy(f[n].val + 8, ev->ima_log, ev->ima_len);
	f[n++].len = 8 + ev->ima_len;
	if (ev->has_ek) {
		f[n].type = ATTEST_F_EK_PUBLIC;
		f[n].val = malloc(sizeof(TPMT_PUBLIC));
		if (!f[n].val || attest_public_marshal(&ev->ek, f[n].val,
						       sizeof(TPMT_PUBLIC),
						       &f[n].len))
			return -1;
		n++;
	}
	if (ev->ek_cert) {
		if (ev->ek_cert_len > ATTEST_EK_CERT_MAX_LEN)
			return -1;
		f[n].type = ATTEST_F_EK_CERT;
		f[n].val = malloc(ev->ek_cert_len);
		if (!f[n].val)
			return -1;
		memcpy(f[n].val, ev->ek_cert, ev->ek_cert_len);
		f[n++].len = ev->ek_cert_len;
	}
	return n;
}

static int concat(struct field *f, int n, uint8_t **out, size_t *len)
{
	size_t total = HDR_LEN;
	uint8_t *p;

	for (int i = 0; i < n; i++)
		total += FIELD_HDR_LEN + f[i].len;
	if (total > ATTEST_EVIDENCE_MAX || !(*out = malloc(total)))
		return -1;
	memcpy(*out, ATTEST_EVIDENCE_MAGIC, 4);
	p = put_be(*out + 4, ATTEST_EVIDENCE_VERSION, 2);
	p = put_be(p, 0, 2);
	p = put_be(p, total, 4);
	for (int i = 0; i < n; i++) {
		p = put_be(p, f[i].type, 2);
		p = put_be(p, f[i].len, 4);
		memcpy(p, f[i].val, f[i].len);
		p += f[i].len;
	}
	*len = total;
	return 0;
}

int attest_evidence_encode(const struct attest_evidence *ev, uint8_t **out,
			   size_t *len)
{
	struct field f[__ATTEST_F_MAX] = { 0 };
	int n, m, ret = -1;

	*out = NULL;
	n = marshal_fields(ev, f);
	if (n < 0 || marshal_pcrs(ev, &f[n]))
		goto out;
	n++;
	m = marshal_rest(ev, &f[n]);
	if (m < 0)
		goto out;
	ret = concat(f, n + m, out, len);
out:
	for (int i = 0; i < __ATTEST_F_MAX; i++)
		free(f[i].val);
	return ret;
}
