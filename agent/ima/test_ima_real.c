// SPDX-License-Identifier: GPL-2.0
/*
 * A log written by a real kernel: ima/corpus/valid-real-6.1-guest.bin is
 * binary_runtime_measurements of a vm-test guest (Debian 6.1 kernel, IMA
 * policy "leo", template ima-sig) after leo.ko was loaded and leoctl added
 * a subnet and a peer, quarantined and removed it, and set monitor mode.
 * Its PCR 10 value below was read from that guest's swtpm (sha256 bank),
 * and the entries were checked against ascii_runtime_measurements.
 * Runs from agent/ (as `make check` does) or with LEO_IMA_CORPUS=DIR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/leo_measure.h>

#include "ima/ima_log.h"
#include "ima/leo_records.h"
#include "ima/tap.h"

#define REAL_LOG	"valid-real-6.1-guest.bin"
#define REAL_ENTRIES	36

static const char tpm_pcr10_sha256[] =
	"e727857d086ec3e158ea9f5daf8be8b3ed22acae4f7c02eac103e760f44abaf0";

static bool unhex(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return false;
	return true;
}

static void test_entries(const uint8_t *log, size_t len)
{
	static const uint16_t ops[] = {
		LEO_MEASURE_OP_MODULE_LOAD, LEO_MEASURE_OP_SUBNET_ADD,
		LEO_MEASURE_OP_PEER_ADD, LEO_MEASURE_OP_PEER_SET,
		LEO_MEASURE_OP_PEER_DEL, LEO_MEASURE_OP_CONFIG,
	};
	struct leo_seq_tracker seq = { 0 };
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;
	struct leo_record r;
	int sig = 0, leo = 0, gaps = 0, order_ok = 1, first_ok = 0;

	ima_log_iter_init(&it, log, len);
	while (ima_log_next(&it, &e, &err) > 0) {
		if (e.index == 0)
			first_ok = e.template_id == IMA_TEMPLATE_IMA_SIG &&
				   !strcmp(e.path, "boot_aggregate") &&
				   e.digest_algo == IMA_HASH_SHA256;
		sig += e.template_id == IMA_TEMPLATE_IMA_SIG;
		if (leo_record_decode(&e, &r, &err) != 1)
			continue;
		if (leo < 6 && r.op != ops[leo])
			order_ok = 0;
		gaps += leo_seq_track(&seq, &r, NULL) != 0;
		leo++;
	}
	ok(it.index == REAL_ENTRIES && it.off == len,
	   "real log: %d entries parsed to the last byte", REAL_ENTRIES);
	ok(first_ok, "entry 0: ima-sig boot_aggregate, sha256");
	ok(sig == 30 && leo == 6, "30 ima-sig file entries, 6 leo records");
	ok(order_ok && gaps == 0,
	   "leo records: load, subnet-add, peer-add/set/del, config; seq 0..5");
}

static void test_replay(const uint8_t *log, size_t len)
{
	struct ima_pcr_target t = { .bank = IMA_BANK_SHA256, .pcr = 10 };
	struct ima_verify_result res;
	int rc;

	rc = unhex(tpm_pcr10_sha256, t.digest, 32) ?
	     ima_verify_log(log, len, IMA_BANKS_DEFAULT, &t, 1, &res) : -2;
	ok(rc == 0 && res.matched_entries == REAL_ENTRIES,
	   "replay equals the guest TPM's PCR 10 (sha256) after %llu entries",
	   (unsigned long long)res.matched_entries);
	rc = ima_verify_log(log, len - 1, IMA_BANKS_DEFAULT, &t, 1, &res);
	ok(rc < 0 && res.status == IMA_VERIFY_BAD_LOG &&
	   res.err.index == REAL_ENTRIES - 1,
	   "the same log short of one byte: bad entry %d (%s)",
	   REAL_ENTRIES - 1, res.err.msg);
}

int main(void)
{
	const char *dir = getenv("LEO_IMA_CORPUS");
	char path[512];
	uint8_t *log;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "ima/corpus",
		 REAL_LOG);
	if (!ok(ima_log_read_file(path, &log, &len) == 0, "read %s", path))
		return tap_done();
	test_entries(log, len);
	test_replay(log, len);
	free(log);
	return tap_done();
}
