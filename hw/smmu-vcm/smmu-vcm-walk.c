/*
 * smmu-vcm page walker: ARMv7 short-descriptor format
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Level 1 has 4096 entries of 1 MiB (fewer with TTBCR.N > 0), each a fault,
 * a pointer to a 256-entry level-2 table, a 1 MiB section or one of 16
 * identical copies of a 16 MiB supersection. Level 2 entries are faults,
 * 4 KiB small pages or one of 16 copies of a 64 KiB large page. The field
 * positions are those of the ARMv7-A VMSA, which io-pgtable-arm-v7s
 * writes (docs/specs/smmu-vcm.rst 3.4).
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"

/* spec 3.4: descriptor type fields */
#define L1_TYPE(d)          extract32(d, 0, 2)
#define L1_TYPE_FAULT       0
#define L1_TYPE_TABLE       1
#define L1_TYPE_SECTION     2
#define L1_SUPERSECTION(d)  extract32(d, 18, 1)
#define L2_TYPE(d)          extract32(d, 0, 2)
#define L2_TYPE_FAULT       0
#define L2_TYPE_LARGE       1

uint8_t smmu_vcm_ap_perms(uint8_t ap, bool afe)
{
    const uint8_t rw = SMMU_VCM_PERM_PR | SMMU_VCM_PERM_PW;
    const uint8_t urw = SMMU_VCM_PERM_UR | SMMU_VCM_PERM_UW;

    if (afe) {
        /* spec 3.6: simplified model, AP[2] read-only, AP[1] user too */
        uint8_t perms = (ap & 2) ? rw | urw : rw;

        if (ap & 4) {
            perms &= SMMU_VCM_PERM_PR | SMMU_VCM_PERM_UR;
        }
        return perms;
    }
    switch (ap) {                       /* spec 3.6: full AP[2:0] model */
    case 1:
        return rw;
    case 2:
        return rw | SMMU_VCM_PERM_UR;
    case 3:
        return rw | urw;
    case 5:
        return SMMU_VCM_PERM_PR;
    case 6:
    case 7:
        return SMMU_VCM_PERM_PR | SMMU_VCM_PERM_UR;
    default:                            /* 0: no access; 4: reserved */
        return 0;
    }
}

/*
 * spec 3.3: TTBCR.N splits the VA space; VAs with any of the top N bits
 * set use TTBR1. Returns the level-1 descriptor address, or false when
 * TTBCR.PD0/PD1 disables walks through the selected TTBR.
 */
static bool smmu_vcm_l1_addr(const SMMUVCMWalkConfig *cfg, uint32_t va,
                             uint64_t *addr)
{
    unsigned n = extract32(cfg->ttbcr, 0, 3);
    bool use_ttbr1 = n && (va >> (32 - n));
    uint32_t base;

    if (extract32(cfg->ttbcr, use_ttbr1 ? 5 : 4, 1)) {
        return false;
    }
    if (use_ttbr1) {
        base = cfg->ttbr1 & 0xFFFFC000;
    } else {
        base = cfg->ttbr0 & ~MAKE_64BIT_MASK(0, 14 - n);
    }
    *addr = base | (va >> 20) << 2;
    return true;
}

static bool smmu_vcm_read_desc(SMMUVCMReadDesc *read, void *opaque,
                               uint64_t addr, uint8_t level, uint32_t *desc,
                               SMMUVCMWalkResult *res)
{
    res->desc_reads++;
    res->level = level;
    switch (read(opaque, addr, desc)) {
    case SMMU_VCM_READ_OK:
        return true;
    case SMMU_VCM_READ_DECODE_ERROR:
        res->fault = SMMU_VCM_FAULT_WALK_DECODE;
        break;
    default:
        res->fault = SMMU_VCM_FAULT_WALK_SLAVE;
        break;
    }
    res->fault_addr = addr;
    return false;
}

/* Sections and supersections: attributes at the same positions. */
static void smmu_vcm_decode_section(uint32_t d, SMMUVCMTranslation *t)
{
    if (L1_SUPERSECTION(d)) {
        t->size = SMMU_VCM_SIZE_16M;
        t->pa_base = (d & 0xFF000000) |
                     (uint64_t)extract32(d, 20, 4) << 32 |
                     (uint64_t)extract32(d, 5, 4) << 36;
    } else {
        t->size = SMMU_VCM_SIZE_1M;
        t->pa_base = d & 0xFFF00000;
    }
    t->b = extract32(d, 2, 1);
    t->c = extract32(d, 3, 1);
    t->xn = extract32(d, 4, 1);
    t->ap = extract32(d, 10, 2) | extract32(d, 15, 1) << 2;
    t->tex = extract32(d, 12, 3);
    t->s = extract32(d, 16, 1);
    t->ng = extract32(d, 17, 1);
    t->ns = extract32(d, 19, 1);
}

static void smmu_vcm_decode_page(uint32_t d, SMMUVCMTranslation *t)
{
    if (L2_TYPE(d) == L2_TYPE_LARGE) {
        t->size = SMMU_VCM_SIZE_64K;
        t->pa_base = d & 0xFFFF0000;
        t->tex = extract32(d, 12, 3);
        t->xn = extract32(d, 15, 1);
    } else {
        t->size = SMMU_VCM_SIZE_4K;
        t->pa_base = d & 0xFFFFF000;
        t->tex = extract32(d, 6, 3);
        t->xn = extract32(d, 0, 1);
    }
    t->b = extract32(d, 2, 1);
    t->c = extract32(d, 3, 1);
    t->ap = extract32(d, 4, 2) | extract32(d, 9, 1) << 2;
    t->s = extract32(d, 10, 1);
    t->ng = extract32(d, 11, 1);
}

/*
 * spec 3.5 step 3: the access flag is AP[0] when SCTLR.AFE=1. Permission
 * faults depend on the access and are checked by the user of the result.
 */
static void smmu_vcm_check_access_flag(const SMMUVCMWalkConfig *cfg,
                                       SMMUVCMWalkResult *res)
{
    if (cfg->afe && !cfg->affd && !(res->t.ap & 1)) {
        res->fault = SMMU_VCM_FAULT_ACCESS_FLAG;
    }
}

void smmu_vcm_walk(const SMMUVCMWalkConfig *cfg, uint32_t va,
                   SMMUVCMReadDesc *read, void *opaque,
                   SMMUVCMWalkResult *res)
{
    SMMUVCMTranslation *t = &res->t;
    uint64_t addr;
    uint32_t d;

    memset(res, 0, sizeof(*res));
    res->level = 1;
    if (!smmu_vcm_l1_addr(cfg, va, &addr)) {
        res->fault = SMMU_VCM_FAULT_TRANSLATION;    /* spec 3.3: PD0/PD1 */
        return;
    }
    if (!smmu_vcm_read_desc(read, opaque, addr, 1, &d, res)) {
        return;
    }
    t->l1desc = d;

    switch (L1_TYPE(d)) {
    case L1_TYPE_SECTION:
        smmu_vcm_decode_section(d, t);
        break;
    case L1_TYPE_TABLE:
        /* The table pointer's NS bit applies to the whole level-2 table. */
        t->ns = extract32(d, 3, 1);
        addr = (d & 0xFFFFFC00) | extract32(va, 12, 8) << 2;
        if (!smmu_vcm_read_desc(read, opaque, addr, 2, &d, res)) {
            return;
        }
        t->l2desc = d;
        if (L2_TYPE(d) == L2_TYPE_FAULT) {
            res->fault = SMMU_VCM_FAULT_TRANSLATION;
            return;
        }
        smmu_vcm_decode_page(d, t);
        break;
    case L1_TYPE_FAULT:
        res->fault = SMMU_VCM_FAULT_TRANSLATION;
        return;
    default:
        /* spec 3.4 [R]: the reserved (PXN section) type is a fault */
        res->fault = SMMU_VCM_FAULT_TRANSLATION;
        res->reserved = true;
        return;
    }

    t->va_base = va & ~(t->size - 1);
    t->pa_base &= ~(uint64_t)(t->size - 1);
    t->perms = smmu_vcm_ap_perms(t->ap, cfg->afe);
    smmu_vcm_check_access_flag(cfg, res);
}

/* spec 3.10: PAR.MT values */
#define MT_STRONGLY_ORDERED 0
#define MT_DEVICE           1
#define MT_NORMAL           2

/*
 * spec 3.10: with SCTLR.TRE, n = TEX[0]:C:B indexes PRRR for the memory
 * type and its shareability bits; without it, TEX/C/B decode as ARMv7
 * does (000/00 strongly ordered, 000/01 device, anything else normal).
 */
static uint32_t smmu_vcm_par_attrs(const SMMUVCMTranslation *t, bool tre,
                                   uint32_t prrr)
{
    unsigned n = (t->tex & 1) << 2 | t->c << 1 | t->b;
    unsigned type;
    bool sh, nos = false;

    if (tre) {
        type = extract32(prrr, R_PRRR_TR0_SHIFT + 2 * n, R_PRRR_TR0_LENGTH);
        if (type == MT_NORMAL) {
            sh = t->s ? FIELD_EX32(prrr, PRRR, NS1)
                      : FIELD_EX32(prrr, PRRR, NS0);
            nos = sh && extract32(prrr, R_PRRR_NOS0_SHIFT + n, 1);
        } else {
            sh = type == MT_STRONGLY_ORDERED ||
                 (t->s ? FIELD_EX32(prrr, PRRR, DS1)
                       : FIELD_EX32(prrr, PRRR, DS0));
        }
    } else {
        type = (!t->tex && !t->c) ? t->b : MT_NORMAL;
        sh = type == MT_STRONGLY_ORDERED || t->s;
    }
    uint32_t par = FIELD_DP32(0, PAR, MT, type);

    par = FIELD_DP32(par, PAR, SH, sh);
    par = FIELD_DP32(par, PAR, NS, t->ns);
    return FIELD_DP32(par, PAR, NOS, nos);
}

uint32_t smmu_vcm_par_encode(const SMMUVCMTranslation *t, uint32_t va,
                             bool tre, uint32_t prrr)
{
    uint64_t pa = t->pa_base + (va - t->va_base);
    uint32_t par = smmu_vcm_par_attrs(t, tre, prrr);

    if (t->size == SMMU_VCM_SIZE_16M) {
        par = FIELD_DP32(par, PAR, SS_PA, extract64(pa, 24, 8));
        par = FIELD_DP32(par, PAR, SS_PA_HI, extract64(pa, 32, 8));
        return FIELD_DP32(par, PAR, SS, 1);
    }
    return FIELD_DP32(par, PAR, PA, extract64(pa, 12, 20));
}
