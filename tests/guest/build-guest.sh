#!/bin/bash
# Build everything a guest boot needs into OUTDIR: the kernel
# (build-kernel.sh, cached), every out-of-tree module of tests/guest/*/Kbuild
# built against it (only those its kernels/<kernel>.conf lists in
# modules=(...), when it has that list), the static init, the static test programs of
# tests/guest/userspace/*.c (the init runs them as /tests/<name>), and an
# initramfs holding all of it.
#
#   tests/guest/build-guest.sh [kernel] OUTDIR   (kernel: a kernels/*.conf name)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kname=${1:-6.1}
out=$(mkdir -p "$2" && cd "$2" && pwd)
kernel=$("$here/build-kernel.sh" "$kname")
cc=arm-linux-gnueabihf-gcc
files=("$out/init")

# The configuration's modules=(...) list, if it has one: only those.
modules=()
# shellcheck source=/dev/null
eval "$(. "$here/kernels/$kname.conf"; declare -p modules 2>/dev/null || true)"

for kbuild in "$here"/*/Kbuild; do
    name=$(basename "$(dirname "$kbuild")")
    if [ ${#modules[@]} -gt 0 ] && [[ " ${modules[*]} " != *" $name "* ]]; then
        rm -rf "${out:?}/$name"
        continue
    fi
    rm -rf "${out:?}/$name"
    mkdir -p "$out/$name"
    cp "$(dirname "$kbuild")"/* "$out/$name/"
    # tests/guest/include holds what several modules share (vcm_dma_regs.h)
    make -s -C "$kernel" ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- \
        KCFLAGS="-I$here/include" M="$out/$name" modules >&2
    files+=("$out/$name"/*.ko)
done
$cc -static -O2 -Wall -Werror -o "$out/init" "$here/init.c"
mkdir -p "$out/tests"
rm -f "$out"/tests/*
for prog in "$here"/userspace/*.c; do
    [ -f "$prog" ] || continue
    $cc -static -O2 -Wall -Werror -o "$out/tests/$(basename "$prog" .c)" \
        "$prog"
    files+=("tests/$(basename "$prog" .c)=$out/tests/$(basename "$prog" .c)")
done
python3 "$here/mkcpio.py" "$out/initramfs.cpio" "${files[@]}"
ln -sfn "$kernel/arch/arm/boot/zImage" "$out/zImage"
