/*
 * Unit tests of the smmu-vcm TLB (hw/smmu-vcm/smmu-vcm-tlb.c) against
 * docs/specs/smmu-vcm.rst 1.4 and 4.3.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/smmu-vcm/smmu-vcm-tlb.h"

static SMMUVCMTranslation block(uint32_t va, uint32_t size, bool ng)
{
    return (SMMUVCMTranslation) {
        .va_base = va & ~(size - 1),
        .pa_base = 0x40000000 | (va & ~(size - 1) & 0x0FFFFFFF),
        .size = size,
        .ng = ng,
    };
}

static SMMUVCMTLBTag tag(uint8_t ctx, uint8_t vmid, uint8_t asid)
{
    return (SMMUVCMTLBTag) { .ctx = ctx, .vmid = vmid, .asid = asid };
}

static void test_lookup_covers_block(void)
{
    SMMUVCMTLB tlb;
    SMMUVCMTranslation t = block(0x10100000, SMMU_VCM_SIZE_1M, true);

    smmu_vcm_tlb_init(&tlb, 8);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x10100000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &t), ==, 0);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x10100000), ==,
                    0);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x101FFFFF), ==,
                    0);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x10200000), ==,
                    -1);
    /* other context, VMID or ASID: no hit for a non-global entry */
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(1, 0, 0), 0x10100000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 1, 0), 0x10100000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 1), 0x10100000), ==,
                    -1);
    smmu_vcm_tlb_destroy(&tlb);
}

/* spec 4.3: global (nG=0) entries match any ASID within the bank */
static void test_global_entries(void)
{
    SMMUVCMTLB tlb;
    SMMUVCMTranslation g = block(0x20000000, SMMU_VCM_SIZE_4K, false);

    smmu_vcm_tlb_init(&tlb, 8);
    smmu_vcm_tlb_insert(&tlb, tag(0, 0, 5), &g);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 9), 0x20000FFF), ==,
                    0);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(1, 0, 5), 0x20000000), ==,
                    -1);
    /* TLBIASID leaves global entries alone */
    smmu_vcm_tlb_inv_asid(&tlb, 0, 5);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 9), 0x20000000), ==,
                    0);
    /* TLBIVA with any ASID removes a global entry */
    smmu_vcm_tlb_inv_va(&tlb, 0, 77, 0x20000000);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 9), 0x20000000), ==,
                    -1);
    smmu_vcm_tlb_destroy(&tlb);
}

/*
 * spec 4.3: TLBIVA/TLBIVAA at any VA inside a 64K, 1M or 16M block remove
 * the whole block; ASID-scoped for TLBIVA, all ASIDs for TLBIVAA.
 */
static void test_inv_va_inside_blocks(void)
{
    static const uint32_t sizes[] = {
        SMMU_VCM_SIZE_4K, SMMU_VCM_SIZE_64K, SMMU_VCM_SIZE_1M,
        SMMU_VCM_SIZE_16M,
    };

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        SMMUVCMTLB tlb;
        SMMUVCMTranslation t = block(0x31000000, sizes[i], true);
        uint32_t inside = 0x31000000 + sizes[i] - 0x1000;

        smmu_vcm_tlb_init(&tlb, 4);
        smmu_vcm_tlb_insert(&tlb, tag(0, 0, 3), &t);
        smmu_vcm_tlb_inv_va(&tlb, 0, 4, inside);       /* other ASID */
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 3), 0x31000000),
                        ==, 0);
        smmu_vcm_tlb_inv_va(&tlb, 0, 3, inside + sizes[i]);    /* outside */
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 3), 0x31000000),
                        ==, 0);
        smmu_vcm_tlb_inv_va(&tlb, 0, 3, inside);
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 3), 0x31000000),
                        ==, -1);
        g_assert_cmpuint(tlb.invalidated, ==, 1);

        smmu_vcm_tlb_insert(&tlb, tag(0, 0, 3), &t);
        smmu_vcm_tlb_inv_va_all_asid(&tlb, 1, inside);   /* other VMID */
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 3), 0x31000000),
                        ==, 1);
        smmu_vcm_tlb_inv_va_all_asid(&tlb, 0, inside);
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 3), 0x31000000),
                        ==, -1);
        smmu_vcm_tlb_destroy(&tlb);
    }
}

/* spec 1.4: TLBIALL, TLBIVMID, CTX_TLBIALL, TLBIASID scopes */
static void test_inv_scopes(void)
{
    SMMUVCMTLB tlb;
    SMMUVCMTranslation t = block(0x40000000, SMMU_VCM_SIZE_4K, true);
    uint64_t gen;

    smmu_vcm_tlb_init(&tlb, 8);
    smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &t);
    smmu_vcm_tlb_insert(&tlb, tag(1, 0, 1), &t);
    smmu_vcm_tlb_insert(&tlb, tag(2, 2, 2), &t);
    smmu_vcm_tlb_insert(&tlb, tag(3, 2, 3), &t);

    gen = tlb.generation;
    smmu_vcm_tlb_inv_ctx(&tlb, 1);
    g_assert_cmpuint(tlb.generation, >, gen);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(1, 0, 1), 0x40000000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x40000000), ==,
                    0);

    smmu_vcm_tlb_inv_asid(&tlb, 2, 3);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(3, 2, 3), 0x40000000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(2, 2, 2), 0x40000000), ==,
                    2);

    smmu_vcm_tlb_inv_vmid(&tlb, 2);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(2, 2, 2), 0x40000000), ==,
                    -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x40000000), ==,
                    0);

    smmu_vcm_tlb_inv_all(&tlb);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x40000000), ==,
                    -1);
    g_assert_cmpuint(tlb.invalidated, ==, 4);
    smmu_vcm_tlb_destroy(&tlb);
}

/* Round-robin replacement: the oldest entry goes, one at a time. */
static void test_replacement(void)
{
    SMMUVCMTLB tlb;

    smmu_vcm_tlb_init(&tlb, 4);
    for (uint32_t i = 0; i < 6; i++) {
        SMMUVCMTranslation t = block(i << 12, SMMU_VCM_SIZE_4K, true);

        g_assert_cmpint(smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &t), ==,
                        i % 4);
    }
    g_assert_cmpuint(tlb.evictions, ==, 2);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x0000), ==, -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x1000), ==, -1);
    for (uint32_t i = 2; i < 6; i++) {
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), i << 12),
                        ==, i % 4);
    }
    smmu_vcm_tlb_destroy(&tlb);
}

/* tlb-entries=0: nothing is ever cached */
static void test_no_tlb(void)
{
    SMMUVCMTLB tlb;
    SMMUVCMTranslation t = block(0, SMMU_VCM_SIZE_4K, true);

    smmu_vcm_tlb_init(&tlb, 0);
    g_assert_cmpint(smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &t), ==, -1);
    g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0), ==, -1);
    smmu_vcm_tlb_destroy(&tlb);
}

/* What a lookup must find: the smallest valid block that matches */
static int reference_lookup(const SMMUVCMTLB *tlb, SMMUVCMTLBTag want,
                            uint32_t va)
{
    int best = -1;

    for (uint32_t i = 0; i < tlb->size; i++) {
        const SMMUVCMTLBEntry *e = &tlb->entries[i];

        if (e->valid && e->tag.ctx == want.ctx && e->tag.vmid == want.vmid &&
            (!e->t.ng || e->tag.asid == want.asid) &&
            (va & ~(e->t.size - 1)) == e->t.va_base &&
            (best < 0 || e->t.size < tlb->entries[best].t.size)) {
            best = i;
        }
    }
    return best;
}

/*
 * The index against a linear scan, over random fills and invalidations
 * of a small TLB whose keys collide (few contexts, nearby blocks), so
 * that removals from the middle of probe runs are exercised; and the
 * hinted lookup with every hint.
 */
static void test_index_matches_scan(void)
{
    static const uint32_t sizes[] = {
        SMMU_VCM_SIZE_4K, SMMU_VCM_SIZE_64K, SMMU_VCM_SIZE_1M,
    };
    GRand *rng = g_rand_new_with_seed(12);
    SMMUVCMTLB tlb;

    smmu_vcm_tlb_init(&tlb, 24);
    for (int op = 0; op < 20000; op++) {
        uint32_t va = g_rand_int_range(rng, 0, 64) << 12 |
                      g_rand_int_range(rng, 0, 4) << 20;
        SMMUVCMTLBTag t = tag(g_rand_int_range(rng, 0, 3),
                              g_rand_int_range(rng, 0, 2),
                              g_rand_int_range(rng, 0, 2));
        SMMUVCMTranslation b = block(va, sizes[g_rand_int_range(rng, 0, 3)],
                                     g_rand_boolean(rng));

        switch (g_rand_int_range(rng, 0, 8)) {
        case 0:
            smmu_vcm_tlb_inv_va(&tlb, 0, 0, va);
            break;
        case 1:
            if (op % 16 == 0) {
                smmu_vcm_tlb_inv_ctx(&tlb, t.ctx);
            }
            break;
        default:
            smmu_vcm_tlb_insert(&tlb, t, &b);
        }
        g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, t, va), ==,
                        reference_lookup(&tlb, t, va));
        /* every hint, right, wrong or out of range, gives the same */
        for (uint32_t hint = 0; hint <= tlb.size; hint++) {
            g_assert_cmpint(smmu_vcm_tlb_lookup_hinted(&tlb, t, va, hint),
                            ==, reference_lookup(&tlb, t, va));
        }
        for (uint32_t i = 0; i < tlb.size; i++) {
            const SMMUVCMTLBEntry *e = &tlb.entries[i];

            if (e->valid) {
                g_assert_cmpint(smmu_vcm_tlb_lookup(&tlb, e->tag,
                                                    e->t.va_base), ==,
                                reference_lookup(&tlb, e->tag,
                                                 e->t.va_base));
            }
        }
    }
    smmu_vcm_tlb_destroy(&tlb);
    g_rand_free(rng);
}

/*
 * What a run must be (spec 4.3): the lookups of all 16 pages of the
 * aligned 64K around @va give 4K entries that continue one another from
 * an aligned 64K of output, all with the same permissions.
 */
static bool reference_run(const SMMUVCMTLB *tlb, SMMUVCMTLBTag want,
                          uint32_t va, uint32_t page)
{
    uint32_t span = page * SMMU_VCM_TLB_RUN_PAGES, base = va & ~(span - 1);
    const SMMUVCMTranslation *first = NULL;

    /* every 4K of it, so that a smaller block cached inside shows */
    for (uint32_t at = 0; at < span; at += SMMU_VCM_SIZE_4K) {
        int j = reference_lookup(tlb, want, base + at);
        const SMMUVCMTranslation *t = j >= 0 ? &tlb->entries[j].t : NULL;

        first = first ?: t;
        if (!t || t->size != page || first->pa_base % span ||
            t->pa_base != first->pa_base + (at & ~(page - 1)) ||
            t->perms != first->perms) {
            return false;
        }
    }
    return true;
}

/*
 * Runs against the reference, over random fills of two 64K of two
 * contexts and ASIDs (mostly one context, mostly global entries): pages
 * whose output is contiguous or moved by a page or by 64K, one of two
 * permissions, 64K blocks among them, pages filled in any order and
 * invalidated. Answers are kept as the device keeps them, and one kept
 * while the TLB changed must not be given.
 */
static void test_runs_match_reference(void)
{
    GRand *rng = g_rand_new_with_seed(7);
    SMMUVCMTLB tlb;
    int runs = 0, broken = 0, kept = 0;

    smmu_vcm_tlb_init(&tlb, 64);
    for (int op = 0; op < 100000; op++) {
        uint32_t va = 0x10000000 + (g_rand_int_range(rng, 0, 32) << 12);
        SMMUVCMTLBTag t = tag(g_rand_int_range(rng, 0, 4) == 0, 0,
                              g_rand_int_range(rng, 0, 2));
        bool big = g_rand_int_range(rng, 0, 64) == 0;
        SMMUVCMTranslation b = block(va, big ? SMMU_VCM_SIZE_64K
                                             : SMMU_VCM_SIZE_4K,
                                     g_rand_int_range(rng, 0, 8) == 0);
        int kind = g_rand_int_range(rng, 0, 64), idx;
        bool is_run;

        switch (kind) {
        case 0:
            b.pa_base += SMMU_VCM_SIZE_4K;
            break;
        case 1:
            b.pa_base += SMMU_VCM_SIZE_64K;
            break;
        case 2:
            b.perms = SMMU_VCM_PERM_PR;
            break;
        case 3:
            smmu_vcm_tlb_inv_va(&tlb, 0, t.asid, va);
            break;
        }
        if (!b.perms) {
            b.perms = SMMU_VCM_PERM_PR | SMMU_VCM_PERM_PW;
        }
        if (kind < 40) {        /* else only look */
            smmu_vcm_tlb_insert(&tlb, t, &b);
        }

        idx = smmu_vcm_tlb_lookup(&tlb, t, va);
        if (idx < 0 || tlb.entries[idx].t.size != SMMU_VCM_SIZE_4K) {
            continue;
        }
        /* an answer kept from an earlier op must still hold */
        kept += tlb.entries[idx].run_epoch == tlb.epoch;
        is_run = smmu_vcm_tlb_run(&tlb, t, idx);
        g_assert_cmpint(is_run, ==, reference_run(&tlb, t, va,
                                                  SMMU_VCM_SIZE_4K));
        g_assert_cmpint(is_run, ==, smmu_vcm_tlb_find_run(&tlb, t, idx));
        smmu_vcm_tlb_note_run(&tlb, t, idx, is_run);
        runs += is_run;
        broken += !is_run;
    }
    /* both answers were seen often, and kept answers were given */
    g_test_message("runs %d, broken %d, kept %d", runs, broken, kept);
    g_assert_cmpint(runs, >, 1000);
    g_assert_cmpint(kept, >, 500);
    g_assert_cmpint(broken, >, 1000);
    smmu_vcm_tlb_destroy(&tlb);
    g_rand_free(rng);
}

/*
 * Runs of 64K pages (one 1M): only while the context caches no 4K page,
 * which the lookup of an address inside the run would find first.
 */
static void test_runs_of_large_pages(void)
{
    SMMUVCMTLB tlb;
    SMMUVCMTranslation page = block(0x10000000, SMMU_VCM_SIZE_4K, false);
    SMMUVCMTranslation moved;
    int idx;

    smmu_vcm_tlb_init(&tlb, 32);
    for (int i = 0; i < SMMU_VCM_TLB_RUN_PAGES; i++) {
        SMMUVCMTranslation b = block(0x20000000 + i * SMMU_VCM_SIZE_64K,
                                     SMMU_VCM_SIZE_64K, false);

        b.perms = SMMU_VCM_PERM_PR;
        smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &b);
    }
    idx = smmu_vcm_tlb_lookup(&tlb, tag(0, 0, 0), 0x20035678);
    g_assert_cmpint(idx, ==, 3);
    g_assert_true(smmu_vcm_tlb_find_run(&tlb, tag(0, 0, 0), idx));
    g_assert_true(reference_run(&tlb, tag(0, 0, 0), 0x20035678,
                                SMMU_VCM_SIZE_64K));

    /* a 4K page of the context, even outside the run, ends it */
    smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &page);
    g_assert_false(smmu_vcm_tlb_find_run(&tlb, tag(0, 0, 0), idx));
    /* one of another context does not */
    smmu_vcm_tlb_inv_va(&tlb, 0, 0, 0x10000000);
    smmu_vcm_tlb_insert(&tlb, tag(1, 0, 0), &page);
    g_assert_true(smmu_vcm_tlb_find_run(&tlb, tag(0, 0, 0), idx));

    /* one page sent elsewhere ends it */
    moved = tlb.entries[9].t;
    moved.pa_base += SMMU_VCM_SIZE_1M;
    smmu_vcm_tlb_insert(&tlb, tag(0, 0, 0), &moved);
    g_assert_false(smmu_vcm_tlb_find_run(&tlb, tag(0, 0, 0), idx));
    g_assert_false(reference_run(&tlb, tag(0, 0, 0), 0x20035678,
                                 SMMU_VCM_SIZE_64K));
    smmu_vcm_tlb_destroy(&tlb);
}

/*
 * The hint a master's lookup tries first (smmu_vcm_utlb_hint()): a copy
 * of 16 runs of 4K pages fills the TLB source page, destination page in
 * turn; copied again, page by page or a run at a time, each direction's
 * hint names the entry its next lookup finds from its third lookup on.
 */
static void test_hint_follows_copy(void)
{
    static const uint32_t src = 0x10000000, dst = 0x20000000;
    static const unsigned pages = 16 * SMMU_VCM_TLB_RUN_PAGES;
    SMMUVCMTLBTag t = tag(0, 0, 0);
    SMMUVCMMicroTLB u = { 0 };
    SMMUVCMTLB tlb;

    smmu_vcm_tlb_init(&tlb, 2 * pages);
    for (unsigned i = 0; i < pages; i++) {
        for (int write = 0; write < 2; write++) {
            SMMUVCMTranslation b = block((write ? dst : src) + i * 4096,
                                         SMMU_VCM_SIZE_4K, true);
            int idx = smmu_vcm_tlb_insert(&tlb, t, &b);

            smmu_vcm_utlb_fill(&u, tlb.generation, 0, 0, &b, idx, write);
        }
    }
    for (unsigned step = 1; step <= SMMU_VCM_TLB_RUN_PAGES; step *= 16) {
        for (unsigned i = 0; i < pages; i += step) {
            for (int write = 0; write < 2; write++) {
                uint32_t va = (write ? dst : src) + i * 4096;
                uint32_t hint = smmu_vcm_utlb_hint(&u, write);
                int idx = smmu_vcm_tlb_lookup(&tlb, t, va);

                g_assert_cmpint(idx, >=, 0);
                if (i >= 2 * step) {
                    g_assert_cmpuint(hint, ==, idx);
                }
                g_assert_cmpint(smmu_vcm_tlb_lookup_hinted(&tlb, t, va, hint),
                                ==, idx);
                smmu_vcm_utlb_fill(&u, tlb.generation, 0, 0,
                                   &tlb.entries[idx].t, idx, write);
            }
        }
    }
    smmu_vcm_tlb_destroy(&tlb);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/smmu-vcm/tlb/lookup-covers-block",
                    test_lookup_covers_block);
    g_test_add_func("/smmu-vcm/tlb/global-entries", test_global_entries);
    g_test_add_func("/smmu-vcm/tlb/inv-va-inside-blocks",
                    test_inv_va_inside_blocks);
    g_test_add_func("/smmu-vcm/tlb/inv-scopes", test_inv_scopes);
    g_test_add_func("/smmu-vcm/tlb/replacement", test_replacement);
    g_test_add_func("/smmu-vcm/tlb/no-tlb", test_no_tlb);
    g_test_add_func("/smmu-vcm/tlb/index-matches-scan",
                    test_index_matches_scan);
    g_test_add_func("/smmu-vcm/tlb/runs-match-reference",
                    test_runs_match_reference);
    g_test_add_func("/smmu-vcm/tlb/runs-of-large-pages",
                    test_runs_of_large_pages);
    g_test_add_func("/smmu-vcm/tlb/hint-follows-copy",
                    test_hint_follows_copy);
    return g_test_run();
}
