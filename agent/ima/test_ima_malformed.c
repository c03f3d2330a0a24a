// SPDX-License-Identifier: GPL-2.0
/*
 * One test per kind of malformed IMA log: each must fail with a message
 * naming the entry index and byte offset, must not move the iterator past
 * the bad record, and must not crash (this also runs under ASan/UBSan).
 */
#include "ima/ima_log.h"
#include "ima/tap.h"
#include "ima/testlog.h"

#include <string.h>

static const uint8_t some_digest[20] = { 1, 2, 3 };
static const uint8_t sha256_digest[32] = { 4, 5, 6 };

/* A valid first entry, so errors must name entry 1 and its offset. */
static void start(struct testlog *tl)
{
	testlog_init(tl);
	testlog_add_file(tl, 10, "/good/first");
}

/* Record header for template @name; the caller appends the rest. */
static void header(struct testlog *tl, uint32_t pcr, const char *name)
{
	testlog_put_le32(tl, pcr);
	testlog_put(tl, some_digest, 20);
	testlog_put_le32(tl, (uint32_t)strlen(name));
	testlog_put(tl, name, strlen(name));
}

static void field(struct testlog *tl, const void *p, uint32_t n)
{
	testlog_put_le32(tl, n);
	testlog_put(tl, p, n);
}

/* An ima-ng record with the given raw d-ng and n-ng fields. */
static void ng_record(struct testlog *tl, const void *dng, uint32_t dng_len,
		      const void *nng, uint32_t nng_len)
{
	header(tl, 10, "ima-ng");
	testlog_put_le32(tl, 8 + dng_len + nng_len);
	field(tl, dng, dng_len);
	field(tl, nng, nng_len);
}

static void dng_sha256(uint8_t out[40])
{
	memcpy(out, "sha256:", 8);	/* with its NUL */
	memcpy(out + 8, sha256_digest, 32);
}

/* Parse @tl fully; expect an error at entry 1 mentioning @needle. */
static void expect_error(struct testlog *tl, const char *needle,
			 const char *what)
{
	struct ima_log_iter it;
	struct ima_entry e;
	struct ima_log_error err;
	size_t off1;
	int rc;

	memset(&err, 0, sizeof(err));
	/* The bad record starts where the valid first one ends. */
	ima_log_iter_init(&it, tl->data, tl->len);
	ima_log_next(&it, &e, &err);
	off1 = it.off;
	ima_log_iter_init(&it, tl->data, tl->len);
	while ((rc = ima_log_next(&it, &e, &err)) > 0)
		;
	ok(rc < 0 && err.index == 1 && err.offset == off1 &&
	   strstr(err.msg, needle) && it.index == 1 && it.off == off1 &&
	   ima_log_next(&it, &e, &err) < 0,
	   "%s: \"%s\"", what, err.msg);
	testlog_free(tl);
}

static void test_truncated(void)
{
	struct testlog full, tl;
	size_t rec1;

	start(&full);
	testlog_add_file(&full, 10, "/second/entry");
	rec1 = full.entries[1].offset;
	/* Every cut inside the second record must fail, never crash. */
	for (size_t cut = rec1 + 1; cut < full.len; cut++) {
		struct ima_log_error err;

		if (ima_log_count(full.data, cut, &err) >= 0 ||
		    err.index != 1 || err.offset != rec1) {
			ok(0, "truncated at byte %zu of %zu", cut, full.len);
			testlog_free(&full);
			return;
		}
	}
	ok(1, "every truncation of the second record fails at entry 1");
	testlog_free(&full);

	start(&tl);
	testlog_put(&tl, "\x0a\x00", 2);
	expect_error(&tl, "truncated record", "2 bytes after the last entry");
}

static void test_length_past_end(void)
{
	struct testlog tl;
	uint8_t dng[40];

	start(&tl);
	dng_sha256(dng);
	header(&tl, 10, "ima-ng");
	testlog_put_le32(&tl, 500);
	field(&tl, dng, 40);
	expect_error(&tl, "exceeds the", "template data length past the end");

	start(&tl);
	header(&tl, 10, "ima-ng");
	testlog_put_le32(&tl, 4 + 40 + 4 + 3);
	field(&tl, dng, 40);
	testlog_put_le32(&tl, 300);	/* n-ng longer than the data */
	testlog_put(&tl, "/a", 3);
	expect_error(&tl, "n-ng field length 300 exceeds",
		     "field length past the end of the template data");

	start(&tl);
	header(&tl, 10, "ima-ng");
	testlog_put_le32(&tl, 4 + 40 + 4 + 3 + 5);
	field(&tl, dng, 40);
	field(&tl, "/a", 3);
	testlog_put(&tl, "extra", 5);
	expect_error(&tl, "bytes after the last", "trailing template data");
}

static void test_unknown_template(void)
{
	struct testlog tl;

	start(&tl);
	header(&tl, 10, "ima-ngv2\x01");
	testlog_put_le32(&tl, 0);
	expect_error(&tl, "unknown template \"ima-ngv2?\"", "unknown template");
}

static void test_huge_lengths(void)
{
	struct testlog tl;

	start(&tl);
	testlog_put_le32(&tl, 10);
	testlog_put(&tl, some_digest, 20);
	testlog_put_le32(&tl, 0xffffffffU);
	testlog_put(&tl, "ima-ng", 6);
	expect_error(&tl, "template name length 4294967295 not in",
		     "huge template name length");

	start(&tl);
	header(&tl, 10, "ima-sig");
	testlog_put_le32(&tl, 0xfffffff0U);
	expect_error(&tl, "template data length 4294967280 exceeds 1048576",
		     "huge template data length");

	start(&tl);
	header(&tl, 10, "ima");
	testlog_put(&tl, some_digest, 20);
	testlog_put_le32(&tl, 256);
	for (int i = 0; i < 256; i++)
		testlog_put(&tl, "a", 1);
	expect_error(&tl, "ima path length 256 exceeds 255",
		     "ima template path too long");

	start(&tl);
	header(&tl, 10, "ima-ng");
	testlog_put_le32(&tl, 8);
	testlog_put_le32(&tl, 0x7fffffffU);
	testlog_put_le32(&tl, 0);
	expect_error(&tl, "d-ng field length 2147483647 exceeds",
		     "huge d-ng field length");
}

static void hundred_files(struct testlog *tl)
{
	testlog_init(tl);
	for (int i = 0; i < 100; i++)
		testlog_add_file(tl, 10, "/f");
}

/* entries @it yields with its cap lowered to @cap (0: default) */
static int count_entries(struct ima_log_iter *it, uint64_t cap,
			 struct ima_entry *e, struct ima_log_error *err,
			 int *rc)
{
	int n = 0;

	if (cap)
		it->max_entries = cap;
	while ((*rc = ima_log_next(it, e, err)) > 0)
		n++;
	return n;
}

static void test_huge_count(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_entry e;
	struct ima_log_error err;
	int rc, n = 0;

	hundred_files(&tl);
	ima_log_iter_init(&it, tl.data, tl.len);
	n = count_entries(&it, 64, &e, &err, &rc);
	ok(rc < 0 && n == 64 && err.index == 64 &&
	   err.offset == tl.entries[64].offset &&
	   strstr(err.msg, "more than 64 entries"),
	   "entry count beyond the iterator's limit: \"%s\"", err.msg);
	testlog_free(&tl);
}

/* the cap counts what one pass carries, not the absolute entry number */
static void test_cap_per_pass(void)
{
	const uint64_t start = IMA_DEFAULT_MAX_ENTRIES + 10ull;
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_entry e;
	struct ima_log_error err;
	int rc, n = 0;

	hundred_files(&tl);
	ima_log_iter_init_at(&it, tl.data, tl.len, 0, start, &err);
	n = count_entries(&it, 0, &e, &err, &rc);
	ok(rc == 0 && n == 100 && e.index == start + 99,
	   "100 entries starting past entry 2^22 are read (last index %llu)",
	   (unsigned long long)e.index);
	ima_log_iter_init_at(&it, tl.data, tl.len, 0, start, &err);
	n = count_entries(&it, 64, &e, &err, &rc);
	ok(rc < 0 && n == 64 && err.index == start + 64 &&
	   strstr(err.msg, "more than 64 entries from entry 4194314"),
	   "one pass beyond the cap refused: \"%s\"", err.msg);
	testlog_free(&tl);
}

static void test_zero_lengths(void)
{
	struct testlog tl;
	uint8_t dng[40];

	dng_sha256(dng);
	start(&tl);
	ng_record(&tl, dng, 0, "/a", 3);
	expect_error(&tl, "empty d-ng field", "zero-length d-ng");

	start(&tl);
	ng_record(&tl, dng, 40, "", 0);
	expect_error(&tl, "empty n-ng field", "zero-length n-ng");

	start(&tl);
	header(&tl, 10, "ima-buf");
	testlog_put_le32(&tl, 0);
	expect_error(&tl, "ends before the d-ng field",
		     "zero-length template data");

	start(&tl);
	testlog_put_le32(&tl, 10);
	testlog_put(&tl, some_digest, 20);
	testlog_put_le32(&tl, 0);
	expect_error(&tl, "template name length 0", "zero-length template name");

	start(&tl);
	header(&tl, 10, "ima-sig");
	testlog_put_le32(&tl, 4 + 40 + 4 + 3);
	field(&tl, dng, 40);
	field(&tl, "/a", 3);
	expect_error(&tl, "ends before the sig field", "ima-sig without sig");
}

static void test_n_ng(void)
{
	struct testlog tl;
	uint8_t dng[40];

	dng_sha256(dng);
	start(&tl);
	ng_record(&tl, dng, 40, "/no/nul", 7);
	expect_error(&tl, "not NUL-terminated", "n-ng without NUL");

	start(&tl);
	ng_record(&tl, dng, 40, "/a\0b", 5);
	expect_error(&tl, "has a NUL at byte 2", "n-ng with an embedded NUL");

	start(&tl);
	header(&tl, 10, "ima");
	testlog_put(&tl, some_digest, 20);
	field(&tl, "/a\0b", 4);
	expect_error(&tl, "ima path contains a NUL", "ima path with a NUL");
}

static void test_d_ng(void)
{
	struct testlog tl;
	uint8_t dng[48];

	start(&tl);
	memcpy(dng, "sha999:", 8);
	memcpy(dng + 8, sha256_digest, 32);
	ng_record(&tl, dng, 40, "/a", 3);
	expect_error(&tl, "unsupported d-ng digest algorithm \"sha999\"",
		     "unknown d-ng algorithm");

	start(&tl);
	memcpy(dng, "sha256", 7);	/* no colon */
	ng_record(&tl, dng, 39, "/a", 3);
	expect_error(&tl, "lacks an", "d-ng without \"algo:\"");

	start(&tl);
	dng_sha256(dng);
	ng_record(&tl, dng, 28, "/a", 3);	/* 20-byte sha256 digest */
	expect_error(&tl, "sha256 digest has 20 bytes, expected 32",
		     "d-ng digest size does not match its algorithm");

	start(&tl);
	memcpy(dng, ":", 2);
	ng_record(&tl, dng, 22, "/a", 3);
	expect_error(&tl, "algorithm \"\"", "d-ng with an empty algorithm name");
}

static void test_pcr_range(void)
{
	struct testlog tl;

	start(&tl);
	testlog_add_file(&tl, 24, "/pcr/24");
	expect_error(&tl, "PCR index 24 out of range", "PCR index 24");
}

static void test_empty_and_null(void)
{
	struct ima_log_iter it;
	struct ima_entry e;
	struct ima_log_error err;

	ima_log_iter_init(&it, NULL, 100);
	ok(ima_log_next(&it, &e, &err) == 0, "NULL log: no entries");
	ima_log_iter_init(&it, "", 0);
	ok(ima_log_count("", 0, &err) == 0, "empty log: no entries");
	ok(ima_log_iter_init_at(&it, "abcd", 4, 5, 1, &err) < 0 &&
	   strstr(err.msg, "past the end"),
	   "resume offset past the end: \"%s\"", err.msg);
}

int main(void)
{
	test_truncated();
	test_length_past_end();
	test_unknown_template();
	test_huge_lengths();
	test_huge_count();
	test_cap_per_pass();
	test_zero_lengths();
	test_n_ng();
	test_d_ng();
	test_pcr_range();
	test_empty_and_null();
	return tap_done();
}
