# Attestation engine: TPM 2.0 evidence (attester) and its verification.
ATTEST_SRCS := attest/tpm_public.c attest/templates.c attest/provision.c \
	attest/activate.c attest/make_credential.c attest/ekcert.c \
	attest/evidence.c attest/quote.c attest/policy.c attest/ima_sig.c \
	attest/result.c \
	attest/verify_quote.c attest/verify_ima.c attest/verify_leo.c \
	attest/verify.c attest/export.c attest/enroll.c \
	attest/peer_state.c
LIB_SRCS += $(ATTEST_SRCS)

ATTEST_TEST_HELPERS := attest/test/tap.c attest/test/swtpm.c

TESTS += test_attest_tpm
test_attest_tpm_SRCS := attest/test/test_tpm.c $(ATTEST_TEST_HELPERS)

TESTS += test_attest_ekcert
test_attest_ekcert_SRCS := attest/test/test_ekcert.c $(ATTEST_TEST_HELPERS)

TESTS += test_attest_verify
test_attest_verify_SRCS := attest/test/test_verify.c attest/test/host.c \
	$(ATTEST_TEST_HELPERS) ima/testlog.c

TESTS += test_attest_checkquote
test_attest_checkquote_SRCS := attest/test/test_checkquote.c \
	attest/test/host.c $(ATTEST_TEST_HELPERS) ima/testlog.c

TESTS += test_attest_policy
test_attest_policy_SRCS := attest/test/test_policy.c attest/test/tap.c

FUZZERS += fuzz_attest_evidence
fuzz_attest_evidence_SRCS := attest/fuzz_evidence.c
fuzz_attest_evidence_CORPUS := attest/corpus

TESTS += test_attest_ima_policy
test_attest_ima_policy_SRCS := attest/test/test_ima_policy.c \
	attest/test/ima_pass.c attest/test/tap.c ima/testlog.c

TESTS += test_attest_ima_sig
test_attest_ima_sig_SRCS := attest/test/test_ima_sig.c \
	attest/test/ima_pass.c attest/test/tap.c ima/testlog.c

TESTS += test_attest_cli
test_attest_cli_SRCS := attest/test/test_cli.c $(ATTEST_TEST_HELPERS) \
	ima/testlog.c
$(O)/test_attest_cli $(O)/asan/test_attest_cli: | $(O)/leoctl
