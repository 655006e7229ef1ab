#!/bin/bash
# Build everything a guest boot needs into OUTDIR: the kernel
# (build-kernel.sh, cached), the vcm_test module built against it, the
# static init, and an initramfs holding both.
#
#   tests/guest/build-guest.sh [series] OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
series=${1:-6.1}
out=$(mkdir -p "$2" && cd "$2" && pwd)
kernel=$("$here/build-kernel.sh" "$series")

mkdir -p "$out/vcm-test"
cp "$here"/vcm-test/*.c "$here"/vcm-test/Kbuild "$out/vcm-test/"
make -s -C "$kernel" ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf- \
    M="$out/vcm-test" modules >&2
arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$out/init" \
    "$here/init.c"
python3 "$here/mkcpio.py" "$out/initramfs.cpio" "$out/init" \
    "$out/vcm-test/vcm_test.ko"
ln -sfn "$kernel/arch/arm/boot/zImage" "$out/zImage"
