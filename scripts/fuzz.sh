#!/bin/bash
# Run the generic-fuzz targets of the overlay's devices (qemu-patches/0004)
# in the clang/libFuzzer/ASan build ./build-fuzz.
#
#   scripts/fuzz.sh [seconds per target] [target...]
#
# (default 600 seconds; targets smmu-vcm and pasr-ddr)
#
# Corpora and crash artifacts stay in build-fuzz/vcm-fuzz/<target>/. A
# crash stops the run with a non-zero status; turn its artifact into a
# reproducer qtest (scripts/oss-fuzz/output_reproducer.py in the QEMU
# tree) in tests/qtest/ before fixing it.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift $(($# > 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(smmu-vcm pasr-ddr)
fuzz="$here/build-fuzz/qemu-fuzz-arm"
status=0

export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
# Out-of-memory stops (libFuzzer exit 71, RSS above 2 GB) are counted and
# the fuzzer restarted: the one found so far (vcm-dma filling virt's flash,
# tests/qtest/vcm-dma-test.c /vcm-dma/fill-flash-bounded) is fixed, and a
# new one shows in the count. Crashes stop the run and fail it.
# The fuzzer is also restarted every RUNS inputs (keeping the corpus).
RUNS=10000
for target in "${targets[@]}"; do
    dir="$here/build-fuzz/vcm-fuzz/$target"
    mkdir -p "$dir/corpus"
    log="$dir/last-run.log"
    total=0
    ooms=0
    start=$SECONDS
    echo "fuzz: generic-fuzz-$target for ${seconds}s"
    while [ $((SECONDS - start)) -lt "$seconds" ]; do
        (cd "$dir" && "$fuzz" --fuzz-target="generic-fuzz-$target" \
            -max_total_time=$((seconds - (SECONDS - start))) \
            -runs=$RUNS -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$dir/" \
            corpus) > "$log" 2>&1
        rc=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        total=$((total + ${execs:-0}))
        if [ $rc = 71 ]; then
            ooms=$((ooms + 1))
        elif [ $rc != 0 ]; then
            grep -m5 -E "ERROR|SUMMARY|Test unit written" "$log"
            status=1
            break
        fi
    done
    elapsed=$((SECONDS - start))
    echo "fuzz: $target: $total executions in ${elapsed}s" \
         "($((total / (elapsed > 0 ? elapsed : 1)))/s), corpus" \
         "$(ls "$dir/corpus" | wc -l) inputs, $ooms out-of-memory stops," \
         "exit $rc"
done
exit $status
