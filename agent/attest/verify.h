/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verifier: checks one piece of evidence from a peer against the nonce
 * and channel binding it expects, the policy, and what it remembers of
 * that peer (struct attest_peer): the AK proven by credential activation,
 * the TPM clock seen last, and how far the IMA log is verified, so a
 * re-attestation replays only new entries.
 *
 * A peer's state is plain data owned by the caller; verifications of one
 * peer must be serialized, different peers may be verified concurrently
 * (the policy is read-only). The state advances only when evidence
 * passes; a failure leaves it as it was (fail closed).
 */
#ifndef ATTEST_VERIFY_H
#define ATTEST_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attest/evidence.h"
#include "attest/policy.h"
#include "ima/ima_log.h"
#include "ima/leo_records.h"

/* Why evidence failed; names in attest_reason_name() are stable. */
enum attest_reason {
	ATTEST_R_EVIDENCE,	/* "evidence": malformed encoding */
	ATTEST_R_AK_ATTRIBUTES,	/* "ak-attributes": not a proper AK */
	ATTEST_R_AK_UNKNOWN,	/* "ak-unknown": not the activated AK */
	ATTEST_R_QUOTE,		/* "quote": not a TPM-generated quote */
	ATTEST_R_SIGNER,	/* "signer": quote names another signer */
	ATTEST_R_SIGNATURE,	/* "signature": AK signature invalid */
	ATTEST_R_QUALIFYING,	/* "qualifying-data": nonce/binding wrong */
	ATTEST_R_PCR_SELECTION,	/* "pcr-selection": quote != reported */
	ATTEST_R_PCR_DIGEST,	/* "pcr-digest": values != quoted digest */
	ATTEST_R_PCR_GOLDEN,	/* "pcr-golden": boot PCR not allowed */
	ATTEST_R_CLOCK_ROLLBACK,/* "clock-rollback": counters decreased */
	ATTEST_R_CLOCK_STALLED,	/* "clock-stalled": clock did not advance */
	ATTEST_R_REBOOT,	/* "reboot": incremental log after a reboot */
	ATTEST_R_FIRMWARE,	/* "firmware": firmware version changed */
	ATTEST_R_IMA_LOG,	/* "ima-log": malformed or edited entry */
	ATTEST_R_IMA_GAP,	/* "ima-gap": log does not start where due */
	ATTEST_R_IMA_REPLAY,	/* "ima-replay": log never reaches PCR 10 */
	ATTEST_R_IMA_PCR,	/* "ima-pcr": entry for an unquoted PCR */
	ATTEST_R_FILE_UNKNOWN,	/* "file-unknown": path not in policy */
	ATTEST_R_FILE_DIGEST,	/* "file-digest": digest not allowed */
	ATTEST_R_VIOLATION,	/* "violation": open-writers/ToMToU entry */
	ATTEST_R_LEO_RECORD,	/* "leo-record": leo's own record rejected */
	ATTEST_R_IMA_MISSING,	/* "ima-missing": IMA required, not running */
	ATTEST_R_FILE_SIGNATURE,/* "file-signature": ima-sig signature bad,
				 * digest not allowed either */
	__ATTEST_R_MAX
};

#define ATTEST_MAX_FAILURES 16

struct attest_failure {
	enum attest_reason reason;
	int pcr;			/* -1 if none */
	int64_t entry;			/* IMA entry index, -1 if none */
	char path[256];			/* file or event name, "" if none */
	char digest[8 + 2 * IMA_MAX_DIGEST + 1];	/* "sha256:hex" */
	char detail[160];
};

struct attest_result {
	bool pass;
	bool rebooted;			/* TPM reset/restart since last time */
	bool full;			/* whole log replayed from entry 0 */
	uint64_t entries_new;		/* IMA entries verified this time */
	uint64_t entries_total;		/* verified prefix after this */
	uint64_t entries_pending;	/* judged too, but not yet quoted */
	bool no_quote;			/* attest_check_log: no PCR to replay
					 * against, the log is not proven */
	unsigned int n_failures;
	unsigned int more_failures;	/* not recorded: list was full */
	struct attest_failure failures[ATTEST_MAX_FAILURES];
};

struct attest_peer {
	bool ak_known;
	uint8_t ak_name[34];		/* TPM2B_NAME of the activated AK */
	bool seen;			/* fields below are valid */
	uint64_t clock;
	uint32_t reset_count, restart_count;
	uint64_t firmware;
	struct ima_replay replay;	/* verified IMA prefix */
	/* leo's own records seen in that prefix */
	struct leo_seq_tracker leo_seq;
	bool leo_sealed;
};

/* Start a peer whose AK was proven by credential activation */
int attest_peer_init(struct attest_peer *peer, const TPMT_PUBLIC *ak);

/*
 * Serialized peer state, so a verifier can keep it across restarts:
 * "LEOP" | u16 version 1 | fields, little endian, fixed size.
 */
#define ATTEST_PEER_SAVE_LEN (8 + 34 + 1 + 8 + 4 + 4 + 8 + 1 + 1 + 8 + 8 + \
			      1 + IMA_REPLAY_SAVE_LEN)
void attest_peer_save(const struct attest_peer *peer,
		      uint8_t out[ATTEST_PEER_SAVE_LEN]);
/* 0, or -1 if @in is not a saved state of this version (peer unchanged) */
int attest_peer_load(struct attest_peer *peer, const uint8_t *in, size_t len);

struct attest_expect {
	const uint8_t *nonce;
	size_t nonce_len;
	const uint8_t *binding;
	size_t binding_len;
};

/* Verify decoded evidence; fills @res; returns 0 if it passed, else -1 */
int attest_verify(struct attest_peer *peer, const struct attest_policy *pol,
		  const struct attest_expect *exp,
		  const struct attest_evidence *ev, struct attest_result *res);

/* Decode then verify; a decoding failure is reason "evidence" */
int attest_verify_buf(struct attest_peer *peer,
		      const struct attest_policy *pol,
		      const struct attest_expect *exp, const uint8_t *buf,
		      size_t len, struct attest_result *res);

enum attest_log_format {
	ATTEST_LOG_BINARY,	/* binary_runtime_measurements */
	ATTEST_LOG_ASCII,	/* ascii_runtime_measurements (ima/ima_ascii.h) */
};

/*
 * Check a stored IMA log against @pol without a quote (leoctl attest
 * check-log): every entry parses, its template hash (sha1) matches its
 * data, boot_aggregate comes first if the policy requires IMA (and equals
 * one of its pins if the policy pins it; unpinned it cannot be checked:
 * no PCRs), and every entry is judged by the same code as in
 * attest_verify, with the same reasons. Nothing is replayed: there is no
 * PCR to replay against, so the log itself is not proven (res->no_quote;
 * every entry counts in res->entries_pending). An ASCII log that does not
 * parse is reason "ima-log" naming the line. 0 if it passed, else -1.
 */
int attest_check_log(const struct attest_policy *pol, const void *log,
		     size_t len, enum attest_log_format format,
		     struct attest_result *res);

const char *attest_reason_name(enum attest_reason r);
bool attest_result_has(const struct attest_result *res, enum attest_reason r);
void attest_result_print(const struct attest_result *res, FILE *out);
/* one JSON object; -1 on error */
int attest_result_print_json(const struct attest_result *res, FILE *out);

#endif /* ATTEST_VERIFY_H */
