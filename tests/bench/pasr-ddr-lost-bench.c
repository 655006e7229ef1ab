/*
 * pasr-ddr check-lost benchmark: the guest CPU (TCG) rewrites 128 MiB
 * that a self-refresh exit lost, with the sanitizer on and off, and then
 * rewrites it once more (now clean). Prints the times and their ratios;
 * it is not a pass/fail test (machines are shared and noisy).
 *
 *   meson test -C build --benchmark --suite vcm-bench --verbose
 *
 * The guest is a few ARM instructions written into RAM by qtest; the
 * generic loader points CPU 0 at them. They store 32 bytes per STM (as
 * Linux's memset does) over the lost range twice, writing the pass
 * number to a flag word after each pass; the host times the passes by
 * polling that word.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "../qtest/vcm-qom.h"
#include "qobject/qdict.h"

#define DDR         0x0c000000ULL
#define RAM         0x40000000u
#define CODE        RAM
#define FLAG        (RAM + 0x1000)
#define LOST        0x68000000u     /* CS1 segments 2 and 3 */
#define LOST_BYTES  (128u << 20)
#define CS1_MR17    (0x100 + 0x20 + 0x10)
#define PM_CTRL     0x080
#define PM_SR_ENTER (1 << 4)
#define PM_SR_EXIT  (1 << 5)
#define PASSES      2
#define ROUNDS      3

/* ARM (A32) code, hand-assembled; literals at 0x44 */
static const uint32_t guest_code[] = {
    0xE59F003C,     /* 00: ldr   r0, =LOST */
    0xE59F103C,     /* 04: ldr   r1, =LOST + LOST_BYTES */
    0xE59F203C,     /* 08: ldr   r2, =0x11111111 */
    0xE1A03002,     /* 0c: mov   r3, r2  (and r4-r9 likewise) */
    0xE1A04002,
    0xE1A05002,
    0xE1A06002,
    0xE1A07002,
    0xE1A08002,
    0xE1A09002,     /* 24 */
    0xE3A0B000,     /* 28: mov   r11, #0  (passes done) */
    0xE59FA01C,     /* 2c: ldr   r10, =FLAG */
    /* 30: pass: */
    0xE59F000C,     /* 30: ldr   r0, =LOST */
    0xE8A003FC,     /* 34: 1: stmia r0!, {r2-r9} */
    0xE1500001,     /* 38: cmp   r0, r1 */
    0x3AFFFFFC,     /* 3c: blo   1b */
    0xEA000004,     /* 40: b     0x58 */
    LOST,           /* 44 */
    LOST + LOST_BYTES,
    0x11111111,
    FLAG,
    0,              /* 54: spare */
    0xE28BB001,     /* 58: add   r11, r11, #1 */
    0xE58AB000,     /* 5c: str   r11, [r10] */
    0xE35B0000 | PASSES,    /* 60: cmp r11, #PASSES */
    0x3AFFFFF1,     /* 64: blo   0x30 */
    0xEAFFFFFE,     /* 68: b     . */
};

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static uint64_t qom_u64(QTestState *qts, const char *prop)
{
    return vcm_qom_u64(qts, "/machine/peripheral/ddr0", prop);
}

/* Seconds per pass of the guest over the lost range */
static void run(bool check_lost, double *pass)
{
    QTestState *qts = qtest_initf("-accel tcg -M virt -m 1G -nodefaults -S "
                                  "-device loader,addr=0x%x,cpu-num=0 "
                                  "-device pasr-ddr,id=ddr0,cs=2,"
                                  "density-mbit=4096,check-lost=%s",
                                  CODE, check_lost ? "on" : "off");
    uint32_t done = 0;
    double t0;

    for (size_t i = 0; i < ARRAY_SIZE(guest_code); i++) {
        qtest_writel(qts, CODE + 4 * i, guest_code[i]);
    }
    qtest_writel(qts, FLAG, 0);
    /* lose CS1 segments 2 and 3 (LOST, 128 MiB) */
    qtest_writel(qts, DDR + CS1_MR17, 0x0C);
    qtest_writel(qts, DDR + PM_CTRL, 2 | PM_SR_ENTER);
    qtest_writel(qts, DDR + PM_CTRL, 2 | PM_SR_EXIT);
    g_assert_cmpuint(qom_u64(qts, "loss-count"), ==, 1);

    t0 = now_s();
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    while (done < PASSES) {
        uint32_t flag = qtest_readl(qts, FLAG);

        if (flag > done) {
            double t = now_s();

            pass[done] = t - t0;
            t0 = t;
            done = flag;
        }
        g_usleep(1000);
    }
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    double on[ROUNDS][PASSES], off[ROUNDS][PASSES];
    double best_on[PASSES], best_off[PASSES];

    g_test_init(&argc, &argv, NULL);
    for (int r = 0; r < ROUNDS; r++) {
        run(false, off[r]);
        run(true, on[r]);
    }
    for (int p = 0; p < PASSES; p++) {
        best_on[p] = best_off[p] = G_MAXDOUBLE;
        for (int r = 0; r < ROUNDS; r++) {
            best_on[p] = MIN(best_on[p], on[r][p]);
            best_off[p] = MIN(best_off[p], off[r][p]);
        }
    }
    printf("pasr-ddr check-lost: the guest rewrites %u MiB lost by a "
           "self-refresh exit (best of %d)\n", LOST_BYTES >> 20, ROUNDS);
    printf("  check-lost=off: %.3f s; check-lost=on: %.3f s; "
           "ratio on/off %.1f\n", best_off[0], best_on[0],
           best_on[0] / best_off[0]);
    printf("  then the same memory again, now clean: off %.3f s, on %.3f s;"
           " ratio on/off %.2f\n", best_off[1], best_on[1],
           best_on[1] / best_off[1]);
    return 0;
}
