/*
 * vcm-dma: the DMA master that sits behind smmu-vcm (docs/specs/vcm-dma.rst)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QEMU interface:
 *  + sysbus MMIO region 0: the 4 KiB register window
 *  + sysbus IRQ 0: DONE, ERROR or STALLED while CTRL.IRQ_EN (level)
 *  + QOM property "iommu": link to the smmu-vcm it masters through
 *    (unset: system memory, untranslated); "mid": its master ID
 *  + implements TYPE_SMMU_VCM_STALLABLE: a transfer parks on a stalled
 *    fault and goes on, or ends, when the guest writes RESUME
 */

#ifndef HW_SMMU_VCM_VCM_DMA_H
#define HW_SMMU_VCM_VCM_DMA_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "qom/object.h"

#define TYPE_VCM_DMA "vcm-dma"
OBJECT_DECLARE_SIMPLE_TYPE(VCMDMAState, VCM_DMA)

#define VCM_DMA_MMIO_SIZE   0x1000
#define VCM_DMA_R_MAX       (0x40 / 4)      /* ID .. ELAPSED_NS_HI */

/* RAM one side of a transfer last reached (not migrated: a cache) */
typedef struct VCMDMAWindow {
    AddressSpace *as;
    FlatView *map;
    MemoryRegion *mr;       /* the RAM */
    uint8_t *host;          /* where lo lies in the host */
    hwaddr lo, hi;          /* [lo, hi) of the address space is that RAM */
    hwaddr start;           /* where the RAM region starts (step bound) */
} VCMDMAWindow;

struct VCMDMAState {
    SysBusDevice parent_obj;

    qemu_irq irq;
    AddressSpace dma_as;    /* through the SMMU, or system memory */
    QEMUTimer *device_timer;    /* a device transfer goes on from here */
    unsigned map_changes;   /* memory-map changes since the last pause */
    uint8_t *buf;           /* bounce buffer of one access */
    VCMDMAWindow window[2]; /* source, destination */

    /* registers (docs/specs/vcm-dma.rst 2), through hw/register.h */
    uint32_t regs[VCM_DMA_R_MAX];
    RegisterInfo regs_info[VCM_DMA_R_MAX];
    RegisterInfoArray *reg_array;

    /* a running or parked transfer */
    uint32_t iter_done;
    int64_t start_ns;       /* QEMU_CLOCK_VIRTUAL at GO */
    int64_t running_ns;     /* migrated: how long it has run */

    /* properties */
    SMMUVCMState *smmu;
    uint32_t mid;
};

#endif
