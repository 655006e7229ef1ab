/*
 * LP-DDR2 (JESD209-2) dies and the arithmetic a controller does on them:
 * geometry, the mode registers a die answers MRR and MRW with, address
 * decode, PASR masks and the self-refresh power and energy model.
 * Pure logic, no device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
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
    uint8_t mr8 = FIELD_DP32(0, LPDDR2_MR8, TYPE, g->type);

    mr8 = FIELD_DP32(mr8, LPDDR2_MR8, DENSITY, ctz32(g->density_mbit / 64));
    return FIELD_DP32(mr8, LPDDR2_MR8, IO_WIDTH, ctz32(32 / g->io_width));
}

bool lpddr2_has_mr17(const LPDDR2Geometry *g)
{
    return g->type == LPDDR2_S4 && g->density_mbit >= 1024;
}

LPDDR2MRAccess lpddr2_mr_access(uint8_t ma)
{
    switch (ma) {
    case 0: case 4: case 5: case 6: case 7: case 8: case 32: case 40:
        return LPDDR2_MR_READ;
    case 1: case 2: case 3: case 9: case 10: case 16: case 17: case 63:
        return LPDDR2_MR_WRITE;
    default:
        return LPDDR2_MR_RESERVED;
    }
}

/* spec 1.1/1.3: the codes MR1, MR2, MR3 and MR10 define */
bool lpddr2_mrw_op_legal(uint8_t ma, uint8_t op)
{
    switch (ma) {
    case 1: {
        uint8_t bl = extract32(op, 0, 3), nwr = extract32(op, 5, 3);

        return bl >= 2 && bl <= 4 && nwr >= 1 && nwr <= 6;
    }
    case 2:
        return op >= 1 && op <= 6;
    case 3:
        return op >= 1 && op <= 7 && op != 5;
    case 10:
        return op == 0xFF || op == 0xAB || op == 0x56 || op == 0xC3;
    default:
        return true;
    }
}

/* spec 6.2: <= 85 C nominal (011), then 0.25x (101), derated (110), hot */
uint8_t lpddr2_mr4_rate(int32_t mdeg_c)
{
    if (mdeg_c <= 85000) {
        return 3;
    } else if (mdeg_c <= 95000) {
        return 5;
    } else if (mdeg_c <= 105000) {
        return 6;
    }
    return 7;
}

LPDDR2MRResult lpddr2_mr_check(uint8_t ma, bool write)
{
    switch (lpddr2_mr_access(ma)) {
    case LPDDR2_MR_READ:
        return write ? LPDDR2_MR_ERR_RO_WRITE : LPDDR2_MR_OK;
    case LPDDR2_MR_WRITE:
        return write ? LPDDR2_MR_OK : LPDDR2_MR_ERR_WO_READ;
    default:
        return LPDDR2_MR_ERR_UNSUPPORTED;
    }
}

void lpddr2_die_reset(LPDDR2Die *d)
{
    d->mr1 = LPDDR2_MR1_DEFAULT;
    d->mr2 = LPDDR2_MR2_DEFAULT;
    d->mr3 = LPDDR2_MR3_DEFAULT;
    d->mr16 = d->mr17 = 0;
}

void lpddr2_die_power_up(LPDDR2Die *d, int32_t mdeg_c)
{
    lpddr2_die_reset(d);
    d->mr4_rate = lpddr2_mr4_rate(mdeg_c);
}

uint8_t lpddr2_mrr(LPDDR2Die *d, const LPDDR2Geometry *g,
                   const LPDDR2DieId *id, int32_t mdeg_c, uint8_t ma)
{
    uint8_t rate = lpddr2_mr4_rate(mdeg_c);
    uint8_t value;

    switch (ma) {
    case 0:
        return 3 << 3;      /* DAI done, SDRAM, RZQI: ZQ self-test OK */
    case 4:
        /* TUF: the rate changed since the last MR4 read */
        value = rate | (rate != d->mr4_rate) << 7;
        d->mr4_rate = rate;
        return value;
    case 5:
        return id->manufacturer_id;
    case 6:
        return id->revision_id1;
    case 7:
        return id->revision_id2;
    case 8:
        return lpddr2_mr8(g);
    case 32:
        return 0xFF;        /* DQ calibration pattern A, first beat */
    default:
        return 0;           /* 40: pattern B, first beat */
    }
}

LPDDR2MRResult lpddr2_mrw(LPDDR2Die *d, const LPDDR2Geometry *g, uint8_t ma,
                          uint8_t op)
{
    uint8_t banks = lpddr2_mr16_banks(g);

    if (!lpddr2_mrw_op_legal(ma, op)) {
        return LPDDR2_MR_ERR_BAD_OP;
    }
    switch (ma) {
    case 1:
        d->mr1 = op;
        break;
    case 2:
        d->mr2 = op;
        break;
    case 3:
        d->mr3 = op;
        break;
    case 16:
        d->mr16 = op & banks;
        return op & ~banks ? LPDDR2_MR_ERR_ILLEGAL_BITS : LPDDR2_MR_OK;
    case 17:
        if (!lpddr2_has_mr17(g)) {
            return LPDDR2_MR_ERR_UNSUPPORTED;
        }
        d->mr17 = op;
        break;
    case 63:                            /* RESET: contents kept */
        lpddr2_die_reset(d);
        break;
    default:                            /* 9 test mode, 10 ZQ calibration */
        break;
    }
    return LPDDR2_MR_OK;
}

/* A 32-bit rank moves 4 bytes per beat. */
#define LPDDR2_BEAT_SHIFT   2

static uint32_t lpddr2_bank_bits(const LPDDR2Geometry *g)
{
    return ctz32(g->banks);
}

const char *lpddr2_layout(LPDDR2Layout *l, const LPDDR2Geometry *g,
                          uint32_t num_cs, LPDDR2BankPos map,
                          LPDDR2CSMode cs_mode, uint64_t granule)
{
    memset(l, 0, sizeof(*l));
    l->g = *g;
    l->num_cs = num_cs;
    l->map = map;
    l->cs_mode = cs_mode;
    l->rank_shift = ctz64(lpddr2_cs_bytes(g));
    if (cs_mode == LPDDR2_CS_LINEAR) {
        return NULL;
    }
    if (!is_power_of_2(num_cs)) {
        return "interleaved chip selects must be 1, 2 or 4";
    }
    if (!is_power_of_2(granule) || granule < 4096 ||
        granule > lpddr2_cs_bytes(g) / LPDDR2_SEGMENTS) {
        return "the interleave granule must be a power of two from 4 KiB "
               "to a segment of a chip select";
    }
    l->granule_shift = ctz64(granule);
    return NULL;
}

/* spec 2.3: chip-select decode; returns the rank offset */
static uint64_t lpddr2_dram_to_rank(const LPDDR2Layout *l, uint64_t off,
                                    uint32_t *cs)
{
    uint32_t n = ctz32(l->num_cs), g = l->granule_shift, d = l->rank_shift;
    uint64_t csmask = l->num_cs - 1;

    switch (l->cs_mode) {
    case LPDDR2_CS_SHIFT:
        *cs = (off >> g) & csmask;
        return ((off >> (g + n)) << g) | extract64(off, 0, g);
    case LPDDR2_CS_SWAP:
        *cs = (off >> g) & csmask;
        return (extract64(off, 0, d) & ~(csmask << g)) |
               ((off >> d) & csmask) << g;
    default:
        *cs = off >> d;
        return extract64(off, 0, d);
    }
}

uint64_t lpddr2_rank_to_dram(const LPDDR2Layout *l, uint32_t cs,
                             uint64_t rank_off)
{
    uint32_t n = ctz32(l->num_cs), g = l->granule_shift, d = l->rank_shift;
    uint64_t csmask = l->num_cs - 1;

    switch (l->cs_mode) {
    case LPDDR2_CS_SHIFT:
        return (rank_off >> g) << (g + n) | (uint64_t)cs << g |
               extract64(rank_off, 0, g);
    case LPDDR2_CS_SWAP:
        return (rank_off & ~(csmask << g)) | (uint64_t)cs << g |
               ((rank_off >> g) & csmask) << d;
    default:
        return (uint64_t)cs << d | rank_off;
    }
}

/* spec 2.3: RBC puts the bank below the row, BRC above it */
static uint32_t lpddr2_bank_lo(const LPDDR2Layout *l)
{
    const LPDDR2Geometry *g = &l->g;

    return LPDDR2_BEAT_SHIFT + g->col_bits +
           (l->map == LPDDR2_MAP_RBC ? 0 : g->row_bits);
}

static uint32_t lpddr2_row_lo(const LPDDR2Layout *l)
{
    const LPDDR2Geometry *g = &l->g;

    return LPDDR2_BEAT_SHIFT + g->col_bits +
           (l->map == LPDDR2_MAP_RBC ? lpddr2_bank_bits(g) : 0);
}

/* spec 2.2: a segment is the rows sharing the top three row bits */
static uint32_t lpddr2_segment_lo(const LPDDR2Layout *l)
{
    return lpddr2_row_lo(l) + l->g.row_bits - 3;
}

/* spec 2.3: the fields of byte @d of the rank of @cs */
static void lpddr2_decode_rank(const LPDDR2Layout *l, uint32_t cs,
                               uint64_t d, LPDDR2Addr *a)
{
    const LPDDR2Geometry *g = &l->g;

    a->cs = cs;
    a->byte = extract64(d, 0, LPDDR2_BEAT_SHIFT);
    a->col = extract64(d, LPDDR2_BEAT_SHIFT, g->col_bits);
    a->bank = extract64(d, lpddr2_bank_lo(l), lpddr2_bank_bits(g));
    a->row = extract64(d, lpddr2_row_lo(l), g->row_bits);
    a->segment = extract64(d, lpddr2_segment_lo(l), 3);
}

void lpddr2_decode(const LPDDR2Layout *l, uint64_t off, LPDDR2Addr *a)
{
    uint32_t cs;
    uint64_t d = lpddr2_dram_to_rank(l, off, &cs);

    lpddr2_decode_rank(l, cs, d, a);
}

uint64_t lpddr2_encode(const LPDDR2Layout *l, const LPDDR2Addr *a)
{
    uint64_t d = a->byte | (uint64_t)a->col << LPDDR2_BEAT_SHIFT |
                 (uint64_t)a->bank << lpddr2_bank_lo(l) |
                 (uint64_t)a->row << lpddr2_row_lo(l);

    return lpddr2_rank_to_dram(l, a->cs, d);
}

uint8_t lpddr2_mr16_banks(const LPDDR2Geometry *g)
{
    return MAKE_64BIT_MASK(0, g->banks);
}

/* spec 1.1: 4-bank parts use MR16 OP3:0 only */
static uint8_t lpddr2_bank_mask(const LPDDR2Geometry *g, uint8_t mr16)
{
    return mr16 & lpddr2_mr16_banks(g);
}

static uint8_t lpddr2_segment_mask(const LPDDR2Geometry *g, uint8_t mr17)
{
    return lpddr2_has_mr17(g) ? mr17 : 0;
}

/* spec 2.2: a cell is masked if either mask covers it */
static bool lpddr2_covered(uint8_t banks, uint8_t segments, uint32_t bank,
                           uint32_t segment)
{
    return (banks >> bank & 1) || (segments >> segment & 1);
}

bool lpddr2_masked(const LPDDR2Layout *l, const LPDDR2Addr *a,
                   uint8_t mr16, uint8_t mr17)
{
    return lpddr2_covered(lpddr2_bank_mask(&l->g, mr16),
                          lpddr2_segment_mask(&l->g, mr17), a->bank,
                          a->segment);
}

static gint lpddr2_run_cmp(gconstpointer a, gconstpointer b)
{
    const LPDDR2Run *x = a, *y = b;

    return x->off < y->off ? -1 : x->off > y->off;
}

static void lpddr2_add_run(GArray *runs, uint64_t off, uint64_t len)
{
    LPDDR2Run *last = runs->len ? &g_array_index(runs, LPDDR2Run,
                                                 runs->len - 1) : NULL;

    if (last && last->off + last->len == off) {
        last->len += len;
    } else {
        g_array_append_val(runs, ((LPDDR2Run) { off, len }));
    }
}

/*
 * Walk the rank in steps within which neither mask can change its answer:
 * a step ends at the lowest bit of a field that a mask in use looks at
 * (RBC bank masks: every row; segments: an eighth of the rank, or of a
 * bank under BRC) or, when the chip selects are interleaved, at the
 * granule. Map the masked steps to DRAM, coalescing as they come; only
 * cs-mode=swap maps a rank out of order, and then the runs are sorted
 * and coalesced once more.
 */
GArray *lpddr2_masked_runs(const LPDDR2Layout *l, uint32_t cs,
                           uint8_t mr16, uint8_t mr17)
{
    const LPDDR2Geometry *g = &l->g;
    uint8_t banks = lpddr2_bank_mask(g, mr16);
    uint8_t segments = lpddr2_segment_mask(g, mr17);
    uint32_t bank_lo = lpddr2_bank_lo(l), bank_bits = lpddr2_bank_bits(g);
    uint32_t segment_lo = lpddr2_segment_lo(l);
    uint32_t step_shift = l->rank_shift;
    GArray *runs = g_array_new(false, false, sizeof(LPDDR2Run));
    GArray *sorted;
    uint64_t last_end = 0;
    bool in_order = true;

    if (banks) {
        step_shift = MIN(step_shift, bank_lo);
    }
    if (segments) {
        step_shift = MIN(step_shift, segment_lo);
    }
    if (l->cs_mode != LPDDR2_CS_LINEAR && l->num_cs > 1) {
        step_shift = MIN(step_shift, l->granule_shift);
    }
    for (uint64_t d = 0; (banks || segments) && d < 1ull << l->rank_shift;
         d += 1ull << step_shift) {
        uint64_t off;

        if (!lpddr2_covered(banks, segments,
                            extract64(d, bank_lo, bank_bits),
                            extract64(d, segment_lo, 3))) {
            continue;
        }
        off = lpddr2_rank_to_dram(l, cs, d);
        in_order &= off >= last_end;
        last_end = off + (1ull << step_shift);
        lpddr2_add_run(runs, off, 1ull << step_shift);
    }
    if (in_order) {
        return runs;
    }
    g_array_sort(runs, lpddr2_run_cmp);
    sorted = g_array_new(false, false, sizeof(LPDDR2Run));
    for (guint i = 0; i < runs->len; i++) {
        LPDDR2Run *r = &g_array_index(runs, LPDDR2Run, i);

        lpddr2_add_run(sorted, r->off, r->len);
    }
    g_array_free(runs, true);
    return sorted;
}

uint32_t lpddr2_refreshed_q16(const LPDDR2Geometry *g, uint8_t mr16,
                              uint8_t mr17)
{
    uint32_t banks = g->banks - ctpop8(lpddr2_bank_mask(g, mr16));
    uint32_t segs = LPDDR2_SEGMENTS - ctpop8(lpddr2_segment_mask(g, mr17));

    return ((uint64_t)banks * segs << 16) / (g->banks * LPDDR2_SEGMENTS);
}

/* Piecewise-linear y(x) through (x0, y0) and (x1, y1) */
static int64_t lpddr2_interp(int64_t x, int64_t x0, int64_t y0, int64_t x1,
                             int64_t y1)
{
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

/*
 * A quantity of the power model through its 25, 45 and 85 C points,
 * constant below 25 C; above 85 C the 45-85 C slope goes on if
 * @rising_above_85c, else the 85 C value holds.
 */
static int64_t lpddr2_temp_curve(int32_t mdeg_c, int64_t at_25c,
                                 int64_t at_45c, int64_t at_85c,
                                 bool rising_above_85c)
{
    if (mdeg_c <= 25000) {
        return at_25c;
    } else if (mdeg_c <= 45000) {
        return lpddr2_interp(mdeg_c, 25000, at_25c, 45000, at_45c);
    } else if (mdeg_c <= 85000 || rising_above_85c) {
        return lpddr2_interp(mdeg_c, 45000, at_45c, 85000, at_85c);
    }
    return at_85c;
}

/* spec 3.4: IDD6 relative to 85 C, per mille */
static int64_t lpddr2_idd6_scale(const LPDDR2PowerModel *pm, int32_t mdeg_c)
{
    return lpddr2_temp_curve(mdeg_c, pm->idd6_scale_25c, pm->idd6_scale_45c,
                             1000, true);
}

/* spec 3.4: the PASR floor a(T), per mille */
static int64_t lpddr2_floor(const LPDDR2PowerModel *pm, int32_t mdeg_c)
{
    return lpddr2_temp_curve(mdeg_c, pm->floor_25c, pm->floor_45c,
                             pm->floor_85c, false);
}

uint64_t lpddr2_sr_power_nw(const LPDDR2PowerModel *pm,
                            const LPDDR2Geometry *g, int32_t mdeg_c,
                            uint32_t refreshed_q16)
{
    uint64_t scale = MAX(lpddr2_idd6_scale(pm, mdeg_c), 0);
    uint64_t a_q16 = (uint64_t)lpddr2_floor(pm, mdeg_c) * 65536 / 1000;
    uint64_t factor_q16 = a_q16 + (65536 - a_q16) * refreshed_q16 / 65536;
    /* µA x per mille = nA, scaled by density from 4 Gbit */
    uint64_t i1_na = (uint64_t)pm->idd6_vdd1_ua * scale * g->density_mbit /
                     4096;
    uint64_t i2_na = (uint64_t)pm->idd6_vdd2_ua * scale * g->density_mbit /
                     4096;
    /* mV x nA = pW */
    uint64_t full_pw = pm->vdd1_mv * i1_na + pm->vdd2_mv * i2_na;

    return full_pw * factor_q16 / 65536 / 1000;
}

/* nW x ns = 1e-18 J, in pJ; 128-bit so hours of residency stay exact */
static uint64_t lpddr2_energy_pj(uint64_t power_nw, uint64_t dt_ns)
{
    uint64_t lo, hi;

    mulu64(&lo, &hi, power_nw, dt_ns);
    divu128(&lo, &hi, 1000000);
    return lo;
}

LPDDR2Energy lpddr2_cs_sr_energy(const LPDDR2PowerModel *pm,
                                 const LPDDR2Geometry *g, int32_t mdeg_c,
                                 uint8_t mr16, uint8_t mr17,
                                 uint64_t dt_ns)
{
    uint32_t dies = lpddr2_devices_per_cs(g);
    uint64_t masked = lpddr2_sr_power_nw(pm, g, mdeg_c,
                                         lpddr2_refreshed_q16(g, mr16, mr17));
    uint64_t full = lpddr2_sr_power_nw(pm, g, mdeg_c, 1 << 16);

    return (LPDDR2Energy) {
        .masked_pj = lpddr2_energy_pj(masked * dies, dt_ns),
        .full_pj = lpddr2_energy_pj(full * dies, dt_ns),
    };
}
