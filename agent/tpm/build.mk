# TPM access (tpm2-tss ESAPI): context, PCR read/extend, IMA PCR targets.
LIB_SRCS += tpm/tpm.c tpm/ima_pcrs.c

# Against a real swtpm (started by the test; skipped if not installed).
# Also links the `leoctl measurements` command to run its --verify path.
TESTS += test_tpm_pcr
test_tpm_pcr_SRCS := tpm/test_tpm_pcr.c ima/testlog.c ima/test_capture.c \
	attest/test/swtpm.c leoctl/cmd_measurements.c
