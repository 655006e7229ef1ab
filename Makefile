# The README's commands. The logic lives in scripts/ and tests/guest/.
#
#   make run     set up, build, boot the demo guest on the emulated hardware
#   make run KERNEL=zImage [INITRD=cpio] [APPEND=args] [DTB=dtb]
#                set up, build QEMU, boot your kernel on the demo's devices
#                (scripts/run-kernel.py; no guest kernels are built)
#   make check   set up, build, run every test (unit, qtest, CLI, guest)
#
# QEMU_SRC=/path/to/qemu-10.0.x builds against a tree you already have;
# VCM_CACHE (default ~/.cache/smmu-vcm) holds sources and build trees.

.PHONY: all deps qemu qemu-fuzz guest run check bench fuzz docs clean \
	install uninstall

all: qemu

deps:
	scripts/deps.sh

qemu: deps
	scripts/build-qemu.sh

# The sanitizer build: clang with AddressSanitizer, UBSan and libFuzzer.
# It gives the generic-fuzz targets (qemu-fuzz-arm), and the
# qemu-system-arm and tests in which make check runs the unit tests,
# qtests and command-line checks again: one build for both.
qemu-fuzz: deps
	CC=clang CXX=clang++ VCM_BUILD_SUFFIX=-fuzz \
	    VCM_CONFIGURE_EXTRA="--enable-fuzzing --enable-asan --enable-ubsan" \
	    scripts/build-qemu.sh qemu-fuzz-arm qemu-system-arm vcm-tests

# Both Debian kernels, each with the PASR patch series, modules and init;
# 6.12 with the msm_iommu fixes, the vcm-dma dmaengine driver and the ARM
# DMA API through the SMMU; and 6.12 unfixed with that DMA API, which
# reproduces the re-entry the fixes remove (issue 11).
guest: qemu
	tests/guest/build-guest.sh 6.1 build/vcm-guest-6.1
	tests/guest/build-guest.sh 6.12 build/vcm-guest-6.12
	tests/guest/build-guest.sh 6.12-fixes build/vcm-guest-6.12-fixes
	tests/guest/build-guest.sh 6.12-dma-iommu build/vcm-guest-6.12-dma-iommu

ifeq ($(KERNEL),)
run: qemu guest
	scripts/run-demo.sh
else
run: qemu
	scripts/run-kernel.py --kernel '$(KERNEL)' \
	    $(if $(INITRD),--initrd '$(INITRD)') \
	    $(if $(DTB),--dtb '$(DTB)') --append '$(APPEND)'
endif

check: qemu qemu-fuzz guest
	scripts/check.sh

# Figures, not pass/fail: DMA throughput through the SMMU against bypass.
bench: qemu
	meson test -C build --no-rebuild --benchmark --suite vcm-bench --verbose

# FUZZ_SECONDS per target (default 600)
fuzz: qemu-fuzz
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The overlay's pages (docs/index.rst) as HTML in build/docs/vcm/, with
# Debian's Sphinx, warnings as errors; make check builds them too.
docs: qemu
	scripts/build-docs.sh

# QEMU with the overlay as PREFIX/bin/qemu-system-arm-vcm (its own data
# directory, so no distribution QEMU is shadowed), the reference trees and
# the pages; uninstall removes exactly that (scripts/install.sh).
PREFIX ?= /usr/local

install: qemu docs
	scripts/install.sh install '$(PREFIX)'

uninstall:
	scripts/install.sh uninstall '$(PREFIX)'

# Removes the links to the build trees; the cache itself stays.
clean:
	rm -f build build-fuzz
