// SPDX-License-Identifier: GPL-2.0
/*
 * IMA file signatures: the policy's verification keys (parsed once, kept
 * sorted by key id) and the check of one ima-sig signature; see ima_sig.h.
 * All cryptography is OpenSSL's (d2i/PEM readers, EVP_PKEY_verify).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "attest/ima_sig.h"

struct sig_key {
	uint32_t keyid;
	EVP_PKEY *pkey;
	bool rsa;
};

struct attest_ima_keys {
	struct sig_key *k;		/* sorted by keyid */
	size_t n;
};

struct kerr {
	char *buf;
	size_t len;
};

static void *kfail(struct kerr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void *kfail(struct kerr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return NULL;
}

/* last 4 bytes (big endian) of SHA-1 over the subjectPublicKey bits */
static int calc_keyid(EVP_PKEY *pkey, uint32_t *keyid)
{
	X509_PUBKEY *xpk = NULL;
	const unsigned char *pk;
	uint8_t sha1[20];
	int pklen, rc = -1;

	if (X509_PUBKEY_set(&xpk, pkey) &&
	    X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL, xpk) &&
	    EVP_Digest(pk, pklen, sha1, NULL, EVP_sha1(), NULL)) {
		*keyid = (uint32_t)sha1[16] << 24 | (uint32_t)sha1[17] << 16 |
			 (uint32_t)sha1[18] << 8 | sha1[19];
		rc = 0;
	}
	X509_PUBKEY_free(xpk);
	return rc;
}

/* Take @pkey into the set (or free it and fail, naming key @i) */
static int add_key(struct attest_ima_keys *ks, EVP_PKEY *pkey, size_t i,
		   int64_t keyid, struct kerr *e)
{
	struct sig_key *k = &ks->k[ks->n];
	uint32_t id;

	if (!EVP_PKEY_is_a(pkey, "RSA") && !EVP_PKEY_is_a(pkey, "EC")) {
		kfail(e, "\"verification-keys\": key %zu (%s) is not an RSA or EC key",
		      i, EVP_PKEY_get0_type_name(pkey));
		goto bad;
	}
	if (keyid > 0) {
		id = (uint32_t)keyid;
	} else if (calc_keyid(pkey, &id)) {
		kfail(e, "\"verification-keys\": key %zu: cannot compute its key id",
		      i);
		goto bad;
	}
	k->keyid = id;
	k->pkey = pkey;
	k->rsa = EVP_PKEY_is_a(pkey, "RSA");
	ks->n++;
	return 0;
bad:
	EVP_PKEY_free(pkey);
	return -1;
}

/* base64 (with or without line breaks) to DER; -1 if not base64 */
static int b64_decode(const char *s, size_t len, uint8_t *out)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int n = 0, m = 0, ok;

	if (!ctx)
		return -1;
	EVP_DecodeInit(ctx);
	ok = EVP_DecodeUpdate(ctx, out, &n, (const unsigned char *)s,
			      (int)len) >= 0 &&
	     EVP_DecodeFinal(ctx, out + n, &m) == 1;
	EVP_ENCODE_CTX_free(ctx);
	return ok && n + m > 0 ? n + m : -1;
}

/* bound on the base64 text of one key (line breaks included) */
#define KEY_B64_MAX (2 * ATTEST_IMA_KEY_DER_MAX)

static EVP_PKEY *der_key(json_object *v, size_t i, struct kerr *e)
{
	const unsigned char *p;
	EVP_PKEY *pkey = NULL;
	uint8_t *der;
	size_t len;
	int n;

	if (!json_object_is_type(v, json_type_string))
		return kfail(e, "\"verification-keys\": pubkeys %zu is not a string",
			     i);
	len = json_object_get_string_len(v);
	der = len <= KEY_B64_MAX ? malloc(len / 4 * 3 + 3) : NULL;
	n = der ? b64_decode(json_object_get_string(v), len, der) : -1;
	if (n <= 0 || n > ATTEST_IMA_KEY_DER_MAX) {
		free(der);
		return kfail(e, "\"verification-keys\": pubkeys %zu is not base64 (of at most %d bytes)",
			     i, ATTEST_IMA_KEY_DER_MAX);
	}
	p = der;
	pkey = d2i_PUBKEY(NULL, &p, n);
	if (!pkey || p != der + n) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
		ERR_clear_error();
		kfail(e, "\"verification-keys\": pubkeys %zu is not one DER SubjectPublicKeyInfo",
		      i);
	}
	free(der);
	return pkey;
}

static EVP_PKEY *pem_key(json_object *v, size_t i, struct kerr *e)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio;

	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) > 4 * ATTEST_IMA_KEY_DER_MAX)
		return kfail(e, "\"verification-keys\": key %zu is not a PEM string",
			     i);
	bio = BIO_new_mem_buf(json_object_get_string(v),
			      json_object_get_string_len(v));
	if (bio)
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey) {
		ERR_clear_error();
		return kfail(e, "\"verification-keys\": key %zu is not a PEM public key (\"BEGIN PUBLIC KEY\")",
			     i);
	}
	return pkey;
}

static int alloc_keys(struct attest_ima_keys *ks, size_t n, struct kerr *e)
{
	if (n > ATTEST_IMA_KEYS_MAX)
		return kfail(e, "\"verification-keys\": %zu keys, at most %d",
			     n, ATTEST_IMA_KEYS_MAX), -1;
	ks->k = calloc(n ? n : 1, sizeof(*ks->k));
	return ks->k ? 0 : (kfail(e, "out of memory"), -1);
}

/* leo's form: ["-----BEGIN PUBLIC KEY-----...", ...] */
static int load_pem_list(struct attest_ima_keys *ks, json_object *arr,
			 struct kerr *e)
{
	size_t n = json_object_array_length(arr);

	if (alloc_keys(ks, n, e))
		return -1;
	for (size_t i = 0; i < n; i++) {
		EVP_PKEY *pkey = pem_key(json_object_array_get_idx(arr, i), i,
					 e);

		if (!pkey || add_key(ks, pkey, i, -1, e))
			return -1;
	}
	return 0;
}

/* an explicit key id (Keylime takes it from a certificate's SKID) */
static int keyid_at(json_object *ids, size_t i, int64_t *id, struct kerr *e)
{
	json_object *v;

	*id = -1;
	if (!ids || i >= json_object_array_length(ids))
		return 0;
	v = json_object_array_get_idx(ids, i);
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > UINT32_MAX)
		return kfail(e, "\"verification-keys\": keyids %zu is not a 32-bit key id",
			     i), -1;
	*id = json_object_get_int64(v);
	return 0;
}

/* Keylime's form: {"pubkeys": [base64 DER, ...], "keyids": [n, ...]} */
static int load_keyring(struct attest_ima_keys *ks, json_object *obj,
			struct kerr *e)
{
	json_object *pubkeys = NULL, *ids = NULL;
	size_t n;

	json_object_object_foreach(obj, key, v) {
		if (!strcmp(key, "pubkeys") &&
		    json_object_is_type(v, json_type_array))
			pubkeys = v;
		else if (!strcmp(key, "keyids") &&
			 json_object_is_type(v, json_type_array))
			ids = v;
		else
			return kfail(e, "\"verification-keys\": unexpected \"%s\" (pubkeys and keyids are lists)",
				     key), -1;
	}
	if (!pubkeys)
		return kfail(e, "\"verification-keys\": no \"pubkeys\" list"), -1;
	for (size_t i = 0; ids && i < json_object_array_length(ids); i++) {
		int64_t id;

		if (keyid_at(ids, i, &id, e))
			return -1;
	}
	n = json_object_array_length(pubkeys);
	if (alloc_keys(ks, n, e))
		return -1;
	for (size_t i = 0; i < n; i++) {
		EVP_PKEY *pkey;
		int64_t id;

		keyid_at(ids, i, &id, e);	/* checked above */
		pkey = der_key(json_object_array_get_idx(pubkeys, i), i, e);
		if (!pkey || add_key(ks, pkey, i, id, e))
			return -1;
	}
	return 0;
}

static int load_value(struct attest_ima_keys *ks, json_object *v, int depth,
		      struct kerr *e)
{
	json_object *inner;
	int rc;

	if (json_object_is_type(v, json_type_array))
		return load_pem_list(ks, v, e);
	if (json_object_is_type(v, json_type_object) && depth > 0)
		return load_keyring(ks, v, e);
	if (!json_object_is_type(v, json_type_string) || depth > 1)
		return kfail(e, "\"verification-keys\" is neither a JSON string nor a list of PEM keys"), -1;
	if (!json_object_get_string_len(v))
		return alloc_keys(ks, 0, e);
	inner = json_tokener_parse(json_object_get_string(v));
	if (!inner)
		return kfail(e, "\"verification-keys\": the string is not JSON"), -1;
	rc = load_value(ks, inner, depth + 1, e);
	json_object_put(inner);
	return rc;
}

static int by_keyid(const void *a, const void *b)
{
	uint32_t x = ((const struct sig_key *)a)->keyid;
	uint32_t y = ((const struct sig_key *)b)->keyid;

	return x < y ? -1 : x > y;
}

struct attest_ima_keys *attest_ima_keys_load(json_object *v, char *err,
					     size_t errlen)
{
	struct kerr e = { err, errlen };
	struct attest_ima_keys *ks = calloc(1, sizeof(*ks));

	if (!ks)
		return kfail(&e, "out of memory");
	if (load_value(ks, v, 0, &e)) {
		attest_ima_keys_free(ks);
		return NULL;
	}
	qsort(ks->k, ks->n, sizeof(*ks->k), by_keyid);
	return ks;
}

void attest_ima_keys_free(struct attest_ima_keys *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->n; i++)
		EVP_PKEY_free(ks->k[i].pkey);
	free(ks->k);
	free(ks);
}

size_t attest_ima_keys_count(const struct attest_ima_keys *ks)
{
	return ks ? ks->n : 0;
}

/* kernel enum hash_algo (include/uapi/linux/hash_info.h) to ours */
static int algo_from_kernel(uint8_t a)
{
	switch (a) {
	case 2:
		return IMA_HASH_SHA1;
	case 4:
		return IMA_HASH_SHA256;
	case 5:
		return IMA_HASH_SHA384;
	case 6:
		return IMA_HASH_SHA512;
	case 7:
		return IMA_HASH_SHA224;
	default:
		return -1;	/* md5, sm3, streebog...: not accepted */
	}
}

static const EVP_MD *algo_md(enum ima_hash_algo a)
{
	switch (a) {
	case IMA_HASH_SHA1:
		return EVP_sha1();
	case IMA_HASH_SHA224:
		return EVP_sha224();
	case IMA_HASH_SHA256:
		return EVP_sha256();
	case IMA_HASH_SHA384:
		return EVP_sha384();
	case IMA_HASH_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

static bool verify_one(const struct sig_key *k, const EVP_MD *md,
		       const uint8_t *digest, size_t dlen, const uint8_t *sig,
		       size_t slen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k->pkey, NULL);
	bool ok;

	ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
	     (!k->rsa ||
	      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0) &&
	     EVP_PKEY_CTX_set_signature_md(ctx, md) > 0 &&
	     EVP_PKEY_verify(ctx, sig, slen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	return ok;
}

static enum attest_sig_verdict why(struct attest_sig_info *info,
				   enum attest_sig_verdict v, const char *fmt,
				   ...) __attribute__((format(printf, 3, 4)));
static enum attest_sig_verdict why(struct attest_sig_info *info,
				   enum attest_sig_verdict v, const char *fmt,
				   ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return v;
}

enum attest_sig_verdict
attest_ima_sig_check(const struct attest_ima_keys *ks, enum ima_hash_algo algo,
		     const uint8_t *digest, size_t digest_len,
		     const uint8_t *sig, size_t sig_len,
		     struct attest_sig_info *info)
{
	size_t size, lo = 0, hi = ks ? ks->n : 0;
	bool known = false;
	int sig_algo;

	memset(info, 0, sizeof(*info));
	if (sig_len < ATTEST_IMA_SIG_HDR_LEN)
		return why(info, ATTEST_SIG_MALFORMED,
			   "signature header truncated: %zu of %d bytes",
			   sig_len, ATTEST_IMA_SIG_HDR_LEN);
	if (sig[0] != 3)
		return why(info, ATTEST_SIG_MALFORMED,
			   "signature type %u is not 3 (EVM_IMA_XATTR_DIGSIG)",
			   sig[0]);
	if (sig[1] != 2)
		return why(info, ATTEST_SIG_MALFORMED,
			   "signature version %u is not 2", sig[1]);
	size = (size_t)sig[7] << 8 | sig[8];
	if (size != sig_len - ATTEST_IMA_SIG_HDR_LEN)
		return why(info, ATTEST_SIG_MALFORMED,
			   "signature sig_size %zu but %zu bytes follow the header",
			   size, sig_len - ATTEST_IMA_SIG_HDR_LEN);
	sig_algo = algo_from_kernel(sig[2]);
	if (sig_algo < 0 || !algo_md(sig_algo))
		return why(info, ATTEST_SIG_ALGO,
			   "signature hash_algo %u is not supported", sig[2]);
	if ((enum ima_hash_algo)sig_algo != algo ||
	    digest_len != ima_hash_algo_size(algo))
		return why(info, ATTEST_SIG_ALGO,
			   "signature hash_algo %s is not the file digest's %s",
			   ima_hash_algo_name(sig_algo),
			   ima_hash_algo_name(algo));
	info->keyid = (uint32_t)sig[3] << 24 | (uint32_t)sig[4] << 16 |
		      (uint32_t)sig[5] << 8 | sig[6];
	while (lo < hi) {		/* first key with this id */
		size_t mid = lo + (hi - lo) / 2;

		if (ks->k[mid].keyid < info->keyid)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* 32-bit ids may collide: try every key that has this one */
	for (; ks && lo < ks->n && ks->k[lo].keyid == info->keyid; lo++) {
		known = true;
		if (verify_one(&ks->k[lo], algo_md(algo), digest, digest_len,
			       sig + ATTEST_IMA_SIG_HDR_LEN, size))
			return ATTEST_SIG_VALID;
	}
	if (!known)
		return why(info, ATTEST_SIG_UNKNOWN_KEY,
			   "signed by key 0x%08x, not in verification-keys",
			   info->keyid);
	return why(info, ATTEST_SIG_INVALID,
		   "signature by policy key 0x%08x does not verify over the file digest",
		   info->keyid);
}
