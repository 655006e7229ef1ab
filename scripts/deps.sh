#!/bin/bash
# Install everything the build and the tests need, from Debian's archive only.
# Idempotent: a stamp keyed on this script's contents skips the work when the
# packages are already in place.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${VCM_CACHE:-$HOME/.cache/smmu-vcm}
mkdir -p "$cache"
stamp="$cache/deps-$(cat "$here/deps.sh" "$here/apt-sources.sh" | sha1sum | cut -c1-12)"
[ -e "$stamp" ] && exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
    sudo=sudo
fi

packages=(
    gcc g++ make ninja-build pkgconf flex bison bc cpio xz-utils
    libglib2.0-dev libfdt-dev libpixman-1-dev zlib1g-dev
    python3 python3-venv device-tree-compiler dpkg-dev
    gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
    clang libclang-rt-14-dev
    dt-schema python3-sphinx python3-sphinx-rtd-theme
    graphviz
    ipxe-qemu
)
backports=(meson python3-pycotap)

$sudo bash "$here/apt-sources.sh"
# A mirror caught mid-sync fails some index (seen: bookworm-security armhf);
# the install below still fails loudly if something it needs is missing.
$sudo apt-get update -q || echo "deps: apt-get update reported errors" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -q -y \
    --no-install-recommends "${packages[@]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -q -y \
    --no-install-recommends -t bookworm-backports "${backports[@]}"
touch "$stamp"
