#!/bin/bash
# Run the generic-fuzz targets of the overlay's devices (qemu-patches/0004)
# in the clang/libFuzzer/ASan build ./build-fuzz.
#
#   scripts/fuzz.sh [seconds per target]       (default 600)
#
# Corpora and crash artifacts stay in build-fuzz/vcm-fuzz/<target>/. A
# crash stops the run with a non-zero status; turn its artifact into a
# reproducer qtest (scripts/oss-fuzz/output_reproducer.py in the QEMU
# tree) in tests/qtest/ before fixing it.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
fuzz="$here/build-fuzz/qemu-fuzz-arm"
status=0

export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
for target in smmu-vcm pasr-ddr; do
    dir="$here/build-fuzz/vcm-fuzz/$target"
    mkdir -p "$dir/corpus"
    log="$dir/last-run.log"
    echo "fuzz: generic-fuzz-$target for ${seconds}s"
    (cd "$dir" && "$fuzz" --fuzz-target="generic-fuzz-$target" \
        -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$dir/" corpus) > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz: $target: ${execs:-?} executions, ${rate:-?}/s, exit $rc"
    if [ $rc != 0 ]; then
        grep -m5 -E "ERROR|SUMMARY|crash-|Test unit written" "$log"
        status=1
    fi
done
exit $status
