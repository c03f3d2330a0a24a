// SPDX-License-Identifier: GPL-2.0
/*
 * Builder of synthetic IMA binary logs (see testlog.h). Single-threaded
 * test code; aborts on allocation failure.
 */
#include "ima/testlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <openssl/evp.h>

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;

	while (n < need)
		n *= 2;
	if (n == *cap)
		return p;
	p = realloc(p, n * elem);
	if (!p) {
		perror("testlog");
		abort();
	}
	*cap = n;
	return p;
}

void testlog_init(struct testlog *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void testlog_free(struct testlog *tl)
{
	free(tl->ascii);
	free(tl->data);
	free(tl->entries);
	memset(tl, 0, sizeof(*tl));
}

void testlog_put(struct testlog *tl, const void *p, size_t n)
{
	tl->data = grow(tl->data, &tl->cap, tl->len + n, 1);
	if (n)
		memcpy(tl->data + tl->len, p, n);
	tl->len += n;
}

void testlog_put_le32(struct testlog *tl, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	testlog_put(tl, b, 4);
}

static void hash(const EVP_MD *md, const void *p, size_t n, uint8_t *out)
{
	if (!EVP_Digest(p, n, out, NULL, md, NULL))
		abort();
}

/* Header, then remember the record's extend values. */
static void put_record(struct testlog *tl, uint32_t pcr, const char *template,
		       const uint8_t *hashed, size_t hashed_len,
		       const uint8_t *body, size_t body_len, bool violation,
		       bool with_len)
{
	struct testlog_hashes *h;

	tl->entries = grow(tl->entries, &tl->entries_cap, tl->count + 1,
			   sizeof(*tl->entries));
	h = &tl->entries[tl->count++];
	h->pcr = pcr;
	h->offset = tl->len;
	if (violation) {
		memset(h->sha1, 0xff, sizeof(h->sha1));
		memset(h->sha256, 0xff, sizeof(h->sha256));
	} else {
		hash(EVP_sha1(), hashed, hashed_len, h->sha1);
		hash(EVP_sha256(), hashed, hashed_len, h->sha256);
	}
	testlog_put_le32(tl, pcr);
	if (violation) {
		static const uint8_t zero[20];

		testlog_put(tl, zero, 20);
	} else {
		testlog_put(tl, h->sha1, 20);
	}
	testlog_put_le32(tl, (uint32_t)strlen(template));
	testlog_put(tl, template, strlen(template));
	if (with_len)
		testlog_put_le32(tl, (uint32_t)body_len);
	testlog_put(tl, body, body_len);
}

/* Append to the ASCII rendering: text, or bytes as lower-case hex */
static void ascii_put(struct testlog *tl, const char *s, size_t n)
{
	tl->ascii = grow(tl->ascii, &tl->ascii_cap, tl->ascii_len + n + 1, 1);
	memcpy(tl->ascii + tl->ascii_len, s, n);
	tl->ascii_len += n;
	tl->ascii[tl->ascii_len] = 0;
}

static void ascii_hex(struct testlog *tl, const void *p, size_t n)
{
	const uint8_t *b = p;
	char h[3];

	for (size_t i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%02x", b[i]);
		ascii_put(tl, h, 2);
	}
}

/* "%2d " PCR, template hash (zeros for a violation), " name" */
static void ascii_head(struct testlog *tl, const char *template,
		       bool violation)
{
	static const uint8_t zero[20];
	const struct testlog_hashes *h = &tl->entries[tl->count - 1];
	char pcr[16];

	snprintf(pcr, sizeof(pcr), "%2u ", h->pcr);
	ascii_put(tl, pcr, strlen(pcr));
	ascii_hex(tl, violation ? zero : h->sha1, 20);
	ascii_put(tl, " ", 1);
	ascii_put(tl, template, strlen(template));
}

static void field(struct testlog *td, const void *p, size_t n)
{
	testlog_put_le32(td, (uint32_t)n);
	testlog_put(td, p, n);
}

void testlog_add_ng(struct testlog *tl, uint32_t pcr, const char *template,
		    const char *algo, const uint8_t *digest, size_t digest_len,
		    const char *path, const void *extra, size_t extra_len,
		    bool violation)
{
	struct testlog td, dng;
	uint8_t zero[64] = { 0 };

	testlog_init(&td);
	testlog_init(&dng);
	testlog_put(&dng, algo, strlen(algo));
	testlog_put(&dng, ":", 2);	/* ':' and its NUL */
	testlog_put(&dng, violation ? zero : digest, digest_len);
	field(&td, dng.data, dng.len);
	field(&td, path, strlen(path) + 1);
	if (strcmp(template, "ima-ng"))
		field(&td, extra, extra_len);
	put_record(tl, pcr, template, td.data, td.len, td.data, td.len,
		   violation, true);
	ascii_head(tl, template, violation);
	ascii_put(tl, " ", 1);
	ascii_put(tl, algo, strlen(algo));
	ascii_put(tl, ":", 1);
	ascii_hex(tl, violation ? zero : digest, digest_len);
	ascii_put(tl, " ", 1);
	ascii_put(tl, path, strlen(path));
	if (strcmp(template, "ima-ng")) {
		ascii_put(tl, " ", 1);
		ascii_hex(tl, extra, extra_len);
	}
	ascii_put(tl, "\n", 1);
	testlog_free(&td);
	testlog_free(&dng);
}

void testlog_add_ima(struct testlog *tl, uint32_t pcr,
		     const uint8_t digest[20], const char *path,
		     bool violation)
{
	uint8_t hashed[20 + 256] = { 0 };
	struct testlog body;
	size_t n = strlen(path);

	if (n > 255)
		abort();
	if (!violation)
		memcpy(hashed, digest, 20);
	memcpy(hashed + 20, path, n);
	testlog_init(&body);
	testlog_put(&body, hashed, 20);
	testlog_put_le32(&body, (uint32_t)n);
	testlog_put(&body, path, n);
	put_record(tl, pcr, "ima", hashed, sizeof(hashed), body.data, body.len,
		   violation, false);
	ascii_head(tl, "ima", violation);
	ascii_put(tl, " ", 1);
	ascii_hex(tl, hashed, 20);
	ascii_put(tl, " ", 1);
	ascii_put(tl, path, n);
	ascii_put(tl, "\n", 1);
	testlog_free(&body);
}

void testlog_add_buf(struct testlog *tl, uint32_t pcr, const char *name,
		     const void *buf, size_t len)
{
	uint8_t d[32];

	hash(EVP_sha256(), buf, len, d);
	testlog_add_ng(tl, pcr, "ima-buf", "sha256", d, 32, name, buf, len,
		       false);
}

void testlog_add_file(struct testlog *tl, uint32_t pcr, const char *path)
{
	uint8_t d[32];

	hash(EVP_sha256(), path, strlen(path), d);
	testlog_add_ng(tl, pcr, "ima-ng", "sha256", d, 32, path, NULL, 0,
		       false);
}

void testlog_expected_pcr(const struct testlog *tl, uint32_t pcr, size_t n,
			  uint8_t sha1[20], uint8_t sha256[32])
{
	uint8_t b1[40], b256[64];

	memset(sha1, 0, 20);
	memset(sha256, 0, 32);
	for (size_t i = 0; i < n && i < tl->count; i++) {
		if (tl->entries[i].pcr != pcr)
			continue;
		memcpy(b1, sha1, 20);
		memcpy(b1 + 20, tl->entries[i].sha1, 20);
		SHA1(b1, sizeof(b1), sha1);
		memcpy(b256, sha256, 32);
		memcpy(b256 + 32, tl->entries[i].sha256, 32);
		SHA256(b256, sizeof(b256), sha256);
	}
}
