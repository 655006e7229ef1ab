/*
 * smmu-vcm translation pipeline: routing, lookup, permissions, faults,
 * stall, and the V2P operations
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Decide, then apply. smmu_vcm_decide_ctx() is the one pure decision,
 * shared by DMA translation and V2P: given a context bank's decoded
 * configuration it looks in the TLB and/or walks the tables and returns
 * an outcome (translated, or a fault with its cause and level). It reads
 * guest memory and registers and changes nothing, so diagnostics
 * (check-stale) can call it freely. The closing steps,
 * smmu_vcm_translate_apply() and smmu_vcm_v2p(), record what the guest
 * sees: FSR/FAR/FSYNR or ESR, TLBFLPTER/TLBSLPTER of a real walk, TLB
 * fills, statistics, interrupts, and the IOMMUTLBEntry a master gets.
 *
 * A terminated transaction goes to one of two sinks: reads as zero and
 * ignored writes (ACTLR.CFERE = 0), or an abort that the master sees as
 * MEMTX_ACCESS_ERROR (CFERE = 1, global errors, stalls).
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"
#include "smmu-vcm-internal.h"
#include "trace.h"

/* iommu_idx of unprivileged transactions (MemTxAttrs.user) */
#define SMMU_VCM_IDX_USER   1

void smmu_vcm_decode_ctx(SMMUVCMState *s, unsigned ctx)
{
    const uint32_t *r = s->ctx[ctx].regs;
    uint32_t sctlr = r[R_SCTLR], actlr = r[R_ACTLR];
    SMMUVCMCtxConfig cfg = {
        .translate = FIELD_EX32(sctlr, SCTLR, M),
        .tre = FIELD_EX32(sctlr, SCTLR, TRE),
        .stall = FIELD_EX32(actlr, ACTLR, CFCFG),
        .abort = FIELD_EX32(actlr, ACTLR, CFERE),
        .tlbmcfg = FIELD_EX32(actlr, ACTLR, TLBMCFG),
        .v2pcfg = FIELD_EX32(actlr, ACTLR, V2PCFG),
        .privcfg = FIELD_EX32(actlr, ACTLR, PRIVCFG),
        .walk = {
            .ttbr0 = r[R_TTBR0],
            .ttbr1 = r[R_TTBR1],
            .ttbcr = r[R_TTBCR],
            .afe = FIELD_EX32(sctlr, SCTLR, AFE),
            .affd = FIELD_EX32(sctlr, SCTLR, AFFD),
        },
        /* spec 4.3 [R]: entries carry the bank, its CBVMID and ASID */
        .tag = {
            .ctx = ctx,
            .vmid = FIELD_EX32(s->cbacr[ctx], CBACR, CBVMID),
            .asid = FIELD_EX32(r[R_CONTEXTIDR], CONTEXTIDR, ASID),
        },
    };

    if (memcmp(&cfg, &s->config[ctx], sizeof(cfg))) {
        s->config[ctx] = cfg;
        s->config_gen++;        /* micro-TLBs depended on the old one */
    }
}

/* Walks read little-endian descriptors through the memory API. */
static SMMUVCMReadStatus smmu_vcm_read_desc(void *opaque, uint64_t addr,
                                            uint32_t *desc)
{
    SMMUVCMState *s = opaque;
    MemTxResult res;

    *desc = address_space_ldl_le(&s->downstream, addr,
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

/*
 * A fresh outcome: only the scalar fields; the walk result and the
 * translation are written when there is one (a translation is decided
 * per DMA step, and clearing two translations each time shows).
 */
static void smmu_vcm_outcome_init(SMMUVCMOutcome *out, unsigned ctx)
{
    out->verdict = SMMU_VCM_TRANSLATED;
    out->ctx = ctx;
    out->esr = 0;
    out->fault = SMMU_VCM_FAULT_NONE;
    out->level = 0;
    out->source = SMMU_VCM_FROM_NOWHERE;
    out->tlb_index = -1;
    out->tlb_missed = false;
    out->walked = false;
    out->in_run = false;
}

static void smmu_vcm_set_fault(SMMUVCMOutcome *out, SMMUVCMFault fault,
                               uint8_t level)
{
    out->verdict = SMMU_VCM_CONTEXT_FAULT;
    out->fault = fault;
    out->level = level;
}

/* spec 3.6: the mapping must grant this kind of access */
static void smmu_vcm_check_perms(SMMUVCMOutcome *out, bool write, bool user)
{
    if (!(out->t.perms & smmu_vcm_perm_needed(write, user))) {
        smmu_vcm_set_fault(out, SMMU_VCM_FAULT_PERMISSION,
                           out->t.size >= SMMU_VCM_SIZE_1M ? 1 : 2);
    }
}

/*
 * Decide @va in context @ctx into @out, fresh from smmu_vcm_outcome_init().
 * Always inline: a DMA transfer through 4K pages comes here on every
 * translation, and with QEMU's -fzero-call-used-regs a call costs more
 * than the hit it decides.
 */
static inline QEMU_ALWAYS_INLINE void
smmu_vcm_decide_ctx(const SMMUVCMState *s, unsigned ctx, uint32_t va,
                    bool write, bool user, SMMUVCMLookup lookup,
                    SMMUVCMOutcome *out)
{
    const SMMUVCMCtxConfig *cfg = &s->config[ctx];
    int idx = lookup.tlb ?
              smmu_vcm_tlb_lookup_hinted(&s->tlb, cfg->tag, va, lookup.hint) :
              -1;

    out->user = user;
    out->tlb_index = idx;
    out->tlb_missed = lookup.tlb && idx < 0;
    if (idx >= 0) {
        out->source = SMMU_VCM_FROM_TLB;
        out->t = s->tlb.entries[idx].t;
    } else if (!lookup.walk) {
        /* spec 3.7 [I]: only TLBMCFG = 3 walks on a miss */
        smmu_vcm_set_fault(out, SMMU_VCM_FAULT_TLB_MISS, 1);
        return;
    } else {
        smmu_vcm_walk(&cfg->walk, va, smmu_vcm_read_desc, (void *)s,
                      &out->walk);
        out->walked = true;
        if (out->walk.fault != SMMU_VCM_FAULT_NONE) {
            smmu_vcm_set_fault(out, out->walk.fault, out->walk.level);
            return;
        }
        out->source = SMMU_VCM_FROM_WALK;
        out->t = out->walk.t;
    }
    smmu_vcm_check_perms(out, write, user);
}

/* spec 3.6 [I]: ACTLR.PRIVCFG 1 forces user, 2 forces privileged. */
static bool smmu_vcm_is_user(const SMMUVCMCtxConfig *cfg, bool user)
{
    return cfg->privcfg == 1 || (cfg->privcfg != 2 && user);
}

/* spec 4.4: whether a hit of this page may be answered as a run */
static bool smmu_vcm_may_run(const SMMUVCMState *s, const SMMUVCMOutcome *out)
{
    return out->verdict == SMMU_VCM_TRANSLATED &&
           out->source == SMMU_VCM_FROM_TLB &&
           out->t.size <= SMMU_VCM_SIZE_64K && s->tlb_runs;
}

/*
 * Route a transaction of master @m (spec 3.1, 3.2) and decide it: the
 * master's micro-TLB first, then the context's lookup policy.
 */
static void smmu_vcm_decide(const SMMUVCMState *s, const SMMUVCMMaster *m,
                            uint32_t va, bool write, bool user,
                            SMMUVCMOutcome *out)
{
    uint32_t route = s->m2vcbr[m->mid];
    unsigned ctx = FIELD_EX32(route, M2VCBR, CBNDX);
    const SMMUVCMCtxConfig *cfg;
    const SMMUVCMTranslation *t;

    smmu_vcm_outcome_init(out, ctx);
    if (FIELD_EX32(s->cr, CR, CLIENTPD)) {
        out->verdict = SMMU_VCM_BYPASS;
        return;
    }
    if (ctx >= s->num_contexts) {
        out->verdict = SMMU_VCM_GLOBAL_ERROR;
        out->esr = R_ESR_CFG_MASK;
        return;
    }
    cfg = &s->config[ctx];
    user = smmu_vcm_is_user(cfg, user);
    if (!cfg->translate) {
        out->verdict = FIELD_EX32(route, M2VCBR, BYPASSD) ?
                       SMMU_VCM_GLOBAL_ERROR : SMMU_VCM_BYPASS;
        out->esr = R_ESR_BYPASS_MASK;
        return;
    }
    t = s->tlb.size ? smmu_vcm_utlb_lookup(&m->utlb, &s->tlb, s->config_gen,
                                           ctx, va) : NULL;
    if (t) {
        out->verdict = SMMU_VCM_TRANSLATED;
        out->source = SMMU_VCM_FROM_MICRO_TLB;
        out->user = user;
        out->t = *t;
        smmu_vcm_check_perms(out, write, user);
    } else {
        SMMUVCMLookup lookup = {
            .tlb = s->tlb.size > 0,
            .walk = !s->tlb.size || cfg->tlbmcfg == 3,
            .hint = smmu_vcm_utlb_hint(&m->utlb, write),
        };

        smmu_vcm_decide_ctx(s, ctx, va, write, user, lookup, out);
        /* spec 4.4: a cached page answers for its whole run */
        out->in_run = smmu_vcm_may_run(s, out) &&
                      smmu_vcm_tlb_run(&s->tlb, cfg->tag, out->tlb_index);
    }
}

/* A walk made for a transaction or a V2P operation, as the guest sees it */
static void smmu_vcm_record_walk(SMMUVCMState *s, unsigned ctx, uint32_t va,
                                 const SMMUVCMWalkResult *w)
{
    s->stats.walks++;
    s->stats.desc_reads += w->desc_reads;
    if (w->reserved) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u va 0x%08x: "
                      "reserved level-%u descriptor 0x%08x\n", ctx, va,
                      w->level, w->level == 1 ? w->t.l1desc : w->t.l2desc);
    }
    if (w->fault == SMMU_VCM_FAULT_WALK_DECODE ||
        w->fault == SMMU_VCM_FAULT_WALK_SLAVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u va 0x%08x: "
                      "level-%u descriptor at 0x%" PRIx64 " not readable\n",
                      ctx, va, w->level, w->fault_addr);
    }
    /* spec 4.2: the descriptors of the last walk */
    *smmu_vcm_ctx_reg(s, ctx, R_TLBFLPTER) = w->t.l1desc;
    *smmu_vcm_ctx_reg(s, ctx, R_TLBSLPTER) = w->t.l2desc;
    trace_smmu_vcm_walk(ctx, va, w->fault, w->level, w->desc_reads,
                        w->t.pa_base, w->t.size);
}

/*
 * check-stale: a TLB hit that the tables, walked afresh, no longer give
 * is a missing invalidation. Only stale-hits changes.
 */
static void smmu_vcm_check_stale_page(SMMUVCMState *s, unsigned ctx,
                                      uint32_t va, uint64_t cached_pa,
                                      uint8_t cached_perms)
{
    static const SMMUVCMLookup walk_only = { .walk = true };
    SMMUVCMOutcome fresh;
    uint64_t fresh_pa;

    smmu_vcm_outcome_init(&fresh, ctx);
    smmu_vcm_decide_ctx(s, ctx, va, false, false, walk_only, &fresh);
    fresh_pa = fresh.walk.t.pa_base + (va - fresh.walk.t.va_base);
    if (fresh.walk.fault != SMMU_VCM_FAULT_NONE || fresh_pa != cached_pa ||
        fresh.walk.t.perms != cached_perms) {
        s->stats.stale_hits++;
        trace_smmu_vcm_stale_hit(ctx, va, cached_pa,
                                 fresh.walk.fault ? UINT64_MAX : fresh_pa);
    }
}

/* The hit of @va, or all 16 pages of its run (each as cached, spec 4.4) */
static void smmu_vcm_check_stale(SMMUVCMState *s, unsigned ctx, uint32_t va,
                                 const SMMUVCMTranslation *cached, bool run)
{
    uint32_t span = cached->size * SMMU_VCM_TLB_RUN_PAGES;
    uint32_t va0 = cached->va_base & ~(span - 1);
    uint64_t pa0 = cached->pa_base - (cached->va_base - va0);

    if (!run) {
        smmu_vcm_check_stale_page(s, ctx, va, cached->pa_base +
                                  (va - cached->va_base), cached->perms);
        return;
    }
    for (uint32_t at = 0; at < span; at += cached->size) {
        smmu_vcm_check_stale_page(s, ctx, va0 + at, pa0 + at, cached->perms);
    }
}

/* The caches and counters a translation's lookup went through */
static void smmu_vcm_account(SMMUVCMState *s, SMMUVCMMaster *m, uint32_t va,
                             bool write, const SMMUVCMOutcome *out)
{
    SMMUVCMCtxStats *cs = &s->ctx_stats[out->ctx];
    int idx = out->tlb_index;

    if (out->source == SMMU_VCM_FROM_MICRO_TLB ||
        out->source == SMMU_VCM_FROM_TLB) {
        s->stats.tlb_hits++;
        cs->tlb_hits++;
        if (out->source == SMMU_VCM_FROM_TLB) {
            s->tlb.entries[out->tlb_index].hits++;
        }
        trace_smmu_vcm_tlb_hit(out->ctx, va, out->t.pa_base, out->t.size);
        if (s->check_stale) {
            smmu_vcm_check_stale(s, out->ctx, va, &out->t, out->in_run);
        }
    } else if (out->tlb_missed) {
        s->stats.tlb_misses++;
        cs->tlb_misses++;
        trace_smmu_vcm_tlb_miss(out->ctx, va);
    }
    if (out->walked) {
        smmu_vcm_record_walk(s, out->ctx, va, &out->walk);
    }
    if (out->source == SMMU_VCM_FROM_WALK && s->tlb.size) {
        idx = smmu_vcm_tlb_insert(&s->tlb, s->config[out->ctx].tag, &out->t);
        trace_smmu_vcm_tlb_insert(out->ctx, idx, out->t.va_base,
                                  out->t.pa_base, out->t.size);
    }
    if (smmu_vcm_may_run(s, out)) {
        smmu_vcm_tlb_note_run(&s->tlb, s->config[out->ctx].tag, idx,
                              out->in_run);
        if (out->in_run) {
            trace_smmu_vcm_tlb_run(out->ctx, va, out->t.pa_base,
                                   out->t.size * SMMU_VCM_TLB_RUN_PAGES);
        }
    }
    if ((out->source == SMMU_VCM_FROM_WALK ||
         out->source == SMMU_VCM_FROM_TLB) && s->tlb.size) {
        smmu_vcm_utlb_fill(&m->utlb, s->tlb.generation, s->config_gen,
                           out->ctx, &out->t, idx, write);
        smmu_vcm_tlb_prefetch(&s->tlb, smmu_vcm_utlb_hint(&m->utlb, write));
    }
}

/*
 * spec 3.7: the first fault of a context records FAR/FSYNR and its cause;
 * later ones only MULTI (when enabled). SS marks a stalled context.
 */
static void smmu_vcm_record_fault(SMMUVCMState *s, const SMMUVCMOutcome *out,
                                  uint32_t mid, uint32_t va, bool write,
                                  bool user, bool stall)
{
    uint32_t *fsr = smmu_vcm_ctx_reg(s, out->ctx, R_FSR);

    s->stats.faults++;
    trace_smmu_vcm_fault(out->ctx, mid, va, write, out->fault, out->level,
                         stall);
    if (*fsr & SMMU_VCM_FSR_RECORDED) {
        if (s->fault_multi) {
            *fsr |= R_FSR_MULTI_MASK;
        }
        return;
    }
    *smmu_vcm_ctx_reg(s, out->ctx, R_FAR) = va;
    *smmu_vcm_ctx_reg(s, out->ctx, R_FSYNR0) = FIELD_DP32(0, FSYNR0, AMID,
                                                          mid);
    *smmu_vcm_ctx_reg(s, out->ctx, R_FSYNR1) =
        (write ? R_FSYNR1_AWRITE_MASK : 0) | (user ? 0 : R_FSYNR1_APRIV_MASK);
    *fsr |= 1u << out->fault;
    if (s->fault_sl && out->level == 2) {
        *fsr |= R_FSR_SL_MASK;
    }
    if (stall) {
        *fsr |= R_FSR_SS_MASK;
    }
    smmu_vcm_update_irq(s);
}

/* spec 3.1 [I]: global errors (bad routing) go to ESR/EAR/ESYNR0. */
static void smmu_vcm_global_error(SMMUVCMState *s, uint32_t mid,
                                  uint32_t va, uint32_t cause)
{
    qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: mid %u va 0x%08x: %s\n",
                  mid, va, cause == R_ESR_CFG_MASK ?
                  "M2VCBR routes to a context bank beyond qcom,ncb" :
                  "bypass disabled (M2VCBR.BYPASSD) for a context with M=0");
    if (s->esr & (R_ESR_CFG_MASK | R_ESR_BYPASS_MASK)) {
        s->esr |= R_ESR_MULTI_MASK;
        return;
    }
    s->esr |= cause;
    s->ear = va;
    s->esynr0 = FIELD_DP32(0, ESYNR0, AMID, mid);
}

/* Where a terminated transaction ends: an abort, or RAZ/WI. */
static IOMMUTLBEntry smmu_vcm_terminated(SMMUVCMState *s, hwaddr addr,
                                         bool abort)
{
    return (IOMMUTLBEntry) {
        .target_as = abort ? &s->abort_as : &s->raz_wi_as,
        .iova = addr & ~(hwaddr)0xFFF,
        .translated_addr = addr & ~(hwaddr)0xFFF,
        .addr_mask = 0xFFF,
        .perm = IOMMU_RW,
    };
}

/*
 * spec 3.9: a fault in a context with CFCFG=1 (and CR.STALLD=0) stalls
 * the transaction if its master can wait for RESUME; otherwise, and with
 * CFCFG=0, it is terminated: abort with CFERE=1, read-as-zero/write-ignored
 * with CFERE=0.
 */
static IOMMUTLBEntry smmu_vcm_context_fault(SMMUVCMState *s, SMMUVCMMaster *m,
                                            const SMMUVCMOutcome *out,
                                            uint32_t va, bool write,
                                            bool user)
{
    const SMMUVCMCtxConfig *cfg = &s->config[out->ctx];
    bool stall = cfg->stall && !FIELD_EX32(s->cr, CR, STALLD);

    smmu_vcm_record_fault(s, out, m->mid, va, write, user, stall);
    if (stall) {
        s->stats.stalls++;
        if (m->stallable) {
            SMMU_VCM_STALLABLE_GET_CLASS(m->stallable)->park(m->stallable,
                                                              va);
            return smmu_vcm_terminated(s, va, true);
        }
        if (!s->stall_unimp_logged) {
            qemu_log_mask(LOG_UNIMP, "smmu-vcm: mid %u cannot stall; its "
                          "faulting accesses are terminated at once\n",
                          m->mid);
            s->stall_unimp_logged = true;
        }
    }
    return smmu_vcm_terminated(s, va, cfg->abort || s->force_abort);
}

/* What a translation's permissions grant an access of this privilege */
static IOMMUAccessFlags smmu_vcm_iommu_perm(uint8_t perms, bool user)
{
    return (perms & smmu_vcm_perm_needed(false, user) ? IOMMU_RO : 0) |
           (perms & smmu_vcm_perm_needed(true, user) ? IOMMU_WO : 0);
}

/*
 * spec 4.4: the range an answer covers. A run covers its 16 pages. A block
 * covers no more than the smallest block its context caches: another VA
 * of the block could find one of those first, as a remap without
 * invalidation leaves them.
 */
static uint32_t smmu_vcm_answer_size(const SMMUVCMState *s,
                                     const SMMUVCMOutcome *out)
{
    uint32_t cached = s->tlb.sizes[out->ctx];
    uint32_t smallest = cached & -cached;

    if (out->in_run) {
        return out->t.size * SMMU_VCM_TLB_RUN_PAGES;
    }
    return smallest && smallest < out->t.size ? smallest : out->t.size;
}

/* The IOMMUTLBEntry of a translation, a bypass, or nothing usable */
static inline IOMMUTLBEntry smmu_vcm_entry(SMMUVCMState *s,
                                           const SMMUVCMOutcome *out,
                                           hwaddr addr)
{
    IOMMUTLBEntry entry = {
        .target_as = &s->downstream,
        .iova = addr & ~(hwaddr)0xFFF,
        .translated_addr = addr & ~(hwaddr)0xFFF,
        .addr_mask = 0xFFF,
        .perm = IOMMU_NONE,
    };

    if (out->verdict == SMMU_VCM_BYPASS) {
        entry.iova = entry.translated_addr = 0;
        entry.addr_mask = SMMU_VCM_VA_SIZE - 1;
        entry.perm = IOMMU_RW;
    } else if (out->source != SMMU_VCM_FROM_NOWHERE) {
        uint32_t size = smmu_vcm_answer_size(s, out);

        /* the range lies at the same offset of the block on both sides */
        entry.iova = addr & ~(hwaddr)(size - 1);
        entry.translated_addr = out->t.pa_base + (entry.iova -
                                                  out->t.va_base);
        entry.addr_mask = size - 1;
        entry.perm = smmu_vcm_iommu_perm(out->t.perms, out->user);
    }
    return entry;
}

/* The closing step of a master's transaction */
static IOMMUTLBEntry smmu_vcm_translate_apply(SMMUVCMState *s,
                                              SMMUVCMMaster *m, hwaddr addr,
                                              bool write, bool user,
                                              const SMMUVCMOutcome *out)
{
    IOMMUTLBEntry entry;

    s->stats.translations++;
    switch (out->verdict) {
    case SMMU_VCM_BYPASS:
        trace_smmu_vcm_translate_bypass(m->mid, addr);
        return smmu_vcm_entry(s, out, addr);
    case SMMU_VCM_GLOBAL_ERROR:
        smmu_vcm_global_error(s, m->mid, addr, out->esr);
        return smmu_vcm_terminated(s, addr, true);
    default:
        break;
    }
    smmu_vcm_account(s, m, addr, write, out);
    if (out->verdict == SMMU_VCM_CONTEXT_FAULT) {
        return smmu_vcm_context_fault(s, m, out, addr, write, user);
    }
    entry = smmu_vcm_entry(s, out, addr);
    trace_smmu_vcm_translate(m->mid, out->ctx, addr,
                             out->t.pa_base + (addr - out->t.va_base),
                             entry.perm);
    return entry;
}

/*
 * IOMMU_NONE asks what a mapping is without making an access: decided,
 * never applied.
 */
static IOMMUTLBEntry smmu_vcm_translate(IOMMUMemoryRegion *iommu,
                                        hwaddr addr, IOMMUAccessFlags flag,
                                        int iommu_idx)
{
    SMMUVCMMaster *m = container_of(iommu, SMMUVCMMaster, iommu);
    SMMUVCMState *s = m->smmu;
    bool write = flag & IOMMU_WO;
    bool user = iommu_idx == SMMU_VCM_IDX_USER;
    SMMUVCMOutcome out SMMU_VCM_UNINITIALIZED;

    smmu_vcm_decide(s, m, addr, write, user, &out);
    if (flag == IOMMU_NONE) {
        return smmu_vcm_entry(s, &out, addr);
    }
    return smmu_vcm_translate_apply(s, m, addr, write, user, &out);
}

/*
 * spec 3.10: V2PPR/PW/UR/UW translate VA[31:12] in this bank with the
 * access type of the register; the result goes to PAR and V2PSR only.
 * ACTLR.V2PCFG: 0 disabled, 1 TLB only, 2 walk only, 3 TLB then walk.
 */
void smmu_vcm_v2p(SMMUVCMState *s, unsigned ctx, uint32_t value,
                  bool write, bool user)
{
    const SMMUVCMCtxConfig *cfg = &s->config[ctx];
    uint32_t va = value & R_V2PPR_VA_MASK;
    SMMUVCMLookup lookup = {
        .tlb = (cfg->v2pcfg & 1) && s->tlb.size,
        .walk = cfg->v2pcfg & 2,
        .hint = UINT32_MAX,     /* no master: the index alone */
    };
    uint32_t par, v2psr = 0;
    SMMUVCMOutcome out;

    if (!cfg->translate) {
        par = va;                           /* spec 3.10 [R]: flat */
    } else if (!cfg->v2pcfg) {
        par = R_PAR_FAULT_MASK;             /* V2P disabled */
    } else {
        smmu_vcm_outcome_init(&out, ctx);
        smmu_vcm_decide_ctx(s, ctx, va, write, user, lookup, &out);
        if (out.walked) {
            smmu_vcm_record_walk(s, ctx, va, &out.walk);
        }
        if (out.source == SMMU_VCM_FROM_TLB) {
            v2psr = FIELD_DP32(R_V2PSR_HIT_MASK, V2PSR, INDEX,
                               out.tlb_index);
        }
        if (out.verdict == SMMU_VCM_CONTEXT_FAULT) {
            /* spec 3.10: a fault sets FAULT and the FSR bit of its cause */
            par = R_PAR_FAULT_MASK | 1u << out.fault;
        } else {
            par = smmu_vcm_par_encode(&out.t, va, cfg->tre,
                                      *smmu_vcm_ctx_reg(s, ctx, R_PRRR));
        }
    }
    trace_smmu_vcm_v2p(ctx, va, write, user, par);
    *smmu_vcm_ctx_reg(s, ctx, R_PAR) = par;
    *smmu_vcm_ctx_reg(s, ctx, R_V2PSR) = v2psr;
}

/*
 * spec 3.9: RESUME clears SS; a master parked on this bank retries its
 * access (TNR=0) or has it terminated (TNR=1). The parked master is
 * woken even if the guest already cleared SS through FSR (as Linux's
 * fault handler does), so a stall always has a way out.
 */
void smmu_vcm_resume(SMMUVCMState *s, unsigned ctx, bool terminate)
{
    uint32_t *fsr = smmu_vcm_ctx_reg(s, ctx, R_FSR);

    trace_smmu_vcm_resume(ctx, terminate, FIELD_EX32(*fsr, FSR, SS));
    *fsr = FIELD_DP32(*fsr, FSR, SS, 0);
    smmu_vcm_update_irq(s);
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        SMMUVCMMaster *m = &s->masters[mid];

        /* The master knows whether it is parked (that state migrates). */
        if (m->stallable &&
            FIELD_EX32(s->m2vcbr[mid], M2VCBR, CBNDX) == ctx) {
            SMMU_VCM_STALLABLE_GET_CLASS(m->stallable)->resume(m->stallable,
                                                                terminate);
        }
    }
}

/* iommu_idx 1 carries unprivileged (MemTxAttrs.user) transactions. */
static int smmu_vcm_attrs_to_index(IOMMUMemoryRegion *iommu,
                                   MemTxAttrs attrs)
{
    return attrs.user ? SMMU_VCM_IDX_USER : 0;
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

static void smmu_vcm_iommu_mr_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = smmu_vcm_translate;
    imrc->attrs_to_index = smmu_vcm_attrs_to_index;
    imrc->num_indexes = smmu_vcm_num_indexes;
    imrc->notify_flag_changed = smmu_vcm_notify_flag_changed;
}

const TypeInfo smmu_vcm_iommu_mr_info = {
    .name = TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
    .parent = TYPE_IOMMU_MEMORY_REGION,
    .class_init = smmu_vcm_iommu_mr_class_init,
};
