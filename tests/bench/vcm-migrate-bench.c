/*
 * Migration resource bound: one QEMU with the overlay's three devices
 * (smmu-vcm, vcm-dma behind it, pasr-ddr) saves its whole state through
 * the migration stream again and again (to "exec:cat >/dev/null"), and
 * its resident memory is printed after a warm-up and at the end. Every
 * save walks the devices' VMState (pre_save included); memory that a save
 * leaks shows as growth. Not a pass/fail test.
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *   VCM_MIGRATE_BENCH_N=1000 (default) migrations
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "../qtest/vcm-proc.h"

#define DMA_BASE    0x0c100000ULL
#define DMA_PATTERN 0x24
#define WARMUP      10

static void migrate_out(QTestState *qts)
{
    const char *status;
    QDict *rsp;

    qtest_qmp_assert_success(qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'exec:cat >/dev/null'}}");
    do {
        g_usleep(1000);
        rsp = qtest_qmp(qts, "{'execute': 'query-migrate'}");
        status = qdict_get_try_str(qdict_get_qdict(rsp, "return"), "status");
        g_assert_cmpstr(status, !=, "failed");
        if (!g_strcmp0(status, "completed")) {
            qobject_unref(rsp);
            /* a migrated-out VM may only go out again once it runs */
            qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
            return;
        }
        qobject_unref(rsp);
    } while (true);
}

int main(int argc, char **argv)
{
    const char *env = getenv("VCM_MIGRATE_BENCH_N");
    int n = env ? atoi(env) : 1000;
    QTestState *qts;
    int64_t start, warm, end;
    gint64 t0;

    g_test_init(&argc, &argv, NULL);
    qts = qtest_init("-M virt -m 64M "
                     "-device smmu-vcm,id=smmu0 "
                     "-device vcm-dma,id=dma0,iommu=smmu0,mid=3 "
                     "-device pasr-ddr,id=ddr0,cs=1,density-mbit=512");
    qtest_writel(qts, DMA_BASE + DMA_PATTERN, 0x5a5aa5a5);
    start = vcm_proc_status_kib(qts, "VmRSS");
    for (int i = 0; i < WARMUP; i++) {
        migrate_out(qts);
    }
    warm = vcm_proc_status_kib(qts, "VmRSS");
    t0 = g_get_monotonic_time();
    for (int i = 0; i < n; i++) {
        migrate_out(qts);
    }
    end = vcm_proc_status_kib(qts, "VmRSS");
    g_assert_cmpuint(qtest_readl(qts, DMA_BASE + DMA_PATTERN), ==,
                     0x5a5aa5a5);
    printf("vcm-migrate-bench: QEMU RSS %" PRId64 " KiB at start, %" PRId64
           " KiB after %d warm-up migrations, %" PRId64 " KiB after %d more "
           "(%+" PRId64 " KiB, %.2f KiB per migration); %.1f ms per "
           "migration\n", start, warm, WARMUP,
           end, n, end - warm, n ? (double)(end - warm) / n : 0.0,
           n ? (g_get_monotonic_time() - t0) / 1000.0 / n : 0.0);
    qtest_quit(qts);
    return 0;
}
