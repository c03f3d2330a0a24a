# IMA measurement log: parser, replay engine, decoder of leo's records.
LIB_SRCS += ima/ima_log.c ima/ima_replay.c
