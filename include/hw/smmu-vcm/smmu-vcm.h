/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_SMMU_VCM_SMMU_VCM_H
#define HW_SMMU_VCM_SMMU_VCM_H

#include "hw/sysbus.h"
#include "exec/memory.h"
#include "qom/object.h"

#define TYPE_SMMU_VCM "smmu-vcm"
#define TYPE_SMMU_VCM_IOMMU_MEMORY_REGION "smmu-vcm-iommu-memory-region"
OBJECT_DECLARE_SIMPLE_TYPE(SMMUVCMState, SMMU_VCM)

/* spec 1.1: 1 MiB window, globals at the top, context bank n at n << 12 */
#define SMMU_VCM_MMIO_SIZE      0x100000
#define SMMU_VCM_MAX_CONTEXTS   128     /* Linux msm_iommu IOMMU_MAX_CBS */
#define SMMU_VCM_MAX_MIDS       512     /* IDR.NM2VCBMT is 9 bits */
#define SMMU_VCM_MAX_TLB        4096
#define SMMU_VCM_NUM_IRQS       2       /* spec 3.8: non-secure, secure */

/* The input address space of one master ID: a 32-bit VA. */
#define SMMU_VCM_VA_SIZE        (4 * GiB)

typedef struct SMMUVCMMaster {
    IOMMUMemoryRegion iommu;
    SMMUVCMState *smmu;
    uint32_t mid;
} SMMUVCMMaster;

struct SMMUVCMState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq[SMMU_VCM_NUM_IRQS];
    SMMUVCMMaster *masters;     /* num_mids of them, built at realize */

    /* properties */
    uint32_t num_contexts;
    uint32_t num_mids;
    uint32_t tlb_entries;

    /* allocated by the platform-bus FDT code (hw/core/sysbus-fdt.c) */
    uint32_t fdt_phandle;
};

/*
 * The IOMMU memory region that master @mid's transactions go through,
 * or NULL with @errp set when @mid is out of range.
 */
IOMMUMemoryRegion *smmu_vcm_get_master_mr(SMMUVCMState *s, uint32_t mid,
                                          Error **errp);

#endif
