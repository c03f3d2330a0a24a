// SPDX-License-Identifier: GPL-2.0
/*
 * Policy parsing (json-c) and its index; see policy.h. The index is built
 * once and never changes afterwards, so lookups take no lock.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <pcre2.h>

#include "attest/ima_sig.h"
#include "attest/policy.h"
#include "common/escape.h"
#include "common/hex.h"

struct digest_ref {
	uint8_t algo;			/* enum ima_hash_algo */
	uint8_t len;
	uint8_t d[IMA_MAX_DIGEST];
};

struct slot {
	char *key;			/* NULL: empty */
	size_t len;
	uint64_t hash;
	uint32_t first, count;		/* range in map.digests */
};

struct map {
	struct slot *slots;
	size_t cap, n;			/* cap: power of two */
	struct digest_ref *digests;
	size_t nd, capd;
};

struct golden {
	uint8_t (*v)[32];
	size_t n;
};

struct attest_policy {
	struct map files;		/* "digests" */
	struct map bufs;		/* "ima-buf" and "keyrings" */
	pcre2_code **exclude;		/* compiled once, at load */
	size_t n_exclude;
	pcre2_match_context *match_ctx;	/* limits; read-only when matching */
	struct golden pcr[IMA_PCR_COUNT];
	uint32_t pcr_mask;
	bool allow_fw, allow_violations, require_seal, allow_monitor;
	bool require_ima;		/* default true */
	struct golden seal;
	struct attest_ima_keys *keys;	/* "verification-keys"; NULL: none */
};

struct perr {
	char *buf;
	size_t len;
};

static int fail(struct perr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return -1;
}

/* FNV-1a: the keys are the operator's paths, not attacker-chosen */
static uint64_t hash_key(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
	return h;
}

static struct slot *map_find(const struct map *m, const char *key,
			     size_t len, uint64_t h)
{
	if (!m->cap)
		return NULL;
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && s->len == len &&
				!memcmp(s->key, key, len)))
			return s;
	}
}

static int map_init(struct map *m, size_t expect)
{
	m->cap = 16;
	while (m->cap < 2 * expect + 2)
		m->cap *= 2;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	return m->slots ? 0 : -1;
}

/* keep the load factor at most one half */
static int map_grow(struct map *m)
{
	struct map bigger = *m;

	if (2 * (m->n + 1) <= m->cap)
		return 0;
	bigger.cap = 2 * m->cap;
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		struct slot *s = &m->slots[i];

		if (s->key)
			*map_find(&bigger, s->key, s->len, s->hash) = *s;
	}
	free(m->slots);
	*m = bigger;
	return 0;
}

static void map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m->digests);
}

static struct digest_ref *map_new_digest(struct map *m)
{
	if (m->nd == m->capd) {
		size_t cap = m->capd ? 2 * m->capd : 64;
		struct digest_ref *d = realloc(m->digests, cap * sizeof(*d));

		if (!d)
			return NULL;
		m->digests = d;
		m->capd = cap;
	}
	return &m->digests[m->nd++];
}

static int algo_by_len(int n)
{
	switch (n) {
	case 16:
		return IMA_HASH_MD5;
	case 20:
		return IMA_HASH_SHA1;
	case 28:
		return IMA_HASH_SHA224;
	case 32:
		return IMA_HASH_SHA256;
	case 48:
		return IMA_HASH_SHA384;
	case 64:
		return IMA_HASH_SHA512;
	default:
		return -1;
	}
}

/* Plain hex (algorithm from its length, as Keylime writes) or "alg:hex" */
static int parse_digest(const char *s, struct digest_ref *d)
{
	const char *colon = strchr(s, ':');
	const char *hex = colon ? colon + 1 : s;
	int algo, n;

	n = leo_hex_decode(hex, strlen(hex), d->d, sizeof(d->d));
	if (n <= 0)
		return -1;
	algo = colon ? ima_hash_algo_from_name(s, colon - s) : algo_by_len(n);
	if (algo < 0 || ima_hash_algo_size(algo) != (uint32_t)n)
		return -1;
	d->algo = algo;
	d->len = n;
	return 0;
}

static int add_key(struct map *m, const char *key, json_object *list,
		   struct perr *e)
{
	size_t len = strlen(key), n;
	uint64_t h = hash_key(key, len);
	struct slot *s;

	if (map_grow(m))
		return fail(e, "out of memory");
	s = map_find(m, key, len, h);
	if (!json_object_is_type(list, json_type_array))
		return fail(e, "digests of \"%s\" is not a list", key);
	if (s->key)
		return fail(e, "\"%s\" listed twice", key);
	s->key = strdup(key);
	if (!s->key)
		return fail(e, "out of memory");
	s->len = len;
	s->hash = h;
	s->first = m->nd;
	m->n++;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);
		struct digest_ref *d = map_new_digest(m);

		if (!d)
			return fail(e, "out of memory");
		if (!json_object_is_type(v, json_type_string) ||
		    parse_digest(json_object_get_string(v), d))
			return fail(e, "bad digest for \"%s\"", key);
	}
	s->count = m->nd - s->first;
	return 0;
}

static int load_map(struct map *m, json_object *obj, const char *what,
		    struct perr *e)
{
	if (!json_object_is_type(obj, json_type_object))
		return fail(e, "\"%s\" is not an object", what);
	json_object_object_foreach(obj, key, list)
		if (add_key(m, key, list, e))
			return -1;
	return 0;
}

/*
 * Keylime matches excludes with Python's re.match: anchored at the start
 * of the path, not at its end, in Python's syntax (\d, (?:...),
 * (?P<name>...)). PCRE2 knows that syntax; PCRE2_ANCHORED at compile time
 * gives re.match's anchoring (and keeps the JIT usable). Each pattern is
 * compiled on its own, so a bad one is named and its group numbers and
 * backreferences mean what they meant in Python.
 */
#define EXCLUDE_MATCH_LIMIT 1000000u	/* backtracking bound per match */

static int compile_exclude(struct attest_policy *p, size_t i, json_object *v,
			   struct perr *e)
{
	char shown[LEO_ESCAPED_SIZE(48)], msg[120];
	const char *re = json_object_get_string(v);
	size_t len = json_object_get_string_len(v);
	PCRE2_SIZE off;
	int code;

	p->exclude[i] = pcre2_compile((PCRE2_SPTR)re, len, PCRE2_ANCHORED,
				      &code, &off, NULL);
	if (!p->exclude[i]) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg));
		leo_escape(re, len < 48 ? len : 48, shown, sizeof(shown));
		return fail(e, "exclude %zu \"%s%s\" is not a valid regex: %s at offset %zu",
			    i, shown, len > 48 ? "..." : "", msg, (size_t)off);
	}
	p->n_exclude = i + 1;
	/* the JIT is an optimisation: without it, the interpreter matches */
	pcre2_jit_compile(p->exclude[i], PCRE2_JIT_COMPLETE);
	return 0;
}

static int load_excludes(struct attest_policy *p, json_object *arr,
			 struct perr *e)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "\"excludes\" is not a list");
	n = json_object_array_length(arr);
	if (!n)
		return 0;
	p->exclude = calloc(n, sizeof(*p->exclude));
	p->match_ctx = pcre2_match_context_create(NULL);
	if (!p->exclude || !p->match_ctx)
		return fail(e, "out of memory");
	pcre2_set_match_limit(p->match_ctx, EXCLUDE_MATCH_LIMIT);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(v, json_type_string))
			return fail(e, "exclude %zu is not a string", i);
		if (compile_exclude(p, i, v, e))
			return -1;
	}
	return 0;
}

static int load_golden_list(struct golden *g, json_object *arr,
			    const char *what, struct perr *e)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return fail(e, "%s is not a list", what);
	n = json_object_array_length(arr);
	g->v = calloc(n ? n : 1, 32);
	if (!g->v)
		return fail(e, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		struct digest_ref d;

		if (!json_object_is_type(v, json_type_string) ||
		    parse_digest(json_object_get_string(v), &d) ||
		    d.algo != IMA_HASH_SHA256)
			return fail(e, "%s: value %zu is not a sha256 digest",
				    what, i);
		memcpy(g->v[i], d.d, 32);
	}
	g->n = n;
	return 0;
}

static int load_pcrs(struct attest_policy *p, json_object *obj,
		     struct perr *e)
{
	if (!json_object_is_type(obj, json_type_object))
		return fail(e, "\"pcrs\" is not an object");
	json_object_object_foreach(obj, key, list) {
		char *end;
		long pcr = strtol(key, &end, 10);

		if (*end || end == key || pcr < 0 || pcr >= IMA_PCR_COUNT ||
		    (p->pcr_mask >> pcr) & 1)
			return fail(e, "\"pcrs\": bad PCR number \"%s\"", key);
		if (load_golden_list(&p->pcr[pcr], list, "\"pcrs\"", e))
			return -1;
		p->pcr_mask |= 1u << pcr;
	}
	return 0;
}

static int get_bool(json_object *v, const char *what, bool *out,
		    struct perr *e)
{
	if (!json_object_is_type(v, json_type_boolean))
		return fail(e, "\"%s\" is not true or false", what);
	*out = json_object_get_boolean(v);
	return 0;
}

static int load_leo(struct attest_policy *p, json_object *obj,
		    struct perr *e)
{
	if (!json_object_is_type(obj, json_type_object))
		return fail(e, "\"leo\" is not an object");
	json_object_object_foreach(obj, key, v) {
		int rc;

		if (!strcmp(key, "require_seal"))
			rc = get_bool(v, key, &p->require_seal, e);
		else if (!strcmp(key, "allow_monitor_mode"))
			rc = get_bool(v, key, &p->allow_monitor, e);
		else if (!strcmp(key, "allow_violations"))
			rc = get_bool(v, key, &p->allow_violations, e);
		else if (!strcmp(key, "require_ima"))
			rc = get_bool(v, key, &p->require_ima, e);
		else if (!strcmp(key, "allow_firmware_change"))
			rc = get_bool(v, key, &p->allow_fw, e);
		else if (!strcmp(key, "seal_exe_digests"))
			rc = load_golden_list(&p->seal, v, "seal_exe_digests",
					      e);
		else
			rc = fail(e, "\"leo\": unknown key \"%s\"", key);
		if (rc)
			return -1;
	}
	return 0;
}

static int check_meta(json_object *meta, struct perr *e)
{
	json_object *v;

	if (!json_object_is_type(meta, json_type_object))
		return fail(e, "\"meta\" is not an object");
	if (json_object_object_get_ex(meta, "version", &v) &&
	    (!json_object_is_type(v, json_type_int) ||
	     json_object_get_int(v) != 1))
		return fail(e, "unsupported runtime-policy version");
	return 0;
}

/* Keylime keys accepted but without effect (documented) */
static bool ignored_key(const char *key)
{
	static const char *const keys[] = { "release", "ima" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

static int load_key(struct attest_policy *p, const char *key, json_object *v,
		    struct perr *e)
{
	if (!strcmp(key, "digests"))
		return load_map(&p->files, v, key, e);
	if (!strcmp(key, "ima-buf") || !strcmp(key, "keyrings"))
		return load_map(&p->bufs, v, key, e);
	if (!strcmp(key, "excludes"))
		return load_excludes(p, v, e);
	if (!strcmp(key, "meta"))
		return check_meta(v, e);
	if (!strcmp(key, "pcrs"))
		return load_pcrs(p, v, e);
	if (!strcmp(key, "leo"))
		return load_leo(p, v, e);
	if (!strcmp(key, "verification-keys")) {
		attest_ima_keys_free(p->keys);
		p->keys = attest_ima_keys_load(v, e->buf, e->len);
		return p->keys ? 0 : -1;
	}
	if (ignored_key(key))
		return 0;
	if (!strcmp(key, "rules") && json_object_is_type(v, json_type_string) &&
	    !json_object_get_string_len(v))
		return 0;	/* present but empty in some Keylime policies */
	return fail(e, "unknown key \"%s\"", key);
}

struct attest_policy *attest_policy_parse(const char *json, size_t len,
					  char *err, size_t errlen)
{
	struct perr e = { err, errlen };
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL;
	struct attest_policy *p = calloc(1, sizeof(*p));

	if (!tok || !p || len > ATTEST_POLICY_MAX_BYTES || len > INT32_MAX) {
		fail(&e, "policy too large or out of memory");
		goto bad;
	}
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		fail(&e, "policy is not one JSON document");
		goto bad;
	}
	if (!json_object_is_type(root, json_type_object)) {
		fail(&e, "policy is not a JSON object");
		goto bad;
	}
	p->require_ima = true;
	if (map_init(&p->files, 0) || map_init(&p->bufs, 0)) {
		fail(&e, "out of memory");
		goto bad;
	}
	json_object_object_foreach(root, key, v)
		if (load_key(p, key, v, &e))
			goto bad;
	json_object_put(root);
	json_tokener_free(tok);
	return p;
bad:
	json_object_put(root);
	json_tokener_free(tok);
	attest_policy_free(p);
	return NULL;
}

struct attest_policy *attest_policy_load(const char *path, char *err,
					 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct attest_policy *p = NULL;
	char *buf = NULL;
	long len;

	if (!f) {
		snprintf(err, errlen, "cannot open %s", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    (size_t)len > ATTEST_POLICY_MAX_BYTES || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc(len + 1)) || fread(buf, 1, len, f) != (size_t)len)
		snprintf(err, errlen, "cannot read %s", path);
	else
		p = attest_policy_parse(buf, len, err, errlen);
	free(buf);
	fclose(f);
	return p;
}

void attest_policy_free(struct attest_policy *p)
{
	if (!p)
		return;
	map_free(&p->files);
	map_free(&p->bufs);
	for (size_t i = 0; i < p->n_exclude; i++)
		pcre2_code_free(p->exclude[i]);
	free(p->exclude);
	pcre2_match_context_free(p->match_ctx);
	for (int i = 0; i < IMA_PCR_COUNT; i++)
		free(p->pcr[i].v);
	free(p->seal.v);
	attest_ima_keys_free(p->keys);
	free(p);
}

static enum attest_file_verdict lookup(const struct map *m, const char *key,
				       size_t len, enum ima_hash_algo algo,
				       const uint8_t *digest, size_t dlen)
{
	const struct slot *s = map_find(m, key, len, hash_key(key, len));

	if (!s || !s->key)
		return ATTEST_FILE_UNKNOWN;
	for (uint32_t i = 0; i < s->count; i++) {
		const struct digest_ref *d = &m->digests[s->first + i];

		if (d->algo == algo && d->len == dlen &&
		    !memcmp(d->d, digest, dlen))
			return ATTEST_FILE_ALLOWED;
	}
	return ATTEST_FILE_BAD_DIGEST;
}

/*
 * One match data per thread, made on first use and freed at thread exit:
 * a policy is shared read-only by threads, a match data is written by
 * every match. One ovector pair is enough: only "matched or not" counts.
 */
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static bool md_key_ok;

static void md_free(void *md)
{
	pcre2_match_data_free(md);
}

static void md_key_create(void)
{
	md_key_ok = !pthread_key_create(&md_key, md_free);
}

static pcre2_match_data *thread_match_data(void)
{
	pcre2_match_data *md;

	if (pthread_once(&md_once, md_key_create) || !md_key_ok)
		return NULL;
	md = pthread_getspecific(md_key);
	if (!md) {
		md = pcre2_match_data_create(1, NULL);
		if (md && pthread_setspecific(md_key, md)) {
			pcre2_match_data_free(md);
			md = NULL;
		}
	}
	return md;
}

/*
 * True if an exclude matches @path. A match error (out of memory, the
 * backtracking limit) is no match: the entry is then judged by its digest
 * alone (fail closed).
 */
static bool excluded(const struct attest_policy *p, const char *path,
		     size_t len)
{
	pcre2_match_data *md;

	if (!p->n_exclude || !(md = thread_match_data()))
		return false;
	for (size_t i = 0; i < p->n_exclude; i++)
		if (pcre2_match(p->exclude[i], (PCRE2_SPTR)path, len, 0, 0, md,
				p->match_ctx) >= 0)
			return true;
	return false;
}

enum attest_file_verdict
attest_policy_check_file(const struct attest_policy *p, const char *path,
			 size_t path_len, enum ima_hash_algo algo,
			 const uint8_t *digest, size_t digest_len)
{
	enum attest_file_verdict v = lookup(&p->files, path, path_len, algo,
					    digest, digest_len);

	/* an exclude accepts any digest; only consult it on a miss */
	if (v != ATTEST_FILE_ALLOWED && excluded(p, path, path_len))
		return ATTEST_FILE_EXCLUDED;
	return v;
}

enum attest_file_verdict
attest_policy_check_listed(const struct attest_policy *p, const char *path,
			   size_t path_len, enum ima_hash_algo algo,
			   const uint8_t *digest, size_t digest_len)
{
	return lookup(&p->files, path, path_len, algo, digest, digest_len);
}

enum attest_file_verdict
attest_policy_check_buf(const struct attest_policy *p, const char *name,
			size_t name_len, enum ima_hash_algo algo,
			const uint8_t *digest, size_t digest_len)
{
	return lookup(&p->bufs, name, name_len, algo, digest, digest_len);
}

const uint8_t (*attest_policy_pcr_golden(const struct attest_policy *p,
					 int pcr, size_t *n))[32]
{
	if (pcr < 0 || pcr >= IMA_PCR_COUNT || !((p->pcr_mask >> pcr) & 1)) {
		*n = 0;
		return NULL;
	}
	*n = p->pcr[pcr].n;
	return (const uint8_t (*)[32])p->pcr[pcr].v;
}

uint32_t attest_policy_pcr_mask(const struct attest_policy *p)
{
	return p->pcr_mask;
}

bool attest_policy_allow_firmware_change(const struct attest_policy *p)
{
	return p->allow_fw;
}

bool attest_policy_allow_violations(const struct attest_policy *p)
{
	return p->allow_violations;
}

bool attest_policy_require_ima(const struct attest_policy *p)
{
	return p->require_ima;
}

bool attest_policy_leo_require_seal(const struct attest_policy *p)
{
	return p->require_seal;
}

bool attest_policy_leo_seal_allowed(const struct attest_policy *p,
				    const uint8_t digest[32])
{
	if (!p->seal.n)
		return true;	/* no list: any executable */
	for (size_t i = 0; i < p->seal.n; i++)
		if (!memcmp(p->seal.v[i], digest, 32))
			return true;
	return false;
}

bool attest_policy_leo_allow_monitor(const struct attest_policy *p)
{
	return p->allow_monitor;
}

size_t attest_policy_key_count(const struct attest_policy *p)
{
	return attest_ima_keys_count(p->keys);
}

enum attest_sig_verdict
attest_policy_check_sig(const struct attest_policy *p, enum ima_hash_algo algo,
			const uint8_t *digest, size_t digest_len,
			const uint8_t *sig, size_t sig_len,
			struct attest_sig_info *info)
{
	return attest_ima_sig_check(p->keys, algo, digest, digest_len, sig,
				    sig_len, info);
}

size_t attest_policy_path_count(const struct attest_policy *p)
{
	return p->files.n;
}
