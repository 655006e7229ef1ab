#!/bin/bash
# The main job: boot the demo guest on qemu-system-arm -M virt with the
# emulated SMMU, its DMA master and the LP-DDR2 controller, and show its
# console.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
guest="$build/vcm-guest-6.1"      # built by "make guest"

exec python3 "$here/tests/guest/boot-test.py" --echo \
    --qemu "$build/qemu-system-arm" \
    --kernel "$guest/zImage" --initrd "$guest/initramfs.cpio" \
    --append "vcm_test=demo" --timeout 120 \
    --expect 'vcm-init: dt iommu@0 compatible="qcom,apq8064-iommu"' \
    -- -device smmu-vcm,id=smmu0,num-contexts=4 \
       -device vcm-dma,id=dma0,iommu=smmu0,mid=3 \
       -device pasr-ddr,id=ddr0,cs=2,density-mbit=4096
