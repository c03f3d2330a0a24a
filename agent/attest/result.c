// SPDX-License-Identifier: GPL-2.0
/* Verification results: failure list, names, text and JSON output. */
#include <stdarg.h>
#include <string.h>

#include <json-c/json.h>

#include "attest/verify_internal.h"
#include "common/escape.h"

static const char *const reason_names[__ATTEST_R_MAX] = {
	[ATTEST_R_EVIDENCE] = "evidence",
	[ATTEST_R_AK_ATTRIBUTES] = "ak-attributes",
	[ATTEST_R_AK_UNKNOWN] = "ak-unknown",
	[ATTEST_R_QUOTE] = "quote",
	[ATTEST_R_SIGNER] = "signer",
	[ATTEST_R_SIGNATURE] = "signature",
	[ATTEST_R_QUALIFYING] = "qualifying-data",
	[ATTEST_R_PCR_SELECTION] = "pcr-selection",
	[ATTEST_R_PCR_DIGEST] = "pcr-digest",
	[ATTEST_R_PCR_GOLDEN] = "pcr-golden",
	[ATTEST_R_CLOCK_ROLLBACK] = "clock-rollback",
	[ATTEST_R_CLOCK_STALLED] = "clock-stalled",
	[ATTEST_R_REBOOT] = "reboot",
	[ATTEST_R_FIRMWARE] = "firmware",
	[ATTEST_R_IMA_LOG] = "ima-log",
	[ATTEST_R_IMA_GAP] = "ima-gap",
	[ATTEST_R_IMA_REPLAY] = "ima-replay",
	[ATTEST_R_IMA_PCR] = "ima-pcr",
	[ATTEST_R_FILE_UNKNOWN] = "file-unknown",
	[ATTEST_R_FILE_DIGEST] = "file-digest",
	[ATTEST_R_VIOLATION] = "violation",
	[ATTEST_R_LEO_RECORD] = "leo-record",
	[ATTEST_R_IMA_MISSING] = "ima-missing",
	[ATTEST_R_FILE_SIGNATURE] = "file-signature",
};

const char *attest_reason_name(enum attest_reason r)
{
	return r < __ATTEST_R_MAX ? reason_names[r] : "unknown";
}

void attest_fail(struct attest_result *res, enum attest_reason r, int pcr,
		 int64_t entry, const char *fmt, ...)
{
	struct attest_failure *f;
	va_list ap;

	res->pass = false;
	if (res->n_failures == ATTEST_MAX_FAILURES) {
		res->more_failures++;
		return;
	}
	f = &res->failures[res->n_failures++];
	memset(f, 0, sizeof(*f));
	f->reason = r;
	f->pcr = pcr;
	f->entry = entry;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

void attest_fail_file(struct attest_result *res, const char *path,
		      size_t path_len, const char *algo, const uint8_t *digest,
		      size_t digest_len)
{
	struct attest_failure *f;
	size_t n;

	if (res->more_failures || !res->n_failures)
		return;
	f = &res->failures[res->n_failures - 1];
	n = path_len < sizeof(f->path) - 1 ? path_len : sizeof(f->path) - 1;
	memcpy(f->path, path, n);
	f->path[n] = 0;
	if (!digest || digest_len > IMA_MAX_DIGEST)
		return;
	n = snprintf(f->digest, sizeof(f->digest), "%.7s:", algo);
	for (size_t i = 0; i < digest_len && n + 2 < sizeof(f->digest); i++)
		n += snprintf(f->digest + n, sizeof(f->digest) - n, "%02x",
			      digest[i]);
}

bool attest_result_has(const struct attest_result *res, enum attest_reason r)
{
	for (unsigned int i = 0; i < res->n_failures; i++)
		if (res->failures[i].reason == r)
			return true;
	return false;
}

static const char no_quote_note[] =
	"no quote: the log itself is not proven";

void attest_result_print(const struct attest_result *res, FILE *out)
{
	if (res->no_quote)
		fprintf(out, "%s: %llu IMA entries judged by the policy, template hashes checked; %s (no PCR to replay against)\n",
			res->pass ? "pass" : "FAIL",
			(unsigned long long)res->entries_pending,
			no_quote_note);
	else
		fprintf(out, "%s: %llu new IMA entries verified, %llu in total, %llu newer judged (not yet quoted)%s%s\n",
			res->pass ? "pass" : "FAIL",
			(unsigned long long)res->entries_new,
			(unsigned long long)res->entries_total,
			(unsigned long long)res->entries_pending,
			res->full ? ", full replay" : "",
			res->rebooted ? ", TPM rebooted" : "");
	for (unsigned int i = 0; i < res->n_failures; i++) {
		const struct attest_failure *f = &res->failures[i];
		char path[LEO_ESCAPED_SIZE(sizeof(f->path))];

		fprintf(out, "  %s: %s", attest_reason_name(f->reason),
			f->detail);
		if (f->pcr >= 0)
			fprintf(out, " (PCR %d)", f->pcr);
		if (f->entry >= 0)
			fprintf(out, " (entry %lld)", (long long)f->entry);
		if (f->path[0])
			fprintf(out, " %s", leo_escape(f->path, strlen(f->path),
						       path, sizeof(path)));
		if (f->digest[0])
			fprintf(out, " %s", f->digest);
		fputc('\n', out);
	}
	if (res->more_failures)
		fprintf(out, "  ... and %u more\n", res->more_failures);
}

static json_object *failure_json(const struct attest_failure *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "reason",
			       json_object_new_string(attest_reason_name(f->reason)));
	json_object_object_add(o, "detail", json_object_new_string(f->detail));
	if (f->pcr >= 0)
		json_object_object_add(o, "pcr", json_object_new_int(f->pcr));
	if (f->entry >= 0)
		json_object_object_add(o, "entry",
				       json_object_new_int64(f->entry));
	if (f->path[0])
		json_object_object_add(o, "path",
				       json_object_new_string(f->path));
	if (f->digest[0])
		json_object_object_add(o, "digest",
				       json_object_new_string(f->digest));
	return o;
}

int attest_result_print_json(const struct attest_result *res, FILE *out)
{
	json_object *o = json_object_new_object();
	json_object *list = json_object_new_array();

	if (!o || !list) {
		json_object_put(o);
		json_object_put(list);
		return -1;
	}
	json_object_object_add(o, "result",
			       json_object_new_string(res->pass ? "pass" : "fail"));
	if (res->no_quote) {
		json_object_object_add(o, "quoted",
				       json_object_new_boolean(false));
		json_object_object_add(o, "note",
				       json_object_new_string(no_quote_note));
	}
	json_object_object_add(o, "rebooted",
			       json_object_new_boolean(res->rebooted));
	json_object_object_add(o, "full_replay",
			       json_object_new_boolean(res->full));
	json_object_object_add(o, "entries_new",
			       json_object_new_int64(res->entries_new));
	json_object_object_add(o, "entries_total",
			       json_object_new_int64(res->entries_total));
	json_object_object_add(o, "entries_pending",
			       json_object_new_int64(res->entries_pending));
	for (unsigned int i = 0; i < res->n_failures; i++)
		json_object_array_add(list, failure_json(&res->failures[i]));
	json_object_object_add(o, "failures", list);
	json_object_object_add(o, "failures_not_listed",
			       json_object_new_int(res->more_failures));
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return 0;
}
