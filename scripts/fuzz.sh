#!/bin/bash
# Run the generic-fuzz targets of the overlay's devices (qemu-patches/0004)
# in the clang/libFuzzer/ASan build ./build-fuzz.
#
#   scripts/fuzz.sh [seconds per target] [target...]
#   scripts/fuzz.sh --replay
#
# (default 600 seconds; targets smmu-vcm, pasr-ddr, vcm-dma-pci). --replay runs
# every input of the seed corpora in tests/fuzz/corpus/<target>/ once
# (a regression run: any crash or sanitizer report fails it).
#
# VCM_FUZZ_BIN runs another qemu-fuzz-arm (a copy, for a long campaign
# that must not see the build tree relinked under it); VCM_FUZZ_RUNS is
# how many inputs one fuzzer process runs before it is restarted;
# VCM_FUZZ_JOBS runs that many processes per target on the one corpus
# (libFuzzer reloads what the others add), each with its own log, and
# counts their executions together.
#
# Corpora and crash artifacts stay in build-fuzz/vcm-fuzz/<target>/
# (VCM_FUZZ_FRESH=1: start from an empty corpus and drop it, as make check
# does, so that its time stays bounded whatever the corpus holds). A
# crash stops the run with a non-zero status; turn its artifact into a
# reproducer qtest (scripts/oss-fuzz/output_reproducer.py in the QEMU
# tree) in tests/qtest/ before fixing it.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fuzz=${VCM_FUZZ_BIN:-$here/build-fuzz/qemu-fuzz-arm}
# A sanitizer report is a crash: libFuzzer keeps the input as an artifact.
# (UBSan alone would print and go on, and its reports were lost among the
# campaign's output: qemu-patches/0009 and 0010 were two of them.)
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

if [ "${1:-}" = --replay ]; then
    shopt -s nullglob
    status=0
    for dir in "$here"/tests/fuzz/corpus/*/; do
        target=$(basename "$dir")
        inputs=("$dir"*)
        # One process replays every input, and its memory grows across
        # them (1.1 GB seen): libFuzzer's default limit of 2 GB, which the
        # first finding's reproducer went past before its fix.
        if "$fuzz" --fuzz-target="generic-fuzz-$target" -timeout=30 \
            -rss_limit_mb=2048 \
            "${inputs[@]}" \
            > "$here/build-fuzz/replay-$target.log" 2>&1; then
            echo "fuzz: replay $target: ${#inputs[@]} inputs, ok"
        else
            grep "Running:" "$here/build-fuzz/replay-$target.log" | tail -n 1
            grep -m3 -E "ERROR|SUMMARY" "$here/build-fuzz/replay-$target.log"
            echo "fuzz: replay $target: FAILED"
            status=1
        fi
    done
    exit $status
fi

seconds=${1:-600}
shift $(($# > 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(smmu-vcm pasr-ddr vcm-dma-pci)
status=0

# Out-of-memory stops (libFuzzer exit 71, RSS above 2 GB) are counted and
# the fuzzer restarted: the one found so far (vcm-dma filling virt's flash,
# tests/qtest/vcm-dma-test.c /vcm-dma/fill-flash-bounded) is fixed, and a
# new one shows in the count. Crashes stop the run and fail it.
# Inputs that run longer than UNIT_SECONDS (libFuzzer exit 70: a device
# transfer that rebuilds the memory map on every word is legal but slow)
# are counted the same way; the run as a whole never outlives its budget
# by more than UNIT_SECONDS (libFuzzer checks max_total_time between
# inputs). The fuzzer is also restarted every RUNS inputs (keeping the
# corpus).
RUNS=${VCM_FUZZ_RUNS:-10000}
UNIT_SECONDS=${VCM_FUZZ_UNIT_SECONDS:-20}
JOBS=${VCM_FUZZ_JOBS:-1}

# Job @2 of a target: a fuzzer restarted until the budget is spent or a
# crash, or until another job of the target crashed (file @5 exists).
# Writes "executions ooms slow exit coverage" to @6 at its end.
fuzz_job() {
    local target=$1 job=$2 dir=$3 corpus=$4 stop=$5 result=$6
    local name=$target log="$dir/last-run${VCM_FUZZ_FRESH:+-$$}"
    local total=0 ooms=0 slow=0 rc=0 execs cov=""
    if [ "$job" = 1 ]; then
        log="$log.log"
    else
        name="$target job $job"
        log="$log-job$job.log"
    fi
    while [ $((SECONDS - start)) -lt "$seconds" ] && [ ! -e "$stop" ]; do
        (cd "$dir" && exec "$fuzz" --fuzz-target="generic-fuzz-$target" \
            -max_total_time=$((seconds - (SECONDS - start))) \
            -runs=$RUNS -rss_limit_mb=2048 -print_final_stats=1 \
            -timeout=$UNIT_SECONDS -timeout_exitcode=70 \
            -artifact_prefix="$dir/" \
            "$corpus") > "$log" 2>&1
        rc=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        total=$((total + ${execs:-0}))
        cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
        echo "fuzz: $name: $total executions after" \
             "$((SECONDS - start))s, ${cov:-no coverage line}"
        if [ $rc = 71 ]; then
            ooms=$((ooms + 1))
        elif [ $rc = 70 ]; then
            slow=$((slow + 1))
        elif [ -e "$stop" ]; then
            rc=0                    # interrupted: another job crashed
            break
        elif [ $rc != 0 ]; then
            grep -m5 -E "ERROR|SUMMARY|Test unit written" "$log"
            touch "$stop"
            break
        fi
        rc=0
    done
    [ -z "${VCM_FUZZ_FRESH:-}" ] || rm -f "$log"
    echo "$total $ooms $slow $rc ${cov:-}" > "$result"
}

for target in "${targets[@]}"; do
    dir="$here/build-fuzz/vcm-fuzz/$target"
    corpus="$dir/corpus"
    if [ -n "${VCM_FUZZ_FRESH:-}" ]; then
        corpus="$dir/corpus-$$"     # from scratch, dropped afterwards
        rm -rf "$corpus"
    fi
    mkdir -p "$corpus"
    stop="$dir/stop-$$"
    rm -f "$stop"
    start=$SECONDS
    echo "fuzz: generic-fuzz-$target for ${seconds}s, $JOBS process(es)"
    # A crash in one job stops the others: SIGINT makes libFuzzer end
    # its run (and print its statistics) between two inputs.
    pids=()
    for job in $(seq "$JOBS"); do
        fuzz_job "$target" "$job" "$dir" "$corpus" "$stop" \
            "$dir/result-$$-$job" &
        pids+=($!)
    done
    while [ ! -e "$stop" ] && [ -n "$(jobs -rp)" ]; do
        sleep 1
    done
    if [ -e "$stop" ]; then
        for pid in "${pids[@]}"; do
            pkill -INT -P "$pid"
        done
    fi
    wait
    total=0; ooms=0; slow=0; rc=0; cov=""
    for job in $(seq "$JOBS"); do
        read -r t o l r c < "$dir/result-$$-$job"
        total=$((total + t)); ooms=$((ooms + o)); slow=$((slow + l))
        [ "$r" = 0 ] || rc=$r
        [ "$job" != 1 ] || cov=$c
        rm -f "$dir/result-$$-$job"
    done
    [ "$rc" = 0 ] || status=1
    rm -f "$stop"
    elapsed=$((SECONDS - start))
    echo "fuzz: $target: $total executions in ${elapsed}s" \
         "($((total / (elapsed > 0 ? elapsed : 1)))/s), corpus" \
         "$(ls "$corpus" | wc -l) inputs, $ooms out-of-memory stops," \
         "$slow inputs over ${UNIT_SECONDS}s, ${cov:-}, exit $rc"
    [ -z "${VCM_FUZZ_FRESH:-}" ] || rm -rf "$corpus"
done
exit $status
