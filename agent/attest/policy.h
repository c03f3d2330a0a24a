/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier policy, read from Keylime's runtime-policy JSON (the subset in
 * docs/attestation.md) plus a few leo keys, and parsed once into an index:
 * a hash map path -> allowed (algorithm, digest) pairs, compiled exclude
 * regexes, golden PCR values. Immutable after parsing: one policy may be
 * shared by threads verifying different peers.
 */
#ifndef ATTEST_POLICY_H
#define ATTEST_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/ima_sig.h"
#include "ima/ima_log.h"

struct attest_policy;

#define ATTEST_POLICY_MAX_BYTES (256u << 20)

/* Parse; NULL on error with a message naming the offending key in @err */
struct attest_policy *attest_policy_parse(const char *json, size_t len,
					  char *err, size_t errlen);
struct attest_policy *attest_policy_load(const char *path, char *err,
					 size_t errlen);
void attest_policy_free(struct attest_policy *p);

enum attest_file_verdict {
	ATTEST_FILE_ALLOWED,		/* path listed with this digest */
	ATTEST_FILE_EXCLUDED,		/* path matches an exclude */
	ATTEST_FILE_UNKNOWN,		/* path not in the policy */
	ATTEST_FILE_BAD_DIGEST,		/* path listed, digest not allowed */
};

/* Both algorithm and value must match a listed digest */
enum attest_file_verdict
attest_policy_check_file(const struct attest_policy *p, const char *path,
			 size_t path_len, enum ima_hash_algo algo,
			 const uint8_t *digest, size_t digest_len);

/* "digests" alone, excludes not consulted (for pinned entries) */
enum attest_file_verdict
attest_policy_check_listed(const struct attest_policy *p, const char *path,
			   size_t path_len, enum ima_hash_algo algo,
			   const uint8_t *digest, size_t digest_len);

/* ima-buf entries by event name (Keylime's "ima-buf" / "keyrings") */
enum attest_file_verdict
attest_policy_check_buf(const struct attest_policy *p, const char *name,
			size_t name_len, enum ima_hash_algo algo,
			const uint8_t *digest, size_t digest_len);

/*
 * ima-sig: the signature @sig (the entry's whole "sig" field) over the
 * entry's file digest, against the policy's "verification-keys"
 * (ima_sig.h). Without keys every signature is ATTEST_SIG_UNKNOWN_KEY.
 */
enum attest_sig_verdict
attest_policy_check_sig(const struct attest_policy *p, enum ima_hash_algo algo,
			const uint8_t *digest, size_t digest_len,
			const uint8_t *sig, size_t sig_len,
			struct attest_sig_info *info);
size_t attest_policy_key_count(const struct attest_policy *p);

/* Golden values for PCR @pcr: NULL/0 if the policy sets none */
const uint8_t (*attest_policy_pcr_golden(const struct attest_policy *p,
					 int pcr, size_t *n))[32];
uint32_t attest_policy_pcr_mask(const struct attest_policy *p);

bool attest_policy_allow_firmware_change(const struct attest_policy *p);
bool attest_policy_allow_violations(const struct attest_policy *p);
/*
 * "leo.require_ima" (default true): PCR 10 must be non-zero and a full log
 * must start with boot_aggregate. false: the host may run without IMA.
 */
bool attest_policy_require_ima(const struct attest_policy *p);

/* leo's own records */
bool attest_policy_leo_require_seal(const struct attest_policy *p);
/* true if "seal_exe_digests" lists @digest, or is absent or empty */
bool attest_policy_leo_seal_allowed(const struct attest_policy *p,
				    const uint8_t digest[32]);
bool attest_policy_leo_allow_monitor(const struct attest_policy *p);

size_t attest_policy_path_count(const struct attest_policy *p);

#endif /* ATTEST_POLICY_H */
