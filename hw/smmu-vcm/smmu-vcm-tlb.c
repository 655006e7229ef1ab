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
 */

#include "qemu/osdep.h"
#include "hw/smmu-vcm/smmu-vcm-tlb.h"

void smmu_vcm_tlb_init(SMMUVCMTLB *tlb, uint32_t size)
{
    memset(tlb, 0, sizeof(*tlb));
    tlb->size = size;
    tlb->entries = g_new0(SMMUVCMTLBEntry, size);
}

void smmu_vcm_tlb_destroy(SMMUVCMTLB *tlb)
{
    g_free(tlb->entries);
    tlb->entries = NULL;
    tlb->size = 0;
}

static bool smmu_vcm_tlb_covers(const SMMUVCMTLBEntry *e, uint32_t va)
{
    return (va & ~(e->t.size - 1)) == e->t.va_base;
}

/* spec 4.3: global entries match any ASID */
static bool smmu_vcm_tlb_asid_matches(const SMMUVCMTLBEntry *e, uint8_t asid)
{
    return !e->t.ng || e->tag.asid == asid;
}

int smmu_vcm_tlb_lookup(const SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        uint32_t va)
{
    for (uint32_t i = 0; i < tlb->size; i++) {
        const SMMUVCMTLBEntry *e = &tlb->entries[i];

        if (e->valid && e->tag.ctx == tag.ctx && e->tag.vmid == tag.vmid &&
            smmu_vcm_tlb_asid_matches(e, tag.asid) &&
            smmu_vcm_tlb_covers(e, va)) {
            return i;
        }
    }
    return -1;
}

int smmu_vcm_tlb_insert(SMMUVCMTLB *tlb, SMMUVCMTLBTag tag,
                        const SMMUVCMTranslation *t)
{
    uint32_t i = tlb->victim;
    SMMUVCMTLBEntry *e = &tlb->entries[i];

    if (!tlb->size) {
        return -1;
    }
    if (e->valid) {
        tlb->evictions++;
        tlb->generation++;
    }
    e->valid = true;
    e->tag = tag;
    e->t = *t;
    tlb->victim = (i + 1) % tlb->size;
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
            e->valid = false;
            tlb->invalidated++;
        }
    }
    tlb->generation++;
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
