/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMA measurement log: a bounded streaming parser of
 * /sys/kernel/security/ima/binary_runtime_measurements and a replay engine
 * that recomputes the PCR values the log claims, per hash bank.
 *
 * Binary record layout (little endian, security/integrity/ima/ima_fs.c):
 *
 *   u32 pcr | u8 template_digest[20] (sha1) | u32 name_len | name
 *   then, for every template except "ima":
 *     u32 template_data_len | template data = fields, each u32 len + bytes
 *   for the original "ima" template (no template data length):
 *     u8 file_digest[20] | u32 path_len | path (no NUL)
 *
 * Templates understood: ima (d|n), ima-ng (d-ng|n-ng), ima-sig
 * (d-ng|n-ng|sig), ima-buf (d-ng|n-ng|buf). Any other template, and every
 * malformed record, is an error that names the entry index and its byte
 * offset; nothing is skipped (fail closed).
 *
 * Thread safety: an iterator and a replay state belong to one thread at a
 * time; different ones may be used concurrently. The only global state is
 * the replay's table of digest implementations, fetched once from OpenSSL
 * (pthread_once) and read-only afterwards.
 * Memory: the parser never allocates; entries point into the caller's
 * buffer (or into the iterator, see struct ima_entry.path).
 */
#ifndef LEO_IMA_LOG_H
#define LEO_IMA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMA_PCR_COUNT		24	/* PCR indices a record may name */
#define IMA_SHA1_LEN		20	/* template digest in the record */
#define IMA_MAX_DIGEST		64	/* largest digest (sha512) */

/* Sanity limits; a record beyond them is rejected, never allocated. */
#define IMA_TEMPLATE_NAME_MAX	64	/* bytes of a template name */
#define IMA_TEMPLATE_DATA_MAX	(1U << 20)	/* bytes of template data */
#define IMA_PATH_MAX		4096	/* n-ng field incl. its NUL */
#define IMA_OLD_NAME_MAX	255	/* "ima" template name, no NUL */
#define IMA_DEFAULT_MAX_ENTRIES	(1U << 22)	/* per pass of an iterator, settable */

enum ima_template {
	IMA_TEMPLATE_IMA,		/* d | n (sha1 or md5 file digest) */
	IMA_TEMPLATE_IMA_NG,		/* d-ng | n-ng */
	IMA_TEMPLATE_IMA_SIG,		/* d-ng | n-ng | sig */
	IMA_TEMPLATE_IMA_BUF,		/* d-ng | n-ng | buf */
};

/* Algorithm of a file (or buffer) digest in the d-ng field. */
enum ima_hash_algo {
	IMA_HASH_MD5,
	IMA_HASH_SHA1,
	IMA_HASH_SHA224,
	IMA_HASH_SHA256,
	IMA_HASH_SHA384,
	IMA_HASH_SHA512,
	IMA_HASH_SM3,
	IMA_HASH__COUNT
};

/* PCR banks the replay engine computes. */
enum ima_bank {
	IMA_BANK_SHA1,
	IMA_BANK_SHA256,
	IMA_BANK_SHA384,
	IMA_BANK_SHA512,
	IMA_BANK__COUNT
};
#define IMA_BANK_BIT(b)		(1U << (b))
#define IMA_BANKS_DEFAULT	(IMA_BANK_BIT(IMA_BANK_SHA1) | \
				 IMA_BANK_BIT(IMA_BANK_SHA256))

/* Where a parse or replay failed, and why ("entry 3 at offset 412: ..."). */
struct ima_log_error {
	uint64_t index;			/* entry number, from 0 */
	uint64_t offset;		/* byte offset of that entry */
	char msg[224];
};

/*
 * Fill @err, if not NULL, for entry @index at byte @offset: its message
 * reads "entry INDEX at offset OFFSET: " followed by @fmt. Returns -1, so
 * that a failing parser can return it directly.
 */
int ima_log_error_set(struct ima_log_error *err, uint64_t index,
		      uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * One parsed record. Pointers refer to the log buffer, which must outlive
 * the entry, except @path, which for the "ima" template is copied into the
 * iterator (its record has no NUL) and is valid until the next
 * ima_log_next() on that iterator.
 */
struct ima_entry {
	uint64_t index;			/* entry number, from 0 */
	uint64_t offset;		/* byte offset of the record */
	uint32_t record_len;		/* bytes of the whole record */
	uint32_t pcr;			/* < IMA_PCR_COUNT */
	const uint8_t *template_digest;	/* IMA_SHA1_LEN bytes, as logged */
	bool violation;			/* template digest all zero */
	enum ima_template template_id;
	const char *template_name;	/* not NUL-terminated */
	uint32_t template_name_len;
	/* Template data as in the record (for "ima": digest|len|path). */
	const uint8_t *template_data;
	uint32_t template_data_len;

	enum ima_hash_algo digest_algo;	/* "ima": always IMA_HASH_SHA1 */
	const uint8_t *digest;		/* file/buffer digest (zeros if violation) */
	uint32_t digest_len;		/* == ima_hash_algo_size(digest_algo) */
	const char *path;		/* NUL-terminated, no embedded NUL */
	uint32_t path_len;		/* strlen(path) */
	const uint8_t *sig;		/* ima-sig only; NULL if none */
	uint32_t sig_len;		/* 0 if empty or not ima-sig */
	const uint8_t *buf;		/* ima-buf only; NULL otherwise */
	uint32_t buf_len;
};

struct ima_log_iter {
	const uint8_t *log;
	size_t len;
	size_t off;			/* offset of the next record */
	uint64_t index;			/* index of the next record */
	uint64_t first;			/* index this pass started at */
	uint64_t max_entries;		/* error once index - first reaches it:
					 * a cap on what one pass (one
					 * evidence) carries, not on the
					 * absolute entry number */
	char old_path[IMA_OLD_NAME_MAX + 1];
};

/* Iterate over @len bytes at @log from the first record. */
void ima_log_iter_init(struct ima_log_iter *it, const void *log, size_t len);

/*
 * Start at byte @offset, which must be the first byte of record @index
 * (as remembered from an earlier pass, e.g. struct ima_replay.offset).
 * Returns -1 with @err set if @offset lies past the end of the log.
 */
int ima_log_iter_init_at(struct ima_log_iter *it, const void *log, size_t len,
			 uint64_t offset, uint64_t index,
			 struct ima_log_error *err);

/*
 * Parse the next record into @e. Returns 1 for an entry, 0 at the end of
 * the log, -1 on a malformed record (then @err says which and why, and the
 * iterator stays on that record: calling again fails the same way).
 */
int ima_log_next(struct ima_log_iter *it, struct ima_entry *e,
		 struct ima_log_error *err);

/* Count the records of a whole log; -1 with @err on the first bad one. */
int64_t ima_log_count(const void *log, size_t len, struct ima_log_error *err);

const char *ima_template_name(enum ima_template t);
const char *ima_hash_algo_name(enum ima_hash_algo a);	/* "sha256" */
uint32_t ima_hash_algo_size(enum ima_hash_algo a);	/* bytes */
/* Parse "sha256" etc.; returns -1 if unknown. */
int ima_hash_algo_from_name(const char *name, size_t len);

const char *ima_bank_name(enum ima_bank b);		/* "sha256" */
uint32_t ima_bank_size(enum ima_bank b);		/* bytes */
int ima_bank_from_name(const char *name);		/* -1 if unknown */

/*
 * Hash of the entry's template data for @bank, as the kernel computes it
 * (for "ima": digest followed by the path padded with zeros to 256 bytes).
 * For IMA_BANK_SHA1 it must equal e->template_digest unless e->violation.
 * @out holds ima_bank_size(bank) bytes. Returns 0, or -1 if the digest
 * library fails.
 */
int ima_entry_template_hash(const struct ima_entry *e, enum ima_bank bank,
			    uint8_t *out);

/*
 * Replay state. Plain data: saving it is a struct copy (or
 * ima_replay_save()), and replaying new entries later continues from it.
 */
struct ima_replay {
	uint32_t banks;			/* IMA_BANK_BIT() mask replayed */
	uint32_t pcrs_used;		/* bit n: PCR n extended at least once */
	uint64_t entries;		/* records consumed */
	uint64_t offset;		/* byte offset of the next record */
	uint64_t violations;		/* violation records consumed */
	uint64_t last_offset;		/* offset of the last record consumed */
	uint8_t last_digest[IMA_SHA1_LEN];	/* its template digest */
	uint8_t pcr[IMA_BANK__COUNT][IMA_PCR_COUNT][IMA_MAX_DIGEST];
};

/* Fresh state (all PCRs zero) replaying the banks in @banks. */
void ima_replay_init(struct ima_replay *r, uint32_t banks);

/*
 * Extend the state with one entry, which must be entry number
 * r->entries (in order, none skipped or repeated). Recomputes the template
 * hash and fails (-1, @err) if it differs from the logged sha1 template
 * digest, so that edited template data cannot hide behind the original
 * digest. Violations extend every bank with 0xff bytes.
 */
int ima_replay_entry(struct ima_replay *r, const struct ima_entry *e,
		     struct ima_log_error *err);

/* Replay every remaining entry of @it. 0, or -1 with @err. */
int ima_replay_all(struct ima_replay *r, struct ima_log_iter *it,
		   struct ima_log_error *err);

/*
 * Point @it at the first record not yet consumed by @r, in a freshly read
 * @log. Checks that the record @r consumed last is still there, unchanged
 * (same offset, same template digest): a different log (reboot, another
 * host) is an error, and the caller starts over with a fresh state.
 */
int ima_replay_resume(const struct ima_replay *r, struct ima_log_iter *it,
		      const void *log, size_t len, struct ima_log_error *err);

/* A PCR value to reach, e.g. from a TPM quote or PCR read. */
struct ima_pcr_target {
	enum ima_bank bank;
	uint32_t pcr;
	uint8_t digest[IMA_MAX_DIGEST];	/* ima_bank_size(bank) bytes used */
};

/* True if every target equals the state (banks not replayed: false). */
bool ima_replay_matches(const struct ima_replay *r,
			const struct ima_pcr_target *t, size_t n);

/*
 * The log and a quote are not atomic. Replay entries of @it into @r until
 * all @n targets match at once, checking before the first new entry too.
 * Returns 1 on a match (@r holds the state at the shortest matching
 * prefix; later entries are left in @it), 0 if no prefix matches, -1 on a
 * malformed or inconsistent entry (@err). On 0 and -1, @r is unchanged.
 * @examined (may be NULL) receives the number of entries replayed.
 */
int ima_replay_until_match(struct ima_replay *r, struct ima_log_iter *it,
			   const struct ima_pcr_target *t, size_t n,
			   uint64_t *examined, struct ima_log_error *err);

/* Serialized replay state: versioned, little endian, fixed size. */
#define IMA_REPLAY_SAVE_LEN	(16 + 4 * 8 + IMA_SHA1_LEN + \
				 IMA_BANK__COUNT * IMA_PCR_COUNT * IMA_MAX_DIGEST)
void ima_replay_save(const struct ima_replay *r,
		     uint8_t out[IMA_REPLAY_SAVE_LEN]);
/* Returns 0, or -1 if @in is not a saved state of this version. */
int ima_replay_load(struct ima_replay *r, const uint8_t *in, size_t len);

/*
 * Whole-log check against PCR values read after the log's last entry was
 * written (read the PCRs first, then the log): does some prefix of the log
 * replay to all @n targets? Never skips a bad entry. Entries after the
 * matching prefix must parse, but are not replayed: the PCR values do not
 * cover them yet.
 */
enum ima_verify_status {
	IMA_VERIFY_MATCH,		/* a prefix replays to the targets */
	IMA_VERIFY_NO_MATCH,		/* well-formed, but no prefix does */
	IMA_VERIFY_BAD_LOG,		/* malformed or edited entry: @err */
};

struct ima_verify_result {
	enum ima_verify_status status;
	uint64_t log_entries;		/* entries parsed (before an error) */
	uint64_t matched_entries;	/* MATCH: length of the prefix */
	/* MATCH: state at the prefix; otherwise: after the whole log. */
	struct ima_replay replay;
	struct ima_log_error err;	/* BAD_LOG: the first bad entry */
};

/* Fills @res; returns 0 on IMA_VERIFY_MATCH, -1 otherwise. */
int ima_verify_log(const void *log, size_t len, uint32_t banks,
		   const struct ima_pcr_target *t, size_t n,
		   struct ima_verify_result *res);

#define IMA_LOG_DEFAULT_PATH \
	"/sys/kernel/security/ima/binary_runtime_measurements"
#define IMA_LOG_FILE_MAX	(256U << 20)	/* refuse larger logs */

/*
 * Read a whole log file (securityfs reports size 0, so it is read to EOF)
 * into a new buffer the caller frees. Returns 0, or a negative errno
 * (-EFBIG past IMA_LOG_FILE_MAX) and nothing to free.
 */
int ima_log_read_file(const char *path, uint8_t **log, size_t *len);

#endif /* LEO_IMA_LOG_H */
