// SPDX-License-Identifier: GPL-2.0
/*
 * leoctl measurements [--log PATH] [--all] [--json]
 *   Print leo.ko's own IMA records, decoded (with --all: every entry of
 *   the log, leo's decoded). Gaps in a module load's sequence numbers are
 *   reported: they are decisions IMA did not log.
 *
 * leoctl measurements --verify [--log PATH] [--tcti TCTI] [--json]
 *   Does the log replay to the TPM's PCR 10 (sha256 bank, and sha1 if the
 *   TPM has one)? The PCRs are read before the log, so the log may hold
 *   newer entries than the PCRs; a match at some entry is a match. Exit 0
 *   only on a match; otherwise say where the log first fails or that no
 *   prefix of it matches.
 *
 * Single-threaded, like the rest of leoctl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/escape.h"
#include "ima/ima_log.h"
#include "ima/leo_records.h"
#include "leoctl/commands.h"
#include "tpm/ima_pcrs.h"
#include "tpm/tpm.h"

#define USAGE \
"Usage: leoctl measurements [--log PATH] [--all] [--json]\n" \
"       leoctl measurements --verify [--log PATH] [--tcti TCTI] [--json]\n" \
"\n" \
"  --log PATH   binary IMA log (default\n" \
"               " IMA_LOG_DEFAULT_PATH ")\n" \
"  --all        every entry, not only leo's records\n" \
"  --verify     check that the log replays to the TPM's PCR 10\n" \
"  --tcti TCTI  TPM to read (default: $" LEO_TPM_TCTI_ENV ", else\n" \
"               " LEO_TPM_DEFAULT_TCTI ")\n" \
"\n" \
"Exit status: 0 success (--verify: the log matches), 1 error or\n" \
"mismatch, 2 bad usage.\n"

struct meas_opts {
	const char *log_path;
	const char *tcti;
	bool all;
	bool verify;
	bool json;
};

static int usage(const char *what, const char *arg)
{
	fprintf(stderr, "leoctl: measurements: %s%s\n%s", arg, what, USAGE);
	return LEOCTL_EXIT_USAGE;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct meas_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->log_path = IMA_LOG_DEFAULT_PATH;
	o->json = leoctl_json;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(USAGE, stdout);
			return LEOCTL_EXIT_OK;
		} else if (!strcmp(a, "--all")) {
			o->all = true;
		} else if (!strcmp(a, "--verify")) {
			o->verify = true;
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--log") || !strcmp(a, "--tcti")) {
			if (i + 1 >= argc)
				return usage(" needs a value", a);
			if (!strcmp(a, "--log"))
				o->log_path = argv[++i];
			else
				o->tcti = argv[++i];
		} else {
			return usage(": unexpected argument", a);
		}
	}
	if (o->tcti && !o->verify)
		return usage(" only goes with --verify", "--tcti");
	if (o->all && o->verify)
		return usage(" does not go with --verify", "--all");
	return -1;
}

static int load_log(const char *path, uint8_t **log, size_t *len)
{
	int rc = ima_log_read_file(path, log, len);

	if (rc) {
		fprintf(stderr, "leoctl: measurements: cannot read %s: %s\n",
			path, strerror(-rc));
		return LEOCTL_EXIT_ERROR;
	}
	return LEOCTL_EXIT_OK;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static json_object *entry_json(const struct ima_entry *e)
{
	json_object *o = json_object_new_object();
	char d[2 * IMA_MAX_DIGEST + 1];

	hex(e->digest, e->digest_len, d);
	json_object_object_add(o, "index", json_object_new_uint64(e->index));
	json_object_object_add(o, "pcr", json_object_new_int(e->pcr));
	json_object_object_add(o, "template",
		json_object_new_string(ima_template_name(e->template_id)));
	json_object_object_add(o, "digest_algo",
		json_object_new_string(ima_hash_algo_name(e->digest_algo)));
	json_object_object_add(o, "digest", json_object_new_string(d));
	json_object_object_add(o, "path", json_object_new_string(e->path));
	json_object_object_add(o, "violation",
			       json_object_new_boolean(e->violation));
	if (e->sig_len) {
		char *sig = malloc(2 * (size_t)e->sig_len + 1);

		if (sig) {
			hex(e->sig, e->sig_len, sig);
			json_object_object_add(o, "sig",
					       json_object_new_string(sig));
			free(sig);
		}
	}
	if (e->buf)
		json_object_object_add(o, "buf_len",
				       json_object_new_int64(e->buf_len));
	return o;
}

static void print_entry(const struct ima_entry *e)
{
	char d[2 * IMA_MAX_DIGEST + 1];
	char path[LEO_ESCAPED_SIZE(IMA_PATH_MAX)];

	hex(e->digest, e->digest_len, d);
	printf("%llu %u %s %s:%s %s%s\n", (unsigned long long)e->index,
	       e->pcr, ima_template_name(e->template_id),
	       ima_hash_algo_name(e->digest_algo), d,
	       leo_escape(e->path, e->path_len, path, sizeof(path)),
	       e->violation ? " (violation)" : "");
}

static void print_gap(const struct leo_record *r, uint64_t missing)
{
	if (missing == UINT64_MAX)
		printf("# warning: seq %llu repeats or goes back\n",
		       (unsigned long long)r->seq);
	else if (missing)
		printf("# gap: %llu record(s) not logged before seq %llu\n",
		       (unsigned long long)missing,
		       (unsigned long long)r->seq);
}

/*
 * One leo record and any gap before it. JSON: appended to @arr, or with
 * --all nested as "leo" in the entry's object @jent. Text: one line,
 * indented under its entry with --all.
 */
static void show_record(const struct meas_opts *o, const struct ima_entry *e,
			const struct leo_record *r, uint64_t missing,
			json_object *arr, json_object *jent)
{
	char line[512];

	if (o->json) {
		json_object *jr = leo_record_to_json(r);

		json_object_object_add(jr, "index",
				       json_object_new_uint64(e->index));
		if (missing)
			json_object_object_add(jr, "missing_before",
				json_object_new_uint64(missing));
		if (jent)
			json_object_object_add(jent, "leo", jr);
		else
			json_object_array_add(arr, jr);
		return;
	}
	print_gap(r, missing);
	leo_record_format(r, line, sizeof(line));
	printf("%s%llu %s\n", o->all ? "  leo: " : "",
	       (unsigned long long)e->index, line);
}

/* With --all, the entry itself; returns its JSON object (JSON mode). */
static json_object *show_entry(const struct meas_opts *o,
			       const struct ima_entry *e, json_object *arr)
{
	json_object *jent;

	if (!o->all)
		return NULL;
	if (!o->json) {
		print_entry(e);
		return NULL;
	}
	jent = entry_json(e);
	json_object_array_add(arr, jent);
	return jent;
}

static int list_records(const struct meas_opts *o, const uint8_t *log,
			size_t len)
{
	json_object *arr = json_object_new_array();
	struct leo_seq_tracker seq = { 0 };
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;
	struct leo_record r;
	int rc, is_leo = 0;

	ima_log_iter_init(&it, log, len);
	while ((rc = ima_log_next(&it, &e, &err)) > 0) {
		json_object *jent;

		is_leo = leo_record_decode(&e, &r, &err);
		if (is_leo < 0)
			break;
		jent = show_entry(o, &e, arr);

		if (is_leo)
			show_record(o, &e, &r, leo_seq_track(&seq, &r, NULL),
				    arr, jent);
	}
	if (o->json)
		printf("%s\n", json_object_to_json_string_ext(arr,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	if (rc < 0 || is_leo < 0) {
		fprintf(stderr, "leoctl: measurements: %s\n", err.msg);
		return LEOCTL_EXIT_ERROR;
	}
	return LEOCTL_EXIT_OK;
}

/* PCR values first: the log read afterwards can only be longer. */
static int read_tpm(const struct meas_opts *o, struct ima_pcr_target t[2],
		    size_t *n, uint32_t *banks)
{
	struct leo_tpm tpm;
	int rc;

	if (leo_tpm_open(&tpm, o->tcti)) {
		fprintf(stderr, "leoctl: measurements: %s\n", tpm.err);
		return LEOCTL_EXIT_ERROR;
	}
	rc = leo_tpm_read_ima_targets(&tpm, LEO_IMA_PCR, t, n, banks);
	if (rc)
		fprintf(stderr, "leoctl: measurements: %s: %s\n",
			tpm.tcti_conf, tpm.err);
	leo_tpm_close(&tpm);
	return rc ? LEOCTL_EXIT_ERROR : LEOCTL_EXIT_OK;
}

static const char *verdict_text(const struct ima_verify_result *res)
{
	switch (res->status) {
	case IMA_VERIFY_MATCH:
		return "match";
	case IMA_VERIFY_NO_MATCH:
		return "no-match";
	default:
		return "bad-log";
	}
}

static void print_verify_json(const struct ima_verify_result *res,
			      const struct ima_pcr_target *t, size_t n)
{
	json_object *o = json_object_new_object();
	json_object *tpm = json_object_new_object();
	json_object *replay = json_object_new_object();
	char h[2 * IMA_MAX_DIGEST + 1];

	json_object_object_add(o, "result",
			       json_object_new_string(verdict_text(res)));
	json_object_object_add(o, "pcr", json_object_new_int(LEO_IMA_PCR));
	json_object_object_add(o, "log_entries",
			       json_object_new_uint64(res->log_entries));
	if (res->status == IMA_VERIFY_MATCH)
		json_object_object_add(o, "matched_entries",
			json_object_new_uint64(res->matched_entries));
	if (res->status == IMA_VERIFY_BAD_LOG) {
		json_object_object_add(o, "error",
				       json_object_new_string(res->err.msg));
		json_object_object_add(o, "error_entry",
				       json_object_new_uint64(res->err.index));
		json_object_object_add(o, "error_offset",
				       json_object_new_uint64(res->err.offset));
	}
	for (size_t i = 0; i < n; i++) {
		const char *bank = ima_bank_name(t[i].bank);

		hex(t[i].digest, ima_bank_size(t[i].bank), h);
		json_object_object_add(tpm, bank, json_object_new_string(h));
		hex(res->replay.pcr[t[i].bank][LEO_IMA_PCR],
		    ima_bank_size(t[i].bank), h);
		json_object_object_add(replay, bank, json_object_new_string(h));
	}
	json_object_object_add(o, "tpm", tpm);
	json_object_object_add(o, "replay", replay);
	printf("%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_verify_text(const struct ima_verify_result *res,
			      const struct ima_pcr_target *t, size_t n)
{
	char h[2 * IMA_MAX_DIGEST + 1];

	for (size_t i = 0; i < n; i++) {
		hex(t[i].digest, ima_bank_size(t[i].bank), h);
		printf("tpm    pcr %d %-6s %s\n", LEO_IMA_PCR,
		       ima_bank_name(t[i].bank), h);
		hex(res->replay.pcr[t[i].bank][LEO_IMA_PCR],
		    ima_bank_size(t[i].bank), h);
		printf("replay pcr %d %-6s %s\n", LEO_IMA_PCR,
		       ima_bank_name(t[i].bank), h);
	}
	switch (res->status) {
	case IMA_VERIFY_MATCH:
		printf("match: the first %llu of %llu entries replay to PCR %d",
		       (unsigned long long)res->matched_entries,
		       (unsigned long long)res->log_entries, LEO_IMA_PCR);
		if (res->matched_entries < res->log_entries)
			printf(" (%llu newer entries not covered yet)",
			       (unsigned long long)(res->log_entries -
						    res->matched_entries));
		printf("\n");
		break;
	case IMA_VERIFY_NO_MATCH:
		printf("mismatch: no prefix of the log's %llu entries replays to PCR %d\n",
		       (unsigned long long)res->log_entries, LEO_IMA_PCR);
		break;
	default:
		printf("mismatch: the log diverges at %s\n", res->err.msg);
		break;
	}
}

static int verify(const struct meas_opts *o)
{
	struct ima_pcr_target t[2];
	struct ima_verify_result *res;
	uint32_t banks;
	uint8_t *log;
	size_t n, len;
	int rc;

	rc = read_tpm(o, t, &n, &banks);
	if (rc)
		return rc;
	rc = load_log(o->log_path, &log, &len);
	if (rc)
		return rc;
	res = malloc(sizeof(*res));	/* holds a replay state: ~6 KiB */
	if (!res) {
		free(log);
		fprintf(stderr, "leoctl: measurements: out of memory\n");
		return LEOCTL_EXIT_ERROR;
	}
	rc = ima_verify_log(log, len, banks, t, n, res) ?
	     LEOCTL_EXIT_ERROR : LEOCTL_EXIT_OK;
	if (o->json)
		print_verify_json(res, t, n);
	else
		print_verify_text(res, t, n);
	free(res);
	free(log);
	return rc;
}

int cmd_measurements(int argc, char **argv)
{
	struct meas_opts o;
	uint8_t *log;
	size_t len;
	int rc = parse_args(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (o.verify)
		return verify(&o);
	rc = load_log(o.log_path, &log, &len);
	if (rc)
		return rc;
	rc = list_records(&o, log, len);
	free(log);
	return rc;
}
