// SPDX-License-Identifier: GPL-2.0
/*
 * Attestation benchmark: quote latency on swtpm, full verification of
 * evidence with a 10,000-entry IMA log, incremental verification of 100
 * new entries, verifications per second, policy parse time. Prints a
 * Markdown table. Meant to run pinned to one core (run.sh does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "attest/quote.h"
#include "attest/test/host.h"
#include "attest/verify.h"

#define LOG_ENTRIES 10000
#define NEW_ENTRIES 100
#define RUNS 21

static const uint8_t nonce[32] = "benchmark nonce, 32 bytes long.";
static const uint8_t binding[32] = "benchmark channel binding value";

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static char *policy_json(size_t n, size_t *len)
{
	char *json = malloc(n * 110 + 64);
	uint8_t d[32];
	char path[48];
	size_t k = 0;

	k += sprintf(json, "{\"digests\":{");
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/usr/lib/bench/file-%zu", i);
		SHA256((const uint8_t *)path, strlen(path), d);
		k += sprintf(json + k, "%s\"%s\":[\"", i ? "," : "", path);
		for (int b = 0; b < 32; b++)
			k += sprintf(json + k, "%02x", d[b]);
		k += sprintf(json + k, "\"]");
	}
	k += sprintf(json + k, "},\"excludes\":[\"/tmp/\"]}");
	*len = k;
	return json;
}

static void measure_files(struct host *h, size_t from, size_t to)
{
	uint8_t zeros[10 * 32] = { 0 }, ba[32];
	char path[48];

	if (from == 0) {	/* IMA's first entry: PCRs 0-9, zero in swtpm */
		SHA256(zeros, sizeof(zeros), ba);
		testlog_add_ng(&h->log, ATTEST_IMA_PCR, "ima-ng", "sha256", ba,
			       32, "boot_aggregate", NULL, 0, false);
	}
	for (size_t i = from; i < to; i++) {
		snprintf(path, sizeof(path), "/usr/lib/bench/file-%zu", i);
		host_measure(h, path);
	}
	if (host_extend(h)) {
		fprintf(stderr, "bench: PCR extend failed\n");
		exit(1);
	}
}

static double bench_quote(enum attest_key_alg alg)
{
	struct attest_evidence *ev = calloc(1, sizeof(*ev));
	double t[RUNS];
	uint8_t qual[32];
	struct host h;

	if (host_start(&h, alg, false))
		exit(1);
	attest_qualifying_data(nonce, 32, binding, 32, qual);
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_us();

		if (attest_quote(&h.lt, h.ak, &h.ak_pub.publicArea, 0, qual, ev))
			exit(1);
		t[i] = now_us() - t0;
	}
	host_stop(&h);
	free(ev);
	return median(t, RUNS);
}

/* median µs of verifying @buf against a copy of @start each time */
static double bench_verify(const struct attest_peer *start,
			   const struct attest_policy *pol, uint8_t *buf,
			   size_t len, int runs, struct attest_result *res)
{
	struct attest_expect exp = { nonce, 32, binding, 32 };
	struct attest_peer *peer = malloc(sizeof(*peer));
	double *t = calloc(runs, sizeof(*t));
	double m;

	for (int i = 0; i < runs; i++) {
		double t0;

		*peer = *start;
		t0 = now_us();
		if (attest_verify_buf(peer, pol, &exp, buf, len, res)) {
			attest_result_print(res, stderr);
			exit(1);
		}
		t[i] = now_us() - t0;
	}
	m = median(t, runs);
	free(t);
	free(peer);
	return m;
}

int main(void)
{
	struct attest_peer *fresh = calloc(1, sizeof(*fresh));
	struct attest_peer *after = calloc(1, sizeof(*after));
	struct attest_expect exp = { nonce, 32, binding, 32 };
	struct attest_policy *pol;
	struct attest_result res;
	double q_ecc, q_rsa, parse, full, incr, t0;
	uint8_t *full_ev, *incr_ev;
	size_t full_len, incr_len, jlen;
	char *json, err[128];
	struct host h;

	setenv("TSS2_LOG", "all+none", 1);
	q_ecc = bench_quote(ATTEST_KEY_ECC);
	q_rsa = bench_quote(ATTEST_KEY_RSA);

	json = policy_json(LOG_ENTRIES + NEW_ENTRIES, &jlen);
	t0 = now_us();
	pol = attest_policy_parse(json, jlen, err, sizeof(err));
	parse = now_us() - t0;
	if (!pol) {
		fprintf(stderr, "bench: policy: %s\n", err);
		return 1;
	}
	if (host_start(&h, ATTEST_KEY_ECC, false))
		return 1;
	measure_files(&h, 0, LOG_ENTRIES);
	host_evidence(&h, nonce, 32, binding, 32, 0, &full_ev, &full_len);
	attest_peer_init(fresh, &h.ak_pub.publicArea);
	full = bench_verify(fresh, pol, full_ev, full_len, RUNS, &res);
	*after = *fresh;
	attest_verify_buf(after, pol, &exp, full_ev, full_len, &res);
	measure_files(&h, LOG_ENTRIES, LOG_ENTRIES + NEW_ENTRIES);
	host_evidence(&h, nonce, 32, binding, 32, LOG_ENTRIES, &incr_ev,
		      &incr_len);
	incr = bench_verify(after, pol, incr_ev, incr_len, 201, &res);

	printf("| measurement (one core, swtpm, ECC P-256 AK unless noted) | result |\n");
	printf("|---|---|\n");
	printf("| quote latency, ECC P-256 AK (TPM2_Quote + PCR read) | %.2f ms |\n",
	       q_ecc / 1000);
	printf("| quote latency, RSA 2048 AK | %.2f ms |\n", q_rsa / 1000);
	printf("| policy parse + index, %d paths (once, not per quote) | %.1f ms |\n",
	       LOG_ENTRIES + NEW_ENTRIES, parse / 1000);
	printf("| full verification, %d-entry IMA log (%zu KiB evidence) | %.2f ms |\n",
	       LOG_ENTRIES, full_len / 1024, full / 1000);
	printf("| incremental verification, %d new entries | %.3f ms |\n",
	       NEW_ENTRIES, incr / 1000);
	printf("| verifications per second, full (10,000 entries) | %.0f /s |\n",
	       1e6 / full);
	printf("| verifications per second, incremental (100 entries) | %.0f /s |\n",
	       1e6 / incr);
	free(full_ev);
	free(incr_ev);
	free(json);
	attest_policy_free(pol);
	host_stop(&h);
	free(fresh);
	free(after);
	return 0;
}
