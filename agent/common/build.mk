# Shared helpers of the agent, linked into every program.
LIB_SRCS += common/escape.c common/hex.c

TESTS += test_common_escape
test_common_escape_SRCS := common/test_escape.c attest/test/tap.c
TESTS += test_common_hex
test_common_hex_SRCS := common/test_hex.c attest/test/tap.c
