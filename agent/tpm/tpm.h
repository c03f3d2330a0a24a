/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin layer over tpm2-tss ESAPI: open a TPM from a TCTI string, read and
 * extend PCRs, close. Everything else (keys, quotes) builds on the
 * ESYS_CONTEXT in struct leo_tpm.
 *
 * TCTI choice, first match wins: the @tcti argument (e.g. a --tcti
 * option), the environment variable LEO_TCTI, then LEO_TPM_DEFAULT_TCTI.
 * Strings are tpm2-tss TCTI loader strings: "device:/dev/tpmrm0",
 * "swtpm:host=127.0.0.1,port=2321", "mssim:...".
 *
 * A struct leo_tpm is used by one thread at a time (ESAPI contexts are not
 * thread-safe); separate ones may be used concurrently.
 */
#ifndef LEO_TPM_TPM_H
#define LEO_TPM_TPM_H

#include <stddef.h>
#include <stdint.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_tctildr.h>

#define LEO_TPM_DEFAULT_TCTI	"device:/dev/tpmrm0"
#define LEO_TPM_TCTI_ENV	"LEO_TCTI"
#define LEO_TPM_PCR_COUNT	24
#define LEO_TPM_MAX_DIGEST	64

struct leo_tpm {
	ESYS_CONTEXT *esys;
	TSS2_TCTI_CONTEXT *tcti;
	char tcti_conf[256];		/* the TCTI string actually used */
	char err[256];			/* message of the last failure */
};

/* The TCTI string open() would use for @tcti (NULL: env, default). */
const char *leo_tpm_tcti_conf(const char *tcti);

/*
 * Open the TPM. Returns 0, or -1 with tpm->err set (the struct needs no
 * close then). No TPM2_Startup is sent: firmware (or swtpm's
 * startup-clear flag) has done it.
 */
int leo_tpm_open(struct leo_tpm *tpm, const char *tcti);
void leo_tpm_close(struct leo_tpm *tpm);

/* Values of a set of PCRs of one bank. */
struct leo_pcr_values {
	TPMI_ALG_HASH bank;		/* TPM2_ALG_SHA1, TPM2_ALG_SHA256, ... */
	uint32_t mask;			/* bit n set: digest[n] is valid */
	uint16_t size;			/* digest size of the bank */
	uint8_t digest[LEO_TPM_PCR_COUNT][LEO_TPM_MAX_DIGEST];
};

/*
 * Read the PCRs in @mask (bit n = PCR n) of @bank into @out, in as many
 * TPM2_PCR_Read calls as the TPM needs (it returns at most 8 digests per
 * call). Returns 0, -ENOENT if the TPM has no such bank allocated, or
 * -EIO on any other failure; tpm->err says why.
 */
int leo_tpm_pcr_read(struct leo_tpm *tpm, TPMI_ALG_HASH bank, uint32_t mask,
		     struct leo_pcr_values *out);

/* One digest for leo_tpm_pcr_extend(). */
struct leo_tpm_digest {
	TPMI_ALG_HASH alg;
	const uint8_t *digest;		/* the algorithm's size */
};

/*
 * Extend PCR @pcr in one command with @n digests (one per bank to extend;
 * banks not named are left alone). Needs the PCR's auth to be empty, as
 * it is for PCRs 0..15 and 16, 23 of a TPM in its default state.
 * Returns 0, or -1 with tpm->err.
 */
int leo_tpm_pcr_extend(struct leo_tpm *tpm, uint32_t pcr,
		       const struct leo_tpm_digest *d, size_t n);

/* Digest size of a hash algorithm, 0 if not a PCR bank algorithm. */
uint16_t leo_tpm_alg_size(TPMI_ALG_HASH alg);

#endif /* LEO_TPM_TPM_H */
