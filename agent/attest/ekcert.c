// SPDX-License-Identifier: GPL-2.0
/* EK certificate trust and checks with OpenSSL; see ekcert.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "attest/ekcert.h"
#include "attest/tpm_public.h"

struct attest_ek_trust {
	X509_STORE *roots;		/* the only anchors */
	STACK_OF(X509) *untrusted;	/* intermediates, never anchors */
};

/* Every certificate in @path (PEM, one or more; or one DER) onto @sk */
static int read_certs(const char *path, STACK_OF(X509) *sk)
{
	BIO *bio = BIO_new_file(path, "rb");
	int n = 0;
	X509 *x;

	if (!bio)
		return -1;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			n = -1;
			break;
		}
		n++;
	}
	if (n == 0 && BIO_reset(bio) == 0 && (x = d2i_X509_bio(bio, NULL))) {
		if (BIO_read(bio, &(char){ 0 }, 1) > 0 || !sk_X509_push(sk, x))
			X509_free(x);	/* trailing bytes: not one DER */
		else
			n = 1;
	}
	ERR_clear_error();
	BIO_free(bio);
	return n > 0 ? 0 : -1;
}

static int load_roots(struct attest_ek_trust *t, const char *dir, char *err,
		      size_t errlen)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	struct stat st;
	int rc = 0;

	if (!d || !sk) {
		snprintf(err, errlen, "EK CA directory %s: cannot open it", dir);
		rc = -1;
	}
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (read_certs(path, sk)) {
			snprintf(err, errlen, "EK CA directory: %s is not a PEM or DER certificate file",
				 path);
			rc = -1;
		}
	}
	if (!rc && sk_X509_num(sk) == 0) {
		snprintf(err, errlen, "EK CA directory %s holds no certificates",
			 dir);
		rc = -1;
	}
	for (int i = 0; !rc && i < sk_X509_num(sk); i++)
		if (X509_STORE_add_cert(t->roots, sk_X509_value(sk, i)) != 1) {
			snprintf(err, errlen, "EK CA directory %s: cannot add a certificate",
				 dir);
			rc = -1;
		}
	if (d)
		closedir(d);
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

struct attest_ek_trust *attest_ek_trust_load(const char *ca_dir,
					     const char *const *intermediates,
					     size_t n_intermediates,
					     char *err, size_t errlen)
{
	struct attest_ek_trust *t = calloc(1, sizeof(*t));

	if (!t || !(t->roots = X509_STORE_new()) ||
	    !(t->untrusted = sk_X509_new_null())) {
		snprintf(err, errlen, "out of memory");
		attest_ek_trust_free(t);
		return NULL;
	}
	if (load_roots(t, ca_dir, err, errlen)) {
		attest_ek_trust_free(t);
		return NULL;
	}
	for (size_t i = 0; i < n_intermediates; i++)
		if (read_certs(intermediates[i], t->untrusted)) {
			snprintf(err, errlen, "EK intermediate %s is not a PEM or DER certificate file",
				 intermediates[i]);
			attest_ek_trust_free(t);
			return NULL;
		}
	return t;
}

void attest_ek_trust_free(struct attest_ek_trust *t)
{
	if (!t)
		return;
	X509_STORE_free(t->roots);
	sk_X509_pop_free(t->untrusted, X509_free);
	free(t);
}

static const char *chain_error(int err, int depth)
{
	switch (err) {
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return depth ? "an EK CA certificate of the chain is not yet valid (notBefore in the future)" :
			       "EK certificate is not yet valid (notBefore in the future)";
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return depth ? "an EK CA certificate of the chain has expired (notAfter in the past)" :
			       "EK certificate has expired (notAfter in the past)";
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
		return "EK certificate chain: malformed validity dates";
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return "EK certificate chain: a signature does not verify";
	default:
		return "EK certificate does not chain to a root of the EK CA directory";
	}
}

static const char *chain_check(X509 *cert, const struct attest_ek_trust *t)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	const char *why = NULL;

	if (!ctx || X509_STORE_CTX_init(ctx, t->roots, cert, t->untrusted) != 1)
		why = "out of memory";
	else if (X509_verify_cert(ctx) != 1)
		why = chain_error(X509_STORE_CTX_get_error(ctx),
				  X509_STORE_CTX_get_error_depth(ctx));
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return why;
}

static bool has_tcg_ek_eku(X509 *cert)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage,
						   NULL, NULL);
	ASN1_OBJECT *want = OBJ_txt2obj(ATTEST_TCG_KP_EK_CERTIFICATE, 1);
	bool found = false;

	for (int i = 0; eku && want && i < sk_ASN1_OBJECT_num(eku); i++)
		if (!OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want))
			found = true;
	ASN1_OBJECT_free(want);
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

/* What the TCG EK Credential Profile asks of an EK certificate's use */
static const char *usage_check(X509 *cert, TPMI_ALG_PUBLIC type)
{
	uint32_t flags = X509_get_extension_flags(cert);
	uint32_t ku = X509_get_key_usage(cert);

	if (X509_check_ca(cert))
		return "EK certificate is a CA certificate (basicConstraints/keyCertSign)";
	if ((flags & EXFLAG_KUSAGE) && type == TPM2_ALG_RSA &&
	    !(ku & KU_KEY_ENCIPHERMENT))
		return "EK certificate keyUsage lacks keyEncipherment (required for an RSA EK)";
	if ((flags & EXFLAG_KUSAGE) && type == TPM2_ALG_ECC &&
	    !(ku & KU_KEY_AGREEMENT))
		return "EK certificate keyUsage lacks keyAgreement (required for an ECC EK)";
	if ((flags & EXFLAG_XKUSAGE) && !has_tcg_ek_eku(cert))
		return "EK certificate extendedKeyUsage lacks the TCG EK OID " ATTEST_TCG_KP_EK_CERTIFICATE;
	return NULL;
}

int attest_ek_cert_verify(const uint8_t *der, size_t len,
			  const TPMT_PUBLIC *ek,
			  const struct attest_ek_trust *t, const char **why)
{
	const unsigned char *p = der;
	X509 *cert = len ? d2i_X509(NULL, &p, (long)len) : NULL;
	EVP_PKEY *ekkey = attest_public_to_pkey(ek);

	*why = NULL;
	if (!cert || p != der + len)
		*why = "EK certificate is not one DER X.509 certificate";
	else if (!ekkey)
		*why = "EK public is not an RSA or ECC P-256/P-384 key";
	else if (EVP_PKEY_eq(X509_get0_pubkey(cert), ekkey) != 1)
		*why = "EK certificate certifies another key";
	else if (!t)
		*why = "no EK CA directory configured";
	else if (!(*why = chain_check(cert, t)))
		*why = usage_check(cert, ek->type);
	ERR_clear_error();
	EVP_PKEY_free(ekkey);
	X509_free(cert);
	return *why ? -1 : 0;
}
