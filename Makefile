# SPDX-License-Identifier: GPL-2.0
#
# leo: top-level build. `make deps` installs what the build and tests need
# (Debian 12), `make` builds module, agent and selftests, `make check` runs
# every test, `make demo` runs the main job in QEMU guests.

KVER_HOST := $(shell uname -r)
JOBS ?= $(shell nproc)
KDIR ?= $(if $(wildcard /lib/modules/$(KVER_HOST)/build/Makefile),/lib/modules/$(KVER_HOST)/build,$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
export KDIR

.PHONY: all deps module agent selftests check check-host check-vm demo clean checkpatch

all: module agent selftests

deps:
	@./scripts/deps.sh

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run make deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

agent:
	$(MAKE) -C agent

selftests:
	$(MAKE) -C selftests/leo

check: deps
	$(MAKE) -j$(JOBS) all
	./scripts/check.sh

check-host:
	$(MAKE) -C agent check

check-vm:
	./vm-test/run-suite.sh

demo: deps
	$(MAKE) -j$(JOBS) all
	./vm-test/demo.sh

checkpatch:
	./scripts/checkpatch.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C agent clean
	$(MAKE) -C selftests/leo clean
	rm -rf build
