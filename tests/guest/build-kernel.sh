#!/bin/bash
# Cross-build an ARM guest zImage for one guest kernel configuration,
# tests/guest/kernels/<name>.conf: Debian's linux-source-<series>, the patch
# sets it lists from tests/guest/linux-patches/<set>/ (each set is one
# source for every kernel: <set>/*.patch, plus the small per-version
# fixups in <set>/<series>/*.patch, applied in file-name order), allnoconfig
# plus its config fragments (a later fragment overrides an earlier one).
# The optional modules=(...) of the configuration names the directories of
# tests/guest/ whose out-of-tree modules build-guest.sh builds for it
# (default: all of them). Cached by package version, patches and
# configuration; prints the build directory (zImage is
# arch/arm/boot/zImage in it).
#
#   tests/guest/build-kernel.sh [name]     (default 6.1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${VCM_CACHE:-$HOME/.cache/smmu-vcm}
name=${1:-6.1}
conf="$here/kernels/$name.conf"
if [ ! -f "$conf" ]; then
    echo "build-kernel: no guest kernel configuration $conf" >&2
    exit 1
fi
series='' patchsets=() fragments=()
# shellcheck source=/dev/null
. "$conf"
pkg=linux-source-$series
fragments=("${fragments[@]/#/$here/}")
patches=()
for set in "${patchsets[@]}"; do
    while read -r p; do
        patches+=("$p")
    done < <(for p in "$here/linux-patches/$set"/*.patch \
                      "$here/linux-patches/$set/$series"/*.patch; do
                 [ -f "$p" ] && printf '%s\t%s\n' "$(basename "$p")" "$p"
             done | sort | cut -f2)
done
make_args=(ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-)

version=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    echo "build-kernel: apt knows no $pkg (run scripts/deps.sh)" >&2
    exit 1
fi
pristine="$cache/linux-$version"
key=$(cat "$conf" "${fragments[@]}" "${patches[@]}" "$here/build-kernel.sh" |
      sha1sum | cut -c1-10)
out="$cache/linux-build.$name.$version.$key"

mkdir -p "$cache"
exec 9>"$cache/linux-$version.lock"
flock 9

if [ ! -f "$pristine/.unpacked" ]; then
    dl="$cache/linux-dl-$version"
    rm -rf "$dl" "$pristine"
    mkdir -p "$dl" "$pristine"
    (cd "$dl" && apt-get download -q "$pkg=$version" >&2)
    dpkg -x "$dl"/*.deb "$dl/x"
    tar -xf "$dl"/x/usr/src/"$pkg".tar.* -C "$pristine" --strip-components=1
    rm -rf "$dl"
    touch "$pristine/.unpacked"
fi

# The patched tree: hard links to the pristine one, with every file a
# patch touches replaced by a private copy before it is patched.
src=$pristine
if [ ${#patches[@]} -gt 0 ]; then
    src="$cache/linux-src.$name.$version.$key"
    if [ ! -f "$src/.patched" ]; then
        rm -rf "$src"
        cp -al "$pristine" "$src"
        for p in "${patches[@]}"; do
            sed -n 's,^+++ b/\([^	]*\).*,\1,p' "$p" | while read -r f; do
                if [ -f "$src/$f" ] && [ "$(stat -c %h "$src/$f")" -gt 1 ]; then
                    cp --remove-destination "$pristine/$f" "$src/$f"
                fi
            done
            patch -s -p1 -d "$src" < "$p" >&2
        done
        touch "$src/.patched"
    fi
fi

if [ ! -f "$out/.built" ]; then
    mkdir -p "$out"
    make -C "$src" O="$out" "${make_args[@]}" -s allnoconfig >&2
    "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
        "$out/.config" "${fragments[@]}" >&2
    make -C "$src" O="$out" "${make_args[@]}" -s olddefconfig >&2

    # Every line of the fragments, set or "is not set", must have held;
    # for an option several fragments name, the last one's line (a later
    # fragment overrides an earlier one, as merge_config.sh does).
    missing=0
    while read -r line; do
        case "$line" in
        CONFIG_*=*) ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }; opt=${opt%% *}
            if grep -q "^$opt=" "$out/.config"; then
                echo "build-kernel: $opt must stay off but is" \
                     "$(grep "^$opt=" "$out/.config")" >&2
                missing=1
            fi
            continue ;;
        *) continue ;;
        esac
        if ! grep -qx "$line" "$out/.config"; then
            echo "build-kernel: '$line' did not survive olddefconfig" >&2
            missing=1
        fi
    done < <(cat "${fragments[@]}" | awk '
        /^CONFIG_[A-Za-z0-9_]+=/ { opt = $0; sub(/=.*/, "", opt) }
        /^# CONFIG_[A-Za-z0-9_]+ is not set/ { opt = $2 }
        opt != "" { last[opt] = $0; order[++n] = opt; opt = "" }
        END { for (i = 1; i <= n; i++)
                  if (!(order[i] in seen)) { seen[order[i]] = 1; print last[order[i]] } }')
    [ "$missing" = 0 ] || exit 1

    # "modules" also writes Module.symvers for out-of-tree modules.
    make -C "$src" O="$out" "${make_args[@]}" -s -j"$(nproc)" \
        zImage modules >&2
    touch "$out/.built"
    # Older builds of this configuration are not used again.
    for old in "$cache/linux-build.$name."* "$cache/linux-src.$name."*; do
        case "$old" in
        "$out"|"$src") ;;
        *) rm -rf "$old" ;;
        esac
    done
fi
echo "$out"
