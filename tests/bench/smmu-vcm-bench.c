/*
 * smmu-vcm DMA benchmark: one QEMU process, vcm-dma copying 16 MiB in
 * 64 KiB chunks through bypass and through 4K, 64K, 1M and 16M mappings,
 * plus a TLB-thrash and an invalidate-heavy case. Prints figures; it is
 * not a pass/fail test (machines are shared and noisy).
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define SMMU0       0x0c000000ULL   /* tlb-entries=8192 */
#define SMMU1       0x0c100000ULL   /* tlb-entries=64 */
#define DMA_BYPASS  0x0c200000ULL
#define DMA0        0x0c201000ULL   /* behind smmu0, mid 1 */
#define DMA1        0x0c202000ULL   /* behind smmu1, mid 1 */

#define CB0         0x0000
#define SCTLR       0x000
#define ACTLR       0x004
#define TTBR0       0x010
#define CTX_TLBIALL 0x800
#define M2VCBR1     0xFF004

#define DMA_CTRL        0x08
#define DMA_STATUS      0x0C
#define DMA_SRC_LO      0x10
#define DMA_DST_LO      0x18
#define DMA_LEN         0x20
#define DMA_CHUNK       0x30
#define DMA_ITER        0x34
#define DMA_ELAPSED_LO  0x38
#define DMA_ELAPSED_HI  0x3C

#define MiB         (1024 * 1024)
#define COPY        (16 * MiB)
#define SRC         0x50000000u
#define DST         0x52000000u
#define L1_TABLE    0x44000000u
#define L2_POOL     0x44100000u
#define PASSES      8
#define ROUNDS      3

typedef struct Sample {
    double mib_s;
    double ns;
    uint64_t translations;
    uint64_t misses;
} Sample;

static uint64_t qom_u64(QTestState *qts, const char *id, const char *prop)
{
    QDict *r = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                         "{'path': %s, 'property': %s}}", id, prop);
    uint64_t v = qdict_get_int(r, "return");

    qobject_unref(r);
    return v;
}

/* Identity-map [base, base + len) with blocks of @size (v7s attributes). */
static void map_identity(QTestState *qts, uint32_t base, uint32_t len,
                         uint32_t size, uint32_t *next_l2)
{
    for (uint32_t mb = base; mb < base + len; mb += MiB) {
        uint32_t l1 = L1_TABLE + (mb >> 20) * 4;

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

static void attach(QTestState *qts, uint64_t smmu, uint32_t size)
{
    uint32_t next_l2 = L2_POOL;

    qtest_memset(qts, L1_TABLE, 0, 0x4000);
    map_identity(qts, SRC, COPY, size, &next_l2);
    map_identity(qts, DST, COPY, size, &next_l2);
    qtest_writel(qts, smmu + M2VCBR1, 0);
    qtest_writel(qts, smmu + CB0 + TTBR0, L1_TABLE | 2);
    qtest_writel(qts, smmu + CB0 + ACTLR, 0x00037072);
    qtest_writel(qts, smmu + CB0 + CTX_TLBIALL, 0);
    qtest_writel(qts, smmu + CB0 + SCTLR, 7);
}

static uint64_t dma(QTestState *qts, uint64_t base, uint32_t src,
                    uint32_t dst, uint32_t len, uint32_t iter)
{
    uint32_t status;

    qtest_writel(qts, base + DMA_STATUS, 6);
    qtest_writel(qts, base + DMA_SRC_LO, src);
    qtest_writel(qts, base + DMA_DST_LO, dst);
    qtest_writel(qts, base + DMA_LEN, len);
    qtest_writel(qts, base + DMA_CHUNK, 64 * 1024);
    qtest_writel(qts, base + DMA_ITER, iter);
    qtest_writel(qts, base + DMA_CTRL, 1);
    status = qtest_readl(qts, base + DMA_STATUS);
    if (status != 2) {
        g_error("transfer failed: STATUS 0x%x", status);
    }
    return qtest_readl(qts, base + DMA_ELAPSED_LO) |
           (uint64_t)qtest_readl(qts, base + DMA_ELAPSED_HI) << 32;
}

/*
 * A warm-up pass, then the best of ROUNDS runs of PASSES passes of the
 * 16 MiB copy (the least disturbed by other load on the machine).
 */
static Sample run_case(QTestState *qts, uint64_t base, const char *smmu)
{
    uint64_t ns = UINT64_MAX, t0 = 0, m0 = 0;
    Sample s = { 0 };

    dma(qts, base, SRC, DST, COPY, 1);
    if (smmu) {
        t0 = qom_u64(qts, smmu, "translations");
        m0 = qom_u64(qts, smmu, "tlb-misses");
    }
    for (int round = 0; round < ROUNDS; round++) {
        ns = MIN(ns, dma(qts, base, SRC, DST, COPY, PASSES));
    }
    s.ns = ns;
    s.mib_s = (double)COPY * PASSES / MiB / (ns / 1e9);
    if (smmu) {
        s.translations = (qom_u64(qts, smmu, "translations") - t0) / ROUNDS;
        s.misses = (qom_u64(qts, smmu, "tlb-misses") - m0) / ROUNDS;
    }
    return s;
}

static void report(const char *name, Sample s, Sample bypass)
{
    double mib = (double)COPY * PASSES / MiB;

    printf("%-28s %9.0f MiB/s  %5.2fx bypass", name, s.mib_s,
           s.mib_s / bypass.mib_s);
    if (s.translations) {
        printf("  %7.1f translate/MiB  %7.2f miss/MiB  %6.1f ns/translate",
               s.translations / mib, s.misses / mib,
               (s.ns - bypass.ns) / s.translations);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    static const struct { const char *name; uint32_t size; } sizes[] = {
        { "4K pages", 4096 }, { "64K large pages", 65536 },
        { "1M sections", MiB }, { "16M supersections", 16 * MiB },
    };
    QTestState *qts = qtest_init(
        "-M virt -m 1G -nodefaults "
        "-device smmu-vcm,id=smmu0,tlb-entries=8192 "
        "-device smmu-vcm,id=smmu1,tlb-entries=64 "
        "-device vcm-dma,id=bypass "
        "-device vcm-dma,id=dma0,iommu=smmu0,mid=1 "
        "-device vcm-dma,id=dma1,iommu=smmu1,mid=1");
    const char *s0 = "/machine/peripheral/smmu0";
    const char *s1 = "/machine/peripheral/smmu1";
    Sample bypass, s;
    uint64_t ns = 0, t0, m0;

    printf("16 MiB copies, 64 KiB chunks, best of %d runs of %d passes "
           "after a warm-up\n", ROUNDS, PASSES);
    /* the first run warms the host's caches; the second is the baseline */
    run_case(qts, DMA_BYPASS, NULL);
    bypass = run_case(qts, DMA_BYPASS, NULL);
    report("bypass (no iommu link)", bypass, bypass);
    report("smmu, context in bypass", run_case(qts, DMA0, s0), bypass);
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        attach(qts, SMMU0, sizes[i].size);
        report(sizes[i].name, run_case(qts, DMA0, s0), bypass);
    }

    /* 8192 4K pages against 64 TLB entries: round-robin misses */
    attach(qts, SMMU1, 4096);
    report("thrash: 4K, 64-entry TLB", run_case(qts, DMA1, s1), bypass);

    /* CTX_TLBIALL before every 1 MiB of a 4K-page copy */
    attach(qts, SMMU0, 4096);
    t0 = qom_u64(qts, s0, "translations");
    m0 = qom_u64(qts, s0, "tlb-misses");
    for (int pass = 0; pass < PASSES; pass++) {
        for (uint32_t off = 0; off < COPY; off += MiB) {
            qtest_writel(qts, SMMU0 + CB0 + CTX_TLBIALL, 0);
            ns += dma(qts, DMA0, SRC + off, DST + off, MiB, 1);
        }
    }
    s = (Sample) {
        .ns = ns,
        .mib_s = (double)COPY * PASSES / MiB / (ns / 1e9),
        .translations = qom_u64(qts, s0, "translations") - t0,
        .misses = qom_u64(qts, s0, "tlb-misses") - m0,
    };
    report("invalidate every 1 MiB, 4K", s, bypass);
    qtest_quit(qts);
    return 0;
}
