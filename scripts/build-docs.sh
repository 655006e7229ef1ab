#!/bin/bash
# Build the overlay's rST pages (docs/index.rst and what it lists) to HTML
# with Debian's Sphinx, warnings as errors.
#
#   scripts/build-docs.sh           into build/docs/vcm (make docs)
#   scripts/build-docs.sh OUTDIR    into OUTDIR
#   scripts/build-docs.sh --check   into a temporary directory, removed
#                                   afterwards (the meson test make check runs)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v sphinx-build > /dev/null; then
    echo "build-docs: sphinx-build not found; run scripts/deps.sh" >&2
    exit 1
fi
case "${1:-}" in
--check)
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    ;;
"")
    # build/ is the QEMU build tree's link, made by scripts/build-qemu.sh
    if [ ! -d "$here/build" ]; then
        echo "build-docs: no build/; run make qemu first" >&2
        exit 1
    fi
    out=$here/build/docs/vcm
    ;;
*)
    out=$1
    ;;
esac

# -E: read every page again, so a warning is never hidden by a cached one
sphinx-build -W --keep-going -E -q -b html -d "$out/.doctrees" \
    "$here/docs" "$out"
if [ "${1:-}" = --check ]; then
    echo "build-docs: no warnings"
else
    echo "build-docs: $out/index.html"
fi
