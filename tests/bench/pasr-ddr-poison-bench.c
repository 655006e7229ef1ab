/*
 * pasr-ddr poisoning speed (issue 14 item 6): how fast a self-refresh
 * exit overwrites a masked 256 MiB and 1 GiB of guest RAM (poison=pattern,
 * the default, and poison=zero), against a plain memset() of as many
 * bytes of this process's memory, measured in the same run. Prints
 * figures; not a pass/fail test. The guest writes the masked RAM before
 * every exit, as in-use memory would be: poison=zero hands whole pages
 * back to the host (spec 6.1), and an exit over pages already handed
 * back would cost nothing.
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define DDR         0x0c000000ULL
#define RAM         0x40000000ULL   /* the masked segments start there */
#define CS_MR17(n)  (0x110 + 0x20 * (n))
#define PM_CTRL     0x080
#define PM_SR_ENTER (1 << 4)
#define PM_SR_EXIT  (1 << 5)
#define LOSS_COUNT  0x0DC
#define MiB         (1024 * 1024ULL)
#define ROUNDS      3

static void wr(QTestState *qts, uint32_t off, uint32_t v)
{
    qtest_writel(qts, DDR + off, v);
}

/*
 * The MR17 (segment mask) shadow of the chip selects in @cs_mask, which
 * self-refresh entry applies (CTRL.APPLY_ON_SR, the default)
 */
static void mask_segments(QTestState *qts, unsigned cs_mask, uint8_t mr17)
{
    for (unsigned cs = 0; cs < 2; cs++) {
        if (cs_mask & (1 << cs)) {
            wr(qts, CS_MR17(cs), mr17);
        }
    }
}

/*
 * Wall time of the self-refresh exit that poisons what is masked (the
 * first @bytes of RAM, written just before), after a millisecond of
 * virtual time in self-refresh
 */
static double sr_exit_seconds(QTestState *qts, unsigned cs_mask,
                              uint64_t bytes)
{
    uint32_t losses = qtest_readl(qts, DDR + LOSS_COUNT);
    int64_t t0, t1;

    qtest_memset(qts, RAM, 0x5A, bytes);
    wr(qts, PM_CTRL, cs_mask | PM_SR_ENTER);
    qtest_clock_step(qts, 1000000);
    t0 = g_get_monotonic_time();
    wr(qts, PM_CTRL, cs_mask | PM_SR_EXIT);
    t1 = g_get_monotonic_time();
    if (qtest_readl(qts, DDR + LOSS_COUNT) == losses) {
        g_error("the self-refresh exit lost nothing");
    }
    return (t1 - t0) / 1e6;
}

static double memset_seconds(uint8_t *buf, size_t len, int value)
{
    int64_t t0 = g_get_monotonic_time();

    memset(buf, value, len);
    return (g_get_monotonic_time() - t0) / 1e6;
}

static void run(const char *poison)
{
    /* 2 x 512 MiB dies, 64 MiB segments; RAM touched once beforehand */
    QTestState *qts = qtest_initf("-M virt -m 1G -nodefaults "
                                  "-device pasr-ddr,id=ddr0,cs=2,"
                                  "density-mbit=4096,poison=%s", poison);
    static const struct {
        const char *what;
        unsigned cs_mask;
        uint8_t mr17;
        uint64_t bytes;
    } cases[] = {
        { "256 MiB", 1, 0x0F, 256 * MiB },
        { "1 GiB", 3, 0xFF, 1024 * MiB },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree uint8_t *buf = g_malloc(cases[i].bytes);
        double best_sr = 1e9, best_memset = 1e9;

        mask_segments(qts, cases[i].cs_mask, cases[i].mr17);
        sr_exit_seconds(qts, cases[i].cs_mask, cases[i].bytes); /* warm-up */
        memset_seconds(buf, cases[i].bytes, 1);
        for (int round = 0; round < ROUNDS; round++) {
            best_sr = MIN(best_sr, sr_exit_seconds(qts, cases[i].cs_mask,
                                                   cases[i].bytes));
            best_memset = MIN(best_memset,
                              memset_seconds(buf, cases[i].bytes, round));
        }
        printf("poison=%-7s %-7s  self-refresh exit %6.2f GB/s, memset "
               "%6.2f GB/s: %.2fx memset's time\n", poison, cases[i].what,
               cases[i].bytes / best_sr / 1e9,
               cases[i].bytes / best_memset / 1e9, best_sr / best_memset);
        mask_segments(qts, cases[i].cs_mask, 0);
    }
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    printf("masked segments poisoned at a self-refresh exit; best of %d "
           "after a warm-up, memset of as many bytes in between\n", ROUNDS);
    run("pattern");
    run("zero");
    return 0;
}
