/*
 * Test helpers: QEMU's SMMUv3 on -M virt,iommu=smmuv3 programmed the way
 * a driver would (a linear stream table, one context descriptor per
 * stream, AArch64 4 KiB-granule stage-1 tables, the command queue), and
 * a PCI function on virt's PCIe root bus enabled without firmware.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VCM_SMMUV3_H
#define VCM_SMMUV3_H

#include "libqtest.h"

#define VCM_SMMUV3_BASE     0x09050000ULL   /* virt's VIRT_SMMU */
#define VCM_PCIE_ECAM       0x4010000000ULL /* virt's VIRT_HIGH_PCIE_ECAM */
#define VCM_PCIE_MMIO       0x10000000u     /* virt's VIRT_PCIE_MMIO */

typedef struct VCMSmmuv3 {
    QTestState *qts;
    uint64_t tables;        /* guest RAM the helper owns */
    uint64_t next_table;    /* page-table pages, handed out in order */
    uint64_t limit;
    uint32_t cmdq_prod;     /* with its wrap bit */
} VCMSmmuv3;

/* Enable the SMMU with its queues in [@tables, @tables + @size). */
void vcm_smmuv3_init(VCMSmmuv3 *v, QTestState *qts, uint64_t tables,
                     uint64_t size);

/* A zeroed page for a translation table */
uint64_t vcm_smmuv3_table(VCMSmmuv3 *v);

/*
 * Map [@va, @va + @len) to @pa with 4 KiB pages or 2 MiB blocks
 * (@block), read/write, in the 32-bit (T0SZ 32) table at @ttb.
 */
void vcm_smmuv3_map(VCMSmmuv3 *v, uint64_t ttb, uint32_t va, uint64_t pa,
                    uint32_t len, uint32_t block);

/* Stream @sid translates with stage 1 through @ttb under @asid. */
void vcm_smmuv3_attach(VCMSmmuv3 *v, uint32_t sid, uint16_t asid,
                       uint64_t ttb);

/* Invalidate every TLB entry of @asid (CMD_TLBI_NH_ASID, CMD_SYNC). */
void vcm_smmuv3_inv_asid(VCMSmmuv3 *v, uint16_t asid);

/* Events the SMMU wrote to its event queue so far */
uint32_t vcm_smmuv3_events(VCMSmmuv3 *v);
/* The type of event @n (SMMU_EVT_*: 0x10 is F_TRANSLATION) and its IOVA */
uint8_t vcm_smmuv3_event_type(VCMSmmuv3 *v, uint32_t n, uint64_t *iova);

/*
 * The function at @devfn of the root bus: BAR 0 (32-bit memory) at @bar,
 * in virt's PCIe MMIO window; memory decoding and bus mastering on.
 */
void vcm_dma_pci_enable(QTestState *qts, int devfn, uint32_t bar);

#endif
