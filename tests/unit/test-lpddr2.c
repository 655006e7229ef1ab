/*
 * Unit tests of the pure LP-DDR2 core (hw/pasr-ddr/lpddr2.c)
 * against docs/specs/pasr-ddr.rst sections 1.1 and 1.3 (mode registers), 2.1
 * (geometry), 2.2 and 2.3 (PASR masks, address decode) and 3.4 (power).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "qemu/host-utils.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "hw/pasr-ddr/lpddr2.h"

typedef struct GeometryCase {
    LPDDR2Type type;
    uint32_t density_mbit;
    uint32_t banks, row_bits, col_bits_x32;
} GeometryCase;

/* spec 2.1, row by row */
static const GeometryCase table[] = {
    { LPDDR2_S4,   64, 4, 12,  7 },
    { LPDDR2_S4,  128, 4, 12,  8 },
    { LPDDR2_S4,  256, 4, 13,  8 },
    { LPDDR2_S4,  512, 4, 13,  9 },
    { LPDDR2_S4, 1024, 8, 13,  9 },
    { LPDDR2_S4, 2048, 8, 14,  9 },
    { LPDDR2_S4, 4096, 8, 14, 10 },
    { LPDDR2_S4, 8192, 8, 15, 10 },
    { LPDDR2_S2, 1024, 4, 14,  9 },
    { LPDDR2_S2, 2048, 4, 15,  9 },
};

/*
 * Every density, width and type: banks, rows and columns as the table
 * says (x16 one more column, x8 two more), a die of density / 8 bytes,
 * 32-bit ranks of 32 / width dies, and MR8 = type | density << 2 | width << 6.
 */
static void test_geometry_table(void)
{
    static const uint32_t widths[] = { 32, 16, 8 };

    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
            const GeometryCase *c = &table[i];
            LPDDR2Geometry g;

            g_assert_null(lpddr2_geometry(c->type, c->density_mbit,
                                          widths[w], &g));
            g_assert_cmpuint(g.banks, ==, c->banks);
            g_assert_cmpuint(g.row_bits, ==, c->row_bits);
            g_assert_cmpuint(g.col_bits, ==, c->col_bits_x32 + w);
            g_assert_cmpuint(g.die_bytes, ==,
                             (uint64_t)c->density_mbit * MiB / 8);
            g_assert_cmpuint(lpddr2_devices_per_cs(&g), ==, 32 / widths[w]);
            g_assert_cmpuint(lpddr2_cs_bytes(&g), ==,
                             g.die_bytes * 32 / widths[w]);
            g_assert_cmphex(lpddr2_mr8(&g), ==,
                            c->type | (ctz32(c->density_mbit / 64) << 2) |
                            (w << 6));
        }
    }
}

/* spec 1.1: MR8 examples */
static void test_mr8_examples(void)
{
    LPDDR2Geometry g;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    g_assert_cmphex(lpddr2_mr8(&g), ==, 0x18);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 2048, 32, &g));
    g_assert_cmphex(lpddr2_mr8(&g), ==, 0x14);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 8192, 32, &g));
    g_assert_cmphex(lpddr2_mr8(&g), ==, 0x1C);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 16, &g));
    g_assert_cmphex(lpddr2_mr8(&g), ==, 0x58);
}

/* Combinations that do not exist are refused with a reason. */
static void test_geometry_rejects(void)
{
    LPDDR2Geometry g;

    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 16384, 32, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 3000, 32, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 0, 32, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S2, 512, 32, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S2, 4096, 32, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 4096, 4, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 4096, 64, &g));
    g_assert_nonnull(lpddr2_geometry(LPDDR2_S4, 4096, 0, &g));
}

/* --- mode registers (spec 1.1, 1.3, 6.2) -------------------------------- */

/* spec 1.1: the access column of the register table, for every MA */
static void test_mr_access_classes(void)
{
    static const uint8_t rd[] = { 0, 4, 5, 6, 7, 8, 32, 40 };
    static const uint8_t wr[] = { 1, 2, 3, 9, 10, 16, 17, 63 };
    unsigned nread = 0, nwrite = 0;

    for (unsigned ma = 0; ma < 256; ma++) {
        LPDDR2MRAccess want = LPDDR2_MR_RESERVED;

        for (size_t i = 0; i < ARRAY_SIZE(rd); i++) {
            if (rd[i] == ma) {
                want = LPDDR2_MR_READ;
            }
        }
        for (size_t i = 0; i < ARRAY_SIZE(wr); i++) {
            if (wr[i] == ma) {
                want = LPDDR2_MR_WRITE;
            }
        }
        g_assert_cmpint(lpddr2_mr_access(ma), ==, want);
        nread += lpddr2_mr_access(ma) == LPDDR2_MR_READ;
        nwrite += lpddr2_mr_access(ma) == LPDDR2_MR_WRITE;
    }
    g_assert_cmpuint(nread, ==, 8);
    g_assert_cmpuint(nwrite, ==, 8);
}

/*
 * spec 1.1/1.3: MR1 BL (OP2:0) 010/011/100 and nWR (OP7:5) 001..110, OP4:3
 * free; MR2 RL/WL 1..6; MR3 DS 1, 2, 3, 4, 6, 7; MR10 the four ZQ codes.
 */
static bool expect_op_legal(uint8_t ma, uint8_t op)
{
    unsigned bl = op % 8, nwr = op / 32;

    switch (ma) {
    case 1:
        return (bl == 2 || bl == 3 || bl == 4) &&
               (nwr == 1 || nwr == 2 || nwr == 3 || nwr == 4 ||
                nwr == 5 || nwr == 6);
    case 2:
        return op == 1 || op == 2 || op == 3 || op == 4 || op == 5 ||
               op == 6;
    case 3:
        return op == 1 || op == 2 || op == 3 || op == 4 || op == 6 ||
               op == 7;
    case 10:
        return op == 0xFF || op == 0xAB || op == 0x56 || op == 0xC3;
    default:
        return true;
    }
}

static void test_mr_op_legal(void)
{
    static const uint8_t mas[] = { 1, 2, 3, 10, 0, 4, 8, 9, 16, 17, 63, 255 };
    unsigned nlegal[4] = { 0 };

    for (size_t i = 0; i < ARRAY_SIZE(mas); i++) {
        for (unsigned op = 0; op < 256; op++) {
            bool legal = lpddr2_mrw_op_legal(mas[i], op);

            if (legal != expect_op_legal(mas[i], op)) {
                g_test_message("MR%u OP 0x%02x: got %d", mas[i], op, legal);
            }
            g_assert_cmpint(legal, ==, expect_op_legal(mas[i], op));
            if (i < 4) {
                nlegal[i] += legal;
            }
        }
    }
    /* MR1: 3 BL x 6 nWR x 4 (BT, WC); MR2: 6; MR3: 6; MR10: 4 */
    g_assert_cmpuint(nlegal[0], ==, 3 * 6 * 4);
    g_assert_cmpuint(nlegal[1], ==, 6);
    g_assert_cmpuint(nlegal[2], ==, 6);
    g_assert_cmpuint(nlegal[3], ==, 4);

    /* The power-up defaults and U-Boot's values are legal. */
    g_assert_true(lpddr2_mrw_op_legal(1, LPDDR2_MR1_DEFAULT));
    g_assert_true(lpddr2_mrw_op_legal(2, LPDDR2_MR2_DEFAULT));
    g_assert_true(lpddr2_mrw_op_legal(3, LPDDR2_MR3_DEFAULT));
    g_assert_true(lpddr2_mrw_op_legal(1, 0x23));
    g_assert_true(lpddr2_mrw_op_legal(1, 0xC3));
    g_assert_false(lpddr2_mrw_op_legal(3, 5));
    g_assert_false(lpddr2_mrw_op_legal(1, 0xE2));
}

/* spec 1.1: MR17 exists on S4 parts of 1 Gbit and more only */
static void test_mr_has_mr17(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        const GeometryCase *c = &table[i];
        LPDDR2Geometry g;
        bool want = c->type == LPDDR2_S4 && c->density_mbit >= 1024;

        g_assert_null(lpddr2_geometry(c->type, c->density_mbit, 32, &g));
        g_assert_cmpint(lpddr2_has_mr17(&g), ==, want);
        g_assert_null(lpddr2_geometry(c->type, c->density_mbit, 16, &g));
        g_assert_cmpint(lpddr2_has_mr17(&g), ==, want);
    }
}

/* spec 6.2: <=85 C 011, 85-95 101, 95-105 110, >105 111 */
static void test_mr_mr4_rate(void)
{
    static const struct {
        int32_t mdeg_c;
        uint8_t rate;
    } cases[] = {
        { INT32_MIN, 3 }, { -40000, 3 }, { 0, 3 }, { 25000, 3 },
        { 84999, 3 }, { 85000, 3 }, { 85001, 5 }, { 90000, 5 },
        { 95000, 5 }, { 95001, 6 }, { 100000, 6 }, { 105000, 6 },
        { 105001, 7 }, { 125000, 7 }, { INT32_MAX, 7 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_assert_cmpuint(lpddr2_mr4_rate(cases[i].mdeg_c), ==,
                         cases[i].rate);
    }
}

/* spec 1.3: MRW of a read-only MR, MRR of a write-only one, reserved MRs */
static void test_mr_check(void)
{
    for (unsigned ma = 0; ma < 256; ma++) {
        switch (lpddr2_mr_access(ma)) {
        case LPDDR2_MR_READ:
            g_assert_cmpint(lpddr2_mr_check(ma, false), ==, LPDDR2_MR_OK);
            g_assert_cmpint(lpddr2_mr_check(ma, true), ==,
                            LPDDR2_MR_ERR_RO_WRITE);
            break;
        case LPDDR2_MR_WRITE:
            g_assert_cmpint(lpddr2_mr_check(ma, false), ==,
                            LPDDR2_MR_ERR_WO_READ);
            g_assert_cmpint(lpddr2_mr_check(ma, true), ==, LPDDR2_MR_OK);
            break;
        default:
            g_assert_cmpint(lpddr2_mr_check(ma, false), ==,
                            LPDDR2_MR_ERR_UNSUPPORTED);
            g_assert_cmpint(lpddr2_mr_check(ma, true), ==,
                            LPDDR2_MR_ERR_UNSUPPORTED);
            break;
        }
    }
}

static void assert_die_defaults(const LPDDR2Die *d)
{
    g_assert_cmphex(d->mr1, ==, 0x22);
    g_assert_cmphex(d->mr2, ==, 0x01);
    g_assert_cmphex(d->mr3, ==, 0x02);
    g_assert_cmphex(d->mr16, ==, 0);
    g_assert_cmphex(d->mr17, ==, 0);
}

/* spec 1.1: power-up defaults; MR4 reads nominal without TUF */
static void test_die_power_up(void)
{
    static const LPDDR2DieId id = { 3, 1, 0 };
    LPDDR2Geometry g;
    LPDDR2Die d;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    memset(&d, 0xA5, sizeof(d));
    lpddr2_die_power_up(&d, 45000);
    assert_die_defaults(&d);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 4), ==, 0x03);

    /* powered up hot: the first MR4 read has no change to report */
    lpddr2_die_power_up(&d, 100000);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 100000, 4), ==, 0x06);
}

/* spec 1.1: MR0, MR5-MR8 and the DQ calibration patterns */
static void test_die_mrr_identity(void)
{
    static const LPDDR2DieId id = { 0xFF, 7, 9 };
    LPDDR2Geometry g;
    LPDDR2Die d;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 2048, 16, &g));
    lpddr2_die_power_up(&d, 45000);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 0), ==, 0x18);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 5), ==, 0xFF);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 6), ==, 7);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 7), ==, 9);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 8), ==, 0x54);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 32), ==, 0xFF);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 40), ==, 0x00);
}

/* spec 1.1: TUF is set once the rate moved, and an MR4 read clears it */
static void test_die_mrr_mr4_tuf(void)
{
    static const LPDDR2DieId id = { 1, 1, 0 };
    LPDDR2Geometry g;
    LPDDR2Die d;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    lpddr2_die_power_up(&d, 45000);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 84000, 4), ==, 0x03);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 90000, 4), ==, 0x85);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 90000, 4), ==, 0x05);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 110000, 4), ==, 0x87);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 45000, 4), ==, 0x83);
    /* other registers leave TUF alone */
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 100000, 8), ==, 0x18);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 100000, 4), ==, 0x86);
}

/* spec 1.3: what an MRW keeps, refuses and resets */
static void test_die_mrw(void)
{
    LPDDR2Geometry s4, s4_512, s2;
    LPDDR2Die d;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &s4));
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 512, 32, &s4_512));
    g_assert_null(lpddr2_geometry(LPDDR2_S2, 1024, 32, &s2));
    lpddr2_die_power_up(&d, 45000);

    g_assert_cmpint(lpddr2_mrw(&d, &s4, 1, 0xC3), ==, LPDDR2_MR_OK);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 2, 0x04), ==, LPDDR2_MR_OK);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 3, 0x01), ==, LPDDR2_MR_OK);
    g_assert_cmphex(d.mr1, ==, 0xC3);
    g_assert_cmphex(d.mr2, ==, 0x04);
    g_assert_cmphex(d.mr3, ==, 0x01);
    /* reserved codes keep the old value */
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 1, 0xE2), ==, LPDDR2_MR_ERR_BAD_OP);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 2, 0x07), ==, LPDDR2_MR_ERR_BAD_OP);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 3, 0x05), ==, LPDDR2_MR_ERR_BAD_OP);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 10, 0x12), ==, LPDDR2_MR_ERR_BAD_OP);
    g_assert_cmphex(d.mr1, ==, 0xC3);
    g_assert_cmphex(d.mr2, ==, 0x04);
    g_assert_cmphex(d.mr3, ==, 0x01);
    /* ZQ calibration and test mode change no register */
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 10, 0xFF), ==, LPDDR2_MR_OK);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 9, 0x5A), ==, LPDDR2_MR_OK);

    /* 8 banks: all of MR16; MR17 on a 4 Gbit S4 */
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 16, 0xF0), ==, LPDDR2_MR_OK);
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 17, 0x0E), ==, LPDDR2_MR_OK);
    g_assert_cmphex(d.mr16, ==, 0xF0);
    g_assert_cmphex(d.mr17, ==, 0x0E);
    /* 4 banks: OP3:0 applied, the rest reported */
    g_assert_cmpint(lpddr2_mrw(&d, &s4_512, 16, 0x3C), ==,
                    LPDDR2_MR_ERR_ILLEGAL_BITS);
    g_assert_cmphex(d.mr16, ==, 0x0C);
    /* no MR17 below 1 Gbit or on S2: the die keeps its mask */
    g_assert_cmpint(lpddr2_mrw(&d, &s4_512, 17, 0xFF), ==,
                    LPDDR2_MR_ERR_UNSUPPORTED);
    g_assert_cmpint(lpddr2_mrw(&d, &s2, 17, 0xFF), ==,
                    LPDDR2_MR_ERR_UNSUPPORTED);
    g_assert_cmphex(d.mr17, ==, 0x0E);

    /* MR63 RESET: every default back, any OP */
    g_assert_cmpint(lpddr2_mrw(&d, &s4, 63, 0x00), ==, LPDDR2_MR_OK);
    assert_die_defaults(&d);
}

/* MR63's defaults are the power-up ones, and MR4's TUF state survives it */
static void test_die_reset(void)
{
    static const LPDDR2DieId id = { 1, 1, 0 };
    LPDDR2Geometry g;
    LPDDR2Die d;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 1024, 32, &g));
    lpddr2_die_power_up(&d, 45000);
    d.mr1 = 0x23;
    d.mr16 = d.mr17 = 0xFF;
    lpddr2_die_reset(&d);
    assert_die_defaults(&d);
    g_assert_cmphex(lpddr2_mrr(&d, &g, &id, 90000, 4), ==, 0x85);
}

/* --- address decode (spec 2.3) ------------------------------------------ */

typedef struct DecodeCase {
    LPDDR2BankPos map;
    LPDDR2CSMode cs_mode;
} DecodeCase;

static const DecodeCase rbc_linear = { LPDDR2_MAP_RBC, LPDDR2_CS_LINEAR };
static const DecodeCase rbc_shift = { LPDDR2_MAP_RBC, LPDDR2_CS_SHIFT };
static const DecodeCase rbc_swap = { LPDDR2_MAP_RBC, LPDDR2_CS_SWAP };
static const DecodeCase brc_linear = { LPDDR2_MAP_BRC, LPDDR2_CS_LINEAR };
static const DecodeCase brc_shift = { LPDDR2_MAP_BRC, LPDDR2_CS_SHIFT };
static const DecodeCase brc_swap = { LPDDR2_MAP_BRC, LPDDR2_CS_SWAP };

/* Deterministic xorshift64 */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void make_layout(LPDDR2Layout *l, uint32_t density_mbit,
                        uint32_t io_width, uint32_t num_cs,
                        LPDDR2BankPos map, LPDDR2CSMode cs_mode,
                        uint64_t granule)
{
    LPDDR2Geometry g;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, density_mbit, io_width, &g));
    g_assert_null(lpddr2_layout(l, &g, num_cs, map, cs_mode, granule));
}

/*
 * spec 2.3 written out independently: the chip-select decode, then the
 * rank-local RBC/BRC decode with w = 2 byte-in-beat bits.
 */
static void ref_decode(const LPDDR2Geometry *g, uint32_t num_cs,
                       LPDDR2BankPos map, LPDDR2CSMode cs_mode,
                       uint64_t granule, uint64_t off, LPDDR2Addr *a)
{
    uint32_t w = 2, c = g->col_bits, k = ctz32(g->banks), r = g->row_bits;
    uint32_t big_d = w + c + k + r, n = ctz32(num_cs);
    uint32_t gs = ctz64(granule);
    uint64_t rank = 1ull << big_d, d;

    switch (cs_mode) {
    case LPDDR2_CS_SHIFT:
        a->cs = (off / granule) % num_cs;
        d = ((off >> (gs + n)) << gs) | (off % granule);
        break;
    case LPDDR2_CS_SWAP:
        a->cs = (off / granule) % num_cs;
        d = off % rank;
        d &= ~((uint64_t)(num_cs - 1) << gs);
        d |= ((off / rank) % num_cs) << gs;
        break;
    default:
        a->cs = off / rank;
        d = off % rank;
        break;
    }
    a->byte = d % 4;
    a->col = (d >> w) % (1u << c);
    if (map == LPDDR2_MAP_RBC) {
        a->bank = (d >> (w + c)) % g->banks;
        a->row = d >> (w + c + k);
        /* RBC: the segment is the top three bits of the die offset */
        a->segment = d >> (big_d - 3);
    } else {
        a->row = (d >> (w + c)) % (1u << r);
        a->bank = d >> (w + c + r);
        a->segment = a->row >> (r - 3);
    }
}

typedef void DecodeCheck(const LPDDR2Layout *l, uint64_t granule,
                         uint64_t off);

/*
 * Run @check on the edges and ~2000 pseudo-random offsets of every layout
 * of @dc: 4 Gbit x32 and 1 Gbit x16, granules 4 KiB and 64 KiB, 1, 2, 3
 * chip selects linear and 1, 2, 4 interleaved.
 */
static void for_each_decode_offset(const DecodeCase *dc, DecodeCheck *check)
{
    static const uint32_t geoms[][2] = { { 4096, 32 }, { 1024, 16 } };
    static const uint64_t granules[] = { 4 * KiB, 64 * KiB };
    static const uint32_t linear_cs[] = { 1, 2, 3 };
    static const uint32_t ileave_cs[] = { 1, 2, 4 };
    const uint32_t *ncs = dc->cs_mode == LPDDR2_CS_LINEAR
                          ? linear_cs : ileave_cs;

    for (size_t gi = 0; gi < ARRAY_SIZE(geoms); gi++) {
        for (size_t gr = 0; gr < ARRAY_SIZE(granules); gr++) {
            for (size_t ci = 0; ci < 3; ci++) {
                LPDDR2Layout l;
                uint64_t size, s = 0x9E3779B97F4A7C15ull ^ (gi * 7 + ci);
                uint64_t edges[8];

                make_layout(&l, geoms[gi][0], geoms[gi][1], ncs[ci],
                            dc->map, dc->cs_mode, granules[gr]);
                size = ncs[ci] * lpddr2_cs_bytes(&l.g);
                edges[0] = 0;
                edges[1] = 1;
                edges[2] = 4;
                edges[3] = granules[gr] - 1;
                edges[4] = granules[gr];
                edges[5] = lpddr2_cs_bytes(&l.g) - 1;
                edges[6] = size - lpddr2_cs_bytes(&l.g);
                edges[7] = size - 1;
                for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
                    check(&l, granules[gr], edges[i]);
                }
                for (int i = 0; i < 2000; i++) {
                    check(&l, granules[gr], rng_next(&s) % size);
                }
            }
        }
    }
}

static void check_round_trip(const LPDDR2Layout *l, uint64_t granule,
                             uint64_t off)
{
    LPDDR2Addr a;
    uint64_t back;

    lpddr2_decode(l, off, &a);
    back = lpddr2_encode(l, &a);
    if (back != off) {
        g_test_message("num_cs %u mode %d map %d granule 0x%" PRIx64
                       ": 0x%" PRIx64 " -> 0x%" PRIx64, l->num_cs,
                       l->cs_mode, l->map, granule, off, back);
    }
    g_assert_cmphex(back, ==, off);
}

/* encode(decode(off)) == off */
static void test_decode_round_trip(gconstpointer opaque)
{
    for_each_decode_offset(opaque, check_round_trip);
}

static void check_fields(const LPDDR2Layout *l, uint64_t granule,
                         uint64_t off)
{
    const LPDDR2Geometry *g = &l->g;
    LPDDR2Addr a, want;

    lpddr2_decode(l, off, &a);
    g_assert_cmpuint(a.cs, <, l->num_cs);
    g_assert_cmpuint(a.bank, <, g->banks);
    g_assert_cmpuint(a.row, <, 1u << g->row_bits);
    g_assert_cmpuint(a.col, <, 1u << g->col_bits);
    g_assert_cmpuint(a.segment, <, 8);
    g_assert_cmpuint(a.byte, <, 4);

    ref_decode(g, l->num_cs, l->map, l->cs_mode, granule, off, &want);
    g_assert_cmpuint(a.cs, ==, want.cs);
    g_assert_cmpuint(a.byte, ==, want.byte);
    g_assert_cmpuint(a.col, ==, want.col);
    g_assert_cmpuint(a.bank, ==, want.bank);
    g_assert_cmpuint(a.row, ==, want.row);
    g_assert_cmpuint(a.segment, ==, want.segment);
}

/* Fields in range and equal to the spec 2.3 formulas */
static void test_decode_fields(gconstpointer opaque)
{
    for_each_decode_offset(opaque, check_fields);
}

/*
 * 64 Mbit x32 (8 MiB per chip select), 4 KiB granule, 2 and 4 chip
 * selects: every beat of every rank lands on its own DRAM beat, all of
 * the DRAM is covered, and decoding the result gives the chip select back.
 */
static void test_decode_rank_bijection(void)
{
    static const LPDDR2CSMode modes[] = {
        LPDDR2_CS_LINEAR, LPDDR2_CS_SHIFT, LPDDR2_CS_SWAP,
    };
    static const uint32_t ncs[] = { 2, 4 };

    for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
        for (size_t n = 0; n < ARRAY_SIZE(ncs); n++) {
            LPDDR2Layout l;
            uint64_t cs_bytes, beats;
            unsigned long *seen;

            make_layout(&l, 64, 32, ncs[n], LPDDR2_MAP_RBC, modes[m],
                        4 * KiB);
            cs_bytes = lpddr2_cs_bytes(&l.g);
            g_assert_cmpuint(cs_bytes, ==, 8 * MiB);
            beats = ncs[n] * cs_bytes / 4;
            seen = bitmap_new(beats);
            for (uint32_t cs = 0; cs < ncs[n]; cs++) {
                for (uint64_t r = 0; r < cs_bytes; r += 4) {
                    uint64_t off = lpddr2_rank_to_dram(&l, cs, r);
                    LPDDR2Addr a;

                    g_assert_cmpuint(off % 4, ==, 0);
                    g_assert_cmpuint(off, <, ncs[n] * cs_bytes);
                    g_assert_false(test_bit(off / 4, seen));
                    set_bit(off / 4, seen);
                    lpddr2_decode(&l, off, &a);
                    g_assert_cmpuint(a.cs, ==, cs);
                    /* the byte lanes travel with the beat */
                    g_assert_cmphex(lpddr2_rank_to_dram(&l, cs, r + 3), ==,
                                    off + 3);
                }
            }
            g_assert_cmpuint(find_first_zero_bit(seen, beats), ==, beats);
            g_free(seen);
        }
    }
}

/*
 * spec 2.3, RBC linear on 4 Gbit x32 (512 MiB per CS): segment s of CS c
 * is [c * 512 MiB + s * 64 MiB, +64 MiB).
 */
static void test_decode_rbc_linear_segments(void)
{
    LPDDR2Layout l;
    LPDDR2Addr a;

    make_layout(&l, 4096, 32, 2, LPDDR2_MAP_RBC, LPDDR2_CS_LINEAR, 4 * KiB);
    g_assert_cmpuint(lpddr2_cs_bytes(&l.g), ==, 512 * MiB);
    for (uint64_t off = 0; off < GiB; off += 4 * KiB) {
        for (uint64_t last = 0; last < 2; last++) {
            lpddr2_decode(&l, off + last * (4 * KiB - 1), &a);
            g_assert_cmpuint(a.cs, ==, off / (512 * MiB));
            g_assert_cmpuint(a.segment, ==, off % (512 * MiB) / (64 * MiB));
        }
    }
}

/* spec 2.3, RBC: a bank is stripes of 4 KiB repeating every 32 KiB */
static void test_decode_rbc_bank_stripes(void)
{
    static const LPDDR2CSMode modes[] = {
        LPDDR2_CS_LINEAR, LPDDR2_CS_SWAP,
    };

    for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
        LPDDR2Layout l;
        LPDDR2Addr a;

        /* a 64 KiB swap granule leaves the bank bits where they were */
        make_layout(&l, 4096, 32, 2, LPDDR2_MAP_RBC, modes[m], 64 * KiB);
        for (uint64_t off = 0; off < GiB; off += 4 * KiB) {
            lpddr2_decode(&l, off, &a);
            g_assert_cmpuint(a.bank, ==, off / (4 * KiB) % 8);
            lpddr2_decode(&l, off + 4 * KiB - 1, &a);
            g_assert_cmpuint(a.bank, ==, off / (4 * KiB) % 8);
        }
    }
}

/*
 * spec 2.3, BRC linear on 4 Gbit x32: bank b of CS c is
 * [c * 512 MiB + b * 64 MiB, +64 MiB); segment s is stripes of
 * die / 64 = 8 MiB repeating every die / 8 = 64 MiB.
 */
static void test_decode_brc_linear_banks(void)
{
    LPDDR2Layout l;
    LPDDR2Addr a;

    make_layout(&l, 4096, 32, 2, LPDDR2_MAP_BRC, LPDDR2_CS_LINEAR, 4 * KiB);
    for (uint64_t off = 0; off < GiB; off += 4 * KiB) {
        for (uint64_t last = 0; last < 2; last++) {
            lpddr2_decode(&l, off + last * (4 * KiB - 1), &a);
            g_assert_cmpuint(a.cs, ==, off / (512 * MiB));
            g_assert_cmpuint(a.bank, ==, off % (512 * MiB) / (64 * MiB));
            g_assert_cmpuint(a.segment, ==, off / (8 * MiB) % 8);
        }
    }
}

/* Interleaving needs 1, 2 or 4 CS and a granule of 4 KiB to a segment. */
static void test_layout_rejects(void)
{
    static const LPDDR2CSMode modes[] = { LPDDR2_CS_SHIFT, LPDDR2_CS_SWAP };
    LPDDR2Geometry g, g64;
    LPDDR2Layout l;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 64, 32, &g64));
    for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
        LPDDR2CSMode mode = modes[m];

        g_assert_nonnull(lpddr2_layout(&l, &g, 3, LPDDR2_MAP_RBC, mode,
                                       4 * KiB));
        g_assert_nonnull(lpddr2_layout(&l, &g, 3, LPDDR2_MAP_BRC, mode,
                                       64 * KiB));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode,
                                       12 * KiB));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode,
                                       4 * KiB + 1));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode, 0));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode,
                                       2 * KiB));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode, 4));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode,
                                       128 * MiB));
        g_assert_nonnull(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_BRC, mode,
                                       512 * MiB));
        g_assert_nonnull(lpddr2_layout(&l, &g64, 2, LPDDR2_MAP_RBC, mode,
                                       2 * MiB));

        /* the edges that do work */
        g_assert_null(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, mode,
                                    4 * KiB));
        g_assert_cmpuint(l.granule_shift, ==, 12);
        g_assert_cmpuint(l.rank_shift, ==, 29);
        g_assert_null(lpddr2_layout(&l, &g, 4, LPDDR2_MAP_BRC, mode,
                                    64 * MiB));
        g_assert_cmpuint(l.granule_shift, ==, 26);
        g_assert_null(lpddr2_layout(&l, &g, 1, LPDDR2_MAP_RBC, mode,
                                    4 * KiB));
        g_assert_null(lpddr2_layout(&l, &g64, 2, LPDDR2_MAP_RBC, mode,
                                    1 * MiB));
    }
}

/* Linear concatenation takes any chip-select count and ignores the granule */
static void test_layout_linear_any_granule(void)
{
    static const uint64_t granules[] = {
        0, 1, 3, 2 * KiB, 12 * KiB, 4 * KiB, 128 * MiB, 512 * MiB, GiB,
    };
    LPDDR2Geometry g;
    LPDDR2Layout l;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    for (size_t i = 0; i < ARRAY_SIZE(granules); i++) {
        for (uint32_t n = 1; n <= 4; n++) {
            g_assert_null(lpddr2_layout(&l, &g, n, LPDDR2_MAP_RBC,
                                        LPDDR2_CS_LINEAR, granules[i]));
            g_assert_cmpuint(l.num_cs, ==, n);
            g_assert_cmpuint(l.rank_shift, ==, 29);
            g_assert_null(lpddr2_layout(&l, &g, n, LPDDR2_MAP_BRC,
                                        LPDDR2_CS_LINEAR, granules[i]));
        }
    }
}

/* --- PASR masks (spec 2.2) ---------------------------------------------- */

static uint64_t runs_total(GArray *runs)
{
    uint64_t total = 0;

    for (guint i = 0; i < runs->len; i++) {
        total += g_array_index(runs, LPDDR2Run, i).len;
    }
    return total;
}

/* Sorted, coalesced, no zero lengths, inside @size */
static void check_runs_shape(GArray *runs, uint64_t size)
{
    for (guint i = 0; i < runs->len; i++) {
        const LPDDR2Run *r = &g_array_index(runs, LPDDR2Run, i);

        g_assert_cmpuint(r->len, >, 0);
        g_assert_cmpuint(r->off + r->len, <=, size);
        if (i) {
            const LPDDR2Run *p = &g_array_index(runs, LPDDR2Run, i - 1);

            g_assert_cmpuint(p->off + p->len, <, r->off);
        }
    }
}

static void push_run(GArray *runs, uint64_t off, uint64_t len)
{
    if (runs->len) {
        LPDDR2Run *last = &g_array_index(runs, LPDDR2Run, runs->len - 1);

        if (last->off + last->len == off) {
            last->len += len;
            return;
        }
    }
    g_array_append_val(runs, ((LPDDR2Run) { off, len }));
}

/*
 * Expected runs: decode every 4 KiB of the DRAM in address order (both
 * ends of each step must agree), keep what belongs to @cs and is masked.
 */
static GArray *brute_runs(const LPDDR2Layout *l, uint32_t cs, uint8_t mr16,
                          uint8_t mr17)
{
    GArray *runs = g_array_new(false, false, sizeof(LPDDR2Run));
    uint64_t size = l->num_cs * lpddr2_cs_bytes(&l->g);
    LPDDR2Addr a, b;

    for (uint64_t off = 0; off < size; off += 4 * KiB) {
        bool m;

        lpddr2_decode(l, off, &a);
        lpddr2_decode(l, off + 4 * KiB - 1, &b);
        m = a.cs == cs && lpddr2_masked(l, &a, mr16, mr17);
        g_assert_cmpint(m, ==, b.cs == cs && lpddr2_masked(l, &b, mr16,
                                                           mr17));
        if (m) {
            push_run(runs, off, 4 * KiB);
        }
    }
    return runs;
}

/* 2 CS of 4 Gbit x32, 4 KiB granule: runs == brute force for each CS */
static void test_runs_brute_force(gconstpointer opaque)
{
    static const uint8_t masks[][2] = {
        { 0x29, 0x00 }, { 0x00, 0x86 }, { 0x29, 0x86 },
        { 0x01, 0x01 }, { 0x80, 0xFE }, { 0xFF, 0x00 },
    };
    const DecodeCase *dc = opaque;
    LPDDR2Layout l;

    make_layout(&l, 4096, 32, 2, dc->map, dc->cs_mode, 4 * KiB);
    for (size_t m = 0; m < ARRAY_SIZE(masks); m++) {
        uint64_t sum = 0;

        for (uint32_t cs = 0; cs < 2; cs++) {
            GArray *got = lpddr2_masked_runs(&l, cs, masks[m][0],
                                             masks[m][1]);
            GArray *want = brute_runs(&l, cs, masks[m][0], masks[m][1]);
            unsigned nb = 8 - ctpop8(masks[m][0]);
            unsigned ns = 8 - ctpop8(masks[m][1]);

            check_runs_shape(got, GiB);
            if (got->len != want->len) {
                g_test_message("MR16 0x%02x MR17 0x%02x CS%u: %u runs, "
                               "expected %u", masks[m][0], masks[m][1], cs,
                               got->len, want->len);
            }
            g_assert_cmpuint(got->len, ==, want->len);
            for (guint i = 0; i < got->len; i++) {
                LPDDR2Run *x = &g_array_index(got, LPDDR2Run, i);
                LPDDR2Run *y = &g_array_index(want, LPDDR2Run, i);

                g_assert_cmphex(x->off, ==, y->off);
                g_assert_cmphex(x->len, ==, y->len);
            }
            /* the masked share of the rank is 1 - f */
            g_assert_cmpuint(runs_total(got), ==,
                             512 * MiB - 512 * MiB / 64 * nb * ns);
            sum += runs_total(got);
            g_array_free(got, true);
            g_array_free(want, true);
        }
        g_assert_cmpuint(sum, <=, GiB);
    }
}

static void check_one_run(GArray *runs, uint64_t off, uint64_t len)
{
    g_assert_cmpuint(runs->len, ==, 1);
    g_assert_cmphex(g_array_index(runs, LPDDR2Run, 0).off, ==, off);
    g_assert_cmphex(g_array_index(runs, LPDDR2Run, 0).len, ==, len);
    g_array_free(runs, true);
}

/* RBC linear, CS1, MR17 bit 3: segment 3 of the second rank */
static void test_runs_rbc_linear_segment(void)
{
    LPDDR2Layout l;

    make_layout(&l, 4096, 32, 2, LPDDR2_MAP_RBC, LPDDR2_CS_LINEAR, 4 * KiB);
    check_one_run(lpddr2_masked_runs(&l, 1, 0, 1 << 3),
                  512 * MiB + 3 * 64 * MiB, 64 * MiB);
    check_one_run(lpddr2_masked_runs(&l, 0, 0, 0xC0),
                  6 * 64 * MiB, 128 * MiB);
    check_one_run(lpddr2_masked_runs(&l, 1, 0, 0xFF), 512 * MiB, 512 * MiB);
}

/* BRC linear, CS0, MR16 bit 5: bank 5 of the first rank */
static void test_runs_brc_linear_bank(void)
{
    LPDDR2Layout l;

    make_layout(&l, 4096, 32, 2, LPDDR2_MAP_BRC, LPDDR2_CS_LINEAR, 4 * KiB);
    check_one_run(lpddr2_masked_runs(&l, 0, 1 << 5, 0), 5 * 64 * MiB,
                  64 * MiB);
    check_one_run(lpddr2_masked_runs(&l, 1, 0xF0, 0), 512 * MiB + 256 * MiB,
                  256 * MiB);
}

/* No mask bits: no runs, in every layout */
static void test_runs_zero_masks(void)
{
    static const DecodeCase *cases[] = {
        &rbc_linear, &rbc_shift, &rbc_swap,
        &brc_linear, &brc_shift, &brc_swap,
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        LPDDR2Layout l;

        make_layout(&l, 4096, 32, 2, cases[i]->map, cases[i]->cs_mode,
                    4 * KiB);
        for (uint32_t cs = 0; cs < 2; cs++) {
            GArray *runs = lpddr2_masked_runs(&l, cs, 0, 0);

            g_assert_nonnull(runs);
            g_assert_cmpuint(runs->len, ==, 0);
            g_array_free(runs, true);
        }
    }
}

/* spec 1.1/1.3: MR17 means nothing on S2 parts or below 1 Gbit */
static void test_runs_mr17_unsupported(void)
{
    static const struct {
        LPDDR2Type type;
        uint32_t density_mbit;
    } parts[] = {
        { LPDDR2_S2, 1024 }, { LPDDR2_S2, 2048 }, { LPDDR2_S4, 512 },
        { LPDDR2_S4, 64 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        LPDDR2Geometry g;
        LPDDR2Layout l;
        LPDDR2Addr a;
        GArray *runs;

        g_assert_null(lpddr2_geometry(parts[i].type, parts[i].density_mbit,
                                      32, &g));
        g_assert_null(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC,
                                    LPDDR2_CS_LINEAR, 4 * KiB));
        runs = lpddr2_masked_runs(&l, 0, 0, 0xFF);
        g_assert_cmpuint(runs->len, ==, 0);
        g_array_free(runs, true);
        lpddr2_decode(&l, 0, &a);
        g_assert_false(lpddr2_masked(&l, &a, 0, 0xFF));
        g_assert_cmpuint(lpddr2_refreshed_q16(&g, 0, 0xFF), ==, 65536);

        /* MR16 still applies: under BRC bank 0 is the first quarter */
        g_assert_null(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_BRC,
                                    LPDDR2_CS_LINEAR, 4 * KiB));
        check_one_run(lpddr2_masked_runs(&l, 1, 0x01, 0xFF),
                      g.die_bytes, g.die_bytes / 4);
    }
}

/* spec 1.1: 4-bank parts use MR16 OP3:0 only */
static void test_runs_mr16_4bank(void)
{
    LPDDR2Geometry g;
    LPDDR2Layout l;
    GArray *runs;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 512, 32, &g));
    g_assert_cmpuint(g.banks, ==, 4);
    g_assert_null(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_RBC, LPDDR2_CS_LINEAR,
                                4 * KiB));
    runs = lpddr2_masked_runs(&l, 0, 0xF0, 0);
    g_assert_cmpuint(runs->len, ==, 0);
    g_array_free(runs, true);
    g_assert_null(lpddr2_layout(&l, &g, 2, LPDDR2_MAP_BRC, LPDDR2_CS_LINEAR,
                                4 * KiB));
    runs = lpddr2_masked_runs(&l, 1, 0xF0, 0);
    g_assert_cmpuint(runs->len, ==, 0);
    g_array_free(runs, true);
    /* 0xF4 is bank 2 only: the third 16 MiB of the 64 MiB rank */
    check_one_run(lpddr2_masked_runs(&l, 1, 0xF4, 0),
                  64 * MiB + 32 * MiB, 16 * MiB);
}

/* RBC, MR16 = MR17 = 0x01 on 4 Gbit: 512 MiB * (1 - 7/8 * 7/8) = 120 MiB */
static void test_runs_rbc_total(void)
{
    static const LPDDR2CSMode modes[] = {
        LPDDR2_CS_LINEAR, LPDDR2_CS_SHIFT, LPDDR2_CS_SWAP,
    };

    for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
        LPDDR2Layout l;

        make_layout(&l, 4096, 32, 2, LPDDR2_MAP_RBC, modes[m], 4 * KiB);
        for (uint32_t cs = 0; cs < 2; cs++) {
            GArray *runs = lpddr2_masked_runs(&l, cs, 0x01, 0x01);

            g_assert_cmpuint(runs_total(runs), ==, 120 * MiB);
            g_assert_cmpuint(runs_total(runs), ==,
                             512 * MiB - 512 * MiB / 64 * 7 * 7);
            g_array_free(runs, true);
        }
    }
}

/* --- refreshed fraction (spec 2.2, 3.4) --------------------------------- */

static void test_refresh_q16(void)
{
    LPDDR2Geometry g4, g8;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 512, 32, &g4));
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g8));

    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0, 0), ==, 65536);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g4, 0, 0), ==, 65536);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0, 0xFE), ==, 8192);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0, 0x7F), ==, 8192);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0xFE, 0), ==, 8192);
    /* one bank of 8 and one segment: 65536 * 7/8 * 7/8 */
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0x10, 0x02), ==,
                     ((7 * 7) << 16) / (8 * 8));
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0x10, 0x02), ==, 50176);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0xFF, 0), ==, 0);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0, 0xFF), ==, 0);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g8, 0x0F, 0x0F), ==, 16384);
    /* 4-bank part: only OP3:0 counts, MR17 not at all */
    g_assert_cmpuint(lpddr2_refreshed_q16(&g4, 0xFF, 0), ==, 0);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g4, 0xF0, 0), ==, 65536);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g4, 0x01, 0), ==, 49152);
    g_assert_cmpuint(lpddr2_refreshed_q16(&g4, 0x01, 0xFF), ==, 49152);
}

/* --- self-refresh power (spec 3.4) -------------------------------------- */

static const LPDDR2PowerModel default_pm = {
    .vdd1_mv = 1800,
    .vdd2_mv = 1200,
    .idd6_vdd1_ua = 1000,
    .idd6_vdd2_ua = 3200,
    .idd6_scale_25c = 450,
    .idd6_scale_45c = 500,
    .floor_25c = 770,
    .floor_45c = 680,
    .floor_85c = 500,
};

static uint64_t power_4g(int32_t mdeg_c, uint32_t f_q16)
{
    LPDDR2Geometry g;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 4096, 32, &g));
    return lpddr2_sr_power_nw(&default_pm, &g, mdeg_c, f_q16);
}

/*
 * spec 3.4 worked example at 85 C, a = 0.5: full array 1.8 V * 1 mA +
 * 1.2 V * 3.2 mA = 5.64 mW per die (11.28 mW for two), and with 7/8
 * masked 5.64 * (0.5 + 0.5 / 8) = 3.1725 mW (6.345 mW for two).
 */
static void test_power_85c(void)
{
    g_assert_cmpuint(power_4g(85000, 65536), ==, 5640000);
    g_assert_cmpuint(2 * power_4g(85000, 65536), ==, 11280000);
    g_assert_cmpuint(power_4g(85000, 8192), ==, 3172500);
    g_assert_cmpuint(2 * power_4g(85000, 8192), ==, 6345000);
    g_assert_cmpuint(power_4g(85000, 0), ==, 2820000);
    g_assert_cmpuint(power_4g(85000, 32768), ==, 4230000);
}

/*
 * At 45 C I_full is half: 2.82 mW. a = 0.68: a_q16 = 680 * 65536 / 1000
 * = 44564, factor = 44564 + (65536 - 44564) * 8192 / 65536 = 44564 + 2621
 * = 47185; 2820000000 pW * 47185 / 65536 / 1000 = 2030360 nW.
 */
static void test_power_45c(void)
{
    g_assert_cmpuint(power_4g(45000, 65536), ==, 2820000);
    g_assert_cmpuint(power_4g(45000, 8192), ==, 2030360);
    /* 2820000000 * 44564 / 65536 / 1000 */
    g_assert_cmpuint(power_4g(45000, 0), ==, 1917579);
}

/*
 * Linear interpolation: at 65 C I_full is 0.75 of 85 C (4.23 mW) and
 * a = 0.59; at 35 C 0.475 (2.679 mW) and a = 0.725; at 25 C and below
 * I_full is 0.45 (2.538 mW) and a = 0.77. a(T) stays 0.5 above 85 C.
 */
static void test_power_interpolation(void)
{
    g_assert_cmpuint(power_4g(35000, 65536), ==, 2679000);
    /* a_q16 = 725 * 65536 / 1000 = 47513 */
    g_assert_cmpuint(power_4g(35000, 0), ==,
                     2679000000ull * 47513 / 65536 / 1000);
    g_assert_cmpuint(power_4g(95000, 0) * 2, ==, power_4g(95000, 65536));
    g_assert_cmpuint(power_4g(105000, 0) * 2, ==, power_4g(105000, 65536));
    g_assert_cmpuint(power_4g(0, 0), ==, power_4g(25000, 0));
    g_assert_cmpuint(power_4g(-20000, 8192), ==, power_4g(25000, 8192));
    g_assert_cmpuint(power_4g(65000, 65536), ==, 4230000);
    /* a_q16 = 590 * 65536 / 1000 = 38666 */
    g_assert_cmpuint(power_4g(65000, 0), ==,
                     4230000000ull * 38666 / 65536 / 1000);
    g_assert_cmpuint(power_4g(25000, 65536), ==, 2538000);
    g_assert_cmpuint(power_4g(0, 65536), ==, 2538000);
    /* a_q16 = 770 * 65536 / 1000 = 50462 */
    g_assert_cmpuint(power_4g(25000, 0), ==,
                     2538000000ull * 50462 / 65536 / 1000);
}

/* I_full scales with density from the 4 Gbit reference */
static void test_power_density(void)
{
    LPDDR2Geometry g;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, 8192, 32, &g));
    g_assert_cmpuint(lpddr2_sr_power_nw(&default_pm, &g, 85000, 65536), ==,
                     11280000);
    g_assert_cmpuint(lpddr2_sr_power_nw(&default_pm, &g, 85000, 8192), ==,
                     6345000);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 1024, 32, &g));
    g_assert_cmpuint(lpddr2_sr_power_nw(&default_pm, &g, 85000, 65536), ==,
                     1410000);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 1024, 16, &g));
    g_assert_cmpuint(lpddr2_sr_power_nw(&default_pm, &g, 85000, 65536), ==,
                     1410000);
    g_assert_null(lpddr2_geometry(LPDDR2_S4, 2048, 32, &g));
    g_assert_cmpuint(lpddr2_sr_power_nw(&default_pm, &g, 45000, 65536), ==,
                     1410000);
}

/* Masking more never costs power, and never goes below the floor share. */
static void test_power_monotonic(void)
{
    static const int32_t temps[] = {
        0, 25000, 35000, 45000, 60000, 85000, 95000,
    };

    for (size_t t = 0; t < ARRAY_SIZE(temps); t++) {
        uint64_t full = power_4g(temps[t], 65536);
        uint64_t floor = power_4g(temps[t], 0);
        uint64_t prev = floor;

        g_assert_cmpuint(floor, >, 0);
        g_assert_cmpuint(floor, <, full);
        /* a(T) is between 0.5 and 0.77 */
        g_assert_cmpuint(floor * 1000, >=, full * 500 - 1000);
        g_assert_cmpuint(floor * 1000, <=, full * 770);
        for (uint32_t f = 0; f <= 65536; f += 256) {
            uint64_t p = power_4g(temps[t], f);

            g_assert_cmpuint(p, >=, prev);
            g_assert_cmpuint(p, >=, floor);
            g_assert_cmpuint(p, <=, full);
            prev = p;
        }
        g_assert_cmpuint(prev, ==, full);
    }
}

static LPDDR2Energy energy(uint32_t density, uint32_t width, int32_t mdeg_c,
                           uint8_t mr16, uint8_t mr17, uint64_t dt_ns)
{
    LPDDR2Geometry g;

    g_assert_null(lpddr2_geometry(LPDDR2_S4, density, width, &g));
    return lpddr2_cs_sr_energy(&default_pm, &g, mdeg_c, mr16, mr17, dt_ns);
}

/*
 * spec 3.4/6.4: one second of a 4 Gbit x32 chip select at 85 C is
 * 5.64 mJ fully refreshed and 3.1725 mJ with 7 of 8 segments masked.
 */
static void test_energy_one_second(void)
{
    LPDDR2Energy e = energy(4096, 32, 85000, 0, 0xFE, NANOSECONDS_PER_SECOND);

    g_assert_cmpuint(e.masked_pj, ==, 3172500000ull);
    g_assert_cmpuint(e.full_pj, ==, 5640000000ull);
    e = energy(4096, 32, 85000, 0, 0, NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(e.masked_pj, ==, e.full_pj);
    e = energy(4096, 32, 85000, 0, 0, 0);
    g_assert_cmpuint(e.masked_pj, ==, 0);
    g_assert_cmpuint(e.full_pj, ==, 0);
}

/* Every die of the rank counts: two x16 dies draw twice one die's power */
static void test_energy_dies_per_cs(void)
{
    LPDDR2Energy x32 = energy(4096, 32, 85000, 0x0F, 0, 1000000);
    LPDDR2Energy x16 = energy(4096, 16, 85000, 0x0F, 0, 1000000);
    LPDDR2Energy x8 = energy(4096, 8, 85000, 0x0F, 0, 1000000);

    g_assert_cmpuint(x16.masked_pj, ==, 2 * x32.masked_pj);
    g_assert_cmpuint(x16.full_pj, ==, 2 * x32.full_pj);
    g_assert_cmpuint(x8.full_pj, ==, 4 * x32.full_pj);
    /* 4 of 8 banks masked at 85 C: 0.75 of the full power */
    g_assert_cmpuint(x32.masked_pj * 4, ==, x32.full_pj * 3);
}

/* Residencies longer than 2^32 ns are exact: a day is 86400 seconds. */
static void test_energy_long_residency(void)
{
    LPDDR2Energy sec = energy(8192, 32, 85000, 0, 0xFE,
                              NANOSECONDS_PER_SECOND);
    LPDDR2Energy ten = energy(8192, 32, 85000, 0, 0xFE,
                              10 * NANOSECONDS_PER_SECOND);
    LPDDR2Energy day = energy(8192, 32, 85000, 0, 0xFE,
                              86400 * NANOSECONDS_PER_SECOND);

    g_assert_cmpuint(ten.masked_pj, ==, 10 * sec.masked_pj);
    g_assert_cmpuint(ten.full_pj, ==, 10 * sec.full_pj);
    g_assert_cmpuint(day.masked_pj, ==, 86400 * sec.masked_pj);
    g_assert_cmpuint(day.full_pj, ==, 86400 * sec.full_pj);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/lpddr2/geometry/table", test_geometry_table);
    g_test_add_func("/lpddr2/mr8/examples", test_mr8_examples);
    g_test_add_func("/lpddr2/geometry/rejects", test_geometry_rejects);

    g_test_add_func("/lpddr2/mr/access-classes", test_mr_access_classes);
    g_test_add_func("/lpddr2/mr/op-legal", test_mr_op_legal);
    g_test_add_func("/lpddr2/mr/has-mr17", test_mr_has_mr17);
    g_test_add_func("/lpddr2/mr/mr4-rate", test_mr_mr4_rate);
    g_test_add_func("/lpddr2/mr/check", test_mr_check);
    g_test_add_func("/lpddr2/die/power-up", test_die_power_up);
    g_test_add_func("/lpddr2/die/mrr-identity", test_die_mrr_identity);
    g_test_add_func("/lpddr2/die/mrr-mr4-tuf", test_die_mrr_mr4_tuf);
    g_test_add_func("/lpddr2/die/mrw", test_die_mrw);
    g_test_add_func("/lpddr2/die/reset", test_die_reset);

    g_test_add_func("/lpddr2/layout/rejects", test_layout_rejects);
    g_test_add_func("/lpddr2/layout/linear-any-granule",
                    test_layout_linear_any_granule);

    g_test_add_data_func("/lpddr2/decode/rbc-linear-round-trip",
                         &rbc_linear, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/rbc-shift-round-trip",
                         &rbc_shift, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/rbc-swap-round-trip",
                         &rbc_swap, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/brc-linear-round-trip",
                         &brc_linear, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/brc-shift-round-trip",
                         &brc_shift, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/brc-swap-round-trip",
                         &brc_swap, test_decode_round_trip);
    g_test_add_data_func("/lpddr2/decode/rbc-linear-fields",
                         &rbc_linear, test_decode_fields);
    g_test_add_data_func("/lpddr2/decode/rbc-shift-fields",
                         &rbc_shift, test_decode_fields);
    g_test_add_data_func("/lpddr2/decode/rbc-swap-fields",
                         &rbc_swap, test_decode_fields);
    g_test_add_data_func("/lpddr2/decode/brc-linear-fields",
                         &brc_linear, test_decode_fields);
    g_test_add_data_func("/lpddr2/decode/brc-shift-fields",
                         &brc_shift, test_decode_fields);
    g_test_add_data_func("/lpddr2/decode/brc-swap-fields",
                         &brc_swap, test_decode_fields);
    g_test_add_func("/lpddr2/decode/rank-to-dram-bijection",
                    test_decode_rank_bijection);
    g_test_add_func("/lpddr2/decode/rbc-linear-segments",
                    test_decode_rbc_linear_segments);
    g_test_add_func("/lpddr2/decode/rbc-bank-stripes",
                    test_decode_rbc_bank_stripes);
    g_test_add_func("/lpddr2/decode/brc-linear-banks",
                    test_decode_brc_linear_banks);

    g_test_add_data_func("/lpddr2/runs/rbc-linear-brute-force",
                         &rbc_linear, test_runs_brute_force);
    g_test_add_data_func("/lpddr2/runs/rbc-shift-brute-force",
                         &rbc_shift, test_runs_brute_force);
    g_test_add_data_func("/lpddr2/runs/rbc-swap-brute-force",
                         &rbc_swap, test_runs_brute_force);
    g_test_add_data_func("/lpddr2/runs/brc-linear-brute-force",
                         &brc_linear, test_runs_brute_force);
    g_test_add_data_func("/lpddr2/runs/brc-shift-brute-force",
                         &brc_shift, test_runs_brute_force);
    g_test_add_data_func("/lpddr2/runs/brc-swap-brute-force",
                         &brc_swap, test_runs_brute_force);
    g_test_add_func("/lpddr2/runs/rbc-linear-segment",
                    test_runs_rbc_linear_segment);
    g_test_add_func("/lpddr2/runs/brc-linear-bank",
                    test_runs_brc_linear_bank);
    g_test_add_func("/lpddr2/runs/zero-masks", test_runs_zero_masks);
    g_test_add_func("/lpddr2/runs/mr17-unsupported",
                    test_runs_mr17_unsupported);
    g_test_add_func("/lpddr2/runs/mr16-4-bank", test_runs_mr16_4bank);
    g_test_add_func("/lpddr2/runs/rbc-total", test_runs_rbc_total);

    g_test_add_func("/lpddr2/refresh/q16", test_refresh_q16);

    g_test_add_func("/lpddr2/power/85c", test_power_85c);
    g_test_add_func("/lpddr2/power/45c", test_power_45c);
    g_test_add_func("/lpddr2/power/interpolation", test_power_interpolation);
    g_test_add_func("/lpddr2/power/density", test_power_density);
    g_test_add_func("/lpddr2/power/monotonic", test_power_monotonic);

    g_test_add_func("/lpddr2/energy/one-second", test_energy_one_second);
    g_test_add_func("/lpddr2/energy/dies-per-cs", test_energy_dies_per_cs);
    g_test_add_func("/lpddr2/energy/long-residency",
                    test_energy_long_residency);
    return g_test_run();
}
