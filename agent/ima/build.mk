# IMA measurement log: parser, replay engine, decoder of leo's records.
LIB_SRCS += ima/ima_log.c ima/ima_replay.c ima/ima_verify.c ima/ima_file.c \
	ima/ima_ascii.c \
	ima/leo_records.c

IMA_TEST_SRCS := ima/testlog.c
TESTS += test_ima_log
test_ima_log_SRCS := ima/test_ima_log.c $(IMA_TEST_SRCS)
TESTS += test_ima_malformed
test_ima_malformed_SRCS := ima/test_ima_malformed.c $(IMA_TEST_SRCS)
TESTS += test_leo_records
test_leo_records_SRCS := ima/test_leo_records.c $(IMA_TEST_SRCS)
TESTS += test_ima_corpus
test_ima_corpus_SRCS := ima/test_ima_corpus.c $(IMA_TEST_SRCS)
TESTS += test_ima_real
test_ima_real_SRCS := ima/test_ima_real.c
TESTS += test_ima_perf
test_ima_perf_SRCS := ima/test_ima_perf.c $(IMA_TEST_SRCS)

FUZZERS += fuzz_ima_log
fuzz_ima_log_SRCS := ima/fuzz_ima_log.c
fuzz_ima_log_CORPUS := ima/corpus
TESTS += test_cmd_measurements
test_cmd_measurements_SRCS := ima/test_cmd_measurements.c ima/test_capture.c \
	$(IMA_TEST_SRCS) leoctl/cmd_measurements.c
TESTS += test_ima_ascii
test_ima_ascii_SRCS := ima/test_ima_ascii.c $(IMA_TEST_SRCS)

FUZZERS += fuzz_ima_ascii
fuzz_ima_ascii_SRCS := ima/fuzz_ima_ascii.c
fuzz_ima_ascii_CORPUS := ima/corpus-ascii
