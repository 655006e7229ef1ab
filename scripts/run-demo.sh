#!/bin/bash
# The main job: boot the demo guest (Linux 6.1) on qemu-system-arm -M virt
# with two emulated SMMUs, a DMA master behind each and the LP-DDR2
# controller, and show what the guest does, one line per step:
#  - Linux's unmodified msm_iommu probes both SMMUs;
#  - the vcm_test module maps 4K/64K/1M/16M blocks through the IOMMU API,
#    checks the hardware V2P, DMAs through them, takes a fault (msm_iommu's
#    report), detaches;
#  - a deliberately skipped TLB invalidation (check-stale=on reports it);
#  - a dma-buf filled by one master, imported and copied by the other,
#    read by a userspace program through mmap between DMA_BUF_IOCTL_SYNC;
#  - the PASR framework masks free memory, the guest suspends and wakes,
#    and checks what it kept;
# and ends with the host's view over QMP: TLB hits/misses/walks, faults,
# stalls, stale hits, self-refresh residency, loss and energy.
# Two more boots show the VCM framework (linux-patches/vcm/): the seed's
# three-mapper example, the refusals, the graph across both SMMUs and its
# userspace mmap; then max munch against 4K-only blocks with the two
# SMMUs' TLB figures and their quotients. Between them, a third run of
# the VCM test is drawn from the host (scripts/vcm-graph) into
# build/vcm-graph.svg and build/vcm-graph.png.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
guest="$build/vcm-guest-6.1"      # built by "make guest"

steps='vcm-test: |vcm-init: (dt |pasr-ddr|run |loaded)|dmabuf-check|pasr|PASR'
steps+='|msm_iommu: (device mapped|Unexpected|FAR|FSR)'
steps+='|Adding to iommu group|self test ok'

python3 "$here/tests/guest/boot-test.py" --echo --echo-only "$steps" \
    --qemu "$build/qemu-system-arm" \
    --kernel "$guest/zImage" --initrd "$guest/initramfs.cpio" \
    --append "vcm_test.stale_demo=1 pasr_test.run=1" --timeout 180 \
    --expect 'c100000.dma: vcm-test: all passed' \
    --expect 'c101000.dma: vcm-test: all passed' \
    --expect 'vcm-test: dma-buf all passed' \
    --expect 'dmabuf-check: [0-9]+ bytes ok' \
    --expect 'vcm-init: pasr-ddr: after a 1 ms self-refresh pulse' \
    --stats \
    -- -device smmu-vcm,id=smmu0,check-stale=on \
       -device vcm-dma,id=dma0,iommu=smmu0,mid=3 \
       -device smmu-vcm,id=smmu1 \
       -device vcm-dma,id=dma1,iommu=smmu1,mid=5 \
       -device pasr-ddr,id=ddr0,cs=2,density-mbit=4096

devices=(-device smmu-vcm,id=smmu0 -device vcm-dma,id=dma0,iommu=smmu0,mid=3
         -device smmu-vcm,id=smmu1 -device vcm-dma,id=dma1,iommu=smmu1,mid=5
         -device pasr-ddr,id=ddr0)
vcm_steps='vcm-api-test: (example|refusals|hook|graph|dma-buf|max|4K|stream)'
vcm_steps+='|vcm: physmem|vcm-user: (mmap|the graph|own|all)'
vcm_steps+='|vcm-user: graph: (vcm|physmem|  mapper)'
python3 "$here/tests/guest/boot-test.py" --echo --echo-only "$vcm_steps" \
    --qemu "$build/qemu-system-arm" \
    --kernel "$guest/zImage" --initrd "$guest/initramfs.cpio" \
    --append "vcm_test.disable=1 vcm_api_test.run=api" --timeout 180 \
    --expect 'vcm-api-test: api all passed' \
    --expect 'vcm-user: all passed' \
    -- "${devices[@]}"

# The mapping graph that run leaves in place (both SMMUs' contexts, the
# physical memory they share and, from the guest's own VCM graph on its
# console, the CPU's mapping of it), read over QMP once the guest has powered
# off (-no-shutdown keeps the devices as they are) and drawn by
# scripts/vcm-graph; the guest's console goes to build/vcm-graph-console.log.
qmp=$(mktemp -u /tmp/vcm-graph-qmp.XXXXXX)
"$build/qemu-system-arm" -M virt -m 1G -nodefaults -display none \
    -serial "file:$build/vcm-graph-console.log" -no-reboot -no-shutdown \
    -kernel "$guest/zImage" -initrd "$guest/initramfs.cpio" \
    -append "console=ttyAMA0 panic=-1 vcm_test.disable=1 vcm_api_test.run=api" \
    -qmp "unix:$qmp,server=on,wait=off" "${devices[@]}" &
graph_qemu=$!
if python3 "$here/scripts/vcm-graph" --qmp "$qmp" --wait-shutdown 180 --quit \
        --guest-log "$build/vcm-graph-console.log" \
        -o "$build/vcm-graph.svg" -o "$build/vcm-graph.png"; then
    wait "$graph_qemu"
    echo "vcm-graph: the mapping graph is in $build/vcm-graph.svg and" \
         "$build/vcm-graph.png"
else
    kill "$graph_qemu"
    wait "$graph_qemu" || true
    echo "vcm-graph: FAILED (console: $build/vcm-graph-console.log)"
    exit 1
fi
rm -f "$qmp"

exec python3 "$here/tests/guest/boot-test.py" --echo \
    --echo-only "$vcm_steps|boot-test: qom ratio" \
    --qemu "$build/qemu-system-arm" \
    --kernel "$guest/zImage" --initrd "$guest/initramfs.cpio" \
    --append "vcm_test.disable=1 vcm_api_test.run=munch" --timeout 180 \
    --expect 'vcm-api-test: munch all passed' \
    --qom-ratio 'smmu1.tlb-misses / smmu0.tlb-misses' \
    --qom-ratio 'smmu1.desc-reads / smmu0.desc-reads' --stats \
    -- "${devices[@]}"
