// SPDX-License-Identifier: GPL-2.0
/*
 * The ASCII log parser: a log of every template, written by testlog from
 * the same inputs as its binary twin, converts to exactly those bytes and
 * parses to the same entries; each malformed line fails with its line
 * number; the limits hold. Also runs under ASan/UBSan.
 */
#include "ima/ima_ascii.h"
#include "ima/tap.h"
#include "ima/testlog.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t d20[20] = { 0xde, 0xad, 0xbe, 0xef };
static const uint8_t d32[32] = { 1, 2, 3, 0xff };
static const uint8_t d48[48] = { 9, 8, 7 };

static void all_templates(struct testlog *tl)
{
	static const uint8_t sig[] = { 3, 2, 0x10, 0x20, 0x30 };

	testlog_init(tl);
	testlog_add_ng(tl, 10, "ima-ng", "sha256", d32, 32, "boot_aggregate",
		       NULL, 0, false);
	testlog_add_file(tl, 10, "/usr/bin/with space");
	testlog_add_ng(tl, 10, "ima-ng", "sha384", d48, 48, "/usr/lib/x.so",
		       NULL, 0, false);
	testlog_add_ng(tl, 10, "ima-sig", "sha256", d32, 32, "/usr/bin/signed",
		       sig, sizeof(sig), false);
	testlog_add_ng(tl, 10, "ima-sig", "sha256", d32, 32, "/usr/bin/no sig",
		       NULL, 0, false);
	testlog_add_buf(tl, 10, "kexec-cmdline", "root=/dev/vda", 13);
	testlog_add_ima(tl, 10, d20, "/old/template", false);
	testlog_add_ng(tl, 10, "ima-ng", "sha256", d32, 32, "/tmp/raced", NULL,
		       0, true);
	testlog_add_ima(tl, 10, d20, "/old/violation", true);
	testlog_add_file(tl, 9, "/pcr9/file");
}

static void test_good(void)
{
	struct ima_log_iter a, b;
	struct ima_entry ea, eb;
	struct ima_log_error err = { 0 };	/* printed even on success */
	struct testlog tl;
	uint8_t *bin;
	size_t len;
	int ra, rb, same = 1, n = 0;

	all_templates(&tl);
	ok(!ima_ascii_to_binary(tl.ascii, tl.ascii_len, &bin, &len, &err),
	   "ASCII log of ima, ima-ng, ima-sig, ima-buf, violations converts: %s",
	   err.msg);
	ok(len == tl.len && bin && !memcmp(bin, tl.data, len),
	   "converted bytes equal the binary log written from the same inputs (%zu vs %zu)",
	   len, tl.len);
	ima_log_iter_init(&a, bin, len);
	ima_log_iter_init(&b, tl.data, tl.len);
	while ((ra = ima_log_next(&a, &ea, &err)) == 1 &&
	       (rb = ima_log_next(&b, &eb, &err)) == 1) {
		same &= ea.pcr == eb.pcr && ea.template_id == eb.template_id &&
			ea.violation == eb.violation &&
			ea.digest_algo == eb.digest_algo &&
			ea.digest_len == eb.digest_len &&
			!memcmp(ea.digest, eb.digest, ea.digest_len) &&
			ea.path_len == eb.path_len &&
			!strcmp(ea.path, eb.path) && ea.sig_len == eb.sig_len &&
			ea.buf_len == eb.buf_len &&
			!memcmp(ea.template_digest, eb.template_digest, 20);
		n++;
	}
	ok(ra == 0 && same && n == (int)tl.count,
	   "the parser yields the same %d entries from both", n);
	ima_log_iter_init(&a, bin, len);
	ima_log_next(&a, &ea, &err);
	ima_log_next(&a, &ea, &err);
	ok(!strcmp(ea.path, "/usr/bin/with space"), "a path keeps its spaces");
	for (int i = 0; i < 3; i++)
		ima_log_next(&a, &ea, &err);
	ok(ea.sig == NULL && ea.sig_len == 0 &&
	   !strcmp(ea.path, "/usr/bin/no sig"),
	   "ima-sig with an empty sig field (line ends in a space)");
	free(bin);
	testlog_free(&tl);

	ok(!ima_ascii_to_binary("", 0, &bin, &len, &err) && !bin && !len,
	   "an empty log is no entries");
}

/* @line (with its newline) after a good first line fails on line 2 */
static void expect_bad(const char *line, const char *needle, const char *what)
{
	struct ima_log_error err = { 0 };
	struct testlog tl;
	uint8_t *bin = (uint8_t *)"x";
	size_t len = 1;
	int rc;

	testlog_init(&tl);
	testlog_add_file(&tl, 10, "/good/first");
	tl.ascii = realloc(tl.ascii, tl.ascii_len + strlen(line) + 1);
	memcpy(tl.ascii + tl.ascii_len, line, strlen(line) + 1);
	tl.ascii_len += strlen(line);
	rc = ima_ascii_to_binary(tl.ascii, tl.ascii_len, &bin, &len, &err);
	ok(rc == -1 && !bin && !len && err.index == 1 &&
	   !strncmp(err.msg, "line 2: ", 8) && strstr(err.msg, needle),
	   "%s: %s", what, err.msg);
	testlog_free(&tl);
}

#define TH "0123456789abcdef0123456789abcdef01234567"
#define D64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void test_bad(void)
{
	static char big[IMA_ASCII_LINE_MAX + 200];
	struct ima_log_error err;
	uint8_t *bin;
	size_t len;

	expect_bad("10 zz23456789abcdef0123456789abcdef01234567 ima-ng sha256:" D64 " /a\n",
		   "template hash is not hex", "bad hex in the template hash");
	expect_bad("10 " TH " ima-ng sha256:" D64 "zz /a\n",
		   "sha256 digest has 66 hex digits, expected 64",
		   "wrong digest length (sha256)");
	expect_bad("10 " TH " ima-ng sha256:0011 /a\n",
		   "has 4 hex digits, expected 64", "short digest");
	expect_bad("10 " TH " ima-ng sha256:" "x0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" " /a\n",
		   "sha256 digest is not hex", "bad hex in the file digest");
	expect_bad("10 0123 ima-ng sha256:" D64 " /a\n",
		   "template hash has 4 hex digits, expected 40",
		   "short template hash");
	expect_bad("10 " TH " ima " D64 " /a\n",
		   "file digest (sha1) has 64 hex digits, expected 40",
		   "ima template with a sha256-sized digest");
	expect_bad("10 " TH " ima-ng sha256:" D64 "\n", "missing the path",
		   "ima-ng without a path");
	expect_bad("10 " TH " ima-ng\n", "missing the template fields",
		   "no fields at all");
	expect_bad("10 " TH "\n", "missing the template name", "no template");
	expect_bad("10\n", "template hash has 0 hex digits", "PCR only");
	expect_bad("10 " TH " ima-sig sha256:" D64 " /nosig\n",
		   "missing the sig field", "ima-sig without its sig field");
	expect_bad("10 " TH " ima-buf sha256:" D64 " name\n",
		   "missing the buf field", "ima-buf without its buf field");
	expect_bad("10 " TH " ima-sig sha256:" D64 " /a 0g\n",
		   "sig field is not hex", "bad hex in the sig field");
	expect_bad("10 " TH " ima-buf sha256:" D64 " name abc\n",
		   "buf field is not hex (3 digits)", "odd hex in the buf field");
	expect_bad("10 " TH " ima-ng md6:" D64 " /a\n",
		   "unsupported digest algorithm \"md6\"", "unknown algorithm");
	expect_bad("10 " TH " ima-ng " D64 " /a\n", "lacks an \"<algorithm>:\"",
		   "ima-ng digest without its algorithm");
	expect_bad("10 " TH " ima-foo sha256:" D64 " /a\n",
		   "unknown template \"ima-foo\"", "unknown template");
	expect_bad("24 " TH " ima-ng sha256:" D64 " /a\n",
		   "PCR index 24 out of range", "PCR out of range");
	expect_bad("x1 " TH " ima-ng sha256:" D64 " /a\n",
		   "is not a number", "PCR not a number");
	expect_bad("10 " TH " ima-ng sha256:" D64 " /a\x1b[2Jpass\n",
		   "control character 0x1b at column", "escape byte in a path");
	expect_bad("10 " TH " ima-ng sha256:" D64 " /a\r\n",
		   "control character 0x0d", "carriage return (CRLF file)");
	expect_bad("10 " TH " ima-ng sha256:" D64 " /a\tb\n",
		   "control character 0x09", "tab in a path");
	expect_bad("\n", "empty line", "empty line");
	expect_bad("10 " TH " ima-ng sha256:" D64 " /a",
		   "no newline at the end", "last line cut off");

	/* a NUL byte inside a path */
	{
		static const char l[] = "10 " TH " ima-ng sha256:" D64 " /a\0b\n";

		ok(ima_ascii_to_binary(l, sizeof(l) - 1, &bin, &len, &err) == -1 &&
		   strstr(err.msg, "line 1: control character 0x00"),
		   "NUL in a path: %s", err.msg);
	}
	/* overlong line */
	memset(big, 'a', sizeof(big));
	memcpy(big, "10 " TH " ima-ng sha256:" D64 " /", 3 + 40 + 15 + 64 + 2);
	big[sizeof(big) - 1] = '\n';
	ok(ima_ascii_to_binary(big, sizeof(big), &bin, &len, &err) == -1 &&
	   strstr(err.msg, "line 1: line longer than 65536 bytes"),
	   "overlong line refused: %s", err.msg);
	/* a path longer than the binary format allows */
	big[3 + 40 + 15 + 64 + 2 + 4096] = '\n';
	ok(ima_ascii_to_binary(big, 3 + 40 + 15 + 64 + 2 + 4097, &bin, &len,
			       &err) == -1 &&
	   strstr(err.msg, "path of 4097 bytes exceeds 4095"),
	   "path beyond IMA_PATH_MAX refused: %s", err.msg);
}

/* a single-digit PCR is written "%2d": " 9 ..." */
static void test_pcr_column(void)
{
	static const char l[] = " 9 " TH " ima-ng sha256:" D64 " /a\n";
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;
	uint8_t *bin;
	size_t len;

	ok(!ima_ascii_to_binary(l, sizeof(l) - 1, &bin, &len, &err),
	   "space-padded PCR column accepted");
	ima_log_iter_init(&it, bin, len);
	ok(ima_log_next(&it, &e, &err) == 1 && e.pcr == 9 &&
	   e.template_digest[0] == 0x01 && e.template_digest[19] == 0x67,
	   "PCR 9, template hash column copied as logged");
	free(bin);
}

int main(void)
{
	test_good();
	test_bad();
	test_pcr_column();
	return tap_done();
}
