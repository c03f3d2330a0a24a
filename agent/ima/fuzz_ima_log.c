// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as a binary IMA log. Parses every entry,
 * replays it, decodes and formats leo's records, verifies the whole log
 * against the replay's own final value, checks that an incremental replay
 * (half, save, load, resume, rest) equals the full one, and loads the
 * bytes as a saved replay state. Checks the parser's promises on every entry; a broken
 * promise aborts, which the fuzzer reports as a crash.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ima/ima_log.h"
#include "ima/leo_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entry(const struct ima_entry *e, size_t size)
{
	if (e->offset + e->record_len > size || e->pcr >= IMA_PCR_COUNT ||
	    e->digest_len != ima_hash_algo_size(e->digest_algo) ||
	    strlen(e->path) != e->path_len ||
	    (e->sig_len && !e->sig) || (e->buf_len && !e->buf) ||
	    e->template_data_len > IMA_TEMPLATE_DATA_MAX + 0u)
		abort();
}

static void decode_leo(const struct ima_entry *e)
{
	struct ima_log_error err;
	struct leo_record r;
	char line[512];

	if (leo_record_decode(e, &r, &err) != 1)
		return;
	if (r.length != e->buf_len)
		abort();
	leo_record_format(&r, line, sizeof(line));
	json_object_put(leo_record_to_json(&r));
}

/*
 * Incremental replay must equal the full one: replay half the entries,
 * save and load the state, resume on the whole log and replay the rest.
 */
static void check_incremental(const uint8_t *data, size_t size,
			      const struct ima_replay *full)
{
	static struct ima_replay half, loaded;
	static uint8_t saved[IMA_REPLAY_SAVE_LEN];
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;

	ima_replay_init(&half, full->banks);
	ima_log_iter_init(&it, data, size);
	for (uint64_t i = 0; i < full->entries / 2; i++)
		if (ima_log_next(&it, &e, &err) != 1 ||
		    ima_replay_entry(&half, &e, &err))
			abort();
	ima_replay_save(&half, saved);
	if (ima_replay_load(&loaded, saved, sizeof(saved)) ||
	    ima_replay_resume(&loaded, &it, data, size, &err) ||
	    ima_replay_all(&loaded, &it, &err) ||
	    memcmp(&loaded, full, sizeof(loaded)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ima_replay r, loaded;
	static struct ima_verify_result res;
	struct ima_pcr_target t = { .bank = IMA_BANK_SHA256, .pcr = 10 };
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;
	int rc;

	ima_replay_init(&r, IMA_BANKS_DEFAULT);
	ima_log_iter_init(&it, data, size);
	it.max_entries = 4096;
	while ((rc = ima_log_next(&it, &e, &err)) > 0) {
		check_entry(&e, size);
		decode_leo(&e);
		if (ima_replay_entry(&r, &e, &err))
			break;
	}
	if (rc == 0 && r.entries == it.index) {
		/* A well-formed log matches its own replay. */
		memcpy(t.digest, r.pcr[IMA_BANK_SHA256][10], 32);
		if (ima_verify_log(data, size, IMA_BANKS_DEFAULT, &t, 1, &res))
			abort();
		check_incremental(data, size, &r);
	}
	ima_replay_load(&loaded, data, size);
	return 0;
}
