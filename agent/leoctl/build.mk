# leoctl: the command-line tool. Every leoctl/*.c is part of it (other
# components drop their cmd_*.c here); unit tests live in leoctl/test/.
BINS += leoctl
leoctl_SRCS := $(sort $(wildcard leoctl/*.c))

LEOCTL_CORE := leoctl/parse.c leoctl/names.c leoctl/units.c \
	leoctl/format_json.c leoctl/format_text.c

TESTS += test_leoctl_parse test_leoctl_format
test_leoctl_parse_SRCS := leoctl/test/test_parse.c leoctl/test/tap.c \
	$(LEOCTL_CORE)
test_leoctl_format_SRCS := leoctl/test/test_format.c leoctl/test/tap.c \
	$(LEOCTL_CORE)

# Runs the leoctl binary itself: build it first (order-only, not linked).
TESTS += test_leoctl_cli
test_leoctl_cli_SRCS := leoctl/test/test_cli.c leoctl/test/tap.c
$(O)/test_leoctl_cli $(O)/asan/test_leoctl_cli: | $(O)/leoctl

FUZZERS += fuzz_leoctl_parse
fuzz_leoctl_parse_SRCS := leoctl/test/fuzz_parse.c $(LEOCTL_CORE)
fuzz_leoctl_parse_CORPUS := leoctl/test/fuzz-corpus
