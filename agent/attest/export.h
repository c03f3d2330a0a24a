/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Export of evidence in the formats tpm2-tools reads, so that a quote can
 * be checked independently with
 *   tpm2_checkquote -u ak.pem -m quote.msg -s quote.sig -f pcrs.bin \
 *                   -l <pcr list> -g sha256 -q <qualifying data hex>
 * Stateless.
 */
#ifndef ATTEST_EXPORT_H
#define ATTEST_EXPORT_H

#include <stddef.h>

#include "attest/evidence.h"

/*
 * Write ak.pem (SubjectPublicKeyInfo), quote.msg (TPMS_ATTEST bytes),
 * quote.sig (TPMT_SIGNATURE) and pcrs.bin (the values, as tpm2_pcrread -o
 * writes them) into @dir; @pcr_list receives "sha256:0,10" style text.
 */
int attest_export_checkquote(const struct attest_evidence *ev,
			     const char *dir, char *pcr_list, size_t size);

/* Byte offset of IMA entry @start in @log; -1 if it has fewer entries */
int attest_ima_offset(const uint8_t *log, size_t len, uint64_t start,
		      size_t *off);

#endif /* ATTEST_EXPORT_H */
