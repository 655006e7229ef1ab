/*
 * LP-DDR2 (JESD209-2) device facts: geometry and mode-register encodings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "hw/pasr-ddr/lpddr2.h"

typedef struct LPDDR2Addressing {
    LPDDR2Type type;
    uint32_t density_mbit;
    uint8_t banks;
    uint8_t row_bits;
    uint8_t col_bits_x32;   /* x16 has one more, x8 two more */
} LPDDR2Addressing;

/* spec 2.1: the JESD209-2 addressing table */
static const LPDDR2Addressing lpddr2_addressing[] = {
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

const char *lpddr2_geometry(LPDDR2Type type, uint32_t density_mbit,
                            uint32_t io_width, LPDDR2Geometry *g)
{
    const LPDDR2Addressing *a = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(lpddr2_addressing); i++) {
        if (lpddr2_addressing[i].type == type &&
            lpddr2_addressing[i].density_mbit == density_mbit) {
            a = &lpddr2_addressing[i];
        }
    }
    if (!a) {
        return type == LPDDR2_S4
            ? "LPDDR2-S4 densities are 64-8192 Mbit, powers of two"
            : "LPDDR2-S2 densities are 1024 and 2048 Mbit";
    }
    if (io_width != 8 && io_width != 16 && io_width != 32) {
        return "LPDDR2 I/O width is 8, 16 or 32";
    }

    g->type = type;
    g->density_mbit = density_mbit;
    g->io_width = io_width;
    g->banks = a->banks;
    g->row_bits = a->row_bits;
    g->col_bits = a->col_bits_x32 + ctz32(32 / io_width);
    g->die_bytes = (uint64_t)g->banks << (g->row_bits + g->col_bits);
    g->die_bytes *= io_width / 8;
    return NULL;
}

uint32_t lpddr2_devices_per_cs(const LPDDR2Geometry *g)
{
    return LPDDR2_BUS_WIDTH / g->io_width;
}

uint64_t lpddr2_cs_bytes(const LPDDR2Geometry *g)
{
    return g->die_bytes * lpddr2_devices_per_cs(g);
}

uint8_t lpddr2_mr8(const LPDDR2Geometry *g)
{
    uint8_t density = ctz32(g->density_mbit / 64);
    uint8_t width = ctz32(32 / g->io_width);

    return g->type | density << 2 | width << 6;
}
