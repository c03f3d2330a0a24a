/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMA's ascii_runtime_measurements, one entry per line:
 *
 *   PCR TEMPLATE-HASH TEMPLATE-NAME FIELD...
 *
 * PCR in decimal (the kernel pads it to two columns with a space), the
 * sha1 template hash as 40 hex digits (all zeros: a violation), then per
 * template:
 *
 *   ima      HEX path                  sha1 file digest, path <= 255 bytes
 *   ima-ng   ALG:HEX path
 *   ima-sig  ALG:HEX path SIGHEX       SIGHEX may be empty ("path ")
 *   ima-buf  ALG:HEX name BUFHEX
 *
 * The path runs to the end of the line (ima, ima-ng) or to the last space
 * (ima-sig, ima-buf), so it may contain spaces; it may not contain control
 * characters (the text format cannot carry a newline, so such a line is
 * refused rather than guessed at).
 *
 * The text is converted into the binary_runtime_measurements layout, byte
 * for byte what the kernel would have written, so that ima_log_next()
 * yields the same struct ima_entry for it as for the binary log, and every
 * check (template hash, replay, policy) runs on one code path. The
 * template hash column is copied, not trusted: the verifier recomputes it.
 *
 * Bounded: a line holds at most IMA_ASCII_LINE_MAX bytes, a log at most
 * IMA_DEFAULT_MAX_ENTRIES lines. Fail closed: an empty line, a last line
 * without its newline (a truncated file), a bad or missing field is an
 * error naming the line number; nothing is skipped.
 */
#ifndef LEO_IMA_ASCII_H
#define LEO_IMA_ASCII_H

#include <stddef.h>
#include <stdint.h>

#include "ima/ima_log.h"

#define IMA_ASCII_LINE_MAX	(64U << 10)	/* bytes of a line, no '\n' */

/*
 * Convert @len bytes of ASCII log at @text. Returns 0 with the binary log
 * in *@out (malloc'ed, the caller frees it; NULL if the text is empty) and
 * its size in *@out_len, or -1 with nothing to free and @err set: its
 * index is the entry (line number - 1), its offset the byte offset of the
 * line in @text, its message "line N: why".
 */
int ima_ascii_to_binary(const char *text, size_t len, uint8_t **out,
			size_t *out_len, struct ima_log_error *err);

#endif /* LEO_IMA_ASCII_H */
