/*
 * QTest for pasr-ddr, the LP-DDR2 PASR controller
 * (spec: docs/specs/pasr-ddr.rst), on -M virt -m 1G with two chip selects
 * of 4 Gbit x32 S4 dies unless a test says otherwise.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "vcm-migrate.h"
#include "vcm-proc.h"
#include "vcm-qom.h"

#define DDR         0x0c000000ULL
#define DDR_IRQ     (32 + 112)
#define GICD_ISPENDR 0x08000200ULL
#define RAM         0x40000000ULL
#define CS_BYTES    (512 * MiB)
#define SEG_BYTES   (64 * MiB)

/* spec 5.2 */
#define ID              0x000
#define VERSION         0x004
#define CAPS            0x008
#define MAP_CFG         0x00C
#define DRAM_BASE_LO    0x010
#define DRAM_BASE_HI    0x014
#define DRAM_SIZE_LO    0x018
#define DRAM_SIZE_HI    0x01C
#define CTRL            0x020
#define TEMP_POLL       0x024
#define TEMPERATURE     0x028
#define MR_CMD          0x040
#define MR_STATUS       0x044
#define MR_RDATA        0x048
#define PM_CTRL         0x080
#define PM_STATUS       0x084
#define SR_PULSE_US     0x088
#define WAKE_TIMER_MS   0x08C
#define IRQ_RAW         0x0A0
#define IRQ_STATUS      0x0A4
#define IRQ_ENABLE      0x0A8
#define E_SR_UJ_LO      0x0C0
#define E_SR_UJ_HI      0x0C4
#define E_SR_FULL_UJ_LO 0x0C8
#define T_SR_US_LO      0x0D0
#define SR_COUNT        0x0D8
#define LOSS_COUNT      0x0DC
#define XLATE_ADDR_LO   0x0E0
#define XLATE_ADDR_HI   0x0E4
#define XLATE_RES0      0x0E8
#define XLATE_RES1      0x0EC
#define CS(n)           (0x100 + 0x20 * (n))
#define CS_INFO         0x00
#define CS_BASE_LO      0x04
#define CS_SIZE_MB      0x08
#define CS_MR16         0x0C
#define CS_MR17         0x10
#define CS_MR_APPLIED   0x14
#define CS_STATE        0x18
#define CS_REFRESHED    0x1C

#define CTRL_APPLY_ON_SR    (1 << 0)
#define CTRL_AUTO_MRW       (1 << 1)
#define CTRL_STRICT         (1 << 2)
#define CTRL_TRAP_EN        (1 << 8)
#define PM_SR_ENTER         (1 << 4)
#define PM_SR_EXIT          (1 << 5)
#define PM_SUSPEND          (1 << 6)
#define PM_DPD_ENTER        (1 << 7)
#define PM_SR_PULSE         (1 << 8)
#define PENDING             (1u << 31)
#define DATA_LOST           (1 << 8)

#define IRQ_MR_DONE         (1 << 0)
#define IRQ_MR_ERR          (1 << 1)
#define IRQ_TEMP_CHANGE     (1 << 2)
#define IRQ_SR_ENTERED      (1 << 3)
#define IRQ_SR_EXITED       (1 << 4)
#define IRQ_DATA_LOST       (1 << 6)
#define IRQ_WAKE            (1 << 7)

#define MAGIC               0x5041535250534E00ULL
#define FILL                0x5A

static QTestState *start(const char *props)
{
    return qtest_initf("-M virt -m 1G -nodefaults "
                       "-device pasr-ddr,id=ddr0,cs=2,density-mbit=4096%s",
                       props);
}

static uint32_t rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, DDR + off);
}

static void wr(QTestState *qts, uint32_t off, uint32_t v)
{
    qtest_writel(qts, DDR + off, v);
}

/* One MR command; returns MR_STATUS (and MR_RDATA in *rdata). */
static uint32_t mr(QTestState *qts, bool write, unsigned cs_mask, uint8_t ma,
                   uint8_t op, uint32_t *rdata)
{
    wr(qts, MR_STATUS, 6);
    wr(qts, MR_CMD, 1u << 31 | write << 24 | cs_mask << 16 | op << 8 | ma);
    if (rdata) {
        *rdata = rd(qts, MR_RDATA);
    }
    return rd(qts, MR_STATUS);
}

static uint32_t mrr(QTestState *qts, unsigned cs, uint8_t ma)
{
    uint32_t data;

    g_assert_cmphex(mr(qts, false, 1 << cs, ma, 0, &data), ==, 2);
    return data;
}

#define MR_ERR(code)    (2 | 4 | (code) << 8)

static uint64_t qom_u64(QTestState *qts, const char *prop)
{
    return vcm_qom_u64(qts, "/machine/peripheral/ddr0", prop);
}

static void set_temperature(QTestState *qts, int mdeg)
{
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': '/machine/peripheral/ddr0', "
                             "'property': 'temperature', 'value': %d}}",
                             mdeg);
}

static bool irq_pending(QTestState *qts)
{
    return qtest_readl(qts, GICD_ISPENDR + 4 * (DDR_IRQ / 32)) &
           (1u << DDR_IRQ % 32);
}

/* spec 5.2: identification and self-description */
static void test_id_caps_info(void)
{
    QTestState *qts = start("");

    g_assert_cmphex(rd(qts, ID), ==, 0x50415352);
    g_assert_cmphex(rd(qts, VERSION), ==, 0x0100);
    /* 2 CS, XLATE, ENERGY, SR_TRAP, SUSPEND, broadcast, APPLY_ON_SR */
    g_assert_cmphex(rd(qts, CAPS), ==, 2 | 0x7E0);
    g_assert_cmphex(rd(qts, MAP_CFG), ==, 0);
    g_assert_cmphex(rd(qts, DRAM_BASE_LO), ==, 0x40000000);
    g_assert_cmphex(rd(qts, DRAM_BASE_HI), ==, 0);
    g_assert_cmphex(rd(qts, DRAM_SIZE_LO), ==, 0x40000000);
    g_assert_cmphex(rd(qts, DRAM_SIZE_HI), ==, 0);
    g_assert_cmphex(rd(qts, CTRL), ==, CTRL_APPLY_ON_SR);
    g_assert_cmphex(rd(qts, TEMPERATURE), ==, 45000);
    for (int i = 0; i < 2; i++) {
        /* PRESENT, S4, 4Gb (6), x32 (0), 14 rows, 10 columns, 8 banks */
        g_assert_cmphex(rd(qts, CS(i) + CS_INFO), ==,
                        1 | 6 << 3 | 14 << 9 | 10 << 13 | 1 << 17);
        g_assert_cmphex(rd(qts, CS(i) + CS_BASE_LO), ==,
                        0x40000000 + i * CS_BYTES);
        g_assert_cmphex(rd(qts, CS(i) + CS_SIZE_MB), ==, 512);
        g_assert_cmphex(rd(qts, CS(i) + CS_STATE), ==, 0);
        g_assert_cmphex(rd(qts, CS(i) + CS_REFRESHED), ==, 0x10000);
    }
    g_assert_cmphex(rd(qts, CS(2) + CS_INFO), ==, 0);
    qtest_quit(qts);

    /* BRC, swap interleave at 64 KiB; x16 dies come in pairs */
    qts = qtest_init("-M virt -m 1G -nodefaults -device pasr-ddr,cs=1,"
                     "density-mbit=4096,io-width=16,map=brc,cs-mode=swap,"
                     "interleave-granule=65536");
    g_assert_cmphex(rd(qts, MAP_CFG), ==, 1 | 2 << 4 | 16 << 8 | 1 << 16);
    g_assert_cmphex(rd(qts, CS(0) + CS_INFO), ==,
                    1 | 6 << 3 | 1 << 7 | 14 << 9 | 11 << 13 | 1 << 17);
    g_assert_cmphex(rd(qts, CS(0) + CS_SIZE_MB), ==, 1024);
    qtest_quit(qts);
}

/* spec 1.1: MR0, MR5-MR8 per chip select, both dies of a rank answer */
static void test_mrr_identity(void)
{
    QTestState *qts = start(",manufacturer-id=3,revision-id1=7,"
                            "revision-id2=9");

    for (int cs = 0; cs < 2; cs++) {
        g_assert_cmphex(mrr(qts, cs, 0), ==, 1u << 31 | 0x18);
        g_assert_cmphex(mrr(qts, cs, 5), ==, 1u << 31 | 3);
        g_assert_cmphex(mrr(qts, cs, 6), ==, 1u << 31 | 7);
        g_assert_cmphex(mrr(qts, cs, 7), ==, 1u << 31 | 9);
        g_assert_cmphex(mrr(qts, cs, 8), ==, 1u << 31 | 0x18);
    }
    qtest_quit(qts);

    qts = qtest_init("-M virt -m 1G -nodefaults -device pasr-ddr,cs=1,"
                     "density-mbit=4096,io-width=16");
    g_assert_cmphex(mrr(qts, 0, 8), ==, 1u << 31 | 0x5858);
    qtest_quit(qts);
}

/* spec 1.3: the legality matrix and its error codes */
static void test_mr_legality(void)
{
    QTestState *qts = start("");
    uint32_t data;

    g_assert_cmphex(mr(qts, true, 1, 0, 0, NULL), ==, MR_ERR(1));
    g_assert_cmphex(mr(qts, true, 1, 8, 0, NULL), ==, MR_ERR(1));
    g_assert_cmphex(mr(qts, false, 1, 16, 0, &data), ==, MR_ERR(2));
    g_assert_cmphex(data, ==, 0);
    g_assert_cmphex(mr(qts, false, 1, 63, 0, NULL), ==, MR_ERR(2));
    g_assert_cmphex(mr(qts, true, 1, 1, 0x01, NULL), ==, MR_ERR(3));
    g_assert_cmphex(mr(qts, true, 1, 1, 0x23, NULL), ==, 2);
    g_assert_cmphex(mr(qts, true, 1, 2, 0x07, NULL), ==, MR_ERR(3));
    g_assert_cmphex(mr(qts, true, 1, 3, 0x05, NULL), ==, MR_ERR(3));
    g_assert_cmphex(mr(qts, true, 1, 10, 0x12, NULL), ==, MR_ERR(3));
    g_assert_cmphex(mr(qts, true, 3, 10, 0xFF, NULL), ==, 2);
    g_assert_cmphex(mr(qts, true, 1, 20, 0, NULL), ==, MR_ERR(5));
    g_assert_cmphex(mr(qts, false, 1, 11, 0, NULL), ==, MR_ERR(5));
    g_assert_cmphex(mr(qts, true, 4, 17, 1, NULL), ==, MR_ERR(6));
    g_assert_cmphex(mr(qts, false, 3, 8, 0, NULL), ==, MR_ERR(8));
    g_assert_cmphex(mr(qts, false, 0, 8, 0, NULL), ==, MR_ERR(8));

    /* a sleeping chip select takes no commands (CKE low) */
    wr(qts, PM_CTRL, 2 | PM_SR_ENTER);
    g_assert_cmphex(mr(qts, false, 2, 8, 0, NULL), ==, MR_ERR(7));
    g_assert_cmphex(mr(qts, true, 3, 16, 1, NULL), ==, MR_ERR(7));
    g_assert_cmphex(mr(qts, false, 1, 8, 0, NULL), ==, 2);

    /* STRICT raises MR_ERR; the status is W1C */
    wr(qts, CTRL, CTRL_APPLY_ON_SR | CTRL_STRICT);
    wr(qts, IRQ_STATUS, 0xFF);
    mr(qts, true, 1, 0, 0, NULL);
    g_assert_cmphex(rd(qts, IRQ_RAW) & (IRQ_MR_DONE | IRQ_MR_ERR), ==,
                    IRQ_MR_DONE | IRQ_MR_ERR);
    wr(qts, MR_STATUS, 6);
    g_assert_cmphex(rd(qts, MR_STATUS), ==, 0);
    qtest_quit(qts);

    /* MR16 OP7:4 on a 4-bank part: OP3:0 applied, ILLEGAL_BITS */
    qts = qtest_init("-M virt -m 128M -nodefaults -device pasr-ddr,cs=2,"
                     "density-mbit=512");
    g_assert_cmphex(mr(qts, true, 1, 16, 0xF3, NULL), ==, MR_ERR(4));
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0x03);
    /* below 1 Gbit there is no MR17 */
    g_assert_cmphex(mr(qts, true, 1, 17, 0x01, NULL), ==, MR_ERR(5));
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0x03);
    qtest_quit(qts);

    /* S2 parts have no MR17 either */
    qts = qtest_init("-M virt -m 256M -nodefaults -device pasr-ddr,cs=2,"
                     "density-mbit=1024,lpddr2-type=s2");
    g_assert_cmphex(mr(qts, true, 3, 17, 0x01, NULL), ==, MR_ERR(5));
    qtest_quit(qts);
}

/* spec 6.2: MR4 follows the temperature; TUF until MR4 is read */
static void test_mr4_tuf(void)
{
    QTestState *qts = start("");

    g_assert_cmphex(mrr(qts, 0, 4), ==, 1u << 31 | 0x03);
    set_temperature(qts, 90000);
    g_assert_cmphex(rd(qts, TEMPERATURE), ==, 90000);
    g_assert_cmphex(mrr(qts, 0, 4), ==, 1u << 31 | 0x80 | 0x05);
    g_assert_cmphex(mrr(qts, 0, 4), ==, 1u << 31 | 0x05);
    g_assert_cmphex(mrr(qts, 1, 4), ==, 1u << 31 | 0x80 | 0x05);
    set_temperature(qts, 100000);
    g_assert_cmphex(mrr(qts, 0, 4), ==, 1u << 31 | 0x80 | 0x06);
    set_temperature(qts, 120000);
    g_assert_cmphex(mrr(qts, 0, 4), ==, 1u << 31 | 0x80 | 0x07);

    /* the controller's MR4 poll sees TUF and raises TEMP_CHANGE */
    wr(qts, IRQ_ENABLE, IRQ_TEMP_CHANGE);
    wr(qts, TEMP_POLL, 1 << 16 | 10);
    set_temperature(qts, 50000);
    qtest_clock_step(qts, 10 * SCALE_MS);
    g_assert_cmphex(rd(qts, IRQ_STATUS), ==, IRQ_TEMP_CHANGE);
    g_assert_true(irq_pending(qts));
    wr(qts, IRQ_STATUS, IRQ_TEMP_CHANGE);
    g_assert_false(irq_pending(qts));
    qtest_quit(qts);
}

/* spec 5.2: shadows, PENDING, MR_APPLIED at entry or with AUTO_MRW */
static void test_shadows(void)
{
    QTestState *qts = start("");

    wr(qts, CS(1) + CS_MR17, 0xF0);
    wr(qts, CS(1) + CS_MR16, 0x81);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR17), ==, PENDING | 0xF0);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR16), ==, PENDING | 0x81);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR_APPLIED), ==, 0);
    g_assert_cmphex(rd(qts, CS(1) + CS_REFRESHED), ==, 0x10000);

    wr(qts, SR_PULSE_US, 0);
    wr(qts, PM_CTRL, 2 | PM_SR_PULSE);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR17), ==, 0xF0);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR16), ==, 0x81);
    g_assert_cmphex(rd(qts, CS(1) + CS_MR_APPLIED), ==, 0xF081);
    /* (6/8 banks) x (4/8 segments) */
    g_assert_cmphex(rd(qts, CS(1) + CS_REFRESHED), ==, 0x6000);
    g_assert_cmpuint(qom_u64(qts, "cs1-refreshed-q16"), ==, 0x6000);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0);

    /* AUTO_MRW applies a shadow write at once */
    wr(qts, CTRL, CTRL_AUTO_MRW);
    wr(qts, CS(0) + CS_MR17, 0x0F);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR17), ==, 0x0F);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0x0F00);

    /* without APPLY_ON_SR, entry keeps what the last MRW set */
    wr(qts, CTRL, 0);
    wr(qts, CS(0) + CS_MR17, 0xFF);
    g_assert_cmphex(mr(qts, true, 1, 17, 0x01, NULL), ==, 2);
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0x0100);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR17), ==, PENDING | 0xFF);
    qtest_quit(qts);
}

/* --- data loss ----------------------------------------------------------- */

typedef bool PoisonedFn(uint64_t gpa);

/*
 * Every byte of RAM: poisoned words hold MAGIC ^ address, all others the
 * fill byte. The controller poisons whole 4 KiB pages at least (bank
 * stripes of a 4 Gbit x32 die, interleave granules), so @poisoned is asked
 * once per page. Returns the number of poisoned bytes. (Read in small
 * pieces: libqtest reads a reply line by line, slowly for long ones.)
 */
static uint64_t check_ram(QTestState *qts, PoisonedFn *poisoned)
{
    const size_t chunk = 16 * KiB, page = 4 * KiB;
    g_autofree uint8_t *buf = g_malloc(chunk);
    uint64_t want[512], fill[512], lost = 0;

    memset(fill, FILL, sizeof(fill));
    for (uint64_t base = RAM; base < RAM + 1 * GiB; base += chunk) {
        qtest_bufread(qts, base, buf, chunk);
        for (size_t off = 0; off < chunk; off += page) {
            uint64_t gpa = base + off;
            const uint64_t *expect = fill;

            if (poisoned(gpa)) {
                for (int i = 0; i < 512; i++) {
                    want[i] = cpu_to_le64(MAGIC ^ (gpa + 8 * i));
                }
                expect = want;
                lost += page;
            }
            if (memcmp(buf + off, expect, page)) {
                g_error("page 0x%" PRIx64 " should hold %s", gpa,
                        expect == fill ? "the fill" : "poison");
            }
        }
    }
    return lost;
}

static QTestState *start_filled(const char *props)
{
    QTestState *qts = start(props);

    qtest_memset(qts, RAM, FILL, 1 * GiB);
    return qts;
}

/* One self-refresh pulse of @us on the chip selects of @mask. */
static void pulse(QTestState *qts, unsigned mask, uint32_t us)
{
    wr(qts, SR_PULSE_US, us);
    wr(qts, PM_CTRL, mask | PM_SR_PULSE);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, mask);
    qtest_clock_step(qts, (uint64_t)us * 1000);
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8 | 3 << 9);
}

/* RBC, linear: segment @seg of CS1 is DRAM [512M + seg * 64M, +64M) */
static bool rbc_cs1_seg(uint64_t gpa, unsigned seg)
{
    uint64_t off = gpa - RAM;

    return off >= CS_BYTES + seg * SEG_BYTES &&
           off < CS_BYTES + (seg + 1) * SEG_BYTES;
}

static bool rbc_cs1_seg3(uint64_t gpa)
{
    return rbc_cs1_seg(gpa, 3);
}

static bool rbc_cs1_seg5(uint64_t gpa)
{
    return rbc_cs1_seg(gpa, 5);
}

static void test_loss_rbc_segment(void)
{
    QTestState *qts = start_filled("");

    wr(qts, IRQ_ENABLE, IRQ_DATA_LOST);
    wr(qts, CS(1) + CS_MR17, 1 << 3);
    pulse(qts, 3, 100);
    g_assert_cmpuint(check_ram(qts, rbc_cs1_seg3), ==, SEG_BYTES);
    g_assert_cmphex(rd(qts, CS(1) + CS_STATE), ==, DATA_LOST);
    g_assert_cmphex(rd(qts, CS(0) + CS_STATE), ==, 0);
    g_assert_cmpuint(rd(qts, LOSS_COUNT), ==, 1);
    g_assert_cmpuint(rd(qts, SR_COUNT), ==, 2);
    g_assert_cmpuint(qom_u64(qts, "loss-count"), ==, 1);
    g_assert_true(irq_pending(qts));
    wr(qts, CS(1) + CS_STATE, DATA_LOST);
    g_assert_cmphex(rd(qts, CS(1) + CS_STATE), ==, 0);

    /* XLATE names the cell and its mask */
    wr(qts, XLATE_ADDR_LO, RAM + CS_BYTES + 3 * SEG_BYTES + 0x1234);
    wr(qts, XLATE_ADDR_HI, 0);
    /* RBC: column = d[11:2], bank = d[14:12], row = d[28:15] */
    g_assert_cmphex(rd(qts, XLATE_RES0), ==,
                    1u << 31 | 1 << 17 | 3 << 8 | 1 << 4 | 1);
    g_assert_cmphex(rd(qts, XLATE_RES1), ==,
                    0x8D << 16 | ((3 * SEG_BYTES) >> 15));
    qtest_quit(qts);
}

/*
 * A second loss on the same chip select with other masks loses what the
 * new masks leave unrefreshed, not what the first loss did (the
 * controller keeps the runs of a chip select's last masks).
 */
static void test_loss_masks_change(void)
{
    QTestState *qts = start_filled("");

    wr(qts, CS(1) + CS_MR17, 1 << 3);
    pulse(qts, 3, 100);
    qtest_memset(qts, RAM + CS_BYTES + 3 * SEG_BYTES, FILL, SEG_BYTES);
    wr(qts, CS(1) + CS_MR17, 1 << 5);
    pulse(qts, 3, 100);
    g_assert_cmpuint(check_ram(qts, rbc_cs1_seg5), ==, SEG_BYTES);
    g_assert_cmpuint(rd(qts, LOSS_COUNT), ==, 2);
    qtest_quit(qts);
}

/*
 * poison=zero on RAM filled with FILL: the masked segment reads all zero
 * afterwards and its neighbours keep the fill. Where the RAM may be given
 * back (@discards, spec 6.1), QEMU's resident memory falls by about the
 * segment; otherwise it is cleared in place and stays resident.
 */
static void check_loss_zero(QTestState *qts, bool discards)
{
    const uint64_t seg = RAM + CS_BYTES + 3 * SEG_BYTES;
    const size_t chunk = 16 * KiB;
    g_autofree uint8_t *buf = g_malloc(chunk);
    g_autofree uint8_t *zero = g_malloc0(chunk);
    int64_t rss = vcm_proc_status_kib(qts, "VmRSS") * KiB;

    wr(qts, CS(1) + CS_MR17, 1 << 3);
    pulse(qts, 3, 100);
    rss -= vcm_proc_status_kib(qts, "VmRSS") * KiB;
    if (discards) {
        g_assert_cmpint(rss, >=, SEG_BYTES / 2);
    } else {
        g_assert_cmpint(rss, <, SEG_BYTES / 2);
    }
    for (uint64_t gpa = seg; gpa < seg + SEG_BYTES; gpa += chunk) {
        qtest_bufread(qts, gpa, buf, chunk);
        if (memcmp(buf, zero, chunk)) {
            g_error("0x%" PRIx64 " should read zero", gpa);
        }
    }
    g_assert_cmphex(qtest_readb(qts, seg - 1), ==, FILL);
    g_assert_cmphex(qtest_readb(qts, seg + SEG_BYTES), ==, FILL);
    g_assert_cmpuint(rd(qts, LOSS_COUNT), ==, 1);
    qtest_quit(qts);
}

/* virt's RAM is private anonymous memory: the host gets the pages back */
static void test_loss_zero(void)
{
    check_loss_zero(start_filled(",poison=zero"), true);
}

/*
 * A shared memfd back end would show the old bytes again if its pages
 * were dropped from QEMU's mapping: they are cleared in place.
 */
static void test_loss_zero_memfd(void)
{
    QTestState *qts = qtest_init("-M virt,memory-backend=ram0 -m 1G "
                                 "-nodefaults -object memory-backend-memfd,"
                                 "id=ram0,size=1G,share=on "
                                 "-device pasr-ddr,id=ddr0,cs=2,"
                                 "density-mbit=4096,poison=zero");

    qtest_memset(qts, RAM, FILL, 1 * GiB);
    check_loss_zero(qts, false);
}

/* BRC, linear: bank 5 of CS0 is DRAM [5 x 64M, +64M) */
static bool brc_cs0_bank5(uint64_t gpa)
{
    uint64_t off = gpa - RAM;

    return off >= 5 * SEG_BYTES && off < 6 * SEG_BYTES;
}

static void test_loss_brc_bank(void)
{
    QTestState *qts = start_filled(",map=brc");

    wr(qts, CS(0) + CS_MR16, 1 << 5);
    pulse(qts, 1, 100);
    g_assert_cmpuint(check_ram(qts, brc_cs0_bank5), ==, SEG_BYTES);
    g_assert_cmphex(rd(qts, CS(0) + CS_STATE), ==, DATA_LOST);
    qtest_quit(qts);
}

/*
 * Swap interleave at 4 KiB: segment 3 of CS0 alone is every other page of
 * both physical halves (the RFC's paired sections: mask both or lose
 * half of each).
 */
static bool swap_cs0_seg3(uint64_t gpa)
{
    uint64_t off = gpa - RAM, half = off & (CS_BYTES - 1);

    return half >= 3 * SEG_BYTES && half < 4 * SEG_BYTES &&
           !(off & 4096);
}

static void test_loss_swap_pairing(void)
{
    QTestState *qts = start_filled(",cs-mode=swap,interleave-granule=4096");

    g_assert_cmphex(rd(qts, CAPS) & (1 << 7), ==, 0);   /* no trap */
    wr(qts, CS(0) + CS_MR17, 1 << 3);
    pulse(qts, 3, 100);
    g_assert_cmpuint(check_ram(qts, swap_cs0_seg3), ==, SEG_BYTES);
    qtest_quit(qts);
}

/* retention-us: a short self-refresh keeps masked cells */
static bool none_poisoned(uint64_t gpa)
{
    return false;
}

static void test_retention(void)
{
    QTestState *qts = start_filled(",retention-us=1000");

    wr(qts, CS(1) + CS_MR17, 0xFF);
    pulse(qts, 2, 999);
    g_assert_cmpuint(check_ram(qts, none_poisoned), ==, 0);
    g_assert_cmpuint(rd(qts, LOSS_COUNT), ==, 0);
    qtest_quit(qts);
}

/* spec 6.3 (2): an access to a sleeping chip select auto-exits it */
static void test_access_trap(void)
{
    QTestState *qts = start("");

    qtest_writel(qts, RAM + CS_BYTES + 3 * SEG_BYTES, 0x12345678);
    qtest_writel(qts, RAM + CS_BYTES + 5 * SEG_BYTES, 0x9ABCDEF0);
    wr(qts, CTRL, CTRL_APPLY_ON_SR | CTRL_TRAP_EN);
    wr(qts, CS(1) + CS_MR17, 1 << 3);
    wr(qts, PM_CTRL, 2 | PM_SR_ENTER);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, 2);
    /* CS0 is not trapped */
    qtest_writel(qts, RAM + 0x100000, 0x600DF00D);
    g_assert_cmphex(qtest_readl(qts, RAM + 0x100000), ==, 0x600DF00D);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, 2);
    /* the access wakes CS1 and sees the data as it is afterwards */
    g_assert_cmphex(qtest_readl(qts, RAM + CS_BYTES + 5 * SEG_BYTES), ==,
                    0x9ABCDEF0);
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8 | 1 << 9);
    g_assert_cmphex(qtest_readq(qts, RAM + CS_BYTES + 3 * SEG_BYTES), ==,
                    MAGIC ^ (RAM + CS_BYTES + 3 * SEG_BYTES));
    g_assert_cmpuint(qom_u64(qts, "exits-by-access"), ==, 1);

    /* SR_TRAP_ACTION = 1: the access faults instead, and nothing wakes */
    wr(qts, CTRL, CTRL_APPLY_ON_SR | CTRL_TRAP_EN | 1 << 9);
    wr(qts, PM_CTRL, 2 | PM_SR_ENTER);
    qtest_readl(qts, RAM + CS_BYTES);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, 2);
    g_assert_cmphex(rd(qts, IRQ_RAW) & (1 << 5), ==, 1 << 5);
    wr(qts, PM_CTRL, 2 | PM_SR_EXIT);
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8);
    qtest_quit(qts);
}

/*
 * spec 3.4/6.4: at 85 C, CS0 full and CS1 with 7 of 8 segments masked for
 * one second: 5.64 mW + 3.1725 mW against 2 x 5.64 mW.
 */
static void test_energy(void)
{
    QTestState *qts = start(",poison=none");

    set_temperature(qts, 85000);
    wr(qts, CS(1) + CS_MR17, 0xFE);
    pulse(qts, 3, 1000000);
    g_assert_cmpuint(rd(qts, E_SR_UJ_LO), ==, 8812);
    g_assert_cmpuint(rd(qts, E_SR_UJ_HI), ==, 0);
    g_assert_cmpuint(rd(qts, E_SR_FULL_UJ_LO), ==, 11280);
    g_assert_cmpuint(rd(qts, T_SR_US_LO), ==, 1000000);
    g_assert_cmpuint(qom_u64(qts, "energy-sr-uj"), ==, 8812);
    g_assert_cmpuint(qom_u64(qts, "energy-sr-full-uj"), ==, 11280);
    g_assert_cmpuint(qom_u64(qts, "sr-time-us"), ==, 1000000);
    g_assert_cmpuint(qom_u64(qts, "sr-count"), ==, 2);
    /* poison=none: accounting only, the loss is still reported */
    g_assert_cmpuint(qom_u64(qts, "loss-count"), ==, 1);

    /* energy keeps integrating while a chip select sleeps */
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    qtest_clock_step(qts, 500 * SCALE_MS);
    g_assert_cmpuint(qom_u64(qts, "energy-sr-uj"), ==, 8812 + 2820);
    qtest_quit(qts);
}

/* spec 6.3 (1): SUSPEND pauses the VM; the wake timer resumes it */
static void test_suspend_wake_timer(void)
{
    QTestState *qts = start_filled("");

    wr(qts, IRQ_ENABLE, IRQ_WAKE);
    wr(qts, CS(1) + CS_MR17, 1 << 3);
    wr(qts, WAKE_TIMER_MS, 20);
    wr(qts, PM_CTRL, 3 | PM_SUSPEND);
    qtest_qmp_eventwait(qts, "SUSPEND");
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, 3);
    qtest_qmp_eventwait(qts, "WAKEUP");
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8 | 2 << 9);
    g_assert_cmphex(rd(qts, IRQ_STATUS), ==, IRQ_WAKE);
    g_assert_cmpuint(check_ram(qts, rbc_cs1_seg3), ==, SEG_BYTES);
    g_assert_cmpuint(rd(qts, SR_COUNT), ==, 2);

    /* QMP system_wakeup ends a suspend without a timer */
    wr(qts, WAKE_TIMER_MS, 0);
    wr(qts, PM_CTRL, 1 | PM_SUSPEND);
    qtest_qmp_eventwait(qts, "SUSPEND");
    qtest_qmp_assert_success(qts, "{'execute': 'system_wakeup'}");
    qtest_qmp_eventwait(qts, "WAKEUP");
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8 | 2 << 9);
    qtest_quit(qts);
}

/* Deep power-down loses the whole chip select. */
static bool cs0_all(uint64_t gpa)
{
    return gpa - RAM < CS_BYTES;
}

static void test_dpd(void)
{
    QTestState *qts = start_filled("");

    wr(qts, PM_CTRL, 1 | PM_DPD_ENTER);
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8 | 1 << 4);
    g_assert_cmphex(rd(qts, CS(0) + CS_STATE), ==, 2);
    g_assert_cmphex(mr(qts, false, 1, 8, 0, NULL), ==, MR_ERR(7));
    wr(qts, PM_CTRL, 1 | PM_SR_EXIT);
    g_assert_cmphex(rd(qts, CS(0) + CS_STATE), ==, DATA_LOST);
    g_assert_cmpuint(check_ram(qts, cs0_all), ==, CS_BYTES);
    qtest_quit(qts);
}

/* Hostile input: sizes, offsets, absent and sleeping chip selects. */
static void test_hostile(void)
{
    QTestState *qts = start("");

    qtest_writeb(qts, DDR + CTRL, 0xFF);
    qtest_writew(qts, DDR + CTRL, 0xFFFF);
    g_assert_cmphex(rd(qts, CTRL), ==, CTRL_APPLY_ON_SR);
    wr(qts, CTRL, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, CTRL), ==, 0x707);
    wr(qts, ID, 0);
    wr(qts, 0x2C, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, 0x2C), ==, 0);
    wr(qts, 0xFFC, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, ID), ==, 0x50415352);
    /* chip select 3 is absent */
    wr(qts, CS(3) + CS_MR17, 0xFF);
    g_assert_cmphex(rd(qts, CS(3) + CS_MR17), ==, 0);
    wr(qts, PM_CTRL, 8 | PM_SR_ENTER);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xF, ==, 0);
    /* exit without entry, entry twice, two actions at once */
    wr(qts, PM_CTRL, 1 | PM_SR_EXIT);
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    g_assert_cmpuint(rd(qts, SR_COUNT), ==, 1);
    wr(qts, PM_CTRL, 2 | PM_SR_ENTER | PM_DPD_ENTER);
    g_assert_cmphex(rd(qts, PM_STATUS) & 0xFF, ==, 1);
    /* read-only per-CS registers */
    wr(qts, CS(0) + CS_INFO, 0);
    wr(qts, CS(0) + CS_MR_APPLIED, 0xFFFF);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0);
    /* XLATE outside the DRAM is not VALID */
    wr(qts, XLATE_ADDR_LO, 0x1000);
    wr(qts, XLATE_ADDR_HI, 0);
    g_assert_cmphex(rd(qts, XLATE_RES0), ==, 0);
    wr(qts, XLATE_ADDR_HI, 1);
    g_assert_cmphex(rd(qts, XLATE_RES0), ==, 0);
    qtest_quit(qts);
}

/*
 * spec 5.2: every read-only register keeps its value when written, and
 * the read/write ones keep only their defined bits.
 */
static void test_read_only(void)
{
    static const uint32_t ro[] = {
        ID, VERSION, CAPS, MAP_CFG, DRAM_BASE_LO, DRAM_BASE_HI,
        DRAM_SIZE_LO, DRAM_SIZE_HI, TEMPERATURE, MR_RDATA, PM_STATUS,
        E_SR_UJ_LO, E_SR_UJ_HI, E_SR_FULL_UJ_LO, T_SR_US_LO, SR_COUNT,
        LOSS_COUNT, XLATE_RES0, XLATE_RES1,
    };
    QTestState *qts = start("");
    uint32_t before[ARRAY_SIZE(ro)];

    pulse(qts, 1, 1000);
    mrr(qts, 0, 8);
    wr(qts, XLATE_ADDR_LO, RAM + CS_BYTES + 3 * SEG_BYTES);
    wr(qts, XLATE_ADDR_HI, 0);
    for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
        before[i] = rd(qts, ro[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
        wr(qts, ro[i], ~before[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
        /* the HI halves show what the last LO read latched */
        if (ro[i] == DRAM_BASE_HI || ro[i] == DRAM_SIZE_HI ||
            ro[i] == E_SR_UJ_HI) {
            rd(qts, ro[i] - 4);
        }
        g_assert_cmphex(rd(qts, ro[i]), ==, before[i]);
    }
    g_assert_cmphex(rd(qts, MR_RDATA), ==, 1u << 31 | 0x18);
    g_assert_cmphex(rd(qts, XLATE_RES0), ==, 1u << 31 | 3 << 8 | 1);
    g_assert_cmphex(rd(qts, SR_COUNT), ==, 1);

    /* MR_CMD reads 0; PM_CTRL keeps its chip-select mask only */
    wr(qts, MR_CMD, 0x7FFFFFFF);
    g_assert_cmphex(rd(qts, MR_CMD), ==, 0);
    wr(qts, PM_CTRL, 0xFFFFFE0F);
    g_assert_cmphex(rd(qts, PM_CTRL), ==, 0xF);
    wr(qts, TEMP_POLL, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, TEMP_POLL), ==, 0x1FFFF);
    wr(qts, TEMP_POLL, 0);
    wr(qts, IRQ_ENABLE, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, IRQ_ENABLE), ==, 0xFF);
    wr(qts, SR_PULSE_US, 0xFFFFFFFF);
    g_assert_cmphex(rd(qts, SR_PULSE_US), ==, 0xFFFFFFFF);
    qtest_quit(qts);
}

/* IRQ: STATUS = RAW & ENABLE, W1C; RAW is W1S for tests; reset clears */
static void test_irq_reset(void)
{
    QTestState *qts = start("");

    g_assert_false(irq_pending(qts));
    wr(qts, IRQ_RAW, IRQ_SR_EXITED);
    g_assert_false(irq_pending(qts));
    wr(qts, IRQ_ENABLE, IRQ_SR_EXITED);
    g_assert_cmphex(rd(qts, IRQ_STATUS), ==, IRQ_SR_EXITED);
    g_assert_true(irq_pending(qts));
    wr(qts, IRQ_STATUS, IRQ_SR_EXITED);
    g_assert_false(irq_pending(qts));

    wr(qts, CS(0) + CS_MR17, 0x0F);
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    wr(qts, CTRL, CTRL_STRICT);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(rd(qts, CTRL), ==, CTRL_APPLY_ON_SR);
    g_assert_cmphex(rd(qts, PM_STATUS), ==, 1 << 8);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR17), ==, 0);
    g_assert_cmphex(rd(qts, CS(0) + CS_MR_APPLIED), ==, 0);
    g_assert_cmphex(rd(qts, IRQ_ENABLE), ==, 0);
    /* the host-side counters keep counting */
    g_assert_cmpuint(rd(qts, SR_COUNT), ==, 1);
    qtest_quit(qts);
}

/*
 * VMState: shadows, a chip select in self-refresh with its trap, energy
 * and residency move to another QEMU and carry on there.
 */
#define SR_ARGS "-M virt -m 1G -nodefaults " \
    "-device pasr-ddr,id=ddr0,cs=2,density-mbit=4096"

/* The source half: CS1 in self-refresh for 100 ms with segment 3 masked */
static QTestState *sr_source(uint64_t *energy)
{
    QTestState *src = qtest_init(SR_ARGS);

    set_temperature(src, 85000);
    qtest_writel(src, RAM + CS_BYTES + 3 * SEG_BYTES, 0x11223344);
    wr(src, CTRL, CTRL_APPLY_ON_SR | CTRL_TRAP_EN);
    wr(src, CS(1) + CS_MR17, 1 << 3);
    wr(src, PM_CTRL, 2 | PM_SR_ENTER);
    wr(src, CS(0) + CS_MR16, 0x80);
    qtest_clock_step(src, 100 * SCALE_MS);
    *energy = qom_u64(src, "energy-sr-uj");
    g_assert_cmpuint(qom_u64(src, "sr-time-us"), ==, 100000);
    return src;
}

/* The destination half: the state arrived and carries on */
static void sr_destination(QTestState *dst, uint64_t energy)
{
    g_assert_cmphex(rd(dst, CS(0) + CS_MR16), ==, PENDING | 0x80);
    g_assert_cmphex(rd(dst, CS(1) + CS_MR_APPLIED), ==, 0x0800);
    g_assert_cmphex(rd(dst, CS(1) + CS_STATE), ==, 1);
    g_assert_cmphex(rd(dst, PM_STATUS) & 0xF, ==, 2);
    g_assert_cmpuint(qom_u64(dst, "energy-sr-uj"), ==, energy);
    qtest_clock_step(dst, 100 * SCALE_MS);
    g_assert_cmpuint(qom_u64(dst, "sr-time-us"), ==, 200000);
    g_assert_cmpuint(qom_u64(dst, "energy-sr-uj"), >, energy);

    /* the trap is active on the destination: an access wakes CS1 */
    g_assert_cmphex(qtest_readq(dst, RAM + CS_BYTES + 3 * SEG_BYTES), ==,
                    MAGIC ^ (RAM + CS_BYTES + 3 * SEG_BYTES));
    g_assert_cmpuint(qom_u64(dst, "exits-by-access"), ==, 1);
    g_assert_cmphex(rd(dst, CS(1) + CS_STATE), ==, DATA_LOST);
}

static void test_migrate_self_refresh(void)
{
    uint64_t energy;
    QTestState *dst = vcm_migrate(sr_source(&energy), SR_ARGS);

    sr_destination(dst, energy);
    qtest_quit(dst);
}

/*
 * The same state from a stream that pasr-ddr version 1 wrote
 * (data/pasr-ddr-v1-self-refresh.mig.xz: no check-lost or wake-timer
 * subsections; recorded by /pasr-ddr/migrate/v1-record below). The source
 * half runs here too, unmigrated, for the energy it must carry.
 */
static void test_migrate_v1_self_refresh(void)
{
    uint64_t energy;
    g_autofree char *stream = g_build_filename(g_getenv("VCM_QTEST_DATA"),
                                               "pasr-ddr-v1-self-refresh"
                                               ".mig.xz", NULL);
    QTestState *dst;

    qtest_quit(sr_source(&energy));
    dst = vcm_load_xz(SR_ARGS, stream);
    sr_destination(dst, energy);
    qtest_quit(dst);
}

/*
 * A suspend with a 60 s wake timer, from a version 1 stream
 * (data/pasr-ddr-v1-suspend.mig.xz, recorded by /pasr-ddr/migrate/
 * v1-record-suspend below), which does not carry the timer: the guest
 * wakes at once instead of never (spec 6.5).
 */
static QTestState *suspend_source(void)
{
    QTestState *src = qtest_init(SR_ARGS);

    wr(src, IRQ_ENABLE, IRQ_WAKE);
    wr(src, CS(1) + CS_MR17, 1 << 3);
    wr(src, WAKE_TIMER_MS, 60000);
    wr(src, PM_CTRL, 3 | PM_SUSPEND);
    qtest_qmp_eventwait(src, "SUSPEND");
    g_assert_cmphex(rd(src, PM_STATUS) & 0xF, ==, 3);
    return src;
}

static void test_migrate_v1_suspend(void)
{
    g_autofree char *stream = g_build_filename(g_getenv("VCM_QTEST_DATA"),
                                               "pasr-ddr-v1-suspend.mig.xz",
                                               NULL);
    QTestState *dst = vcm_load_xz(SR_ARGS, stream);

    /* at most 5 s of host time for the wake-up, whose deadline is now */
    for (int i = 0; i < 500 && (rd(dst, PM_STATUS) & 0xF); i++) {
        g_usleep(10000);
    }
    g_assert_cmphex(rd(dst, PM_STATUS), ==, 1 << 8 | 2 << 9);
    g_assert_cmphex(rd(dst, IRQ_STATUS), ==, IRQ_WAKE);
    qtest_quit(dst);
}

static void record_v1_suspend(void)
{
    QTestState *src = suspend_source();

    vcm_save_xz(src, g_getenv("VCM_RECORD_V1"));
    qtest_quit(src);
}

/*
 * Records the stream above. Run once against the QEMU of a commit whose
 * pasr-ddr is version 1 (044df2b was used):
 *   VCM_RECORD_V1=$PWD/pasr-ddr-v1-self-refresh.mig.xz \
 *   QTEST_QEMU_BINARY=<old>/qemu-system-arm pasr-ddr-test \
 *       -p /pasr-ddr/migrate/v1-record
 */
static void record_v1_self_refresh(void)
{
    uint64_t energy;
    QTestState *src = sr_source(&energy);

    vcm_save_xz(src, g_getenv("VCM_RECORD_V1"));
    qtest_quit(src);
}

/* --- check-lost (spec 6.7) and what the monitor shows (spec 6.8) --------- */

#define DMA2            0x0c001000ULL   /* vcm-dma, after pasr-ddr */
#define DMA_CTRL        0x08
#define DMA_STATUS      0x0C
#define DMA_SRC_LO      0x10
#define DMA_DST_LO      0x18
#define DMA_LEN         0x20
#define DMA_PATTERN     0x24
#define DMA_OP_FILL     (1 << 4)
#define DMA_DONE        (1 << 1)
#define LOST            (RAM + CS_BYTES + 3 * SEG_BYTES)   /* CS1 seg 3 */

static QTestState *start_lost(bool on, const char *log)
{
    return qtest_initf("-M virt -m 1G -nodefaults -d guest_errors -D %s "
                       "-device pasr-ddr,id=ddr0,cs=2,density-mbit=4096,"
                       "check-lost=%s -device vcm-dma,id=dma0,mid=3",
                       log, on ? "on" : "off");
}

/* Segment 3 of CS1 loses its 64 MiB: loss number 1. */
static void lose_cs1_seg3(QTestState *qts)
{
    wr(qts, CS(1) + CS_MR17, 1 << 3);
    pulse(qts, 2, 100);
    g_assert_cmpuint(qom_u64(qts, "loss-count"), ==, 1);
}

static uint32_t dma(QTestState *qts, uint32_t ctrl, uint32_t src,
                    uint32_t dst, uint32_t len)
{
    qtest_writel(qts, DMA2 + DMA_SRC_LO, src);
    qtest_writel(qts, DMA2 + DMA_DST_LO, dst);
    qtest_writel(qts, DMA2 + DMA_LEN, len);
    qtest_writel(qts, DMA2 + DMA_CTRL, ctrl | 1);
    return qtest_readl(qts, DMA2 + DMA_STATUS);
}

static QDict *info_json(QTestState *qts)
{
    return vcm_qom_json(qts, "/machine/peripheral/ddr0", "info-json",
                        "pasr-ddr-info");
}

/* The lines of @log that report a read of lost memory, joined */
static char *lost_lines(const char *log)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GString *found = g_string_new("");

    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (strstr(lines[i], "read of lost memory")) {
            g_string_append_printf(found, "%s\n", lines[i]);
        }
    }
    return g_string_free(found, false);
}

static int count_lines(const char *text)
{
    int n = 0;

    for (const char *p = text; (p = strchr(p, '\n')); p++) {
        n++;
    }
    return n;
}

/*
 * What the guest reads and the DMA copies out of lost memory, with
 * check-lost @on or off; the sanitizer's counter and log lines.
 */
static void lost_reads_run(bool on, uint64_t *seen, uint64_t *copied)
{
    g_autofree char *log = g_strdup_printf("%s/pasr-ddr-lost-%d.log",
                                           g_get_tmp_dir(), getpid());
    QTestState *qts = start_lost(on, log);
    g_autofree char *lines = NULL;
    uint8_t buf[256];

    qtest_memset(qts, LOST - 4096, FILL, 2 * 4096);
    lose_cs1_seg3(qts);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 0);

    /* a read run: three reads, one line; the data is the poison */
    seen[0] = qtest_readq(qts, LOST + 0x100);
    seen[1] = qtest_readl(qts, LOST + 0x108);
    seen[2] = qtest_readb(qts, LOST + 0x10c);
    g_assert_cmphex(seen[0], ==, MAGIC ^ (LOST + 0x100));
    /* the clean page before the loss reads as before, unreported */
    g_assert_cmphex(qtest_readl(qts, LOST - 4), ==, 0x5A5A5A5A);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, on ? 3 : 0);

    /* DMA (vcm-dma in bypass, master 3) copies 256 lost bytes out */
    g_assert_cmphex(dma(qts, 0, LOST + 0x2000, RAM + 0x100000, sizeof(buf)),
                    ==, DMA_DONE);
    qtest_memread(qts, RAM + 0x100000, buf, sizeof(buf));
    memcpy(copied, buf, sizeof(uint64_t));
    g_assert_cmphex(*copied, ==, cpu_to_le64(MAGIC ^ (LOST + 0x2000)));
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), >=, on ? 3 + 64 / 8 : 0);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), <=, on ? 3 + 64 : 0);

    lines = lost_lines(log);
    if (on) {
        g_assert_cmpint(count_lines(lines), ==, 2);
        g_assert_nonnull(strstr(lines, "read of lost memory at 0x6c000100 "
                                "by the host (qtest or monitor): chip select "
                                "1 bank 0 segment 3 (0x6c000000-0x6fffffff),"
                                " lost at exit 1 (LOSS_COUNT) and not "
                                "written since"));
        g_assert_nonnull(strstr(lines, "read of lost memory at 0x6c002000 "
                                "by bus master 3: chip select 1 bank 2 "
                                "segment 3 (0x6c000000-0x6fffffff), lost at "
                                "exit 1 (LOSS_COUNT)"));
    } else {
        g_assert_cmpstr(lines, ==, "");
    }
    qtest_quit(qts);
    unlink(log);
}

/*
 * check-lost=on: a qtest (host) read and a DMA read of lost memory are
 * counted and logged once per run; check-lost=off sees the same data.
 */
static void test_lost_reads(void)
{
    uint64_t on[3], off[3], copied_on, copied_off;

    lost_reads_run(true, on, &copied_on);
    lost_reads_run(false, off, &copied_off);
    g_assert_cmpmem(on, sizeof(on), off, sizeof(off));
    g_assert_cmphex(copied_on, ==, copied_off);
}

static bool mtree_has(QTestState *qts, const char *line)
{
    g_autofree char *mtree = qtest_hmp(qts, "info mtree");

    return strstr(mtree, line);
}

/*
 * A byte written is no longer lost (by the CPU's path or by DMA); a page
 * rewritten whole leaves the overlay at the next sweep; a reset forgets
 * the losses.
 */
static void test_lost_rewrite(void)
{
    g_autofree char *log = g_strdup_printf("%s/pasr-ddr-rw-%d.log",
                                           g_get_tmp_dir(), getpid());
    QTestState *qts = start_lost(true, log);
    QDict *d;

    lose_cs1_seg3(qts);
    g_assert_true(mtree_has(qts, "000000006c000000-000000006fffffff "
                            "(prio 0, i/o): pasr-ddr-lost[0]"));
    /* half a word written: the other half is still lost */
    qtest_writel(qts, LOST, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, LOST), ==, 0x12345678);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 0);
    g_assert_cmphex(qtest_readl(qts, LOST + 4), ==,
                    (uint32_t)((MAGIC ^ LOST) >> 32));
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 1);

    /* the first page rewritten (host), the second by a DMA fill */
    qtest_memset(qts, LOST, 0x11, 4096);
    qtest_writel(qts, DMA2 + DMA_PATTERN, 0x22222222);
    g_assert_cmphex(dma(qts, DMA_OP_FILL, 0, LOST + 4096, 4096), ==,
                    DMA_DONE);
    g_assert_cmphex(qtest_readl(qts, LOST + 4), ==, 0x11111111);
    g_assert_cmphex(qtest_readl(qts, LOST + 4096 + 8), ==, 0x22222222);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 1);
    d = info_json(qts);
    g_assert_cmpint(qdict_get_int(d, "lost-bytes"), ==, SEG_BYTES - 8192);
    qobject_unref(d);

    /* the overlay leaves the clean pages at the next sweep (10 ms) */
    g_assert_true(mtree_has(qts, "000000006c000000-000000006fffffff "
                            "(prio 0, i/o): pasr-ddr-lost[0]"));
    qtest_clock_step(qts, 10 * SCALE_MS);
    g_assert_true(mtree_has(qts, "000000006c002000-000000006fffffff "
                            "(prio 0, i/o): pasr-ddr-lost[0]"));

    /* the next read of lost memory still counts */
    qtest_readl(qts, LOST + 8192);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 2);

    /* a reset forgets the losses and removes the overlay */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_false(mtree_has(qts, "pasr-ddr-lost[0]"));
    qtest_readl(qts, LOST + 8192);
    g_assert_cmpuint(qom_u64(qts, "lost-reads"), ==, 2);
    qtest_quit(qts);
    unlink(log);
}

/* One range of chip select @cs in @d */
static void assert_range(QDict *d, int cs, int i, uint64_t base,
                         uint64_t size, const char *state)
{
    QList *css = qdict_get_qlist(d, "chip-selects");
    QDict *c = qobject_to(QDict, qlist_peek(css));
    QListEntry *e;
    QDict *r = NULL;

    QLIST_FOREACH_ENTRY(css, e) {
        c = qobject_to(QDict, qlist_entry_obj(e));
        if (qdict_get_int(c, "cs") == cs) {
            break;
        }
    }
    QLIST_FOREACH_ENTRY(qdict_get_qlist(c, "ranges"), e) {
        if (!i--) {
            r = qobject_to(QDict, qlist_entry_obj(e));
            break;
        }
    }
    g_assert_nonnull(r);
    g_assert_cmphex(qdict_get_int(r, "base"), ==, base);
    g_assert_cmphex(qdict_get_int(r, "size"), ==, size);
    g_assert_cmpstr(qdict_get_str(r, "state"), ==, state);
}

/*
 * info pasr-ddr and info-json against a known loss: CS1 segment 3 lost
 * (check-lost) or masked (without it), CS0 segment 7 masked by a mask
 * that is pending and one that is applied.
 */
static void test_info(void)
{
    g_autofree char *log = g_strdup_printf("%s/pasr-ddr-info-%d.log",
                                           g_get_tmp_dir(), getpid());
    QTestState *qts = start_lost(true, log);
    g_autofree char *text = NULL;
    QDict *d, *c;

    lose_cs1_seg3(qts);
    qtest_writel(qts, LOST + 0x1000, 0);      /* 4 bytes written since */
    wr(qts, CS(0) + CS_MR17, 1 << 7);
    wr(qts, CS(0) + CS_MR16, 0x01);
    wr(qts, PM_CTRL, 1 | PM_SR_ENTER);
    wr(qts, CS(0) + CS_MR17, 0x40);

    d = info_json(qts);
    g_assert_cmphex(qdict_get_int(d, "dram-base"), ==, RAM);
    g_assert_true(qdict_get_bool(d, "check-lost"));
    g_assert_cmpint(qdict_get_int(d, "lost-bytes"), ==, SEG_BYTES - 4);
    c = qobject_to(QDict, qlist_peek(qdict_get_qlist(d, "chip-selects")));
    g_assert_cmpstr(qdict_get_str(c, "state"), ==, "self-refresh");
    g_assert_cmpint(qdict_get_int(c, "mr16"), ==, 0x01);
    g_assert_cmpint(qdict_get_int(c, "mr17"), ==, 0x80);
    g_assert_true(qdict_get_bool(c, "mr17-pending"));
    g_assert_cmpint(qdict_get_int(c, "mr17-shadow"), ==, 0x40);
    g_assert_false(qdict_get_bool(c, "mr16-pending"));
    /* RBC: bank 0 is a stripe in every row; segment 7 the last eighth */
    assert_range(d, 1, 0, RAM + CS_BYTES, 3 * SEG_BYTES, "refreshed");
    assert_range(d, 1, 1, LOST, 0x1000, "lost");
    assert_range(d, 1, 2, LOST + 0x1000, 4, "masked");   /* written */
    assert_range(d, 1, 3, LOST + 0x1004, SEG_BYTES - 0x1004, "lost");
    assert_range(d, 1, 4, LOST + SEG_BYTES, 4 * SEG_BYTES, "refreshed");
    assert_range(d, 0, 0, RAM, 0x1000, "masked");
    assert_range(d, 0, 1, RAM + 0x1000, 0x7000, "refreshed");
    qobject_unref(d);

    text = qtest_hmp(qts, "info pasr-ddr ddr0");
    g_assert_nonnull(strstr(text, "/machine/peripheral/ddr0 id ddr0: 2 chip "
                            "select(s) of 512 MiB at 0x40000000\r\n"));
    g_assert_nonnull(strstr(text, "  cs0: self-refresh since "));
    g_assert_nonnull(strstr(text, "MR16 0x01 MR17 0x80 applied, shadows "
                            "0x01 0x40 pending, 76.56% refreshed\r\n"));
    g_assert_nonnull(strstr(text, "  cs1: active, MR16 0x00 MR17 0x08 "
                            "applied, shadows 0x00 0x08, 87.50% refreshed, "
                            "DATA_LOST\r\n"
                            "    0x0060000000-0x006bffffff refreshed "
                            "192 MiB\r\n"
                            "    0x006c000000-0x006c000fff lost      4 KiB "
                            "(lost at exit 1)\r\n"
                            "    0x006c001000-0x006c001003 masked    4 B\r\n"));
    g_assert_nonnull(strstr(text, "  check-lost: 0 lost reads, 67108860 "
                            "bytes lost and not written since, 1 overlay "
                            "regions\r\n"));
    g_free(text);
    text = qtest_hmp(qts, "info pasr-ddr nosuch");
    g_assert_cmpstr(text, ==, "no pasr-ddr device nosuch\r\n");
    qtest_quit(qts);

    /* without check-lost the same segment shows as masked */
    qts = start_lost(false, log);
    lose_cs1_seg3(qts);
    d = info_json(qts);
    assert_range(d, 1, 1, LOST, SEG_BYTES, "masked");
    g_assert_cmpint(qdict_get_int(d, "lost-bytes"), ==, 0);
    qobject_unref(d);
    qtest_quit(qts);
    unlink(log);
}

/* Migration carries the lost map and lost-reads. */
static void test_lost_migrate(void)
{
    g_autofree char *log = g_strdup_printf("%s/pasr-ddr-mig-%d.log",
                                           g_get_tmp_dir(), getpid());
    g_autofree char *args = g_strdup_printf(
        "-M virt -m 1G -nodefaults -d guest_errors -D %s "
        "-device pasr-ddr,id=ddr0,cs=2,density-mbit=4096,check-lost=on "
        "-device vcm-dma,id=dma0,mid=3", log);
    QTestState *src = start_lost(true, log), *dst;

    lose_cs1_seg3(src);
    qtest_readl(src, LOST + 0x3000);
    qtest_writel(src, LOST + 0x10, 1);
    dst = vcm_migrate(src, args);
    g_assert_cmpuint(qom_u64(dst, "lost-reads"), ==, 1);
    g_assert_cmphex(qtest_readl(dst, LOST + 0x10), ==, 1);
    g_assert_cmpuint(qom_u64(dst, "lost-reads"), ==, 1);
    qtest_readl(dst, LOST + 0x14);
    g_assert_cmpuint(qom_u64(dst, "lost-reads"), ==, 2);
    g_assert_true(mtree_has(dst, "000000006c000000-000000006fffffff "
                            "(prio 0, i/o): pasr-ddr-lost[0]"));
    qtest_quit(dst);
    unlink(log);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pasr-ddr/id-caps-info", test_id_caps_info);
    qtest_add_func("/pasr-ddr/mrr/identity", test_mrr_identity);
    qtest_add_func("/pasr-ddr/mr/legality", test_mr_legality);
    qtest_add_func("/pasr-ddr/mr4/tuf", test_mr4_tuf);
    qtest_add_func("/pasr-ddr/shadows", test_shadows);
    qtest_add_func("/pasr-ddr/loss/rbc-segment", test_loss_rbc_segment);
    qtest_add_func("/pasr-ddr/loss/masks-change", test_loss_masks_change);
    qtest_add_func("/pasr-ddr/loss/zero", test_loss_zero);
    qtest_add_func("/pasr-ddr/loss/zero-memfd", test_loss_zero_memfd);
    qtest_add_func("/pasr-ddr/loss/brc-bank", test_loss_brc_bank);
    qtest_add_func("/pasr-ddr/loss/swap-pairing", test_loss_swap_pairing);
    qtest_add_func("/pasr-ddr/loss/retention", test_retention);
    qtest_add_func("/pasr-ddr/access-trap", test_access_trap);
    qtest_add_func("/pasr-ddr/energy", test_energy);
    qtest_add_func("/pasr-ddr/suspend/wake-timer", test_suspend_wake_timer);
    qtest_add_func("/pasr-ddr/dpd", test_dpd);
    qtest_add_func("/pasr-ddr/hostile", test_hostile);
    qtest_add_func("/pasr-ddr/read-only", test_read_only);
    qtest_add_func("/pasr-ddr/irq-reset", test_irq_reset);
    qtest_add_func("/pasr-ddr/migrate/self-refresh",
                   test_migrate_self_refresh);
    qtest_add_func("/pasr-ddr/migrate/v1-self-refresh",
                   test_migrate_v1_self_refresh);
    qtest_add_func("/pasr-ddr/migrate/v1-suspend", test_migrate_v1_suspend);
    if (g_getenv("VCM_RECORD_V1")) {
        qtest_add_func("/pasr-ddr/migrate/v1-record", record_v1_self_refresh);
        qtest_add_func("/pasr-ddr/migrate/v1-record-suspend",
                       record_v1_suspend);
    }
    qtest_add_func("/pasr-ddr/check-lost/reads", test_lost_reads);
    qtest_add_func("/pasr-ddr/check-lost/rewrite", test_lost_rewrite);
    qtest_add_func("/pasr-ddr/check-lost/migrate", test_lost_migrate);
    qtest_add_func("/pasr-ddr/info", test_info);
    return g_test_run();
}
