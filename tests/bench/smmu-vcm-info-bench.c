/*
 * How long "info smmu-vcm" and the info-json property take for a context
 * that maps all 4 GiB with 4 KiB pages: 4096 level-2 tables, 2^20 walks.
 * Two cases: every page continues the previous one (one run), and no page
 * does (2^20 runs, 4096 listed). Prints figures; not a pass/fail test.
 * The times are what a libqtest client sees: they include its parsing of
 * the answer, which dominates for the large one (about 1 MB of JSON).
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"

#define SMMU        0x0c000000ULL
#define CB0         0x0000
#define SCTLR       0x000
#define TTBR0       0x010
#define M2VCBR(m)   (0xFF000 + 4 * (m))
#define L1_TABLE    0x44000000u
#define L2_POOL     0x44100000u         /* 4096 tables of 1 KiB */
#define PTE_4K      0x00000032u         /* small page, AP = 3 */
#define ROUNDS      3

/* Context 0 maps VA page i to PA page pa_page(i) */
static void write_tables(QTestState *qts, bool contiguous)
{
    g_autofree uint32_t *l1 = g_new(uint32_t, 4096);
    g_autofree uint32_t *l2 = g_new(uint32_t, 4096 * 256);

    for (uint32_t i = 0; i < 4096; i++) {
        l1[i] = cpu_to_le32((L2_POOL + i * 0x400) | 1);
    }
    for (uint32_t page = 0; page < 4096 * 256; page++) {
        uint32_t pa_page = contiguous ? page : page ^ 1;

        l2[page] = cpu_to_le32(pa_page << 12 | PTE_4K);
    }
    qtest_bufwrite(qts, L1_TABLE, l1, 4096 * 4);
    qtest_bufwrite(qts, L2_POOL, l2, 4096 * 256 * 4);
}

static double best_ms(QTestState *qts, bool json)
{
    double best = 1e9;

    for (int i = 0; i < ROUNDS; i++) {
        gint64 t0 = g_get_monotonic_time();

        if (json) {
            qobject_unref(qtest_qmp(qts, "{'execute': 'qom-get', "
                                    "'arguments': {'path': "
                                    "'/machine/peripheral/smmu0', "
                                    "'property': 'info-json'}}"));
        } else {
            g_free(qtest_hmp(qts, "info smmu-vcm"));
        }
        best = MIN(best, (g_get_monotonic_time() - t0) / 1000.0);
    }
    return best;
}

int main(int argc, char **argv)
{
    QTestState *qts = qtest_init("-M virt -m 1G -nodefaults "
                                 "-device smmu-vcm,id=smmu0,num-contexts=1 "
                                 "-device vcm-dma,iommu=smmu0,mid=0");

    qtest_writel(qts, SMMU + M2VCBR(0), 0);
    qtest_writel(qts, SMMU + CB0 + TTBR0, L1_TABLE);
    qtest_writel(qts, SMMU + CB0 + SCTLR, 1);
    for (int contiguous = 1; contiguous >= 0; contiguous--) {
        double hmp, json;

        write_tables(qts, contiguous);
        hmp = best_ms(qts, false);
        json = best_ms(qts, true);
        printf("info smmu-vcm, 4 GiB of 4K pages, %s: %.0f ms (HMP), "
               "%.0f ms (info-json); best of %d\n",
               contiguous ? "one run" : "2^20 runs, 4096 listed", hmp, json,
               ROUNDS);
    }
    qtest_quit(qts);
    return 0;
}
