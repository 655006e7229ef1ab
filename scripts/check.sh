#!/bin/bash
# Run every test of the overlay (meson suite "vcm": unit tests, qtests, the
# command-line contract, guest boot tests) against ./build, and the unit
# tests, qtests and command-line checks again against the sanitizer build
# ./build-fuzz (clang; any ASan or UBSan report fails the test) with QEMU's
# own qtests over what qemu-patches/ change (suite vcm-upstream), runs each
# generic-fuzz target of that build for VCM_CHECK_FUZZ_SECONDS (default 60),
# then prints meson's summaries and one "N passed, N failed" line.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# Built by "make guest" (tests/guest/build-guest.sh), one per kernel.
export VCM_GUEST_6_1="$here/build/vcm-guest-6.1"
export VCM_GUEST_6_12="$here/build/vcm-guest-6.12"
export VCM_GUEST_6_12_FIXES="$here/build/vcm-guest-6.12-fixes"
export VCM_GUEST_6_12_DMA_IOMMU="$here/build/vcm-guest-6.12-dma-iommu"
for guest in "$VCM_GUEST_6_1" "$VCM_GUEST_6_12" "$VCM_GUEST_6_12_FIXES" \
             "$VCM_GUEST_6_12_DMA_IOMMU"; do
    if [ ! -f "$guest/initramfs.cpio" ]; then
        echo "check: no guest in $guest; run make guest" >&2
        exit 1
    fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
meson test -C "$here/build" --no-rebuild --suite vcm --print-errorlogs \
    --num-processes "$(nproc)" 2>&1 | tee "$log"

# Sanitizers: stop at the first report, and make it fail the test.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_summary=1:print_stacktrace=1
meson test -C "$here/build-fuzz" --no-rebuild --suite vcm-unit \
    --suite vcm-qtest --suite vcm-cli --suite vcm-upstream --print-errorlogs \
    --num-processes "$(nproc)" 2>&1 | sed 's/^/[asan] /' | tee -a "$log"

# The seed corpora (tests/fuzz/corpus/), every input once: what the long
# campaigns found stays covered (issue 15).
if "$here/scripts/fuzz.sh" --replay 2>&1 | sed 's/^/[fuzz] /'; then
    echo "[fuzz] Ok: 1" | tee -a "$log"
else
    echo "[fuzz] Fail: 1" | tee -a "$log"
fi

# Bounded fuzzing (issue 6): each generic-fuzz target for a short time, so
# that a crash introduced later is caught here; make fuzz runs longer.
fuzz_seconds=${VCM_CHECK_FUZZ_SECONDS:-60}
if VCM_FUZZ_FRESH=1 VCM_FUZZ_UNIT_SECONDS=5 \
    "$here/scripts/fuzz.sh" "$fuzz_seconds" 2>&1 | sed 's/^/[fuzz] /'; then
    echo "[fuzz] Ok: 1" | tee -a "$log"
else
    echo "[fuzz] Fail: 1" | tee -a "$log"
fi

total() {
    sed -n "s/^\(\[[a-z]*\] \)\{0,1\}$1: *\([0-9]*\).*/\2/p" "$log" |
        awk '{ n += $1 } END { print n + 0 }'
}
passed=$(( $(total 'Ok') + $(total 'Expected Fail') ))
# Nothing may be skipped here: make check provides every prerequisite.
failed=$(( $(total 'Fail') + $(total 'Unexpected Pass') +
           $(total 'Timeout') + $(total 'Skipped') ))
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
