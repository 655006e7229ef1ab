#!/bin/bash
# Enable bookworm-backports and the deb-src entries this project needs,
# derived from the machine's own apt configuration: the archive address is
# read from the existing sources, never written into this repository.
#
# Adds (to /etc/apt/sources.list.d/smmu-vcm-overlay.sources):
#   deb + deb-src  <release>-backports       (meson >= 1.5, python3-pycotap)
#   deb-src        <release> <release>-updates
#   deb-src        <next release>             (newest QEMU 10.0.x sources)
set -euo pipefail

out=/etc/apt/sources.list.d/smmu-vcm-overlay.sources
release=${DEBIAN_RELEASE:-bookworm}
next=${DEBIAN_NEXT_RELEASE:-trixie}

# Print "URI KEYRING" of the first main-archive entry for $release, from
# deb822 .sources files or one-line .list files.
find_archive() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v rel="$release" '
            function flush() {
                if (uri != "" && suites ~ ("(^| )" rel "( |$)") && types ~ /deb/) {
                    print uri, (key == "" ? "-" : key); found = 1; exit
                }
                uri = ""; suites = ""; types = ""; key = ""
            }
            /^[[:space:]]*$/ { flush(); next }
            /^Types:/     { sub(/^Types:[[:space:]]*/, ""); types = $0 }
            /^URIs:/      { uri = $2 }
            /^Suites:/    { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
            /^Signed-By:/ { key = $2 }
            END { if (!found) flush() }
        ' "$f" | head -n1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v rel="$release" '
            $1 == "deb" {
                i = 2; key = "-"
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /signed-by=/) {
                            key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key)
                        }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                if ($(i + 1) == rel) { print $i, key; exit }
            }' "$f"
    done
}

read -r uri key < <(find_archive | head -n1) || true
if [ -z "${uri:-}" ]; then
    echo "apt-sources: no '$release' archive entry found in /etc/apt" >&2
    exit 1
fi

keyline=
if [ "$key" != "-" ]; then
    keyline="Signed-By: $key"
fi

tmp=$(mktemp)
cat >"$tmp" <<EOS
# Written by scripts/apt-sources.sh from this machine's apt configuration.
Types: deb deb-src
URIs: $uri
Suites: $release-backports
Components: main
$keyline

Types: deb-src
URIs: $uri
Suites: $release $release-updates
Components: main
$keyline

Types: deb-src
URIs: $uri
Suites: $next $next-updates
Components: main
$keyline
EOS

if ! cmp -s "$tmp" "$out" 2>/dev/null; then
    install -m 0644 "$tmp" "$out"
    echo "apt-sources: wrote $out"
fi
rm -f "$tmp"
