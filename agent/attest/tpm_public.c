// SPDX-License-Identifier: GPL-2.0
/* TPM public areas as the verifier sees them; see tpm_public.h. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <tss2/tss2_mu.h>

#include "attest/tpm_public.h"

int attest_public_marshal(const TPMT_PUBLIC *pub, uint8_t *buf, size_t size,
			  size_t *len)
{
	*len = 0;
	return Tss2_MU_TPMT_PUBLIC_Marshal(pub, buf, size, len) ? -1 : 0;
}

int attest_public_unmarshal(const uint8_t *buf, size_t len, TPMT_PUBLIC *pub)
{
	size_t off = 0;

	memset(pub, 0, sizeof(*pub));
	if (Tss2_MU_TPMT_PUBLIC_Unmarshal(buf, len, &off, pub) || off != len)
		return -1;
	return 0;
}

int attest_public_id(const TPMT_PUBLIC *pub, uint8_t id[ATTEST_SHA256_LEN])
{
	uint8_t buf[sizeof(TPMT_PUBLIC)];
	size_t len;

	if (attest_public_marshal(pub, buf, sizeof(buf), &len))
		return -1;
	SHA256(buf, len, id);
	return 0;
}

int attest_public_name(const TPMT_PUBLIC *pub, TPM2B_NAME *name)
{
	if (pub->nameAlg != TPM2_ALG_SHA256)
		return -1;
	name->size = 2 + ATTEST_SHA256_LEN;
	name->name[0] = TPM2_ALG_SHA256 >> 8;
	name->name[1] = TPM2_ALG_SHA256 & 0xff;
	return attest_public_id(pub, name->name + 2);
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *rsa_pkey(const TPMT_PUBLIC *pub)
{
	const TPM2B_PUBLIC_KEY_RSA *n = &pub->unique.rsa;
	uint32_t exp = pub->parameters.rsaDetail.exponent;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bn_n = BN_bin2bn(n->buffer, n->size, NULL);
	BIGNUM *bn_e = BN_new();
	EVP_PKEY *pkey = NULL;

	if (bld && bn_n && bn_e && n->size >= 256 &&
	    BN_set_word(bn_e, exp ? exp : 65537) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		pkey = pkey_from_params("RSA", bld);
	BN_free(bn_n);
	BN_free(bn_e);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static const char *curve_name(TPMI_ECC_CURVE curve, size_t *coord_len)
{
	switch (curve) {
	case TPM2_ECC_NIST_P256:
		*coord_len = 32;
		return "P-256";
	case TPM2_ECC_NIST_P384:
		*coord_len = 48;
		return "P-384";
	default:
		return NULL;
	}
}

static EVP_PKEY *ecc_pkey(const TPMT_PUBLIC *pub)
{
	const TPMS_ECC_POINT *q = &pub->unique.ecc;
	uint8_t point[1 + 2 * 48];
	size_t clen = 0;
	const char *curve = curve_name(pub->parameters.eccDetail.curveID, &clen);
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pkey = NULL;

	if (!curve || q->x.size != clen || q->y.size != clen)
		return NULL;
	point[0] = 0x04;	/* uncompressed */
	memcpy(point + 1, q->x.buffer, clen);
	memcpy(point + 1 + clen, q->y.buffer, clen);
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    curve, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, 1 + 2 * clen))
		pkey = pkey_from_params("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

EVP_PKEY *attest_public_to_pkey(const TPMT_PUBLIC *pub)
{
	switch (pub->type) {
	case TPM2_ALG_RSA:
		return rsa_pkey(pub);
	case TPM2_ALG_ECC:
		return ecc_pkey(pub);
	default:
		return NULL;
	}
}

int attest_public_write_pem(const TPMT_PUBLIC *pub, FILE *out)
{
	EVP_PKEY *pkey = attest_public_to_pkey(pub);
	int ok = pkey && PEM_write_PUBKEY(out, pkey);

	EVP_PKEY_free(pkey);
	return ok ? 0 : -1;
}

bool attest_ak_attributes_ok(const TPMT_PUBLIC *pub, const char **why)
{
	static const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED |
		TPMA_OBJECT_SIGN_ENCRYPT | TPMA_OBJECT_FIXEDTPM |
		TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN;
	TPMA_OBJECT attrs = pub->objectAttributes;

	if ((attrs & need) != need) {
		*why = "AK is not restricted, sign, fixedTPM, fixedParent and sensitiveDataOrigin";
		return false;
	}
	if (attrs & TPMA_OBJECT_DECRYPT) {
		*why = "AK is also a decryption key";
		return false;
	}
	if (pub->nameAlg != TPM2_ALG_SHA256) {
		*why = "AK name algorithm is not SHA-256";
		return false;
	}
	if (pub->type != TPM2_ALG_RSA && pub->type != TPM2_ALG_ECC) {
		*why = "AK is neither RSA nor ECC";
		return false;
	}
	return true;
}

int attest_ak_qualified_name(const TPMT_PUBLIC *ak, TPM2B_NAME *qn)
{
	const uint32_t hierarchy = TPM2_RH_ENDORSEMENT;
	uint8_t buf[4 + sizeof(qn->name)];
	TPM2B_NAME name;

	if (attest_public_name(ak, &name))
		return -1;
	buf[0] = (hierarchy >> 24) & 0xff;
	buf[1] = (hierarchy >> 16) & 0xff;
	buf[2] = (hierarchy >> 8) & 0xff;
	buf[3] = hierarchy & 0xff;
	memcpy(buf + 4, name.name, name.size);
	qn->size = name.size;
	qn->name[0] = name.name[0];
	qn->name[1] = name.name[1];
	SHA256(buf, 4 + name.size, qn->name + 2);
	return 0;
}
