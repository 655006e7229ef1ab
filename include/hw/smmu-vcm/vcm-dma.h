/*
 * vcm-dma: the DMA master that sits behind smmu-vcm (docs/specs/vcm-dma.rst)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QEMU interface:
 *  + sysbus MMIO region 0: the 4 KiB register window
 *  + sysbus IRQ 0: DONE, ERROR or STALLED while CTRL.IRQ_EN (level)
 *  + QOM property "iommu": link to the smmu-vcm it masters through
 *    (unset: system memory, untranslated); "mid": its master ID;
 *    "x-identity-block": test knob, see docs/specs/vcm-dma.rst 6
 *  + implements TYPE_SMMU_VCM_STALLABLE: a transfer parks on a stalled
 *    fault and goes on, or ends, when the guest writes RESUME
 */

#ifndef HW_SMMU_VCM_VCM_DMA_H
#define HW_SMMU_VCM_VCM_DMA_H

#include "hw/sysbus.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "hw/smmu-vcm/vcm-dma-engine.h"
#include "qom/object.h"

#define TYPE_VCM_DMA "vcm-dma"
OBJECT_DECLARE_SIMPLE_TYPE(VCMDMAState, VCM_DMA)

#define TYPE_VCM_DMA_IDENTITY_IOMMU_MR "vcm-dma-identity-iommu-memory-region"

struct VCMDMAState {
    SysBusDevice parent_obj;

    VCMDMAEngine engine;
    AddressSpace dma_as;    /* through the SMMU, or system memory */
    IOMMUMemoryRegion identity;     /* x-identity-block */

    /* properties */
    SMMUVCMState *smmu;
    uint32_t mid;
    uint32_t identity_block;
};

#endif
