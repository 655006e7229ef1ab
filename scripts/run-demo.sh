#!/bin/bash
# The main job: boot the demo guest on qemu-system-arm -M virt with the
# emulated SMMU, its DMA master and the LP-DDR2 controller, and show its
# console: Linux's msm_iommu probes the SMMU, the vcm_test module maps
# 4K/64K/1M/16M blocks through the IOMMU API, DMAs through them, takes a
# fault and detaches; the init reads the LP-DDR2 dies' mode registers and
# runs a self-refresh pulse.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
guest="$build/vcm-guest-6.1"      # built by "make guest"

exec python3 "$here/tests/guest/boot-test.py" --echo \
    --qemu "$build/qemu-system-arm" \
    --kernel "$guest/zImage" --initrd "$guest/initramfs.cpio" \
    --append "vcm_test=demo" --timeout 120 \
    --expect 'vcm-test: all passed' \
    --expect 'vcm-init: pasr-ddr: after a 1 ms self-refresh pulse' \
    -- -device smmu-vcm,id=smmu0,num-contexts=4 \
       -device vcm-dma,id=dma0,iommu=smmu0,mid=3 \
       -device pasr-ddr,id=ddr0,cs=2,density-mbit=4096
