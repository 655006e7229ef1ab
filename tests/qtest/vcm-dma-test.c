/*
 * QTest for vcm-dma, the DMA master behind smmu-vcm (spec: vcm-dma.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/* The SMMU's 1 MiB window takes the first platform-bus slot. */
#define DMA_BEHIND_SMMU 0x0c100000ULL
#define DMA_ALONE       0x0c000000ULL

#define A_ID        0x00
#define A_VERSION   0x04

static void check_ids(QTestState *qts, uint64_t base)
{
    g_assert_cmphex(qtest_readl(qts, base + A_ID), ==, 0x56444D41);
    g_assert_cmphex(qtest_readl(qts, base + A_VERSION), ==, 0x00010000);
}

static void test_id_behind_smmu(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device smmu-vcm,id=smmu0 "
                                 "-device vcm-dma,iommu=smmu0,mid=3");

    check_ids(qts, DMA_BEHIND_SMMU);
    qtest_quit(qts);
}

static void test_id_without_smmu(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -device vcm-dma");

    check_ids(qts, DMA_ALONE);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vcm-dma/id/behind-smmu", test_id_behind_smmu);
    qtest_add_func("/vcm-dma/id/without-smmu", test_id_without_smmu);
    return g_test_run();
}
