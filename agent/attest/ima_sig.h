/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMA file signatures (ima-sig entries): the policy's verification keys,
 * indexed by their IMA key id, and the check of one signature.
 *
 * A signature is the security.ima xattr as the kernel logs it in the
 * ima-sig "sig" field, "signature v2" (struct signature_v2_hdr, kernel
 * security/integrity/integrity.h; ima-evm-utils imaevm.h), big endian:
 *
 *   u8 type = 3 (EVM_IMA_XATTR_DIGSIG) | u8 version = 2 |
 *   u8 hash_algo (kernel enum hash_algo: sha1 2, sha256 4, sha384 5,
 *   sha512 6, sha224 7) | u32 keyid | u16 sig_size | sig_size bytes
 *
 * The signature is RSA PKCS#1 v1.5 or ECDSA (DER) over the file digest
 * (the entry's d-ng digest), with hash_algo as the digest algorithm. The
 * key id is the last 4 bytes of SHA-1 over the key's subjectPublicKey
 * bits (the PKCS#1 RSAPublicKey, or the EC point), as ima-evm-utils'
 * calc_keyid_v2 and Keylime compute it.
 *
 * The key set is immutable after loading: shared by threads read-only.
 */
#ifndef ATTEST_IMA_SIG_H
#define ATTEST_IMA_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "ima/ima_log.h"

#define ATTEST_IMA_SIG_HDR_LEN	9	/* type .. sig_size */
#define ATTEST_IMA_KEYS_MAX	1024	/* keys one policy may list */
#define ATTEST_IMA_KEY_DER_MAX	16384	/* bytes of one DER public key */

struct attest_ima_keys;

/*
 * Load "verification-keys": Keylime's form, a string holding the JSON
 * {"pubkeys": [base64 DER SubjectPublicKeyInfo, ...], "keyids": [int,...]}
 * (possibly JSON-encoded twice, as Keylime stores it; "" or "[]" is no
 * key), or leo's form, a list of PEM public keys. RSA and EC keys only.
 * Returns NULL with a message naming the key's position in @err on error;
 * an empty set is a valid, non-NULL result.
 */
struct attest_ima_keys *attest_ima_keys_load(json_object *v, char *err,
					     size_t errlen);
void attest_ima_keys_free(struct attest_ima_keys *k);
size_t attest_ima_keys_count(const struct attest_ima_keys *k);

enum attest_sig_verdict {
	ATTEST_SIG_VALID,	/* verifies with a key of the policy */
	ATTEST_SIG_MALFORMED,	/* not a v2 IMA signature (which field: why) */
	ATTEST_SIG_ALGO,	/* hash_algo unsupported or not the entry's */
	ATTEST_SIG_UNKNOWN_KEY,	/* no policy key has its key id */
	ATTEST_SIG_INVALID,	/* a key with its id exists; does not verify */
};

struct attest_sig_info {
	uint32_t keyid;			/* valid from ATTEST_SIG_UNKNOWN_KEY on */
	char why[112];			/* for the failure's detail */
};

/*
 * Check the signature @sig (the whole "sig" field) over @digest, the
 * entry's file digest of algorithm @algo. Never allocates on failure
 * paths beyond OpenSSL's verify context.
 */
enum attest_sig_verdict
attest_ima_sig_check(const struct attest_ima_keys *k, enum ima_hash_algo algo,
		     const uint8_t *digest, size_t digest_len,
		     const uint8_t *sig, size_t sig_len,
		     struct attest_sig_info *info);

#endif /* ATTEST_IMA_SIG_H */
