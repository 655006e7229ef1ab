/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A controller for a RAM region, seen as 1-4 chip selects of JEDEC
 * LP-DDR2 dies (docs/specs/pasr-ddr.rst, "spec" below; its native
 * register map, section 5.2, is the guest interface). The controller is
 * not on the data path: guest RAM stays the RAM region the board gave it
 * through the "dram" link, and the controller describes it in LP-DDR2
 * terms (lpddr2.c does the arithmetic and answers for the dies).
 *
 * What makes it more than a register file: the PASR masks (MR16 banks,
 * MR17 segments) are latched into the dies when a chip select enters
 * self-refresh, and when it leaves, every masked cell really loses its
 * contents (pasr-ddr-sr.c). This file holds the register file (QEMU's
 * register API for the global registers, a window per chip select), the
 * mode-register command port, XLATE, QOM and migration.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/host-utils.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/core/qdev-prop-internal.h"
#include "migration/qemu-file-types.h"
#include "migration/vmstate.h"
#include "pasr-ddr-internal.h"
#include "trace.h"

QEMU_BUILD_BUG_ON(R_XLATE_RES1 >= PASR_DDR_R_MAX);

static PASRDDRState *pasr_ddr_of(RegisterInfo *reg)
{
    return PASR_DDR(reg->opaque);
}

/* --- interrupt ----------------------------------------------------------- */

static void pasr_ddr_update_irq(PASRDDRState *s)
{
    qemu_set_irq(s->irq, !!(s->regs[R_IRQ_RAW] & s->regs[R_IRQ_ENABLE]));
}

void pasr_ddr_raise(PASRDDRState *s, uint32_t bits)
{
    s->regs[R_IRQ_RAW] |= bits;
    pasr_ddr_update_irq(s);
}

bool pasr_ddr_cs_ok(PASRDDRState *s, unsigned i, const char *what)
{
    if (i < s->num_cs) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s: chip select %u is not "
                  "populated\n", what, i);
    return false;
}

/* --- mode-register command port (spec 1.2, 1.3, 5.2) --------------------- */

/* MR_STATUS.ERR_CODE for what a die answered */
static const uint8_t pasr_ddr_mr_err[] = {
    [LPDDR2_MR_OK] = MR_OK,
    [LPDDR2_MR_ERR_RO_WRITE] = MR_ERR_RO_WRITE,
    [LPDDR2_MR_ERR_WO_READ] = MR_ERR_WO_READ,
    [LPDDR2_MR_ERR_BAD_OP] = MR_ERR_BAD_OP,
    [LPDDR2_MR_ERR_ILLEGAL_BITS] = MR_ERR_ILLEGAL_BITS,
    [LPDDR2_MR_ERR_UNSUPPORTED] = MR_ERR_UNSUPPORTED_MR,
};

/* An MRR: every die of the rank answers on its own byte lane. */
static void pasr_ddr_mrr(PASRDDRState *s, PASRDDRChipSelect *cs, uint8_t ma)
{
    uint8_t v = lpddr2_mrr(&cs->die, &s->layout.g, &s->die_id,
                           s->temperature, ma);
    uint32_t rdata = FIELD_DP32(0, MR_RDATA, DIE0, v);

    if (lpddr2_devices_per_cs(&s->layout.g) > 1) {
        rdata = FIELD_DP32(rdata, MR_RDATA, DIE1, v);
    }
    s->regs[R_MR_RDATA] = FIELD_DP32(rdata, MR_RDATA, VALID, 1);
}

/* The command to one chip select of CS_MASK; returns an ERR_CODE. */
static unsigned pasr_ddr_mr_cs(PASRDDRState *s, unsigned i, bool write,
                               uint8_t ma, uint8_t op)
{
    PASRDDRChipSelect *cs = &s->cs[i];

    if (i >= s->num_cs) {
        return MR_ERR_CS_ABSENT;
    } else if (cs->state != PASR_CS_ACTIVE) {
        return MR_ERR_CS_ASLEEP;        /* CKE is low */
    } else if (write) {
        return pasr_ddr_mr_err[lpddr2_mrw(&cs->die, &s->layout.g, ma, op)];
    }
    pasr_ddr_mrr(s, cs, ma);
    return MR_OK;
}

/* One MRR or MRW to the chip selects of MR_CMD. */
static void pasr_ddr_mr_cmd(PASRDDRState *s, uint32_t cmd)
{
    unsigned mask = FIELD_EX32(cmd, MR_CMD, CS_MASK);
    uint8_t ma = FIELD_EX32(cmd, MR_CMD, MA), op = FIELD_EX32(cmd, MR_CMD, OP);
    bool write = FIELD_EX32(cmd, MR_CMD, WRITE);
    unsigned err = pasr_ddr_mr_err[lpddr2_mr_check(ma, write)];
    unsigned warning = MR_OK;
    uint32_t status = FIELD_DP32(0, MR_STATUS, DONE, 1);

    s->regs[R_MR_RDATA] = 0;
    if (!write && ctpop8(mask) != 1) {
        err = MR_ERR_MULTI_CS_MRR;
    }
    for (unsigned i = 0; i < PASR_DDR_MAX_CS && err == MR_OK; i++) {
        if (mask & (1 << i)) {
            err = pasr_ddr_mr_cs(s, i, write, ma, op);
        }
        if (err == MR_ERR_ILLEGAL_BITS) {       /* applied all the same */
            warning = err;
            err = MR_OK;
        }
    }
    err = err ? err : warning;
    trace_pasr_ddr_mr_cmd(write, mask, ma, op, s->regs[R_MR_RDATA], err);
    if (err) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s MR%u op 0x%02x to "
                      "chip selects 0x%x: error %u\n", write ? "MRW" : "MRR",
                      ma, op, mask, err);
        status = FIELD_DP32(status, MR_STATUS, ERR, 1);
        status = FIELD_DP32(status, MR_STATUS, ERR_CODE, err);
    }
    s->regs[R_MR_STATUS] = status;
    pasr_ddr_raise(s, R_IRQ_MR_DONE_MASK |
                   (err && FIELD_EX32(s->regs[R_CTRL], CTRL, STRICT) ?
                    R_IRQ_MR_ERR_MASK : 0));
}

/* --- chip-select registers (spec 5.2, 0x100 + 0x20 n) --------------------- */

/* CSn_MR16/MR17: one store from a PASR callback (spec 5.1) */
static void pasr_ddr_write_shadow(PASRDDRState *s, PASRDDRChipSelect *cs,
                                  bool mr17, uint32_t value)
{
    uint8_t mask = FIELD_EX32(value, CS_MR, MASK);
    uint8_t banks = lpddr2_mr16_banks(&s->layout.g);
    uint32_t *shadow = mr17 ? &cs->mr17_shadow : &cs->mr16_shadow;

    if (mr17 && !lpddr2_has_mr17(&s->layout.g)) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: CS%u_MR17: this die has "
                      "no segment mask; write ignored\n", cs->index);
        return;
    }
    if (!mr17 && (mask & ~banks)) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: CS%u_MR16 0x%02x: only "
                      "%u banks\n", cs->index, mask, s->layout.g.banks);
        mask &= banks;
    }
    *shadow = FIELD_DP32(mask, CS_MR, PENDING, 1);
    if (FIELD_EX32(s->regs[R_CTRL], CTRL, AUTO_MRW) &&
        cs->state == PASR_CS_ACTIVE) {
        *(mr17 ? &cs->die.mr17 : &cs->die.mr16) = mask;
        *shadow = mask;
    }
}

/* CSn_INFO: PRESENT, then MR8's codes and the array's shape */
static uint32_t pasr_ddr_cs_info(PASRDDRState *s)
{
    const LPDDR2Geometry *g = &s->layout.g;
    uint8_t mr8 = lpddr2_mr8(g);
    uint32_t v = FIELD_DP32(0, CS_INFO, PRESENT, 1);

    v = FIELD_DP32(v, CS_INFO, TYPE, FIELD_EX32(mr8, LPDDR2_MR8, TYPE));
    v = FIELD_DP32(v, CS_INFO, DENSITY,
                   FIELD_EX32(mr8, LPDDR2_MR8, DENSITY));
    v = FIELD_DP32(v, CS_INFO, IO_WIDTH,
                   FIELD_EX32(mr8, LPDDR2_MR8, IO_WIDTH));
    v = FIELD_DP32(v, CS_INFO, ROW_BITS, g->row_bits);
    v = FIELD_DP32(v, CS_INFO, COL_BITS, g->col_bits);
    return FIELD_DP32(v, CS_INFO, EIGHT_BANKS, g->banks == 8);
}

static uint32_t pasr_ddr_cs_read(PASRDDRState *s, unsigned i, hwaddr reg)
{
    PASRDDRChipSelect *cs = &s->cs[i];
    uint32_t v;

    if (i >= s->num_cs) {
        return 0;                       /* INFO.PRESENT = 0 */
    }
    switch (reg) {
    case A_CS_INFO:
        return pasr_ddr_cs_info(s);
    case A_CS_BASE_LO:
        return s->dram_base + (s->layout.cs_mode == LPDDR2_CS_LINEAR ?
                               (uint64_t)i << s->layout.rank_shift : 0);
    case A_CS_SIZE_MB:
        return lpddr2_cs_bytes(&s->layout.g) / MiB;
    case A_CS_MR16:
        return cs->mr16_shadow;
    case A_CS_MR17:
        return cs->mr17_shadow;
    case A_CS_MR_APPLIED:
        v = FIELD_DP32(0, CS_MR_APPLIED, MR16, cs->die.mr16);
        return FIELD_DP32(v, CS_MR_APPLIED, MR17, cs->die.mr17);
    case A_CS_STATE:
        v = FIELD_DP32(0, CS_STATE, STATE, cs->state);
        return FIELD_DP32(v, CS_STATE, DATA_LOST, cs->data_lost);
    default:
        return lpddr2_refreshed_q16(&s->layout.g, cs->die.mr16,
                                    cs->die.mr17);
    }
}

static void pasr_ddr_cs_write(PASRDDRState *s, unsigned i, hwaddr reg,
                              uint32_t value)
{
    PASRDDRChipSelect *cs = &s->cs[i];

    if (!pasr_ddr_cs_ok(s, i, "register write")) {
        return;
    }
    switch (reg) {
    case A_CS_MR16:
    case A_CS_MR17:
        pasr_ddr_write_shadow(s, cs, reg == A_CS_MR17, value);
        break;
    case A_CS_STATE:
        if (FIELD_EX32(value, CS_STATE, DATA_LOST)) {
            cs->data_lost = false;
        }
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: CS%u register 0x%02"
                      HWADDR_PRIx " is read-only\n", i, reg);
        break;
    }
}

static uint64_t pasr_ddr_cs_mmio_read(void *opaque, hwaddr offset,
                                      unsigned size)
{
    uint32_t value = pasr_ddr_cs_read(opaque, offset / CS_STRIDE,
                                      offset % CS_STRIDE);

    trace_pasr_ddr_read(A_CS_BASE + offset, value);
    return value;
}

static void pasr_ddr_cs_mmio_write(void *opaque, hwaddr offset,
                                   uint64_t value, unsigned size)
{
    trace_pasr_ddr_write(A_CS_BASE + offset, value);
    pasr_ddr_cs_write(opaque, offset / CS_STRIDE, offset % CS_STRIDE, value);
}

/* spec 5.1: 32-bit accesses only */
static const MemoryRegionOps pasr_ddr_cs_ops = {
    .read = pasr_ddr_cs_mmio_read,
    .write = pasr_ddr_cs_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* --- global registers (spec 5.2, 0x000-0x0EF) ----------------------------- */

static uint64_t pasr_ddr_ro_write(RegisterInfo *reg, uint64_t val)
{
    qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s is read-only\n",
                  reg->access->name);
    return val;
}

static uint64_t pasr_ddr_caps_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    val = FIELD_DP32(R_CAPS_XLATE_MASK | R_CAPS_ENERGY_MASK |
                     R_CAPS_SUSPEND_MASK | R_CAPS_MRW_BROADCAST_MASK |
                     R_CAPS_APPLY_ON_SR_MASK, CAPS, NUM_CS, s->num_cs);
    return FIELD_DP32(val, CAPS, SR_TRAP, s->trap_possible);
}

static uint64_t pasr_ddr_map_cfg_read(RegisterInfo *reg, uint64_t val)
{
    const LPDDR2Layout *l = &pasr_ddr_of(reg)->layout;

    val = FIELD_DP32(0, MAP_CFG, BANK_POS, l->map);
    val = FIELD_DP32(val, MAP_CFG, CS_MODE, l->cs_mode);
    val = FIELD_DP32(val, MAP_CFG, GRANULE, l->granule_shift);
    return FIELD_DP32(val, MAP_CFG, DEVICES,
                      lpddr2_devices_per_cs(&l->g) - 1);
}

/* Reading the LO half of a 64-bit value latches its HI half. */
static uint32_t pasr_ddr_lo(PASRDDRState *s, uint64_t v)
{
    s->latched_hi = v >> 32;
    return v;
}

static uint64_t pasr_ddr_hi_read(RegisterInfo *reg, uint64_t val)
{
    return pasr_ddr_of(reg)->latched_hi;
}

static uint64_t pasr_ddr_dram_base_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    return pasr_ddr_lo(s, s->dram_base);
}

static uint64_t pasr_ddr_dram_size_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    return pasr_ddr_lo(s, s->dram_size);
}

static uint64_t pasr_ddr_e_sr_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    pasr_ddr_account(s);
    return pasr_ddr_lo(s, s->energy_sr_pj / 1000000);
}

static uint64_t pasr_ddr_e_sr_full_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    pasr_ddr_account(s);
    return pasr_ddr_lo(s, s->energy_full_pj / 1000000);
}

static uint64_t pasr_ddr_t_sr_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    pasr_ddr_account(s);
    return pasr_ddr_lo(s, s->sr_time_ns / 1000);
}

static uint64_t pasr_ddr_sr_count_read(RegisterInfo *reg, uint64_t val)
{
    return pasr_ddr_of(reg)->sr_count;
}

static uint64_t pasr_ddr_loss_count_read(RegisterInfo *reg, uint64_t val)
{
    return pasr_ddr_of(reg)->loss_count;
}

static uint64_t pasr_ddr_temperature_read(RegisterInfo *reg, uint64_t val)
{
    return (uint32_t)pasr_ddr_of(reg)->temperature;
}

static void pasr_ddr_ctrl_write(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    if (FIELD_EX32(val, CTRL, SR_TRAP_EN) && !s->trap_possible) {
        qemu_log_mask(LOG_UNIMP, "pasr-ddr: the access trap needs "
                      "cs-mode=linear (CAPS.SR_TRAP = 0)\n");
    }
    pasr_ddr_update_traps(s);
}

static void pasr_ddr_temp_poll_arm(PASRDDRState *s)
{
    uint32_t ms = FIELD_EX32(s->regs[R_TEMP_POLL], TEMP_POLL, PERIOD_MS);

    if (ms) {
        timer_mod(s->temp_timer, pasr_ddr_now() + ms * SCALE_MS);
    } else {
        timer_del(s->temp_timer);
    }
}

static void pasr_ddr_temp_poll_write(RegisterInfo *reg, uint64_t val)
{
    pasr_ddr_temp_poll_arm(pasr_ddr_of(reg));
}

/* The controller's MR4 poll: TUF seen (and cleared) raises TEMP_CHANGE. */
static void pasr_ddr_temp_poll(void *opaque)
{
    PASRDDRState *s = opaque;
    bool tuf = false;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];

        if (cs->state == PASR_CS_ACTIVE) {
            tuf |= lpddr2_mrr(&cs->die, &s->layout.g, &s->die_id,
                              s->temperature, 4) >> 7;
        }
    }
    if (tuf && FIELD_EX32(s->regs[R_TEMP_POLL], TEMP_POLL, IRQ_ON_TUF)) {
        pasr_ddr_raise(s, R_IRQ_TEMP_CHANGE_MASK);
    }
    pasr_ddr_temp_poll_arm(s);
}

/* MR_CMD: GO runs the command at once, so it always reads 0 */
static uint64_t pasr_ddr_mr_cmd_write(RegisterInfo *reg, uint64_t val)
{
    if (FIELD_EX32(val, MR_CMD, GO)) {
        pasr_ddr_mr_cmd(pasr_ddr_of(reg), val);
    }
    return 0;
}

/* Clearing ERR clears its code. */
static uint64_t pasr_ddr_mr_status_write(RegisterInfo *reg, uint64_t val)
{
    if (!FIELD_EX32(val, MR_STATUS, ERR)) {
        val = FIELD_DP32(val, MR_STATUS, ERR_CODE, 0);
    }
    return val;
}

/* PM_CTRL keeps its CS_MASK; the action bits act and are gone. */
static uint64_t pasr_ddr_pm_ctrl_write(RegisterInfo *reg, uint64_t val)
{
    pasr_ddr_pm_ctrl(pasr_ddr_of(reg), val);
    return FIELD_EX32(val, PM_CTRL, CS_MASK);
}

static uint64_t pasr_ddr_pm_status_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);
    uint32_t in_sr = 0, in_dpd = 0;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        in_sr |= pasr_ddr_in_sr(&s->cs[i]) << i;
        in_dpd |= (s->cs[i].state == PASR_CS_DEEP_POWER_DOWN) << i;
    }
    val = FIELD_DP32(0, PM_STATUS, IN_SR, in_sr);
    val = FIELD_DP32(val, PM_STATUS, IN_DPD, in_dpd);
    val = FIELD_DP32(val, PM_STATUS, READY, 1);
    return FIELD_DP32(val, PM_STATUS, EXIT_CAUSE, s->exit_cause);
}

/* IRQ_RAW is write-1-to-set, for tests. */
static uint64_t pasr_ddr_irq_raw_write(RegisterInfo *reg, uint64_t val)
{
    return pasr_ddr_of(reg)->regs[R_IRQ_RAW] | val;
}

static void pasr_ddr_irq_write(RegisterInfo *reg, uint64_t val)
{
    pasr_ddr_update_irq(pasr_ddr_of(reg));
}

/* IRQ_STATUS is RAW & ENABLE; writing 1 clears the RAW bit. */
static uint64_t pasr_ddr_irq_status_write(RegisterInfo *reg, uint64_t val)
{
    pasr_ddr_of(reg)->regs[R_IRQ_RAW] &= ~val;
    return 0;
}

static uint64_t pasr_ddr_irq_status_read(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);

    return s->regs[R_IRQ_RAW] & s->regs[R_IRQ_ENABLE];
}

/* spec 5.2: XLATE_ADDR_HI runs the decode of the physical address */
static void pasr_ddr_xlate(RegisterInfo *reg, uint64_t val)
{
    PASRDDRState *s = pasr_ddr_of(reg);
    uint64_t pa = deposit64(s->regs[R_XLATE_ADDR_LO], 32, 32,
                            s->regs[R_XLATE_ADDR_HI]);
    const PASRDDRChipSelect *cs;
    uint32_t res0, res1;
    LPDDR2Addr a;

    s->regs[R_XLATE_RES0] = s->regs[R_XLATE_RES1] = 0;
    if (pa < s->dram_base || pa - s->dram_base >= s->dram_size) {
        return;                         /* VALID = 0 */
    }
    lpddr2_decode(&s->layout, pa - s->dram_base, &a);
    cs = &s->cs[a.cs];
    res0 = FIELD_DP32(0, XLATE_RES0, CS, a.cs);
    res0 = FIELD_DP32(res0, XLATE_RES0, BANK, a.bank);
    res0 = FIELD_DP32(res0, XLATE_RES0, SEGMENT, a.segment);
    res0 = FIELD_DP32(res0, XLATE_RES0, MASKED_MR16,
                      lpddr2_masked(&s->layout, &a, cs->die.mr16, 0));
    res0 = FIELD_DP32(res0, XLATE_RES0, MASKED_MR17,
                      lpddr2_masked(&s->layout, &a, 0, cs->die.mr17));
    s->regs[R_XLATE_RES0] = FIELD_DP32(res0, XLATE_RES0, VALID, 1);
    res1 = FIELD_DP32(0, XLATE_RES1, ROW, a.row);
    s->regs[R_XLATE_RES1] = FIELD_DP32(res1, XLATE_RES1, COL, a.col);
}

#define PASR_DDR_RO(reg, read)                                              \
    { .name = #reg, .addr = A_##reg, .ro = ~0, .pre_write = pasr_ddr_ro_write, \
      .post_read = (read) }

static const RegisterAccessInfo pasr_ddr_regs_info[] = {
    { .name = "ID", .addr = A_ID, .ro = ~0, .reset = PASR_DDR_ID,
      .pre_write = pasr_ddr_ro_write },
    { .name = "VERSION", .addr = A_VERSION, .ro = ~0,
      .reset = 1 << R_VERSION_MAJOR_SHIFT, .pre_write = pasr_ddr_ro_write },
    PASR_DDR_RO(CAPS, pasr_ddr_caps_read),
    PASR_DDR_RO(MAP_CFG, pasr_ddr_map_cfg_read),
    PASR_DDR_RO(DRAM_BASE_LO, pasr_ddr_dram_base_read),
    PASR_DDR_RO(DRAM_BASE_HI, pasr_ddr_hi_read),
    PASR_DDR_RO(DRAM_SIZE_LO, pasr_ddr_dram_size_read),
    PASR_DDR_RO(DRAM_SIZE_HI, pasr_ddr_hi_read),
    { .name = "CTRL", .addr = A_CTRL, .reset = R_CTRL_APPLY_ON_SR_MASK,
      .rsvd = ~(R_CTRL_APPLY_ON_SR_MASK | R_CTRL_AUTO_MRW_MASK |
                R_CTRL_STRICT_MASK | R_CTRL_SR_TRAP_EN_MASK |
                R_CTRL_SR_TRAP_ACTION_MASK),
      .post_write = pasr_ddr_ctrl_write },
    { .name = "TEMP_POLL", .addr = A_TEMP_POLL,
      .rsvd = ~(R_TEMP_POLL_PERIOD_MS_MASK | R_TEMP_POLL_IRQ_ON_TUF_MASK),
      .post_write = pasr_ddr_temp_poll_write },
    PASR_DDR_RO(TEMPERATURE, pasr_ddr_temperature_read),
    { .name = "MR_CMD", .addr = A_MR_CMD,
      .pre_write = pasr_ddr_mr_cmd_write },
    { .name = "MR_STATUS", .addr = A_MR_STATUS,
      .w1c = R_MR_STATUS_DONE_MASK | R_MR_STATUS_ERR_MASK,
      .ro = ~(R_MR_STATUS_DONE_MASK | R_MR_STATUS_ERR_MASK),
      .pre_write = pasr_ddr_mr_status_write },
    PASR_DDR_RO(MR_RDATA, NULL),
    { .name = "PM_CTRL", .addr = A_PM_CTRL,
      .pre_write = pasr_ddr_pm_ctrl_write },
    PASR_DDR_RO(PM_STATUS, pasr_ddr_pm_status_read),
    { .name = "SR_PULSE_US", .addr = A_SR_PULSE_US },
    { .name = "WAKE_TIMER_MS", .addr = A_WAKE_TIMER_MS },
    { .name = "IRQ_RAW", .addr = A_IRQ_RAW, .rsvd = ~PASR_DDR_IRQ_ALL,
      .pre_write = pasr_ddr_irq_raw_write,
      .post_write = pasr_ddr_irq_write },
    { .name = "IRQ_STATUS", .addr = A_IRQ_STATUS,
      .pre_write = pasr_ddr_irq_status_write,
      .post_write = pasr_ddr_irq_write,
      .post_read = pasr_ddr_irq_status_read },
    { .name = "IRQ_ENABLE", .addr = A_IRQ_ENABLE,
      .rsvd = ~PASR_DDR_IRQ_ALL, .post_write = pasr_ddr_irq_write },
    PASR_DDR_RO(E_SR_UJ_LO, pasr_ddr_e_sr_read),
    PASR_DDR_RO(E_SR_UJ_HI, pasr_ddr_hi_read),
    PASR_DDR_RO(E_SR_FULL_UJ_LO, pasr_ddr_e_sr_full_read),
    PASR_DDR_RO(E_SR_FULL_UJ_HI, pasr_ddr_hi_read),
    PASR_DDR_RO(T_SR_US_LO, pasr_ddr_t_sr_read),
    PASR_DDR_RO(T_SR_US_HI, pasr_ddr_hi_read),
    PASR_DDR_RO(SR_COUNT, pasr_ddr_sr_count_read),
    PASR_DDR_RO(LOSS_COUNT, pasr_ddr_loss_count_read),
    { .name = "XLATE_ADDR_LO", .addr = A_XLATE_ADDR_LO },
    { .name = "XLATE_ADDR_HI", .addr = A_XLATE_ADDR_HI,
      .post_write = pasr_ddr_xlate },
    PASR_DDR_RO(XLATE_RES0, NULL),
    PASR_DDR_RO(XLATE_RES1, NULL),
};

static uint64_t pasr_ddr_reg_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t value = register_read_memory(opaque, offset, size);

    trace_pasr_ddr_read(offset, value);
    return value;
}

static void pasr_ddr_reg_write(void *opaque, hwaddr offset, uint64_t value,
                               unsigned size)
{
    trace_pasr_ddr_write(offset, value);
    register_write_memory(opaque, offset, value, size);
}

/* spec 5.1: 32-bit accesses only */
static const MemoryRegionOps pasr_ddr_reg_ops = {
    .read = pasr_ddr_reg_read,
    .write = pasr_ddr_reg_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* --- QOM ------------------------------------------------------------------ */

static void pasr_ddr_get_temperature(Object *obj, Visitor *v,
                                     const char *name, void *opaque,
                                     Error **errp)
{
    visit_type_int32(v, name, &PASR_DDR(obj)->temperature, errp);
}

/* Energy so far is accounted at the old temperature. */
static void pasr_ddr_set_temperature(Object *obj, Visitor *v,
                                     const char *name, void *opaque,
                                     Error **errp)
{
    PASRDDRState *s = PASR_DDR(obj);
    int32_t value;

    if (!visit_type_int32(v, name, &value, errp)) {
        return;
    }
    if (value < -40000 || value > 150000) {
        error_setg(errp, "temperature must be -40000..150000 m°C");
        return;
    }
    if (DEVICE(obj)->realized) {
        pasr_ddr_account(s);
    }
    s->temperature = value;
}

/* Read-only statistics: a counter of the state in the property's unit */
typedef struct PASRDDRStat {
    const char *name;
    const char *desc;
    size_t offset;              /* of a uint64_t in PASRDDRState */
    uint32_t divisor;
} PASRDDRStat;

static const PASRDDRStat pasr_ddr_stats[] = {
    { "energy-sr-uj", "self-refresh energy so far, µJ",
      offsetof(PASRDDRState, energy_sr_pj), 1000000 },
    { "energy-sr-full-uj", "the same residency without PASR masks, µJ",
      offsetof(PASRDDRState, energy_full_pj), 1000000 },
    { "sr-time-us", "time with a chip select in self-refresh, µs",
      offsetof(PASRDDRState, sr_time_ns), 1000 },
    { "sr-count", "self-refresh entries",
      offsetof(PASRDDRState, sr_count), 1 },
    { "loss-count", "self-refresh exits that destroyed data",
      offsetof(PASRDDRState, loss_count), 1 },
    { "exits-by-access", "self-refresh exits forced by an access trap",
      offsetof(PASRDDRState, exits_by_access), 1 },
    { "lost-reads", "check-lost: reads of lost bytes not written since "
      "(accesses, not bytes)", offsetof(PASRDDRState, lost_reads), 1 },
};

static void pasr_ddr_get_stat(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    PASRDDRState *s = PASR_DDR(obj);
    const PASRDDRStat *stat = opaque;
    uint64_t value;

    pasr_ddr_account(s);
    value = *(uint64_t *)((char *)s + stat->offset) / stat->divisor;
    visit_type_uint64(v, name, &value, errp);
}

/* csN-refreshed-q16: the opaque is N */
static void pasr_ddr_get_refreshed(Object *obj, Visitor *v, const char *name,
                                   void *opaque, Error **errp)
{
    PASRDDRState *s = PASR_DDR(obj);
    unsigned i = (uintptr_t)opaque;
    uint64_t value = 0;

    if (i < s->num_cs) {
        value = lpddr2_refreshed_q16(&s->layout.g, s->cs[i].die.mr16,
                                     s->cs[i].die.mr17);
    }
    visit_type_uint64(v, name, &value, errp);
}

/*
 * Enum properties: QEMU's enum property type on a QEnumLookup. A bad value
 * is one error line that lists the choices.
 */
static void pasr_ddr_set_enum(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    const Property *prop = opaque;
    const QEnumLookup *lookup = prop->info->enum_table;
    g_autofree char *value = NULL;
    g_autofree char *choices = NULL;
    int i;

    if (!visit_type_str(v, name, &value, errp)) {
        return;
    }
    i = qapi_enum_parse(lookup, value, -1, NULL);
    if (i >= 0) {
        *(int *)object_field_prop_ptr(obj, prop) = i;
        return;
    }
    choices = g_strjoinv(", ", (char **)lookup->array);
    error_setg(errp, "%s (%s): '%s' is not one of the choices", name,
               choices, value);
}

#define PASR_DDR_ENUM_PROP(_info, _type, _desc, _lookup)                    \
    static const PropertyInfo _info = {                                     \
        .type = _type,                                                      \
        .description = _desc,                                               \
        .enum_table = &_lookup,                                             \
        .get = qdev_propinfo_get_enum,                                      \
        .set = pasr_ddr_set_enum,                                           \
        .set_default_value = qdev_propinfo_set_default_value_enum,          \
    }

static const QEnumLookup pasr_ddr_type_lookup = {
    .array = (const char *const[]) {
        [LPDDR2_S4] = "s4", [LPDDR2_S2] = "s2", NULL,
    },
    .size = 2,
};
PASR_DDR_ENUM_PROP(pasr_ddr_prop_type, "PASRDDRType",
                   "s4/s2", pasr_ddr_type_lookup);

static const QEnumLookup pasr_ddr_map_lookup = {
    .array = (const char *const[]) {
        [LPDDR2_MAP_RBC] = "rbc", [LPDDR2_MAP_BRC] = "brc", NULL,
    },
    .size = 2,
};
PASR_DDR_ENUM_PROP(pasr_ddr_prop_map, "PASRDDRMap",
                   "rbc/brc", pasr_ddr_map_lookup);

static const QEnumLookup pasr_ddr_cs_mode_lookup = {
    .array = (const char *const[]) {
        [LPDDR2_CS_LINEAR] = "linear", [LPDDR2_CS_SHIFT] = "shift",
        [LPDDR2_CS_SWAP] = "swap", NULL,
    },
    .size = 3,
};
PASR_DDR_ENUM_PROP(pasr_ddr_prop_cs_mode, "PASRDDRCSMode",
                   "linear/shift/swap", pasr_ddr_cs_mode_lookup);

static const QEnumLookup pasr_ddr_poison_lookup = {
    .array = (const char *const[]) {
        [PASR_POISON_PATTERN] = "pattern", [PASR_POISON_ZERO] = "zero",
        [PASR_POISON_RANDOM] = "random", [PASR_POISON_NONE] = "none", NULL,
    },
    .size = PASR_POISON__MAX,
};
PASR_DDR_ENUM_PROP(pasr_ddr_prop_poison, "PASRDDRPoison",
                   "pattern/zero/random/none", pasr_ddr_poison_lookup);

/* The geometry from the properties; it must describe exactly the RAM. */
static bool pasr_ddr_setup_layout(PASRDDRState *s, Error **errp)
{
    LPDDR2Geometry g;
    const char *why;
    uint64_t total;

    if (s->num_cs < 1 || s->num_cs > PASR_DDR_MAX_CS) {
        error_setg(errp, "cs must be 1..%d, not %u", PASR_DDR_MAX_CS,
                   s->num_cs);
        return false;
    }
    why = lpddr2_geometry(s->type, s->density_mbit, s->io_width, &g);
    if (why) {
        error_setg(errp, "density-mbit=%u io-width=%u lpddr2-type=%s: %s",
                   s->density_mbit, s->io_width,
                   qapi_enum_lookup(&pasr_ddr_type_lookup, s->type), why);
        return false;
    }
    why = lpddr2_layout(&s->layout, &g, s->num_cs, s->map, s->cs_mode,
                        s->interleave_granule);
    if (why) {
        error_setg(errp, "cs=%u cs-mode=%s interleave-granule=%" PRIu64
                   ": %s", s->num_cs,
                   qapi_enum_lookup(&pasr_ddr_cs_mode_lookup, s->cs_mode),
                   s->interleave_granule, why);
        return false;
    }
    /* spec 6.5: the geometry must describe exactly the RAM it controls */
    total = lpddr2_cs_bytes(&g) * s->num_cs;
    if (total != s->dram_size) {
        error_setg(errp, "%u chip select(s) of %u Mbit x%u make %" PRIu64
                   " MiB, but the RAM is %" PRIu64 " MiB",
                   s->num_cs, s->density_mbit, s->io_width, total / MiB,
                   s->dram_size / MiB);
        return false;
    }
    return true;
}

static void pasr_ddr_realize(DeviceState *dev, Error **errp)
{
    PASRDDRState *s = PASR_DDR(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (!s->dram) {
        error_setg(errp, "pasr-ddr 'dram' link not set");
        return;
    }
    s->dram_base = s->dram->addr;
    s->dram_size = memory_region_size(s->dram);
    if (!pasr_ddr_setup_layout(s, errp)) {
        return;
    }
    /* guest-physical addresses in dram_as reach the RAM only */
    memory_region_init(&s->dram_view, OBJECT(s), "pasr-ddr-dram-view",
                       UINT64_MAX);
    memory_region_init_alias(&s->dram_alias, OBJECT(s), "pasr-ddr-dram",
                             s->dram, 0, s->dram_size);
    memory_region_add_subregion(&s->dram_view, s->dram_base, &s->dram_alias);
    address_space_init(&s->dram_as, &s->dram_view, "pasr-ddr-dram");

    memory_region_init(&s->iomem, OBJECT(s), TYPE_PASR_DDR,
                       PASR_DDR_MMIO_SIZE);
    s->reg_array = register_init_block32(dev, pasr_ddr_regs_info,
                                         ARRAY_SIZE(pasr_ddr_regs_info),
                                         s->regs_info, s->regs,
                                         &pasr_ddr_reg_ops, false,
                                         PASR_DDR_MMIO_SIZE);
    memory_region_add_subregion(&s->iomem, 0, &s->reg_array->mem);
    memory_region_init_io(&s->cs_iomem, OBJECT(s), &pasr_ddr_cs_ops, s,
                          "pasr-ddr-cs", PASR_DDR_MAX_CS * CS_STRIDE);
    memory_region_add_subregion_overlap(&s->iomem, A_CS_BASE, &s->cs_iomem,
                                        1);
    sysbus_init_mmio(sbd, &s->iomem);
    pasr_ddr_sr_realize(s);
    pasr_ddr_lost_realize(s);
    sysbus_init_mmio(sbd, &s->trap_window);
    sysbus_init_irq(sbd, &s->irq);
    s->temp_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pasr_ddr_temp_poll, s);
}

/*
 * Controller registers and die mode registers return to their defaults,
 * every chip select is active. The host-side counters (energy, residency,
 * entries, losses) keep counting across guest resets.
 */
static void pasr_ddr_reset_hold(Object *obj, ResetType type)
{
    PASRDDRState *s = PASR_DDR(obj);

    s->latched_hi = 0;
    pasr_ddr_sr_reset(s);
    pasr_ddr_lost_reset(s);
    for (unsigned i = 0; i < ARRAY_SIZE(s->regs_info); i++) {
        register_reset(&s->regs_info[i]);
    }
    pasr_ddr_update_irq(s);
}

static int pasr_ddr_post_load(void *opaque, int version_id)
{
    pasr_ddr_update_traps(opaque);
    pasr_ddr_lost_post_load(opaque);
    pasr_ddr_sr_post_load(opaque, version_id);
    return 0;
}

/*
 * Migration. The dies' mode registers moved into an LPDDR2Die and the
 * global registers into the register API's array; they are migrated under
 * the names and in the order they had as plain fields, so the stream and
 * its description are those of version 1.
 */
#define VMSTATE_PASR_DDR_DIE(_name, _field) {                               \
    .name = (_name),                                                        \
    .size = sizeof(uint8_t),                                                \
    .info = &vmstate_info_uint8,                                            \
    .flags = VMS_SINGLE,                                                    \
    .offset = vmstate_offset_value(PASRDDRChipSelect, die._field, uint8_t), \
}

#define VMSTATE_PASR_DDR_REG(_name, _reg) {                                 \
    .name = (_name),                                                        \
    .size = sizeof(uint32_t),                                               \
    .info = &vmstate_info_uint32,                                           \
    .flags = VMS_SINGLE,                                                    \
    .offset = vmstate_offset_value(PASRDDRState, regs[_reg], uint32_t),    \
}

/* XLATE_ADDR_LO/HI travel as the 64-bit xlate_addr they used to be. */
static int pasr_ddr_get_xlate_addr(QEMUFile *f, void *pv, size_t size,
                                   const VMStateField *field)
{
    uint32_t *lo_hi = pv;
    uint64_t v = qemu_get_be64(f);

    lo_hi[0] = v;
    lo_hi[1] = v >> 32;
    return 0;
}

static int pasr_ddr_put_xlate_addr(QEMUFile *f, void *pv, size_t size,
                                   const VMStateField *field,
                                   JSONWriter *vmdesc)
{
    uint32_t *lo_hi = pv;

    qemu_put_be64(f, deposit64(lo_hi[0], 32, 32, lo_hi[1]));
    return 0;
}

static const VMStateInfo pasr_ddr_vmstate_xlate_addr = {
    .name = "uint64",
    .get = pasr_ddr_get_xlate_addr,
    .put = pasr_ddr_put_xlate_addr,
};

QEMU_BUILD_BUG_ON(R_XLATE_ADDR_HI != R_XLATE_ADDR_LO + 1);

static const VMStateDescription vmstate_pasr_ddr_cs = {
    .name = "pasr-ddr/cs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(state, PASRDDRChipSelect),
        VMSTATE_BOOL(data_lost, PASRDDRChipSelect),
        VMSTATE_UINT32(mr16_shadow, PASRDDRChipSelect),
        VMSTATE_UINT32(mr17_shadow, PASRDDRChipSelect),
        VMSTATE_PASR_DDR_DIE("mr16", mr16),
        VMSTATE_PASR_DDR_DIE("mr17", mr17),
        VMSTATE_PASR_DDR_DIE("mr1", mr1),
        VMSTATE_PASR_DDR_DIE("mr2", mr2),
        VMSTATE_PASR_DDR_DIE("mr3", mr3),
        VMSTATE_PASR_DDR_DIE("mr4_rate", mr4_rate),
        VMSTATE_INT64(sr_entry_ns, PASRDDRChipSelect),
        VMSTATE_INT64(sr_start_ns, PASRDDRChipSelect),
        VMSTATE_UINT32(sr_source, PASRDDRChipSelect),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * A suspend's wake timer runs on the host's realtime clock (spec 6.3), so
 * its deadline means nothing to another process: what is left of it
 * travels, sent only while the timer is pending (spec 6.5).
 */
static int pasr_ddr_get_wake(QEMUFile *f, void *pv, size_t size,
                             const VMStateField *field)
{
    uint64_t left_ns = qemu_get_be64(f);

    timer_mod_ns(pv, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                 MIN(left_ns, INT64_MAX / 2));
    return 0;
}

static int pasr_ddr_put_wake(QEMUFile *f, void *pv, size_t size,
                             const VMStateField *field, JSONWriter *vmdesc)
{
    int64_t left_ns = timer_expire_time_ns(pv) -
                      qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    qemu_put_be64(f, MAX(left_ns, 0));
    return 0;
}

static const VMStateInfo pasr_ddr_vmstate_wake = {
    .name = "pasr-ddr-wake-left-ns",
    .get = pasr_ddr_get_wake,
    .put = pasr_ddr_put_wake,
};

static bool pasr_ddr_wake_needed(void *opaque)
{
    PASRDDRState *s = opaque;

    return timer_pending(s->wake_timer);
}

static const VMStateDescription vmstate_pasr_ddr_wake = {
    .name = TYPE_PASR_DDR "/wake-timer",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = pasr_ddr_wake_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_POINTER(wake_timer, PASRDDRState, 0, pasr_ddr_vmstate_wake,
                        QEMUTimer *),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * Version 2 adds the subsection of check-lost (its lost map and
 * lost-reads), sent only when the sanitizer has something to carry;
 * version 3 the wake timer's, sent only during a suspend.
 */
static const VMStateDescription vmstate_pasr_ddr = {
    .name = TYPE_PASR_DDR,
    .version_id = 3,
    .minimum_version_id = 1,
    .post_load = pasr_ddr_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PASR_DDR_REG("ctrl", R_CTRL),
        VMSTATE_PASR_DDR_REG("temp_poll", R_TEMP_POLL),
        VMSTATE_PASR_DDR_REG("mr_status", R_MR_STATUS),
        VMSTATE_PASR_DDR_REG("mr_rdata", R_MR_RDATA),
        VMSTATE_PASR_DDR_REG("pm_ctrl", R_PM_CTRL),
        VMSTATE_UINT32(exit_cause, PASRDDRState),
        VMSTATE_PASR_DDR_REG("sr_pulse_us", R_SR_PULSE_US),
        VMSTATE_PASR_DDR_REG("wake_timer_ms", R_WAKE_TIMER_MS),
        VMSTATE_PASR_DDR_REG("irq_raw", R_IRQ_RAW),
        VMSTATE_PASR_DDR_REG("irq_enable", R_IRQ_ENABLE),
        {
            .name = "xlate_addr",
            .size = sizeof(uint64_t),
            .info = &pasr_ddr_vmstate_xlate_addr,
            .flags = VMS_SINGLE,
            .offset = offsetof(PASRDDRState, regs[R_XLATE_ADDR_LO]),
        },
        VMSTATE_PASR_DDR_REG("xlate_res0", R_XLATE_RES0),
        VMSTATE_PASR_DDR_REG("xlate_res1", R_XLATE_RES1),
        VMSTATE_UINT32(latched_hi, PASRDDRState),
        VMSTATE_STRUCT_ARRAY(cs, PASRDDRState, PASR_DDR_MAX_CS, 1,
                             vmstate_pasr_ddr_cs, PASRDDRChipSelect),
        VMSTATE_UINT64(energy_sr_pj, PASRDDRState),
        VMSTATE_UINT64(energy_full_pj, PASRDDRState),
        VMSTATE_UINT64(sr_time_ns, PASRDDRState),
        VMSTATE_UINT64(sr_count, PASRDDRState),
        VMSTATE_UINT64(loss_count, PASRDDRState),
        VMSTATE_UINT64(exits_by_access, PASRDDRState),
        VMSTATE_UINT64(prng, PASRDDRState),
        VMSTATE_INT32(temperature, PASRDDRState),
        VMSTATE_TIMER_PTR(pulse_timer, PASRDDRState),
        VMSTATE_TIMER_PTR(temp_timer, PASRDDRState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_pasr_ddr_lost,
        &vmstate_pasr_ddr_wake,
        NULL
    },
};

static const Property pasr_ddr_properties[] = {
    DEFINE_PROP_LINK("dram", PASRDDRState, dram, TYPE_MEMORY_REGION,
                     MemoryRegion *),
    DEFINE_PROP_UINT8("cs", PASRDDRState, num_cs, 2),
    DEFINE_PROP_UINT32("density-mbit", PASRDDRState, density_mbit, 4096),
    DEFINE_PROP_UINT32("io-width", PASRDDRState, io_width, 32),
    DEFINE_PROP_SIGNED("lpddr2-type", PASRDDRState, type, LPDDR2_S4,
                       pasr_ddr_prop_type, int),
    DEFINE_PROP_SIGNED("map", PASRDDRState, map, LPDDR2_MAP_RBC,
                       pasr_ddr_prop_map, int),
    DEFINE_PROP_SIGNED("cs-mode", PASRDDRState, cs_mode, LPDDR2_CS_LINEAR,
                       pasr_ddr_prop_cs_mode, int),
    DEFINE_PROP_UINT64("interleave-granule", PASRDDRState,
                       interleave_granule, 4096),
    DEFINE_PROP_UINT8("manufacturer-id", PASRDDRState,
                      die_id.manufacturer_id, 1),
    DEFINE_PROP_UINT8("revision-id1", PASRDDRState, die_id.revision_id1, 1),
    DEFINE_PROP_UINT8("revision-id2", PASRDDRState, die_id.revision_id2, 0),
    DEFINE_PROP_SIGNED("poison", PASRDDRState, poison, PASR_POISON_PATTERN,
                       pasr_ddr_prop_poison, int),
    DEFINE_PROP_UINT64("poison-seed", PASRDDRState, poison_seed, 1),
    DEFINE_PROP_UINT32("retention-us", PASRDDRState, retention_us, 0),
    DEFINE_PROP_BOOL("check-lost", PASRDDRState, check_lost, false),
    DEFINE_PROP_UINT32("vdd1-mv", PASRDDRState, power.vdd1_mv, 1800),
    DEFINE_PROP_UINT32("vdd2-mv", PASRDDRState, power.vdd2_mv, 1200),
    DEFINE_PROP_UINT32("idd6-vdd1-ua", PASRDDRState, power.idd6_vdd1_ua,
                       1000),
    DEFINE_PROP_UINT32("idd6-vdd2-ua", PASRDDRState, power.idd6_vdd2_ua,
                       3200),
    DEFINE_PROP_UINT32("idd6-scale-25c", PASRDDRState, power.idd6_scale_25c,
                       450),
    DEFINE_PROP_UINT32("idd6-scale-45c", PASRDDRState, power.idd6_scale_45c,
                       500),
    DEFINE_PROP_UINT32("pasr-floor-25c", PASRDDRState, power.floor_25c, 770),
    DEFINE_PROP_UINT32("pasr-floor-45c", PASRDDRState, power.floor_45c, 680),
    DEFINE_PROP_UINT32("pasr-floor-85c", PASRDDRState, power.floor_85c, 500),
};

static const char *const pasr_ddr_prop_desc[][2] = {
    { "dram", "RAM region the controller drives (the board links the "
      "machine's RAM); its size must equal cs x dies per chip select x "
      "die size" },
    { "cs", "chip selects (ranks), 1-4" },
    { "density-mbit", "die density in Mbit: S4 64-8192, S2 1024 or 2048" },
    { "io-width", "die I/O width, 8, 16 or 32; narrower dies are ganged "
      "to fill the 32-bit bus" },
    { "lpddr2-type", "LP-DDR2 device type, s4 or s2 (MR8 OP1:0)" },
    { "map", "address map: rbc (row-bank-column, segments contiguous) "
      "or brc (bank-row-column, banks contiguous)" },
    { "cs-mode", "chip selects: linear, shift (interleaved every "
      "granule) or swap (CS bits swapped with granule bits)" },
    { "interleave-granule", "interleave granule in bytes, a power of "
      "two from 4096 to a segment of a chip select" },
    { "manufacturer-id", "MR5 manufacturer ID (1 Samsung, 3 Elpida, "
      "255 Micron, ...)" },
    { "revision-id1", "MR6 revision ID 1" },
    { "revision-id2", "MR7 revision ID 2" },
    { "poison", "what masked cells hold after self-refresh: pattern "
      "(64-bit 0x5041535250534E00 ^ address), zero, random, none "
      "(accounting only)" },
    { "poison-seed", "seed of the random poison" },
    { "retention-us", "self-refresh shorter than this keeps masked "
      "cells (0: any self-refresh loses them)" },
    { "check-lost", "sanitizer: report every read (CPU or DMA) of a byte "
      "that a self-refresh exit lost and the guest has not written since "
      "(trace event, a guest_errors line per run of reads, the lost-reads "
      "counter); the guest reads the same data either way" },
    { "vdd1-mv", "VDD1 rail voltage, mV" },
    { "vdd2-mv", "VDD2 rail voltage, mV" },
    { "idd6-vdd1-ua", "full-array IDD6 on VDD1 of a 4 Gbit die at 85 C, "
      "µA (scaled by density)" },
    { "idd6-vdd2-ua", "full-array IDD6 on VDD2 of a 4 Gbit die at 85 C, "
      "µA" },
    { "idd6-scale-25c", "IDD6 at 25 C relative to 85 C, per mille" },
    { "idd6-scale-45c", "IDD6 at 45 C relative to 85 C, per mille" },
    { "pasr-floor-25c", "share of IDD6 not saved by PASR at 25 C, "
      "per mille" },
    { "pasr-floor-45c", "the same at 45 C, per mille" },
    { "pasr-floor-85c", "the same at 85 C, per mille" },
};

static void pasr_ddr_init(Object *obj)
{
    PASR_DDR(obj)->temperature = 45000;
}

static void pasr_ddr_finalize(Object *obj)
{
    PASRDDRState *s = PASR_DDR(obj);

    pasr_ddr_sr_finalize(s);
    pasr_ddr_lost_finalize(s);
    g_clear_pointer(&s->temp_timer, timer_free);
    g_clear_pointer(&s->reg_array, register_finalize_block);
}

static void pasr_ddr_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "LP-DDR2 controller with partial-array self-refresh";
    dc->realize = pasr_ddr_realize;
    dc->vmsd = &vmstate_pasr_ddr;
    dc->user_creatable = true;
    rc->phases.hold = pasr_ddr_reset_hold;
    device_class_set_props(dc, pasr_ddr_properties);
    for (size_t i = 0; i < ARRAY_SIZE(pasr_ddr_prop_desc); i++) {
        object_class_property_set_description(klass, pasr_ddr_prop_desc[i][0],
                                              pasr_ddr_prop_desc[i][1]);
    }
    object_class_property_add(klass, "temperature", "int32",
                              pasr_ddr_get_temperature,
                              pasr_ddr_set_temperature, NULL, NULL);
    object_class_property_set_description(klass, "temperature",
        "die temperature in m°C (45000 at start), settable at run time "
        "with qom-set: drives MR4 and the power model");
    for (size_t i = 0; i < ARRAY_SIZE(pasr_ddr_stats); i++) {
        const PASRDDRStat *stat = &pasr_ddr_stats[i];

        object_class_property_add(klass, stat->name, "uint64",
                                  pasr_ddr_get_stat, NULL, NULL,
                                  (void *)stat);
        object_class_property_set_description(klass, stat->name, stat->desc);
    }
    for (uintptr_t i = 0; i < PASR_DDR_MAX_CS; i++) {
        g_autofree char *name = g_strdup_printf("cs%u-refreshed-q16",
                                                (unsigned)i);
        g_autofree char *desc = g_strdup_printf("refreshed fraction of CS%u "
                                                "(Q16)", (unsigned)i);

        object_class_property_add(klass, name, "uint64",
                                  pasr_ddr_get_refreshed, NULL, NULL,
                                  (void *)i);
        object_class_property_set_description(klass, name, desc);
    }
    pasr_ddr_info_class_init(klass);
}

static const TypeInfo pasr_ddr_info = {
    .name = TYPE_PASR_DDR,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PASRDDRState),
    .instance_init = pasr_ddr_init,
    .instance_finalize = pasr_ddr_finalize,
    .class_init = pasr_ddr_class_init,
};

static void pasr_ddr_register_types(void)
{
    type_register_static(&pasr_ddr_info);
}

type_init(pasr_ddr_register_types)
