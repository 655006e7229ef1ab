/*
 * QTest for vcm-dma-pci, the vcm-dma engine as a PCI function
 * (docs/specs/vcm-dma.rst 5: "spec"), alone on virt's PCIe root bus and
 * behind QEMU's SMMUv3 (-M virt,iommu=smmuv3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "standard-headers/linux/pci_regs.h"
#include "vcm-smmuv3.h"

#define DEVFN       (3 << 3)        /* addr=03.0: stream ID 0x18 */
#define PCI_IRQ     (32 + 3 + 3)    /* virt: INTx from SPI 3, slot 3 INTA */
#define GICD_ISPENDR    0x08000200ULL
#define SMMU_STRTAB_CFG (VCM_SMMUV3_BASE + 0x88)
#define EVT_C_BAD_STE   0x04

#define ID          0x00
#define VERSION     0x04
#define CTRL        0x08
#define STATUS      0x0C
#define SRC_LO      0x10
#define DST_LO      0x18
#define LEN         0x20
#define PATTERN     0x24
#define DONE_BYTES  0x28
#define FAULT_ADDR  0x2C
#define CHUNK       0x30

#define GO          (1 << 0)
#define IRQ_EN      (1 << 2)
#define OP_FILL     (1 << 4)
#define ST_DONE     (1 << 1)
#define ST_ERROR    (1 << 2)
#define ST_ERR(s)   (((s) >> 8) & 0xF)
#define ERR_BUS     3

#define RAM         0x40000000u
#define TABLES      (RAM + 0x01000000u)     /* SMMU tables and queues */
#define SRC_PA      (RAM + 0x02000000u)
#define DST_PA      (RAM + 0x02400000u)
#define SRC_IOVA    0x10000000u
#define DST_IOVA    0x20000000u
#define ASID        7

typedef struct Fixture {
    QTestState *qts;
    uint64_t bar;
    VCMSmmuv3 smmu;
} Fixture;

static void start(Fixture *f, bool smmuv3)
{
    f->qts = qtest_initf("-M virt%s -m 256M -nodefaults "
                         "-device vcm-dma-pci,addr=03.0",
                         smmuv3 ? ",iommu=smmuv3" : "");
    f->bar = VCM_PCIE_MMIO;
    vcm_dma_pci_enable(f->qts, DEVFN, f->bar);
    if (smmuv3) {
        vcm_smmuv3_init(&f->smmu, f->qts, TABLES, 0x100000);
    }
}

static uint32_t rd(Fixture *f, uint32_t off)
{
    return qtest_readl(f->qts, f->bar + off);
}

static void wr(Fixture *f, uint32_t off, uint32_t v)
{
    qtest_writel(f->qts, f->bar + off, v);
}

static uint32_t run(Fixture *f, uint32_t ctrl, uint32_t src, uint32_t dst,
                    uint32_t len)
{
    wr(f, STATUS, ST_DONE | ST_ERROR);
    wr(f, SRC_LO, src);
    wr(f, DST_LO, dst);
    wr(f, LEN, len);
    wr(f, CTRL, ctrl | GO);
    return rd(f, STATUS);
}

static bool irq_pending(Fixture *f)
{
    return qtest_readl(f->qts, GICD_ISPENDR + 4 * (PCI_IRQ / 32)) &
           (1u << PCI_IRQ % 32);
}

static void fill_pattern(Fixture *f, uint64_t pa, uint32_t len, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    for (uint32_t i = 0; i < len; i++) {
        buf[i] = seed + i * 7 + (i >> 12);
    }
    qtest_memwrite(f->qts, pa, buf, len);
}

static void check_pattern(Fixture *f, uint64_t pa, uint32_t len, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    qtest_memread(f->qts, pa, buf, len);
    for (uint32_t i = 0; i < len; i++) {
        g_assert_cmphex(buf[i], ==, (uint8_t)(seed + i * 7 + (i >> 12)));
    }
}

/* spec 5: PCI IDs, BAR 0 holds vcm-dma's registers with their resets */
static void test_registers(void)
{
    Fixture f;

    start(&f, false);
    g_assert_cmphex(qtest_readl(f.qts, VCM_PCIE_ECAM + (DEVFN << 12)), ==,
                    0x56441234);
    g_assert_cmphex(rd(&f, ID), ==, 0x56444D41);
    g_assert_cmphex(rd(&f, VERSION), ==, 0x00010000);
    g_assert_cmphex(rd(&f, STATUS), ==, 0);
    wr(&f, ID, 0);
    g_assert_cmphex(rd(&f, ID), ==, 0x56444D41);
    wr(&f, CHUNK, 0x200000);                    /* spec 2: 1 MiB at most */
    g_assert_cmphex(rd(&f, CHUNK), ==, 0x100000);
    wr(&f, PATTERN, 0xA5A5F00D);
    g_assert_cmphex(rd(&f, PATTERN), ==, 0xA5A5F00D);
    /* spec 2: GO with LEN = 0 is bad programming (ERR_CODE 6) */
    wr(&f, LEN, 0);
    wr(&f, CTRL, GO);
    g_assert_cmphex(rd(&f, STATUS), ==, ST_ERROR | 6 << 8);
    /* a fill without an IOMMU reaches RAM untranslated */
    g_assert_cmphex(run(&f, OP_FILL, 0, SRC_PA, 64), ==, ST_DONE);
    g_assert_cmphex(qtest_readl(f.qts, SRC_PA + 60), ==, 0xA5A5F00D);
    qtest_quit(f.qts);
}

/*
 * A copy through SMMUv3 with 4 KiB pages on the source and 2 MiB blocks
 * on the destination lands at the physical addresses the tables name,
 * and raises INTx A when it is done.
 */
static void test_copy_smmuv3(void)
{
    uint32_t len = 3 * 65536 + 100;
    Fixture f;
    uint64_t ttb;

    start(&f, true);
    ttb = vcm_smmuv3_table(&f.smmu);
    vcm_smmuv3_map(&f.smmu, ttb, SRC_IOVA, SRC_PA, 0x40000, 4096);
    vcm_smmuv3_map(&f.smmu, ttb, DST_IOVA, DST_PA, 0x200000, 0x200000);
    vcm_smmuv3_attach(&f.smmu, DEVFN, ASID, ttb);
    fill_pattern(&f, SRC_PA, len, 0x3C);
    qtest_memset(f.qts, DST_PA, 0, len + 4);

    wr(&f, CHUNK, 0x8000);
    g_assert_false(irq_pending(&f));
    g_assert_cmphex(run(&f, IRQ_EN, SRC_IOVA, DST_IOVA, len), ==, ST_DONE);
    g_assert_cmpuint(rd(&f, DONE_BYTES), ==, len);
    check_pattern(&f, DST_PA, len, 0x3C);
    g_assert_cmphex(qtest_readl(f.qts, DST_PA + len), ==, 0);
    g_assert_true(irq_pending(&f));
    wr(&f, STATUS, ST_DONE);
    g_assert_false(irq_pending(&f));
    g_assert_cmpuint(vcm_smmuv3_events(&f.smmu), ==, 0);
    qtest_quit(f.qts);
}

/* SMMUv3 on; the stream maps SRC_IOVA and DST_IOVA with 4 KiB pages */
static void start_mapped(Fixture *f, uint32_t src_len, uint32_t dst_len)
{
    uint64_t ttb;

    start(f, true);
    ttb = vcm_smmuv3_table(&f->smmu);
    vcm_smmuv3_map(&f->smmu, ttb, SRC_IOVA, SRC_PA, src_len, 4096);
    vcm_smmuv3_map(&f->smmu, ttb, DST_IOVA, DST_PA, dst_len, 4096);
    vcm_smmuv3_attach(&f->smmu, DEVFN, ASID, ttb);
}

/* The transfer ended as a bus error at @addr after @done bytes (spec 5) */
static void assert_bus_error(Fixture *f, uint32_t status, uint64_t addr,
                             uint32_t done)
{
    g_assert_cmphex(status & (ST_DONE | ST_ERROR), ==, ST_ERROR);
    g_assert_cmpuint(ST_ERR(status), ==, ERR_BUS);
    g_assert_cmphex(rd(f, FAULT_ADDR), ==, addr);
    g_assert_cmphex(rd(f, DONE_BYTES), ==, done);
}

/*
 * A write to an IOVA the tables do not map: SMMUv3 records a translation
 * fault event for it and refuses the access, which the engine ends as a
 * bus error (spec 5) at that IOVA after the bytes before it.
 */
static void test_fault_smmuv3(void)
{
    Fixture f;
    uint64_t iova;

    start_mapped(&f, 0x10000, 0x2000);
    assert_bus_error(&f, run(&f, 0, SRC_IOVA, DST_IOVA, 0x4000),
                     DST_IOVA + 0x2000, 0x2000);
    g_assert_cmpuint(vcm_smmuv3_events(&f.smmu), >=, 1);
    g_assert_cmphex(vcm_smmuv3_event_type(&f.smmu, 0, &iova), ==, 0x10);
    g_assert_cmphex(iova, ==, DST_IOVA + 0x2000);
    qtest_quit(f.qts);
}

/*
 * Bus mastering off behind SMMUv3: the function's DMA address space maps
 * nothing, not even the SMMU, so the first read of a copy is refused
 * before any translation and the engine ends it as a bus error at the
 * source (spec 5), with nothing written and no SMMU event. The engine
 * looks for the IOMMU in that empty memory map, which used to reach
 * bsearch() with a NULL array (qemu-patches/0010, found by the
 * vcm-dma-pci fuzz target). With mastering back on, the copy goes
 * through.
 */
static void test_bus_master_off(void)
{
    uint64_t command = VCM_PCIE_ECAM + (DEVFN << 12) + PCI_COMMAND;
    Fixture f;

    start_mapped(&f, 0x1000, 0x1000);
    fill_pattern(&f, SRC_PA, 0x1000, 0x5A);
    qtest_memset(f.qts, DST_PA, 0, 0x1000);
    qtest_writew(f.qts, command, PCI_COMMAND_MEMORY);

    assert_bus_error(&f, run(&f, 0, SRC_IOVA, DST_IOVA, 0x1000), SRC_IOVA, 0);
    g_assert_cmphex(qtest_readl(f.qts, DST_PA), ==, 0);
    g_assert_cmpuint(vcm_smmuv3_events(&f.smmu), ==, 0);

    qtest_writew(f.qts, command, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    g_assert_cmphex(run(&f, 0, SRC_IOVA, DST_IOVA, 0x1000), ==, ST_DONE);
    check_pattern(&f, DST_PA, 0x1000, 0x5A);
    qtest_quit(f.qts);
}

/*
 * STRTAB_BASE_CFG.LOG2SIZE is a six-bit field, and 63 describes a linear
 * stream table larger than the address space. SMMUv3 aligns the table's
 * base to its size: here to the whole address space (qemu-patches/0009;
 * the alignment mask was a shift by a negative count before, found by
 * the vcm-dma-pci fuzz target). Stream 0x18's STE is then read at
 * 0x18 * 64 in virt's flash, which is blank: an invalid STE, so the
 * copy's first access is refused with a C_BAD_STE event.
 */
static void test_strtab_log2size(void)
{
    Fixture f;
    uint64_t iova;

    start_mapped(&f, 0x1000, 0x1000);
    qtest_writel(f.qts, SMMU_STRTAB_CFG, 63);           /* FMT linear */

    assert_bus_error(&f, run(&f, 0, SRC_IOVA, DST_IOVA, 0x1000), SRC_IOVA, 0);
    g_assert_cmpuint(vcm_smmuv3_events(&f.smmu), >=, 1);
    g_assert_cmphex(vcm_smmuv3_event_type(&f.smmu, 0, &iova), ==,
                    EVT_C_BAD_STE);
    qtest_quit(f.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vcm-dma-pci/registers", test_registers);
    qtest_add_func("/vcm-dma-pci/smmuv3/copy", test_copy_smmuv3);
    qtest_add_func("/vcm-dma-pci/smmuv3/fault", test_fault_smmuv3);
    qtest_add_func("/vcm-dma-pci/bus-master-off", test_bus_master_off);
    qtest_add_func("/vcm-dma-pci/smmuv3/strtab-log2size-63",
                   test_strtab_log2size);
    return g_test_run();
}
