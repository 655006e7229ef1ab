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

#define SMMU0       0x0c000000ULL   /* tlb-entries=16384, 4 contexts */
#define SMMU1       0x0c100000ULL   /* tlb-entries=64 */
#define DMA_BYPASS  0x0c200000ULL
#define DMA_CTX(n)  (0x0c201000ULL + 0x1000 * (n))  /* smmu0, mid n + 1 */
#define DMA_THRASH  0x0c205000ULL   /* behind smmu1, mid 1 */

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
#define L2_POOL(c)  (0x44100000u + 0x10000 * (c))
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

typedef struct Case {
    const char *name;
    uint64_t dma;
    const char *smmu;       /* QOM path for the counters, or NULL */
    uint64_t best_ns;
    uint64_t translations;
    uint64_t misses;
} Case;

/*
 * One timed run of PASSES passes of the 16 MiB copy per case, the cases
 * taking turns ROUNDS times so that other load on the machine hits them
 * alike; each case keeps its best run.
 */
static void run_cases(QTestState *qts, Case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cases[i].best_ns = UINT64_MAX;
        dma(qts, cases[i].dma, SRC, DST, COPY, 1);      /* warm-up */
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < n; i++) {
            Case *c = &cases[i];
            uint64_t t0 = 0, m0 = 0, ns;

            if (c->smmu) {
                t0 = qom_u64(qts, c->smmu, "translations");
                m0 = qom_u64(qts, c->smmu, "tlb-misses");
            }
            ns = dma(qts, c->dma, SRC, DST, COPY, PASSES);
            c->best_ns = MIN(c->best_ns, ns);
            if (c->smmu) {
                c->translations = qom_u64(qts, c->smmu, "translations") - t0;
                c->misses = qom_u64(qts, c->smmu, "tlb-misses") - m0;
            }
        }
    }
}

static double mib_s(uint64_t ns)
{
    return (double)COPY * PASSES / MiB / (ns / 1e9);
}

static void report(const Case *c, const Case *bypass)
{
    double mib = (double)COPY * PASSES / MiB;

    printf("%-28s %9.0f MiB/s  %5.2fx bypass", c->name, mib_s(c->best_ns),
           (double)bypass->best_ns / c->best_ns);
    if (c->translations) {
        printf("  %7.1f translate/MiB  %7.2f miss/MiB  %6.1f ns/translate",
               c->translations / mib, c->misses / mib,
               ((double)c->best_ns - bypass->best_ns) / c->translations);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    static const uint32_t sizes[] = { 4096, 65536, MiB, 16 * MiB };
    QTestState *qts = qtest_init(
        "-M virt -m 1G -nodefaults "
        "-device smmu-vcm,id=smmu0,tlb-entries=16384 "
        "-device smmu-vcm,id=smmu1,tlb-entries=64 "
        "-device vcm-dma,id=bypass "
        "-device vcm-dma,iommu=smmu0,mid=1 -device vcm-dma,iommu=smmu0,mid=2 "
        "-device vcm-dma,iommu=smmu0,mid=3 -device vcm-dma,iommu=smmu0,mid=4 "
        "-device vcm-dma,iommu=smmu1,mid=1");
    const char *s0 = "/machine/peripheral/smmu0";
    const char *s1 = "/machine/peripheral/smmu1";
    Case cases[] = {
        { "bypass (no iommu link)", DMA_BYPASS },
        { "4K pages", DMA_CTX(0), s0 },
        { "64K large pages", DMA_CTX(1), s0 },
        { "1M sections", DMA_CTX(2), s0 },
        { "16M supersections", DMA_CTX(3), s0 },
        { "thrash: 4K, 64-entry TLB", DMA_THRASH, s1 },
    };
    Case inval = { "invalidate every 1 MiB, 4K", DMA_CTX(0), s0,
                   UINT64_MAX };
    uint64_t t0, m0;

    for (unsigned ctx = 0; ctx < 4; ctx++) {
        attach(qts, SMMU0, ctx, ctx + 1, sizes[ctx], ctx);
    }
    attach(qts, SMMU1, 0, 1, 4096, 4);
    run_cases(qts, cases, ARRAY_SIZE(cases));
    printf("16 MiB copies in 64 KiB chunks; best of %d runs of %d passes, "
           "cases in turn\n", ROUNDS, PASSES);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        report(&cases[i], &cases[0]);
    }

    /* CTX_TLBIALL before every 1 MiB of a 4K-page copy */
    for (int round = 0; round < ROUNDS; round++) {
        uint64_t ns = 0;

        t0 = qom_u64(qts, s0, "translations");
        m0 = qom_u64(qts, s0, "tlb-misses");
        for (int pass = 0; pass < PASSES; pass++) {
            for (uint32_t off = 0; off < COPY; off += MiB) {
                qtest_writel(qts, SMMU0 + CB(0) + CTX_TLBIALL, 0);
                ns += dma(qts, inval.dma, SRC + off, DST + off, MiB, 1);
            }
        }
        inval.best_ns = MIN(inval.best_ns, ns);
        inval.translations = qom_u64(qts, s0, "translations") - t0;
        inval.misses = qom_u64(qts, s0, "tlb-misses") - m0;
    }
    report(&inval, &cases[0]);
    qtest_quit(qts);
    return 0;
}
