/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real software TPM for the tests: swtpm_setup manufactures it (EK
 * certificates from the project's test CA, scripts/test-ca.sh, whose
 * directory the environment names in LEO_TEST_CA_DIR), swtpm serves it on two free loopback
 * ports, and it dies with the test (kill at exit and PDEATHSIG).
 * Not thread-safe; a test owns its instances.
 */
#ifndef ATTEST_TEST_SWTPM_H
#define ATTEST_TEST_SWTPM_H

#include <stdbool.h>
#include <sys/types.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_tctildr.h>

struct swtpm {
	pid_t pid;
	int port;			/* server; control is port + 1 */
	char dir[64];			/* state directory */
	char tcti[64];			/* "swtpm:host=127.0.0.1,port=P" */
	TSS2_TCTI_CONTEXT *tcti_ctx;
	ESYS_CONTEXT *esys;
};

/*
 * NAME in the test CA's directory ($LEO_TEST_CA_DIR): the CA certificates
 * "swtpm-localca-rootca-cert.pem" and "issuercert.pem". Exits with a TAP
 * bail-out if the variable is unset. The result lives until 4 more calls.
 */
const char *swtpm_ca_file(const char *name);

/* Manufacture (with EK certificates if @ek_certs) and start; 0 on success */
int swtpm_start(struct swtpm *t, bool ek_certs);
void swtpm_stop(struct swtpm *t);

/* Open t->esys over the swtpm TCTI */
int swtpm_connect(struct swtpm *t);
void swtpm_disconnect(struct swtpm *t);

/* The TCG template EKs of @t (RSA 2048, ECC P-256); 0 on success */
int swtpm_ek_publics(struct swtpm *t, TPM2B_PUBLIC *rsa, TPM2B_PUBLIC *ecc);

/* Power cycle (a TPM reset: resetCount increments) and Startup(CLEAR) */
int swtpm_reboot(struct swtpm *t);

#endif /* ATTEST_TEST_SWTPM_H */
