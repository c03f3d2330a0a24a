/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated attesting host for tests and benchmarks: a real swtpm with
 * leo's AK, and a synthetic IMA log whose entries are extended into PCR 10
 * of that swtpm, so log and TPM agree as on a real machine. Not
 * thread-safe.
 */
#ifndef ATTEST_TEST_HOST_H
#define ATTEST_TEST_HOST_H

#include "attest/evidence.h"
#include "attest/provision.h"
#include "attest/test/swtpm.h"
#include "ima/testlog.h"
#include "tpm/tpm.h"

struct host {
	struct swtpm tpm;
	struct leo_tpm lt;	/* the attester's TPM handle (agent/tpm) */
	enum attest_key_alg alg;
	ESYS_TR ak;
	TPM2B_PUBLIC ak_pub;
	ESYS_TR ek;
	TPM2B_PUBLIC ek_pub;
	struct testlog log;
	size_t extended;	/* log entries extended into PCR 10 so far */
};

int host_start(struct host *h, enum attest_key_alg alg, bool ek_certs);
void host_stop(struct host *h);

/* Append a file measurement to the log (not yet extended) */
void host_measure(struct host *h, const char *path);
/* Extend PCR 10 with every log entry not extended yet */
int host_extend(struct host *h);
/* Reboot the TPM and start a new, empty IMA log */
int host_reboot(struct host *h);
/* Extend a boot PCR with @byte repeated (as firmware would) */
int host_extend_boot(struct host *h, int pcr, uint8_t byte);

/*
 * Quote with @nonce/@binding (16+ bytes / any) and encode evidence that
 * carries the log from entry @start; malloc'ed, caller frees.
 */
int host_evidence(struct host *h, const uint8_t *nonce, size_t nonce_len,
		  const uint8_t *binding, size_t binding_len, size_t start,
		  uint8_t **out, size_t *len);

#endif /* ATTEST_TEST_HOST_H */
