/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The IOMMU that Linux drivers/iommu/msm_iommu.c drives (DT compatible
 * "qcom,apq8064-iommu"). No hardware manual is public; the register
 * contract is ../shared/spec/smmu-vcm.md ("spec" below), derived from the
 * Linux driver and Qualcomm's older vendor code; docs/system/devices/
 * smmu-vcm.rst records the choices made where it is silent.
 *
 * The SMMU has a 1 MiB register window: context bank n at n << 12, the
 * MID-to-context map (M2VCBR) and context attributes (CBACR) at 0xFF000
 * and 0xFF800, global registers at 0xFFE00-0xFFFFF. Every bus master is
 * identified by its master ID (MID); each MID gets its own IOMMU memory
 * region covering the 32-bit input address space. A transaction is routed
 * by M2VCBR[mid] to a context bank, which either passes it through
 * (SCTLR.M = 0) or translates it with ARMv7 short-descriptor tables
 * (smmu-vcm-walk.c) cached in one TLB shared by all banks (smmu-vcm-tlb.c).
 *
 * Locking: translations run under the BQL like every platform master's
 * DMA and MMIO; the model takes no lock of its own.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "trace.h"

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
    FIELD(ACTLR, PRIVCFG, 8, 2)
    FIELD(ACTLR, TLBMCFG, 12, 2)
    FIELD(ACTLR, CFCFG, 14, 1)
    FIELD(ACTLR, V2PCFG, 16, 2)
REG32(CONTEXTIDR, 0x008)
    FIELD(CONTEXTIDR, ASID, 0, 8)
REG32(TTBR0, 0x010)
REG32(TTBR1, 0x014)
REG32(TTBCR, 0x018)
REG32(PAR, 0x01C)
    FIELD(PAR, FAULT, 0, 1)
    FIELD(PAR, SS, 1, 1)
    FIELD(PAR, MT, 4, 3)
    FIELD(PAR, SH, 7, 1)
    FIELD(PAR, NS, 9, 1)
    FIELD(PAR, NOS, 10, 1)
REG32(FSR, 0x020)
    FIELD(FSR, TF, 1, 1)
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
REG32(PRRR, 0x034)
REG32(NMRR, 0x038)
REG32(TLBLCKR, 0x03C)
REG32(V2PSR, 0x040)
    FIELD(V2PSR, HIT, 0, 1)
    FIELD(V2PSR, INDEX, 8, 8)
REG32(TLBFLPTER, 0x044)
REG32(TLBSLPTER, 0x048)
REG32(BFBCR, 0x04C)
/* spec 1.3: context bank operations (write-only) */
REG32(CTX_TLBIALL, 0x800)
REG32(TLBIASID, 0x804)
REG32(TLBIVA, 0x808)
REG32(TLBIVAA, 0x80C)
REG32(V2PPR, 0x810)
REG32(V2PPW, 0x814)
REG32(V2PUR, 0x818)
REG32(V2PUW, 0x81C)
REG32(RESUME, 0x820)
    FIELD(RESUME, TNR, 0, 1)

/* spec 1.2: global registers, offsets in the window */
#define A_M2VCBR_BASE   0xFF000
#define A_CBACR_BASE    0xFF800
#define A_GLOBAL_BASE   0xFFE00
FIELD(M2VCBR, VMID, 0, 5)
FIELD(M2VCBR, CBNDX, 8, 8)
FIELD(M2VCBR, BYPASSD, 16, 1)
FIELD(CBACR, IRPTNDX, 24, 8)
REG32(TLBRSW, 0xFFE00)
    FIELD(TLBRSW, INDEX, 0, 8)
REG32(TLBTR0, 0xFFE80)
REG32(TLBTR1, 0xFFE84)
REG32(TLBTR2, 0xFFE88)
REG32(TESTBUSCR, 0xFFE8C)
REG32(GLOBAL_TLBIALL, 0xFFF00)
REG32(TLBIVMID, 0xFFF04)
    FIELD(TLBIVMID, VMID, 0, 5)
REG32(CR, 0xFFF80)
    FIELD(CR, CLIENTPD, 4, 1)
    FIELD(CR, STALLD, 5, 1)
    FIELD(CR, TLBLKCRWE, 6, 1)
REG32(EAR, 0xFFF84)
REG32(ESR, 0xFFF88)
    FIELD(ESR, CFG, 0, 1)
    FIELD(ESR, BYPASS, 1, 1)
    FIELD(ESR, MULTI, 31, 1)
REG32(ESRRESTORE, 0xFFF8C)
REG32(ESYNR0, 0xFFF90)
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

/* Writable bits of the context registers that store what is written */
static const uint32_t smmu_vcm_ctx_rw_mask[SMMU_VCM_CTX_REGS] = {
    [R_SCTLR] = 0x0000003F,
    [R_ACTLR] = 0x00F7FF7F,
    [R_CONTEXTIDR] = 0xFFFFFFFF,
    [R_TTBR0] = 0xFFFFFFFF,
    [R_TTBR1] = 0xFFFFFFFF,
    [R_TTBCR] = 0x00000037,
    [R_PAR] = 0xFFFFFFFF,
    [R_FAR] = 0xFFFFFFFF,
    [R_FSYNR0] = 0xFFFFFFFF,
    [R_FSYNR1] = 0xFFFFFFFF,
    [R_PRRR] = 0xFFFFFFFF,
    [R_NMRR] = 0xFFFFFFFF,
    [R_TLBLCKR] = 0x0000FF0F,
    [R_TLBFLPTER] = 0xFFFFFFFF,
    [R_TLBSLPTER] = 0xFFFFFFFF,
    [R_BFBCR] = 0x00000FF7,
};

#define FSR_CAUSES      0x000000FE  /* TF .. MHF: interrupt sources */
#define FSR_RECORDED    (FSR_CAUSES | R_FSR_SS_MASK)

static uint32_t *ctx_reg(SMMUVCMState *s, unsigned ctx, unsigned reg)
{
    return &s->ctx[ctx].regs[reg];
}

static uint32_t ctx_field(SMMUVCMState *s, unsigned ctx, unsigned reg,
                          unsigned shift, unsigned len)
{
    return extract32(s->ctx[ctx].regs[reg], shift, len);
}

#define CTX_FIELD(s, ctx, reg, field) \
    ctx_field(s, ctx, R_##reg, R_##reg##_##field##_SHIFT, \
              R_##reg##_##field##_LENGTH)

/*
 * spec 1.2 [R]: counts are stored minus one; TLBSIZE is the bit length of
 * the TLB entry count (0: no TLB).
 */
static uint32_t smmu_vcm_idr(SMMUVCMState *s)
{
    uint32_t idr = 0;

    idr = FIELD_DP32(idr, IDR, NM2VCBMT, s->num_mids - 1);
    idr = FIELD_DP32(idr, IDR, HTW, 1);
    idr = FIELD_DP32(idr, IDR, TLBSIZE, 32 - clz32(s->tlb_entries));
    idr = FIELD_DP32(idr, IDR, NCB, s->num_contexts - 1);
    idr = FIELD_DP32(idr, IDR, NIRPT, SMMU_VCM_NUM_IRQS - 1);
    return idr;
}

/*
 * spec 3.8: output k is high while a bank whose CBACR.IRPTNDX is k has
 * ACTLR.CFEIE set and a fault cause pending in FSR.
 */
static void smmu_vcm_update_irq(SMMUVCMState *s)
{
    bool level[SMMU_VCM_NUM_IRQS] = { false };

    for (unsigned ctx = 0; ctx < s->num_contexts; ctx++) {
        unsigned k = FIELD_EX32(s->cbacr[ctx], CBACR, IRPTNDX);

        if (k < SMMU_VCM_NUM_IRQS && CTX_FIELD(s, ctx, ACTLR, CFEIE) &&
            (*ctx_reg(s, ctx, R_FSR) & FSR_CAUSES)) {
            level[k] = true;
        }
    }
    for (unsigned k = 0; k < SMMU_VCM_NUM_IRQS; k++) {
        trace_smmu_vcm_irq(k, level[k]);
        qemu_set_irq(s->irq[k], level[k]);
    }
}

/* Anything a master's micro-TLB or routing decision depended on changed. */
static void smmu_vcm_config_changed(SMMUVCMState *s)
{
    s->config_gen++;
}

/* Walks read little-endian descriptors through the memory API. */
static SMMUVCMReadStatus smmu_vcm_read_desc(void *opaque, uint64_t addr,
                                            uint32_t *desc)
{
    SMMUVCMState *s = opaque;
    MemTxResult res;

    s->stats.desc_reads++;
    *desc = address_space_ldl_le(s->downstream, addr,
                                 MEMTXATTRS_UNSPECIFIED, &res);
    switch (res) {
    case MEMTX_OK:
        return SMMU_VCM_READ_OK;
    case MEMTX_DECODE_ERROR:
        return SMMU_VCM_READ_DECODE_ERROR;
    default:
        return SMMU_VCM_READ_SLAVE_ERROR;
    }
}

static void smmu_vcm_walk_ctx(SMMUVCMState *s, unsigned ctx, uint32_t va,
                              SMMUVCMWalkResult *res)
{
    SMMUVCMWalkConfig cfg = {
        .ttbr0 = *ctx_reg(s, ctx, R_TTBR0),
        .ttbr1 = *ctx_reg(s, ctx, R_TTBR1),
        .ttbcr = *ctx_reg(s, ctx, R_TTBCR),
        .afe = CTX_FIELD(s, ctx, SCTLR, AFE),
        .affd = CTX_FIELD(s, ctx, SCTLR, AFFD),
    };

    s->stats.walks++;
    smmu_vcm_walk(&cfg, va, smmu_vcm_read_desc, s, res);
    if (res->reserved) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u va 0x%08x: "
                      "reserved level-%u descriptor 0x%08x\n", ctx, va,
                      res->level, res->level == 1 ? res->t.l1desc :
                      res->t.l2desc);
    }
    if (res->fault == SMMU_VCM_FAULT_WALK_DECODE ||
        res->fault == SMMU_VCM_FAULT_WALK_SLAVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u va 0x%08x: "
                      "level-%u descriptor at 0x%" PRIx64 " not readable\n",
                      ctx, va, res->level, res->fault_addr);
    }
    *ctx_reg(s, ctx, R_TLBFLPTER) = res->t.l1desc;
    *ctx_reg(s, ctx, R_TLBSLPTER) = res->t.l2desc;
    trace_smmu_vcm_walk(ctx, va, res->fault, res->level, res->desc_reads,
                        res->t.pa_base, res->t.size);
}

/*
 * spec 4.3 [R]: entries are tagged with the walking bank, its VMID
 * (CBACR.CBVMID, which also scopes the bank's TLBIASID/TLBIVA) and ASID.
 */
static SMMUVCMTLBTag smmu_vcm_tag(SMMUVCMState *s, unsigned ctx)
{
    return (SMMUVCMTLBTag) {
        .ctx = ctx,
        .vmid = extract32(s->cbacr[ctx], 16, 5),
        .asid = CTX_FIELD(s, ctx, CONTEXTIDR, ASID),
    };
}

/*
 * check-stale: re-walk on a hit and report a cached translation that the
 * page tables no longer give, i.e. a missing TLB invalidation.
 */
static void smmu_vcm_check_stale(SMMUVCMState *s, unsigned ctx, uint32_t va,
                                 const SMMUVCMTranslation *cached)
{
    SMMUVCMWalkResult fresh;
    uint64_t cached_pa = cached->pa_base + (va - cached->va_base);
    uint64_t fresh_pa;

    smmu_vcm_walk_ctx(s, ctx, va, &fresh);
    fresh_pa = fresh.t.pa_base + (va - fresh.t.va_base);
    if (fresh.fault != SMMU_VCM_FAULT_NONE || fresh_pa != cached_pa ||
        fresh.t.perms != cached->perms) {
        s->stats.stale_hits++;
        trace_smmu_vcm_stale_hit(ctx, va, cached_pa,
                                 fresh.fault ? UINT64_MAX : fresh_pa);
    }
}

/* Drop a master's micro-TLB when the TLB or the configuration changed. */
static void smmu_vcm_utlb_sync(SMMUVCMState *s, SMMUVCMMaster *m)
{
    if (m->utlb_tlb_gen != s->tlb.generation ||
        m->utlb_config_gen != s->config_gen) {
        memset(m->utlb, 0, sizeof(m->utlb));
        m->utlb_tlb_gen = s->tlb.generation;
        m->utlb_config_gen = s->config_gen;
    }
}

static const SMMUVCMTranslation *smmu_vcm_utlb_lookup(SMMUVCMState *s,
                                                      SMMUVCMMaster *m,
                                                      unsigned ctx,
                                                      uint32_t va)
{
    smmu_vcm_utlb_sync(s, m);
    for (unsigned i = 0; i < SMMU_VCM_UTLB_SIZE; i++) {
        const SMMUVCMMicroTLB *u = &m->utlb[i];

        if (u->valid && u->ctx == ctx &&
            (va & ~(u->t.size - 1)) == u->t.va_base) {
            return &u->t;
        }
    }
    return NULL;
}

static void smmu_vcm_utlb_fill(SMMUVCMState *s, SMMUVCMMaster *m,
                               unsigned ctx, const SMMUVCMTranslation *t)
{
    SMMUVCMMicroTLB *u = &m->utlb[m->utlb_next];

    smmu_vcm_utlb_sync(s, m);
    m->utlb_next = (m->utlb_next + 1) % SMMU_VCM_UTLB_SIZE;
    *u = (SMMUVCMMicroTLB) { .valid = true, .ctx = ctx, .t = *t };
}

/*
 * Look @va up in context @ctx: micro-TLB, shared TLB, then (TLBMCFG=3)
 * a walk whose result is cached. Returns the fault, if any; the
 * translation in @t.
 */
static SMMUVCMFault smmu_vcm_lookup(SMMUVCMState *s, SMMUVCMMaster *m,
                                    unsigned ctx, uint32_t va,
                                    SMMUVCMTranslation *t, uint8_t *level)
{
    SMMUVCMTLBTag tag = smmu_vcm_tag(s, ctx);
    const SMMUVCMTranslation *cached;
    SMMUVCMWalkResult res;
    int idx;

    *level = 1;
    if (!s->tlb.size) {
        smmu_vcm_walk_ctx(s, ctx, va, &res);        /* walk every access */
        *t = res.t;
        *level = res.level;
        return res.fault;
    }

    cached = smmu_vcm_utlb_lookup(s, m, ctx, va);
    idx = cached ? -1 : smmu_vcm_tlb_lookup(&s->tlb, tag, va);
    if (cached || idx >= 0) {
        *t = cached ? *cached : s->tlb.entries[idx].t;
        s->stats.tlb_hits++;
        trace_smmu_vcm_tlb_hit(ctx, va, t->pa_base, t->size);
        if (s->check_stale) {
            smmu_vcm_check_stale(s, ctx, va, t);
        }
    } else {
        s->stats.tlb_misses++;
        trace_smmu_vcm_tlb_miss(ctx, va);
        /* spec 3.7 [I]: only TLBMCFG=3 walks on a miss */
        if (CTX_FIELD(s, ctx, ACTLR, TLBMCFG) != 3) {
            return SMMU_VCM_FAULT_TLB_MISS;
        }
        smmu_vcm_walk_ctx(s, ctx, va, &res);
        *level = res.level;
        if (res.fault != SMMU_VCM_FAULT_NONE) {
            return res.fault;
        }
        *t = res.t;
        idx = smmu_vcm_tlb_insert(&s->tlb, tag, t);
        trace_smmu_vcm_tlb_insert(ctx, idx, t->va_base, t->pa_base, t->size);
    }

    if (!cached) {
        smmu_vcm_utlb_fill(s, m, ctx, t);
    }
    return SMMU_VCM_FAULT_NONE;
}

/* spec 3.6 [I]: ACTLR.PRIVCFG 1 forces user, 2 forces privileged. */
static bool smmu_vcm_is_user(SMMUVCMState *s, unsigned ctx, bool user)
{
    switch (CTX_FIELD(s, ctx, ACTLR, PRIVCFG)) {
    case 1:
        return true;
    case 2:
        return false;
    default:
        return user;
    }
}

/*
 * spec 3.7: the first fault of a context records FAR/FSYNR and its cause;
 * later ones only MULTI (when enabled). SS marks a stalled context.
 */
static void smmu_vcm_record_fault(SMMUVCMState *s, unsigned ctx,
                                  uint32_t mid, uint32_t va, bool write,
                                  bool user, SMMUVCMFault fault,
                                  uint8_t level, bool stall)
{
    uint32_t *fsr = ctx_reg(s, ctx, R_FSR);

    s->stats.faults++;
    trace_smmu_vcm_fault(ctx, mid, va, write, fault, level, stall);
    if (*fsr & FSR_RECORDED) {
        if (s->fault_multi) {
            *fsr |= R_FSR_MULTI_MASK;
        }
        return;
    }
    *ctx_reg(s, ctx, R_FAR) = va;
    *ctx_reg(s, ctx, R_FSYNR0) = FIELD_DP32(0, FSYNR0, AMID, mid);
    *ctx_reg(s, ctx, R_FSYNR1) = (write ? R_FSYNR1_AWRITE_MASK : 0) |
                                 (user ? 0 : R_FSYNR1_APRIV_MASK);
    *fsr |= 1u << fault;
    if (s->fault_sl && level == 2) {
        *fsr |= R_FSR_SL_MASK;
    }
    if (stall) {
        *fsr |= R_FSR_SS_MASK;
    }
    smmu_vcm_update_irq(s);
}

/* spec 3.1 [I]: global errors (bad routing) go to ESR/EAR/ESYNR0. */
static void smmu_vcm_global_error(SMMUVCMState *s, uint32_t mid,
                                  uint32_t va, uint32_t cause_mask)
{
    qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: mid %u va 0x%08x: %s\n",
                  mid, va, cause_mask == R_ESR_CFG_MASK ?
                  "M2VCBR routes to a context bank beyond qcom,ncb" :
                  "bypass disabled (M2VCBR.BYPASSD) for a context with M=0");
    if (s->esr & (R_ESR_CFG_MASK | R_ESR_BYPASS_MASK)) {
        s->esr |= R_ESR_MULTI_MASK;
        return;
    }
    s->esr |= cause_mask;
    s->ear = va;
    s->esynr0 = mid & 0xFF;
}

static IOMMUTLBEntry smmu_vcm_bypass(uint32_t mid, hwaddr addr,
                                     AddressSpace *as)
{
    trace_smmu_vcm_translate_bypass(mid, addr);
    return (IOMMUTLBEntry) {
        .target_as = as,
        .iova = 0,
        .translated_addr = 0,
        .addr_mask = SMMU_VCM_VA_SIZE - 1,
        .perm = IOMMU_RW,
    };
}

/* How a faulted access completes: RAZ/WI, or an abort (IOMMU_NONE). */
static IOMMUTLBEntry smmu_vcm_fault_response(SMMUVCMState *s,
                                             SMMUVCMMaster *m, hwaddr addr)
{
    bool raz_wi = m->last_fault == SMMU_VCM_MASTER_RAZ_WI;

    return (IOMMUTLBEntry) {
        .target_as = raz_wi ? &s->raz_wi_as : s->downstream,
        .iova = addr & ~(hwaddr)0xFFF,
        .translated_addr = addr & ~(hwaddr)0xFFF,
        .addr_mask = 0xFFF,
        .perm = raz_wi ? IOMMU_RW : IOMMU_NONE,
    };
}

/*
 * spec 3.9: a fault in a context with CFCFG=1 (and CR.STALLD=0) stalls
 * the transaction if its master can wait for RESUME; otherwise, and with
 * CFCFG=0, it is terminated: abort with CFERE=1, read-as-zero/write-ignored
 * with CFERE=0.
 */
static IOMMUTLBEntry smmu_vcm_context_fault(SMMUVCMState *s, SMMUVCMMaster *m,
                                            unsigned ctx, hwaddr addr,
                                            bool write, bool user,
                                            SMMUVCMFault fault,
                                            uint8_t level)
{
    bool stall = CTX_FIELD(s, ctx, ACTLR, CFCFG) &&
                 !FIELD_EX32(s->cr, CR, STALLD);

    smmu_vcm_record_fault(s, ctx, m->mid, addr, write, user, fault, level,
                          stall);
    m->last_fault_addr = addr;
    if (stall) {
        s->stats.stalls++;
        if (m->resume) {
            m->last_fault = SMMU_VCM_MASTER_STALLED;
            return smmu_vcm_fault_response(s, m, addr);
        }
        if (!s->stall_unimp_logged) {
            qemu_log_mask(LOG_UNIMP, "smmu-vcm: mid %u cannot stall; its "
                          "faulting accesses are terminated at once\n",
                          m->mid);
            s->stall_unimp_logged = true;
        }
    }
    m->last_fault = CTX_FIELD(s, ctx, ACTLR, CFERE) || s->force_abort ?
                    SMMU_VCM_MASTER_ABORTED : SMMU_VCM_MASTER_RAZ_WI;
    return smmu_vcm_fault_response(s, m, addr);
}

static IOMMUTLBEntry smmu_vcm_translate(IOMMUMemoryRegion *iommu,
                                        hwaddr addr, IOMMUAccessFlags flag,
                                        int iommu_idx)
{
    SMMUVCMMaster *m = container_of(iommu, SMMUVCMMaster, iommu);
    SMMUVCMState *s = m->smmu;
    uint32_t route = s->m2vcbr[m->mid];
    unsigned ctx = FIELD_EX32(route, M2VCBR, CBNDX);
    bool write = flag & IOMMU_WO;
    IOMMUTLBEntry entry = {
        .target_as = s->downstream,
        .iova = addr & ~(hwaddr)0xFFF,
        .translated_addr = addr & ~(hwaddr)0xFFF,
        .addr_mask = 0xFFF,
        .perm = IOMMU_NONE,
    };
    SMMUVCMTranslation t;
    SMMUVCMFault fault;
    uint8_t level;
    bool user;

    s->stats.translations++;
    /*
     * The memory core translates a faulting range piece by piece; for a
     * master that tracks its accesses, one access is one fault.
     */
    if (m->resume && m->last_fault != SMMU_VCM_MASTER_OK &&
        flag != IOMMU_NONE) {
        return smmu_vcm_fault_response(s, m, addr);
    }

    /* spec 3.2: CR.CLIENTPD passes all client traffic through */
    if (FIELD_EX32(s->cr, CR, CLIENTPD)) {
        return smmu_vcm_bypass(m->mid, addr, s->downstream);
    }
    if (ctx >= s->num_contexts) {
        if (flag != IOMMU_NONE) {
            smmu_vcm_global_error(s, m->mid, addr, R_ESR_CFG_MASK);
            m->last_fault = SMMU_VCM_MASTER_ABORTED;
            m->last_fault_addr = addr;
        }
        return entry;
    }
    if (!CTX_FIELD(s, ctx, SCTLR, M)) {
        if (FIELD_EX32(route, M2VCBR, BYPASSD)) {
            if (flag != IOMMU_NONE) {
                smmu_vcm_global_error(s, m->mid, addr, R_ESR_BYPASS_MASK);
                m->last_fault = SMMU_VCM_MASTER_ABORTED;
                m->last_fault_addr = addr;
            }
            return entry;
        }
        return smmu_vcm_bypass(m->mid, addr, s->downstream);
    }

    user = smmu_vcm_is_user(s, ctx, iommu_idx == 1);
    fault = smmu_vcm_lookup(s, m, ctx, addr, &t, &level);
    if (fault == SMMU_VCM_FAULT_NONE && flag != IOMMU_NONE &&
        !(t.perms & smmu_vcm_perm_needed(write, user))) {
        fault = SMMU_VCM_FAULT_PERMISSION;
        level = t.size >= SMMU_VCM_SIZE_1M ? 1 : 2;
    }
    if (fault != SMMU_VCM_FAULT_NONE) {
        if (flag == IOMMU_NONE) {
            return entry;       /* a probe, not an access: no fault */
        }
        return smmu_vcm_context_fault(s, m, ctx, addr, write, user, fault,
                                      level);
    }

    entry.iova = t.va_base;
    entry.translated_addr = t.pa_base;
    entry.addr_mask = t.size - 1;
    if (t.perms & smmu_vcm_perm_needed(false, user)) {
        entry.perm |= IOMMU_RO;
    }
    if (t.perms & smmu_vcm_perm_needed(true, user)) {
        entry.perm |= IOMMU_WO;
    }
    trace_smmu_vcm_translate(m->mid, ctx, addr, t.pa_base + (addr - t.va_base),
                             entry.perm);
    return entry;
}

/* iommu_idx 1 carries unprivileged (MemTxAttrs.user) transactions. */
static int smmu_vcm_attrs_to_index(IOMMUMemoryRegion *iommu,
                                   MemTxAttrs attrs)
{
    return attrs.user ? 1 : 0;
}

static int smmu_vcm_num_indexes(IOMMUMemoryRegion *iommu)
{
    return 2;
}

/*
 * Platform masters never cache translations; nothing would consume map or
 * unmap events (and replay would walk 4 GiB page by page).
 */
static int smmu_vcm_notify_flag_changed(IOMMUMemoryRegion *iommu,
                                        IOMMUNotifierFlag old,
                                        IOMMUNotifierFlag new, Error **errp)
{
    if (new != IOMMU_NOTIFIER_NONE) {
        error_setg(errp, "smmu-vcm does not support IOMMU notifiers");
        return -EINVAL;
    }
    return 0;
}

/*
 * spec 3.10: PAR memory attributes. With SCTLR.TRE, TEX[0]:C:B indexes
 * PRRR (memory type) and its shareability bits; without, TEX/C/B decode
 * as ARMv7 does (000/00 strongly ordered, 000/01 device).
 */
static uint32_t smmu_vcm_par_attrs(SMMUVCMState *s, unsigned ctx,
                                   const SMMUVCMTranslation *t)
{
    uint32_t prrr = *ctx_reg(s, ctx, R_PRRR);
    unsigned n = (t->tex & 1) << 2 | t->c << 1 | t->b;
    unsigned type;
    bool sh, nos = false;

    if (CTX_FIELD(s, ctx, SCTLR, TRE)) {
        type = extract32(prrr, 2 * n, 2);
        if (type == 2) {
            sh = extract32(prrr, t->s ? 19 : 18, 1);
            nos = sh && extract32(prrr, 24 + n, 1);
        } else {
            sh = type == 0 || extract32(prrr, t->s ? 17 : 16, 1);
        }
    } else {
        type = (!t->tex && !t->c) ? t->b : 2;
        sh = type == 0 || t->s;
    }
    return type << R_PAR_MT_SHIFT | sh << R_PAR_SH_SHIFT |
           t->ns << R_PAR_NS_SHIFT | nos << R_PAR_NOS_SHIFT;
}

/* spec 3.10: PAR of a successful translation */
static uint32_t smmu_vcm_par(SMMUVCMState *s, unsigned ctx, uint32_t va,
                             const SMMUVCMTranslation *t)
{
    uint64_t pa = t->pa_base + (va - t->va_base);
    uint32_t par = smmu_vcm_par_attrs(s, ctx, t);

    if (t->size == SMMU_VCM_SIZE_16M) {
        /* PA[31:24], and PA[39:32] in PAR[23:16] */
        return par | (pa & 0xFF000000) | extract64(pa, 32, 8) << 16 |
               R_PAR_SS_MASK;
    }
    return par | (pa & 0xFFFFF000);
}

/*
 * spec 3.10: V2PPR/PW/UR/UW translate VA[31:12] in this bank with the
 * access type of the register; the result goes to PAR and V2PSR only.
 * ACTLR.V2PCFG: 0 disabled, 1 TLB only, 2 walk only, 3 TLB then walk.
 */
static void smmu_vcm_v2p(SMMUVCMState *s, unsigned ctx, uint32_t value,
                         bool write, bool user)
{
    uint32_t va = value & 0xFFFFF000;
    unsigned v2pcfg = CTX_FIELD(s, ctx, ACTLR, V2PCFG);
    SMMUVCMFault fault = SMMU_VCM_FAULT_NONE;
    SMMUVCMTranslation t;
    SMMUVCMWalkResult res;
    uint32_t par, v2psr = 0;
    int idx = -1;

    if (!CTX_FIELD(s, ctx, SCTLR, M)) {
        *ctx_reg(s, ctx, R_PAR) = va;   /* spec 3.10 [R]: flat */
        *ctx_reg(s, ctx, R_V2PSR) = 0;
        return;
    }
    if ((v2pcfg == 1 || v2pcfg == 3) && s->tlb.size) {
        idx = smmu_vcm_tlb_lookup(&s->tlb, smmu_vcm_tag(s, ctx), va);
    }
    if (idx >= 0) {
        t = s->tlb.entries[idx].t;
        v2psr = R_V2PSR_HIT_MASK | idx << R_V2PSR_INDEX_SHIFT;
    } else if (v2pcfg == 1) {
        fault = SMMU_VCM_FAULT_TLB_MISS;
    } else if (v2pcfg != 0) {
        smmu_vcm_walk_ctx(s, ctx, va, &res);
        fault = res.fault;
        t = res.t;
    }
    if (fault == SMMU_VCM_FAULT_NONE && v2pcfg != 0 &&
        !(t.perms & smmu_vcm_perm_needed(write, user))) {
        fault = SMMU_VCM_FAULT_PERMISSION;
    }
    if (v2pcfg == 0) {
        par = R_PAR_FAULT_MASK;                 /* V2P disabled */
    } else if (fault != SMMU_VCM_FAULT_NONE) {
        par = R_PAR_FAULT_MASK | 1u << fault;   /* spec 3.10: FSR bits */
    } else {
        par = smmu_vcm_par(s, ctx, va, &t);
    }
    trace_smmu_vcm_v2p(ctx, va, write, user, par);
    *ctx_reg(s, ctx, R_PAR) = par;
    *ctx_reg(s, ctx, R_V2PSR) = v2psr;
}

/*
 * spec 3.9: RESUME clears SS; a master parked on this bank retries its
 * access (TNR=0) or has it terminated (TNR=1). The parked master is
 * woken even if the guest already cleared SS through FSR (as Linux's
 * fault handler does), so a stall always has a way out.
 */
static void smmu_vcm_resume(SMMUVCMState *s, unsigned ctx, uint32_t value)
{
    bool terminate = FIELD_EX32(value, RESUME, TNR);

    trace_smmu_vcm_resume(ctx, terminate,
                          !!(*ctx_reg(s, ctx, R_FSR) & R_FSR_SS_MASK));
    *ctx_reg(s, ctx, R_FSR) &= ~R_FSR_SS_MASK;
    smmu_vcm_update_irq(s);
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        SMMUVCMMaster *m = &s->masters[mid];

        /* The master knows whether it is parked (that state migrates). */
        if (m->resume && FIELD_EX32(s->m2vcbr[mid], M2VCBR, CBNDX) == ctx) {
            m->resume(m->resume_opaque, terminate);
        }
    }
}

static void smmu_vcm_tlb_op(SMMUVCMState *s, const char *op, uint32_t value)
{
    s->stats.invalidations++;
    trace_smmu_vcm_tlb_invalidate(op, value);
}

/* Bank operations, 0x800-0x820 of a context bank (spec 1.4) */
static void smmu_vcm_ctx_op(SMMUVCMState *s, unsigned ctx, hwaddr reg,
                            uint32_t value)
{
    uint8_t vmid = smmu_vcm_tag(s, ctx).vmid;

    switch (reg) {
    case A_CTX_TLBIALL:
        smmu_vcm_tlb_op(s, "CTX_TLBIALL", ctx);
        smmu_vcm_tlb_inv_ctx(&s->tlb, ctx);
        break;
    case A_TLBIASID:
        smmu_vcm_tlb_op(s, "TLBIASID", value);
        smmu_vcm_tlb_inv_asid(&s->tlb, vmid, value & 0xFF);
        break;
    case A_TLBIVA:
        smmu_vcm_tlb_op(s, "TLBIVA", value);
        smmu_vcm_tlb_inv_va(&s->tlb, vmid, value & 0xFF,
                            value & 0xFFFFF000);
        break;
    case A_TLBIVAA:
        smmu_vcm_tlb_op(s, "TLBIVAA", value);
        smmu_vcm_tlb_inv_va_all_asid(&s->tlb, vmid, value & 0xFFFFF000);
        break;
    case A_V2PPR:
        smmu_vcm_v2p(s, ctx, value, false, false);
        break;
    case A_V2PPW:
        smmu_vcm_v2p(s, ctx, value, true, false);
        break;
    case A_V2PUR:
        smmu_vcm_v2p(s, ctx, value, false, true);
        break;
    case A_V2PUW:
        smmu_vcm_v2p(s, ctx, value, true, true);
        break;
    case A_RESUME:
        smmu_vcm_resume(s, ctx, value);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: write to "
                      "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx, reg);
        break;
    }
}

static void smmu_vcm_ctx_write(SMMUVCMState *s, unsigned ctx, hwaddr reg,
                               uint32_t value)
{
    unsigned r = reg / 4;

    if (reg >= A_CTX_TLBIALL) {
        smmu_vcm_ctx_op(s, ctx, reg, value);
        return;
    }
    switch (reg) {
    case A_FSR:
        /* spec 1.3 [C][I]: write one to clear */
        *ctx_reg(s, ctx, R_FSR) &= ~value;
        smmu_vcm_update_irq(s);
        return;
    case A_FSRRESTORE:
        *ctx_reg(s, ctx, R_FSR) = value;
        smmu_vcm_update_irq(s);
        return;
    case A_V2PSR:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: V2PSR is "
                      "read-only\n", ctx);
        return;
    case A_TLBLCKR:
        if (!FIELD_EX32(s->cr, CR, TLBLKCRWE)) {
            qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: TLBLCKR "
                          "write while CR.TLBLKCRWE=0 ignored\n", ctx);
            return;
        }
        break;
    default:
        if (reg >= A_BFBCR + 4 || !smmu_vcm_ctx_rw_mask[r]) {
            qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: write to "
                          "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx,
                          reg);
            return;
        }
        break;
    }
    *ctx_reg(s, ctx, r) = value & smmu_vcm_ctx_rw_mask[r];
    if (reg == A_SCTLR || reg == A_ACTLR || reg == A_CONTEXTIDR) {
        smmu_vcm_config_changed(s);
    }
    if (reg == A_ACTLR) {
        smmu_vcm_update_irq(s);
    }
}

static uint32_t smmu_vcm_ctx_read(SMMUVCMState *s, unsigned ctx, hwaddr reg)
{
    if (reg >= A_CTX_TLBIALL && reg <= A_RESUME) {
        return 0;                       /* spec 1.4 [R]: operations RAZ */
    }
    if (reg >= A_BFBCR + 4 || reg == A_FSRRESTORE ||
        (!smmu_vcm_ctx_rw_mask[reg / 4] && reg != A_FSR &&
         reg != A_V2PSR)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: read of "
                      "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx, reg);
        return 0;
    }
    return *ctx_reg(s, ctx, reg / 4);
}

/* TLBRSW selects an entry whose tags and data TLBTR0-2 then show. */
static void smmu_vcm_tlb_read_select(SMMUVCMState *s)
{
    unsigned i = FIELD_EX32(s->tlbrsw, TLBRSW, INDEX);
    const SMMUVCMTLBEntry *e = i < s->tlb.size ? &s->tlb.entries[i] : NULL;
    const SMMUVCMTranslation *t = e ? &e->t : NULL;

    if (!e || !e->valid) {
        memset(s->tlbtr, 0, sizeof(s->tlbtr));
        return;
    }
    /* spec 1.2: PR PW UR UW XN ... SH MT; DPSIZR [I] = 0 4K .. 3 16M */
    s->tlbtr[0] = (t->perms & 0xF) | t->xn << 4 | t->ns << 6 | t->s << 8 |
                  (ctz32(t->size) - 12) / 4 << 16;
    s->tlbtr[1] = e->tag.vmid | (uint32_t)(t->pa_base & 0xFFFFF000);
    s->tlbtr[2] = (t->ng ? e->tag.asid : 0) | 1 << 8 | t->va_base;
}

static void smmu_vcm_global_write(SMMUVCMState *s, hwaddr offset,
                                  uint32_t value)
{
    switch (offset) {
    case A_TLBRSW:
        s->tlbrsw = value & 0x3FF;
        smmu_vcm_tlb_read_select(s);
        break;
    case A_TLBTR0:
    case A_TLBTR1:
    case A_TLBTR2:
        s->tlbtr[(offset - A_TLBTR0) / 4] = value;
        break;
    case A_TESTBUSCR:
        s->testbuscr = value;
        break;
    case A_GLOBAL_TLBIALL:
        smmu_vcm_tlb_op(s, "GLOBAL_TLBIALL", value);
        smmu_vcm_tlb_inv_all(&s->tlb);
        break;
    case A_TLBIVMID:
        smmu_vcm_tlb_op(s, "TLBIVMID", value);
        smmu_vcm_tlb_inv_vmid(&s->tlb, FIELD_EX32(value, TLBIVMID, VMID));
        break;
    case A_CR:
        s->cr = value & 0x3FF;
        smmu_vcm_config_changed(s);
        break;
    case A_EAR:
        s->ear = value;
        break;
    case A_ESR:
    case A_ESRRESTORE:
        s->esr = value;
        break;
    case A_ESYNR0:
        s->esynr0 = value;
        break;
    case A_ESYNR1:
        s->esynr1 = value;
        break;
    case A_RPU_ACR:
        s->rpu_acr = value;
        break;
    case A_IDR:
    case A_REV:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: write to read-only "
                      "register 0x%05" HWADDR_PRIx "\n", offset);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: write to unassigned "
                      "offset 0x%05" HWADDR_PRIx "\n", offset);
        break;
    }
}

static uint32_t smmu_vcm_global_read(SMMUVCMState *s, hwaddr offset)
{
    switch (offset) {
    case A_TLBRSW:
        return s->tlbrsw;
    case A_TLBTR0:
    case A_TLBTR1:
    case A_TLBTR2:
        return s->tlbtr[(offset - A_TLBTR0) / 4];
    case A_TESTBUSCR:
        return s->testbuscr;
    case A_GLOBAL_TLBIALL:
    case A_TLBIVMID:
    case A_ESRRESTORE:
        return 0;
    case A_CR:
        return s->cr;
    case A_EAR:
        return s->ear;
    case A_ESR:
        return s->esr;
    case A_ESYNR0:
        return s->esynr0;
    case A_ESYNR1:
        return s->esynr1;
    case A_REV:
        return FIELD_DP32(0, REV, MAJOR, 1);
    case A_IDR:
        return smmu_vcm_idr(s);
    case A_RPU_ACR:
        return s->rpu_acr;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: read of unassigned "
                      "offset 0x%05" HWADDR_PRIx "\n", offset);
        return 0;
    }
}

/*
 * Decode the window (spec 1.1). Banks, MIDs and CBACRs beyond what this
 * instance has are RAZ/WI with a guest error, never a bus error: Linux's
 * reset loop walks every bank up to the device tree's qcom,ncb.
 */
static bool smmu_vcm_index_ok(const char *what, unsigned index,
                              unsigned count)
{
    if (index < count) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: %s %u does not exist "
                  "(%u implemented)\n", what, index, count);
    return false;
}

static uint64_t smmu_vcm_read(void *opaque, hwaddr offset, unsigned size)
{
    SMMUVCMState *s = opaque;
    uint32_t value = 0;
    unsigned index;

    if (offset < A_M2VCBR_BASE) {
        index = offset >> 12;
        if (smmu_vcm_index_ok("context bank", index, s->num_contexts)) {
            value = smmu_vcm_ctx_read(s, index, offset & 0xFFF);
        }
    } else if (offset < A_CBACR_BASE) {
        index = (offset - A_M2VCBR_BASE) / 4;
        if (smmu_vcm_index_ok("M2VCBR", index, s->num_mids)) {
            value = s->m2vcbr[index];
        }
    } else if (offset < A_GLOBAL_BASE) {
        index = (offset - A_CBACR_BASE) / 4;
        if (smmu_vcm_index_ok("CBACR", index, s->num_contexts)) {
            value = s->cbacr[index];
        }
    } else {
        value = smmu_vcm_global_read(s, offset);
    }
    trace_smmu_vcm_read(offset, value);
    return value;
}

static void smmu_vcm_write(void *opaque, hwaddr offset, uint64_t value,
                           unsigned size)
{
    SMMUVCMState *s = opaque;
    unsigned index;

    trace_smmu_vcm_write(offset, value);
    if (offset < A_M2VCBR_BASE) {
        index = offset >> 12;
        if (smmu_vcm_index_ok("context bank", index, s->num_contexts)) {
            smmu_vcm_ctx_write(s, index, offset & 0xFFF, value);
        }
    } else if (offset < A_CBACR_BASE) {
        index = (offset - A_M2VCBR_BASE) / 4;
        if (smmu_vcm_index_ok("M2VCBR", index, s->num_mids)) {
            s->m2vcbr[index] = value & 0x0FFFFF1F;
            smmu_vcm_config_changed(s);
        }
    } else if (offset < A_GLOBAL_BASE) {
        index = (offset - A_CBACR_BASE) / 4;
        if (smmu_vcm_index_ok("CBACR", index, s->num_contexts)) {
            s->cbacr[index] = value & 0xFF1F031F;
            smmu_vcm_config_changed(s);
            smmu_vcm_update_irq(s);
        }
    } else {
        smmu_vcm_global_write(s, offset, value);
    }
}

/*
 * spec 1.1: all accesses are 32-bit. Other sizes reach the handlers as
 * whole registers (impl is 4 bytes) after a guest error from the core.
 */
static const MemoryRegionOps smmu_vcm_ops = {
    .read = smmu_vcm_read,
    .write = smmu_vcm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* Terminated accesses with CFERE=0 read as zero and are ignored. */
static uint64_t smmu_vcm_raz_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void smmu_vcm_wi_write(void *opaque, hwaddr addr, uint64_t value,
                              unsigned size)
{
}

static const MemoryRegionOps smmu_vcm_raz_wi_ops = {
    .read = smmu_vcm_raz_read,
    .write = smmu_vcm_wi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
};

IOMMUMemoryRegion *smmu_vcm_get_master_mr(SMMUVCMState *s, uint32_t mid,
                                          Error **errp)
{
    if (mid >= s->num_mids) {
        error_setg(errp, "master id %u out of range for %s (num-mids=%u)",
                   mid, object_get_canonical_path_component(OBJECT(s)),
                   s->num_mids);
        return NULL;
    }
    return &s->masters[mid].iommu;
}

void smmu_vcm_set_resume_handler(SMMUVCMState *s, uint32_t mid,
                                 SMMUVCMResumeFn *fn, void *opaque)
{
    s->masters[mid].resume = fn;
    s->masters[mid].resume_opaque = opaque;
}

void smmu_vcm_master_begin_access(SMMUVCMState *s, uint32_t mid)
{
    s->masters[mid].last_fault = SMMU_VCM_MASTER_OK;
}

SMMUVCMMasterFault smmu_vcm_master_last_fault(SMMUVCMState *s, uint32_t mid,
                                              uint32_t *va)
{
    *va = s->masters[mid].last_fault_addr;
    return s->masters[mid].last_fault;
}

static void smmu_vcm_realize(DeviceState *dev, Error **errp)
{
    SMMUVCMState *s = SMMU_VCM(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    uint32_t mid;

    if (s->num_contexts < 1 || s->num_contexts > SMMU_VCM_MAX_CONTEXTS) {
        error_setg(errp, "num-contexts must be 1..%u, not %u",
                   SMMU_VCM_MAX_CONTEXTS, s->num_contexts);
        return;
    }
    if (s->num_mids < 1 || s->num_mids > SMMU_VCM_MAX_MIDS) {
        error_setg(errp, "num-mids must be 1..%u, not %u",
                   SMMU_VCM_MAX_MIDS, s->num_mids);
        return;
    }
    if (s->tlb_entries > SMMU_VCM_MAX_TLB) {
        error_setg(errp, "tlb-entries must be 0..%u, not %u",
                   SMMU_VCM_MAX_TLB, s->tlb_entries);
        return;
    }

    memory_region_init_io(&s->iomem, OBJECT(s), &smmu_vcm_ops, s,
                          "smmu-vcm", SMMU_VCM_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    for (int i = 0; i < SMMU_VCM_NUM_IRQS; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }

    s->downstream = &address_space_memory;
    memory_region_init_io(&s->raz_wi, OBJECT(s), &smmu_vcm_raz_wi_ops, s,
                          "smmu-vcm-raz-wi", UINT64_MAX);
    address_space_init(&s->raz_wi_as, &s->raz_wi, "smmu-vcm-raz-wi");
    smmu_vcm_tlb_init(&s->tlb, s->tlb_entries);

    /* One IOMMU region per master ID (qemu-integration.md 2). */
    s->masters = g_new0(SMMUVCMMaster, s->num_mids);
    for (mid = 0; mid < s->num_mids; mid++) {
        SMMUVCMMaster *m = &s->masters[mid];
        g_autofree char *name = g_strdup_printf("smmu-vcm-mid%u", mid);

        m->smmu = s;
        m->mid = mid;
        memory_region_init_iommu(&m->iommu, sizeof(m->iommu),
                                 TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
                                 OBJECT(s), name, SMMU_VCM_VA_SIZE);
    }
}

/*
 * spec 6 [R]: every register resets to 0 (M2VCBR 0: bank 0, bypass), so
 * all masters pass through until a driver attaches. Runs in the exit
 * phase, after masters have quiesced their DMA.
 */
static void smmu_vcm_reset_exit(Object *obj, ResetType type)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    memset(s->ctx, 0, sizeof(s->ctx));
    memset(s->m2vcbr, 0, sizeof(s->m2vcbr));
    memset(s->cbacr, 0, sizeof(s->cbacr));
    s->cr = s->tlbrsw = s->testbuscr = s->rpu_acr = 0;
    s->ear = s->esr = s->esynr0 = s->esynr1 = 0;
    memset(s->tlbtr, 0, sizeof(s->tlbtr));
    smmu_vcm_tlb_inv_all(&s->tlb);
    smmu_vcm_config_changed(s);
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        s->masters[mid].last_fault = SMMU_VCM_MASTER_OK;
    }
    smmu_vcm_update_irq(s);
}

static void smmu_vcm_add_stat(Object *obj, const char *name, uint64_t *v,
                              const char *desc)
{
    object_property_add_uint64_ptr(obj, name, v, OBJ_PROP_FLAG_READ);
    object_property_set_description(obj, name, desc);
}

static void smmu_vcm_init(Object *obj)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    /* Written by sysbus-fdt after realize, so not a qdev property. */
    object_property_add_uint32_ptr(obj, "fdt-phandle", &s->fdt_phandle,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_set_description(obj, "fdt-phandle",
        "phandle of the device-tree node (set by the machine)");

    smmu_vcm_add_stat(obj, "translations", &s->stats.translations,
                      "translate calls from masters (read-only)");
    smmu_vcm_add_stat(obj, "tlb-hits", &s->stats.tlb_hits,
                      "TLB hits (read-only)");
    smmu_vcm_add_stat(obj, "tlb-misses", &s->stats.tlb_misses,
                      "TLB misses (read-only)");
    smmu_vcm_add_stat(obj, "walks", &s->stats.walks,
                      "page-table walks (read-only)");
    smmu_vcm_add_stat(obj, "desc-reads", &s->stats.desc_reads,
                      "descriptor reads by walks (read-only)");
    smmu_vcm_add_stat(obj, "evictions", &s->tlb.evictions,
                      "valid TLB entries replaced (read-only)");
    smmu_vcm_add_stat(obj, "invalidations", &s->stats.invalidations,
                      "TLB maintenance operations (read-only)");
    smmu_vcm_add_stat(obj, "faults", &s->stats.faults,
                      "context faults (read-only)");
    smmu_vcm_add_stat(obj, "stalls", &s->stats.stalls,
                      "faults that stalled (read-only)");
    smmu_vcm_add_stat(obj, "stale-hits", &s->stats.stale_hits,
                      "TLB hits the page tables no longer agree with, "
                      "with check-stale=on (read-only)");
}

static void smmu_vcm_finalize(Object *obj)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    smmu_vcm_tlb_destroy(&s->tlb);
    g_free(s->masters);
}

/* The TLB is not migrated: the destination starts empty (spec 4.4). */
static int smmu_vcm_post_load(void *opaque, int version_id)
{
    SMMUVCMState *s = opaque;

    smmu_vcm_tlb_inv_all(&s->tlb);
    smmu_vcm_config_changed(s);
    return 0;
}

static const VMStateDescription vmstate_smmu_vcm_ctx = {
    .name = "smmu-vcm/context",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, SMMUVCMContext, SMMU_VCM_CTX_REGS),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_smmu_vcm = {
    .name = TYPE_SMMU_VCM,
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_IOMMU,
    .post_load = smmu_vcm_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(ctx, SMMUVCMState, SMMU_VCM_MAX_CONTEXTS, 1,
                             vmstate_smmu_vcm_ctx, SMMUVCMContext),
        VMSTATE_UINT32_ARRAY(m2vcbr, SMMUVCMState, SMMU_VCM_MAX_MIDS),
        VMSTATE_UINT32_ARRAY(cbacr, SMMUVCMState, SMMU_VCM_MAX_CONTEXTS),
        VMSTATE_UINT32(cr, SMMUVCMState),
        VMSTATE_UINT32(tlbrsw, SMMUVCMState),
        VMSTATE_UINT32_ARRAY(tlbtr, SMMUVCMState, 3),
        VMSTATE_UINT32(testbuscr, SMMUVCMState),
        VMSTATE_UINT32(ear, SMMUVCMState),
        VMSTATE_UINT32(esr, SMMUVCMState),
        VMSTATE_UINT32(esynr0, SMMUVCMState),
        VMSTATE_UINT32(esynr1, SMMUVCMState),
        VMSTATE_UINT32(rpu_acr, SMMUVCMState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property smmu_vcm_properties[] = {
    DEFINE_PROP_UINT32("num-contexts", SMMUVCMState, num_contexts, 4),
    DEFINE_PROP_UINT32("num-mids", SMMUVCMState, num_mids, 128),
    DEFINE_PROP_UINT32("tlb-entries", SMMUVCMState, tlb_entries, 64),
    DEFINE_PROP_BOOL("check-stale", SMMUVCMState, check_stale, false),
    DEFINE_PROP_BOOL("fault-sl", SMMUVCMState, fault_sl, false),
    DEFINE_PROP_BOOL("fault-multi", SMMUVCMState, fault_multi, false),
    DEFINE_PROP_BOOL("force-abort", SMMUVCMState, force_abort, false),
};

static void smmu_vcm_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Qualcomm MSM SMMU v0 (qcom,apq8064-iommu)";
    dc->realize = smmu_vcm_realize;
    dc->vmsd = &vmstate_smmu_vcm;
    dc->user_creatable = true;
    rc->phases.exit = smmu_vcm_reset_exit;
    device_class_set_props(dc, smmu_vcm_properties);
    object_class_property_set_description(klass, "num-contexts",
        "context banks (1-128); the guest sees it as qcom,ncb");
    object_class_property_set_description(klass, "num-mids",
        "master IDs routed by M2VCBR (1-512)");
    object_class_property_set_description(klass, "tlb-entries",
        "entries of the TLB shared by all contexts (0 = walk every access)");
    object_class_property_set_description(klass, "check-stale",
        "re-walk every TLB hit and count/trace the ones the page tables "
        "no longer agree with (missing invalidations)");
    object_class_property_set_description(klass, "fault-sl",
        "set FSR.SL for level-2 faults (Linux 6.1 never clears it)");
    object_class_property_set_description(klass, "fault-multi",
        "set FSR.MULTI for faults while one is recorded (Linux 6.1 never "
        "clears it)");
    object_class_property_set_description(klass, "force-abort",
        "terminate faulting accesses with an abort even when ACTLR.CFERE=0");
}

static void smmu_vcm_iommu_mr_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = smmu_vcm_translate;
    imrc->attrs_to_index = smmu_vcm_attrs_to_index;
    imrc->num_indexes = smmu_vcm_num_indexes;
    imrc->notify_flag_changed = smmu_vcm_notify_flag_changed;
}

static const TypeInfo smmu_vcm_types[] = {
    {
        .name = TYPE_SMMU_VCM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SMMUVCMState),
        .instance_init = smmu_vcm_init,
        .instance_finalize = smmu_vcm_finalize,
        .class_init = smmu_vcm_class_init,
    }, {
        .name = TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
        .parent = TYPE_IOMMU_MEMORY_REGION,
        .class_init = smmu_vcm_iommu_mr_class_init,
    },
};

DEFINE_TYPES(smmu_vcm_types)
