#!/bin/bash
# Print the path of a pristine QEMU 10.0.x source tree.
#
# With QEMU_SRC set, that tree is checked and used.  Otherwise the newest
# 10.0.x "qemu" source package Debian offers is fetched with
# `apt-get source --download-only` into the cache and its upstream tarball
# is unpacked there (Debian's own patches are not applied).
set -euo pipefail
cache=${VCM_CACHE:-$HOME/.cache/smmu-vcm}

check_version() {
    local v
    v=$(cat "$1/VERSION" 2>/dev/null || true)
    case "$v" in
    10.0.*) ;;
    *)
        echo "qemu-src: $1 holds QEMU '${v:-unknown}'; this overlay needs 10.0.x" >&2
        exit 1
        ;;
    esac
}

if [ -n "${QEMU_SRC:-}" ]; then
    check_version "$QEMU_SRC"
    cd "$QEMU_SRC" && pwd
    exit 0
fi

# Newest 1:10.0.x version among the configured deb-src entries.
version=$(apt-cache showsrc qemu 2>/dev/null |
          sed -n 's/^Version: //p' | grep -E '^(1:)?10\.0\.' |
          sort -V | tail -n1)
if [ -z "$version" ]; then
    echo "qemu-src: no QEMU 10.0.x source package in apt's deb-src entries" \
         "(run scripts/deps.sh, or set QEMU_SRC=/path/to/qemu-10.0.x)" >&2
    exit 1
fi
upstream=${version#*:}
upstream=${upstream%-*}
tree="$cache/qemu-${upstream%+*}"

if [ ! -f "$tree/.unpacked" ]; then
    dl="$cache/qemu-dl"
    mkdir -p "$dl"
    (cd "$dl" && apt-get source -q --download-only "qemu=$version" >&2)
    tarball=$(ls "$dl"/qemu_"$upstream".orig.tar.* | head -n1)
    rm -rf "$tree.tmp"
    mkdir -p "$tree.tmp"
    tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
    check_version "$tree.tmp"
    rm -rf "$tree"
    mv "$tree.tmp" "$tree"
    touch "$tree/.unpacked"
fi
check_version "$tree"
echo "$tree"
