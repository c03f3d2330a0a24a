// SPDX-License-Identifier: GPL-2.0
/*
 * Interoperability: a quote produced by the attester, exported in the
 * formats tpm2-tools reads, verifies with tpm2_checkquote (an independent
 * implementation), for an ECC and an RSA AK; a wrong qualifying data or a
 * changed PCR value makes tpm2_checkquote fail too.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest/export.h"
#include "attest/test/host.h"
#include "attest/test/tap.h"

static int checkquote(const char *dir, const char *pcrs, const char *qual)
{
	char u[160], m[160], s[160], f[160];
	char *argv[] = { "tpm2_checkquote", "-u", u, "-m", m, "-s", s,
			 "-f", f, "-l", (char *)pcrs, "-g", "sha256", "-q",
			 (char *)qual, NULL };
	int status;
	pid_t pid;

	snprintf(u, sizeof(u), "%s/ak.pem", dir);
	snprintf(m, sizeof(m), "%s/quote.msg", dir);
	snprintf(s, sizeof(s), "%s/quote.sig", dir);
	snprintf(f, sizeof(f), "%s/pcrs.bin", dir);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int rm_cb(const char *p, const struct stat *sb, int flag,
		 struct FTW *ftw)
{
	return remove(p);
}

static void interop(enum attest_key_alg alg)
{
	const char *name = alg == ATTEST_KEY_RSA ? "RSA" : "ECC";
	static const uint8_t nonce[16] = "0123456789abcdef";
	char dir[] = "/tmp/leo-checkquote-XXXXXX", pcrs[96], qual[65];
	struct attest_evidence ev;
	struct host h;
	const char *why;
	uint8_t *buf;
	size_t len;
	int rc;

	if (host_start(&h, alg, false) || !mkdtemp(dir))
		tap_bail("swtpm host");
	host_extend_boot(&h, 0, 0x42);
	host_measure(&h, "/usr/bin/leod");
	host_extend(&h);
	if (host_evidence(&h, nonce, sizeof(nonce), (const uint8_t *)"tls", 3,
			  0, &buf, &len) ||
	    attest_evidence_decode(buf, len, &ev, &why) ||
	    attest_export_checkquote(&ev, dir, pcrs, sizeof(pcrs)))
		tap_bail("evidence export");
	hex(ev.attest.extraData.buffer, 32, qual);
	rc = checkquote(dir, pcrs, qual);
	tap_ok(rc == 0, "%s quote verifies with tpm2_checkquote -l %s (exit %d)",
	       name, pcrs, rc);
	qual[0] = qual[0] == '0' ? '1' : '0';
	rc = checkquote(dir, pcrs, qual);
	tap_ok(rc != 0, "%s: tpm2_checkquote rejects other qualifying data (exit %d)",
	       name, rc);
	qual[0] = qual[0] == '0' ? '1' : '0';
	ev.pcr[10][0] ^= 1;
	attest_export_checkquote(&ev, dir, pcrs, sizeof(pcrs));
	rc = checkquote(dir, pcrs, qual);
	tap_ok(rc != 0, "%s: tpm2_checkquote rejects a changed PCR value (exit %d)",
	       name, rc);
	free(buf);
	nftw(dir, rm_cb, 4, FTW_DEPTH | FTW_PHYS);
	host_stop(&h);
}

int main(void)
{
	setenv("TSS2_LOG", "all+none", 1);
	interop(ATTEST_KEY_ECC);
	interop(ATTEST_KEY_RSA);
	return tap_done();
}
