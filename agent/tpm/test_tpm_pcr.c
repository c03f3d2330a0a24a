// SPDX-License-Identifier: GPL-2.0
/*
 * PCR read/extend and IMA log verification against a real swtpm: a
 * synthetic log is extended into PCR 10 (and 11, 12) with TPM2_PCR_Extend,
 * then the verification must match it, name an edited entry, and find no
 * matching prefix for a rewritten or shortened log. Also runs the
 * `leoctl measurements --verify` code itself. Skips if swtpm is absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/test/swtpm.h"
#include "ima/ima_log.h"
#include "ima/tap.h"
#include "ima/test_capture.h"
#include "ima/testlog.h"
#include "leoctl/commands.h"
#include "tpm/ima_pcrs.h"
#include "tpm/tpm.h"

bool leoctl_json;	/* defined by leoctl's main.c, not linked here */

static const uint8_t digest32[32] = { 0x11, 0x22, 0x33 };
static const uint8_t digest20[20] = { 0x44, 0x55 };

static bool have_swtpm(void)
{
	return !system("command -v swtpm >/dev/null 2>&1 && "
		       "command -v swtpm_ioctl >/dev/null 2>&1");
}

/* 40 entries of every kind; entries on PCR 11 and 12 too. */
static void build_log(struct testlog *tl)
{
	char path[64];

	testlog_add_ng(tl, 10, "ima-ng", "sha1", digest20, 20,
		       "boot_aggregate", NULL, 0, false);
	for (int i = 0; i < 39; i++) {
		snprintf(path, sizeof(path), "/usr/bin/prog%d", i);
		if (i == 5)
			testlog_add_ng(tl, 10, "ima-ng", "sha256", NULL, 32,
				       "/var/log/violation", NULL, 0, true);
		else if (i == 9)
			testlog_add_ima(tl, 10, digest20, path, false);
		else if (i % 7 == 3)
			testlog_add_ng(tl, 10, "ima-sig", "sha256", digest32,
				       32, path, "\x03\x02", 2, false);
		else if (i % 11 == 4)
			testlog_add_buf(tl, 10, "leo:config", "LEOM", 4);
		else
			testlog_add_file(tl, i % 13 == 12 ? 11 : 10, path);
	}
	testlog_add_file(tl, 12, "/etc/other-pcr");
}

static int extend_all(struct leo_tpm *tpm, const struct testlog *tl,
		      size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		struct leo_tpm_digest d[2] = {
			{ TPM2_ALG_SHA1, tl->entries[i].sha1 },
			{ TPM2_ALG_SHA256, tl->entries[i].sha256 },
		};

		if (leo_tpm_pcr_extend(tpm, tl->entries[i].pcr, d, 2))
			return -1;
	}
	return 0;
}

static void test_reads(struct leo_tpm *tpm, const struct testlog *tl)
{
	struct leo_pcr_values v;
	uint8_t sha1[20], sha256[32];
	bool same = true;

	ok(leo_tpm_pcr_read(tpm, TPM2_ALG_SHA256, 0xffffff, &v) == 0 &&
	   v.mask == 0xffffff && v.size == 32,
	   "read all 24 sha256 PCRs (several TPM2_PCR_Read rounds)");
	for (uint32_t pcr = 10; pcr <= 12; pcr++) {
		testlog_expected_pcr(tl, pcr, tl->count, sha1, sha256);
		same &= !memcmp(v.digest[pcr], sha256, 32);
	}
	ok(same, "PCRs 10, 11, 12 (sha256) equal the independent replay");
	testlog_expected_pcr(tl, 10, tl->count, sha1, sha256);
	ok(leo_tpm_pcr_read(tpm, TPM2_ALG_SHA1, 1U << 10, &v) == 0 &&
	   v.mask == 1U << 10 && v.size == 20 &&
	   !memcmp(v.digest[10], sha1, 20),
	   "PCR 10 (sha1) equals the independent replay");
	ok(leo_tpm_pcr_read(tpm, TPM2_ALG_SHA256, 1U << 24, &v) < 0,
	   "PCR 24 refused");
}

/*
 * Of the first @upto entries, those up to the last one on PCR 10: what a
 * PCR 10 match covers.
 */
static size_t pcr10_prefix(const struct testlog *tl, size_t upto)
{
	size_t n = 0;

	for (size_t i = 0; i < upto; i++)
		if (tl->entries[i].pcr == 10)
			n = i + 1;
	return n;
}

static void test_verify(struct leo_tpm *tpm, struct testlog *tl)
{
	struct ima_pcr_target t[2];
	struct ima_verify_result res;
	size_t n, covered = pcr10_prefix(tl, tl->count);
	uint32_t banks;
	uint8_t *path;
	int rc;

	ok(leo_tpm_read_ima_targets(tpm, 10, t, &n, &banks) == 0 && n == 2 &&
	   banks == IMA_BANKS_DEFAULT, "targets: PCR 10 sha256 and sha1");
	rc = ima_verify_log(tl->data, tl->len, banks, t, n, &res);
	ok(rc == 0 && res.status == IMA_VERIFY_MATCH &&
	   res.matched_entries == covered && res.log_entries == tl->count,
	   "whole log matches the TPM (%llu of %llu entries touch PCR 10)",
	   (unsigned long long)res.matched_entries,
	   (unsigned long long)res.log_entries);

	/* The log runs ahead of the PCR read: still a match. */
	testlog_add_file(tl, 10, "/usr/bin/late1");
	testlog_add_file(tl, 10, "/usr/bin/late2");
	rc = ima_verify_log(tl->data, tl->len, banks, t, n, &res);
	ok(rc == 0 && res.matched_entries == covered &&
	   res.log_entries == tl->count,
	   "log ahead of the PCRs: matches at entry %llu of %llu",
	   (unsigned long long)res.matched_entries,
	   (unsigned long long)res.log_entries);

	/* Edit the path of entry 17, keeping the template digest. */
	path = memmem(tl->data, tl->len, "/usr/bin/prog16", 15);
	path[9] = 'P';
	rc = ima_verify_log(tl->data, tl->len, banks, t, n, &res);
	ok(rc < 0 && res.status == IMA_VERIFY_BAD_LOG && res.err.index == 17 &&
	   res.err.offset == tl->entries[17].offset,
	   "edited entry: diverges at entry 17 (%s)", res.err.msg);
	path[9] = 'p';
}

static void test_no_prefix(const struct ima_pcr_target *t, size_t n,
			   uint32_t banks, const struct testlog *tl)
{
	struct ima_verify_result res;
	struct testlog other;
	int rc;

	/* Same shape, one entry rewritten with a consistent digest. */
	testlog_init(&other);
	for (size_t i = 0; i < 30; i++)
		testlog_add_file(&other, 10, i == 12 ? "/evil" : "/usr/bin/x");
	rc = ima_verify_log(other.data, other.len, banks, t, n, &res);
	ok(rc < 0 && res.status == IMA_VERIFY_NO_MATCH &&
	   res.log_entries == 30, "rewritten log: no prefix matches");
	testlog_free(&other);

	/* The log loses its last entries. */
	rc = ima_verify_log(tl->data, tl->entries[35].offset, banks, t, n,
			    &res);
	ok(rc < 0 && res.status == IMA_VERIFY_NO_MATCH &&
	   res.log_entries == 35, "truncated log: no prefix matches");
}

static int run_cli(char **argv, int argc, char *out, size_t size)
{
	return run_captured(cmd_measurements, argc, argv, out, size);
}

static void test_cli(const struct swtpm *sw, struct testlog *tl)
{
	char log_name[] = "/tmp/leo-imalog-XXXXXX";
	char out[8192], tcti[80], expect[80];
	char *argv[] = { "measurements", "--verify", "--log", log_name,
			 "--tcti", tcti, NULL };
	int fd = mkstemp(log_name);
	uint8_t *path;

	snprintf(tcti, sizeof(tcti), "%s", sw->tcti);
	if (fd < 0 || write(fd, tl->data, tl->len) != (ssize_t)tl->len) {
		ok(0, "write the log file");
		return;
	}
	snprintf(expect, sizeof(expect), "match: the first %zu of %zu entries",
		 pcr10_prefix(tl, tl->count - 2), tl->count);
	ok(run_cli(argv, 6, out, sizeof(out)) == 0 && strstr(out, expect),
	   "leoctl measurements --verify: \"%s\"", expect);

	path = memmem(tl->data, tl->len, "/usr/bin/prog30", 15);
	path[9] = 'P';
	ok(pwrite(fd, tl->data, tl->len, 0) == (ssize_t)tl->len &&
	   run_cli(argv, 6, out, sizeof(out)) == 1 &&
	   strstr(out, "diverges at entry 31 at offset"),
	   "--verify on an edited log: exit 1, names entry 31");
	path[9] = 'p';

	ok(ftruncate(fd, tl->entries[20].offset) == 0 &&
	   run_cli(argv, 6, out, sizeof(out)) == 1 &&
	   strstr(out, "no prefix of the log's 20 entries"),
	   "--verify on a truncated log: exit 1, no prefix matches");

	setenv(LEO_TPM_TCTI_ENV, sw->tcti, 1);
	argv[4] = NULL;
	ok(pwrite(fd, tl->data, tl->len, 0) == (ssize_t)tl->len &&
	   run_cli(argv, 4, out, sizeof(out)) == 0,
	   "TCTI taken from $" LEO_TPM_TCTI_ENV);
	unsetenv(LEO_TPM_TCTI_ENV);
	close(fd);
	unlink(log_name);
}

/*
 * A TPM with only a sha256 bank (reallocated with platform auth, then
 * reset): sha1 reads are -ENOENT, and sha256 alone decides.
 */
static void test_sha256_only(struct swtpm *sw, const struct testlog *tl)
{
	TPML_PCR_SELECTION sel = { .count = 2, .pcrSelections = {
		{ TPM2_ALG_SHA1, 3, { 0, 0, 0 } },
		{ TPM2_ALG_SHA256, 3, { 0xff, 0xff, 0xff } } } };
	struct ima_pcr_target t[2];
	struct ima_verify_result res;
	struct leo_pcr_values v;
	struct leo_tpm tpm;
	TPMI_YES_NO done;
	UINT32 max, need, avail;
	uint32_t banks;
	size_t n;
	int rc;

	if (!ok(swtpm_connect(sw) == 0 &&
		Esys_PCR_Allocate(sw->esys, ESYS_TR_RH_PLATFORM,
				  ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
				  &sel, &done, &max, &need, &avail) == 0 &&
		done && swtpm_reboot(sw) == 0,
		"sha1 bank deallocated, TPM reset"))
		return;
	swtpm_disconnect(sw);
	if (!ok(leo_tpm_open(&tpm, sw->tcti) == 0, "reopen"))
		return;
	rc = leo_tpm_pcr_read(&tpm, TPM2_ALG_SHA1, 1U << 10, &v);
	ok(rc == -ENOENT, "sha1 bank gone: -ENOENT (%s)", tpm.err);
	ok(extend_all(&tpm, tl, 0, 20) == 0, "20 entries extended again");
	rc = leo_tpm_read_ima_targets(&tpm, 10, t, &n, &banks);
	ok(rc == 0 && n == 1 && banks == IMA_BANK_BIT(IMA_BANK_SHA256),
	   "targets: sha256 only");
	rc = ima_verify_log(tl->data, tl->len, banks, t, n, &res);
	ok(rc == 0 && res.matched_entries == 20,
	   "sha256-only TPM: the log matches at entry 20");
	leo_tpm_close(&tpm);
}

int main(void)
{
	struct testlog tl;
	struct swtpm sw;
	struct leo_tpm tpm;
	struct ima_pcr_target t[2];
	uint32_t banks;
	size_t n;

	if (!have_swtpm()) {
		tap_skip_all("swtpm not installed");
		return 0;
	}
	/* tpm2-tss logs the refused connection below; keep TAP output clean. */
	setenv("TSS2_LOG", "all+none", 1);
	ok(leo_tpm_open(&tpm, "swtpm:host=127.0.0.1,port=1") < 0,
	   "open fails cleanly without a TPM (%s)", tpm.err);
	if (!ok(swtpm_start(&sw, false) == 0, "swtpm started"))
		return tap_done();
	if (!ok(leo_tpm_open(&tpm, sw.tcti) == 0, "open %s", sw.tcti)) {
		swtpm_stop(&sw);
		return tap_done();
	}
	testlog_init(&tl);
	build_log(&tl);
	ok(extend_all(&tpm, &tl, 0, tl.count) == 0,
	   "extended %zu entries into the TPM", tl.count);
	test_reads(&tpm, &tl);
	leo_tpm_read_ima_targets(&tpm, 10, t, &n, &banks);
	test_verify(&tpm, &tl);
	test_no_prefix(t, n, banks, &tl);
	leo_tpm_close(&tpm);
	test_cli(&sw, &tl);
	test_sha256_only(&sw, &tl);
	swtpm_stop(&sw);
	testlog_free(&tl);
	return tap_done();
}
