// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end verification against real swtpm instances: activation,
 * quote, evidence, policy, incremental re-attestation, and each attack
 * rejected with the reason that names it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "attest/credential.h"
#include "attest/quote.h"
#include "attest/test/host.h"
#include "attest/test/tap.h"
#include "attest/verify.h"

static const uint8_t channel[32] = "tls-exporter of this connection";
static const uint8_t other_channel[32] = "tls-exporter of another one....";
static uint8_t pcr0_value[32];

struct round {
	uint8_t nonce[32];
	uint8_t *buf;
	size_t len;
	struct attest_expect exp;
	struct attest_result res;
};

static void fresh_nonce(struct round *r)
{
	static uint8_t counter;

	memset(r->nonce, 0, sizeof(r->nonce));
	r->nonce[0] = ++counter;
	memcpy(r->nonce + 1, "verifier nonce", 14);
	r->exp.nonce = r->nonce;
	r->exp.nonce_len = sizeof(r->nonce);
	r->exp.binding = channel;
	r->exp.binding_len = sizeof(channel);
}

/* a verifier round: fresh nonce, the host quotes, evidence from @start */
static void quote_round(struct host *h, struct round *r, size_t start)
{
	free(r->buf);
	fresh_nonce(r);
	if (host_evidence(h, r->nonce, sizeof(r->nonce), channel,
			  sizeof(channel), start, &r->buf, &r->len))
		tap_bail("quote failed");
}

static int verify(struct attest_peer *peer, const struct attest_policy *pol,
		  struct round *r)
{
	return attest_verify_buf(peer, pol, &r->exp, r->buf, r->len, &r->res);
}

static const char *first_reason(const struct round *r)
{
	return r->res.n_failures ?
	       attest_reason_name(r->res.failures[0].reason) : "none";
}

static void expect_fail(struct attest_peer *peer,
			const struct attest_policy *pol, struct round *r,
			enum attest_reason want, const char *what)
{
	struct attest_peer before = *peer;
	int rc = verify(peer, pol, r);

	tap_ok(rc != 0 && attest_result_has(&r->res, want) &&
	       !memcmp(&before, peer, sizeof(before)),
	       "%s: rejected, reason %s (first: %s), state unchanged", what,
	       attest_reason_name(want), first_reason(r));
}

static struct attest_policy *make_policy(const struct host *h,
					 const char *extra)
{
	static const char *const files[] = {
		"/usr/bin/leod", "/usr/lib/libc.so.6", "/etc/leo.conf",
		"/usr/sbin/init",
	};
	char *json = malloc(65536), err[160];
	size_t n = 0;
	struct attest_policy *p;
	uint8_t d[32];

	n += sprintf(json + n, "{\"meta\":{\"version\":1},\"release\":0,"
		     "\"digests\":{");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		SHA256((const uint8_t *)files[i], strlen(files[i]), d);
		n += sprintf(json + n, "%s\"%s\":[\"%s", i ? "," : "",
			     files[i], i % 2 ? "sha256:" : "");
		for (int k = 0; k < 32; k++)
			n += sprintf(json + n, "%02x", d[k]);
		n += sprintf(json + n, "\"]");
	}
	n += sprintf(json + n, "},\"excludes\":[\"/tmp/.*\",\"/var/log/\"],"
		     "\"pcrs\":{\"0\":[\"");
	for (int k = 0; k < 32; k++)
		n += sprintf(json + n, "%02x", pcr0_value[k]);
	n += sprintf(json + n, "\"]}%s}", extra ? extra : "");
	p = attest_policy_parse(json, n, err, sizeof(err));
	if (!p)
		tap_note("policy error: %s", err);
	free(json);
	(void)h;
	return p;
}

/* boot_aggregate over PCRs 0-9 as the kernel computes it */
static void add_boot_aggregate(struct host *h)
{
	uint8_t pcrs[ATTEST_PCR_COUNT][ATTEST_PCR_LEN], d[32];

	if (attest_pcr_read(&h->lt, 0x3ff, pcrs))
		tap_bail("PCR read");
	SHA256(&pcrs[0][0], 10 * ATTEST_PCR_LEN, d);
	memcpy(pcr0_value, pcrs[0], 32);
	testlog_add_ng(&h->log, ATTEST_IMA_PCR, "ima-ng", "sha256", d, 32,
		       "boot_aggregate", NULL, 0, false);
}

static void boot(struct host *h)
{
	if (host_extend_boot(h, 0, 0xa5))
		tap_bail("extend PCR 0");
	add_boot_aggregate(h);
	host_measure(h, "/usr/sbin/init");
	host_measure(h, "/usr/lib/libc.so.6");
	host_measure(h, "/usr/bin/leod");
	host_measure(h, "/tmp/scratch-1");
	if (host_extend(h))
		tap_bail("extend PCR 10");
}

static void activate(struct host *h, struct attest_peer *peer)
{
	struct attest_challenge ch;
	uint8_t expect[ATTEST_CRED_SECRET_LEN];
	TPM2B_DIGEST answer;

	tap_ok(attest_make_credential(&h->ek_pub.publicArea,
				      &h->ak_pub.publicArea, &ch, expect) == 0 &&
	       attest_activate_credential(h->lt.esys, h->ek, h->ak, &ch,
					  &answer) == 0 &&
	       attest_credential_matches(&answer, expect) &&
	       attest_peer_init(peer, &h->ak_pub.publicArea) == 0,
	       "credential activation proves the AK; peer registered");
}

static void test_happy(struct host *h, struct attest_peer *peer,
		       const struct attest_policy *pol, struct round *r)
{
	int rc;

	quote_round(h, r, 0);
	rc = verify(peer, pol, r);
	tap_ok(rc == 0 && r->res.full && r->res.entries_new == 5,
	       "full evidence passes (%llu entries, %zu bytes, first: %s)",
	       (unsigned long long)r->res.entries_new, r->len,
	       first_reason(r));
	/* incremental: 3 new files, one not yet extended when quoting */
	host_measure(h, "/etc/leo.conf");
	host_measure(h, "/var/log/leo.log");
	host_extend(h);
	host_measure(h, "/tmp/scratch-2");
	quote_round(h, r, peer->replay.entries);
	tap_ok(verify(peer, pol, r) == 0 && !r->res.full &&
	       r->res.entries_new == 2 && r->res.entries_total == 7,
	       "incremental evidence passes: 2 new entries replayed, 1 not yet quoted (%s)",
	       first_reason(r));
	host_extend(h);
	{
		/* a verifier restart in between: state saved and loaded */
		static uint8_t saved[ATTEST_PEER_SAVE_LEN];

		attest_peer_save(peer, saved);
		memset(peer, 0, sizeof(*peer));
		tap_ok(attest_peer_load(peer, saved, sizeof(saved)) == 0,
		       "peer state saved and loaded");
		saved[4] = 2;
		tap_ok(attest_peer_load(peer, saved, sizeof(saved)) != 0,
		       "state of another version refused");
	}
	quote_round(h, r, peer->replay.entries);
	tap_ok(verify(peer, pol, r) == 0 && r->res.entries_new == 1 &&
	       r->res.entries_total == 8,
	       "the uncovered entry is verified next time");
}

static void test_freshness(struct host *h, struct attest_peer *peer,
			   const struct attest_policy *pol, struct round *r)
{
	struct round old = { 0 };
	size_t start = peer->replay.entries;

	quote_round(h, r, start);
	old = *r;
	old.buf = malloc(r->len);
	memcpy(old.buf, r->buf, r->len);
	fresh_nonce(r);	/* verifier expects another nonce */
	expect_fail(peer, pol, r, ATTEST_R_QUALIFYING, "wrong nonce");
	quote_round(h, r, start);
	r->exp.binding = other_channel;
	expect_fail(peer, pol, r, ATTEST_R_QUALIFYING,
		    "quote bound to another channel");
	/* a new round: the attacker replays the old quote */
	fresh_nonce(r);
	free(r->buf);
	r->buf = old.buf;
	r->len = old.len;
	expect_fail(peer, pol, r, ATTEST_R_QUALIFYING, "replayed old quote");
	/* a verifier that reuses a nonce still catches the replay by clock */
	quote_round(h, r, start);
	tap_ok(verify(peer, pol, r) == 0, "fresh quote passes");
	expect_fail(peer, pol, r, ATTEST_R_CLOCK_STALLED,
		    "same quote verified twice");
}

static void tamper_entry(struct round *r, const char *needle)
{
	for (size_t i = 0; i + strlen(needle) < r->len; i++) {
		if (!memcmp(r->buf + i, needle, strlen(needle))) {
			r->buf[i + 1] ^= 0x20;	/* /usr -> /Usr */
			return;
		}
	}
	tap_bail("needle not found");
}

static void test_log_attacks(struct host *h, struct attest_peer *peer,
			     const struct attest_policy *pol, struct round *r)
{
	struct attest_peer fresh = *peer;
	size_t cut;

	quote_round(h, r, 0);
	tamper_entry(r, "/usr/bin/leod");
	expect_fail(&fresh, pol, r, ATTEST_R_IMA_LOG, "one tampered IMA entry");

	/* truncated at an entry boundary: the log never reaches PCR 10 */
	quote_round(h, r, 0);
	cut = h->log.len - h->log.entries[h->log.count - 3].offset;
	r->len -= cut;
	r->buf[8] = r->len >> 24;	/* fix the outer and IMA field lengths */
	r->buf[9] = r->len >> 16;
	r->buf[10] = r->len >> 8;
	r->buf[11] = r->len;
	{
		/* IMA_LOG is the last field: its length is at a known place */
		size_t fl = h->log.entries[h->log.count - 3].offset + 8;
		uint8_t *f = r->buf + r->len - fl - 4;

		f[0] = fl >> 24;
		f[1] = fl >> 16;
		f[2] = fl >> 8;
		f[3] = fl;
	}
	expect_fail(&fresh, pol, r, ATTEST_R_IMA_REPLAY, "truncated log");
	r->len -= 10;
	expect_fail(&fresh, pol, r, ATTEST_R_EVIDENCE,
		    "evidence cut in the middle");

	quote_round(h, r, peer->replay.entries - 1);
	expect_fail(peer, pol, r, ATTEST_R_IMA_GAP,
		    "log that does not start where verification stopped");
}

static void test_policy_attacks(struct host *h, struct attest_peer *peer,
				const struct attest_policy *pol,
				struct round *r)
{
	uint8_t d[32] = { 0xde, 0xad };
	struct attest_peer fresh;
	size_t start = peer->replay.entries;

	host_measure(h, "/usr/bin/evil");
	host_extend(h);
	quote_round(h, r, start);
	expect_fail(peer, pol, r, ATTEST_R_FILE_UNKNOWN, "unknown file");
	tap_ok(!strcmp(r->res.failures[0].path, "/usr/bin/evil") &&
	       !strncmp(r->res.failures[0].digest, "sha256:", 7) &&
	       r->res.failures[0].entry == (int64_t)start,
	       "failure names the file, its digest and entry: %s %s",
	       r->res.failures[0].path, r->res.failures[0].digest);

	/* a known path with another digest, on a fresh peer state */
	host_reboot(h);
	boot(h);
	testlog_add_ng(&h->log, ATTEST_IMA_PCR, "ima-ng", "sha256", d, 32,
		       "/usr/bin/leod", NULL, 0, false);
	host_extend(h);
	fresh = *peer;
	quote_round(h, r, 0);
	expect_fail(&fresh, pol, r, ATTEST_R_FILE_DIGEST,
		    "known file with an unknown digest");
}

static void test_pcr_attacks(struct host *h, struct attest_peer *peer,
			     const struct attest_policy *pol, struct round *r)
{
	struct attest_peer fresh = *peer;
	struct attest_policy *strict;

	quote_round(h, r, 0);
	/* PCR 0's value is the first in the PCRS field: flip a bit of it */
	for (size_t i = 12; i + 6 < r->len; i++) {
		if (!memcmp(r->buf + i, pcr0_value, 32)) {
			r->buf[i] ^= 1;
			break;
		}
	}
	expect_fail(&fresh, pol, r, ATTEST_R_PCR_DIGEST,
		    "reported PCR value differs from the quoted one");
	memset(pcr0_value, 0x11, 32);	/* golden value no longer matches */
	strict = make_policy(h, NULL);
	quote_round(h, r, 0);
	expect_fail(&fresh, strict, r, ATTEST_R_PCR_GOLDEN,
		    "boot PCR not a golden value");
	attest_policy_free(strict);
}

static void test_firmware(struct host *h, struct attest_peer *peer,
			  const struct attest_policy *pol, struct round *r)
{
	struct attest_peer changed = *peer;
	struct attest_policy *lax = make_policy(h,
		",\"leo\":{\"allow_firmware_change\":true}");
	int rc;

	changed.reset_count++;	/* as if we had seen a later boot before */
	quote_round(h, r, changed.replay.entries);
	expect_fail(&changed, pol, r, ATTEST_R_CLOCK_ROLLBACK,
		    "TPM reset count went back");
	changed = *peer;
	changed.restart_count++;
	expect_fail(&changed, pol, r, ATTEST_R_CLOCK_ROLLBACK,
		    "TPM restart count went back");
	changed = *peer;
	changed.firmware ^= 1;	/* as if the TPM had been updated since */
	quote_round(h, r, changed.replay.entries);
	expect_fail(&changed, pol, r, ATTEST_R_FIRMWARE,
		    "TPM firmware version changed");
	rc = verify(&changed, lax, r);
	tap_ok(rc == 0, "firmware change passes with allow_firmware_change (%s)",
	       first_reason(r));
	attest_policy_free(lax);
}

static void test_reboot(struct host *h, struct attest_peer *peer,
			const struct attest_policy *pol, struct round *r)
{
	size_t start;

	host_reboot(h);
	boot(h);
	int rc;

	quote_round(h, r, 0);
	rc = verify(peer, pol, r);
	tap_ok(rc == 0, "fresh boot: full log passes (%s)", first_reason(r));
	start = peer->replay.entries;
	host_measure(h, "/etc/leo.conf");
	host_extend(h);
	if (host_reboot(h))
		tap_bail("reboot");
	boot(h);
	host_measure(h, "/etc/leo.conf");
	host_extend(h);
	quote_round(h, r, start);
	expect_fail(peer, pol, r, ATTEST_R_REBOOT,
		    "reboot: incremental evidence refused");
	quote_round(h, r, 0);
	tap_ok(verify(peer, pol, r) == 0 && r->res.rebooted && r->res.full,
	       "reboot: full re-verification passes and reports the reboot");
}

static void test_ak_swap(struct host *h, struct host *other,
			 struct attest_peer *peer,
			 const struct attest_policy *pol, struct round *r)
{
	struct attest_evidence ev;
	struct attest_peer swapped;
	const char *why;
	uint8_t *buf;
	size_t len;

	/* evidence from another TPM: its AK is not the activated one */
	fresh_nonce(r);
	free(r->buf);
	if (host_evidence(other, r->nonce, sizeof(r->nonce), channel,
			  sizeof(channel), 0, &r->buf, &r->len))
		tap_bail("other quote");
	expect_fail(peer, pol, r, ATTEST_R_AK_UNKNOWN,
		    "quote by an AK of another TPM");

	/* our quote, but the evidence claims the other TPM's AK */
	quote_round(h, r, 0);
	if (attest_evidence_decode(r->buf, r->len, &ev, &why))
		tap_bail(why);
	ev.ak = other->ak_pub.publicArea;
	if (attest_evidence_encode(&ev, &buf, &len))
		tap_bail("encode");
	free(r->buf);
	r->buf = buf;
	r->len = len;
	attest_peer_init(&swapped, &other->ak_pub.publicArea);
	expect_fail(&swapped, pol, r, ATTEST_R_SIGNATURE,
		    "AK swapped between evidence and quote");
}

int main(void)
{
	struct host h, other;
	struct attest_peer *peer = calloc(1, sizeof(*peer));
	struct attest_policy *pol;
	struct round r = { 0 };

	setenv("TSS2_LOG", "all+none", 1);
	if (host_start(&h, ATTEST_KEY_ECC, false) ||
	    host_start(&other, ATTEST_KEY_ECC, false))
		tap_bail("cannot start swtpm hosts");
	boot(&h);
	boot(&other);
	pol = make_policy(&h, NULL);
	if (!pol)
		tap_bail("policy");
	activate(&h, peer);
	test_happy(&h, peer, pol, &r);
	test_freshness(&h, peer, pol, &r);
	test_log_attacks(&h, peer, pol, &r);
	test_ak_swap(&h, &other, peer, pol, &r);
	test_firmware(&h, peer, pol, &r);
	test_reboot(&h, peer, pol, &r);
	test_policy_attacks(&h, peer, pol, &r);
	test_pcr_attacks(&h, peer, pol, &r);
	free(r.buf);
	attest_policy_free(pol);
	free(peer);
	host_stop(&h);
	host_stop(&other);
	return tap_done();
}
