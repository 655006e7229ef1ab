/*
 * QTest for smmu-vcm, the MSM SMMU v0 model, with vcm-dma masters
 * (docs/specs/smmu-vcm.rst, "spec" below, and docs/specs/vcm-dma.rst).
 * Page tables and buffers are written
 * into guest RAM the way Linux io-pgtable-arm-v7s writes them; register
 * sequences follow Linux 6.1 msm_iommu.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "vcm-migrate.h"
#include "vcm-qom.h"

/* docs/specs/smmu-vcm.rst 9.2: platform bus slots in command-line order */
#define SMMU        0x0c000000ULL
#define DMA0        0x0c100000ULL   /* mid 3 */
#define DMA1        0x0c101000ULL   /* mid 5 */
#define MID0        3
#define MID1        5

/* GICv2 distributor: level interrupts show as pending in ISPENDR */
#define GICD_ISPENDR    0x08000200ULL
#define SMMU_IRQ0       (32 + 112)
#define SMMU_IRQ1       (32 + 113)
#define DMA0_IRQ        (32 + 114)

/* spec 1.2/1.3 */
#define CB(n)           ((uint64_t)(n) << 12)
#define SCTLR           0x000
#define ACTLR           0x004
#define CONTEXTIDR      0x008
#define TTBR0           0x010
#define TTBR1           0x014
#define TTBCR           0x018
#define PAR             0x01C
#define FSR             0x020
#define FSRRESTORE      0x024
#define FAR             0x028
#define FSYNR0          0x02C
#define FSYNR1          0x030
#define PRRR            0x034
#define NMRR            0x038
#define TLBLCKR         0x03C
#define TLBFLPTER       0x044
#define TLBSLPTER       0x048
#define BFBCR           0x04C
#define CTX_TLBIALL     0x800
#define TLBIASID        0x804
#define TLBIVA          0x808
#define TLBIVAA         0x80C
#define V2PPR           0x810
#define V2PPW           0x814
#define V2PUR           0x818
#define V2PUW           0x81C
#define RESUME          0x820
#define M2VCBR(m)       (0xFF000 + 4 * (m))
#define CBACR(n)        (0xFF800 + 4 * (n))
#define TLBRSW          0xFFE00
#define TESTBUSCR       0xFFE8C
#define GLOBAL_TLBIALL  0xFFF00
#define CR              0xFFF80
#define ESR             0xFFF88
#define ESRRESTORE      0xFFF8C
#define REV             0xFFFF4
#define IDR             0xFFFF8
#define RPU_ACR         0xFFFFC

/* docs/specs/vcm-dma.rst 2 */
#define DMA_CTRL        0x08
#define DMA_STATUS      0x0C
#define DMA_SRC_LO      0x10
#define DMA_DST_LO      0x18
#define DMA_LEN         0x20
#define DMA_PATTERN     0x24
#define DMA_DONE_BYTES  0x28
#define DMA_FAULT_ADDR  0x2C
#define DMA_CHUNK       0x30
#define DMA_ELAPSED_LO  0x38
#define DMA_ELAPSED_HI  0x3C
#define CTRL_GO         (1 << 0)
#define CTRL_ABORT      (1 << 1)
#define CTRL_IRQ_EN     (1 << 2)
#define CTRL_FILL       (1 << 4)
#define ST_BUSY         (1 << 0)
#define ST_DONE         (1 << 1)
#define ST_ERROR        (1 << 2)
#define ST_STALLED      (1 << 3)
#define ST_ERR(s)       (((s) >> 8) & 0xF)

/* Guest RAM: page tables, then data */
#define L1_TABLE        0x44000000u     /* 16 KiB aligned */
#define L1_TABLE_B      0x44004000u     /* a second context's table */
#define L2_POOL         0x44010000u     /* 1 KiB level-2 tables */
#define DATA            0x48000000u

/* spec 3.4: the attribute bits v7s writes (RW unless noted) */
#define PTE_4K          0x00000C72u
#define PTE_4K_RO       0x00000E72u
#define PTE_4K_PRIV     0x00000C52u
#define PTE_64K         0x00001C31u
#define PTE_1M          0x00031C02u
#define PTE_1M_RO       0x00039C02u
#define PTE_16M         0x00071C02u

#define SZ_4K   0x1000u
#define SZ_64K  0x10000u
#define SZ_1M   0x100000u
#define SZ_16M  0x1000000u

typedef struct Tables {
    uint32_t l1;
    uint32_t next_l2;
} Tables;

static QTestState *start(const char *extra)
{
    return qtest_initf("-M virt -m 512M -nodefaults "
                       "-device smmu-vcm,id=smmu0%s "
                       "-device vcm-dma,id=dma0,iommu=smmu0,mid=%d "
                       "-device vcm-dma,id=dma1,iommu=smmu0,mid=%d",
                       extra, MID0, MID1);
}

static uint32_t rd(QTestState *qts, uint64_t off)
{
    return qtest_readl(qts, SMMU + off);
}

static void wr(QTestState *qts, uint64_t off, uint32_t v)
{
    qtest_writel(qts, SMMU + off, v);
}

static void rmw(QTestState *qts, uint64_t off, uint32_t clear, uint32_t set)
{
    wr(qts, off, (rd(qts, off) & ~clear) | set);
}

static bool irq_pending(QTestState *qts, int id)
{
    return qtest_readl(qts, GICD_ISPENDR + 4 * (id / 32)) & (1u << id % 32);
}

static uint64_t smmu_stat(QTestState *qts, const char *name)
{
    return vcm_qom_u64(qts, "/machine/peripheral/smmu0", name);
}

/* --- page tables as io-pgtable-arm-v7s builds them ---------------------- */

static void tables_init(QTestState *qts, Tables *t, uint32_t l1)
{
    t->l1 = l1;
    t->next_l2 = L2_POOL + (l1 == L1_TABLE ? 0 : 0x8000);
    qtest_memset(qts, l1, 0, 0x4000);
}

static void put(QTestState *qts, uint32_t addr, uint32_t desc)
{
    qtest_writel(qts, addr, desc);
}

static uint32_t l1_slot(Tables *t, uint32_t va)
{
    return t->l1 + (va >> 20) * 4;
}

static uint32_t l2_table(QTestState *qts, Tables *t, uint32_t va)
{
    uint32_t d = qtest_readl(qts, l1_slot(t, va));

    if ((d & 3) != 1) {
        d = t->next_l2 | 1;
        t->next_l2 += 0x400;
        qtest_memset(qts, d & ~0x3FF, 0, 0x400);
        put(qts, l1_slot(t, va), d);
    }
    return d & ~0x3FF;
}

static void map(QTestState *qts, Tables *t, uint32_t va, uint32_t pa,
                uint32_t size, uint32_t attrs)
{
    int copies = (size == SZ_64K || size == SZ_16M) ? 16 : 1;

    for (int i = 0; i < copies; i++) {
        if (size >= SZ_1M) {
            put(qts, l1_slot(t, va) + 4 * i, (pa & ~(size - 1)) | attrs);
        } else {
            put(qts, l2_table(qts, t, va) + ((va >> 12) & 0xFF) * 4 + 4 * i,
                (pa & ~(size - 1)) | attrs);
        }
    }
}

/* --- Linux 6.1 msm_iommu register sequences (spec 2.1, 2.3) ------------- */

static void linux_reset_context(QTestState *qts, int ctx)
{
    static const int regs[] = { ACTLR, SCTLR, FSRRESTORE, TTBR0, TTBR1,
                                TTBCR, BFBCR, PAR, FAR, CTX_TLBIALL,
                                TLBFLPTER, TLBSLPTER, TLBLCKR };

    for (int b = 17; b <= 24; b++) {
        if (b != 20 && b != 22 && b != 23) {
            rmw(qts, M2VCBR(ctx), 1u << b, 0);
        }
    }
    rmw(qts, M2VCBR(ctx), 3u << 20, 0);
    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        wr(qts, CB(ctx) + regs[i], 0);
    }
}

/* msm_iommu_reset() and the PAR sanity check; returns the PAR read */
static uint32_t linux_probe(QTestState *qts, int ncb)
{
    uint32_t par;

    rmw(qts, CR, 1 << 0, 0);
    rmw(qts, CR, 1 << 2, 0);
    wr(qts, ESRRESTORE, 0);
    rmw(qts, TESTBUSCR, 1 << 0, 0);
    wr(qts, CR, 0);
    rmw(qts, TESTBUSCR, 1 << 1, 0);
    wr(qts, TESTBUSCR, 0);
    wr(qts, TLBRSW, 0);
    wr(qts, GLOBAL_TLBIALL, 0);
    wr(qts, RPU_ACR, 0);
    rmw(qts, CR, 0, 1 << 6);
    for (int ctx = 0; ctx < ncb; ctx++) {
        linux_reset_context(qts, ctx);
        wr(qts, CB(ctx) + CONTEXTIDR, 0);
    }
    rmw(qts, CB(0) + SCTLR, 0, 1);
    wr(qts, CB(0) + PAR, 0);
    rmw(qts, CB(0) + ACTLR, 3 << 16, 1 << 16);
    wr(qts, CB(0) + V2PPR, 0);
    par = rd(qts, CB(0) + PAR);
    rmw(qts, CB(0) + ACTLR, 3 << 16, 0);
    rmw(qts, CB(0) + SCTLR, 1, 0);
    return par;
}

/* msm_iommu_attach_dev(): config_mids + __program_context */
static void linux_attach(QTestState *qts, int ctx, int mid, uint32_t pgd)
{
    wr(qts, M2VCBR(mid), 0);
    wr(qts, CBACR(ctx), 0);
    rmw(qts, M2VCBR(mid), 0x1F, 0);
    rmw(qts, M2VCBR(mid), 0xFF00, ctx << 8);
    rmw(qts, CBACR(ctx), 0x1F0000, 0);
    rmw(qts, CB(ctx) + CONTEXTIDR, 0xFF, ctx);
    rmw(qts, M2VCBR(mid), 3 << 22, 3 << 22);

    linux_reset_context(qts, ctx);
    rmw(qts, CB(ctx) + SCTLR, 0, 1 << 1);
    rmw(qts, CB(ctx) + SCTLR, 0, 1 << 2);
    rmw(qts, CB(ctx) + ACTLR, 3 << 12, 3 << 12);
    rmw(qts, CB(ctx) + ACTLR, 3 << 16, 3 << 16);
    wr(qts, CB(ctx) + TTBCR, 0);
    wr(qts, CB(ctx) + TTBR0, pgd | 2);
    wr(qts, CB(ctx) + TTBR1, 0);
    wr(qts, CB(ctx) + PRRR, 0x800B8204);
    wr(qts, CB(ctx) + NMRR, 0x40004000);
    wr(qts, CB(ctx) + CTX_TLBIALL, 0);
    rmw(qts, CBACR(ctx), 0xFF000000, 0);
    rmw(qts, CB(ctx) + ACTLR, 0, 1 << 1);
    rmw(qts, CB(ctx) + ACTLR, 0, 1 << 14);
    rmw(qts, CB(ctx) + ACTLR, 0, 1 << 5);
    rmw(qts, CB(ctx) + ACTLR, 0, 1 << 4);
    rmw(qts, CB(ctx) + ACTLR, 0, 1 << 6);
    rmw(qts, CB(ctx) + BFBCR, 0, 1);
    rmw(qts, CB(ctx) + SCTLR, 0, 1);
}

/* msm_iommu_sync_map(): one TLBIVA per 4 KiB */
static void linux_sync_map(QTestState *qts, int ctx, uint32_t va,
                           uint32_t size)
{
    for (uint32_t off = 0; off < size; off += SZ_4K) {
        wr(qts, CB(ctx) + TLBIVA,
           ((va + off) & 0xFFFFF000) | (rd(qts, CB(ctx) + CONTEXTIDR) & 0xFF));
    }
}

/* --- vcm-dma ------------------------------------------------------------- */

static uint32_t dma_run(QTestState *qts, uint64_t dma, uint32_t ctrl,
                        uint32_t src, uint32_t dst, uint32_t len)
{
    qtest_writel(qts, dma + DMA_STATUS, ST_DONE | ST_ERROR);
    qtest_writel(qts, dma + DMA_SRC_LO, src);
    qtest_writel(qts, dma + DMA_DST_LO, dst);
    qtest_writel(qts, dma + DMA_LEN, len);
    qtest_writel(qts, dma + DMA_CTRL, ctrl | CTRL_GO);
    return qtest_readl(qts, dma + DMA_STATUS);
}

static uint32_t dma_copy(QTestState *qts, uint64_t dma, uint32_t src,
                         uint32_t dst, uint32_t len)
{
    return dma_run(qts, dma, 0, src, dst, len);
}

static void fill_pattern(QTestState *qts, uint32_t pa, uint32_t len,
                         uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    for (uint32_t i = 0; i < len; i++) {
        buf[i] = seed + i * 7 + (i >> 12);
    }
    qtest_memwrite(qts, pa, buf, len);
}

static void check_pattern(QTestState *qts, uint32_t pa, uint32_t len,
                          uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    qtest_memread(qts, pa, buf, len);
    for (uint32_t i = 0; i < len; i++) {
        if (buf[i] != (uint8_t)(seed + i * 7 + (i >> 12))) {
            g_error("byte 0x%x at 0x%x: 0x%02x, expected 0x%02x", i, pa + i,
                    buf[i], (uint8_t)(seed + i * 7 + (i >> 12)));
        }
    }
}

static void check_zero(QTestState *qts, uint32_t pa, uint32_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);

    qtest_memread(qts, pa, buf, len);
    for (uint32_t i = 0; i < len; i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
}

/* An attached context 0 for MID0 with an empty table. */
static QTestState *start_attached(const char *extra, Tables *t)
{
    QTestState *qts = start(extra);

    g_assert_cmphex(linux_probe(qts, 4), !=, 0);
    tables_init(qts, t, L1_TABLE);
    linux_attach(qts, 0, MID0, L1_TABLE);
    return qts;
}

/* ------------------------------------------------------------------------- */

/* spec 1.2: NM2VCBMT = mids - 1, HTW, TLBSIZE, NCB = ncb - 1, NIRPT = 1 */
static void test_idr(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device smmu-vcm,num-contexts=128,"
                                 "num-mids=512,tlb-entries=0");

    g_assert_cmphex(rd(qts, IDR), ==,
                    (1 << 24) | (127 << 16) | (0 << 12) | (1 << 9) | 511);
    g_assert_cmphex(rd(qts, REV), ==, 0x10);
    wr(qts, IDR, 0);
    g_assert_cmphex(rd(qts, IDR), ==,
                    (1 << 24) | (127 << 16) | (0 << 12) | (1 << 9) | 511);
    qtest_quit(qts);

    qts = start("");
    g_assert_cmphex(rd(qts, IDR), ==,
                    (1 << 24) | (3 << 16) | (7 << 12) | (1 << 9) | 127);
    qtest_quit(qts);
}

/* spec 2.1: the probe's reset leaves CR = 0x40 and its V2P gives PAR 0x11 */
static void test_linux_probe(void)
{
    QTestState *qts = start("");

    g_assert_cmphex(linux_probe(qts, 4), ==, 0x00000011);
    g_assert_cmphex(rd(qts, CR), ==, 0x00000040);
    g_assert_cmphex(rd(qts, CB(0) + SCTLR), ==, 0);
    g_assert_cmphex(rd(qts, CB(0) + ACTLR), ==, 0);
    qtest_quit(qts);
}

/* spec 2.3: register values after attach */
static void test_linux_attach(void)
{
    QTestState *qts = start("");

    linux_probe(qts, 4);
    linux_attach(qts, 2, MID1, L1_TABLE);
    g_assert_cmphex(rd(qts, M2VCBR(MID1)), ==, 0x00C00000 | 2 << 8);
    g_assert_cmphex(rd(qts, CBACR(2)), ==, 0);
    g_assert_cmphex(rd(qts, CB(2) + SCTLR), ==, 0x00000007);
    g_assert_cmphex(rd(qts, CB(2) + ACTLR), ==, 0x00037072);
    g_assert_cmphex(rd(qts, CB(2) + CONTEXTIDR), ==, 2);
    g_assert_cmphex(rd(qts, CB(2) + TTBR0), ==, L1_TABLE | 2);
    g_assert_cmphex(rd(qts, CB(2) + TTBR1), ==, 0);
    g_assert_cmphex(rd(qts, CB(2) + TTBCR), ==, 0);
    g_assert_cmphex(rd(qts, CB(2) + PRRR), ==, 0x800B8204);
    g_assert_cmphex(rd(qts, CB(2) + NMRR), ==, 0x40004000);
    g_assert_cmphex(rd(qts, CB(2) + BFBCR), ==, 0x00000001);
    g_assert_cmphex(rd(qts, CR), ==, 0x00000040);
    qtest_quit(qts);
}

/* spec 3.2: SCTLR.M = 0 and CR.CLIENTPD pass DMA through untranslated */
static void test_bypass(void)
{
    QTestState *qts = start("");

    fill_pattern(qts, DATA, SZ_64K, 1);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, DATA + SZ_1M, SZ_64K), ==,
                    ST_DONE);
    check_pattern(qts, DATA + SZ_1M, SZ_64K, 1);
    g_assert_cmpuint(smmu_stat(qts, "walks"), ==, 0);

    /* attached, but CR.CLIENTPD bypasses all clients */
    linux_probe(qts, 4);
    tables_init(qts, &(Tables){0}, L1_TABLE);
    linux_attach(qts, 0, MID0, L1_TABLE);
    wr(qts, CR, 0x40 | 1 << 4);
    fill_pattern(qts, DATA, SZ_4K, 2);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, DATA + SZ_1M, SZ_4K), ==,
                    ST_DONE);
    check_pattern(qts, DATA + SZ_1M, SZ_4K, 2);
    qtest_quit(qts);
}

/*
 * A copy between two IOVA windows mapped with one block size; the TLB
 * misses cost exactly the descriptor reads of the format (spec 3.5).
 */
static void dma_through_size(uint32_t size, uint32_t attrs,
                             unsigned reads_per_miss)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src_iova = 0x10000000, dst_iova = 0x20000000;
    uint32_t src_pa = DATA + 2 * SZ_16M, dst_pa = DATA;
    uint32_t len = MIN(size, SZ_1M);
    uint64_t walks, reads;

    map(qts, &t, src_iova, src_pa, size, attrs);
    map(qts, &t, dst_iova, dst_pa, size, attrs);
    linux_sync_map(qts, 0, src_iova, size);
    linux_sync_map(qts, 0, dst_iova, size);
    fill_pattern(qts, src_pa + size - len, len, size >> 12);

    walks = smmu_stat(qts, "walks");
    reads = smmu_stat(qts, "desc-reads");
    g_assert_cmphex(dma_copy(qts, DMA0, src_iova + size - len,
                             dst_iova + size - len, len), ==, ST_DONE);
    check_pattern(qts, dst_pa + size - len, len, size >> 12);

    walks = smmu_stat(qts, "walks") - walks;
    reads = smmu_stat(qts, "desc-reads") - reads;
    g_assert_cmpuint(walks, ==, 2 * (len / MIN(size, len)));
    g_assert_cmpuint(reads, ==, walks * reads_per_miss);
    g_assert_cmpuint(rd(qts, CB(0) + FSR), ==, 0);
    qtest_quit(qts);
}

static void test_dma_4k(void)
{
    dma_through_size(SZ_4K, PTE_4K, 2);
}

static void test_dma_64k(void)
{
    dma_through_size(SZ_64K, PTE_64K, 2);
}

static void test_dma_1m(void)
{
    dma_through_size(SZ_1M, PTE_1M, 1);
}

static void test_dma_16m(void)
{
    dma_through_size(SZ_16M, PTE_16M, 1);
}

/* Two masters in two contexts: the same IOVA reaches different memory. */
static void test_contexts_isolated(void)
{
    QTestState *qts = start("");
    Tables a, b;
    uint32_t iova = 0x30000000;

    linux_probe(qts, 4);
    tables_init(qts, &a, L1_TABLE);
    tables_init(qts, &b, L1_TABLE_B);
    linux_attach(qts, 0, MID0, L1_TABLE);
    linux_attach(qts, 1, MID1, L1_TABLE_B);
    map(qts, &a, iova, DATA, SZ_4K, PTE_4K);
    map(qts, &b, iova, DATA + SZ_1M, SZ_4K, PTE_4K);
    fill_pattern(qts, DATA + 2 * SZ_1M, SZ_4K, 0x11);
    fill_pattern(qts, DATA + 3 * SZ_1M, SZ_4K, 0x22);

    /* the sources go through the SMMU too: map them 1:1 */
    map(qts, &a, DATA + 2 * SZ_1M, DATA + 2 * SZ_1M, SZ_1M, PTE_1M);
    map(qts, &b, DATA + 3 * SZ_1M, DATA + 3 * SZ_1M, SZ_1M, PTE_1M);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA + 2 * SZ_1M, iova, SZ_4K), ==,
                    ST_DONE);
    g_assert_cmphex(dma_copy(qts, DMA1, DATA + 3 * SZ_1M, iova, SZ_4K), ==,
                    ST_DONE);
    check_pattern(qts, DATA, SZ_4K, 0x11);
    check_pattern(qts, DATA + SZ_1M, SZ_4K, 0x22);

    /* context 1's master cannot reach what only context 0 maps */
    wr(qts, CB(1) + ACTLR, rd(qts, CB(1) + ACTLR) & ~(1 << 14));
    rmw(qts, CB(1) + ACTLR, 0, 1);      /* CFERE: abort */
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA1, DATA + 2 * SZ_1M, iova,
                                    SZ_4K)), ==, 1);
    g_assert_cmphex(rd(qts, CB(1) + FSR), ==, 0x2);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    qtest_quit(qts);
}

/*
 * spec 4.3: a changed page table is not seen until the guest invalidates;
 * check-stale=on reports each hit on the outdated entry.
 */
static void test_stale_until_tlbiva(void)
{
    Tables t;
    QTestState *qts = start_attached(",check-stale=on", &t);
    uint32_t iova = 0x10000000, src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA, SZ_4K, PTE_4K);
    fill_pattern(qts, src, SZ_4K, 0x33);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, DATA, SZ_4K, 0x33);
    g_assert_cmpuint(smmu_stat(qts, "stale-hits"), ==, 0);

    /* remap without invalidating: the old page is still written */
    map(qts, &t, iova, DATA + SZ_1M, SZ_4K, PTE_4K);
    fill_pattern(qts, src, SZ_4K, 0x44);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, DATA, SZ_4K, 0x44);
    check_zero(qts, DATA + SZ_1M, SZ_4K);
    g_assert_cmpuint(smmu_stat(qts, "stale-hits"), >, 0);

    /* TLBIVA with the context's ASID: now the new page */
    linux_sync_map(qts, 0, iova, SZ_4K);
    fill_pattern(qts, src, SZ_4K, 0x55);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, DATA + SZ_1M, SZ_4K, 0x55);
    check_pattern(qts, DATA, SZ_4K, 0x44);
    qtest_quit(qts);
}

/* spec 2.4: a TLBIVA inside a 1M section removes the whole section */
static void test_tlbiva_inside_section(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t iova = 0x10000000, src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA, SZ_1M, PTE_1M);
    fill_pattern(qts, src, SZ_4K, 0x66);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova + 0x80000, SZ_4K), ==,
                    ST_DONE);
    map(qts, &t, iova, DATA + SZ_1M, SZ_1M, PTE_1M);
    wr(qts, CB(0) + TLBIVA, (iova + 0x7F000) | 0);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova + 0x80000, SZ_4K), ==,
                    ST_DONE);
    check_pattern(qts, DATA + SZ_1M + 0x80000, SZ_4K, 0x66);
    qtest_quit(qts);
}

/* spec 3.10: PAR for each V2P operation, success and fault */
static void test_v2p(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);

    map(qts, &t, 0x10000000, 0x41234000, SZ_4K, PTE_4K);
    map(qts, &t, 0x11000000, 0x42340000, SZ_64K, PTE_64K);
    map(qts, &t, 0x12000000, 0x43400000, SZ_1M, PTE_1M);
    map(qts, &t, 0x13000000, 0x45000000, SZ_16M, PTE_16M);
    map(qts, &t, 0x14000000, 0x46000000, SZ_4K, PTE_4K_RO);
    map(qts, &t, 0x15000000, 0x47000000, SZ_4K, PTE_4K_PRIV);

    /* PRRR 0x800B8204, TEX=1 C=0 B=0: index 4, normal; S -> NS1 = 1 */
    wr(qts, CB(0) + V2PPR, 0x10000ABC);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x41234000 | 2 << 4 | 1 << 7);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x41234000 | 2 << 4 | 1 << 7);
    wr(qts, CB(0) + V2PPR, 0x1100F000);
    g_assert_cmphex(rd(qts, CB(0) + PAR) & 0xFFFFF003, ==, 0x4234F000);
    wr(qts, CB(0) + V2PPW, 0x120FF000);
    g_assert_cmphex(rd(qts, CB(0) + PAR) & 0xFFFFF003, ==, 0x434FF000);
    /* supersection: PA[31:24] and PAR.SS */
    wr(qts, CB(0) + V2PUR, 0x13ABC000);
    g_assert_cmphex(rd(qts, CB(0) + PAR) & 0xFF000003, ==, 0x45000002);

    /* faults: PAR.FAULT plus the FSR cause bit */
    wr(qts, CB(0) + V2PPR, 0x16000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000003);
    wr(qts, CB(0) + V2PPW, 0x14000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000009);
    wr(qts, CB(0) + V2PPR, 0x14000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR) & 0xFFFFF001, ==, 0x46000000);
    wr(qts, CB(0) + V2PUR, 0x15000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000009);
    wr(qts, CB(0) + V2PUW, 0x14000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000009);

    /* V2P never touches FSR or the interrupt (spec 3.10) */
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    g_assert_false(irq_pending(qts, SMMU_IRQ0));

    /* V2PCFG = 1: TLB only; V2PCFG = 0: disabled */
    wr(qts, CB(0) + CTX_TLBIALL, 0);
    rmw(qts, CB(0) + ACTLR, 3 << 16, 1 << 16);
    wr(qts, CB(0) + V2PPR, 0x10000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000011);
    rmw(qts, CB(0) + ACTLR, 3 << 16, 0);
    wr(qts, CB(0) + V2PPR, 0x10000000);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x00000001);

    /* SCTLR.M = 0: flat */
    rmw(qts, CB(0) + SCTLR, 1, 0);
    wr(qts, CB(0) + V2PPR, 0x10000ABC);
    g_assert_cmphex(rd(qts, CB(0) + PAR), ==, 0x10000000);
    qtest_quit(qts);
}

/*
 * spec 3.7/3.8: a terminated fault records FSR/FAR/FSYNR once, raises the
 * context interrupt, and the Linux handler's FSR = 0x4000000F drops it.
 */
static void test_fault_abort_irq(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M;

    /* terminate with abort: CFCFG = 0, CFERE = 1 */
    rmw(qts, CB(0) + ACTLR, 1 << 14, 1);
    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, 0x10000000, DATA, SZ_4K, PTE_4K_RO);

    g_assert_false(irq_pending(qts, SMMU_IRQ0));
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, 0x20001000, src, SZ_4K)), ==,
                    1);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_FAULT_ADDR), ==, 0x20001000);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0x00000002);
    g_assert_cmphex(rd(qts, CB(0) + FAR), ==, 0x20001000);
    g_assert_cmphex(rd(qts, CB(0) + FSYNR0), ==, MID0);
    g_assert_cmphex(rd(qts, CB(0) + FSYNR1), ==, 1 << 5);   /* APRIV */
    g_assert_true(irq_pending(qts, SMMU_IRQ0));
    g_assert_false(irq_pending(qts, SMMU_IRQ1));

    /* a second fault keeps the first one's record */
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K)), ==,
                    2);
    g_assert_cmphex(rd(qts, CB(0) + FAR), ==, 0x20001000);

    wr(qts, CB(0) + FSR, 0x4000000F);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    g_assert_false(irq_pending(qts, SMMU_IRQ0));

    /* permission fault on a write to a read-only page */
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K)), ==,
                    2);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0x00000008);
    g_assert_cmphex(rd(qts, CB(0) + FAR), ==, 0x10000000);
    g_assert_cmphex(rd(qts, CB(0) + FSYNR1), ==, 1 << 8 | 1 << 5);
    g_assert_true(irq_pending(qts, SMMU_IRQ0));

    /* CBACR.IRPTNDX = 1 moves the context to the second output */
    wr(qts, CBACR(0), 1 << 24);
    g_assert_false(irq_pending(qts, SMMU_IRQ0));
    g_assert_true(irq_pending(qts, SMMU_IRQ1));
    /* CFEIE = 0 masks it */
    rmw(qts, CB(0) + ACTLR, 1 << 1, 0);
    g_assert_false(irq_pending(qts, SMMU_IRQ1));
    rmw(qts, CB(0) + ACTLR, 0, 1 << 1);
    wr(qts, CB(0) + FSR, 0x4000000F);
    g_assert_false(irq_pending(qts, SMMU_IRQ1));
    /* FSRRESTORE loads FSR */
    wr(qts, CB(0) + FSRRESTORE, 0x2);
    g_assert_true(irq_pending(qts, SMMU_IRQ1));
    wr(qts, CB(0) + FSRRESTORE, 0);
    g_assert_false(irq_pending(qts, SMMU_IRQ1));
    qtest_quit(qts);
}

/* spec 3.9: CFCFG = 0, CFERE = 0: the access reads as zero, writes drop */
static void test_fault_raz_wi(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);

    rmw(qts, CB(0) + ACTLR, 1 << 14 | 1, 0);
    map(qts, &t, 0x10000000, DATA, SZ_1M, PTE_1M);
    fill_pattern(qts, DATA, SZ_4K, 0x77);
    g_assert_cmphex(dma_copy(qts, DMA0, 0x20000000, 0x10000000, SZ_4K), ==,
                    ST_DONE);
    check_zero(qts, DATA, SZ_4K);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0x00000002);
    qtest_quit(qts);
}

/*
 * spec 3.9 / vcm-dma.rst 3.2: with Linux's CFCFG = 1 the transfer parks; the
 * guest fixes the page table and RESUME (TNR = 0) retries it.
 */
static void test_stall_resume_retry(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M, iova = 0x10000000;
    uint32_t status;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA, SZ_4K, PTE_4K);
    fill_pattern(qts, src, 2 * SZ_4K, 0x12);
    qtest_writel(qts, DMA0 + DMA_CHUNK, SZ_4K);

    status = dma_run(qts, DMA0, CTRL_IRQ_EN, src, iova, 2 * SZ_4K);
    g_assert_cmphex(status, ==, ST_BUSY | ST_STALLED);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_DONE_BYTES), ==, SZ_4K);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_FAULT_ADDR), ==,
                    iova + SZ_4K);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0x40000002);
    g_assert_true(irq_pending(qts, SMMU_IRQ0));
    g_assert_true(irq_pending(qts, DMA0_IRQ));

    /* the fault handler's FSR write clears TF and SS but not the stall */
    map(qts, &t, iova + SZ_4K, DATA + SZ_1M, SZ_4K, PTE_4K);
    wr(qts, CB(0) + RESUME, 0);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==, ST_DONE);
    g_assert_cmphex(rd(qts, CB(0) + FSR) & (1u << 30), ==, 0);
    check_pattern(qts, DATA, SZ_4K, 0x12);
    {
        g_autofree uint8_t *buf = g_malloc(SZ_4K);
        g_autofree uint8_t *want = g_malloc(SZ_4K);

        qtest_memread(qts, DATA + SZ_1M, buf, SZ_4K);
        qtest_memread(qts, src + SZ_4K, want, SZ_4K);
        g_assert_cmpmem(buf, SZ_4K, want, SZ_4K);
    }
    g_assert_cmpuint(smmu_stat(qts, "stalls"), ==, 1);
    qtest_quit(qts);
}

/* RESUME with TNR = 1 terminates (ERR_CODE 4); ABORT gives ERR_CODE 5 */
static void test_stall_terminate_abort(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K), ==,
                    ST_BUSY | ST_STALLED);
    wr(qts, CB(0) + RESUME, 1);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==,
                    ST_ERROR | 4 << 8);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0x00000002);

    wr(qts, CB(0) + FSR, 0x4000000F);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K), ==,
                    ST_BUSY | ST_STALLED);
    qtest_writel(qts, DMA0 + DMA_CTRL, CTRL_ABORT);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==,
                    ST_ERROR | 5 << 8);
    /* a RESUME after the abort has no master left to wake */
    wr(qts, CB(0) + RESUME, 0);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==,
                    ST_ERROR | 5 << 8);
    qtest_quit(qts);
}

/*
 * vcm-dma under a parked transfer: GO again is bad programming (code 6)
 * and leaves the transfer parked, parameter writes are ignored; ABORT
 * ends it (code 5); ABORT when idle or after completion changes nothing.
 */
static void test_dma_hostile_while_parked(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    qtest_writel(qts, DMA0 + DMA_CTRL, CTRL_ABORT);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==, 0);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K), ==,
                    ST_BUSY | ST_STALLED);
    qtest_writel(qts, DMA0 + DMA_CTRL, CTRL_GO);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==,
                    ST_BUSY | ST_STALLED | ST_ERROR | 6 << 8);
    qtest_writel(qts, DMA0 + DMA_LEN, 1);
    qtest_writel(qts, DMA0 + DMA_DST_LO, 0);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_LEN), ==, SZ_4K);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_DST_LO), ==, 0x10000000);
    qtest_writel(qts, DMA0 + DMA_CTRL, CTRL_ABORT);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==,
                    ST_ERROR | 5 << 8);
    qtest_writel(qts, DMA0 + DMA_STATUS, ST_ERROR);
    g_assert_cmphex(dma_copy(qts, DMA0, src, src + SZ_4K, SZ_4K), ==,
                    ST_DONE);
    qtest_writel(qts, DMA0 + DMA_CTRL, CTRL_ABORT);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==, ST_DONE);
    qtest_quit(qts);
}

/*
 * Hostile tables: TTBR and table pointers into unbacked space, MMIO and
 * the SMMU's own registers give faults; QEMU keeps running.
 */
static void test_hostile_tables(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M;

    rmw(qts, CB(0) + ACTLR, 1 << 14, 1);    /* terminate with abort */
    wr(qts, CB(0) + TTBR0, 0xB0000000);     /* nothing there */
    wr(qts, CB(0) + CTX_TLBIALL, 0);
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K)), ==,
                    1);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 1 << 5);      /* HTWDEEF */
    g_assert_true(irq_pending(qts, SMMU_IRQ0));
    wr(qts, CB(0) + FSR, 0xFFFFFFFF);

    /* level-2 table pointer into the SMMU's own window and the UART */
    wr(qts, CB(0) + TTBR0, L1_TABLE | 2);
    put(qts, l1_slot(&t, 0x10000000), SMMU | 1);
    put(qts, l1_slot(&t, 0x20000000), 0x09000000 | 1);
    put(qts, l1_slot(&t, 0x30000000), 0x0000000F);         /* reserved */
    wr(qts, CB(0) + CTX_TLBIALL, 0);
    for (uint32_t va = 0x10000000; va <= 0x30000000; va += 0x10000000) {
        dma_copy(qts, DMA0, va, DATA, SZ_4K);
        wr(qts, CB(0) + FSR, 0xFFFFFFFF);
    }
    /* every bit pattern of a level-1 entry's low bits */
    for (uint32_t low = 0; low < 0x100; low++) {
        put(qts, l1_slot(&t, 0x40000000), 0xA5A00000 | low << 2 | (low & 3));
        wr(qts, CB(0) + CTX_TLBIALL, 0);
        dma_copy(qts, DMA0, 0x40000000, DATA, 64);
        wr(qts, CB(0) + FSR, 0xFFFFFFFF);
    }
    /* still alive and translating */
    map(qts, &t, 0x50000000, DATA, SZ_1M, PTE_1M);
    map(qts, &t, src, src, SZ_1M, PTE_1M);
    wr(qts, CB(0) + CTX_TLBIALL, 0);
    fill_pattern(qts, src, SZ_4K, 0x99);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x50000000, SZ_4K), ==,
                    ST_DONE);
    check_pattern(qts, DATA, SZ_4K, 0x99);
    qtest_quit(qts);
}

/*
 * spec 1.1 [R]: unknown offsets, banks >= num-contexts and MIDs >=
 * num-mids read as zero and ignore writes; other access sizes are refused
 * by the bus without side effects.
 */
static void test_hostile_registers(void)
{
    QTestState *qts = start("");

    wr(qts, CB(4) + SCTLR, 7);                  /* bank 4 of 4 */
    g_assert_cmphex(rd(qts, CB(4) + SCTLR), ==, 0);
    wr(qts, CB(0) + 0x00C, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, CB(0) + 0x00C), ==, 0);
    wr(qts, CB(0) + 0x400, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, CB(0) + 0x400), ==, 0);
    g_assert_cmphex(rd(qts, CB(0) + V2PPR), ==, 0);
    wr(qts, M2VCBR(128), 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, M2VCBR(128)), ==, 0);
    wr(qts, CBACR(4), 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, CBACR(4)), ==, 0);
    wr(qts, 0xFFE10, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, 0xFFE10), ==, 0);

    /* TLBLCKR only with CR.TLBLKCRWE */
    wr(qts, CB(0) + TLBLCKR, 0x0301);
    g_assert_cmphex(rd(qts, CB(0) + TLBLCKR), ==, 0);
    wr(qts, CR, 1 << 6);
    wr(qts, CB(0) + TLBLCKR, 0x0301);
    g_assert_cmphex(rd(qts, CB(0) + TLBLCKR), ==, 0x0301);

    /* M2VCBR routing to a bank beyond qcom,ncb: global error, no DMA */
    wr(qts, M2VCBR(MID0), 9 << 8);
    fill_pattern(qts, DATA, SZ_4K, 3);
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, DATA, DATA + SZ_1M, SZ_4K)),
                    ==, 1);
    g_assert_cmphex(rd(qts, ESR), ==, 1);
    check_zero(qts, DATA + SZ_1M, SZ_4K);

    /* byte and halfword accesses are refused: nothing changes */
    for (uint64_t off = 0; off < 0x50; off += 4) {
        qtest_writeb(qts, SMMU + off, 0xFF);
        qtest_writew(qts, SMMU + off, 0xFFFF);
        qtest_readb(qts, SMMU + off);
        qtest_readw(qts, SMMU + off);
    }
    g_assert_cmphex(rd(qts, CB(0) + SCTLR), ==, 0);
    g_assert_cmphex(rd(qts, CB(0) + TTBR0), ==, 0);
    /* 64-bit bus accesses reach the device as two 32-bit ones */
    qtest_writeq(qts, SMMU + CB(0) + TTBR0, 0x0000123444560000ULL);
    g_assert_cmphex(rd(qts, CB(0) + TTBR0), ==, 0x44560000);
    g_assert_cmphex(rd(qts, CB(0) + TTBR1), ==, 0x00001234);
    g_assert_cmphex(qtest_readq(qts, SMMU + CB(0) + TTBR0), ==,
                    0x0000123444560000ULL);
    g_assert_cmphex(rd(qts, IDR), ==,
                    (1 << 24) | (3 << 16) | (7 << 12) | (1 << 9) | 127);
    qtest_quit(qts);
}

/*
 * ARMv7 TTBR0: bits below the table's alignment (14 - TTBCR.N) hold the
 * walk attributes (IRGN, S, RGN, NOS) or are UNK/SBZP; every pattern of
 * them leaves the table base, and so the translation, unchanged.
 */
static void test_hostile_ttbr_low_bits(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t iova = 0x10000000, src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA, SZ_1M, PTE_1M);
    /* with N > 0 the source (0x484xxxxx) is reached through TTBR1 */
    wr(qts, CB(0) + TTBR1, L1_TABLE);
    for (uint32_t n = 0; n <= 3; n++) {
        uint32_t low_mask = (1u << (14 - n)) - 1;

        wr(qts, CB(0) + TTBCR, n);
        for (uint32_t i = 0; i <= 128; i++) {
            /* each value of [6:0], with a varying pattern in [13:7] */
            uint32_t low = i == 128 ? low_mask :
                           (i | ((i * 37) & 0x7F) << 7) & low_mask;

            wr(qts, CB(0) + TTBR0, L1_TABLE | low);
            wr(qts, CB(0) + CTX_TLBIALL, 0);
            fill_pattern(qts, src, 64, i);
            g_assert_cmphex(dma_copy(qts, DMA0, src, iova + 64 * i, 64), ==,
                            ST_DONE);
            check_pattern(qts, DATA + 64 * i, 64, i);
        }
    }
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    qtest_quit(qts);
}

/*
 * Descriptor bits the SMMU has no use for: a level-1 table entry's PXN,
 * NS, SBZ, domain and IMP bits [9:2], a section's domain and IMP bits
 * [9:5], a large page's SBZ bits [8:6]. Every pattern of them leaves the
 * translation unchanged.
 */
static void test_hostile_reserved_fields(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M, l1_4k, l1_1m, l2_64k;
    uint32_t iova_4k = 0x10000000, iova_1m = 0x20000000;
    uint32_t iova_64k = 0x30000000;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova_4k, DATA, SZ_4K, PTE_4K);
    map(qts, &t, iova_1m, DATA + SZ_1M, SZ_1M, PTE_1M);
    map(qts, &t, iova_64k, DATA + 2 * SZ_1M, SZ_64K, PTE_64K);
    l1_4k = qtest_readl(qts, l1_slot(&t, iova_4k));
    l1_1m = qtest_readl(qts, l1_slot(&t, iova_1m));
    l2_64k = l2_table(qts, &t, iova_64k);

    for (uint32_t bits = 0; bits < 0x100; bits++) {
        uint8_t seed = bits;

        put(qts, l1_slot(&t, iova_4k), (l1_4k & ~0x3FCu) | bits << 2);
        put(qts, l1_slot(&t, iova_1m), (l1_1m & ~0x3E0u) | (bits & 0x1F) << 5);
        for (int i = 0; i < 16; i++) {
            put(qts, l2_64k + 4 * i, (DATA + 2 * SZ_1M) | (PTE_64K & ~0x1C0u) |
                (bits & 7) << 6);
        }
        wr(qts, CB(0) + CTX_TLBIALL, 0);
        fill_pattern(qts, src, 256, seed);
        g_assert_cmphex(dma_copy(qts, DMA0, src, iova_4k + 16 * bits, 16), ==,
                        ST_DONE);
        g_assert_cmphex(dma_copy(qts, DMA0, src, iova_1m + 256 * bits, 256),
                        ==, ST_DONE);
        g_assert_cmphex(dma_copy(qts, DMA0, src, iova_64k + 256 * bits, 256),
                        ==, ST_DONE);
        check_pattern(qts, DATA + SZ_1M + 256 * bits, 256, seed);
        check_pattern(qts, DATA + 2 * SZ_1M + 256 * bits, 256, seed);
    }
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    qtest_quit(qts);
}

/* The registers a guest can read back without side effects (spec 1) */
static const uint64_t visible_regs[] = {
    SCTLR, ACTLR, CONTEXTIDR, TTBR0, TTBR1, TTBCR, PAR, FSR, FAR, FSYNR0,
    FSYNR1, PRRR, NMRR, TLBLCKR, TLBFLPTER, TLBSLPTER, BFBCR,
};

static const uint64_t visible_globals[] = {
    M2VCBR(MID0), M2VCBR(MID1), CBACR(0), CBACR(1), CBACR(2), CBACR(3),
    TLBRSW, TESTBUSCR, CR, ESR, REV, IDR, RPU_ACR,
};

#define N_VISIBLE (4 * ARRAY_SIZE(visible_regs) + ARRAY_SIZE(visible_globals))

static void read_visible(QTestState *qts, uint32_t *out)
{
    size_t n = 0;

    for (int ctx = 0; ctx < 4; ctx++) {
        for (size_t i = 0; i < ARRAY_SIZE(visible_regs); i++) {
            out[n++] = rd(qts, CB(ctx) + visible_regs[i]);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(visible_globals); i++) {
        out[n++] = rd(qts, visible_globals[i]);
    }
}

/*
 * Byte and halfword accesses to every register are refused without side
 * effects (spec 1.1); a 64-bit read is the two 32-bit registers.
 */
static void test_hostile_access_sizes(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t before[N_VISIBLE], after[N_VISIBLE];
    static const uint64_t commands[] = {
        CTX_TLBIALL, TLBIASID, TLBIVA, TLBIVAA, V2PPR, V2PPW, V2PUR, V2PUW,
        RESUME, FSRRESTORE,
    };

    linux_attach(qts, 1, MID1, L1_TABLE_B);
    wr(qts, CB(1) + FAR, 0x12345678);
    read_visible(qts, before);
    for (int ctx = 0; ctx < 4; ctx++) {
        for (size_t i = 0; i < ARRAY_SIZE(visible_regs); i++) {
            uint64_t a = SMMU + CB(ctx) + visible_regs[i];

            qtest_writeb(qts, a, 0xA5);
            qtest_writew(qts, a + 2, 0x5AA5);
            g_assert_cmphex(qtest_readb(qts, a), ==, 0);
            g_assert_cmphex(qtest_readw(qts, a), ==, 0);
        }
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
            qtest_writeb(qts, SMMU + CB(ctx) + commands[i], 0xFF);
            qtest_writew(qts, SMMU + CB(ctx) + commands[i], 0xFFFF);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(visible_globals); i++) {
        qtest_writeb(qts, SMMU + visible_globals[i], 0xFF);
        qtest_writew(qts, SMMU + visible_globals[i], 0xFFFF);
    }
    qtest_writeb(qts, SMMU + GLOBAL_TLBIALL, 0xFF);
    qtest_writew(qts, SMMU + ESRRESTORE, 0xFFFF);
    read_visible(qts, after);
    for (size_t i = 0; i < N_VISIBLE; i++) {
        g_assert_cmphex(after[i], ==, before[i]);
    }
    for (size_t i = 0; i + 1 < ARRAY_SIZE(visible_regs); i++) {
        uint64_t off = CB(1) + visible_regs[i];

        if (visible_regs[i + 1] == visible_regs[i] + 4 && !(off & 7)) {
            g_assert_cmphex(qtest_readq(qts, SMMU + off), ==,
                            rd(qts, off) | (uint64_t)rd(qts, off + 4) << 32);
        }
    }
    qtest_quit(qts);
}

/* spec 6 [R]: system reset clears registers and the TLB: bypass again */
static void test_reset(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = DATA + 4 * SZ_1M;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x10000000, SZ_4K), ==,
                    ST_BUSY | ST_STALLED);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(rd(qts, CB(0) + SCTLR), ==, 0);
    g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
    g_assert_cmphex(rd(qts, CB(0) + TTBR0), ==, 0);
    g_assert_cmphex(rd(qts, M2VCBR(MID0)), ==, 0);
    g_assert_cmphex(rd(qts, CR), ==, 0);
    g_assert_cmphex(qtest_readl(qts, DMA0 + DMA_STATUS), ==, 0);
    g_assert_false(irq_pending(qts, SMMU_IRQ0));
    fill_pattern(qts, DATA, SZ_4K, 5);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, DATA + SZ_1M, SZ_4K), ==,
                    ST_DONE);
    check_pattern(qts, DATA + SZ_1M, SZ_4K, 5);
    qtest_quit(qts);
}

/*
 * VMState: registers, a recorded fault with its interrupt and a vcm-dma
 * transfer parked on a stall move to another QEMU; the TLB starts empty
 * there and RESUME completes the transfer.
 */
#define PARKED_ARGS "-M virt -m 512M -nodefaults -device smmu-vcm,id=smmu0 " \
    "-device vcm-dma,id=dma0,iommu=smmu0,mid=3 "                          \
    "-device vcm-dma,id=dma1,iommu=smmu0,mid=5"
QEMU_BUILD_BUG_ON(MID0 != 3 || MID1 != 5);
#define PARKED_PA       (DATA + 4 * SZ_1M)
#define PARKED_IOVA     0x10000000u

/* The source half: a 2-page copy parked on its second page's fault */
static QTestState *parked_source(Tables *t)
{
    QTestState *src = start_attached("", t);

    map(src, t, PARKED_PA, PARKED_PA, SZ_1M, PTE_1M);
    map(src, t, PARKED_IOVA, DATA, SZ_4K, PTE_4K);
    fill_pattern(src, PARKED_PA, 2 * SZ_4K, 0x5A);
    qtest_writel(src, DMA0 + DMA_CHUNK, SZ_4K);
    g_assert_cmphex(dma_copy(src, DMA0, PARKED_PA, PARKED_IOVA, 2 * SZ_4K),
                    ==, ST_BUSY | ST_STALLED);
    return src;
}

/* The destination half: the state arrived; map the page and RESUME */
static void parked_destination(QTestState *dst, Tables *t)
{
    g_assert_cmphex(rd(dst, CB(0) + SCTLR), ==, 7);
    g_assert_cmphex(rd(dst, CB(0) + ACTLR), ==, 0x00037072);
    g_assert_cmphex(rd(dst, M2VCBR(MID0)), ==, 0x00C00000);
    g_assert_cmphex(rd(dst, CB(0) + FSR), ==, 0x40000002);
    g_assert_cmphex(rd(dst, CB(0) + FAR), ==, PARKED_IOVA + SZ_4K);
    g_assert_true(irq_pending(dst, SMMU_IRQ0));
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_STATUS), ==,
                    ST_BUSY | ST_STALLED);
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_DONE_BYTES), ==, SZ_4K);
    g_assert_cmpuint(smmu_stat(dst, "tlb-hits"), ==, 0);

    map(dst, t, PARKED_IOVA + SZ_4K, DATA + SZ_1M, SZ_4K, PTE_4K);
    wr(dst, CB(0) + FSR, 0x4000000F);
    g_assert_false(irq_pending(dst, SMMU_IRQ0));
    /* the handler's write cleared SS; the master is still parked */
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_STATUS), ==,
                    ST_BUSY | ST_STALLED);
    qtest_clock_step(dst, 1000);
    wr(dst, CB(0) + RESUME, 0);
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_STATUS), ==, ST_DONE);
    check_pattern(dst, DATA, SZ_4K, 0x5A);
}

static void test_migrate_parked_transfer(void)
{
    Tables t;
    QTestState *dst = vcm_migrate(parked_source(&t), PARKED_ARGS);

    parked_destination(dst, &t);
    qtest_quit(dst);
}

/*
 * The same parked transfer from a stream that vcm-dma version 1 wrote
 * (data/vcm-dma-v1-parked.mig.xz: 64-bit registers as single fields, no
 * running time; recorded by /smmu-vcm/migrate/v1-record below). The
 * transfer's running time before the migration is unknown, so ELAPSED_NS
 * counts from the load: exactly the 1 us stepped before RESUME.
 */
static void test_migrate_v1_parked_transfer(void)
{
    Tables t = { .l1 = L1_TABLE, .next_l2 = L2_POOL };  /* in the stream */
    g_autofree char *stream = g_build_filename(g_getenv("VCM_QTEST_DATA"),
                                               "vcm-dma-v1-parked.mig.xz",
                                               NULL);
    QTestState *dst = vcm_load_xz(PARKED_ARGS, stream);

    parked_destination(dst, &t);
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_ELAPSED_LO), ==, 1000);
    g_assert_cmphex(qtest_readl(dst, DMA0 + DMA_ELAPSED_HI), ==, 0);
    qtest_quit(dst);
}

/*
 * Records the stream above. Run once against the QEMU of a commit whose
 * vcm-dma is version 1 (044df2b was used):
 *   VCM_RECORD_V1=$PWD/vcm-dma-v1-parked.mig.xz \
 *   QTEST_QEMU_BINARY=<old>/qemu-system-arm smmu-vcm-test \
 *       -p /smmu-vcm/migrate/v1-record
 */
static void record_v1_parked_transfer(void)
{
    Tables t;
    QTestState *src = parked_source(&t);

    vcm_save_xz(src, g_getenv("VCM_RECORD_V1"));
    qtest_quit(src);
}

/*
 * Two programmed contexts (different tables, block sizes and MIDs) with
 * warm TLB entries move to another QEMU: every register reads the same
 * there, the TLB starts empty and is refilled by walks, and both masters
 * still translate to the right pages.
 */
static void test_migrate_two_contexts(void)
{
    QTestState *src = start(""), *dst;
    g_autofree char *args = g_strdup_printf(
        "-M virt -m 512M -nodefaults -device smmu-vcm,id=smmu0 "
        "-device vcm-dma,id=dma0,iommu=smmu0,mid=%d "
        "-device vcm-dma,id=dma1,iommu=smmu0,mid=%d", MID0, MID1);
    uint32_t before[N_VISIBLE], after[N_VISIBLE];
    uint32_t pa = DATA + 4 * SZ_1M, iova = 0x10000000;
    Tables a, b;

    linux_probe(src, 4);
    tables_init(src, &a, L1_TABLE);
    tables_init(src, &b, L1_TABLE_B);
    linux_attach(src, 0, MID0, L1_TABLE);
    linux_attach(src, 1, MID1, L1_TABLE_B);
    wr(src, CB(1) + TTBCR, 0);
    map(src, &a, pa, pa, SZ_1M, PTE_1M);
    map(src, &b, pa, pa, SZ_1M, PTE_1M);
    map(src, &a, iova, DATA, SZ_4K, PTE_4K);
    map(src, &a, iova + SZ_64K, DATA + SZ_64K, SZ_64K, PTE_64K);
    map(src, &b, iova, DATA + SZ_1M, SZ_1M, PTE_1M);
    map(src, &b, iova + SZ_16M, DATA + 2 * SZ_16M, SZ_16M, PTE_16M);
    fill_pattern(src, pa, SZ_64K, 0x21);
    g_assert_cmphex(dma_copy(src, DMA0, pa, iova, SZ_4K), ==, ST_DONE);
    g_assert_cmphex(dma_copy(src, DMA1, pa, iova + SZ_16M, SZ_64K), ==,
                    ST_DONE);
    check_pattern(src, DATA, SZ_4K, 0x21);
    check_pattern(src, DATA + 2 * SZ_16M, SZ_64K, 0x21);
    g_assert_cmpuint(smmu_stat(src, "tlb-misses"), >, 0);
    read_visible(src, before);

    dst = vcm_migrate(src, args);

    read_visible(dst, after);
    for (size_t i = 0; i < N_VISIBLE; i++) {
        g_assert_cmphex(after[i], ==, before[i]);
    }
    g_assert_cmpuint(smmu_stat(dst, "walks"), ==, 0);
    fill_pattern(dst, pa, SZ_64K, 0x43);
    g_assert_cmphex(dma_copy(dst, DMA0, pa, iova, SZ_4K), ==, ST_DONE);
    g_assert_cmphex(dma_copy(dst, DMA0, pa, iova + SZ_64K, SZ_64K), ==,
                    ST_DONE);
    g_assert_cmphex(dma_copy(dst, DMA1, pa, iova + 0x80000, SZ_4K), ==,
                    ST_DONE);
    g_assert_cmphex(dma_copy(dst, DMA1, pa, iova + SZ_16M + SZ_4K, SZ_64K),
                    ==, ST_DONE);
    check_pattern(dst, DATA, SZ_4K, 0x43);
    check_pattern(dst, DATA + SZ_64K, SZ_64K, 0x43);
    check_pattern(dst, DATA + SZ_1M + 0x80000, SZ_4K, 0x43);
    check_pattern(dst, DATA + 2 * SZ_16M + SZ_4K, SZ_64K, 0x43);
    g_assert_cmpuint(smmu_stat(dst, "walks"), >, 0);
    g_assert_cmpuint(smmu_stat(dst, "tlb-misses"), >, 0);
    /* the hardware V2P of each context, too */
    wr(dst, CB(1) + V2PPR, iova + SZ_16M + 0x123456);
    g_assert_cmphex(rd(dst, CB(1) + PAR) & 0xFF000003, ==,
                    ((DATA + 2 * SZ_16M) & 0xFF000000) | 2);  /* SS */
    wr(dst, CB(0) + V2PPR, iova + SZ_64K + 0x1234);
    g_assert_cmphex(rd(dst, CB(0) + PAR) & 0xFFFFF001, ==,
                    DATA + SZ_64K + 0x1000);
    g_assert_cmphex(rd(dst, CB(0) + FSR) | rd(dst, CB(1) + FSR), ==, 0);
    qtest_quit(dst);
}

/*
 * Decide, then apply (spec 3.5-3.7, 3.10): a V2P operation and a DMA
 * through the same context reach the same answer for every descriptor
 * type and every fault a walk can end in: the same output address, or
 * the same fault cause (PAR.FAULT plus the FSR bit, against FSR).
 */
typedef struct V2PCase {
    const char *name;
    uint32_t size;          /* 0: nothing mapped */
    uint32_t attrs;
    bool write;
    bool user;              /* V2PU*, and the DMA forced to user */
    uint32_t cause;         /* FSR bit of the fault, 0 when translated */
    uint32_t l1_table;      /* an L1 table descriptor instead of a map */
} V2PCase;

static const V2PCase v2p_cases[] = {
    { "4K read", SZ_4K, PTE_4K, false, false, 0 },
    { "4K write", SZ_4K, PTE_4K, true, false, 0 },
    { "64K", SZ_64K, PTE_64K, true, false, 0 },
    { "1M", SZ_1M, PTE_1M, false, false, 0 },
    { "16M", SZ_16M, PTE_16M, true, false, 0 },
    { "4K read-only, written", SZ_4K, PTE_4K_RO, true, false, 1 << 3 },
    { "1M read-only, written", SZ_1M, PTE_1M_RO, true, false, 1 << 3 },
    { "4K privileged, user read", SZ_4K, PTE_4K_PRIV, false, true, 1 << 3 },
    { "4K privileged, privileged", SZ_4K, PTE_4K_PRIV, true, false, 0 },
    { "unmapped L1", 0, 0, false, false, 1 << 1 },
    { "empty L2 entry", 0, 0, true, false, 1 << 1, 0x4401F000u | 1 },
    { "L2 table in unbacked space", 0, 0, false, false, 1 << 5,
      0xF0000000u | 1 },
};

/* The physical address a successful PAR gives for @va (spec 3.10) */
static uint64_t par_to_pa(uint32_t par, uint32_t va)
{
    if (par & 2) {
        return (par & 0xFF000000u) | (uint64_t)((par >> 16) & 0xFF) << 32 |
               (va & 0xFFFFFF);
    }
    return (par & 0xFFFFF000u) | (va & 0xFFF);
}

#define V2P_SCRATCH_VA  0x0F000000u     /* where read cases copy to */
#define V2P_SCRATCH_PA  (DATA + 3 * SZ_16M)

static void v2p_case(QTestState *qts, Tables *t, const V2PCase *c,
                     uint32_t va, uint32_t pa)
{
    uint32_t magic = 0xC0DE0000 | (va >> 20), at = va + 0x123;
    uint32_t par, status, v2p = c->user ? (c->write ? V2PUW : V2PUR)
                                        : (c->write ? V2PPW : V2PPR);

    if (c->size) {
        map(qts, t, va, pa, c->size, c->attrs);
    } else if (c->l1_table) {
        put(qts, l1_slot(t, va), c->l1_table);
    }
    /* abort on faults, TLB then walk for both; PRIVCFG forces user */
    wr(qts, CB(0) + ACTLR, 0x00033001 | (c->user ? 1 << 8 : 0));
    wr(qts, CB(0) + CTX_TLBIALL, 0);
    wr(qts, CB(0) + FSR, 0xFFFFFFFF);
    wr(qts, CB(0) + v2p, at);
    par = rd(qts, CB(0) + PAR);
    wr(qts, CB(0) + CTX_TLBIALL, 0);

    qtest_writel(qts, pa + 0x123, c->write ? 0 : magic);
    qtest_writel(qts, DMA0 + DMA_PATTERN, magic);
    status = c->write ? dma_run(qts, DMA0, CTRL_FILL, 0, at, 4)
                      : dma_copy(qts, DMA0, at, V2P_SCRATCH_VA, 4);
    if (!c->cause) {
        g_assert_cmphex(par & 1, ==, 0);
        g_assert_cmphex(par_to_pa(par, at), ==, pa + 0x123);
        g_assert_cmphex(status, ==, ST_DONE);
        g_assert_cmphex(rd(qts, CB(0) + FSR), ==, 0);
        g_assert_cmphex(qtest_readl(qts, c->write ? pa + 0x123
                                                  : V2P_SCRATCH_PA),
                        ==, magic);
    } else {
        g_assert_cmphex(par, ==, 1 | c->cause);
        g_assert_cmphex(status & 7, ==, ST_ERROR);
        g_assert_cmphex(ST_ERR(status), ==, c->write ? 2 : 1);
        g_assert_cmphex(rd(qts, CB(0) + FSR) & 0xFE, ==, c->cause);
        g_assert_cmphex(rd(qts, CB(0) + FAR), ==, at);
    }
}

static void test_v2p_agrees_with_dma(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);

    map(qts, &t, V2P_SCRATCH_VA, V2P_SCRATCH_PA, SZ_1M, PTE_1M);
    qtest_memset(qts, 0x4401F000u, 0, 0x400);
    for (size_t i = 0; i < ARRAY_SIZE(v2p_cases); i++) {
        uint32_t va = 0x20000000 + i * SZ_16M;
        uint32_t pa = DATA + (i % 4) * SZ_16M;

        g_test_message("%s", v2p_cases[i].name);
        v2p_case(qts, &t, &v2p_cases[i], va, pa);
    }
    qtest_quit(qts);
}

/*
 * spec 4.3: a master's shortcuts are never observable. Remapped without
 * invalidation, a 4K page and the 1M section over it are both cached.
 * The master's micro-TLB and its hint into the shared TLB hold the
 * section, yet its DMA to the page goes where the shared TLB's own
 * lookup (V2P's too) sends it.
 */
static void test_tlb_shortcuts_invisible(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t iova = 0x10000000, src = DATA + 4 * SZ_1M;
    uint32_t par;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA, SZ_4K, PTE_4K);
    fill_pattern(qts, src, SZ_4K, 0x11);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);

    /*
     * The section over the page, cached by a copy into its other half
     * right after the source's entry (made again by the TLBIVA)
     */
    map(qts, &t, iova, DATA + SZ_1M, SZ_1M, PTE_1M);
    wr(qts, CB(0) + TLBIVA, src);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova + 0x80000, SZ_4K), ==,
                    ST_DONE);
    wr(qts, CB(0) + V2PPW, iova);
    par = rd(qts, CB(0) + PAR);
    g_assert_cmphex(par & 1, ==, 0);

    /* the master's shortcuts hold the section */
    fill_pattern(qts, src, SZ_4K, 0x22);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, par_to_pa(par, iova), SZ_4K, 0x22);

    /* and again with the micro-TLB dropped (a CONTEXTIDR write) */
    wr(qts, CB(1) + CONTEXTIDR, 0x55);
    fill_pattern(qts, src, SZ_4K, 0x33);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, par_to_pa(par, iova), SZ_4K, 0x33);
    check_zero(qts, DATA + SZ_1M, SZ_4K);
    qtest_quit(qts);
}

/*
 * spec 4.4: the range a translation returns is the block, but no part of
 * it that the context caches a smaller block for. A 4K page inside a 64K
 * block is cached, then the 64K is remapped as one large page without
 * invalidation: a copy through the block that crosses the page sends the
 * page's bytes where the cached page (and V2P) says, as the hardware's
 * lookup of each access would.
 */
static void test_tlb_block_keeps_smaller(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t iova = 0x10000000, src = DATA + 4 * SZ_1M;
    uint32_t page = iova + 2 * SZ_4K, page_pa = DATA + 2 * SZ_1M;
    g_autofree uint8_t *want = g_malloc(SZ_4K);
    g_autofree uint8_t *got = g_malloc(SZ_4K);
    uint32_t par;

    map(qts, &t, src, src, SZ_1M, PTE_1M);
    map(qts, &t, page, page_pa, SZ_4K, PTE_4K);
    g_assert_cmphex(dma_copy(qts, DMA0, src, page, SZ_4K), ==, ST_DONE);

    map(qts, &t, iova, DATA, SZ_64K, PTE_64K);
    wr(qts, CB(0) + V2PPW, page);
    par = rd(qts, CB(0) + PAR);
    g_assert_cmphex(par_to_pa(par, page), ==, page_pa);

    fill_pattern(qts, src, 4 * SZ_4K, 0x44);
    g_assert_cmphex(dma_copy(qts, DMA0, src, iova, 4 * SZ_4K), ==, ST_DONE);
    check_pattern(qts, DATA, 2 * SZ_4K, 0x44);
    check_zero(qts, DATA + 2 * SZ_4K, SZ_4K);
    qtest_memread(qts, src + 2 * SZ_4K, want, SZ_4K);
    qtest_memread(qts, page_pa, got, SZ_4K);
    g_assert_cmpmem(got, SZ_4K, want, SZ_4K);
    qtest_memread(qts, src + 3 * SZ_4K, want, SZ_4K);
    qtest_memread(qts, DATA + 3 * SZ_4K, got, SZ_4K);
    g_assert_cmpmem(got, SZ_4K, want, SZ_4K);
    qtest_quit(qts);
}

static uint64_t dma0_translations(QTestState *qts)
{
    return vcm_qom_u64(qts, "/machine/peripheral/dma0", "translations");
}

/*
 * spec 4.3: once the TLB holds the 16 pages of an aligned 64K, contiguous
 * and equally permitted (a run), a copy through them takes one
 * translation and TLB hit per side (x-tlb-runs=off: one per page), and
 * the same data. A page of the run that is moved, or
 * no longer cached, ends it: the copy then finds that page where the
 * tables put it.
 */
static void test_tlb_runs(void)
{
    for (int off = 0; off < 2; off++) {
        Tables t;
        QTestState *qts = start_attached(off ? ",x-tlb-runs=off" : "", &t);
        uint32_t src = 0x10000000, dst = 0x10100000;
        uint32_t page7 = src + 7 * SZ_4K, moved = DATA + 2 * SZ_1M;
        g_autofree uint8_t *buf = g_malloc(SZ_4K);
        uint64_t calls, hits;

        for (uint32_t i = 0; i < SZ_64K; i += SZ_4K) {
            map(qts, &t, src + i, DATA + i, SZ_4K, PTE_4K);
            map(qts, &t, dst + i, DATA + SZ_1M + i, SZ_4K, PTE_4K);
        }
        g_assert_cmphex(dma_copy(qts, DMA0, src, dst, SZ_64K), ==, ST_DONE);

        fill_pattern(qts, DATA, SZ_64K, 0x22);
        calls = dma0_translations(qts);
        hits = smmu_stat(qts, "tlb-hits");
        g_assert_cmphex(dma_copy(qts, DMA0, src, dst, SZ_64K), ==, ST_DONE);
        check_pattern(qts, DATA + SZ_1M, SZ_64K, 0x22);
        g_assert_cmpuint(dma0_translations(qts) - calls, ==, off ? 32 : 2);
        g_assert_cmpuint(smmu_stat(qts, "tlb-hits") - hits, ==, off ? 32 : 2);

        /* page 7 of the source moves, and its old place is cleared */
        fill_pattern(qts, DATA, SZ_64K, 0x33);
        qtest_memread(qts, DATA + 7 * SZ_4K, buf, SZ_4K);
        qtest_memwrite(qts, moved, buf, SZ_4K);
        qtest_memset(qts, DATA + 7 * SZ_4K, 0, SZ_4K);
        map(qts, &t, page7, moved, SZ_4K, PTE_4K);
        wr(qts, CB(0) + TLBIVA, page7);
        g_assert_cmphex(dma_copy(qts, DMA0, src, dst, SZ_64K), ==, ST_DONE);
        check_pattern(qts, DATA + SZ_1M, SZ_64K, 0x33);

        /* cached again, at its new place: still no run */
        qtest_memset(qts, DATA + SZ_1M, 0, SZ_64K);
        g_assert_cmphex(dma_copy(qts, DMA0, src, dst, SZ_64K), ==, ST_DONE);
        check_pattern(qts, DATA + SZ_1M, SZ_64K, 0x33);
        qtest_quit(qts);
    }
}

/*
 * vcm-dma spec 3.1: a block the SMMU returned serves the engine's later
 * steps in it; 4K chunks through 1M sections translate once per side.
 * Sixteen cached 64K pages form a run of 1M (spec 4.4). Once the context
 * caches a 4K page, even elsewhere, the 64K pages are neither a run nor
 * answered whole: the copy translates every 4K of both sides.
 */
static void test_tlb_blocks_serve_steps(void)
{
    Tables t;
    QTestState *qts = start_attached("", &t);
    uint32_t src = 0x10000000, dst = 0x10100000;
    uint32_t from = 0x20000000, to = 0x20100000;
    uint64_t calls;

    map(qts, &t, src, DATA, SZ_1M, PTE_1M);
    map(qts, &t, dst, DATA + SZ_1M, SZ_1M, PTE_1M);
    fill_pattern(qts, DATA, SZ_1M, 0x55);
    qtest_writel(qts, DMA0 + DMA_CHUNK, SZ_4K);
    calls = dma0_translations(qts);
    g_assert_cmphex(dma_copy(qts, DMA0, src, dst, SZ_1M), ==, ST_DONE);
    g_assert_cmpuint(dma0_translations(qts) - calls, ==, 2);
    check_pattern(qts, DATA + SZ_1M, SZ_1M, 0x55);

    for (uint32_t i = 0; i < SZ_1M; i += SZ_64K) {
        map(qts, &t, from + i, DATA + i, SZ_64K, PTE_64K);
        map(qts, &t, to + i, DATA + 2 * SZ_1M + i, SZ_64K, PTE_64K);
    }
    qtest_writel(qts, DMA0 + DMA_CHUNK, 0);
    g_assert_cmphex(dma_copy(qts, DMA0, from, to, SZ_1M), ==, ST_DONE);
    calls = dma0_translations(qts);
    g_assert_cmphex(dma_copy(qts, DMA0, from, to, SZ_1M), ==, ST_DONE);
    g_assert_cmpuint(dma0_translations(qts) - calls, ==, 2);
    check_pattern(qts, DATA + 2 * SZ_1M, SZ_1M, 0x55);

    map(qts, &t, 0x30000000, DATA + 3 * SZ_1M, SZ_4K, PTE_4K);
    g_assert_cmphex(dma_copy(qts, DMA0, src, 0x30000000, 16), ==, ST_DONE);
    qtest_memset(qts, DATA + 2 * SZ_1M, 0, SZ_1M);
    calls = dma0_translations(qts);
    g_assert_cmphex(dma_copy(qts, DMA0, from, to, SZ_1M), ==, ST_DONE);
    g_assert_cmpuint(dma0_translations(qts) - calls, ==, 2 * 256);
    check_pattern(qts, DATA + 2 * SZ_1M, SZ_1M, 0x55);
    qtest_quit(qts);
}

/*
 * check-stale is a diagnostic: the same sequence, including a stale TLB
 * hit, a V2P and a fault, leaves every guest-visible register and every
 * statistic but stale-hits as it leaves them without it.
 */
static const char *const invisible_stats[] = {
    "translations", "tlb-hits", "tlb-misses", "walks", "desc-reads",
    "evictions", "invalidations", "faults", "stalls", "cb0-tlb-hits",
    "cb0-tlb-misses", "cb1-tlb-hits", "cb1-tlb-misses",
};

/* spec 1.2/1.3: every register a read returns state from */
#define TLBTR0          0xFFE80
#define EAR             0xFFF84
#define ESYNR0          0xFFF90
#define ESYNR1          0xFFF94
#define TLB_ENTRIES     64              /* tlb-entries' default */
#define N_EVERY         (4 * (BFBCR / 4 + 1) + 128 + 4 + 10 + 3 * TLB_ENTRIES)

/*
 * All context registers of the 4 banks, all 128 M2VCBRs and CBACRs, the
 * global registers, and the whole TLB through TLBRSW/TLBTR0-2 (TLBRSW is
 * left at the last entry, the same in every run).
 */
static void read_every_register(QTestState *qts, uint32_t *out)
{
    static const uint64_t globals[] = {
        TLBRSW, TESTBUSCR, CR, EAR, ESR, ESYNR0, ESYNR1, REV, IDR, RPU_ACR,
    };
    size_t n = 0;

    for (int ctx = 0; ctx < 4; ctx++) {
        for (uint64_t reg = SCTLR; reg <= BFBCR; reg += 4) {
            out[n++] = reg == FSRRESTORE ? 0 : rd(qts, CB(ctx) + reg);
        }
    }
    for (int mid = 0; mid < 128; mid++) {
        out[n++] = rd(qts, M2VCBR(mid));
    }
    for (int ctx = 0; ctx < 4; ctx++) {
        out[n++] = rd(qts, CBACR(ctx));
    }
    for (size_t i = 0; i < ARRAY_SIZE(globals); i++) {
        out[n++] = rd(qts, globals[i]);
    }
    for (int e = 0; e < TLB_ENTRIES; e++) {
        wr(qts, TLBRSW, e);
        for (int i = 0; i < 3; i++) {
            out[n++] = rd(qts, TLBTR0 + 4 * i);
        }
    }
    g_assert_cmpuint(n, ==, N_EVERY);
}

static void check_stale_sequence(bool on, uint32_t *regs, uint32_t *every,
                                 uint64_t *stats)
{
    Tables t;
    QTestState *qts = start_attached(on ? ",check-stale=on" : "", &t);
    uint32_t iova = 0x10000000;

    wr(qts, CB(0) + ACTLR, 0x00033003);     /* abort, TLB then walk */
    map(qts, &t, DATA, DATA, SZ_1M, PTE_1M);
    map(qts, &t, iova, DATA + SZ_64K, SZ_4K, PTE_4K);
    fill_pattern(qts, DATA, SZ_4K, 0x33);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, iova, SZ_4K), ==, ST_DONE);
    map(qts, &t, iova, DATA + 2 * SZ_64K, SZ_4K, PTE_4K);  /* no TLBIVA */
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, iova, SZ_4K), ==, ST_DONE);
    check_pattern(qts, DATA + SZ_64K, SZ_4K, 0x33);
    read_visible(qts, regs);            /* TLBFLPTER: the first copy's */
    wr(qts, CB(0) + V2PPR, iova);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, iova + SZ_1M, 4) & 7, ==,
                    ST_ERROR);
    read_visible(qts, regs + N_VISIBLE);
    for (size_t i = 0; i < ARRAY_SIZE(invisible_stats); i++) {
        stats[i] = smmu_stat(qts, invisible_stats[i]);
    }
    read_every_register(qts, every);
    g_assert_cmpuint(smmu_stat(qts, "stale-hits"), ==, on ? 1 : 0);
    qtest_quit(qts);
}

static void test_check_stale_invisible(void)
{
    uint32_t off[2 * N_VISIBLE], on[2 * N_VISIBLE];
    uint32_t every_off[N_EVERY], every_on[N_EVERY];
    uint64_t stats_off[ARRAY_SIZE(invisible_stats)];
    uint64_t stats_on[ARRAY_SIZE(invisible_stats)];

    check_stale_sequence(false, off, every_off, stats_off);
    check_stale_sequence(true, on, every_on, stats_on);
    for (size_t i = 0; i < 2 * N_VISIBLE; i++) {
        g_assert_cmphex(on[i], ==, off[i]);
    }
    for (size_t i = 0; i < N_EVERY; i++) {
        if (every_on[i] != every_off[i]) {
            g_error("register %zu of read_every_register: 0x%08x with "
                    "check-stale, 0x%08x without", i, every_on[i],
                    every_off[i]);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(invisible_stats); i++) {
        g_test_message("%s: %" PRIu64, invisible_stats[i], stats_on[i]);
        g_assert_cmpuint(stats_on[i], ==, stats_off[i]);
    }
}

/* Two contexts of one SMMU share its TLB; each counts its own use. */
static void test_ctx_stats(void)
{
    QTestState *qts = start("");
    Tables a, b;
    uint32_t iova = 0x10000000;

    linux_probe(qts, 4);
    tables_init(qts, &a, L1_TABLE);
    tables_init(qts, &b, L1_TABLE_B);
    linux_attach(qts, 0, MID0, L1_TABLE);
    linux_attach(qts, 1, MID1, L1_TABLE_B);
    map(qts, &a, DATA, DATA, SZ_1M, PTE_1M);
    map(qts, &b, DATA, DATA, SZ_1M, PTE_1M);
    map(qts, &a, iova, DATA + SZ_1M, SZ_64K, PTE_64K);
    map(qts, &b, iova, DATA + 2 * SZ_1M, SZ_4K, PTE_4K);
    g_assert_cmphex(dma_copy(qts, DMA0, DATA, iova, SZ_64K), ==, ST_DONE);
    g_assert_cmphex(dma_copy(qts, DMA1, DATA, iova, SZ_4K), ==, ST_DONE);
    g_assert_cmphex(dma_copy(qts, DMA1, DATA, iova, SZ_4K), ==, ST_DONE);
    g_assert_cmpuint(smmu_stat(qts, "cb0-tlb-misses"), ==, 2);
    g_assert_cmpuint(smmu_stat(qts, "cb1-tlb-misses"), ==, 2);
    g_assert_cmpuint(smmu_stat(qts, "cb1-tlb-hits"), >, 0);
    g_assert_cmpuint(smmu_stat(qts, "cb0-tlb-hits") +
                     smmu_stat(qts, "cb1-tlb-hits"), ==,
                     smmu_stat(qts, "tlb-hits"));
    g_assert_cmpuint(smmu_stat(qts, "cb2-tlb-misses"), ==, 0);
    qtest_quit(qts);
}

/* --- introspection: info smmu-vcm and info-json (docs/devel/debugging.rst) */

#define L1_TABLE_C      0x44008000u     /* context 1's TTBR1 table */
#define NOTHING_THERE   0xB0000000u     /* no memory on virt -m 512M */

static QDict *info_json(QTestState *qts)
{
    return vcm_qom_json(qts, "/machine/peripheral/smmu0", "info-json",
                        "smmu-vcm-info");
}

static QDict *list_nth(QList *l, int n)
{
    const QListEntry *e = qlist_first(l);

    while (e && n--) {
        e = qlist_next(e);
    }
    return e ? qobject_to(QDict, qlist_entry_obj(e)) : NULL;
}

static QDict *info_ctx(QDict *info, int ctx)
{
    QDict *c = list_nth(qdict_get_qlist(info, "contexts"), ctx);

    g_assert_cmpint(qdict_get_int(c, "index"), ==, ctx);
    return c;
}

/* One mapping of a context's "mappings", as the format documents it */
static void check_mapping(QList *maps, int n, uint64_t iova, uint64_t pa,
                          uint64_t size, const char *size_class,
                          const char *perms, bool ng)
{
    QDict *m = list_nth(maps, n);

    g_assert_nonnull(m);
    g_assert_cmphex(qdict_get_int(m, "iova"), ==, iova);
    g_assert_cmphex(qdict_get_int(m, "pa"), ==, pa);
    g_assert_cmphex(qdict_get_int(m, "size"), ==, size);
    g_assert_cmpstr(qdict_get_str(m, "size-class"), ==, size_class);
    g_assert_cmpstr(qdict_get_str(m, "perms"), ==, perms);
    g_assert_cmpint(qdict_get_bool(m, "ng"), ==, ng);
}

/* The monitor's text, with the "\r\n" the monitor writes as "\n" */
static char *info_text(QTestState *qts, const char *command)
{
    g_autofree char *text = qtest_hmp(qts, "%s", command);
    g_auto(GStrv) lines = g_strsplit(text, "\r\n", -1);

    return g_strjoinv("\n", lines);
}

static void check_contains(const char *text, const char *line)
{
    if (!strstr(text, line)) {
        g_error("'%s' is not in:\n%s", line, text);
    }
}

/* Everything the guest can read, and every statistic */
static void read_all_visible(QTestState *qts, uint32_t *regs,
                             uint64_t *stats)
{
    read_visible(qts, regs);
    for (size_t i = 0; i < ARRAY_SIZE(invisible_stats); i++) {
        stats[i] = smmu_stat(qts, invisible_stats[i]);
    }
}

/*
 * Two contexts with every block size, runs that coalesce and runs that
 * do not, a TTBCR.N = 2 split with a page in each half, a physical page
 * mapped by both contexts, and a pending fault.
 */
static void info_setup(QTestState *qts)
{
    Tables a, b, c;

    linux_probe(qts, 4);
    tables_init(qts, &a, L1_TABLE);
    tables_init(qts, &b, L1_TABLE_B);
    tables_init(qts, &c, L1_TABLE_C);
    linux_attach(qts, 0, MID0, L1_TABLE);
    linux_attach(qts, 1, MID1, L1_TABLE_B);
    rmw(qts, CB(0) + ACTLR, 1 << 14, 1);    /* faults abort, no stall */

    map(qts, &a, 0x10000000, DATA, SZ_4K, PTE_4K);          /* one run */
    map(qts, &a, 0x10001000, DATA + SZ_4K, SZ_4K, PTE_4K);
    map(qts, &a, 0x10002000, DATA + 8 * SZ_4K, SZ_4K, PTE_4K);  /* not */
    map(qts, &a, 0x10003000, DATA + 9 * SZ_4K, SZ_4K, PTE_4K_RO);   /* nor */
    map(qts, &a, 0x10010000, DATA + SZ_1M, SZ_64K, PTE_64K);
    map(qts, &a, 0x20000000, DATA + 2 * SZ_1M, SZ_1M, PTE_1M);
    map(qts, &a, 0x30000000, 0x49000000, SZ_16M, PTE_16M);

    /* context 1: TTBR0 below 1 GiB, TTBR1 above */
    wr(qts, CB(1) + TTBCR, 2);
    wr(qts, CB(1) + TTBR1, L1_TABLE_C);
    map(qts, &b, 0x00100000, DATA + 8 * SZ_1M, SZ_1M, PTE_1M_RO);
    map(qts, &c, 0xC0000000, DATA, SZ_4K, PTE_4K);      /* shared page */

    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, 0x20000000, 0x50001000, 16)),
                    ==, 2);
}

static void test_info_mappings(void)
{
    QTestState *qts = start("");
    uint32_t regs[2][N_VISIBLE];
    uint64_t stats[2][ARRAY_SIZE(invisible_stats)];
    g_autofree char *text = NULL;
    g_autofree char *verbose = NULL;
    QDict *info, *c0, *c1, *fault, *mid;
    QList *maps;

    info_setup(qts);
    read_all_visible(qts, regs[0], stats[0]);
    text = info_text(qts, "info smmu-vcm smmu0");
    verbose = info_text(qts, "info smmu-vcm -v");
    info = info_json(qts);
    read_all_visible(qts, regs[1], stats[1]);
    g_test_message("%s", text);

    /* looking changed nothing the guest or the statistics show */
    for (size_t i = 0; i < N_VISIBLE; i++) {
        g_assert_cmphex(regs[1][i], ==, regs[0][i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(invisible_stats); i++) {
        g_assert_cmpuint(stats[1][i], ==, stats[0][i]);
    }

    check_contains(text, "smmu-vcm /machine/peripheral/smmu0: 4 contexts");
    check_contains(text, "MID 3 -> context 0: M2VCBR 0x00c00000 (NSCFG=3) "
                   "master /machine/peripheral/dma0\n");
    check_contains(text, "MID 5 -> context 1: M2VCBR 0x00c00100 (CBNDX=1 "
                   "NSCFG=3) master /machine/peripheral/dma1\n");
    check_contains(text, "      0x10000000-0x10001fff "
                   "-> 0x48000000-0x48001fff"
                   " 4K  priv rw user rw TEX=1 C=0 B=0 S=1 NS=0 XN=0 nG\n");
    check_contains(text, "      0x10002000-0x10002fff "
                   "-> 0x48008000-0x48008fff"
                   " 4K  priv rw user rw ");
    check_contains(text, "      0x10003000-0x10003fff "
                   "-> 0x48009000-0x48009fff"
                   " 4K  priv r  user r  ");
    check_contains(text, "      0x10010000-0x1001ffff "
                   "-> 0x48100000-0x4810ffff"
                   " 64K priv rw user rw ");
    check_contains(text, "      0x20000000-0x200fffff "
                   "-> 0x48200000-0x482fffff"
                   " 1M  priv rw user rw ");
    check_contains(text, "      0x30000000-0x30ffffff "
                   "-> 0x49000000-0x49ffffff"
                   " 16M priv rw user rw ");
    check_contains(text, "TTBCR 0x00000002 (N=2) TTBR0 0x44004002 (VA "
                   "0x00000000-0x3fffffff) TTBR1 0x44008000 (VA "
                   "0x40000000-0xffffffff)\n");
    check_contains(text, "      0xc0000000-0xc0000fff "
                   "-> 0x48000000-0x48000fff"
                   " 4K  priv rw user rw ");
    check_contains(text, "    fault: FSR 0x00000002 (TF) FAR 0x50001000 "
                   "MID 3 write privileged\n");
    /* -v: the two pages of the first run are two blocks */
    check_contains(verbose, "      0x10000000-0x10000fff "
                   "-> 0x48000000-");
    check_contains(verbose, "      0x10001000-0x10001fff "
                   "-> 0x48001000-");
    g_assert_null(strstr(verbose, "0x10000000-0x10001fff"));

    c0 = info_ctx(info, 0);
    g_assert_true(qdict_get_bool(c0, "enabled"));
    maps = qdict_get_qlist(c0, "mappings");
    g_assert_cmpint(qlist_size(maps), ==, 6);
    check_mapping(maps, 0, 0x10000000, DATA, 2 * SZ_4K, "4K", "rw", true);
    check_mapping(maps, 1, 0x10002000, DATA + 8 * SZ_4K, SZ_4K, "4K", "rw",
                  true);
    check_mapping(maps, 2, 0x10003000, DATA + 9 * SZ_4K, SZ_4K, "4K", "r",
                  true);
    check_mapping(maps, 3, 0x10010000, DATA + SZ_1M, SZ_64K, "64K", "rw",
                  true);
    check_mapping(maps, 4, 0x20000000, DATA + 2 * SZ_1M, SZ_1M, "1M", "rw",
                  true);
    check_mapping(maps, 5, 0x30000000, 0x49000000, SZ_16M, "16M", "rw",
                  true);
    g_assert_cmpuint(qdict_get_int(c0, "mapped-bytes"), ==,
                     4 * SZ_4K + SZ_64K + SZ_1M + SZ_16M);
    fault = qdict_get_qdict(c0, "fault");
    g_assert_true(qdict_get_bool(fault, "pending"));
    g_assert_cmphex(qdict_get_int(fault, "far"), ==, 0x50001000);
    g_assert_cmpint(qdict_get_int(fault, "mid"), ==, MID0);
    g_assert_true(qdict_get_bool(fault, "write"));
    g_assert_false(qdict_get_bool(fault, "stalled"));
    g_assert_cmpstr(qstring_get_str(qobject_to(QString, qlist_peek(
                        qdict_get_qlist(fault, "causes")))), ==, "TF");

    c1 = info_ctx(info, 1);
    g_assert_cmphex(qdict_get_int(c1, "ttbr1-from"), ==, 0x40000000);
    maps = qdict_get_qlist(c1, "mappings");
    g_assert_cmpint(qlist_size(maps), ==, 2);
    check_mapping(maps, 0, 0x00100000, DATA + 8 * SZ_1M, SZ_1M, "1M", "r",
                  true);
    check_mapping(maps, 1, 0xC0000000, DATA, SZ_4K, "4K", "rw", true);
    g_assert_false(qdict_get_bool(qdict_get_qdict(c1, "fault"), "pending"));
    g_assert_false(qdict_get_bool(info_ctx(info, 2), "enabled"));

    mid = list_nth(qdict_get_qlist(info, "mids"), 1);
    g_assert_cmpint(qdict_get_int(mid, "mid"), ==, MID1);
    g_assert_cmpint(qdict_get_int(mid, "context"), ==, 1);
    mid = list_nth(qdict_get_qlist(info, "masters"), 0);
    g_assert_cmpint(qdict_get_int(mid, "mid"), ==, MID0);
    g_assert_cmpstr(qdict_get_str(mid, "path"), ==, "/machine/peripheral/dma0");
    g_assert_cmpint(qdict_get_int(qdict_get_qdict(info, "stats"), "faults"),
                    ==, 1);
    qobject_unref(info);
    qtest_quit(qts);
}

/*
 * Each TLB entry counts the lookups it answered. A master's micro-TLB
 * answers repeats first; an invalidation of another VA empties it (the
 * TLB's generation moves) but leaves the entry, which answers the next
 * copy: hits 1 on the two pages the copy touches.
 */
static void test_info_tlb_hits(void)
{
    QTestState *qts = start("");
    QDict *info;
    QList *tlb;
    QListEntry *e;
    int pages = 0;

    info_setup(qts);
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, 0x10000000, 0x10001000, 16)),
                    ==, 0);
    wr(qts, CB(0) + TLBIVA, 0x20000000);
    g_assert_cmphex(ST_ERR(dma_copy(qts, DMA0, 0x10000000, 0x10001000, 16)),
                    ==, 0);

    info = info_json(qts);
    tlb = qdict_get_qlist(info, "tlb");
    QLIST_FOREACH_ENTRY(tlb, e) {
        QDict *d = qobject_to(QDict, qlist_entry_obj(e));
        uint64_t iova = qdict_get_int(d, "iova");

        if (iova == 0x10000000 || iova == 0x10001000) {
            g_assert_cmpint(qdict_get_int(d, "hits"), ==, 1);
            pages++;
        }
    }
    g_assert_cmpint(pages, ==, 2);
    qobject_unref(info);
    qtest_quit(qts);
}

static QList *info_errors(QDict *info, int ctx)
{
    return qdict_get_qlist(info_ctx(info, ctx), "walk-errors");
}

/*
 * Hostile tables give a bounded, correct listing: a level-1 table whose
 * entries all point at itself (2^20 walks, 65536 runs of which 4096 are
 * listed), tables in MMIO (not read) and where nothing is, 4 GiB of
 * supersections (one run).
 */
static void test_info_hostile(void)
{
    QTestState *qts = start("");
    uint32_t regs[2][N_VISIBLE];
    uint64_t stats[2][ARRAY_SIZE(invisible_stats)];
    g_autofree uint32_t *l1 = g_new(uint32_t, 4096);
    g_autofree char *text = NULL;
    QDict *info, *c0, *e;
    QList *maps;
    Tables d;

    linux_probe(qts, 4);
    for (int ctx = 0; ctx < 4; ctx++) {
        linux_attach(qts, ctx, ctx ? MID1 + ctx : MID0, L1_TABLE);
    }
    for (int i = 0; i < 4096; i++) {
        l1[i] = cpu_to_le32(L1_TABLE | 1);
    }
    qtest_memwrite(qts, L1_TABLE, l1, 0x4000);
    wr(qts, CB(1) + TTBR0, SMMU);
    tables_init(qts, &d, L1_TABLE_B);
    wr(qts, CB(2) + TTBR0, L1_TABLE_B);
    put(qts, l1_slot(&d, 0x00100000), NOTHING_THERE | 1);
    put(qts, l1_slot(&d, 0x00200000), 0x09000000 | 1);       /* UART */
    put(qts, l1_slot(&d, 0x00300000), 0x0000000F);           /* reserved */
    tables_init(qts, &d, L1_TABLE_C);
    wr(qts, CB(3) + TTBR0, L1_TABLE_C);
    for (uint64_t va = 0; va < 4 * GiB; va += SZ_16M) {
        map(qts, &d, va, va, SZ_16M, PTE_16M);
    }

    read_all_visible(qts, regs[0], stats[0]);
    text = info_text(qts, "info smmu-vcm");
    info = info_json(qts);
    read_all_visible(qts, regs[1], stats[1]);
    for (size_t i = 0; i < N_VISIBLE; i++) {
        g_assert_cmphex(regs[1][i], ==, regs[0][i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(invisible_stats); i++) {
        g_assert_cmpuint(stats[1][i], ==, stats[0][i]);
    }

    /* every 64 KiB: a large page at the table's own 64 KiB, AF clear */
    c0 = info_ctx(info, 0);
    maps = qdict_get_qlist(c0, "mappings");
    g_assert_cmpint(qlist_size(maps), ==, 4096);
    g_assert_cmpuint(qdict_get_int(c0, "omitted-runs"), ==, 65536 - 4096);
    g_assert_cmpuint(qdict_get_int(c0, "omitted-bytes"), ==,
                     (65536 - 4096) * (uint64_t)SZ_64K);
    g_assert_cmpuint(qdict_get_int(c0, "mapped-bytes"), ==, 4 * GiB);
    check_mapping(maps, 4095, 4095 * SZ_64K, L1_TABLE, SZ_64K, "64K", "rw",
                  false);
    g_assert_false(qdict_get_bool(list_nth(maps, 0), "af"));
    check_contains(text, "... 61440 more runs (4026531840 bytes) not "
                   "listed\n");

    /* in the SMMU's own registers: not read */
    e = list_nth(info_errors(info, 1), 0);
    g_assert_cmpint(qlist_size(info_errors(info, 1)), ==, 1);
    g_assert_cmpstr(qdict_get_str(e, "cause"), ==, "not-ram");
    g_assert_cmpstr(qdict_get_str(e, "region"), ==, "smmu-vcm");
    g_assert_cmphex(qdict_get_int(e, "size"), ==, 4 * GiB);
    g_assert_cmphex(qdict_get_int(e, "descriptor"), ==, SMMU);
    check_contains(text, "      0x00000000-0xffffffff not read: level-1 "
                   "descriptor at 0xc000000 is in MMIO region 'smmu-vcm'\n");

    /* a level-2 table where nothing is, one in the UART, a reserved type */
    g_assert_cmpint(qlist_size(info_errors(info, 2)), ==, 3);
    e = list_nth(info_errors(info, 2), 0);
    g_assert_cmpstr(qdict_get_str(e, "cause"), ==, "no-memory");
    g_assert_cmphex(qdict_get_int(e, "iova"), ==, 0x00100000);
    g_assert_cmphex(qdict_get_int(e, "size"), ==, SZ_1M);
    g_assert_cmpint(qdict_get_int(e, "level"), ==, 2);
    e = list_nth(info_errors(info, 2), 1);
    g_assert_cmpstr(qdict_get_str(e, "cause"), ==, "not-ram");
    g_assert_cmpstr(qdict_get_str(e, "region"), ==, "pl011");
    e = list_nth(info_errors(info, 2), 2);
    g_assert_cmpstr(qdict_get_str(e, "cause"), ==, "reserved");
    g_assert_cmphex(qdict_get_int(e, "iova"), ==, 0x00300000);

    /* 4 GiB of supersections mapping VA to the same PA: one run */
    maps = qdict_get_qlist(info_ctx(info, 3), "mappings");
    g_assert_cmpint(qlist_size(maps), ==, 1);
    check_mapping(maps, 0, 0, 0, 4 * GiB, "16M", "rw", true);
    qobject_unref(info);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/smmu-vcm/id", test_idr);
    qtest_add_func("/smmu-vcm/linux/probe", test_linux_probe);
    qtest_add_func("/smmu-vcm/linux/attach", test_linux_attach);
    qtest_add_func("/smmu-vcm/bypass", test_bypass);
    qtest_add_func("/smmu-vcm/dma/4k", test_dma_4k);
    qtest_add_func("/smmu-vcm/dma/64k", test_dma_64k);
    qtest_add_func("/smmu-vcm/dma/1m", test_dma_1m);
    qtest_add_func("/smmu-vcm/dma/16m", test_dma_16m);
    qtest_add_func("/smmu-vcm/contexts-isolated", test_contexts_isolated);
    qtest_add_func("/smmu-vcm/tlb/stale-until-tlbiva",
                   test_stale_until_tlbiva);
    qtest_add_func("/smmu-vcm/tlb/tlbiva-inside-section",
                   test_tlbiva_inside_section);
    qtest_add_func("/smmu-vcm/tlb/shortcuts-invisible",
                   test_tlb_shortcuts_invisible);
    qtest_add_func("/smmu-vcm/tlb/block-keeps-smaller",
                   test_tlb_block_keeps_smaller);
    qtest_add_func("/smmu-vcm/tlb/runs", test_tlb_runs);
    qtest_add_func("/smmu-vcm/tlb/blocks-serve-steps",
                   test_tlb_blocks_serve_steps);
    qtest_add_func("/smmu-vcm/v2p", test_v2p);
    qtest_add_func("/smmu-vcm/v2p/agrees-with-dma", test_v2p_agrees_with_dma);
    qtest_add_func("/smmu-vcm/check-stale/invisible",
                   test_check_stale_invisible);
    qtest_add_func("/smmu-vcm/stats/per-context", test_ctx_stats);
    qtest_add_func("/smmu-vcm/info/mappings", test_info_mappings);
    qtest_add_func("/smmu-vcm/info/hostile", test_info_hostile);
    qtest_add_func("/smmu-vcm/info/tlb-hits", test_info_tlb_hits);
    qtest_add_func("/smmu-vcm/fault/abort-irq", test_fault_abort_irq);
    qtest_add_func("/smmu-vcm/fault/raz-wi", test_fault_raz_wi);
    qtest_add_func("/smmu-vcm/stall/resume-retry", test_stall_resume_retry);
    qtest_add_func("/smmu-vcm/stall/terminate-abort",
                   test_stall_terminate_abort);
    qtest_add_func("/smmu-vcm/hostile/tables", test_hostile_tables);
    qtest_add_func("/smmu-vcm/hostile/registers", test_hostile_registers);
    qtest_add_func("/smmu-vcm/hostile/ttbr-low-bits",
                   test_hostile_ttbr_low_bits);
    qtest_add_func("/smmu-vcm/hostile/reserved-fields",
                   test_hostile_reserved_fields);
    qtest_add_func("/smmu-vcm/hostile/access-sizes",
                   test_hostile_access_sizes);
    qtest_add_func("/smmu-vcm/hostile/dma-while-parked",
                   test_dma_hostile_while_parked);
    qtest_add_func("/smmu-vcm/reset", test_reset);
    qtest_add_func("/smmu-vcm/migrate/two-contexts",
                   test_migrate_two_contexts);
    qtest_add_func("/smmu-vcm/migrate/v1-parked-transfer",
                   test_migrate_v1_parked_transfer);
    if (g_getenv("VCM_RECORD_V1")) {
        qtest_add_func("/smmu-vcm/migrate/v1-record",
                       record_v1_parked_transfer);
    }
    qtest_add_func("/smmu-vcm/migrate/parked-transfer",
                   test_migrate_parked_transfer);
    return g_test_run();
}
