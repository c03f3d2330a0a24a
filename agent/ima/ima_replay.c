// SPDX-License-Identifier: GPL-2.0
/*
 * Replay of an IMA log into per-bank PCR values, as the kernel extends
 * them: pcr = H(pcr || H(template data)) for each bank's hash H, and
 * pcr = H(pcr || 0xff..ff) for a violation record.
 *
 * The state (struct ima_replay) is plain data owned by the caller, so
 * separate states may be replayed concurrently. The only global state is
 * the table of fetched digest implementations (see bank_md()); they are
 * kept for the life of the process, like OpenSSL's own default context.
 */
#include "ima/ima_log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#define REPLAY_MAGIC	0x52414d49U	/* "IMAR" */
#define REPLAY_VERSION	1U

/*
 * A PCR bank is named and sized after its hash algorithm (ima_log.c's
 * table); OpenSSL fetches the algorithm as @md_name.
 */
struct bank_info {
	enum ima_hash_algo algo;
	const char *md_name;
};

static const struct bank_info banks[IMA_BANK__COUNT] = {
	[IMA_BANK_SHA1] = { IMA_HASH_SHA1, "SHA1" },
	[IMA_BANK_SHA256] = { IMA_HASH_SHA256, "SHA256" },
	[IMA_BANK_SHA384] = { IMA_HASH_SHA384, "SHA384" },
	[IMA_BANK_SHA512] = { IMA_HASH_SHA512, "SHA512" },
};

/*
 * The digest implementations, fetched once: an implicit fetch on every
 * EVP_Digest() call costs about as much as hashing a short record. The
 * table is written once under pthread_once and only read afterwards.
 */
static EVP_MD *fetched_md[IMA_BANK__COUNT];
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_mds(void)
{
	for (int b = 0; b < IMA_BANK__COUNT; b++)
		fetched_md[b] = EVP_MD_fetch(NULL, banks[b].md_name, NULL);
}

static const EVP_MD *bank_md(enum ima_bank b)
{
	if ((unsigned int)b >= IMA_BANK__COUNT ||
	    pthread_once(&fetch_once, fetch_mds))
		return NULL;
	return fetched_md[b];
}

const char *ima_bank_name(enum ima_bank b)
{
	return (unsigned int)b < IMA_BANK__COUNT ?
	       ima_hash_algo_name(banks[b].algo) : "?";
}

uint32_t ima_bank_size(enum ima_bank b)
{
	return (unsigned int)b < IMA_BANK__COUNT ?
	       ima_hash_algo_size(banks[b].algo) : 0;
}

int ima_bank_from_name(const char *name)
{
	for (int b = 0; b < IMA_BANK__COUNT; b++)
		if (!strcmp(ima_bank_name(b), name))
			return b;
	return -1;
}

/* Record the failure of entry @e. */
#define replay_fail(e, err, ...) \
	ima_log_error_set((err), (e)->index, (e)->offset, __VA_ARGS__)

static int digest(enum ima_bank b, const void *data, size_t len, uint8_t *out)
{
	const EVP_MD *md = bank_md(b);

	if (!md || !EVP_Digest(data, len, out, NULL, md, NULL))
		return -1;
	return 0;
}

int ima_entry_template_hash(const struct ima_entry *e, enum ima_bank bank,
			    uint8_t *out)
{
	/* "ima" template: file digest, then the path padded to 256 bytes. */
	uint8_t old[IMA_SHA1_LEN + IMA_OLD_NAME_MAX + 1];

	if (e->template_id != IMA_TEMPLATE_IMA)
		return digest(bank, e->template_data, e->template_data_len,
			      out);
	memset(old, 0, sizeof(old));
	memcpy(old, e->digest, IMA_SHA1_LEN);
	memcpy(old + IMA_SHA1_LEN, e->path, e->path_len);
	return digest(bank, old, sizeof(old), out);
}

static int extend(uint8_t *pcr, enum ima_bank b, const uint8_t *value)
{
	uint8_t buf[2 * IMA_MAX_DIGEST];
	uint32_t size = ima_bank_size(b);

	memcpy(buf, pcr, size);
	memcpy(buf + size, value, size);
	return digest(b, buf, 2 * size, pcr);
}

void ima_replay_init(struct ima_replay *r, uint32_t bank_mask)
{
	memset(r, 0, sizeof(*r));
	r->banks = bank_mask & ((1U << IMA_BANK__COUNT) - 1);
}

/* Extend every replayed bank with @sha1 (already computed) or a rehash. */
static int extend_banks(struct ima_replay *r, const struct ima_entry *e,
			const uint8_t *sha1, struct ima_log_error *err)
{
	uint8_t value[IMA_MAX_DIGEST];

	for (int b = 0; b < IMA_BANK__COUNT; b++) {
		if (!(r->banks & IMA_BANK_BIT(b)))
			continue;
		if (e->violation)
			memset(value, 0xff, ima_bank_size(b));
		else if (b == IMA_BANK_SHA1)
			memcpy(value, sha1, IMA_SHA1_LEN);
		else if (ima_entry_template_hash(e, b, value))
			return replay_fail(e, err, "%s digest failed",
					   ima_bank_name(b));
		if (extend(r->pcr[b][e->pcr], b, value))
			return replay_fail(e, err, "%s extend failed",
					   ima_bank_name(b));
	}
	return 0;
}

int ima_replay_entry(struct ima_replay *r, const struct ima_entry *e,
		     struct ima_log_error *err)
{
	uint8_t sha1[IMA_SHA1_LEN];

	if (e->pcr >= IMA_PCR_COUNT)
		return replay_fail(e, err, "PCR index %u out of range", e->pcr);
	/* Entries are replayed in order, none skipped, none twice. */
	if (e->index != r->entries)
		return replay_fail(e, err,
				   "replay expects entry %llu next",
				   (unsigned long long)r->entries);
	if (!e->violation) {
		if (ima_entry_template_hash(e, IMA_BANK_SHA1, sha1))
			return replay_fail(e, err, "sha1 digest failed");
		if (memcmp(sha1, e->template_digest, IMA_SHA1_LEN))
			return replay_fail(e, err,
					   "template digest does not match the template data");
	}
	/*
	 * Past this point only libcrypto can fail, leaving some banks
	 * extended: the caller must then drop the state (the until-match
	 * replay works on a copy for that reason).
	 */
	if (extend_banks(r, e, sha1, err))
		return -1;
	r->pcrs_used |= 1U << e->pcr;
	r->violations += e->violation;
	r->entries = e->index + 1;
	r->last_offset = e->offset;
	r->offset = e->offset + e->record_len;
	memcpy(r->last_digest, e->template_digest, IMA_SHA1_LEN);
	return 0;
}

int ima_replay_all(struct ima_replay *r, struct ima_log_iter *it,
		   struct ima_log_error *err)
{
	struct ima_entry e;
	int rc;

	while ((rc = ima_log_next(it, &e, err)) > 0)
		if (ima_replay_entry(r, &e, err))
			return -1;
	return rc;
}

int ima_replay_resume(const struct ima_replay *r, struct ima_log_iter *it,
		      const void *log, size_t len, struct ima_log_error *err)
{
	struct ima_entry e;
	int rc;

	if (r->entries == 0)
		return ima_log_iter_init_at(it, log, len, 0, 0, err);
	if (ima_log_iter_init_at(it, log, len, r->last_offset, r->entries - 1,
				 err))
		return -1;
	rc = ima_log_next(it, &e, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || e.offset + e.record_len != r->offset ||
	    memcmp(e.template_digest, r->last_digest, IMA_SHA1_LEN)) {
		if (rc == 0) {
			e.index = r->entries - 1;
			e.offset = r->last_offset;
		}
		return replay_fail(&e, err,
				   "not the entry replayed before: the log changed");
	}
	return 0;
}

bool ima_replay_matches(const struct ima_replay *r,
			const struct ima_pcr_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((unsigned int)t[i].bank >= IMA_BANK__COUNT ||
		    !(r->banks & IMA_BANK_BIT(t[i].bank)) ||
		    t[i].pcr >= IMA_PCR_COUNT)
			return false;
		if (memcmp(r->pcr[t[i].bank][t[i].pcr], t[i].digest,
			   ima_bank_size(t[i].bank)))
			return false;
	}
	return true;
}

int ima_replay_until_match(struct ima_replay *r, struct ima_log_iter *it,
			   const struct ima_pcr_target *t, size_t n,
			   uint64_t *examined, struct ima_log_error *err)
{
	struct ima_replay work = *r;
	struct ima_entry e;
	uint64_t count = 0;
	int rc;

	if (examined)
		*examined = 0;
	if (ima_replay_matches(&work, t, n))
		return 1;
	while ((rc = ima_log_next(it, &e, err)) > 0) {
		if (ima_replay_entry(&work, &e, err))
			return -1;
		count++;
		if (examined)
			*examined = count;
		if (ima_replay_matches(&work, t, n)) {
			*r = work;
			return 1;
		}
	}
	return rc < 0 ? -1 : 0;
}

static uint8_t *put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint8_t *put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint64_t get_le(const uint8_t **p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)(*p)[i] << (8 * i);
	*p += bytes;
	return v;
}

void ima_replay_save(const struct ima_replay *r,
		     uint8_t out[IMA_REPLAY_SAVE_LEN])
{
	uint8_t *p = out;

	p = put_le32(p, REPLAY_MAGIC);
	p = put_le32(p, REPLAY_VERSION);
	p = put_le32(p, r->banks);
	p = put_le32(p, r->pcrs_used);
	p = put_le64(p, r->entries);
	p = put_le64(p, r->offset);
	p = put_le64(p, r->violations);
	p = put_le64(p, r->last_offset);
	memcpy(p, r->last_digest, IMA_SHA1_LEN);
	p += IMA_SHA1_LEN;
	memcpy(p, r->pcr, sizeof(r->pcr));
}

int ima_replay_load(struct ima_replay *r, const uint8_t *in, size_t len)
{
	struct ima_replay s;
	const uint8_t *p = in;

	if (len != IMA_REPLAY_SAVE_LEN || get_le(&p, 4) != REPLAY_MAGIC ||
	    get_le(&p, 4) != REPLAY_VERSION)
		return -1;
	memset(&s, 0, sizeof(s));
	s.banks = (uint32_t)get_le(&p, 4);
	s.pcrs_used = (uint32_t)get_le(&p, 4);
	s.entries = get_le(&p, 8);
	s.offset = get_le(&p, 8);
	s.violations = get_le(&p, 8);
	s.last_offset = get_le(&p, 8);
	if (s.banks & ~((1U << IMA_BANK__COUNT) - 1) ||
	    s.pcrs_used & ~((1ULL << IMA_PCR_COUNT) - 1) ||
	    s.violations > s.entries ||
	    (s.entries && s.last_offset >= s.offset) ||
	    (!s.entries && (s.offset || s.last_offset)))
		return -1;
	memcpy(s.last_digest, p, IMA_SHA1_LEN);
	p += IMA_SHA1_LEN;
	memcpy(s.pcr, p, sizeof(s.pcr));
	*r = s;
	return 0;
}
