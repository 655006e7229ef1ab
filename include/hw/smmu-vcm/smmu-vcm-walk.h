/*
 * smmu-vcm page walker: ARMv7 short-descriptor tables as Linux
 * io-pgtable-arm-v7s builds them (docs/specs/smmu-vcm.rst 3.3-3.6).
 * Pure logic: descriptors come from a callback, nothing here knows QEMU's
 * device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_SMMU_VCM_WALK_H
#define HW_SMMU_VCM_WALK_H

#include "hw/registerfields.h"

/* spec 3.10: the V2P result register of a context bank */
REG32(PAR, 0x01C)
    FIELD(PAR, FAULT, 0, 1)
    FIELD(PAR, SS, 1, 1)        /* supersection */
    FIELD(PAR, MT, 4, 3)
    FIELD(PAR, SH, 7, 1)
    FIELD(PAR, NS, 9, 1)
    FIELD(PAR, NOS, 10, 1)
    FIELD(PAR, PA, 12, 20)      /* page or section: PA[31:12] */
    FIELD(PAR, SS_PA_HI, 16, 8) /* supersection: PA[39:32] */
    FIELD(PAR, SS_PA, 24, 8)    /* supersection: PA[31:24] */

/* spec 3.10: primary region remap, indexed by n = TEX[0]:C:B */
REG32(PRRR, 0x034)
    FIELD(PRRR, TR0, 0, 2)      /* TRn at 2n: memory type of n */
    FIELD(PRRR, DS0, 16, 1)     /* device shareable when S = 0 */
    FIELD(PRRR, DS1, 17, 1)     /* device shareable when S = 1 */
    FIELD(PRRR, NS0, 18, 1)     /* normal shareable when S = 0 */
    FIELD(PRRR, NS1, 19, 1)     /* normal shareable when S = 1 */
    FIELD(PRRR, NOS0, 24, 1)    /* NOSn at 24 + n: outer shareable */

/* Fault causes, in FSR bit order (spec 3.7) */
typedef enum SMMUVCMFault {
    SMMU_VCM_FAULT_NONE = 0,
    SMMU_VCM_FAULT_TRANSLATION = 1,     /* TF */
    SMMU_VCM_FAULT_ACCESS_FLAG = 2,     /* AFF */
    SMMU_VCM_FAULT_PERMISSION = 3,      /* APF */
    SMMU_VCM_FAULT_TLB_MISS = 4,        /* TLBMF */
    SMMU_VCM_FAULT_WALK_DECODE = 5,     /* HTWDEEF */
    SMMU_VCM_FAULT_WALK_SLAVE = 6,      /* HTWSEEF */
} SMMUVCMFault;

/* Result of one descriptor read */
typedef enum SMMUVCMReadStatus {
    SMMU_VCM_READ_OK,
    SMMU_VCM_READ_DECODE_ERROR,     /* nothing at that address */
    SMMU_VCM_READ_SLAVE_ERROR,      /* something there refused */
} SMMUVCMReadStatus;

typedef SMMUVCMReadStatus SMMUVCMReadDesc(void *opaque, uint64_t addr,
                                          uint32_t *desc);

/* The context registers a walk depends on */
typedef struct SMMUVCMWalkConfig {
    uint32_t ttbr0;
    uint32_t ttbr1;
    uint32_t ttbcr;
    bool afe;           /* SCTLR.AFE: AP[0] is the access flag */
    bool affd;          /* SCTLR.AFFD: no access-flag faults */
} SMMUVCMWalkConfig;

/* Block sizes of the format */
#define SMMU_VCM_SIZE_4K    0x1000u
#define SMMU_VCM_SIZE_64K   0x10000u
#define SMMU_VCM_SIZE_1M    0x100000u
#define SMMU_VCM_SIZE_16M   0x1000000u

/* Access permissions a mapping grants (decoded AP bits, spec 3.6) */
#define SMMU_VCM_PERM_PR    (1 << 0)    /* privileged read */
#define SMMU_VCM_PERM_PW    (1 << 1)    /* privileged write */
#define SMMU_VCM_PERM_UR    (1 << 2)    /* user read */
#define SMMU_VCM_PERM_UW    (1 << 3)    /* user write */

/* One translation: the mapping that covers the walked VA. */
typedef struct SMMUVCMTranslation {
    uint64_t pa_base;       /* 40-bit output address of the block */
    uint32_t va_base;       /* VA aligned down to size */
    uint32_t size;          /* SMMU_VCM_SIZE_* */
    uint8_t ap;             /* AP[2:0] */
    uint8_t perms;          /* SMMU_VCM_PERM_* under the walk's AFE */
    uint8_t tex;            /* TEX[2:0] */
    bool c, b, s, ng, ns, xn;
    uint32_t l1desc;        /* descriptors, for TLBFLPTER/TLBSLPTER */
    uint32_t l2desc;
} SMMUVCMTranslation;

typedef struct SMMUVCMWalkResult {
    SMMUVCMFault fault;     /* TF, AFF, HTWDEEF or HTWSEEF; else NONE */
    uint8_t level;          /* level of the deciding descriptor, 1 or 2 */
    bool reserved;          /* a TF caused by a reserved descriptor type */
    uint64_t fault_addr;    /* descriptor address of a walk abort */
    unsigned desc_reads;    /* descriptor reads this walk made */
    SMMUVCMTranslation t;   /* valid when fault == NONE */
} SMMUVCMWalkResult;

/* Translate @va under @cfg, reading descriptors with @read(@opaque). */
void smmu_vcm_walk(const SMMUVCMWalkConfig *cfg, uint32_t va,
                   SMMUVCMReadDesc *read, void *opaque,
                   SMMUVCMWalkResult *res);

/*
 * The PAR value of a successful translation of @va (spec 3.10): output
 * address and memory attributes, remapped through @prrr when @tre.
 */
uint32_t smmu_vcm_par_encode(const SMMUVCMTranslation *t, uint32_t va,
                             bool tre, uint32_t prrr);

/* Permissions granted by AP[2:0] under SCTLR.AFE (spec 3.6). */
uint8_t smmu_vcm_ap_perms(uint8_t ap, bool afe);

/* The permission bit an access of this kind needs. */
static inline uint8_t smmu_vcm_perm_needed(bool write, bool user)
{
    return (write ? SMMU_VCM_PERM_PW : SMMU_VCM_PERM_PR) << (user ? 2 : 0);
}

#endif
