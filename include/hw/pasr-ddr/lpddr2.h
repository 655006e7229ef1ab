/*
 * LP-DDR2 (JESD209-2) facts and controller arithmetic: geometry, mode
 * register encodings, address decode, PASR masks and the self-refresh
 * power model (docs/specs/pasr-ddr.rst sections 1-3).
 * Pure logic, no device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PASR_DDR_LPDDR2_H
#define HW_PASR_DDR_LPDDR2_H

#include "hw/registerfields.h"

/* MR8 OP1:0 */
typedef enum LPDDR2Type {
    LPDDR2_S4 = 0,
    LPDDR2_S2 = 1,
} LPDDR2Type;

/* The controller's data bus is 32 bits wide: x16 dies come in pairs. */
#define LPDDR2_BUS_WIDTH    32
#define LPDDR2_SEGMENTS     8

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

/* spec 1.1: MR17 (segment mask) exists on S4 parts of 1 Gbit and more. */
bool lpddr2_has_mr17(const LPDDR2Geometry *g);

/* spec 1.1: MR8 (Basic Config 4) */
FIELD(LPDDR2_MR8, TYPE, 0, 2)
FIELD(LPDDR2_MR8, DENSITY, 2, 4)
FIELD(LPDDR2_MR8, IO_WIDTH, 6, 2)

/* spec 1.1: MR16 bits that name a bank of this die */
uint8_t lpddr2_mr16_banks(const LPDDR2Geometry *g);

/* --- mode registers (spec 1.1, 1.3) ------------------------------------ */

typedef enum LPDDR2MRAccess {
    LPDDR2_MR_RESERVED,
    LPDDR2_MR_READ,         /* MR0, MR4-MR8, MR32, MR40 */
    LPDDR2_MR_WRITE,        /* MR1-3, MR9, MR10, MR16, MR17, MR63 */
} LPDDR2MRAccess;

LPDDR2MRAccess lpddr2_mr_access(uint8_t ma);

/* Is @op a legal value for write-only mode register @ma (MR1/2/3/10)? */
bool lpddr2_mrw_op_legal(uint8_t ma, uint8_t op);

/* Mode-register defaults after power-up or MR63 RESET */
#define LPDDR2_MR1_DEFAULT  0x22
#define LPDDR2_MR2_DEFAULT  0x01
#define LPDDR2_MR3_DEFAULT  0x02

/* spec 6.2: MR4 OP2:0 refresh-rate code for a die at @mdeg_c m°C */
uint8_t lpddr2_mr4_rate(int32_t mdeg_c);

/* --- the die: what MRR and MRW see (spec 1.1-1.3) ----------------------- */

/* Outcome of a mode-register command, as spec 1.3 names them */
typedef enum LPDDR2MRResult {
    LPDDR2_MR_OK,
    LPDDR2_MR_ERR_RO_WRITE,     /* MRW to a read-only register: ignored */
    LPDDR2_MR_ERR_WO_READ,      /* MRR of a write-only register: no data */
    LPDDR2_MR_ERR_BAD_OP,       /* reserved code: the old value stays */
    LPDDR2_MR_ERR_ILLEGAL_BITS, /* MR16 bits beyond the banks: rest applied */
    LPDDR2_MR_ERR_UNSUPPORTED,  /* reserved MR, or MR17 on a die without it */
} LPDDR2MRResult;

/* spec 1.3: may @ma be read (MRR) or, with @write, written (MRW)? */
LPDDR2MRResult lpddr2_mr_check(uint8_t ma, bool write);

/*
 * The mode registers of a die. All dies of a rank receive the same
 * commands, so one LPDDR2Die stands for all of them.
 */
typedef struct LPDDR2Die {
    uint8_t mr1, mr2, mr3;      /* device features, I/O configuration */
    uint8_t mr4_rate;           /* MR4 OP2:0 of the last MRR: TUF if moved */
    uint8_t mr16, mr17;         /* PASR masks in force */
} LPDDR2Die;

/* What MR5-MR7 report: properties of the part */
typedef struct LPDDR2DieId {
    uint8_t manufacturer_id;
    uint8_t revision_id1;
    uint8_t revision_id2;
} LPDDR2DieId;

/* spec 1.1: MR63 RESET: mode-register defaults, no PASR masks */
void lpddr2_die_reset(LPDDR2Die *d);

/* Power-up: the defaults, and MR4 reads nominal for @mdeg_c */
void lpddr2_die_power_up(LPDDR2Die *d, int32_t mdeg_c);

/*
 * spec 1.1/1.2: the byte MRR of readable mode register @ma returns on a
 * die at @mdeg_c. Reading MR4 clears TUF.
 */
uint8_t lpddr2_mrr(LPDDR2Die *d, const LPDDR2Geometry *g,
                   const LPDDR2DieId *id, int32_t mdeg_c, uint8_t ma);

/*
 * spec 1.3: MRW of @op to writable mode register @ma. A reserved code or
 * an unsupported MR17 leaves the die as it was.
 */
LPDDR2MRResult lpddr2_mrw(LPDDR2Die *d, const LPDDR2Geometry *g, uint8_t ma,
                          uint8_t op);

/* --- address decode (spec 2.3) ----------------------------------------- */

typedef enum LPDDR2BankPos {
    LPDDR2_MAP_RBC = 0,     /* row-bank-column: segments contiguous */
    LPDDR2_MAP_BRC = 1,     /* bank-row-column: banks contiguous */
} LPDDR2BankPos;

typedef enum LPDDR2CSMode {
    LPDDR2_CS_LINEAR = 0,   /* chip selects one after another */
    LPDDR2_CS_SHIFT = 1,    /* interleaved every granule */
    LPDDR2_CS_SWAP = 2,     /* CS bits swapped with granule bits */
} LPDDR2CSMode;

typedef struct LPDDR2Layout {
    LPDDR2Geometry g;
    uint32_t num_cs;            /* 1, 2, 3 or 4 (3: linear only) */
    LPDDR2BankPos map;
    LPDDR2CSMode cs_mode;
    uint32_t granule_shift;     /* log2 interleave granule */
    uint32_t rank_shift;        /* log2 bytes per chip select */
} LPDDR2Layout;

/*
 * Fill @l; returns NULL or why the combination does not work (the
 * interleave modes need a power-of-two number of chip selects and a
 * granule from the beat size up to a segment stripe).
 */
const char *lpddr2_layout(LPDDR2Layout *l, const LPDDR2Geometry *g,
                          uint32_t num_cs, LPDDR2BankPos map,
                          LPDDR2CSMode cs_mode, uint64_t granule);

typedef struct LPDDR2Addr {
    uint32_t cs;
    uint32_t byte;          /* byte within the 32-bit beat */
    uint32_t bank;
    uint32_t row;
    uint32_t col;
    uint32_t segment;
} LPDDR2Addr;

/* DRAM offset -> (cs, bank, row, column, segment), and back. */
void lpddr2_decode(const LPDDR2Layout *l, uint64_t off, LPDDR2Addr *a);
uint64_t lpddr2_encode(const LPDDR2Layout *l, const LPDDR2Addr *a);

/* Byte offset within the rank of @cs -> DRAM offset */
uint64_t lpddr2_rank_to_dram(const LPDDR2Layout *l, uint32_t cs,
                             uint64_t rank_off);

/* Is the cell at @a masked by MR16 @mr16 or (where it exists) MR17 @mr17? */
bool lpddr2_masked(const LPDDR2Layout *l, const LPDDR2Addr *a,
                   uint8_t mr16, uint8_t mr17);

typedef struct LPDDR2Run {
    uint64_t off;           /* DRAM offset */
    uint64_t len;
} LPDDR2Run;

/*
 * The DRAM runs that (cs, MR16, MR17) leave unrefreshed, sorted and
 * coalesced: an array of LPDDR2Run.
 */
GArray *lpddr2_masked_runs(const LPDDR2Layout *l, uint32_t cs,
                           uint8_t mr16, uint8_t mr17);

/* The fraction of a die still refreshed under the masks, Q16. */
uint32_t lpddr2_refreshed_q16(const LPDDR2Geometry *g, uint8_t mr16,
                              uint8_t mr17);

/* --- self-refresh power (spec 3.4) -------------------------------------- */

typedef struct LPDDR2PowerModel {
    uint32_t vdd1_mv;           /* rail voltages */
    uint32_t vdd2_mv;
    uint32_t idd6_vdd1_ua;      /* full-array IDD6 of a 4 Gbit die, 85 C */
    uint32_t idd6_vdd2_ua;
    /* IDD6 at 25/45 C relative to 85 C, and the PASR floor a(T), per mille */
    uint32_t idd6_scale_25c;
    uint32_t idd6_scale_45c;
    uint32_t floor_25c;
    uint32_t floor_45c;
    uint32_t floor_85c;
} LPDDR2PowerModel;

/*
 * Self-refresh power of one die in nW at @mdeg_c with @refreshed_q16 of
 * it refreshed: sum over rails of V * I_full(T) * (a(T) + (1 - a(T)) f),
 * I_full scaled by density from the 4 Gbit reference.
 */
uint64_t lpddr2_sr_power_nw(const LPDDR2PowerModel *pm,
                            const LPDDR2Geometry *g, int32_t mdeg_c,
                            uint32_t refreshed_q16);

/* Self-refresh energy of one chip select, pJ */
typedef struct LPDDR2Energy {
    uint64_t masked_pj;         /* under its PASR masks */
    uint64_t full_pj;           /* the same time fully refreshed */
} LPDDR2Energy;

/*
 * spec 3.4/6.4: the energy the dies of one chip select draw in @dt_ns of
 * self-refresh at @mdeg_c under (@mr16, @mr17), and fully refreshed.
 */
LPDDR2Energy lpddr2_cs_sr_energy(const LPDDR2PowerModel *pm,
                                 const LPDDR2Geometry *g, int32_t mdeg_c,
                                 uint8_t mr16, uint8_t mr17,
                                 uint64_t dt_ns);

#endif
