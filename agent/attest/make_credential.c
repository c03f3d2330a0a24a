// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier side of credential activation (TPM 2.0 Part 1, 24 "Credential
 * Protection"), built from OpenSSL primitives: RSA-OAEP or ECDH with the
 * SP800-56C single-step KDF (the TPM's KDFe) to share a seed with the EK,
 * SP800-108 counter KDF with HMAC (the TPM's KDFa) for the keys, AES-CFB
 * and HMAC-SHA256 for the blob. Stateless.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <tss2/tss2_mu.h>

#include "attest/credential.h"
#include "attest/tpm_public.h"

#define SEED_LEN ATTEST_SHA256_LEN	/* digest size of the EK nameAlg */

/* KDFa(SHA-256, key, label, ctx_u || ctx_v, bits) */
static int kdfa(const uint8_t *key, size_t key_len, const char *label,
		const uint8_t *ctx_u, size_t u_len, uint8_t *out, size_t len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "KBKDF", NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_MODE, "COUNTER", 0),
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_MAC, "HMAC", 0),
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, (void *)key,
					key_len),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SALT, (void *)label,
					strlen(label)),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_INFO, (void *)ctx_u,
					u_len),
		OSSL_PARAM_END,
	};
	int ok = kctx && EVP_KDF_derive(kctx, out, len, p) > 0;

	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

/* KDFe(SHA-256, Z, label, party_u, party_v, bits) */
static int kdfe(const uint8_t *z, size_t z_len, const char *label,
		const uint8_t *pu, const uint8_t *pv, size_t coord,
		uint8_t *out, size_t len)
{
	uint8_t info[16 + 2 * 66];
	size_t llen = strlen(label) + 1;	/* the label's NUL counts */
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SSKDF", NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[4];
	int ok;

	memcpy(info, label, llen);
	memcpy(info + llen, pu, coord);
	memcpy(info + llen + coord, pv, coord);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						"SHA256", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)z, z_len);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info,
						 llen + 2 * coord);
	p[3] = OSSL_PARAM_construct_end();
	ok = kctx && EVP_KDF_derive(kctx, out, len, p) > 0;
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

/* RSA EK: seed encrypted with OAEP(SHA-256), label "IDENTITY\0" */
static int seed_rsa(EVP_PKEY *ek, uint8_t seed[SEED_LEN],
		    TPM2B_ENCRYPTED_SECRET *out)
{
	static const char label[] = "IDENTITY";
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, ek, NULL);
	size_t len = sizeof(out->secret);
	void *lbl = OPENSSL_memdup(label, sizeof(label));
	int ok;

	ok = ctx && lbl && RAND_bytes(seed, SEED_LEN) == 1 &&
	     EVP_PKEY_encrypt_init(ctx) > 0 &&
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
	     EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 &&
	     EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, lbl, sizeof(label)) > 0;
	if (ok)
		lbl = NULL;	/* owned by ctx now */
	ok = ok && EVP_PKEY_encrypt(ctx, out->secret, &len, seed,
				    SEED_LEN) > 0;
	out->size = ok ? len : 0;
	OPENSSL_free(lbl);
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int ecdh_x(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t *z, size_t zmax,
		  size_t *zlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	int ok;

	*zlen = zmax;
	ok = ctx && EVP_PKEY_derive_init(ctx) > 0 &&
	     EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
	     EVP_PKEY_derive(ctx, z, zlen) > 0;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* uncompressed point of @key, split in coordinates of @coord bytes */
static int ec_point(EVP_PKEY *key, size_t coord, uint8_t *x, uint8_t *y)
{
	uint8_t buf[1 + 2 * 66];
	size_t len = 0;

	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, buf,
					     sizeof(buf), &len) ||
	    len != 1 + 2 * coord || buf[0] != 0x04)
		return -1;
	memcpy(x, buf + 1, coord);
	memcpy(y, buf + 1 + coord, coord);
	return 0;
}

/* ECC EK: an ephemeral key on the EK's curve; the seed is KDFe of ECDH */
static int seed_ecc(const TPMT_PUBLIC *ekpub, EVP_PKEY *ek,
		    uint8_t seed[SEED_LEN], TPM2B_ENCRYPTED_SECRET *out)
{
	size_t coord = ekpub->unique.ecc.x.size;
	const char *group = coord == 32 ? "P-256" : "P-384";
	EVP_PKEY *eph = EVP_EC_gen(group);
	TPMS_ECC_POINT pt = { 0 };
	uint8_t z[66];
	size_t zlen, off = 0;
	int ret = -1;

	if (!eph || ecdh_x(eph, ek, z, sizeof(z), &zlen) || zlen != coord ||
	    ec_point(eph, coord, pt.x.buffer, pt.y.buffer))
		goto out;
	pt.x.size = pt.y.size = coord;
	if (kdfe(z, zlen, "IDENTITY", pt.x.buffer, ekpub->unique.ecc.x.buffer,
		 coord, seed, SEED_LEN))
		goto out;
	if (Tss2_MU_TPMS_ECC_POINT_Marshal(&pt, out->secret,
					   sizeof(out->secret), &off))
		goto out;
	out->size = off;
	ret = 0;
out:
	OPENSSL_cleanse(z, sizeof(z));
	EVP_PKEY_free(eph);
	return ret;
}

static int aes_cfb_encrypt(const uint8_t *key, size_t key_len,
			   const uint8_t *in, int len, uint8_t *out)
{
	static const uint8_t iv[16];
	const EVP_CIPHER *c = key_len == 16 ? EVP_aes_128_cfb128() :
					      EVP_aes_256_cfb128();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0;
	int ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, c, NULL, key, iv) > 0 &&
	     EVP_EncryptUpdate(ctx, out, &n, in, len) > 0 &&
	     EVP_EncryptFinal_ex(ctx, out + n, &fin) > 0 && n + fin == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int hmac_sha256(const uint8_t *key, const uint8_t *a, size_t alen,
		       const uint8_t *b, size_t blen, uint8_t *out)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_END,
	};
	size_t len = 0;
	int ok;

	ok = ctx && EVP_MAC_init(ctx, key, SEED_LEN, p) > 0 &&
	     EVP_MAC_update(ctx, a, alen) > 0 &&
	     EVP_MAC_update(ctx, b, blen) > 0 &&
	     EVP_MAC_final(ctx, out, &len, SEED_LEN) > 0 && len == SEED_LEN;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

static int ek_sym_bits(const TPMT_PUBLIC *ek)
{
	const TPMT_SYM_DEF_OBJECT *s = ek->type == TPM2_ALG_RSA ?
		&ek->parameters.rsaDetail.symmetric :
		&ek->parameters.eccDetail.symmetric;

	if (s->algorithm != TPM2_ALG_AES || s->mode.aes != TPM2_ALG_CFB)
		return -1;
	return s->keyBits.aes == 128 || s->keyBits.aes == 256 ?
	       s->keyBits.aes : -1;
}

/* The EK must be a restricted decryption key usable for activation */
static int ek_usable(const TPMT_PUBLIC *ek)
{
	TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT |
			   TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT;

	if (ek->nameAlg != TPM2_ALG_SHA256 ||
	    (ek->objectAttributes & need) != need || ek_sym_bits(ek) < 0)
		return -1;
	if (ek->type == TPM2_ALG_ECC &&
	    ek->unique.ecc.x.size != 32 && ek->unique.ecc.x.size != 48)
		return -1;
	return ek->type == TPM2_ALG_RSA || ek->type == TPM2_ALG_ECC ? 0 : -1;
}

/* Wrap the credential with the seed: TPM2B_ID_OBJECT = hmac || enc */
static int wrap(const uint8_t seed[SEED_LEN], int sym_bits,
		const TPM2B_NAME *name, const uint8_t *secret,
		TPM2B_ID_OBJECT *blob)
{
	uint8_t sym[32], hkey[SEED_LEN], plain[2 + ATTEST_CRED_SECRET_LEN];
	uint8_t *hmac = blob->credential + 2;
	uint8_t *enc = hmac + SEED_LEN;
	int ret = -1;

	plain[0] = 0;
	plain[1] = ATTEST_CRED_SECRET_LEN;
	memcpy(plain + 2, secret, ATTEST_CRED_SECRET_LEN);
	if (kdfa(seed, SEED_LEN, "STORAGE", name->name, name->size, sym,
		 sym_bits / 8) ||
	    aes_cfb_encrypt(sym, sym_bits / 8, plain, sizeof(plain), enc) ||
	    kdfa(seed, SEED_LEN, "INTEGRITY", NULL, 0, hkey, SEED_LEN) ||
	    hmac_sha256(hkey, enc, sizeof(plain), name->name, name->size,
			hmac))
		goto out;
	blob->credential[0] = 0;
	blob->credential[1] = SEED_LEN;
	blob->size = 2 + SEED_LEN + sizeof(plain);
	ret = 0;
out:
	OPENSSL_cleanse(sym, sizeof(sym));
	OPENSSL_cleanse(hkey, sizeof(hkey));
	OPENSSL_cleanse(plain, sizeof(plain));
	return ret;
}

int attest_make_credential(const TPMT_PUBLIC *ek, const TPMT_PUBLIC *ak,
			   struct attest_challenge *ch,
			   uint8_t expect[ATTEST_CRED_SECRET_LEN])
{
	uint8_t seed[SEED_LEN];
	TPM2B_NAME name;
	EVP_PKEY *ekkey;
	const char *why;
	int ret = -1;

	memset(ch, 0, sizeof(*ch));
	if (!attest_ak_attributes_ok(ak, &why) || ek_usable(ek) ||
	    attest_public_name(ak, &name))
		return -1;
	ekkey = attest_public_to_pkey(ek);
	if (!ekkey || RAND_bytes(expect, ATTEST_CRED_SECRET_LEN) != 1)
		goto out;
	if (ek->type == TPM2_ALG_RSA ? seed_rsa(ekkey, seed, &ch->secret) :
				       seed_ecc(ek, ekkey, seed, &ch->secret))
		goto out;
	ret = wrap(seed, ek_sym_bits(ek), &name, expect, &ch->blob);
out:
	OPENSSL_cleanse(seed, sizeof(seed));
	EVP_PKEY_free(ekkey);
	return ret;
}
