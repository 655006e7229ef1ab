/*
 * Unit tests of the pure LP-DDR2 core (hw/pasr-ddr/lpddr2.c)
 * against spec pasr-ddr.md sections 1.1 (MR8) and 2.1 (geometry).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/lpddr2/geometry/table", test_geometry_table);
    g_test_add_func("/lpddr2/mr8/examples", test_mr8_examples);
    g_test_add_func("/lpddr2/geometry/rejects", test_geometry_rejects);
    return g_test_run();
}
