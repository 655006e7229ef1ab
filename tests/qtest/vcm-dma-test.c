/*
 * QTest for vcm-dma, the DMA master behind smmu-vcm
 * (docs/specs/vcm-dma.rst: "spec").
 * Translation, faults and stalls are covered by smmu-vcm-test; this file
 * covers the engine itself, mastering system memory directly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "vcm-migrate.h"
#include "vcm-proc.h"

#define DMA             0x0c000000ULL   /* first platform-bus slot */
#define DMA_IRQ         (32 + 112)
#define GICD_ISPENDR    0x08000200ULL

#define ID          0x00
#define VERSION     0x04
#define CTRL        0x08
#define STATUS      0x0C
#define SRC_LO      0x10
#define SRC_HI      0x14
#define DST_LO      0x18
#define DST_HI      0x1C
#define LEN         0x20
#define PATTERN     0x24
#define DONE_BYTES  0x28
#define FAULT_ADDR  0x2C
#define CHUNK       0x30
#define ITER        0x34
#define ELAPSED_LO  0x38
#define ELAPSED_HI  0x3C

#define GO          (1 << 0)
#define ABORT       (1 << 1)
#define IRQ_EN      (1 << 2)
#define OP_FILL     (1 << 4)
#define ST_BUSY     (1 << 0)
#define ST_DONE     (1 << 1)
#define ST_ERROR    (1 << 2)
#define ST_ERR(s)   (((s) >> 8) & 0xF)

#define RAM         0x40000000u

static QTestState *start(void)
{
    return qtest_init("-M virt -m 256M -nodefaults -device vcm-dma,id=dma0");
}

static uint32_t rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, DMA + off);
}

static void wr(QTestState *qts, uint32_t off, uint32_t v)
{
    qtest_writel(qts, DMA + off, v);
}

static uint32_t run(QTestState *qts, uint32_t ctrl, uint64_t src,
                    uint64_t dst, uint32_t len)
{
    wr(qts, SRC_LO, src);
    wr(qts, SRC_HI, src >> 32);
    wr(qts, DST_LO, dst);
    wr(qts, DST_HI, dst >> 32);
    wr(qts, LEN, len);
    wr(qts, CTRL, ctrl | GO);
    return rd(qts, STATUS);
}

static bool irq_pending(QTestState *qts)
{
    return qtest_readl(qts, GICD_ISPENDR + 4 * (DMA_IRQ / 32)) &
           (1u << DMA_IRQ % 32);
}

static void test_id(void)
{
    QTestState *qts = start();

    g_assert_cmphex(rd(qts, ID), ==, 0x56444D41);
    g_assert_cmphex(rd(qts, VERSION), ==, 0x00010000);
    wr(qts, ID, 0);
    g_assert_cmphex(rd(qts, ID), ==, 0x56444D41);
    qtest_quit(qts);
}

/* Copy in odd-sized chunks, several passes; DONE, DONE_BYTES = LEN. */
static void test_copy_chunks_iter(void)
{
    QTestState *qts = start();
    uint8_t src[10000], dst[10000];

    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = i * 13 + 5;
    }
    qtest_memwrite(qts, RAM, src, sizeof(src));
    wr(qts, CHUNK, 333);
    wr(qts, ITER, 3);
    g_assert_cmphex(run(qts, 0, RAM, RAM + 0x100000, sizeof(src)), ==,
                    ST_DONE);
    g_assert_cmpuint(rd(qts, DONE_BYTES), ==, sizeof(src));
    qtest_memread(qts, RAM + 0x100000, dst, sizeof(dst));
    g_assert_cmpmem(src, sizeof(src), dst, sizeof(dst));
    qtest_quit(qts);
}

/* Fill: byte i of DST is byte i % 4 of PATTERN (little-endian). */
static void test_fill(void)
{
    QTestState *qts = start();
    uint8_t buf[4099];

    wr(qts, PATTERN, 0x44332211);
    wr(qts, CHUNK, 333);        /* steps start at every offset mod 4 */
    g_assert_cmphex(run(qts, OP_FILL, 0, RAM + 1, sizeof(buf)), ==, ST_DONE);
    qtest_memread(qts, RAM + 1, buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, 0x11 * (i % 4 + 1));
    }
    qtest_quit(qts);
}

/* Overlapping source and destination behave like memmove. */
static void test_overlap_memmove(void)
{
    QTestState *qts = start();
    uint8_t buf[3000], want[3000];

    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = i;
    }
    qtest_memwrite(qts, RAM, buf, sizeof(buf));
    memmove(want + 700, buf, 2000);
    memcpy(want, buf, 700);
    memcpy(want + 2700, buf + 2700, 300);
    wr(qts, CHUNK, 256);
    g_assert_cmphex(run(qts, 0, RAM, RAM + 700, 2000), ==, ST_DONE);
    qtest_memread(qts, RAM, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), want, sizeof(want));

    /* and downwards */
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 3;
    }
    qtest_memwrite(qts, RAM, buf, sizeof(buf));
    memcpy(want, buf, sizeof(buf));
    memmove(want, want + 500, 2500);
    g_assert_cmphex(run(qts, 0, RAM + 500, RAM, 2500), ==, ST_DONE);
    qtest_memread(qts, RAM, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), want, sizeof(want));
    qtest_quit(qts);
}

/*
 * The same with steps of 64 KiB, which the engine writes straight from
 * the source unless the two overlap in the host (spec 3.1): copies up and
 * down by 12 KiB, whose every step overlaps its own destination, and one
 * by 256 KiB, whose steps do not.
 */
static void test_overlap_memmove_large(void)
{
    static const int64_t by[] = { 0x3000, -0x3000, 0x40000 };
    const size_t size = 512 * 1024, len = 192 * 1024;
    QTestState *qts = start();
    g_autofree uint8_t *buf = g_malloc(size);
    g_autofree uint8_t *want = g_malloc(size);

    for (int i = 0; i < ARRAY_SIZE(by); i++) {
        uint64_t src = RAM + 0x3000, dst = src + by[i];

        for (size_t j = 0; j < size; j++) {
            buf[j] = j * 7 + i;
        }
        qtest_memwrite(qts, RAM, buf, size);
        memcpy(want, buf, size);
        memmove(want + (dst - RAM), want + (src - RAM), len);
        wr(qts, CHUNK, 64 * 1024);
        g_assert_cmphex(run(qts, 0, src, dst, len), ==, ST_DONE);
        qtest_memread(qts, RAM, buf, size);
        g_assert_cmpmem(buf, size, want, size);
    }
    qtest_quit(qts);
}

/* IRQ = IRQ_EN && (DONE || ERROR || STALLED); W1C drops it. */
static void test_irq(void)
{
    QTestState *qts = start();

    g_assert_cmphex(run(qts, OP_FILL, 0, RAM, 64), ==, ST_DONE);
    g_assert_false(irq_pending(qts));
    wr(qts, CTRL, IRQ_EN);
    g_assert_true(irq_pending(qts));
    wr(qts, STATUS, ST_DONE);
    g_assert_false(irq_pending(qts));
    g_assert_cmphex(run(qts, IRQ_EN, RAM, RAM + 64, 0), ==, ST_ERROR | 6 << 8);
    g_assert_true(irq_pending(qts));
    wr(qts, STATUS, ST_ERROR);
    g_assert_cmphex(rd(qts, STATUS), ==, 0);
    g_assert_false(irq_pending(qts));
    qtest_quit(qts);
}

/*
 * Unbacked addresses are bus errors (3); huge and wrapping lengths end
 * the same way; QEMU keeps running.
 */
static void test_bad_addresses(void)
{
    QTestState *qts = start();
    uint32_t status;

    status = run(qts, 0, RAM, 0x100000000000ULL, 64);
    g_assert_cmphex(status, ==, ST_ERROR | 3 << 8);
    g_assert_cmphex(rd(qts, FAULT_ADDR), ==, 0);
    status = run(qts, 0, 0xFFFFFFFFFFFFF000ULL, RAM, 0x2000);
    g_assert_cmphex(ST_ERR(status), ==, 3);
    status = run(qts, OP_FILL, 0, RAM + 0x0F000000, 0xFFFFFFFF);
    g_assert_cmphex(ST_ERR(status), ==, 3);
    g_assert_cmpuint(rd(qts, DONE_BYTES), ==, 0x01000000);
    g_assert_cmphex(run(qts, OP_FILL, 0, RAM, 4), ==, ST_DONE);
    qtest_quit(qts);
}

/*
 * Fuzzer finding (reproducer): a fill of virt's flash with CFI "read
 * array" commands switches the memory map twice per 32-bit write, and a
 * replaced map is only freed (RCU) once the main loop runs. When the
 * engine moved the whole transfer inside the GO write, 16 KiB cost about
 * 800 MB of host memory (64 KiB, as here, would cost 3 GB) and 1 MiB
 * exhausted the host. The transfer must complete (BUSY drops) with QEMU's
 * memory bounded.
 */
static void test_fill_flash_bounded(void)
{
    QTestState *qts = start();
    uint64_t before = vcm_proc_status_kib(qts, "VmHWM");
    uint32_t status = 0;

    wr(qts, PATTERN, 0x00FF00FF);
    run(qts, OP_FILL, 0, 0x04000000, 64 * 1024);
    for (int i = 0; i < 100000 && (status = rd(qts, STATUS)) & 1; i++) {
        qtest_clock_step(qts, 1000);
    }
    g_assert_cmphex(status & 7, ==, ST_DONE);
    g_test_message("peak RSS grew by %" PRIu64 " KiB",
                   vcm_proc_status_kib(qts, "VmHWM") - before);
    /*
     * About 8 MB here; up to ASan's 256 MB quarantine of freed memory in
     * the sanitizer build; 3 GB without the fix.
     */
    g_assert_cmpuint(vcm_proc_status_kib(qts, "VmHWM") - before, <, 512 * 1024);
    qtest_quit(qts);
}

/* Wrong sizes and unknown offsets are harmless; reset clears registers. */
static void test_hostile_and_reset(void)
{
    QTestState *qts = start();

    qtest_writeb(qts, DMA + LEN, 0xFF);
    qtest_writew(qts, DMA + LEN, 0xFFFF);
    g_assert_cmphex(rd(qts, LEN), ==, 0);
    wr(qts, 0x40, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, 0x40), ==, 0);
    wr(qts, 0xFFC, 0xFFFFFFFF);
    wr(qts, CHUNK, 0x7FFFFFFF);
    g_assert_cmphex(rd(qts, CHUNK), ==, 0x100000);
    wr(qts, PATTERN, 0x1234);
    wr(qts, CTRL, IRQ_EN | OP_FILL);
    g_assert_cmphex(rd(qts, CTRL), ==, IRQ_EN | OP_FILL);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(rd(qts, CTRL), ==, 0);
    g_assert_cmphex(rd(qts, PATTERN), ==, 0);
    g_assert_cmphex(rd(qts, CHUNK), ==, 0);
    g_assert_cmphex(rd(qts, ID), ==, 0x56444D41);
    qtest_quit(qts);
}

/*
 * ELAPSED_NS is virtual time and the start of a transfer migrates with
 * it: a device transfer (into virt's flash, which pauses every few
 * hundred accesses) that started before a migration and ends after it
 * reports the virtual time it really took on both sides.
 */
static void test_elapsed_across_migration(void)
{
    QTestState *src = start(), *dst;
    uint64_t before = 0, after = 0, elapsed;

    wr(src, PATTERN, 0x00FF00FF);
    run(src, OP_FILL, 0, 0x04000000, 16 * 1024);
    g_assert_cmphex(rd(src, STATUS) & 1, ==, 1);
    for (int i = 0; i < 50; i++) {
        qtest_clock_step(src, 10000);
        before += 10000;
    }
    g_assert_cmphex(rd(src, STATUS) & 1, ==, 1);   /* still busy */

    dst = vcm_migrate(src, "-M virt -m 256M -nodefaults "
                           "-device vcm-dma,id=dma0");
    while (rd(dst, STATUS) & 1) {
        g_assert_cmpuint(after, <, 100000000);
        qtest_clock_step(dst, 10000);
        after += 10000;
    }
    g_assert_cmphex(rd(dst, STATUS) & 7, ==, ST_DONE);
    elapsed = rd(dst, ELAPSED_LO) | (uint64_t)rd(dst, ELAPSED_HI) << 32;
    g_test_message("%" PRIu64 " ns before, %" PRIu64 " ns after the "
                   "migration; ELAPSED_NS %" PRIu64, before, after, elapsed);
    g_assert_cmpuint(elapsed, >, before + after - 10000);
    g_assert_cmpuint(elapsed, <=, before + after);
    qtest_quit(dst);
}

/*
 * A fill of @len bytes at RAM with @pattern (ITER and CHUNK as set) is
 * still busy after GO, paused with DONE_BYTES @paused_at, and done after
 * one pause of 10 us.
 */
static void fill_ends_after_one_pause(QTestState *qts, uint32_t pattern,
                                      uint32_t len, uint32_t paused_at)
{
    wr(qts, PATTERN, pattern);
    g_assert_cmphex(run(qts, OP_FILL, 0, RAM, len) & 7, ==, ST_BUSY);
    g_assert_cmpuint(rd(qts, DONE_BYTES), ==, paused_at);
    qtest_clock_step(qts, 10000);
    g_assert_cmphex(rd(qts, STATUS) & 7, ==, ST_DONE);
    g_assert_cmphex(qtest_readl(qts, RAM + len - 4), ==, pattern);
}

/*
 * A transfer longer than 256 MiB pauses after each 256 MiB (10 us of
 * virtual time) instead of holding the GO write: 512 MiB ends after one
 * pause; a 64 KiB fill repeated 2^32 - 1 times (about 256 TiB, what a
 * fuzzer input asked for) goes on in the background until a reset.
 */
static void test_long_transfer_pauses(void)
{
    QTestState *qts = start();

    /* the pause comes between two iterations: DONE_BYTES starts again */
    wr(qts, ITER, 8192);
    fill_ends_after_one_pause(qts, 0x5A5A5A5A, 64 * 1024, 0);

    wr(qts, ITER, UINT32_MAX);
    g_assert_cmphex(run(qts, OP_FILL, 0, RAM, 64 * 1024) & 7, ==, ST_BUSY);
    qtest_clock_step(qts, 10000);
    g_assert_cmphex(rd(qts, STATUS) & 7, ==, ST_BUSY);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(rd(qts, STATUS) & 7, ==, 0);
    qtest_clock_step(qts, 100000);
    g_assert_cmphex(rd(qts, STATUS) & 7, ==, 0);
    qtest_quit(qts);
}

/*
 * The step budget: a fill of 128 KiB in 1-byte chunks is 131072 steps;
 * it pauses after 65536 (x-run-steps' default) and ends after one pause
 * (qemu-cli-test checks that x-run-steps=0 is refused).
 */
static void test_single_byte_steps_pause(void)
{
    QTestState *qts = start();

    wr(qts, CHUNK, 1);
    fill_ends_after_one_pause(qts, 0xA5A5A5A5, 128 * 1024, 64 * 1024);
    qtest_quit(qts);
}

/*
 * The byte budget: with x-run-bytes=32K a 64 KiB fill in 4 KiB chunks
 * pauses after 32 KiB and ends after one pause (qemu-cli-test checks that
 * x-run-bytes=0 is refused).
 */
static void test_run_bytes_pause(void)
{
    QTestState *qts = qtest_init("-M virt -m 256M -nodefaults "
                                 "-device vcm-dma,x-run-bytes=32K");

    wr(qts, CHUNK, 4096);
    fill_ends_after_one_pause(qts, 0x3C3C3C3C, 64 * 1024, 32 * 1024);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vcm-dma/id", test_id);
    qtest_add_func("/vcm-dma/copy/chunks-iter", test_copy_chunks_iter);
    qtest_add_func("/vcm-dma/fill", test_fill);
    qtest_add_func("/vcm-dma/copy/overlap-memmove", test_overlap_memmove);
    qtest_add_func("/vcm-dma/copy/overlap-memmove-large",
                   test_overlap_memmove_large);
    qtest_add_func("/vcm-dma/irq", test_irq);
    qtest_add_func("/vcm-dma/bad-addresses", test_bad_addresses);
    qtest_add_func("/vcm-dma/hostile-and-reset", test_hostile_and_reset);
    qtest_add_func("/vcm-dma/fill-flash-bounded", test_fill_flash_bounded);
    qtest_add_func("/vcm-dma/long-transfer-pauses", test_long_transfer_pauses);
    qtest_add_func("/vcm-dma/single-byte-steps-pause",
                   test_single_byte_steps_pause);
    qtest_add_func("/vcm-dma/run-bytes-pause", test_run_bytes_pause);
    qtest_add_func("/vcm-dma/migrate/elapsed", test_elapsed_across_migration);
    return g_test_run();
}
