#!/usr/bin/python3
"""Guest-level figures (issue 14 item 5), printed, not checked:

    guest-bench.py QEMU_SYSTEM_ARM [GUEST_DIR]

- boot: wall time from starting QEMU to the demo init's "vcm-init: done"
  with the demo's devices (two smmu-vcm with their vcm-dma, pasr-ddr)
  and the same kernel and init on plain -M virt; best of ROUNDS, the two
  taking turns; the ratio of the two.
- soak: vcm_test's map / DMA / verify / unmap cycles per second (the
  guest's own timing of SOAK_CYCLES cycles) with smmu-vcm's check-stale
  diagnostic off and on, best of ROUNDS each, in turn.

GUEST_DIR holds zImage and initramfs.cpio (tests/guest/build-guest.sh);
default $VCM_GUEST_6_12, else ./vcm-guest-6.12 (the build directory,
where meson runs benchmarks). Exit status 77 (skip) without a guest.
"""

import os
import re
import subprocess
import sys
import time

ROUNDS = 3
SOAK_CYCLES = 2000
DONE = b"vcm-init: done"
SOAK = re.compile(rb"soak (\d+) cycles, (\d+) data errors, (\d+) ms")

DEMO = ["-device", "smmu-vcm,id=smmu0",
        "-device", "vcm-dma,id=dma0,iommu=smmu0,mid=3",
        "-device", "smmu-vcm,id=smmu1",
        "-device", "vcm-dma,id=dma1,iommu=smmu1,mid=5",
        "-device", "pasr-ddr,id=ddr0"]


def boot(qemu, guest, devices, append=""):
    """Seconds to "done", and the console up to it"""
    cmd = [qemu, "-M", "virt", "-m", "1G", "-nodefaults", "-display", "none",
           "-serial", "stdio", "-no-reboot",
           "-kernel", os.path.join(guest, "zImage"),
           "-initrd", os.path.join(guest, "initramfs.cpio"),
           "-append", "console=ttyAMA0 panic=-1 " + append] + devices
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    console = b""
    try:
        for line in proc.stdout:
            console += line
            if DONE in line:
                return time.monotonic() - t0, console
        raise RuntimeError("guest ended before '%s':\n%s" %
                           (DONE.decode(), console.decode(errors="replace")))
    finally:
        proc.kill()
        proc.wait()


def soak_rate(qemu, guest, check_stale):
    """vcm_test soak cycles per second on smmu0 (guest-timed)"""
    devices = ["-device", "smmu-vcm,id=smmu0,check-stale=%s" %
               ("on" if check_stale else "off"),
               "-device", "vcm-dma,id=dma0,iommu=smmu0,mid=3"]
    _, console = boot(qemu, guest, devices,
                      "vcm_test.soak_cycles=%d" % SOAK_CYCLES)
    m = SOAK.search(console)
    if not m or m.group(2) != b"0":
        raise RuntimeError("no clean soak result:\n" +
                           console.decode(errors="replace"))
    return int(m.group(1)) * 1000.0 / max(int(m.group(3)), 1)


def main():
    qemu = sys.argv[1]
    guest = (sys.argv[2] if len(sys.argv) > 2 else
             os.environ.get("VCM_GUEST_6_12") or "vcm-guest-6.12")
    if not os.path.exists(os.path.join(guest, "zImage")):
        print("guest-bench: SKIP, no guest in %s" % guest)
        return 77

    best = {"demo": float("inf"), "plain": float("inf")}
    rate = {False: 0.0, True: 0.0}
    for _ in range(ROUNDS):
        best["demo"] = min(best["demo"], boot(qemu, guest, DEMO)[0])
        best["plain"] = min(best["plain"], boot(qemu, guest, [])[0])
        for check in (False, True):
            rate[check] = max(rate[check], soak_rate(qemu, guest, check))

    print("guest %s; best of %d runs, in turn" % (guest, ROUNDS))
    print("boot to 'vcm-init: done': demo devices %.2f s, plain virt "
          "%.2f s: %.2fx" % (best["demo"], best["plain"],
                             best["demo"] / best["plain"]))
    print("soak (%d cycles, guest-timed): check-stale off %.0f cycles/s, "
          "on %.0f cycles/s: %.2fx" % (SOAK_CYCLES, rate[False], rate[True],
                                       rate[True] / rate[False]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
