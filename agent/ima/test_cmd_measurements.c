// SPDX-License-Identifier: GPL-2.0
/*
 * `leoctl measurements` without a TPM: listing leo's records (text, JSON,
 * --all) from the real-kernel fixture and from built logs, sequence gaps,
 * and the exit status of bad logs and bad usage. The --verify path runs
 * against swtpm in tpm/test_tpm_pcr.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <endian.h>
#include <json-c/json.h>

#include <linux/leo_measure.h>

#include "ima/tap.h"
#include "ima/test_capture.h"
#include "ima/testlog.h"
#include "leoctl/commands.h"

bool leoctl_json;	/* defined by leoctl's main.c, not linked here */

static char out[1 << 16];

static int run(const char *a1, const char *a2, const char *a3,
	       const char *a4)
{
	char *argv[] = { "measurements", (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, NULL };
	int argc = 1;

	while (argc < 5 && argv[argc])
		argc++;
	return run_captured(cmd_measurements, argc, argv, out, sizeof(out));
}

static int count_lines(const char *s, const char *prefix)
{
	int n = 0;

	for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

static void test_real_log(const char *real)
{
	json_object *j = NULL;

	ok(run("--log", real, NULL, NULL) == 0 && count_lines(out, "") == 6 &&
	   strstr(out, "seq=2 op=peer-add") &&
	   strstr(out, "addr=198.51.100.7 state=attested") &&
	   strstr(out, "op=config") && strstr(out, "mode=monitor"),
	   "text: 6 leo records of the real log");
	ok(run("--log", real, "--json", NULL) == 0 &&
	   (j = json_tokener_parse(out)) != NULL &&
	   json_object_array_length(j) == 6 &&
	   !strcmp(json_object_get_string(json_object_object_get(
			json_object_array_get_idx(j, 3), "op")), "peer-set"),
	   "--json: an array of 6 records, the 4th a peer-set");
	json_object_put(j);
	j = NULL;
	ok(run("--log", real, "--all", NULL) == 0 &&
	   count_lines(out, "  leo: ") == 6 && count_lines(out, "") == 42 &&
	   strstr(out, "0 10 ima-sig sha256:4d71eba8"),
	   "--all: 36 entries, 6 of them with a decoded leo line");
	leoctl_json = true;	/* as `leoctl --json measurements` sets it */
	ok(run("--log", real, "--all", NULL) == 0 &&
	   (j = json_tokener_parse(out)) != NULL &&
	   json_object_array_length(j) == 36 &&
	   json_object_object_get(json_object_array_get_idx(j, 20), "leo"),
	   "global --json with --all: 36 entries, leo records nested");
	json_object_put(j);
	leoctl_json = false;
}

static void add_config(struct testlog *tl, uint64_t seq)
{
	uint8_t rec[56] = { 0 };
	struct leo_measure_hdr h = {
		.magic = htole32(LEO_MEASURE_MAGIC),
		.version = htole16(LEO_MEASURE_VERSION),
		.op = htole16(LEO_MEASURE_OP_CONFIG),
		.length = htole32(sizeof(rec)),
		.seq = htole64(seq), .instance = htole64(7),
	};

	memcpy(rec, &h, sizeof(h));
	testlog_add_buf(tl, 10, LEO_MEASURE_NAME_CONFIG, rec, sizeof(rec));
}

static int write_log(const struct testlog *tl, char *name)
{
	int fd = mkstemp(name);
	bool good = fd >= 0 &&
		    write(fd, tl->data, tl->len) == (ssize_t)tl->len;

	if (fd >= 0)
		close(fd);
	return good ? 0 : -1;
}

static void test_gaps_and_errors(void)
{
	char name[] = "/tmp/leo-meas-XXXXXX";
	struct testlog tl;

	testlog_init(&tl);
	add_config(&tl, 0);
	add_config(&tl, 1);
	add_config(&tl, 4);
	ok(write_log(&tl, name) == 0 && run("--log", name, NULL, NULL) == 0 &&
	   strstr(out, "# gap: 2 record(s) not logged before seq 4"),
	   "a gap in the sequence numbers is reported");
	unlink(name);

	tl.data[tl.len - 10] ^= 1;	/* inside the last record's buffer */
	strcpy(name, "/tmp/leo-meas-XXXXXX");
	ok(write_log(&tl, name) == 0 && run("--log", name, NULL, NULL) == 1,
	   "an edited leo record: exit 1");
	unlink(name);
	testlog_free(&tl);

	ok(run("--log", "/nonexistent/log", NULL, NULL) == 1,
	   "missing log file: exit 1");
	ok(run("--bogus", NULL, NULL, NULL) == 2, "unknown option: exit 2");
	ok(run("--log", NULL, NULL, NULL) == 2, "--log without a value: exit 2");
	ok(run("--tcti", "device:/dev/tpmrm0", NULL, NULL) == 2,
	   "--tcti without --verify: exit 2");
	ok(run("--verify", "--all", NULL, NULL) == 2,
	   "--verify with --all: exit 2");
	ok(run("--help", NULL, NULL, NULL) == 0 &&
	   strstr(out, "Usage: leoctl measurements"), "--help");
}

/* A path from the log cannot add lines or terminal controls to the text */
static void test_escaped_path(void)
{
	static const char evil[] = "/tmp/a\npass: 0 failures\x1b[2J\\";
	char name[] = "/tmp/leo-meas-XXXXXX";
	json_object *j = NULL;
	struct testlog tl;

	testlog_init(&tl);
	testlog_add_file(&tl, 10, evil);
	ok(write_log(&tl, name) == 0 && run("--log", name, "--all", NULL) == 0 &&
	   count_lines(out, "") == 1 && !strstr(out, "\npass") &&
	   !strchr(out, 0x1b) &&
	   strstr(out, " /tmp/a\\x0apass: 0 failures\\x1b[2J\\x5c\n"),
	   "--all text: control bytes and backslash in a path are \\xHH");
	ok(run("--log", name, "--all", "--json") == 0 &&
	   (j = json_tokener_parse(out)) != NULL && !strchr(out, 0x1b) &&
	   !strstr(out, "a\npass") && strstr(out, "a\\npass") &&
	   !strcmp(json_object_get_string(json_object_object_get(
			json_object_array_get_idx(j, 0), "path")), evil),
	   "--all --json: the path is escaped by JSON and decodes to itself");
	json_object_put(j);
	unlink(name);
	testlog_free(&tl);
}

int main(void)
{
	const char *dir = getenv("LEO_IMA_CORPUS");
	char real[512];

	snprintf(real, sizeof(real), "%s/valid-real-6.1-guest.bin",
		 dir ? dir : "ima/corpus");
	test_real_log(real);
	test_gaps_and_errors();
	test_escaped_path();
	return tap_done();
}
