// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parsing and lookups: the Keylime runtime-policy subset, digest
 * algorithm compared with the value, excludes, golden PCRs, leo keys, and
 * clear errors for bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/policy.h"
#include "attest/test/tap.h"

static const char keylime_policy[] =
	"{\"meta\": {\"version\": 1, \"generator\": 0,"
	"  \"timestamp\": \"2026-11-25 12:00:00\"},"
	" \"release\": 0,"
	" \"digests\": {"
	"  \"/usr/bin/bash\": [\"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a\","
	"                     \"sha1:1111111111111111111111111111111111111111\"],"
	"  \"/usr/bin/sm\": [\"sm3:7777777777777777777777777777777777777777777777777777777777777777\"]"
	" },"
	" \"excludes\": [\"/tmp/.*\", \"/var/lib/[a-z]+/cache\"],"
	" \"keyrings\": {\".ima\": [\"4444444444444444444444444444444444444444444444444444444444444444\"]},"
	" \"ima\": {\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", \"dm_policy\": null},"
	" \"ima-buf\": {\"kernel_version\": [\"sha256:3333333333333333333333333333333333333333333333333333333333333333\"]},"
	" \"verification-keys\": \"\", \"rules\": \"\","
	" \"pcrs\": {\"0\": [\"0000000000000000000000000000000000000000000000000000000000000000\"]},"
	" \"leo\": {\"require_seal\": true, \"allow_violations\": false,"
	"          \"seal_exe_digests\": [\"sha256:2222222222222222222222222222222222222222222222222222222222222222\"]}"
	"}";

static struct attest_policy *parse(const char *json, char *err)
{
	return attest_policy_parse(json, strlen(json), err, 160);
}

static void fill(uint8_t *d, uint8_t v, size_t n)
{
	memset(d, v, n);
}

static void test_lookups(void)
{
	char err[160] = "";
	struct attest_policy *p = parse(keylime_policy, err);
	uint8_t d[32];
	size_t n;

	tap_ok(p != NULL, "Keylime runtime policy parses (%s)", err);
	if (!p)
		tap_bail("policy");
	fill(d, 0x5a, 32);
	tap_ok(attest_policy_check_file(p, "/usr/bin/bash", 13, IMA_HASH_SHA256,
					d, 32) == ATTEST_FILE_ALLOWED,
	       "plain hex digest matches as sha256");
	tap_ok(attest_policy_check_file(p, "/usr/bin/bash", 13, IMA_HASH_SM3,
					d, 32) == ATTEST_FILE_BAD_DIGEST,
	       "same value under another algorithm (sm3) does not match");
	fill(d, 0x77, 32);
	tap_ok(attest_policy_check_file(p, "/usr/bin/sm", 11, IMA_HASH_SHA256,
					d, 32) == ATTEST_FILE_BAD_DIGEST &&
	       attest_policy_check_file(p, "/usr/bin/sm", 11, IMA_HASH_SM3,
					d, 32) == ATTEST_FILE_ALLOWED,
	       "an sm3 policy digest matches only an sm3 log digest");
	fill(d, 0x11, 20);
	tap_ok(attest_policy_check_file(p, "/usr/bin/bash", 13, IMA_HASH_SHA1,
					d, 20) == ATTEST_FILE_ALLOWED,
	       "second digest (sha1) of a path matches");
	tap_ok(attest_policy_check_file(p, "/usr/bin/zsh", 12, IMA_HASH_SHA1,
					d, 20) == ATTEST_FILE_UNKNOWN,
	       "unlisted path is unknown");
	tap_ok(attest_policy_check_file(p, "/tmp/x", 6, IMA_HASH_SHA1, d, 20) ==
	       ATTEST_FILE_EXCLUDED &&
	       attest_policy_check_file(p, "/var/lib/apt/cache", 18,
					IMA_HASH_SHA1, d, 20) ==
	       ATTEST_FILE_EXCLUDED,
	       "excludes match from the start of the path");
	tap_ok(attest_policy_check_file(p, "/home/tmp/x", 11, IMA_HASH_SHA1, d,
					20) == ATTEST_FILE_UNKNOWN,
	       "an exclude does not match in the middle (re.match semantics)");
	fill(d, 0x33, 32);
	tap_ok(attest_policy_check_buf(p, "kernel_version", 14, IMA_HASH_SHA256,
				       d, 32) == ATTEST_FILE_ALLOWED,
	       "ima-buf entry by name");
	tap_ok(attest_policy_pcr_golden(p, 0, &n) && n == 1 &&
	       attest_policy_pcr_mask(p) == 1 &&
	       !attest_policy_pcr_golden(p, 7, &n),
	       "golden PCR values indexed by PCR");
	fill(d, 0x22, 32);
	tap_ok(attest_policy_leo_require_seal(p) &&
	       attest_policy_leo_seal_allowed(p, d) &&
	       !attest_policy_allow_violations(p),
	       "leo keys parsed");
	tap_ok(attest_policy_path_count(p) == 2, "two paths indexed");
	attest_policy_free(p);
}

static enum attest_file_verdict check_path(const struct attest_policy *p,
					   const char *path)
{
	static const uint8_t d[32];

	return attest_policy_check_file(p, path, strlen(path), IMA_HASH_SHA256,
					d, 32);
}

/* Excludes as Keylime's policies are written: Python re.match syntax */
static void test_python_regex(void)
{
	static const char json[] =
		"{\"excludes\": [\"/lib/modules/\\\\d+\\\\.\\\\d+.*\",\n"
		"  \"/opt/(?:app|svc)/log$\", \"/srv/(?P<site>[a-z]+)/(?P=site)\\\\.cache\",\n"
		"  \"(a)\\\\1\"]}";
	char err[160] = "";
	struct attest_policy *p = parse(json, err);

	tap_ok(p != NULL, "Python-syntax excludes compile (%s)", err);
	if (!p)
		return;
	tap_ok(check_path(p, "/lib/modules/6.1.0-18-amd64/kernel/x.ko") ==
	       ATTEST_FILE_EXCLUDED, "\\d+ matches digits");
	tap_ok(check_path(p, "/lib/modules/d.d/evil.ko") == ATTEST_FILE_UNKNOWN,
	       "\\d is not a literal d: /lib/modules/d.d/evil.ko is judged");
	tap_ok(check_path(p, "/opt/svc/log") == ATTEST_FILE_EXCLUDED &&
	       check_path(p, "/opt/svc/log2") == ATTEST_FILE_UNKNOWN &&
	       check_path(p, "/opt/other/log") == ATTEST_FILE_UNKNOWN,
	       "(?:...) groups; $ anchors the end only where written");
	tap_ok(check_path(p, "/srv/www/www.cache") == ATTEST_FILE_EXCLUDED &&
	       check_path(p, "/srv/www/ftp.cache") == ATTEST_FILE_UNKNOWN,
	       "(?P<name>...) and (?P=name) work");
	tap_ok(check_path(p, "aa/x") == ATTEST_FILE_EXCLUDED &&
	       check_path(p, "ab/x") == ATTEST_FILE_UNKNOWN,
	       "a backreference counts the groups of its own pattern");
	tap_ok(check_path(p, "/x/lib/modules/6.1/x.ko") == ATTEST_FILE_UNKNOWN,
	       "anchored at the start, like re.match");
	attest_policy_free(p);
}

/* Keylime compares only the hex: leo compares algorithm and value */
static void test_digest_algorithm(void)
{
	char err[160] = "";
	struct attest_policy *p = parse(
		"{\"digests\": {\"/bin/x\": [\"abababababababababababababababababababab\"]}}",
		err);
	uint8_t d[32];

	fill(d, 0xab, 32);
	tap_ok(p && attest_policy_check_file(p, "/bin/x", 6, IMA_HASH_SHA256, d,
					     32) == ATTEST_FILE_BAD_DIGEST &&
	       attest_policy_check_file(p, "/bin/x", 6, IMA_HASH_SHA256, d,
					20) == ATTEST_FILE_BAD_DIGEST &&
	       attest_policy_check_file(p, "/bin/x", 6, IMA_HASH_SHA1, d, 20) ==
	       ATTEST_FILE_ALLOWED,
	       "a sha1 policy digest matches no sha256 log digest sharing its hex prefix");
	attest_policy_free(p);
}

static void test_many_paths(void)
{
	size_t n = 20000, len = 0;
	char *json = malloc(n * 100 + 64), err[160] = "", path[64];
	struct attest_policy *p;
	uint8_t d[32];
	int ok = 1;

	len += sprintf(json, "{\"digests\":{");
	for (size_t i = 0; i < n; i++)
		len += sprintf(json + len, "%s\"/usr/lib/f%zu\":[\"sha256:%064zx\"]",
			       i ? "," : "", i, i);
	len += sprintf(json + len, "}}");
	p = attest_policy_parse(json, len, err, sizeof(err));
	for (size_t i = 0; p && i < n; i += 997) {
		memset(d, 0, 32);
		for (int k = 0; k < 8; k++)
			d[31 - k] = (i >> (8 * k)) & 0xff;
		snprintf(path, sizeof(path), "/usr/lib/f%zu", i);
		ok &= attest_policy_check_file(p, path, strlen(path),
					       IMA_HASH_SHA256, d, 32) ==
		      ATTEST_FILE_ALLOWED;
	}
	tap_ok(p && ok && attest_policy_path_count(p) == n,
	       "20000 paths: index grows and finds every sampled path (%s)",
	       err[0] ? err : "ok");
	attest_policy_free(p);
	free(json);
}

static void test_errors(void)
{
	static const struct {
		const char *json, *want;
	} bad[] = {
		{ "{\"digests\": {\"/a\": [\"xyz\"]}}", "bad digest" },
		{ "{\"digests\": {\"/a\": [\"sha256:1234\"]}}", "bad digest" },
		{ "{\"digests\": {\"/a\": \"00\"}}", "not a list" },
		{ "{\"excludes\": [\"/ok\", \"/a(b\"]}",
		  "exclude 1 \"/a(b\" is not a valid regex: missing closing parenthesis at offset 4" },
		{ "{\"excludes\": [\"/x\\\\\"]}",
		  "exclude 0 \"/x\\x5c\" is not a valid regex: \\ at end of pattern at offset 3" },
		{ "{\"excludes\": [\"/a\", 3]}", "exclude 1 is not a string" },
		{ "{\"meta\": {\"version\": 9}}", "version" },
		{ "{\"digest\": {}}", "unknown key" },
		{ "{\"rules\": \"x\"}", "unknown key \"rules\"" },
		{ "{\"pcrs\": {\"24\": []}}", "PCR number" },
		{ "{\"leo\": {\"require_seal\": 1}}", "true or false" },
		{ "{\"leo\": {\"sealed\": true}}", "unknown key" },
		{ "{\"digests\": {}} trailing", "one JSON document" },
		{ "[]", "not a JSON object" },
	};
	char err[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct attest_policy *p;

		err[0] = 0;
		p = parse(bad[i].json, err);
		tap_ok(!p && strstr(err, bad[i].want),
		       "rejected %s: %s", bad[i].json, err);
		attest_policy_free(p);
	}
}

int main(void)
{
	test_lookups();
	test_python_regex();
	test_digest_algorithm();
	test_many_paths();
	test_errors();
	return tap_done();
}
