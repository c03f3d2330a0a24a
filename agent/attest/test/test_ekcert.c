// SPDX-License-Identifier: GPL-2.0
/*
 * The EK certificate check and the enrollment policy, each defect tried
 * and refused: a software "TPM" without a certificate (accepted only with
 * allow_uncertified_ek), an untrusted CA, an intermediate as an anchor,
 * expired and not-yet-valid certificates, a certificate for another key,
 * wrong keyUsage / extendedKeyUsage, a CA certificate as EK certificate.
 * Real EKs come from a swtpm with certificates from the test CA; other
 * certificates are made here with OpenSSL's X509 API.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "attest/credential.h"
#include "attest/ekcert.h"
#include "attest/provision.h"
#include "attest/test/swtpm.h"
#include "attest/test/tap.h"
#include "attest/tpm_public.h"

static char tmp[] = "/tmp/leo-ekcert-XXXXXX";

struct ca {
	EVP_PKEY *key;
	X509 *cert;
};

/* @ext: "nid-name:value;..." v3 extensions, e.g. "keyUsage:critical,..." */
static X509 *make_cert(const char *cn, EVP_PKEY *subject, const struct ca *by,
		       long from_days, long to_days, const char *const *ext)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX v3;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), rand() & 0x7fffffff);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, by ? X509_get_subject_name(by->cert) : name);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
	X509_set_pubkey(x, subject);
	X509V3_set_ctx(&v3, by ? by->cert : x, x, NULL, NULL, 0);
	for (; ext && *ext; ext++) {
		char nid[64];
		const char *v = strchr(*ext, '=');
		X509_EXTENSION *e;

		snprintf(nid, sizeof(nid), "%.*s", (int)(v - *ext), *ext);
		e = X509V3_EXT_nconf(NULL, &v3, nid, v + 1);
		if (!e || !X509_add_ext(x, e, -1))
			tap_bail("cannot add a certificate extension");
		X509_EXTENSION_free(e);
	}
	if (!X509_sign(x, by ? by->key : subject, EVP_sha256()))
		tap_bail("X509_sign");
	X509_NAME_free(name);
	return x;
}

static const char *const ca_ext[] = {
	"basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign",
	"subjectKeyIdentifier=hash", NULL };

static void make_ca(struct ca *ca, const char *cn, const struct ca *by)
{
	ca->key = EVP_EC_gen("P-256");
	if (!ca->key)
		tap_bail("EVP_EC_gen");
	ca->cert = make_cert(cn, ca->key, by, -1, 3650, ca_ext);
}

static void free_ca(struct ca *ca)
{
	EVP_PKEY_free(ca->key);
	X509_free(ca->cert);
}

static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int n;
	char *r = p[n++ % 4];

	snprintf(r, sizeof(p[0]), "%s/%s", tmp, name);
	return r;
}

static void write_pem(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");

	if (!f || !PEM_write_X509(f, x) || fclose(f))
		tap_bail("cannot write a PEM certificate");
}

/* a directory holding exactly @x (PEM) */
static const char *anchor_dir(const char *name, X509 *x)
{
	const char *dir = tmp_path(name);
	char file[300];

	if (mkdir(dir, 0700))
		tap_bail("mkdir");
	snprintf(file, sizeof(file), "%s/root.pem", dir);
	write_pem(file, x);
	return dir;
}

static struct attest_ek_trust *load(const char *dir, const char *ica,
				    char *err)
{
	return attest_ek_trust_load(dir, ica ? &ica : NULL, ica ? 1 : 0, err,
				    256);
}

static int verify_x509(X509 *x, const TPMT_PUBLIC *ek,
		       const struct attest_ek_trust *t, const char **why)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rc;

	rc = len > 0 ? attest_ek_cert_verify(der, len, ek, t, why) : -1;
	OPENSSL_free(der);
	return rc;
}

static const char *const ek_rsa_ext[] = {
	"basicConstraints=critical,CA:FALSE",
	"keyUsage=critical,keyEncipherment",
	"extendedKeyUsage=2.23.133.8.1", NULL };
static const char *const ek_ecc_ext[] = {
	"basicConstraints=critical,CA:FALSE", "keyUsage=critical,keyAgreement",
	"extendedKeyUsage=2.23.133.8.1", NULL };

/* @ext-made certificate for @ek by @ca: refused with @want in the reason */
static void expect(const struct ca *ca, const TPMT_PUBLIC *ek,
		   const struct attest_ek_trust *t, long from, long to,
		   const char *const *ext, const char *want, const char *what)
{
	EVP_PKEY *k = attest_public_to_pkey(ek);
	X509 *x = make_cert("EK", k, ca, from, to, ext);
	const char *why = NULL;
	int rc = verify_x509(x, ek, t, &why);

	if (!want)
		tap_ok(rc == 0, "%s: accepted (%s)", what, why ? why : "ok");
	else
		tap_ok(rc && why && strstr(why, want), "%s: refused: %s", what,
		       why ? why : "(accepted)");
	X509_free(x);
	EVP_PKEY_free(k);
}

/* the real swtpm certificate against various trust configurations */
static void test_trust(const uint8_t *der, size_t len, const TPMT_PUBLIC *ek,
		       const struct ca *other)
{
	const char *roots = swtpm_ca_file("roots");
	const char *ica = swtpm_ca_file("issuercert.pem");
	const char *root = swtpm_ca_file("swtpm-localca-rootca-cert.pem");
	struct attest_ek_trust *t;
	const char *why = NULL;
	char err[256], dir[300];
	int rc;

	t = load(roots, ica, err);
	tap_ok(t && !attest_ek_cert_verify(der, len, ek, t, &why),
	       "swtpm EK certificate: root anchor + untrusted intermediate");
	attest_ek_trust_free(t);
	t = load(roots, NULL, err);
	rc = t ? attest_ek_cert_verify(der, len, ek, t, &why) : 0;
	tap_ok(rc && strstr(why, "does not chain"),
	       "without its intermediate: refused: %s", why);
	attest_ek_trust_free(t);
	/* the intermediate as an anchor: not a root, never trusted */
	snprintf(dir, sizeof(dir), "%s", tmp_path("ica-only"));
	if (mkdir(dir, 0700) ||
	    symlink(ica, tmp_path("ica-only/issuercert.pem")))
		tap_bail("ica-only");
	t = load(dir, NULL, err);
	tap_ok(t && attest_ek_cert_verify(der, len, ek, t, &why) &&
	       strstr(why, "does not chain"),
	       "intermediate placed in the anchor directory: refused: %s", why);
	attest_ek_trust_free(t);
	/* an untrusted CA; the real root offered only as chain material */
	t = attest_ek_trust_load(anchor_dir("other", other->cert),
				 (const char *const[]){ ica, root }, 2, err,
				 sizeof(err));
	tap_ok(t && attest_ek_cert_verify(der, len, ek, t, &why) &&
	       strstr(why, "does not chain"),
	       "other CA trusted, swtpm root given as intermediate: refused: %s",
	       why);
	attest_ek_trust_free(t);
}

static void test_load_errors(const struct ca *other)
{
	char err[256] = "";
	FILE *f;

	tap_ok(!load(tmp_path("none"), NULL, err) && strstr(err, "none"),
	       "missing directory: %s", err);
	mkdir(tmp_path("empty"), 0700);
	tap_ok(!load(tmp_path("empty"), NULL, err) &&
	       strstr(err, "holds no certificates"), "empty directory: %s", err);
	anchor_dir("junk", other->cert);
	f = fopen(tmp_path("junk/key.pem"), "w");
	if (!f || !PEM_write_PrivateKey(f, other->key, NULL, NULL, 0, NULL,
					NULL) || fclose(f))
		tap_bail("key.pem");
	tap_ok(!load(tmp_path("junk"), NULL, err) && strstr(err, "key.pem"),
	       "a file that is not a certificate: %s", err);
	f = fopen(tmp_path("ica.der"), "w");
	if (!f || !i2d_X509_fp(f, other->cert) || fclose(f))
		tap_bail("ica.der");
	mkdir(tmp_path("der"), 0700);
	rename(tmp_path("ica.der"), tmp_path("der/root.der"));
	tap_ok(!load(tmp_path("der"), tmp_path("none.pem"), err) &&
	       strstr(err, "none.pem"), "missing intermediate file: %s", err);
	{
		struct attest_ek_trust *t = load(tmp_path("der"), NULL, err);

		tap_ok(t != NULL, "a DER root is read (%s)", t ? "ok" : err);
		attest_ek_trust_free(t);
	}
}

/* the attack of issue 11: a program playing the TPM, no certificate */
static void test_software_tpm(const struct attest_ek_trust *t)
{
	EVP_PKEY *rsa = EVP_RSA_gen(2048), *p256 = EVP_EC_gen("P-256");
	struct attest_ek_policy pol = { .trust = t };
	struct attest_challenge ch;
	uint8_t expect_secret[ATTEST_CRED_SECRET_LEN];
	BIGNUM *n = NULL, *x = NULL, *y = NULL;
	TPM2B_PUBLIC ek, ak;
	const char *why = NULL;
	bool certified = true;
	int rc;

	if (!rsa || !p256 ||
	    !EVP_PKEY_get_bn_param(rsa, "n", &n) ||
	    !EVP_PKEY_get_bn_param(p256, "qx", &x) ||
	    !EVP_PKEY_get_bn_param(p256, "qy", &y))
		tap_bail("software keys");
	attest_ek_template(ATTEST_KEY_RSA, &ek);
	ek.publicArea.unique.rsa.size = 256;
	BN_bn2binpad(n, ek.publicArea.unique.rsa.buffer, 256);
	attest_ak_template(ATTEST_KEY_ECC, &ak);	/* claims fixedTPM... */
	ak.publicArea.unique.ecc.x.size = 32;
	ak.publicArea.unique.ecc.y.size = 32;
	BN_bn2binpad(x, ak.publicArea.unique.ecc.x.buffer, 32);
	BN_bn2binpad(y, ak.publicArea.unique.ecc.y.buffer, 32);

	rc = attest_enroll_challenge(&ek.publicArea, NULL, 0, &ak.publicArea,
				     &pol, &certified, &ch, expect_secret, &why);
	tap_ok(rc && strstr(why, "required"),
	       "software EK + AK, no certificate, by default: refused: %s", why);
	pol.trust = NULL;
	rc = attest_enroll_challenge(&ek.publicArea, NULL, 0, &ak.publicArea,
				     &pol, &certified, &ch, expect_secret, &why);
	tap_ok(rc && strstr(why, "no EK CA directory"),
	       "same with no EK CA configured: refused: %s", why);
	pol.allow_uncertified_ek = true;
	rc = attest_enroll_challenge(&ek.publicArea, NULL, 0, &ak.publicArea,
				     &pol, &certified, &ch, expect_secret, &why);
	tap_ok(rc == 0 && !certified,
	       "accepted only with allow_uncertified_ek, reported uncertified");
	/* a certificate that is sent must pass even then */
	pol.trust = t;
	{
		struct ca self;
		unsigned char *der = NULL;
		X509 *c;
		int len;

		make_ca(&self, "self", NULL);
		c = make_cert("EK", rsa, &self, -1, 365, ek_rsa_ext);
		len = i2d_X509(c, &der);
		rc = attest_enroll_challenge(&ek.publicArea, der, len,
					     &ak.publicArea, &pol, &certified,
					     &ch, expect_secret, &why);
		tap_ok(rc && strstr(why, "does not chain"),
		       "allow_uncertified_ek with a self-made certificate: refused: %s",
		       why);
		OPENSSL_free(der);
		X509_free(c);
		free_ca(&self);
	}
	BN_free(n);
	BN_free(x);
	BN_free(y);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(p256);
}

static void test_made_certs(const TPMT_PUBLIC *ek_rsa,
			    const TPMT_PUBLIC *ek_ecc)
{
	static const char *const no_ku[] = {
		"basicConstraints=critical,CA:FALSE", NULL };
	static const char *const ku_sign[] = {
		"basicConstraints=critical,CA:FALSE",
		"keyUsage=critical,digitalSignature",
		"extendedKeyUsage=2.23.133.8.1", NULL };
	static const char *const eku_server[] = {
		"basicConstraints=critical,CA:FALSE",
		"keyUsage=critical,keyEncipherment",
		"extendedKeyUsage=serverAuth", NULL };
	static const char *const is_ca[] = {
		"basicConstraints=critical,CA:TRUE",
		"keyUsage=critical,keyEncipherment,keyCertSign", NULL };
	struct ca root, ica, other;
	struct attest_ek_trust *t;
	EVP_PKEY *soft = EVP_RSA_gen(2048);
	char err[256], ica_path[300];
	X509 *x;
	const char *why = NULL;
	int rc;

	make_ca(&root, "made root", NULL);
	make_ca(&ica, "made intermediate", &root);
	make_ca(&other, "other root", NULL);
	snprintf(ica_path, sizeof(ica_path), "%s", tmp_path("made-ica.pem"));
	write_pem(ica_path, ica.cert);
	t = load(anchor_dir("made", root.cert), ica_path, err);
	if (!t)
		tap_bail(err);
	expect(&ica, ek_rsa, t, -1, 365, ek_rsa_ext, NULL,
	       "RSA EK, keyEncipherment + TCG EKU, via intermediate");
	expect(&ica, ek_ecc, t, -1, 365, ek_ecc_ext, NULL,
	       "ECC EK, keyAgreement + TCG EKU");
	expect(&ica, ek_rsa, t, -1, 365, no_ku, NULL,
	       "no keyUsage and no EKU extension");
	expect(&ica, ek_rsa, t, -400, -1, ek_rsa_ext, "has expired",
	       "expired EK certificate");
	expect(&ica, ek_rsa, t, 2, 400, ek_rsa_ext, "not yet valid",
	       "not-yet-valid EK certificate");
	expect(&other, ek_rsa, t, -1, 365, ek_rsa_ext, "does not chain",
	       "EK certificate from an untrusted CA");
	expect(&ica, ek_rsa, t, -1, 365, ku_sign, "keyEncipherment",
	       "RSA EK with keyUsage digitalSignature only");
	expect(&ica, ek_ecc, t, -1, 365, ek_rsa_ext, "keyAgreement",
	       "ECC EK with keyUsage keyEncipherment only");
	expect(&ica, ek_rsa, t, -1, 365, eku_server, "2.23.133.8.1",
	       "EKU serverAuth without the TCG EK OID");
	expect(&ica, ek_rsa, t, -1, 365, is_ca, "CA certificate",
	       "EK certificate that is a CA");
	x = make_cert("EK", soft, &ica, -1, 365, ek_rsa_ext);
	rc = verify_x509(x, ek_rsa, t, &why);
	tap_ok(rc && strstr(why, "another key"),
	       "valid certificate for another RSA key: refused: %s", why);
	X509_free(x);
	attest_ek_trust_free(t);
	/* an intermediate that expired: the whole chain is dated */
	X509_free(ica.cert);
	ica.cert = make_cert("made intermediate", ica.key, &root, -400, -1,
			     ca_ext);
	write_pem(ica_path, ica.cert);
	t = load(tmp_path("made"), ica_path, err);
	expect(&ica, ek_rsa, t, -1, 365, ek_rsa_ext, "chain has expired",
	       "EK certificate under an expired intermediate");
	attest_ek_trust_free(t);
	test_load_errors(&other);
	free_ca(&root);
	free_ca(&ica);
	free_ca(&other);
	EVP_PKEY_free(soft);
}

static int unlink_cb(const char *path, const struct stat *sb, int flag,
		     struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	const char *ica = swtpm_ca_file("issuercert.pem");
	struct attest_ek_trust *t;
	TPM2B_PUBLIC ek_rsa, ek_ecc;
	struct ca other;
	struct swtpm a;
	uint8_t *der = NULL;
	size_t len = 0;
	char err[256];

	setenv("TSS2_LOG", "all+none", 1);
	if (!mkdtemp(tmp))
		tap_bail("mkdtemp");
	if (swtpm_start(&a, true) || swtpm_connect(&a))
		tap_bail("cannot start swtpm");
	if (swtpm_ek_publics(&a, &ek_rsa, &ek_ecc))
		tap_bail("cannot create the EKs");
	if (attest_ek_cert_read(a.esys, ATTEST_KEY_RSA, &der, &len))
		tap_bail("no RSA EK certificate in NV");
	swtpm_stop(&a);

	make_ca(&other, "other root", NULL);
	test_trust(der, len, &ek_rsa.publicArea, &other);
	free_ca(&other);
	t = load(swtpm_ca_file("roots"), ica, err);
	if (!t)
		tap_bail(err);
	test_software_tpm(t);
	attest_ek_trust_free(t);
	test_made_certs(&ek_rsa.publicArea, &ek_ecc.publicArea);
	free(der);
	nftw(tmp, unlink_cb, 8, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
