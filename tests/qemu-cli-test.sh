#!/bin/bash
# Command-line contract of the overlay's devices on -M virt:
# property help, one-line errors for bad properties, and the device-tree
# nodes virt generates (checked in the DTB with fdtget).
#
#   tests/qemu-cli-test.sh QEMU_SYSTEM_ARM
set -u
qemu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi; }

# Every property of every device is listed with a description.
for dev in smmu-vcm vcm-dma pasr-ddr; do
    "$qemu" -M virt -nodefaults -device "$dev,help" > "$tmp/help-$dev" 2>&1
    cp "$tmp/help-$dev" "$tmp/help"
    props=$(grep -c '=<' "$tmp/help")
    undocumented=$(grep '=<' "$tmp/help" | grep -v ' - ' || true)
    if [ "$props" -ge 2 ] && [ -z "$undocumented" ]; then
        ok "$dev,help documents its $props properties"
    else
        not_ok "$dev,help: undocumented: ${undocumented:-no properties}"
    fi
done

# vcm-dma-pci: the properties it adds to a PCI function (those it inherits
# from QEMU's PCI device, which pci-testdev lists too, are not ours).
"$qemu" -M virt -nodefaults -device pci-testdev,help > "$tmp/help-pci" 2>&1
"$qemu" -M virt -nodefaults -device vcm-dma-pci,help > "$tmp/help-vcm-pci" 2>&1
own=$(grep '=<' "$tmp/help-vcm-pci" |
      grep -v -F -f <(grep '=<' "$tmp/help-pci" | sed 's/=<.*//') || true)
undocumented=$(printf '%s\n' "$own" | grep '=<' | grep -v ' - ' || true)
if [ -n "$own" ] && [ -z "$undocumented" ]; then
    ok "vcm-dma-pci,help documents its $(printf '%s\n' "$own" | wc -l) own properties"
else
    not_ok "vcm-dma-pci,help: undocumented: ${undocumented:-no own properties}"
fi

# A bad property is one error line and exit status 1.
bad() {
    local what=$1 expect=$2
    shift 2
    # (ASan builds warn once about QEMU's coroutines: not QEMU's output)
    "$qemu" -M virt -nodefaults -display none "$@" 2>&1 |
        grep -v "^==[0-9]*==WARNING: ASan doesn't fully support makecontext" \
        > "$tmp/out"
    local rc=${PIPESTATUS[0]} lines
    lines=$(grep -c . "$tmp/out")
    if [ $rc = 1 ] && [ "$lines" = 1 ] && grep -q -- "$expect" "$tmp/out"; then
        ok "$what: $(cat "$tmp/out")"
    else
        not_ok "$what: status $rc, $lines lines: $(head -c 300 "$tmp/out")"
    fi
}
bad "num-contexts=0" "num-contexts must be 1..128" \
    -device smmu-vcm,num-contexts=0
bad "num-contexts=129" "num-contexts must be 1..128" \
    -device smmu-vcm,num-contexts=129
bad "num-mids=513" "num-mids must be 1..512" -device smmu-vcm,num-mids=513
bad "tlb-entries=20000" "tlb-entries must be 0..16384" \
    -device smmu-vcm,tlb-entries=20000
bad "mid beyond num-mids" "master id 16 out of range" \
    -device smmu-vcm,id=s,num-mids=16 -device vcm-dma,iommu=s,mid=16
bad "two masters with one mid" "master id 3 of s is already used by" \
    -device smmu-vcm,id=s -device vcm-dma,iommu=s,mid=3 \
    -device vcm-dma,iommu=s,mid=3
bad "vcm-dma x-run-steps=0" "x-run-steps must be at least 1" \
    -device vcm-dma,x-run-steps=0
bad "vcm-dma-pci x-run-steps=0" "x-run-steps must be at least 1" \
    -device vcm-dma-pci,x-run-steps=0
bad "vcm-dma x-run-bytes=0" "x-run-bytes must be at least 1" \
    -device vcm-dma,x-run-bytes=0
bad "master before its SMMU" "Device 's' not found" \
    -device vcm-dma,iommu=s -device smmu-vcm,id=s
bad "iommu not an smmu-vcm" "iommu" \
    -device pasr-ddr,id=d,cs=1,density-mbit=1024 -device vcm-dma,iommu=d
bad "geometry larger than RAM" "make 1024 MiB, but the RAM is 128 MiB" \
    -device pasr-ddr
bad "geometry smaller than RAM" "make 128 MiB, but the RAM is 1024 MiB" \
    -m 1G -device pasr-ddr,cs=1,density-mbit=1024
bad "density not in JEDEC table" "densities are" \
    -m 1G -device pasr-ddr,density-mbit=3000
bad "S2 density" "LPDDR2-S2 densities are 1024 and 2048" \
    -m 1G -device pasr-ddr,lpddr2-type=s2
bad "io-width=12" "I/O width is 8, 16 or 32" \
    -m 1G -device pasr-ddr,io-width=12
bad "lpddr2-type=s3" "lpddr2-type (s4, s2): 's3' is not one of" \
    -m 1G -device pasr-ddr,lpddr2-type=s3
bad "map=rcb" "map (rbc, brc): 'rcb' is not one of" \
    -m 1G -device pasr-ddr,map=rcb
bad "poison=decay" "poison (pattern, zero, random, none): 'decay'" \
    -m 1G -device pasr-ddr,poison=decay
bad "shift interleave of 3 chip selects" "must be 1, 2 or 4" \
    -m 384M -device pasr-ddr,cs=3,density-mbit=1024,cs-mode=shift
bad "interleave granule 1000" "granule must be a power of two" \
    -m 1G -device pasr-ddr,cs-mode=swap,interleave-granule=1000
bad "cs=5" "cs must be 1..4" -m 1G -device pasr-ddr,cs=5

# pasr-ddr's enum properties are QEMU enum properties with their defaults.
for p in "lpddr2-type=<PASRDDRType> .*(default: s4)" \
         "map=<PASRDDRMap> .*(default: rbc)" \
         "cs-mode=<PASRDDRCSMode> .*(default: linear)" \
         "poison=<PASRDDRPoison> .*(default: pattern)"; do
    if grep -q -- "^  $p\$" "$tmp/help-pasr-ddr"; then
        ok "pasr-ddr,help: ${p%% *}"
    else
        not_ok "pasr-ddr,help has no '$p'"
    fi
done

# virt wires pasr-ddr (qemu-patches/0005): the trap window (sysbus MMIO 1)
# sits above the RAM it was linked to, the controller poisons through its
# own view of that RAM, and the machine wakes from suspend.
machine() {
    printf '%s\n' '{"execute": "qmp_capabilities"}' \
        '{"execute": "query-current-machine"}' \
        '{"execute": "human-monitor-command",
          "arguments": {"command-line": "info mtree"}}' \
        '{"execute": "quit"}' |
        "$qemu" -M virt -m 1G -nodefaults -display none -S -qmp stdio "$@" |
        sed 's/\\r\\n/\n/g'
}
machine -device pasr-ddr > "$tmp/machine" 2>&1
check "pasr-ddr trap window above the RAM" \
    "$(grep -q '^    0000000040000000-000000007fffffff (prio 1, i/o): pasr-ddr-trap$' \
       "$tmp/machine" && echo yes)" yes
check "pasr-ddr poisons through its own view of the RAM" \
    "$(grep -A2 'address-space: pasr-ddr-dram$' "$tmp/machine" | grep -q \
       '40000000-000000007fffffff (prio 0, ram): alias pasr-ddr-dram @mach' &&
       echo yes)" yes
wakeup() {
    grep -o '"wakeup-suspend-support": [a-z]*' "$1" | cut -d' ' -f2
}
check "virt wakes from suspend with a pasr-ddr" "$(wakeup "$tmp/machine")" true
machine > "$tmp/machine" 2>&1
check "virt without a pasr-ddr does not" "$(wakeup "$tmp/machine")" false

# The nodes virt generates (docs/specs/smmu-vcm.rst 5.1/5.2, docs/specs/pasr-ddr.rst 5.2).
dtb="$tmp/virt.dtb"
"$qemu" -M virt,dumpdtb="$dtb" -m 1G -nodefaults \
    -device smmu-vcm,id=s,num-contexts=8 -device vcm-dma,iommu=s,mid=3 \
    -device pasr-ddr,cs=2,density-mbit=4096 > "$tmp/out" 2>&1 ||
    not_ok "dumpdtb: $(cat "$tmp/out")"
pb=/platform-bus@c000000
get() { fdtget "$@" 2>&1; }
iommu=$pb/iommu@0
check "iommu compatible" "$(get "$dtb" $iommu compatible)" qcom,apq8064-iommu
check "iommu reg" "$(get -t x "$dtb" $iommu reg)" "0 100000"
check "iommu interrupts" "$(get "$dtb" $iommu interrupts)" "0 112 4 0 113 4"
apb=$(get "$dtb" /apb-pclk phandle)
check "iommu clocks" "$(get "$dtb" $iommu clocks)" "$apb $apb"
check "iommu clock-names" "$(get "$dtb" $iommu clock-names)" \
    "smmu_pclk iommu_clk"
check "iommu qcom,ncb" "$(get "$dtb" $iommu qcom,ncb)" 8
check "iommu #iommu-cells" "$(get "$dtb" $iommu '#iommu-cells')" 1
phandle=$(get "$dtb" $iommu phandle)
dma=$pb/dma@100000
check "dma compatible" "$(get "$dtb" $dma compatible)" qemu,vcm-dma
check "dma iommus" "$(get "$dtb" $dma iommus)" "$phandle 3"
check "dma interrupts" "$(get "$dtb" $dma interrupts)" "0 114 4"
ddr=$pb/memory-controller@101000
check "pasr-ddr compatible" "$(get "$dtb" $ddr compatible)" qemu,pasr-ddr
check "pasr-ddr reg" "$(get -t x "$dtb" $ddr reg)" "101000 1000"
check "lpddr2 compatible" "$(get "$dtb" $ddr/lpddr2 compatible)" \
    "lpddr2-01,0100 jedec,lpddr2-s4"
check "lpddr2 density" "$(get "$dtb" $ddr/lpddr2 density)" 4096
check "lpddr2 io-width" "$(get "$dtb" $ddr/lpddr2 io-width)" 32
check "device-handle" "$(get "$dtb" $ddr device-handle)" \
    "$(get "$dtb" $ddr/lpddr2 phandle)"

# A master without an SMMU has no iommus property.
"$qemu" -M virt,dumpdtb="$dtb" -nodefaults -device vcm-dma > /dev/null 2>&1
check "bypass master has no iommus" \
    "$(fdtget "$dtb" $pb/dma@0 iommus 2>/dev/null || echo none)" none

echo "1..$n"
exit $failed
