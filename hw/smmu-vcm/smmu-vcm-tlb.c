/*
 * smmu-vcm TLB: one translation cache shared by all contexts of an SMMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A fully associative array of entries, each caching one whole block
 * (4K, 64K, 1M or 16M) tagged with (context, VMID, ASID, nG). Replacement
 * is round-robin, so a working set larger than the TLB degrades one miss
 * at a time. Nothing here notices a changed page table: an entry is used
 * until a maintenance operation removes it, as on the hardware.
 *
 * A hash index keyed by (context, block size, VA block) finds the entry
 * for a VA with one probe per block size; one context holds one entry per
 * block (its ASID and VMID are checked on the hit). The index is an array
 * of (key, entry) pairs with linear probing, so that a lookup touches one
 * cache line of it: the DMA path does one per translated page. Eight
 * neighbouring blocks of a context share a line (their home slots are
 * consecutive), so a transfer through consecutive pages finds the next
 * key in the line it used before instead of in a line of its own.
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "qemu/memalign.h"
#include "hw/smmu-vcm/smmu-vcm-tlb.h"

static const uint32_t block_sizes[] = {
    SMMU_VCM_SIZE_4K, SMMU_VCM_SIZE_64K, SMMU_VCM_SIZE_1M, SMMU_VCM_SIZE_16M,
};

/* 0 for 4K, 1 for 64K, 2 for 1M, 3 for 16M: log2(size)/4 - 3 */
static unsigned smmu_vcm_tlb_size_class(uint32_t size)
{
    return ctz32(size) / 4 - 3;
}

/* ctx[29:22], size class [21:20], VA block number [19:0] */
static uint32_t smmu_vcm_tlb_key(uint8_t ctx, uint32_t size, uint32_t va)
{
    return (uint32_t)ctx << 22 | smmu_vcm_tlb_size_class(size) << 20 |
           va >> ctz32(size);
}

static uint32_t smmu_vcm_tlb_entry_key(const SMMUVCMTLBEntry *e)
{
    return smmu_vcm_tlb_key(e->tag.ctx, e->t.size, e->t.va_base);
}

/* Slots of the index per cache line, as a power of two */
#define SMMU_VCM_TLB_LINE_BITS  3
QEMU_BUILD_BUG_ON(sizeof(SMMUVCMTLBSlot) << SMMU_VCM_TLB_LINE_BITS !=
                  SMMU_VCM_TLB_LINE);
QEMU_BUILD_BUG_ON(sizeof(SMMUVCMTLBEntry) != SMMU_VCM_TLB_LINE);

/*
 * The slot where a key's probe starts: its line by Fibonacci hashing of
 * the key without its last VA block bits, which choose the slot in it.
 */
static uint32_t smmu_vcm_tlb_home(const SMMUVCMTLB *tlb, uint32_t key)
{
    unsigned line_bits = tlb->index_bits - SMMU_VCM_TLB_LINE_BITS;
    uint32_t line = ((key >> SMMU_VCM_TLB_LINE_BITS) * 0x9E3779B1u) >>
                    (32 - line_bits);

    return line << SMMU_VCM_TLB_LINE_BITS |
           (key & MAKE_64BIT_MASK(0, SMMU_VCM_TLB_LINE_BITS));
}

/* How many slots after @from slot @to lies, going round the index */
static uint32_t smmu_vcm_tlb_dist(const SMMUVCMTLB *tlb, uint32_t from,
                                  uint32_t to)
{
    return (to - from) & ((1u << tlb->index_bits) - 1);
}

static uint32_t smmu_vcm_tlb_next(const SMMUVCMTLB *tlb, uint32_t slot)
{
    return (slot + 1) & ((1u << tlb->index_bits) - 1);
}

/* The slot holding @key, or the empty slot that ends its probe */
static uint32_t smmu_vcm_tlb_probe(const SMMUVCMTLB *tlb, uint32_t key)
{
    uint32_t i = smmu_vcm_tlb_home(tlb, key);

    while (tlb->index[i].entry && tlb->index[i].key != key) {
        i = smmu_vcm_tlb_next(tlb, i);
    }
    return i;
}

/*
 * Empty slot @i and move later members of its run back into the gap, so
 * that every key stays reachable from its home slot without tombstones.
 */
static void smmu_vcm_tlb_unindex(SMMUVCMTLB *tlb, uint32_t i)
{
    uint32_t j = i;

    for (;;) {
        uint32_t home;

        j = smmu_vcm_tlb_next(tlb, j);
        if (!tlb->index[j].entry) {
            break;
        }
        home = smmu_vcm_tlb_home(tlb, tlb->index[j].key);
        /* j's key may fill the gap unless its home lies in (i, j] */
        if (smmu_vcm_tlb_dist(tlb, home, j) >= smmu_vcm_tlb_dist(tlb, i, j)) {
            tlb->index[i] = tlb->index[j];
            i = j;
        }
    }
    tlb->index[i].entry = 0;
}

void smmu_vcm_tlb_init(SMMUVCMTLB *tlb, uint32_t size)
{
    memset(tlb, 0, sizeof(*tlb));
    tlb->size = size;
    tlb->entries = qemu_memalign(SMMU_VCM_TLB_LINE,
                                 sizeof(SMMUVCMTLBEntry) * size);
    memset(tlb->entries, 0, sizeof(SMMUVCMTLBEntry) * size);
    /* at least twice the entries, and two lines */
    tlb->index_bits = MAX(32 - clz32(MAX(size, 2) - 1) + 1,
                          SMMU_VCM_TLB_LINE_BITS + 1);
    tlb->index = qemu_memalign(SMMU_VCM_TLB_LINE,
                               sizeof(SMMUVCMTLBSlot) << tlb->index_bits);
    memset(tlb->index, 0, sizeof(SMMUVCMTLBSlot) << tlb->index_bits);
}

void smmu_vcm_tlb_destroy(SMMUVCMTLB *tlb)
{
    qemu_vfree(tlb->entries);
    qemu_vfree(tlb->index);
    tlb->entries = NULL;
    tlb->index = NULL;
    tlb->size = 0;
}

static void smmu_vcm_tlb_drop(SMMUVCMTLB *tlb, SMMUVCMTLBEntry *e)
{
    smmu_vcm_tlb_unindex(tlb, smmu_vcm_tlb_probe(tlb,
                                                 smmu_vcm_tlb_entry_key(e)));
    e->valid = false;
    if (!--tlb->per_size[e->tag.ctx][smmu_vcm_tlb_size_class(e->t.size)]) {
        tlb->sizes[e->tag.ctx] &= ~e->t.size;
    }
}

/* The index of the entry the context holds for this block, or -1 */
static int smmu_vcm_tlb_find(const SMMUVCMTLB *tlb, uint8_t ctx,
                             uint32_t size, uint32_t va)
{
    if (!tlb->size) {
        return -1;
    }
    return (int)tlb->index[smmu_vcm_tlb_probe(tlb,
                           smmu_vcm_tlb_key(ctx, size, va))].entry - 1;
}

int smmu_vcm_tlb_lookup(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        uint32_t va)
{
    for (size_t i = 0; i < ARRAY_SIZE(block_sizes); i++) {
        int idx = tlb->sizes[tag.ctx] & block_sizes[i] ?
                  smmu_vcm_tlb_find(tlb, tag.ctx, block_sizes[i], va) : -1;
        const SMMUVCMTLBEntry *e = idx >= 0 ? &tlb->entries[idx] : NULL;

        if (e && smmu_vcm_tlb_tag_matches(e, tag)) {
            return idx;
        }
    }
    return -1;
}

/*
 * Each page is looked up as a translation of it would be. The entry
 * tried first follows the stride between the entries found: a copy walks
 * its source and destination pages in turn, two apart.
 */
bool smmu_vcm_tlb_find_run(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                           uint32_t idx)
{
    const SMMUVCMTranslation *t = &tlb->entries[idx].t;
    uint32_t page = t->size, span = page * SMMU_VCM_TLB_RUN_PAGES;
    uint32_t va = t->va_base & ~(span - 1);
    uint64_t pa = t->pa_base - (t->va_base - va);
    uint32_t next = idx - (t->va_base - va) / page;
    uint32_t stride = 1, prev = 0;

    if (page > SMMU_VCM_SIZE_64K || (pa & (span - 1)) ||
        !smmu_vcm_tlb_none_smaller(tlb, tag.ctx, page)) {
        return false;
    }
    for (unsigned i = 0; i < SMMU_VCM_TLB_RUN_PAGES; i++) {
        int j = smmu_vcm_tlb_lookup_hinted(tlb, tag, va, next);
        const SMMUVCMTLBEntry *e = j >= 0 ? &tlb->entries[j] : NULL;

        if (!e || e->t.size != page || e->t.pa_base != pa ||
            e->t.perms != t->perms) {
            return false;
        }
        stride = i ? j - prev : 1;
        prev = j;
        next = j + stride;
        va += page;
        pa += page;
    }
    return true;
}

int smmu_vcm_tlb_insert(SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        const SMMUVCMTranslation *t)
{
    int i = smmu_vcm_tlb_find(tlb, tag.ctx, t->size, t->va_base);
    SMMUVCMTLBEntry *e;
    uint32_t key;

    if (!tlb->size) {
        return -1;
    }
    if (i < 0) {
        i = tlb->victim;
        tlb->victim = (i + 1) % tlb->size;
    }
    e = &tlb->entries[i];
    if (e->valid) {
        tlb->evictions++;
        tlb->generation++;
        smmu_vcm_tlb_drop(tlb, e);
    }
    tlb->epoch++;
    e->valid = true;
    e->tag = tag;
    e->t = *t;
    e->hits = 0;
    tlb->per_size[tag.ctx][smmu_vcm_tlb_size_class(t->size)]++;
    tlb->sizes[tag.ctx] |= t->size;
    key = smmu_vcm_tlb_entry_key(e);
    tlb->index[smmu_vcm_tlb_probe(tlb, key)] =
        (SMMUVCMTLBSlot) { .key = key, .entry = i + 1 };
    return i;
}

typedef bool SMMUVCMTLBMatch(const SMMUVCMTLBEntry *e, uint8_t vmid,
                             uint8_t asid, uint32_t va);

static void smmu_vcm_tlb_remove_if(SMMUVCMTLB *tlb, SMMUVCMTLBMatch *match,
                                   uint8_t vmid, uint8_t asid, uint32_t va)
{
    for (uint32_t i = 0; i < tlb->size; i++) {
        SMMUVCMTLBEntry *e = &tlb->entries[i];

        if (e->valid && match(e, vmid, asid, va)) {
            smmu_vcm_tlb_drop(tlb, e);
            tlb->invalidated++;
        }
    }
    tlb->generation++;
    tlb->epoch++;
}

static bool match_any(const SMMUVCMTLBEntry *e, uint8_t vmid, uint8_t asid,
                      uint32_t va)
{
    return true;
}

static bool match_vmid(const SMMUVCMTLBEntry *e, uint8_t vmid, uint8_t asid,
                       uint32_t va)
{
    return e->tag.vmid == vmid;
}

static bool match_ctx(const SMMUVCMTLBEntry *e, uint8_t ctx, uint8_t asid,
                      uint32_t va)
{
    return e->tag.ctx == ctx;
}

/* spec 1.4: TLBIASID removes the non-global entries of the ASID */
static bool match_asid(const SMMUVCMTLBEntry *e, uint8_t vmid, uint8_t asid,
                       uint32_t va)
{
    return e->tag.vmid == vmid && e->t.ng && e->tag.asid == asid;
}

static bool match_va(const SMMUVCMTLBEntry *e, uint8_t vmid, uint8_t asid,
                     uint32_t va)
{
    return e->tag.vmid == vmid && smmu_vcm_tlb_asid_matches(e, asid) &&
           smmu_vcm_tlb_covers(e, va);
}

static bool match_va_all_asid(const SMMUVCMTLBEntry *e, uint8_t vmid,
                              uint8_t asid, uint32_t va)
{
    return e->tag.vmid == vmid && smmu_vcm_tlb_covers(e, va);
}

void smmu_vcm_tlb_inv_all(SMMUVCMTLB *tlb)
{
    smmu_vcm_tlb_remove_if(tlb, match_any, 0, 0, 0);
}

void smmu_vcm_tlb_inv_vmid(SMMUVCMTLB *tlb, uint8_t vmid)
{
    smmu_vcm_tlb_remove_if(tlb, match_vmid, vmid, 0, 0);
}

void smmu_vcm_tlb_inv_ctx(SMMUVCMTLB *tlb, uint8_t ctx)
{
    smmu_vcm_tlb_remove_if(tlb, match_ctx, ctx, 0, 0);
}

void smmu_vcm_tlb_inv_asid(SMMUVCMTLB *tlb, uint8_t vmid, uint8_t asid)
{
    smmu_vcm_tlb_remove_if(tlb, match_asid, vmid, asid, 0);
}

void smmu_vcm_tlb_inv_va(SMMUVCMTLB *tlb, uint8_t vmid, uint8_t asid,
                         uint32_t va)
{
    smmu_vcm_tlb_remove_if(tlb, match_va, vmid, asid, va);
}

void smmu_vcm_tlb_inv_va_all_asid(SMMUVCMTLB *tlb, uint8_t vmid, uint32_t va)
{
    smmu_vcm_tlb_remove_if(tlb, match_va_all_asid, vmid, 0, va);
}
