// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's IMA pass (replay to PCR 10 + policy) on synthetic logs,
 * without a TPM: the PCR 10 value a quote would carry is computed
 * independently by the test log builder. Checks each leo policy flag with
 * both of its values, and leo's own records (sequence gaps, seal, mode);
 * attest_check_log (no quote) on a binary log and its ASCII twin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <linux/leo.h>
#include <linux/leo_measure.h>

#include "attest/quote.h"
#include "attest/test/ima_pass.h"
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

static struct attest_result check_upto(const struct testlog *tl,
				       const struct attest_policy *pol,
				       size_t quoted, uint64_t *verified)
{
	return ima_pass_upto(tl, pol, quoted, verified);
}

static struct attest_result check(const struct testlog *tl,
				  const struct attest_policy *pol)
{
	return check_upto(tl, pol, tl->count, NULL);
}

/* boot_aggregate of a host whose PCRs 0-9 are zero (none reported) */
static void boot_aggregate_digest(uint8_t d[32])
{
	uint8_t zeros[8 * 32] = { 0 };

	EVP_Digest(zeros, sizeof(zeros), d, NULL, EVP_sha256(), NULL);
}

/* a log as IMA starts it: boot_aggregate first */
static void start_log(struct testlog *tl)
{
	uint8_t d[32];

	boot_aggregate_digest(d);
	testlog_init(tl);
	testlog_add_ng(tl, ATTEST_IMA_PCR, "ima-ng", "sha256", d, 32,
		       "boot_aggregate", NULL, 0, false);
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

	start_log(&tl);
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

	start_log(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_MONITOR);
	expect(&tl, "\"allow_monitor_mode\":false", 0, ATTEST_R_LEO_RECORD,
	       "monitor mode");
	expect(&tl, "\"allow_monitor_mode\":true", 1, 0, "monitor mode");
	testlog_free(&tl);
	start_log(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_ENFORCE);
	expect(&tl, "", 1, 0, "enforce mode");
	testlog_free(&tl);
}

static void test_sequence(void)
{
	struct testlog tl;

	start_log(&tl);
	add_load(&tl);
	add_config(&tl, 2, LEO_MODE_ENFORCE);	/* record 1 never logged */
	expect(&tl, "", 0, ATTEST_R_LEO_RECORD, "gap in leo's record numbers");
	testlog_free(&tl);
}

/* leo keys: a seal is required, to the executable @exe */
static void seal_required(char *leo, size_t size)
{
	int n = snprintf(leo, size,
			 "\"require_seal\":true,\"seal_exe_digests\":[\"sha256:");

	for (int i = 0; i < 32; i++)
		n += snprintf(leo + n, size - n, "%02x", exe[i]);
	snprintf(leo + n, size - n, "\"]");
}

static void test_seal(void)
{
	uint8_t other[32] = { 0x0f };
	char leo[256];
	struct testlog tl;

	seal_required(leo, sizeof(leo));
	start_log(&tl);
	add_load(&tl);
	expect(&tl, leo, 0, ATTEST_R_LEO_RECORD, "no seal record");
	expect(&tl, "\"require_seal\":false", 1, 0, "no seal record");
	add_seal(&tl, 1, exe);
	expect(&tl, leo, 1, 0, "sealed to the allowed executable");
	testlog_free(&tl);
	start_log(&tl);
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

	start_log(&tl);
	add_load(&tl);
	add_config(&tl, 1, LEO_MODE_ENFORCE);
	/* rewrite the mode byte, the last byte but 7 of the log */
	off = tl.len - sizeof(struct leo_measure_config_rec);
	tl.data[off] = LEO_MODE_MONITOR;
	expect(&tl, "\"allow_monitor_mode\":true", 0, ATTEST_R_IMA_LOG,
	       "leo record edited after logging");
	testlog_free(&tl);
}

static struct attest_policy *parse_or_bail(const char *json)
{
	char err[200];
	struct attest_policy *p = attest_policy_parse(json, strlen(json), err,
						      sizeof(err));

	if (!p)
		tap_bail(err);
	return p;
}

/* "boot_aggregate":["<hex of @d>"] with an optional "alg:" prefix */
static void pin(char *out, size_t size, const char *alg, const uint8_t *d,
		size_t len)
{
	int n = snprintf(out, size, "\"boot_aggregate\":[\"%s", alg);

	for (size_t i = 0; i < len; i++)
		n += snprintf(out + n, size - n, "%02x", d[i]);
	snprintf(out + n, size - n, "\"]");
}

static void expect_digests(const struct testlog *tl, const char *digests,
			   int pass, enum attest_reason why, const char *what)
{
	struct attest_policy *p = policy_with("", digests);
	struct attest_result r = check(tl, p);

	tap_ok(pass ? r.pass : !r.pass && attest_result_has(&r, why),
	       "%s: %s", what, pass ? "passes" : attest_reason_name(why));
	attest_policy_free(p);
}

static void test_boot_aggregate(void)
{
	uint8_t d[32], other[32], sha1[20];
	char listed[200];
	struct testlog tl;

	boot_aggregate_digest(d);
	start_log(&tl);
	expect(&tl, "", 1, 0, "boot_aggregate equal to the PCRs, not pinned");
	/* pinned: a boot_aggregate equal to the PCRs is not enough */
	memset(other, 0x5e, sizeof(other));
	pin(listed, sizeof(listed), "", other, 32);
	expect_digests(&tl, listed, 0, ATTEST_R_PCR_GOLDEN,
		       "boot_aggregate matches the PCRs but not the pinned digest");
	pin(listed, sizeof(listed), "sha256:", d, 32);
	expect_digests(&tl, listed, 1, 0, "boot_aggregate is the pinned digest");
	/* same hex, other algorithm: sha1 pin of the sha256 value's prefix */
	pin(listed, sizeof(listed), "sha1:", d, 20);
	expect_digests(&tl, listed, 0, ATTEST_R_PCR_GOLDEN,
		       "sha1 pin sharing the hex prefix of a sha256 boot_aggregate");
	/* an exclude never excuses boot_aggregate */
	{
		struct attest_policy *p = parse_or_bail(
			"{\"excludes\":[\".*\"],\"digests\":{"
			"\"boot_aggregate\":[\"sha256:5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e\"]}}");
		struct attest_result r = check(&tl, p);

		tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_PCR_GOLDEN),
		       "pinned boot_aggregate: an exclude matching it does not pass it");
		attest_policy_free(p);
	}
	testlog_free(&tl);

	/* a sha1 boot_aggregate cannot be recomputed from the sha256 bank */
	memset(sha1, 0x77, sizeof(sha1));
	testlog_init(&tl);
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha1", sha1, 20,
		       "boot_aggregate", NULL, 0, false);
	expect_digests(&tl, "", 0, ATTEST_R_PCR_GOLDEN,
		       "sha1 boot_aggregate not in the policy");
	pin(listed, sizeof(listed), "", sha1, 20);
	expect_digests(&tl, listed, 1, 0,
		       "sha1 boot_aggregate listed in \"digests\"");
	testlog_free(&tl);
}

/* ima-missing when IMA is required, a pass when the policy says it is not */
static void expect_ima_missing(const struct testlog *tl,
			       const struct attest_policy *strict,
			       const struct attest_policy *no_ima,
			       const char *what)
{
	struct attest_result r = check(tl, strict);

	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_IMA_MISSING),
	       "%s: ima-missing", what);
	r = check(tl, no_ima);
	tap_ok(r.pass, "%s, IMA not required: passes", what);
}

/* Every entry received is judged; IMA must be running unless told not */
static void test_unquoted_entries(void)
{
	static const char known[] = "\"/usr/bin/a\":[\"sha256:";
	char digests[200];
	uint8_t d[32];
	struct attest_policy *strict, *no_ima;
	struct attest_result r;
	struct testlog tl;
	uint64_t verified;
	int n;

	EVP_Digest("/usr/bin/a", 10, d, NULL, EVP_sha256(), NULL);
	n = snprintf(digests, sizeof(digests), "%s", known);
	for (int i = 0; i < 32; i++)
		n += snprintf(digests + n, sizeof(digests) - n, "%02x", d[i]);
	snprintf(digests + n, sizeof(digests) - n, "\"]");
	/* no excludes here: every path must be listed */
	{
		char json[400];

		snprintf(json, sizeof(json), "{\"digests\":{%s}}", digests);
		strict = parse_or_bail(json);
		snprintf(json, sizeof(json),
			 "{\"digests\":{%s},\"leo\":{\"require_ima\":false}}",
			 digests);
		no_ima = parse_or_bail(json);
	}

	/* the attack: PCR 10 = 0 and a log with an unknown binary */
	start_log(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/evil");
	r = check_upto(&tl, strict, 0, &verified);
	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_IMA_MISSING) &&
	       attest_result_has(&r, ATTEST_R_FILE_UNKNOWN) &&
	       r.entries_new == 0 && r.entries_pending == 2,
	       "PCR 10 = 0 with an unknown binary: ima-missing and file-unknown (first: %s)",
	       r.n_failures ? attest_reason_name(r.failures[0].reason) : "none");
	r = check_upto(&tl, no_ima, 0, &verified);
	tap_ok(!r.pass && !attest_result_has(&r, ATTEST_R_IMA_MISSING) &&
	       attest_result_has(&r, ATTEST_R_FILE_UNKNOWN),
	       "same, IMA not required: the unknown binary is still judged");
	/* quote covers boot_aggregate only: the entry past it is judged */
	r = check_upto(&tl, strict, 1, &verified);
	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_FILE_UNKNOWN) &&
	       r.failures[0].entry == 1 && r.entries_pending == 1,
	       "unknown binary past the quoted prefix: file-unknown at entry 1");
	testlog_free(&tl);

	/* known entries past the prefix pass; the state stops at the prefix */
	start_log(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	r = check_upto(&tl, strict, 2, &verified);
	tap_ok(r.pass && verified == 2 && r.entries_new == 2 &&
	       r.entries_pending == 1,
	       "known entry past the prefix: passes, state advances to the prefix only");
	r = check_upto(&tl, strict, 0, &verified);
	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_IMA_MISSING),
	       "PCR 10 = 0 with IMA required: ima-missing");
	r = check_upto(&tl, no_ima, 0, &verified);
	tap_ok(r.pass && verified == 0 && r.entries_pending == 3,
	       "PCR 10 = 0, IMA not required, known entries: passes");
	/* an entry past the prefix edited after logging */
	tl.data[tl.len - 2] ^= 1;	/* in its path */
	r = check_upto(&tl, strict, 2, &verified);
	tap_ok(!r.pass && attest_result_has(&r, ATTEST_R_IMA_LOG),
	       "edited entry past the prefix: ima-log");
	testlog_free(&tl);

	/* a full log that does not start with boot_aggregate */
	testlog_init(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	expect_ima_missing(&tl, strict, no_ima,
			   "full log without boot_aggregate first");
	testlog_free(&tl);
	/* an empty log: PCR 10 = 0, nothing measured */
	testlog_init(&tl);
	expect_ima_missing(&tl, strict, no_ima, "empty log, PCR 10 = 0");
	testlog_free(&tl);
	attest_policy_free(strict);
	attest_policy_free(no_ima);
}

/* The verdict as attest_result_print(_json) writes it; caller frees */
static char *printed(const struct attest_result *r, bool json, size_t *len)
{
	char *text = NULL;
	FILE *m = open_memstream(&text, len);

	if (!m)
		tap_bail("open_memstream");
	if (json)
		attest_result_print_json(r, m);
	else
		attest_result_print(r, m);
	fclose(m);
	return text;
}

/* A log-derived path cannot rewrite the verdict's text or JSON output */
static void test_escaped_output(void)
{
	static const char evil[] = "/usr/bin/x\npass: 0 failures\x1b[2J\\";
	char err[160];
	struct attest_policy *p = attest_policy_parse("{}", 2, err, sizeof(err));
	struct attest_result r;
	struct testlog tl;
	json_object *j = NULL, *f;
	char *text;
	size_t len;

	start_log(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, evil);
	r = check(&tl, p);
	text = printed(&r, false, &len);
	tap_ok(!r.pass && !strstr(text, "\npass") && !strchr(text, 0x1b) &&
	       strstr(text, " /usr/bin/x\\x0apass: 0 failures\\x1b[2J\\x5c sha256:"),
	       "text verdict: the path's control bytes and backslash are \\xHH");
	free(text);
	text = printed(&r, true, &len);
	j = json_tokener_parse(text);
	f = j ? json_object_array_get_idx(json_object_object_get(j, "failures"),
					  0) : NULL;
	tap_ok(f && strchr(text, '\n') == text + len - 1 &&
	       !strchr(text, 0x1b) &&
	       !strcmp(json_object_get_string(json_object_object_get(f, "path")),
		       evil),
	       "JSON verdict: one line, the path decodes to itself");
	json_object_put(j);
	free(text);
	testlog_free(&tl);
	attest_policy_free(p);
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

/* attest_check_log on the binary log and its ASCII twin: same verdict */
static void expect_log(const struct testlog *tl, const char *leo,
		       const char *digests, int pass, enum attest_reason why,
		       const char *what)
{
	struct attest_policy *p = policy_with(leo, digests);
	struct attest_result b, a;
	int rb = attest_check_log(p, tl->data, tl->len, ATTEST_LOG_BINARY, &b);
	int ra = attest_check_log(p, tl->ascii, tl->ascii_len, ATTEST_LOG_ASCII,
				  &a);

	tap_ok(b.no_quote && a.no_quote && b.entries_pending == tl->count &&
	       a.entries_pending == tl->count && rb == ra && b.pass == a.pass &&
	       b.n_failures == a.n_failures &&
	       (pass ? b.pass && !rb :
		       !b.pass && rb && attest_result_has(&b, why) &&
		       attest_result_has(&a, why)),
	       "check-log, binary and ASCII: %s: %s", what,
	       pass ? "passes" : attest_reason_name(why));
	attest_policy_free(p);
}

static void test_check_log(void)
{
	uint8_t other[32], zero[32] = { 0 };
	char leo[256], listed[200];
	struct testlog tl;

	seal_required(leo, sizeof(leo));
	start_log(&tl);
	add_load(&tl);
	expect_log(&tl, leo, "", 0, ATTEST_R_LEO_RECORD,
		   "seal required, no seal record in the log");
	add_seal(&tl, 1, exe);
	expect_log(&tl, leo, "", 1, 0, "sealed to the allowed executable");
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	expect_log(&tl, "", "\"/usr/bin/b\":[]", 1, 0,
		   "boot_aggregate not pinned: no PCRs to compare it with");
	memset(other, 0x5e, sizeof(other));
	pin(listed, sizeof(listed), "", other, 32);
	expect_log(&tl, "", listed, 0, ATTEST_R_PCR_GOLDEN,
		   "boot_aggregate pinned to another value");
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha256", zero, 32,
		       "/usr/bin/raced", NULL, 0, true);
	expect_log(&tl, "", "", 0, ATTEST_R_VIOLATION, "a violation");
	expect_log(&tl, "\"allow_violations\":true", "", 1, 0,
		   "a violation, allowed");
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/a");
	expect_log(&tl, "", "", 0, ATTEST_R_IMA_MISSING, "no boot_aggregate");
	expect_log(&tl, "\"require_ima\":false", "", 1, 0,
		   "no boot_aggregate, IMA not required");
	testlog_free(&tl);
	testlog_init(&tl);
	expect_log(&tl, "", "", 0, ATTEST_R_IMA_MISSING, "an empty log");
	testlog_free(&tl);
}

int main(void)
{
	test_check_log();
	test_high_index();
	test_boot_aggregate();
	test_unquoted_entries();
	test_violations();
	test_monitor();
	test_sequence();
	test_seal();
	test_tampered_record();
	test_escaped_output();
	return tap_done();
}
