// SPDX-License-Identifier: GPL-2.0
/* EK, EK certificate and AK on the attester's TPM; see provision.h. */
#include <stdlib.h>
#include <string.h>

#include "attest/provision.h"
#include "attest/tpm_err.h"
#include "attest/tpm_public.h"

#define EK_CERT_NV_RSA 0x01c00002u
#define EK_CERT_NV_ECC 0x01c0000au
#define NV_CHUNK 512		/* below every TPM's NV buffer size */

static int create_primary(ESYS_CONTEXT *ctx, ESYS_TR hierarchy,
			  const TPM2B_PUBLIC *tmpl, ESYS_TR *key,
			  TPM2B_PUBLIC *pub)
{
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION no_pcrs = { 0 };
	TPM2B_PUBLIC *out = NULL;
	TPM2B_CREATION_DATA *cdata = NULL;
	TPM2B_DIGEST *chash = NULL;
	TPMT_TK_CREATION *ticket = NULL;
	TSS2_RC rc;

	rc = Esys_CreatePrimary(ctx, hierarchy, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				ESYS_TR_NONE, &sens, tmpl, &outside, &no_pcrs,
				key, &out, &cdata, &chash, &ticket);
	if (rc == TSS2_RC_SUCCESS)
		*pub = *out;
	Esys_Free(out);
	Esys_Free(cdata);
	Esys_Free(chash);
	Esys_Free(ticket);
	return attest_tpm_check(rc, "CreatePrimary");
}

int attest_ek_create(ESYS_CONTEXT *ctx, enum attest_key_alg alg, ESYS_TR *ek,
		     TPM2B_PUBLIC *pub)
{
	TPM2B_PUBLIC tmpl;

	attest_ek_template(alg, &tmpl);
	return create_primary(ctx, ESYS_TR_RH_ENDORSEMENT, &tmpl, ek, pub);
}

static int nv_size(ESYS_CONTEXT *ctx, ESYS_TR nv, uint16_t *size)
{
	TPM2B_NV_PUBLIC *npub = NULL;
	TPM2B_NAME *name = NULL;
	TSS2_RC rc;

	rc = Esys_NV_ReadPublic(ctx, nv, ESYS_TR_NONE, ESYS_TR_NONE,
				ESYS_TR_NONE, &npub, &name);
	if (rc == TSS2_RC_SUCCESS)
		*size = npub->nvPublic.dataSize;
	Esys_Free(npub);
	Esys_Free(name);
	return attest_tpm_check(rc, "NV_ReadPublic");
}

static int nv_read_all(ESYS_CONTEXT *ctx, ESYS_TR nv, uint8_t *buf,
		       uint16_t size)
{
	uint16_t off = 0;

	while (off < size) {
		uint16_t n = size - off > NV_CHUNK ? NV_CHUNK : size - off;
		TPM2B_MAX_NV_BUFFER *data = NULL;
		TSS2_RC rc;

		rc = Esys_NV_Read(ctx, nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				  ESYS_TR_NONE, n, off, &data);
		if (attest_tpm_check(rc, "NV_Read"))
			return -1;
		if (data->size != n) {
			Esys_Free(data);
			return -1;
		}
		memcpy(buf + off, data->buffer, n);
		Esys_Free(data);
		off += n;
	}
	return 0;
}

/* EK certificates are zero padded on some TPMs: keep the DER length */
static size_t der_length(const uint8_t *der, size_t len)
{
	size_t n, hdr;

	if (len < 2 || der[0] != 0x30)
		return len;
	if (der[1] < 0x80)
		return 2 + (size_t)der[1] <= len ? 2 + (size_t)der[1] : len;
	hdr = der[1] & 0x7f;
	if (hdr == 0 || hdr > 3 || 2 + hdr > len)
		return len;
	n = 0;
	for (size_t i = 0; i < hdr; i++)
		n = n << 8 | der[2 + i];
	return 2 + hdr + n <= len ? 2 + hdr + n : len;
}

int attest_ek_cert_read(ESYS_CONTEXT *ctx, enum attest_key_alg alg,
			uint8_t **der, size_t *len)
{
	TPM2_HANDLE index = alg == ATTEST_KEY_RSA ? EK_CERT_NV_RSA :
						     EK_CERT_NV_ECC;
	ESYS_TR nv;
	uint16_t size;
	int ret = -1;

	*der = NULL;
	*len = 0;
	if (Esys_TR_FromTPMPublic(ctx, index, ESYS_TR_NONE, ESYS_TR_NONE,
				  ESYS_TR_NONE, &nv) != TSS2_RC_SUCCESS)
		return 1;	/* no such index: no certificate */
	if (nv_size(ctx, nv, &size) || size == 0 || size > ATTEST_EK_CERT_MAX)
		goto out;
	*der = malloc(size);
	if (!*der || nv_read_all(ctx, nv, *der, size))
		goto out;
	*len = der_length(*der, size);
	ret = 0;
out:
	if (ret) {
		free(*der);
		*der = NULL;
	}
	Esys_TR_Close(ctx, &nv);
	return ret;
}

/* Also checks that the key is a primary of the endorsement hierarchy */
static int ak_read_public(ESYS_CONTEXT *ctx, ESYS_TR ak, TPM2B_PUBLIC *pub)
{
	TPM2B_PUBLIC *out = NULL;
	TPM2B_NAME *name = NULL, *qname = NULL, want;
	TSS2_RC rc;
	int ret;

	rc = Esys_ReadPublic(ctx, ak, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
			     &out, &name, &qname);
	ret = attest_tpm_check(rc, "ReadPublic");
	if (!ret) {
		*pub = *out;
		if (attest_ak_qualified_name(&out->publicArea, &want) ||
		    want.size != qname->size ||
		    memcmp(want.name, qname->name, want.size)) {
			fprintf(stderr, "attest: key at AK handle is not a primary key of the endorsement hierarchy\n");
			ret = -1;
		}
	}
	Esys_Free(out);
	Esys_Free(name);
	Esys_Free(qname);
	return ret;
}

static int ak_check(const TPM2B_PUBLIC *pub, enum attest_key_alg alg)
{
	TPM2_ALG_ID want = alg == ATTEST_KEY_RSA ? TPM2_ALG_RSA : TPM2_ALG_ECC;
	const char *why;

	if (!attest_ak_attributes_ok(&pub->publicArea, &why)) {
		fprintf(stderr, "attest: key at AK handle: %s\n", why);
		return -1;
	}
	if (pub->publicArea.type != want) {
		fprintf(stderr, "attest: AK at handle has another algorithm\n");
		return -1;
	}
	return 0;
}

static int ak_create_persistent(ESYS_CONTEXT *ctx, TPM2_HANDLE handle,
				enum attest_key_alg alg, ESYS_TR *ak,
				TPM2B_PUBLIC *pub)
{
	TPM2B_PUBLIC tmpl;
	ESYS_TR transient;
	TSS2_RC rc;

	attest_ak_template(alg, &tmpl);
	if (create_primary(ctx, ESYS_TR_RH_ENDORSEMENT, &tmpl, &transient, pub))
		return -1;
	rc = Esys_EvictControl(ctx, ESYS_TR_RH_OWNER, transient,
			       ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			       handle, ak);
	Esys_FlushContext(ctx, transient);
	return attest_tpm_check(rc, "EvictControl (persist AK)");
}

int attest_ak_get(ESYS_CONTEXT *ctx, TPM2_HANDLE handle,
		  enum attest_key_alg alg, ESYS_TR *ak, TPM2B_PUBLIC *pub)
{
	if ((handle >> 24) != 0x81u) {
		fprintf(stderr, "attest: AK handle 0x%08x is not persistent\n",
			handle);
		return -1;
	}
	if (Esys_TR_FromTPMPublic(ctx, handle, ESYS_TR_NONE, ESYS_TR_NONE,
				  ESYS_TR_NONE, ak) != TSS2_RC_SUCCESS)
		return ak_create_persistent(ctx, handle, alg, ak, pub);
	if (ak_read_public(ctx, *ak, pub) || ak_check(pub, alg)) {
		Esys_TR_Close(ctx, ak);
		return -1;
	}
	return 0;
}
