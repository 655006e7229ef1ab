/*
 * pasr-ddr: register map and the interfaces between the device's files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pasr-ddr.c is the register file, the mode-register command port,
 * XLATE, QOM and migration; pasr-ddr-sr.c is the chip-select self-refresh
 * state machine with poisoning and the access trap; pasr-ddr-lost.c the
 * check-lost sanitizer; pasr-ddr-info.c what the monitor shows. Every
 * register field they use is declared here once (spec 5.2).
 */

#ifndef HW_PASR_DDR_PASR_DDR_INTERNAL_H
#define HW_PASR_DDR_PASR_DDR_INTERNAL_H

#include "hw/pasr-ddr/pasr-ddr.h"
#include "hw/registerfields.h"

/* spec 5.2: global registers */
REG32(ID, 0x000)
REG32(VERSION, 0x004)
    FIELD(VERSION, MINOR, 0, 8)
    FIELD(VERSION, MAJOR, 8, 8)
REG32(CAPS, 0x008)
    FIELD(CAPS, NUM_CS, 0, 4)
    FIELD(CAPS, XLATE, 5, 1)
    FIELD(CAPS, ENERGY, 6, 1)
    FIELD(CAPS, SR_TRAP, 7, 1)
    FIELD(CAPS, SUSPEND, 8, 1)
    FIELD(CAPS, MRW_BROADCAST, 9, 1)
    FIELD(CAPS, APPLY_ON_SR, 10, 1)
REG32(MAP_CFG, 0x00C)
    FIELD(MAP_CFG, BANK_POS, 0, 2)
    FIELD(MAP_CFG, CS_MODE, 4, 2)
    FIELD(MAP_CFG, GRANULE, 8, 5)
    FIELD(MAP_CFG, DEVICES, 16, 4)
REG32(DRAM_BASE_LO, 0x010)
REG32(DRAM_BASE_HI, 0x014)
REG32(DRAM_SIZE_LO, 0x018)
REG32(DRAM_SIZE_HI, 0x01C)
REG32(CTRL, 0x020)
    FIELD(CTRL, APPLY_ON_SR, 0, 1)
    FIELD(CTRL, AUTO_MRW, 1, 1)
    FIELD(CTRL, STRICT, 2, 1)
    FIELD(CTRL, SR_TRAP_EN, 8, 1)
    FIELD(CTRL, SR_TRAP_ACTION, 9, 2)
REG32(TEMP_POLL, 0x024)
    FIELD(TEMP_POLL, PERIOD_MS, 0, 16)
    FIELD(TEMP_POLL, IRQ_ON_TUF, 16, 1)
REG32(TEMPERATURE, 0x028)
REG32(MR_CMD, 0x040)
    FIELD(MR_CMD, MA, 0, 8)
    FIELD(MR_CMD, OP, 8, 8)
    FIELD(MR_CMD, CS_MASK, 16, 4)
    FIELD(MR_CMD, WRITE, 24, 1)
    FIELD(MR_CMD, GO, 31, 1)
REG32(MR_STATUS, 0x044)
    FIELD(MR_STATUS, BUSY, 0, 1)
    FIELD(MR_STATUS, DONE, 1, 1)
    FIELD(MR_STATUS, ERR, 2, 1)
    FIELD(MR_STATUS, ERR_CODE, 8, 4)
REG32(MR_RDATA, 0x048)
    FIELD(MR_RDATA, DIE0, 0, 8)
    FIELD(MR_RDATA, DIE1, 8, 8)
    FIELD(MR_RDATA, VALID, 31, 1)
REG32(PM_CTRL, 0x080)
    FIELD(PM_CTRL, CS_MASK, 0, 4)
    FIELD(PM_CTRL, SR_ENTER, 4, 1)
    FIELD(PM_CTRL, SR_EXIT, 5, 1)
    FIELD(PM_CTRL, SUSPEND, 6, 1)
    FIELD(PM_CTRL, DPD_ENTER, 7, 1)
    FIELD(PM_CTRL, SR_PULSE, 8, 1)
REG32(PM_STATUS, 0x084)
    FIELD(PM_STATUS, IN_SR, 0, 4)
    FIELD(PM_STATUS, IN_DPD, 4, 4)
    FIELD(PM_STATUS, READY, 8, 1)
    FIELD(PM_STATUS, EXIT_CAUSE, 9, 2)
REG32(SR_PULSE_US, 0x088)
REG32(WAKE_TIMER_MS, 0x08C)
REG32(IRQ_RAW, 0x0A0)
REG32(IRQ_STATUS, 0x0A4)
REG32(IRQ_ENABLE, 0x0A8)
    /* the bits of IRQ_RAW, IRQ_STATUS and IRQ_ENABLE */
    FIELD(IRQ, MR_DONE, 0, 1)
    FIELD(IRQ, MR_ERR, 1, 1)
    FIELD(IRQ, TEMP_CHANGE, 2, 1)
    FIELD(IRQ, SR_ENTERED, 3, 1)
    FIELD(IRQ, SR_EXITED, 4, 1)
    FIELD(IRQ, ACCESS_IN_SR, 5, 1)
    FIELD(IRQ, DATA_LOST, 6, 1)
    FIELD(IRQ, WAKE, 7, 1)
REG32(E_SR_UJ_LO, 0x0C0)
REG32(E_SR_UJ_HI, 0x0C4)
REG32(E_SR_FULL_UJ_LO, 0x0C8)
REG32(E_SR_FULL_UJ_HI, 0x0CC)
REG32(T_SR_US_LO, 0x0D0)
REG32(T_SR_US_HI, 0x0D4)
REG32(SR_COUNT, 0x0D8)
REG32(LOSS_COUNT, 0x0DC)
REG32(XLATE_ADDR_LO, 0x0E0)
REG32(XLATE_ADDR_HI, 0x0E4)
REG32(XLATE_RES0, 0x0E8)
    FIELD(XLATE_RES0, CS, 0, 4)
    FIELD(XLATE_RES0, BANK, 4, 3)
    FIELD(XLATE_RES0, SEGMENT, 8, 3)
    FIELD(XLATE_RES0, MASKED_MR16, 16, 1)
    FIELD(XLATE_RES0, MASKED_MR17, 17, 1)
    FIELD(XLATE_RES0, VALID, 31, 1)
REG32(XLATE_RES1, 0x0EC)
    FIELD(XLATE_RES1, ROW, 0, 16)
    FIELD(XLATE_RES1, COL, 16, 16)

#define PASR_DDR_IRQ_ALL \
    (R_IRQ_MR_DONE_MASK | R_IRQ_MR_ERR_MASK | R_IRQ_TEMP_CHANGE_MASK | \
     R_IRQ_SR_ENTERED_MASK | R_IRQ_SR_EXITED_MASK | \
     R_IRQ_ACCESS_IN_SR_MASK | R_IRQ_DATA_LOST_MASK | R_IRQ_WAKE_MASK)

/* spec 5.2: chip-select n's registers, at A_CS_BASE + n * CS_STRIDE */
#define A_CS_BASE       0x100
#define CS_STRIDE       0x20
REG32(CS_INFO, 0x00)
    FIELD(CS_INFO, PRESENT, 0, 1)
    FIELD(CS_INFO, TYPE, 1, 2)              /* MR8 codes */
    FIELD(CS_INFO, DENSITY, 3, 4)
    FIELD(CS_INFO, IO_WIDTH, 7, 2)
    FIELD(CS_INFO, ROW_BITS, 9, 4)
    FIELD(CS_INFO, COL_BITS, 13, 4)
    FIELD(CS_INFO, EIGHT_BANKS, 17, 1)
REG32(CS_BASE_LO, 0x04)
REG32(CS_SIZE_MB, 0x08)
REG32(CS_MR16, 0x0C)
    /* the bits of CS_MR16 and CS_MR17 */
    FIELD(CS_MR, MASK, 0, 8)
    FIELD(CS_MR, PENDING, 31, 1)
REG32(CS_MR17, 0x10)
REG32(CS_MR_APPLIED, 0x14)
    FIELD(CS_MR_APPLIED, MR16, 0, 8)
    FIELD(CS_MR_APPLIED, MR17, 8, 8)
REG32(CS_STATE, 0x18)
    FIELD(CS_STATE, STATE, 0, 2)
    FIELD(CS_STATE, DATA_LOST, 8, 1)
REG32(CS_REFRESHED_Q16, 0x1C)

#define PASR_DDR_ID         0x50415352      /* "PASR" */
#define PASR_POISON_MAGIC   0x5041535250534E00ULL   /* "PASRPSN" */

/* MR_STATUS.ERR_CODE */
enum {
    MR_OK,
    MR_ERR_RO_WRITE,
    MR_ERR_WO_READ,
    MR_ERR_BAD_OP,
    MR_ERR_ILLEGAL_BITS,
    MR_ERR_UNSUPPORTED_MR,
    MR_ERR_CS_ABSENT,
    MR_ERR_CS_ASLEEP,
    MR_ERR_MULTI_CS_MRR,
};

/* PM_STATUS.EXIT_CAUSE, and how a chip select entered */
enum {
    SR_BY_SOFTWARE,
    SR_BY_ACCESS,
    SR_BY_HOST_WAKEUP,
    SR_BY_PULSE,
};

/* Populated chip selects (realize checked; the bound is for the compiler) */
static inline unsigned pasr_ddr_cs_count(const PASRDDRState *s)
{
    return MIN(s->num_cs, PASR_DDR_MAX_CS);
}

static inline int64_t pasr_ddr_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static inline bool pasr_ddr_in_sr(const PASRDDRChipSelect *cs)
{
    return cs->state == PASR_CS_SELF_REFRESH;
}

/* pasr-ddr.c: the interrupt, from IRQ_RAW & IRQ_ENABLE */
void pasr_ddr_raise(PASRDDRState *s, uint32_t bits);

/* pasr-ddr.c: is chip select @i populated? Logs @what if not. */
bool pasr_ddr_cs_ok(PASRDDRState *s, unsigned i, const char *what);

/* pasr-ddr-sr.c: self-refresh (spec 3.1, 6.1, 6.3, 6.4) */
void pasr_ddr_sr_realize(PASRDDRState *s);
void pasr_ddr_sr_reset(PASRDDRState *s);
void pasr_ddr_sr_post_load(PASRDDRState *s, int version_id);
void pasr_ddr_sr_finalize(PASRDDRState *s);
void pasr_ddr_account(PASRDDRState *s);
void pasr_ddr_pm_ctrl(PASRDDRState *s, uint32_t value);
void pasr_ddr_update_traps(PASRDDRState *s);

/* pasr-ddr-lost.c: the check-lost sanitizer (spec 6.7) */
void pasr_ddr_lost_realize(PASRDDRState *s);
void pasr_ddr_lost_reset(PASRDDRState *s);
void pasr_ddr_lost_finalize(PASRDDRState *s);
void pasr_ddr_lost_post_load(PASRDDRState *s);
/* chip select @cs lost the LPDDR2Run @runs at the loss numbered @exit */
void pasr_ddr_lost_record(PASRDDRState *s, unsigned cs, GArray *runs,
                          uint32_t exit);
/* a guest access to the RAM at DRAM offset @off, seen by the lost map */
MemTxResult pasr_ddr_ram_access(PASRDDRState *s, hwaddr off, uint64_t *data,
                                unsigned size, bool write, MemTxAttrs attrs);
extern const VMStateDescription vmstate_pasr_ddr_lost;

/* pasr-ddr-info.c: the "info-json" property and "info pasr-ddr" */
void pasr_ddr_info_class_init(ObjectClass *klass);

#endif
