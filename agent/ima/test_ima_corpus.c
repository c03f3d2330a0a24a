// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz seed corpus in ima/corpus/: valid-*.bin logs must parse and
 * replay, bad-*.bin logs must fail with an error. With LEO_WRITE_CORPUS=DIR
 * the seeds are (re)written into DIR first, from the log builder.
 * Runs from agent/ (as `make check` does) or with LEO_IMA_CORPUS=DIR.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/leo_measure.h>

#include "ima/ima_log.h"
#include "ima/leo_records.h"
#include "ima/tap.h"
#include "ima/testlog.h"

static const uint8_t d20[20] = { 0xde, 0xad };
static const uint8_t d32[32] = { 0xbe, 0xef };

static void save(const char *dir, const char *name, const struct testlog *tl,
		 size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(tl->data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A record of zeros but the header, an address family and @name. */
static void leo_record_named(struct testlog *tl, uint16_t op, size_t body_len,
			     const char *name)
{
	uint8_t rec[48 + 96] = { 'L', 'E', 'O', 'M', 1, 0 };

	rec[6] = (uint8_t)op;
	rec[8] = (uint8_t)(48 + body_len);
	if (op <= LEO_MEASURE_OP_PEER_EXPIRED || op == LEO_MEASURE_OP_SUBNET_ADD)
		rec[48] = 2;	/* AF_INET */
	if (name)	/* leo_measure_device_rec.name, no NUL added */
		memcpy(rec + 48 + 8, name, strlen(name));
	testlog_add_buf(tl, 10, "leo:seed", rec, 48 + body_len);
}

static void leo_record(struct testlog *tl, uint16_t op, size_t body_len)
{
	leo_record_named(tl, op, body_len, NULL);
}

static void write_valid(const char *dir)
{
	struct testlog tl;

	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-ng", "sha1", d20, 20, "boot_aggregate",
		       NULL, 0, false);
	testlog_add_file(&tl, 10, "/usr/bin/true");
	save(dir, "valid-ima-ng.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-sig", "sha256", d32, 32, "/bin/s",
		       "\x03\x02\x04", 3, false);
	testlog_add_ng(&tl, 10, "ima-sig", "sha256", d32, 32, "/bin/u", NULL,
		       0, false);
	save(dir, "valid-ima-sig.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_add_ima(&tl, 10, d20, "/etc/passwd", false);
	testlog_add_ima(&tl, 10, NULL, "/tmp/violation", true);
	save(dir, "valid-ima.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_add_buf(&tl, 10, "kexec-cmdline", "root=/dev/vda", 13);
	testlog_add_ng(&tl, 10, "ima-ng", "sha256", NULL, 32, "/var/log/x",
		       NULL, 0, true);
	save(dir, "valid-ima-buf-violation.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	leo_record(&tl, LEO_MEASURE_OP_PEER_ADD, 96);
	leo_record(&tl, LEO_MEASURE_OP_SUBNET_ADD, 24);
	leo_record(&tl, LEO_MEASURE_OP_CONFIG, LEO_MEASURE_CONFIG_V1_LEN);
	leo_record(&tl, LEO_MEASURE_OP_CONFIG, 24);
	leo_record_named(&tl, LEO_MEASURE_OP_DEVICE_ADD, 24, "leo-d0");
	leo_record(&tl, LEO_MEASURE_OP_DEVICE_DEL, 24);
	leo_record(&tl, LEO_MEASURE_OP_SEAL, 48);
	leo_record(&tl, LEO_MEASURE_OP_MODULE_LOAD, 8);
	leo_record(&tl, LEO_MEASURE_OP_MODULE_UNLOAD, 24);
	leo_record(&tl, LEO_MEASURE_OP_NETNS_EXIT, 8);
	save(dir, "valid-leo-records.bin", &tl, tl.len);
	testlog_free(&tl);
}

static void write_bad(const char *dir)
{
	struct testlog tl;

	testlog_init(&tl);
	testlog_add_file(&tl, 10, "/usr/bin/true");
	save(dir, "bad-truncated.bin", &tl, tl.len - 5);
	tl.data[4 + 20 + 4 + 6] = 0xff;	/* template data length */
	save(dir, "bad-length-past-end.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_add_ng(&tl, 10, "ima-ng", "md4", d20, 16, "/x", NULL, 0,
		       false);
	save(dir, "bad-dng-algorithm.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	testlog_put_le32(&tl, 10);
	testlog_put(&tl, d20, 20);
	testlog_put_le32(&tl, 9);
	testlog_put(&tl, "ima-ngv2", 8);
	testlog_put_le32(&tl, 0);
	save(dir, "bad-unknown-template.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	leo_record(&tl, LEO_MEASURE_OP_PEER_ADD, 10);
	save(dir, "bad-leo-short-body.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	leo_record_named(&tl, LEO_MEASURE_OP_DEVICE_ADD, 24, "sixteen-chars-xx");
	save(dir, "bad-leo-device-name.bin", &tl, tl.len);
	testlog_free(&tl);

	testlog_init(&tl);
	leo_record(&tl, LEO_MEASURE_OP_CONFIG, 12);
	save(dir, "bad-leo-config-length.bin", &tl, tl.len);
	testlog_free(&tl);
}

/* Parse, replay and decode leo records; 0 if all went well. */
static int check_log(const uint8_t *log, size_t len, char *msg, size_t size)
{
	static struct ima_replay r;
	struct ima_log_error err = { .msg = "" };
	struct ima_log_iter it;
	struct ima_entry e;
	struct leo_record rec;
	int rc;

	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, log, len);
	while ((rc = ima_log_next(&it, &e, &err)) > 0)
		if (leo_record_decode(&e, &rec, &err) < 0 ||
		    ima_replay_entry(&r, &e, &err)) {
			rc = -1;
			break;
		}
	snprintf(msg, size, "%s", err.msg);
	return rc;
}

static void check_dir(const char *dir)
{
	struct dirent *d;
	DIR *dh = opendir(dir);
	int seen = 0;

	if (!ok(dh != NULL, "corpus directory %s", dir))
		return;
	while ((d = readdir(dh))) {
		bool valid = !strncmp(d->d_name, "valid-", 6);
		char path[512], msg[256];
		uint8_t *log;
		size_t len;

		if (!valid && strncmp(d->d_name, "bad-", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (!ok(ima_log_read_file(path, &log, &len) == 0, "read %s",
			path))
			continue;
		if (valid)
			ok(check_log(log, len, msg, sizeof(msg)) == 0,
			   "%s parses, replays, decodes", d->d_name);
		else
			ok(check_log(log, len, msg, sizeof(msg)) < 0,
			   "%s fails: %s", d->d_name, msg);
		free(log);
		seen++;
	}
	closedir(dh);
	ok(seen >= 10, "%d seeds checked", seen);
}

int main(void)
{
	const char *out = getenv("LEO_WRITE_CORPUS");
	const char *dir = getenv("LEO_IMA_CORPUS");

	if (out) {
		write_valid(out);
		write_bad(out);
	}
	check_dir(dir ? dir : out ? out : "ima/corpus");
	return tap_done();
}
