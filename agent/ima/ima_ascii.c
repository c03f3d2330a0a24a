// SPDX-License-Identifier: GPL-2.0
/*
 * ASCII IMA log -> binary layout (see ima_ascii.h). Every field is
 * checked here, with the line number, so that the binary parser never
 * meets an error of its own in the converted log.
 */
#include "ima/ima_ascii.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"

struct out_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
};

/* One line being converted: where it is, for the error message. */
struct line {
	const char *s;			/* not NUL-terminated */
	size_t len;
	uint64_t index;			/* entry number = line number - 1 */
	size_t offset;			/* of the line in the text */
	struct ima_log_error *err;
};

/* A space-separated piece of a line. */
struct span {
	const char *s;
	size_t len;
};

static int line_fail(const struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int line_fail(const struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!l->err)
		return -1;
	l->err->index = l->index;
	l->err->offset = l->offset;
	n = snprintf(l->err->msg, sizeof(l->err->msg), "line %llu: ",
		     (unsigned long long)l->index + 1);
	if (n < 0 || (size_t)n >= sizeof(l->err->msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->err->msg + n, sizeof(l->err->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static void put(struct out_buf *o, const void *p, size_t n)
{
	if (o->failed)
		return;
	if (n > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 4096;
		uint8_t *q;

		while (cap - o->len < n && cap <= IMA_LOG_FILE_MAX)
			cap *= 2;
		if (cap - o->len < n || !(q = realloc(o->p, cap))) {
			o->failed = true;
			return;
		}
		o->p = q;
		o->cap = cap;
	}
	if (n)
		memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put_le32(struct out_buf *o, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(o, b, 4);
}

/* Split off the text up to the next space (or the end) of @rest. */
static struct span next_token(struct span *rest)
{
	const char *sp = memchr(rest->s, ' ', rest->len);
	struct span t = { rest->s, sp ? (size_t)(sp - rest->s) : rest->len };

	rest->s += t.len;
	rest->len -= t.len;
	if (sp) {
		rest->s++;
		rest->len--;
	}
	return t;
}

/* "%2d": one optional leading space, then 1-2 digits, < IMA_PCR_COUNT */
static int parse_pcr(const struct line *l, struct span *rest, uint32_t *pcr)
{
	struct span t;

	if (rest->len && rest->s[0] == ' ') {
		rest->s++;
		rest->len--;
	}
	t = next_token(rest);
	if (t.len == 0 || t.len > 2)
		return line_fail(l, "PCR column is not a number 0..%u",
				 IMA_PCR_COUNT - 1);
	*pcr = 0;
	for (size_t i = 0; i < t.len; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return line_fail(l, "PCR column \"%.*s\" is not a number",
					 (int)t.len, t.s);
		*pcr = *pcr * 10 + (uint32_t)(t.s[i] - '0');
	}
	if (*pcr >= IMA_PCR_COUNT)
		return line_fail(l, "PCR index %u out of range", *pcr);
	return 0;
}

/* Exactly @size bytes of hex in @t, for the field named @what. */
static int parse_hex_exact(const struct line *l, struct span t,
			   const char *what, uint8_t *out, size_t size)
{
	if (t.len != 2 * size)
		return line_fail(l, "%s has %zu hex digits, expected %zu", what,
				 t.len, 2 * size);
	if (leo_hex_decode(t.s, t.len, out, size) < 0)
		return line_fail(l, "%s is not hex", what);
	return 0;
}

static int lookup_template(struct span name)
{
	for (int t = IMA_TEMPLATE_IMA; t <= IMA_TEMPLATE_IMA_BUF; t++) {
		const char *n = ima_template_name(t);

		if (strlen(n) == name.len && !memcmp(n, name.s, name.len))
			return t;
	}
	return -1;
}

/* "ALG:HEX" -> the d-ng field: "alg" ":" NUL digest */
static int put_d_ng(const struct line *l, struct span t, struct out_buf *td)
{
	const char *colon = memchr(t.s, ':', t.len);
	uint8_t digest[IMA_MAX_DIGEST];
	char what[32];
	size_t name_len;
	int algo;

	if (!colon)
		return line_fail(l, "digest \"%.*s\" lacks an \"<algorithm>:\" prefix",
				 (int)(t.len < 32 ? t.len : 32), t.s);
	name_len = (size_t)(colon - t.s);
	algo = ima_hash_algo_from_name(t.s, name_len);
	if (algo < 0)
		return line_fail(l, "unsupported digest algorithm \"%.*s\"",
				 (int)(name_len < 16 ? name_len : 16), t.s);
	snprintf(what, sizeof(what), "%s digest", ima_hash_algo_name(algo));
	if (parse_hex_exact(l, (struct span){ colon + 1, t.len - name_len - 1 },
			    what, digest, ima_hash_algo_size(algo)))
		return -1;
	put_le32(td, (uint32_t)(name_len + 2 + ima_hash_algo_size(algo)));
	put(td, t.s, name_len);
	put(td, ":", 2);		/* ':' and its NUL */
	put(td, digest, ima_hash_algo_size(algo));
	return 0;
}

/* A hex field of any even length (ima-sig's sig, ima-buf's buf) */
static int put_hex_field(const struct line *l, struct span t,
			 const char *what, struct out_buf *td)
{
	uint8_t *b = malloc(t.len / 2 + 1);
	int n = b ? leo_hex_decode(t.s, t.len, b, t.len / 2) : -1;

	if (n < 0) {
		free(b);
		return b ? line_fail(l, "%s field is not hex (%zu digits)", what,
				     t.len) :
			   line_fail(l, "out of memory");
	}
	put_le32(td, (uint32_t)n);
	put(td, b, (size_t)n);
	free(b);
	return 0;
}

/* ima-ng, ima-sig, ima-buf: the template data, fields with lengths */
static int put_ng(const struct line *l, int tmpl, struct span rest,
		  struct out_buf *td)
{
	struct span d = next_token(&rest), path = rest, extra = { NULL, 0 };
	const char *what = tmpl == IMA_TEMPLATE_IMA_SIG ? "sig" : "buf";

	if (!d.len)
		return line_fail(l, "missing the digest field");
	if (d.s + d.len == l->s + l->len)
		return line_fail(l, "missing the %s field",
				 tmpl == IMA_TEMPLATE_IMA_BUF ? "name" : "path");
	if (tmpl != IMA_TEMPLATE_IMA_NG) {
		const char *sp = memrchr(rest.s, ' ', rest.len);

		if (!sp)
			return line_fail(l, "missing the %s field (%s has %s)",
					 what, ima_template_name(tmpl),
					 "digest, name and a hex field");
		path.len = (size_t)(sp - rest.s);
		extra = (struct span){ sp + 1, rest.len - path.len - 1 };
	}
	if (path.len + 1 > IMA_PATH_MAX)
		return line_fail(l, "path of %zu bytes exceeds %u", path.len,
				 IMA_PATH_MAX - 1);
	if (put_d_ng(l, d, td))
		return -1;
	put_le32(td, (uint32_t)path.len + 1);
	put(td, path.s, path.len);
	put(td, "", 1);
	if (tmpl != IMA_TEMPLATE_IMA_NG && put_hex_field(l, extra, what, td))
		return -1;
	return 0;
}

/* the original "ima" template: HEX path, no template data length */
static int put_ima(const struct line *l, struct span rest, struct out_buf *o)
{
	struct span d = next_token(&rest);
	uint8_t digest[IMA_SHA1_LEN];

	if (d.s + d.len == l->s + l->len)
		return line_fail(l, "missing the path field");
	if (parse_hex_exact(l, d, "file digest (sha1)", digest, IMA_SHA1_LEN))
		return -1;
	if (rest.len > IMA_OLD_NAME_MAX)
		return line_fail(l, "ima path of %zu bytes exceeds %u", rest.len,
				 IMA_OLD_NAME_MAX);
	put(o, digest, sizeof(digest));
	put_le32(o, (uint32_t)rest.len);
	put(o, rest.s, rest.len);
	return 0;
}

static int convert_line(const struct line *l, struct out_buf *o)
{
	struct span rest = { l->s, l->len }, t;
	uint8_t thash[IMA_SHA1_LEN];
	uint32_t pcr = 0;
	int tmpl, rc;

	for (size_t i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->s[i];

		if (c < 0x20 || c == 0x7f)
			return line_fail(l, "control character 0x%02x at column %zu",
					 c, i + 1);
	}
	if (parse_pcr(l, &rest, &pcr))
		return -1;
	t = next_token(&rest);
	if (parse_hex_exact(l, t, "template hash", thash, IMA_SHA1_LEN))
		return -1;
	t = next_token(&rest);
	tmpl = lookup_template(t);
	if (!t.len)
		return line_fail(l, "missing the template name");
	if (tmpl < 0)
		return line_fail(l, "unknown template \"%.*s\"",
				 (int)(t.len < 64 ? t.len : 64), t.s);
	if (t.s + t.len == l->s + l->len)
		return line_fail(l, "missing the template fields");
	put_le32(o, pcr);
	put(o, thash, sizeof(thash));
	put_le32(o, (uint32_t)t.len);
	put(o, t.s, t.len);
	if (tmpl == IMA_TEMPLATE_IMA)
		return put_ima(l, rest, o);
	{
		struct out_buf td = { 0 };

		rc = put_ng(l, tmpl, rest, &td);
		if (!rc && td.failed)
			rc = line_fail(l, "out of memory");
		if (!rc) {
			put_le32(o, (uint32_t)td.len);
			put(o, td.p, td.len);
		}
		free(td.p);
	}
	return rc;
}

int ima_ascii_to_binary(const char *text, size_t len, uint8_t **out,
			size_t *out_len, struct ima_log_error *err)
{
	struct out_buf o = { 0 };
	struct line l = { .err = err };

	*out = NULL;
	*out_len = 0;
	while (l.offset < len) {
		const char *s = text + l.offset;
		size_t left = len - l.offset;
		const char *nl = memchr(s, '\n', left);

		l.s = s;
		l.len = nl ? (size_t)(nl - s) : left;
		if (l.index >= IMA_DEFAULT_MAX_ENTRIES) {
			line_fail(&l, "log holds more than %u entries",
				  IMA_DEFAULT_MAX_ENTRIES);
			goto fail;
		}
		if (l.len > IMA_ASCII_LINE_MAX) {
			line_fail(&l, "line longer than %u bytes",
				  IMA_ASCII_LINE_MAX);
			goto fail;
		}
		if (!nl) {
			line_fail(&l, "no newline at the end (truncated log?)");
			goto fail;
		}
		if (!l.len) {
			line_fail(&l, "empty line");
			goto fail;
		}
		if (convert_line(&l, &o))
			goto fail;
		if (o.failed) {
			line_fail(&l, "out of memory (log too large)");
			goto fail;
		}
		l.offset += l.len + 1;
		l.index++;
	}
	*out = o.p;
	*out_len = o.len;
	return 0;
fail:
	free(o.p);
	return -1;
}
