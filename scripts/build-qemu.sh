#!/bin/bash
# Build qemu-system-arm with this overlay, and the overlay's tests.
#
#   scripts/build-qemu.sh [ninja targets...]
#
# The pristine QEMU 10.0.x tree (scripts/qemu-src.sh) is copied once into a
# work tree in the cache; the patches in qemu-patches/ are applied there and
# vcm-overlay/ is a symlink back to this checkout. When the patches change,
# only the files they touch are restored from the pristine tree and patched
# again, so the build directory stays warm. ./build points at it.
set -euo pipefail
# -P: the checkout itself, also when run through a link to scripts/ (the
# vcm-overlay link below must never point anywhere else)
here=$(cd -P "$(dirname "$0")/.." && pwd)
cache=${VCM_CACHE:-$HOME/.cache/smmu-vcm}
src=$("$here/scripts/qemu-src.sh")
version=$(cat "$src/VERSION")
key=$(printf '%s\n%s\n' "$src" "$version" | sha1sum | cut -c1-8)
work="$cache/qemu-work-$version-$key"
build="$work/build${VCM_BUILD_SUFFIX:-}"

mkdir -p "$cache"
exec 9>"$work.lock"
flock 9

patch_files() {
    sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$@" | sort -u
}

if [ ! -d "$work" ]; then
    echo "build-qemu: copying QEMU $version from $src"
    rm -rf "$work.tmp"
    cp -a "$src" "$work.tmp"
    rm -f "$work.tmp/.unpacked"
    mv "$work.tmp" "$work"
fi

patches=("$here"/qemu-patches/*.patch)
applied=$(cat "${patches[@]}" | sha1sum | cut -c1-16)
if [ "$(cat "$work/.vcm-patches" 2>/dev/null)" != "$applied" ]; then
    # Patch pristine copies of what this patch set or any earlier one
    # touched in a staging tree, then copy into the work tree only the files
    # whose text changed: an unchanged file keeps its time stamp, so a new
    # patch does not rebuild all of QEMU twice over (a rewritten
    # Kconfig or meson.build regenerates the configuration headers).
    stage=$(mktemp -d "$work.stage.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    files=$({ cat "$work/.vcm-patched-files" 2>/dev/null
              patch_files "${patches[@]}"; } | sort -u)
    for f in $files; do
        mkdir -p "$stage/$(dirname "$f")"
        # a file that a patch creates has no pristine copy
        [ ! -e "$src/$f" ] || cp "$src/$f" "$stage/$f"
    done
    for p in "${patches[@]}"; do
        if ! patch -d "$stage" -p1 --forward --quiet --no-backup-if-mismatch \
                < "$p"; then
            echo "build-qemu: $(basename "$p") does not apply to QEMU" \
                 "$version ($src)" >&2
            rm -f "$work/.vcm-patches"
            exit 1
        fi
    done
    for f in $files; do
        if [ ! -e "$stage/$f" ]; then
            rm -f "$work/$f"        # created by a patch that is gone
        elif ! cmp -s "$stage/$f" "$work/$f"; then
            cp "$stage/$f" "$work/$f"
        fi
    done
    patch_files "${patches[@]}" > "$work/.vcm-patched-files"
    echo "$applied" > "$work/.vcm-patches"
fi
ln -sfn "$here" "$work/vcm-overlay"

# Only virt among the arm boards (qemu-patches/0008). A build whose
# configure options changed is configured again in place, and ninja
# rebuilds what depends on them (for a new device set, nearly all of it).
options=(--python=/usr/bin/python3 --target-list=arm-softmmu
         --with-devices-arm=vcm --without-default-features
         --enable-fdt=system --disable-docs --disable-user
         --disable-install-blobs --enable-tcg --enable-werror
         ${VCM_CONFIGURE_EXTRA:-})
if [ ! -f "$build/build.ninja" ] ||
   [ "$(cat "$build/.vcm-configure" 2>/dev/null)" != "${options[*]}" ]; then
    mkdir -p "$build"
    (cd "$build" && "$work/configure" "${options[@]}")
    echo "${options[*]}" > "$build/.vcm-configure"
fi
ln -sfn "$build" "$here/build${VCM_BUILD_SUFFIX:-}"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(qemu-system-arm vcm-tests)
fi
ninja -C "$build" "${targets[@]}"
