/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A controller for the machine's RAM, seen as 1-4 chip selects of JEDEC
 * LP-DDR2 dies (../shared/spec/pasr-ddr.md, "spec" below; its native
 * register map, section 5.2, is the guest interface). The controller is
 * not on the data path: guest RAM stays the machine's RAM region and the
 * controller describes it in LP-DDR2 terms (lpddr2.c does the arithmetic).
 *
 * What makes it more than a register file: the PASR masks (MR16 banks,
 * MR17 segments) are latched into the dies when a chip select enters
 * self-refresh, and when it leaves, every masked cell really loses its
 * contents: the runs are overwritten through the memory API with the
 * "poison" of choice. Self-refresh can be entered and left by register,
 * as a timed pulse, or around a VM suspend; while a linearly mapped chip
 * select sleeps, an overlay above its RAM traps CPU and DMA accesses.
 * Self-refresh energy is integrated over virtual time with the power model
 * of spec 3.4, next to the full-array baseline.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/host-utils.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "exec/address-spaces.h"
#include "hw/pasr-ddr/pasr-ddr.h"
#include "hw/boards.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "system/runstate.h"
#include "trace.h"

/* spec 5.2 */
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
REG32(XLATE_RES1, 0x0EC)
#define A_CS_BASE       0x100
#define CS_STRIDE       0x20
REG32(CS_INFO, 0x00)
REG32(CS_BASE_LO, 0x04)
REG32(CS_SIZE_MB, 0x08)
REG32(CS_MR16, 0x0C)
    FIELD(CS_MR, MASK, 0, 8)
    FIELD(CS_MR, PENDING, 31, 1)
REG32(CS_MR17, 0x10)
REG32(CS_MR_APPLIED, 0x14)
REG32(CS_STATE, 0x18)
    FIELD(CS_STATE, STATE, 0, 2)
    FIELD(CS_STATE, DATA_LOST, 8, 1)
REG32(CS_REFRESHED_Q16, 0x1C)

#define PASR_DDR_ID         0x50415352      /* "PASR" */
#define PASR_POISON_MAGIC   0x5041535250534E00ULL   /* "PASRPSN" */

/* IRQ_RAW bits */
#define IRQ_MR_DONE         (1 << 0)
#define IRQ_MR_ERR          (1 << 1)
#define IRQ_TEMP_CHANGE     (1 << 2)
#define IRQ_SR_ENTERED      (1 << 3)
#define IRQ_SR_EXITED       (1 << 4)
#define IRQ_ACCESS_IN_SR    (1 << 5)
#define IRQ_DATA_LOST       (1 << 6)
#define IRQ_WAKE            (1 << 7)

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
static unsigned pasr_ddr_cs_count(const PASRDDRState *s)
{
    return MIN(s->num_cs, PASR_DDR_MAX_CS);
}

static int64_t pasr_ddr_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void pasr_ddr_update_irq(PASRDDRState *s)
{
    qemu_set_irq(s->irq, !!(s->irq_raw & s->irq_enable));
}

static void pasr_ddr_raise(PASRDDRState *s, uint32_t bits)
{
    s->irq_raw |= bits;
    pasr_ddr_update_irq(s);
}

static bool pasr_ddr_in_sr(const PASRDDRChipSelect *cs)
{
    return cs->state == PASR_CS_SELF_REFRESH;
}

/* spec 3.4/6.4: integrate self-refresh power up to now */
static void pasr_ddr_account(PASRDDRState *s)
{
    int64_t now = pasr_ddr_now();
    uint32_t dies = lpddr2_devices_per_cs(&s->layout.g);
    int64_t residency = 0;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];
        uint64_t dt, p, full;

        if (!pasr_ddr_in_sr(cs)) {
            continue;
        }
        dt = MAX(now - cs->sr_entry_ns, 0);
        p = lpddr2_sr_power_nw(&s->power, &s->layout.g, s->temperature,
                               lpddr2_refreshed_q16(&s->layout.g, cs->mr16,
                                                    cs->mr17)) * dies;
        full = lpddr2_sr_power_nw(&s->power, &s->layout.g, s->temperature,
                                  1 << 16) * dies;
        /* nW x ns = 1e-18 J; keep pJ */
        s->energy_sr_pj += muldiv64(p, dt, 1000000);
        s->energy_full_pj += muldiv64(full, dt, 1000000);
        cs->sr_entry_ns = now;
        residency = MAX(residency, (int64_t)dt);
    }
    /* T_SR counts the time with at least one chip select asleep */
    s->sr_time_ns += residency;
    if (residency) {
        trace_pasr_ddr_energy(s->energy_sr_pj, s->energy_full_pj,
                              s->sr_time_ns);
    }
}

/* --- poisoning (spec 6.1) ---------------------------------------------- */

static uint64_t pasr_ddr_prng(PASRDDRState *s)
{
    /* xorshift64*: deterministic and migrated */
    s->prng ^= s->prng >> 12;
    s->prng ^= s->prng << 25;
    s->prng ^= s->prng >> 27;
    return s->prng * 0x2545F4914F6CDD1DULL;
}

static void pasr_ddr_poison_run(PASRDDRState *s, hwaddr gpa, uint64_t len)
{
    g_autofree uint64_t *buf = NULL;
    const uint64_t chunk = 64 * KiB;

    if (s->poison_mode == PASR_POISON_NONE) {
        return;
    }
    if (s->poison_mode == PASR_POISON_ZERO) {
        address_space_set(&address_space_memory, gpa, 0, len,
                          MEMTXATTRS_UNSPECIFIED);
        return;
    }
    buf = g_malloc(chunk);
    for (uint64_t done = 0; done < len; done += chunk) {
        uint64_t n = MIN(chunk, len - done);

        for (uint64_t i = 0; i < n / 8; i++) {
            uint64_t v = s->poison_mode == PASR_POISON_RANDOM
                ? pasr_ddr_prng(s)
                : PASR_POISON_MAGIC ^ (gpa + done + 8 * i);

            buf[i] = cpu_to_le64(v);
        }
        address_space_write(&address_space_memory, gpa + done,
                            MEMTXATTRS_UNSPECIFIED, buf, n);
    }
}

/* Destroy what (MR16, MR17) left unrefreshed on this chip select. */
static bool pasr_ddr_lose_masked(PASRDDRState *s, PASRDDRChipSelect *cs,
                                 uint8_t mr16, uint8_t mr17)
{
    g_autoptr(GArray) runs = lpddr2_masked_runs(&s->layout, cs->index,
                                                mr16, mr17);

    for (guint i = 0; i < runs->len; i++) {
        LPDDR2Run *r = &g_array_index(runs, LPDDR2Run, i);

        trace_pasr_ddr_poison(cs->index, s->dram_base + r->off, r->len);
        pasr_ddr_poison_run(s, s->dram_base + r->off, r->len);
    }
    if (!runs->len) {
        return false;
    }
    cs->data_lost = true;
    s->loss_count++;
    pasr_ddr_raise(s, IRQ_DATA_LOST);
    return true;
}

/* --- self-refresh (spec 3.1, 6.3) -------------------------------------- */

static bool pasr_ddr_trap_on(PASRDDRState *s)
{
    return s->trap_possible && FIELD_EX32(s->ctrl, CTRL, SR_TRAP_EN);
}

static void pasr_ddr_set_trap(PASRDDRState *s, PASRDDRChipSelect *cs)
{
    if (s->trap_possible) {
        memory_region_set_enabled(&cs->trap,
                                  pasr_ddr_in_sr(cs) && pasr_ddr_trap_on(s));
    }
}

static bool pasr_ddr_cs_ok(PASRDDRState *s, unsigned i, const char *what)
{
    if (i < s->num_cs) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s: chip select %u is not "
                  "populated\n", what, i);
    return false;
}

/* spec 6.1: the masks are latched into the dies at entry */
static void pasr_ddr_sr_enter(PASRDDRState *s, PASRDDRChipSelect *cs,
                              uint32_t source)
{
    if (cs->state != PASR_CS_ACTIVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: SR_ENTER: chip select %u "
                      "is not active (state %u)\n", cs->index, cs->state);
        return;
    }
    pasr_ddr_account(s);
    if (FIELD_EX32(s->ctrl, CTRL, APPLY_ON_SR)) {
        cs->mr16 = FIELD_EX32(cs->mr16_shadow, CS_MR, MASK);
        cs->mr17 = FIELD_EX32(cs->mr17_shadow, CS_MR, MASK);
        cs->mr16_shadow &= ~R_CS_MR_PENDING_MASK;
        cs->mr17_shadow &= ~R_CS_MR_PENDING_MASK;
    }
    cs->state = PASR_CS_SELF_REFRESH;
    cs->sr_entry_ns = cs->sr_start_ns = pasr_ddr_now();
    cs->sr_source = source;
    s->sr_count++;
    trace_pasr_ddr_sr_enter(cs->index, cs->mr16, cs->mr17, source);
    pasr_ddr_set_trap(s, cs);
    pasr_ddr_raise(s, IRQ_SR_ENTERED);
}

/*
 * spec 6.1: at exit, a chip select that slept at least retention-us loses
 * every masked cell.
 */
static void pasr_ddr_sr_exit(PASRDDRState *s, PASRDDRChipSelect *cs,
                             uint32_t cause)
{
    int64_t slept;
    bool lost = false;

    if (!pasr_ddr_in_sr(cs)) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: SR_EXIT: chip select %u "
                      "is not in self-refresh\n", cs->index);
        return;
    }
    pasr_ddr_account(s);
    cs->state = PASR_CS_ACTIVE;
    pasr_ddr_set_trap(s, cs);       /* before poisoning through RAM */
    slept = pasr_ddr_now() - cs->sr_start_ns;
    if (slept >= (int64_t)s->retention_us * 1000) {
        lost = pasr_ddr_lose_masked(s, cs, cs->mr16, cs->mr17);
    }
    s->exit_cause = cause;
    trace_pasr_ddr_sr_exit(cs->index, cause, slept, lost);
    pasr_ddr_raise(s, IRQ_SR_EXITED);
}

/* Deep power-down loses the whole chip select; leaving it re-initialises. */
static void pasr_ddr_dpd_exit(PASRDDRState *s, PASRDDRChipSelect *cs)
{
    cs->state = PASR_CS_ACTIVE;
    pasr_ddr_lose_masked(s, cs, 0xFF, 0);
    cs->mr1 = LPDDR2_MR1_DEFAULT;
    cs->mr2 = LPDDR2_MR2_DEFAULT;
    cs->mr3 = LPDDR2_MR3_DEFAULT;
    cs->mr16 = cs->mr17 = 0;
    s->exit_cause = SR_BY_SOFTWARE;
    trace_pasr_ddr_sr_exit(cs->index, SR_BY_SOFTWARE, 0, true);
    pasr_ddr_raise(s, IRQ_SR_EXITED);
}

static void pasr_ddr_exit_source(PASRDDRState *s, uint32_t source,
                                 uint32_t cause)
{
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        if (pasr_ddr_in_sr(&s->cs[i]) && s->cs[i].sr_source == source) {
            pasr_ddr_sr_exit(s, &s->cs[i], cause);
        }
    }
}

static void pasr_ddr_pulse_end(void *opaque)
{
    pasr_ddr_exit_source(opaque, SR_BY_PULSE, SR_BY_PULSE);
}

static void pasr_ddr_wake_timer(void *opaque)
{
    qemu_system_wakeup_request(QEMU_WAKEUP_REASON_OTHER, NULL);
}

/* spec 6.3 (1): whatever woke the VM ends a suspend's self-refresh */
static void pasr_ddr_wakeup(Notifier *n, void *data)
{
    PASRDDRState *s = container_of(n, PASRDDRState, wakeup);

    timer_del(s->wake_timer);
    pasr_ddr_exit_source(s, SR_BY_HOST_WAKEUP, SR_BY_HOST_WAKEUP);
    pasr_ddr_raise(s, IRQ_WAKE);
}

static void pasr_ddr_pm_ctrl(PASRDDRState *s, uint32_t value)
{
    unsigned mask = FIELD_EX32(value, PM_CTRL, CS_MASK);
    unsigned actions = FIELD_EX32(value, PM_CTRL, SR_ENTER) +
                       FIELD_EX32(value, PM_CTRL, SR_EXIT) +
                       FIELD_EX32(value, PM_CTRL, SUSPEND) +
                       FIELD_EX32(value, PM_CTRL, DPD_ENTER) +
                       FIELD_EX32(value, PM_CTRL, SR_PULSE);

    s->pm_ctrl = mask;
    if (actions > 1) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: PM_CTRL 0x%x asks for "
                      "several actions at once; ignored\n", value);
        return;
    }
    for (unsigned i = 0; i < PASR_DDR_MAX_CS; i++) {
        PASRDDRChipSelect *cs = &s->cs[i];

        if (!(mask & (1 << i)) || !actions ||
            !pasr_ddr_cs_ok(s, i, "PM_CTRL")) {
            continue;
        }
        if (FIELD_EX32(value, PM_CTRL, SR_ENTER)) {
            pasr_ddr_sr_enter(s, cs, SR_BY_SOFTWARE);
        } else if (FIELD_EX32(value, PM_CTRL, SUSPEND)) {
            pasr_ddr_sr_enter(s, cs, SR_BY_HOST_WAKEUP);
        } else if (FIELD_EX32(value, PM_CTRL, SR_PULSE)) {
            pasr_ddr_sr_enter(s, cs, SR_BY_PULSE);
        } else if (FIELD_EX32(value, PM_CTRL, DPD_ENTER)) {
            if (cs->state == PASR_CS_ACTIVE) {
                cs->state = PASR_CS_DEEP_POWER_DOWN;
            } else {
                qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: DPD_ENTER: chip "
                              "select %u is not active\n", i);
            }
        } else if (cs->state == PASR_CS_DEEP_POWER_DOWN) {
            pasr_ddr_dpd_exit(s, cs);
        } else {
            pasr_ddr_sr_exit(s, cs, SR_BY_SOFTWARE);
        }
    }
    if (FIELD_EX32(value, PM_CTRL, SR_PULSE)) {
        timer_mod(s->pulse_timer,
                  pasr_ddr_now() + (int64_t)s->sr_pulse_us * 1000);
    }
    if (FIELD_EX32(value, PM_CTRL, SUSPEND)) {
        if (s->wake_timer_ms) {
            timer_mod(s->wake_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
                      s->wake_timer_ms);
        }
        qemu_system_suspend_request();
    }
}

/* --- access trap (spec 6.3 (2)) ------------------------------------------ */

/*
 * An access to a sleeping chip select: auto-exit (then complete it),
 * fault, or log and complete it anyway (CTRL.SR_TRAP_ACTION).
 */
static MemTxResult pasr_ddr_trap_access(PASRDDRChipSelect *cs, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        bool write, MemTxAttrs attrs)
{
    PASRDDRState *s = cs->ddr;
    hwaddr off = lpddr2_rank_to_dram(&s->layout, cs->index, addr);
    uint8_t buf[8];

    switch (FIELD_EX32(s->ctrl, CTRL, SR_TRAP_ACTION)) {
    case 0:
        s->exits_by_access++;
        pasr_ddr_sr_exit(s, cs, SR_BY_ACCESS);
        break;
    case 1:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s of 0x%" HWADDR_PRIx
                      " while chip select %u is in self-refresh\n",
                      write ? "write" : "read", s->dram_base + off,
                      cs->index);
        pasr_ddr_raise(s, IRQ_ACCESS_IN_SR);
        return MEMTX_ERROR;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s of 0x%" HWADDR_PRIx
                      " while chip select %u is in self-refresh (allowed)\n",
                      write ? "write" : "read", s->dram_base + off,
                      cs->index);
        pasr_ddr_raise(s, IRQ_ACCESS_IN_SR);
        break;
    }
    if (write) {
        stn_le_p(buf, size, *data);
        return address_space_write(&s->dram_as, s->dram_base + off, attrs,
                                   buf, size);
    }
    if (address_space_read(&s->dram_as, s->dram_base + off, attrs, buf,
                           size) != MEMTX_OK) {
        return MEMTX_ERROR;
    }
    *data = ldn_le_p(buf, size);
    return MEMTX_OK;
}

static MemTxResult pasr_ddr_trap_read(void *opaque, hwaddr addr,
                                      uint64_t *data, unsigned size,
                                      MemTxAttrs attrs)
{
    return pasr_ddr_trap_access(opaque, addr, data, size, false, attrs);
}

static MemTxResult pasr_ddr_trap_write(void *opaque, hwaddr addr,
                                       uint64_t data, unsigned size,
                                       MemTxAttrs attrs)
{
    return pasr_ddr_trap_access(opaque, addr, &data, size, true, attrs);
}

static const MemoryRegionOps pasr_ddr_trap_ops = {
    .read_with_attrs = pasr_ddr_trap_read,
    .write_with_attrs = pasr_ddr_trap_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
    .impl.min_access_size = 1,
    .impl.max_access_size = 8,
};

/* --- mode registers (spec 1, 6.2) ---------------------------------------- */

static uint8_t pasr_ddr_mrr(PASRDDRState *s, PASRDDRChipSelect *cs,
                            uint8_t ma)
{
    uint8_t rate = lpddr2_mr4_rate(s->temperature);
    uint8_t value;

    switch (ma) {
    case 0:
        return 3 << 3;      /* DAI done, SDRAM, RZQI: ZQ self-test OK */
    case 4:
        /* TUF: the rate changed since the last MR4 read */
        value = rate | (rate != cs->mr4_rate) << 7;
        cs->mr4_rate = rate;
        return value;
    case 5:
        return s->manufacturer_id;
    case 6:
        return s->revision_id1;
    case 7:
        return s->revision_id2;
    case 8:
        return lpddr2_mr8(&s->layout.g);
    case 32:
        return 0xFF;        /* DQ calibration pattern A, first beat */
    default:
        return 0;           /* 40: pattern B, first beat */
    }
}

static unsigned pasr_ddr_mrw(PASRDDRState *s, PASRDDRChipSelect *cs,
                             uint8_t ma, uint8_t op)
{
    uint8_t banks = MAKE_64BIT_MASK(0, s->layout.g.banks);

    if (!lpddr2_mrw_op_legal(ma, op)) {
        return MR_ERR_BAD_OP;           /* spec 1.3: keep the old value */
    }
    switch (ma) {
    case 1:
        cs->mr1 = op;
        break;
    case 2:
        cs->mr2 = op;
        break;
    case 3:
        cs->mr3 = op;
        break;
    case 16:
        cs->mr16 = op & banks;
        return op & ~banks ? MR_ERR_ILLEGAL_BITS : MR_OK;
    case 17:
        if (!lpddr2_has_mr17(&s->layout.g)) {
            return MR_ERR_UNSUPPORTED_MR;
        }
        cs->mr17 = op;
        break;
    case 63:                            /* RESET: contents kept */
        cs->mr1 = LPDDR2_MR1_DEFAULT;
        cs->mr2 = LPDDR2_MR2_DEFAULT;
        cs->mr3 = LPDDR2_MR3_DEFAULT;
        cs->mr16 = cs->mr17 = 0;
        break;
    default:                            /* 9 test mode, 10 ZQ calibration */
        break;
    }
    return MR_OK;
}

/* One MRR or MRW to the chip selects of MR_CMD (spec 1.2, 1.3). */
static void pasr_ddr_mr_cmd(PASRDDRState *s, uint32_t cmd)
{
    unsigned mask = FIELD_EX32(cmd, MR_CMD, CS_MASK);
    uint8_t ma = FIELD_EX32(cmd, MR_CMD, MA), op = FIELD_EX32(cmd, MR_CMD, OP);
    bool write = FIELD_EX32(cmd, MR_CMD, WRITE);
    LPDDR2MRAccess access = lpddr2_mr_access(ma);
    unsigned err = MR_OK, warning = MR_OK;

    s->mr_rdata = 0;
    if (!write && ctpop8(mask) != 1) {
        err = MR_ERR_MULTI_CS_MRR;
    } else if (access == LPDDR2_MR_RESERVED) {
        err = MR_ERR_UNSUPPORTED_MR;
    } else if (write && access == LPDDR2_MR_READ) {
        err = MR_ERR_RO_WRITE;
    } else if (!write && access == LPDDR2_MR_WRITE) {
        err = MR_ERR_WO_READ;
    }
    for (unsigned i = 0; i < PASR_DDR_MAX_CS && err == MR_OK; i++) {
        PASRDDRChipSelect *cs = &s->cs[i];

        if (!(mask & (1 << i))) {
            continue;
        }
        if (i >= s->num_cs) {
            err = MR_ERR_CS_ABSENT;
        } else if (cs->state != PASR_CS_ACTIVE) {
            err = MR_ERR_CS_ASLEEP;     /* CKE is low */
        } else if (write) {
            err = pasr_ddr_mrw(s, cs, ma, op);
            if (err == MR_ERR_ILLEGAL_BITS) {   /* applied all the same */
                warning = err;
                err = MR_OK;
            }
        } else {
            uint8_t v = pasr_ddr_mrr(s, cs, ma);

            /* every die of the rank answers on its own byte lane */
            s->mr_rdata = v | (lpddr2_devices_per_cs(&s->layout.g) > 1 ?
                               v << 8 : 0) | R_MR_RDATA_VALID_MASK;
        }
    }
    err = err ? err : warning;
    trace_pasr_ddr_mr_cmd(write, mask, ma, op, s->mr_rdata, err);
    s->mr_status = R_MR_STATUS_DONE_MASK;
    if (err) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s MR%u op 0x%02x to "
                      "chip selects 0x%x: error %u\n", write ? "MRW" : "MRR",
                      ma, op, mask, err);
        s->mr_status |= R_MR_STATUS_ERR_MASK |
                        err << R_MR_STATUS_ERR_CODE_SHIFT;
    }
    pasr_ddr_raise(s, IRQ_MR_DONE |
                   (err && FIELD_EX32(s->ctrl, CTRL, STRICT) ? IRQ_MR_ERR : 0));
}

/* CSn_MR16/MR17: one store from a PASR callback (spec 5.1) */
static void pasr_ddr_write_shadow(PASRDDRState *s, PASRDDRChipSelect *cs,
                                  bool mr17, uint32_t value)
{
    uint8_t mask = FIELD_EX32(value, CS_MR, MASK);
    uint8_t banks = MAKE_64BIT_MASK(0, s->layout.g.banks);

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
    *(mr17 ? &cs->mr17_shadow : &cs->mr16_shadow) =
        mask | R_CS_MR_PENDING_MASK;
    if (FIELD_EX32(s->ctrl, CTRL, AUTO_MRW) && cs->state == PASR_CS_ACTIVE) {
        *(mr17 ? &cs->mr17 : &cs->mr16) = mask;
        *(mr17 ? &cs->mr17_shadow : &cs->mr16_shadow) = mask;
    }
}

/* --- register file ------------------------------------------------------- */

static uint32_t pasr_ddr_caps(PASRDDRState *s)
{
    return s->num_cs | R_CAPS_XLATE_MASK | R_CAPS_ENERGY_MASK |
           s->trap_possible << R_CAPS_SR_TRAP_SHIFT | R_CAPS_SUSPEND_MASK |
           R_CAPS_MRW_BROADCAST_MASK | R_CAPS_APPLY_ON_SR_MASK;
}

static uint32_t pasr_ddr_map_cfg(PASRDDRState *s)
{
    return s->layout.map << R_MAP_CFG_BANK_POS_SHIFT |
           s->layout.cs_mode << R_MAP_CFG_CS_MODE_SHIFT |
           s->layout.granule_shift << R_MAP_CFG_GRANULE_SHIFT |
           (lpddr2_devices_per_cs(&s->layout.g) - 1) <<
           R_MAP_CFG_DEVICES_SHIFT;
}

/* CSn_INFO: PRESENT, then MR8's codes and the array's shape */
static uint32_t pasr_ddr_cs_info(PASRDDRState *s)
{
    const LPDDR2Geometry *g = &s->layout.g;
    uint8_t mr8 = lpddr2_mr8(g);

    return 1 | extract32(mr8, 0, 2) << 1 | extract32(mr8, 2, 4) << 3 |
           extract32(mr8, 6, 2) << 7 | g->row_bits << 9 |
           g->col_bits << 13 | (g->banks == 8) << 17;
}

static uint64_t pasr_ddr_cs_read(PASRDDRState *s, unsigned i, hwaddr reg)
{
    PASRDDRChipSelect *cs = &s->cs[i];

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
        return cs->mr16 | cs->mr17 << 8;
    case A_CS_STATE:
        return cs->state | cs->data_lost << R_CS_STATE_DATA_LOST_SHIFT;
    default:
        return lpddr2_refreshed_q16(&s->layout.g, cs->mr16, cs->mr17);
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

/* Reading the LO half of a 64-bit counter latches its HI half. */
static uint32_t pasr_ddr_lo(PASRDDRState *s, uint64_t v)
{
    s->latched_hi = v >> 32;
    return v;
}

/* spec 5.2: XLATE_ADDR_HI runs the decode of the physical address */
static void pasr_ddr_xlate(PASRDDRState *s)
{
    LPDDR2Addr a;
    PASRDDRChipSelect *cs;

    s->xlate_res0 = s->xlate_res1 = 0;
    if (s->xlate_addr < s->dram_base ||
        s->xlate_addr - s->dram_base >= s->dram_size) {
        return;                         /* VALID = 0 */
    }
    lpddr2_decode(&s->layout, s->xlate_addr - s->dram_base, &a);
    cs = &s->cs[a.cs];
    s->xlate_res0 = a.cs | a.bank << 4 | a.segment << 8 |
                    lpddr2_masked(&s->layout, &a, cs->mr16, 0) << 16 |
                    lpddr2_masked(&s->layout, &a, 0, cs->mr17) << 17 |
                    1u << 31;
    s->xlate_res1 = a.row | a.col << 16;
}

static uint64_t pasr_ddr_read(void *opaque, hwaddr offset, unsigned size)
{
    PASRDDRState *s = opaque;
    uint64_t value = 0;

    if (offset >= A_CS_BASE && offset < A_CS_BASE + PASR_DDR_MAX_CS *
        CS_STRIDE) {
        value = pasr_ddr_cs_read(s, (offset - A_CS_BASE) / CS_STRIDE,
                                 offset % CS_STRIDE);
        trace_pasr_ddr_read(offset, value);
        return value;
    }
    switch (offset) {
    case A_ID:
        value = PASR_DDR_ID;
        break;
    case A_VERSION:
        value = FIELD_DP32(0, VERSION, MAJOR, 1);
        break;
    case A_CAPS:
        value = pasr_ddr_caps(s);
        break;
    case A_MAP_CFG:
        value = pasr_ddr_map_cfg(s);
        break;
    case A_DRAM_BASE_LO:
        value = pasr_ddr_lo(s, s->dram_base);
        break;
    case A_DRAM_SIZE_LO:
        value = pasr_ddr_lo(s, s->dram_size);
        break;
    case A_E_SR_UJ_LO:
        pasr_ddr_account(s);
        value = pasr_ddr_lo(s, s->energy_sr_pj / 1000000);
        break;
    case A_E_SR_FULL_UJ_LO:
        pasr_ddr_account(s);
        value = pasr_ddr_lo(s, s->energy_full_pj / 1000000);
        break;
    case A_T_SR_US_LO:
        pasr_ddr_account(s);
        value = pasr_ddr_lo(s, s->sr_time_ns / 1000);
        break;
    case A_DRAM_BASE_HI:
    case A_DRAM_SIZE_HI:
    case A_E_SR_UJ_HI:
    case A_E_SR_FULL_UJ_HI:
    case A_T_SR_US_HI:
        value = s->latched_hi;
        break;
    case A_CTRL:
        value = s->ctrl;
        break;
    case A_TEMP_POLL:
        value = s->temp_poll;
        break;
    case A_TEMPERATURE:
        value = (uint32_t)s->temperature;
        break;
    case A_MR_CMD:
        value = 0;                      /* commands complete at once */
        break;
    case A_MR_STATUS:
        value = s->mr_status;
        break;
    case A_MR_RDATA:
        value = s->mr_rdata;
        break;
    case A_PM_CTRL:
        value = s->pm_ctrl;
        break;
    case A_PM_STATUS:
        for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
            value |= pasr_ddr_in_sr(&s->cs[i]) << i |
                     (s->cs[i].state == PASR_CS_DEEP_POWER_DOWN) << (4 + i);
        }
        value |= R_PM_STATUS_READY_MASK |
                 s->exit_cause << R_PM_STATUS_EXIT_CAUSE_SHIFT;
        break;
    case A_SR_PULSE_US:
        value = s->sr_pulse_us;
        break;
    case A_WAKE_TIMER_MS:
        value = s->wake_timer_ms;
        break;
    case A_IRQ_RAW:
        value = s->irq_raw;
        break;
    case A_IRQ_STATUS:
        value = s->irq_raw & s->irq_enable;
        break;
    case A_IRQ_ENABLE:
        value = s->irq_enable;
        break;
    case A_SR_COUNT:
        value = s->sr_count;
        break;
    case A_LOSS_COUNT:
        value = s->loss_count;
        break;
    case A_XLATE_ADDR_LO:
        value = s->xlate_addr;
        break;
    case A_XLATE_ADDR_HI:
        value = s->xlate_addr >> 32;
        break;
    case A_XLATE_RES0:
        value = s->xlate_res0;
        break;
    case A_XLATE_RES1:
        value = s->xlate_res1;
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: read of unassigned "
                      "offset 0x%03" HWADDR_PRIx "\n", offset);
        break;
    }
    trace_pasr_ddr_read(offset, value);
    return value;
}

static void pasr_ddr_temp_poll_arm(PASRDDRState *s)
{
    uint32_t ms = FIELD_EX32(s->temp_poll, TEMP_POLL, PERIOD_MS);

    if (ms) {
        timer_mod(s->temp_timer, pasr_ddr_now() + ms * SCALE_MS);
    } else {
        timer_del(s->temp_timer);
    }
}

static void pasr_ddr_write(void *opaque, hwaddr offset, uint64_t value,
                           unsigned size)
{
    PASRDDRState *s = opaque;

    trace_pasr_ddr_write(offset, value);
    if (offset >= A_CS_BASE && offset < A_CS_BASE + PASR_DDR_MAX_CS *
        CS_STRIDE) {
        pasr_ddr_cs_write(s, (offset - A_CS_BASE) / CS_STRIDE,
                          offset % CS_STRIDE, value);
        return;
    }
    switch (offset) {
    case A_CTRL:
        s->ctrl = value & (R_CTRL_APPLY_ON_SR_MASK | R_CTRL_AUTO_MRW_MASK |
                           R_CTRL_STRICT_MASK | R_CTRL_SR_TRAP_EN_MASK |
                           R_CTRL_SR_TRAP_ACTION_MASK);
        if (FIELD_EX32(s->ctrl, CTRL, SR_TRAP_EN) && !s->trap_possible) {
            qemu_log_mask(LOG_UNIMP, "pasr-ddr: the access trap needs "
                          "cs-mode=linear (CAPS.SR_TRAP = 0)\n");
        }
        for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
            pasr_ddr_set_trap(s, &s->cs[i]);
        }
        break;
    case A_TEMP_POLL:
        s->temp_poll = value & (R_TEMP_POLL_PERIOD_MS_MASK |
                                R_TEMP_POLL_IRQ_ON_TUF_MASK);
        pasr_ddr_temp_poll_arm(s);
        break;
    case A_MR_CMD:
        if (FIELD_EX32(value, MR_CMD, GO)) {
            pasr_ddr_mr_cmd(s, value);
        }
        break;
    case A_MR_STATUS:
        if (value & R_MR_STATUS_ERR_MASK) {
            s->mr_status &= ~R_MR_STATUS_ERR_CODE_MASK;
        }
        s->mr_status &= ~(value & (R_MR_STATUS_DONE_MASK |
                                   R_MR_STATUS_ERR_MASK));
        break;
    case A_PM_CTRL:
        pasr_ddr_pm_ctrl(s, value);
        break;
    case A_SR_PULSE_US:
        s->sr_pulse_us = value;
        break;
    case A_WAKE_TIMER_MS:
        s->wake_timer_ms = value;
        break;
    case A_IRQ_RAW:
        pasr_ddr_raise(s, value & 0xFF);        /* W1S, for tests */
        break;
    case A_IRQ_STATUS:
        s->irq_raw &= ~value;
        pasr_ddr_update_irq(s);
        break;
    case A_IRQ_ENABLE:
        s->irq_enable = value & 0xFF;
        pasr_ddr_update_irq(s);
        break;
    case A_XLATE_ADDR_LO:
        s->xlate_addr = deposit64(s->xlate_addr, 0, 32, value);
        break;
    case A_XLATE_ADDR_HI:
        s->xlate_addr = deposit64(s->xlate_addr, 32, 32, value);
        pasr_ddr_xlate(s);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: write to %s offset 0x%03"
                      HWADDR_PRIx "\n", offset < 0x100 ? "read-only or "
                      "unassigned" : "unassigned", offset);
        break;
    }
}

/* spec 5.1: 32-bit accesses only */
static const MemoryRegionOps pasr_ddr_ops = {
    .read = pasr_ddr_read,
    .write = pasr_ddr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* The controller's MR4 poll: TUF seen (and cleared) raises TEMP_CHANGE. */
static void pasr_ddr_temp_poll(void *opaque)
{
    PASRDDRState *s = opaque;
    bool tuf = false;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        if (s->cs[i].state == PASR_CS_ACTIVE) {
            tuf |= pasr_ddr_mrr(s, &s->cs[i], 4) >> 7;
        }
    }
    if (tuf && FIELD_EX32(s->temp_poll, TEMP_POLL, IRQ_ON_TUF)) {
        pasr_ddr_raise(s, IRQ_TEMP_CHANGE);
    }
    pasr_ddr_temp_poll_arm(s);
}

/* --- QOM ----------------------------------------------------------------- */

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

static void pasr_ddr_get_stat(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    PASRDDRState *s = PASR_DDR(obj);
    uint64_t value;

    pasr_ddr_account(s);
    if (!strcmp(name, "energy-sr-uj")) {
        value = s->energy_sr_pj / 1000000;
    } else if (!strcmp(name, "energy-sr-full-uj")) {
        value = s->energy_full_pj / 1000000;
    } else if (!strcmp(name, "sr-time-us")) {
        value = s->sr_time_ns / 1000;
    } else if (!strcmp(name, "sr-count")) {
        value = s->sr_count;
    } else if (!strcmp(name, "loss-count")) {
        value = s->loss_count;
    } else if (!strcmp(name, "exits-by-access")) {
        value = s->exits_by_access;
    } else {
        unsigned i = name[2] - '0';     /* "csN-refreshed-q16" */

        value = i < s->num_cs ? lpddr2_refreshed_q16(&s->layout.g,
                                                     s->cs[i].mr16,
                                                     s->cs[i].mr17) : 0;
    }
    visit_type_uint64(v, name, &value, errp);
}

static int pasr_ddr_parse(const char *prop, const char *value,
                          const char *const *names, Error **errp)
{
    for (int i = 0; names[i]; i++) {
        if (!g_strcmp0(value, names[i])) {
            return i;
        }
    }
    error_setg(errp, "%s: '%s' is not one of the choices", prop, value);
    return -1;
}

static bool pasr_ddr_setup_layout(PASRDDRState *s, Error **errp)
{
    static const char *const types[] = { "s4", "s2", NULL };
    static const char *const maps[] = { "rbc", "brc", NULL };
    static const char *const modes[] = { "linear", "shift", "swap", NULL };
    static const char *const poisons[] = { "pattern", "zero", "random",
                                           "none", NULL };
    int type, map, mode, poison;
    LPDDR2Geometry g;
    const char *why;
    uint64_t total;

    if (s->num_cs < 1 || s->num_cs > PASR_DDR_MAX_CS) {
        error_setg(errp, "cs must be 1..%d, not %u", PASR_DDR_MAX_CS,
                   s->num_cs);
        return false;
    }
    type = pasr_ddr_parse("lpddr2-type (s4, s2)", s->type, types, errp);
    map = type < 0 ? -1 : pasr_ddr_parse("map (rbc, brc)", s->map, maps,
                                         errp);
    mode = map < 0 ? -1 : pasr_ddr_parse("cs-mode (linear, shift, swap)",
                                         s->cs_mode, modes, errp);
    poison = mode < 0 ? -1 : pasr_ddr_parse("poison (pattern, zero, random, "
                                            "none)", s->poison, poisons,
                                            errp);
    if (poison < 0) {
        return false;
    }
    s->poison_mode = poison;
    why = lpddr2_geometry(type, s->density_mbit, s->io_width, &g);
    if (why) {
        error_setg(errp, "density-mbit=%u io-width=%u lpddr2-type=%s: %s",
                   s->density_mbit, s->io_width, s->type, why);
        return false;
    }
    why = lpddr2_layout(&s->layout, &g, s->num_cs, map, mode,
                        s->interleave_granule);
    if (why) {
        error_setg(errp, "cs=%u cs-mode=%s interleave-granule=%" PRIu64
                   ": %s", s->num_cs, s->cs_mode, s->interleave_granule,
                   why);
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
    uint64_t cs_bytes;

    if (!s->dram) {
        s->dram = MACHINE(qdev_get_machine())->ram;
    }
    if (!s->dram) {
        error_setg(errp, "the machine has no RAM region; set 'dram'");
        return;
    }
    s->dram_base = s->dram->addr;
    s->dram_size = memory_region_size(s->dram);
    if (!pasr_ddr_setup_layout(s, errp)) {
        return;
    }

    memory_region_init_io(&s->iomem, OBJECT(s), &pasr_ddr_ops, s,
                          TYPE_PASR_DDR, PASR_DDR_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    sysbus_init_irq(sbd, &s->irq);
    /* The RAM alone, where the guest sees it, for the trap to reach */
    memory_region_init(&s->dram_view, OBJECT(s), "pasr-ddr-dram-view",
                       UINT64_MAX);
    memory_region_init_alias(&s->dram_alias, OBJECT(s), "pasr-ddr-dram",
                             s->dram, 0, s->dram_size);
    memory_region_add_subregion(&s->dram_view, s->dram_base, &s->dram_alias);
    address_space_init(&s->dram_as, &s->dram_view, "pasr-ddr-dram");

    /*
     * spec 6.3 (2): an overlay above a sleeping chip select's RAM. Only a
     * linearly mapped chip select is one range; interleaved ones would
     * need an overlay per granule.
     */
    s->trap_possible = s->layout.cs_mode == LPDDR2_CS_LINEAR ||
                       s->num_cs == 1;
    cs_bytes = lpddr2_cs_bytes(&s->layout.g);
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];
        g_autofree char *name = g_strdup_printf("pasr-ddr-cs%u-trap", i);

        cs->ddr = s;
        cs->index = i;
        if (s->trap_possible) {
            memory_region_init_io(&cs->trap, OBJECT(s), &pasr_ddr_trap_ops,
                                  cs, name, cs_bytes);
            memory_region_set_enabled(&cs->trap, false);
            memory_region_add_subregion_overlap(get_system_memory(),
                                                s->dram_base + i * cs_bytes,
                                                &cs->trap, 1);
        }
    }

    s->pulse_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pasr_ddr_pulse_end, s);
    s->temp_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pasr_ddr_temp_poll, s);
    /* virtual-clock timers stop while the VM is suspended (spec 4.4) */
    s->wake_timer = timer_new_ms(QEMU_CLOCK_REALTIME, pasr_ddr_wake_timer, s);
    s->wakeup.notify = pasr_ddr_wakeup;
    qemu_register_wakeup_notifier(&s->wakeup);
    qemu_register_wakeup_support();
    qemu_system_wakeup_enable(QEMU_WAKEUP_REASON_OTHER, true);
}

/*
 * Controller registers and die mode registers return to their defaults,
 * every chip select is active. The host-side counters (energy, residency,
 * entries, losses) keep counting across guest resets.
 */
static void pasr_ddr_reset_hold(Object *obj, ResetType type)
{
    PASRDDRState *s = PASR_DDR(obj);

    pasr_ddr_account(s);
    s->ctrl = R_CTRL_APPLY_ON_SR_MASK;
    s->temp_poll = s->mr_status = s->mr_rdata = s->pm_ctrl = 0;
    s->exit_cause = s->sr_pulse_us = s->wake_timer_ms = 0;
    s->irq_raw = s->irq_enable = 0;
    s->xlate_addr = s->xlate_res0 = s->xlate_res1 = s->latched_hi = 0;
    s->prng = s->poison_seed | 1;
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];

        cs->state = PASR_CS_ACTIVE;
        cs->data_lost = false;
        cs->mr16_shadow = cs->mr17_shadow = 0;
        cs->mr16 = cs->mr17 = 0;
        cs->mr1 = LPDDR2_MR1_DEFAULT;
        cs->mr2 = LPDDR2_MR2_DEFAULT;
        cs->mr3 = LPDDR2_MR3_DEFAULT;
        cs->mr4_rate = lpddr2_mr4_rate(s->temperature);
        pasr_ddr_set_trap(s, cs);
    }
    if (s->pulse_timer) {
        timer_del(s->pulse_timer);
        timer_del(s->temp_timer);
        timer_del(s->wake_timer);
    }
    pasr_ddr_update_irq(s);
}

static int pasr_ddr_post_load(void *opaque, int version_id)
{
    PASRDDRState *s = opaque;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        pasr_ddr_set_trap(s, &s->cs[i]);
    }
    return 0;
}

static const VMStateDescription vmstate_pasr_ddr_cs = {
    .name = "pasr-ddr/cs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(state, PASRDDRChipSelect),
        VMSTATE_BOOL(data_lost, PASRDDRChipSelect),
        VMSTATE_UINT32(mr16_shadow, PASRDDRChipSelect),
        VMSTATE_UINT32(mr17_shadow, PASRDDRChipSelect),
        VMSTATE_UINT8(mr16, PASRDDRChipSelect),
        VMSTATE_UINT8(mr17, PASRDDRChipSelect),
        VMSTATE_UINT8(mr1, PASRDDRChipSelect),
        VMSTATE_UINT8(mr2, PASRDDRChipSelect),
        VMSTATE_UINT8(mr3, PASRDDRChipSelect),
        VMSTATE_UINT8(mr4_rate, PASRDDRChipSelect),
        VMSTATE_INT64(sr_entry_ns, PASRDDRChipSelect),
        VMSTATE_INT64(sr_start_ns, PASRDDRChipSelect),
        VMSTATE_UINT32(sr_source, PASRDDRChipSelect),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_pasr_ddr = {
    .name = TYPE_PASR_DDR,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = pasr_ddr_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(ctrl, PASRDDRState),
        VMSTATE_UINT32(temp_poll, PASRDDRState),
        VMSTATE_UINT32(mr_status, PASRDDRState),
        VMSTATE_UINT32(mr_rdata, PASRDDRState),
        VMSTATE_UINT32(pm_ctrl, PASRDDRState),
        VMSTATE_UINT32(exit_cause, PASRDDRState),
        VMSTATE_UINT32(sr_pulse_us, PASRDDRState),
        VMSTATE_UINT32(wake_timer_ms, PASRDDRState),
        VMSTATE_UINT32(irq_raw, PASRDDRState),
        VMSTATE_UINT32(irq_enable, PASRDDRState),
        VMSTATE_UINT64(xlate_addr, PASRDDRState),
        VMSTATE_UINT32(xlate_res0, PASRDDRState),
        VMSTATE_UINT32(xlate_res1, PASRDDRState),
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
};

static const Property pasr_ddr_properties[] = {
    DEFINE_PROP_LINK("dram", PASRDDRState, dram, TYPE_MEMORY_REGION,
                     MemoryRegion *),
    DEFINE_PROP_UINT8("cs", PASRDDRState, num_cs, 2),
    DEFINE_PROP_UINT32("density-mbit", PASRDDRState, density_mbit, 4096),
    DEFINE_PROP_UINT32("io-width", PASRDDRState, io_width, 32),
    DEFINE_PROP_STRING("lpddr2-type", PASRDDRState, type),
    DEFINE_PROP_STRING("map", PASRDDRState, map),
    DEFINE_PROP_STRING("cs-mode", PASRDDRState, cs_mode),
    DEFINE_PROP_UINT64("interleave-granule", PASRDDRState,
                       interleave_granule, 4096),
    DEFINE_PROP_UINT8("manufacturer-id", PASRDDRState, manufacturer_id, 1),
    DEFINE_PROP_UINT8("revision-id1", PASRDDRState, revision_id1, 1),
    DEFINE_PROP_UINT8("revision-id2", PASRDDRState, revision_id2, 0),
    DEFINE_PROP_STRING("poison", PASRDDRState, poison),
    DEFINE_PROP_UINT64("poison-seed", PASRDDRState, poison_seed, 1),
    DEFINE_PROP_UINT32("retention-us", PASRDDRState, retention_us, 0),
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

static void pasr_ddr_init(Object *obj)
{
    PASRDDRState *s = PASR_DDR(obj);

    s->type = g_strdup("s4");
    s->map = g_strdup("rbc");
    s->cs_mode = g_strdup("linear");
    s->poison = g_strdup("pattern");
    s->temperature = 45000;
}

static void pasr_ddr_finalize(Object *obj)
{
    PASRDDRState *s = PASR_DDR(obj);

    g_clear_pointer(&s->pulse_timer, timer_free);
    g_clear_pointer(&s->temp_timer, timer_free);
    g_clear_pointer(&s->wake_timer, timer_free);
}

static void pasr_ddr_class_init(ObjectClass *klass, void *data)
{
    static const char *const stats[][2] = {
        { "energy-sr-uj", "self-refresh energy so far, µJ" },
        { "energy-sr-full-uj", "the same residency without PASR masks, µJ" },
        { "sr-time-us", "time with a chip select in self-refresh, µs" },
        { "sr-count", "self-refresh entries" },
        { "loss-count", "self-refresh exits that destroyed data" },
        { "exits-by-access", "self-refresh exits forced by an access trap" },
        { "cs0-refreshed-q16", "refreshed fraction of CS0 (Q16)" },
        { "cs1-refreshed-q16", "refreshed fraction of CS1 (Q16)" },
        { "cs2-refreshed-q16", "refreshed fraction of CS2 (Q16)" },
        { "cs3-refreshed-q16", "refreshed fraction of CS3 (Q16)" },
    };
    static const char *const desc[][2] = {
        { "dram", "RAM region the controller drives (default: the "
          "machine's RAM); its size must equal cs x dies per chip select "
          "x die size" },
        { "cs", "chip selects (ranks), 1-4" },
        { "density-mbit", "die density in Mbit: S4 64-8192, S2 1024 or 2048" },
        { "io-width", "die I/O width, 8, 16 or 32; narrower dies are ganged "
          "to fill the 32-bit bus" },
        { "lpddr2-type", "LP-DDR2 device type, s4 (default) or s2 "
          "(MR8 OP1:0)" },
        { "map", "address map: rbc (default; row-bank-column, segments "
          "contiguous) or brc (bank-row-column, banks contiguous)" },
        { "cs-mode", "chip selects: linear (default), shift (interleaved "
          "every granule) or swap (CS bits swapped with granule bits)" },
        { "interleave-granule", "interleave granule in bytes, a power of "
          "two from 4096 to a segment of a chip select" },
        { "manufacturer-id", "MR5 manufacturer ID (1 Samsung, 3 Elpida, "
          "255 Micron, ...)" },
        { "revision-id1", "MR6 revision ID 1" },
        { "revision-id2", "MR7 revision ID 2" },
        { "poison", "what masked cells hold after self-refresh: pattern "
          "(default, 64-bit 0x5041535250534E00 ^ address), zero, random, "
          "none (accounting only)" },
        { "poison-seed", "seed of the random poison" },
        { "retention-us", "self-refresh shorter than this keeps masked "
          "cells (0: any self-refresh loses them)" },
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
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "LP-DDR2 controller with partial-array self-refresh";
    dc->realize = pasr_ddr_realize;
    dc->vmsd = &vmstate_pasr_ddr;
    dc->user_creatable = true;
    rc->phases.hold = pasr_ddr_reset_hold;
    device_class_set_props(dc, pasr_ddr_properties);
    for (size_t i = 0; i < ARRAY_SIZE(desc); i++) {
        object_class_property_set_description(klass, desc[i][0], desc[i][1]);
    }
    object_class_property_add(klass, "temperature", "int32",
                              pasr_ddr_get_temperature,
                              pasr_ddr_set_temperature, NULL, NULL);
    object_class_property_set_description(klass, "temperature",
        "die temperature in m°C (default 45000), settable at run time with "
        "qom-set: drives MR4 and the power model");
    for (size_t i = 0; i < ARRAY_SIZE(stats); i++) {
        object_class_property_add(klass, stats[i][0], "uint64",
                                  pasr_ddr_get_stat, NULL, NULL, NULL);
        object_class_property_set_description(klass, stats[i][0],
                                              stats[i][1]);
    }
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
