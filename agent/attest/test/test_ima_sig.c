// SPDX-License-Identifier: GPL-2.0
/*
 * ima-sig appraisal: IMA v2 file signatures checked against the policy's
 * "verification-keys", on synthetic logs without a TPM. Keys are made
 * here (RSA-2048, ECDSA P-256); signatures are built with OpenSSL from
 * the documented header layout, and one is made by ima-evm-utils'
 * evmctl, the tool that signs files for IMA, as a real component.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "attest/quote.h"
#include "attest/test/ima_pass.h"
#include "attest/test/tap.h"
#include "attest/verify_internal.h"
#include "ima/testlog.h"

#define KERNEL_SHA256 4
#define KERNEL_SHA384 5

static EVP_PKEY *rsa, *ec, *stranger;

/*
 * The key id computed independently of the code under test: SHA-1 over
 * i2d_PublicKey (PKCS#1 RSAPublicKey, or the EC point), last 4 bytes.
 */
static uint32_t keyid_of(EVP_PKEY *k)
{
	unsigned char *der = NULL, sha1[20];
	int n = i2d_PublicKey(k, &der);

	if (n <= 0 || !EVP_Digest(der, n, sha1, NULL, EVP_sha1(), NULL))
		tap_bail("key id");
	OPENSSL_free(der);
	return (uint32_t)sha1[16] << 24 | sha1[17] << 16 | sha1[18] << 8 |
	       sha1[19];
}

/* header (type 3, version 2, hash_algo, keyid, size) + signature */
static size_t make_sig(EVP_PKEY *k, uint8_t kalgo, uint32_t keyid,
		       const uint8_t *digest, size_t dlen, const EVP_MD *md,
		       uint8_t *out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
	size_t slen = 1024;

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    (EVP_PKEY_is_a(k, "RSA") &&
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) ||
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0 ||
	    EVP_PKEY_sign(ctx, out + 9, &slen, digest, dlen) <= 0)
		tap_bail("sign");
	EVP_PKEY_CTX_free(ctx);
	out[0] = 3;
	out[1] = 2;
	out[2] = kalgo;
	out[3] = keyid >> 24;
	out[4] = keyid >> 16;
	out[5] = keyid >> 8;
	out[6] = keyid;
	out[7] = slen >> 8;
	out[8] = slen;
	return slen + 9;
}

static size_t sign256(EVP_PKEY *k, const uint8_t d[32], uint8_t *out)
{
	return make_sig(k, KERNEL_SHA256, keyid_of(k), d, 32, EVP_sha256(),
			out);
}

static char *pem_of(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	if (!b || !PEM_write_bio_PUBKEY(b, k))
		tap_bail("pem");
	n = BIO_get_mem_data(b, &p);
	s = strndup(p, n);
	BIO_free(b);
	return s;
}

static char *b64_der_of(EVP_PKEY *k)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);
	char *s = malloc(4 * (n / 3 + 2));

	if (n <= 0 || !s)
		tap_bail("der");
	EVP_EncodeBlock((unsigned char *)s, der, n);
	OPENSSL_free(der);
	return s;
}

/*
 * Keylime's form: a string holding {"pubkeys": [b64 DER], "keyids": [..]}
 * (@twice: JSON-encoded once more, as Keylime's database returns it)
 */
static json_object *keylime_keys(EVP_PKEY **keys, int n, const int64_t *ids,
				 bool twice)
{
	json_object *ring = json_object_new_object();
	json_object *pub = json_object_new_array(), *idl = NULL, *s;

	for (int i = 0; i < n; i++) {
		char *b = b64_der_of(keys[i]);

		json_object_array_add(pub, json_object_new_string(b));
		free(b);
	}
	json_object_object_add(ring, "pubkeys", pub);
	if (ids) {
		idl = json_object_new_array();
		for (int i = 0; i < n; i++)
			json_object_array_add(idl, json_object_new_int64(ids[i]));
		json_object_object_add(ring, "keyids", idl);
	}
	s = json_object_new_string(json_object_to_json_string(ring));
	json_object_put(ring);
	if (twice) {
		json_object *t = json_object_new_string(
			json_object_to_json_string(s));

		json_object_put(s);
		s = t;
	}
	return s;
}

/* leo's form: a list of PEM public keys */
static json_object *pem_keys(EVP_PKEY **keys, int n)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < n; i++) {
		char *p = pem_of(keys[i]);

		json_object_array_add(a, json_object_new_string(p));
		free(p);
	}
	return a;
}

/* {"digests": @digests, "excludes": ["/tmp/"], "verification-keys": @keys} */
static struct attest_policy *policy_keys(json_object *keys, const char *digests,
					 char *err, size_t errlen)
{
	json_object *o = json_object_new_object();
	json_object *ex = json_object_new_array();
	struct attest_policy *p;
	const char *s;

	json_object_object_add(o, "digests", json_tokener_parse(digests));
	json_object_array_add(ex, json_object_new_string("/tmp/"));
	json_object_object_add(o, "excludes", ex);
	if (keys)
		json_object_object_add(o, "verification-keys", keys);
	s = json_object_to_json_string(o);
	p = attest_policy_parse(s, strlen(s), err, errlen);
	json_object_put(o);
	return p;
}

static struct attest_policy *policy_or_bail(json_object *keys,
					    const char *digests)
{
	char err[200];
	struct attest_policy *p = policy_keys(keys, digests, err, sizeof(err));

	if (!p)
		tap_bail(err);
	return p;
}

/* the IMA pass over a log whose every entry the quote covers */
static struct attest_result check(const struct testlog *tl,
				  const struct attest_policy *pol)
{
	return ima_pass_upto(tl, pol, tl->count, NULL);
}

/* boot_aggregate (PCRs 0-9 zero), then one ima-sig entry */
static void one_entry(struct testlog *tl, const char *algo,
		      const uint8_t *d, size_t dlen, const char *path,
		      const uint8_t *sig, size_t slen)
{
	uint8_t zeros[8 * 32] = { 0 }, ba[32];

	EVP_Digest(zeros, sizeof(zeros), ba, NULL, EVP_sha256(), NULL);
	testlog_init(tl);
	testlog_add_ng(tl, ATTEST_IMA_PCR, "ima-ng", "sha256", ba, 32,
		       "boot_aggregate", NULL, 0, false);
	testlog_add_ng(tl, ATTEST_IMA_PCR, "ima-sig", algo, d, dlen, path, sig,
		       slen, false);
}

static bool has_detail(const struct attest_result *r, const char *s)
{
	for (unsigned int i = 0; i < r->n_failures; i++)
		if (strstr(r->failures[i].detail, s))
			return true;
	return false;
}

/* pass, or fail with @why whose detail contains @detail */
static void expect(const struct attest_policy *pol, const uint8_t *d,
		   const char *path, const uint8_t *sig, size_t slen,
		   int pass, enum attest_reason why, const char *detail,
		   const char *what)
{
	struct testlog tl;
	struct attest_result r;

	one_entry(&tl, "sha256", d, 32, path, sig, slen);
	r = check(&tl, pol);
	if (pass)
		tap_ok(r.pass, "%s: passes", what);
	else
		tap_ok(!r.pass && attest_result_has(&r, why) &&
		       (!detail || has_detail(&r, detail)),
		       "%s: fails (%s%s%s)", what, attest_reason_name(why),
		       detail ? ": " : "", detail ? detail : "");
	if (!pass && r.n_failures)
		tap_note("  %s: %s", attest_reason_name(r.failures[0].reason),
			 r.failures[0].detail);
	testlog_free(&tl);
}

static const uint8_t file_d[32] = { 0x5a, 0x11, 0xed };

static void test_valid(void)
{
	EVP_PKEY *both[] = { rsa, ec };
	struct attest_policy *none, *kl, *kl2, *leo;
	uint8_t rs[600], es[200];
	size_t rn = sign256(rsa, file_d, rs), en = sign256(ec, file_d, es);

	kl = policy_or_bail(keylime_keys(both, 2, NULL, false), "{}");
	kl2 = policy_or_bail(keylime_keys(both, 2, NULL, true), "{}");
	leo = policy_or_bail(pem_keys(both, 2), "{}");
	none = policy_or_bail(NULL, "{}");
	tap_ok(attest_policy_key_count(kl) == 2 &&
	       attest_policy_key_count(kl2) == 2 &&
	       attest_policy_key_count(leo) == 2, "two keys loaded per form");
	expect(kl, file_d, "/usr/bin/signed", rs, rn, 1, 0, NULL,
	       "RSA-2048 signature, path not in digests (Keylime keys)");
	expect(kl, file_d, "/usr/bin/signed", es, en, 1, 0, NULL,
	       "ECDSA P-256 signature, path not in digests (Keylime keys)");
	expect(kl2, file_d, "/usr/bin/signed", rs, rn, 1, 0, NULL,
	       "RSA signature, keys JSON-encoded twice as Keylime stores them");
	expect(leo, file_d, "/usr/bin/signed", es, en, 1, 0, NULL,
	       "ECDSA signature (leo's PEM list)");
	expect(none, file_d, "/usr/bin/signed", rs, rn, 0,
	       ATTEST_R_FILE_UNKNOWN, NULL,
	       "RSA signature, policy without verification-keys");
	attest_policy_free(kl);
	attest_policy_free(kl2);
	attest_policy_free(leo);
	attest_policy_free(none);
}

static void test_explicit_keyid(void)
{
	int64_t ids[] = { 0x12345678 };
	struct attest_policy *p;
	uint8_t s[600];
	size_t n;

	p = policy_or_bail(keylime_keys(&rsa, 1, ids, false), "{}");
	n = make_sig(rsa, KERNEL_SHA256, 0x12345678, file_d, 32, EVP_sha256(),
		     s);
	expect(p, file_d, "/usr/bin/a", s, n, 1, 0, NULL,
	       "key id given in \"keyids\" (as from a certificate's SKID)");
	n = sign256(rsa, file_d, s);
	expect(p, file_d, "/usr/bin/a", s, n, 0, ATTEST_R_FILE_UNKNOWN,
	       "not in verification-keys",
	       "the computed key id does not name a key given another id");
	attest_policy_free(p);
}

static void test_refused(void)
{
	static const char listed[] =
		"{\"/usr/bin/listed\":[\"sha256:5a11ed0000000000000000000000000000000000000000000000000000000000\"]}";
	EVP_PKEY *both[] = { rsa, ec };
	struct attest_policy *p = policy_or_bail(keylime_keys(both, 2, NULL,
							      false), listed);
	uint8_t s[600], other[32] = { 0x07 }, bad[600];
	size_t n = sign256(rsa, file_d, s), m;

	m = sign256(stranger, file_d, bad);
	expect(p, file_d, "/usr/bin/a", bad, m, 0, ATTEST_R_FILE_UNKNOWN,
	       "not in verification-keys", "signature by an unknown key");
	memcpy(bad, s, n);
	bad[n - 5] ^= 0x40;
	expect(p, file_d, "/usr/bin/a", bad, n, 0, ATTEST_R_FILE_SIGNATURE,
	       "does not verify", "corrupted RSA signature");
	m = sign256(ec, file_d, bad);
	bad[m - 3] ^= 0x01;
	expect(p, file_d, "/usr/bin/a", bad, m, 0, ATTEST_R_FILE_SIGNATURE,
	       "does not verify", "corrupted ECDSA signature");
	m = sign256(rsa, other, bad);
	expect(p, file_d, "/usr/bin/a", bad, m, 0, ATTEST_R_FILE_SIGNATURE,
	       "does not verify", "signature over another digest");
	memcpy(bad, s, n);
	bad[2] = KERNEL_SHA384;
	expect(p, file_d, "/usr/bin/a", bad, n, 0, ATTEST_R_FILE_SIGNATURE,
	       "hash_algo sha384 is not the file digest's sha256",
	       "header hash_algo sha384 on a sha256 digest");
	bad[2] = 17;		/* sm3 */
	expect(p, file_d, "/usr/bin/a", bad, n, 0, ATTEST_R_FILE_SIGNATURE,
	       "hash_algo 17 is not supported", "header hash_algo sm3");
	expect(p, file_d, "/usr/bin/a", s, 8, 0, ATTEST_R_FILE_SIGNATURE,
	       "header truncated", "truncated header (8 bytes)");
	expect(p, file_d, "/usr/bin/a", s, n - 1, 0, ATTEST_R_FILE_SIGNATURE,
	       "sig_size", "signature one byte short of sig_size");
	memcpy(bad, s, n);
	bad[0] = 5;
	expect(p, file_d, "/usr/bin/a", bad, n, 0, ATTEST_R_FILE_SIGNATURE,
	       "type 5", "type 5 (portable EVM signature)");
	bad[0] = 3;
	bad[1] = 1;
	expect(p, file_d, "/usr/bin/a", bad, n, 0, ATTEST_R_FILE_SIGNATURE,
	       "version 1", "version 1 signature");
	/* the digest list still decides; excludes come first */
	expect(p, file_d, "/usr/bin/listed", bad, n, 1, 0, NULL,
	       "bad signature on a file whose digest is listed (as Keylime)");
	m = sign256(rsa, other, bad);
	expect(p, other, "/usr/bin/listed", bad, m, 1, 0, NULL,
	       "valid signature on a listed path with another digest (as Keylime)");
	expect(p, file_d, "/tmp/x", bad, m, 1, 0, NULL,
	       "bad signature on an excluded path");
	attest_policy_free(p);
}

/* a sha384 file digest signed with hash_algo sha384 */
static void test_sha384(void)
{
	struct attest_policy *p = policy_or_bail(pem_keys(&ec, 1), "{}");
	uint8_t d[48] = { 0x38, 0x4 }, s[200];
	size_t n = make_sig(ec, KERNEL_SHA384, keyid_of(ec), d, 48,
			    EVP_sha384(), s);
	struct testlog tl;
	struct attest_result r;

	one_entry(&tl, "sha384", d, 48, "/usr/bin/b", s, n);
	r = check(&tl, p);
	tap_ok(r.pass, "ECDSA over a sha384 file digest passes");
	testlog_free(&tl);
	attest_policy_free(p);
}

static void expect_load_error(json_object *keys, const char *msg,
			      const char *what)
{
	char err[200] = "";
	struct attest_policy *p = policy_keys(keys, "{}", err, sizeof(err));

	tap_ok(!p && strstr(err, msg), "refused at load: %s (%s)", what, err);
	attest_policy_free(p);
}

static void test_load_errors(void)
{
	EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	EVP_PKEY *two[] = { rsa, ed };
	json_object *a, *ring;
	char *b64 = b64_der_of(rsa);

	if (!ed)
		tap_bail("ed25519 key");
	ring = json_object_new_object();
	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string(b64));
	free(b64);
	json_object_array_add(a, json_object_new_string("MIIBIjANBgkqhkiG9w0BAQEFAAOC"));
	json_object_object_add(ring, "pubkeys", a);
	expect_load_error(json_object_new_string(json_object_to_json_string(ring)),
			  "pubkeys 1 is not one DER SubjectPublicKeyInfo",
			  "truncated DER key at position 1");
	json_object_put(ring);
	expect_load_error(json_object_new_string("{\"pubkeys\":[\"@@@\"]}"),
			  "pubkeys 0 is not base64", "key that is not base64");
	expect_load_error(keylime_keys(two, 2, NULL, false),
			  "key 1 (ED25519) is not an RSA or EC key",
			  "Ed25519 key at position 1");
	a = json_object_new_array();
	json_object_array_add(a, json_object_new_string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
	expect_load_error(a, "key 0 is not a PEM public key", "bad PEM key");
	expect_load_error(json_object_new_string("{\"pubkeys\":[], \"x\":1}"),
			  "unexpected \"x\"", "unknown member");
	expect_load_error(json_object_new_string("{\"pubkeys\":[],\"keyids\":[-1]}"),
			  "keyids 0", "negative key id");
	expect_load_error(json_object_new_string("not json"),
			  "the string is not JSON", "string that is not JSON");
	expect_load_error(json_object_new_int(3), "neither a JSON string",
			  "a number");
	expect_load_error(json_object_new_string("{\"keyids\":[]}"),
			  "no \"pubkeys\" list", "no pubkeys");
	EVP_PKEY_free(ed);
}

static void test_empty_forms(void)
{
	const char *forms[] = { "", "[]", "{\"pubkeys\":[]}" };

	for (size_t i = 0; i < 3; i++) {
		char err[200];
		struct attest_policy *p = policy_keys(
			json_object_new_string(forms[i]), "{}", err,
			sizeof(err));

		tap_ok(p && !attest_policy_key_count(p),
		       "\"verification-keys\": \"%s\" loads, no key", forms[i]);
		attest_policy_free(p);
	}
}

/* a signature made by ima-evm-utils' evmctl (a .sig file) */
static void test_evmctl(void)
{
	char dir[] = "/tmp/leo-imasig-XXXXXX", path[96], cmd[400];
	uint8_t sig[600], d[32];
	struct attest_policy *p;
	size_t n;
	FILE *f;

	if (!mkdtemp(dir))
		tap_bail("mkdtemp");
	snprintf(path, sizeof(path), "%s/key.pem", dir);
	f = fopen(path, "w");
	if (!f || !PEM_write_PrivateKey(f, rsa, NULL, NULL, 0, NULL, NULL))
		tap_bail("write key");
	fclose(f);
	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "w");
	fputs("#!/bin/sh\necho signed by evmctl\n", f);
	fclose(f);
	EVP_Digest("#!/bin/sh\necho signed by evmctl\n", 32, d, NULL,
		   EVP_sha256(), NULL);
	snprintf(cmd, sizeof(cmd),
		 "evmctl ima_sign --hashalgo sha256 --sigfile --key %s/key.pem %s >/dev/null 2>&1",
		 dir, path);
	if (system(cmd))
		tap_bail("evmctl ima_sign failed (install ima-evm-utils: scripts/deps.sh)");
	snprintf(path, sizeof(path), "%s/file.sig", dir);
	f = fopen(path, "rb");
	n = f ? fread(sig, 1, sizeof(sig), f) : 0;
	if (f)
		fclose(f);
	p = policy_or_bail(keylime_keys(&rsa, 1, NULL, false), "{}");
	expect(p, d, "/usr/bin/evm", sig, n, 1, 0, NULL,
	       "evmctl's RSA signature (key id as ima-evm-utils computes it)");
	attest_policy_free(p);
	p = policy_or_bail(keylime_keys(&ec, 1, NULL, false), "{}");
	expect(p, d, "/usr/bin/evm", sig, n, 0, ATTEST_R_FILE_UNKNOWN,
	       "not in verification-keys", "evmctl's signature, other key");
	attest_policy_free(p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		tap_note("could not remove %s", dir);
}

int main(void)
{
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	stranger = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!rsa || !ec || !stranger)
		tap_bail("key generation");
	test_valid();
	test_explicit_keyid();
	test_refused();
	test_sha384();
	test_load_errors();
	test_empty_forms();
	test_evmctl();
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(stranger);
	return tap_done();
}
