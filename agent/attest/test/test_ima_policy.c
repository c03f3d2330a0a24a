// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's IMA pass (replay to PCR 10 + policy) on synthetic logs,
 * without a TPM: the PCR 10 value a quote would carry is computed
 * independently by the test log builder. Checks each leo policy flag with
 * both of its values, and leo's own records (sequence gaps, seal, mode).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <linux/leo.h>
#include <linux/leo_measure.h>

#include "attest/quote.h"
#include "attest/test/tap.h"
#include "attest/verify_internal.h"
#include "ima/testlog.h"

static const uint8_t exe[32] = { 0xe0, 0xe1, 0xe2 };

static struct attest_policy *policy_with(const char *leo, const char *digests)
{
	char json[512], err[160];
	struct attest_policy *p;

	snprintf(json, sizeof(json),
		 "{\"excludes\":[\"/\"],\"digests\":{%s},\"leo\":{%s}}",
		 digests, leo);
	p = attest_policy_parse(json, strlen(json), err, sizeof(err));
	if (!p)
		tap_bail(err);
	return p;
}

static struct attest_policy *policy(const char *leo)
{
	return policy_with(leo, "");
}

/* a leo record: header + @body of @body_len bytes */
static void add_record(struct testlog *tl, const char *name, uint16_t op,
		       uint64_t seq, const void *body, size_t body_len)
{
	uint8_t rec[256] = { 0 };
	struct leo_measure_hdr h = {
		.magic = LEO_MEASURE_MAGIC, .version = LEO_MEASURE_VERSION,
		.op = op, .length = sizeof(h) + body_len, .seq = seq,
		.instance = 0x1234,
	};

	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), body, body_len);
	testlog_add_buf(tl, ATTEST_IMA_PCR, name, rec, sizeof(h) + body_len);
}

static void add_load(struct testlog *tl)
{
	struct leo_measure_load_rec load = { 0 };

	add_record(tl, LEO_MEASURE_NAME_MODULE_LOAD, LEO_MEASURE_OP_MODULE_LOAD,
		   0, &load, sizeof(load));
}

static void add_config(struct testlog *tl, uint64_t seq, uint8_t mode)
{
	struct leo_measure_config_rec c = { .mode = mode };

	add_record(tl, LEO_MEASURE_NAME_CONFIG, LEO_MEASURE_OP_CONFIG, seq, &c,
		   sizeof(c));
}

static void add_seal(struct testlog *tl, uint64_t seq, const uint8_t *d)
{
	struct leo_measure_seal_rec s = { .hash_algo = 4 };

	memcpy(s.exe_digest, d, 32);
	add_record(tl, LEO_MEASURE_NAME_SEAL, LEO_MEASURE_OP_SEAL, seq, &s,
		   sizeof(s));
}

/* run the IMA pass as attest_verify does after the quote checks */
static struct attest_result check(const struct testlog *tl,
				  const struct attest_policy *pol)
{
	static struct attest_evidence ev;
	static struct attest_peer peer;
	struct attest_result res = { .pass = true };
	uint8_t sha1[20];

	memset(&ev, 0, sizeof(ev));
	memset(&peer, 0, sizeof(peer));
	ima_replay_init(&peer.replay, IMA_BANK_BIT(IMA_BANK_SHA256));
	ev.pcr_mask = 1u << ATTEST_IMA_PCR;
	testlog_expected_pcr(tl, ATTEST_IMA_PCR, tl->count, sha1,
			     ev.pcr[ATTEST_IMA_PCR]);
	ev.ima_log = tl->data;
	ev.ima_len = tl->len;
	if (!attest_check_ima(&peer, pol, &ev, &res))
		attest_check_leo_final(&peer, pol, &res);
	return res;
}

static void expect(const struct testlog *tl, const char *leo, int pass,
		   enum attest_reason why, const char *what)
{
	struct attest_policy *p = policy(leo);
	struct attest_result r = check(tl, p);

	if (pass)
		tap_ok(r.pass, "%s: passes with {%s}", what, leo);
	else
		tap_ok(!r.pass && attest_result_has(&r, why),
		       "%s: fails (%s) with {%s}", what,
		       attest_reason_name(why), leo);
	attest_policy_free(p);
}

static void test_violations(void)
{
	struct testlog tl;
	uint8_t zero[32] = { 0 };

	testlog_init(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha256", zero, 32,
		       "/var/log/busy", NULL, 0, true);
	expect(&tl, "\"allow_violations\":false", 0, ATTEST_R_VIOLATION,
	       "violation");
	expect(&tl, "\"allow_violations\":true", 1, 0, "violation");
	expect(&tl, "", 0, ATTEST_R_VIOLATION, "violation, default");
	testlog_free(&tl);
}

static void test_monitor(void)
{
	struct testlog tl;

	testlog_init(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_MONITOR);
	expect(&tl, "\"allow_monitor_mode\":false", 0, ATTEST_R_LEO_RECORD,
	       "monitor mode");
	expect(&tl, "\"allow_monitor_mode\":true", 1, 0, "monitor mode");
	testlog_free(&tl);
	testlog_init(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_ENFORCE);
	expect(&tl, "", 1, 0, "enforce mode");
	testlog_free(&tl);
}

static void test_sequence(void)
{
	struct testlog tl;

	testlog_init(&tl);
	add_load(&tl);
	add_config(&tl, 2, LEO_MODE_ENFORCE);	/* record 1 never logged */
	expect(&tl, "", 0, ATTEST_R_LEO_RECORD, "gap in leo's record numbers");
	testlog_free(&tl);
}

static void test_seal(void)
{
	uint8_t other[32] = { 0x0f };
	char leo[256];
	struct testlog tl;
	int n;

	n = snprintf(leo, sizeof(leo),
		     "\"require_seal\":true,\"seal_exe_digests\":[\"sha256:");
	for (int i = 0; i < 32; i++)
		n += snprintf(leo + n, sizeof(leo) - n, "%02x", exe[i]);
	snprintf(leo + n, sizeof(leo) - n, "\"]");
	testlog_init(&tl);
	add_load(&tl);
	expect(&tl, leo, 0, ATTEST_R_LEO_RECORD, "no seal record");
	expect(&tl, "\"require_seal\":false", 1, 0, "no seal record");
	add_seal(&tl, 1, exe);
	expect(&tl, leo, 1, 0, "sealed to the allowed executable");
	testlog_free(&tl);
	testlog_init(&tl);
	add_load(&tl);
	add_seal(&tl, 1, other);
	expect(&tl, leo, 0, ATTEST_R_LEO_RECORD, "sealed to another executable");
	expect(&tl, leo + strlen("\"require_seal\":true,"), 0,
	       ATTEST_R_LEO_RECORD, "sealed to another executable");
	expect(&tl, "\"require_seal\":true", 1, 0,
	       "sealed, no executable list");
	testlog_free(&tl);
}

static void test_tampered_record(void)
{
	struct testlog tl;
	size_t off;

	testlog_init(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_ENFORCE);
	/* rewrite the mode byte, the last byte but 7 of the log */
	off = tl.len - sizeof(struct leo_measure_config_rec);
	tl.data[off] = LEO_MODE_MONITOR;
	expect(&tl, "\"allow_monitor_mode\":true", 0, ATTEST_R_IMA_LOG,
	       "leo record edited after logging");
	testlog_free(&tl);
}

static void test_boot_aggregate(void)
{
	static const char listed[] =
		"\"boot_aggregate\":[\"7777777777777777777777777777777777777777\"]";
	uint8_t zeros[8 * 32] = { 0 }, d[32], sha1[20];
	struct attest_policy *p;
	struct attest_result r;
	struct testlog tl;

	/* PCRs 0-9 unreported count as zeros: H(8 x 32 zero bytes) */
	EVP_Digest(zeros, sizeof(zeros), d, NULL, EVP_sha256(), NULL);
	testlog_init(&tl);
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha256", d, 32,
		       "boot_aggregate", NULL, 0, false);
	expect(&tl, "", 1, 0, "boot_aggregate equal to the PCRs");
	testlog_free(&tl);
	/* a sha1 boot_aggregate cannot be recomputed from the sha256 bank */
	memset(sha1, 0x77, sizeof(sha1));
	testlog_init(&tl);
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha1", sha1, 20,
		       "boot_aggregate", NULL, 0, false);
	p = policy_with("", "");
	r = check(&tl, p);
	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_PCR_GOLDEN),
	       "sha1 boot_aggregate not in the policy: pcr-golden");
	attest_policy_free(p);
	p = policy_with("", listed);
	r = check(&tl, p);
	tap_ok(r.pass, "sha1 boot_aggregate listed in \"digests\": passes");
	attest_policy_free(p);
	testlog_free(&tl);
}

/*
 * Incremental evidence far into a long-running host's log: the first entry
 * of this evidence is past 2^22, which the per-evidence cap must not count.
 */
static void test_high_index(void)
{
	const uint64_t start = IMA_DEFAULT_MAX_ENTRIES + 5ull;
	static struct attest_evidence ev;
	static struct attest_peer peer;
	struct attest_result res = { .pass = true };
	struct attest_policy *p = policy("");
	struct ima_log_iter it;
	struct ima_log_error err;
	struct testlog tl;
	uint8_t sha1[20];
	int rc;

	testlog_init(&tl);
	for (int i = 0; i < 8; i++)
		testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/x");
	/* the verifier's state after the first 3 entries, renumbered */
	memset(&peer, 0, sizeof(peer));
	ima_replay_init(&peer.replay, IMA_BANK_BIT(IMA_BANK_SHA256));
	ima_log_iter_init(&it, tl.data, tl.entries[3].offset);
	if (ima_replay_all(&peer.replay, &it, &err))
		tap_bail(err.msg);
	peer.replay.entries = start;
	memset(&ev, 0, sizeof(ev));
	ev.pcr_mask = 1u << ATTEST_IMA_PCR;
	testlog_expected_pcr(&tl, ATTEST_IMA_PCR, tl.count, sha1,
			     ev.pcr[ATTEST_IMA_PCR]);
	ev.ima_start = start;
	ev.ima_log = tl.data + tl.entries[3].offset;
	ev.ima_len = tl.len - tl.entries[3].offset;
	rc = attest_check_ima(&peer, p, &ev, &res);
	tap_ok(rc == 0 && res.pass && res.entries_new == 5 && res.entries_total == start + 5,
	       "incremental evidence starting at entry %llu passes (%llu new)",
	       (unsigned long long)start,
	       (unsigned long long)res.entries_new);
	attest_policy_free(p);
	testlog_free(&tl);
}

int main(void)
{
	test_high_index();
	test_boot_aggregate();
	test_violations();
	test_monitor();
	test_sequence();
	test_seal();
	test_tampered_record();
	return tap_done();
}
