/*
 * Test helpers: QEMU's SMMUv3 on -M virt,iommu=smmuv3 and vcm-dma-pci
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Formats from the SMMUv3 architecture as hw/arm/smmuv3-internal.h
 * decodes them: a 64-byte STE (V, Config, S1ContextPtr), a 64-byte CD
 * (T0SZ, TG0, EPD1, V; IPS, AFFD, AA64, R, A, ASID; TTB0), 16-byte commands
 * and 32-byte events; stage 1 uses AArch64 long descriptors with a
 * 4 KiB granule, starting at level 1 for a 32-bit input range.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "standard-headers/linux/pci_regs.h"
#include "vcm-smmuv3.h"

#define SMMU_CR0            0x20
#define SMMU_CR0ACK         0x24
#define SMMU_CR0_SMMUEN     (1u << 0)
#define SMMU_CR0_EVENTQEN   (1u << 2)
#define SMMU_CR0_CMDQEN     (1u << 3)
#define SMMU_STRTAB_BASE    0x80
#define SMMU_STRTAB_CFG     0x88
#define SMMU_CMDQ_BASE      0x90
#define SMMU_CMDQ_PROD      0x98
#define SMMU_CMDQ_CONS      0x9c
#define SMMU_EVENTQ_BASE    0xa0
#define SMMU_EVENTQ_PROD    0x100a8
#define SMMU_EVENTQ_CONS    0x100ac
#define SMMU_GERROR         0x60

#define LOG2_STES           8       /* linear stream table: SIDs 0..255 */
#define LOG2_CMDS           8
#define LOG2_EVENTS         7
#define STRTAB(v)           ((v)->tables)
#define CDS(v)              ((v)->tables + 0x4000)  /* one per SID */
#define CMDQ(v)             ((v)->tables + 0x8000)
#define EVENTQ(v)           ((v)->tables + 0x9000)
#define FIRST_TABLE(v)      ((v)->tables + 0xa000)

#define CMD_CFGI_STE        0x03
#define CMD_TLBI_NH_ASID    0x11
#define CMD_SYNC            0x46

#define PTE_TABLE           3u
#define PTE_PAGE            3u      /* at level 3 */
#define PTE_BLOCK           1u      /* at levels 1 and 2 */
#define PTE_AF              (1u << 10)

static void wr(VCMSmmuv3 *v, uint64_t off, uint32_t val)
{
    qtest_writel(v->qts, VCM_SMMUV3_BASE + off, val);
}

static uint32_t rd(VCMSmmuv3 *v, uint64_t off)
{
    return qtest_readl(v->qts, VCM_SMMUV3_BASE + off);
}

void vcm_smmuv3_init(VCMSmmuv3 *v, QTestState *qts, uint64_t tables,
                     uint64_t size)
{
    uint32_t cr0 = SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN;

    *v = (VCMSmmuv3) {
        .qts = qts, .tables = tables, .limit = tables + size,
    };
    v->next_table = FIRST_TABLE(v);
    qtest_memset(qts, tables, 0, FIRST_TABLE(v) - tables);
    qtest_writeq(qts, VCM_SMMUV3_BASE + SMMU_STRTAB_BASE, STRTAB(v));
    wr(v, SMMU_STRTAB_CFG, LOG2_STES);                  /* FMT linear */
    qtest_writeq(qts, VCM_SMMUV3_BASE + SMMU_CMDQ_BASE, CMDQ(v) | LOG2_CMDS);
    wr(v, SMMU_CMDQ_PROD, 0);
    wr(v, SMMU_CMDQ_CONS, 0);
    qtest_writeq(qts, VCM_SMMUV3_BASE + SMMU_EVENTQ_BASE,
                 EVENTQ(v) | LOG2_EVENTS);
    wr(v, SMMU_EVENTQ_PROD, 0);
    wr(v, SMMU_EVENTQ_CONS, 0);
    wr(v, SMMU_CR0, cr0);
    g_assert_cmphex(rd(v, SMMU_CR0ACK), ==, cr0);
}

uint64_t vcm_smmuv3_table(VCMSmmuv3 *v)
{
    uint64_t t = v->next_table;

    g_assert_cmpuint(t + 0x1000, <=, v->limit);
    v->next_table += 0x1000;
    qtest_memset(v->qts, t, 0, 0x1000);
    return t;
}

/* The table that entry @index of table @table points to, made if need be */
static uint64_t next_level(VCMSmmuv3 *v, uint64_t table, unsigned index)
{
    uint64_t pte = qtest_readq(v->qts, table + 8 * index);

    if (!(pte & 1)) {
        pte = vcm_smmuv3_table(v) | PTE_TABLE;
        qtest_writeq(v->qts, table + 8 * index, pte);
    }
    return pte & 0xfffffffff000ULL;
}

void vcm_smmuv3_map(VCMSmmuv3 *v, uint64_t ttb, uint32_t va, uint64_t pa,
                    uint32_t len, uint32_t block)
{
    g_assert(block == 4096 || block == 2 * 1024 * 1024);
    for (uint64_t off = 0; off < len; off += block) {
        uint32_t a = va + off;
        uint64_t l2 = next_level(v, ttb, a >> 30);

        if (block == 4096) {
            uint64_t l3 = next_level(v, l2, (a >> 21) & 511);

            qtest_writeq(v->qts, l3 + 8 * ((a >> 12) & 511),
                         (pa + off) | PTE_AF | PTE_PAGE);
        } else {
            qtest_writeq(v->qts, l2 + 8 * ((a >> 21) & 511),
                         (pa + off) | PTE_AF | PTE_BLOCK);
        }
    }
}

static void cmd(VCMSmmuv3 *v, uint32_t w0, uint32_t w1)
{
    uint64_t slot = CMDQ(v) + 16 * (v->cmdq_prod & ((1 << LOG2_CMDS) - 1));
    uint32_t words[4] = { w0, w1, 0, 0 };

    qtest_memwrite(v->qts, slot, words, sizeof(words));
    v->cmdq_prod = (v->cmdq_prod + 1) & ((2 << LOG2_CMDS) - 1);
    wr(v, SMMU_CMDQ_PROD, v->cmdq_prod);
    /* the SMMU consumes the queue inside the PROD write */
    g_assert_cmphex(rd(v, SMMU_CMDQ_CONS), ==, v->cmdq_prod);
    g_assert_cmphex(rd(v, SMMU_GERROR), ==, 0);
}

void vcm_smmuv3_attach(VCMSmmuv3 *v, uint32_t sid, uint16_t asid,
                       uint64_t ttb)
{
    uint64_t cd = CDS(v) + 64 * sid;
    uint32_t cd_words[16] = {
        /* T0SZ 32, TG0 4 KiB, EPD1, V */
        [0] = 32 | 1u << 30 | 1u << 31,
        /* IPS 40 bits, AFFD, AA64, R (record faults), A, ASID */
        [1] = 2 | 1u << 3 | 1u << 9 | 1u << 13 | 1u << 14 |
              (uint32_t)asid << 16,
        [2] = ttb, [3] = ttb >> 32,
    };
    uint32_t ste[16] = {
        /* V, Config S1 translate, S1Fmt linear, S1ContextPtr */
        [0] = 1 | 5u << 1 | (uint32_t)cd,
        [1] = cd >> 32,
    };

    g_assert_cmpuint(sid, <, 1 << LOG2_STES);
    qtest_memwrite(v->qts, cd, cd_words, sizeof(cd_words));
    qtest_memwrite(v->qts, STRTAB(v) + 64 * sid, ste, sizeof(ste));
    cmd(v, CMD_CFGI_STE, sid);
    cmd(v, CMD_SYNC, 0);
}

void vcm_smmuv3_inv_asid(VCMSmmuv3 *v, uint16_t asid)
{
    cmd(v, CMD_TLBI_NH_ASID, (uint32_t)asid << 16);
    cmd(v, CMD_SYNC, 0);
}

uint32_t vcm_smmuv3_events(VCMSmmuv3 *v)
{
    return rd(v, SMMU_EVENTQ_PROD) & ((2 << LOG2_EVENTS) - 1);
}

uint8_t vcm_smmuv3_event_type(VCMSmmuv3 *v, uint32_t n, uint64_t *iova)
{
    uint64_t ev = EVENTQ(v) + 32 * (n & ((1 << LOG2_EVENTS) - 1));

    *iova = qtest_readq(v->qts, ev + 16);       /* InputAddr */
    return qtest_readl(v->qts, ev) & 0xff;
}

void vcm_dma_pci_enable(QTestState *qts, int devfn, uint32_t bar)
{
    uint64_t cfg = VCM_PCIE_ECAM + ((uint64_t)devfn << 12);

    qtest_writel(qts, cfg + PCI_BASE_ADDRESS_0, bar);
    qtest_writew(qts, cfg + PCI_COMMAND,
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}
