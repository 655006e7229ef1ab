#!/bin/bash
# make install / make uninstall into a temporary prefix (issue 16), as TAP:
# the installed qemu-system-arm-vcm lists the three devices, finds virt's
# NIC ROM in its own data directory, boots the demo guest (the 6.1 guest
# in $VCM_GUEST_6_1); uninstall leaves the prefix as it found it, a file
# that was there before included.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${VCM_GUEST_6_1:-}" ]; then
    echo "1..0 # SKIP VCM_GUEST_6_1 is not set"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
n=0
failed=0
result() {      # result OK NAME [DETAILS FILE]
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        failed=$((failed + 1))
        echo "not ok $n - $2"
        [ -n "${3:-}" ] && sed 's/^/# /' "$3" | tail -30
    fi
}

# Something of someone else's in the prefix, before and after.
mkdir -p "$prefix/bin"
echo other > "$prefix/bin/other-tool"
(cd "$tmp" && find prefix | sort) > "$tmp/before"

make -C "$here" install PREFIX="$prefix" > "$tmp/install.log" 2>&1
result $? "make install PREFIX=..." "$tmp/install.log"
qemu=$prefix/bin/qemu-system-arm-vcm

"$qemu" -device help > "$tmp/help" 2>&1
ok=0
for dev in smmu-vcm vcm-dma pasr-ddr; do
    grep -q "^name \"$dev\"" "$tmp/help" || ok=1
done
result $ok "qemu-system-arm-vcm -device help lists smmu-vcm, vcm-dma, pasr-ddr" \
    "$tmp/help"

# virt's default NIC loads efi-virtio.rom; the load_file trace names the
# file QEMU opened, which must be the installed copy.
"$qemu" -M virt,dumpdtb="$tmp/virt.dtb" -display none -trace load_file \
    > "$tmp/rom" 2>&1
rom=$(sed -n 's/.*load_file name efi-virtio.rom location //p' "$tmp/rom")
[ -n "$rom" ] && [ "$(realpath "$rom")" = \
    "$prefix/lib/qemu-vcm/share/qemu/efi-virtio.rom" ]
result $? "the default NIC's efi-virtio.rom comes from the installed data directory" \
    "$tmp/rom"

ls "$prefix"/share/qemu-vcm/dtb/virt-vcm-demo.dtb \
   "$prefix"/share/doc/qemu-vcm/index.html > "$tmp/ls" 2>&1
result $? "reference trees and pages installed" "$tmp/ls"

python3 "$here/tests/guest/boot-test.py" --qemu "$qemu" \
    --guest-env VCM_GUEST_6_1 --timeout 120 \
    --expect 'c100000.dma: vcm-test: all passed' \
    --expect 'c101000.dma: vcm-test: all passed' \
    --expect 'vcm-init: pasr-ddr: after a 1 ms self-refresh pulse' \
    --stats \
    -- -device smmu-vcm,id=smmu0 -device vcm-dma,id=dma0,iommu=smmu0,mid=3 \
       -device smmu-vcm,id=smmu1 -device vcm-dma,id=dma1,iommu=smmu1,mid=5 \
       -device pasr-ddr,id=ddr0 > "$tmp/boot" 2>&1
result $? "the installed binary boots the demo guest" "$tmp/boot"

make -C "$here" uninstall PREFIX="$prefix" > "$tmp/uninstall.log" 2>&1
result $? "make uninstall PREFIX=..." "$tmp/uninstall.log"
(cd "$tmp" && find prefix | sort) > "$tmp/after"
diff "$tmp/before" "$tmp/after" > "$tmp/diff"
result $? "after uninstall the prefix holds what it held before, no more" \
    "$tmp/diff"

echo "1..$n"
[ "$failed" = 0 ]
