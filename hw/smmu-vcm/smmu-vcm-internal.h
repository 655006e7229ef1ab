/*
 * smmu-vcm: register map and the interface between the MMIO front end
 * (smmu-vcm.c) and the translation pipeline (smmu-vcm-xlate.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every register and field is defined here once (docs/specs/smmu-vcm.rst
 * section 1); masks used anywhere in the model derive from these.
 */

#ifndef HW_SMMU_VCM_INTERNAL_H
#define HW_SMMU_VCM_INTERNAL_H

#include "hw/registerfields.h"
#include "hw/smmu-vcm/smmu-vcm.h"

/* spec 1.3: context bank registers, offsets within a bank */
REG32(SCTLR, 0x000)
    FIELD(SCTLR, M, 0, 1)
    FIELD(SCTLR, TRE, 1, 1)
    FIELD(SCTLR, AFE, 2, 1)
    FIELD(SCTLR, HAF, 3, 1)
    FIELD(SCTLR, BE, 4, 1)
    FIELD(SCTLR, AFFD, 5, 1)
REG32(ACTLR, 0x004)
    FIELD(ACTLR, CFERE, 0, 1)
    FIELD(ACTLR, CFEIE, 1, 1)
    FIELD(ACTLR, PTSHCFG, 2, 2)
    FIELD(ACTLR, RCOSH, 4, 1)
    FIELD(ACTLR, RCISH, 5, 1)
    FIELD(ACTLR, RCNSH, 6, 1)
    FIELD(ACTLR, PRIVCFG, 8, 2)
    FIELD(ACTLR, DNA, 10, 1)
    FIELD(ACTLR, DNLV2PA, 11, 1)
    FIELD(ACTLR, TLBMCFG, 12, 2)
    FIELD(ACTLR, CFCFG, 14, 1)
    FIELD(ACTLR, TIPCF, 15, 1)
    FIELD(ACTLR, V2PCFG, 16, 2)
    FIELD(ACTLR, HUME, 18, 1)
    FIELD(ACTLR, PTMTCFG, 20, 4)
REG32(CONTEXTIDR, 0x008)
    FIELD(CONTEXTIDR, ASID, 0, 8)
REG32(TTBR0, 0x010)
REG32(TTBR1, 0x014)
REG32(TTBCR, 0x018)
    FIELD(TTBCR, N, 0, 3)
    FIELD(TTBCR, PD0, 4, 1)
    FIELD(TTBCR, PD1, 5, 1)
/* PAR (0x01C) and PRRR (0x034) are in smmu-vcm-walk.h */
REG32(FSR, 0x020)
    FIELD(FSR, TF, 1, 1)
    FIELD(FSR, CAUSES, 1, 7)    /* TF .. MHF: interrupt sources */
    FIELD(FSR, SL, 16, 1)
    FIELD(FSR, SS, 30, 1)
    FIELD(FSR, MULTI, 31, 1)
REG32(FSRRESTORE, 0x024)
REG32(FAR, 0x028)
REG32(FSYNR0, 0x02C)
    FIELD(FSYNR0, AMID, 0, 8)
REG32(FSYNR1, 0x030)
    FIELD(FSYNR1, APRIV, 5, 1)
    FIELD(FSYNR1, AWRITE, 8, 1)
REG32(NMRR, 0x038)
REG32(TLBLCKR, 0x03C)
    FIELD(TLBLCKR, LKE, 0, 1)
    FIELD(TLBLCKR, TLBIALLCFG, 1, 1)
    FIELD(TLBLCKR, TLBIASIDCFG, 2, 1)
    FIELD(TLBLCKR, TLBIVAACFG, 3, 1)
    FIELD(TLBLCKR, FLOOR, 8, 8)
REG32(V2PSR, 0x040)
    FIELD(V2PSR, HIT, 0, 1)
    FIELD(V2PSR, INDEX, 8, 8)
REG32(TLBFLPTER, 0x044)
REG32(TLBSLPTER, 0x048)
REG32(BFBCR, 0x04C)
    FIELD(BFBCR, BFBDFE, 0, 1)
    FIELD(BFBCR, SFVS, 1, 1)
    FIELD(BFBCR, FLVIC, 2, 1)
    FIELD(BFBCR, SLVIC, 4, 8)

/* spec 1.4: context bank operations (write-only, read as zero) */
REG32(CTX_TLBIALL, 0x800)
REG32(TLBIASID, 0x804)
    FIELD(TLBIASID, ASID, 0, 8)
REG32(TLBIVA, 0x808)
    FIELD(TLBIVA, ASID, 0, 8)
    FIELD(TLBIVA, VA, 12, 20)
REG32(TLBIVAA, 0x80C)
    FIELD(TLBIVAA, VA, 12, 20)
REG32(V2PPR, 0x810)
    FIELD(V2PPR, VA, 12, 20)
REG32(V2PPW, 0x814)
REG32(V2PUR, 0x818)
REG32(V2PUW, 0x81C)
REG32(RESUME, 0x820)
    FIELD(RESUME, TNR, 0, 1)

/* spec 1.1: context bank n is the 4 KiB at n << 12 */
#define SMMU_VCM_BANK_SHIFT 12
#define SMMU_VCM_BANK_MASK  ((1u << SMMU_VCM_BANK_SHIFT) - 1)

/* spec 1.1: the MID map, context attributes and global registers */
#define A_M2VCBR_BASE   0xFF000
#define A_CBACR_BASE    0xFF800
#define A_GLOBAL_BASE   0xFFE00
FIELD(M2VCBR, VMID, 0, 5)
FIELD(M2VCBR, CBNDX, 8, 8)
FIELD(M2VCBR, BYPASSD, 16, 1)
FIELD(M2VCBR, BPRCOSH, 17, 1)
FIELD(M2VCBR, BPRCISH, 18, 1)
FIELD(M2VCBR, BPRCNSH, 19, 1)
FIELD(M2VCBR, BPSHCFG, 20, 2)
FIELD(M2VCBR, NSCFG, 22, 2)
FIELD(M2VCBR, BPMTCFG, 24, 1)
FIELD(M2VCBR, BPMEMTYPE, 25, 3)
FIELD(CBACR, RWVMID, 0, 5)
FIELD(CBACR, RWE, 8, 1)
FIELD(CBACR, RWGE, 9, 1)
FIELD(CBACR, CBVMID, 16, 5)
FIELD(CBACR, IRPTNDX, 24, 8)
REG32(TLBRSW, 0xFFE00)
    FIELD(TLBRSW, INDEX, 0, 8)
    FIELD(TLBRSW, WAY, 8, 2)
REG32(TLBTR0, 0xFFE80)
    FIELD(TLBTR0, PERMS, 0, 4)  /* PR PW UR UW */
    FIELD(TLBTR0, XN, 4, 1)
    FIELD(TLBTR0, NSDESC, 6, 1)
    FIELD(TLBTR0, SH, 8, 1)
    FIELD(TLBTR0, DPSIZR, 16, 2)
REG32(TLBTR1, 0xFFE84)
    FIELD(TLBTR1, VMID, 0, 5)
    FIELD(TLBTR1, PA, 12, 20)
REG32(TLBTR2, 0xFFE88)
    FIELD(TLBTR2, ASID, 0, 8)
    FIELD(TLBTR2, V, 8, 1)
    FIELD(TLBTR2, VA, 12, 20)
REG32(TESTBUSCR, 0xFFE8C)
REG32(GLOBAL_TLBIALL, 0xFFF00)
REG32(TLBIVMID, 0xFFF04)
    FIELD(TLBIVMID, VMID, 0, 5)
REG32(CR, 0xFFF80)
    FIELD(CR, SMMUTE, 0, 1)
    FIELD(CR, SMMUIE, 1, 1)
    FIELD(CR, SMMUEE, 2, 1)
    FIELD(CR, RES3, 3, 1)
    FIELD(CR, CLIENTPD, 4, 1)
    FIELD(CR, STALLD, 5, 1)
    FIELD(CR, TLBLKCRWE, 6, 1)
    FIELD(CR, CR_USFCFG, 7, 1)
    FIELD(CR, SSDCFG, 8, 1)
    FIELD(CR, SCTLR_M_USE, 9, 1)
REG32(EAR, 0xFFF84)
REG32(ESR, 0xFFF88)
    FIELD(ESR, CFG, 0, 1)
    FIELD(ESR, BYPASS, 1, 1)
    FIELD(ESR, MULTI, 31, 1)
REG32(ESRRESTORE, 0xFFF8C)
REG32(ESYNR0, 0xFFF90)
    FIELD(ESYNR0, AMID, 0, 8)
REG32(ESYNR1, 0xFFF94)
REG32(REV, 0xFFFF4)
    FIELD(REV, MINOR, 0, 4)
    FIELD(REV, MAJOR, 4, 4)
REG32(IDR, 0xFFFF8)
    FIELD(IDR, NM2VCBMT, 0, 9)
    FIELD(IDR, HTW, 9, 1)
    FIELD(IDR, HUM, 10, 1)
    FIELD(IDR, TLBSIZE, 12, 4)
    FIELD(IDR, NCB, 16, 8)
    FIELD(IDR, NIRPT, 24, 8)
REG32(RPU_ACR, 0xFFFFC)

/* The mask of fields FIRST .. LAST of a register, both included */
#define SMMU_VCM_FIELDS(reg, first, last) \
    (MAKE_64BIT_MASK(R_##reg##_##first##_SHIFT, \
                     R_##reg##_##last##_SHIFT + R_##reg##_##last##_LENGTH - \
                     R_##reg##_##first##_SHIFT))

/* spec 1.2/1.3: the bits a register stores, the rest read as zero */
#define SMMU_VCM_M2VCBR_RW  (R_M2VCBR_VMID_MASK | \
                             SMMU_VCM_FIELDS(M2VCBR, CBNDX, BPMEMTYPE))
#define SMMU_VCM_CBACR_RW   (R_CBACR_RWVMID_MASK | R_CBACR_RWE_MASK | \
                             R_CBACR_RWGE_MASK | R_CBACR_CBVMID_MASK | \
                             R_CBACR_IRPTNDX_MASK)
#define SMMU_VCM_CR_RW      SMMU_VCM_FIELDS(CR, SMMUTE, SCTLR_M_USE)
#define SMMU_VCM_TLBRSW_RW  (R_TLBRSW_INDEX_MASK | R_TLBRSW_WAY_MASK)
#define SMMU_VCM_FSR_RECORDED (R_FSR_CAUSES_MASK | R_FSR_SS_MASK)

/*
 * A context bank's registers as the translation pipeline needs them,
 * decoded whenever a register they depend on is written.
 */
typedef struct SMMUVCMCtxConfig {
    bool translate;             /* SCTLR.M */
    bool tre;                   /* SCTLR.TRE: PRRR remaps TEX[0]:C:B */
    bool stall;                 /* ACTLR.CFCFG */
    bool abort;                 /* ACTLR.CFERE */
    uint8_t tlbmcfg;            /* ACTLR.TLBMCFG */
    uint8_t v2pcfg;             /* ACTLR.V2PCFG */
    uint8_t privcfg;            /* ACTLR.PRIVCFG */
    SMMUVCMWalkConfig walk;     /* TTBR0/1, TTBCR, SCTLR.AFE/AFFD */
    SMMUVCMTLBTag tag;          /* bank, CBACR.CBVMID, CONTEXTIDR.ASID */
} SMMUVCMCtxConfig;

/* What one translation decided (smmu_vcm_decide_ctx) */
typedef enum SMMUVCMVerdict {
    SMMU_VCM_TRANSLATED,        /* through the context's tables */
    SMMU_VCM_BYPASS,            /* flat: CR.CLIENTPD, or SCTLR.M = 0 */
    SMMU_VCM_GLOBAL_ERROR,      /* spec 3.1: bad routing, see esr */
    SMMU_VCM_CONTEXT_FAULT,     /* spec 3.7: fault and level */
} SMMUVCMVerdict;

/* Where a translation was found */
typedef enum SMMUVCMSource {
    SMMU_VCM_FROM_NOWHERE,
    SMMU_VCM_FROM_MICRO_TLB,
    SMMU_VCM_FROM_TLB,
    SMMU_VCM_FROM_WALK,
} SMMUVCMSource;

/* Which caches a lookup may use (translation: TLBMCFG; V2P: V2PCFG) */
typedef struct SMMUVCMLookup {
    bool tlb;                   /* look in the shared TLB first */
    bool walk;                  /* walk the tables when the TLB misses */
    uint32_t hint;              /* TLB entry to try before the index */
} SMMUVCMLookup;

/*
 * QEMU builds with -ftrivial-auto-var-init=zero, which would clear a
 * whole outcome (144 bytes, a "rep stos") on every translation before
 * smmu_vcm_outcome_init() sets its scalars: a fifth of what a 4K
 * translation costs above QEMU's own path. Its walk and translation are
 * read only where "walked" and "source" say they were written. (GCC 12
 * and clang 14, the compilers of the build, know the attribute.)
 */
#define SMMU_VCM_UNINITIALIZED __attribute__((uninitialized))

typedef struct SMMUVCMOutcome {
    SMMUVCMVerdict verdict;
    unsigned ctx;
    uint32_t esr;               /* GLOBAL_ERROR: R_ESR_CFG or BYPASS mask */
    SMMUVCMFault fault;         /* CONTEXT_FAULT */
    uint8_t level;
    bool user;                  /* the privilege after ACTLR.PRIVCFG */
    SMMUVCMSource source;
    int tlb_index;              /* FROM_TLB: the entry */
    bool tlb_missed;            /* the TLB was looked in and missed */
    SMMUVCMWalkResult walk;     /* FROM_WALK, or a walk that faulted */
    bool walked;
    SMMUVCMTranslation t;       /* TRANSLATED */
    bool in_run;                /* FROM_TLB: a page answered as a run */
} SMMUVCMOutcome;

/* smmu-vcm-xlate.c */
void smmu_vcm_decode_ctx(SMMUVCMState *s, unsigned ctx);
void smmu_vcm_v2p(SMMUVCMState *s, unsigned ctx, uint32_t value,
                  bool write, bool user);
void smmu_vcm_resume(SMMUVCMState *s, unsigned ctx, bool terminate);
extern const TypeInfo smmu_vcm_iommu_mr_info;

/* smmu-vcm.c */
void smmu_vcm_update_irq(SMMUVCMState *s);
uint32_t smmu_vcm_idr(const SMMUVCMState *s);

/* A statistic: its QOM property and where the device keeps it */
typedef struct SMMUVCMStatInfo {
    const char *name;
    size_t offset;              /* of a uint64_t in SMMUVCMState */
    const char *desc;
} SMMUVCMStatInfo;

extern const SMMUVCMStatInfo smmu_vcm_stat_info[];
extern const size_t smmu_vcm_stat_count;

static inline uint64_t *smmu_vcm_stat_ptr(SMMUVCMState *s, size_t i)
{
    return (uint64_t *)((char *)s + smmu_vcm_stat_info[i].offset);
}

/* smmu-vcm-info.c: the "info-json" property's getter */
char *smmu_vcm_info_json(Object *obj, Error **errp);

static inline uint32_t *smmu_vcm_ctx_reg(SMMUVCMState *s, unsigned ctx,
                                         unsigned reg)
{
    return &s->ctx[ctx].regs[reg];
}

#endif
