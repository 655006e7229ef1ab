/*
 * Unit tests of the smmu-vcm page walker (hw/smmu-vcm/smmu-vcm-walk.c)
 * against docs/specs/smmu-vcm.rst 3.3-3.6, with descriptors as Linux
 * io-pgtable-arm-v7s writes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"

/* A small "RAM" at 0x40000000 plus a region that answers a slave error. */
#define RAM_BASE    0x40000000u
#define RAM_SIZE    (1u << 20)
#define SLAVE_BASE  0x09000000u

static uint32_t ram[RAM_SIZE / 4];

static SMMUVCMReadStatus read_desc(void *opaque, uint64_t addr,
                                   uint32_t *desc)
{
    unsigned *reads = opaque;

    (*reads)++;
    if (addr >= RAM_BASE && addr < RAM_BASE + RAM_SIZE) {
        *desc = ram[(addr - RAM_BASE) / 4];
        return SMMU_VCM_READ_OK;
    }
    *desc = 0;
    return (addr & ~0xFFFFFull) == SLAVE_BASE ? SMMU_VCM_READ_SLAVE_ERROR
                                               : SMMU_VCM_READ_DECODE_ERROR;
}

/* Level-1 table at RAM_BASE (16 KiB aligned), level-2 tables after it. */
#define L1      RAM_BASE
#define L2      (RAM_BASE + 0x4000)

static void set_desc(uint32_t addr, uint32_t desc)
{
    ram[(addr - RAM_BASE) / 4] = desc;
}

static void reset_tables(void)
{
    memset(ram, 0, sizeof(ram));
}

static SMMUVCMWalkConfig cfg_v7s(void)
{
    /* the 6.1 driver: TTBR0 = L1 | 2, TTBCR = 0, SCTLR.AFE = 1 */
    return (SMMUVCMWalkConfig) { .ttbr0 = L1 | 2, .afe = true };
}

static SMMUVCMWalkResult walk(const SMMUVCMWalkConfig *cfg, uint32_t va,
                              unsigned *reads)
{
    SMMUVCMWalkResult res;

    *reads = 0;
    smmu_vcm_walk(cfg, va, read_desc, reads, &res);
    g_assert_cmpuint(res.desc_reads, ==, *reads);
    return res;
}

#define ALL_RW  (SMMU_VCM_PERM_PR | SMMU_VCM_PERM_PW | \
                 SMMU_VCM_PERM_UR | SMMU_VCM_PERM_UW)

/* spec 3.4: 4K small page, v7s RW = 0xC72 (TEX=1, AP=011, S, nG) */
static void test_small_page(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    set_desc(L1 + (0x123 << 2), L2 | 1);
    set_desc(L2 + (0x45 << 2), 0x48765000 | 0xC72);
    r = walk(&cfg, 0x12345678, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    g_assert_cmpuint(reads, ==, 2);
    g_assert_cmphex(r.t.va_base, ==, 0x12345000);
    g_assert_cmphex(r.t.pa_base, ==, 0x48765000);
    g_assert_cmphex(r.t.size, ==, SMMU_VCM_SIZE_4K);
    g_assert_cmpuint(r.t.ap, ==, 3);
    g_assert_cmpuint(r.t.perms, ==, ALL_RW);
    g_assert_cmpuint(r.t.tex, ==, 1);
    g_assert_true(r.t.s && r.t.ng && !r.t.xn && !r.t.c && !r.t.b);
    g_assert_cmphex(r.t.l1desc, ==, L2 | 1);
    g_assert_cmphex(r.t.l2desc, ==, 0x48765000 | 0xC72);

    /* read-only (AP2) and no-exec (XN, bit 0 of a small page) */
    set_desc(L2 + (0x45 << 2), 0x48765000 | 0xE72 | 1);
    r = walk(&cfg, 0x12345678, &reads);
    g_assert_cmpuint(r.t.perms, ==, SMMU_VCM_PERM_PR | SMMU_VCM_PERM_UR);
    g_assert_true(r.t.xn);
}

/* spec 3.4: 64K large page, one of 16 copies, v7s RW = 0x1C31 */
static void test_large_page(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    set_desc(L1 + (0x200 << 2), L2 | 1);
    for (int i = 0; i < 16; i++) {
        set_desc(L2 + ((0x30 + i) << 2), 0x48760000 | 0x1C31);
    }
    r = walk(&cfg, 0x2003ABCD, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    g_assert_cmpuint(reads, ==, 2);
    g_assert_cmphex(r.t.va_base, ==, 0x20030000);
    g_assert_cmphex(r.t.pa_base, ==, 0x48760000);
    g_assert_cmphex(r.t.size, ==, SMMU_VCM_SIZE_64K);
    g_assert_cmpuint(r.t.perms, ==, ALL_RW);
    g_assert_cmpuint(r.t.tex, ==, 1);
    g_assert_true(r.t.s && r.t.ng);
}

/* spec 3.4: 1 MiB section, v7s RW 0x31C02, RO 0x39C02; one read */
static void test_section(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    set_desc(L1 + (0x801 << 2), 0x5AB00000 | 0x31C02);
    r = walk(&cfg, 0x801FFFFF, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    g_assert_cmpuint(reads, ==, 1);
    g_assert_cmphex(r.t.va_base, ==, 0x80100000);
    g_assert_cmphex(r.t.pa_base, ==, 0x5AB00000);
    g_assert_cmphex(r.t.size, ==, SMMU_VCM_SIZE_1M);
    g_assert_cmpuint(r.t.perms, ==, ALL_RW);

    set_desc(L1 + (0x801 << 2), 0x5AB00000 | 0x39C02 | 0x10);
    r = walk(&cfg, 0x80100000, &reads);
    g_assert_cmpuint(r.t.perms, ==, SMMU_VCM_PERM_PR | SMMU_VCM_PERM_UR);
    g_assert_true(r.t.xn);
}

/*
 * spec 3.4: 16 MiB supersection: PA[31:24] from desc[31:24], PA[35:32]
 * from desc[23:20], PA[39:36] from desc[8:5].
 */
static void test_supersection(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    for (int i = 0; i < 16; i++) {
        set_desc(L1 + ((0x300 + i) << 2), 0x5B000000 | 0x71C02);
    }
    r = walk(&cfg, 0x30ABCDEF, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    g_assert_cmpuint(reads, ==, 1);
    g_assert_cmphex(r.t.va_base, ==, 0x30000000);
    g_assert_cmphex(r.t.pa_base, ==, 0x5B000000);
    g_assert_cmphex(r.t.size, ==, SMMU_VCM_SIZE_16M);

    set_desc(L1 + (0x30A << 2), 0x5B000000 | 0x71C02 | 0xA << 20 | 0x3 << 5);
    r = walk(&cfg, 0x30ABCDEF, &reads);
    g_assert_cmphex(r.t.pa_base, ==, 0x3A5B000000ull);
}

/* spec 3.3: TTBCR.N = 2 sends VA >= 1 GiB to TTBR1, the rest to TTBR0 */
static void test_ttbcr_split(void)
{
    SMMUVCMWalkConfig cfg = {
        .ttbr0 = (L1 + 0x1000) | 2,     /* 4 KiB aligned is enough, N=2 */
        .ttbr1 = (L1 + 0x8000),
        .ttbcr = 2,
        .afe = true,
    };
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    set_desc(L1 + 0x1000 + (0x3FF << 2), 0x41000000 | 0x31C02);
    set_desc(L1 + 0x8000 + (0x400 << 2), 0x42000000 | 0x31C02);
    r = walk(&cfg, 0x3FF00000, &reads);
    g_assert_cmphex(r.t.pa_base, ==, 0x41000000);
    r = walk(&cfg, 0x40000000, &reads);
    g_assert_cmphex(r.t.pa_base, ==, 0x42000000);

    /* PD0 disables TTBR0 walks, PD1 TTBR1 walks: TF at level 1, no read */
    cfg.ttbcr = 2 | 1 << 4;
    r = walk(&cfg, 0x3FF00000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_TRANSLATION);
    g_assert_cmpuint(r.level, ==, 1);
    g_assert_cmpuint(reads, ==, 0);
    r = walk(&cfg, 0x40000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    cfg.ttbcr = 2 | 1 << 5;
    r = walk(&cfg, 0x40000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_TRANSLATION);
}

/* spec 3.5/3.7: translation faults with their level; reserved type */
static void test_translation_faults(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    r = walk(&cfg, 0x10000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_TRANSLATION);
    g_assert_cmpuint(r.level, ==, 1);
    g_assert_false(r.reserved);

    set_desc(L1 + (0x100 << 2), L2 | 1);
    r = walk(&cfg, 0x10000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_TRANSLATION);
    g_assert_cmpuint(r.level, ==, 2);
    g_assert_cmpuint(reads, ==, 2);

    set_desc(L1 + (0x100 << 2), 0x40000003);
    r = walk(&cfg, 0x10000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_TRANSLATION);
    g_assert_true(r.reserved);
}

/* spec 3.5: walk external aborts on unbacked or refusing table memory */
static void test_walk_aborts(void)
{
    SMMUVCMWalkConfig cfg = { .ttbr0 = 0x80000000, .afe = true };
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    r = walk(&cfg, 0x00100000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_WALK_DECODE);
    g_assert_cmpuint(r.level, ==, 1);
    g_assert_cmphex(r.fault_addr, ==, 0x80000004);

    cfg = cfg_v7s();
    set_desc(L1 + (0x001 << 2), SLAVE_BASE | 1);
    r = walk(&cfg, 0x00100000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_WALK_SLAVE);
    g_assert_cmpuint(r.level, ==, 2);
    g_assert_cmphex(r.fault_addr, ==, SLAVE_BASE);
}

/* spec 3.5: with SCTLR.AFE, AP[0] = 0 is an access-flag fault (not AFFD) */
static void test_access_flag(void)
{
    SMMUVCMWalkConfig cfg = cfg_v7s();
    SMMUVCMWalkResult r;
    unsigned reads;

    reset_tables();
    set_desc(L1 + (0x010 << 2), 0x41000000 | (0x31C02 & ~(1 << 10)));
    r = walk(&cfg, 0x01000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_ACCESS_FLAG);
    g_assert_cmpuint(r.level, ==, 1);
    cfg.affd = true;
    r = walk(&cfg, 0x01000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
    cfg.affd = false;
    cfg.afe = false;
    r = walk(&cfg, 0x01000000, &reads);
    g_assert_cmpint(r.fault, ==, SMMU_VCM_FAULT_NONE);
}

/* spec 3.6: both permission models, every AP value */
static void test_permissions(void)
{
    const uint8_t pr = SMMU_VCM_PERM_PR, pw = SMMU_VCM_PERM_PW;
    const uint8_t ur = SMMU_VCM_PERM_UR, uw = SMMU_VCM_PERM_UW;
    static const struct {
        uint8_t ap;
        bool afe;
        uint8_t perms;
    } cases[] = {
        { 0, true, 0x3 }, { 1, true, 0x3 }, { 2, true, 0xF },
        { 3, true, 0xF }, { 4, true, 0x1 }, { 5, true, 0x1 },
        { 6, true, 0x5 }, { 7, true, 0x5 },
        { 0, false, 0 }, { 1, false, 0x3 }, { 2, false, 0x7 },
        { 3, false, 0xF }, { 4, false, 0 }, { 5, false, 0x1 },
        { 6, false, 0x5 }, { 7, false, 0x5 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_assert_cmphex(smmu_vcm_ap_perms(cases[i].ap, cases[i].afe), ==,
                        cases[i].perms);
    }
    g_assert_cmphex(smmu_vcm_perm_needed(false, false), ==, pr);
    g_assert_cmphex(smmu_vcm_perm_needed(true, false), ==, pw);
    g_assert_cmphex(smmu_vcm_perm_needed(false, true), ==, ur);
    g_assert_cmphex(smmu_vcm_perm_needed(true, true), ==, uw);
}

/*
 * spec 3.10: PAR of a successful translation, with the PRRR Linux
 * msm_iommu programs (0x800B8204) and without remapping.
 */
static void test_par_encode(void)
{
    static const uint32_t prrr = 0x800B8204;
    SMMUVCMTranslation normal = {
        .va_base = 0x10000000, .pa_base = 0x48000000, .size = 0x1000,
        .tex = 1, .s = true,            /* n = 4: TR4 normal, NS1 */
    };
    SMMUVCMTranslation super = {
        .va_base = 0x20000000, .pa_base = 0x123000000ull,
        .size = 0x1000000, .tex = 1,    /* S = 0: NS0 = 0 */
    };
    SMMUVCMTranslation device = {
        .va_base = 0x30000000, .pa_base = 0x09000000, .size = 0x100000,
        .b = true, .ns = true,          /* n = 1: TR1 device, DS0 */
    };
    SMMUVCMTranslation so = device;

    so.b = false;                       /* TEX/C/B 000/00 */
    g_assert_cmphex(smmu_vcm_par_encode(&normal, 0x10000123, true, prrr),
                    ==, 0x48000000 | 2 << 4 | 1 << 7);
    g_assert_cmphex(smmu_vcm_par_encode(&normal, 0x10000123, true,
                                        prrr | 1 << 28),
                    ==, 0x48000000 | 2 << 4 | 1 << 7 | 1 << 10);
    g_assert_cmphex(smmu_vcm_par_encode(&super, 0x20456789, true, prrr),
                    ==, 0x23000000 | 0x01 << 16 | 2 << 4 | 1 << 1);
    g_assert_cmphex(smmu_vcm_par_encode(&device, 0x300ABCDE, true, prrr),
                    ==, 0x090AB000 | 1 << 4 | 1 << 7 | 1 << 9);
    g_assert_cmphex(smmu_vcm_par_encode(&device, 0x300ABCDE, false, prrr),
                    ==, 0x090AB000 | 1 << 4 | 1 << 9);
    g_assert_cmphex(smmu_vcm_par_encode(&so, 0x300ABCDE, false, 0),
                    ==, 0x090AB000 | 0 << 4 | 1 << 7 | 1 << 9);
    g_assert_cmphex(smmu_vcm_par_encode(&normal, 0x10000FFF, false, 0),
                    ==, 0x48000000 | 2 << 4 | 1 << 7);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/smmu-vcm/walk/small-page", test_small_page);
    g_test_add_func("/smmu-vcm/walk/large-page", test_large_page);
    g_test_add_func("/smmu-vcm/walk/section", test_section);
    g_test_add_func("/smmu-vcm/walk/supersection", test_supersection);
    g_test_add_func("/smmu-vcm/walk/ttbcr-split", test_ttbcr_split);
    g_test_add_func("/smmu-vcm/walk/translation-faults",
                    test_translation_faults);
    g_test_add_func("/smmu-vcm/walk/aborts", test_walk_aborts);
    g_test_add_func("/smmu-vcm/walk/access-flag", test_access_flag);
    g_test_add_func("/smmu-vcm/walk/permissions", test_permissions);
    g_test_add_func("/smmu-vcm/par/encode", test_par_encode);
    return g_test_run();
}
