/*
 * smmu-vcm TLB: one translation cache shared by all contexts of an SMMU
 * (docs/specs/smmu-vcm.rst 4). Pure logic, no device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_SMMU_VCM_TLB_H
#define HW_SMMU_VCM_TLB_H

#include "hw/smmu-vcm/smmu-vcm-walk.h"

/* What an entry is tagged with, besides the VA range it covers */
typedef struct SMMUVCMTLBTag {
    uint8_t ctx;        /* context bank that walked it */
    uint8_t vmid;       /* M2VCBR.VMID of the master */
    uint8_t asid;       /* CONTEXTIDR.ASID; ignored for global (nG=0) */
} SMMUVCMTLBTag;

/*
 * One entry fills one host cache line (SMMU_VCM_TLB_LINE bytes, so
 * aligned): a hit reads and writes no other, which a transfer through
 * 4K pages does once per translation, on a line its copying has evicted.
 */
#define SMMU_VCM_TLB_LINE   64

typedef struct SMMUVCMTLBEntry {
    SMMUVCMTranslation t;
    /*
     * Lookups this entry answered since it was filled; a diagnostic for
     * info smmu-vcm only (a master's micro-TLB answers repeats without
     * reaching the shared TLB, so those are not counted here).
     */
    uint64_t hits;
    /*
     * Whether this page is part of a run (smmu_vcm_tlb_run() below),
     * as found for run_tag while the TLB's epoch was run_epoch
     */
    uint64_t run_epoch;
    SMMUVCMTLBTag run_tag;
    bool run;
    bool valid;
    SMMUVCMTLBTag tag;
} QEMU_ALIGNED(SMMU_VCM_TLB_LINE) SMMUVCMTLBEntry;

/* A slot of the index: a key and the entry it names, plus one (0: empty) */
typedef struct SMMUVCMTLBSlot {
    uint32_t key;
    uint32_t entry;
} SMMUVCMTLBSlot;

typedef struct SMMUVCMTLB {
    SMMUVCMTLBEntry *entries;
    uint32_t size;
    /*
     * (ctx, block size, VA block) -> entry: open addressing with linear
     * probing over 2^index_bits slots, at most half of them used.
     */
    SMMUVCMTLBSlot *index;
    unsigned index_bits;
    uint32_t victim;        /* round-robin replacement pointer */
    /* Valid entries of each context and block size, 4K to 16M */
    uint32_t per_size[UINT8_MAX + 1][4];
    /*
     * The block sizes each context holds, ORed (per_size[ctx][i] != 0):
     * a lookup skips the sizes its context holds none of (another
     * context's 4K pages do not slow a context that maps sections).
     */
    uint32_t sizes[UINT8_MAX + 1];
    /*
     * Bumped whenever an entry is removed or replaced, so that callers
     * can validate copies they keep of earlier lookups.
     */
    uint64_t generation;
    /* Bumped by every insertion and removal: what a run depends on */
    uint64_t epoch;
    uint64_t evictions;     /* valid entries replaced by inserts */
    uint64_t invalidated;   /* entries removed by maintenance ops */
} SMMUVCMTLB;

void smmu_vcm_tlb_init(SMMUVCMTLB *tlb, uint32_t size);
void smmu_vcm_tlb_destroy(SMMUVCMTLB *tlb);

/*
 * The entry context @tag.ctx may use for @va: same context and VMID, and
 * global or of the same ASID. Returns its index or -1.
 */
int smmu_vcm_tlb_lookup(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        uint32_t va);

/*
 * The matching rules, inline: a transfer through 4K pages applies them
 * on every translation (smmu_vcm_tlb_lookup_hinted() below).
 */

static inline bool smmu_vcm_tlb_covers(const SMMUVCMTLBEntry *e, uint32_t va)
{
    return (va & ~(e->t.size - 1)) == e->t.va_base;
}

/* spec 4.3: global entries match any ASID */
static inline bool smmu_vcm_tlb_asid_matches(const SMMUVCMTLBEntry *e,
                                             uint8_t asid)
{
    return !e->t.ng || e->tag.asid == asid;
}

/* An entry of @tag's context answers @tag when VMID and ASID agree. */
static inline bool smmu_vcm_tlb_tag_matches(const SMMUVCMTLBEntry *e,
                                            SMMUVCMTLBTag tag)
{
    return e->tag.vmid == tag.vmid && smmu_vcm_tlb_asid_matches(e, tag.asid);
}

/* Whether context @ctx caches no block smaller than @size */
static inline bool smmu_vcm_tlb_none_smaller(const SMMUVCMTLB *tlb,
                                             uint8_t ctx, uint32_t size)
{
    return !(tlb->sizes[ctx] & (size - 1));
}

/*
 * The same answer, found without the index when entry @hint holds it
 * (any @hint may be given: a master passes smmu_vcm_utlb_hint(), which
 * a transfer through pages filled in order hits). The
 * lookup tries 4K first and a context holds one entry per block of a
 * size, so @hint is the answer if it holds @va for @tag and no smaller
 * block is cached.
 */
static inline int smmu_vcm_tlb_lookup_hinted(const SMMUVCMTLB *tlb,
                                             SMMUVCMTLBTag tag, uint32_t va,
                                             uint32_t hint)
{
    const SMMUVCMTLBEntry *e = hint < tlb->size ? &tlb->entries[hint] : NULL;

    if (e && e->valid && e->tag.ctx == tag.ctx && smmu_vcm_tlb_covers(e, va) &&
        smmu_vcm_tlb_tag_matches(e, tag) &&
        smmu_vcm_tlb_none_smaller(tlb, tag.ctx, e->t.size)) {
        return hint;
    }
    return smmu_vcm_tlb_lookup(tlb, tag, va);
}

/*
 * A run: the 16 cached 4K (64K) pages of an aligned 64K (1M) of a context
 * that send it to one aligned 64K (1M) of output with the same
 * permissions, as a 64K large page (a 1M section) would (spec 4.4); for
 * 64K pages the context must cache no 4K page, which a lookup would find
 * first. A master's access to one of them is answered for all 16 at
 * once, so that a transfer through pages makes one translation per 16.
 */
#define SMMU_VCM_TLB_RUN_PAGES  16

/* Whether entry @idx is part of a run, found by looking at all 16 pages */
bool smmu_vcm_tlb_find_run(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                           uint32_t idx);

/*
 * Whether entry @idx, the answer of @tag's lookup of a page, is part of
 * a run: the answer smmu_vcm_tlb_note_run() kept for the entry while
 * nothing was inserted or removed, else looked for. Inline: a transfer
 * through 4K pages asks once per 64K.
 */
static inline bool smmu_vcm_tlb_run(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                                    uint32_t idx)
{
    const SMMUVCMTLBEntry *e = &tlb->entries[idx];

    if (e->run_epoch == tlb->epoch && e->run_tag.ctx == tag.ctx &&
        e->run_tag.vmid == tag.vmid && e->run_tag.asid == tag.asid) {
        return e->run;
    }
    return smmu_vcm_tlb_find_run(tlb, tag, idx);
}

/* Keep the answer @run that smmu_vcm_tlb_run() gave for @tag and @idx. */
static inline void smmu_vcm_tlb_note_run(SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                                         uint32_t idx, bool run)
{
    SMMUVCMTLBEntry *e = &tlb->entries[idx];

    e->run = run;
    e->run_tag = tag;
    e->run_epoch = tlb->epoch;
}

/*
 * Cache @t for @tag. An entry of the same context for the same block is
 * replaced; otherwise round-robin. Returns the index used.
 */
int smmu_vcm_tlb_insert(SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        const SMMUVCMTranslation *t);

/*
 * Maintenance operations (spec 4.3). Those that name a VA remove every
 * entry whose block covers it, whatever the block size.
 */
void smmu_vcm_tlb_inv_all(SMMUVCMTLB *tlb);                    /* TLBIALL */
void smmu_vcm_tlb_inv_vmid(SMMUVCMTLB *tlb, uint8_t vmid);     /* TLBIVMID */
void smmu_vcm_tlb_inv_ctx(SMMUVCMTLB *tlb, uint8_t ctx);       /* CTX_TLBIALL */
void smmu_vcm_tlb_inv_asid(SMMUVCMTLB *tlb, uint8_t vmid,      /* TLBIASID */
                           uint8_t asid);
void smmu_vcm_tlb_inv_va(SMMUVCMTLB *tlb, uint8_t vmid,        /* TLBIVA */
                         uint8_t asid, uint32_t va);
void smmu_vcm_tlb_inv_va_all_asid(SMMUVCMTLB *tlb,             /* TLBIVAA */
                                  uint8_t vmid, uint32_t va);

/*
 * A master's own cache of its last translations (a copy has a source and
 * a destination). Its entries are valid while the shared TLB and the
 * SMMU's configuration keep the generations they had when it was filled.
 */
#define SMMU_VCM_UTLB_SIZE  2

typedef struct SMMUVCMMicroTLB {
    struct {
        bool valid;
        uint8_t ctx;
        SMMUVCMTranslation t;
    } e[SMMU_VCM_UTLB_SIZE];
    unsigned next;
    /*
     * For reads and for writes, the shared TLB entry used last and its
     * distance from the one before: a transfer's next lookup tries the
     * entry as far on (smmu_vcm_utlb_hint()).
     */
    uint32_t tlb_last[2];
    uint32_t tlb_stride[2];
    uint64_t tlb_gen;
    uint64_t config_gen;
} SMMUVCMMicroTLB;

/*
 * The cached translation of @va in context @ctx, or NULL. A copy answers
 * only where the shared TLB's lookup would give the same (spec 4.3): not
 * a block of a context that also caches smaller ones, as a remap without
 * invalidation can leave over one VA. Inline: every DMA translation
 * starts here.
 */
static inline const SMMUVCMTranslation *
smmu_vcm_utlb_lookup(const SMMUVCMMicroTLB *u, const SMMUVCMTLB *tlb,
                     uint64_t config_gen, uint8_t ctx, uint32_t va)
{
    if (u->tlb_gen != tlb->generation || u->config_gen != config_gen) {
        return NULL;
    }
    for (unsigned i = 0; i < SMMU_VCM_UTLB_SIZE; i++) {
        const SMMUVCMTranslation *t = &u->e[i].t;

        if (u->e[i].valid && u->e[i].ctx == ctx &&
            (va & ~(t->size - 1)) == t->va_base) {
            return smmu_vcm_tlb_none_smaller(tlb, ctx, t->size) ? t : NULL;
        }
    }
    return NULL;
}

/*
 * The shared TLB entry a master's next lookup in direction @write tries
 * first (smmu_vcm_tlb_lookup_hinted()). A transfer's pages were filled in
 * the order it first used them, and it uses them again in that order, so
 * the entries it finds lie at a constant distance: 2 for the pages of a
 * copy (source and destination in turn), 32 for a copy through runs.
 */
static inline uint32_t smmu_vcm_utlb_hint(const SMMUVCMMicroTLB *u,
                                          bool write)
{
    return u->tlb_last[write] + u->tlb_stride[write];
}

/*
 * Remember @t of context @ctx, found in or put into shared TLB entry
 * @tlb_index by an access in direction @write, dropping entries of older
 * generations. Inline: a transfer through 4K pages fills on every
 * translation.
 */
static inline void smmu_vcm_utlb_fill(SMMUVCMMicroTLB *u, uint64_t tlb_gen,
                                      uint64_t config_gen, uint8_t ctx,
                                      const SMMUVCMTranslation *t,
                                      uint32_t tlb_index, bool write)
{
    if (u->tlb_gen != tlb_gen || u->config_gen != config_gen) {
        memset(u, 0, sizeof(*u));
        u->tlb_gen = tlb_gen;
        u->config_gen = config_gen;
    }
    u->e[u->next].valid = true;
    u->e[u->next].ctx = ctx;
    u->e[u->next].t = *t;
    u->next = (u->next + 1) % SMMU_VCM_UTLB_SIZE;
    u->tlb_stride[write] = tlb_index - u->tlb_last[write];
    u->tlb_last[write] = tlb_index;
}

/*
 * Have the host fetch entry @idx (if any) into its caches: the entry a
 * master's next lookup will likely read, while the master copies what
 * its last one answered. A hint to the host CPU only; nothing changes.
 */
static inline void smmu_vcm_tlb_prefetch(const SMMUVCMTLB *tlb, uint32_t idx)
{
    if (idx < tlb->size) {
        __builtin_prefetch(&tlb->entries[idx]);
    }
}

#endif
