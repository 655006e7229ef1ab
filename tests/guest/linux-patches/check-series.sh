#!/bin/bash
# Dry-run the patch sets of a guest kernel configuration against a pristine
# Linux tree, in the order build-kernel.sh applies them (common patches and
# per-version fixups sorted by file name, set after set), on a scratch copy
# of only the files they touch. Prints each patch and fails on any reject
# or fuzz.
#
#   tests/guest/linux-patches/check-series.sh PRISTINE-TREE SERIES SET...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$1 series=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for set in "$@"; do
    for p in "$here/$set"/*.patch "$here/$set/$series"/*.patch; do
        if [ -f "$p" ]; then printf '%s\t%s\n' "$(basename "$p")" "$p"; fi
    done | sort | cut -f2
done | while read -r p; do
    sed -n 's,^+++ b/\([^	]*\).*,\1,p' "$p" | while read -r f; do
        if [ -f "$tree/$f" ] && [ ! -e "$tmp/$f" ]; then
            mkdir -p "$(dirname "$tmp/$f")"
            cp "$tree/$f" "$tmp/$f"
        fi
    done
    out=$(patch -p1 -d "$tmp" --no-backup-if-mismatch -F0 < "$p" 2>&1) || {
        printf '%s\n' "$out"; echo "FAIL $p"; exit 1; }
    if printf '%s\n' "$out" | grep -q 'fuzz'; then
        printf '%s\n' "$out"; echo "FAIL (fuzz) $p"; exit 1
    fi
    echo "ok ${p#"$here"/}"
done
