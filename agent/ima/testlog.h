/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builder of synthetic IMA binary logs for tests, fuzz seeds and
 * benchmarks. It writes records byte by byte from the kernel's layout
 * (not through the parser under test) and remembers each record's sha1
 * and sha256 template hash, computed independently here, so tests can
 * compare the parser and replay against them or extend a real TPM.
 *
 * Every record is also written as the kernel's ASCII log line (see
 * ima/ima_ascii.h), from the same inputs, into tl->ascii.
 *
 * Not thread-safe; allocation failures abort (test code only).
 */
#ifndef LEO_IMA_TESTLOG_H
#define LEO_IMA_TESTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct testlog_hashes {
	uint8_t sha1[20];		/* extend value, sha1 bank */
	uint8_t sha256[32];		/* extend value, sha256 bank */
	uint32_t pcr;
	size_t offset;			/* where the record starts */
};

struct testlog {
	uint8_t *data;
	size_t len, cap;
	struct testlog_hashes *entries;
	size_t count, entries_cap;
	/* the same records as ascii_runtime_measurements text */
	char *ascii;
	size_t ascii_len, ascii_cap;
};

void testlog_init(struct testlog *tl);
void testlog_free(struct testlog *tl);

/* Raw bytes, for malformed logs. */
void testlog_put(struct testlog *tl, const void *p, size_t n);
void testlog_put_le32(struct testlog *tl, uint32_t v);

/*
 * An ima-ng / ima-sig / ima-buf record. @algo names the d-ng algorithm
 * ("sha256"), @digest has that algorithm's size. @extra is the sig or buf
 * field (ignored for ima-ng). A violation gets an all-zero template digest
 * and an all-zero file digest.
 */
void testlog_add_ng(struct testlog *tl, uint32_t pcr, const char *template,
		    const char *algo, const uint8_t *digest, size_t digest_len,
		    const char *path, const void *extra, size_t extra_len,
		    bool violation);

/* An original "ima" template record with a 20-byte sha1 file digest. */
void testlog_add_ima(struct testlog *tl, uint32_t pcr,
		     const uint8_t digest[20], const char *path,
		     bool violation);

/* An ima-buf record as leo.ko logs it: d-ng = sha256(buf). */
void testlog_add_buf(struct testlog *tl, uint32_t pcr, const char *name,
		     const void *buf, size_t len);

/* A typical file measurement: ima-ng, sha256 of @path's name as digest. */
void testlog_add_file(struct testlog *tl, uint32_t pcr, const char *path);

/* Independent replay: PCR @pcr after the first @n records, per bank. */
void testlog_expected_pcr(const struct testlog *tl, uint32_t pcr, size_t n,
			  uint8_t sha1[20], uint8_t sha256[32]);

#endif /* LEO_IMA_TESTLOG_H */
