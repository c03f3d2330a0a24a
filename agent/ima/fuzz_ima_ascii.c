// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as an ASCII IMA log. The converter's
 * promises: it either fails (nothing to free, a "line N: " message whose
 * N is the entry + 1) or returns a binary log that the binary parser
 * reads to its end without an error, one entry per line, with no control
 * character in any path. A broken promise aborts (a crash to the fuzzer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ima/ima_ascii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ima_log_error err;
	struct ima_log_iter it;
	struct ima_entry e;
	uint8_t *bin = NULL;
	size_t len = 0, lines = 0;
	char want[32];
	int rc;

	if (ima_ascii_to_binary((const char *)data, size, &bin, &len, &err)) {
		snprintf(want, sizeof(want), "line %llu: ",
			 (unsigned long long)err.index + 1);
		if (bin || len || strncmp(err.msg, want, strlen(want)) ||
		    err.offset > size)
			abort();
		return 0;
	}
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	ima_log_iter_init(&it, bin, len);
	while ((rc = ima_log_next(&it, &e, &err)) == 1)
		for (uint32_t i = 0; i < e.path_len; i++)
			if ((unsigned char)e.path[i] < 0x20 || e.path[i] == 0x7f)
				abort();
	if (rc != 0 || it.index != lines)
		abort();
	free(bin);
	return 0;
}
