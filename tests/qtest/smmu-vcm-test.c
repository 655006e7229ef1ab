/*
 * QTest for smmu-vcm, the MSM SMMU v0 model (spec: smmu-vcm.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/* qemu-integration.md 3.1: first slot of virt's platform bus */
#define SMMU_BASE   0x0c000000ULL

#define A_REV       0xFFFF4
#define A_IDR       0xFFFF8

/* spec 1.2: NM2VCBMT = mids - 1, HTW, TLBSIZE, NCB = ncb - 1, NIRPT = 1 */
static void test_idr_defaults(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device smmu-vcm,id=smmu0");

    g_assert_cmphex(qtest_readl(qts, SMMU_BASE + A_IDR), ==,
                    (1 << 24) | (3 << 16) | (7 << 12) | (1 << 9) | 127);
    g_assert_cmphex(qtest_readl(qts, SMMU_BASE + A_REV), ==, 0x10);
    qtest_quit(qts);
}

static void test_idr_properties(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device smmu-vcm,num-contexts=128,"
                                 "num-mids=512,tlb-entries=0");

    g_assert_cmphex(qtest_readl(qts, SMMU_BASE + A_IDR), ==,
                    (1 << 24) | (127 << 16) | (0 << 12) | (1 << 9) | 511);
    qtest_quit(qts);
}

/* IDR and REV are read-only */
static void test_id_read_only(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -device smmu-vcm");
    uint32_t idr = qtest_readl(qts, SMMU_BASE + A_IDR);

    qtest_writel(qts, SMMU_BASE + A_IDR, ~idr);
    qtest_writel(qts, SMMU_BASE + A_REV, 0);
    g_assert_cmphex(qtest_readl(qts, SMMU_BASE + A_IDR), ==, idr);
    g_assert_cmphex(qtest_readl(qts, SMMU_BASE + A_REV), ==, 0x10);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/smmu-vcm/id/defaults", test_idr_defaults);
    qtest_add_func("/smmu-vcm/id/properties", test_idr_properties);
    qtest_add_func("/smmu-vcm/id/read-only", test_id_read_only);
    return g_test_run();
}
