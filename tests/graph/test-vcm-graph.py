#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scripts/vcm-graph against a QEMU whose mappings are known.

    test-vcm-graph.py QEMU VCM_GRAPH

Starts qemu-system-arm -M virt under qtest with one smmu-vcm, two vcm-dma
masters (MID 3 routed to context 0, MID 5 to context 1) and a pasr-ddr;
writes page tables and registers over the qtest protocol; runs vcm-graph
with -o graph.json and -o graph.svg, and checks the graph's edges and
physical runs: a 64 KiB page of context 1 falls inside a 1 MiB section of
context 0, so that physical run has two mappers and is marked shared.
A second run reads a guest console log in which the guest's VCM graph
(as vcm-user prints it) backs both IOVA windows and a CPU range with one
physmem: the CPU becomes the shared run's third mapper. TAP output.
"""

import json
import os
import subprocess
import sys
import tempfile

import vcm_qtest

SMMU = 0x0C000000               # docs/specs/smmu-vcm.rst 9.2
L1_A, L1_B = 0x44000000, 0x44004000
L2_A = 0x44010000
SCTLR, TTBR0 = 0x000, 0x010
M2VCBR = 0xFF000

# docs/specs/smmu-vcm.rst 3.4, full AP model (SCTLR.AFE = 0): AP = 3, rw
PTE_1M = 0x00000C02
PTE_4K = 0x00000032
PTE_64K = 0x00000031


def program(qt):
    """Context 0 (MID 3): IOVA 0x10000000 -> 1M section at 0x48000000 and
    two 4K pages 0x20000000 -> 0x48200000 (one run). Context 1 (MID 5):
    IOVA 0x30000000 -> 64K page at 0x48080000, inside context 0's section.
    """
    qt.cmd("memset %#x 0x4000 0" % L1_A)
    qt.cmd("memset %#x 0x4000 0" % L1_B)
    qt.cmd("memset %#x 0x800 0" % L2_A)
    qt.writel(L1_A + (0x10000000 >> 20) * 4, 0x48000000 | PTE_1M)
    qt.writel(L1_A + (0x20000000 >> 20) * 4, L2_A | 1)
    qt.writel(L2_A, 0x48200000 | PTE_4K)
    qt.writel(L2_A + 4, 0x48201000 | PTE_4K)
    qt.writel(L1_B + (0x30000000 >> 20) * 4, (L2_A + 0x400) | 1)
    for i in range(16):
        qt.writel(L2_A + 0x400 + 4 * i, 0x48080000 | PTE_64K)
    qt.writel(SMMU + M2VCBR + 4 * 3, 0 << 8)
    qt.writel(SMMU + M2VCBR + 4 * 5, 1 << 8)
    for ctx, table in ((0, L1_A), (1, L1_B)):
        qt.writel(SMMU + (ctx << 12) + TTBR0, table)
        qt.writel(SMMU + (ctx << 12) + SCTLR, 1)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        self.n += 1
        if not ok:
            self.failed += 1
        print("%sok %d - %s%s" % ("" if ok else "not ", self.n, what,
                                  "" if ok else " # " + str(detail)))


def check_graph(tap, graph):
    nodes, edges = graph["nodes"], {tuple(e) for e in graph["edges"]}
    smmu = "/machine/peripheral/smmu0"
    ctx0, ctx1 = "ctx:%s#0" % smmu, "ctx:%s#1" % smmu
    iova = {"a1m": "iova:%s#0:0x10000000" % smmu,
            "a4k": "iova:%s#0:0x20000000" % smmu,
            "b64k": "iova:%s#1:0x30000000" % smmu}
    want = {
        ("master:/machine/peripheral/dma0", ctx0),
        ("master:/machine/peripheral/dma1", ctx1),
        (ctx0, iova["a1m"]), (ctx0, iova["a4k"]), (ctx1, iova["b64k"]),
        (iova["a1m"], "phys:0x48000000-0x4807ffff"),
        (iova["a1m"], "phys:0x48080000-0x4808ffff"),
        (iova["a1m"], "phys:0x48090000-0x480fffff"),
        (iova["b64k"], "phys:0x48080000-0x4808ffff"),
        (iova["a4k"], "phys:0x48200000-0x48201fff"),
    }
    tap.check(edges == want, "the edges are masters -> contexts -> IOVA "
              "runs -> physical runs", sorted(edges ^ want))
    tap.check(nodes.get(iova["a4k"], {}).get("size") == 0x2000,
              "two contiguous 4K pages are one IOVA run",
              nodes.get(iova["a4k"]))
    phys = {n: nodes[n] for n in graph["phys"]}
    shared = sorted(n for n, p in phys.items() if p["shared"])
    tap.check(shared == ["phys:0x48080000-0x4808ffff"],
              "only the 64K that both contexts map is shared", shared)
    tap.check(phys.get("phys:0x48080000-0x4808ffff", {}).get("mappers") ==
              [ctx0, ctx1], "the shared run names both contexts",
              phys.get("phys:0x48080000-0x4808ffff"))
    states = {p["pasr"] for p in phys.values()}
    if graph["axis"]:
        tap.check(states == {"refreshed"}, "pasr-ddr reports the mapped "
                  "memory refreshed (all chip selects active)", states)
    else:
        tap.check(states == {None}, "no pasr-ddr info-json: no colour",
                  states)


# The guest's VCM graph: physmem 0 behind context 0's IOVA 0x10080000,
# context 1's 0x30000000 and the CPU's 0xf0100000, 64 KiB each
GUEST_LOG = """\
vcm-user: graph: vcm 0 iommu [0x10000000-0x20000000) c100000.dma (active)
vcm-user: graph:   res 0x10080000 len 0x10000 rw- user wb physmem 0
vcm-user: graph: vcm 1 iommu [0x30000000-0x40000000) c101000.dma (active)
vcm-user: graph:   res 0x30000000 len 0x10000 rw- user wb physmem 0
vcm-user: graph: vcm 2 vmm [0xf0000000-0xff800000) cpu0 (active)
vcm-user: graph:   res 0xf0100000 len 0x10000 rw- user wb physmem 0
"""


def check_cpu(tap, graph):
    edges = {tuple(e) for e in graph["edges"]}
    shared = "phys:0x48080000-0x4808ffff"
    want = {("cpu:cpu0", "cpuva:cpu0:0xf0100000"),
            ("cpuva:cpu0:0xf0100000", shared)}
    got = {e for e in edges if e[0].startswith("cpu")}
    tap.check(got == want, "the guest's CPU range maps the shared run",
              sorted(got))
    mappers = graph["nodes"].get(shared, {}).get("mappers")
    tap.check(mappers == ["cpu:cpu0", "ctx:/machine/peripheral/smmu0#0",
                          "ctx:/machine/peripheral/smmu0#1"],
              "the shared run has three mappers", mappers)


def run_graph(qmp_sock, out, *extra):
    return subprocess.run([sys.executable, VCM_GRAPH, "--qmp", qmp_sock,
                           "-o", out + ".json", "-o", out + ".svg"] +
                          list(extra),
                          capture_output=True, text=True, timeout=60)


def main():
    global VCM_GRAPH
    qemu, VCM_GRAPH = sys.argv[1:3]
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="vcm-graph-") as tmp:
        proc, qt, qmp_sock = vcm_qtest.start(qemu, tmp, [
            "-m", "1G",
            "-device", "smmu-vcm,id=smmu0",
            "-device", "vcm-dma,id=dma0,iommu=smmu0,mid=3",
            "-device", "vcm-dma,id=dma1,iommu=smmu0,mid=5",
            "-device", "pasr-ddr,id=ddr0,cs=2,density-mbit=4096"])
        try:
            program(qt)
            out = os.path.join(tmp, "graph")
            run = run_graph(qmp_sock, out)
            tap.check(run.returncode == 0, "vcm-graph succeeds",
                      run.stderr.strip())
            if run.returncode == 0:
                with open(out + ".json") as f:
                    check_graph(tap, json.load(f))
                with open(out + ".svg") as f:
                    svg = f.read()
                tap.check("<svg" in svg and "shared by 2" in svg,
                          "the SVG shows the shared run")
            log = os.path.join(tmp, "console.log")
            with open(log, "w") as f:
                f.write(GUEST_LOG)
            run = run_graph(qmp_sock, out + "-cpu", "--guest-log", log)
            tap.check(run.returncode == 0, "vcm-graph --guest-log succeeds",
                      run.stderr.strip())
            if run.returncode == 0:
                with open(out + "-cpu.json") as f:
                    check_cpu(tap, json.load(f))
        finally:
            proc.kill()
            proc.wait()
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
