#!/bin/bash
# Build the guest's initramfs (an uncompressed newc cpio) from init.c,
# using the kernel tree's gen_init_cpio so no root rights are needed for
# device nodes.
#
#   tests/guest/build-initramfs.sh KERNEL_SRC OUTPUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ksrc=$1
output=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gcc -O2 -o "$tmp/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$tmp/init" \
    "$here/init.c"

cat > "$tmp/list" <<EOL
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $tmp/init 0755 0 0
EOL
"$tmp/gen_init_cpio" "$tmp/list" > "$output.tmp"
mv "$output.tmp" "$output"
