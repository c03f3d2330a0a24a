# TPM access (tpm2-tss ESAPI): context, PCR read/extend, IMA PCR targets.
LIB_SRCS += tpm/tpm.c tpm/ima_pcrs.c
