/*
 * vcm-dma engine: the copy/fill engine shared by vcm-dma (sysbus, behind
 * smmu-vcm) and vcm-dma-pci (a PCI function, behind any QEMU IOMMU)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The registers and the transfer rules are docs/specs/vcm-dma.rst. A
 * front end embeds a VCMDMAEngine, gives it the address space its DMA
 * goes through and an interrupt line, maps its register region and
 * migrates it (vmstate_vcm_dma_engine).
 *
 * QEMU interface (of the engine, to its front end):
 *  + vcm_dma_engine_mmio(): the 4 KiB register region
 *  + VCMDMAEngine.irq: DONE, ERROR or STALLED while CTRL.IRQ_EN (level)
 *  + vcm_dma_engine_park()/vcm_dma_engine_resume(): the stall of
 *    docs/specs/vcm-dma.rst 3.2, for a front end whose IOMMU stalls
 *  + properties "x-run-steps" and "x-run-bytes" (DEFINE_PROP_VCM_DMA_RUN_*):
 *    steps one run makes, and bytes it moves, before the engine pauses
 *    (test knobs, for the fuzzers)
 */

#ifndef HW_SMMU_VCM_VCM_DMA_ENGINE_H
#define HW_SMMU_VCM_VCM_DMA_ENGINE_H

#include "exec/memory.h"
#include "hw/qdev-properties.h"
#include "hw/register.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "qemu/units.h"

/* docs/specs/vcm-dma.rst 2: the register map */
REG32(ID, 0x00)
REG32(VERSION, 0x04)
REG32(CTRL, 0x08)
    FIELD(CTRL, GO, 0, 1)
    FIELD(CTRL, ABORT, 1, 1)
    FIELD(CTRL, IRQ_EN, 2, 1)
    FIELD(CTRL, OP, 4, 1)
REG32(STATUS, 0x0C)
    FIELD(STATUS, BUSY, 0, 1)
    FIELD(STATUS, DONE, 1, 1)
    FIELD(STATUS, ERROR, 2, 1)
    FIELD(STATUS, STALLED, 3, 1)
    FIELD(STATUS, ERR_CODE, 8, 4)
REG32(SRC_LO, 0x10)
REG32(SRC_HI, 0x14)
REG32(DST_LO, 0x18)
REG32(DST_HI, 0x1C)
REG32(LEN, 0x20)
REG32(PATTERN, 0x24)
REG32(DONE_BYTES, 0x28)
REG32(FAULT_ADDR, 0x2C)
REG32(CHUNK, 0x30)
REG32(ITER, 0x34)
REG32(ELAPSED_NS_LO, 0x38)
REG32(ELAPSED_NS_HI, 0x3C)

#define VCM_DMA_MMIO_SIZE   0x1000
#define VCM_DMA_R_MAX       (R_ELAPSED_NS_HI + 1)

/*
 * Steps (accesses of one chunk or less) a run makes before the engine
 * pauses: 256 MiB in 4 KiB pages, a few milliseconds of the BQL.
 */
#define VCM_DMA_RUN_STEPS   65536
/* ... or bytes it moves (about 30 ms of copying) */
#define VCM_DMA_RUN_BYTES   (256 * MiB)

#define DEFINE_PROP_VCM_DMA_RUN_STEPS(_state, _field) \
    DEFINE_PROP_UINT32("x-run-steps", _state, _field.run_steps, \
                       VCM_DMA_RUN_STEPS)
#define DEFINE_PROP_VCM_DMA_RUN_BYTES(_state, _field) \
    DEFINE_PROP_SIZE("x-run-bytes", _state, _field.run_bytes, \
                     VCM_DMA_RUN_BYTES)

/* RAM one side of a transfer last reached (not migrated: a cache) */
typedef struct VCMDMAWindow {
    AddressSpace *as;
    FlatView *map;
    MemoryRegion *mr;       /* the RAM */
    uint8_t *host;          /* where lo lies in the host */
    hwaddr lo, hi;          /* [lo, hi) of the address space is that RAM */
    hwaddr start;           /* where the RAM region starts (step bound) */
} VCMDMAWindow;

/*
 * The IOMMU region the DMA address space showed at the last translation
 * (not migrated: a cache, kept for one run like the windows)
 */
typedef struct VCMDMAIommu {
    FlatView *map;          /* the address space's map it was found in */
    IOMMUMemoryRegion *mr;
    hwaddr lo, hi;          /* [lo, hi) of the address space is @mr */
    hwaddr offset;          /* where lo lies in @mr */
    int idx;                /* @mr's index for the engine's attributes */
} VCMDMAIommu;

/*
 * The block one side was last sent to (not migrated: a cache, kept for
 * one run while it moves RAM only; see vcm_dma_translate())
 */
typedef struct VCMDMABlock {
    bool valid;
    hwaddr lo;              /* the block is [lo, lo + mask] of @as */
    uint64_t mask;
    AddressSpace *target;   /* where the IOMMU sent it */
    hwaddr translated;      /* where lo went */
} VCMDMABlock;

typedef struct VCMDMAEngine {
    DeviceState *owner;
    AddressSpace *as;       /* where every access goes */
    bool iommu;             /* @as translates: steps end at its blocks */
    MemTxAttrs attrs;       /* of every access */
    uint32_t id;            /* master or requester ID, for messages */
    qemu_irq irq;
    QEMUTimer *device_timer;    /* a device transfer goes on from here */
    unsigned map_changes;   /* memory-map changes since the last pause */
    uint8_t *buf;           /* bounce buffer of one access */
    VCMDMAWindow window[2]; /* source, destination */
    VCMDMAIommu iommu_at;   /* where the last translation went */
    VCMDMABlock block[2];   /* source, destination */
    uint64_t translations;  /* IOTLB lookups made (statistic) */
    uint32_t run_steps;     /* property x-run-steps */
    uint64_t run_bytes;     /* property x-run-bytes */

    /* registers (docs/specs/vcm-dma.rst 2), through hw/register.h */
    uint32_t regs[VCM_DMA_R_MAX];
    RegisterInfo regs_info[VCM_DMA_R_MAX];
    RegisterInfoArray *reg_array;

    /* a running or parked transfer */
    uint32_t iter_done;
    int64_t start_ns;       /* QEMU_CLOCK_VIRTUAL at GO */
    int64_t running_ns;     /* migrated: how long it has run */
} VCMDMAEngine;

/*
 * Set @e up for @owner: its accesses go through @as with @attrs; @iommu
 * says whether @as translates (an IOMMU's blocks then bound each step).
 */
void vcm_dma_engine_realize(VCMDMAEngine *e, DeviceState *owner,
                            AddressSpace *as, bool iommu, MemTxAttrs attrs);
/* The front end's realize checks the engine's properties first. */
bool vcm_dma_engine_check_props(VCMDMAEngine *e, Error **errp);
/* ... and its class_init describes them. */
void vcm_dma_engine_describe_props(ObjectClass *klass);
void vcm_dma_engine_unrealize(VCMDMAEngine *e);
MemoryRegion *vcm_dma_engine_mmio(VCMDMAEngine *e);
void vcm_dma_engine_reset(VCMDMAEngine *e);

/* The IOMMU parks the transfer (spec 3.2) ... */
void vcm_dma_engine_park(VCMDMAEngine *e);
/* ... and later lets it retry its access, or terminates it. */
void vcm_dma_engine_resume(VCMDMAEngine *e, bool terminate);

/*
 * Migration: the front end's pre_save and post_load call these;
 * @running_known: the stream carried running_ns.
 */
void vcm_dma_engine_pre_save(VCMDMAEngine *e);
void vcm_dma_engine_post_load(VCMDMAEngine *e, bool running_known);

/*
 * The engine's migrated state, for a front end's VMSTATE_STRUCT (vcm-dma
 * keeps the layout it had before the engine was shared).
 */
extern const VMStateDescription vmstate_vcm_dma_engine;

#endif
