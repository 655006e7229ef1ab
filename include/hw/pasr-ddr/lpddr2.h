/*
 * LP-DDR2 (JESD209-2) device facts: geometry and mode-register encodings.
 * Pure logic, no device plumbing (spec pasr-ddr.md sections 1-2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PASR_DDR_LPDDR2_H
#define HW_PASR_DDR_LPDDR2_H

/* MR8 OP1:0 */
typedef enum LPDDR2Type {
    LPDDR2_S4 = 0,
    LPDDR2_S2 = 1,
} LPDDR2Type;

/* The controller's data bus is 32 bits wide: x16 dies come in pairs. */
#define LPDDR2_BUS_WIDTH 32

typedef struct LPDDR2Geometry {
    LPDDR2Type type;
    uint32_t density_mbit;
    uint32_t io_width;
    uint32_t banks;
    uint32_t row_bits;
    uint32_t col_bits;
    uint64_t die_bytes;
} LPDDR2Geometry;

/*
 * Fill @g for a die of @type, @density_mbit and @io_width (8, 16 or 32)
 * per spec 2.1. Returns NULL, or why the combination does not exist.
 */
const char *lpddr2_geometry(LPDDR2Type type, uint32_t density_mbit,
                            uint32_t io_width, LPDDR2Geometry *g);

/* Dies that share one chip select to fill the 32-bit bus. */
uint32_t lpddr2_devices_per_cs(const LPDDR2Geometry *g);

/* Bytes behind one chip select. */
uint64_t lpddr2_cs_bytes(const LPDDR2Geometry *g);

/* MR8 (Basic Config 4): type, density and I/O width codes (spec 1.1). */
uint8_t lpddr2_mr8(const LPDDR2Geometry *g);

#endif
