// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded streaming parser of IMA's binary_runtime_measurements.
 *
 * Every length read from the log is checked against the bytes left (in
 * the log, or in the template data that contains it) and against a sane
 * maximum before it is used, so a hostile log can cause an error message
 * but never an out-of-bounds read or an allocation. No global state: see
 * ima_log.h for the threading rules.
 */
#include "ima/ima_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct cursor {
	const uint8_t *p;
	size_t left;
};

struct hash_algo_info {
	const char *name;
	uint32_t size;
};

static const struct hash_algo_info hash_algos[IMA_HASH__COUNT] = {
	[IMA_HASH_MD5] = { "md5", 16 },
	[IMA_HASH_SHA1] = { "sha1", 20 },
	[IMA_HASH_SHA224] = { "sha224", 28 },
	[IMA_HASH_SHA256] = { "sha256", 32 },
	[IMA_HASH_SHA384] = { "sha384", 48 },
	[IMA_HASH_SHA512] = { "sha512", 64 },
	[IMA_HASH_SM3] = { "sm3", 32 },
};

static const char *const template_names[] = {
	[IMA_TEMPLATE_IMA] = "ima",
	[IMA_TEMPLATE_IMA_NG] = "ima-ng",
	[IMA_TEMPLATE_IMA_SIG] = "ima-sig",
	[IMA_TEMPLATE_IMA_BUF] = "ima-buf",
};

#define N_TEMPLATES (sizeof(template_names) / sizeof(template_names[0]))

const char *ima_template_name(enum ima_template t)
{
	return (unsigned int)t < N_TEMPLATES ? template_names[t] : "?";
}

const char *ima_hash_algo_name(enum ima_hash_algo a)
{
	return (unsigned int)a < IMA_HASH__COUNT ? hash_algos[a].name : "?";
}

uint32_t ima_hash_algo_size(enum ima_hash_algo a)
{
	return (unsigned int)a < IMA_HASH__COUNT ? hash_algos[a].size : 0;
}

int ima_hash_algo_from_name(const char *name, size_t len)
{
	for (int a = 0; a < IMA_HASH__COUNT; a++)
		if (strlen(hash_algos[a].name) == len &&
		    !memcmp(hash_algos[a].name, name, len))
			return a;
	return -1;
}

int ima_log_error_set(struct ima_log_error *err, uint64_t index,
		      uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err)
		return -1;
	err->index = index;
	err->offset = offset;
	n = snprintf(err->msg, sizeof(err->msg),
		     "entry %llu at offset %llu: ",
		     (unsigned long long)index, (unsigned long long)offset);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Record the failure of the record the iterator stands on. */
#define fail(it, err, ...) \
	ima_log_error_set((err), (it)->index, (it)->off, __VA_ARGS__)

/* Printable, bounded copy of untrusted bytes for an error message. */
static const char *printable(const uint8_t *p, size_t len, char *out,
			     size_t out_size)
{
	size_t i;

	for (i = 0; i < len && i + 1 < out_size; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	out[i] = '\0';
	return out;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Take @n bytes from @c; NULL if fewer are left. */
static const uint8_t *take(struct cursor *c, size_t n)
{
	const uint8_t *p = c->p;

	if (n > c->left)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static bool take_le32(struct cursor *c, uint32_t *v)
{
	const uint8_t *p = take(c, 4);

	if (!p)
		return false;
	*v = get_le32(p);
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int lookup_template(const uint8_t *name, uint32_t len)
{
	for (size_t t = 0; t < N_TEMPLATES; t++)
		if (strlen(template_names[t]) == len &&
		    !memcmp(template_names[t], name, len))
			return (int)t;
	return -1;
}

/* One "u32 len + bytes" field of the template data. */
static int take_field(struct ima_log_iter *it, struct cursor *td,
		      const char *field, const uint8_t **data, uint32_t *len,
		      struct ima_log_error *err)
{
	if (!take_le32(td, len))
		return fail(it, err, "template data ends before the %s field",
			    field);
	*data = take(td, *len);
	if (!*data)
		return fail(it, err,
			    "%s field length %u exceeds the %zu bytes left in the template data",
			    field, *len, td->left);
	return 0;
}

/* d-ng: "<algo>:" NUL digest, digest size matching the algorithm. */
static int parse_d_ng(struct ima_log_iter *it, struct ima_entry *e,
		      const uint8_t *d, uint32_t len,
		      struct ima_log_error *err)
{
	const uint8_t *nul;
	char shown[24];
	size_t name_len;
	int algo;

	if (len == 0)
		return fail(it, err, "empty d-ng field");
	nul = memchr(d, '\0', len < 16 ? len : 16);
	if (!nul || nul == d || nul[-1] != ':')
		return fail(it, err,
			    "d-ng field lacks an \"<algorithm>:\" prefix");
	name_len = (size_t)(nul - d) - 1;
	algo = ima_hash_algo_from_name((const char *)d, name_len);
	if (algo < 0)
		return fail(it, err, "unsupported d-ng digest algorithm \"%s\"",
			    printable(d, name_len, shown, sizeof(shown)));
	e->digest_algo = algo;
	e->digest = nul + 1;
	e->digest_len = len - (uint32_t)(nul + 1 - d);
	if (e->digest_len != ima_hash_algo_size(algo))
		return fail(it, err,
			    "d-ng %s digest has %u bytes, expected %u",
			    hash_algos[algo].name, e->digest_len,
			    hash_algos[algo].size);
	return 0;
}

/* n-ng: a path (or event name) and its terminating NUL, nothing after. */
static int parse_n_ng(struct ima_log_iter *it, struct ima_entry *e,
		      const uint8_t *n, uint32_t len,
		      struct ima_log_error *err)
{
	const uint8_t *nul;

	if (len == 0)
		return fail(it, err, "empty n-ng field (no NUL)");
	if (len > IMA_PATH_MAX)
		return fail(it, err, "n-ng field length %u exceeds %u",
			    len, IMA_PATH_MAX);
	nul = memchr(n, '\0', len);
	if (!nul)
		return fail(it, err, "n-ng field is not NUL-terminated");
	if ((uint32_t)(nul - n) != len - 1)
		return fail(it, err, "n-ng field has a NUL at byte %u of %u",
			    (unsigned int)(nul - n), len);
	e->path = (const char *)n;
	e->path_len = len - 1;
	return 0;
}

/* Fields of ima-ng, ima-sig and ima-buf inside the template data. */
static int parse_ng_fields(struct ima_log_iter *it, struct ima_entry *e,
			   struct ima_log_error *err)
{
	struct cursor td = { e->template_data, e->template_data_len };
	const uint8_t *data;
	uint32_t len;

	if (take_field(it, &td, "d-ng", &data, &len, err) ||
	    parse_d_ng(it, e, data, len, err))
		return -1;
	if (take_field(it, &td, "n-ng", &data, &len, err) ||
	    parse_n_ng(it, e, data, len, err))
		return -1;
	if (e->template_id == IMA_TEMPLATE_IMA_SIG) {
		if (take_field(it, &td, "sig", &data, &len, err))
			return -1;
		e->sig = len ? data : NULL;
		e->sig_len = len;
	} else if (e->template_id == IMA_TEMPLATE_IMA_BUF) {
		if (take_field(it, &td, "buf", &data, &len, err))
			return -1;
		e->buf = data;
		e->buf_len = len;
	}
	if (td.left)
		return fail(it, err, "%zu bytes after the last %s field",
			    td.left, ima_template_name(e->template_id));
	return 0;
}

/*
 * The original "ima" template: 20-byte digest, u32 length, path without
 * NUL, and no template data length. The kernel limits the path to 255
 * bytes (it is hashed padded to 256). A sha1 digest is assumed: the record
 * has no field length that would reveal an md5 one.
 */
static int parse_old_ima(struct ima_log_iter *it, struct cursor *c,
			 struct ima_entry *e, struct ima_log_error *err)
{
	const uint8_t *start = c->p;
	const uint8_t *path;
	uint32_t len;

	e->digest = take(c, IMA_SHA1_LEN);
	if (!e->digest)
		return fail(it, err, "truncated ima record: no file digest");
	e->digest_algo = IMA_HASH_SHA1;
	e->digest_len = IMA_SHA1_LEN;
	if (!take_le32(c, &len))
		return fail(it, err, "truncated ima record: no path length");
	if (len > IMA_OLD_NAME_MAX)
		return fail(it, err, "ima path length %u exceeds %u",
			    len, IMA_OLD_NAME_MAX);
	path = take(c, len);
	if (!path)
		return fail(it, err,
			    "ima path length %u exceeds the %zu bytes left",
			    len, c->left);
	if (memchr(path, '\0', len))
		return fail(it, err, "ima path contains a NUL");
	memcpy(it->old_path, path, len);
	it->old_path[len] = '\0';
	e->path = it->old_path;
	e->path_len = len;
	e->template_data = start;
	e->template_data_len = (uint32_t)(c->p - start);
	return 0;
}

static int parse_header(struct ima_log_iter *it, struct cursor *c,
			struct ima_entry *e, struct ima_log_error *err)
{
	const uint8_t *name;
	char shown[40];
	uint32_t name_len;
	int t;

	if (!take_le32(c, &e->pcr))
		return fail(it, err, "truncated record: %zu bytes left, no PCR",
			    c->left);
	if (e->pcr >= IMA_PCR_COUNT)
		return fail(it, err, "PCR index %u out of range", e->pcr);
	e->template_digest = take(c, IMA_SHA1_LEN);
	if (!e->template_digest)
		return fail(it, err, "truncated record: no template digest");
	e->violation = all_zero(e->template_digest, IMA_SHA1_LEN);
	if (!take_le32(c, &name_len))
		return fail(it, err,
			    "truncated record: no template name length");
	if (name_len == 0 || name_len > IMA_TEMPLATE_NAME_MAX)
		return fail(it, err, "template name length %u not in 1..%u",
			    name_len, IMA_TEMPLATE_NAME_MAX);
	name = take(c, name_len);
	if (!name)
		return fail(it, err,
			    "template name length %u exceeds the %zu bytes left",
			    name_len, c->left);
	t = lookup_template(name, name_len);
	if (t < 0)
		return fail(it, err, "unknown template \"%s\"",
			    printable(name, name_len, shown, sizeof(shown)));
	e->template_id = t;
	e->template_name = (const char *)name;
	e->template_name_len = name_len;
	return 0;
}

static int parse_record(struct ima_log_iter *it, struct ima_entry *e,
			struct ima_log_error *err)
{
	struct cursor c = { it->log + it->off, it->len - it->off };
	uint32_t data_len;

	memset(e, 0, sizeof(*e));
	e->index = it->index;
	e->offset = it->off;
	if (parse_header(it, &c, e, err))
		return -1;
	if (e->template_id == IMA_TEMPLATE_IMA) {
		if (parse_old_ima(it, &c, e, err))
			return -1;
	} else {
		if (!take_le32(&c, &data_len))
			return fail(it, err,
				    "truncated record: no template data length");
		if (data_len > IMA_TEMPLATE_DATA_MAX)
			return fail(it, err,
				    "template data length %u exceeds %u",
				    data_len, IMA_TEMPLATE_DATA_MAX);
		e->template_data = take(&c, data_len);
		if (!e->template_data)
			return fail(it, err,
				    "template data length %u exceeds the %zu bytes left",
				    data_len, c.left);
		e->template_data_len = data_len;
		if (parse_ng_fields(it, e, err))
			return -1;
	}
	e->record_len = (uint32_t)(c.p - (it->log + it->off));
	return 0;
}

void ima_log_iter_init(struct ima_log_iter *it, const void *log, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->log = log;
	it->len = log ? len : 0;
	it->max_entries = IMA_DEFAULT_MAX_ENTRIES;
}

int ima_log_iter_init_at(struct ima_log_iter *it, const void *log, size_t len,
			 uint64_t offset, uint64_t index,
			 struct ima_log_error *err)
{
	ima_log_iter_init(it, log, len);
	if (offset > it->len) {
		it->index = index;
		it->off = offset;
		fail(it, err, "resume offset is past the end of the log (%zu bytes)",
		     len);
		it->off = it->len;	/* nothing left to parse */
		return -1;
	}
	it->off = offset;
	it->index = index;
	it->first = index;
	return 0;
}

int ima_log_next(struct ima_log_iter *it, struct ima_entry *e,
		 struct ima_log_error *err)
{
	if (it->off >= it->len)
		return 0;
	if (it->index - it->first >= it->max_entries)
		return fail(it, err, "log holds more than %llu entries from entry %llu on",
			    (unsigned long long)it->max_entries,
			    (unsigned long long)it->first);
	if (parse_record(it, e, err))
		return -1;
	it->off += e->record_len;
	it->index++;
	return 1;
}

int64_t ima_log_count(const void *log, size_t len, struct ima_log_error *err)
{
	struct ima_log_iter it;
	struct ima_entry e;
	int rc;

	ima_log_iter_init(&it, log, len);
	while ((rc = ima_log_next(&it, &e, err)) > 0)
		;
	return rc < 0 ? -1 : (int64_t)it.index;
}
