/*
 * QTest for pasr-ddr, the LP-DDR2 PASR controller (spec: pasr-ddr.md)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define DDR_BASE    0x0c000000ULL

#define A_ID        0x000
#define A_VERSION   0x004

/* spec 5.2: ID "PASR", VERSION 1.0; default geometry 2 x 4Gb x32 = 1 GiB */
static void test_id(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -m 1G "
                                 "-device pasr-ddr");

    g_assert_cmphex(qtest_readl(qts, DDR_BASE + A_ID), ==, 0x50415352);
    g_assert_cmphex(qtest_readl(qts, DDR_BASE + A_VERSION), ==, 0x0100);
    qtest_quit(qts);
}

/* 1 chip select of two 2Gb x16 S2 dies: 512 MiB */
static void test_id_ganged_x16(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -m 512M "
                                 "-device pasr-ddr,cs=1,lpddr2-type=s2,"
                                 "density-mbit=2048,io-width=16");

    g_assert_cmphex(qtest_readl(qts, DDR_BASE + A_ID), ==, 0x50415352);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pasr-ddr/id/default-geometry", test_id);
    qtest_add_func("/pasr-ddr/id/ganged-x16", test_id_ganged_x16);
    return g_test_run();
}
