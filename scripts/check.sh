#!/bin/bash
# Run every test of the overlay (meson suite "vcm": unit tests, qtests, the
# command-line contract, guest boot tests) against ./build, then print
# meson's summary and one "N passed, N failed" line.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# Built by "make guest" (tests/guest/build-guest.sh).
export VCM_GUEST_6_1="$here/build/vcm-guest-6.1"
if [ ! -f "$VCM_GUEST_6_1/initramfs.cpio" ]; then
    echo "check: no guest in $VCM_GUEST_6_1; run make guest" >&2
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
meson test -C "$here/build" --no-rebuild --suite vcm --print-errorlogs \
    --num-processes "$(nproc)" 2>&1 | tee "$log"

count() {
    sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$log" | tail -n1
}
passed=$(( $(count 'Ok') + $(count 'Expected Fail') ))
# Nothing may be skipped here: make check provides every prerequisite.
failed=$(( $(count 'Fail') + $(count 'Unexpected Pass') +
           $(count 'Timeout') + $(count 'Skipped') ))
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
