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
#include "qemu/cutils.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define DMA_BASE    0x0c100000ULL
#define DMA_PATTERN 0x24
#define WARMUP      10

/* VmRSS of @pid, KiB */
static long rss_kib(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *line, *end;
    long kib;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    line = strstr(text, "VmRSS:");
    if (!line || qemu_strtol(line + 6, &end, 10, &kib) < 0) {
        return -1;
    }
    return kib;
}

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
    long start, warm, end;
    gint64 t0;

    g_test_init(&argc, &argv, NULL);
    qts = qtest_init("-M virt -m 64M "
                     "-device smmu-vcm,id=smmu0 "
                     "-device vcm-dma,id=dma0,iommu=smmu0,mid=3 "
                     "-device pasr-ddr,id=ddr0,cs=1,density-mbit=512");
    qtest_writel(qts, DMA_BASE + DMA_PATTERN, 0x5a5aa5a5);
    start = rss_kib(qtest_pid(qts));
    for (int i = 0; i < WARMUP; i++) {
        migrate_out(qts);
    }
    warm = rss_kib(qtest_pid(qts));
    t0 = g_get_monotonic_time();
    for (int i = 0; i < n; i++) {
        migrate_out(qts);
    }
    end = rss_kib(qtest_pid(qts));
    g_assert_cmpuint(qtest_readl(qts, DMA_BASE + DMA_PATTERN), ==,
                     0x5a5aa5a5);
    printf("vcm-migrate-bench: QEMU RSS %ld KiB at start, %ld KiB after %d "
           "warm-up migrations, %ld KiB after %d more (%+ld KiB, %.2f KiB "
           "per migration); %.1f ms per migration\n", start, warm, WARMUP,
           end, n, end - warm, n ? (double)(end - warm) / n : 0.0,
           n ? (g_get_monotonic_time() - t0) / 1000.0 / n : 0.0);
    qtest_quit(qts);
    return 0;
}
