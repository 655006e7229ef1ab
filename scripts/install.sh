#!/bin/bash
# Install the overlay's QEMU beside (never over) a distribution's, and
# remove exactly that again.
#
#   scripts/install.sh install PREFIX     (make install PREFIX=...)
#   scripts/install.sh uninstall PREFIX   (make uninstall PREFIX=...)
#
# What goes where:
#   PREFIX/bin/qemu-system-arm-vcm        a link to the binary below
#   PREFIX/lib/qemu-vcm/bin/qemu-system-arm
#   PREFIX/lib/qemu-vcm/share/qemu/       its data directory: the iPXE ROMs
#                                         virt's default NIC needs, ...
#   PREFIX/share/qemu-vcm/dtb/            the reference trees, .dts and .dtb
#   PREFIX/share/doc/qemu-vcm/            the HTML pages (make docs)
#   PREFIX/share/qemu-vcm/install-manifest
# QEMU finds its data relative to the binary's real location (configure's
# default --enable-relocatable), so it reads PREFIX/lib/qemu-vcm/share/qemu
# and never /usr/share/qemu or another QEMU's PREFIX/share/qemu.
# The manifest lists every file and link installed (itself too), then every
# directory the installation created, relative to PREFIX; uninstall removes
# those and nothing else.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
action=${1:-}
prefix=${2:-}
if [ -z "$prefix" ] || { [ "$action" != install ] &&
                         [ "$action" != uninstall ]; }; then
    echo "usage: $0 install|uninstall PREFIX" >&2
    exit 2
fi
case "$prefix" in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac
manifest=$prefix/share/qemu-vcm/install-manifest

uninstall() {
    local entries entry path
    if [ ! -f "$manifest" ]; then
        echo "install: nothing installed in $prefix (no $manifest)"
        return 0
    fi
    mapfile -t entries < "$manifest"
    for entry in "${entries[@]}"; do
        if [ "${entry%% *}" = file ]; then
            rm -f -- "$prefix/${entry#* }"
        fi
    done
    # directories deepest first: a child sorts after its parent
    printf '%s\n' "${entries[@]}" | sed -n 's/^dir //p' | sort -r |
        while read -r path; do
            [ "$path" = . ] && path= || path=/$path
            rmdir -- "$prefix$path" 2>/dev/null ||
                echo "install: $prefix$path is not empty, kept"
        done
    echo "install: removed the overlay's QEMU from $prefix"
}

if [ "$action" = uninstall ]; then
    uninstall
    exit 0
fi

build=$here/build
bundle=$build/qemu-bundle/usr/local/share/qemu
for f in "$build/qemu-system-arm" "$build/docs/vcm/index.html" \
         "$build/vcm-overlay/pc-bios/dtb/virt-vcm-demo.dtb"; do
    if [ ! -f "$f" ]; then
        echo "install: $f missing; run make qemu docs" >&2
        exit 1
    fi
done
[ -f "$manifest" ] && uninstall

dirs=()
files=()
mkdirs() {
    local d=$1 missing=()
    while [ ! -d "$d" ]; do
        missing=("$d" "${missing[@]}")
        d=$(dirname "$d")
    done
    for d in "${missing[@]}"; do
        mkdir "$d"
        dirs+=("$d")
    done
}
put() {     # put SOURCE DEST [MODE]
    mkdirs "$(dirname "$2")"
    install -m "${3:-644}" "$1" "$2"
    files+=("$2")
}

if [ ! -d "$prefix" ]; then
    mkdir -p "$prefix"
    dirs+=("$prefix")
fi
lib=$prefix/lib/qemu-vcm
put "$build/qemu-system-arm" "$lib/bin/qemu-system-arm" 755
mkdirs "$prefix/bin"
ln -sfn ../lib/qemu-vcm/bin/qemu-system-arm "$prefix/bin/qemu-system-arm-vcm"
files+=("$prefix/bin/qemu-system-arm-vcm")
# the data directory QEMU finds from the build tree, links resolved
while IFS= read -r -d '' f; do
    put "$f" "$lib/share/qemu/${f#"$bundle"/}"
done < <(find -L "$bundle" -type f -print0)
for f in "$here"/pc-bios/dtb/*.dts "$build"/vcm-overlay/pc-bios/dtb/*.dtb; do
    put "$f" "$prefix/share/qemu-vcm/dtb/$(basename "$f")"
done
while IFS= read -r -d '' f; do
    put "$f" "$prefix/share/doc/qemu-vcm/${f#"$build/docs/vcm/"}"
done < <(find "$build/docs/vcm" -path '*/.doctrees' -prune -o -type f -print0)

mkdirs "$(dirname "$manifest")"
files+=("$manifest")
{
    for f in "${files[@]}"; do
        echo "file ${f#"$prefix"/}"
    done
    for d in "${dirs[@]}"; do
        if [ "$d" = "$prefix" ]; then
            echo "dir ."
        else
            echo "dir ${d#"$prefix"/}"
        fi
    done
} > "$manifest"
echo "install: $prefix/bin/qemu-system-arm-vcm, reference trees in" \
     "$prefix/share/qemu-vcm/dtb, pages in $prefix/share/doc/qemu-vcm" \
     "(${#files[@]} files; make uninstall PREFIX=$prefix removes them)"
