// SPDX-License-Identifier: GPL-2.0
/*
 * leoctl attest: manual use of the attestation engine (agent/attest).
 *
 *   leoctl attest ak      --out ak.pub [--pem ak.pem] [--ek-out ek.pub]
 *                         [--ek-cert-out ek.der]          provision/export AK
 *   leoctl attest challenge --ek ek.pub [--ek-cert ek.der]
 *                         --ek-ca-dir DIR [--ek-intermediate ica.pem]...
 *                         | --allow-uncertified-ek
 *                         --ak ak.pub --out ch.bin --secret-out secret.bin
 *   leoctl attest activate --challenge ch.bin --out answer.bin
 *   leoctl attest check   --answer answer.bin --secret secret.bin --ak ak.pub
 *   leoctl attest quote   --nonce HEX --binding HEX --out ev.bin
 *   leoctl attest verify  --evidence ev.bin --nonce HEX --binding HEX
 *                         --policy policy.json --ak ak.pub [--json]
 *   leoctl attest export  --evidence ev.bin --dir DIR     for tpm2_checkquote
 *   leoctl attest check-log --policy policy.json --log FILE [--ascii] [--json]
 *                         a stored IMA log without a quote
 *
 * Attester options: --tcti T (default $LEO_TCTI, then the kernel's
 * resource manager), --alg ecc|rsa, --handle 0x81xxxxxx, --pcrs 0,7,10,
 * --ima-log PATH, --ima-start N. Single-threaded; no state between runs:
 * verify treats the peer as new (full log, no clock history) and trusts the
 * AK file given, which must come from a credential activation.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/credential.h"
#include "attest/evidence.h"
#include "attest/export.h"
#include "attest/provision.h"
#include "attest/quote.h"
#include "attest/tpm_public.h"
#include "attest/verify.h"
#include "leoctl/commands.h"
#include "tpm/tpm.h"

#define IMA_LOG_PATH "/sys/kernel/security/ima/binary_runtime_measurements"
#define MAX_INTERMEDIATES 8

struct attest_opts {
	const char *tcti, *out, *pem, *evidence, *policy, *ak, *dir;
	const char *ima_log, *log, *ek_out, *ek_cert_out, *ek, *ek_cert;
	const char *challenge, *secret_out, *answer, *secret;
	const char *ek_ca_dir, *intermediates[MAX_INTERMEDIATES];
	size_t n_intermediates;
	bool allow_uncertified_ek, ascii;
	enum attest_key_alg alg;
	uint32_t handle, pcrs;
	uint64_t ima_start;
	uint8_t nonce[ATTEST_NONCE_MAX], binding[ATTEST_BINDING_MAX];
	size_t nonce_len, binding_len;
	bool has_nonce, has_binding;
};

static const char usage[] =
	"usage: leoctl attest ak --out FILE [--pem FILE] [--ek-out FILE]\n"
	"                        [--ek-cert-out FILE] [TPM options]\n"
	"       leoctl attest challenge --ek FILE [--ek-cert FILE]\n"
	"                               --ek-ca-dir DIR [--ek-intermediate FILE]...\n"
	"                               [--allow-uncertified-ek]\n"
	"                               --ak FILE --out FILE --secret-out FILE\n"
	"       leoctl attest activate --challenge FILE --out FILE [TPM options]\n"
	"       leoctl attest check --answer FILE --secret FILE --ak FILE\n"
	"       leoctl attest quote --nonce HEX --binding HEX --out FILE\n"
	"                           [--pcrs LIST] [--ima-log PATH] [--ima-start N]\n"
	"                           [TPM options]\n"
	"       leoctl attest verify --evidence FILE --nonce HEX --binding HEX\n"
	"                            --policy FILE --ak FILE [--json]\n"
	"       leoctl attest export --evidence FILE --dir DIR\n"
	"       leoctl attest check-log --policy FILE --log FILE [--ascii] [--json]\n"
	"TPM options: --tcti TCTI --alg ecc|rsa --handle 0x81xxxxxx\n";

static int bad_usage(const char *why)
{
	fprintf(stderr, "leoctl attest: %s\n%s", why, usage);
	return LEOCTL_EXIT_USAGE;
}

static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -1;
		out[i] = b;
	}
	*len = n / 2;
	return 0;
}

static int parse_pcrs(const char *s, uint32_t *mask)
{
	char *end;

	*mask = 0;
	while (*s) {
		unsigned long pcr = strtoul(s, &end, 10);

		if (end == s || pcr >= ATTEST_PCR_COUNT ||
		    (*end && *end != ','))
			return -1;
		*mask |= 1u << pcr;
		s = *end ? end + 1 : end;
	}
	return *mask ? 0 : -1;
}

static int parse_number(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

static int parse_opt(struct attest_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 't': o->tcti = arg; return 0;
	case 'o': o->out = arg; return 0;
	case 'P': o->pem = arg; return 0;
	case 'e': o->evidence = arg; return 0;
	case 'p': o->policy = arg; return 0;
	case 'k': o->ak = arg; return 0;
	case 'd': o->dir = arg; return 0;
	case 'l': o->ima_log = arg; return 0;
	case 'L': o->log = arg; return 0;
	case 'A': o->ascii = true; return 0;
	case 'E': o->ek_out = arg; return 0;
	case 'C': o->ek_cert_out = arg; return 0;
	case 'x': o->ek = arg; return 0;
	case 'X': o->ek_cert = arg; return 0;
	case 'g': o->challenge = arg; return 0;
	case 'S': o->secret_out = arg; return 0;
	case 'w': o->answer = arg; return 0;
	case 'y': o->secret = arg; return 0;
	case 'R': o->ek_ca_dir = arg; return 0;
	case 'I':
		if (o->n_intermediates == MAX_INTERMEDIATES)
			return -1;
		o->intermediates[o->n_intermediates++] = arg;
		return 0;
	case 'U': o->allow_uncertified_ek = true; return 0;
	case 'r':
		fprintf(stderr, "leoctl attest: --ca is gone: give the roots as --ek-ca-dir DIR and intermediates as --ek-intermediate FILE\n");
		return -1;
	case 'a': return attest_key_alg_parse(arg, &o->alg);
	case 'c': return parse_pcrs(arg, &o->pcrs);
	case 'n':
		o->has_nonce = true;
		return parse_hex(arg, o->nonce, sizeof(o->nonce),
				 &o->nonce_len);
	case 'b':
		o->has_binding = true;
		return parse_hex(arg, o->binding, sizeof(o->binding),
				 &o->binding_len);
	case 'H':
		if (parse_number(arg, &v) || (v >> 24) != 0x81)
			return -1;
		o->handle = v;
		return 0;
	case 's':
		return parse_number(arg, &o->ima_start);
	case 'j':
		leoctl_json = true;
		return 0;
	default:
		return -1;
	}
}

static int parse_opts(struct attest_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tcti", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "pem", required_argument, NULL, 'P' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "policy", required_argument, NULL, 'p' },
		{ "ak", required_argument, NULL, 'k' },
		{ "dir", required_argument, NULL, 'd' },
		{ "ima-log", required_argument, NULL, 'l' },
		{ "log", required_argument, NULL, 'L' },
		{ "ascii", no_argument, NULL, 'A' },
		{ "ima-start", required_argument, NULL, 's' },
		{ "alg", required_argument, NULL, 'a' },
		{ "pcrs", required_argument, NULL, 'c' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "binding", required_argument, NULL, 'b' },
		{ "handle", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "ek-out", required_argument, NULL, 'E' },
		{ "ek-cert-out", required_argument, NULL, 'C' },
		{ "ek", required_argument, NULL, 'x' },
		{ "ek-cert", required_argument, NULL, 'X' },
		{ "ca", required_argument, NULL, 'r' },
		{ "ek-ca-dir", required_argument, NULL, 'R' },
		{ "ek-intermediate", required_argument, NULL, 'I' },
		{ "allow-uncertified-ek", no_argument, NULL, 'U' },
		{ "challenge", required_argument, NULL, 'g' },
		{ "secret-out", required_argument, NULL, 'S' },
		{ "answer", required_argument, NULL, 'w' },
		{ "secret", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->alg = ATTEST_KEY_ECC;
	o->handle = ATTEST_AK_HANDLE_DEFAULT;
	o->ima_log = IMA_LOG_PATH;
	optind = 0;	/* glibc: restart option parsing */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (parse_opt(o, c, optarg))
			return -1;
	return optind == argc ? 0 : -1;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	*buf = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    (size_t)n > ATTEST_EVIDENCE_MAX || fseek(f, 0, SEEK_SET) ||
	    !(*buf = malloc(n ? n : 1)) || fread(*buf, 1, n, f) != (size_t)n) {
		free(*buf);
		*buf = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = n;
	return 0;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int open_ak(const struct attest_opts *o, struct leo_tpm *tpm,
		   ESYS_TR *ak, TPM2B_PUBLIC *pub)
{
	if (leo_tpm_open(tpm, o->tcti)) {
		fprintf(stderr, "leoctl attest: %s\n", tpm->err);
		return -1;
	}
	if (attest_ak_get(tpm->esys, o->handle, o->alg, ak, pub)) {
		leo_tpm_close(tpm);
		return -1;
	}
	return 0;
}

static int write_public(const char *path, const TPMT_PUBLIC *pub)
{
	uint8_t buf[sizeof(TPMT_PUBLIC)];
	size_t len;

	if (attest_public_marshal(pub, buf, sizeof(buf), &len) ||
	    write_file(path, buf, len)) {
		fprintf(stderr, "leoctl attest: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* the EK public and, if the TPM holds one, its certificate */
static int export_ek(const struct attest_opts *o, struct leo_tpm *tpm)
{
	TPM2B_PUBLIC ek;
	ESYS_TR h;
	uint8_t *der = NULL;
	size_t len;
	int rc;

	if (attest_ek_create(tpm->esys, o->alg, &h, &ek))
		return -1;
	Esys_FlushContext(tpm->esys, h);
	if (o->ek_out && write_public(o->ek_out, &ek.publicArea))
		return -1;
	if (!o->ek_cert_out)
		return 0;
	rc = attest_ek_cert_read(tpm->esys, o->alg, &der, &len);
	if (rc == 1)
		fprintf(stderr, "leoctl attest: the TPM holds no EK certificate\n");
	else if (rc == 0 && write_file(o->ek_cert_out, der, len))
		rc = -1;
	free(der);
	return rc ? -1 : 0;
}

static int do_ak(const struct attest_opts *o)
{
	uint8_t buf[sizeof(TPMT_PUBLIC)];
	struct leo_tpm tpm;
	TPM2B_PUBLIC pub;
	ESYS_TR ak;
	size_t len;
	FILE *f;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->out)
		return bad_usage("ak needs --out");
	if (open_ak(o, &tpm, &ak, &pub))
		return LEOCTL_EXIT_ERROR;
	if (attest_public_marshal(&pub.publicArea, buf, sizeof(buf), &len) ||
	    write_file(o->out, buf, len))
		fprintf(stderr, "leoctl attest: cannot write %s\n", o->out);
	else if (o->pem && (!(f = fopen(o->pem, "w")) ||
			    attest_public_write_pem(&pub.publicArea, f) |
			    fclose(f)))
		fprintf(stderr, "leoctl attest: cannot write %s\n", o->pem);
	else if ((o->ek_out || o->ek_cert_out) && export_ek(o, &tpm))
		fprintf(stderr, "leoctl attest: EK export failed\n");
	else
		rc = LEOCTL_EXIT_OK;
	leo_tpm_close(&tpm);
	return rc;
}

/* the IMA log is read after the quote: it must cover what was quoted */
static int add_ima_log(const struct attest_opts *o, struct attest_evidence *ev,
		       uint8_t **log)
{
	size_t len, off;
	int rc = ima_log_read_file(o->ima_log, log, &len);

	if (rc) {
		fprintf(stderr, "leoctl attest: %s: %s\n", o->ima_log,
			strerror(-rc));
		return -1;
	}
	if (attest_ima_offset(*log, len, o->ima_start, &off)) {
		fprintf(stderr, "leoctl attest: IMA log has fewer than %llu entries\n",
			(unsigned long long)o->ima_start);
		return -1;
	}
	ev->ima_start = o->ima_start;
	ev->ima_log = *log + off;
	ev->ima_len = len - off;
	return 0;
}

static int do_quote(const struct attest_opts *o)
{
	struct attest_evidence *ev = calloc(1, sizeof(*ev));
	uint8_t qual[32], *log = NULL, *buf = NULL;
	struct leo_tpm tpm;
	TPM2B_PUBLIC pub;
	ESYS_TR ak;
	size_t len;
	int rc = LEOCTL_EXIT_ERROR;

	if (!ev)
		return LEOCTL_EXIT_ERROR;
	if (!o->out || !o->has_nonce || !o->has_binding ||
	    attest_qualifying_data(o->nonce, o->nonce_len, o->binding,
				   o->binding_len, qual)) {
		free(ev);
		return bad_usage("quote needs --out, --nonce (16-64 bytes) and --binding (0-64 bytes)");
	}
	if (open_ak(o, &tpm, &ak, &pub)) {
		free(ev);
		return LEOCTL_EXIT_ERROR;
	}
	if (!attest_quote(&tpm, ak, &pub.publicArea, o->pcrs, qual, ev) &&
	    !add_ima_log(o, ev, &log) &&
	    !attest_evidence_encode(ev, &buf, &len) &&
	    !write_file(o->out, buf, len))
		rc = LEOCTL_EXIT_OK;
	else
		fprintf(stderr, "leoctl attest: no evidence written\n");
	leo_tpm_close(&tpm);
	free(buf);
	free(log);
	free(ev);
	return rc;
}

static int load_public(const char *path, TPMT_PUBLIC *ak)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (read_file(path, &buf, &len))
		return -1;
	rc = attest_public_unmarshal(buf, len, ak);
	free(buf);
	return rc;
}

static void print_result(const struct attest_result *res)
{
	if (leoctl_json)
		attest_result_print_json(res, stdout);
	else
		attest_result_print(res, stdout);
}

static int do_verify(const struct attest_opts *o)
{
	struct attest_peer *peer = calloc(1, sizeof(*peer));
	struct attest_expect exp = { o->nonce, o->nonce_len, o->binding,
				     o->binding_len };
	struct attest_policy *pol = NULL;
	struct attest_result res;
	uint8_t *buf = NULL;
	TPMT_PUBLIC ak;
	char err[256];
	size_t len;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->evidence || !o->policy || !o->ak || !o->has_nonce ||
	    !o->has_binding) {
		free(peer);
		return bad_usage("verify needs --evidence, --policy, --ak, --nonce and --binding");
	}
	if (!peer || load_public(o->ak, &ak) || attest_peer_init(peer, &ak))
		fprintf(stderr, "leoctl attest: %s is not a valid AK public\n",
			o->ak);
	else if (!(pol = attest_policy_load(o->policy, err, sizeof(err))))
		fprintf(stderr, "leoctl attest: policy: %s\n", err);
	else if (read_file(o->evidence, &buf, &len))
		fprintf(stderr, "leoctl attest: cannot read %s\n", o->evidence);
	else {
		rc = attest_verify_buf(peer, pol, &exp, buf, len, &res) ?
		     LEOCTL_EXIT_ERROR : LEOCTL_EXIT_OK;
		print_result(&res);
	}
	attest_policy_free(pol);
	free(buf);
	free(peer);
	return rc;
}

/* the same judgement, reasons and exit codes as verify, without a quote */
static int do_check_log(const struct attest_opts *o)
{
	struct attest_policy *pol;
	struct attest_result res;
	uint8_t *log = NULL;
	char err[256];
	size_t len;
	int rc;

	if (!o->policy || !o->log)
		return bad_usage("check-log needs --policy and --log");
	if (!(pol = attest_policy_load(o->policy, err, sizeof(err)))) {
		fprintf(stderr, "leoctl attest: policy: %s\n", err);
		return LEOCTL_EXIT_ERROR;
	}
	rc = ima_log_read_file(o->log, &log, &len);
	if (rc) {
		fprintf(stderr, "leoctl attest: %s: %s\n", o->log, strerror(-rc));
		attest_policy_free(pol);
		return LEOCTL_EXIT_ERROR;
	}
	rc = attest_check_log(pol, log, len,
			      o->ascii ? ATTEST_LOG_ASCII : ATTEST_LOG_BINARY,
			      &res) ? LEOCTL_EXIT_ERROR : LEOCTL_EXIT_OK;
	print_result(&res);
	attest_policy_free(pol);
	free(log);
	return rc;
}

static int write_challenge(const struct attest_opts *o,
			   const struct attest_challenge *ch,
			   const uint8_t secret[ATTEST_CRED_SECRET_LEN])
{
	uint8_t wire[ATTEST_CHALLENGE_MAX];
	size_t len;

	if (attest_challenge_marshal(ch, wire, sizeof(wire), &len) ||
	    write_file(o->out, wire, len) ||
	    write_file(o->secret_out, secret, ATTEST_CRED_SECRET_LEN)) {
		fprintf(stderr, "leoctl attest: cannot write the challenge\n");
		return -1;
	}
	return 0;
}

static int do_challenge(const struct attest_opts *o)
{
	struct attest_ek_policy pol = {
		.allow_uncertified_ek = o->allow_uncertified_ek };
	struct attest_ek_trust *trust = NULL;
	uint8_t secret[ATTEST_CRED_SECRET_LEN], *cert = NULL;
	struct attest_challenge ch;
	TPMT_PUBLIC ek, ak;
	const char *why = "cannot read the EK certificate";
	char err[512];
	size_t cert_len = 0;
	bool certified;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->ek || !o->ak || !o->out || !o->secret_out)
		return bad_usage("challenge needs --ek, --ak, --out and --secret-out");
	if (!o->ek_ca_dir && !o->allow_uncertified_ek)
		return bad_usage("challenge needs --ek-ca-dir DIR (trusted EK roots), or --allow-uncertified-ek to accept an EK without a certificate");
	if (o->n_intermediates && !o->ek_ca_dir)
		return bad_usage("--ek-intermediate needs --ek-ca-dir");
	if (o->ek_ca_dir &&
	    !(trust = attest_ek_trust_load(o->ek_ca_dir, o->intermediates,
					   o->n_intermediates, err,
					   sizeof(err)))) {
		fprintf(stderr, "leoctl attest: %s\n", err);
		return LEOCTL_EXIT_ERROR;
	}
	pol.trust = trust;
	if (load_public(o->ek, &ek) || load_public(o->ak, &ak))
		fprintf(stderr, "leoctl attest: bad EK or AK public file\n");
	else if (o->ek_cert && read_file(o->ek_cert, &cert, &cert_len))
		fprintf(stderr, "leoctl attest: %s\n", why);
	else if (attest_enroll_challenge(&ek, cert, cert_len, &ak, &pol,
					 &certified, &ch, secret, &why))
		fprintf(stderr, "leoctl attest: refused: %s\n", why);
	else if (!write_challenge(o, &ch, secret)) {
		printf(certified ? "EK certified: its certificate chains to a root in %s\n" :
		       "EK UNCERTIFIED: accepted only because of --allow-uncertified-ek%s\n",
		       certified ? o->ek_ca_dir : "");
		rc = LEOCTL_EXIT_OK;
	}
	attest_ek_trust_free(trust);
	free(cert);
	return rc;
}

static int do_activate(const struct attest_opts *o)
{
	struct attest_challenge ch;
	struct leo_tpm tpm;
	TPM2B_PUBLIC pub, ekpub;
	TPM2B_DIGEST answer;
	ESYS_TR ak, ek;
	uint8_t *buf = NULL;
	size_t len;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->challenge || !o->out)
		return bad_usage("activate needs --challenge and --out");
	if (read_file(o->challenge, &buf, &len) ||
	    attest_challenge_unmarshal(buf, len, &ch)) {
		fprintf(stderr, "leoctl attest: %s is not a challenge\n",
			o->challenge);
		free(buf);
		return LEOCTL_EXIT_ERROR;
	}
	free(buf);
	if (open_ak(o, &tpm, &ak, &pub))
		return LEOCTL_EXIT_ERROR;
	if (!attest_ek_create(tpm.esys, o->alg, &ek, &ekpub)) {
		if (!attest_activate_credential(tpm.esys, ek, ak, &ch, &answer) &&
		    !write_file(o->out, answer.buffer, answer.size))
			rc = LEOCTL_EXIT_OK;
		Esys_FlushContext(tpm.esys, ek);
	}
	leo_tpm_close(&tpm);
	return rc;
}

static int do_check(const struct attest_opts *o)
{
	uint8_t *answer = NULL, *secret = NULL, id[ATTEST_SHA256_LEN];
	size_t alen = 0, slen = 0;
	TPM2B_DIGEST got = { 0 };
	TPMT_PUBLIC ak;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->answer || !o->secret || !o->ak)
		return bad_usage("check needs --answer, --secret and --ak");
	if (read_file(o->answer, &answer, &alen) ||
	    read_file(o->secret, &secret, &slen) || load_public(o->ak, &ak) ||
	    slen != ATTEST_CRED_SECRET_LEN || alen > sizeof(got.buffer)) {
		fprintf(stderr, "leoctl attest: cannot read answer, secret or AK\n");
	} else {
		got.size = alen;
		memcpy(got.buffer, answer, alen);
		if (attest_credential_matches(&got, secret) &&
		    !attest_public_id(&ak, id)) {
			printf("AK proven by activation; peer id ");
			for (int i = 0; i < ATTEST_SHA256_LEN; i++)
				printf("%02x", id[i]);
			printf("\n");
			rc = LEOCTL_EXIT_OK;
		} else {
			printf("activation answer is wrong: AK not proven\n");
		}
	}
	free(answer);
	free(secret);
	return rc;
}

static int do_export(const struct attest_opts *o)
{
	struct attest_evidence ev;
	const char *why;
	char pcrs[128];
	uint8_t *buf;
	size_t len;
	int rc = LEOCTL_EXIT_ERROR;

	if (!o->evidence || !o->dir)
		return bad_usage("export needs --evidence and --dir");
	if (read_file(o->evidence, &buf, &len))
		fprintf(stderr, "leoctl attest: cannot read %s\n", o->evidence);
	else if (attest_evidence_decode(buf, len, &ev, &why))
		fprintf(stderr, "leoctl attest: %s: %s\n", o->evidence, why);
	else if (attest_export_checkquote(&ev, o->dir, pcrs, sizeof(pcrs)))
		fprintf(stderr, "leoctl attest: cannot write into %s\n", o->dir);
	else {
		printf("tpm2_checkquote -u %s/ak.pem -m %s/quote.msg -s %s/quote.sig -f %s/pcrs.bin -l %s -g sha256 -q ",
		       o->dir, o->dir, o->dir, o->dir, pcrs);
		for (int i = 0; i < ev.attest.extraData.size; i++)
			printf("%02x", ev.attest.extraData.buffer[i]);
		printf("\n");
		rc = LEOCTL_EXIT_OK;
	}
	free(buf);
	return rc;
}

int cmd_attest(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(const struct attest_opts *o);
	} subs[] = {
		{ "ak", do_ak }, { "quote", do_quote },
		{ "verify", do_verify }, { "export", do_export },
		{ "challenge", do_challenge }, { "activate", do_activate },
		{ "check", do_check }, { "check-log", do_check_log },
	};
	struct attest_opts o;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? LEOCTL_EXIT_USAGE : LEOCTL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name))
			continue;
		if (parse_opts(&o, argc - 1, argv + 1))
			return bad_usage("bad or unknown option");
		return subs[i].run(&o);
	}
	return bad_usage("unknown subcommand");
}
