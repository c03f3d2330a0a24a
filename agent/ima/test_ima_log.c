// SPDX-License-Identifier: GPL-2.0
/*
 * Parser and replay of well-formed IMA logs, checked against values the
 * log builder computed on its own (testlog.c), for every template,
 * violations, several PCRs, incremental replay and "replay until match".
 */
#include "ima/ima_log.h"
#include "ima/tap.h"
#include "ima/testlog.h"

#include <string.h>

#include <openssl/evp.h>

static const uint8_t file_sha256[32] = { 0xaa, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const uint8_t file_sha1[20] = { 0xbb, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
static const uint8_t file_sha512[64] = { 0xcc, 0xdd, [63] = 0xee };
static const uint8_t sig[] = { 0x03, 0x02, 0x04, 0xde, 0xad, 0xbe, 0xef };
static const char buf_text[] = "kexec-cmdline or any critical data";

/* One record of every kind, on PCR 10 and two on other PCRs. */
static void build_mixed(struct testlog *tl)
{
	testlog_add_ng(tl, 10, "ima-ng", "sha1", file_sha1, 20,
		       "boot_aggregate", NULL, 0, false);
	testlog_add_ng(tl, 10, "ima-ng", "sha256", file_sha256, 32,
		       "/usr/bin/true", NULL, 0, false);
	testlog_add_ng(tl, 10, "ima-sig", "sha256", file_sha256, 32,
		       "/usr/bin/signed", sig, sizeof(sig), false);
	testlog_add_ng(tl, 10, "ima-sig", "sha512", file_sha512, 64,
		       "/usr/bin/unsigned", NULL, 0, false);
	testlog_add_ng(tl, 11, "ima-buf", "sha256", file_sha256, 32,
		       "kexec-cmdline", buf_text, sizeof(buf_text) - 1, false);
	testlog_add_ima(tl, 10, file_sha1, "/etc/old-template", false);
	testlog_add_ng(tl, 10, "ima-ng", "sha256", NULL, 32,
		       "/var/log/open-writers", NULL, 0, true);
	testlog_add_ima(tl, 10, NULL, "/tmp/tomtou", true);
	testlog_add_file(tl, 12, "/usr/lib/libc.so.6");
	testlog_add_file(tl, 10, "/usr/sbin/leod");
}

static void test_fields(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_entry e[10];
	struct ima_log_error err;
	char paths[10][IMA_OLD_NAME_MAX + 1];
	int n = 0, rc;

	testlog_init(&tl);
	build_mixed(&tl);
	ima_log_iter_init(&it, tl.data, tl.len);
	/* An "ima" path lives in the iterator until the next entry. */
	while (n < 10 && (rc = ima_log_next(&it, &e[n], &err)) > 0) {
		snprintf(paths[n], sizeof(paths[n]), "%s", e[n].path);
		n++;
	}
	ok(n == 10 && ima_log_next(&it, &e[0], &err) == 0,
	   "mixed log: 10 entries, then end of log");
	if (n != 10) {
		testlog_free(&tl);
		return;
	}
	ok(e[0].template_id == IMA_TEMPLATE_IMA_NG &&
	   e[0].digest_algo == IMA_HASH_SHA1 && e[0].digest_len == 20 &&
	   !memcmp(e[0].digest, file_sha1, 20) &&
	   !strcmp(e[0].path, "boot_aggregate") && e[0].pcr == 10,
	   "ima-ng sha1: algorithm, digest, path, pcr");
	ok(e[1].digest_algo == IMA_HASH_SHA256 &&
	   !memcmp(e[1].digest, file_sha256, 32) &&
	   e[1].path_len == strlen("/usr/bin/true") &&
	   e[1].offset == tl.entries[1].offset && e[1].index == 1,
	   "ima-ng sha256: digest, path length, offset, index");
	ok(e[2].template_id == IMA_TEMPLATE_IMA_SIG &&
	   e[2].sig_len == sizeof(sig) && !memcmp(e[2].sig, sig, sizeof(sig)),
	   "ima-sig: signature bytes");
	ok(e[3].sig == NULL && e[3].sig_len == 0 &&
	   e[3].digest_algo == IMA_HASH_SHA512 && e[3].digest_len == 64,
	   "ima-sig: empty sig field, sha512 digest");
	ok(e[4].template_id == IMA_TEMPLATE_IMA_BUF && e[4].pcr == 11 &&
	   e[4].buf_len == sizeof(buf_text) - 1 &&
	   !memcmp(e[4].buf, buf_text, e[4].buf_len) &&
	   !strcmp(e[4].path, "kexec-cmdline"),
	   "ima-buf: buffer and event name");
	ok(e[5].template_id == IMA_TEMPLATE_IMA &&
	   !strcmp(paths[5], "/etc/old-template") &&
	   e[5].path_len == strlen(paths[5]) &&
	   e[5].digest_algo == IMA_HASH_SHA1 &&
	   !memcmp(e[5].digest, file_sha1, 20) && !e[5].violation,
	   "ima: digest and path (record without data length)");
	ok(e[6].violation && e[7].violation && !e[8].violation &&
	   !strcmp(paths[7], "/tmp/tomtou"),
	   "violations: all-zero template digest flagged");
	ok(e[8].pcr == 12 && e[9].pcr == 10 &&
	   it.off == tl.len && it.index == 10,
	   "iterator ends exactly at the end of the log");
	ok(ima_log_count(tl.data, tl.len, &err) == 10, "ima_log_count");
	testlog_free(&tl);
}

static void check_pcrs(const struct ima_replay *r, const struct testlog *tl,
		       size_t n, const char *what)
{
	uint8_t sha1[20], sha256[32];
	bool same = true;

	for (uint32_t pcr = 0; pcr < IMA_PCR_COUNT; pcr++) {
		testlog_expected_pcr(tl, pcr, n, sha1, sha256);
		same &= !memcmp(r->pcr[IMA_BANK_SHA1][pcr], sha1, 20);
		same &= !memcmp(r->pcr[IMA_BANK_SHA256][pcr], sha256, 32);
	}
	ok(same, "%s: all 24 PCRs equal the independent replay (sha1, sha256)",
	   what);
}

static void test_replay(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_replay r;
	struct ima_log_error err;
	uint8_t ff[32], manual[64], value[32];

	testlog_init(&tl);
	build_mixed(&tl);
	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, tl.len);
	ok(ima_replay_all(&r, &it, &err) == 0, "replay of the mixed log");
	check_pcrs(&r, &tl, tl.count, "mixed log");
	ok(r.entries == 10 && r.violations == 2 && r.offset == tl.len &&
	   r.pcrs_used == ((1U << 10) | (1U << 11) | (1U << 12)),
	   "replay counters: entries, violations, offset, PCRs used");

	/* A violation alone: PCR = sha256(0^32 || ff^32), by hand. */
	testlog_free(&tl);
	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-ng", "sha256", NULL, 32, "/x", NULL, 0,
		       true);
	memset(ff, 0xff, sizeof(ff));
	memset(manual, 0, 32);
	memcpy(manual + 32, ff, 32);
	EVP_Digest(manual, 64, value, NULL, EVP_sha256(), NULL);
	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, tl.len);
	ok(ima_replay_all(&r, &it, &err) == 0 &&
	   !memcmp(r.pcr[IMA_BANK_SHA256][10], value, 32),
	   "violation extends sha256 bank with 0xff bytes");
	testlog_free(&tl);
}

static void test_banks(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_replay r;
	struct ima_log_error err;
	uint8_t zero[64] = { 0 };

	testlog_init(&tl);
	build_mixed(&tl);
	ima_replay_init(&r, IMA_BANK_BIT(IMA_BANK_SHA256) |
			    IMA_BANK_BIT(IMA_BANK_SHA384));
	ima_log_iter_init(&it, tl.data, tl.len);
	ok(ima_replay_all(&r, &it, &err) == 0 &&
	   !memcmp(r.pcr[IMA_BANK_SHA1][10], zero, 20) &&
	   memcmp(r.pcr[IMA_BANK_SHA384][10], zero, 48),
	   "only the selected banks are replayed");
	testlog_expected_pcr(&tl, 10, tl.count, zero, zero + 20);
	ok(!memcmp(r.pcr[IMA_BANK_SHA256][10], zero + 20, 32),
	   "sha256 bank replayed alongside sha384");
	testlog_free(&tl);
}

static void test_tampered(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_replay r;
	struct ima_log_error err;
	uint8_t *path;

	testlog_init(&tl);
	build_mixed(&tl);
	/* Edit a path in entry 1, keeping its template digest. */
	path = memmem(tl.data, tl.len, "/usr/bin/true", 13);
	path[9] = 'T';
	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, tl.len);
	ok(ima_replay_all(&r, &it, &err) < 0 && err.index == 1 &&
	   err.offset == tl.entries[1].offset &&
	   strstr(err.msg, "template digest does not match"),
	   "edited template data: error names entry 1 (%s)", err.msg);
	testlog_free(&tl);
}

static void test_incremental(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_replay r, full, loaded;
	struct ima_log_error err;
	uint8_t saved[IMA_REPLAY_SAVE_LEN];
	size_t half_len;

	testlog_init(&tl);
	build_mixed(&tl);
	half_len = tl.len;
	for (int i = 0; i < 20; i++)
		testlog_add_file(&tl, 10, i % 2 ? "/bin/a" : "/bin/b");

	/* First pass over the shorter log, as a verifier would. */
	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, half_len);
	ok(ima_replay_all(&r, &it, &err) == 0 && r.entries == 10,
	   "first pass over 10 entries");
	ima_replay_save(&r, saved);
	ok(ima_replay_load(&loaded, saved, sizeof(saved)) == 0 &&
	   !memcmp(&loaded, &r, sizeof(r)), "save/load round trip");
	saved[0] ^= 1;
	ok(ima_replay_load(&loaded, saved, sizeof(saved)) < 0,
	   "load rejects a bad magic");

	/* Second pass: only the 20 new entries of the longer log. */
	ok(ima_replay_resume(&r, &it, tl.data, tl.len, &err) == 0 &&
	   it.index == 10, "resume at entry 10 of the grown log");
	ok(ima_replay_all(&r, &it, &err) == 0 && r.entries == 30,
	   "second pass replays the 20 new entries");
	ima_replay_init(&full, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, tl.len);
	ima_replay_all(&full, &it, &err);
	ok(!memcmp(&full, &r, sizeof(r)),
	   "incremental replay equals a full replay");
	check_pcrs(&r, &tl, tl.count, "incremental");

	/* Entries must come in order: skipping or repeating one fails. */
	ima_log_iter_init_at(&it, tl.data, tl.len, tl.entries[29].offset, 29,
			     &err);
	ok(ima_replay_all(&r, &it, &err) < 0 &&
	   strstr(err.msg, "replay expects entry 30 next"),
	   "replaying an entry twice fails (%s)", err.msg);

	/* A different log at the same place is refused. */
	tl.data[tl.entries[29].offset + 4] ^= 0x55;
	ok(ima_replay_resume(&r, &it, tl.data, tl.len, &err) < 0 &&
	   err.index == 29, "resume refuses a changed last entry (%s)",
	   err.msg);
	ok(ima_replay_resume(&r, &it, tl.data, half_len, &err) < 0,
	   "resume refuses a log shorter than the state (%s)", err.msg);
	testlog_free(&tl);
}

static void test_until_match(void)
{
	struct testlog tl;
	struct ima_log_iter it;
	struct ima_replay r, before;
	struct ima_log_error err;
	struct ima_pcr_target t[2] = {
		{ .bank = IMA_BANK_SHA256, .pcr = 10 },
		{ .bank = IMA_BANK_SHA1, .pcr = 10 },
	};
	uint64_t examined;

	testlog_init(&tl);
	for (int i = 0; i < 50; i++)
		testlog_add_file(&tl, 10, i % 3 ? "/bin/x" : "/bin/y");
	/* A quote taken after 37 entries; the log has 50. */
	testlog_expected_pcr(&tl, 10, 37, t[1].digest, t[0].digest);
	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, tl.data, tl.len);
	ok(ima_replay_until_match(&r, &it, t, 2, &examined, &err) == 1 &&
	   r.entries == 37 && examined == 37 && it.index == 37,
	   "match found after entry 37 of 50");
	ok(ima_replay_until_match(&r, &it, t, 2, &examined, &err) == 1 &&
	   examined == 0 && r.entries == 37,
	   "already matching state: match with no new entry");

	t[0].digest[0] ^= 1;
	before = r;
	ok(ima_replay_until_match(&r, &it, t, 2, &examined, &err) == 0 &&
	   examined == 13 && !memcmp(&before, &r, sizeof(r)),
	   "no prefix matches: 0, state unchanged");
	ima_replay_init(&r, IMA_BANK_BIT(IMA_BANK_SHA256));
	ima_log_iter_init(&it, tl.data, tl.len);
	t[0].digest[0] ^= 1;
	ok(ima_replay_until_match(&r, &it, t, 2, &examined, &err) == 0,
	   "target in a bank not replayed never matches");
	testlog_free(&tl);
}

int main(void)
{
	test_fields();
	test_replay();
	test_banks();
	test_tampered();
	test_incremental();
	test_until_match();
	return tap_done();
}
