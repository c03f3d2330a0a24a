/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence: what an attester sends for one quote, and its versioned binary
 * encoding (docs/attestation.md, "Evidence format").
 *
 *   "LEOE" | u16 version (1) | u16 flags (0) | u32 total length
 *   then fields, each: u16 type | u32 length | value,
 *   in strictly ascending type order, every field at most once.
 *
 * Integers are big endian, as in TPM structures. Required fields:
 * AK_PUBLIC, QUOTE, SIGNATURE, PCRS, IMA_LOG; optional: EK_PUBLIC,
 * EK_CERT. Unknown types, a nonzero flags word, trailing bytes or a value
 * that does not unmarshal exactly are errors (fail closed).
 *
 * Decoding does not allocate: the IMA log and the certificate point into
 * the caller's buffer, which must outlive the decoded evidence.
 * No global state; thread-safe.
 */
#ifndef ATTEST_EVIDENCE_H
#define ATTEST_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <tss2/tss2_tpm2_types.h>

#define ATTEST_EVIDENCE_MAGIC	"LEOE"
#define ATTEST_EVIDENCE_VERSION	1
#define ATTEST_PCR_COUNT	24
#define ATTEST_PCR_LEN		32		/* sha256 bank only */
#define ATTEST_IMA_LOG_MAX	(64u << 20)	/* bytes of IMA log */
#define ATTEST_EK_CERT_MAX_LEN	4096
#define ATTEST_EVIDENCE_MAX	(ATTEST_IMA_LOG_MAX + 16384)

enum attest_field {
	ATTEST_F_AK_PUBLIC = 1,	/* TPMT_PUBLIC, marshalled */
	ATTEST_F_QUOTE,		/* TPMS_ATTEST, marshalled (the signed bytes) */
	ATTEST_F_SIGNATURE,	/* TPMT_SIGNATURE, marshalled */
	ATTEST_F_PCRS,		/* u16 hash alg (sha256) | u32 mask | values */
	ATTEST_F_IMA_LOG,	/* u64 index of first entry | binary log */
	ATTEST_F_EK_PUBLIC,	/* TPMT_PUBLIC, marshalled (optional) */
	ATTEST_F_EK_CERT,	/* DER X.509 (optional) */
	__ATTEST_F_MAX
};

struct attest_evidence {
	TPMT_PUBLIC ak;
	uint8_t quote[sizeof(TPMS_ATTEST)];	/* bytes the AK signed */
	size_t quote_len;
	TPMS_ATTEST attest;			/* quote, unmarshalled */
	TPMT_SIGNATURE sig;
	uint32_t pcr_mask;			/* bit n: PCR n reported */
	uint8_t pcr[ATTEST_PCR_COUNT][ATTEST_PCR_LEN];
	uint64_t ima_start;			/* index of the first entry */
	const uint8_t *ima_log;
	size_t ima_len;
	int has_ek;
	TPMT_PUBLIC ek;
	const uint8_t *ek_cert;			/* NULL if absent */
	size_t ek_cert_len;
};

/* Returns 0, or -1 with *why set to a static explanation. */
int attest_evidence_decode(const uint8_t *buf, size_t len,
			   struct attest_evidence *ev, const char **why);

/* Encode to a malloc'ed buffer. Returns 0, or -1 (bad field or no memory). */
int attest_evidence_encode(const struct attest_evidence *ev, uint8_t **out,
			   size_t *len);

/* Set ev->quote/attest from marshalled bytes; -1 if they do not parse */
int attest_evidence_set_quote(struct attest_evidence *ev, const uint8_t *q,
			      size_t len);

#endif /* ATTEST_EVIDENCE_H */
