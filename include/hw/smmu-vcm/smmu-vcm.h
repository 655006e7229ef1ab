/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_SMMU_VCM_SMMU_VCM_H
#define HW_SMMU_VCM_SMMU_VCM_H

#include "hw/sysbus.h"
#include "hw/smmu-vcm/smmu-vcm-tlb.h"
#include "exec/memory.h"
#include "qom/object.h"

#define TYPE_SMMU_VCM "smmu-vcm"
#define TYPE_SMMU_VCM_IOMMU_MEMORY_REGION "smmu-vcm-iommu-memory-region"
OBJECT_DECLARE_SIMPLE_TYPE(SMMUVCMState, SMMU_VCM)

/* spec 1.1: 1 MiB window, globals at the top, context bank n at n << 12 */
#define SMMU_VCM_MMIO_SIZE      0x100000
#define SMMU_VCM_MAX_CONTEXTS   128     /* Linux msm_iommu IOMMU_MAX_CBS */
#define SMMU_VCM_MAX_MIDS       512     /* IDR.NM2VCBMT is 9 bits */
#define SMMU_VCM_MAX_TLB        16384
#define SMMU_VCM_NUM_IRQS       2       /* spec 3.8: non-secure, secure */
#define SMMU_VCM_CTX_REGS       (0x50 / 4)  /* SCTLR .. BFBCR */

/* The input address space of one master ID: a 32-bit VA. */
#define SMMU_VCM_VA_SIZE        (4 * GiB)

/* How the latest access of a master ended, for masters that ask. */
typedef enum SMMUVCMMasterFault {
    SMMU_VCM_MASTER_OK,
    SMMU_VCM_MASTER_ABORTED,    /* terminated with an abort (CFERE=1) */
    SMMU_VCM_MASTER_RAZ_WI,     /* terminated, read as zero (CFERE=0) */
    SMMU_VCM_MASTER_STALLED,    /* parked until the context's RESUME */
} SMMUVCMMasterFault;

/* Called on a RESUME write for a master that stalled: retry or terminate. */
typedef void SMMUVCMResumeFn(void *opaque, bool terminate);

/*
 * A master's own cache of its last translations (a copy has a source and
 * a destination), valid while the shared TLB and the configuration are
 * unchanged.
 */
#define SMMU_VCM_UTLB_SIZE  2

typedef struct SMMUVCMMicroTLB {
    bool valid;
    uint8_t ctx;
    SMMUVCMTranslation t;
} SMMUVCMMicroTLB;

typedef struct SMMUVCMMaster {
    IOMMUMemoryRegion iommu;
    SMMUVCMState *smmu;
    uint32_t mid;
    SMMUVCMMasterFault last_fault;
    uint32_t last_fault_addr;
    SMMUVCMResumeFn *resume;        /* set by masters that can stall */
    void *resume_opaque;

    SMMUVCMMicroTLB utlb[SMMU_VCM_UTLB_SIZE];
    unsigned utlb_next;
    uint64_t utlb_tlb_gen;
    uint64_t utlb_config_gen;
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

struct SMMUVCMState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq[SMMU_VCM_NUM_IRQS];
    SMMUVCMMaster *masters;     /* num_mids of them, built at realize */
    AddressSpace *downstream;   /* where walks read and output goes */
    MemoryRegion raz_wi;        /* target of terminated RAZ/WI accesses */
    AddressSpace raz_wi_as;

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

    SMMUVCMTLB tlb;
    uint64_t config_gen;        /* bumped by writes that change routing */
    SMMUVCMStats stats;
    bool stall_unimp_logged;

    /* properties */
    uint32_t num_contexts;
    uint32_t num_mids;
    uint32_t tlb_entries;
    bool check_stale;
    bool fault_sl;
    bool fault_multi;
    bool force_abort;

    /* allocated by the platform-bus FDT code (hw/core/sysbus-fdt.c) */
    uint32_t fdt_phandle;
};

/*
 * The IOMMU memory region that master @mid's transactions go through,
 * or NULL with @errp set when @mid is out of range.
 */
IOMMUMemoryRegion *smmu_vcm_get_master_mr(SMMUVCMState *s, uint32_t mid,
                                          Error **errp);

/* A master that can wait for RESUME registers here (spec 3.9). */
void smmu_vcm_set_resume_handler(SMMUVCMState *s, uint32_t mid,
                                 SMMUVCMResumeFn *fn, void *opaque);

/*
 * Masters that can stall bracket each access: begin, access, then ask
 * how it ended and where its first fault was.
 */
void smmu_vcm_master_begin_access(SMMUVCMState *s, uint32_t mid);
SMMUVCMMasterFault smmu_vcm_master_last_fault(SMMUVCMState *s, uint32_t mid,
                                              uint32_t *va);

#endif
