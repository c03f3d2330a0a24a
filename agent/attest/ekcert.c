// SPDX-License-Identifier: GPL-2.0
/* EK certificate chain and key check with OpenSSL; see ekcert.h. */
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "attest/ekcert.h"
#include "attest/tpm_public.h"

static X509_STORE *load_store(const char *const *files, size_t n)
{
	X509_STORE *store = X509_STORE_new();

	if (!store)
		return NULL;
	/* every configured certificate is a trust anchor, root or not */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	for (size_t i = 0; i < n; i++) {
		if (X509_STORE_load_file(store, files[i]) != 1) {
			X509_STORE_free(store);
			return NULL;
		}
	}
	return store;
}

static int chain_ok(X509 *cert, X509_STORE *store)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = ctx && X509_STORE_CTX_init(ctx, store, cert, NULL) == 1 &&
		 X509_verify_cert(ctx) == 1;

	X509_STORE_CTX_free(ctx);
	return ok;
}

int attest_ek_cert_verify(const uint8_t *der, size_t len,
			  const TPMT_PUBLIC *ek, const char *const *ca_files,
			  size_t n_ca, const char **why)
{
	const unsigned char *p = der;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	EVP_PKEY *ekkey = attest_public_to_pkey(ek);
	X509_STORE *store = NULL;
	int ret = -1;

	*why = NULL;
	if (!cert || p != der + len)
		*why = "EK certificate is not one DER X.509 certificate";
	else if (!ekkey || EVP_PKEY_eq(X509_get0_pubkey(cert), ekkey) != 1)
		*why = "EK certificate certifies another key";
	else if (n_ca == 0)
		*why = "no EK CA certificates configured";
	else if (!(store = load_store(ca_files, n_ca)))
		*why = "cannot load the EK CA certificates";
	else if (!chain_ok(cert, store))
		*why = "EK certificate does not chain to a configured CA";
	else
		ret = 0;
	X509_STORE_free(store);
	EVP_PKEY_free(ekkey);
	X509_free(cert);
	return ret;
}
