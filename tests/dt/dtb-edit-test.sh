#!/bin/bash
# An edited reference tree through -dtb (issue 16, docs/system/
# reference-dtbs.rst): pc-bios/dtb/virt-vcm-demo.dts without qcom,ncb,
# compiled with dtc, booted on the demo's devices with the 6.12 guest
# ($VCM_GUEST_6_12). Linux's msm_iommu refuses both SMMUs ("could not get
# ncb", probe error -EINVAL), the guest runs its init to the end, and
# QEMU keeps running: it answers QMP afterwards with no translation done.
#
#   dtb-edit-test.sh QEMU_SYSTEM_ARM
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
qemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp "$here/pc-bios/dtb/virt-vcm-demo.dts" "$tmp/no-ncb.dts"
sed -i '/qcom,ncb/d' "$tmp/no-ncb.dts"
dtc -q -I dts -O dtb -o "$tmp/no-ncb.dtb" "$tmp/no-ncb.dts"

probe_failed() {     # one --expect and its pattern per line
    printf '%s\n' --expect "msm_iommu $1.iommu: could not get ncb$" \
        --expect "msm_iommu $1.iommu: probe with driver msm_iommu failed with error -22$"
}
mapfile -t expect < <(probe_failed c000000; probe_failed c200000)
exec python3 "$here/tests/guest/boot-test.py" --qemu "$qemu" \
    --guest-env VCM_GUEST_6_12 --timeout 120 \
    --log "$(pwd)/vcm-guest-6.12-dtb-without-ncb.log" \
    "${expect[@]}" \
    --forbid 'msm_iommu: device mapped|Kernel panic|Unable to handle|Oops|BUG:' \
    --stats --qom-check 'smmu0.translations == 0' \
    --qom-check 'smmu1.translations == 0' \
    -- -dtb "$tmp/no-ncb.dtb" \
    -device smmu-vcm,id=smmu0 -device vcm-dma,id=dma0,iommu=smmu0,mid=3 \
    -device smmu-vcm,id=smmu1 -device vcm-dma,id=dma1,iommu=smmu1,mid=5 \
    -device pasr-ddr,id=ddr0
