# SPDX-License-Identifier: GPL-2.0
#
# leo: top-level build. `make deps` installs what the build and tests need
# (Debian 12), `make` builds module, agent and selftests, `make check` runs
# every test, `make demo` runs the main job in QEMU guests.

# The kernel (headers for leo.ko, image for the guests) is chosen by
# scripts/kver.sh, when a recipe needs it: after `make deps` has installed
# it, never when this file is read. KDIR=... on the command line overrides.
JOBS ?= $(shell nproc)
KDIR ?=
KDIR_SH = kdir='$(KDIR)'; [ -n "$$kdir" ] || kdir=$$(./scripts/kver.sh --kdir) || exit 1
# run a recipe holding the tree's run lock (one check/demo at a time)
LOCKED = ./scripts/tree-lock.sh $@

.PHONY: all deps module agent selftests check check-host check-vm check-harness demo clean \
	checkpatch check-locked demo-locked

all: module agent selftests

deps:
	@./scripts/deps.sh

module:
	@$(KDIR_SH); echo "module: building against $$kdir"; \
		$(MAKE) -C "$$kdir" M=$(CURDIR) modules

agent:
	$(MAKE) -C agent

selftests:
	$(MAKE) -C selftests/leo

# deps first, then a recursive make: nothing is computed before deps ran
check:
	@$(LOCKED) $(MAKE) --no-print-directory check-locked
check-locked: deps
	$(MAKE) -j$(JOBS) all
	./scripts/check.sh

check-host:
	$(MAKE) -C agent check

check-vm:
	@$(LOCKED) ./vm-test/run-suite.sh

# the QEMU harness's own self-test
check-harness:
	@$(LOCKED) ./vm-test/selftest.sh

demo:
	@$(LOCKED) $(MAKE) --no-print-directory demo-locked
demo-locked: deps
	$(MAKE) -j$(JOBS) all
	./vm-test/demo.sh

checkpatch:
	./scripts/checkpatch.sh

clean:
	@kdir='$(KDIR)'; [ -n "$$kdir" ] || kdir=$$(./scripts/kver.sh --kdir 2>/dev/null); \
		[ -z "$$kdir" ] || $(MAKE) -C "$$kdir" M=$(CURDIR) clean || true
	$(MAKE) -C agent clean
	$(MAKE) -C selftests/leo clean
	rm -rf build
