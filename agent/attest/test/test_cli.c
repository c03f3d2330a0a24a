// SPDX-License-Identifier: GPL-2.0
/*
 * `leoctl attest` end to end against a real swtpm, as an operator would
 * use it: export EK, certificate and AK; challenge, activate, check; quote
 * with an IMA log whose entries are in PCR 10; verify (text and JSON);
 * export for tpm2_checkquote; check-log of the same log, binary and
 * ASCII, without a quote; and bad usage.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "attest/quote.h"
#include "attest/test/swtpm.h"
#include "attest/test/tap.h"
#include "ima/testlog.h"
#include "tpm/tpm.h"

static char leoctl[PATH_MAX + 16], dir[] = "/tmp/leo-attest-cli-XXXXXX";
static char out[8192];

static void find_leoctl(void)
{
	char self[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		tap_bail("readlink");
	self[n] = 0;
	snprintf(leoctl, sizeof(leoctl), "%s/leoctl", dirname(self));
	if (access(leoctl, X_OK)) {	/* sanitizer builds live one below */
		snprintf(leoctl, sizeof(leoctl), "%s/../leoctl", self);
		if (access(leoctl, X_OK))
			tap_bail("leoctl not built");
	}
}

/* run leoctl with @args (NULL-terminated); stdout into out[]; exit code */
static int run(const char *first, ...)
{
	char *argv[40] = { leoctl };
	int fds[2], status, argc = 1;
	ssize_t n, total = 0;
	va_list ap;
	pid_t pid;

	va_start(ap, first);
	for (const char *a = first; a && argc < 39; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fds[1], 1);
		dup2(null, 2);
		close(fds[0]);
		execv(leoctl, argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + total, sizeof(out) - 1 - total)) > 0)
		total += n;
	out[total] = 0;
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static const char *path(const char *name)
{
	static char buf[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void write_text(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path(name), "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		tap_bail("write");
}

/* an IMA log of two files, extended into PCR 10, and a policy for it */
static void prepare_log(struct swtpm *t)
{
	struct leo_tpm tpm;
	struct testlog tl;
	char json[256], hex[65];
	uint8_t d[32], zeros[10 * 32] = { 0 }, ba[32];

	/* IMA's first entry: SHA-256 of PCRs 0-9, all zero in a fresh swtpm */
	EVP_Digest(zeros, sizeof(zeros), ba, NULL, EVP_sha256(), NULL);
	testlog_init(&tl);
	testlog_add_ng(&tl, ATTEST_IMA_PCR, "ima-ng", "sha256", ba, 32,
		       "boot_aggregate", NULL, 0, false);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/leod");
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/tmp/x");
	if (leo_tpm_open(&tpm, t->tcti))
		tap_bail("tpm");
	for (size_t i = 0; i < tl.count; i++) {
		struct leo_tpm_digest dg = { TPM2_ALG_SHA256,
					     tl.entries[i].sha256 };

		if (leo_tpm_pcr_extend(&tpm, ATTEST_IMA_PCR, &dg, 1))
			tap_bail("extend");
	}
	leo_tpm_close(&tpm);
	write_text("ima.bin", tl.data, tl.len);
	write_text("ima.ascii", tl.ascii, tl.ascii_len);
	/* the same log plus entries the policy does not allow */
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/evil");
	write_text("evil.bin", tl.data, tl.len);
	write_text("evil.ascii", tl.ascii, tl.ascii_len);
	testlog_add_file(&tl, ATTEST_IMA_PCR, "/usr/bin/x\npass: 0 failures");
	write_text("evil-name.bin", tl.data, tl.len);
	/* entry 1's template hash edited, in both formats */
	tl.len = tl.entries[3].offset;
	tl.data[tl.entries[1].offset + 4] ^= 1;
	write_text("tampered.bin", tl.data, tl.len);
	{
		char *line2 = strchr(tl.ascii, '\n') + 1, *end = line2;

		line2[3] = line2[3] == '0' ? '1' : '0';	/* "10 " then hash */
		for (int i = 0; i < 2; i++)
			end = strchr(end, '\n') + 1;
		write_text("tampered.ascii", tl.ascii, end - tl.ascii);
	}
	EVP_Digest("/usr/bin/leod", 13, d, NULL, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	snprintf(json, sizeof(json),
		 "{\"digests\":{\"/usr/bin/leod\":[\"sha256:%s\"]},"
		 "\"excludes\":[\"/tmp/\"]}", hex);
	write_text("policy.json", json, strlen(json));
	testlog_free(&tl);
}

static void test_activation(void)
{
	int rc;

	rc = run("attest", "ak", "--out", path("ak.pub"), "--pem",
		 path("ak.pem"), "--ek-out", path("ek.pub"), "--ek-cert-out",
		 path("ek.der"), "--alg", "rsa", NULL);
	tap_ok(rc == 0, "attest ak exports AK, EK and EK certificate (exit %d)",
	       rc);
	rc = run("attest", "challenge", "--ek", path("ek.pub"), "--ak",
		 path("ak.pub"), "--out", path("ch.bin"), "--secret-out",
		 path("secret.bin"), NULL);
	tap_ok(rc == 2, "attest challenge without --ek-ca-dir refused (exit %d)",
	       rc);
	rc = run("attest", "challenge", "--ek", path("ek.pub"), "--ek-cert",
		 path("ek.der"), "--ca", swtpm_ca_file("issuercert.pem"),
		 "--ak", path("ak.pub"), "--out", path("ch.bin"),
		 "--secret-out", path("secret.bin"), NULL);
	tap_ok(rc == 2, "the old --ca option is refused (exit %d)", rc);
	rc = run("attest", "challenge", "--ek", path("ek.pub"),
		 "--allow-uncertified-ek", "--ak", path("ak.pub"), "--out",
		 path("ch.bin"), "--secret-out", path("secret.bin"), NULL);
	tap_ok(rc == 0 && strstr(out, "EK UNCERTIFIED"),
	       "--allow-uncertified-ek accepts and says so: %.*s",
	       (int)strcspn(out, "\n"), out);
	rc = run("attest", "challenge", "--ek", path("ek.pub"), "--ek-ca-dir",
		 swtpm_ca_file("roots"), "--ak", path("ak.pub"), "--out",
		 path("ch.bin"), "--secret-out", path("secret.bin"), NULL);
	tap_ok(rc == 1, "EK without its certificate refused (exit %d)", rc);
	rc = run("attest", "challenge", "--ek", path("ek.pub"), "--ek-cert",
		 path("ek.der"), "--ek-ca-dir", swtpm_ca_file("roots"),
		 "--ek-intermediate", swtpm_ca_file("issuercert.pem"), "--ak",
		 path("ak.pub"), "--out", path("ch.bin"), "--secret-out",
		 path("secret.bin"), NULL);
	tap_ok(rc == 0 && strstr(out, "EK certified"),
	       "attest challenge checks the EK certificate (exit %d)", rc);
	rc = run("attest", "activate", "--challenge", path("ch.bin"), "--out",
		 path("answer.bin"), "--alg", "rsa", NULL);
	tap_ok(rc == 0, "attest activate answers (exit %d)", rc);
	rc = run("attest", "check", "--answer", path("answer.bin"), "--secret",
		 path("secret.bin"), "--ak", path("ak.pub"), NULL);
	tap_ok(rc == 0 && strstr(out, "peer id"), "attest check: %.*s",
	       (int)strcspn(out, "\n"), out);
	write_text("wrong.bin", "0123456789abcdef0123456789abcdef", 32);
	rc = run("attest", "check", "--answer", path("wrong.bin"), "--secret",
		 path("secret.bin"), "--ak", path("ak.pub"), NULL);
	tap_ok(rc == 1, "a wrong answer is refused (exit %d)", rc);
}

static void test_quote_verify(void)
{
	const char *nonce = "00112233445566778899aabbccddeeff";
	int rc;

	rc = run("attest", "quote", "--nonce", nonce, "--binding", "beef",
		 "--out", path("ev.bin"), "--ima-log", path("ima.bin"),
		 "--alg", "rsa", NULL);
	tap_ok(rc == 0, "attest quote writes evidence (exit %d)", rc);
	rc = run("attest", "verify", "--evidence", path("ev.bin"), "--nonce",
		 nonce, "--binding", "beef", "--policy", path("policy.json"),
		 "--ak", path("ak.pub"), NULL);
	tap_ok(rc == 0 && !strncmp(out, "pass", 4), "attest verify: %.*s",
	       (int)strcspn(out, "\n"), out);
	rc = run("attest", "verify", "--evidence", path("ev.bin"), "--nonce",
		 nonce, "--binding", "beee", "--policy", path("policy.json"),
		 "--ak", path("ak.pub"), "--json", NULL);
	tap_ok(rc == 1 && strstr(out, "\"result\":\"fail\"") &&
	       strstr(out, "\"reason\":\"qualifying-data\""),
	       "attest verify --json, other binding: exit %d", rc);
	rc = run("attest", "export", "--evidence", path("ev.bin"), "--dir", dir,
		 NULL);
	tap_ok(rc == 0 && !strncmp(out, "tpm2_checkquote ", 16),
	       "attest export prints the tpm2_checkquote command");
	if (rc == 0) {
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "%.*s >/dev/null 2>&1",
			 (int)strcspn(out, "\n"), out);
		rc = system(cmd);
		tap_ok(rc == 0, "that command accepts the quote (status %d)", rc);
	}
}

/* check-log: the policy judgement of verify on a stored log, no quote */
static void test_check_log(void)
{
	static const char *const fmt[2][2] = { { NULL, "bin" },
					       { "--ascii", "ascii" } };
	const char *nonce = "00112233445566778899aabbccddeeff";
	char name[32], verify_reason[64] = "";
	int rc;

	/* the same log quoted: verify names the unknown file this way */
	rc = run("attest", "quote", "--nonce", nonce, "--binding", "", "--out",
		 path("ev-evil.bin"), "--ima-log", path("evil.bin"), "--alg",
		 "rsa", NULL);
	rc = rc ? rc : run("attest", "verify", "--evidence", path("ev-evil.bin"),
			   "--nonce", nonce, "--binding", "", "--policy",
			   path("policy.json"), "--ak", path("ak.pub"), NULL);
	sscanf(out, "%*[^\n]\n %63[^:]", verify_reason);
	tap_ok(rc == 1 && !strcmp(verify_reason, "file-unknown"),
	       "verify: an unknown file past the quoted prefix fails as %s",
	       verify_reason);
	for (int f = 0; f < 2; f++) {
		const char *a = fmt[f][0], *ext = fmt[f][1];	/* a last */
		char got[64] = "";

		snprintf(name, sizeof(name), "ima.%s", ext);
		rc = run("attest", "check-log", "--policy", path("policy.json"),
			 "--log", path(name), a, NULL);
		tap_ok(rc == 0 && !strncmp(out, "pass: 3 IMA entries judged", 26) &&
		       strstr(out, "no quote: the log itself is not proven"),
		       "check-log %s: exit %d, %.*s", ext, rc,
		       (int)strcspn(out, "\n"), out);
		snprintf(name, sizeof(name), "evil.%s", ext);
		rc = run("attest", "check-log", "--policy", path("policy.json"),
			 "--log", path(name), a, NULL);
		sscanf(out, "%*[^\n]\n %63[^:]", got);
		tap_ok(rc == 1 && !strncmp(out, "FAIL", 4) &&
		       !strcmp(got, verify_reason) &&
		       strstr(out, "(entry 3) /usr/bin/evil sha256:"),
		       "check-log %s: unknown file, exit %d, reason %s as verify's",
		       ext, rc, got);
		snprintf(name, sizeof(name), "tampered.%s", ext);
		rc = run("attest", "check-log", "--policy", path("policy.json"),
			 "--log", path(name), "--json", a, NULL);
		tap_ok(rc == 1 && strstr(out, "\"result\":\"fail\"") &&
		       strstr(out, "\"quoted\":false") &&
		       strstr(out, "{\"reason\":\"ima-log\",\"detail\":\"template digest does not match the template data\",\"pcr\":10,\"entry\":1}"),
		       "check-log %s --json: edited template hash of entry 1 (exit %d)",
		       ext, rc);
	}
	rc = run("attest", "check-log", "--policy", path("policy.json"), "--log",
		 path("evil-name.bin"), NULL);
	tap_ok(rc == 1 && strstr(out, "/usr/bin/x\\x0apass: 0 failures") &&
	       !strstr(out, "\npass"),
	       "check-log: a path with a newline is escaped in the text output");
	rc = run("attest", "check-log", "--policy", path("policy.json"), "--log",
		 path("ima.bin"), "--ascii", NULL);
	tap_ok(rc == 1 && strstr(out, "ima-log: line 1: "),
	       "check-log --ascii on a binary log: exit %d, %.*s", rc,
	       (int)strcspn(out + strcspn(out, "\n") + 1, "\n"),
	       out + strcspn(out, "\n") + 1);
	rc = run("attest", "check-log", "--policy", path("policy.json"), "--log",
		 path("no-such-log"), NULL);
	tap_ok(rc == 1, "check-log of a missing file: exit %d", rc);
	rc = run("attest", "check-log", "--policy", path("no-such-policy"),
		 "--log", path("ima.bin"), NULL);
	tap_ok(rc == 1, "check-log with a missing policy: exit %d", rc);
	rc = run("attest", "check-log", "--log", path("ima.bin"), NULL);
	tap_ok(rc == 2, "check-log without --policy: usage error (exit %d)", rc);
}

static void test_usage(void)
{
	tap_ok(run("attest", "quote", "--nonce", "zz", "--binding", "",
		   "--out", path("x"), NULL) == 2, "bad hex nonce: usage error");
	tap_ok(run("attest", "quote", "--nonce", "00", "--binding", "",
		   "--out", path("x"), NULL) == 2, "nonce too short: usage error");
	tap_ok(run("attest", "verify", "--evidence", path("ev.bin"), NULL) == 2,
	       "verify without policy/AK/nonce: usage error");
	tap_ok(run("attest", "frobnicate", NULL) == 2, "unknown subcommand");
	tap_ok(run("attest", "verify", "--evidence", path("ak.pub"),
		   "--nonce", "00112233445566778899aabbccddeeff", "--binding",
		   "", "--policy", path("policy.json"), "--ak", path("ak.pub"),
		   NULL) == 1 && strstr(out, "evidence"),
	       "garbage evidence: fails with reason evidence");
}

static int rm_cb(const char *p, const struct stat *sb, int flag,
		 struct FTW *ftw)
{
	return remove(p);
}

int main(void)
{
	struct swtpm t;

	setenv("TSS2_LOG", "all+none", 1);
	find_leoctl();
	if (!mkdtemp(dir) || swtpm_start(&t, true))
		tap_bail("swtpm");
	setenv("LEO_TCTI", t.tcti, 1);
	prepare_log(&t);
	test_activation();
	test_quote_verify();
	test_check_log();
	test_usage();
	swtpm_stop(&t);
	nftw(dir, rm_cb, 4, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
