# The README's commands. The logic lives in scripts/ and tests/guest/.
#
#   make run     set up, build, boot the demo guest on the emulated hardware
#   make check   set up, build, run every test (unit, qtest, CLI, guest)
#
# QEMU_SRC=/path/to/qemu-10.0.x builds against a tree you already have;
# VCM_CACHE (default ~/.cache/smmu-vcm) holds sources and build trees.

.PHONY: all deps qemu qemu-asan guest run check bench clean

all: qemu

deps:
	scripts/deps.sh

qemu: deps
	scripts/build-qemu.sh

# The same tree built with AddressSanitizer and UBSan: make check runs the
# unit tests, qtests and command-line checks in it too.
qemu-asan: deps
	VCM_BUILD_SUFFIX=-asan VCM_CONFIGURE_EXTRA="--enable-asan --enable-ubsan" \
	    scripts/build-qemu.sh

guest: qemu
	tests/guest/build-guest.sh 6.1 build/vcm-guest-6.1

run: qemu guest
	scripts/run-demo.sh

check: qemu qemu-asan guest
	scripts/check.sh

# Figures, not pass/fail: DMA throughput through the SMMU against bypass.
bench: qemu
	meson test -C build --no-rebuild --benchmark --suite vcm-bench --verbose

# Removes the links to the build trees; the cache itself stays.
clean:
	rm -f build build-asan
