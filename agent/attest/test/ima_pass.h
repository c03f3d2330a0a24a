/* SPDX-License-Identifier: GPL-2.0 */
/* The IMA pass of attest_verify over a test log, without a TPM. */
#ifndef ATTEST_TEST_IMA_PASS_H
#define ATTEST_TEST_IMA_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "attest/quote.h"
#include "attest/verify_internal.h"
#include "ima/testlog.h"

/*
 * Runs the IMA pass as attest_verify does after the quote checks, with a
 * quoted PCR 10 that covers the first @quoted entries of @tl; the entries
 * the state advanced to go to @verified (may be NULL).
 */
struct attest_result ima_pass_upto(const struct testlog *tl,
				   const struct attest_policy *pol,
				   size_t quoted, uint64_t *verified);

#endif
