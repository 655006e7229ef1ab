/*
 * IOMMU DMA benchmark: the vcm-dma engine copying 16 MiB in 64 KiB chunks
 * through no IOMMU (bypass), through an IOMMU region that does nothing
 * but map each block to itself (the floor: QEMU's own cost of a
 * translation), through smmu-vcm, and through QEMU's SMMUv3, in one QEMU
 * process, the rows of each case taking turns. Prints figures; it is not
 * a pass/fail test (machines are shared and noisy).
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *   VCM_BENCH_ONLY=<case name part> narrows the run (for perf).
 *   VCM_BENCH_ROWS=bypass,smmu-vcm runs only those rows (bypass always
 *   runs): with QTEST_QEMU_BINARY set to a build from before the floor,
 *   vcm-dma-pci and the translations counter existed, the same cases
 *   compare two builds of the device.
 *
 * smmu-vcm is a platform IOMMU and SMMUv3 a PCI one: the smmu-vcm rows
 * are the engine as vcm-dma (sysbus) behind smmu-vcm, the SMMUv3 rows
 * the same engine as vcm-dma-pci behind SMMUv3 (docs/specs/vcm-dma.rst
 * 5 and 6). Bypass and floor use the sysbus front end.
 *
 * "ns/4K above floor" is a row's extra time over the floor's per 4 KiB
 * copied: the rows make different numbers of translate calls (smmu-vcm
 * answers a run of 16 cached pages in one, and the engine keeps a block
 * for its later steps; translate/MiB shows it), so a time per call would
 * not compare.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "../qtest/vcm-qom.h"
#include "../qtest/vcm-smmuv3.h"

#define SMMU0       0x0c000000ULL   /* tlb-entries=16384, 4 contexts */
#define SMMU1       0x0c100000ULL   /* the default TLB (64 entries) */
#define SMMU2       0x0c200000ULL   /* tlb-entries=16384, invalidated */
#define SYSBUS_DMA(n)   (0x0c300000ULL + 0x1000 * (n))

#define CB(n)       (0x1000 * (n))
#define SCTLR       0x000
#define ACTLR       0x004
#define CONTEXTIDR  0x008
#define TTBR0       0x010
#define CTX_TLBIALL 0x800
#define M2VCBR(m)   (0xFF000 + 4 * (m))

#define DMA_CTRL        0x08
#define DMA_STATUS      0x0C
#define DMA_SRC_LO      0x10
#define DMA_DST_LO      0x18
#define DMA_LEN         0x20
#define DMA_CHUNK       0x30
#define DMA_ITER        0x34

#define MiB         (1024 * 1024)
#define COPY        (16 * MiB)
#define SRC         0x50000000u
#define DST         0x52000000u
#define L1_TABLE(c) (0x44000000u + 0x4000 * (c))
#define L2_POOL(c)  (0x44200000u + 0x10000 * (c))
#define V3_TABLES   0x46000000u
#define PASSES      16      /* 256 MiB: a GO of RAM runs to its end */
#define ROUNDS      11

enum { BYPASS, FLOOR, VCM, SMMUV3, ROWS };
static const char *const row_names[ROWS] = {
    "bypass", "floor", "smmu-vcm", "SMMUv3",
};

/* One engine, and the counters that tell what its copy cost */
typedef struct Master {
    uint64_t regs;          /* register base */
    const char *dma;        /* QOM path of the engine */
    const char *smmu;       /* of its smmu-vcm, or NULL */
    uint16_t asid;          /* SMMUv3: invalidated by ASID */
} Master;

typedef struct Row {
    Master m;
    uint64_t best_ns;
    uint64_t translations;
    uint64_t misses;
    bool run;
} Row;

typedef struct Case {
    const char *name;
    bool invalidate;        /* a context invalidate every 1 MiB */
    const char *note;
    Row rows[ROWS];
} Case;

/* A counter, or 0 when the build has no such property */
static uint64_t qom_u64(QTestState *qts, const char *path, const char *prop)
{
    uint64_t v = 0;

    vcm_qom_try_u64(qts, path, prop, &v);
    return v;
}

/* Identity-map [base, base + len) with blocks of @size (v7s attributes). */
static void map_identity(QTestState *qts, uint32_t l1_table, uint32_t base,
                         uint32_t len, uint32_t size, uint32_t *next_l2)
{
    for (uint32_t mb = base; mb < base + len; mb += MiB) {
        uint32_t l1 = l1_table + (mb >> 20) * 4;

        if (size >= MiB) {
            qtest_writel(qts, l1, (mb & ~(size - 1)) |
                         (size == MiB ? 0x31C02 : 0x71C02));
        } else {
            uint32_t l2[256];

            for (int i = 0; i < 256; i++) {
                uint32_t va = mb + i * 4096;

                l2[i] = (va & ~(size - 1)) | (size == 4096 ? 0xC72 : 0x1C31);
            }
            qtest_memwrite(qts, *next_l2, l2, sizeof(l2));
            qtest_writel(qts, l1, *next_l2 | 1);
            *next_l2 += 0x400;
        }
    }
}

/* Context @ctx of @smmu translates master @mid with blocks of @size. */
static void attach(QTestState *qts, uint64_t smmu, unsigned ctx,
                   unsigned mid, uint32_t size, unsigned table)
{
    uint32_t next_l2 = L2_POOL(table);

    qtest_memset(qts, L1_TABLE(table), 0, 0x4000);
    map_identity(qts, L1_TABLE(table), SRC, COPY, size, &next_l2);
    map_identity(qts, L1_TABLE(table), DST, COPY, size, &next_l2);
    qtest_writel(qts, smmu + M2VCBR(mid), ctx << 8);
    qtest_writel(qts, smmu + CB(ctx) + CONTEXTIDR, ctx);
    qtest_writel(qts, smmu + CB(ctx) + TTBR0, L1_TABLE(table) | 2);
    qtest_writel(qts, smmu + CB(ctx) + ACTLR, 0x00037072);
    qtest_writel(qts, smmu + CB(ctx) + CTX_TLBIALL, 0);
    qtest_writel(qts, smmu + CB(ctx) + SCTLR, 7);
}

/* SMMUv3 stream @sid identity-maps both buffers with blocks of @size. */
static void attach_v3(VCMSmmuv3 *v3, uint32_t sid, uint16_t asid,
                      uint32_t size)
{
    uint64_t ttb = vcm_smmuv3_table(v3);

    vcm_smmuv3_map(v3, ttb, SRC, SRC, COPY, size);
    vcm_smmuv3_map(v3, ttb, DST, DST, COPY, size);
    vcm_smmuv3_attach(v3, sid, asid, ttb);
}

/* One transfer, with its wall time in ns */
static uint64_t dma(QTestState *qts, uint64_t base, uint32_t src,
                    uint32_t dst, uint32_t len, uint32_t iter)
{
    int64_t t0, t1;
    uint32_t status;

    qtest_writel(qts, base + DMA_STATUS, 6);
    qtest_writel(qts, base + DMA_SRC_LO, src);
    qtest_writel(qts, base + DMA_DST_LO, dst);
    qtest_writel(qts, base + DMA_LEN, len);
    qtest_writel(qts, base + DMA_CHUNK, 64 * 1024);
    qtest_writel(qts, base + DMA_ITER, iter);
    t0 = g_get_monotonic_time();
    qtest_writel(qts, base + DMA_CTRL, 1);      /* returns when done */
    t1 = g_get_monotonic_time();
    status = qtest_readl(qts, base + DMA_STATUS);
    if (status != 2) {
        g_error("transfer failed: STATUS 0x%x", status);
    }
    return (t1 - t0) * 1000;
}

/*
 * PASSES copies of 16 MiB; with @invalidate, 1 MiB at a time, the
 * master's context invalidated before each (no IOMMU: nothing to
 * invalidate, the same transfers).
 */
static uint64_t copy(QTestState *qts, VCMSmmuv3 *v3, const Master *m,
                     bool invalidate)
{
    uint64_t ns = 0;

    if (!invalidate) {
        return dma(qts, m->regs, SRC, DST, COPY, PASSES);
    }
    for (int pass = 0; pass < PASSES; pass++) {
        for (uint32_t off = 0; off < COPY; off += MiB) {
            if (m->smmu) {
                qtest_writel(qts, SMMU2 + CB(0) + CTX_TLBIALL, 0);
            } else if (m->asid) {
                vcm_smmuv3_inv_asid(v3, m->asid);
            }
            ns += dma(qts, m->regs, SRC + off, DST + off, MiB, 1);
        }
    }
    return ns;
}

/*
 * Each case's rows run in turn ROUNDS times, so that other load on the
 * machine hits them alike, each round starting from the next row (none
 * always follows the same one); each row keeps its best run.
 */
static void run_cases(QTestState *qts, VCMSmmuv3 *v3, Case *cases, size_t n)
{
    const char *only = g_getenv("VCM_BENCH_ONLY");

    for (size_t i = 0; i < n; i++) {
        for (int r = 0; r < ROWS; r++) {
            cases[i].rows[r].best_ns = UINT64_MAX;
            cases[i].rows[r].run &= !only || strstr(cases[i].name, only);
            if (cases[i].rows[r].run) {
                dma(qts, cases[i].rows[r].m.regs, SRC, DST, COPY, 1);
            }
        }
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < n; i++) {
            for (int k = 0; k < ROWS; k++) {
                Row *row = &cases[i].rows[(round + k) % ROWS];
                uint64_t t0, m0 = 0, ns;

                if (!row->run) {
                    continue;
                }
                t0 = qom_u64(qts, row->m.dma, "translations");
                if (row->m.smmu) {
                    m0 = qom_u64(qts, row->m.smmu, "tlb-misses");
                }
                ns = copy(qts, v3, &row->m, cases[i].invalidate);
                row->best_ns = MIN(row->best_ns, ns);
                row->translations = qom_u64(qts, row->m.dma,
                                            "translations") - t0;
                if (row->m.smmu) {
                    row->misses = qom_u64(qts, row->m.smmu, "tlb-misses") -
                                  m0;
                }
            }
        }
    }
}

static void report(const Case *c)
{
    double mib = (double)COPY * PASSES / MiB;
    const Row *bypass = &c->rows[BYPASS], *floor = &c->rows[FLOOR];
    const Row *v3 = &c->rows[SMMUV3];

    if (!bypass->run) {
        return;
    }
    printf("\n%s%s%s\n", c->name, c->note ? ": " : "", c->note ?: "");
    for (int r = 0; r < ROWS; r++) {
        const Row *row = &c->rows[r];

        if (!row->run) {
            continue;
        }
        printf("  %-9s %7.0f MiB/s %5.2fx bypass", row_names[r],
               mib / (row->best_ns / 1e9),
               (double)bypass->best_ns / row->best_ns);
        if (floor->run) {
            printf(" %5.2fx floor", (double)floor->best_ns / row->best_ns);
        }
        if (r == VCM && v3->run) {
            printf(" %5.2fx SMMUv3", (double)v3->best_ns / row->best_ns);
        } else {
            printf("              ");
        }
        if (row->translations) {
            printf(" %6.1f translate/MiB", row->translations / mib);
            if (row->m.smmu) {
                printf(" %6.1f miss/MiB", row->misses / mib);
            } else {
                printf("                ");
            }
            if (r != FLOOR && floor->run) {
                printf(" %6.1f ns/4K above floor",
                       ((double)row->best_ns - floor->best_ns) /
                       (mib * MiB / 4096));
            }
        }
        printf("\n");
    }
}

#define SYSBUS(n, id)   { SYSBUS_DMA(n), "/machine/peripheral/" id }
#define BEHIND_VCM(n, id, smmu) \
    { SYSBUS_DMA(n), "/machine/peripheral/" id, "/machine/peripheral/" smmu }
#define PCI_ID(id)      "/machine/peripheral/" id

/* Is row @r asked for (VCM_BENCH_ROWS)? The bypass row always is. */
static bool row_wanted(int r)
{
    g_auto(GStrv) names = g_strsplit(g_getenv("VCM_BENCH_ROWS") ?: "", ",",
                                     -1);

    return r == BYPASS || !g_getenv("VCM_BENCH_ROWS") ||
           g_strv_contains((const char * const *)names, row_names[r]);
}

/* The devices behind each row; SYSBUS_DMA(n) is the n-th vcm-dma here. */
static const char *const row_devices[ROWS] = {
    [BYPASS] = "-device vcm-dma,id=bypass ",
    [FLOOR] = "-device vcm-dma,id=floor4k,x-identity-block=4096 "
        "-device vcm-dma,id=floor64k,x-identity-block=65536 "
        "-device vcm-dma,id=floor1m,x-identity-block=1048576 "
        "-device vcm-dma,id=floor16m,x-identity-block=16777216 ",
    [VCM] = "-device vcm-dma,id=vcm4k,iommu=smmu0,mid=1 "
        "-device vcm-dma,id=vcm64k,iommu=smmu0,mid=2 "
        "-device vcm-dma,id=vcm1m,iommu=smmu0,mid=3 "
        "-device vcm-dma,id=vcm16m,iommu=smmu0,mid=4 "
        "-device vcm-dma,id=vcmthrash,iommu=smmu1,mid=1 "
        "-device vcm-dma,id=vcminv,iommu=smmu2,mid=1 ",
    [SMMUV3] = "-device vcm-dma-pci,id=v3-4k,addr=03.0 "
        "-device vcm-dma-pci,id=v3-2m,addr=04.0",
};

/*
 * The machine with the wanted rows' devices. Sysbus devices get their
 * register windows in command-line order (the three SMMUs first), so a
 * row left out keeps its place with unused vcm-dmas: the others' windows
 * do not move.
 */
static QTestState *start(void)
{
    static const char *const placeholders[ROWS] = {
        [FLOOR] = "-device vcm-dma -device vcm-dma -device vcm-dma "
            "-device vcm-dma ",
        [VCM] = "-device vcm-dma -device vcm-dma -device vcm-dma "
            "-device vcm-dma -device vcm-dma -device vcm-dma ",
    };
    g_autoptr(GString) args = g_string_new("-M virt");

    g_string_append_printf(args, "%s -m 1G -nodefaults "
                           "-device smmu-vcm,id=smmu0,tlb-entries=16384 "
                           "-device smmu-vcm,id=smmu1 "
                           "-device smmu-vcm,id=smmu2,tlb-entries=16384 ",
                           row_wanted(SMMUV3) ? ",iommu=smmuv3" : "");
    for (int r = 0; r < ROWS; r++) {
        g_string_append(args, row_wanted(r) ? row_devices[r] :
                              placeholders[r] ?: "");
    }
    return qtest_init(args->str);
}

int main(int argc, char **argv)
{
    static const uint32_t sizes[] = { 4096, 65536, MiB, 16 * MiB };
    QTestState *qts = start();
    VCMSmmuv3 v3;
    Master bypass = SYSBUS(0, "bypass");
    Master floor4k = SYSBUS(1, "floor4k");
    Master v3_4k = { VCM_PCIE_MMIO, PCI_ID("v3-4k"), NULL, 1 };
    Master v3_2m = { VCM_PCIE_MMIO + 0x1000, PCI_ID("v3-2m"), NULL, 2 };
    Case cases[] = {
        { "4K pages", false,
          "SMMUv3's 256-entry IOTLB misses every page of 16 MiB, smmu-vcm's "
          "16384-entry TLB none (not comparable work)",
          { { bypass }, { floor4k }, { BEHIND_VCM(5, "vcm4k", "smmu0") },
            { v3_4k } } },
        { "64K large pages", false, NULL,
          { { bypass }, { SYSBUS(2, "floor64k") },
            { BEHIND_VCM(6, "vcm64k", "smmu0") } } },
        { "1M sections", false, NULL,
          { { bypass }, { SYSBUS(3, "floor1m") },
            { BEHIND_VCM(7, "vcm1m", "smmu0") } } },
        { "largest block", false,
          "smmu-vcm 16M supersections, SMMUv3 2M blocks, floor 16M",
          { { bypass }, { SYSBUS(4, "floor16m") },
            { BEHIND_VCM(8, "vcm16m", "smmu0") }, { v3_2m } } },
        { "TLB thrash, 4K", false,
          "smmu-vcm's default 64-entry TLB, SMMUv3's 256-entry IOTLB "
          "(flushed whole when full); both miss every page",
          { { bypass }, { floor4k }, { BEHIND_VCM(9, "vcmthrash", "smmu1") },
            { v3_4k } } },
        { "invalidate every 1 MiB, 4K", true,
          "smmu-vcm CTX_TLBIALL, SMMUv3 CMD_TLBI_NH_ASID + CMD_SYNC",
          { { bypass }, { floor4k }, { BEHIND_VCM(10, "vcminv", "smmu2") },
            { v3_4k } } },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        for (int r = 0; r < ROWS; r++) {
            cases[i].rows[r].run = cases[i].rows[r].m.regs && row_wanted(r);
        }
    }
    if (row_wanted(VCM)) {
        for (unsigned ctx = 0; ctx < 4; ctx++) {
            attach(qts, SMMU0, ctx, ctx + 1, sizes[ctx], ctx);
        }
        attach(qts, SMMU1, 0, 1, 4096, 4);
        attach(qts, SMMU2, 0, 1, 4096, 5);
    }
    if (row_wanted(SMMUV3)) {
        vcm_dma_pci_enable(qts, 3 << 3, v3_4k.regs);
        vcm_dma_pci_enable(qts, 4 << 3, v3_2m.regs);
        vcm_smmuv3_init(&v3, qts, V3_TABLES, 4 * MiB);
        attach_v3(&v3, 3 << 3, v3_4k.asid, 4096);
        attach_v3(&v3, 4 << 3, v3_2m.asid, 2 * MiB);
    }

    run_cases(qts, &v3, cases, ARRAY_SIZE(cases));
    printf("16 MiB copies in 64 KiB chunks, %d passes; best of %d rounds, "
           "rows in turn.\nbypass, floor and smmu-vcm: vcm-dma (sysbus); "
           "SMMUv3: vcm-dma-pci (-M virt,iommu=smmuv3).\n", PASSES, ROUNDS);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        report(&cases[i]);
    }
    qtest_quit(qts);
    return 0;
}
