#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How long "info smmu-vcm" and the info-json property take for a context
that maps all 4 GiB with 4 KiB pages: 4096 level-2 tables, 2^20 walks.

    smmu-vcm-info-bench.py QEMU

Two cases: every page continues the previous one (one run), and no page
does (2^20 runs, 4096 listed). The time is from the QMP command to its
answer, read with Python's json (fast enough not to matter). Prints
figures; not a pass/fail test (meson test --benchmark --suite vcm-bench).
"""

import os
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "graph"))
import vcm_qtest  # noqa: E402

SMMU = 0x0C000000               # docs/specs/smmu-vcm.rst 9.2
SCTLR, TTBR0 = 0x000, 0x010
L1_TABLE, L2_POOL = 0x44000000, 0x44100000
PTE_4K = 0x32                   # small page, AP = 3 (SCTLR.AFE = 0)
ROUNDS = 3


def best_ms(run):
    best = None
    for _ in range(ROUNDS):
        t0 = time.monotonic()
        run()
        ms = (time.monotonic() - t0) * 1000
        best = ms if best is None else min(best, ms)
    return best


def main():
    with tempfile.TemporaryDirectory(prefix="info-bench-") as tmp:
        proc, qt, qmp_sock = vcm_qtest.start(sys.argv[1], tmp, [
            "-m", "1G", "-device", "smmu-vcm,id=smmu0,num-contexts=1",
            "-device", "vcm-dma,iommu=smmu0,mid=0"])
        try:
            qmp = vcm_qtest.QMP(qmp_sock, time.monotonic() + 30)
            qt.write(L1_TABLE, b"".join(struct.pack("<I", (L2_POOL + i * 0x400)
                                                    | 1)
                                        for i in range(4096)))
            qt.writel(SMMU + TTBR0, L1_TABLE)
            qt.writel(SMMU + SCTLR, 1)
            for contiguous in (True, False):
                table = b"".join(struct.pack("<I", (page if contiguous
                                                    else page ^ 1) << 12
                                             | PTE_4K)
                                 for page in range(1 << 20))
                for off in range(0, len(table), 1 << 20):
                    qt.write(L2_POOL + off, table[off:off + (1 << 20)])
                hmp = best_ms(lambda: qmp.cmd(
                    "human-monitor-command",
                    **{"command-line": "info smmu-vcm"}))
                js = best_ms(lambda: qmp.cmd(
                    "qom-get", path="/machine/peripheral/smmu0",
                    property="info-json"))
                print("info smmu-vcm, 4 GiB of 4K pages, %s: %.0f ms (HMP), "
                      "%.0f ms (info-json); best of %d" %
                      ("one run" if contiguous else
                       "2^20 runs, 4096 listed", hmp, js, ROUNDS))
        finally:
            proc.kill()
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
