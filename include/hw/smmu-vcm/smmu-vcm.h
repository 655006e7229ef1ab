/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QEMU interface:
 *  + sysbus MMIO region 0: the 1 MiB register window
 *  + sysbus IRQ 0: non-secure context fault interrupt (level)
 *  + sysbus IRQ 1: secure context fault interrupt (level)
 *  + QOM property "downstream": MemoryRegion link, where table walks
 *    read and translated transactions go (default: system memory)
 *  + QOM properties "num-contexts", "num-mids", "tlb-entries",
 *    "check-stale" and the test knobs "x-fault-sl", "x-fault-multi",
 *    "x-force-abort"; read-only statistics (see smmu_vcm_stats)
 *  + for each master ID, an IOMMU memory region covering the 32-bit
 *    input address space, handed to the master that connects with
 *    smmu_vcm_connect_master(); a master that can wait for RESUME
 *    implements TYPE_SMMU_VCM_STALLABLE.
 */

#ifndef HW_SMMU_VCM_SMMU_VCM_H
#define HW_SMMU_VCM_SMMU_VCM_H

#include "qemu/units.h"
#include "hw/sysbus.h"
#include "hw/smmu-vcm/smmu-vcm-tlb.h"
#include "exec/memory.h"
#include "qom/object.h"

#define TYPE_SMMU_VCM "smmu-vcm"
#define TYPE_SMMU_VCM_IOMMU_MEMORY_REGION "smmu-vcm-iommu-memory-region"
OBJECT_DECLARE_SIMPLE_TYPE(SMMUVCMState, SMMU_VCM)

/*
 * A master that can hold a faulting transaction until the guest writes
 * RESUME (docs/specs/smmu-vcm.rst 3.9). When one of its accesses faults
 * in a context that stalls, the SMMU calls park() before the access ends
 * (with an abort); a RESUME write to the context the master is routed to
 * calls resume(), which retries or terminates the parked access.
 */
#define TYPE_SMMU_VCM_STALLABLE "smmu-vcm-stallable"
typedef struct SMMUVCMStallableClass SMMUVCMStallableClass;
DECLARE_CLASS_CHECKERS(SMMUVCMStallableClass, SMMU_VCM_STALLABLE,
                       TYPE_SMMU_VCM_STALLABLE)
#define SMMU_VCM_STALLABLE(obj) \
    INTERFACE_CHECK(SMMUVCMStallable, (obj), TYPE_SMMU_VCM_STALLABLE)
typedef struct SMMUVCMStallable SMMUVCMStallable;

struct SMMUVCMStallableClass {
    InterfaceClass parent_class;

    void (*park)(SMMUVCMStallable *master, uint32_t va);
    void (*resume)(SMMUVCMStallable *master, bool terminate);
};

/* spec 1.1: 1 MiB window, globals at the top, context bank n at n << 12 */
#define SMMU_VCM_MMIO_SIZE      0x100000
#define SMMU_VCM_MAX_CONTEXTS   128     /* Linux msm_iommu IOMMU_MAX_CBS */
#define SMMU_VCM_MAX_MIDS       512     /* IDR.NM2VCBMT is 9 bits */
#define SMMU_VCM_MAX_TLB        16384
#define SMMU_VCM_NUM_IRQS       2       /* spec 3.8: non-secure, secure */
#define SMMU_VCM_CTX_REGS       (0x50 / 4)  /* SCTLR .. BFBCR */

/* The input address space of one master ID: a 32-bit VA. */
#define SMMU_VCM_VA_SIZE        (4 * GiB)

typedef struct SMMUVCMMaster {
    IOMMUMemoryRegion iommu;
    SMMUVCMState *smmu;
    uint32_t mid;
    Object *connected;          /* the master using this MID, if any */
    SMMUVCMStallable *stallable;    /* the same, if it can stall */
    SMMUVCMMicroTLB utlb;
} SMMUVCMMaster;

typedef struct SMMUVCMContext {
    uint32_t regs[SMMU_VCM_CTX_REGS];
} SMMUVCMContext;

typedef struct SMMUVCMStats {
    uint64_t translations;
    uint64_t tlb_hits;
    uint64_t tlb_misses;
    uint64_t walks;
    uint64_t desc_reads;
    uint64_t invalidations;     /* maintenance operations executed */
    uint64_t faults;
    uint64_t stalls;
    uint64_t stale_hits;
} SMMUVCMStats;

/* Per context bank: how its translations used the shared TLB */
typedef struct SMMUVCMCtxStats {
    uint64_t tlb_hits;
    uint64_t tlb_misses;
} SMMUVCMCtxStats;

typedef struct SMMUVCMCtxConfig SMMUVCMCtxConfig;

struct SMMUVCMState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq[SMMU_VCM_NUM_IRQS];
    SMMUVCMMaster *masters;     /* num_mids of them, built at realize */
    MemoryRegion *downstream_mr;
    AddressSpace downstream;    /* where walks read and output goes */
    MemoryRegion raz_wi;        /* target of terminated RAZ/WI accesses */
    AddressSpace raz_wi_as;
    MemoryRegion abort;         /* target of aborted and stalled ones */
    AddressSpace abort_as;

    /* registers (spec 1) */
    SMMUVCMContext ctx[SMMU_VCM_MAX_CONTEXTS];
    uint32_t m2vcbr[SMMU_VCM_MAX_MIDS];
    uint32_t cbacr[SMMU_VCM_MAX_CONTEXTS];
    uint32_t cr;
    uint32_t tlbrsw;
    uint32_t tlbtr[3];
    uint32_t testbuscr;
    uint32_t ear;
    uint32_t esr;
    uint32_t esynr0;
    uint32_t esynr1;
    uint32_t rpu_acr;

    /* derived from the registers */
    SMMUVCMCtxConfig *config;   /* SMMU_VCM_MAX_CONTEXTS of them */
    uint64_t config_gen;        /* bumped by writes that change routing */

    SMMUVCMTLB tlb;
    SMMUVCMStats stats;
    SMMUVCMCtxStats ctx_stats[SMMU_VCM_MAX_CONTEXTS];
    bool stall_unimp_logged;

    /* properties */
    uint32_t num_contexts;
    uint32_t num_mids;
    uint32_t tlb_entries;
    bool check_stale;
    bool tlb_runs;
    bool fault_sl;
    bool fault_multi;
    bool force_abort;
};

/*
 * Connect @master to the SMMU as master ID @mid: returns the IOMMU
 * memory region its transactions go through, or NULL with @errp set when
 * @mid is out of range or already taken.
 */
IOMMUMemoryRegion *smmu_vcm_connect_master(SMMUVCMState *s, uint32_t mid,
                                           Object *master, Error **errp);

#endif
