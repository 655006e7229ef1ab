#!/bin/bash
# Count the instructions that one translate call costs in each IOMMU row
# of the DMA benchmark (tests/bench/smmu-vcm-bench.c), with valgrind's
# callgrind: exact figures that other load on the machine cannot move,
# where the benchmark's own times (and its ns per translate) are noisy.
#
#   scripts/bench-instructions.sh ["case name part"]   (default "4K pages")
#
# The case is chosen as VCM_BENCH_ONLY chooses it; the rows are those of
# VCM_BENCH_ROWS (default all). Only the translate functions are counted
# (QEMU's memory core and the copy are the same for every row), so the
# floor's figure is what an IOMMU that does nothing costs per call. Every
# row moves the same data, but smmu-vcm answers a run of 16 cached 4K
# pages in one call: compare the totals ("in all") where calls differ. Runs
# the build in ./build (make qemu); takes a minute or two per case.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build
case=${1:-4K pages}
command -v valgrind > /dev/null ||
    { echo "bench-instructions: needs valgrind (apt-get install valgrind)"; \
      exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The translate function behind each row's IOMMU
fns=(vcm_dma_identity_translate smmu_vcm_translate smmuv3_translate)
toggles=$(printf -- "--toggle-collect=%s " "${fns[@]}")
cat > "$tmp/qemu" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file=$tmp/callgrind.out \
    $toggles "$build/qemu-system-arm" "\$@"
EOF
chmod +x "$tmp/qemu"
QTEST_QEMU_BINARY=$tmp/qemu VCM_BENCH_ONLY=$case \
    "$build/vcm-overlay/tests/bench/smmu-vcm-bench" > "$tmp/bench.log" 2>&1 ||
    { cat "$tmp/bench.log"; exit 1; }

# Callgrind's file: "cfn=" names a callee, the "calls=" line after it
# counts the calls, and the line after that holds their inclusive cost.
python3 - "$tmp/callgrind.out" "$case" "${fns[@]}" <<'EOF'
import re
import sys

path, case, fns = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = {'vcm_dma_identity_translate': 'floor',
        'smmu_vcm_translate': 'smmu-vcm', 'smmuv3_translate': 'SMMUv3'}
names, calls, cost = {}, {}, {}
callee, pending = None, False
for line in open(path):
    m = re.match(r'c?fn=\((\d+)\)(?: (.*))?', line)
    if m:
        if m.group(2):
            names[m.group(1)] = m.group(2)
        callee = names.get(m.group(1)) if line.startswith('cfn') else None
        continue
    if line.startswith('calls=') and callee in fns:
        calls[callee] = calls.get(callee, 0) + int(line.split()[0][6:])
        pending = True
    elif pending:
        cost[callee] = cost.get(callee, 0) + int(line.split()[-1])
        pending = False
print(f'{case}: instructions per translate call (callgrind)')
for fn in fns:
    if calls.get(fn):
        print(f'  {rows[fn]:9} {cost[fn] / calls[fn]:7.1f}'
              f'  ({calls[fn]} calls, {cost[fn]} in all, {fn})')
EOF
