# Shared helpers of the agent, linked into every program.
LIB_SRCS += common/escape.c

TESTS += test_common_escape
test_common_escape_SRCS := common/test_escape.c attest/test/tap.c
